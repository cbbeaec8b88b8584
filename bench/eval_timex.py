#!/usr/bin/env python3
"""Time expressions of kgraph (``kgraph.extract.timex``), measured on MEANTIME (English, dev half).

Why: event extraction will place events in time with ``find_times``; this
shows how many of the dates a human marked it finds, how often its ISO
value is right, and what the article date (the anchor) buys, next to spaCy's
DATE entities alone.

Gold: the ``timex3`` list of each document. The one with
``functionInDocument == 'CREATION_TIME'`` is the dateline: it is not scored
and its ``value`` is the ``article_date`` (two documents have none; they are
scored with ``article_date=None``). Scored: ``type == 'DATE'`` timexes in the
fully annotated sentences (``doc_level_annotated_sentences``: title and
first four body sentences). Predictions are scored when they start in one
of those sentences. A prediction that overlaps no gold DATE but a gold
DURATION, SET or TIME (or the dateline) is "don't care": it is not counted,
since kgraph also finds durations and sets (with value ``None``) and the
gold marks them under other types.

Spans: P = predictions overlapping a gold DATE / predictions, R = gold
DATEs overlapped by a prediction / gold DATEs (lenient, not one-to-one, as
in ``eval_entities.py``); exact start-and-end matching is shown too. Values,
on matched gold DATEs (the overlapping prediction with the largest overlap):
exact string match of kgraph's ``value`` with the gold ``value``. Many gold
values are forms kgraph's value format cannot write (``PAST_REF``,
``2006-Q4``, ``2008-01-09TMO``, ``XXXX-XX-XX``, ``FY2007``, decades), so
accuracy is also shown on the "writable" gold values (``YYYY``,
``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY-Www``). The same spans are normalised a
second time with ``article_date=None`` to show what anchoring buys. The
baseline is spaCy's DATE entities as they are (span P/R only: spaCy does
not normalise).

Usage (from the repository root)::

    python bench/eval_timex.py                        # prints the table (~10 s); writes nothing
    python bench/eval_timex.py --examples 10          # also list misses, false positives and wrong values
    python bench/eval_timex.py --json /tmp/timex.json # also save every number (and every miss) as JSON
    python bench/eval_timex.py --no-save              # do not write bench/results/eval_timex-*.json

Like the other bench scripts it writes ``bench/results/eval_timex-*.json`` unless ``--no-save``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy.about
from eval_entities import (  # bench/ is on sys.path when a bench script runs
    DEFAULT_DATA,
    annotated_sentence_ranges,
    import_loader,
    in_ranges,
    write_results,
)

from kgraph.extract.timex import TimeExpression, find_times
from kgraph.nlp.pipeline import choose_model, load_pipeline

WRITABLE_VALUE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?|-W[0-9]{2})?")
DONT_CARE_TYPES = frozenset({"DURATION", "SET", "TIME"})


@dataclass(frozen=True, slots=True)
class GoldTimex:
    start: int
    end: int
    text: str
    value: str


@dataclass(frozen=True, slots=True)
class DocGold:
    """What one document gives the scorer: its anchor, the gold DATEs, and the don't-care spans."""

    article_date: dt.date | None
    dates: tuple[GoldTimex, ...]
    dont_care: tuple[tuple[int, int], ...]
    ranges: tuple[tuple[int, int], ...]


def doc_gold(doc: Mapping[str, Any]) -> DocGold:
    keep = set(doc["doc_level_annotated_sentences"])
    article_date = None
    dates: list[GoldTimex] = []
    dont_care: list[tuple[int, int]] = []
    for t in doc["timex3"]:
        if t.get("functionInDocument") == "CREATION_TIME":
            article_date = _parse_date(t.get("value", ""))
            dont_care.append((t["start"], t["end"]))
        elif t["sent"] in keep and t["type"] == "DATE":
            dates.append(GoldTimex(t["start"], t["end"], t["text"], t.get("value", "")))
        elif t["sent"] in keep and t["type"] in DONT_CARE_TYPES:
            dont_care.append((t["start"], t["end"]))
    return DocGold(article_date, tuple(dates), tuple(dont_care), tuple(annotated_sentence_ranges(doc)))


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


# --- scoring ----------------------------------------------------------------


@dataclass
class SpanScore:
    tp_pred: int = 0
    n_pred: int = 0
    tp_gold: int = 0
    n_gold: int = 0
    dont_care: int = 0  # scored-sentence predictions lying on a gold DURATION / SET / TIME only

    @property
    def p(self) -> float:
        return self.tp_pred / self.n_pred if self.n_pred else 0.0

    @property
    def r(self) -> float:
        return self.tp_gold / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"p": round(self.p, 4), "r": round(self.r, 4), "f1": round(self.f1, 4),
                "tp_pred": self.tp_pred, "n_pred": self.n_pred, "tp_gold": self.tp_gold, "n_gold": self.n_gold,
                "dont_care": self.dont_care}


def score_spans(gold: DocGold, preds: Sequence[tuple[int, int]], score: SpanScore, *, exact: bool) -> list[tuple[int, int]]:
    """Add one document to ``score``; returns the scored predictions that are false positives."""
    def hit(p: tuple[int, int], g: tuple[int, int]) -> bool:
        return p == g if exact else _overlap(p, g) > 0

    golds = [(g.start, g.end) for g in gold.dates]
    false_positives = []
    for p in preds:
        if not in_ranges(p[0], gold.ranges):
            continue
        if any(hit(p, g) for g in golds):
            score.tp_pred += 1
            score.n_pred += 1
        elif any(_overlap(p, d) > 0 for d in gold.dont_care) and not any(_overlap(p, g) > 0 for g in golds):
            score.dont_care += 1  # a duration, set or clock time the gold marks under another type
        else:
            score.n_pred += 1
            false_positives.append(p)
    score.n_gold += len(golds)
    score.tp_gold += sum(any(hit(p, g) for p in preds) for g in golds)
    return false_positives


@dataclass
class ValueScore:
    matched: int = 0
    right: int = 0
    writable: int = 0  # matched gold spans whose value kgraph's format can write
    writable_right: int = 0
    relative: int = 0  # matched spans kgraph reads as relative, with a writable gold value
    relative_right: int = 0

    def as_dict(self) -> dict[str, float | int]:
        def ratio(a: int, b: int) -> float:
            return round(a / b, 4) if b else 0.0

        return {
            "accuracy_all_matched": ratio(self.right, self.matched), "matched": self.matched, "right": self.right,
            "accuracy_writable_gold": ratio(self.writable_right, self.writable), "writable": self.writable,
            "writable_right": self.writable_right,
            "accuracy_relative_writable": ratio(self.relative_right, self.relative), "relative_writable": self.relative,
            "relative_right": self.relative_right,
        }


def score_values(gold: DocGold, found: Sequence[TimeExpression], score: ValueScore) -> list[tuple[GoldTimex, TimeExpression]]:
    """Add one document's matched gold DATEs to ``score``; returns the (gold, prediction) pairs that disagree."""
    wrong = []
    for g in gold.dates:
        candidates = [t for t in found if _overlap((t.start, t.end), (g.start, g.end)) > 0]
        if not candidates:
            continue
        best = max(candidates, key=lambda t: (_overlap((t.start, t.end), (g.start, g.end)), -t.start))
        ok = best.value == g.value
        score.matched += 1
        score.right += ok
        if WRITABLE_VALUE.fullmatch(g.value):
            score.writable += 1
            score.writable_right += ok
            if best.relative:
                score.relative += 1
                score.relative_right += ok
        if not ok:
            wrong.append((g, best))
    return wrong


# --- running ----------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"MEANTIME dev directory (default {DEFAULT_DATA})")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: what kgraph would choose)")
    parser.add_argument("--examples", type=int, default=0, help="list up to N misses, false positives and wrong values")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the numbers to PATH as JSON")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/eval_timex-*.json")
    args = parser.parse_args(argv)

    loader = import_loader(args.data)
    data_docs = loader.load(str(args.data / "meantime_en_dev.jsonl"))
    started = time.perf_counter()
    model = choose_model(args.model)
    nlp = load_pipeline(model)
    docs = list(nlp.pipe(d["text"] for d in data_docs))
    parse_seconds = time.perf_counter() - started

    golds = [doc_gold(d) for d in data_docs]
    spans = {name: {"overlap": SpanScore(), "exact": SpanScore()} for name in ("kgraph", "spaCy DATE")}
    anchored, unanchored = ValueScore(), ValueScore()
    misses: list[tuple[str, GoldTimex, str]] = []
    false_positives: list[tuple[str, str, str]] = []
    wrong_values: list[tuple[str, GoldTimex, TimeExpression]] = []
    started = time.perf_counter()
    found_total = 0
    for d, doc, gold in zip(data_docs, docs, golds, strict=True):
        doc_id = str(d["doc_id"])
        found = find_times(doc, gold.article_date)
        bare = find_times(doc, None)
        if [(t.start, t.end) for t in found] != [(t.start, t.end) for t in bare]:
            raise RuntimeError(f"{doc_id}: the spans found depend on the article date")
        found_total += len(found)
        systems = {
            "kgraph": [(t.start, t.end) for t in found],
            "spaCy DATE": [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "DATE"],
        }
        for name, preds in systems.items():
            for matching, score in spans[name].items():
                fps = score_spans(gold, preds, score, exact=matching == "exact")
                if name == "kgraph" and matching == "overlap":
                    false_positives += [(doc_id, doc.text[a:b], gold.article_date.isoformat() if gold.article_date else "-") for a, b in fps]
        for g in gold.dates:
            if not any(_overlap((t.start, t.end), (g.start, g.end)) > 0 for t in found):
                misses.append((doc_id, g, _context(doc.text, g.start, g.end)))
        wrong_values += [(doc_id, g, t) for g, t in score_values(gold, found, anchored)]
        score_values(gold, bare, unanchored)
    find_seconds = time.perf_counter() - started

    result: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "data": str(args.data),
        "model": model,
        "spacy": spacy.about.__version__,
        "documents": len(data_docs),
        "documents_without_article_date": sum(g.article_date is None for g in golds),
        "gold_dates": sum(len(g.dates) for g in golds),
        "gold_dates_writable_value": sum(bool(WRITABLE_VALUE.fullmatch(t.value)) for g in golds for t in g.dates),
        "kgraph_expressions_found": found_total,
        "seconds": {"parse": round(parse_seconds, 2), "find_times_x2": round(find_seconds, 3)},
        "spans": {name: {m: s.as_dict() for m, s in by.items()} for name, by in spans.items()},
        "values": {"with_article_date": anchored.as_dict(), "without_article_date": unanchored.as_dict()},
        "kgraph_misses": [{"doc": i, "text": g.text, "value": g.value} for i, g, _ in misses],
        "kgraph_wrong_values": [{"doc": i, "text": g.text, "gold": g.value, "kgraph": t.value, "kgraph_text": t.text} for i, g, t in wrong_values],
        "kgraph_false_positives": [{"doc": i, "text": text} for i, text, _ in false_positives],
    }
    _print(result, misses, false_positives, wrong_values, args.examples)

    write_results("eval_timex", result, args.json, not args.no_save)
    return 0


def _context(text: str, start: int, end: int, width: int = 50) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"...{left}[{text[start:end]}]{right}..."


def _print(
    result: Mapping[str, Any],
    misses: Sequence[tuple[str, GoldTimex, str]],
    false_positives: Sequence[tuple[str, str, str]],
    wrong_values: Sequence[tuple[str, GoldTimex, TimeExpression]],
    examples: int,
) -> None:
    print(
        f"MEANTIME dev: {result['documents']} docs ({result['documents_without_article_date']} without a dateline), "
        f"{result['gold_dates']} gold DATE timexes in the fully annotated sentences "
        f"({result['gold_dates_writable_value']} with a value kgraph's format can write); "
        f"model {result['model']} (spaCy {result['spacy']}); parse {result['seconds']['parse']:.1f} s, "
        f"find_times (twice per doc) {result['seconds']['find_times_x2']:.2f} s"
    )
    print(f"\n{'Spans (DATE)':<28}{'P':>7}{'R':>7}{'F1':>7}{'#pred':>7}{'#gold':>7}{'#not scored':>13}")
    for name, by in result["spans"].items():
        for matching, s in by.items():
            print(f"{name + ' | ' + matching:<28}{s['p']:>7.3f}{s['r']:>7.3f}{s['f1']:>7.3f}{s['n_pred']:>7d}{s['n_gold']:>7d}{s['dont_care']:>13d}")
    print("(#not scored: predictions on a gold DURATION, SET or TIME and no gold DATE)")
    print(f"\n{'Values on matched gold DATEs':<34}{'all matched':>16}{'writable gold':>16}{'relative, writable':>22}")
    for name, v in (("with article_date", result["values"]["with_article_date"]), ("without (article_date=None)", result["values"]["without_article_date"])):
        print(
            f"{name:<34}{v['accuracy_all_matched']:>8.3f} ({v['right']:>3}/{v['matched']:<3})"
            f"{v['accuracy_writable_gold']:>8.3f} ({v['writable_right']:>3}/{v['writable']:<3})"
            f"{v['accuracy_relative_writable']:>12.3f} ({v['relative_right']:>3}/{v['relative_writable']:<3})"
        )
    if examples > 0:
        print(f"\nkgraph misses ({len(misses)}):")
        for doc_id, g, context in misses[:examples]:
            print(f"  {doc_id}: {g.text!r} ({g.value})  {context}")
        print(f"kgraph false positives ({len(false_positives)}):")
        for doc_id, text, date in false_positives[:examples]:
            print(f"  {doc_id} ({date}): {text!r}")
        kinds = Counter("gold not writable" if not WRITABLE_VALUE.fullmatch(g.value) else "wrong" for _, g, _t in wrong_values)
        print(f"kgraph values that differ from gold ({len(wrong_values)}: {dict(kinds)}):")
        for doc_id, g, t in wrong_values[:examples]:
            print(f"  {doc_id}: gold {g.text!r}={g.value}  kgraph {t.text!r}={t.value}")


if __name__ == "__main__":
    sys.exit(main())
