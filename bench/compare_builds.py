"""Compare two kgraph builds quad for quad (a refactoring must not change the graph).

    python bench/compare_builds.py OUT_A OUT_B [--show 20]

Reads both ``store/`` directories read-only, compares the sorted N-Quads lines,
and prints how many quads each has and the first differences. Exit 0 when the
two graphs are identical, 1 when they differ, 2 on a bad argument.

To compare against an earlier commit, build with that commit's source first:

    git worktree add /tmp/base COMMIT
    PYTHONPATH=/tmp/base/src python -m kgraph.cli build INPUTS -o /tmp/out-base --no-cache
    kgraph build INPUTS -o /tmp/out-new --no-cache
    python bench/compare_builds.py /tmp/out-base /tmp/out-new
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyoxigraph


def quads(out_dir: Path) -> set[str]:
    """Every quad of a build's store as an N-Quads line (kgraph mints no blank nodes)."""
    store_dir = out_dir / "store"
    if not store_dir.is_dir():
        sys.exit(f"compare_builds: {out_dir} has no store/ (is it a kgraph build?)")
    return {str(q) for q in pyoxigraph.Store.read_only(str(store_dir))}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    ap.add_argument("--show", type=int, default=20, help="differences to print on each side")
    args = ap.parse_args()
    qa, qb = quads(args.a), quads(args.b)
    only_a, only_b = sorted(qa - qb), sorted(qb - qa)
    print(f"{args.a}: {len(qa)} quads; {args.b}: {len(qb)} quads; {len(only_a)} only in the first, {len(only_b)} only in the second")
    for label, lines in (("-", only_a), ("+", only_b)):
        for line in lines[: args.show]:
            print(label, line)
    return 0 if not only_a and not only_b else 1


if __name__ == "__main__":
    sys.exit(main())
