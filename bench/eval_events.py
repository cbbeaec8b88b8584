#!/usr/bin/env python3
"""Event extraction and cross-document event merging of kgraph, on the seeds and on MEANTIME.

What runs: kgraph's own stage functions in ``build()``'s order, minus RDF:
``nlp.pipe`` (parsed once, so kgraph and the spaCy baseline score the same
parses) -> ``extract_all`` (per doc ``EventReader(...).run()`` among the findings) ->
``corpus_mentions`` -> ``resolve_entities`` -> ``resolve_events``. Scored are
the ``EventMention`` objects of the findings (trigger ``start``/``end``,
``event_class``, ``modality``, ``agent``/``patient``/``place``/``time``) and
``EventResolution.event_of_mention`` (which canonical event each trigger is in).

Matching, everywhere: a predicted trigger matches a gold trigger of the same
document when their character spans overlap; pairs are one-to-one, taken
greedily, largest overlap first (ties: earlier gold, earlier prediction).
P = matched predictions / predictions, R = matched gold / gold.

1. Seeds (``seeds/*.txt`` through kgraph's ``ingest``, as ``build()`` reads
   them), against ``bench/gold/events_seeds.json``. Each gold event is located
   by finding its ``sentence`` in the text kgraph stored and its ``trigger``
   (first occurrence) inside that sentence; gold whose sentence ingest dropped
   (page furniture) is listed and not scored.

   * Detection: gold, found, recall, predicted, precision, F1.
   * Class agreement on matched pairs, through ``CLASS_MAP`` (gold class ->
     acceptable kgraph classes; gold "other" is unmapped and not scored).
   * Modality agreement on matched pairs (exact label).
   * Argument recall on matched pairs, per role (agent, patient, place,
     time): of gold non-null values, the share where kgraph's argument text
     and the gold text contain one another as word sequences (folded, a
     leading "the" dropped, either way), or where kgraph's argument span
     overlaps the gold text located (case-insensitively) inside the gold
     sentence. Gold pronouns are written as their antecedent, so a predicted
     "They" is right only by the span rule. Also shown: the gold value found
     in any of kgraph's four slots (the gold often gives as place what kgraph
     reads as patient: "abandoned Kherson city").
   * Cross-article merging over matched gold mentions: pairwise P/R/F1 over
     pairs in different articles (gold-positive: same ``cross_article``
     cluster; predicted-positive: same kgraph event); B-cubed over matched
     mentions of a gold cluster; ``distinct`` pairs (both matched) that kgraph
     put in one event; gold clusters fully recovered (every member located and
     matched, all in one kgraph event; "pure": that event holds no matched
     mention of another gold cluster).
   * Baseline: spaCy's ``EVENT`` entities as event mentions (detection only).

2. MEANTIME dev (``/work/shared/data/meantime-dev``, its own ``load.py``): the
   60 gold ``text``s become ``Article`` objects directly (so gold offsets stay
   valid), dated by the document's CREATION_TIME timex value.

   * Detection: only the fully annotated sentences
     (``doc_level_annotated_sentences``) are exhaustive, so recall is over gold
     event mentions in them and precision over predictions starting in them.
     Recall per gold ``pos`` (VERB / NOUN / other) and per gold ``class``;
     kgraph does not emit reporting verbs or grammatical events on purpose, so
     recall without SPEECH_COGNITIVE and GRAMMATICAL is shown too.
   * Cross-document event coreference: gold mentions matched anywhere in a
     document (later sentences carry cross-document mentions), gold cluster =
     ``instance_id`` ("doc:..." ids are chains inside one document). Pairwise
     P/R/F1 over pairs in different documents and B-cubed over all matched
     mentions, for kgraph and two baselines on the same matched mentions:
     every mention alone, and same trigger lemma (kgraph's ``lemma``) = same
     event within a ``topic``.
   * spaCy ``EVENT`` entities: detection P/R in the annotated sentences.

Usage (from the repository root)::

    python bench/eval_events.py                  # seeds + MEANTIME, well under a minute
    python bench/eval_events.py --only seeds --verbose
    python bench/eval_events.py --json /tmp/events.json --no-save
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval_attribution import (  # bench/ is on sys.path when a bench script runs
    _git_state,
    contains_words,
    name_words,
    overlap_chars,
    overlaps,
    ratio,
    sentence_around,
)
from eval_entities import (
    BATCH_SIZE,
    PRF,
    ParsedPipeline,
    annotated_sentence_ranges,
    import_loader,
    in_ranges,
    write_results,
)
from spacy.language import Language
from spacy.tokens import Doc

from kgraph.ingest.article import Article
from kgraph.build import corpus_mentions, extract_all
from kgraph.extract.events import EventArgument, EventMention
from kgraph.extract.findings import ArticleFindings
from kgraph.ingest.sources import ingest
from kgraph.lexicons import load_event_lexicon, load_reporting_lexicon
from kgraph.nlp.pipeline import choose_model, load_pipeline
from kgraph.resolve.entities import resolve_entities
from kgraph.resolve.events import EventResolution, resolve_events

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
GOLD = REPO / "bench" / "gold" / "events_seeds.json"
DEFAULT_MEANTIME = REPO.parent / "shared" / "data" / "meantime-dev"

ROLES = ("agent", "patient", "place", "time")
MODALITIES = ("happened", "ongoing", "planned", "expected", "hypothetical", "denied")

# Gold class (bench/gold/events_seeds.json) -> kgraph lexicon classes that count as the same kind of event.
# Near-synonyms are accepted where the gold itself uses one class for both readings: the gold files
# "fled"/"flee" under evacuation, flight and withdrawal alike, and "reinforcement" covers both
# "preparing to defend" (kgraph: defence) and "moving new units in" (kgraph: deployment).
# Gold "other" (captures, liberations, blackouts, ...) has no counterpart and is not scored.
CLASS_MAP: dict[str, frozenset[str]] = {
    "annexation": frozenset({"annexation"}),
    "attack": frozenset({"attack", "shelling"}),
    "battle": frozenset({"battle"}),
    "call": frozenset({"call"}),
    "casualties": frozenset({"casualties"}),
    "dismissal": frozenset({"dismissal"}),
    "evacuation": frozenset({"evacuation", "flight"}),
    "flight": frozenset({"flight", "evacuation", "withdrawal"}),
    "interview": frozenset({"interview"}),
    "invasion": frozenset({"invasion"}),
    "looting": frozenset({"looting"}),
    "meeting": frozenset({"meeting"}),
    "mobilisation": frozenset({"mobilisation"}),
    "offensive": frozenset({"offensive"}),
    "reinforcement": frozenset({"defence", "deployment"}),
    "sabotage": frozenset({"sabotage"}),
    "shelling": frozenset({"shelling", "attack"}),
    "statement": frozenset({"statement"}),
    "withdrawal": frozenset({"withdrawal", "flight"}),
}

MEANTIME_POS = ("VERB", "NOUN", "other")
MEANTIME_CLASSES = ("OTHER", "SPEECH_COGNITIVE", "GRAMMATICAL", "MIX", "(none)")
NOT_EMITTED = frozenset({"SPEECH_COGNITIVE", "GRAMMATICAL"})  # kgraph leaves these out on purpose
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
WRONG_MERGES_SHOWN = 25  # MEANTIME --verbose

Span = tuple[int, int]


class GoldError(SystemExit):
    pass


# --- running kgraph --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pred:
    """A predicted event mention: kgraph's (with its mention and event index) or a spaCy EVENT entity."""

    article: str
    span: Span
    text: str
    mention: EventMention | None = None
    event: int | None = None


@dataclass(slots=True)
class Run:
    """One pass of kgraph over a set of articles, and the parses behind it."""

    articles: list[Article]
    docs: list[Doc]
    findings: dict[str, ArticleFindings]
    events: EventResolution
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def texts(self) -> dict[str, str]:
        return {a.id: a.text for a in self.articles}

    def predictions(self) -> list[Pred]:
        return [
            Pred(a.id, (m.start, m.end), m.trigger, m, self.events.event_of_mention[(a.id, m.start, m.end)])
            for a in self.articles
            for m in self.findings[a.id].events
        ]

    def spacy_events(self) -> list[Pred]:
        return [
            Pred(a.id, (e.start_char, e.end_char), e.text)
            for a, doc in zip(self.articles, self.docs, strict=True)
            for e in doc.ents
            if e.label_ == "EVENT"
        ]

    def label(self, event: int | None) -> str:
        return self.events.events[event].label if event is not None else "(no event)"


def run_kgraph(articles: Sequence[Article], nlp: Language) -> Run:
    """Parse once, then kgraph's extraction, entity resolution and event resolution, as ``build()`` calls them."""
    clock: dict[str, float] = {}
    started = time.perf_counter()
    docs = list(nlp.pipe((a.text for a in articles), batch_size=BATCH_SIZE))
    clock["parse"] = time.perf_counter() - started
    started = time.perf_counter()
    findings, _ = extract_all(articles, ParsedPipeline(docs), batch_size=BATCH_SIZE)  # type: ignore[arg-type]
    mentions = corpus_mentions(articles, findings)
    clock["extract"] = time.perf_counter() - started
    started = time.perf_counter()
    resolution = resolve_entities(mentions, ())
    clock["resolve_entities"] = time.perf_counter() - started
    started = time.perf_counter()
    events = resolve_events(articles, findings, mentions, resolution, load_event_lexicon(), load_reporting_lexicon().collective_heads)
    clock["resolve_events"] = time.perf_counter() - started
    return Run(list(articles), docs, findings, events, clock)


# --- matching and scores ------------------------------------------------------------


def match_spans(gold: Sequence[tuple[str, tuple[Span, ...]]], preds: Sequence[Pred]) -> dict[int, int]:
    """Gold position -> prediction position: same document, overlapping, one-to-one, greedy by overlap."""
    by_doc: dict[str, list[int]] = defaultdict(list)
    for pi, p in enumerate(preds):
        by_doc[p.article].append(pi)
    pairs = []
    for gi, (doc, spans) in enumerate(gold):
        for pi in by_doc.get(doc, []):
            shared = sum(overlap_chars(s, preds[pi].span) for s in spans)
            if shared > 0:
                pairs.append((-shared, gi, pi))
    pairs.sort()
    taken_g: dict[int, int] = {}
    taken_p: set[int] = set()
    for _, gi, pi in pairs:
        if gi not in taken_g and pi not in taken_p:
            taken_g[gi] = pi
            taken_p.add(pi)
    return taken_g


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def cross_doc_pairs(items: Iterable[tuple[str, Hashable]]) -> int:
    """Pairs of items in different documents that share a key: items are (doc, key)."""
    per_key: Counter[Hashable] = Counter()
    per_key_doc: Counter[tuple[Hashable, str]] = Counter()
    for doc, key in items:
        per_key[key] += 1
        per_key_doc[(key, doc)] += 1
    return sum(n * (n - 1) // 2 for n in per_key.values()) - sum(n * (n - 1) // 2 for n in per_key_doc.values())


def pairwise(items: Sequence[tuple[str, Hashable, Hashable]]) -> dict[str, Any]:
    """Pairwise scores over pairs in different documents; items are (doc, gold key, predicted key)."""
    items = list(items)
    tp = cross_doc_pairs((d, (g, p)) for d, g, p in items)
    gold = cross_doc_pairs((d, g) for d, g, _ in items)
    pred = cross_doc_pairs((d, p) for d, _, p in items)
    p, r = ratio(tp, pred), ratio(tp, gold)
    return {"p": p, "r": r, "f1": f1(p, r), "tp": tp, "pred_pairs": pred, "gold_pairs": gold}


def b_cubed(items: Sequence[tuple[Hashable, Hashable]]) -> dict[str, float]:
    """B-cubed over items given as (gold key, predicted key)."""
    items = list(items)
    if not items:
        return {"p": 0.0, "r": 0.0, "f1": 0.0}
    gold = Counter(g for g, _ in items)
    pred = Counter(p for _, p in items)
    both = Counter(items)
    p = sum(both[(g, q)] / pred[q] for g, q in items) / len(items)
    r = sum(both[(g, q)] / gold[g] for g, q in items) / len(items)
    return {"p": p, "r": r, "f1": f1(p, r)}


def pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def prf_line(name: str, s: PRF, width: int = 26) -> str:
    return (f"  {name:<{width}}{s.n_gold:>6}{s.tp_gold:>7}{pct(s.r):>8}{s.n_pred:>7}{s.tp_pred:>7}{pct(s.p):>8}{pct(s.f1):>8}")


def prf_header(width: int = 26) -> str:
    return f"  {'system':<{width}}{'gold':>6}{'found':>7}{'R':>8}{'pred':>7}{'right':>7}{'P':>8}{'F1':>8}"


def prf_dict(s: PRF) -> dict[str, Any]:
    return {"gold": s.n_gold, "found": s.tp_gold, "recall": s.r, "predicted": s.n_pred, "right": s.tp_pred, "precision": s.p, "f1": s.f1}


# --- seeds: gold ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldEvent:
    id: str
    article: str
    trigger: str
    sentence: str
    cls: str
    modality: str
    values: Mapping[str, str | None]  # agent, patient, place, time as written (None: not given)


@dataclass(frozen=True, slots=True)
class Located:
    """A gold event located in the text kgraph stored."""

    gold: GoldEvent
    trigger: Span
    sentence: Span


@dataclass(frozen=True, slots=True)
class SeedGold:
    events: list[GoldEvent]
    clusters: dict[str, list[str]]  # cluster id -> member event ids
    labels: dict[str, str]  # cluster id -> label
    distinct: list[tuple[str, str, str]]  # (a, b, why)


def load_seed_gold(path: Path, seeds: Path) -> SeedGold:
    """Read the gold file and check it against the raw seed texts (exits on the first error)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    raw = {p.stem: p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))}
    events: list[GoldEvent] = []
    for article, items in data["articles"].items():
        if article not in raw:
            raise GoldError(f"{path}: article {article!r} is not a file stem in {seeds}/")
        for e in items:
            if e["sentence"] not in raw[article]:
                raise GoldError(f"{path}: {e['id']}: sentence {e['sentence']!r} is not an exact substring of {article}.txt")
            if e["trigger"] not in e["sentence"]:
                raise GoldError(f"{path}: {e['id']}: trigger {e['trigger']!r} is not inside its sentence")
            parts = e.get("participants") or {}
            values = {"agent": parts.get("agent"), "patient": parts.get("patient"), "place": e.get("place"), "time": e.get("time")}
            events.append(GoldEvent(e["id"], article, e["trigger"], e["sentence"], e["class"], e["modality"], values))
    ids = Counter(e.id for e in events)
    if dup := [i for i, n in ids.items() if n > 1]:
        raise GoldError(f"{path}: duplicate event ids {dup}")
    clusters = {c["id"]: list(c["members"]) for c in data["cross_article"]}
    labels = {c["id"]: c.get("label", "") for c in data["cross_article"]}
    distinct = [(d["a"], d["b"], d.get("why", "")) for d in data["distinct"]]
    unknown = [m for ms in clusters.values() for m in ms if m not in ids] + [x for a, b, _ in distinct for x in (a, b) if x not in ids]
    if unknown:
        raise GoldError(f"{path}: cross_article / distinct name unknown event ids {unknown}")
    in_two = Counter(m for ms in clusters.values() for m in ms)
    if twice := [m for m, n in in_two.items() if n > 1]:
        raise GoldError(f"{path}: events in more than one cross_article cluster: {twice}")
    return SeedGold(events, clusters, labels, distinct)


def locate(events: Sequence[GoldEvent], texts: Mapping[str, str]) -> tuple[list[Located], list[GoldEvent]]:
    """Gold events located in the stored texts (sentence, then the trigger's first occurrence in it), and the rest."""
    located, lost = [], []
    for g in events:
        at = texts.get(g.article, "").find(g.sentence)
        if at < 0:
            lost.append(g)
            continue
        start = at + g.sentence.index(g.trigger)
        located.append(Located(g, (start, start + len(g.trigger)), (at, at + len(g.sentence))))
    return located, lost


# --- seeds: scoring -------------------------------------------------------------------


def argument_hit(gold_text: str, arg: EventArgument | None, where: Located, text: str) -> bool:
    """The predicted argument and the gold value contain one another (as folded word sequences, a leading
    "the" dropped), or the predicted span overlaps the gold text found inside the gold sentence."""
    if arg is None:
        return False
    g, p = name_words(gold_text), name_words(arg.text)
    if contains_words(g, p) or contains_words(p, g):
        return True
    sentence = text[where.sentence[0] : where.sentence[1]].lower()
    at = sentence.find(gold_text.lower())
    while at >= 0:
        if overlaps((where.sentence[0] + at, where.sentence[0] + at + len(gold_text)), (arg.start, arg.end)):
            return True
        at = sentence.find(gold_text.lower(), at + 1)
    return False


def score_attributes(located: Sequence[Located], preds: Sequence[Pred], matched: Mapping[int, int], texts: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Class and modality agreement and argument recall on matched pairs."""
    lists: dict[str, list[Any]] = {"class": [], "modality": [], "argument": []}
    class_scored = class_right = modality_right = 0
    classes: Counter[tuple[str, str]] = Counter()
    modalities: Counter[tuple[str, str]] = Counter()
    roles: dict[str, Counter[str]] = {r: Counter() for r in ROLES}
    for gi, pi in matched.items():
        loc, m = located[gi], preds[pi].mention
        assert m is not None
        g = loc.gold
        classes[(g.cls, m.event_class)] += 1
        if g.cls in CLASS_MAP:
            class_scored += 1
            if m.event_class in CLASS_MAP[g.cls]:
                class_right += 1
            else:
                lists["class"].append((loc, preds[pi]))
        modalities[(g.modality, m.modality)] += 1
        if g.modality == m.modality:
            modality_right += 1
        else:
            lists["modality"].append((loc, preds[pi]))
        for role in ROLES:
            arg: EventArgument | None = getattr(m, role)
            value = g.values[role]
            if value is None:
                roles[role]["spurious"] += arg is not None
                continue
            roles[role]["gold"] += 1
            roles[role]["predicted"] += arg is not None
            if any(argument_hit(value, getattr(m, other), loc, texts[g.article]) for other in ROLES):
                roles[role]["right_any_slot"] += 1
            if argument_hit(value, arg, loc, texts[g.article]):
                roles[role]["right"] += 1
            else:
                lists["argument"].append((loc, preds[pi], role, value, arg.text if arg else None))
    numbers = {
        "class": {"scored": class_scored, "agree": class_right, "agreement": ratio(class_right, class_scored),
                  "unmapped_matched": len(matched) - class_scored,
                  "confusion": {f"{g} -> {p}": n for (g, p), n in sorted(classes.items())}},
        "modality": {"scored": len(matched), "agree": modality_right, "agreement": ratio(modality_right, len(matched)),
                     "confusion": {f"{g} -> {p}": n for (g, p), n in sorted(modalities.items())}},
        "arguments": {
            r: {"gold": c["gold"], "predicted": c["predicted"], "right": c["right"], "recall": ratio(c["right"], c["gold"]),
                "right_any_slot": c["right_any_slot"], "recall_any_slot": ratio(c["right_any_slot"], c["gold"]),
                "predicted_where_gold_null": c["spurious"]}
            for r, c in roles.items()
        },
    }
    return numbers, lists


def score_merging(located: Sequence[Located], preds: Sequence[Pred], matched: Mapping[int, int], gold: SeedGold) -> tuple[dict[str, Any], dict[str, Any]]:
    """Cross-article pairwise, B-cubed over clustered mentions, distinct pairs, and whole clusters."""
    cluster_of = {m: c for c, ms in gold.clusters.items() for m in ms}
    event_of = {located[gi].gold.id: preds[pi].event for gi, pi in matched.items()}
    loc_of = {located[gi].gold.id: (located[gi], preds[pi]) for gi, pi in matched.items()}

    def key(gid: str) -> str:
        return cluster_of.get(gid, "single:" + gid)

    items = [(located[gi].gold.article, key(located[gi].gold.id), preds[pi].event) for gi, pi in matched.items()]
    pw = pairwise(items)
    clustered = [(cluster_of[gid], ev) for gid, ev in event_of.items() if gid in cluster_of]
    b3 = b_cubed(clustered)

    merged_distinct = [(a, b, why) for a, b, why in gold.distinct if a in event_of and b in event_of and event_of[a] == event_of[b]]
    checked = sum(a in event_of and b in event_of for a, b, _ in gold.distinct)

    clusters_of_event: dict[int | None, set[str]] = defaultdict(set)
    for gid, ev in event_of.items():
        if gid in cluster_of:
            clusters_of_event[ev].add(cluster_of[gid])
    recovered, pure, split = [], [], []
    for cid, members in gold.clusters.items():
        events = {event_of[m] for m in members if m in event_of}
        if len(events) > 1:
            split.append((cid, members))
        if all(m in event_of for m in members) and len(events) == 1:
            recovered.append(cid)
            if clusters_of_event[next(iter(events))] == {cid}:
                pure.append(cid)

    # kgraph events holding a gold-negative pair across articles
    members_of_event: dict[int | None, list[str]] = defaultdict(list)
    for gid, ev in event_of.items():
        members_of_event[ev].append(gid)
    wrong = []
    for ev, gids in sorted(members_of_event.items(), key=lambda kv: -len(kv[1])):
        bad = any(
            loc_of[x][0].gold.article != loc_of[y][0].gold.article and key(x) != key(y) for i, x in enumerate(gids) for y in gids[i + 1 :]
        )
        if bad:
            wrong.append((ev, sorted(gids)))

    numbers = {
        "matched_mentions": len(items),
        "matched_in_clusters": len(clustered),
        "pairwise": pw,
        "b3": b3,
        "distinct_pairs": len(gold.distinct),
        "distinct_both_matched": checked,
        "distinct_merged": len(merged_distinct),
        "clusters": len(gold.clusters),
        "clusters_recovered": len(recovered),
        "clusters_recovered_pure": len(pure),
        "clusters_split": len(split),
    }
    lists = {"distinct_merged": merged_distinct, "wrong_merges": wrong, "split": split, "matched": loc_of}
    return numbers, lists


# --- seeds: section ---------------------------------------------------------------------


def _where(loc: Located, text: str) -> str:
    return f"[{loc.gold.article[:3]}] {loc.gold.id} {loc.gold.cls}/{loc.gold.modality} {loc.gold.trigger!r}\n        in: {sentence_around(text, loc.trigger)}"


def _pred_line(p: Pred, text: str, run: Run | None = None) -> str:
    m = p.mention
    what = f"{m.event_class}/{m.modality}" if m else "EVENT"
    event = f"  -> event #{p.event} {run.label(p.event)!r}" if run is not None and p.event is not None else ""
    return f"[{p.article[:3]}] {what} {p.text!r}{event}\n        in: {sentence_around(text, p.span)}"


def run_seeds(args: argparse.Namespace, nlp: Language) -> dict[str, Any]:
    gold = load_seed_gold(args.gold, SEEDS)
    articles = sorted(ingest([SEEDS]).articles, key=lambda a: a.id)
    run = run_kgraph(articles, nlp)
    texts = run.texts
    located, lost = locate(gold.events, texts)
    preds = run.predictions()
    matched = match_spans([(loc.gold.article, (loc.trigger,)) for loc in located], preds)
    detection = PRF(len(matched), len(preds), len(matched), len(located))
    attributes, attr_lists = score_attributes(located, preds, matched, texts)
    merging, merge_lists = score_merging(located, preds, matched, gold)
    spacy_preds = run.spacy_events()
    spacy_matched = match_spans([(loc.gold.article, (loc.trigger,)) for loc in located], spacy_preds)
    baseline = PRF(len(spacy_matched), len(spacy_preds), len(spacy_matched), len(located))

    secs = run.seconds
    print(f"\n=== Seeds: {len(articles)} articles, {len(gold.events)} gold events, {len(gold.clusters)} cross-article clusters, "
          f"{len(gold.distinct)} distinct pairs; parse {secs['parse']:.1f} s, extract {secs['extract']:.2f} s, "
          f"resolve entities {secs['resolve_entities']:.2f} s, events {secs['resolve_events']:.2f} s; "
          f"{len(preds)} kgraph event mentions in {len(run.events.events)} events")
    if lost:
        print(f"  {len(lost)} gold events are in text ingest dropped (header, caption); not scored:")
        for g in lost:
            print(f"    [{g.article[:3]}] {g.id} {g.trigger!r} in {g.sentence[:70]!r}")
    print("\nEvent mentions (trigger overlap, one-to-one)")
    print(prf_header())
    print(prf_line("kgraph", detection))
    print(prf_line("spaCy EVENT entities", baseline))

    c, mo = attributes["class"], attributes["modality"]
    print(f"\nOn the {len(matched)} matched pairs:")
    print(f"  class agreement   {c['agree']:>3}/{c['scored']:<3} = {pct(c['agreement'])}  (gold classes with a mapping; {c['unmapped_matched']} matched gold 'other' not scored)")
    print(f"  modality agreement {mo['agree']:>3}/{mo['scored']:<3} = {pct(mo['agreement'])}")
    print(f"  {'argument':<10}{'gold':>6}{'pred':>6}{'right':>7}{'recall':>9}{'in any slot':>13}   pred where gold null")
    for role, n in attributes["arguments"].items():
        print(f"  {role:<10}{n['gold']:>6}{n['predicted']:>6}{n['right']:>7}{pct(n['recall']):>9}{pct(n['recall_any_slot']):>13}   {n['predicted_where_gold_null']}")
    print("  (gold: non-null values; pred: kgraph gave that role; in any slot: the gold value found in any of kgraph's four arguments)")

    pw, b3 = merging["pairwise"], merging["b3"]
    print(f"\nCross-article merging ({merging['matched_mentions']} matched gold mentions, {merging['matched_in_clusters']} of them in a gold cluster)")
    print(f"  pairwise, pairs in different articles: P {pct(pw['p'])} ({pw['tp']}/{pw['pred_pairs']})  R {pct(pw['r'])} ({pw['tp']}/{pw['gold_pairs']})  F1 {pct(pw['f1'])}")
    print(f"  B3 over clustered matched mentions:    P {pct(b3['p'])}  R {pct(b3['r'])}  F1 {pct(b3['f1'])}")
    print(f"  distinct pairs wrongly merged: {merging['distinct_merged']} of {merging['distinct_both_matched']} with both matched ({merging['distinct_pairs']} in gold)")
    print(f"  gold clusters fully recovered (all members matched, one kgraph event): {merging['clusters_recovered']} of {merging['clusters']} "
          f"({merging['clusters_recovered_pure']} pure); split over several events: {merging['clusters_split']}")
    for a, b, why in merge_lists["distinct_merged"]:
        print(f"    merged distinct {a} + {b}: {why[:110]}")

    if args.verbose:
        print_seed_lists(run, located, preds, matched, attr_lists, merge_lists, gold, spacy_preds, spacy_matched)
    return {
        "gold_events": len(gold.events),
        "gold_not_in_stored_text": len(lost),
        "kgraph": {"detection": prf_dict(detection), **attributes, "merging": merging, "events": len(run.events.events)},
        "spacy_event_ents": {"detection": prf_dict(baseline)},
        "seconds": {k: round(v, 3) for k, v in secs.items()},
    }


def print_seed_lists(run: Run, located: Sequence[Located], preds: Sequence[Pred], matched: Mapping[int, int],
                     attr_lists: Mapping[str, list[Any]], merge_lists: Mapping[str, Any], gold: SeedGold,
                     spacy_preds: Sequence[Pred], spacy_matched: Mapping[int, int]) -> None:
    texts = run.texts
    print("\n  class map (gold -> accepted kgraph classes; 'other' unmapped):")
    for g, ks in CLASS_MAP.items():
        print(f"    {g:<14} -> {', '.join(sorted(ks))}")
    misses = [loc for gi, loc in enumerate(located) if gi not in matched]
    print(f"\n  misses ({len(misses)}):")
    for loc in misses:
        print("    " + _where(loc, texts[loc.gold.article]))
    taken = set(matched.values())
    fps = [p for pi, p in enumerate(preds) if pi not in taken]
    print(f"  false positives ({len(fps)}):")
    for p in fps:
        print("    " + _pred_line(p, texts[p.article], run))
    print(f"  class disagreements ({len(attr_lists['class'])}):")
    for loc, p in attr_lists["class"]:
        print(f"    gold {loc.gold.cls}, kgraph {p.mention.event_class if p.mention else '?'}: [{loc.gold.article[:3]}] {loc.gold.id} {loc.gold.trigger!r} / {p.text!r}")
    confusion = Counter((located[gi].gold.modality, m.modality) for gi, pi in matched.items() if (m := preds[pi].mention))
    print("  modality, gold (rows) x kgraph (columns):")
    print("    " + f"{'':<14}" + "".join(f"{m[:8]:>9}" for m in MODALITIES))
    for g in MODALITIES:
        print("    " + f"{g:<14}" + "".join(f"{confusion[(g, k)] or '.':>9}" for k in MODALITIES))
    print(f"  modality disagreements ({len(attr_lists['modality'])}):")
    for loc, p in attr_lists["modality"]:
        cue = p.mention.modality_cue if p.mention else None
        print(f"    gold {loc.gold.modality}, kgraph {p.mention.modality if p.mention else '?'} (cue {cue!r}): "
              f"[{loc.gold.article[:3]}] {loc.gold.id} {loc.gold.trigger!r}\n        in: {sentence_around(texts[loc.gold.article], loc.trigger)}")
    print(f"  argument misses ({len(attr_lists['argument'])}):")
    for loc, p, role, value, got in attr_lists["argument"]:
        print(f"    {role:<8} gold {value!r}, kgraph {got!r}: [{loc.gold.article[:3]}] {loc.gold.id} {loc.gold.trigger!r}")
    loc_of = merge_lists["matched"]
    cluster_of = {m: c for c, ms in gold.clusters.items() for m in ms}
    print(f"  kgraph events merging gold-different mentions across articles ({len(merge_lists['wrong_merges'])}):")
    for ev, gids in merge_lists["wrong_merges"]:
        print(f"    event #{ev} {run.label(ev)!r}:")
        for gid in gids:
            loc, p = loc_of[gid]
            print(f"      [{loc.gold.article[:3]}] {gid} ({cluster_of.get(gid, 'no cluster')}) {p.text!r}")
    print(f"  gold clusters split over several kgraph events ({len(merge_lists['split'])}):")
    for cid, members in merge_lists["split"]:
        parts: dict[Any, list[str]] = defaultdict(list)
        for m in members:
            if m in loc_of:
                parts[loc_of[m][1].event].append(f"{m} {loc_of[m][1].text!r}")
        missing = [m for m in members if m not in loc_of]
        print(f"    {cid} {gold.labels[cid]!r}" + (f"  (not matched: {', '.join(missing)})" if missing else ""))
        for ev, ms in parts.items():
            print(f"      #{ev} {run.label(ev)!r}: {'; '.join(ms)}")
    sp_taken = set(spacy_matched.values())
    print(f"  spaCy EVENT entities ({len(spacy_preds)}; matched {len(spacy_matched)}):")
    for pi, p in enumerate(spacy_preds):
        print(f"    {'match' if pi in sp_taken else 'fp   '} [{p.article[:3]}] {p.text!r}")


# --- MEANTIME -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MeantimeEvent:
    doc: str
    topic: str
    spans: tuple[Span, ...]
    text: str
    pos: str  # VERB / NOUN / other
    cls: str  # OTHER / SPEECH_COGNITIVE / GRAMMATICAL / MIX / (none)
    instance: str  # instance_id; a mention without one is its own instance
    name: str
    annotated: bool  # in a fully annotated sentence


def creation_date(doc: Mapping[str, Any]) -> str | None:
    """The document's CREATION_TIME value, when it is a day (YYYY-MM-DD)."""
    for t in doc["timex3"]:
        if t.get("functionInDocument") == "CREATION_TIME" and ISO_DAY.match(str(t.get("value", ""))):
            return str(t["value"])[:10]
    return None


def meantime_articles(docs: Sequence[Mapping[str, Any]]) -> list[Article]:
    return [
        Article(id=str(d["doc_id"]), text=d["text"], source=f"meantime:{d['doc_id']}", date=creation_date(d), url=d.get("url"))
        for d in docs
    ]


def meantime_gold(doc: Mapping[str, Any]) -> list[MeantimeEvent]:
    keep = set(doc["doc_level_annotated_sentences"])
    doc_id = str(doc["doc_id"])
    out = []
    for m in doc["event_mentions"]:
        pos = m.get("pos") if m.get("pos") in ("VERB", "NOUN") else "other"
        out.append(MeantimeEvent(
            doc=doc_id, topic=doc["topic"], spans=tuple((a, b) for a, b in m.get("spans") or [(m["start"], m["end"])]),
            text=m["text"], pos=pos, cls=m.get("class") or "(none)",
            instance=m.get("instance_id") or f"none:{doc_id}:{m['m_id']}", name=m.get("instance_name") or m["text"],
            annotated=m["sent"] in keep,
        ))
    return out


def scoped_prf(gold: Sequence[MeantimeEvent], preds: Sequence[Pred], matched: Mapping[int, int],
               ranges: Mapping[str, Sequence[Span]], keep_gold: Callable[[MeantimeEvent], bool] = lambda g: True) -> PRF:
    """P over predictions starting in annotated sentences, R over gold mentions in them (``keep_gold`` filters gold)."""
    taken = set(matched.values())
    scoped_preds = [pi for pi, p in enumerate(preds) if in_ranges(p.span[0], ranges[p.article])]
    scoped_gold = [gi for gi, g in enumerate(gold) if g.annotated and keep_gold(g)]
    return PRF(sum(pi in taken for pi in scoped_preds), len(scoped_preds), sum(gi in matched for gi in scoped_gold), len(scoped_gold))


def meantime_coref(gold: Sequence[MeantimeEvent], preds: Sequence[Pred], matched: Mapping[int, int]) -> dict[str, Any]:
    """Cross-document pairwise and B-cubed over matched gold mentions: kgraph and two baselines."""
    found = [(gold[gi], preds[pi], gi) for gi, pi in sorted(matched.items())]
    systems: dict[str, Callable[[MeantimeEvent, Pred, int], Hashable]] = {
        "kgraph": lambda g, p, gi: p.event,
        "singletons": lambda g, p, gi: gi,
        "same lemma in topic": lambda g, p, gi: (g.topic, p.mention.lemma if p.mention else p.text.lower()),
    }
    gold_pairs_all = cross_doc_pairs((g.doc, g.instance) for g in gold)
    out: dict[str, Any] = {"matched_mentions": len(found), "gold_mentions": len(gold), "gold_cross_doc_pairs_all": gold_pairs_all}
    for name, key in systems.items():
        pw = pairwise([(g.doc, g.instance, key(g, p, gi)) for g, p, gi in found])
        out[name] = {"pairwise": pw, "pairwise_recall_all_gold": ratio(pw["tp"], gold_pairs_all),
                     "b3": b_cubed([(g.instance, key(g, p, gi)) for g, p, gi in found])}
    return out


def meantime_wrong_merges(gold: Sequence[MeantimeEvent], preds: Sequence[Pred], matched: Mapping[int, int]) -> list[tuple[int | None, list[MeantimeEvent]]]:
    """kgraph events whose matched gold mentions include two of different instances in different documents."""
    by_event: dict[int | None, list[MeantimeEvent]] = defaultdict(list)
    for gi, pi in matched.items():
        by_event[preds[pi].event].append(gold[gi])
    wrong = []
    for ev, gs in by_event.items():
        if any(a.doc != b.doc and a.instance != b.instance for i, a in enumerate(gs) for b in gs[i + 1 :]):
            wrong.append((ev, sorted(gs, key=lambda g: (g.doc, g.spans))))
    return sorted(wrong, key=lambda w: -len(w[1]))


def run_meantime(args: argparse.Namespace, nlp: Language) -> dict[str, Any]:
    loader = import_loader(args.meantime)
    data = loader.load(str(args.meantime / "meantime_en_dev.jsonl"))
    articles = meantime_articles(data)
    run = run_kgraph(articles, nlp)
    ranges = {str(d["doc_id"]): annotated_sentence_ranges(d) for d in data}
    gold = [g for d in data for g in meantime_gold(d)]
    gold_spans = [(g.doc, g.spans) for g in gold]
    preds = run.predictions()
    matched = match_spans(gold_spans, preds)
    spacy_preds = run.spacy_events()
    spacy_matched = match_spans(gold_spans, spacy_preds)

    overall = scoped_prf(gold, preds, matched, ranges)
    emitted = scoped_prf(gold, preds, matched, ranges, lambda g: g.cls not in NOT_EMITTED)
    by_pos = {k: scoped_prf(gold, preds, matched, ranges, lambda g, k=k: g.pos == k) for k in MEANTIME_POS}
    by_class = {k: scoped_prf(gold, preds, matched, ranges, lambda g, k=k: g.cls == k) for k in MEANTIME_CLASSES}
    baseline = scoped_prf(gold, spacy_preds, spacy_matched, ranges)
    coref = meantime_coref(gold, preds, matched)
    undated = sum(a.date is None for a in articles)

    secs = run.seconds
    print(f"\n=== MEANTIME dev: {len(articles)} docs ({undated} without a CREATION_TIME day), {len(gold)} gold event mentions, "
          f"{sum(g.annotated for g in gold)} in annotated sentences; {len(preds)} kgraph event mentions in {len(run.events.events)} events; "
          f"parse {secs['parse']:.1f} s, extract {secs['extract']:.2f} s, resolve entities {secs['resolve_entities']:.2f} s, "
          f"events {secs['resolve_events']:.2f} s")
    print("\nEvent mentions in the annotated sentences (trigger overlap, one-to-one)")
    print(prf_header(34))
    print(prf_line("kgraph", overall, 34))
    print(prf_line("kgraph, gold w/o SPEECH/GRAMMATICAL", emitted, 34))
    print(prf_line("spaCy EVENT entities", baseline, 34))
    print("  kgraph recall by gold pos:   " + "   ".join(f"{k} {s.tp_gold}/{s.n_gold} = {pct(s.r).strip()}" for k, s in by_pos.items()))
    print("  kgraph recall by gold class: " + "   ".join(f"{k} {s.tp_gold}/{s.n_gold} = {pct(s.r).strip()}" for k, s in by_class.items() if s.n_gold))

    print(f"\nCross-document event coreference ({coref['matched_mentions']} of {coref['gold_mentions']} gold mentions matched anywhere; "
          f"{coref['gold_cross_doc_pairs_all']} gold cross-doc pairs among all gold mentions)")
    print(f"  {'system':<22}{'pair P':>8}{'pair R':>8}{'pair F1':>8}{'tp':>6}{'pred pr':>9}{'gold pr':>9}{'R(all)':>8}{'B3 P':>8}{'B3 R':>8}{'B3 F1':>8}")
    for name in ("kgraph", "singletons", "same lemma in topic"):
        c = coref[name]
        pw, b3 = c["pairwise"], c["b3"]
        print(f"  {name:<22}{pct(pw['p']):>8}{pct(pw['r']):>8}{pct(pw['f1']):>8}{pw['tp']:>6}{pw['pred_pairs']:>9}{pw['gold_pairs']:>9}"
              f"{pct(c['pairwise_recall_all_gold']):>8}{pct(b3['p']):>8}{pct(b3['r']):>8}{pct(b3['f1']):>8}")
    kgraph_seconds = secs["extract"] + secs["resolve_entities"] + secs["resolve_events"]
    print(f"\nTiming: spaCy parse {secs['parse']:.2f} s, kgraph after the parse {kgraph_seconds:.2f} s "
          f"(extraction {secs['extract']:.2f}, entity resolution {secs['resolve_entities']:.2f}, event resolution {secs['resolve_events']:.3f}); "
          f"{len(articles) / (secs['parse'] + kgraph_seconds):.1f} docs/s")
    if args.verbose:
        print_meantime_lists(run, gold, preds, matched, ranges)
    return {
        "documents": len(articles),
        "documents_without_date": undated,
        "gold_event_mentions": len(gold),
        "kgraph": {
            "detection": prf_dict(overall),
            "detection_without_speech_grammatical": prf_dict(emitted),
            "recall_by_pos": {k: prf_dict(s) for k, s in by_pos.items()},
            "recall_by_class": {k: prf_dict(s) for k, s in by_class.items()},
            "events": len(run.events.events),
            "mentions": len(preds),
        },
        "spacy_event_ents": {"detection": prf_dict(baseline)},
        "coref": coref,
        "seconds": {k: round(v, 3) for k, v in secs.items()},
    }


def print_meantime_lists(run: Run, gold: Sequence[MeantimeEvent], preds: Sequence[Pred], matched: Mapping[int, int],
                         ranges: Mapping[str, Sequence[Span]]) -> None:
    texts = run.texts
    taken = set(matched.values())
    fps = Counter(f"{p.mention.lemma}/{p.mention.event_class}" for pi, p in enumerate(preds)
                  if p.mention and pi not in taken and in_ranges(p.span[0], ranges[p.article]))
    misses = Counter(f"{g.text.lower()}/{g.pos}" for gi, g in enumerate(gold) if g.annotated and gi not in matched and g.cls not in NOT_EMITTED)
    print(f"\n  false positives in annotated sentences, by lemma/class ({sum(fps.values())}): "
          + ", ".join(f"{k} x{n}" for k, n in fps.most_common(30)))
    print(f"  missed gold (w/o SPEECH/GRAMMATICAL) in annotated sentences, most common ({sum(misses.values())}): "
          + ", ".join(f"{k} x{n}" for k, n in misses.most_common(30)))
    wrong = meantime_wrong_merges(gold, preds, matched)
    print(f"  kgraph events merging different gold instances across documents ({len(wrong)}; the first {WRONG_MERGES_SHOWN}):")
    for ev, gs in wrong[:WRONG_MERGES_SHOWN]:
        print(f"    event #{ev} {run.label(ev)!r}:")
        for g in gs:
            print(f"      [{g.doc}] {g.text!r} ({g.name}, {g.instance[:24]})  in: {sentence_around(texts[g.doc], g.spans[0], 120)}")


# --- main -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("seeds", "meantime"), help="run one section only")
    parser.add_argument("--verbose", action="store_true", help="list misses, false positives, disagreements and wrong merges")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the numbers to PATH as JSON")
    parser.add_argument("--no-save", action="store_true", help="do not also write bench/results/eval_events-*.json")
    parser.add_argument("--gold", type=Path, default=GOLD, help=f"seed gold file (default {GOLD.relative_to(REPO)})")
    parser.add_argument("--meantime", type=Path, default=DEFAULT_MEANTIME, help=f"MEANTIME dev directory (default {DEFAULT_MEANTIME})")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: what kgraph would choose)")
    args = parser.parse_args(argv)

    if args.only != "meantime":
        load_seed_gold(args.gold, SEEDS)  # fail on a bad gold file before anything slow
    started = time.perf_counter()
    model = choose_model(args.model)
    nlp = load_pipeline(model)
    load_seconds = time.perf_counter() - started
    result: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "commit": _git_state(),
        "model": model,
        "gold": str(args.gold),
        "class_map": {k: sorted(v) for k, v in CLASS_MAP.items()},
    }
    if args.only in (None, "seeds"):
        result["seeds"] = run_seeds(args, nlp)
    if args.only in (None, "meantime"):
        result["meantime"] = run_meantime(args, nlp)
    result["seconds"] = {"model_load": round(load_seconds, 2), "total": round(time.perf_counter() - started, 1)}
    print(f"\ntotal {result['seconds']['total']} s (model load {load_seconds:.1f} s; model {model}, commit {result['commit']})")

    write_results("eval_events", result, args.json, not args.no_save)
    return 0


if __name__ == "__main__":
    sys.exit(main())
