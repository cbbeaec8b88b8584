#!/usr/bin/env python3
"""Fit the confidence of claim relations on the judged news-dev sample, and say how well it is calibrated.

What runs: ``kgraph.build.build()`` on all of ``../shared/data/news-dev`` into a temporary
directory (reusing the findings cache of ``--build OUT`` when given, so nothing is parsed
again), with the claim comparison's relations captured as they are made, each with the
measures its rule took (:class:`kgraph.analyze.calibration.RelationFeatures`). The judged
relations of ``bench/gold/relations_news_dev.json`` (every round; ``unsure`` left out)
are matched to them by their two claims. The logistic model of
:mod:`kgraph.analyze.calibration` is then fitted:

* out of fold (``--folds``, whole articles kept together is not needed: a relation is one
  judged item), to print an honest reliability table (judged precision per confidence
  band), the Brier score against the hand-set bases, and what a user filtering at a
  confidence keeps;
* on everything, and with ``--write`` saved to ``src/kgraph/analyze/claim-calibration.json``.

Usage::

    python bench/calibrate_relations.py --build /tmp/nd            # an existing news-dev build's cache
    python bench/calibrate_relations.py --build /tmp/nd --write    # and save the fitted model
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import kgraph.build as pipeline  # noqa: E402
from kgraph.analyze.calibration import Calibration, RelationFeatures, fit_logistic, load_calibration  # noqa: E402
from kgraph.analyze.claims import ClaimRelation  # noqa: E402
from kgraph.cache import CACHE_DIRNAME  # noqa: E402

NEWS = REPO.parent / "shared" / "data" / "news-dev" / "fnc1_train_bodies.jsonl"
GOLD = REPO / "bench" / "gold" / "relations_news_dev.json"
MODEL = REPO / "src" / "kgraph" / "analyze" / "claim-calibration.json"
BANDS = (0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
Key = tuple[str, tuple[str, int, int], tuple[str, int, int]]


def pair_key(kind: str, a: tuple[str, int, int], b: tuple[str, int, int]) -> Key:
    x, y = sorted([a, b])
    return kind, x, y


def capture_relations(corpus: Path, cache_from: Path | None) -> list[ClaimRelation]:
    """The relations a build of ``corpus`` makes, with their features (a build into a temporary directory)."""
    captured: list[ClaimRelation] = []
    compare = pipeline.compare_claims

    def spy(*args: Any, **kwargs: Any) -> tuple[ClaimRelation, ...]:
        found = compare(*args, **kwargs)
        captured.extend(found)
        return found

    pipeline.compare_claims = spy  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory(prefix="kgraph-calibrate-") as tmp:
            out = Path(tmp) / "out"
            if cache_from is not None and (cache_from / CACHE_DIRNAME).is_dir():
                shutil.copytree(cache_from / CACHE_DIRNAME, out / CACHE_DIRNAME)
            pipeline.build([corpus], out, notify=lambda m: print(f"  {m}", file=sys.stderr))
    finally:
        pipeline.compare_claims = compare  # type: ignore[assignment]
    return captured


def judged_samples(relations: Sequence[ClaimRelation], gold: dict[str, Any]) -> tuple[list[tuple[RelationFeatures, bool]], Counter[str]]:
    """(features, accepted) for each judged relation the build still makes; counts of what matched."""
    verdicts: dict[Key, str] = {}
    for item in gold["items"]:
        a, b = item["a"], item["b"]
        verdicts[pair_key(item["kind"], (a["article"], a["start"], a["end"]), (b["article"], b["start"], b["end"]))] = item["verdict"]
    samples: list[tuple[RelationFeatures, bool]] = []
    seen: Counter[str] = Counter()
    for r in relations:
        v = verdicts.get(pair_key(r.kind, (r.a.article_id, r.a.start, r.a.end), (r.b.article_id, r.b.start, r.b.end)))
        if v is None or r.features is None:
            continue
        seen[v] += 1
        if v != "unsure":
            samples.append((r.features, v == "accept"))
    seen["judged items"] = len(verdicts)
    return samples, seen


def out_of_fold(samples: Sequence[tuple[RelationFeatures, bool]], base: dict[str, float], folds: int, l2: float,
                seed: int = 13) -> list[float]:
    """Each sample's confidence from a model fitted without its fold."""
    order = list(range(len(samples)))
    random.Random(seed).shuffle(order)
    predicted = [0.0] * len(samples)
    for k in range(folds):
        test = set(order[k::folds])
        train = [s for i, s in enumerate(samples) if i not in test]
        model = Calibration(base=base, weights=fit_logistic(train, base, l2=l2))
        for i in test:
            predicted[i] = model.confidence(samples[i][0])
    return predicted


def reliability(predicted: Sequence[float], accepted: Sequence[bool], repeats: int = 1) -> list[str]:
    """Judged precision per confidence band; counts are per repeat of the cross-validation."""
    lines = ["| confidence | judged | accepted | precision |", "| --- | ---: | ---: | ---: |"]
    for lo, hi in zip(BANDS, BANDS[1:]):
        inside = [a for p, a in zip(predicted, accepted) if lo <= p < hi]
        if inside:
            lines.append(f"| {lo:.1f}–{min(hi, 1.0):.1f} | {len(inside) / repeats:.0f} | {sum(inside) / repeats:.0f} | {sum(inside) / len(inside):.0%} |")
    return lines


def at_thresholds(predicted: Sequence[float], accepted: Sequence[bool], repeats: int = 1) -> list[str]:
    """What a user filtering at a confidence keeps, and how much of it a reader signs."""
    lines = ["| keep confidence ≥ | kept | accepted | precision |", "| ---: | ---: | ---: | ---: |"]
    for t in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        kept = [a for p, a in zip(predicted, accepted) if p >= t]
        if kept:
            lines.append(f"| {t:.1f} | {len(kept) / repeats:.0f} | {sum(kept) / repeats:.0f} | {sum(kept) / len(kept):.0%} |")
    return lines


def brier(predicted: Sequence[float], accepted: Sequence[bool]) -> float:
    return sum((p - a) ** 2 for p, a in zip(predicted, accepted)) / max(len(predicted), 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, help="a news-dev build whose findings cache to reuse")
    parser.add_argument("--corpus", type=Path, default=NEWS)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=10, help="cross-validations with different folds, pooled (default 10)")
    parser.add_argument("--l2", type=float, default=2.0, help="shrinkage towards the rules' bases (default 2)")
    parser.add_argument("--write", action="store_true", help=f"save the model fitted on every judged relation to {MODEL.name}")
    args = parser.parse_args(argv)
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    relations = capture_relations(args.corpus, args.build)
    samples, seen = judged_samples(relations, gold)
    base = dict(load_calibration().base)
    accepted = [a for _, a in samples]
    print(f"{len(relations)} relations in the build; {seen['judged items']} judged items, {sum(seen.values()) - seen['judged items']} "
          f"of them still made ({seen['accept']} accept, {seen['reject']} reject, {seen['unsure']} unsure)")
    by_rule: Counter[tuple[str, str, bool]] = Counter((f.rule, f.basis, a) for f, a in samples)
    for rule, basis in sorted({(r, b) for r, b, _ in by_rule}):
        yes, no = by_rule[(rule, basis, True)], by_rule[(rule, basis, False)]
        print(f"  {rule:20s} {basis:11s} {yes:3d}/{yes + no:3d} accepted")
    hand = [Calibration(base=base).confidence(f) for f, _ in samples]
    oof = [p for seed in range(args.repeats) for p in out_of_fold(samples, base, args.folds, args.l2, seed=seed)]
    pooled = accepted * args.repeats
    share = sum(accepted) / max(len(accepted), 1)
    print(f"\nBrier score (lower is better): rules' bases {brier(hand, accepted):.3f}, one constant ({share:.2f}) "
          f"{brier([share] * len(accepted), accepted):.3f}, fitted out of fold {brier(oof, pooled):.3f}")
    print(f"\nOut-of-fold reliability (what a fresh sample would see; {args.folds} folds, {args.repeats} repeats, counts per repeat):")
    print("\n".join(reliability(oof, pooled, args.repeats)))
    print("\nFiltering at a confidence (out of fold):")
    print("\n".join(at_thresholds(oof, pooled, args.repeats)))
    weights = fit_logistic(samples, base, l2=args.l2)
    print("\nWeights fitted on all:", json.dumps(weights, sort_keys=True))
    if args.write:
        model = Calibration(base=base, weights=weights,
                            fitted_on=f"{len(samples)} judged news-dev relations ({GOLD.relative_to(REPO)}), l2 {args.l2}")
        tmp = MODEL.with_suffix(".json.tmp")
        tmp.write_text(model.to_json(brier_out_of_fold=round(brier(oof, pooled), 4), judged=len(samples),
                                     accepted=sum(accepted)), encoding="utf-8")
        tmp.replace(MODEL)
        print(f"written: {MODEL.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
