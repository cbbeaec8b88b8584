#!/usr/bin/env python3
"""What a rebuild costs after a change of kgraph's rules only: the kept parses against parsing again.

Measurement, not a test. An edit of an extraction rule or a word list changes the
findings key (:func:`kgraph.cache.findings_key`), so every cached finding is stale,
but the text and the pipeline are the same: the build re-reads each article's kept
parse (:mod:`kgraph.nlp.docs`) instead of running spaCy. This script makes that
situation without editing any file: it builds ``INPUT`` into ``OUT`` unless ``OUT``
already holds a build of it (then that one is the baseline, and its quads are
read back), copies ``OUT``, rebuilds the copy under a findings key with another
extractor digest, and prints the time, the counters and whether the two graphs hold
the same quads (sha256 of the sorted N-Quads).

    python bench/bench_rules_change.py ../shared/data/news-dev /tmp/kg-news-dev
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import time
from pathlib import Path
from typing import Any

import kgraph.cache as cache_module
from kgraph.build import build
from pyoxigraph import RdfFormat, Store


def quads_digest(out: Path) -> tuple[int, str]:
    """(quad count, sha256 of the sorted N-Quads) of the store in ``out``."""
    store = Store.read_only(str(out / "store"))
    lines = sorted(store.dump(format=RdfFormat.N_QUADS).splitlines())
    return len(lines), hashlib.sha256(b"\n".join(lines)).hexdigest()[:16]


def timed_build(inputs: list[str], out: Path) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = build(inputs, out, notify=lambda msg: print(f"  kgraph: {msg}"))
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="what to build (files or folders, as for kgraph build)")
    parser.add_argument("out", type=Path, help="the baseline build (made if missing); OUT-rules is the rebuild")
    args = parser.parse_args()
    if not (args.out / "store").is_dir():
        first, wall, cpu = timed_build([args.input], args.out)
        print(f"first build: {first.parsed} parsed, {wall:.1f} s wall, {cpu:.1f} s CPU, parse+extract {first.parse_seconds:.1f} s")
    again = args.out.with_name(args.out.name + "-rules")
    shutil.rmtree(again, ignore_errors=True)
    shutil.copytree(args.out, again)

    real_key = cache_module.findings_key

    def edited_rules(name: str, version: str) -> Any:
        key = real_key(name, version)
        return type(key)(**{**{f: getattr(key, f) for f in key.__slots__}, "extractor": "edited-rules"})

    cache_module.findings_key = edited_rules  # what an edit of kgraph.extract does to the key
    result, wall, cpu = timed_build([args.input], again)
    print(
        f"rebuild after a change of rules: {result.parsed} parsed, {result.restored} re-read from kept parses, "
        f"{result.reused} reused; {wall:.1f} s wall, {cpu:.1f} s CPU, re-read+extract {result.parse_seconds:.1f} s"
    )
    before, after = quads_digest(args.out), quads_digest(again)
    print(f"quads: baseline {before[0]:,} ({before[1]}), rebuild {after[0]:,} ({after[1]}): {'same' if before == after else 'DIFFERENT'}")


if __name__ == "__main__":
    main()
