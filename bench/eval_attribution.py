#!/usr/bin/env python3
"""Quote and reported-claim attribution, and citations, of kgraph: measured on the RDF it builds.

What runs: ``kgraph.build.build()`` end to end (ingest, spaCy, extraction,
resolution, RDF, store), once on ``seeds/`` and once on the 60 MEANTIME dev
texts written to a temporary ``.jsonl``. Everything scored is read back from
the store with SPARQL over the union of the named graphs, in the shape
DESIGN.md §3 promises::

    ?claim a schema:Claim ; schema:text ?t ; schema:appearance ?article ;
           kg:isDirectQuote true|false ; kg:content ?span ;      # NIF begin/end offsets
           kg:cue ?cue ; kg:speakerMention ?s ; schema:author ?e .  # each optional
    ?article cito:cites ?source .

So this measures the product, not kgraph's internals. Until the extractor
emits claims, every kgraph number is 0 (that is expected, not a crash).

1. Seeds, against ``bench/gold/attribution_seeds.json`` (guidelines in
   ``bench/gold/README.md``). Gold spans are located in the text kgraph stored
   (``nif:isString``). A predicted claim matches a gold claim of the same
   article when their content spans overlap by at least half of the shorter
   one; pairs are taken one-to-one, greedily, largest overlap first, over
   claims of both kinds (so a direct quote reported as indirect speech is
   still *found*; the kind disagreement is counted apart). Gold items marked
   ``optional`` (borderline: directives, anaphoric or cue-less attribution)
   take part in matching, so predicting them is no error, but they are not in
   any recall denominator. Per gold kind: recall; per predicted kind:
   precision (a prediction counts when matched to a gold item of the same
   kind, or to one marked ``either_kind``: a quoted phrase that is the whole
   object of its cue, "called them “lies”"); speaker accuracy among matched;
   and **found with the right speaker / gold**, the issue's targets (direct
   >= 0.95, reported >= 0.85).

   Speaker rule. Names are folded (lowercase, accents stripped, split into
   words, a leading "the" dropped). The speaker is right when the author's
   ``rdfs:label`` or any ``skos:altLabel`` contains the gold speaker or one
   of its aliases as a word sequence, or, for a ``schema:Person``, when the
   last word of its label is a word of the gold speaker or an alias
   ("General Budanov" -> Budanov). Several authors: right if one is. Gold
   speaker null (agentless passive, indefinite "some"): right iff the claim
   has no ``schema:author``. Also counted (target 0): claims whose author is
   a ``schema:Place`` and claims whose speaker text (``kg:speakerMention``
   anchor or the author label) looks like page furniture.

   Citations: a gold citation is found when its article has ``cito:cites
   ?src`` and one of its ``match`` keywords occurs (at a word start) in the
   folded label or altLabel of ?src, of its ``schema:publisher`` or of its
   ``kg:speaker``. Precision: cited sources matching some gold citation of
   their article / all cited sources.

2. MEANTIME (``/work/shared/data/meantime-dev``, its own ``load.py``). Gold:
   ``speech_attributions(doc)`` items (SPEECH_COGNITIVE cues) with at least
   one Arg0 speaker; the others are skipped and counted. Gold offsets are
   mapped onto the text kgraph stored (ingest drops and re-joins lines). A
   gold item is found when a predicted claim of that article has a cue span
   overlapping the gold cue, or, for a claim without cue, a content span
   containing one of the gold content events. Its speaker is right when the
   claim's author has a mention (``itsrdf:taIdentRef``) in that article
   overlapping any mention of the gold speaker's instance in that document,
   or a label/altLabel that fold-equals the gold ``instance_name``, or, for a
   speaker whose instance has no proper-name mention in the document (an
   unnamed or collective source: "Congressional lawmakers"), a label that
   fold-equals the Arg0 mention as written. Reported:
   cue recall, speaker accuracy on found, attributed recall (found with the
   right speaker / gold). Only some sentences carry speech annotation, so
   precision is restricted to claims whose cue (else content start) lies in
   a sentence holding at least one gold SPEECH_COGNITIVE cue; such a claim is
   right when it overlaps any SPEECH_COGNITIVE cue there (with or without an
   annotated speaker).

3. Baseline: textacy's ``direct_quotations`` on the same stored texts, with
   kgraph's spaCy model. Seeds: direct quotes only, same content matching
   and name rule on the speaker text (the last-word rule when a speaker token
   is a proper noun); pronoun speakers ("he") count as wrong. MEANTIME: cue
   overlap, speaker tokens overlapping a gold speaker mention. textacy raises
   on some inputs (unbalanced quote marks); such documents are counted as
   crashes and give no triples.

Usage (from the repository root)::

    python bench/eval_attribution.py                    # seeds + MEANTIME + baseline, ~1-2 min
    python bench/eval_attribution.py --only seeds --verbose
    python bench/eval_attribution.py --json /tmp/attribution.json --no-baseline
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from eval_entities import (
    import_loader,  # bench/ is on sys.path when a bench script runs
    write_results,
)
from spacy.language import Language
from spacy.tokens import Doc

from kgraph.build import build
from kgraph.ingest.furniture import is_furniture
from kgraph.nlp.pipeline import choose_model, load_pipeline
from kgraph.rdf.store import open_store, select

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
GOLD = REPO / "bench" / "gold" / "attribution_seeds.json"
DEFAULT_MEANTIME = REPO.parent / "shared" / "data" / "meantime-dev"

TARGETS = {"direct": 0.95, "reported": 0.85}  # found with the right speaker / gold
MIN_OVERLAP = 0.5  # of the shorter content span
CLAIM_KINDS = ("direct", "reported")
CITATION_KINDS = frozenset({"outlet", "interview", "statement", "channel", "social-media", "report"})
SCHEMA_PLACE = "https://schema.org/Place"
SCHEMA_PERSON = "https://schema.org/Person"

Span = tuple[int, int]


# --- names ------------------------------------------------------------------


def fold(text: str) -> str:
    """Lowercase, accents stripped, typographic apostrophes made plain."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("’", "'").lower()


def name_words(text: str) -> tuple[str, ...]:
    words = re.findall(r"\w+", fold(text))
    return tuple(words[1:] if words[:1] == ["the"] else words)


def contains_words(hay: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    return n > 0 and any(tuple(hay[i : i + n]) == tuple(needle) for i in range(len(hay) - n + 1))


def name_matches(labels: Sequence[str], gold_names: Sequence[str], *, person: bool) -> bool:
    """A label containing a gold name, or (persons) a label whose last word is in a gold name."""
    golds = [w for w in (name_words(n) for n in gold_names) if w]
    for label in labels:
        words = name_words(label)
        if any(contains_words(words, g) for g in golds):
            return True
    if person and labels:
        last = name_words(labels[0])[-1:]
        return bool(last) and any(last[0] in g for g in golds)
    return False


def keyword_in(keyword: str, label: str) -> bool:
    """``keyword`` occurs in ``label`` (both folded), starting at a word boundary."""
    return re.search(r"(?<!\w)" + re.escape(fold(keyword)), fold(label)) is not None


# Caption and page furniture inside a speaker string: "(file image", "(right)", "Video / Supplied",
# view counters, glued bylines ("Marc Santorareported"), footer widgets.
_FURNITURE_SPEAKER = re.compile(
    r"\((?:file )?(?:image|photo|picture|pictured|right|left|centre|center|above|below)\b"
    r"|\b(?:photo|image|video|footage)\s*[:/|]|\b(?:supplied|getty images|shutterstock|\d[\d,.]*\s*views?)\b"
    r"|[a-z]reported\b|\bcontributed reporting\b|\bno more (?:posts|pages)\b",
    re.IGNORECASE,
)


def looks_like_furniture(text: str) -> bool:
    """A speaker string holding a caption credit or marker, a counter, a byline, or running across paragraphs."""
    s = text.strip()
    return "\n" in s or bool(_FURNITURE_SPEAKER.search(s)) or is_furniture(s)


def overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def overlap_chars(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


_SENTENCE_END = re.compile(r"(?<=[.!?…])[”\"’']?\s+(?=[“\"‘']?[A-Z0-9])|\n+")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Sgt|Maj|Capt|Sen|Rep|Gov|Prof|St|Jr|Sr|No|U\.S|Feb|Aug|Sept?|Oct|Nov|Dec|Jan|Mar|Apr|Jun|Jul))\.$")


def sentence_around(text: str, span: Span, width: int = 260) -> str:
    """The sentence(s) holding ``span``, for display only (a rough splitter that knows a few abbreviations)."""
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text) if not _ABBREVIATION.search(text[max(0, m.start() - 6) : m.start()])]
    begin = max((s for s in starts if s <= span[0]), default=0)
    end = min((s for s in starts if s >= span[1]), default=len(text))
    out = " ".join(text[begin:end].split())
    return out if len(out) <= width else out[: width - 1] + "…"


# --- gold (seeds) -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldClaim:
    index: int
    article: str
    kind: str
    content: str
    speaker: str | None
    aliases: tuple[str, ...]
    optional: bool
    context: str | None
    note: str | None
    either_kind: bool = False  # a judgement call: a prediction of the other kind is accepted too

    def kind_ok(self, predicted_kind: str) -> bool:
        return self.either_kind or predicted_kind == self.kind


@dataclass(frozen=True, slots=True)
class GoldCitation:
    index: int
    article: str
    kind: str
    source: str
    match: tuple[str, ...]
    evidence: str


class GoldError(SystemExit):
    pass


def load_gold(path: Path, seeds: Path) -> tuple[list[GoldClaim], list[GoldCitation]]:
    """Read the gold file and check every span against the seed text it names (exits on the first error)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))}

    def fail(what: str, i: int, problem: str) -> GoldError:
        return GoldError(f"{path}: {what} #{i}: {problem}")

    claims: list[GoldClaim] = []
    for i, c in enumerate(data["claims"]):
        article = c.get("article")
        if article not in texts:
            raise fail("claim", i, f"article {article!r} is not a file stem in {seeds}/")
        if c.get("kind") not in CLAIM_KINDS:
            raise fail("claim", i, f"kind {c.get('kind')!r} is not one of {CLAIM_KINDS}")
        content, context = c["content"], c.get("context")
        where = context if context is not None else content
        if context is not None and content not in context:
            raise fail("claim", i, f"content {content!r} is not inside its context {context!r}")
        count = texts[article].count(where)
        if count == 0:
            raise fail("claim", i, f"{'context' if context else 'content'} {where!r} is not an exact substring of {article}.txt")
        if count > 1:
            raise fail("claim", i, f"{where!r} occurs {count} times in {article}.txt; add a unique 'context' holding it")
        claims.append(
            GoldClaim(i, article, c["kind"], content, c.get("speaker"), tuple(c.get("speaker_aliases", ())),
                      bool(c.get("optional", False)), context, c.get("note"), bool(c.get("either_kind", False)))
        )
    citations: list[GoldCitation] = []
    for i, c in enumerate(data["citations"]):
        article = c.get("article")
        if article not in texts:
            raise fail("citation", i, f"article {article!r} is not a file stem in {seeds}/")
        if c.get("kind") not in CITATION_KINDS:
            raise fail("citation", i, f"kind {c.get('kind')!r} is not one of {sorted(CITATION_KINDS)}")
        if c["evidence"] not in texts[article]:
            raise fail("citation", i, f"evidence {c['evidence']!r} is not an exact substring of {article}.txt")
        if not c.get("match"):
            raise fail("citation", i, "empty 'match' list")
        citations.append(GoldCitation(i, article, c["kind"], c["source"], tuple(k.lower() for k in c["match"]), c["evidence"]))
    return claims, citations


def locate_gold(claim: GoldClaim, stored: str) -> Span | None:
    """The gold content's span in the text kgraph stored (cleaning only drops and re-joins lines)."""
    where = claim.context or claim.content
    at = stored.find(where)
    if at < 0:
        return None
    start = at + where.index(claim.content)
    return start, start + len(claim.content)


# --- predictions, read from the store -----------------------------------------


@dataclass(slots=True)
class PredClaim:
    key: str
    article: str
    text: str | None = None
    direct: bool = False
    quotation: bool = False
    flag: str | None = None  # kg:isDirectQuote as written
    content: Span | None = None
    content_from_text: bool = False  # located by schema:text because kg:content was missing
    cue: Span | None = None
    cue_lemma: str | None = None
    speaker_span: Span | None = None
    speaker_anchor: str | None = None
    authors: set[str] = field(default_factory=set)

    @property
    def kind(self) -> str:
        return "direct" if self.direct else "reported"


@dataclass(frozen=True, slots=True)
class Entity:
    iri: str
    labels: tuple[str, ...]  # rdfs:label first, then skos:altLabel
    types: frozenset[str]

    @property
    def label(self) -> str:
        return self.labels[0] if self.labels else self.iri.rsplit("/", 1)[-1]

    @property
    def person(self) -> bool:
        return SCHEMA_PERSON in self.types

    @property
    def place(self) -> bool:
        return SCHEMA_PLACE in self.types


_CLAIMS_QUERY = """
SELECT ?claim ?id ?text ?direct ?quotation ?cb ?ce ?qb ?qe ?lemma ?sb ?se ?sa ?author WHERE {
  ?claim a schema:Claim ; schema:appearance ?article .
  ?article schema:identifier ?id .
  BIND(EXISTS { ?claim a schema:Quotation } AS ?quotation)
  OPTIONAL { ?claim schema:text ?text }
  OPTIONAL { ?claim kg:isDirectQuote ?direct }
  OPTIONAL { ?claim kg:content ?c . ?c nif:beginIndex ?cb ; nif:endIndex ?ce }
  OPTIONAL { ?claim kg:cue ?q . ?q nif:beginIndex ?qb ; nif:endIndex ?qe }
  OPTIONAL { ?claim kg:cueLemma ?lemma }
  OPTIONAL { ?claim kg:speakerMention ?s . ?s nif:beginIndex ?sb ; nif:endIndex ?se . OPTIONAL { ?s nif:anchorOf ?sa } }
  OPTIONAL { ?claim schema:author ?author }
}
"""
_AUTHORS_QUERY = """
SELECT ?e ?p ?o WHERE {
  { SELECT DISTINCT ?e WHERE { ?c a schema:Claim ; schema:author ?e } }
  ?e ?p ?o . FILTER(?p IN (rdfs:label, skos:altLabel, rdf:type))
}
"""
_AUTHOR_MENTIONS_QUERY = """
SELECT ?e ?id ?b ?end WHERE {
  { SELECT DISTINCT ?e WHERE { ?c a schema:Claim ; schema:author ?e } }
  ?m itsrdf:taIdentRef ?e ; nif:referenceContext ?a ; nif:beginIndex ?b ; nif:endIndex ?end .
  ?a schema:identifier ?id .
}
"""
_TEXTS_QUERY = "SELECT ?id ?text WHERE { ?a a schema:NewsArticle ; schema:identifier ?id ; nif:isString ?text }"
_CITATIONS_QUERY = """
SELECT ?id ?src ?name WHERE {
  ?a a schema:NewsArticle ; schema:identifier ?id ; cito:cites ?src .
  OPTIONAL {
    { ?src rdfs:label ?name } UNION { ?src skos:altLabel ?name }
    UNION { ?src schema:publisher ?o . { ?o rdfs:label ?name } UNION { ?o skos:altLabel ?name } }
    UNION { ?src kg:speaker ?o . { ?o rdfs:label ?name } UNION { ?o skos:altLabel ?name } }
  }
}
"""


def _v(term: Any) -> str | None:
    return None if term is None else str(term.value)


def _span(b: Any, e: Any) -> Span | None:
    return None if b is None or e is None else (int(b.value), int(e.value))


@dataclass(slots=True)
class Built:
    """What one build put in the store, as plain values."""

    texts: dict[str, str]
    claims: list[PredClaim]
    entities: dict[str, Entity]
    author_mentions: dict[str, dict[str, list[Span]]]  # entity -> article -> spans
    citations: dict[str, dict[str, list[str]]]  # article -> source -> names
    build_seconds: float


def read_build(out_dir: Path, build_seconds: float) -> Built:
    store = open_store(out_dir)
    texts = {_v(r["id"]) or "": _v(r["text"]) or "" for r in select(store, _TEXTS_QUERY)}
    claims: dict[str, PredClaim] = {}
    for r in select(store, _CLAIMS_QUERY):
        key = str(r["claim"])
        c = claims.get(key)
        if c is None:
            c = claims[key] = PredClaim(key=key, article=_v(r["id"]) or "")
        c.text = c.text or _v(r["text"])
        flag = _v(r["direct"])
        c.flag = c.flag or flag
        c.quotation = c.quotation or _v(r["quotation"]) == "true"
        c.direct = c.direct or flag in ("true", "1") or c.quotation
        c.content = c.content or _span(r["cb"], r["ce"])
        c.cue = c.cue or _span(r["qb"], r["qe"])
        c.cue_lemma = c.cue_lemma or _v(r["lemma"])
        c.speaker_span = c.speaker_span or _span(r["sb"], r["se"])
        c.speaker_anchor = c.speaker_anchor or _v(r["sa"])
        if r["author"] is not None:
            c.authors.add(str(r["author"].value))
    for c in claims.values():
        text = texts.get(c.article, "")
        if c.content is None and c.text:
            at = text.find(c.text)
            if at >= 0:
                c.content, c.content_from_text = (at, at + len(c.text)), True
        if c.speaker_anchor is None and c.speaker_span is not None:
            c.speaker_anchor = text[c.speaker_span[0] : c.speaker_span[1]]

    labels: dict[str, list[str]] = defaultdict(list)
    alts: dict[str, list[str]] = defaultdict(list)
    types: dict[str, set[str]] = defaultdict(set)
    for r in select(store, _AUTHORS_QUERY):
        e, p, o = str(r["e"].value), str(r["p"].value), str(r["o"].value)
        if p.endswith("#type"):
            types[e].add(o)
        elif p.endswith("#altLabel"):
            alts[e].append(o)
        else:
            labels[e].append(o)
    entities = {
        e: Entity(e, tuple(sorted(labels.get(e, []))) + tuple(sorted(alts.get(e, []))), frozenset(types.get(e, set())))
        for c in claims.values()
        for e in c.authors
    }
    mentions: dict[str, dict[str, list[Span]]] = defaultdict(lambda: defaultdict(list))
    for r in select(store, _AUTHOR_MENTIONS_QUERY):
        mentions[str(r["e"].value)][_v(r["id"]) or ""].append((int(r["b"].value), int(r["end"].value)))
    citations: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in select(store, _CITATIONS_QUERY):
        names = citations[_v(r["id"]) or ""][str(r["src"])]
        if r["name"] is not None:
            names.append(str(r["name"].value))
    del store
    return Built(texts, list(claims.values()), entities, mentions, citations, build_seconds)


def run_build(inputs: Sequence[Path], out_dir: Path, nlp: Language) -> Built:
    started = time.perf_counter()
    build(list(inputs), out_dir, nlp=nlp)
    return read_build(out_dir, time.perf_counter() - started)


# --- seeds scoring ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Prediction:
    """A system's claim in one article, reduced to what the seed scoring needs."""

    article: str
    kind: str
    content: Span | None
    speaker_ok: Callable[[GoldClaim], bool]
    speaker_text: str
    ref: Any = None  # the PredClaim / triple behind it, for listing


def match_claims(gold: Sequence[tuple[GoldClaim, Span]], preds: Sequence[Prediction]) -> dict[int, int]:
    """Gold position -> prediction position: one-to-one, greedy by overlap, same article, >= half the shorter span."""
    pairs = []
    for gi, (g, gs) in enumerate(gold):
        for pi, p in enumerate(preds):
            if p.article != g.article or p.content is None:
                continue
            shared = overlap_chars(gs, p.content)
            shorter = min(gs[1] - gs[0], p.content[1] - p.content[0])
            if shorter > 0 and shared / shorter >= MIN_OVERLAP:
                pairs.append((shared, shared / shorter, -gi, -pi, gi, pi))
    pairs.sort(reverse=True)
    taken_g: dict[int, int] = {}
    taken_p: set[int] = set()
    for *_, gi, pi in pairs:
        if gi not in taken_g and pi not in taken_p:
            taken_g[gi] = pi
            taken_p.add(pi)
    return taken_g


def ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def score_seed_claims(
    gold: Sequence[tuple[GoldClaim, Span]], preds: Sequence[Prediction], kinds: Sequence[str] = CLAIM_KINDS
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Per-kind numbers and the lists behind them (misses, false positives, wrong speakers)."""
    matched = match_claims(gold, preds)
    matched_preds = {pi: gi for gi, pi in matched.items()}
    out: dict[str, Any] = {}
    lists: dict[str, list[Any]] = {"miss": [], "fp": [], "wrong_speaker": [], "kind_mismatch": []}
    for kind in kinds:
        required = [gi for gi, (g, _) in enumerate(gold) if g.kind == kind and not g.optional]
        found = [gi for gi in required if gi in matched]
        right = [gi for gi in found if preds[matched[gi]].speaker_ok(gold[gi][0])]
        predicted = [pi for pi, p in enumerate(preds) if p.kind == kind]
        true_pos = [pi for pi in predicted if pi in matched_preds and gold[matched_preds[pi]][0].kind_ok(kind)]
        other_kind = [gi for gi in found if not gold[gi][0].kind_ok(preds[matched[gi]].kind)]
        out[kind] = {
            "gold": len(required),
            "found": len(found),
            "recall": ratio(len(found), len(required)),
            "predicted": len(predicted),
            "precision": ratio(len(true_pos), len(predicted)),
            "speaker_accuracy": ratio(len(right), len(found)),
            "found_right_speaker": len(right),
            "attributed_recall": ratio(len(right), len(required)),
            "found_as_other_kind": len(other_kind),
            "target": TARGETS[kind],
        }
        lists["miss"] += [gold[gi] for gi in required if gi not in matched]
        lists["wrong_speaker"] += [(gold[gi], preds[matched[gi]]) for gi in found if gi not in right]
        lists["kind_mismatch"] += [(gold[gi], preds[matched[gi]]) for gi in other_kind]
        lists["fp"] += [preds[pi] for pi in predicted if pi not in true_pos]
    optional = [gi for gi, (g, _) in enumerate(gold) if g.optional and g.kind in kinds]
    opt_found = [gi for gi in optional if gi in matched]
    out["optional"] = {
        "gold": len(optional),
        "found": len(opt_found),
        "found_right_speaker": sum(preds[matched[gi]].speaker_ok(gold[gi][0]) for gi in opt_found),
    }
    return out, lists


def kgraph_predictions(built: Built) -> list[Prediction]:
    preds = []
    for c in built.claims:
        authors = [built.entities[a] for a in sorted(c.authors) if a in built.entities]

        def speaker_ok(g: GoldClaim, authors: list[Entity] = authors) -> bool:
            if g.speaker is None:
                return not authors
            names = [g.speaker, *g.aliases]
            return any(name_matches(a.labels, names, person=a.person) for a in authors)

        shown = " | ".join(a.label for a in authors) or "(no author)"
        if c.speaker_anchor:
            shown += f"  [speaker text: {c.speaker_anchor!r}]"
        preds.append(Prediction(c.article, c.kind, c.content, speaker_ok, shown, c))
    return preds


def score_citations(gold: Sequence[GoldCitation], built: Built) -> tuple[dict[str, Any], list[GoldCitation], list[tuple[str, str, list[str]]]]:
    found = [g for g in gold if any(any(keyword_in(k, n) for k in g.match for n in names) for names in built.citations.get(g.article, {}).values())]
    gold_by_article: dict[str, list[GoldCitation]] = defaultdict(list)
    for g in gold:
        gold_by_article[g.article].append(g)
    sources = [(a, s, names) for a, by in built.citations.items() for s, names in by.items()]
    unmatched = [
        (a, s, names) for a, s, names in sources
        if not any(keyword_in(k, n) for g in gold_by_article.get(a, []) for k in g.match for n in names)
    ]
    by_kind = Counter(g.kind for g in gold)
    found_kind = Counter(g.kind for g in found)
    numbers = {
        "gold": len(gold),
        "found": len(found),
        "recall": ratio(len(found), len(gold)),
        "cited_sources": len(sources),
        "precision": ratio(len(sources) - len(unmatched), len(sources)),
        "by_kind": {k: {"gold": n, "found": found_kind[k]} for k, n in sorted(by_kind.items())},
    }
    return numbers, [g for g in gold if g not in found], unmatched


def contract_problems(built: Built) -> dict[str, int]:
    """Departures from DESIGN.md §3 seen while reading the claims (each should be 0)."""
    c = built.claims
    texts = built.texts
    return {
        "claims_without_content_offsets": sum(x.content is None or x.content_from_text for x in c),
        "claims_without_schema_text": sum(not x.text for x in c),
        "content_offsets_not_matching_schema_text": sum(
            bool(x.text and x.content and not x.content_from_text and texts.get(x.article, "")[x.content[0] : x.content[1]] != x.text)
            for x in c
        ),
        "isDirectQuote_missing": sum(x.flag is None for x in c),
        "quotation_type_disagrees_with_isDirectQuote": sum(
            x.flag is not None and x.quotation != (x.flag in ("true", "1")) for x in c
        ),
        "claims_with_unknown_article": sum(x.article not in texts for x in c),
    }


def seeds_section(gold_claims: Sequence[GoldClaim], gold_cits: Sequence[GoldCitation], built: Built) -> tuple[dict[str, Any], dict[str, Any]]:
    located: list[tuple[GoldClaim, Span]] = []
    unlocated: list[GoldClaim] = []
    for g in gold_claims:
        span = locate_gold(g, built.texts.get(g.article, ""))
        if span is None:
            unlocated.append(g)
        else:
            located.append((g, span))
    preds = kgraph_predictions(built)
    numbers, lists = score_seed_claims(located, preds)
    place = [c for c in built.claims if any(built.entities[a].place for a in c.authors if a in built.entities)]
    furniture = [
        c for c in built.claims
        if any(looks_like_furniture(s) for s in [c.speaker_anchor or "", *(built.entities[a].label for a in c.authors if a in built.entities)] if s)
    ]
    cit_numbers, cit_missed, cit_unmatched = score_citations(gold_cits, built)
    numbers.update(
        {
            "claims_predicted": len(built.claims),
            "gold_not_in_stored_text": len(unlocated),
            "place_authors": len(place),
            "furniture_speakers": len(furniture),
            "citations": cit_numbers,
            "contract": contract_problems(built),
            "build_seconds": round(built.build_seconds, 2),
        }
    )
    lists.update({"unlocated": unlocated, "place": place, "furniture": furniture, "cit_missed": cit_missed, "cit_unmatched": cit_unmatched})
    return numbers, lists


# --- MEANTIME -----------------------------------------------------------------


def line_offset_map(original: str, stored: str) -> list[int | None]:
    """Original character index -> stored index, aligning whole lines (ingest strips, drops and re-joins lines)."""
    mapping: list[int | None] = [None] * (len(original) + 1)
    pos = 0
    offset = 0
    for line in original.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        lead = len(body) - len(body.lstrip())
        at = stored.find(stripped, pos) if stripped else -1
        # only a whole stored paragraph counts, so a short line cannot land inside a longer one
        while at >= 0 and not ((at == 0 or stored[at - 1] == "\n") and (at + len(stripped) == len(stored) or stored[at + len(stripped)] == "\n")):
            at = stored.find(stripped, at + 1)
        if at >= 0:
            for k in range(len(stripped) + 1):
                mapping[offset + lead + k] = at + k
            pos = at + len(stripped)
        offset += len(line)
    return mapping


def map_span(mapping: Sequence[int | None], span: Span) -> Span | None:
    a, b = mapping[span[0]], mapping[span[1]] if span[1] < len(mapping) else None
    if a is None or b is None or b <= a:
        return None
    return a, b


@dataclass(frozen=True, slots=True)
class GoldSpeech:
    doc: str
    cue: Span
    cue_text: str
    speaker_mentions: tuple[Span, ...]  # every mention of the speaker's instance(s) in this doc
    speaker_names: tuple[str, ...]  # gold instance names
    speaker_text: str
    contents: tuple[Span, ...]
    has_speaker: bool
    named: bool = True  # the speaker's instance has a proper-name mention in this doc
    speaker_forms: tuple[str, ...] = ()  # the Arg0 mentions as written


def meantime_gold(loader: ModuleType, doc: Mapping[str, Any], stored: str) -> tuple[list[GoldSpeech], list[Span], int]:
    """Speech items of one doc (mapped to stored offsets), the stored ranges of sentences with a cue, and unmappable items.

    An item whose cue cannot be mapped, or maps onto different characters, is dropped and counted.
    """
    mapping = line_offset_map(doc["text"], stored)
    by_instance: dict[str, list[Span]] = defaultdict(list)
    named_instances: set[str] = set()
    for m in doc["entity_mentions"]:
        if m.get("instance_id"):
            by_instance[m["instance_id"]].append((m["start"], m["end"]))
            if m.get("syntactic_type") in ("NAM", "PRE.NAM"):
                named_instances.add(m["instance_id"])
    sentences: dict[int, list[int]] = {}
    for t in doc["tokens"]:
        b = sentences.setdefault(t["sent"], [t["start"], t["end"]])
        b[0], b[1] = min(b[0], t["start"]), max(b[1], t["end"])
    items: list[GoldSpeech] = []
    cue_sentences: set[int] = set()
    unmapped = 0
    for a in loader.speech_attributions(doc):
        cue = a["cue"]
        cue_sentences.add(cue["sent"])
        spans: set[Span] = set()
        for s in a["speakers"]:
            spans.add((s["start"], s["end"]))
            spans.update(by_instance.get(s.get("instance_id") or "", []))
        mapped_cue = map_span(mapping, (cue["start"], cue["end"]))
        if mapped_cue is None or stored[mapped_cue[0] : mapped_cue[1]] != doc["text"][cue["start"] : cue["end"]]:
            unmapped += 1
            continue
        items.append(
            GoldSpeech(
                doc=str(doc["doc_id"]),
                cue=mapped_cue,
                cue_text=cue["text"],
                speaker_mentions=tuple(sp for sp in (map_span(mapping, s) for s in sorted(spans)) if sp),
                speaker_names=tuple(sorted({s.get("instance_name") or s["text"] for s in a["speakers"]})),
                speaker_text=" / ".join(s["text"] for s in a["speakers"]),
                contents=tuple(sp for sp in (map_span(mapping, (e["start"], e["end"])) for e in a["content_events"]) if sp),
                has_speaker=bool(a["speakers"]),
                named=any(s.get("instance_id") in named_instances for s in a["speakers"]),
                speaker_forms=tuple(s["text"] for s in a["speakers"]),
            )
        )
    ranges = [r for r in (map_span(mapping, (sentences[i][0], sentences[i][1])) for i in sorted(cue_sentences)) if r]
    return items, ranges, unmapped


@dataclass(frozen=True, slots=True)
class SpeechPrediction:
    doc: str
    cue: Span | None
    content: Span | None
    speaker_ok: Callable[[GoldSpeech], bool]
    shown: str


def score_speech(
    gold: Mapping[str, list[GoldSpeech]], scored_sentences: Mapping[str, list[Span]], preds: Sequence[SpeechPrediction]
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    by_doc: dict[str, list[SpeechPrediction]] = defaultdict(list)
    for p in preds:
        by_doc[p.doc].append(p)

    def hits(p: SpeechPrediction, g: GoldSpeech) -> bool:
        if p.cue is not None:
            return overlaps(p.cue, g.cue)
        return p.content is not None and any(p.content[0] <= c[0] and c[1] <= p.content[1] for c in g.contents)

    with_speaker = [g for gs in gold.values() for g in gs if g.has_speaker]
    found, right = [], []
    lists: dict[str, list[Any]] = {"miss": [], "wrong_speaker": [], "fp": []}
    for g in with_speaker:
        cands = [p for p in by_doc.get(g.doc, []) if hits(p, g)]
        if not cands:
            lists["miss"].append(g)
            continue
        found.append(g)
        if any(p.speaker_ok(g) for p in cands):
            right.append(g)
        else:
            lists["wrong_speaker"].append((g, cands[0]))
    in_scope = correct = 0
    for doc, ps in by_doc.items():
        ranges = scored_sentences.get(doc, [])
        for p in ps:
            anchor = p.cue or p.content
            if anchor is None or not any(a <= anchor[0] < b for a, b in ranges):
                continue
            in_scope += 1
            if any(hits(p, g) for g in gold.get(doc, [])):
                correct += 1
            else:
                lists["fp"].append(p)
    numbers = {
        "gold": len(with_speaker),
        "found": len(found),
        "cue_recall": ratio(len(found), len(with_speaker)),
        "speaker_accuracy_on_found": ratio(len(right), len(found)),
        "attributed_recall": ratio(len(right), len(with_speaker)),
        "predicted": len(preds),
        "predicted_in_scored_sentences": in_scope,
        "precision_in_scored_sentences": ratio(correct, in_scope),
    }
    return numbers, lists


def kgraph_speech_predictions(built: Built) -> list[SpeechPrediction]:
    out = []
    for c in built.claims:
        authors = [built.entities[a] for a in sorted(c.authors) if a in built.entities]

        def ok(g: GoldSpeech, c: PredClaim = c, authors: list[Entity] = authors) -> bool:
            for a in authors:
                spans = built.author_mentions.get(a.iri, {}).get(c.article, [])
                if any(overlaps(s, m) for s in spans for m in g.speaker_mentions):
                    return True
                if any(name_words(label) == name_words(n) for label in a.labels for n in g.speaker_names):
                    return True
                # an unnamed source ("Congressional lawmakers") has no entity mentions: its label is the speaker as written
                if not g.named and any(name_words(label) == name_words(f) for label in a.labels for f in g.speaker_forms):
                    return True
            return False

        out.append(SpeechPrediction(c.article, c.cue, c.content, ok, " | ".join(a.label for a in authors) or "(no author)"))
    return out


def write_meantime_jsonl(docs: Sequence[Mapping[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"id": str(d["doc_id"]), "text": d["text"], "url": d.get("url")}, ensure_ascii=False) + "\n")


# --- textacy baseline ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Triple:
    speaker: Span
    speaker_text: str
    speaker_proper: bool
    speaker_pronoun: bool
    cue: Span
    content: Span


def textacy_triples(docs: Mapping[str, Doc]) -> tuple[dict[str, list[Triple]], dict[str, str]]:
    """textacy's triples per document, and the documents it raised on (id -> error)."""
    from textacy.extract.triples import direct_quotations

    out: dict[str, list[Triple]] = {}
    crashed: dict[str, str] = {}
    for doc_id, doc in docs.items():
        try:
            found = list(direct_quotations(doc))
        except Exception as err:  # noqa: BLE001 - a third-party extractor; its ValueError on unbalanced quote marks is the usual one
            crashed[doc_id] = f"{type(err).__name__}: {' '.join(str(err).split())[:90]}"
            continue
        triples = []
        for t in found:
            sp = list(t.speaker)
            triples.append(
                Triple(
                    speaker=(min(x.idx for x in sp), max(x.idx + len(x) for x in sp)) if sp else (0, 0),
                    speaker_text=" ".join(x.text for x in sp),
                    speaker_proper=any(x.pos_ == "PROPN" or x.ent_type_ == "PERSON" for x in sp),
                    speaker_pronoun=len(sp) == 1 and sp[0].pos_ == "PRON",
                    cue=(min(x.idx for x in t.cue), max(x.idx + len(x) for x in t.cue)),
                    content=(t.content.start_char, t.content.end_char),
                )
            )
        out[doc_id] = triples
    return out, crashed


def textacy_seed_predictions(triples: Mapping[str, list[Triple]]) -> list[Prediction]:
    preds = []
    for doc_id, ts in triples.items():
        for t in ts:

            def ok(g: GoldClaim, t: Triple = t) -> bool:
                if g.speaker is None:
                    return False
                return name_matches([t.speaker_text], [g.speaker, *g.aliases], person=t.speaker_proper)

            preds.append(Prediction(doc_id, "direct", t.content, ok, repr(t.speaker_text), t))
    return preds


def textacy_speech_predictions(triples: Mapping[str, list[Triple]]) -> list[SpeechPrediction]:
    return [
        SpeechPrediction(doc_id, t.cue, t.content, lambda g, t=t: any(overlaps(t.speaker, m) for m in g.speaker_mentions), repr(t.speaker_text))
        for doc_id, ts in triples.items()
        for t in ts
    ]


def textacy_available() -> bool:
    try:
        import textacy.extract.triples  # noqa: F401
    except ImportError:
        return False
    return True


# --- printing -------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def print_claim_table(title: str, numbers: Mapping[str, Any], kinds: Sequence[str]) -> None:
    print(f"\n{title}")
    print(f"  {'kind':<9}{'gold':>5}{'found':>7}{'recall':>8}{'pred':>6}{'prec':>8}{'spk acc':>9}{'found+spk/gold':>16}  target")
    for k in kinds:
        n = numbers[k]
        met = "met" if n["attributed_recall"] >= n["target"] else "not met"
        print(
            f"  {k:<9}{n['gold']:>5}{n['found']:>7}{_pct(n['recall']):>8}{n['predicted']:>6}{_pct(n['precision']):>8}"
            f"{_pct(n['speaker_accuracy']):>9}{n['found_right_speaker']:>6} = {_pct(n['attributed_recall'])}  >= {n['target']:.0%} ({met})"
        )
        if n["found_as_other_kind"]:
            print(f"  {'':<9}of the found, {n['found_as_other_kind']} were predicted as the other kind")
    opt = numbers["optional"]
    print(f"  optional (borderline) gold items, not in any denominator: {opt['found']} of {opt['gold']} matched, "
          f"{opt['found_right_speaker']} of them with the right speaker")


def _gold_line(g: GoldClaim, span: Span, text: str) -> str:
    who = g.speaker if g.speaker is not None else "(no speaker)"
    return f"[{g.article[:3]}] {g.kind}, {who}: {g.content[:90]!r}\n        in: {sentence_around(text, span)}"


def print_seed_lists(lists: Mapping[str, Any], built: Built, gold_spans: Mapping[int, Span], verbose: bool, baseline: bool = False) -> None:
    text = built.texts

    def where(g: GoldClaim) -> str:
        return _gold_line(g, gold_spans[g.index], text.get(g.article, ""))

    if verbose:
        print(f"  misses ({len(lists['miss'])}):")
        for g, _ in lists["miss"]:
            print("    " + where(g))
        print(f"  false positives ({len(lists['fp'])}):")
        for p in lists["fp"]:
            body = text.get(p.article, "")[p.content[0] : p.content[1]] if p.content else "(no content span)"
            ctx = sentence_around(text.get(p.article, ""), p.content) if p.content else ""
            print(f"    [{p.article[:3]}] {p.kind}, {p.speaker_text}: {body[:90]!r}\n        in: {ctx}")
        print(f"  wrong speaker ({len(lists['wrong_speaker'])}):")
        for (g, _), p in lists["wrong_speaker"]:
            print(f"    gold {g.speaker!r}, predicted {p.speaker_text}\n      " + where(g))
        if not baseline and lists["kind_mismatch"]:
            print(f"  found with the other kind ({len(lists['kind_mismatch'])}):")
            for (g, _), p in lists["kind_mismatch"]:
                print(f"    gold {g.kind}, predicted {p.kind}: " + where(g))


def print_meantime_lists(lists: Mapping[str, Any], texts: Mapping[str, str]) -> None:
    def ctx(doc: str, span: Span | None) -> str:
        return sentence_around(texts.get(doc, ""), span) if span else ""

    print(f"  misses ({len(lists['miss'])}):")
    for g in lists["miss"]:
        print(f"    [{g.doc}] cue {g.cue_text!r}, speaker {g.speaker_text!r}\n        in: {ctx(g.doc, g.cue)}")
    print(f"  wrong speaker ({len(lists['wrong_speaker'])}):")
    for g, p in lists["wrong_speaker"]:
        print(f"    [{g.doc}] cue {g.cue_text!r}: gold {g.speaker_text!r} ({'; '.join(g.speaker_names)}), predicted {p.shown}\n        in: {ctx(g.doc, g.cue)}")
    print(f"  false positives in scored sentences ({len(lists['fp'])}):")
    for p in lists["fp"]:
        print(f"    [{p.doc}] speaker {p.shown}\n        in: {ctx(p.doc, p.cue or p.content)}")


# --- main ---------------------------------------------------------------------------


def _git_state() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (src modified)" if dirty else "")


def run_seeds(args: argparse.Namespace, nlp: Language, work: Path, use_baseline: bool) -> dict[str, Any]:
    gold_claims, gold_cits = load_gold(args.gold, SEEDS)
    built = run_build([SEEDS], work / "seeds", nlp)
    numbers, lists = seeds_section(gold_claims, gold_cits, built)
    gold_spans = {g.index: s for g in gold_claims if (s := locate_gold(g, built.texts.get(g.article, ""))) is not None}

    req = Counter((g.kind, g.optional) for g in gold_claims)
    print(f"\n=== Seeds: {len(built.texts)} articles, gold {req[('direct', False)]} direct + {req[('reported', False)]} reported claims "
          f"(+{req[('direct', True)] + req[('reported', True)]} optional), {len(gold_cits)} citations; "
          f"kgraph build {built.build_seconds:.1f} s, {len(built.claims)} claims in the graph")
    if lists["unlocated"]:
        print(f"  {len(lists['unlocated'])} gold claims are not in the text kgraph stored (dropped by cleaning); not scored:")
        for g in lists["unlocated"]:
            print(f"    [{g.article[:3]}] {g.content[:80]!r}")
    print_claim_table("kgraph claims (content overlap >= half the shorter span, one-to-one)", numbers, CLAIM_KINDS)
    print_seed_lists(lists, built, gold_spans, args.verbose)

    print(f"\n  claims whose author is a schema:Place: {numbers['place_authors']} (target 0)")
    for c in lists["place"]:
        labels = ", ".join(built.entities[a].label for a in c.authors if a in built.entities)
        print(f"    [{c.article[:3]}] author {labels}: {(c.text or '')[:80]!r}")
    print(f"  claims whose speaker text looks like page furniture: {numbers['furniture_speakers']} (target 0)")
    for c in lists["furniture"]:
        labels = ", ".join(built.entities[a].label for a in c.authors if a in built.entities)
        print(f"    [{c.article[:3]}] speaker {c.speaker_anchor!r}, author {labels}: {(c.text or '')[:80]!r}")
    problems = {k: v for k, v in numbers["contract"].items() if v}
    print(f"  contract problems (DESIGN.md §3): {problems or 'none'}")

    cn = numbers["citations"]
    print(f"\nCitations: found {cn['found']}/{cn['gold']} = {_pct(cn['recall'])}; cited sources in the graph {cn['cited_sources']}, "
          f"matching a gold citation {_pct(cn['precision'])}")
    print("  by kind: " + ", ".join(f"{k} {v['found']}/{v['gold']}" for k, v in cn["by_kind"].items()))
    print(f"  missed ({len(lists['cit_missed'])}):")
    for g in lists["cit_missed"]:
        print(f"    [{g.article[:3]}] {g.kind}: {g.source}  (evidence {g.evidence!r})")
    if args.verbose:
        print(f"  cited sources matching no gold citation ({len(lists['cit_unmatched'])}):")
        for a, s, names in lists["cit_unmatched"]:
            print(f"    [{a[:3]}] {s}  labels {sorted(set(names))}")

    result: dict[str, Any] = {"kgraph": numbers}
    if use_baseline:
        docs = dict(zip(built.texts, nlp.pipe(built.texts.values()), strict=True))
        triples, crashed = textacy_triples(docs)
        located = [(g, gold_spans[g.index]) for g in gold_claims if g.index in gold_spans]
        preds = textacy_seed_predictions(triples)
        b_numbers, b_lists = score_seed_claims(located, preds, kinds=("direct",))
        pronouns = sum(t.speaker_pronoun for ts in triples.values() for t in ts)
        b_numbers.update({"triples": len(preds), "pronoun_speakers": pronouns, "crashed_docs": len(crashed)})
        print_claim_table(
            f"Baseline textacy direct_quotations (direct quotes only; {len(preds)} triples, {pronouns} with a pronoun speaker, "
            f"which counts as wrong; crashed on {len(crashed)} of {len(docs)} docs)",
            b_numbers, ("direct",),
        )
        print_seed_lists(b_lists, built, gold_spans, args.verbose, baseline=True)
        result["textacy"] = b_numbers
    return result


def run_meantime(args: argparse.Namespace, nlp: Language, work: Path, use_baseline: bool) -> dict[str, Any]:
    loader = import_loader(args.meantime)
    data_docs = loader.load(str(args.meantime / "meantime_en_dev.jsonl"))
    records = work / "meantime.jsonl"
    write_meantime_jsonl(data_docs, records)
    built = run_build([records], work / "meantime", nlp)

    gold: dict[str, list[GoldSpeech]] = {}
    scored: dict[str, list[Span]] = {}
    unmapped = missing_docs = 0
    for d in data_docs:
        doc_id = str(d["doc_id"])
        if doc_id not in built.texts:
            missing_docs += 1
            continue
        items, ranges, lost = meantime_gold(loader, d, built.texts[doc_id])
        gold[doc_id], scored[doc_id], unmapped = items, ranges, unmapped + lost
    all_items = [g for gs in gold.values() for g in gs]
    skipped = sum(not g.has_speaker for g in all_items)
    numbers, lists = score_speech(gold, scored, kgraph_speech_predictions(built))
    numbers.update({"speech_cues": len(all_items), "skipped_without_speaker": skipped, "unmapped_gold": unmapped,
                    "docs_not_built": missing_docs, "build_seconds": round(built.build_seconds, 2)})

    print(f"\n=== MEANTIME dev: {len(built.texts)} of {len(data_docs)} docs built in {built.build_seconds:.1f} s; "
          f"{len(all_items)} SPEECH_COGNITIVE cues, {numbers['gold']} with an Arg0 speaker scored, {skipped} without a speaker skipped"
          + (f", {unmapped} not mappable onto the stored text" if unmapped else ""))
    rows = [("kgraph", numbers)]
    result: dict[str, Any] = {"kgraph": numbers}
    b_lists = None
    crashed: dict[str, str] = {}
    if use_baseline:
        docs = dict(zip(built.texts, nlp.pipe(built.texts.values()), strict=True))
        triples, crashed = textacy_triples(docs)
        b_numbers, b_lists = score_speech(gold, scored, textacy_speech_predictions(triples))
        b_numbers["crashed_docs"] = len(crashed)
        rows.append((f"textacy ({len(crashed)} crashed)", b_numbers))
        result["textacy"] = b_numbers
    print(f"  {'system':<22}{'gold':>5}{'found':>7}{'cue R':>8}{'spk acc':>9}{'attr R':>8}{'pred':>6}{'pred in scored sents':>22}{'P there':>9}")
    for name, n in rows:
        print(f"  {name:<22}{n['gold']:>5}{n['found']:>7}{_pct(n['cue_recall']):>8}{_pct(n['speaker_accuracy_on_found']):>9}"
              f"{_pct(n['attributed_recall']):>8}{n['predicted']:>6}{n['predicted_in_scored_sentences']:>22}{_pct(n['precision_in_scored_sentences']):>9}")
    if use_baseline:
        print("  textacy finds direct quotations only; MEANTIME's speech cues are mostly indirect speech and cognition verbs.")
        reasons = Counter(r.split(":")[0] for r in crashed.values())
        print(f"  textacy raised on {len(crashed)} of {len(built.texts)} docs ({dict(reasons)}; unbalanced quote marks), scored as giving no triples.")
    if args.verbose:
        print("  kgraph:")
        print_meantime_lists(lists, built.texts)
        if b_lists is not None:
            print("  textacy:")
            print_meantime_lists(b_lists, built.texts)
            for doc_id, reason in sorted(crashed.items()):
                print(f"    crashed [{doc_id}] {reason}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("seeds", "meantime"), help="run one section only")
    parser.add_argument("--verbose", action="store_true", help="list every miss, false positive and wrong speaker")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the numbers to PATH as JSON")
    parser.add_argument("--no-save", action="store_true", help="do not also write bench/results/eval_attribution-*.json")
    parser.add_argument("--no-baseline", action="store_true", help="skip the textacy baseline")
    parser.add_argument("--gold", type=Path, default=GOLD, help=f"seed gold file (default {GOLD.relative_to(REPO)})")
    parser.add_argument("--meantime", type=Path, default=DEFAULT_MEANTIME, help=f"MEANTIME dev directory (default {DEFAULT_MEANTIME})")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: what kgraph would choose)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="build into DIR (kept) instead of a temporary directory")
    args = parser.parse_args(argv)

    if args.only != "meantime":
        load_gold(args.gold, SEEDS)  # fail on a bad gold file before anything slow
    use_baseline = not args.no_baseline and textacy_available()
    if not args.no_baseline and not use_baseline:
        print("textacy is not importable: baseline skipped (install it with `pip install textacy`)")

    started = time.perf_counter()
    model = choose_model(args.model)
    nlp = load_pipeline(model)
    result: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "commit": _git_state(),
        "model": model,
        "gold": str(args.gold),
    }
    with tempfile.TemporaryDirectory(prefix="kgraph-eval-attribution-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if args.only in (None, "seeds"):
            result["seeds"] = run_seeds(args, nlp, work, use_baseline)
        if args.only in (None, "meantime"):
            result["meantime"] = run_meantime(args, nlp, work, use_baseline)
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(f"\ntotal {result['seconds']} s (model {model}, commit {result['commit']})")

    write_results("eval_attribution", result, args.json, not args.no_save)
    return 0


if __name__ == "__main__":
    sys.exit(main())
