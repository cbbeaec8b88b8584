"""Benchmark of networkx backends on kgraph's measures (a benchmark, not a test).

kgraph dispatches a measure to an installed networkx backend only where the
backend is faster on graphs of a news corpus's size and gives the same values
(:data:`kgraph.analyze.backends.FASTER`). This script is how that list was
decided: for citation graphs shaped like a build's (articles and outlets citing
sources, a few sources cited by many, most by one) of growing size it times

* ``pagerank``: kgraph's own power iteration against networkx's ``pagerank`` on
  each installed backend, and the largest difference of the values;
* ``degree_centrality`` (the speaker centrality's measure): networkx against each backend;

each the median of ``--repeats`` calls after one warm-up call (a backend's first
call imports and compiles; that time is printed apart, as "first"). networkx's
cache of converted graphs is off, so every call pays the conversion, as a build's
single call on a fresh graph does.

Usage::

    pip install 'kgraph[graphblas]'
    python bench/bench_backends.py [--sizes 1000,10000,50000] [--repeats 5] [--build OUT]

``--build OUT`` adds the citation graph of a finished build (its ``store/``).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from kgraph.analyze.analyses import pagerank as kgraph_pagerank


def citation_graph(articles: int, seed: int = 7) -> nx.DiGraph:
    """Articles and outlets citing sources with a heavy-tailed popularity, as in a real build.

    One source per three articles; an article cites one to four of them, chosen by
    preferential attachment (a source cited often is cited again); one outlet per
    ten articles, linked to what its articles cite with the count as weight.
    """
    rng = random.Random(seed)
    G = nx.DiGraph()
    sources = [f"s{i}" for i in range(max(1, articles // 3))]
    popularity = [1.0] * len(sources)
    for i in range(articles):
        article, outlet = f"a{i}", f"o{i % max(1, articles // 10)}"
        for source in set(rng.choices(range(len(sources)), weights=popularity, k=rng.randint(1, 4))):
            popularity[source] += 1.0
            G.add_edge(article, sources[source], weight=1)
            weight = G.edges[outlet, sources[source]]["weight"] + 1 if G.has_edge(outlet, sources[source]) else 1
            G.add_edge(outlet, sources[source], weight=weight)
    return G


def build_graph(out: Path) -> nx.DiGraph:
    from kgraph.analyze.analyses import to_citation_graph
    from kgraph.rdf.store import open_store

    return to_citation_graph(open_store(out))


def timed(call: Callable[[], Any], repeats: int) -> tuple[float, float, Any]:
    """(first call, median of the next ``repeats``) in seconds, and the last result."""
    started = time.perf_counter()
    result = call()
    first = time.perf_counter() - started
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return first, statistics.median(times), result


def installed_backends() -> list[str]:
    from networkx.utils.backends import backends

    return sorted(name for name in backends if name != "networkx")


def bench(name: str, G: nx.DiGraph, repeats: int) -> None:
    print(f"\n{name}: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges")
    first, median, ours = timed(lambda: _own_pagerank(G), repeats)
    print(f"  pagerank           kgraph loop      {median * 1000:9.1f} ms")
    for backend in installed_backends():
        try:
            first, median, theirs = timed(lambda b=backend: nx.pagerank(G, weight="weight", tol=1e-9, max_iter=200, backend=b), repeats)
        except (NotImplementedError, ImportError, nx.NetworkXNotImplemented) as err:
            print(f"  pagerank           {backend:<16} not usable: {err}")
            continue
        diff = max(abs(ours[n] - theirs[n]) for n in G)
        print(f"  pagerank           {backend:<16} {median * 1000:9.1f} ms  (first {first * 1000:.0f} ms)  max |diff| {diff:.1e}")
    U = G.to_undirected()
    first, median, base = timed(lambda: nx.degree_centrality(U), repeats)
    print(f"  degree_centrality  networkx         {median * 1000:9.1f} ms")
    for backend in installed_backends():
        try:
            first, median, theirs = timed(lambda b=backend: nx.degree_centrality(U, backend=b), repeats)
        except (NotImplementedError, ImportError, nx.NetworkXNotImplemented) as err:
            print(f"  degree_centrality  {backend:<16} not usable: {err}")
            continue
        diff = max(abs(base[n] - theirs[n]) for n in U)
        print(f"  degree_centrality  {backend:<16} {median * 1000:9.1f} ms  (first {first * 1000:.0f} ms)  max |diff| {diff:.1e}")


def _own_pagerank(G: nx.DiGraph) -> dict[str, float]:
    """kgraph's loop with dispatch off, whatever is installed."""
    import os

    from kgraph.analyze.backends import ENV, installed_backend

    saved = os.environ.get(ENV)
    os.environ[ENV] = "networkx"
    installed_backend.cache_clear()
    try:
        return kgraph_pagerank(G)
    finally:
        if saved is None:
            del os.environ[ENV]
        else:
            os.environ[ENV] = saved
        installed_backend.cache_clear()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="1000,10000,50000", help="articles per synthetic citation graph, comma-separated")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--build", type=Path, help="also the citation graph of this finished build")
    args = p.parse_args(argv)
    nx.config.cache_converted_graphs = False
    print(f"networkx {nx.__version__}; backends installed: {', '.join(installed_backends()) or 'none'}")
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        bench(f"synthetic, {size:,} articles", citation_graph(size), args.repeats)
    if args.build:
        if not (args.build / "store").is_dir():
            print(f"error: {args.build} holds no store/ (build it first)", file=sys.stderr)
            return 2
        bench(f"build {args.build}", build_graph(args.build), args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
