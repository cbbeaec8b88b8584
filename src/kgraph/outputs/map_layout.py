"""Node positions and label placement for the map, computed once when the map is written.

vis-network's physics is O(n²) per step and never settles on a large graph;
a layout computed here (networkx's Fruchterman-Reingold, seeded) is stable
between runs, costs milliseconds for the ~150 nodes of one view, and lets the
page draw with physics off from the first frame.

A story's view is laid out around its speakers (:func:`story_layout`): who
speaks and the camps they form sit in the centre, the articles that quote
them in a band around it, and the people, places, organisations, events and
sources they speak of in a band outside that, so that a dispute is not
buried under what it is about. Labels are then placed (:func:`place_labels`):
each label's box is computed from its node's position and font size, and a
label is drawn at the fitted zoom only where it overlaps no more important
label and no other node; the others appear as the reader zooms in, or on
hover. The overview sets its stories side by side (:func:`grouped_layout`).
"""

from __future__ import annotations

import functools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

__all__ = [
    "LABEL_ZOOMS",
    "Mark",
    "grouped_layout",
    "label_box",
    "layout",
    "place_labels",
    "story_layout",
    "symbol_box",
    "text_width",
]

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

#: Advance widths of the printable ASCII characters (32-126) per 100 px of
#: font size, as Chromium measures "sans-serif" where it is Liberation Sans
#: (Arial's metrics, also Helvetica's within a few per cent).
_ADVANCE = (
    28, 28, 35, 56, 56, 89, 67, 19, 33, 33, 39, 58, 28, 33, 28, 28, 56, 56, 56, 56, 56, 56, 56, 56,
    56, 56, 28, 28, 58, 58, 58, 56, 102, 67, 67, 72, 72, 67, 61, 78, 72, 28, 50, 67, 56, 83, 72, 78,
    67, 78, 72, 67, 61, 72, 67, 94, 67, 67, 61, 28, 28, 28, 47, 56, 33, 56, 56, 50, 56, 56, 28, 56,
    56, 22, 22, 50, 22, 83, 56, 56, 56, 56, 33, 50, 28, 56, 50, 72, 50, 50, 50, 33, 26, 33, 58,
)
#: Accented Latin, Greek and Cyrillic letters measure 50-67; these are wider.
_WIDE = {"…": 100, "→": 100, "—": 100, "←": 100, "×": 58}
_OTHER = 62
#: Boxes are estimated this much wider than Liberation Sans draws them, so
#: that a wider sans-serif (DejaVu Sans is 8-12 % wider) does not make two
#: labels placed apart collide.
WIDTH_MARGIN = 1.12
#: vis-network's margin inside a box and the gap between a symbol and the label below it.
_BOX_MARGIN = 5.0
_LABEL_GAP = 4.0
#: Shapes whose label is drawn inside them (their size follows the label).
INSIDE_SHAPES = frozenset({"ellipse", "box", "text"})
#: An ellipse drawn without its label: the page constrains it to this box.
BARE_ELLIPSE = (20.0, 16.0)
#: Zooms (vis-network's scale; the fitted zoom of a story is at most 1) at which
#: labels hidden at the fitted zoom appear. Past zoom 1 a label keeps its size
#: on screen (``maxVisible``) while the nodes spread apart, so more fit.
LABEL_ZOOMS = (1.5, 2.0, 3.0, 4.0, 6.0)
#: Room kept free around each symbol and label, in pixels.
PAD = 4.0
#: The centre of a story is this much wider than tall, as a screen is.
ASPECT = 2.0


def text_width(text: str, font: float) -> float:
    """The width in pixels of ``text`` drawn at ``font`` pixels (a sans-serif; slightly overestimated).

    >>> round(text_width("Kyrylo Budanov", 14) / WIDTH_MARGIN, 1)
    98.4
    """
    return _advances(text) * font / 100.0 * WIDTH_MARGIN


@functools.lru_cache(maxsize=8192)
def _advances(text: str) -> int:
    """The advance widths of ``text`` per 100 px of font: a map measures each label about ten times (views, zooms, fonts)."""
    total = 0
    for char in text:
        code = ord(char)
        if 32 <= code < 127:
            total += _ADVANCE[code - 32]
        elif code >= 0x2E80:  # CJK and other square scripts
            total += 100
        else:
            total += _WIDE.get(char, _OTHER)
    return total


@dataclass(frozen=True, slots=True)
class Mark:
    """What the layout needs of one node: its symbol, its label, and how much the label matters."""

    id: str
    shape: str  # a vis-network shape
    size: float  # radius of a symbol whose label is drawn below it
    font: float  # label font size in pixels at zoom 1
    label: str = ""
    rank: int = 0  # labels are placed lowest rank first
    must: bool = False  # labelled at every zoom, whatever it costs (disputing speakers, camps)
    ring: int = 1  # 0: the centre (speakers, camps); 1: what they speak of; 2: the articles


Box = tuple[float, float, float, float]  # left, top, right, bottom


def symbol_box(mark: Mark, x: float, y: float, *, labelled: bool = True, zoom: float = 1.0) -> Box:
    """The box the node's symbol covers; a label-inside symbol is as big as its label at ``zoom``, or bare without it."""
    if mark.shape in INSIDE_SHAPES:
        if labelled and mark.label:
            font = mark.font / max(zoom, 1.0)
            width = text_width(mark.label, font)
            if mark.shape == "ellipse":
                w, h = width + font, 2 * font
            elif mark.shape == "box":
                w, h = width + 2 * _BOX_MARGIN, font + 2 * _BOX_MARGIN
            else:
                w, h = width, font
        else:
            w, h = BARE_ELLIPSE
        return (x - w / 2 - 1, y - h / 2 - 1, x + w / 2 + 1, y + h / 2 + 1)
    r = mark.size + 1  # the border
    return (x - r, y - r, x + r, y + r)


def label_box(mark: Mark, x: float, y: float, zoom: float = 1.0) -> Box:
    """The box of the node's label at ``zoom``, as vis-network draws it.

    Past zoom 1 the page keeps each label's size on screen (it sets the
    font to ``font / zoom``), so in the layout's pixels a label shrinks as
    the reader zooms in while the nodes stay where they are. A label inside
    its symbol is the symbol; a label below it starts half its font size
    and 4 pixels under the symbol.
    """
    if mark.shape in INSIDE_SHAPES:
        return symbol_box(mark, x, y, zoom=zoom)
    font = mark.font / max(zoom, 1.0)
    width = text_width(mark.label, font)
    top = y + mark.size + font / 2 + _LABEL_GAP
    return (x - width / 2, top, x + width / 2, top + font)


def _from_zoom(mark: Mark, x: float, y: float, zoom: float) -> Box:
    """All a label covers at ``zoom`` and beyond: as it shrinks, a label below its symbol creeps up towards it."""
    left, top, right, bottom = label_box(mark, x, y, zoom)
    if mark.shape not in INSIDE_SHAPES:
        top = y + mark.size + _LABEL_GAP
    return (left, top, right, bottom)


def _overlap(a: Box, b: Box, pad: float = 0.0) -> bool:
    return a[0] < b[2] + pad and b[0] < a[2] + pad and a[1] < b[3] + pad and b[1] < a[3] + pad


class _Grid:
    """Boxes bucketed by cell, so that finding what a box overlaps looks at its neighbourhood only."""

    def __init__(self, cell: float = 80.0) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[tuple[str, Box]]] = defaultdict(list)

    def _keys(self, box: Box) -> list[tuple[int, int]]:
        c = self.cell
        rows = range(math.floor(box[1] / c), math.floor(box[3] / c) + 1)
        return [(i, j) for i in range(math.floor(box[0] / c), math.floor(box[2] / c) + 1) for j in rows]

    def add(self, owner: str, box: Box) -> None:
        for key in self._keys(box):
            self.cells[key].append((owner, box))

    def hits(self, box: Box, *, besides: str, pad: float = 0.0) -> bool:
        """True if ``box`` overlaps a box of another owner than ``besides``.

        Plain loops rather than ``any`` over a generator: a 1,000-article map asks this about 90,000 times.
        """
        cells = self.cells
        for key in self._keys(box):
            for owner, other in cells.get(key, ()):
                if owner != besides and _overlap(box, other, pad):
                    return True
        return False


def place_labels(
    marks: Sequence[Mark], positions: Mapping[str, tuple[float, float]], *, budget: int | None = None
) -> dict[str, float | None]:
    """At which zoom each label is drawn: 0 at every zoom, a zoom of :data:`LABEL_ZOOMS`, or None (on hover only).

    Labels are placed most important first (``must``, then ``rank``). At zoom
    1, a label is kept when its box overlaps no kept label and no other
    node's symbol; ``must`` labels are kept regardless (the layout makes room
    for them) and at most ``budget`` labels in all are kept. At each larger
    zoom the labels drawn shrink (the page keeps their size on screen) and
    the labels left are tried again, so zooming in brings them in. A label's
    box at a zoom is taken to cover all it covers from that zoom on (as it
    shrinks it creeps up towards its symbol), so no two labels drawn overlap
    at the zooms in between either.
    """
    order = sorted((m for m in marks if m.label and m.id in positions), key=lambda m: (not m.must, m.rank, m.id))
    symbols = _Grid()
    for mark in marks:
        if mark.id in positions:
            symbols.add(mark.id, symbol_box(mark, *positions[mark.id], labelled=False))
    placed: dict[str, float | None] = {}
    labels = _Grid()
    for mark in order:
        box = _from_zoom(mark, *positions[mark.id], 1.0)
        kept = sum(z == 0 for z in placed.values())
        fits = not labels.hits(box, besides=mark.id, pad=1.0) and not symbols.hits(box, besides=mark.id)
        if mark.must or (fits and (budget is None or kept < budget)):
            placed[mark.id] = 0.0
            labels.add(mark.id, box)
    for zoom in LABEL_ZOOMS:
        labels = _Grid()  # every label drawn from this zoom on, as small as it is drawn here
        for mark in order:
            if placed.get(mark.id) is not None:
                labels.add(mark.id, _from_zoom(mark, *positions[mark.id], zoom))
        for mark in order:
            if mark.id in placed:
                continue
            box = _from_zoom(mark, *positions[mark.id], zoom)
            if not labels.hits(box, besides=mark.id, pad=1.0) and not symbols.hits(box, besides=mark.id):
                placed[mark.id] = zoom
                labels.add(mark.id, box)
    return {mark.id: placed.get(mark.id) for mark in marks}


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
    graph = _graph(nodes, edges, weights)
    order = {node: i for i, node in enumerate(nodes)}
    parts = sorted(
        (sorted(part, key=order.__getitem__) for part in nx.connected_components(graph)),
        key=lambda part: (-len(part), order[part[0]]),
    )
    placed = [_part_layout(graph.subgraph(part), part) for part in parts]
    return _pack(placed)


def _graph(
    nodes: Sequence[str],
    edges: Iterable[tuple[str, str] | tuple[str, str, float]],
    weights: Mapping[str, float] | None = None,
) -> nx.Graph:
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
    return graph


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


# --------------------------------------------------------------------------
# A story: speakers in the centre, what they speak of around them


#: Offsets (left, top, right, bottom) of a node's footprint from its position.
_Offsets = tuple[float, float, float, float]


def _footprint(mark: Mark, labelled: bool) -> _Offsets:
    """What a node covers: its symbol, and its label if it is to be drawn, padded."""
    left, top, right, bottom = symbol_box(mark, 0.0, 0.0, labelled=labelled)
    if labelled and mark.label and mark.shape not in INSIDE_SHAPES:
        l2, _t2, r2, b2 = label_box(mark, 0.0, 0.0)
        left, right, bottom = min(left, l2), max(right, r2), max(bottom, b2)
    return (left - PAD, top - PAD, right + PAD, bottom + PAD)


def story_layout(
    marks: Sequence[Mark],
    edges: Iterable[tuple[str, str, float]],
    *,
    labelled: Iterable[str] = (),
) -> dict[str, tuple[float, float]]:
    """Positions for a story's view: its speakers in the centre, the rest in bands around them.

    The nodes of ``ring`` 0 (speakers and their camps) are laid out by a
    spring layout of the edges among them (disputes, camps; two speakers
    quoted by one article or acting in one event are weakly joined), spread
    over an ellipse as wide as a screen, and pushed apart until no two of
    their footprints (symbol, and label if it is to be drawn) overlap. Each
    further ring (the map puts the articles in ring 1, the entities,
    sources and events in ring 2, and the events it hides at first in ring
    3) is a band around everything placed before it: each node in the
    direction of what it is linked to (directly, or through a node of
    another ring), in the order of those directions, and as close in as
    it can be without touching anything. The nodes in ``labelled`` (and the
    ``must`` ones) are given room for their labels. A view without speakers
    is laid out by :func:`layout`.
    """
    by_id = {m.id: m for m in marks}
    links: dict[str, dict[str, float]] = defaultdict(dict)
    for a, b, weight in edges:
        if a != b and a in by_id and b in by_id:
            links[a][b] = max(links[a].get(b, 0.0), weight)
            links[b][a] = links[a][b]
    core = [m.id for m in marks if m.ring == 0]
    if not core:
        return layout([m.id for m in marks], [(a, b, w) for a in links for b, w in links[a].items() if a < b])
    wanted = set(labelled)
    feet = {m.id: _footprint(m, m.id in wanted or m.must) for m in marks}
    positions = _core_layout(core, links, by_id, feet)
    taken = _Grid()
    for node, (x, y) in positions.items():
        left, top, right, bottom = feet[node]
        taken.add(node, (x + left, y + top, x + right, y + bottom))
    first = [m.id for m in sorted(marks, key=lambda m: (not m.must, m.id not in wanted, m.rank, m.id))]
    for ring in sorted({m.ring for m in marks} - {0}):
        members = [m.id for m in marks if m.ring == ring]
        angles = {node: _direction(node, links, positions, by_id, ring) for node in members}
        positions.update(_rings(members, angles, feet, _bounds(positions, feet), links, taken, first))
    return {node: (round(x, 1), round(y, 1)) for node, (x, y) in positions.items()}


def grouped_layout(
    marks: Sequence[Mark],
    edges: Iterable[tuple[str, str, float]],
    groups: Mapping[str, str],
    *,
    labelled: Iterable[str] = (),
) -> dict[str, tuple[float, float]]:
    """Positions for several small stories side by side (the overview): each group laid out on its own.

    ``groups`` maps each node to its group (a story); a group is laid out
    as a story is (:func:`story_layout`), and the groups are set in rows,
    in the order their first node comes, by the boxes their nodes and
    labels cover, so that no story's labels run into another's.
    """
    edges = list(edges)
    wanted = set(labelled)
    order: list[str] = []
    members: dict[str, list[Mark]] = defaultdict(list)
    for mark in marks:
        group = groups.get(mark.id, mark.id)
        if group not in members:
            order.append(group)
        members[group].append(mark)
    parts = []
    for group in order:
        ids = {m.id for m in members[group]}
        part = story_layout(members[group], [e for e in edges if e[0] in ids and e[1] in ids], labelled=wanted & ids)
        feet = {m.id: _footprint(m, m.id in wanted or m.must) for m in members[group]}
        parts.append((part, _bounds(part, feet)))
    return _pack_boxes(parts)


def _pack_boxes(parts: Sequence[tuple[Mapping[str, tuple[float, float]], Box]]) -> dict[str, tuple[float, float]]:
    """Parts side by side in rows about twice as wide as the whole is tall, each in its box, a gap apart."""
    gap = 4 * PAD
    area = sum((b[2] - b[0] + gap) * (b[3] - b[1] + gap) for _p, b in parts)
    row_width = max(max(b[2] - b[0] for _p, b in parts), math.sqrt(area * ASPECT))
    positions: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for part, (left, top, right, bottom) in parts:
        width, height = right - left, bottom - top
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for node, (px, py) in part.items():
            positions[node] = (round(px - left + x, 1), round(py - top + y, 1))
        x += width + gap
        row_height = max(row_height, height)
    return positions


def _core_layout(
    core: Sequence[str],
    links: Mapping[str, Mapping[str, float]],
    by_id: Mapping[str, Mark],
    feet: Mapping[str, _Offsets],
) -> dict[str, tuple[float, float]]:
    """The centre of a story, about twice as wide as tall, around (0, 0), no two footprints overlapping."""
    graph = nx.Graph()
    graph.add_nodes_from(core)
    members = set(core)
    for a in core:
        for b, weight in links.get(a, {}).items():
            if b in members:
                graph.add_edge(a, b, weight=weight)
    # Speakers quoted by one article, or acting in one event, drift together (a mere mention does not).
    shared: Counter[tuple[str, str]] = Counter()
    for node, neighbours in links.items():
        if node not in members:
            near = sorted(n for n, weight in neighbours.items() if n in members and weight >= 0.5)
            shared.update((a, b) for i, a in enumerate(near) for b in near[i + 1 :])
    for (a, b), count in sorted(shared.items()):
        previous = graph.get_edge_data(a, b, {}).get("weight", 0.0)
        graph.add_edge(a, b, weight=max(previous, min(0.15 * count, 1.0)))
    hub = "\x00centre"  # a weak pull to the middle keeps unconnected speakers near the rest
    graph.add_node(hub)
    for node in core:
        graph.add_edge(hub, node, weight=0.05)
    n = len(core)
    if n == 1:
        raw = {core[0]: (0.0, 0.0)}
    else:
        spring = nx.spring_layout(graph, k=2.0 / math.sqrt(n + 1), iterations=ITERATIONS, seed=SEED, weight="weight")
        cx, cy = spring[hub]
        raw = {node: (float(spring[node][0] - cx), float(spring[node][1] - cy)) for node in core}
    # Spread over an ellipse as large as the footprints; separating them makes the room they need.
    area = sum((f[2] - f[0]) * (f[3] - f[1]) for f in (feet[node] for node in core))
    half_height = math.sqrt(area / (math.pi * ASPECT))
    reach = max((math.hypot(x / ASPECT, y) for x, y in raw.values()), default=0.0) or 1.0
    positions = {
        node: (x / reach * half_height * ASPECT, y / reach * half_height) for node, (x, y) in raw.items()
    }
    _separate(list(core), positions, feet, rounds=200)
    # Separation stacks wide labels on top of each other: squeeze the centre back
    # towards the screen's shape, centred, and separate again.
    for _round in range(6):
        left, top, right, bottom = _bounds(positions, feet)
        cx, cy = (left + right) / 2, (top + bottom) / 2
        ratio = (right - left) / max(bottom - top, 1.0)
        fx, fy = (math.sqrt(ASPECT / ratio), math.sqrt(ratio / ASPECT)) if ratio < ASPECT else (1.0, 1.0)
        positions = {node: ((x - cx) * fx * 0.92, (y - cy) * fy * 0.92) for node, (x, y) in positions.items()}
        _separate(list(core), positions, feet, rounds=200)
    left, top, right, bottom = _bounds(positions, feet)
    cx, cy = (left + right) / 2, (top + bottom) / 2
    return {node: (x - cx, y - cy) for node, (x, y) in positions.items()}


def _bounds(positions: Mapping[str, tuple[float, float]], feet: Mapping[str, _Offsets]) -> Box:
    """The box that holds every node's footprint."""
    return (
        min(x + feet[n][0] for n, (x, y) in positions.items()),
        min(y + feet[n][1] for n, (x, y) in positions.items()),
        max(x + feet[n][2] for n, (x, y) in positions.items()),
        max(y + feet[n][3] for n, (x, y) in positions.items()),
    )


def _direction(
    node: str,
    links: Mapping[str, Mapping[str, float]],
    positions: Mapping[str, tuple[float, float]],
    by_id: Mapping[str, Mark],
    ring: int,
) -> float | None:
    """Where a node of ``ring`` is drawn to: the weighted mean of what it is linked to that is placed.

    A link to a placed node counts in full; one through an unplaced node
    of another ring (an entity to the speakers an article quotes) counts less.
    """
    sx = sy = 0.0
    for other, weight in links.get(node, {}).items():
        if other in positions:
            x, y = positions[other]
            sx, sy = sx + weight * x, sy + weight * y
        elif by_id[other].ring != ring:
            for far, far_weight in links.get(other, {}).items():
                if far in positions and far != node:
                    x, y = positions[far]
                    sx, sy = sx + 0.2 * weight * far_weight * x, sy + 0.2 * weight * far_weight * y
    if math.hypot(sx, sy) < 1e-9:
        return None
    return math.atan2(sy, sx / ASPECT)


def _rings(
    members: Sequence[str],
    angles: Mapping[str, float | None],
    feet: Mapping[str, _Offsets],
    inner: Box,
    links: Mapping[str, Mapping[str, float]],
    taken: _Grid,
    first: Sequence[str],
) -> dict[str, tuple[float, float]]:
    """``members`` in a band around the box ``inner`` (what is placed), touching nothing ``taken`` holds.

    Each node keeps close to its angle, and to the nodes of its own ring it
    is linked to (an event beside the place it happens in); nodes without
    an angle fill the gaps. The band's length is shared out by the length of
    the footprints (as many times round as they need), then each node,
    those in ``first`` first, is set out from ``inner`` in its direction at
    the smallest distance where it touches nothing already placed: a band
    as thin as its nodes allow, hugging what it surrounds.
    """
    angles = _smooth(members, angles, links)
    free = [m for m in members if angles[m] is None]
    order = sorted((m for m in members if angles[m] is not None), key=lambda m: (angles[m], m))
    # Nodes with no direction go, evenly, into the widest gaps between the others.
    for node in free:
        if not order:
            order.append(node)
            angles = {**angles, node: 0.0}
            continue
        where = _angle_of(order, angles)
        gaps = [((where[(i + 1) % len(order)] - where[i]) % (2 * math.pi) or 2 * math.pi, i) for i in range(len(order))]
        gap, after = max(gaps, key=lambda g: (g[0], -g[1]))
        order.insert(after + 1, node)
        angles = {**angles, node: where[after] + gap / 2}
    height = max(f[3] - f[1] for f in (feet[m] for m in members))
    left, top, right, bottom = inner
    band = (left - height / 2, top - height / 2, right + height / 2, bottom + height / 2)
    slots = _spread(order, angles, feet, band)
    rank = {node: i for i, node in enumerate(first)}
    positions: dict[str, tuple[float, float]] = {}
    for node in sorted(order, key=lambda m: (rank.get(m, len(rank)), order.index(m))):
        t = slots[node]
        dx, dy = math.cos(t) * ASPECT, math.sin(t)
        radius = _ray(t, inner) + _radial(node, t, feet) + PAD
        f = feet[node]
        for _step in range(400):
            x, y = dx * radius, dy * radius
            box = (x + f[0], y + f[1], x + f[2], y + f[3])
            if not taken.hits(box, besides=node):
                break
            radius += 3.0
        positions[node] = (x, y)
        taken.add(node, box)
    return positions


def _ray(t: float, box: Box) -> float:
    """Where the ray from (0, 0) at ellipse parameter ``t`` leaves ``box`` (which holds (0, 0)), in half-height units."""
    dx, dy = math.cos(t) * ASPECT, math.sin(t)
    left, top, right, bottom = box
    reach = math.inf
    if dx > 1e-9:
        reach = min(reach, right / dx)
    elif dx < -1e-9:
        reach = min(reach, left / dx)
    if dy > 1e-9:
        reach = min(reach, bottom / dy)
    elif dy < -1e-9:
        reach = min(reach, top / dy)
    return max(reach, 0.0) if reach != math.inf else 0.0


def _smooth(
    members: Sequence[str], angles: Mapping[str, float | None], links: Mapping[str, Mapping[str, float]]
) -> dict[str, float | None]:
    """Angles pulled towards the angles of the linked nodes of the same ring (a few rounds of averaging)."""
    here = set(members)
    current = dict(angles)
    for _round in range(8):
        updated = dict(current)
        for node in members:
            sx = sy = 0.0
            if current[node] is not None:
                sx, sy = math.cos(current[node]), math.sin(current[node])  # type: ignore[arg-type]
            for other, weight in links.get(node, {}).items():
                if other in here and current.get(other) is not None:
                    sx += weight * math.cos(current[other])  # type: ignore[arg-type]
                    sy += weight * math.sin(current[other])  # type: ignore[arg-type]
            updated[node] = math.atan2(sy, sx) if math.hypot(sx, sy) > 1e-9 else current[node]
        current = updated
    return current


def _radial(node: str, t: float, feet: Mapping[str, _Offsets]) -> float:
    """How far the footprint reaches towards the centre at ellipse parameter ``t``, in half-height units."""
    left, top, right, bottom = feet[node]
    ux, uy = -math.cos(t), -math.sin(t)  # inwards, in the ellipse's own (x / ASPECT, y) terms
    reach_x = (-left if ux < 0 else right) * abs(ux) / ASPECT
    reach_y = (-top if uy < 0 else bottom) * abs(uy)
    return math.hypot(reach_x, reach_y)


def _angle_of(order: Sequence[str], angles: Mapping[str, float | None]) -> list[float]:
    return [angles[m] % (2 * math.pi) for m in order]  # type: ignore[operator]


def _speed(t: float, box: Box) -> float:
    """Length per radian of ellipse parameter of the boundary of ``box`` (around (0, 0)) at ``t``."""
    step = 1e-3
    a, b = _ray(t - step, box), _ray(t + step, box)
    x0, y0 = math.cos(t - step) * ASPECT * a, math.sin(t - step) * a
    x1, y1 = math.cos(t + step) * ASPECT * b, math.sin(t + step) * b
    return max(math.hypot(x1 - x0, y1 - y0) / (2 * step), 1.0)


def _along(node: str, t: float, feet: Mapping[str, _Offsets], box: Box) -> float:
    """A footprint's length along the boundary of ``box`` at ``t``."""
    step = 1e-3
    a, b = _ray(t - step, box), _ray(t + step, box)
    tx = math.cos(t + step) * ASPECT * b - math.cos(t - step) * ASPECT * a
    ty = math.sin(t + step) * b - math.sin(t - step) * a
    norm = math.hypot(tx, ty) or 1.0
    left, top, right, bottom = feet[node]
    return (abs(tx) * (right - left) + abs(ty) * (bottom - top)) / norm


def _spread(ring: Sequence[str], angles: Mapping[str, float | None], feet: Mapping[str, _Offsets], box: Box) -> dict[str, float]:
    """The ellipse parameter of each node of a band, in the order given, each given a share of the band
    as long as its footprint along it.

    The nodes most of a story's entities are linked to are few, so the
    angles bunch; keeping only their order and sharing out the band keeps
    each node near its neighbours in meaning and clear of them on screen.
    The whole is turned to sit as close as it can to the angles asked for.
    """
    if not ring:
        return {}
    wanted = [float(angles[node] or 0.0) for node in ring]
    slots = list(wanted)
    for _round in range(3):  # a footprint's length along the band depends on where it lands
        needs = [_along(node, t, feet, box) / _speed(t, box) for node, t in zip(ring, slots)]
        scale = 2 * math.pi / sum(needs)
        start, slots = 0.0, []
        for need in needs:
            slots.append(start + need * scale / 2)
            start += need * scale
        turn = math.atan2(
            sum(math.sin(w - t) for w, t in zip(wanted, slots)), sum(math.cos(w - t) for w, t in zip(wanted, slots))
        )
        slots = [t + turn for t in slots]
    return dict(zip(ring, slots))


def _separate(
    nodes: Sequence[str],
    positions: dict[str, tuple[float, float]],
    feet: Mapping[str, _Offsets],
    *,
    rounds: int,
) -> None:
    """Push apart, in place, every two nodes whose footprints overlap (each by half, along the axis they overlap least).

    A sweep from left to right finds the pairs; a round that moves nothing
    has found none, so the footprints are then clear of each other.
    """
    for _round in range(rounds):
        boxes = sorted((positions[n][0] + feet[n][0], n) for n in nodes)
        moved = False
        for i, (_left, a) in enumerate(boxes):
            ax, ay = positions[a]
            fa = feet[a]
            a_box = (ax + fa[0], ay + fa[1], ax + fa[2], ay + fa[3])
            for _left_b, b in boxes[i + 1 :]:
                bx, by = positions[b]
                fb = feet[b]
                if bx + fb[0] >= a_box[2]:
                    break
                b_box = (bx + fb[0], by + fb[1], bx + fb[2], by + fb[3])
                if not _overlap(a_box, b_box):
                    continue
                dx = min(a_box[2], b_box[2]) - max(a_box[0], b_box[0])
                dy = min(a_box[3], b_box[3]) - max(a_box[1], b_box[1])
                if dx < dy:
                    sign = 1.0 if (bx, b) >= (ax, a) else -1.0
                    ax, bx = ax - sign * (dx + 0.5) / 2, bx + sign * (dx + 0.5) / 2
                else:
                    sign = 1.0 if (by, b) >= (ay, a) else -1.0
                    ay, by = ay - sign * (dy + 0.5) / 2, by + sign * (dy + 0.5) / 2
                positions[b] = (bx, by)
                a_box = (ax + fa[0], ay + fa[1], ax + fa[2], ay + fa[3])
                moved = True
            positions[a] = (ax, ay)
        if not moved:
            break
