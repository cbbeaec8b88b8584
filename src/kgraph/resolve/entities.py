"""Entity resolution: mentions in many articles -> canonical entities.

Resolution runs over *name nodes* (one per folded surface name), joined by
rules that each record why (``MERGE_RULES`` in :mod:`kgraph.rdf.vocab`):

1. inside one article, a bare surname joins the one full name of that article
   that ends with it (``short-form-in-article``), unless its title says it is
   someone else ("Mr. Obama" is not Michelle; "President Obama" is the Obama the
   corpus calls President); with two candidates it stays apart;
2. across articles, names join when they are equal under middle-initial,
   transliteration (and the Arabic article "al-"), a dropped middle name, demonym
   or country-name folding, a legal suffix or corporate form (organisations), the
   country gazetteer (places: U.S = United States = America), or the user's alias
   file; merges by folding stay within one kind;
3. a short form joins the long form the text defines it as ("General Motors (GM)",
   ``acronym-defined``: the one join across kinds), or the one multi-word name with
   its initials (``acronym``); a short organisation name joins the one longer name
   its articles name beside it (Northrop = Northrop Grumman);
4. a bare surname left over joins the corpus's one full name that ends with it, or
   the one person who dominates that surname (``dominant-surname``); otherwise the
   refusal is recorded (:class:`MergeRefusal`) and the report shows it.

The type of each entity is then voted over all its mentions: the NER label, plus
strong evidence from the context (a rank or honorific votes "person"; a locative
preposition or a place noun "place"; a platform position such as "posted on X" or
"X account" "organisation"), the country gazetteer, and the corpus: a one-word
"person" never named in full nor titled counts half (Twitter is no person). This
repairs the small model's habit of tagging cities as people and platforms as persons.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from networkx.utils import UnionFind
from nicknames import NickNamer

from kgraph.resolve.aliases import AliasGroup
from kgraph.gazetteer import country_code, place_code
from kgraph.extract.entities import EntityMention
from kgraph.resolve.names import (
    corporate_base,
    demonym_key,
    first_and_last,
    given_name_sex,
    drop_middle_initials,
    fold,
    initials,
    is_acronym_form,
    last_word,
    transliteration_key,
    without_legal_suffix,
)

__all__ = ["MergeRecord", "MergeRefusal", "Resolution", "ResolvedEntity", "resolve_entities"]

# Vote weights: NER labels are weak evidence, context is strong evidence.
_LABEL_VOTE = 1.0
_PLACE_CUE_VOTE = 3.0
_TITLE_VOTE = 3.0
_ORG_CUE_VOTE = 3.0
_COUNTRY_VOTE = 2.0
_GIVEN_NAME_VOTE = 0.75  # less than a label: "Morgan Stanley", "Georgia Tech" stay organisations
# Words that make a longer organisation name a body of the shorter one, not the same organisation.
_ORGAN_WORDS = frozenset(
    {"council", "commission", "committee", "court", "assembly", "parliament", "agency", "department", "ministry", "office",
     "board", "bureau", "division", "unit", "branch", "foundation", "university", "institute", "party", "league", "conference"}
)
_LONE_NAME_PERSON_WEIGHT = 0.5
_FULL_NAME_SHARE = 10  # a lone word is "named in full" when full names hold it at least once per this many mentions
_AFTER_ON_VOTE = 2.0
_KIND_ORDER = ("person", "organization", "place", "event")  # tie-break, stable
# A bare surname shared by several people means the one named in this many times as many articles
# as all the others together ("Obama" in a corpus of 160 articles on Barack and 9 on Michelle).
_DOMINANCE = 2.5
_ACRONYM_FILLER = frozenset({"of", "the", "and", "for", "on", "in", "de"})
_POSSESSIVE_INSIDE_RE = re.compile(r"\w['’]s\s")
_SEX_MARK = "\x1f"  # node key of a surname written with a title of one sex: "obama\x1ffemale"
_FEMALE_TITLES = frozenset({"mrs", "ms", "miss", "madam", "madame", "dame", "lady", "queen", "princess", "duchess", "first lady"})
_MALE_TITLES = frozenset({"mr", "sir", "lord", "king", "prince", "duke"})


@dataclass(frozen=True, slots=True)
class MergeRecord:
    """Why a surface form belongs to an entity."""

    form: str
    rule: str
    articles: tuple[str, ...]
    detail: str


@dataclass(frozen=True, slots=True)
class MergeRefusal:
    """A form a reader might expect merged, kept apart, with the candidates and why."""

    form: str
    candidates: tuple[int, ...]  # indexes into ``Resolution.entities``, most articles first
    reason: str


@dataclass(frozen=True, slots=True)
class _Refusal:
    key: str  # the node kept apart
    candidates: tuple[str, ...]  # cluster keys, most articles first
    reason: str


@dataclass(frozen=True, slots=True)
class ResolvedEntity:
    kind: str  # person | organization | place | event
    label: str
    place_label: str | None  # GPE / LOC / FAC when kind == "place"
    alt_labels: tuple[str, ...]
    merges: tuple[MergeRecord, ...]
    article_ids: tuple[str, ...]
    mention_count: int


@dataclass(frozen=True, slots=True)
class Resolution:
    entities: tuple[ResolvedEntity, ...]
    # (article id, mention start, mention end) -> index into ``entities``
    entity_of_mention: Mapping[tuple[str, int, int], int]
    # entity index -> the merges it was refused, and why
    refusals: Mapping[int, tuple[MergeRefusal, ...]] = field(default_factory=dict)


@dataclass
class _Node:
    key: str  # folded name
    forms: Counter[str] = field(default_factory=Counter)  # surface (title-free) forms
    titled_forms: dict[str, set[str]] = field(default_factory=dict)  # "Gen. X" -> articles
    titles: Counter[str] = field(default_factory=Counter)  # folded title -> mentions
    after_on: int = 0  # mentions that are the object of "on" after a verb
    articles: set[str] = field(default_factory=set)
    votes: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    mentions: int = 0

    @property
    def words(self) -> int:
        return len(self.key.split())

    @property
    def name_words(self) -> list[str]:
        """The words of the name as written, a hyphenated or "al-" word counting once ("Zehaf-Bibeau")."""
        return (max(self.forms, key=lambda f: (self.forms[f], f)) if self.forms else self.key).split()

    def kind(self) -> str:
        return _winner(self.votes)


def _winner(votes: Counter[str]) -> str:
    return max(_KIND_ORDER, key=lambda k: (votes.get(k, 0.0), -_KIND_ORDER.index(k)))


def resolve_entities(
    mentions_by_article: Mapping[str, Sequence[EntityMention]],
    aliases: Sequence[AliasGroup] = (),
    cited_outlets: Mapping[str, Iterable[tuple[int, int]]] | None = None,
) -> Resolution:
    """Group every mention into a canonical entity, recording each merge's reason.

    ``cited_outlets``: per article, the offsets of names its citations give as the outlet
    ("Gawker reported", "told CNN"): evidence that the name is an organisation.
    """
    outlet_spans = {aid: set(spans) for aid, spans in (cited_outlets or {}).items()}
    nodes: dict[str, _Node] = {}
    mention_node: dict[tuple[str, int, int], str] = {}
    # (article, form) pairs joined by the in-article surname rule: form -> articles
    short_joins: dict[tuple[str, str], set[str]] = defaultdict(set)
    # folded short form -> folded long form -> articles that define it ("General Motors (GM)")
    defined: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    aliased: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # "X, also known as Y"

    name_kind = _corpus_kinds(mentions_by_article)
    full_titles = _titles_of_full_names(mentions_by_article)
    for article_id in sorted(mentions_by_article):
        mentions = mentions_by_article[article_id]
        local_full = _full_person_names(mentions, name_kind)
        for m in mentions:
            key = fold(m.text)
            if not key:
                continue
            target = key
            # A place never shortens a person's name ("Kherson" in "Losing Kherson" is a city,
            # whatever NER said of the phrase); a one-word "organisation" that is the surname of
            # the article's one person of that name is NER's mistake ("Kadyrov – Chechen dictator").
            if len(m.text.split()) == 1 and not m.place_cue and name_kind.get(key) in {"person", "organization"}:
                surname = transliteration_key(key)
                candidates = local_full.get(surname, set())
                if len(candidates) == 1 and _title_fits(m.title, next(iter(candidates)), full_titles.get(surname, {})):
                    target = next(iter(candidates))
                    short_joins[(target, m.text)].add(article_id)
                elif name_kind.get(key) == "person" and (sex := _gender(_genders_of(Counter({fold(m.title or ""): 1})))):
                    # "Mrs. Obama" left over is a woman named Obama: kept apart from the men of that name.
                    target = f"{key}{_SEX_MARK}{sex}"
            node = nodes.setdefault(target, _Node(target))
            node.mentions += 1
            node.articles.add(article_id)
            if target == key or target.startswith(key + _SEX_MARK):
                node.forms[m.text] += 1
            mention_node[(article_id, m.start, m.end)] = target
            if m.acronym and fold(m.acronym):
                defined[fold(m.acronym)][target].add(article_id)
            if m.alias and fold(m.alias):
                aliased[fold(m.alias)][target].add(article_id)
            if m.propagated:  # a copy of a name NER found elsewhere: no new evidence of its type
                continue
            node.labels[m.label] += 1
            node.votes.update(_votes(m))
            if (m.start, m.end) in outlet_spans.get(article_id, ()):
                node.votes["organization"] += _ORG_CUE_VOTE
            node.after_on += m.after_on
            if m.title:
                node.titled_forms.setdefault(f"{m.title} {m.text}", set()).add(article_id)
                node.titles[fold(m.title)] += 1

    _weigh_corpus_evidence(nodes, {target for target, _ in short_joins})
    uf = UnionFind(nodes)
    least: dict[str, str] = {}  # a set's name in ``uf`` -> its smallest key
    edges: list[tuple[str, str, str]] = []  # (node, node, rule)

    def root(key: str) -> str:
        """The smallest key of ``key``'s cluster, whichever member ``uf`` names the set by.

        Entities are ordered by it, and acronym and surname joins record their edge from it.
        """
        name = uf[key]
        return least.get(name, name)

    def join(a: str, b: str, rule: str) -> None:
        ra, rb = root(a), root(b)
        if ra == rb:
            return
        uf.union(a, b)
        least[uf[a]] = min(ra, rb)
        edges.append((a, b, rule))

    _join_by_key(nodes, lambda n: drop_middle_initials(n.key) if n.kind() == "person" else None, "middle-initial", join)
    # Within a kind: a spelling variant of a person's name is never a place's (Kherson/Cherson are
    # places on both sides; "Jordan" the person is not "Iordan").
    _join_by_key(nodes, lambda n: f"{n.kind()}:{transliteration_key(drop_middle_initials(n.key))}", "transliteration", join)
    _join_middle_names(nodes, root, join)
    _join_nicknames(nodes, root, join)
    _join_by_key(nodes, lambda n: demonym_key(n.key) if n.kind() == "organization" and n.words >= 2 else None, "demonym-variant", join)
    _join_by_key(nodes, lambda n: without_legal_suffix(n.key) if n.kind() == "organization" else None, "legal-suffix", join)
    _join_by_key(nodes, lambda n: corporate_base(n.key) if n.kind() == "organization" else None, "corporate-form", join)
    _join_by_key(nodes, lambda n: _with_country_code(n.key) if n.kind() == "organization" else None, "country-name", join)
    _join_by_key(nodes, lambda n: _country_of(n) if n.kind() == "place" else None, "country-name", join)
    alias_label = _join_aliases(nodes, aliases, join)
    _join_defined_acronyms(nodes, defined, root, join)
    _join_defined_acronyms(nodes, aliased, root, join, rule="alias-in-text")
    _join_acronyms(nodes, root, join)
    _join_short_organisations(nodes, root, join)
    refused: list[_Refusal] = []
    _join_surnames_across_articles(nodes, root, join, refused)

    clusters: dict[str, list[str]] = defaultdict(list)
    for key in sorted(nodes):
        clusters[root(key)].append(key)

    entities: list[ResolvedEntity] = []
    index_of_root: dict[str, int] = {}
    # Group the evidence by cluster once, so building each entity costs only its own size.
    edges_of: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for edge in edges:
        edges_of[root(edge[0])].append(edge)
    shorts_of: dict[str, dict[tuple[str, str], set[str]]] = defaultdict(dict)
    for (target, form), arts in short_joins.items():
        shorts_of[root(target)][(target, form)] = arts
    for least_key, keys in sorted(clusters.items()):
        entity = _make_entity([nodes[k] for k in keys], edges_of[least_key], shorts_of[least_key], alias_label)
        index_of_root[least_key] = len(entities)
        entities.append(entity)

    entity_of_mention = {mk: index_of_root[root(nk)] for mk, nk in mention_node.items()}
    refusals: dict[int, list[MergeRefusal]] = defaultdict(list)
    for r in refused:
        owner = index_of_root[root(r.key)]
        candidates = tuple(dict.fromkeys(index_of_root[root(c)] for c in r.candidates if index_of_root[root(c)] != owner))
        if len(candidates) >= 2:
            refusals[owner].append(MergeRefusal(entities[owner].label, candidates, r.reason))
    return Resolution(
        entities=tuple(entities), entity_of_mention=entity_of_mention, refusals={k: tuple(v) for k, v in refusals.items()}
    )


def _weigh_corpus_evidence(nodes: Mapping[str, _Node], shortened: set[str]) -> None:
    """Kind evidence only the whole corpus gives. A one-word "person" it never names in full nor titles is seldom a person.

    News introduces people by their full name; a single word that NER calls a person in
    a hundred articles without ever a title, and inside a full name at most once per ten of
    its mentions ("Twitter DM"), is a platform or a company (Twitter, Facebook). Its person votes count half, and being written "on" it after a
    verb ("posted on Twitter", "wrote on Facebook") counts for an organisation.
    A mononymous person (Madonna) keeps the person vote unless written "on".
    A one-word name the place gazetteer knows votes place, unless someone of the corpus
    bears it as a surname. Likewise a two-word "person" named in three or more articles that
    is never shortened to its last word, never titled and starts with no given name is more
    likely a group or a company (Boko Haram): news names a person in full once, then by surname.
    """
    # How often each word is the first or last word of a name NER calls a person ("Twitter DM" once).
    in_full_names: Counter[str] = Counter()
    surnames: set[str] = set()
    for key, node in nodes.items():
        words = node.name_words
        if len(words) >= 2 and node.labels.get("PERSON", 0):
            in_full_names.update({fold(words[0]): node.labels["PERSON"], fold(words[-1]): node.labels["PERSON"]})
            surnames.add(fold(words[-1]))
    for key, node in nodes.items():
        # A city or region's name (the GeoNames gazetteer), unless the corpus has someone of that surname
        # (Jackson, Austin): "including Odesa" is a place however NER tagged it.
        if len(node.name_words) == 1 and key not in surnames and place_code(node.name_words[0]):
            node.votes["place"] += _COUNTRY_VOTE * sum(node.labels.values())
    for key, node in nodes.items():
        words = node.name_words
        if (
            len(words) >= 2 and len(node.articles) >= 3 and not node.titles and key not in shortened
            and node.votes.get("person") and not given_name_sex(words[0])
            and not (fold(words[-1]) in nodes and nodes[fold(words[-1])].votes.get("person"))
        ):
            node.votes["person"] *= _LONE_NAME_PERSON_WEIGHT
    for key, node in nodes.items():
        if len(node.name_words) != 1 or node.titles or not node.votes.get("person"):
            continue
        if in_full_names[key] * _FULL_NAME_SHARE >= node.mentions:
            continue
        node.votes["person"] *= _LONE_NAME_PERSON_WEIGHT
        node.votes["organization"] += _AFTER_ON_VOTE * node.after_on


def _country_of(node: _Node) -> str | None:
    """The country a node's forms name ("U.S", "U.S.", "US" -> USA), if they name exactly one.

    A node's forms all fold alike, so a form the gazetteer does not take on its own ("Us",
    written so by some outlets) goes with the ones it does.
    """
    named = {country_code(form) for form in node.forms} - {None}
    return next(iter(named)) if len(named) == 1 else None


def _with_country_code(key: str) -> str | None:
    """'us air force' and 'united states air force' -> 'USA air force': an organisation named after its country.

    Only a leading country name of one to four words counts, and something must follow it.
    """
    words = key.split()
    for n in range(min(4, len(words) - 1), 0, -1):
        code = country_code(" ".join(words[:n]).upper() if n == 1 and len(words[0]) <= 3 else " ".join(words[:n]).title())
        if code:
            return " ".join([code, *words[n:]])
    return None


def _corpus_kinds(mentions_by_article: Mapping[str, Sequence[EntityMention]]) -> dict[str, str]:
    """Folded name -> the kind its mentions vote for across the whole corpus."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for mentions in mentions_by_article.values():
        for m in mentions:
            if not m.propagated:
                votes[fold(m.text)].update(_votes(m))
    return {k: _winner(v) for k, v in votes.items()}


def _votes(m: EntityMention) -> Counter[str]:
    """What one mention says about its entity's kind: its label, plus context evidence.

    A country's name is a place whatever NER said ("Facebook" is no country, "Jordan" is
    one unless titles or an article's full name make it a person).
    """
    votes: Counter[str] = Counter({m.kind: _LABEL_VOTE})
    if country_code(m.text):
        votes["place"] += _COUNTRY_VOTE
    words = m.text.split()
    # "Michael Zehaf-Bibeau", "Kevin Vickers": a common given name before a capitalised word.
    if len(words) >= 2 and words[-1][:1].isupper() and given_name_sex(words[0]):
        votes["person"] += _GIVEN_NAME_VOTE
    if m.place_cue:
        votes["place"] += _PLACE_CUE_VOTE
    if m.org_cue:
        votes["organization"] += _ORG_CUE_VOTE
    if m.title:
        votes["person"] += _TITLE_VOTE
    return votes


def _surname_key(word: str) -> str:
    """The key a written surname is compared by: 'Zehaf-Bibeau' and 'al-Baghdadi' stay one word's key."""
    return transliteration_key(fold(word))


def _titles_of_full_names(mentions_by_article: Mapping[str, Sequence[EntityMention]]) -> dict[str, dict[str, Counter[str]]]:
    """Surname key -> full name -> the titles the corpus writes before that full name ("President Barack Obama")."""
    out: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for mentions in mentions_by_article.values():
        for m in mentions:
            key = fold(m.text)
            words = m.text.split()
            if m.title and len(words) >= 2:
                out[_surname_key(words[-1])][drop_middle_initials(key)][fold(m.title)] += 1
    return out


def _title_fits(title: str | None, full: str, holders: Mapping[str, Counter[str]]) -> bool:
    """May a titled surname ("President Obama", "Mrs. Obama") shorten ``full`` in its article?

    Not when the title's sex is not the full name's ("Mr." for Michelle Obama), nor when the
    corpus gives the title only to other people of that surname ("President Obama" in an
    article that names only Michelle is Barack, whom the corpus calls President).
    """
    if not title:
        return True
    t = fold(title)
    own = holders.get(full, Counter())
    own_sexes = _genders_of(own)
    sex = given_name_sex(full.split()[0])
    if sex in {"male", "female"}:
        own_sexes[sex] += 1
    gender, own_gender = _gender(_genders_of(Counter({t: 1}))), _gender(own_sexes)
    if gender and own_gender and gender != own_gender:
        return False
    others = [k for k, titles in holders.items() if k != full and titles.get(t)]
    return bool(own.get(t)) or not others


def _full_person_names(mentions: Iterable[EntityMention], name_kind: Mapping[str, str]) -> dict[str, set[str]]:
    """Surname key -> folded full names in one article that a bare surname may shorten.

    A full name is two or more capitalised words tagged PERSON, or tagged ORG by the
    small model's mistake ("Oleksandr Kovalenko" as ORG); never a place. Counting the
    mistagged ones matters: otherwise their bare surname would be left over and could
    join another person of that surname elsewhere in the corpus.
    """
    out: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        key = fold(m.text)
        words = m.text.split()
        looks_personal = m.label == "PERSON" or (m.label == "ORG" and all(w[:1].isupper() for w in words))
        # "Reuters Kim" (a credit glued to a name) is no one's full name.
        glued = name_kind.get(fold(words[0])) == "organization"
        if looks_personal and len(words) >= 2 and name_kind.get(key) != "place" and not glued:
            out[_surname_key(words[-1])].add(drop_middle_initials(key))
    # A full name seen with and without a middle initial is one name.
    return out


def _join_by_key(nodes: Mapping[str, _Node], key_of, rule: str, join) -> None:  # type: ignore[no-untyped-def]
    groups: dict[str, list[str]] = defaultdict(list)
    for key, node in nodes.items():
        k = key_of(node)
        if k:
            groups[k].append(key)
    for members in groups.values():
        members.sort()
        for other in members[1:]:
            join(members[0], other, rule)


def _join_middle_names(nodes: Mapping[str, _Node], root: Callable[[str], str], join) -> None:  # type: ignore[no-untyped-def]
    """'David Haines' joins 'David Cawthorne Haines', the one longer name of the corpus with his first and last name.

    With two longer names (George Walker Bush, George Herbert Walker Bush) the short one stays apart.
    """
    longer: dict[str, set[str]] = defaultdict(set)
    for key, node in nodes.items():
        if node.words >= 3 and node.kind() == "person":
            longer[transliteration_key(first_and_last(key) or key)].add(root(key))
    for key, node in sorted(nodes.items()):
        if node.words == 2 and node.kind() == "person":
            roots = longer.get(transliteration_key(key), set()) - {root(key)}
            if len(roots) == 1:
                join(min(roots), key, "middle-name")


def _join_nicknames(nodes: Mapping[str, _Node], root: Callable[[str], str], join) -> None:  # type: ignore[no-untyped-def]
    """'Jim Foley' joins 'James Foley': a nickname of the first name, the rest of the name the same.

    Only when the pair is the one such pair for that surname in the corpus: with a
    William Smith and a Bill Smith and a Billy Smith, nothing is joined by nickname.
    """
    by_rest: dict[str, list[str]] = defaultdict(list)
    for key, node in nodes.items():
        words = key.split()
        if len(words) >= 2 and node.kind() == "person":
            by_rest[transliteration_key(" ".join(words[1:]))].append(key)
    namer = _nicknamer()
    for keys in by_rest.values():
        if len(keys) < 2:
            continue
        firsts = {k: k.split()[0] for k in keys}
        pairs = [
            (a, b) for a in keys for b in keys
            if a < b and firsts[a] != firsts[b] and (firsts[b] in namer.nicknames_of(firsts[a]) or firsts[a] in namer.nicknames_of(firsts[b]))
        ]
        partners = Counter(k for pair in pairs for k in pair)
        for a, b in pairs:
            if partners[a] == 1 and partners[b] == 1:
                given, nick = (a, b) if firsts[b] in namer.nicknames_of(firsts[a]) else (b, a)
                join(given, nick, "nickname")


@lru_cache(maxsize=1)
def _nicknamer() -> NickNamer:
    return NickNamer()


def _join_aliases(nodes: Mapping[str, _Node], aliases: Sequence[AliasGroup], join) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Join nodes named in one alias line; return node key -> forced canonical label."""
    forced: dict[str, str] = {}
    by_translit: dict[str, list[str]] = defaultdict(list)
    for key in nodes:
        by_translit[transliteration_key(key)].append(key)
    for group in aliases:
        members = sorted({k for name in group.names for k in by_translit.get(transliteration_key(fold(name)), [])})
        for other in members[1:]:
            join(members[0], other, "alias-file")
        for k in members:
            forced[k] = group.canonical
    return forced


def _join_defined_acronyms(
    nodes: Mapping[str, _Node],
    defined: Mapping[str, Mapping[str, set[str]]],
    root: Callable[[str], str],
    join,  # type: ignore[no-untyped-def]
    rule: str = "acronym-defined",
) -> None:
    """A short form joins the long form the texts define it as, whatever NER called either.

    The same holds for another name the text gives ("also known as", ``alias-in-text``).

    The text's own definition ("the Islamic State (ISIS)") is stronger evidence than
    any label, so this is the one join across kinds; the merged entity's kind is then
    voted over both. When articles define one short form as different names, the
    definition of at least two thirds of the defining articles wins; otherwise none does.
    """
    for short, longs in sorted(defined.items()):
        if short not in nodes:
            continue
        by_root: dict[str, set[str]] = defaultdict(set)
        words_of: dict[str, set[str]] = defaultdict(set)
        for long, arts in longs.items():
            by_root[root(long)] |= arts
            words_of[root(long)] |= set(long.split()) - _ACRONYM_FILLER
        total = len(set().union(*by_root.values()))
        best = max(sorted(by_root), key=lambda r: len(by_root[r]))
        # Definitions written a little differently ("Centers for Disease Control" and "... and Prevention")
        # are one name: they count, and join, with the best one.
        alike = [r for r in by_root if r != best and _overlap(words_of[r], words_of[best]) >= 0.5]
        support = set(by_root[best]).union(*(by_root[r] for r in alike)) if alike else by_root[best]
        if 3 * len(support) >= 2 * total:
            join(best, short, rule)
            for r in alike:
                join(best, r, rule)


def _overlap(a: set[str], b: set[str]) -> float:
    """Share of the smaller word set that the other holds."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _join_acronyms(nodes: Mapping[str, _Node], root: Callable[[str], str], join) -> None:  # type: ignore[no-untyped-def]
    """'UK' joins 'United Kingdom' when one multi-word name has those initials, or dominates those that have.

    Only names written in capitals count as acronyms, and only organisations and
    places abbreviate (people's initials are not names in news).
    """
    by_initials: dict[str, set[str]] = defaultdict(set)
    for key, node in nodes.items():
        if node.words >= 2 and node.kind() in {"organization", "place"}:
            spelled = initials(key)
            if spelled:
                by_initials[spelled].add(root(key))
    cluster_articles: dict[str, set[str]] = defaultdict(set)
    for key, node in nodes.items():
        cluster_articles[root(key)] |= node.articles
    for key, node in sorted(nodes.items()):
        # Written as an acronym in most of its mentions ("UN", "U.N.", and a headline's "Un").
        acronym_mentions = sum(n for f, n in node.forms.items() if is_acronym_form(f))
        if node.words == 1 and node.forms and 2 * acronym_mentions > sum(node.forms.values()) and node.kind() != "person":
            roots = by_initials.get(key, set()) - {root(key)}
            if len(roots) == 1:
                join(min(roots), key, "acronym")
            elif roots:  # several: the one named in far more articles than the others (UN: United Nations)
                ranked = sorted(roots, key=lambda r: (-len(cluster_articles[r]), r))
                if len(cluster_articles[ranked[0]]) >= _DOMINANCE * sum(len(cluster_articles[r]) for r in ranked[1:]):
                    join(ranked[0], key, "acronym")


def _join_short_organisations(nodes: Mapping[str, _Node], root: Callable[[str], str], join) -> None:  # type: ignore[no-untyped-def]
    """'Northrop' joins 'Northrop Grumman', 'China Eastern' joins 'China Eastern Airlines'.

    An organisation's name that begins a longer organisation's name joins it when some
    article names both, the longer one is not an organ of it ("Apple board", "Senate
    Intelligence Committee") and the short one is no acronym ("UN" is not the UN Security Council), and no other organisation named beside it anywhere begins so:
    "Ford" beside "Ford Foundation" in one article and beside "Ford Motor" in another stays
    itself (unless those are one).
    """
    by_article: dict[str, list[str]] = defaultdict(list)
    for key, node in nodes.items():
        if node.kind() == "organization":
            for a in node.articles:
                by_article[a].append(key)
    longer: dict[str, set[str]] = defaultdict(set)
    for keys in by_article.values():
        for short in keys:
            if any(is_acronym_form(f) for f in nodes[short].forms):  # "UN" is not "UN Security Council"
                continue
            possessive = {k for k in keys if any(_POSSESSIVE_INSIDE_RE.search(f) for f in nodes[k].forms)}
            prefix = short + " "
            # "Islamic State’s Africa" is something of the Islamic State's, not the group.
            longer[short].update(root(k) for k in keys if k.startswith(prefix) and k not in possessive and not _qualifies(k[len(prefix):]))
    for short, roots in sorted(longer.items()):
        roots.discard(root(short))
        if len(roots) == 1:
            join(next(iter(roots)), short, "short-form-in-article")


def _qualifies(extra: str) -> bool:
    """Words after a shorter name that make another body of it: an organ ("Apple board") or a
    qualifier ("Islamic State of Iraq", "Supreme Court of Ohio")."""
    words = extra.split()
    return bool(set(words) & _ORGAN_WORDS) or words[:1] in (["of"], ["in"], ["for"])


def _join_surnames_across_articles(
    nodes: Mapping[str, _Node], root: Callable[[str], str], join, refused: list[_Refusal]  # type: ignore[no-untyped-def]
) -> None:
    """A leftover bare surname joins the person the corpus means by it.

    That is the corpus's single full name ending with it (``surname-across-articles``),
    or, when several people share the surname, the one who dominates it: named in at
    least ``_DOMINANCE`` times as many articles as all the others together, and not
    contradicted by the surname's own titles ("Mrs. Obama" is not Barack). Otherwise the
    surname stays its own entity and the refusal is recorded, so a reader sees why
    "Obama" was not joined. A surname whose titles give a sex ("Mrs. Obama") never joins
    a candidate whose titles give the other, nor one whose sex is unknown when another
    candidate's titles match ("Mrs. Obama" beside "First Lady Michelle Obama").
    """
    full_by_surname: dict[str, set[str]] = defaultdict(set)
    for key, node in nodes.items():
        first = nodes.get(fold(node.name_words[0]))
        glued = first is not None and first is not node and first.kind() == "organization"  # "Reuters Kim"
        if len(node.name_words) >= 2 and node.kind() == "person" and not glued:
            full_by_surname[_surname_key(node.name_words[-1])].add(root(key))
    cluster_articles: dict[str, set[str]] = defaultdict(set)
    cluster_titles: dict[str, Counter[str]] = defaultdict(Counter)
    for key, node in nodes.items():
        cluster_articles[root(key)] |= node.articles
        cluster_titles[root(key)].update(_title_genders(node))
    for key, node in sorted(nodes.items()):
        if len(node.name_words) != 1 or node.kind() != "person":
            continue
        roots = full_by_surname.get(_surname_key(node.name_words[0]), set())
        if not roots or root(key) in roots:
            continue
        # Titles that sex the surname ("Mrs. Obama") must be matched by the candidate's own.
        gender = _gender(_title_genders(node))
        same_sex = [r for r in roots if gender and _gender(cluster_titles[r]) == gender]
        if len(roots) == 1 and not (gender and _gender(cluster_titles[min(roots)]) not in {gender, None}):
            join(min(roots), key, "surname-across-articles")
            continue
        if len(same_sex) == 1:
            join(same_sex[0], key, "surname-by-sex")
            continue
        ranked = sorted(roots, key=lambda r: (-len(cluster_articles[r]), r))
        best, others = ranked[0], ranked[1:]
        rest = sum(len(cluster_articles[r]) for r in others)
        best_gender = _gender(cluster_titles[best])
        matching = [r for r in others if gender and _gender(cluster_titles[r]) == gender]
        if len(cluster_articles[best]) < _DOMINANCE * rest:
            why = f"no one of them is named in {_DOMINANCE} times as many articles as the others"
        elif gender and best_gender and best_gender != gender:
            why = f"its titles say {gender}, and the most named of them is {best_gender}"
        elif gender and not best_gender and matching:
            why = f"its titles say {gender}, as those of a less named one do, not those of the most named"
        else:
            join(best, key, "dominant-surname")
            continue
        refused.append(_Refusal(key, tuple(ranked), why))


def _title_genders(node: _Node) -> Counter[str]:
    """How the titles written before a name ("Mrs. Obama", "Mr Obama") and its given name ("Michelle") sex it."""
    out = _genders_of(node.titles)
    words = node.name_words
    sex = given_name_sex(words[0]) if len(words) >= 2 else None
    if sex in {"male", "female"}:
        out[sex] += sum(node.forms.values())
    return out


def _genders_of(titles: Mapping[str, int]) -> Counter[str]:
    out: Counter[str] = Counter()
    for title, n in titles.items():
        if title in _FEMALE_TITLES:
            out["female"] += n
        elif title in _MALE_TITLES:
            out["male"] += n
    return out


def _gender(votes: Counter[str]) -> str | None:
    """The sex the titles say, when they say one clearly (two to one)."""
    f, m = votes.get("female", 0), votes.get("male", 0)
    if f >= 2 * m and f:
        return "female"
    if m >= 2 * f and m:
        return "male"
    return None


def _make_entity(
    members: list[_Node],
    edges: list[tuple[str, str, str]],
    short_joins: Mapping[tuple[str, str], set[str]],  # this cluster's in-article surname joins
    alias_label: Mapping[str, str],
) -> ResolvedEntity:
    votes: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    form_articles: dict[str, set[str]] = defaultdict(set)
    form_count: Counter[str] = Counter()
    articles: set[str] = set()
    for node in members:
        votes.update(node.votes)
        labels.update(node.labels)
        articles |= node.articles
        for form, n in node.forms.items():
            form_count[form] += n
            form_articles[form] |= node.articles
    kind = _winner(votes)
    keys = {n.key for n in members}
    forced = sorted({alias_label[k] for k in keys if k in alias_label})

    # Short forms joined as acronyms, however an outlet writes them ("Isis", "Us" are ISIS and US).
    short_keys = {b for _, b, rule in edges if rule in {"acronym", "acronym-defined", "nickname"}}
    # A short organisation name gives way to its full name when the full name is used at least half as widely.
    by_key = {n.key: n for n in members}
    for _, b, rule in edges:
        if rule == "short-form-in-article" and b in by_key:
            longest = max((len(n.articles) for n in members if n.key.startswith(b + " ")), default=0)
            if 2 * longest >= len(by_key[b].articles):
                short_keys.add(b)
    short_keys |= {fold(f) for f in form_count if is_acronym_form(f)}

    def rank(form: str) -> tuple:  # type: ignore[type-arg]
        words = len(fold(form).split())
        full = words >= 2 if kind == "person" else True
        initials = words != len(drop_middle_initials(fold(form)).split())
        spelled_out = not any(is_acronym_form(w) for w in form.split()) and fold(form) not in short_keys
        # Full names first, spelled-out names before acronyms, then the most widely used form.
        return (full, spelled_out, len(form_articles[form]), form_count[form], not initials, -len(form), form)

    if forced:
        label = forced[0]
    elif form_count:
        label = max(form_count, key=rank)
    else:  # only short forms joined to a full name seen nowhere on its own (cannot happen; defensive)
        label = members[0].key.title()

    label_key = fold(label)
    shown = {n.key: (max(n.forms, key=lambda f: (n.forms[f], f)) if n.forms else n.key) for n in members}
    reason = _reasons(members, edges, label_key, shown)
    merges: list[MergeRecord] = []
    alt: set[str] = set()
    for node in members:
        for form in sorted(node.forms):
            if form == label:
                continue
            alt.add(form)
            if node.key == label_key or fold(form) == label_key:
                rule, detail = "same-name", f"“{form}” is “{label}” with case, accents or punctuation folded"
            else:
                rule, detail = reason.get(node.key, ("alias-file", f"“{form}” is listed with “{label}”"))
            merges.append(MergeRecord(form, rule, tuple(sorted(node.articles)), detail))
        for titled, arts in sorted(node.titled_forms.items()):
            alt.add(titled)
            merges.append(MergeRecord(titled, "title-stripped", tuple(sorted(arts)), f"“{titled}” names “{label}” with a title or rank"))
    for (_, form), arts in sorted(short_joins.items()):
        alt.add(form)
        merges.append(
            MergeRecord(form, "short-form-in-article", tuple(sorted(arts)), f"“{form}” shortens the full name “{label}” used in the same article")
        )
    place_label = None
    if kind == "place":
        place_counts = Counter({k: v for k, v in labels.items() if k in {"GPE", "LOC", "FAC"}})
        place_label = max(sorted(place_counts), key=lambda k: place_counts[k]) if place_counts else "GPE"
    alt.discard(label)
    return ResolvedEntity(
        kind=kind,
        label=label,
        place_label=place_label,
        alt_labels=tuple(sorted(alt)),
        merges=tuple(_dedupe_merges(merges)),
        article_ids=tuple(sorted(articles)),
        mention_count=sum(n.mentions for n in members),
    )


def _reasons(
    members: list[_Node], edges: list[tuple[str, str, str]], label_key: str, shown: Mapping[str, str]
) -> dict[str, tuple[str, str]]:
    """For each member node, the rule on the path that joined it to the label's node.

    ``edges`` are the joins inside this entity's cluster only.
    """
    keys = {n.key for n in members}
    adj: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for a, b, rule in edges:
        adj[a].append((b, rule))
        adj[b].append((a, rule))
    start = label_key if label_key in keys else min(keys)
    seen = {start: ("", "")}
    queue = deque([start])
    while queue:
        cur = queue.popleft()
        for nxt, rule in sorted(adj[cur]):
            if nxt not in seen:
                seen[nxt] = (rule, _detail(rule, shown[nxt], shown[cur]))
                queue.append(nxt)
    return seen


def _detail(rule: str, form: str, via: str) -> str:
    text = {
        "middle-initial": "differs from “{via}” only by a middle initial",
        "nickname": "is “{via}” with the first name's nickname (Jim for James), and no other pair of the corpus is",
        "middle-name": "is “{via}” without the middle name, and no other person of the corpus has that first and last name",
        "transliteration": "is a transliteration variant of “{via}”",
        "demonym-variant": "differs from “{via}” only in the form of its country word",
        "alias-file": "is listed with “{via}” in the alias file",
        "surname-across-articles": "is the surname of “{via}”, the only person of that surname in the corpus",
        "legal-suffix": "differs from “{via}” only by a legal-form suffix",
        "country-name": "names the same country as “{via}” in the gazetteer (ontology/countries.ttl)",
        "corporate-form": "differs from “{via}” only by words for the company's form or business (Company, Group, Motors)",
        "acronym": "is the acronym of “{via}”, the only or by far the most named name in the corpus with those initials",
        "alias-in-text": "is the other name the text gives “{via}” (“{via}, also known as {form}”)",
        "surname-by-sex": "is the surname of “{via}”, the only person of that surname and of the sex its title gives",
        "dominant-surname": "is the surname of “{via}”, who is named in far more articles than anyone else of that surname",
        "acronym-defined": "is the short form the text defines for “{via}” (“{via} ({form})”)",
    }.get(rule, "joined “{via}”")
    return f"“{form}” " + text.format(via=via, form=form)


def _dedupe_merges(merges: list[MergeRecord]) -> list[MergeRecord]:
    out: dict[tuple[str, str], MergeRecord] = {}
    for m in merges:
        k = (m.form, m.rule)
        if k in out:
            prev = out[k]
            out[k] = MergeRecord(m.form, m.rule, tuple(sorted(set(prev.articles) | set(m.articles))), prev.detail)
        else:
            out[k] = m
    return sorted(out.values(), key=lambda m: (m.form, m.rule))
