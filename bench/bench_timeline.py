#!/usr/bin/env python3
"""When each step of one real build runs, and on which thread: where the build's tail waits.

Why this exists: after the parse, the store's write to disk, the exports and the map
run on threads beside each other (``kgraph.build``), so a stage timing alone does not
say which of them the build waits for. This wraps the build's own steps (the names
``kgraph.build`` calls them by) with a timer and prints, in start order, when each
call began and ended, in seconds since the build started. ``create_store`` consumes
the quad generator, so its span holds stories, claim comparison and RDF emission.

    python bench/bench_timeline.py /tmp/kg1k/corpus/real.jsonl      # a corpus bench_build.py --keep wrote
    python bench/bench_timeline.py /tmp/kg1k/corpus/real.jsonl --from-build /tmp/kg1k/out   # the tail only

``--from-build`` copies an earlier build of the same inputs first, so that its findings are reused
and only the corpus-wide stages and the outputs run (what the build's tail waits for, with no parse).
"""

from __future__ import annotations

import argparse
import functools
import shutil
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import kgraph.build as build_module
from kgraph.build import build
from kgraph.nlp.pipeline import load_pipeline

#: The steps timed: functions ``kgraph.build`` imports and calls by these names.
STEPS = (
    "extract_all", "corpus_mentions", "resolve_entities", "create_store", "compare_claims", "analysis_result", "persist",
    "export", "turtle_from_trig", "render_map", "render_report", "_stage_cache", "commit",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", type=Path, help="what `kgraph build` would read")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: kgraph's choice)")
    parser.add_argument("--from-build", type=Path, default=None,
                        help="an earlier build of the same inputs, copied first so that its findings cache is reused")
    args = parser.parse_args(argv)
    nlp = load_pipeline(args.model)
    spans: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    started = [0.0]
    originals = {name: getattr(build_module, name) for name in STEPS if hasattr(build_module, name)}  # older builds lack some

    def timed(name: str, step: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(step)
        def run(*a: Any, **k: Any) -> Any:
            begin = time.perf_counter() - started[0]
            try:
                return step(*a, **k)
            finally:
                thread = "main" if threading.current_thread() is threading.main_thread() else "thread"
                spans[name].append((begin, time.perf_counter() - started[0], thread))
        return run

    for name, step in originals.items():
        setattr(build_module, name, timed(name, step))
    out = Path(tempfile.mkdtemp(prefix="kgraph-timeline-"))
    if args.from_build is not None:
        shutil.copytree(args.from_build, out / "out", ignore=shutil.ignore_patterns(".kgraph.lock"))
    started[0] = time.perf_counter()
    try:
        result = build(args.inputs, out / "out", nlp=nlp)
    finally:
        for name, step in originals.items():
            setattr(build_module, name, step)
        shutil.rmtree(out, ignore_errors=True)
    wall = time.perf_counter() - started[0]
    print(f"build of {len(result.articles):,} articles: {wall:.1f} s wall (model loaded before)")
    for name, calls in sorted(spans.items(), key=lambda kv: kv[1][0][0]):
        shown = ", ".join(f"{a:.1f}-{b:.1f} s ({b - a:.1f} s, {thread})" for a, b, thread in calls)
        print(f"  {name:<18} {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
