"""Who each claim's speaker and each citation's source is, after entity resolution.

Extraction locates a speaker by offsets ("he" resolved to the mention "Budanov"
at 120-127) or labels a group (``kgraph.extract.speakers`` documents the labels);
this stage turns those into what the corpus knows, a :class:`SpeakerRef`:

- a **person** or an **organisation** is its canonical entity. An organisation
  the corpus cites as an outlet (its reports, its sources: "CNN reported", "a
  CNN report said", "a source told CNN") is also an **outlet**, and "a CNN
  report said" is spoken by CNN itself;
- a **place** speaks for its government ("Moscow claims" -> the group "Moscow
  (government)"), and only a place that is a GPE entity the gazetteers know
  (ontology/countries.ttl, data/places.txt) and not a one-word common noun
  ("State", which the corpus also writes in lower case); a mention NER took for a
  place but that resolution made a person or an organisation speaks as that
  entity, and any other place is no speaker. A nationality that owns a reporting
  noun ("Russian claims that …") is its country's government. No claim is ever
  authored by a place;
- an **unnamed source of an outlet** is one speaker per outlet, across articles:
  "CNN's source", "a source told CNN", "an intelligence source familiar with the
  arrest told CNN", "a CNN source" (when CNN is an outlet) and the anaphors that
  point back to them are all the group ``"CNN source (unnamed)"``, labelled with
  the outlet's canonical name, so every article citing CNN's sources cites one
  node. An article whose metadata names its outlet makes its unattributed
  sources that outlet's. Any other **unnamed source** ("a source close to the
  investigation", "a White House source") is one speaker within its article,
  never joined to another article's;
- a **collective** ("Western officials", "Ferguson police", "residents") is one
  speaker across articles by its label, as a reader names it (with the country its
  premodifiers name, "British officials", when the corpus has that country); one whose label
  holds a possessive pronoun ("his office", "their lawyers") only within its
  article, where the pronoun has its referent. A bare label ("police") still
  joins the police of every article that says just "police": telling them apart
  needs the story each article belongs to, which the corpus does not yet record.

Anything else (an event, a work) is no speaker. An interview named without its
outlet ("gave an interview") is the speaker's one interview with an outlet when
the corpus knows exactly one. The RDF layer (:mod:`kgraph.rdf.attribution`)
only writes what this decides.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from kgraph.extract.attribution import Citation, Claim
from kgraph.extract.entities import EntityMention
from kgraph.extract.findings import ArticleFindings
from kgraph.extract.speakers import GOVERNMENT, PERSON_NOUNS, UNNAMED
from kgraph.ingest.article import Article
from kgraph.lexicons import load_reporting_lexicon
from kgraph.resolve.entities import Resolution, ResolvedEntity
from kgraph.gazetteer import country_code, country_name, demonym_code, nationality_codes, place_code
from kgraph.resolve.names import fold

__all__ = ["ArticleSpeakers", "CommonWords", "SpeakerRef", "SpeakerResolution", "country_entities", "is_specific_label", "premodifier_country",
           "publisher_names", "resolve_speakers"]

#: A mention overlapping the speaker's offsets starts at most this many characters before them.
_LOOKBACK = 200
_SPEAKING_KINDS = frozenset({"person", "organization"})
#: Evidence of a citation that only a news outlet gets (see ``_cited_outlets``).
_JOURNALISM = re.compile(
    r"\b(sources?|insiders?|told|interview|writing|articles?|stor(y|ies)|reporting|broadcasts?|editorials?|pieces?|columns?|"
    r"dispatch(es)?)\b|\breports? (in|published by)\b", re.IGNORECASE)

#: Heads of an unnamed source that is the reporting outlet's own (not "a witness", "a man").
_SOURCE_WORDS = ("source", "insider")
_POSSESSIVE_PRONOUNS = frozenset({"his", "her", "its", "their", "our", "my", "your"})
#: ``SpeakerRef.kind`` of a group.
COLLECTIVE, UNNAMED_SOURCE, GOVERNMENT_KIND = "collective", "unnamed", "government"


@dataclass(frozen=True, slots=True)
class SpeakerRef:
    """A speaker: a canonical entity (its index in ``Resolution.entities``) or a group.

    A group has a ``label`` and a ``kind`` (collective, unnamed, government); ``scope`` is the
    article id of a group known only within that article (a bare collective, an unnamed source
    of no known outlet), None for one shared across articles; ``of`` is the entity it belongs
    to (the outlet of an unnamed source, the place of a government).
    """

    entity: int | None = None
    group: str | None = None
    kind: str | None = None
    scope: str | None = None
    of: int | None = None


def is_specific_label(label: str) -> bool:
    """A label that names whose it is ("Western officials", "White House source"), not a bare "police", "source"."""
    return any(c.isupper() for c in label)


def _article_bound(label: str) -> bool:
    """A collective that only its article can say whose it is: "his office", "their lawyers"."""
    return any(w in _POSSESSIVE_PRONOUNS for w in label.lower().split())


class ArticleSpeakers:
    """Offsets in one article -> the entity or group they stand for."""

    def __init__(
        self,
        article: Article,
        mentions: Sequence[EntityMention],
        resolution: Resolution,
        outlets: frozenset[int] = frozenset(),
        common_word: CommonWords | None = None,
        countries: Mapping[str, int] | None = None,
        organisations: Mapping[str, int] | None = None,
        publishers: Mapping[str, int] | None = None,
    ) -> None:
        self.aid = article.id
        self.article = article
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.mentions]
        self.resolution = resolution
        self.outlets = outlets
        self.common_word = common_word or CommonWords(())
        self.lexicon = lexicon = load_reporting_lexicon()
        self.person_nouns = PERSON_NOUNS | lexicon.role_heads
        self.countries = country_entities(resolution) if countries is None else countries
        self.organisations = organisation_names(resolution) if organisations is None else organisations
        self.publishers = publisher_names(resolution) if publishers is None else publishers

    def entity_at(self, start: int | None, end: int | None) -> int | None:
        """The canonical entity of the mention overlapping ``start``-``end``, if any."""
        if start is None or end is None:
            return None
        i = bisect.bisect_right(self.starts, end) - 1
        while i >= 0 and self.mentions[i].end > start - _LOOKBACK:
            m = self.mentions[i]
            if m.start < end and start < m.end:
                return self.resolution.entity_of_mention.get((self.aid, m.start, m.end))
            i -= 1
        return None

    def speaker_at(self, start: int | None, end: int | None) -> SpeakerRef | None:
        """Who speaks when the mention at these offsets speaks: a person, an organisation, a country's government."""
        idx = self.entity_at(start, end)
        if idx is None:
            return None
        entity = self.resolution.entities[idx]
        if entity.kind == "place":
            return self._government(idx, start)
        return SpeakerRef(entity=idx) if entity.kind in _SPEAKING_KINDS else None

    def _government(self, idx: int, at: int | None = None) -> SpeakerRef | None:
        """A place speaks for its government only when it is a GPE the gazetteers know and no common noun ("State").

        A one-word "place" that is the surname of a person this article names ("Machado" after
        "Alicia Machado") is that person: one name, one sense within an article. A GPE that neither
        the country gazetteer nor the places list knows (NER's "DuVernay", "Bloomberg", "RT", "Daily
        Caller", "Strada" of "Terry Strada") is no government: it speaks as the organisation the
        corpus names so, else not at all.
        """
        entity = self.resolution.entities[idx]
        person = self._person_with_surname(entity.label, at)
        if person is not None:
            return SpeakerRef(entity=person)
        if entity.place_label != "GPE" or self.common_word(entity.label):
            return None
        if not _known_place(entity):
            organisation = self.organisations.get(fold(entity.label))
            return SpeakerRef(entity=organisation) if organisation is not None else None
        return SpeakerRef(group=f"{entity.label}{GOVERNMENT}", kind=GOVERNMENT_KIND, of=idx)

    def _person_with_surname(self, name: str, at: int | None = None) -> int | None:
        """The person entity of this article whose mention ends with the word ``name``.

        When several do ("Alicia Machado" and NER's "Universe Alicia Machado", two entities), the
        name is still a person's, not a place's: the one named last before ``at``, else first after.
        """
        if " " in name.strip():
            return None
        people: list[tuple[int, int]] = []  # (mention start, person entity)
        for m in self.mentions:
            idx = self.resolution.entity_of_mention.get((self.aid, m.start, m.end)) if m.text.endswith(f" {name}") else None
            if idx is not None and self.resolution.entities[idx].kind == "person":
                people.append((m.start, idx))
        if len({i for _, i in people}) <= 1 or at is None:
            return people[0][1] if len({i for _, i in people}) == 1 else None
        before = [i for start, i in people if start < at]
        return before[-1] if before else people[0][1]

    def person_at(self, start: int | None, end: int | None) -> SpeakerRef | None:
        """The person at these offsets (a stated role belongs to a person only)."""
        idx = self.entity_at(start, end)
        if idx is None or self.resolution.entities[idx].kind != "person":
            return None
        return SpeakerRef(entity=idx)

    def claim_authors(self, claim: Claim) -> list[SpeakerRef]:
        """The claim's speakers, its named referent first; a group when it names nobody."""
        nationality = self._nationality_of_nominal(claim)
        if nationality is not None:
            first: SpeakerRef | None = nationality
        elif claim.group is not None and claim.group.endswith(GOVERNMENT):
            first = self._place_speaker(claim.group, claim.speaker_start, claim.speaker_end)
        elif claim.referent_start is not None:
            first = self.speaker_at(claim.referent_start, claim.referent_end)
            if first is not None and first.kind == GOVERNMENT_KIND and not self._named_as_place(claim):
                first = None  # "he said", or "Jenny Town, an analyst" tagged a person here: no government speaks
        else:
            first = self.group_ref(claim.group) if claim.group else None
        found = [first] + [self.speaker_at(s, e) for s, e in claim.co_referents]
        out: list[SpeakerRef] = []
        for ref in found:
            if ref is not None and ref not in out:
                out.append(ref)
        return out

    def _nationality_of_nominal(self, claim: Claim) -> SpeakerRef | None:
        """ "Russian claims that …": a nominal cue whose only speaker is a nationality is its country's government.

        Extraction keeps the adjective as the speaker's text and names no one; the demonym's country
        speaks, as "Russia's claims" would (only for a reporting noun, never "Russian troops said").
        """
        if claim.speaker_kind != "unknown" or claim.group is not None or claim.referent_start is not None:
            return None
        if not claim.speaker_text or not claim.cue_lemma or self.lexicon.nominal(claim.cue_lemma) is None:
            return None
        code = demonym_code(claim.speaker_text)
        return self._country_government(code) if code is not None else None

    def _country_government(self, code: str) -> SpeakerRef | None:
        """The government of the country with this ISO code, labelled as the corpus names the country."""
        idx = self.countries.get(code)
        name = self.resolution.entities[idx].label if idx is not None else country_name(code)
        if name is None:
            return None
        return SpeakerRef(group=f"{name}{GOVERNMENT}", kind=GOVERNMENT_KIND, of=idx)

    def _named_as_place(self, claim: Claim) -> bool:
        """The claim names its speaker by name, and not as a person ("Jenny Town, a research analyst, said").

        NER's label in the sentence is no help here (it reads "Kyiv began briefing" as a person too);
        an apposition headed by a person noun is.
        """
        if claim.speaker_kind != "name" or claim.speaker_text is None:
            return False
        _, comma, rest = claim.speaker_text.partition(",")
        apposition = rest.split(",")[0].lower().split()
        return not (comma and set(apposition) & self.person_nouns)

    def _place_speaker(self, label: str, start: int | None, end: int | None) -> SpeakerRef | None:
        """ "Moscow (government)" as extraction labelled it: what resolution made of the mention "Moscow"."""
        name = label.removesuffix(GOVERNMENT)
        inside = [m for m in self.mentions if m.text == name and start is not None and end is not None and m.start < end and start < m.end]
        anywhere = [m for m in self.mentions if m.text == name]
        for m in inside or anywhere:
            return self.speaker_at(m.start, m.end)
        code = country_code(name)  # "the Saudi government": a country the text names by its demonym only
        if code is not None and country_name(code) == name:
            return self._country_government(code)
        return None  # no mention to say what the name is

    def group_ref(self, label: str) -> SpeakerRef:
        """An extraction group label -> the group it is in the corpus (see the module docstring)."""
        if label.endswith(GOVERNMENT):
            return SpeakerRef(group=label, kind=GOVERNMENT_KIND)
        if not label.endswith(UNNAMED):
            code = premodifier_country(label)
            return SpeakerRef(group=label, kind=COLLECTIVE, scope=self.aid if _article_bound(label) else None,
                              of=self.countries.get(code) if code is not None else None)
        outlet = self._outlet_of_source(label.removesuffix(UNNAMED))
        if outlet is not None:
            return SpeakerRef(group=f"{self.resolution.entities[outlet].label} source{UNNAMED}", kind=UNNAMED_SOURCE, of=outlet)
        description = label.removesuffix(UNNAMED)
        if self.article.outlet and description.endswith(_SOURCE_WORDS) and not is_specific_label(description):
            return self._publisher_source()  # "a source close to the talks said", in an article of The Guardian
        return SpeakerRef(group=label, kind=UNNAMED_SOURCE, scope=self.aid)

    def _outlet_of_source(self, description: str) -> int | None:
        """ "CNN source" -> the entity CNN, when a mention of this article reads "CNN" and the corpus cites it as an outlet."""
        name = description.removesuffix(" source")
        if name == description:
            return None
        key = fold(name)
        for m in self.mentions:
            if fold(m.text) == key:
                idx = self.resolution.entity_of_mention.get((self.aid, m.start, m.end))
                if idx is not None and idx in self.outlets:
                    return idx
        return None

    def _publisher_source(self) -> SpeakerRef:
        """An unattributed source of an article whose metadata names its outlet is that outlet's source."""
        outlet = self.article.outlet or ""
        idx = self.publishers.get(fold(outlet))
        name = self.resolution.entities[idx].label if idx is not None else outlet
        return SpeakerRef(group=f"{name} source{UNNAMED}", kind=UNNAMED_SOURCE, of=idx)

    def citation_speaker(self, c: Citation) -> SpeakerRef | None:
        """Whose interview, statement or channel a citation names."""
        ref = self.speaker_at(c.speaker_start, c.speaker_end)
        if ref is None and c.speaker_group:
            ref = self.group_ref(c.speaker_group)
        return ref

    def citation_outlet(self, c: Citation) -> SpeakerRef | None:
        """The outlet or platform a citation names, when it is a known entity."""
        return self.speaker_at(c.outlet_start, c.outlet_end)


_NOT_PREMODIFIER = re.compile(r",| (of|on|in|at|for|from|with|including|to|and|about|against|over|who|that)\b")


def premodifier_country(label: str) -> str | None:
    """The one country a collective's premodifiers name ("British officials", "U.S. diplomats", "Mexicans").

    Only words before the head's complements count: "experts on North Korea" are no North
    Koreans, and "Iraq and Afghanistan veterans" (two countries) belong to neither.
    """
    head = _NOT_PREMODIFIER.split(label, maxsplit=1)[0]
    codes = nationality_codes(head)
    return next(iter(codes)) if len(codes) == 1 and " and " not in label.split(",")[0] else None


def _known_place(entity: ResolvedEntity) -> bool:
    """A country, region or city the gazetteers know by the entity's label or one of its forms."""
    return any(country_code(n) is not None or place_code(n) is not None for n in (entity.label, *entity.alt_labels))


def organisation_names(resolution: Resolution) -> dict[str, int]:
    """Folded label -> the one organisation entity of the corpus labelled so (a name NER also took for a place)."""
    found: dict[str, set[int]] = {}
    for i, e in enumerate(resolution.entities):
        if e.kind == "organization":
            found.setdefault(fold(e.label), set()).add(i)
    return {key: next(iter(ids)) for key, ids in found.items() if len(ids) == 1}


def publisher_names(resolution: Resolution) -> dict[str, int]:
    """Folded label or form -> the first organisation entity named so: the outlet an article's metadata names.

    Built once per resolution, not per article: folding every entity's names for each article
    that names its outlet grew with articles times entities.
    """
    found: dict[str, int] = {}
    for i, e in enumerate(resolution.entities):
        if e.kind == "organization":
            for name in (e.label, *e.alt_labels):
                found.setdefault(fold(name), i)
    return found


def country_entities(resolution: Resolution) -> dict[str, int]:
    """ISO code -> the corpus's one GPE entity for that country (its label or a form of it names it)."""
    found: dict[str, set[int]] = {}
    for i, e in enumerate(resolution.entities):
        if e.kind != "place" or e.place_label != "GPE":
            continue
        for name in (e.label, *e.alt_labels):
            code = country_code(name)
            if code is not None:
                found.setdefault(code, set()).add(i)
                break
    return {code: next(iter(ids)) for code, ids in found.items() if len(ids) == 1}


class CommonWords:
    """Whether a one-word name is a common noun: a head noun of the lexicon, or written in lower case in the corpus."""

    def __init__(self, texts: Sequence[str], heads: frozenset[str] = frozenset()) -> None:
        self.texts = texts
        self.heads = heads
        self._seen = lru_cache(maxsize=None)(self._lookup)

    def __call__(self, name: str) -> bool:
        return self._seen(name)

    def _lookup(self, name: str) -> bool:
        if " " in name.strip() or not name.isalpha() or name.islower():
            return False
        lower = name.lower()
        if lower in self.heads:
            return True
        pattern = re.compile(rf"(?<![\w.]){re.escape(lower)}(?!\w)")
        # The plain substring test first: it is a fast scan, and most texts never hold the name in
        # lower case, so the regex (which alone decides) reads only the few that do.
        return any(lower in t and pattern.search(t) for t in self.texts)


@dataclass(frozen=True, slots=True)
class SpeakerResolution:
    """Per-article speaker lookups plus what the whole corpus says about interviews and outlets."""

    resolution: Resolution
    articles: Mapping[str, ArticleSpeakers]
    #: speaker -> the outlets the corpus names for that speaker's interviews
    interview_outlets: Mapping[SpeakerRef, frozenset[SpeakerRef]]
    #: organisations the corpus cites as outlets (their reports, their sources)
    outlets: frozenset[int] = frozenset()

    def interview_outlet(self, speaker: SpeakerRef | None) -> SpeakerRef | None:
        """The one outlet of ``speaker``'s interviews, when the corpus names exactly one."""
        outlets = self.interview_outlets.get(speaker, frozenset()) if speaker is not None else frozenset()
        return next(iter(outlets)) if len(outlets) == 1 else None

    def label(self, ref: SpeakerRef) -> str:
        """What a reader calls this speaker."""
        if ref.group is not None:
            return ref.group
        assert ref.entity is not None  # a SpeakerRef holds one of the two
        return self.resolution.entities[ref.entity].label


def resolve_speakers(
    articles: Sequence[Article],
    findings: Mapping[str, ArticleFindings],
    mentions: Mapping[str, Sequence[EntityMention]],
    resolution: Resolution,
) -> SpeakerResolution:
    """Speaker lookups for every article, the corpus's outlets, and each speaker's interview outlets."""
    common = CommonWords([a.text for a in articles], load_reporting_lexicon().collective_heads | load_reporting_lexicon().role_heads)
    countries, organisations, publishers = country_entities(resolution), organisation_names(resolution), publisher_names(resolution)
    plain = {a.id: ArticleSpeakers(a, mentions[a.id], resolution, common_word=common, countries=countries, organisations=organisations,
                                   publishers=publishers)
             for a in articles}
    outlets = frozenset(_cited_outlets(articles, findings, plain))
    per_article = {a.id: ArticleSpeakers(a, mentions[a.id], resolution, outlets, common, countries, organisations, publishers)
                   for a in articles}
    interviews: dict[SpeakerRef, set[SpeakerRef]] = {}
    for a in articles:
        sp = per_article[a.id]
        for c in findings[a.id].citations:
            if c.kind != "interview":
                continue
            speaker, outlet = sp.speaker_at(c.speaker_start, c.speaker_end), sp.citation_outlet(c)
            if speaker is not None and outlet is not None:
                interviews.setdefault(speaker, set()).add(outlet)
    return SpeakerResolution(resolution, per_article, {k: frozenset(v) for k, v in interviews.items()}, outlets)


def _cited_outlets(articles: Sequence[Article], findings: Mapping[str, ArticleFindings], speakers: Mapping[str, ArticleSpeakers]) -> set[int]:
    """Organisations the corpus shows to be news outlets.

    "X reported", "an X report" and "told X" are said of governments and agencies too (the Kremlin,
    the CDC, the FBI), so they make an outlet only of a name or phrase that says it is one ("Bloomberg
    News", "the Ukrainska Pravda newspaper"). Journalism's own evidence makes any organisation an
    outlet: its unnamed sources ("a source told CNN"), its articles, stories and reporting ("ESPN's
    own reporting"), a report published in it ("a report in the Free Beacon"), an interview with it,
    a writer writing in it; and so does an article's own outlet in its metadata.
    """
    outlet_words = {w for w, kind in load_reporting_lexicon().citation_kind.items() if kind == "outlet"}
    found: set[int] = set()
    for a in articles:
        sp = speakers[a.id]
        for c in findings[a.id].citations:
            if c.kind not in ("outlet", "interview"):
                continue
            idx = sp.entity_at(c.outlet_start, c.outlet_end)
            if idx is None or sp.resolution.entities[idx].kind != "organization":
                continue
            words = set(fold(sp.resolution.entities[idx].label).split()) | set(fold(c.text).split())
            evidence = _JOURNALISM.search(c.text) if c.kind == "outlet" else re.search(r"\binterview", c.text, re.IGNORECASE)
            if evidence or words & outlet_words:  # "told the FBI" by a named person is no outlet; "told the newspaper" is
                found.add(idx)
        if a.outlet:
            publisher = sp._publisher_source().of
            if publisher is not None:
                found.add(publisher)
    return found
