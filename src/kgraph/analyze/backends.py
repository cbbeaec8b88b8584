"""Which installed networkx backend, if any, runs a measure faster with the same answer.

networkx 3 dispatches a call to a backend package (``graphblas``, ``parallel``,
``cugraph``) when asked to. kgraph asks only where a backend was measured to be
faster on graphs of the size a news corpus gives and to return the same values:
:data:`FASTER` lists those measures. Everything else stays plain networkx,
because a backend that must convert the graph first is slower on small graphs
(``degree_centrality`` on 14,000 nodes: 9 ms in networkx, 162 ms via graphblas),
and a measure is dispatched only from :data:`MIN_EDGES` edges on, because the
backend's first call imports and compiles for about half a second. Measured with
``bench/bench_backends.py``.

Set ``KGRAPH_NX_BACKEND=networkx`` to keep every measure in networkx even when a
backend is installed (to rule a backend out when two builds disagree).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from functools import cache

__all__ = ["FASTER", "MIN_EDGES", "backend_for"]

logger = logging.getLogger(__name__)

#: measure -> backends measured faster for it, in order of preference. graphblas
#: (``pip install kgraph[graphblas]``) runs PageRank as sparse matrix products:
#: 0.14 s instead of 1.1 s on a citation graph of 14,000 nodes and 49,000 edges,
#: 1.1 s instead of 8.6 s at 250,000 edges, values within 1e-17.
FASTER: Mapping[str, tuple[str, ...]] = {"pagerank": ("graphblas",)}

#: measure -> the fewest edges at which dispatching pays: below, kgraph's loop
#: finishes before the backend has imported (4,800 edges: 84 ms against 580 ms).
MIN_EDGES: Mapping[str, int] = {"pagerank": 10_000}

#: the environment variable that turns dispatch off (value ``networkx``)
ENV = "KGRAPH_NX_BACKEND"


def backend_for(measure: str, edges: int) -> str | None:
    """The installed backend to run ``measure`` on a graph of ``edges`` edges, or None for plain networkx."""
    if edges < MIN_EDGES.get(measure, 0):
        return None
    return installed_backend(measure)


@cache
def installed_backend(measure: str) -> str | None:
    """The first backend of ``FASTER[measure]`` that is installed and loads.

    A backend counts as installed when networkx lists it (its entry point is
    there), it implements ``measure``, and it imports: a half-installed backend
    is logged once and skipped rather than failing the build.
    """
    if os.environ.get(ENV, "").strip().casefold() == "networkx":
        return None
    preferred = FASTER.get(measure, ())
    if not preferred:
        return None
    try:
        from networkx.utils.backends import backend_info, backends
    except ImportError:  # a networkx older than 3.3 has no backend_info to ask
        return None

    for name in preferred:
        if name not in backends or measure not in backend_info.get(name, {}).get("functions", {}):
            continue
        try:
            backends[name].load()
        except Exception as err:  # noqa: BLE001 - any failure to import means "not usable"
            logger.warning("networkx backend %r is installed but does not load (%s); using networkx", name, err)
            continue
        return name
    return None
