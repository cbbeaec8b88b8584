"""Loading of the data-driven word lists that rules use.

Only this module reads lexicon files; extractors receive the loaded values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


def _data_lines(name: str) -> list[str]:
    text = resources.files("kgraph.data").joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@dataclass(frozen=True, slots=True)
class Honorifics:
    """Titles that precede a name; ``leading`` matches one at the start of a string."""

    leading: re.Pattern[str]
    trailing: re.Pattern[str]

    def strip(self, name: str) -> tuple[str | None, int]:
        """The title found at the start of ``name`` and how many characters it spans."""
        m = self.leading.match(name)
        if not m:
            return None, 0
        return m.group("title"), m.end()


def _title_alternation(titles: list[str]) -> str:
    # Longest first so "Major-General" wins over "Major"; "-" and " " are interchangeable
    # and a final "." is optional ("Gen." / "Gen").
    parts = []
    for t in sorted({t.rstrip(".") for t in titles}, key=len, reverse=True):
        words = re.split(r"[\s\-]+", t)
        parts.append(r"[\s\-]+".join(re.escape(w) for w in words))
    return "|".join(parts)


@lru_cache(maxsize=1)
def load_honorifics() -> Honorifics:
    alt = _title_alternation(_data_lines("honorifics.txt"))
    leading = re.compile(rf"(?P<title>(?:{alt})\.?)(?:\s+|(?<=\.))(?=[A-Z\u00C0-\u024F\u0400-\u04FF])", re.IGNORECASE)
    trailing = re.compile(rf"(?P<title>\b(?:{alt})\.?)\s*$", re.IGNORECASE)
    return Honorifics(leading=leading, trailing=trailing)


# --- The attribution lexicon (SKOS, ontology/attribution-lexicon.ttl) ---

_LEXICON_NS = "https://w3id.org/kgraph/lexicon/"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_CITATION_KIND = "https://w3id.org/kgraph/ontology#citationKind"
LEXICON_FILE = "attribution-lexicon.ttl"


@dataclass(frozen=True, slots=True)
class ReportingLexicon:
    """The attribution words, keyed by lowercase lemma.

    ``cue_class`` maps a reporting verb ("deny") to its cue class ("deny", one of
    the top concepts: assert, estimate, confirm, deny, hint, warn, predict, believe,
    accuse, question, ask, intend, support, evidence); multi-word cues ("point out",
    "call for") are keyed by their full lemma string.
    ``record_heads`` are nouns of records that can be a claim's source without
    being anyone ("the poll shows", "according to court documents");
    ``nominal_class`` maps nouns that report a claim ("the accusation that …") to
    the cue class of their verb. ``clause_only`` are cue verbs whose noun-phrase
    object makes another verb ("added fuel", "maintains a program", "appealed the
    case"): they report only with a clause or as a frame ("…, he added").
    """

    cue_class: dict[str, str]
    collective_heads: frozenset[str]
    role_heads: frozenset[str]
    citation_kind: dict[str, str]
    record_heads: frozenset[str] = frozenset()
    nominal_class: dict[str, str] = field(default_factory=dict)
    clause_only: frozenset[str] = frozenset()

    def cue(self, lemma: str) -> str | None:
        return self.cue_class.get(lemma.lower())

    def nominal(self, lemma: str) -> str | None:
        """The cue class of a noun that reports what someone said ("claim", "accusation")."""
        return self.nominal_class.get(lemma.lower())


def _lexicon_triples(source: Traversable) -> list[tuple[str, str, str]]:
    """(subject, predicate, object) values of one Turtle lexicon file; an unreadable file is an InputError."""
    from pyoxigraph import RdfFormat, parse

    from kgraph.errors import InputError

    try:
        data = source.read_bytes()
        return [(t.subject.value, t.predicate.value, t.object.value) for t in parse(input=data, format=RdfFormat.TURTLE)]
    except (OSError, SyntaxError, ValueError) as err:
        raise InputError(str(source), f"cannot read the lexicon: {err}") from None


def ontology_file(name: str) -> Traversable:
    """One file of the package ``kgraph.ontology``: the ontology, the shapes or a lexicon.

    The package is the repository's ``ontology/`` folder, mapped in by pyproject.toml: in an
    editable install the files people edit, in a wheel their installed copy.
    """
    return resources.files("kgraph.ontology").joinpath(name)


def load_reporting_lexicon(extra: tuple[Path, ...] = ()) -> ReportingLexicon:
    """The built-in lexicon plus the user's files (``--lexicon``), merged."""
    return _load_reporting_lexicon(tuple(str(p) for p in extra))


@lru_cache(maxsize=8)
def _load_reporting_lexicon(extra: tuple[str, ...]) -> ReportingLexicon:
    labels: dict[str, list[str]] = {}
    broader: dict[str, str] = {}
    scheme: dict[str, str] = {}
    kind: dict[str, str] = {}
    for path in (ontology_file(LEXICON_FILE), *map(Path, extra)):
        for s, p, o in _lexicon_triples(path):
            if p in (_SKOS + "prefLabel", _SKOS + "altLabel"):
                labels.setdefault(s, []).append(o.strip().lower())
            elif p == _SKOS + "broader":
                broader[s] = o
            elif p == _SKOS + "inScheme":
                scheme[s] = o.removeprefix(_LEXICON_NS)
            elif p == _CITATION_KIND:
                kind[s] = o

    def top(concept: str) -> str:
        seen = set()
        while concept in broader and concept not in seen:
            seen.add(concept)
            concept = broader[concept]
        return concept.removeprefix(_LEXICON_NS)

    cue_class: dict[str, str] = {}
    collective: set[str] = set()
    roles: set[str] = set()
    records: set[str] = set()
    nominal: dict[str, str] = {}
    citation_kind: dict[str, str] = {}
    clause_only: set[str] = set()
    for concept, words in labels.items():
        sch = scheme.get(concept)
        if sch == "reporting-cues":
            for w in words:
                cue_class.setdefault(w, top(concept))
        elif sch == "collective-sources":
            collective.update(words)
        elif sch == "roles":
            roles.update(words)
        elif sch == "record-sources":
            records.update(words)
        elif sch == "nominal-cues":
            for w in words:
                nominal.setdefault(w, top(concept))
        elif sch == "citation-cues" and concept in kind:
            for w in words:
                citation_kind.setdefault(w, kind[concept])
        elif sch == "clause-cues":
            clause_only.update(words)
    return ReportingLexicon(
        cue_class, frozenset(collective), frozenset(roles), citation_kind, frozenset(records), nominal, frozenset(clause_only)
    )


# --- The event lexicon (SKOS, ontology/event-lexicon.ttl) ---

EVENT_LEXICON_FILE = "event-lexicon.ttl"
_KG = "https://w3id.org/kgraph/ontology#"
MODALITIES = ("happened", "ongoing", "planned", "expected", "hypothetical", "denied")


@dataclass(frozen=True, slots=True)
class EventLexicon:
    """Event classes and their triggers, keyed by lowercase lemma.

    ``verb_class``/``noun_class`` map a trigger lemma (or a two-word "verb particle" /
    "modifier noun" string) to its class id (``withdrawal``); ``of_role`` says whether
    "the X of Y" makes Y the agent or the patient; ``needs_quantity`` lists classes
    whose triggers count only beside a number; ``modality`` maps a cue lemma to the
    modality it gives a governed event (planned, expected, hypothetical, denied).
    """

    verb_class: dict[str, str]
    noun_class: dict[str, str]
    class_label: dict[str, str]
    of_role: dict[str, str]
    needs_quantity: frozenset[str]
    modality: dict[str, str]
    place_nouns: frozenset[str]
    light_verbs: frozenset[str]
    object_heads: dict[str, frozenset[str]]
    campaigns: frozenset[str]

    def trigger_class(self, lemma: str, noun: bool) -> str | None:
        return (self.noun_class if noun else self.verb_class).get(lemma.lower())


def load_event_lexicon(extra: tuple[Path, ...] = ()) -> EventLexicon:
    """The built-in event lexicon plus the user's files, merged (the built-in file is read first)."""
    return _load_event_lexicon(tuple(str(p) for p in extra))


def extraction_lexicons() -> tuple[Honorifics, ReportingLexicon, EventLexicon]:
    """The loaded word lists extraction reads: what ``extract_article`` takes after the Doc.

    One function, so that the build, its worker processes and the findings cache key all
    extract with (and digest) the same lists.
    """
    return load_honorifics(), load_reporting_lexicon(), load_event_lexicon()


@lru_cache(maxsize=8)
def _load_event_lexicon(extra: tuple[str, ...]) -> EventLexicon:
    verbs: dict[str, str] = {}
    nouns: dict[str, str] = {}
    label: dict[str, str] = {}
    of_role: dict[str, str] = {}
    quantity: set[str] = set()
    modality: dict[str, str] = {}
    places: set[str] = set()
    light: set[str] = set()
    objects: dict[str, set[str]] = {}
    campaigns: set[str] = set()
    scheme: dict[str, str] = {}
    triples: list[tuple[str, str, str]] = []
    for path in (ontology_file(EVENT_LEXICON_FILE), *map(Path, extra)):
        triples.extend(_lexicon_triples(path))
    for s, p, o in triples:
        if p == _SKOS + "inScheme":
            scheme[s] = o.removeprefix(_LEXICON_NS)
    for s, p, o in triples:
        cls = s.removeprefix(_LEXICON_NS)
        word = " ".join(o.lower().split())
        if scheme.get(s) == "event-classes":
            if p == _KG + "verbTrigger":
                verbs.setdefault(word, cls)
            elif p == _KG + "nounTrigger":
                nouns.setdefault(word, cls)
            elif p == _SKOS + "prefLabel":
                label.setdefault(cls, o)
            elif p == _KG + "ofRole":
                of_role[cls] = o.removeprefix(_KG)
            elif p == _KG + "needsQuantity" and o == "true":
                quantity.add(cls)
            elif p == _KG + "campaign" and o == "true":
                campaigns.add(cls)
            elif p == _KG + "objectHead":
                objects.setdefault(cls, set()).add(word)
        elif scheme.get(s) == "modality-cues" and p in (_SKOS + "prefLabel", _SKOS + "altLabel"):
            modality.setdefault(word, cls)
        elif scheme.get(s) == "place-nouns" and p in (_SKOS + "prefLabel", _SKOS + "altLabel"):
            places.add(word)
        elif scheme.get(s) == "light-verbs" and p in (_SKOS + "prefLabel", _SKOS + "altLabel"):
            light.add(word)
    return EventLexicon(
        verbs, nouns, label, of_role, frozenset(quantity), modality, frozenset(places), frozenset(light),
        {cls: frozenset(words) for cls, words in objects.items()}, frozenset(campaigns),
    )


# --- The claim lexicon (SKOS, ontology/claim-lexicon.ttl) ---

CLAIM_LEXICON_FILE = "claim-lexicon.ttl"


@dataclass(frozen=True, slots=True)
class ClaimLexicon:
    """What claims are compared by: predicate classes and their oppositions, hedges, rejection words, claim nouns.

    ``predicate_class`` maps a lemma (or "verb particle") to its class id (``leave``);
    ``opposes`` maps a class to the classes it contradicts (symmetric); ``tolerance`` is
    how far two figures for one thing may differ (larger / smaller - 1) before they contradict.
    """

    predicate_class: dict[str, str]
    opposes: dict[str, frozenset[str]]
    hedges: frozenset[str]
    rejections: frozenset[str]
    non_claims: frozenset[str]
    tolerance: float
    claim_nouns: frozenset[str] = frozenset()  # "the reports", "the allegation": what a rejection names, not what it rejects
    veridical: frozenset[str] = frozenset()  # "true", "accurate", "plausible": said not to hold of a claim, they reject it
    word_families: Mapping[str, str] = field(default_factory=dict)  # "death", "dead" -> "die": one happening, one word


def load_claim_lexicon(extra: tuple[Path, ...] = ()) -> ClaimLexicon:
    """The built-in claim lexicon plus the user's files, merged."""
    return _load_claim_lexicon(tuple(str(p) for p in extra))


@lru_cache(maxsize=8)
def _load_claim_lexicon(extra: tuple[str, ...]) -> ClaimLexicon:
    triples: list[tuple[str, str, str]] = []
    for path in (ontology_file(CLAIM_LEXICON_FILE), *map(Path, extra)):
        triples.extend(_lexicon_triples(path))
    scheme = {s: o.removeprefix(_LEXICON_NS) for s, p, o in triples if p == _SKOS + "inScheme"}
    classes: dict[str, str] = {}
    opposes: dict[str, set[str]] = {}
    hedges: set[str] = set()
    rejections: set[str] = set()
    non_claims: set[str] = set()
    claim_nouns: set[str] = set()
    veridical: set[str] = set()
    families: dict[str, str] = {}
    tolerance = 0.5
    for s, p, o in triples:
        concept = s.removeprefix(_LEXICON_NS)
        word = " ".join(o.lower().split())
        is_label = p in (_SKOS + "prefLabel", _SKOS + "altLabel")
        if scheme.get(s) == "predicate-classes":
            if is_label:
                classes.setdefault(word, concept)
            elif p == _KG + "opposes":
                other = o.removeprefix(_LEXICON_NS)
                opposes.setdefault(concept, set()).add(other)
                opposes.setdefault(other, set()).add(concept)
        elif concept == "hedges" and is_label:
            hedges.add(word)
        elif concept == "rejections" and is_label:
            rejections.add(word)
        elif concept == "non-claims" and is_label:
            non_claims.add(word)
        elif concept == "claim-nouns" and is_label:
            claim_nouns.add(word)
        elif concept == "veridical" and is_label:
            veridical.add(word)
        elif scheme.get(s) == "word-families" and p == _SKOS + "altLabel":
            families.setdefault(word, s)  # the first family a form is given to keeps it
        elif p == _KG + "tolerance":
            try:
                tolerance = float(o)
            except ValueError:
                from kgraph.errors import InputError

                raise InputError(s, f"kg:tolerance must be a number, not {o!r}") from None
    return ClaimLexicon(
        classes, {k: frozenset(v) for k, v in opposes.items()}, frozenset(hedges), frozenset(rejections),
        frozenset(non_claims), tolerance, frozenset(claim_nouns), frozenset(veridical),
        _headwords(triples, scheme, families),
    )


def _headwords(triples: Sequence[tuple[str, str, str]], scheme: Mapping[str, str], forms: Mapping[str, str]) -> dict[str, str]:
    """Each derived form of a word family to the family's headword (its skos:prefLabel)."""
    head = {s: " ".join(o.lower().split()) for s, p, o in triples if p == _SKOS + "prefLabel" and scheme.get(s) == "word-families"}
    return {form: head[concept] for form, concept in forms.items() if concept in head and head[concept] != form}
