"""kgraph from Python: build a graph, then work with it as an rdflib ``Dataset``.

The build runs on Oxigraph (fast bulk loading and SPARQL); :func:`open_dataset`
hands the finished store to rdflib through oxrdflib, so a notebook gets rdflib's
API (``triples``, ``graph``, ``query``, namespaces) while queries still run in
Oxigraph. Nothing is copied into memory.

>>> import kgraph                                              # doctest: +SKIP
>>> kgraph.build(["seeds"], Path("out"))                       # doctest: +SKIP
>>> ds = kgraph.open_dataset("out")                            # doctest: +SKIP
>>> ds.query("SELECT ?name WHERE { ?p a schema:Person ; rdfs:label ?name }")  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import rdflib
from oxrdflib import OxigraphStore

from kgraph.build import BuildResult, build
from kgraph.rdf.store import open_store
from kgraph.rdf.vocab import PREFIXES

__all__ = ["BuildResult", "build", "open_dataset"]


def open_dataset(out_dir: str | Path = "out") -> rdflib.Dataset:
    """The graph a build wrote into ``out_dir``, read-only, as an rdflib ``Dataset``.

    Each article is its own named graph (``ds.graph(GRAPH["article/<id>"])``), beside the
    entity and analysis graphs. SPARQL through ``ds.query`` sees the union of all graphs as
    its default graph, as ``kgraph query`` does, with kgraph's prefixes (``schema:``,
    ``nif:``, ``kg:``, …) bound; ``GRAPH ?g { … }`` still asks which article said what.
    Raises :class:`kgraph.errors.StoreError` when ``out_dir`` holds no build.
    """
    store = open_store(Path(out_dir))
    ds = rdflib.Dataset(store=OxigraphStore(store=store), default_union=True)
    for prefix, namespace in PREFIXES.items():
        ds.bind(prefix, rdflib.Namespace(namespace), override=True)
    return ds
