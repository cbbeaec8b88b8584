"""graph.ttl is derived from graph.trig by dropping the graph blocks' lines: the triples must be the union."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, parse

from kgraph.build import BuildResult
import kgraph.outputs.export as export_module
from kgraph.outputs.export import export, turtle_from_trig
from kgraph.rdf.store import open_store

Triple = tuple[object, object, object]


def _triples(path: Path, fmt: RdfFormat) -> set[Triple]:
    return {(t.subject, t.predicate, t.object) for t in parse(path=str(path), format=fmt)}


def _union(path: Path) -> set[Triple]:
    return {(q.subject, q.predicate, q.object) for q in parse(path=str(path), format=RdfFormat.TRIG)}


def test_the_builds_turtle_holds_exactly_the_union_of_its_trig(seeds_build: BuildResult, tmp_path: Path) -> None:
    out = seeds_build.out_dir
    turtle = _triples(out / "graph.ttl", RdfFormat.TURTLE)
    assert len(turtle) > 5_000
    lines = (out / "graph.ttl").read_text(encoding="utf-8").splitlines()
    # Each subject starts at the margin (the line after a statement's " ."), its predicates indented under it.
    after_statement = [b for a, b in zip(lines, lines[1:]) if a.endswith(" .") and not a.startswith("@prefix")]
    assert len(after_statement) > 1_000 and not any(line.startswith("\t") for line in after_statement)
    assert sum(line.startswith("\t") for line in lines) > 1_000
    assert turtle == _union(out / "graph.trig")
    # The union query of `kgraph export ttl` (the path the build no longer takes) gives the same triples.
    store = open_store(out)
    export(store, "ttl", tmp_path / "queried.ttl")
    assert turtle == _triples(tmp_path / "queried.ttl", RdfFormat.TURTLE)
    # A second parser reads it too, with the build's prefixes declared.
    g = rdflib.Graph()
    g.parse(out / "graph.ttl", format="turtle")
    assert len(g) == len(turtle)
    assert dict(g.namespaces())["schema"] == rdflib.URIRef("https://schema.org/")


@pytest.mark.parametrize("chunk", [1 << 23, 37])
def test_literals_that_look_like_graph_blocks_and_shared_blank_nodes_survive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    """Text in a literal that would be a graph line if it stood alone, blank nodes in two graphs, the default graph.

    With 37-byte reads, chunks end inside lines, graph names and literals.
    """
    monkeypatch.setattr(export_module, "_CHUNK_BYTES", chunk)
    ex = "https://example.org/"
    shared = BlankNode("shared")
    text = NamedNode(ex + "text")
    tricky = [
        "}\n",
        "ends with {\n}",
        "x {\nkg:y {\n}",
        "@prefix ex: <https://example.org/> .\n",
        "\t}\n\r\n",
        "<https://example.org/g> {",
    ]
    quads = [Quad(NamedNode(f"{ex}s{i}"), text, Literal(v), NamedNode(f"{ex}g{i % 2}")) for i, v in enumerate(tricky)]
    quads += [
        Quad(shared, text, Literal("in graph a"), NamedNode(ex + "a")),
        Quad(shared, text, Literal("in graph b"), NamedNode(ex + "b")),
        Quad(NamedNode(ex + "d"), text, shared, DefaultGraph()),
        Quad(NamedNode(ex + "s0"), text, Literal("}\n"), BlankNode("graph")),
        Quad(NamedNode(ex + "s0"), text, Literal("3", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")), NamedNode(ex + "a")),
    ]
    store = Store()
    store.extend(quads)
    export(store, "trig", tmp_path / "g.trig")
    turtle_from_trig(tmp_path / "g.trig", tmp_path / "g.ttl")

    got = list(parse(path=str(tmp_path / "g.ttl"), format=RdfFormat.TURTLE))
    named = {(t.subject, t.predicate, t.object) for t in got if not isinstance(t.subject, BlankNode) and not isinstance(t.object, BlankNode)}
    expected = {(q.subject, q.predicate, q.object) for q in quads if not isinstance(q.subject, BlankNode) and not isinstance(q.object, BlankNode)}
    assert named == expected
    assert {t.object.value for t in got if isinstance(t.object, Literal)} >= set(tricky)
    # The blank node of graphs a and b is one node in the Turtle, and the default graph's triple points at it.
    subjects = {t.subject for t in got if isinstance(t.subject, BlankNode)}
    objects = {t.object for t in got if isinstance(t.object, BlankNode)}
    assert len(subjects) == 1 and subjects == objects


def test_the_turtle_is_the_same_bytes_whatever_the_chunk_size(seeds_build: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks end inside lines and right before a tab; the layout (subjects at the margin) must not depend on where."""
    trig = seeds_build.out_dir / "graph.trig"
    turtle_from_trig(trig, tmp_path / "whole.ttl")
    for chunk in (37, 4096):
        monkeypatch.setattr(export_module, "_CHUNK_BYTES", chunk)
        turtle_from_trig(trig, tmp_path / f"{chunk}.ttl")
        assert (tmp_path / f"{chunk}.ttl").read_bytes() == (tmp_path / "whole.ttl").read_bytes()
    assert (tmp_path / "whole.ttl").read_bytes() == (seeds_build.out_dir / "graph.ttl").read_bytes()
