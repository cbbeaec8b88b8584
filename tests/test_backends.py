"""networkx backend dispatch (kgraph.analyze.backends): faster where installed, never a different answer.

``make test`` installs graphblas-algorithms (the ``[test]`` extra carries the
``[graphblas]`` pins), so these run the real backend, not a stand-in.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator
from typing import Any

import networkx as nx
import pytest

from kgraph.analyze import backends
from kgraph.analyze.analyses import pagerank, rank_sources, to_citation_graph
from kgraph.build import BuildResult
from kgraph.rdf.store import open_store


@pytest.fixture(autouse=True)
def fresh_choice(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test decides again which backend is installed (the choice is cached per process)."""
    monkeypatch.delenv(backends.ENV, raising=False)
    backends.installed_backend.cache_clear()
    yield
    backends.installed_backend.cache_clear()


def weighted_citations(articles: int = 4000, seed: int = 11) -> nx.DiGraph:
    """Articles citing sources with heavy-tailed popularity, outlets weighted by count: more edges than MIN_EDGES."""
    rng = random.Random(seed)
    G = nx.DiGraph()
    popularity = [1.0] * (articles // 3)
    for i in range(articles):
        for s in set(rng.choices(range(len(popularity)), weights=popularity, k=rng.randint(1, 5))):
            popularity[s] += 1
            G.add_edge(f"a{i}", f"s{s}", weight=1)
            outlet = f"o{i % 40}"
            G.add_edge(outlet, f"s{s}", weight=G.edges[outlet, f"s{s}"]["weight"] + 1 if G.has_edge(outlet, f"s{s}") else 1)
    return G


def loop_only(G: nx.DiGraph, monkeypatch: pytest.MonkeyPatch) -> dict[str, float]:
    """kgraph's own iteration, dispatch turned off the way a user turns it off."""
    with monkeypatch.context() as m:
        m.setenv(backends.ENV, "networkx")
        backends.installed_backend.cache_clear()
        ranks = pagerank(G)
    backends.installed_backend.cache_clear()
    return ranks


def recording_pagerank(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Record the backend of every ``nx.pagerank`` call kgraph makes."""
    calls: list[Any] = []
    real = nx.pagerank

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get("backend"))
        return real(*args, **kwargs)

    monkeypatch.setattr(nx, "pagerank", spy)
    return calls


def test_pagerank_of_a_large_graph_runs_on_graphblas_with_the_same_values(monkeypatch: pytest.MonkeyPatch) -> None:
    G = weighted_citations()
    assert G.number_of_edges() >= backends.MIN_EDGES["pagerank"]
    expected = loop_only(G, monkeypatch)
    calls = recording_pagerank(monkeypatch)
    got = pagerank(G)
    assert calls == ["graphblas"]
    assert set(got) == set(G)
    assert max(abs(got[n] - expected[n]) for n in G) < 1e-12
    assert abs(sum(got.values()) - 1.0) < 1e-9
    top = sorted(G, key=lambda n: (-expected[n], n))[:20]
    assert sorted(G, key=lambda n: (-round(got[n], 12), n))[:20] == top


def test_a_small_graph_stays_in_networkx(monkeypatch: pytest.MonkeyPatch) -> None:
    G = nx.DiGraph([("a1", "s1"), ("a2", "s1"), ("a2", "s2")])
    calls = recording_pagerank(monkeypatch)
    ranks = pagerank(G)
    assert calls == []  # the backend would take longer to import than the loop takes to finish
    assert ranks["s1"] > ranks["s2"] > ranks["a1"]


def test_the_seeds_sources_rank_the_same_through_the_backend(seeds_build: BuildResult, monkeypatch: pytest.MonkeyPatch) -> None:
    G = to_citation_graph(open_store(seeds_build.out_dir))
    assert G.number_of_edges() > 0
    with monkeypatch.context() as m:
        m.setenv(backends.ENV, "networkx")
        backends.installed_backend.cache_clear()
        without = rank_sources(G)
    backends.installed_backend.cache_clear()
    monkeypatch.setattr(backends, "MIN_EDGES", {})  # dispatch even this small graph
    calls = recording_pagerank(monkeypatch)
    with_backend = rank_sources(G.copy())
    assert calls == ["graphblas"]
    assert [(s.label, s.articles, s.outlets) for s in with_backend] == [(s.label, s.articles, s.outlets) for s in without]
    assert all(abs(a.pagerank - b.pagerank) < 1e-12 for a, b in zip(with_backend, without, strict=True))


def test_the_environment_variable_turns_dispatch_off(monkeypatch: pytest.MonkeyPatch) -> None:
    assert backends.backend_for("pagerank", 10**6) == "graphblas"
    backends.installed_backend.cache_clear()
    monkeypatch.setenv(backends.ENV, "NetworkX ")
    assert backends.backend_for("pagerank", 10**6) is None
    assert backends.backend_for("degree_centrality", 10**6) is None  # never dispatched: slower through a conversion


def test_a_backend_that_does_not_load_is_logged_and_skipped(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from networkx.utils.backends import backends as entry_points

    class Broken:
        name = "graphblas"

        def load(self) -> Any:
            raise ImportError("libgraphblas.so: cannot open shared object file")

    monkeypatch.setitem(entry_points, "graphblas", Broken())
    with caplog.at_level(logging.WARNING, logger="kgraph.analyze.backends"):
        assert backends.backend_for("pagerank", 10**6) is None
    assert "does not load" in caplog.text and "libgraphblas.so" in caplog.text
    G = weighted_citations(800)
    assert pagerank(G) == loop_only(G, monkeypatch)  # the build goes on, in networkx
