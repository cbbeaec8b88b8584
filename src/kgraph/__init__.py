"""kgraph: many news articles about one story in, one RDF knowledge graph out.

From Python: ``kgraph.build(paths, out_dir)`` builds a graph, ``kgraph.open_dataset(out_dir)``
opens it as an rdflib ``Dataset`` (see :mod:`kgraph.api`); ``kgraph.rdf.namespaces`` has the
vocabulary as rdflib closed namespaces. Both are imported on first use, so ``import kgraph``
stays cheap for the command line.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "build", "open_dataset"]


def __getattr__(name: str) -> Any:
    if name in ("build", "open_dataset"):
        from kgraph import api

        return getattr(api, name)
    raise AttributeError(f"module 'kgraph' has no attribute {name!r}")
