#!/usr/bin/env python3
"""Benchmark of incremental builds: one new article on top of a 200-article build.

Why this exists: ``kgraph build NEW --into out/`` parses only the new article,
but reruns every corpus-wide step (name propagation, resolution, emission,
store load, exports, map, report) over the whole corpus. This measures what
that costs against a full rebuild, which is the alternative a user would have.

Measurements (each in a fresh child process, the model loaded and warmed before
the clock starts, as in ``bench_build.py``; each output directory is a fresh copy
of the base build, copied before the clock starts):

- ``base``: ``build()`` of the N-article corpus into an empty directory;
- ``into``: ``build([new], out, into=True)``: 1 new article added to the base;
- ``into-nothing-new``: ``--into`` with an article already in the graph (nothing
  to parse: the fixed cost of the corpus-wide steps);
- ``rebuild``: ``build()`` of the N+1 articles into an empty directory (no cache);
- ``rebuild-cached``: ``build()`` of the N+1 articles over the base (plain build
  reusing cached findings: parses only the new one);
- ``remove``: ``remove([one id], out)``;
- ``cli-into``: ``kgraph build NEW --into out -q`` as a user runs it, wall time
  from outside (includes interpreter start, imports and model load).

The corpus is the five seeds cycled, each copy with its own closing sentence
(``bench_build.make_corpus``); the new article is copy N.

Usage (from the repository root)::

    python bench/bench_incremental.py                 # 200 articles
    python bench/bench_incremental.py --articles 200 --repeat 2 --json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import (
    RESULTS,
    cpu_seconds,
    environment,
    make_corpus,
    peak_rss_mib,
    warmed_pipeline,
)

from kgraph.build import BuildResult, build, remove

PHASES = ("base", "into", "into-nothing-new", "rebuild", "rebuild-cached", "remove")


def _facts(result: BuildResult, seconds: float, cpu: float, load_seconds: float) -> dict[str, Any]:
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "parse_seconds": result.parse_seconds,
        "parsed": result.parsed,
        "reused": result.reused,
        "added": len(result.added),
        "removed": len(result.removed),
        "same_as": result.same_as,
        "articles": len(result.articles),
        "entities": result.entity_count,
        "quads": result.quad_count,
        "model_load_seconds": load_seconds,
        "peak_rss_mib": peak_rss_mib(),
    }


def phase(name: str, work: Path, out: Path, model: str | None) -> dict[str, Any]:
    """One measured call in this (child) process."""
    nlp, load_seconds = warmed_pipeline(model)
    corpus, new = work / "corpus", work / "new"
    calls = {
        "base": lambda: build([corpus], out, nlp=nlp),
        "into": lambda: build([new], out, into=True, nlp=nlp),
        "into-nothing-new": lambda: build([next(corpus.iterdir())], out, into=True, nlp=nlp),
        "rebuild": lambda: build([corpus, new], out, nlp=nlp),
        "rebuild-cached": lambda: build([corpus, new], out, nlp=nlp),
        "remove": lambda: remove([min(p.stem for p in corpus.iterdir())], out, nlp=nlp),
    }
    cpu_started = cpu_seconds()
    started = time.perf_counter()
    result = calls[name]()
    return _facts(result, time.perf_counter() - started, cpu_seconds() - cpu_started, load_seconds)


def run_phase(name: str, work: Path, out: Path, model: str | None) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--phase", name, "--work", str(work), "--out", str(out)]
    command += ["--model", model] if model else []
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"phase {name!r} failed with exit code {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cli_into(work: Path, out: Path, model: str | None) -> dict[str, Any]:
    command = [sys.executable, "-m", "kgraph.cli", "build", str(work / "new"), "--into", str(out), "-q"]
    command += ["--model", model] if model else []
    started = time.perf_counter()
    subprocess.run(command, check=True)
    return {"seconds": time.perf_counter() - started}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200, help="articles in the base build (default 200)")
    parser.add_argument("--repeat", type=int, default=1, help="measure every phase K times, keep the fastest (default 1)")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: what kgraph would choose)")
    parser.add_argument("--keep", type=Path, default=None, help="work under DIR and keep it")
    parser.add_argument("--json", action="store_true", help="also print one machine-readable JSON line")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/*.json")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        print(json.dumps(phase(args.phase, args.work, args.out, args.model)))
        return 0

    env = environment(args.model)
    holder = tempfile.TemporaryDirectory(prefix="kgraph-bench-inc-") if args.keep is None else None
    work = Path(holder.name) if holder else args.keep.resolve()
    work.mkdir(parents=True, exist_ok=True)
    try:
        for name in ("corpus", "new", "base"):
            shutil.rmtree(work / name, ignore_errors=True)
        make_corpus(work / "corpus", args.articles)
        extra = make_corpus(work / "all", args.articles + 1)[-1]
        (work / "new").mkdir()
        shutil.move(extra, work / "new" / extra.name)
        shutil.rmtree(work / "all")
        _say(f"base build of {args.articles} articles ...")
        runs: dict[str, list[dict[str, Any]]] = {"base": [run_phase("base", work, work / "base", args.model)]}
        _say(f"  {runs['base'][0]['seconds']:.1f} s")
        for round_ in range(1, args.repeat + 1):
            for name in (*PHASES[1:], "cli-into"):
                out = work / f"out-{name}"
                shutil.rmtree(out, ignore_errors=True)
                if name != "rebuild":
                    shutil.copytree(work / "base", out)
                _say(f"[{round_}/{args.repeat}] {name} ...")
                done = cli_into(work, out, args.model) if name == "cli-into" else run_phase(name, work, out, args.model)
                runs.setdefault(name, []).append(done)
                _say(f"  {done['seconds']:.2f} s")
                shutil.rmtree(out, ignore_errors=True)
    finally:
        if holder:
            holder.cleanup()

    best = {name: min(rs, key=lambda r: r["seconds"]) for name, rs in runs.items()}
    result = {"env": env, "articles": args.articles, "repeat": args.repeat, "best": best, "runs": runs,
              "ratio_into_to_rebuild": best["into"]["seconds"] / best["rebuild"]["seconds"]}
    _print(result)
    if not args.no_save:
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"bench_incremental-{dt.datetime.now().strftime('%Y%m%dT%H%M%S')}.json"
        path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"\nresults written to {path}")
    if args.json:
        print(json.dumps(result, separators=(",", ":")))
    return 0


def _print(result: dict[str, Any]) -> None:
    best = result["best"]
    print(f"\n{result['articles']} articles + 1; model {result['env']['model']}; fastest of {result['repeat']} run(s) per row\n")
    print(f"| {'run':<18} | {'wall s':>7} | {'CPU s':>6} | {'parse s':>7} | {'parsed':>6} | {'reused':>6} | {'quads':>8} |")
    print(f"| {'-' * 18} | {'-' * 6}: | {'-' * 5}: | {'-' * 6}: | {'-' * 5}: | {'-' * 5}: | {'-' * 7}: |")
    for name in ("base", *PHASES[1:]):
        r = best[name]
        print(f"| {name:<18} | {r['seconds']:7.2f} | {r['cpu_seconds']:6.2f} | {r['parse_seconds']:7.2f} | {r['parsed']:6d} | {r['reused']:6d} | {r['quads']:8d} |")
    print(f"| {'cli-into':<18} | {best['cli-into']['seconds']:7.2f} | {'':>6} | {'':>7} | {'':>6} | {'':>6} | {'':>8} |")
    print(f"\n--into 1 new / full rebuild: {result['ratio_into_to_rebuild']:.3f}")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
