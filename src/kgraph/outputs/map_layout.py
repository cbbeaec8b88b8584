"""Node positions for the map, computed once when the map is written.

vis-network's physics is O(n²) per step and never settles on a large graph;
a layout computed here (networkx's Fruchterman-Reingold, seeded) is stable
between runs, costs milliseconds for the ~150 nodes of one view, and lets the
page draw with physics off from the first frame.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import networkx as nx

__all__ = ["layout"]

#: Pixels per node on the side of the square the layout fills: sparse enough
#: that the labels of neighbouring nodes rarely touch at the fitted zoom.
SPACING = 90.0
#: The layout's seed: the same view is always drawn the same way.
SEED = 7
#: Fruchterman-Reingold's optimal distance, as a multiple of 1/sqrt(n): above
#: networkx's default (1.0) so that hubs (an article, a much-quoted speaker)
#: do not pull their neighbours into one knot of labels.
REPULSION = 4.0
ITERATIONS = 200


def layout(
    nodes: Sequence[str],
    edges: Iterable[tuple[str, str] | tuple[str, str, float]],
    weights: Mapping[str, float] | None = None,
) -> dict[str, tuple[float, float]]:
    """Positions (x, y in pixels, rounded) for ``nodes`` joined by ``edges``.

    Each connected part is laid out on its own and the parts are then set
    side by side in rows, largest first, so that two stories (or a stray
    pair of nodes) never land on top of each other, as they do when one
    spring layout pushes unconnected parts around. ``weights`` (node ->
    size) strengthen a node's springs, so the hubs an analyst looks for
    first sit at the centre of their part. An edge may carry its own
    strength as a third item: the map gives an article's mention and report
    edges a weak one, so that what a story is about (who said what, who
    disputes whom, who acts in what) shapes the picture, not which article
    happens to name everything.
    """
    if not nodes:
        return {}
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    for edge in edges:
        a, b = edge[0], edge[1]
        if a != b and a in graph and b in graph:
            weight = float(edge[2]) if len(edge) > 2 else 1.0  # type: ignore[misc]
            if weights:
                weight += 0.3 * math.log1p(max(weights.get(a, 0.0), weights.get(b, 0.0)))
            previous = graph.get_edge_data(a, b, {}).get("weight", 0.0)
            graph.add_edge(a, b, weight=max(previous, weight))
    order = {node: i for i, node in enumerate(nodes)}
    parts = sorted(
        (sorted(part, key=order.__getitem__) for part in nx.connected_components(graph)),
        key=lambda part: (-len(part), order[part[0]]),
    )
    placed = [_part_layout(graph.subgraph(part), part) for part in parts]
    return _pack(placed)


def _part_layout(graph: nx.Graph, part: Sequence[str]) -> dict[str, tuple[float, float]]:
    """One connected part, centred on (0, 0), about ``SPACING`` pixels per node apart."""
    n = len(part)
    if n == 1:
        return {part[0]: (0.0, 0.0)}
    if n == 2:
        return {part[0]: (-SPACING / 2, 0.0), part[1]: (SPACING / 2, 0.0)}
    ordered = nx.Graph()
    ordered.add_nodes_from(part)  # node order fixes the seeded start, so the layout is stable
    ordered.add_edges_from(graph.edges(data=True))
    positions = nx.spring_layout(ordered, k=REPULSION / math.sqrt(n), iterations=ITERATIONS, seed=SEED, weight="weight")
    scale = SPACING * math.sqrt(n)
    return {node: (float(x) * scale, float(y) * scale) for node, (x, y) in positions.items()}


def _pack(parts: Sequence[Mapping[str, tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    """Parts side by side in rows about as wide as the whole is tall (shelf packing)."""
    boxes = []
    for part in parts:
        xs = [x for x, _y in part.values()]
        ys = [y for _x, y in part.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + SPACING, max(ys) - min(ys) + SPACING))
    area = sum(w * h for _x, _y, w, h in boxes)
    row_width = max(max(w for _x, _y, w, _h in boxes), math.sqrt(area) * 1.4)
    positions: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for part, (left, top, width, height) in zip(parts, boxes):
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in part.items():
            positions[node] = (round(px - left + x, 1), round(py - top + y, 1))
        x += width
        row_height = max(row_height, height)
    return positions
