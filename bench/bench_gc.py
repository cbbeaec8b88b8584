#!/usr/bin/env python3
"""Time Python's cyclic garbage collector during one real build: during the parse, and after it.

Why this exists: a full collection walks every live object, and after the parse
the build holds every article's findings while the corpus-wide stages allocate
beside them. ``kgraph.build`` freezes the findings for those stages
(``_settled_heap``); this says what the collector still costs, so that a change
that brings the cost back shows. Every collection is timed through
``gc.callbacks``; the end of the parse loop is when ``extract_all`` returns.

    python bench/bench_gc.py /tmp/kg1k/corpus/real.jsonl      # a corpus bench_build.py --keep wrote
"""

from __future__ import annotations

import argparse
import gc
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import kgraph.build as build_module
from kgraph.build import build
from kgraph.nlp.pipeline import load_pipeline


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", type=Path, help="what `kgraph build` would read")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: kgraph's choice)")
    args = parser.parse_args(argv)
    nlp = load_pipeline(args.model)
    seconds = {"during": [0.0, 0, 0.0, 0], "after": [0.0, 0, 0.0, 0]}  # phase -> [young s, young n, full s, full n]
    phase = ["during"]
    began = [0.0]

    def timer(event: str, info: dict[str, Any]) -> None:
        if event == "start":
            began[0] = time.perf_counter()
            return
        row = seconds[phase[0]]
        full = info["generation"] == 2
        row[2 if full else 0] += time.perf_counter() - began[0]
        row[3 if full else 1] += 1

    extract_all = build_module.extract_all

    def parse_then_mark(*a: Any, **k: Any) -> Any:
        try:
            return extract_all(*a, **k)
        finally:
            phase[0] = "after"

    build_module.extract_all = parse_then_mark  # type: ignore[assignment]
    out = Path(tempfile.mkdtemp(prefix="kgraph-gc-"))
    gc.callbacks.append(timer)
    started = time.perf_counter()
    try:
        result = build(args.inputs, out / "out", nlp=nlp)
    finally:
        gc.callbacks.remove(timer)
        build_module.extract_all = extract_all  # type: ignore[assignment]
        shutil.rmtree(out, ignore_errors=True)
    wall = time.perf_counter() - started
    print(f"build of {len(result.articles):,} articles: {wall:.1f} s wall, parse loop {result.parse_seconds:.1f} s, "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")
    for name, (young, n_young, full, n_full) in seconds.items():
        print(f"  {name:>6} the parse: full collections {full:.2f} s ({n_full}), younger ones {young:.2f} s ({n_young})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
