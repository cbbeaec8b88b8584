"""Entity mentions from spaCy NER, cleaned into names a reader would accept.

spaCy's small English model over-spans and mislabels news names in ways that
matter for a graph: ranks glued to names ("Major-General Kyrylo Budanov" as
ORG), a person appended to an organisation ("the Defense Intelligence of the
Ministry of Defense Kyrylo Budanov"), possessives ("Kyiv's"), line breaks and
dashes inside a span, lowercase fragments ("north-west bank"). This module
repairs spans and records the contextual evidence (a title, a locative
preposition) that :mod:`kgraph.resolve.entities` later uses to vote on each entity's
type across all its mentions. It never decides identity across mentions.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from kgraph.extract.text import doc_sentence_spans, doc_text
from kgraph.lexicons import Honorifics
from kgraph.gazetteer import demonym_code

__all__ = ["KIND_OF_LABEL", "EntityMention", "defined_acronym", "doc_sentences", "extract_entity_mentions", "sentence_bounds"]

# spaCy label -> the schema.org kind it maps to (DESIGN.md §3).
KIND_OF_LABEL: dict[str, str] = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "EVENT": "event",
}

# A name governed by one of these prepositions is evidence of a place ("in Kherson").
# "from", "to" and "at" are left out: people and bodies follow them as often as places.
_LOCATIVE_PREPS = frozenset(
    {"in", "into", "onto", "across", "near", "outside", "inside", "around", "toward", "towards", "throughout", "within", "beyond"}
)
# Head nouns that make their modifier a place ("Kherson region", "the city of Kherson").
_PLACE_NOUNS = frozenset(
    {"city", "region", "oblast", "town", "village", "province", "district", "river", "port", "capital", "country",
     "bank", "peninsula", "county", "state", "sea", "lake", "island", "bay", "strait", "valley", "mountains", "dam"}
)
# Nouns a name modifies only when it names an organisation or a platform ("Twitter account",
# "Apple shares", "Facebook users"); a person has followers too, but not a website or shareholders.
_ORG_NOUNS = frozenset(
    {"account", "accounts", "user", "users", "page", "feed", "handle", "app", "platform", "shares", "stock",
     "shareholders", "headquarters", "employees", "website", "site", "timeline", "channel", "subscribers",
     # a group's people: "Boko Haram militants", "Hamas fighters", "Taliban commanders"
     "militants", "fighters", "insurgents", "rebels", "members", "commanders", "leadership", "stronghold", "strongholds"}
)
# "posted on Twitter", "a video on YouTube": "on" after a verb of publishing or a noun for a post
# names a platform; "called on Obama", "pressure on Obama" do not.
_ON_PLATFORM_HEADS = frozenset(
    {"post", "write", "say", "share", "announce", "publish", "upload", "tweet", "appear", "reveal", "broadcast",
     "stream", "trend", "circulate", "spread", "message", "comment", "photo", "picture", "video", "statement",
     "update", "status", "followers", "profile", "live", "viral"}
)
_LEADING_DROP = frozenset({"the", "a", "an"})
_PRONOUNS = frozenset({"us", "we", "our", "it", "he", "she", "they", "them", "you", "me", "i", "him", "her", "his", "its", "their"})
# Lowercase particles inside personal names ("von der Leyen", "de Gaulle", "bin Salman").
_NAME_PARTICLES = frozenset({"von", "van", "der", "den", "de", "du", "des", "la", "le", "di", "da", "dos", "del", "bin", "ibn", "al", "ter"})
# Separators after which a span continues with something that is not the name
# ("Kadyrov – Chechen dictator").
_SPLIT_RE = re.compile(r"\s+[–—-]\s+|\n|\s{2,}")
# Page furniture and credits that NER sometimes tags ("No More Posts Available", "Video / Supplied").
_FURNITURE_RE = re.compile(
    r"/|\||\bposts\b|\bpages\b|\bviews\b|\bsubscribe|\bnewsletter|\badvertisement|\bclick\b|\bread more\b|\bcookies?\b",
    re.IGNORECASE,
)
# "Post", "Page" and "View" end real names (Washington Post, Larry Page, Mountain View) and also
# navigation ("Next Post", "Home Page"): they pass only last, after a name word that is no navigation.
_FURNITURE_WORD_RE = re.compile(r"\b(?:post|page|view)\b", re.IGNORECASE)
_NAVIGATION = frozenset(
    {"next", "previous", "prev", "older", "newer", "home", "front", "full", "this", "last", "first", "main", "top",
     "back", "print", "single", "sponsored", "related", "share", "web", "mobile", "original"}
)
# Characters that may start a name (uppercase Latin, Greek, Cyrillic, or a digit: "3M").
_NAME_START_RE = re.compile(r"(?:[ae]l-)?[A-Z0-9\u00C0-\u00DE\u0391-\u03A9\u0400-\u042F]")
_GLUED_VERB_RE = re.compile(r"(?<=[a-z]{3})(?:reported|reports|said|says|told|added|wrote|contributed)$")
# Nouns a name modifies when it names a product, a weapon or a vehicle ("Iskander missiles",
# "Boeing 737 jets"): such a name is no person, whatever NER said.
_PRODUCT_NOUNS = frozenset(
    {"missile", "missiles", "rocket", "rockets", "launcher", "launchers", "system", "systems", "tank", "tanks", "jet",
     "jets", "drone", "drones", "aircraft", "helicopter", "helicopters", "warship", "submarine", "phone", "phones",
     "smartphone", "car", "cars", "truck", "trucks", "rifle", "rifles", "vaccine", "vaccines"}
)
_MIDDLE_INITIAL_RE = re.compile(r"^[A-Z]\.?$")
# "(GM)", "( ISIS )", "(the IAEA)": a parenthesis holding one short form, not followed by a dash
# (a dateline: "KYIV (Reuters) –").
# "X, also known as Y", "X (aka Y)", "X, otherwise known as the Y".
_ALIAS_RE = re.compile(
    r"(?:\s+(?:group|party|movement|militia|company|network))?\s*[,(]?\s*"
    r"(?:also known as|otherwise known as|aka|a\.k\.a\.?|also called|formerly known as)\s+(?:the\s+)?",
    re.IGNORECASE,
)
_PARENTHESIS_RE = re.compile(r"\(\s*(?:the\s+)?[A-Za-z0-9][A-Za-z0-9.&]{1,11}\s*\)")
_WORD_RE = re.compile(r"[\w.&'’-]+")
_ACRONYM_INNER = frozenset({"of", "and", "for", "the", "on", "de", "du", "des", "la", "le", "&"})
_DEFINED_ACRONYM_RE = re.compile(r"\s*\(\s*(?:the\s+)?([A-Za-z0-9][A-Za-z0-9.&]{1,11})\s*\)(?!\s*[-–—:])")


@dataclass(frozen=True, slots=True)
class EntityMention:
    """One occurrence of a named entity in an article.

    ``text`` is exactly ``article_text[start:end]``. ``title`` is an honorific
    or rank found before the name (kept as evidence, not as part of the name).
    ``place_cue`` says the context marks the name as a place.
    """

    start: int
    end: int
    text: str
    label: str
    sent_start: int
    sent_end: int
    title: str | None = None
    place_cue: bool = False
    org_cue: bool = False  # the context marks the name as an organisation or platform ("posted on Twitter", "Apple shares")
    after_on: bool = False  # the object of "on" after a verb: a platform or a person ("wrote on X", "called on X")
    propagated: bool = False  # found by name matching (see extract/propagate.py), not by NER
    acronym: str | None = None  # the short form the text defines right after the name: "General Motors (GM)"
    alias: str | None = None  # the other name the text gives right after it: "Islamic State, also known as ISIL"

    @property
    def kind(self) -> str:
        return KIND_OF_LABEL[self.label]


def doc_sentences(doc: Doc, text: str | None = None) -> tuple[tuple[int, int], ...]:
    """Character offsets of every sentence of ``doc``, whitespace trimmed, in order."""
    text = doc_text(doc) if text is None else text
    return tuple(sentence_bounds(text, start, end) for start, end in doc_sentence_spans(doc))


def extract_entity_mentions(
    doc: Doc, honorifics: Honorifics, sentences: Sequence[tuple[int, int]] | None = None
) -> tuple[EntityMention, ...]:
    """All usable entity mentions of ``doc``, in text order, offsets exact.

    ``sentences`` (from :func:`doc_sentences`) may be passed when the caller has them already.
    """
    text = doc_text(doc)
    person_tokens = _person_name_tokens(doc)
    # Looked up by offset: ``Span.sent`` re-walks the Doc on every call.
    sentences = doc_sentences(doc, text) if sentences is None else sentences
    sent_starts = [start for start, _ in sentences]

    def sentence_of(span: Span) -> tuple[int, int]:
        k = bisect.bisect_right(sent_starts, span.root.idx) - 1
        return sentences[k] if k >= 0 else (0, len(text))

    found: list[EntityMention] = []
    ents = _join_of_names(doc, _join_name_particles(doc, list(doc.ents)))
    for i, ent in enumerate(ents):
        if ent.label_ not in KIND_OF_LABEL:
            continue
        span = _absorb_demonym(doc, ents[i - 1] if i else None, ent)
        for piece, label in _split_trailing_person(span, person_tokens, honorifics):
            mention = _clean(text, piece, label, honorifics, sentence_of(piece))
            if mention is not None:
                found.append(mention)
    found = _with_acronym_definitions(text, found, sentences)
    found = _with_aliases(text, found)
    found = _unglue_places(found)
    return tuple(sorted(set(found), key=lambda m: (m.start, m.end)))


def _with_aliases(text: str, found: list[EntityMention]) -> list[EntityMention]:
    """Record the other name a text gives a name: "the Islamic State, also known as ISIL, ..."."""
    by_start = {m.start: m for m in found}
    out = []
    for m in found:
        match = _ALIAS_RE.match(text, m.end, min(len(text), m.end + 40))
        other = by_start.get(match.end()) if match else None
        if other is not None and other.label != "PERSON" and m.label != "PERSON" and other.text != m.text:
            m = replace(m, alias=other.text)
        out.append(m)
    return out


def _unglue_places(found: list[EntityMention]) -> list[EntityMention]:
    """"Flee Kherson" (a headline's verb glued to a city, tagged PERSON) -> the place Kherson.

    A person's name ends with a place the same article names as a place, and its
    first words are in no other person's name of the article: those words are no name.
    """
    places = {m.text: m.label for m in found if m.label in {"GPE", "LOC"}}
    person_words = [set(m.text.split()) for m in found if m.label == "PERSON"]
    out = []
    for m in found:
        words = m.text.split()
        if m.label == "PERSON" and len(words) >= 2 and not m.title:
            for k in range(1, len(words)):
                tail, lead = " ".join(words[k:]), words[:k]
                others = [w for w in person_words if w != set(words)]
                if tail in places and not any(set(lead) & w for w in others):
                    start = m.end - len(tail)
                    m = replace(m, start=start, text=tail, label=places[tail])
                    break
        out.append(m)
    return out


def _with_acronym_definitions(text: str, found: list[EntityMention], sentences: Sequence[tuple[int, int]]) -> list[EntityMention]:
    """Mark every name the text defines a short form for, adding the name where NER missed it.

    "the Islamic State (ISIS)" often comes out of NER as ISIS alone; the text itself
    says the capitalised words before the parenthesis are a name, of ISIS's kind.
    """
    by_end = {m.end: m for m in found if m.label != "PERSON"}
    out = [m for m in found if m.end not in by_end]
    defined: dict[int, EntityMention] = {}
    for m in by_end.values():
        acronym = defined_acronym(text, m)
        defined[m.end] = replace(m, acronym=acronym) if acronym else m
    starts = [a for a, _ in sentences]
    for match in _PARENTHESIS_RE.finditer(text):
        end = match.start()
        while end > 0 and text[end - 1].isspace():
            end -= 1
        known = defined.get(end)
        if known is not None and known.acronym and _spells([c for c in known.acronym if c.isalnum()], known.text):
            continue
        # NER may have cut the name ("Iraq and the Levant" of "Islamic State of Iraq and the Levant (ISIL)").
        found_long = _defined_long_form(text, end)
        if found_long is None or (known is not None and end - len(found_long[0]) >= known.start):
            continue
        long, acronym = found_long
        start = end - len(long)
        short = next((m for m in found if m.start > end and m.text == acronym and m.start - end < 8), None)
        if short is not None and short.label == "PERSON":
            continue
        # People are not abbreviated: a run that holds a person's name defines nothing ("Tay’Sh’awn (TSA)").
        if any(m.label == "PERSON" and m.start < end and start < m.end for m in found):
            continue
        k = bisect.bisect_right(starts, start) - 1
        sent = sentences[k] if k >= 0 else (0, len(text))
        label = short.label if short is not None else known.label if known is not None else "ORG"
        out = [m for m in out if not (start <= m.start and m.end <= end)]
        for e in [e for e, m in defined.items() if start <= m.start and m.end <= end]:
            del defined[e]
        defined[end] = EntityMention(start, end, long, label, sent[0], sent[1], acronym=acronym)
    return [*out, *defined.values()]


def _defined_long_form(text: str, end: int) -> tuple[str, str] | None:
    """The shortest run of two or more capitalised words ending at ``end`` that the parenthesis after it spells.

    "Fighters of the Islamic State (ISIS)" gives "Islamic State", not "Fighters of the Islamic State".
    """
    run = _capitalised_run(text, end)
    if run is None:
        return None
    words = list(_WORD_RE.finditer(run))
    for i in range(len(words) - 2, -1, -1):
        if not words[i].group()[:1].isupper():
            continue
        long = run[words[i].start() :]
        acronym = defined_acronym(text, EntityMention(end - len(long), end, long, "ORG", 0, 0))
        if acronym is not None:
            return long, acronym
    return None


def _capitalised_run(text: str, end: int) -> str | None:
    """The capitalised words (with inner "of", "and", "for") ending at ``end``: "Islamic State"."""
    words = list(_WORD_RE.finditer(text, max(0, end - 120), end))
    run: list[re.Match[str]] = []
    for w in reversed(words):
        if run and w.end() != run[-1].start() - 1:
            break
        if w.group()[:1].isupper():
            run.append(w)
        elif w.group() in _ACRONYM_INNER and run:
            run.append(w)
        else:
            break
    while run and not run[-1].group()[:1].isupper():
        run.pop()
    if not run or run[0].end() != end:
        return None
    return text[run[-1].start() : end]


def defined_acronym(text: str, mention: EntityMention) -> str | None:
    """The short form a text defines in parentheses right after a name: "General Motors (GM)".

    The test is Schwartz and Hearst's (2003): every letter of the short form occurs
    in the long form in order, the first one at the start of a word, read right to
    left. So "the Islamic State (ISIS)" and "National Highway Traffic Safety
    Administration (NHTSA)" define theirs, while a dateline ("Moscow (RT) –"), a
    ticker ("(NYSE: F)") or a party ("(R)") do not. People are not abbreviated in news.
    An organisation may also take capitals that spell its name in another language
    ("People's Protection Units (YPG)", from the Kurdish).
    """
    match = _DEFINED_ACRONYM_RE.match(text, mention.end, min(len(text), mention.end + 20))
    if match is None:
        return None
    short = match.group(1)
    letters = [c for c in short if c.isalnum()]
    # Written as an acronym ("GM", "U.S.", "NHTSA") or, as some outlets do, capitalised ("Isis", "Nato").
    written_short = sum(c.isupper() for c in letters) >= 2 or (len(letters) >= 3 and short.isalpha() and short.istitle())
    if not written_short or len(letters) > 10 or _fold_letters(short) == _fold_letters(mention.text):
        return None
    if _spells(letters, mention.text):
        return short
    # An organisation's acronym may spell its name in another language: "People's Protection Units (YPG)".
    return short if mention.label == "ORG" and short.isupper() and short.isalpha() and 2 <= len(short) <= 6 else None


def _fold_letters(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum())


def _spells(letters: Sequence[str], long_form: str) -> bool:
    """Do ``letters`` occur in ``long_form`` in order, the first of them at a word start?"""
    long = long_form.lower()
    j = len(long) - 1
    for k in range(len(letters) - 1, -1, -1):
        c = letters[k].lower()
        while j >= 0 and (long[j] != c or (k == 0 and j > 0 and long[j - 1].isalnum())):
            j -= 1
        if j < 0:
            return False
        j -= 1
    return True


def _join_name_particles(doc: Doc, ents: list[Span]) -> list[Span]:
    """Rejoin a person's name that NER cut at a particle ("Ursula von der" + "Leyen").

    A PERSON entity followed, across nothing but lowercase name particles, by a
    capitalised entity is one name, when at least one particle sits between the
    first names and the rest ("Charles de Gaulle", "Vincent van Gogh").
    """

    def joined(ent: Span, nxt: Span) -> str | None:
        if ent.label_ != "PERSON" or not nxt[0].is_title or nxt.start - ent.end > 3:
            return None
        gap = doc[ent.end : nxt.start]
        particles = [t for t in (*ent, *gap) if t.lower_ in _NAME_PARTICLES and t.is_lower]
        if all(t.lower_ in _NAME_PARTICLES and t.is_lower for t in gap) and particles and (len(gap) or ent[-1].lower_ in _NAME_PARTICLES):
            return "PERSON"
        return None

    return _join_adjacent(doc, ents, joined)


def _join_of_names(doc: Doc, ents: list[Span]) -> list[Span]:
    """Rejoin an organisation NER cut at "of": "Islamic State" + "of" + "Iraq and the Levant".

    An ORG followed by "of" (or "of the") and a capitalised ORG or place is one name.
    """

    def joined(ent: Span, nxt: Span) -> str | None:
        if ent.label_ == "ORG" and nxt.label_ in {"ORG", "GPE", "LOC"} and nxt[0].is_title:
            if [t.lower_ for t in doc[ent.end : nxt.start]] in (["of"], ["of", "the"]):
                return "ORG"
        return None

    return _join_adjacent(doc, ents, joined)


def _join_adjacent(doc: Doc, ents: list[Span], joined: Callable[[Span, Span], str | None]) -> list[Span]:
    """Each entity with the next one as one span of the label ``joined`` gives the pair (None: apart)."""
    out: list[Span] = []
    i = 0
    while i < len(ents):
        ent = ents[i]
        nxt = ents[i + 1] if i + 1 < len(ents) else None
        label = joined(ent, nxt) if nxt is not None else None
        if label is not None and nxt is not None:
            out.append(Span(doc, ent.start, nxt.end, label=label))
            i += 2
            continue
        out.append(ent)
        i += 1
    return out


def _person_name_tokens(doc: Doc) -> frozenset[str]:
    """Every token of a PERSON entity in the doc (to spot a person glued to an ORG)."""
    return frozenset(t.text for e in doc.ents if e.label_ == "PERSON" for t in e if t.is_alpha and t.is_title)


def _absorb_demonym(doc: Doc, prev: Span | None, ent: Span) -> Span:
    """"Ukrainian" + "Pravda" -> one ORG "Ukrainian Pravda" when the demonym modifies the ORG.

    The demonym may be a NORP entity or an untagged capitalised adjective right
    before the organisation that modifies it.
    """
    if ent.label_ != "ORG" or ent.start == 0:
        return ent
    tok = doc[ent.start - 1]
    is_demonym = (prev is not None and prev.label_ == "NORP" and prev.end == ent.start and len(prev) == 1) or (
        tok.ent_type_ == "" and tok.tag_ in {"JJ", "NNP"}
    )
    if is_demonym and tok.is_title and tok.dep_ in {"amod", "compound"} and ent.start <= tok.head.i < ent.end:
        return Span(doc, ent.start - 1, ent.end, label=ent.label_)
    return ent


def _split_trailing_person(span: Span, person_tokens: frozenset[str], honorifics: Honorifics) -> list[tuple[Span, str]]:
    """Split "<Organisation> <First> <Last>" into the organisation and the person.

    Only when the last two tokens are proper nouns, the last of them is a person's
    name elsewhere in the article, and an organisation remains in front.
    """
    if span.label_ in {"ORG", "GPE", "FAC"} and len(span) >= 4:
        first, last = span[-2], span[-1]
        if (
            first.pos_ == "PROPN"
            and last.pos_ == "PROPN"
            and first.is_title
            and last.text in person_tokens
            and span[-3].pos_ == "PROPN"
        ):
            doc = span.doc
            org = Span(doc, span.start, span.end - 2, label=span.label_)
            if honorifics.trailing.fullmatch(org.text.strip()):
                return [(span, span.label_)]  # "Major-General Kyrylo Budanov": a rank, not an organisation
            person = Span(doc, span.end - 2, span.end, label="PERSON")
            return [(org, span.label_), (person, "PERSON")]
    return [(span, span.label_)]


def _clean(text: str, span: Span, label: str, honorifics: Honorifics, sentence: tuple[int, int]) -> EntityMention | None:
    start, end = span.start_char, span.end_char
    # A line break or a spaced dash ends the name.
    cut = _SPLIT_RE.search(text, start, end)
    if cut:
        end = cut.start()
    tokens = [t for t in span if t.idx < end]
    while tokens and (tokens[0].lower_ in _LEADING_DROP or tokens[0].is_punct or tokens[0].is_space):
        tokens.pop(0)
    # Leading words that are not names ("Losing Kherson"): verbs and adverbs are never part of one.
    while len(tokens) > 1 and tokens[0].pos_ in {"VERB", "AUX", "ADV", "ADP", "PRON"}:
        tokens.pop(0)
    # A demonym before a person's name is the person's nationality ("Briton David Haines",
    # "Jordanian King Abdullah"), not part of the name.
    if label == "PERSON" and len(tokens) >= 2 and tokens[0].is_title and demonym_code(tokens[0].text):
        tokens.pop(0)
    # A parenthesis NER opened and did not close ends the name ("World Health Organization (WHO").
    opened = next((i for i, t in enumerate(tokens) if t.text == "(" and not any(u.text == ")" for u in tokens[i:])), None)
    if opened is not None:
        tokens = tokens[:opened]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space or tokens[-1].tag_ == "POS" or tokens[-1].lower_ in {"'s", "’s"}):
        tokens.pop()
    if not tokens:
        return None
    start = tokens[0].idx
    end = min(end, tokens[-1].idx + len(tokens[-1].text))
    # A reporting verb glued to the name by a lost space ("Marc Santorareported from Kyiv").
    glued = _GLUED_VERB_RE.search(text, tokens[-1].idx, end)
    if glued and glued.end() == end:
        end = glued.start()
    name = text[start:end]

    title = None
    found_title, skip = honorifics.strip(name)
    if found_title:
        rest = name[skip:]
        rest_tokens = [t for t in tokens if t.idx >= start + skip]
        # Strip only when a person's name remains ("General Staff" stays an organisation).
        if label == "PERSON" or (len(rest_tokens) >= 2 and all(t.pos_ == "PROPN" or _MIDDLE_INITIAL_RE.match(t.text) for t in rest_tokens)):
            title = found_title
            start += skip
            name = rest
            label = "PERSON"
    else:
        before = honorifics.trailing.search(text, max(0, start - 40), start)
        if before and label == "PERSON":
            title = before.group("title")

    if not _is_name(name) or _is_pronoun_or_demonym(name):
        return None
    kept = [t for t in tokens if t.idx >= start and t.idx < end]
    if not kept:
        return None
    root = span.root
    if label == "PERSON" and root.dep_ in {"compound", "amod", "nmod"} and root.head.lower_ in _PRODUCT_NOUNS:
        return None
    # A lone adjective is a demonym ("Ukrainian" tagged GPE), not a name.
    if len(kept) == 1 and kept[0].pos_ == "ADJ":
        return None
    sent_start, sent_end = sentence
    return EntityMention(
        start=start,
        end=end,
        text=name,
        label=label,
        sent_start=sent_start,
        sent_end=sent_end,
        title=title,
        # A place noun ending the name makes it a place ("Kherson region", "Kherson Oblast") unless NER
        # read the whole name as an organisation's (World Bank, Islamic State, Federal Reserve Bank).
        place_cue=_has_place_cue(root) or (kept[-1].lower_ in _PLACE_NOUNS and (kept[-1].is_lower or label != "ORG")),
        # "Sberbank", "Promsvyazbank", "Commerzbank": a bank's one-word name says what it is.
        org_cue=_has_org_cue(root) or (len(kept) == 1 and len(name) > 6 and name.lower().endswith("bank")),
        after_on=root.dep_ == "pobj" and root.head.lower_ == "on" and root.head.head.pos_ == "VERB",
    )


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """A sentence's offsets without the whitespace spaCy attaches to it."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_name(name: str) -> bool:
    """Reject fragments and furniture: a name starts with a capital and is not boilerplate."""
    if len(name) < 2 or not any(c.isalpha() for c in name):
        return False
    if not _NAME_START_RE.match(name):
        return False
    if _FURNITURE_RE.search(name):
        return False
    words = name.split()
    for i, w in enumerate(words):
        if _FURNITURE_WORD_RE.fullmatch(w.strip(".,")):
            before = words[i - 1] if i else ""
            if i != len(words) - 1 or not before[:1].isupper() or before.lower() in _NAVIGATION:
                return False
    return True


def _is_pronoun_or_demonym(name: str) -> bool:
    """"Us" in "Follow Us On Twitter", "We", "Britons": capitalised, but no name of anyone."""
    if name.isupper() and len(name) <= 3:
        return False  # "US", "IT" are acronyms
    return name.lower() in _PRONOUNS or (" " not in name and demonym_code(name) is not None)


def _has_org_cue(root) -> bool:  # type: ignore[no-untyped-def]
    """Does the syntax around the name's head mark it as an organisation or a platform?"""
    head = root.head
    if root.dep_ in {"compound", "poss"} and head.lower_ in _ORG_NOUNS:
        return True
    return root.dep_ == "pobj" and head.lower_ == "on" and head.head.lemma_.lower() in _ON_PLATFORM_HEADS


def _has_place_cue(root) -> bool:  # type: ignore[no-untyped-def]
    """Does the syntax around the name's head mark it as a place?"""
    head = root.head
    if root.dep_ == "pobj" and head.lower_ in _LOCATIVE_PREPS:
        return True
    # "the city of Kherson": of <- city
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in _PLACE_NOUNS:
        return True
    # "Kherson region", "Kherson city"
    if root.dep_ in {"compound", "nmod", "amod"} and head.lemma_.lower() in _PLACE_NOUNS:
        return True
    return False
