"""Standard RDF files from the store: Turtle, TriG, N-Quads, N-Triples, JSON-LD.

Oxigraph serialises (no rdflib on this path: it is 40-60x faster at a million
quads, DESIGN.md §4). Formats without named graphs get the union of all graphs;
TriG and N-Quads keep one graph per article plus the entity and analysis graphs.
A build writes TriG first and derives its Turtle from it (:func:`turtle_from_trig`).
"""

from __future__ import annotations

import re
from pathlib import Path

from pyoxigraph import RdfFormat, Store, serialize

from kgraph.errors import StoreError
from kgraph.rdf.vocab import PREFIXES

__all__ = ["EXPORT_FORMATS", "export", "turtle_from_trig"]

EXPORT_FORMATS: dict[str, RdfFormat] = {
    "ttl": RdfFormat.TURTLE,
    "trig": RdfFormat.TRIG,
    "nq": RdfFormat.N_QUADS,
    "nt": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
}
# Formats without named graphs get the union of all graphs.
_TRIPLE_FORMATS = {"ttl", "nt"}
_UNION_QUERY = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def export(store: Store, fmt: str, output: Path | None = None) -> bytes | None:
    """Serialise the store; triple formats get the union of all named graphs."""
    if fmt not in EXPORT_FORMATS:
        raise StoreError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    rdf_format = EXPORT_FORMATS[fmt]
    target = str(output) if output is not None else None
    if fmt in _TRIPLE_FORMATS:
        triples = store.query(_UNION_QUERY)
        if fmt == "nt":
            return serialize(triples, target, rdf_format)
        return serialize(triples, target, rdf_format, prefixes=PREFIXES)
    if fmt == "trig":
        return store.dump(target, rdf_format, prefixes=PREFIXES)
    return store.dump(target, rdf_format)


# The lines of Oxigraph's TriG writer that open and close a graph block: a graph name alone at the
# start of a line, then " {"; a "}" alone. Everything inside a block is indented by a tab, prefixes
# start with "@", a triple of the default graph has a space between its terms, and a literal never
# spans lines (the writer escapes line breaks), so no other line has either shape.
_GRAPH_BLOCK_LINE = re.compile(rb"^(?:[^\s@]\S* \{|\})\n", re.MULTILINE)
_CHUNK_BYTES = 1 << 23


def turtle_from_trig(trig: Path, output: Path) -> None:
    """Write the union of the graphs of an Oxigraph TriG file at ``trig`` as Turtle at ``output``.

    Why not :func:`export`: its union query hands every triple to the serialiser through Python,
    so in a build it needs the GIL for seconds while the map is drawn beside it. Inside a graph
    block TriG is Turtle under the same prefixes, so removing the lines that open and close the
    blocks leaves Turtle whose triples are the union (a triple in two graphs is written twice,
    which a graph, a set, does not see); this is one regular expression per 8 MiB, read and written
    in chunks. The file must come from Oxigraph's writer (``export(store, "trig", ...)``), whose
    layout the expression relies on; ``tests/test_export.py`` checks it on a real build.
    """
    with trig.open("rb") as source, output.open("wb") as target:
        while chunk := source.read(_CHUNK_BYTES):
            if not chunk.endswith(b"\n"):
                chunk += source.readline()  # whole lines only, so each line is seen at once
            # Out of their blocks, the lines lose the block's tab: subjects start at the margin again (a
            # default-graph triple's continuation lines, which kgraph never writes, would too: still Turtle).
            kept = _GRAPH_BLOCK_LINE.sub(b"", chunk).replace(b"\n\t", b"\n")
            target.write(kept[1:] if kept.startswith(b"\t") else kept)
