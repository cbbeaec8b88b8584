#!/usr/bin/env python3
"""Load benchmark of ``kgraph serve``: concurrent SPARQL clients on loopback over the seeds build.

Not a test: it asserts nothing. It builds the seeds (or uses ``--out DIR``),
starts the real ``kgraph serve`` command on a free loopback port, and runs
bounded rounds of 1, 4 and 16 client threads (``--threads``). Each thread
keeps one HTTP/1.1 connection and sends the example queries of ``queries/``
in turn (POST, form-encoded, ``Accept: application/sparql-results+json``),
reading every answer in full. A round stops after ``--seconds`` or
``--max-requests``, whichever comes first, after a short warm-up that is not
counted. Reported per round: queries/second, latency p50/p95/p99/max and
non-200 answers; per query, its median latency.

For comparison (``--direct``, on by default) the same rounds run against the
bare Oxigraph server on the same store (``oxigraph serve-read-only
--union-default-graph``, prefixes declared by the client), which shows what
the guarding proxy costs. Clients and servers share this machine's CPUs,
so the client threads themselves take a part of it.

Usage (from the repository root)::

    python bench/bench_serve.py                        # threads 1 4 16, 10 s a round
    python bench/bench_serve.py --threads 1 4 --seconds 5 --no-direct --json
    python bench/bench_serve.py --out out              # an existing build instead of the seeds
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
QUERIES = sorted((REPO / "queries").glob("*.rq"))
WARMUP_SECONDS = 1.0


@dataclass
class Round:
    target: str
    threads: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds, every counted request
    by_query: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[int, int] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies)

        def pct(p: float) -> float:
            return round(1000 * lat[min(len(lat) - 1, int(p / 100 * len(lat)))], 2) if lat else float("nan")

        return {
            "target": self.target,
            "threads": self.threads,
            "requests": len(lat),
            "seconds": round(self.seconds, 2),
            "qps": round(len(lat) / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": pct(50),
            "p95_ms": pct(95),
            "p99_ms": pct(99),
            "max_ms": round(1000 * lat[-1], 2) if lat else float("nan"),
            "errors": {str(k): v for k, v in sorted(self.errors.items())},
            "median_ms_by_query": {q: round(1000 * statistics.median(v), 2) for q, v in sorted(self.by_query.items())},
        }


def run_round(target: str, base: str, path: str, bodies: list[tuple[str, bytes]], threads: int, seconds: float, max_requests: int) -> Round:
    """``threads`` clients for ``seconds`` (after a warm-up), at most ``max_requests`` counted in all."""
    parts = urllib.parse.urlsplit(base)
    result = Round(target, threads)
    lock = threading.Lock()
    start_gate = threading.Barrier(threads + 1)
    state = {"counting": False, "stop": False, "count": 0}

    def client(index: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        mine: list[tuple[str, float, int]] = []
        turn = index
        start_gate.wait()
        while not state["stop"]:
            name, body = bodies[turn % len(bodies)]
            turn += 1
            began = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/sparql-results+json",
                })
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
                status = -1
            elapsed = time.perf_counter() - began
            if state["counting"]:
                with lock:
                    if state["count"] >= max_requests:
                        state["stop"] = True
                        break
                    state["count"] += 1
                mine.append((name, elapsed, status))
        conn.close()
        with lock:
            for name, elapsed, status in mine:
                if status == 200:
                    result.latencies.append(elapsed)
                    result.by_query.setdefault(name, []).append(elapsed)
                else:
                    result.errors[status] = result.errors.get(status, 0) + 1

    workers = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(threads)]
    for worker in workers:
        worker.start()
    start_gate.wait()
    time.sleep(WARMUP_SECONDS)
    began = time.perf_counter()
    state["counting"] = True
    while time.perf_counter() - began < seconds and not state["stop"]:
        time.sleep(0.05)
    state["stop"] = True
    result.seconds = time.perf_counter() - began
    for worker in workers:
        worker.join(timeout=120)
    return result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def kgraph_serve(out: Path) -> Iterator[str]:
    """The real ``kgraph serve`` command on a free loopback port; its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kgraph.cli", "serve", str(out), "--port", "0", "--quiet"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "1000"},
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        if "kgraph: serving" not in line:
            raise SystemExit(f"kgraph serve did not start: {line}{process.stderr.read()}")
        yield line.split(" at ", 1)[1].split()[0]
    finally:
        process.terminate()  # SIGTERM: kgraph stops its Oxigraph process too
        process.wait(20)


@contextmanager
def bare_oxigraph(out: Path) -> Iterator[str]:
    from kgraph.serve.endpoint import find_oxigraph

    port = _free_port()
    process = subprocess.Popen(
        [find_oxigraph(), "serve-read-only", "--location", str(out / "store"), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("oxigraph did not start") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(20)


@contextmanager
def seeds_build(keep: Path | None) -> Iterator[Path]:
    from kgraph.build import build

    with tempfile.TemporaryDirectory(prefix="kgbench-serve-") as tmp:
        out = keep or Path(tmp) / "out"
        _say(f"building the seeds into {out} ...")
        build([REPO / "seeds"], out)
        yield out


def environment() -> dict[str, Any]:
    import pyoxigraph

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    oxigraph = subprocess.run([_oxigraph_binary(), "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return {
        "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__,
        "oxigraph": oxigraph,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "git_commit": git("rev-parse", "--short", "HEAD"),
        "src_modified": bool(git("status", "--porcelain", "--", "src")),
    }


def _oxigraph_binary() -> str:
    from kgraph.serve.endpoint import find_oxigraph

    return find_oxigraph()


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 4, 16], help="client threads per round (default 1 4 16)")
    parser.add_argument("--seconds", type=float, default=10.0, help="counted seconds per round (default 10)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="most counted requests per round (default 200000)")
    parser.add_argument("--out", type=Path, default=None, help="serve this existing build instead of building the seeds")
    parser.add_argument("--direct", action=argparse.BooleanOptionalAction, default=True, help="also load the bare Oxigraph server (default on)")
    parser.add_argument("--json", action="store_true", help="also print one machine-readable JSON line")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/*.json")
    args = parser.parse_args(argv)
    if min(args.threads) < 1 or args.threads and max(args.threads) > 64 or args.seconds <= 0 or args.seconds > 120:
        parser.error("--threads must be within 1..64 and --seconds within (0, 120]")

    from kgraph.rdf.vocab import sparql_prologue

    texts = [(q.stem, q.read_text(encoding="utf-8")) for q in QUERIES]
    proxied = [(name, urllib.parse.urlencode({"query": text}).encode()) for name, text in texts]
    declared = [(name, urllib.parse.urlencode({"query": sparql_prologue() + text}).encode()) for name, text in texts]
    env = environment()
    rounds: list[Round] = []

    @contextmanager
    def the_build() -> Iterator[Path]:
        if args.out is not None:
            yield args.out
        else:
            with seeds_build(None) as out:
                yield out

    with the_build() as out:
        targets = [("kgraph serve", kgraph_serve, proxied)]
        if args.direct:
            targets.append(("oxigraph direct", bare_oxigraph, declared))
        for target, start, bodies in targets:
            with start(out) as base:
                for threads in args.threads:
                    _say(f"{target}: {threads} thread(s), {args.seconds:g} s ...")
                    rounds.append(run_round(target, base, "/query", bodies, threads, args.seconds, args.max_requests))

    summaries = [r.summary() for r in rounds]
    print(f"\n{'target':<16} {'threads':>7} {'requests':>9} {'q/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}  errors")
    for s in summaries:
        errors = ", ".join(f"{k}: {v}" for k, v in s["errors"].items()) or "0"
        print(f"{s['target']:<16} {s['threads']:>7} {s['requests']:>9} {s['qps']:>8} {s['p50_ms']:>8} {s['p95_ms']:>8} {s['p99_ms']:>8} {s['max_ms']:>8}  {errors}")
    print("\nmedian latency by query (ms), 1 thread:")
    for s in summaries:
        if s["threads"] == min(args.threads):
            print(f"  {s['target']}: " + ", ".join(f"{q} {ms}" for q, ms in s["median_ms_by_query"].items()))
    result = {"benchmark": "bench_serve", "environment": env, "seconds_per_round": args.seconds, "queries": [q.name for q in QUERIES], "rounds": summaries}
    if not args.no_save:
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"bench_serve-{dt.datetime.now().strftime('%Y%m%dT%H%M%S')}.json"
        path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"\nresults written to {path}")
    if args.json:
        print(json.dumps(result, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
