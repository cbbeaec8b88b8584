"""The interactive HTML map of the knowledge graph (pyvis / vis-network).

The page draws one *view* at a time. It lists the stories (``kg:Story``,
largest first) and opens on an overview of the top disputed stories (their
disputing speakers, camps and most cited sources, at most
``FIRST_VIEW_NODES`` nodes) when the corpus holds several, else on its one
story. A story's view is planned as described below within the story's own
articles, laid out once here (:mod:`.map_layout`), and stored compressed in
the page (:mod:`.map_page`), which decodes it only when it is opened.

Everything drawn is read from the store through SPARQL, so the map shows
exactly what a SPARQL user would find. The page is self-contained: the
vis-network script and stylesheet shipped inside pyvis are inlined, and a
Content-Security-Policy forbids every network fetch and every script except
the two inline ones (by hash), so the map works offline and an article's text
can never run as code. Article text reaches the page only as JSON data and is
shown as plain text (tooltips are built with ``textContent``).

Besides entities and articles, the map draws who said what and who cites
whom: a *said* edge from each speaker (an entity, or a collective source such
as "Western officials", drawn as a node of its own kind) to each article that
quotes them, whose tooltip lists the claims; and a *cites* edge from an
article to each source it cites (an outlet already on the map, or a work node:
interview, statement, channel, social media). Quote text is article text, so
it is as untrusted as the rest and reaches the page the same way.

Extracted events (``kg:Event``) are nodes of their own kind, linked to who
acts in them (``kg:agent``), whom they affect (``kg:patient``) and where they
happen (``sem:hasPlace``), each edge with the sentences that name both, and
from each article that reports them (a *reports* edge listing the trigger
sentences with the reading each gives: planned, denied, …). Named events that
spaCy tagged (``schema:Event`` only) stay entities.

Who contradicts whom is drawn between the speakers themselves: claim
relations (``kg:ClaimRelation``, written beside ``cito:disagreesWith`` and
``cito:agreesWith``) become one *contradicts* or *agrees with* edge per pair
of speakers (the claims' ``schema:author`` nodes) and kind, whose tooltip
gives the rule, the confidence and both evidence sentences of the strongest
relations. A checkbox on the page ("Speakers and disputes only") hides
everything else, and restores it.

Each view is laid out once, when the map is written (:mod:`.map_layout`): in
a story, its speakers and their camps in the centre, the articles in a band
around them, and the entities, sources and events they speak of in a band
outside that. Each label's box is computed from its node's position and font
size, and a label is drawn at the fitted zoom only where it overlaps no more
important one (camps and disputing speakers are always drawn, then the
nodes most articles name); the others carry the zoom at which they appear,
and show on hover or when their node is selected. Events that one article
reports, or that no labelled node acts in, start hidden ("minor events"),
and said, cites and role edges are drawn faint, so that who disputes whom
reads first.

Each story's view is capped: one budget of ``max_nodes`` is shared by entities,
collective sources, cited sources and events. The first three are ranked by
how many articles mention, quote or cite each (so the most-cited sources
stay), except that speakers in a contradiction or agreement come first, the
most related first; events by how many articles report them, and they take at most
``EVENT_SHARE`` of the budget so that the people and places of the story are
never crowded out by what happened to them. An event that one article
reports and that has no participant or place on the map is noise and is not
drawn. At most ``max_articles`` article nodes are drawn; the page says what
was left out.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph
from markupsafe import Markup
from pyvis.network import Network

from kgraph.outputs.map_layout import Mark, grouped_layout, place_labels, story_layout
from kgraph.outputs.map_page import render_page
from kgraph.rdf.articles import read_articles
from kgraph.rdf.store import select
from kgraph.rdf.vocab import KG_NS, SCHEMA_NS

__all__ = [
    "ARTICLE_KIND",
    "COLLECTIVE_KIND",
    "EDGE_KINDS",
    "EVENT_KIND",
    "EVENT_SHARE",
    "NODE_KINDS",
    "SOURCE_KIND",
    "EdgeKind",
    "MapStats",
    "NodeKind",
    "render_map",
]

#: How many article nodes are drawn at most; more would bury the entities.
DEFAULT_MAX_ARTICLES = 60
#: Supporting sentences in an entity's tooltip, and per edge tooltip.
ENTITY_SENTENCES = 3
EDGE_SENTENCES = 3
#: Longer sentences are cut (with an ellipsis) so tooltips stay readable.
MAX_SENTENCE_CHARS = 280
MAX_LABEL_CHARS = 30
#: Claims listed on a said edge (a speaker can have dozens in one interview
#: write-up), each cut to this length; the rest are counted, not listed.
EDGE_CLAIMS = 5
MAX_QUOTE_CHARS = 200
#: Claims in a collective source's own tooltip, spread over its articles.
NODE_CLAIMS = 3
#: Trigger sentences in an event's tooltip, spread over its articles.
EVENT_SENTENCES = 3
#: Claim relations listed on a contradicts or agrees-with edge (strongest first).
EDGE_RELATIONS = 3
#: Events take at most this share of ``max_nodes`` (rounded down) while other
#: nodes fill the rest: a story has far more events than actors (84 against 68
#: on the seeds), and an event means little once its actors are gone.
EVENT_SHARE = Fraction(1, 3)
#: A label smaller than this many pixels on screen is not drawn (vis-network's drawThreshold).
LABEL_DRAW_THRESHOLD = 9

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class NodeKind:
    """How one kind of node looks: colour and shape, also shown in the legend."""

    name: str
    iri: str
    colour: str
    shape: str  # a vis-network shape with the label below the symbol


# Okabe-Ito colours (readable with colour-blindness); shapes differ too, so
# the map also reads in greyscale.
NODE_KINDS: tuple[NodeKind, ...] = (
    NodeKind("Person", SCHEMA_NS + "Person", "#E69F00", "dot"),
    NodeKind("Organization", SCHEMA_NS + "Organization", "#0072B2", "square"),
    NodeKind("Place", SCHEMA_NS + "Place", "#009E73", "triangle"),
    # Named events spaCy tags ("World War II"): entities, merged by name.
    NodeKind("Named event", SCHEMA_NS + "Event", "#CC79A7", "star"),
)
# Extracted events (kg:Event, also schema:Event). Every shape with its label
# below is taken, so an event is an ellipse with its label ("withdrawal:
# Russia → Kherson") inside, which also sets it apart from the named things.
EVENT_KIND = NodeKind("Event", KG_NS + "Event", "#F0E442", "ellipse")
ARTICLE_KIND = NodeKind("Article", SCHEMA_NS + "NewsArticle", "#7F7F7F", "diamond")
# Collective sources are also schema:Organization; they get their own kind so
# that "Western officials" never looks like a named organisation.
COLLECTIVE_KIND = NodeKind("Collective source", KG_NS + "CollectiveSource", "#56B4E9", "hexagon")
# Anything an article cites that is not already a node: interviews,
# statements, channels, social media (schema:CreativeWork in the graph).
SOURCE_KIND = NodeKind("Cited source", SCHEMA_NS + "CreativeWork", "#D55E00", "triangleDown")
# A side of a story's dispute (kg:Camp): its label inside a box, like an event's.
CAMP_KIND = NodeKind("Camp", KG_NS + "Camp", "#F4D6E4", "box")
# A story (kg:Story), drawn on the overview only: its label, in bold, heads
# the story's speakers and sources, and opens the story's view.
STORY_KIND = NodeKind("Story", KG_NS + "Story", "#333333", "text")
#: Every node kind, in legend order.
_LEGEND_KINDS: tuple[NodeKind, ...] = (
    *NODE_KINDS, EVENT_KIND, COLLECTIVE_KIND, SOURCE_KIND, ARTICLE_KIND, CAMP_KIND, STORY_KIND,
)


@dataclass(frozen=True, slots=True)
class EdgeKind:
    """How one kind of edge looks and what it means (the legend says so)."""

    name: str  # the ``kind`` of the edge in the page's data
    meaning: str
    colour: str
    width: float
    dashes: tuple[int, ...]  # dash and gap lengths; empty: solid
    curve: str | None  # a vis-network static curve type; None: straight
    directed: bool = True  # False: no arrowhead (a relation between two peers)


# Said and cites edges often join the same two nodes as a mention edge
# (Budanov is mentioned in and quoted by the same article), so they curve to
# opposite sides instead of hiding under it; static curves add no physics.
# Likewise "affected by" and "where" often join an event to the same place
# (the withdrawal from Kherson). An article's link to an event is a "reports"
# edge, not a mention: its tooltip gives each sentence's reading.
EDGE_KINDS: tuple[EdgeKind, ...] = (
    EdgeKind("mentions", "an article mentions an entity", "#c4c4c4", 1, (), None),
    EdgeKind("said", "a speaker is quoted in an article (hover: the claims)", "#444444", 2, (), "curvedCW"),
    EdgeKind("cites", "an article cites a source", "#D55E00", 1.5, (6, 4), "curvedCCW"),
    EdgeKind("reports", "an article reports an event (hover: its sentences and readings)", "#a8a8a8", 1, (2, 3), None),
    EdgeKind("acts in", "a participant acts in an event (kg:agent)", "#0072B2", 1.5, (), None),
    EdgeKind("affected by", "an event acts on a participant (kg:patient)", "#CC79A7", 1.5, (8, 3), "curvedCW"),
    EdgeKind("where", "where an event takes place (sem:hasPlace)", "#009E73", 1.5, (3, 3), "curvedCCW"),
    # Between speakers, one edge per pair and kind whichever of them spoke
    # first, so no arrowhead. A pair that both contradicts and agrees gets a
    # straight and a curved edge; the dash-dot pattern is used by nothing else.
    # Meanings stay short: the legend is no wider than the "reports" line.
    EdgeKind(
        "contradicts",
        "two speakers' claims contradict (hover: the evidence)",
        "#D62728", 3.5, (6, 3, 2, 3), None, directed=False,
    ),
    EdgeKind(
        "agrees with",
        "two speakers' claims agree (hover: the evidence)",
        "#2CA02C", 2, (), "curvedCW", directed=False,
    ),
    EdgeKind("in camp", "a speaker stands on one side of a story (click: why)", "#B5527F", 1.5, (2, 2), None),
    EdgeKind("in story", "a speaker or source of a story (overview)", "#9a9a9a", 1, (), None),
)
(
    _MENTIONS, _SAID, _CITES, _REPORTS, _ACTS_IN, _AFFECTED_BY, _WHERE, _CONTRADICTS, _AGREES, _IN_CAMP, _IN_STORY,
) = EDGE_KINDS
#: The edges an event has to its participants and place, by role.
_ROLE_KINDS: tuple[EdgeKind, ...] = (_ACTS_IN, _AFFECTED_BY, _WHERE)
#: The edges between speakers, and the ``kg:relationKind`` each draws.
_DISPUTE_KINDS: tuple[EdgeKind, ...] = (_CONTRADICTS, _AGREES)
_RELATION_KINDS: Mapping[str, EdgeKind] = {"contradiction": _CONTRADICTS, "agreement": _AGREES}

# The readings (kg:modality) an event's mentions give, in the order a
# tooltip lists them; a value outside this list comes after, alphabetically.
_READINGS: tuple[str, ...] = ("happened", "ongoing", "planned", "expected", "hypothetical", "denied")

# How a cited work's class is named in its tooltip.
_SOURCE_CLASSES: Mapping[str, str] = {
    KG_NS + "Interview": "interview",
    KG_NS + "Statement": "statement",
    KG_NS + "Channel": "channel",
    KG_NS + "SocialMediaSource": "social media",
    SCHEMA_NS + "Organization": "outlet",
}

# Our own subclasses of schema:Place, named in tooltips.
_SUBTYPE_NAMES: Mapping[str, str] = {
    KG_NS + "GeopoliticalEntity": "geopolitical entity",
    KG_NS + "Location": "location",
    KG_NS + "Facility": "facility",
}

# SVG symbols for the legend, matching the vis-network shapes above.
_LEGEND_SYMBOLS: Mapping[str, str] = {
    "dot": '<circle cx="8" cy="8" r="6"/>',
    "square": '<rect x="2" y="2" width="12" height="12"/>',
    "triangle": '<polygon points="8,1.5 14.5,14 1.5,14"/>',
    "star": '<polygon points="8,1 9.9,6 15,6 11,9.2 12.5,14.5 8,11.3 3.5,14.5 5,9.2 1,6 6.1,6"/>',
    "diamond": '<polygon points="8,1 15,8 8,15 1,8"/>',
    "hexagon": '<polygon points="8,1 14,4.5 14,11.5 8,15 2,11.5 2,4.5"/>',
    "triangleDown": '<polygon points="1.5,2 14.5,2 8,14.5"/>',
    "ellipse": '<ellipse cx="8" cy="8" rx="7.5" ry="4.5" stroke="#9a8f00" stroke-width="0.8"/>',
    "box": '<rect x="1" y="4" width="14" height="8" rx="2" stroke="#8a4a66" stroke-width="0.8"/>',
    "text": '<text x="0" y="12" font-size="10" font-weight="bold">Aa</text>',
}


@dataclass(frozen=True, slots=True)
class MapStats:
    """What the map shows, for the build to report."""

    nodes_drawn: int
    edges_drawn: int
    entities_total: int
    entities_drawn: int
    articles: int
    articles_drawn: int
    # Collective sources that say or are cited in something, and cited sources
    # that are not entities: a store without claims or citations has none.
    collectives_total: int = 0
    collectives_drawn: int = 0
    sources_total: int = 0
    sources_drawn: int = 0
    # Extracted events worth drawing (reported by several articles, or with a
    # participant or place on the map), and those left out as noise (one
    # article, nobody and nowhere on the map): these never count as capped.
    events_total: int = 0
    events_drawn: int = 0
    events_lone: int = 0
    # The page: how many stories it lists, which view it opens on ("overview"
    # or a story's "v0"), how many nodes that view draws, and how many views.
    stories: int = 0
    first_view: str = ""
    first_view_nodes: int = 0
    views: int = 0

    @property
    def capped(self) -> bool:
        """True when some node of the store that the map would draw is not drawn."""
        return (
            self.entities_drawn < self.entities_total
            or self.articles_drawn < self.articles
            or self.collectives_drawn < self.collectives_total
            or self.sources_drawn < self.sources_total
            or self.events_drawn < self.events_total
        )


# --------------------------------------------------------------------------
# What the store holds


@dataclass(frozen=True, slots=True)
class _Entity:
    iri: str
    kind: NodeKind
    label: str
    subtypes: tuple[str, ...]
    article_count: int
    mention_count: int


@dataclass(frozen=True, slots=True)
class _Article:
    iri: str
    identifier: str
    headline: str | None
    date: str | None
    publisher: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class _Sentence:
    article: str
    begin: int
    text: str


@dataclass(frozen=True, slots=True)
class _Collective:
    """A collective speaker (``kg:CollectiveSource``): "Western officials"."""

    iri: str
    label: str


@dataclass(frozen=True, slots=True)
class _Source:
    """Something articles cite that is neither an entity nor a collective source."""

    iri: str
    label: str
    kind: str  # interview, statement, channel, social media, outlet or source
    speaker: str | None  # whose words it records (kg:speaker), by label
    outlet: str | None  # where they appeared (schema:publisher), by label


#: The nodes other than events and articles, which the plan ranks together.
_Node = _Entity | _Collective | _Source


@dataclass(frozen=True, slots=True)
class _Claim:
    """One claim as a said edge lists it."""

    iri: str
    article: str
    begin: int  # offset of its content in the article; -1 if unknown
    text: str
    direct: bool
    cue: str | None  # the reporting verb as written ("told"), else its lemma
    negated: bool


@dataclass(frozen=True, slots=True)
class _Event:
    """An extracted event (``kg:Event``), as the plan ranks it."""

    iri: str
    label: str
    event_class: str | None  # local name of sem:eventType ("withdrawal")
    article_count: int
    mention_count: int


@dataclass(frozen=True, slots=True)
class _EventDetails:
    """What an event's tooltip says besides its label and counts (drawn events only)."""

    readings: tuple[str, ...]  # kg:modality values, in _READINGS order
    time_label: str | None  # the words ("Last week")
    time_value: str | None  # the ISO value ("2022-W42")
    merges: Mapping[str, int]  # merge rule (readable) -> how many kg:merge records use it


@dataclass(frozen=True, slots=True)
class _Trigger:
    """A sentence that reports an event, with the readings its mentions there give."""

    article: str
    begin: int
    text: str
    readings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Relation:
    """One claim relation (``kg:ClaimRelation``) as it joins two speakers.

    A relation whose claims have several authors joins each pair of them.
    """

    iri: str
    kind: str  # the edge kind name: contradicts or agrees with
    rule: str | None  # kg:relationRule IRI
    confidence: float
    from_claim: str  # kg:fromClaim: the later or the rejecting claim
    to_claim: str
    from_speaker: str  # an author of from_claim
    to_speaker: str  # an author of to_claim (never from_speaker)
    article: str | None = None  # where from_claim appears: it places the relation in a story


@dataclass(frozen=True, slots=True)
class _Evidence:
    """What a dispute edge shows of one side of a relation: the claim's sentence."""

    article: str  # article IRI
    text: str  # the evidence sentence, else the claim's own text
    sentence: bool  # False: no evidence sentence found, ``text`` is the claim


@dataclass(frozen=True, slots=True)
class _Corpus:
    """Everything the map needs, read from the store (before any capping)."""

    entities: tuple[_Entity, ...]  # ranked: most articles, most mentions, label, IRI
    articles: Mapping[str, _Article]
    mentions: frozenset[tuple[str, str]]  # (article IRI, entity or collective IRI)
    collectives: Mapping[str, _Collective]  # every collective source of the store
    said: Mapping[tuple[str, str], int]  # (speaker IRI, article IRI) -> number of claims
    cites: frozenset[tuple[str, str]]  # (article IRI, cited IRI)
    sources: Mapping[str, _Source]  # cited IRIs that are not entities, collectives or articles
    events: tuple[_Event, ...]  # ranked: most articles, most mentions, label, IRI
    reports: frozenset[tuple[str, str]]  # (article IRI, event IRI)
    # (event IRI, role edge kind name, participant or place IRI); any IRI, the plan filters
    roles: frozenset[tuple[str, str, str]]
    # (edge kind name, speaker IRI, speaker IRI), the IRIs in sorted order -> the
    # relations between them, strongest first; only speakers who are nodes
    disputes: Mapping[tuple[str, str, str], tuple[_Relation, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Plan:
    """What is drawn, decided before anything is rendered."""

    entities: tuple[_Entity, ...]
    collectives: tuple[_Collective, ...]
    sources: tuple[_Source, ...]
    articles: tuple[_Article, ...]
    edges: tuple[tuple[str, str], ...]  # mentions: (article IRI, entity IRI), sorted
    said: tuple[tuple[str, str], ...]  # (speaker IRI, article IRI), sorted
    cites: tuple[tuple[str, str], ...]  # (article IRI, cited node IRI), sorted
    entities_total: int
    collectives_total: int
    sources_total: int
    articles_total: int
    max_articles: int
    events: tuple[_Event, ...]
    reports: tuple[tuple[str, str], ...]  # (article IRI, event IRI), sorted
    # (edge kind name, from IRI, to IRI): agent -> event, event -> patient, event -> place
    roles: tuple[tuple[str, str, str], ...]
    events_total: int  # events worth drawing (not lone), drawn or not
    events_lone: int  # one article, no participant or place on the map: not drawn
    event_share: int  # the most nodes events may take while others fill the rest
    # (edge kind name, speaker A, speaker B): "A contradicts B", A the one whose
    # claim disagrees (or agrees) in most of the pair's relations
    disputes: tuple[tuple[str, str, str], ...] = ()
    disputants_total: int = 0  # speakers in some relation with another speaker node


def _text(term: Any) -> str | None:
    return None if term is None else str(term.value)


def _int(term: Any) -> int | None:
    try:
        return None if term is None else int(term.value)
    except ValueError:
        return None


def _bool(term: Any) -> bool:
    return term is not None and str(term.value) in ("true", "1")


def _values(iris: Iterable[str]) -> str:
    """A SPARQL VALUES body; pyoxigraph has validated the IRIs, so ``<…>`` is safe."""
    return " ".join(str(pyoxigraph.NamedNode(iri)) for iri in iris)


def _read_articles(store: pyoxigraph.Store) -> dict[str, _Article]:
    # Several values of one field are possible in RDF; read_articles keeps the smallest (stable).
    return {
        iri: _Article(
            iri=iri,
            identifier=m.identifier if m.identifier is not None else iri.rsplit("/", 1)[-1],
            headline=m.headline,
            date=m.date,
            publisher=m.publisher_name,
            url=m.url,
        )
        for iri, m in read_articles(store).items()
    }


def _read_mentions(store: pyoxigraph.Store) -> frozenset[tuple[str, str]]:
    rows = select(store, "SELECT DISTINCT ?a ?e WHERE { ?a schema:mentions ?e }")
    return frozenset((row["a"].value, row["e"].value) for row in rows)


def _counted_mentions(store: pyoxigraph.Store) -> dict[str, int]:
    """Mention nodes per entity, for stores without ``kg:mentionCount``."""
    rows = select(
        store, "SELECT ?e (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m itsrdf:taIdentRef ?e } GROUP BY ?e"
    )
    return {row["e"].value: _int(row["n"]) or 0 for row in rows}


def _read_entities(
    store: pyoxigraph.Store, mentions: frozenset[tuple[str, str]]
) -> tuple[_Entity, ...]:
    """Every typed entity, ranked as the cap keeps them (deterministically).

    Extracted events are also ``schema:Event``; they are read by :func:`_read_events`.
    """
    kinds = {kind.iri: kind for kind in NODE_KINDS}
    rows = select(
        store,
        f"""SELECT ?e ?type ?label ?articles ?mentions WHERE {{
          ?e a ?type .
          VALUES ?type {{ {_values(kinds)} }}
          FILTER NOT EXISTS {{ ?e a kg:Event }}
          OPTIONAL {{ ?e rdfs:label ?label }}
          OPTIONAL {{ ?e kg:articleCount ?articles }}
          OPTIONAL {{ ?e kg:mentionCount ?mentions }}
        }}""",
    )
    types: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, set[str]] = defaultdict(set)
    article_counts: dict[str, int] = {}
    mention_counts: dict[str, int] = {}
    for row in rows:
        iri = row["e"].value
        types[iri].add(row["type"].value)
        if label := _text(row["label"]):
            labels[iri].add(label)
        if (count := _int(row["articles"])) is not None:
            article_counts[iri] = max(count, article_counts.get(iri, 0))
        if (count := _int(row["mentions"])) is not None:
            mention_counts[iri] = max(count, mention_counts.get(iri, 0))
    subtypes = _read_subtypes(store)
    articles_of: dict[str, int] = defaultdict(int)
    for _article, entity in mentions:
        articles_of[entity] += 1
    counted = _counted_mentions(store) if len(mention_counts) < len(types) else {}
    entities = []
    for iri, type_iris in types.items():
        # An entity typed twice keeps the first kind in NODE_KINDS order.
        kind = next(k for k in NODE_KINDS if k.iri in type_iris)
        entities.append(
            _Entity(
                iri=iri,
                kind=kind,
                label=min(labels[iri], default=None) or _local_name(iri),
                subtypes=tuple(sorted(subtypes.get(iri, ()))),
                article_count=article_counts.get(iri, articles_of[iri]),
                mention_count=mention_counts.get(iri, counted.get(iri, 0)),
            )
        )
    return tuple(sorted(entities, key=_entity_rank))


def _read_subtypes(store: pyoxigraph.Store) -> dict[str, set[str]]:
    rows = select(
        store, f"SELECT ?e ?sub WHERE {{ ?e a ?sub . VALUES ?sub {{ {_values(_SUBTYPE_NAMES)} }} }}"
    )
    found: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        found[row["e"].value].add(_SUBTYPE_NAMES[row["sub"].value])
    return found


def _read_alt_labels(store: pyoxigraph.Store, entities: Iterable[str]) -> dict[str, list[str]]:
    iris = sorted(entities)
    if not iris:
        return {}
    rows = select(
        store, f"SELECT ?e ?alt WHERE {{ VALUES ?e {{ {_values(iris)} }} ?e skos:altLabel ?alt }}"
    )
    found: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        found[row["e"].value].add(row["alt"].value)
    return {iri: sorted(alts, key=lambda a: (a.casefold(), a)) for iri, alts in found.items()}


def _read_sentences(
    store: pyoxigraph.Store, entities: Iterable[str]
) -> dict[tuple[str, str], list[_Sentence]]:
    """The sentences that mention each entity, keyed by (article IRI, entity IRI)."""
    iris = sorted(entities)
    if not iris:
        return {}
    rows = select(
        store,
        f"""SELECT DISTINCT ?e ?a ?s ?begin ?text WHERE {{
          VALUES ?e {{ {_values(iris)} }}
          ?m itsrdf:taIdentRef ?e ; nif:referenceContext ?a ; nif:sentence ?s .
          ?s nif:anchorOf ?text .
          OPTIONAL {{ ?s nif:beginIndex ?begin }}
        }}""",
    )
    found: dict[tuple[str, str], set[_Sentence]] = defaultdict(set)
    for row in rows:
        article = row["a"].value
        begin = _int(row["begin"])
        found[article, row["e"].value].add(
            _Sentence(article, -1 if begin is None else begin, row["text"].value)
        )
    return {key: sorted(sentences, key=lambda s: (s.begin, s.text)) for key, sentences in found.items()}


def _read_collectives(store: pyoxigraph.Store) -> dict[str, _Collective]:
    """Every collective source, whether or not it says anything (the plan decides)."""
    rows = select(
        store, "SELECT ?g ?label WHERE { ?g a kg:CollectiveSource OPTIONAL { ?g rdfs:label ?label } }"
    )
    labels: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        found = labels[row["g"].value]
        if label := _text(row["label"]):
            found.add(label)
    return {iri: _Collective(iri, min(found, default=None) or _local_name(iri)) for iri, found in labels.items()}


def _read_said(store: pyoxigraph.Store) -> dict[tuple[str, str], int]:
    """Claims per (speaker, article); a claim with no ``schema:author`` has no speaker to draw."""
    rows = select(
        store,
        """SELECT ?s ?a (COUNT(DISTINCT ?c) AS ?n) WHERE {
          ?c a schema:Claim ; schema:author ?s ; schema:appearance ?a .
        } GROUP BY ?s ?a""",
    )
    return {(row["s"].value, row["a"].value): _int(row["n"]) or 0 for row in rows}


def _read_claims(store: pyoxigraph.Store, speakers: Iterable[str]) -> dict[tuple[str, str], list[_Claim]]:
    """The claims of each drawn speaker, keyed by (speaker IRI, article IRI), in text order.

    Every claim is read and the speakers picked here: Oxigraph joins a
    ``VALUES`` of a thousand speakers to the claims about three times slower
    than it reads them all (1,000 real articles: 0.56 s against 0.17 s in memory).
    """
    wanted = set(speakers)
    if not wanted:
        return {}
    rows = select(
        store,
        """SELECT ?c ?s ?a ?text ?direct ?quotation ?cue ?lemma ?negated ?begin WHERE {
          ?c a schema:Claim ; schema:author ?s ; schema:appearance ?a .
          BIND(EXISTS { ?c a schema:Quotation } AS ?quotation)
          OPTIONAL { ?c schema:text ?text }
          OPTIONAL { ?c kg:isDirectQuote ?direct }
          OPTIONAL { ?c kg:cue/nif:anchorOf ?cue }
          OPTIONAL { ?c kg:cueLemma ?lemma }
          OPTIONAL { ?c kg:cueNegated ?negated }
          OPTIONAL { ?c kg:content/nif:beginIndex ?begin }
        }""",
    )
    fields: dict[tuple[str, str, str], dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        speaker = row["s"]
        if not isinstance(speaker, pyoxigraph.NamedNode) or speaker.value not in wanted:
            continue  # the speakers asked for are IRIs
        found = fields[speaker.value, row["a"].value, row["c"].value]
        for name in ("text", "cue", "lemma"):
            if (value := _text(row[name])) is not None:
                found[name].add(value)
        if (begin := _int(row["begin"])) is not None:
            found["begin"].add(begin)
        found["direct"].add(_bool(row["direct"]) or _bool(row["quotation"]))
        found["negated"].add(_bool(row["negated"]))
    claims: dict[tuple[str, str], list[_Claim]] = defaultdict(list)
    for (speaker, article, iri), f in fields.items():
        claims[speaker, article].append(
            _Claim(
                iri=iri,
                article=article,
                begin=min(f["begin"], default=-1),
                text=min(f["text"], default=""),
                direct=True in f["direct"],
                cue=min(f["cue"], default=None) or min(f["lemma"], default=None),
                negated=True in f["negated"],
            )
        )
    return {key: sorted(found, key=lambda c: (c.begin, c.text, c.iri)) for key, found in claims.items()}


def _read_cites(store: pyoxigraph.Store) -> frozenset[tuple[str, str]]:
    rows = select(store, "SELECT DISTINCT ?a ?s WHERE { ?a cito:cites ?s FILTER(isIRI(?s)) }")
    return frozenset((row["a"].value, row["s"].value) for row in rows)


def _read_sources(store: pyoxigraph.Store, cited: Iterable[str]) -> dict[str, _Source]:
    """Label, class, speaker and outlet of each cited work, as far as the graph says."""
    iris = sorted(cited)
    if not iris:
        return {}
    rows = select(
        store,
        f"""SELECT ?s ?type ?label ?speaker ?speakerLabel ?outlet ?outletLabel WHERE {{
          VALUES ?s {{ {_values(iris)} }}
          OPTIONAL {{ ?s a ?type }}
          OPTIONAL {{ ?s rdfs:label ?label }}
          OPTIONAL {{ ?s kg:speaker ?speaker OPTIONAL {{ ?speaker rdfs:label ?speakerLabel }} }}
          OPTIONAL {{ ?s schema:publisher ?outlet
                     OPTIONAL {{ ?outlet rdfs:label|schema:name ?outletLabel }} }}
        }}""",
    )
    found: dict[str, dict[str, set[str]]] = {iri: defaultdict(set) for iri in iris}
    for row in rows:
        fields = found[row["s"].value]
        if (kind := _SOURCE_CLASSES.get(_text(row["type"]) or "")) is not None:
            fields["kind"].add(kind)
        for name in ("label", "speakerLabel", "outletLabel"):
            if (value := _text(row[name])) is not None:
                fields[name].add(value)
        if isinstance(row["outlet"], pyoxigraph.Literal):
            fields["outletLabel"].add(row["outlet"].value)
    # A work typed twice names the first of _SOURCE_CLASSES (a work before "outlet").
    order = list(_SOURCE_CLASSES.values())
    return {
        iri: _Source(
            iri=iri,
            label=min(f["label"], default=None) or _local_name(iri),
            kind=min(f["kind"], key=order.index, default="source"),
            speaker=min(f["speakerLabel"], default=None),
            outlet=min(f["outletLabel"], default=None),
        )
        for iri, f in found.items()
    }


def _read_citation_sentences(
    store: pyoxigraph.Store, cited: Iterable[str]
) -> dict[tuple[str, str], list[_Sentence]]:
    """The sentences that cite each drawn source, keyed by (article IRI, cited IRI)."""
    iris = sorted(cited)
    if not iris:
        return {}
    rows = select(
        store,
        f"""SELECT DISTINCT ?a ?s ?begin ?text WHERE {{
          VALUES ?s {{ {_values(iris)} }}
          ?citation kg:citedSource ?s ; schema:appearance ?a ; nif:sentence ?sentence .
          ?sentence nif:anchorOf ?text .
          OPTIONAL {{ ?sentence nif:beginIndex ?begin }}
        }}""",
    )
    found: dict[tuple[str, str], set[_Sentence]] = defaultdict(set)
    for row in rows:
        article, begin = row["a"].value, _int(row["begin"])
        found[article, row["s"].value].add(_Sentence(article, -1 if begin is None else begin, row["text"].value))
    return {key: sorted(sentences, key=lambda s: (s.begin, s.text)) for key, sentences in found.items()}


def _read_events(store: pyoxigraph.Store, mentions: frozenset[tuple[str, str]]) -> tuple[_Event, ...]:
    """Every extracted event (``kg:Event``), ranked as the plan keeps them."""
    rows = select(
        store,
        """SELECT ?e ?label ?type ?articles ?mentions WHERE {
          ?e a kg:Event .
          OPTIONAL { ?e rdfs:label ?label }
          OPTIONAL { ?e sem:eventType ?type FILTER(isIRI(?type)) }
          OPTIONAL { ?e kg:articleCount ?articles }
          OPTIONAL { ?e kg:mentionCount ?mentions }
        }""",
    )
    fields: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    article_counts: dict[str, int] = {}
    mention_counts: dict[str, int] = {}
    for row in rows:
        iri = row["e"].value
        found = fields[iri]
        if label := _text(row["label"]):
            found["label"].add(label)
        if row["type"] is not None:
            found["type"].add(_local_name(row["type"].value))
        if (count := _int(row["articles"])) is not None:
            article_counts[iri] = max(count, article_counts.get(iri, 0))
        if (count := _int(row["mentions"])) is not None:
            mention_counts[iri] = max(count, mention_counts.get(iri, 0))
    articles_of: Counter[str] = Counter(event for _article, event in mentions if event in fields)
    counted = _counted_mentions(store) if len(mention_counts) < len(fields) else {}
    events = [
        _Event(
            iri=iri,
            label=min(f["label"], default=None) or _local_name(iri),
            event_class=min(f["type"], default=None),
            article_count=article_counts.get(iri, articles_of[iri]),
            mention_count=mention_counts.get(iri, counted.get(iri, 0)),
        )
        for iri, f in fields.items()
    ]
    return tuple(sorted(events, key=_event_rank))


def _read_roles(store: pyoxigraph.Store) -> frozenset[tuple[str, str, str]]:
    """(event, role edge kind, IRI) for every agent, patient and place of an event.

    ``schema:location`` counts as the place too: it is the standard term a
    store written by another tool may use alone.
    """
    rows = select(
        store,
        f"""SELECT DISTINCT ?e ?role ?x WHERE {{
          ?e a kg:Event .
          {{ ?e kg:agent ?x BIND("{_ACTS_IN.name}" AS ?role) }}
          UNION {{ ?e kg:patient ?x BIND("{_AFFECTED_BY.name}" AS ?role) }}
          UNION {{ ?e sem:hasPlace|schema:location ?x BIND("{_WHERE.name}" AS ?role) }}
          FILTER(isIRI(?x))
        }}""",
    )
    return frozenset((row["e"].value, row["role"].value, row["x"].value) for row in rows)


def _reading_order(readings: Iterable[str]) -> tuple[str, ...]:
    known = {r: i for i, r in enumerate(_READINGS)}
    return tuple(sorted(set(readings), key=lambda r: (known.get(r, len(known)), r)))


def _rule_name(iri: str) -> str:
    """``kg:rule-event-shared-participant`` -> "shared participant"; ``kg:claimrule-polarity`` -> "polarity"."""
    name = _local_name(iri).removeprefix("claimrule-").removeprefix("rule-").removeprefix("event-")
    return name.replace("-", " ")


def _read_merges(store: pyoxigraph.Store, nodes: Iterable[str]) -> dict[str, dict[str, int]]:
    """Per entity or event: how many ``kg:merge`` records name each merge rule (readable)."""
    iris = sorted(nodes)
    if not iris:
        return {}
    rows = select(
        store,
        f"""SELECT ?e ?m ?rule WHERE {{
          VALUES ?e {{ {_values(iris)} }}
          ?e kg:merge ?m . OPTIONAL {{ ?m kg:mergeRule ?rule }}
        }}""",
    )
    merges: dict[str, Counter[str]] = defaultdict(Counter)
    seen: set[tuple[str, str]] = set()
    for row in rows:
        key = (row["e"].value, str(row["m"]))
        if key not in seen:  # a merge record with two rules counts once
            seen.add(key)
            rule = row["rule"]
            merges[key[0]][_rule_name(rule.value) if rule is not None else "unnamed rule"] += 1
    return {iri: dict(found) for iri, found in merges.items()}


def _merge_line(merges: Mapping[str, int]) -> str:
    """"Merged for 3 recorded reasons: same name ×2, alias ×1" (most used rule first)."""
    rules = sorted(merges.items(), key=lambda item: (-item[1], item[0]))
    return (
        f"Merged for {_plural(sum(merges.values()), 'recorded reason')}: "
        + ", ".join(f"{rule} ×{n}" for rule, n in rules)
    )


def _read_event_details(store: pyoxigraph.Store, events: Iterable[str]) -> dict[str, _EventDetails]:
    """Readings, time and merge reasons of each drawn event."""
    iris = sorted(events)
    if not iris:
        return {}
    found: dict[str, dict[str, set[str]]] = {iri: defaultdict(set) for iri in iris}
    rows = select(
        store,
        f"""SELECT ?e ?modality ?timeLabel ?timeValue ?stamp WHERE {{
          VALUES ?e {{ {_values(iris)} }}
          {{ ?e kg:modality ?modality }}
          UNION {{ ?e sem:hasTime ?t
                   OPTIONAL {{ ?t rdfs:label ?timeLabel }}
                   OPTIONAL {{ ?t kg:timeValue ?timeValue }}
                   OPTIONAL {{ ?t sem:hasTimeStamp ?stamp }} }}
        }}""",
    )
    for row in rows:
        fields = found[row["e"].value]
        for name in ("modality", "timeLabel", "timeValue", "stamp"):
            if (value := _text(row[name])) is not None:
                fields[name].add(value)
    merges = _read_merges(store, iris)
    return {
        iri: _EventDetails(
            readings=_reading_order(f["modality"]),
            time_label=min(f["timeLabel"], default=None),
            time_value=min(f["timeValue"], default=None) or min(f["stamp"], default=None),
            merges=merges.get(iri, {}),
        )
        for iri, f in found.items()
    }


_Row = dict[str, Any]  # a row of :func:`kgraph.rdf.store.select`


def _read_event_sentences(store: pyoxigraph.Store, events: Iterable[str]) -> list[_Row]:
    """Rows (?e ?a ?s ?begin ?text ?modality) of each sentence that reports one of ``events``, with the
    reading each mention there gives.

    Read once for both the trigger sentences (:func:`_triggers`) and the
    evidence of role edges (:func:`_read_role_sentences`), whose events are
    drawn events too: on 1,000 real articles the second lookup of the same
    mentions cost about 0.03 s in memory, 0.2 s from disk.
    """
    iris = sorted(events)
    if not iris:
        return []
    return select(
        store,
        f"""SELECT DISTINCT ?e ?a ?s ?begin ?text ?modality WHERE {{
          VALUES ?e {{ {_values(iris)} }}
          ?m itsrdf:taIdentRef ?e ; nif:referenceContext ?a ; nif:sentence ?s .
          ?s nif:anchorOf ?text .
          OPTIONAL {{ ?s nif:beginIndex ?begin }}
          OPTIONAL {{ ?m kg:modality ?modality }}
        }}""",
    )


def _triggers(rows: Iterable[_Row], events: Iterable[str]) -> dict[tuple[str, str], list[_Trigger]]:
    """The sentences that report each of ``events``, keyed by (article IRI, event IRI), in text order."""
    wanted = set(events)
    fields: dict[tuple[str, str, str], dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        if row["e"].value not in wanted:
            continue
        found = fields[row["a"].value, row["e"].value, str(row["s"])]
        found["text"].add(row["text"].value)
        if (begin := _int(row["begin"])) is not None:
            found["begin"].add(begin)
        if (modality := _text(row["modality"])) is not None:
            found["readings"].add(modality)
    triggers: dict[tuple[str, str], list[_Trigger]] = defaultdict(list)
    for (article, event, _sentence), f in fields.items():
        triggers[article, event].append(
            _Trigger(article, min(f["begin"], default=-1), min(f["text"]), _reading_order(f["readings"]))
        )
    return {key: sorted(found, key=lambda t: (t.begin, t.text)) for key, found in triggers.items()}


def _read_role_sentences(
    store: pyoxigraph.Store, pairs: Iterable[tuple[str, str]], event_rows: Iterable[_Row]
) -> dict[tuple[str, str], dict[str, list[_Sentence]]]:
    """Per (event IRI, participant IRI): the sentences that report the event and
    mention the participant, by article (the evidence of a role edge).

    ``event_rows`` are :func:`_read_event_sentences`' rows for (at least) the
    pairs' events; the reading a row also gives is ignored, and so are the
    rows of other events (no pair names them).
    """
    wanted = sorted(set(pairs))
    if not wanted:
        return {}
    # Two simple lookups joined here: one query joining event mentions to participant mentions through
    # their sentence made the store scan every mention of a frequent entity (minutes on 1,000 articles).
    part_rows = select(
        store,
        f"""SELECT DISTINCT ?x ?s WHERE {{
          VALUES ?x {{ {_values({x for _, x in wanted})} }}
          ?p itsrdf:taIdentRef ?x ; nif:sentence ?s .
        }}""",
    )
    sentences_of: dict[str, set[str]] = defaultdict(set)
    for row in part_rows:
        sentences_of[row["x"].value].add(row["s"].value)
    participants: dict[str, list[str]] = defaultdict(list)
    for e, x in wanted:
        participants[e].append(x)
    found: dict[tuple[str, str], dict[str, set[_Sentence]]] = defaultdict(lambda: defaultdict(set))
    for row in event_rows:
        event, sentence = row["e"].value, row["s"].value
        article, begin = row["a"].value, _int(row["begin"])
        for x in participants[event]:
            if sentence in sentences_of[x]:
                found[event, x][article].add(_Sentence(article, -1 if begin is None else begin, row["text"].value))
    return {
        key: {a: sorted(s, key=lambda s: (s.begin, s.text)) for a, s in by_article.items()}
        for key, by_article in found.items()
    }


def _float(term: Any) -> float | None:
    try:
        return None if term is None else float(term.value)
    except ValueError:
        return None


def _relation_rank(relation: _Relation) -> tuple[float, str, str]:
    return (-relation.confidence, relation.rule or "", relation.iri)


def _read_disputes(
    store: pyoxigraph.Store, speakers: Iterable[str]
) -> dict[tuple[str, str, str], tuple[_Relation, ...]]:
    """The claim relations between each pair of ``speakers``, by kind, strongest first.

    Keyed by (edge kind name, speaker IRI, speaker IRI) with the IRIs in
    sorted order: one edge per pair whichever side spoke first. A relation
    counts once per pair; a speaker on both sides of it is no pair.
    """
    nodes = set(speakers)
    rows = select(
        store,
        """SELECT ?r ?kind ?rule ?conf ?from ?to ?fromAuthor ?toAuthor ?article WHERE {
          ?r a kg:ClaimRelation ; kg:relationKind ?kind ; kg:fromClaim ?from ; kg:toClaim ?to .
          ?from schema:author ?fromAuthor . ?to schema:author ?toAuthor .
          OPTIONAL { ?from schema:appearance ?article }
          OPTIONAL { ?r kg:relationRule ?rule }
          OPTIONAL { ?r kg:confidence ?conf }
        }""",
    )
    fields: dict[str, dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        kind = _RELATION_KINDS.get(_text(row["kind"]) or "")
        if kind is None:
            continue
        found = fields[row["r"].value]
        found["kind"].add(kind.name)
        found["claims"].add((row["from"].value, row["to"].value))
        found["authors"].add((row["fromAuthor"].value, row["toAuthor"].value))
        if row["rule"] is not None:
            found["rule"].add(row["rule"].value)
        if (confidence := _float(row["conf"])) is not None:
            found["confidence"].add(confidence)
        if row["article"] is not None:
            found["article"].add(row["article"].value)
    disputes: dict[tuple[str, str, str], dict[str, _Relation]] = defaultdict(dict)
    for iri, f in fields.items():
        # A record is one relation of one kind between two claims; a malformed
        # one with several of either keeps the smallest, so the map is stable.
        kind = min(f["kind"])
        from_claim, to_claim = min(f["claims"])
        for u, v in sorted(f["authors"]):
            if u == v or u not in nodes or v not in nodes:
                continue
            key = (kind, min(u, v), max(u, v))
            disputes[key].setdefault(
                iri,
                _Relation(
                    iri=iri,
                    kind=kind,
                    rule=min(f["rule"], default=None),
                    confidence=max(f["confidence"], default=0.0),
                    from_claim=from_claim,
                    to_claim=to_claim,
                    from_speaker=u,
                    to_speaker=v,
                    article=min(f["article"], default=None),
                ),
            )
    return {key: tuple(sorted(found.values(), key=_relation_rank)) for key, found in disputes.items()}


def _read_evidence(store: pyoxigraph.Store, relations: Iterable[_Relation]) -> dict[tuple[str, str], _Evidence]:
    """Per (relation IRI, claim IRI): the evidence sentence of that claim.

    The evidence of a relation (``kg:evidence``) is the sentence of each
    claim; the claim's own ``nif:sentence`` says which is whose. A record
    whose evidence names no sentence of the claim falls back to an evidence
    sentence of the claim's article, then to the claim's text.
    """
    wanted = sorted({(r.iri, c) for r in relations for c in (r.from_claim, r.to_claim)})
    if not wanted:
        return {}
    values = " ".join(f"({_values([r])} {_values([c])})" for r, c in wanted)
    rows = select(
        store,
        f"""SELECT ?r ?c ?article ?claimText ?own ?s ?text ?begin ?context WHERE {{
          VALUES (?r ?c) {{ {values} }}
          OPTIONAL {{ ?c schema:appearance ?article }}
          OPTIONAL {{ ?c schema:text ?claimText }}
          OPTIONAL {{ ?c nif:sentence ?own }}
          OPTIONAL {{ ?r kg:evidence ?s . ?s nif:anchorOf ?text .
                     OPTIONAL {{ ?s nif:beginIndex ?begin }}
                     OPTIONAL {{ ?s nif:referenceContext ?context }} }}
        }}""",
    )
    fields: dict[tuple[str, str], dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        found = fields[row["r"].value, row["c"].value]
        for name in ("article", "claimText", "own"):
            if (value := _text(row[name])) is not None:
                found[name].add(value)
        if row["s"] is not None:
            begin = _int(row["begin"])
            found["evidence"].add(
                (row["s"].value, _text(row["context"]) or "", -1 if begin is None else begin, row["text"].value)
            )
    evidence: dict[tuple[str, str], _Evidence] = {}
    for key, f in fields.items():
        article = min(f["article"], default="")
        own = [e for e in f["evidence"] if e[0] in f["own"]]
        same_article = [e for e in f["evidence"] if e[1] and e[1] == article]
        if picked := min(own or same_article, key=lambda e: (e[2], e[3]), default=None):
            evidence[key] = _Evidence(article or picked[1], picked[3], True)
        else:
            evidence[key] = _Evidence(article, min(f["claimText"], default=""), False)
    return evidence


def _read_corpus(store: pyoxigraph.Store) -> _Corpus:
    mentions = _read_mentions(store)
    collectives = _read_collectives(store)
    # A collective source is also a schema:Organization; it is drawn as its own kind.
    entities = tuple(e for e in _read_entities(store, mentions) if e.iri not in collectives)
    events = _read_events(store, mentions)
    event_iris = {e.iri for e in events}
    articles = _read_articles(store)
    nodes = {e.iri for e in entities} | set(collectives)  # who can speak, be mentioned or cited
    cites = frozenset((a, s) for a, s in _read_cites(store) if a in articles)
    return _Corpus(
        entities=entities,
        articles=articles,
        mentions=frozenset((a, e) for a, e in mentions if a in articles and e in nodes),
        collectives=collectives,
        said={(s, a): n for (s, a), n in _read_said(store).items() if a in articles and s in nodes},
        cites=cites,
        sources=_read_sources(
            store, {s for _a, s in cites if s not in nodes and s not in articles and s not in event_iris}
        ),
        events=events,
        reports=frozenset((a, e) for a, e in mentions if a in articles and e in event_iris),
        roles=frozenset(r for r in _read_roles(store) if r[2] not in event_iris and r[2] not in articles),
        disputes=_read_disputes(store, nodes),
    )


# --------------------------------------------------------------------------
# What is drawn


def _entity_rank(entity: _Entity) -> tuple[int, int, str, str]:
    return (-entity.article_count, -entity.mention_count, entity.label.casefold(), entity.iri)


def _event_rank(event: _Event) -> tuple[int, int, str, str]:
    return (-event.article_count, -event.mention_count, event.label.casefold(), event.iri)


def _reach(corpus: _Corpus) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Per node IRI: articles quoting it, its claims, and articles citing it."""
    quoted_in: Counter[str] = Counter()
    claims: Counter[str] = Counter()
    for (speaker, _article), n in corpus.said.items():
        quoted_in[speaker] += 1
        claims[speaker] += n
    cited_by: Counter[str] = Counter(target for _article, target in corpus.cites)
    return quoted_in, claims, cited_by


def _plan(corpus: _Corpus, max_nodes: int, max_articles: int, *, lone_events: bool = False) -> _Plan:
    """Keep the nodes most articles reach, then the articles linked to most of them.

    Entities, collective sources and cited sources share the ``max_nodes``
    budget, ranked by how many articles mention, quote or cite each (then
    mentions or claims, then label), so a source cited by five articles
    outranks an entity one article mentions. A collective source that neither
    speaks nor is cited has nothing to show and is not a candidate. Speakers
    in a contradiction or agreement with another speaker come first, those in
    the most claim relations first, so that who disputes whom stays on the
    map; they take their place in the same budget.

    Events share the budget too, ranked among themselves by articles, then
    mentions, then label; they take at most ``EVENT_SHARE`` of it while other
    nodes fill the rest (and leave to the others what they do not use). An
    event that one article reports and whose participants and place are all
    off the map is noise: not drawn unless ``lone_events``.
    """
    quoted_in, claims, cited_by = _reach(corpus)
    related = _relation_counts(corpus)
    ranked: list[tuple[tuple[int, int, int, str, str], _Node]] = []
    for entity in corpus.entities:
        reach = max(entity.article_count, quoted_in[entity.iri], cited_by[entity.iri])
        ranked.append(
            ((-related[entity.iri], -reach, -entity.mention_count, entity.label.casefold(), entity.iri), entity)
        )
    speaking = [c for c in corpus.collectives.values() if quoted_in[c.iri] or cited_by[c.iri] or related[c.iri]]
    for group in speaking:
        reach = max(quoted_in[group.iri], cited_by[group.iri])
        ranked.append(((-related[group.iri], -reach, -claims[group.iri], group.label.casefold(), group.iri), group))
    for source in corpus.sources.values():
        ranked.append(((0, -cited_by[source.iri], 0, source.label.casefold(), source.iri), source))
    ranked.sort(key=lambda item: item[0])
    others = [node for _key, node in ranked]
    kept_nodes, events, lone, event_share = _share_with_events(corpus, others, max_nodes, lone_events=lone_events)
    entities = tuple(n for n in kept_nodes if isinstance(n, _Entity))
    collectives = tuple(n for n in kept_nodes if isinstance(n, _Collective))
    sources = tuple(n for n in kept_nodes if isinstance(n, _Source))
    rank = {n.iri: i for i, n in enumerate(kept_nodes)}
    event_rank = {e.iri: len(rank) + i for i, e in enumerate(events)}
    links_per_article: dict[str, int] = defaultdict(int)
    for article, node in corpus.mentions:
        if node in rank:
            links_per_article[article] += 1
    for node, article in corpus.said:
        if node in rank:
            links_per_article[article] += 1
    for article, node in corpus.cites:
        if node in rank or node in event_rank:
            links_per_article[article] += 1
    for article, event in corpus.reports:
        if event in event_rank:
            links_per_article[article] += 1
    # An article linked to none of the drawn nodes would float alone.
    ranked_articles = sorted(
        links_per_article,
        key=lambda a: (-links_per_article[a], corpus.articles[a].identifier, a),
    )
    articles = tuple(
        sorted(
            (corpus.articles[a] for a in ranked_articles[:max_articles]),
            key=lambda a: (a.identifier, a.iri),
        )
    )
    kept = {a.iri for a in articles}
    # Cites between two drawn articles are drawn too; articles come after every other node.
    order = {**rank, **event_rank, **{a: len(rank) + len(event_rank) + i for i, a in enumerate(sorted(kept))}}

    def by_article(article: str, node: str) -> tuple[str, str, int]:
        return (corpus.articles[article].identifier, article, order[node])

    labels = {n.iri: n.label for n in kept_nodes}
    dispute_order = {kind.name: i for i, kind in enumerate(_DISPUTE_KINDS)}
    disputes = sorted(
        (dispute_order[kind], rank[a], rank[b], kind, a, b)
        for kind, a, b in (
            _oriented(key, relations, labels)
            for key, relations in corpus.disputes.items()
            if key[1] in rank and key[2] in rank
        )
    )
    role_order = {kind.name: i for i, kind in enumerate(_ROLE_KINDS)}
    roles = sorted(
        (event_rank[e], role_order[role], rank[x], role, e, x)
        for e, role, x in corpus.roles
        if e in event_rank and x in rank
    )
    return _Plan(
        entities=entities,
        collectives=collectives,
        sources=sources,
        articles=articles,
        edges=tuple(
            sorted(((a, e) for a, e in corpus.mentions if a in kept and e in rank), key=lambda e: by_article(*e))
        ),
        said=tuple(
            sorted(
                ((s, a) for s, a in corpus.said if a in kept and s in rank),
                key=lambda e: by_article(e[1], e[0]),
            )
        ),
        cites=tuple(
            sorted(((a, t) for a, t in corpus.cites if a in kept and t in order), key=lambda e: by_article(*e))
        ),
        entities_total=len(corpus.entities),
        collectives_total=len(speaking),
        sources_total=len(corpus.sources),
        articles_total=len(corpus.articles),
        max_articles=max_articles,
        events=events,
        reports=tuple(
            sorted(((a, e) for a, e in corpus.reports if a in kept and e in event_rank), key=lambda r: by_article(*r))
        ),
        # Agents point at the event; patients and places are pointed at by it.
        roles=tuple(
            (role, x, e) if role == _ACTS_IN.name else (role, e, x) for *_key, role, e, x in roles
        ),
        events_total=len(corpus.events) - lone,
        events_lone=lone,
        event_share=event_share,
        disputes=tuple((kind, a, b) for *_key, kind, a, b in disputes),
        disputants_total=len({s for _kind, a, b in corpus.disputes for s in (a, b)}),
    )


def _relation_counts(corpus: _Corpus) -> Counter[str]:
    """Per speaker: the claim relations that join them to another speaker node."""
    relations: dict[str, set[str]] = defaultdict(set)
    for (_kind, a, b), found in corpus.disputes.items():
        for relation in found:
            relations[a].add(relation.iri)
            relations[b].add(relation.iri)
    return Counter({speaker: len(found) for speaker, found in relations.items()})


def _oriented(
    key: tuple[str, str, str], relations: Sequence[_Relation], labels: Mapping[str, str]
) -> tuple[str, str, str]:
    """(kind, A, B) for "A contradicts B": A's claim is the disagreeing one in most relations."""
    kind, x, y = key
    led = Counter(r.from_speaker for r in relations)
    first, second = sorted((x, y), key=lambda s: (-led[s], labels[s].casefold(), s))
    return kind, first, second


def _share_with_events(
    corpus: _Corpus, others: Sequence[_Node], max_nodes: int, *, lone_events: bool
) -> tuple[list[_Node], tuple[_Event, ...], int, int]:
    """Split ``max_nodes`` between the ranked other nodes and the events.

    Returns the other nodes kept, the events kept, how many events are lone
    (left out as noise) and the events' share of the budget. An event's
    worth depends on which participants are drawn, so the share events may
    use is set aside first; what they leave goes back to the others.
    """
    share = math.floor(max_nodes * EVENT_SHARE)
    roles_of: dict[str, set[str]] = defaultdict(set)
    for event, _role, target in corpus.roles:
        roles_of[event].add(target)

    def worth_drawing(event: _Event, on_map: set[str]) -> bool:
        return lone_events or event.article_count > 1 or bool(roles_of[event.iri] & on_map)

    # Events that could be worth drawing if their participants were drawn.
    hopeful = [e for e in corpus.events if lone_events or e.article_count > 1 or roles_of[e.iri]]
    set_aside = min(share, len(hopeful))
    kept = list(others[: max_nodes - set_aside])
    on_map = {n.iri for n in kept}
    # Others that do not fill their part leave it to the events.
    room = max(set_aside, max_nodes - len(kept))
    events = tuple([e for e in hopeful if worth_drawing(e, on_map)][:room])
    kept += others[max_nodes - set_aside : max_nodes - len(events)]
    on_map = {n.iri for n in kept}
    lone = sum(not worth_drawing(e, on_map) for e in corpus.events)
    return kept, events, lone, share


def _cap_notes(plan: _Plan) -> list[str]:
    """Sentences for the banner that says what is not drawn (empty if nothing)."""
    notes = []
    disputing = "speakers in disputes, then " if plan.disputants_total else ""
    for drawn, total, what, first in (
        (len(plan.entities), plan.entities_total, "entities", f"{disputing}most-mentioned"),
        (len(plan.collectives), plan.collectives_total, "collective sources", f"{disputing}most-quoted"),
        (len(plan.sources), plan.sources_total, "cited sources", "most-cited"),
    ):
        if drawn < total:
            notes.append(f"Showing {drawn:,} of {total:,} {what} ({first} first).")
    if len(plan.events) < plan.events_total:
        notes.append(
            f"Showing {len(plan.events):,} of {plan.events_total:,} events (most-reported first; "
            f"events take at most a third of the node budget, {plan.event_share:,} nodes, "
            f"while other nodes fill the rest)."
        )
    if plan.events_lone:
        notes.append(
            f"{_plural(plan.events_lone, 'event')} reported by a single article, with no participant "
            f"or place on the map, {'is' if plan.events_lone == 1 else 'are'} not drawn."
        )
    hidden = plan.articles_total - len(plan.articles)
    if hidden:
        why = (
            f"at most {plan.max_articles:,} article nodes are drawn, those linked to the most shown nodes"
            if len(plan.articles) == plan.max_articles
            else "they mention, quote or cite none of the shown nodes"
        )
        notes.append(
            f"{len(plan.articles):,} of {plan.articles_total:,} articles drawn; "
            f"{hidden:,} {'article is' if hidden == 1 else 'articles are'} not drawn individually ({why})."
        )
    return notes


# --------------------------------------------------------------------------
# Tooltips (plain text; the page shows them with textContent)


def _clip(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _kind_text(entity: _Entity) -> str:
    return f"{entity.kind.name} ({', '.join(entity.subtypes)})" if entity.subtypes else entity.kind.name


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {plural or word + 's'}"


def _spread(items_by_article: Mapping[str, Sequence[_T]], limit: int) -> list[_T]:
    """Up to ``limit`` sentences or claims, one article at a time, so sources vary."""
    queues = [list(items_by_article[a]) for a in sorted(items_by_article)]
    picked: list[_T] = []
    while len(picked) < limit and any(queues):
        for queue in queues:
            if queue and len(picked) < limit:
                picked.append(queue.pop(0))
    return picked


def _reach_lines(
    iri: str, quoted_in: Mapping[str, int], claims: Mapping[str, int], cited_by: Mapping[str, int]
) -> list[str]:
    """Tooltip lines saying how often a node is quoted and cited (none if never)."""
    lines = []
    if quoted_in.get(iri):
        lines.append(f"Quoted in {_plural(quoted_in[iri], 'article')} ({_plural(claims.get(iri, 0), 'claim')})")
    if cited_by.get(iri):
        lines.append(f"Cited by {_plural(cited_by[iri], 'article')}")
    return lines


def _entity_title(
    entity: _Entity,
    alt_labels: list[str],
    sentences_by_article: Mapping[str, list[_Sentence]],
    identifiers: Mapping[str, str],
    reach: list[str],
    merges: Mapping[str, int] | None = None,
) -> str:
    lines = [
        entity.label,
        (
            f"{_kind_text(entity)} · {_plural(entity.mention_count, 'mention')} "
            f"in {_plural(entity.article_count, 'article')}"
        ),
        *reach,
    ]
    if alt_labels:
        lines.append("Also: " + "; ".join(alt_labels))
    if merges:
        lines.append(_merge_line(merges))
    picked = _spread(sentences_by_article, ENTITY_SENTENCES)
    if picked:
        lines.append("")
        lines.extend(
            f"[{identifiers.get(s.article, s.article)}] {_clip(s.text, MAX_SENTENCE_CHARS)}" for s in picked
        )
    return "\n".join(lines)


def _article_title(
    article: _Article, mentioned: int, shown: int, reported: int = 0, reports_shown: int = 0
) -> str:
    lines = [article.headline or article.identifier, f"Article · {article.identifier}"]
    published = " · ".join(x for x in (article.date, article.publisher) if x)
    if published:
        lines.append(published)
    if article.url:
        lines.append(article.url)
    lines.append(f"Mentions {_plural(mentioned, 'entity', 'entities')} ({shown:,} shown)")
    if reported:
        lines.append(f"Reports {_plural(reported, 'event')} ({reports_shown:,} shown)")
    return "\n".join(lines)


def _time_text(details: _EventDetails) -> str | None:
    """The words and the value ("Last week (2022-W42)"), or whichever of them is known."""
    label, value = details.time_label, details.time_value
    if label and value and label != value:
        return f"{label} ({value})"
    return label or value


def _trigger_line(trigger: _Trigger) -> str:
    text = _clip(trigger.text, MAX_SENTENCE_CHARS)
    return f"({', '.join(trigger.readings)}) {text}" if trigger.readings else text


def _event_title(
    event: _Event,
    details: _EventDetails,
    alt_labels: list[str],
    triggers_by_article: Mapping[str, list[_Trigger]],
    identifiers: Mapping[str, str],
) -> str:
    """Label, class, counts, time, readings, merge reasons, then trigger sentences across articles."""
    kind = f"{EVENT_KIND.name} ({event.event_class})" if event.event_class else EVENT_KIND.name
    lines = [
        event.label,
        f"{kind} · {_plural(event.mention_count, 'mention')} in {_plural(event.article_count, 'article')}",
    ]
    if when := _time_text(details):
        lines.append(f"When: {when}")
    if details.readings:
        lines.append(f"Readings: {', '.join(details.readings)}")
    if alt_labels:
        lines.append("Also: " + "; ".join(alt_labels))
    if details.merges:
        lines.append(_merge_line(details.merges))
    picked = _spread(triggers_by_article, EVENT_SENTENCES)
    if picked:
        lines.append("")
        lines.extend(f"[{identifiers.get(t.article, t.article)}] {_trigger_line(t)}" for t in picked)
    return "\n".join(lines)


def _reports_title(article: _Article, event: str, triggers: list[_Trigger]) -> str:
    lines = [f"{article.identifier} reports {event}"]
    lines.extend(_trigger_line(t) for t in triggers[:EDGE_SENTENCES])
    if len(triggers) > EDGE_SENTENCES:
        lines.append(f"… and {len(triggers) - EDGE_SENTENCES:,} more")
    return "\n".join(lines)


def _role_title(
    role: str,
    event: str,
    target: str,
    sentences_by_article: Mapping[str, list[_Sentence]],
    identifiers: Mapping[str, str],
) -> str:
    """Who or where, then the sentences that report the event and name them."""
    heading = {
        _ACTS_IN.name: f"{target} acts in {event}",
        _AFFECTED_BY.name: f"{target} is affected by {event}",
        _WHERE.name: f"{event} takes place in {target}",
    }[role]
    total = sum(len(found) for found in sentences_by_article.values())
    picked = _spread(sentences_by_article, EDGE_SENTENCES)
    lines = [heading]
    lines.extend(f"[{identifiers.get(s.article, s.article)}] {_clip(s.text, MAX_SENTENCE_CHARS)}" for s in picked)
    if total > len(picked):
        lines.append(f"… and {total - len(picked):,} more")
    return "\n".join(lines)


def _edge_title(article: _Article, target: str, sentences: list[_Sentence], verb: str = "mentions") -> str:
    """ "<article> mentions|cites <target>", then the sentences that say so."""
    lines = [f"{article.identifier} {verb} {target}"]
    lines.extend(_clip(s.text, MAX_SENTENCE_CHARS) for s in sentences[:EDGE_SENTENCES])
    if len(sentences) > EDGE_SENTENCES:
        lines.append(f"… and {len(sentences) - EDGE_SENTENCES:,} more")
    return "\n".join(lines)


def _claim_line(claim: _Claim) -> str:
    """One claim on one line: direct or reported, the cue verb, then the words."""
    how = "Quote" if claim.direct else "Reported"
    if claim.cue:
        how += f" ({claim.cue}, negated)" if claim.negated else f" ({claim.cue})"
    text = _clip(claim.text, MAX_QUOTE_CHARS)
    return f"{how}: “{text}”" if claim.direct else f"{how}: {text}"


def _said_title(speaker: str, article: _Article, claims: list[_Claim], count: int) -> str:
    """The first claims of one speaker in one article, in text order, then how many more."""
    total = max(len(claims), count)
    direct = sum(c.direct for c in claims)
    lines = [f"{speaker} in {article.identifier}: {_plural(total, 'claim')} ({direct:,} quoted directly)"]
    lines.extend(_claim_line(c) for c in claims[:EDGE_CLAIMS])
    if total > EDGE_CLAIMS:
        lines.append(f"… and {total - EDGE_CLAIMS:,} more")
    return "\n".join(lines)


def _collective_title(
    group: _Collective,
    claims_by_article: Mapping[str, list[_Claim]],
    identifiers: Mapping[str, str],
    reach: list[str],
    merges: Mapping[str, int] | None = None,
) -> str:
    lines = [group.label, COLLECTIVE_KIND.name, *reach]
    picked = _spread(claims_by_article, NODE_CLAIMS)
    if picked:
        lines.append("")
        lines.extend(f"[{identifiers.get(c.article, c.article)}] {_claim_line(c)}" for c in picked)
    return "\n".join(lines)


def _dispute_lines(corpus: _Corpus) -> dict[str, list[str]]:
    """Per speaker: tooltip lines saying with how many speakers they are in contradiction or agreement."""
    partners: dict[tuple[str, str], set[str]] = defaultdict(set)
    relations: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (kind, a, b), found in corpus.disputes.items():
        for speaker, other in ((a, b), (b, a)):
            partners[speaker, kind].add(other)
            relations[speaker, kind].update(r.iri for r in found)
    lines: dict[str, list[str]] = defaultdict(list)
    for kind, what in ((_CONTRADICTS, "Contradictions"), (_AGREES, "Agreements")):
        for (speaker, name), others in sorted(partners.items()):
            if name == kind.name:
                lines[speaker].append(
                    f"{what} with {_plural(len(others), 'speaker')} "
                    f"({_plural(len(relations[speaker, name]), 'claim relation')})"
                )
    return lines


def _evidence_line(speaker: str, evidence: _Evidence | None, identifiers: Mapping[str, str]) -> str:
    """One side of a relation: who, in which article, and their sentence (or, lacking it, their claim)."""
    if evidence is None:
        return f"  {speaker}: (no sentence recorded)"
    where = identifiers.get(evidence.article, _local_name(evidence.article)) if evidence.article else "?"
    text = _clip(evidence.text, MAX_SENTENCE_CHARS)
    return f"  {speaker} [{where}]: {text}" if evidence.sentence else f"  {speaker} [{where}], claim: {text}"


def _dispute_title(
    kind: str,
    first: str,
    second: str,
    relations: Sequence[_Relation],
    evidence: Mapping[tuple[str, str], _Evidence],
    labels: Mapping[str, str],
    identifiers: Mapping[str, str],
) -> str:
    """"A contradicts B (N times)", then the strongest relations: rule, confidence, both sentences.

    ``first`` and ``second`` are IRIs; each relation gives A's sentence first,
    whichever of the two claims the record names as disagreeing.
    """
    lines = [f"{labels[first]} {kind} {labels[second]} ({_plural(len(relations), 'time')})"]
    for relation in relations[:EDGE_RELATIONS]:
        rule = _rule_name(relation.rule) if relation.rule else "unnamed rule"
        lines.append(f"{rule} · confidence {relation.confidence:.2f}")
        sides = [(relation.from_speaker, relation.from_claim), (relation.to_speaker, relation.to_claim)]
        if relation.from_speaker != first:
            sides.reverse()
        for speaker, claim in sides:
            lines.append(_evidence_line(labels[speaker], evidence.get((relation.iri, claim)), identifiers))
    if len(relations) > EDGE_RELATIONS:
        lines.append(f"… and {len(relations) - EDGE_RELATIONS:,} more")
    return "\n".join(lines)


def _source_title(source: _Source, cited_by: int) -> str:
    lines = [source.label, f"{SOURCE_KIND.name} ({source.kind}) · cited by {_plural(cited_by, 'article')}"]
    if source.speaker:
        lines.append(f"Speaker: {source.speaker}")
    if source.outlet:
        lines.append(f"{'Platform' if source.kind == 'channel' else 'Outlet'}: {source.outlet}")
    return "\n".join(lines)


def _local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri


# --------------------------------------------------------------------------
# The network and the page


def _edge_style(kind: EdgeKind) -> dict[str, Any]:
    """Per-edge look of every kind but mentions (mention edges use the defaults of ``_vis_options``)."""
    style: dict[str, Any] = {
        "color": {"color": kind.colour, "highlight": "#222222", "hover": "#222222"},
        "width": kind.width,
        "dashes": list(kind.dashes) or False,
    }
    if kind.curve:
        style["smooth"] = {"enabled": True, "type": kind.curve, "roundness": 0.2}
    if not kind.directed:
        style["arrows"] = {"to": {"enabled": False}}
    return style


def _build_network(
    plan: _Plan,
    corpus: _Corpus,
    alt_labels: Mapping[str, list[str]],
    sentences: Mapping[tuple[str, str], list[_Sentence]],
    claims: Mapping[tuple[str, str], list[_Claim]],
    citation_sentences: Mapping[tuple[str, str], list[_Sentence]],
    event_details: Mapping[str, _EventDetails],
    triggers: Mapping[tuple[str, str], list[_Trigger]],
    role_sentences: Mapping[tuple[str, str], Mapping[str, list[_Sentence]]],
    evidence: Mapping[tuple[str, str], _Evidence] | None = None,
    merges: Mapping[str, Mapping[str, int]] | None = None,
) -> Network:
    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    identifiers = {iri: a.identifier for iri, a in corpus.articles.items()}
    quoted_in, claim_counts, cited_by = _reach(corpus)
    disputing = _dispute_lines(corpus)
    mentioned = Counter(article for article, _entity in corpus.mentions)
    shown = Counter(article for article, _entity in plan.edges)
    reported = Counter(article for article, _event in corpus.reports)
    reports_shown = Counter(article for article, _event in plan.reports)
    triggers_by_event: dict[str, dict[str, list[_Trigger]]] = defaultdict(dict)
    for (article, event), found in triggers.items():
        triggers_by_event[event][article] = found
    by_entity: dict[str, dict[str, list[_Sentence]]] = defaultdict(dict)
    for (article, entity), found in sentences.items():
        by_entity[entity][article] = found
    claims_by_speaker: dict[str, dict[str, list[_Claim]]] = defaultdict(dict)
    for (speaker, article), found in claims.items():
        claims_by_speaker[speaker][article] = found
    for article in plan.articles:
        net.add_node(
            article.iri,
            label=_clip(article.headline or article.identifier, MAX_LABEL_CHARS),
            shape=ARTICLE_KIND.shape,
            color=ARTICLE_KIND.colour,
            size=12,
            title=_article_title(
                article, mentioned[article.iri], shown[article.iri], reported[article.iri], reports_shown[article.iri]
            ),
            kind=ARTICLE_KIND.name,
        )
    for entity in plan.entities:
        net.add_node(
            entity.iri,
            label=_clip(entity.label, MAX_LABEL_CHARS),
            shape=entity.kind.shape,
            color=entity.kind.colour,
            value=max(entity.article_count, 1),
            title=_entity_title(
                entity,
                alt_labels.get(entity.iri, []),
                by_entity[entity.iri],
                identifiers,
                _reach_lines(entity.iri, quoted_in, claim_counts, cited_by) + disputing.get(entity.iri, []),
                (merges or {}).get(entity.iri),
            ),
            kind=entity.kind.name,
        )
    no_details = _EventDetails(readings=(), time_label=None, time_value=None, merges={})
    for event in plan.events:
        net.add_node(
            event.iri,
            label=_clip(event.label, MAX_LABEL_CHARS),
            shape=EVENT_KIND.shape,
            color=EVENT_KIND.colour,
            value=max(event.article_count, 1),
            title=_event_title(
                event,
                event_details.get(event.iri, no_details),
                alt_labels.get(event.iri, []),
                triggers_by_event[event.iri],
                identifiers,
            ),
            kind=EVENT_KIND.name,
        )
    for group in plan.collectives:
        net.add_node(
            group.iri,
            label=_clip(group.label, MAX_LABEL_CHARS),
            shape=COLLECTIVE_KIND.shape,
            color=COLLECTIVE_KIND.colour,
            value=max(quoted_in[group.iri], cited_by[group.iri], 1),
            title=_collective_title(
                group,
                claims_by_speaker[group.iri],
                identifiers,
                _reach_lines(group.iri, quoted_in, claim_counts, cited_by) + disputing.get(group.iri, []),
            ),
            kind=COLLECTIVE_KIND.name,
        )
    for source in plan.sources:
        net.add_node(
            source.iri,
            label=_clip(source.label, MAX_LABEL_CHARS),
            shape=SOURCE_KIND.shape,
            color=SOURCE_KIND.colour,
            value=max(cited_by[source.iri], 1),
            title=_source_title(source, cited_by[source.iri]),
            kind=SOURCE_KIND.name,
        )
    labels = {
        **{e.iri: e.label for e in plan.entities},
        **{g.iri: g.label for g in plan.collectives},
        **{s.iri: s.label for s in plan.sources},
        **{e.iri: e.label for e in plan.events},
        **{a.iri: a.identifier for a in plan.articles},
    }
    for number, (article, entity) in enumerate(plan.edges):
        net.add_edge(
            article,
            entity,
            id=f"m{number}",
            title=_edge_title(corpus.articles[article], labels[entity], sentences.get((article, entity), [])),
            kind=_MENTIONS.name,
        )
    said_style = _edge_style(_SAID)
    for number, (speaker, article) in enumerate(plan.said):
        net.add_edge(
            speaker,
            article,
            id=f"s{number}",
            title=_said_title(
                labels[speaker],
                corpus.articles[article],
                claims.get((speaker, article), []),
                corpus.said[speaker, article],
            ),
            kind=_SAID.name,
            **said_style,
        )
    cites_style = _edge_style(_CITES)
    for number, (article, target) in enumerate(plan.cites):
        net.add_edge(
            article,
            target,
            id=f"c{number}",
            title=_edge_title(
                corpus.articles[article], labels[target], citation_sentences.get((article, target), []), "cites"
            ),
            kind=_CITES.name,
            **cites_style,
        )
    reports_style = _edge_style(_REPORTS)
    for number, (article, event) in enumerate(plan.reports):
        net.add_edge(
            article,
            event,
            id=f"r{number}",
            title=_reports_title(corpus.articles[article], labels[event], triggers.get((article, event), [])),
            kind=_REPORTS.name,
            **reports_style,
        )
    role_styles = {kind.name: _edge_style(kind) for kind in _ROLE_KINDS}
    for number, (role, source, target) in enumerate(plan.roles):
        event, other = (target, source) if role == _ACTS_IN.name else (source, target)
        net.add_edge(
            source,
            target,
            id=f"p{number}",
            title=_role_title(role, labels[event], labels[other], role_sentences.get((event, other), {}), identifiers),
            kind=role,
            **role_styles[role],
        )
    dispute_styles = {kind.name: _edge_style(kind) for kind in _DISPUTE_KINDS}
    for number, (kind, first, second) in enumerate(plan.disputes):
        net.add_edge(
            first,
            second,
            id=f"d{number}",
            title=_dispute_title(
                kind,
                first,
                second,
                corpus.disputes[kind, min(first, second), max(first, second)],
                evidence or {},
                labels,
                identifiers,
            ),
            kind=kind,
            **dispute_styles[kind],
        )
    net.options = _vis_options(len(net.nodes))
    return net


def _vis_options(node_count: int = 0) -> dict[str, Any]:
    """Positions come laid out (``map_layout``): no physics, no layout work in the browser.

    Labels are drawn only where they are big enough to read
    (``drawThreshold``): zoomed out on a story, the small nodes' labels give
    way to the big ones', and zooming in brings them back.
    """
    del node_count  # one set of options for every view
    return {
        "nodes": {
            "font": {"size": 14, "face": "sans-serif"},
            "borderWidth": 1,
            "scaling": {
                "min": 8,
                "max": 40,
                "label": {"enabled": True, "min": 12, "max": 24, "drawThreshold": LABEL_DRAW_THRESHOLD},
            },
        },
        "edges": {
            "color": {"color": "#c4c4c4", "highlight": "#444444", "hover": "#444444"},
            "smooth": False,
            "width": 1,
            "hoverWidth": 2,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
        },
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True, "navigationButtons": False},
        "layout": {"improvedLayout": False},
    }


def _write_atomically(path: Path, text: str) -> None:
    """Write beside the target, then rename over it: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------
# Stories and views: the page draws one view at a time


#: A story's view draws at most this many entities, speakers, sources and
#: events, and at most ``STORY_ARTICLES`` articles; with its camps it stays
#: near ``FIRST_VIEW_NODES``, small enough to read and to lay out at once.
STORY_NODES = 70
STORY_ARTICLES = 30
#: The most nodes the overview draws (the issue's "about 150 at first view").
FIRST_VIEW_NODES = 150
#: The overview: this many stories at most, each with its most related
#: speakers (then the most quoted) and its most cited sources.
OVERVIEW_STORIES = 12
OVERVIEW_SPEAKERS = 6
OVERVIEW_SOURCES = 2
#: The view key of the overview (story views are "v0", "v1", … largest first).
OVERVIEW_KEY = "overview"


@dataclass(frozen=True, slots=True)
class _Story:
    """A story (``kg:Story``) as the page lists it; ``iri`` is "" for articles of no story."""

    iri: str
    label: str
    articles: tuple[str, ...]  # article IRIs, sorted
    period: str | None


@dataclass(frozen=True, slots=True)
class _Camp:
    """A side of a story's dispute (``kg:Camp``): its members and the relations that put them there."""

    iri: str
    label: str
    story: str | None
    members: frozenset[str]
    relations: frozenset[str]


def _read_stories(store: pyoxigraph.Store, articles: Mapping[str, _Article]) -> tuple[_Story, ...]:
    """Every story with its articles, largest first; articles of no story make one more.

    A store written before stories existed (or by another tool) has none:
    then all its articles are one story, "All articles", so that the map
    still opens on something.
    """
    rows = select(
        store,
        """SELECT ?s ?label ?a ?period WHERE {
          ?s a kg:Story ; schema:hasPart ?a .
          OPTIONAL { ?s rdfs:label ?label }
          OPTIONAL { ?s schema:temporalCoverage ?period }
        }""",
    )
    fields: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        article = row["a"].value
        if article not in articles:
            continue
        found = fields[row["s"].value]
        found["articles"].add(article)
        for name in ("label", "period"):
            if (value := _text(row[name])) is not None:
                found[name].add(value)
    stories = [
        _Story(
            iri=iri,
            label=min(f["label"], default=None) or _local_name(iri),
            articles=tuple(sorted(f["articles"])),
            period=min(f["period"], default=None),
        )
        for iri, f in fields.items()
    ]
    if not stories:
        return (_Story("", "All articles", tuple(sorted(articles)), None),)
    placed = {a for story in stories for a in story.articles}
    if left := sorted(set(articles) - placed):
        stories.append(_Story("", "Articles in no story", tuple(left), None))
    return tuple(sorted(stories, key=lambda s: (-len(s.articles), s.label.casefold(), s.iri)))


def _read_camps(store: pyoxigraph.Store) -> tuple[_Camp, ...]:
    members = select(
        store,
        """SELECT ?c ?label ?story ?m WHERE {
          ?c a kg:Camp .
          OPTIONAL { ?c rdfs:label ?label }
          OPTIONAL { ?c kg:story ?story }
          OPTIONAL { ?c kg:member ?m }
        }""",
    )
    fields: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in members:
        found = fields[row["c"].value]
        for name in ("label", "story", "m"):
            if (value := _text(row[name])) is not None:
                found[name].add(value)
    for row in select(store, "SELECT ?c ?r WHERE { ?c a kg:Camp ; prov:wasDerivedFrom ?r }"):
        fields[row["c"].value]["relations"].add(row["r"].value)
    return tuple(
        _Camp(
            iri=iri,
            label=min(f["label"], default=None) or _local_name(iri),
            story=min(f["story"], default=None),
            members=frozenset(f["m"]),
            relations=frozenset(f["relations"]),
        )
        for iri, f in sorted(fields.items())
    )


@dataclass(frozen=True, slots=True)
class _ByArticle:
    """The corpus's per-article links, indexed once so that each story reads only its own."""

    mentions: Mapping[str, tuple[str, ...]]
    said: Mapping[str, tuple[tuple[str, int], ...]]
    cites: Mapping[str, tuple[str, ...]]
    reports: Mapping[str, tuple[str, ...]]
    relations: Mapping[str, tuple[tuple[tuple[str, str, str], _Relation], ...]]
    roles: Mapping[str, tuple[tuple[str, str, str], ...]]  # by event IRI
    entities: Mapping[str, _Entity]
    events: Mapping[str, _Event]


def _index(corpus: _Corpus) -> _ByArticle:
    def group(pairs: Iterable[tuple[str, _T]]) -> dict[str, tuple[_T, ...]]:
        found: dict[str, list[_T]] = defaultdict(list)
        for key, value in pairs:
            found[key].append(value)
        return {key: tuple(values) for key, values in found.items()}

    return _ByArticle(
        mentions=group(corpus.mentions),
        said=group((a, (s, n)) for (s, a), n in corpus.said.items()),
        cites=group(corpus.cites),
        reports=group(corpus.reports),
        relations=group(
            (r.article, (key, r)) for key, found in corpus.disputes.items() for r in found if r.article
        ),
        roles=group((role[0], role) for role in corpus.roles),
        entities={e.iri: e for e in corpus.entities},
        events={e.iri: e for e in corpus.events},
    )


def _restrict(corpus: _Corpus, index: _ByArticle, articles: Iterable[str]) -> _Corpus:
    """The part of ``corpus`` that ``articles`` hold, counted within them.

    An entity's and an event's article count become the story's own, so a
    story's map ranks what matters in that story, not in the whole corpus;
    a claim relation belongs to the story of the article its claim appears in.
    """
    kept = tuple(a for a in articles if a in corpus.articles)
    mentions = frozenset((a, e) for a in kept for e in index.mentions.get(a, ()))
    said = {(s, a): n for a in kept for s, n in index.said.get(a, ())}
    cites = frozenset((a, t) for a in kept for t in index.cites.get(a, ()))
    reports = frozenset((a, e) for a in kept for e in index.reports.get(a, ()))
    local = Counter(e for _a, e in mentions)
    present = set(local) | {s for s, _a in said} | {t for _a, t in cites}
    entities = sorted(
        (replace(index.entities[i], article_count=local[i]) for i in present if i in index.entities),
        key=_entity_rank,
    )
    reported = Counter(e for _a, e in reports)
    events = sorted(
        (replace(index.events[i], article_count=n) for i, n in reported.items() if i in index.events),
        key=_event_rank,
    )
    disputes: dict[tuple[str, str, str], list[_Relation]] = defaultdict(list)
    for article in kept:
        for key, relation in index.relations.get(article, ()):
            disputes[key].append(relation)
    return _Corpus(
        entities=tuple(entities),
        articles={a: corpus.articles[a] for a in kept},
        mentions=mentions,
        collectives=corpus.collectives,
        said=said,
        cites=cites,
        sources={t: corpus.sources[t] for _a, t in cites if t in corpus.sources},
        events=tuple(events),
        reports=reports,
        roles=frozenset(role for event in reported for role in index.roles.get(event, ())),
        disputes={key: tuple(sorted(found, key=_relation_rank)) for key, found in disputes.items()},
    )


_V = TypeVar("_V")


def _split(mapping: Mapping[tuple[str, str], _V], position: int) -> dict[str, dict[tuple[str, str], _V]]:
    """Entries keyed (…, article, …) grouped by their article, for per-story lookups."""
    found: dict[str, dict[tuple[str, str], _V]] = defaultdict(dict)
    for key, value in mapping.items():
        found[key[position]][key] = value
    return found


def _gather(split: Mapping[str, Mapping[tuple[str, str], _V]], articles: Iterable[str]) -> dict[tuple[str, str], _V]:
    return {key: value for a in articles for key, value in split.get(a, {}).items()}


@dataclass(frozen=True, slots=True)
class _Reads:
    """What the tooltips and panels say, read once for every view's nodes."""

    alt_labels: Mapping[str, list[str]]
    merges: Mapping[str, Mapping[str, int]]
    sentences: Mapping[str, Mapping[tuple[str, str], list[_Sentence]]]  # by article
    claims: Mapping[str, Mapping[tuple[str, str], list[_Claim]]]  # by article
    citations: Mapping[str, Mapping[tuple[str, str], list[_Sentence]]]  # by article
    event_details: Mapping[str, _EventDetails]
    triggers: Mapping[str, Mapping[tuple[str, str], list[_Trigger]]]  # by article
    roles: Mapping[str, Mapping[tuple[str, str], list[_Sentence]]]  # by article: (event, other) -> sentences
    evidence: Mapping[tuple[str, str], _Evidence]


def _read_for(store: pyoxigraph.Store, plans: Sequence[tuple[_Plan, _Corpus]]) -> _Reads:
    entities = {e.iri for plan, _c in plans for e in plan.entities}
    events = {e.iri for plan, _c in plans for e in plan.events}
    collectives = {g.iri for plan, _c in plans for g in plan.collectives}
    speakers = {s for plan, _c in plans for s, _a in plan.said}
    cited = {t for plan, _c in plans for _a, t in plan.cites}
    role_pairs = {
        (t, s) if role == _ACTS_IN.name else (s, t) for plan, _c in plans for role, s, t in plan.roles
    }
    relations = {
        relation.iri: relation
        for plan, sub in plans
        for kind, a, b in plan.disputes
        for relation in sub.disputes[kind, min(a, b), max(a, b)][:EDGE_RELATIONS]
    }
    event_rows = _read_event_sentences(store, events | {e for e, _x in role_pairs})
    roles: dict[str, dict[tuple[str, str], list[_Sentence]]] = defaultdict(dict)
    for pair, by_article in _read_role_sentences(store, role_pairs, event_rows).items():
        for article, found in by_article.items():
            roles[article][pair] = found
    return _Reads(
        alt_labels=_read_alt_labels(store, entities | events),
        merges=_read_merges(store, entities),
        sentences=_split(_read_sentences(store, entities | collectives), 0),
        claims=_split(_read_claims(store, speakers), 1),
        citations=_split(_read_citation_sentences(store, cited), 0),
        event_details=_read_event_details(store, events),
        triggers=_split(_triggers(event_rows, events), 0),
        roles=roles,
        evidence=_read_evidence(store, relations.values()),
    )


def _summary(plan: _Plan, camps: int = 0) -> str:
    """One sentence saying what the view draws."""
    drawn = [_plural(len(plan.entities), "entity", "entities")]
    if plan.collectives:
        drawn.append(_plural(len(plan.collectives), "collective source"))
    if plan.sources:
        drawn.append(_plural(len(plan.sources), "cited source"))
    if plan.events:
        drawn.append(_plural(len(plan.events), "event"))
    if camps:
        drawn.append(_plural(camps, "camp"))
    edges = [_plural(len(plan.edges), "mention edge")]
    if plan.said:
        edges.append(_plural(len(plan.said), "said edge"))
    if plan.cites:
        edges.append(_plural(len(plan.cites), "cites edge"))
    if plan.reports:
        edges.append(_plural(len(plan.reports), "reports edge"))
    role_counts = Counter(role for role, _source, _target in plan.roles)
    edges.extend(_plural(role_counts[k.name], f"{k.name} edge") for k in _ROLE_KINDS if role_counts[k.name])
    dispute_counts = Counter(kind for kind, _first, _second in plan.disputes)
    edges.extend(
        _plural(dispute_counts[k.name], f"{k.name} edge") for k in _DISPUTE_KINDS if dispute_counts[k.name]
    )
    return (
        f"{', '.join(drawn)} and {_plural(len(plan.articles), 'article')} drawn, "
        f"with {', '.join(edges[:-1]) + ' and ' if len(edges) > 1 else ''}{edges[-1]}."
    )


def _article_name(article: _Article) -> str:
    """How a panel names an article: headline, outlet and date where known, else its identifier."""
    extra = " · ".join(x for x in (article.publisher, article.date) if x)
    name = article.headline or article.identifier
    return f"{name} ({extra})" if extra else name


def _weighted(count: int, base: float) -> float:
    """An aggregated edge's width: wider the more relations or claims it stands for."""
    return round(base + min(4.0, math.log2(max(count, 1))), 2)


def _camp_title(camp: _Camp, labels: Mapping[str, str], story: str) -> str:
    members = sorted((labels.get(m, _local_name(m)) for m in camp.members), key=str.casefold)
    return "\n".join(
        [
            _camp_name(camp, labels),
            f"{CAMP_KIND.name} of the story {story}",
            f"Members: {'; '.join(members)}",
            f"Put together by {_plural(len(camp.relations), 'claim relation')} "
            "(contradicting the same claims puts speakers on one side).",
        ]
    )


def _in_camp_title(
    member: str, camp: _Camp, disputes: Mapping[tuple[str, str, str], Sequence[_Relation]], labels: Mapping[str, str]
) -> str:
    """Why a speaker stands in a camp: the claim relations of the camp they take part in."""
    lines = [f"{labels[member]} stands in the {_camp_name(camp, labels)}"]
    reasons = sorted(
        {
            (kind, other, relation.iri, relation.confidence)
            for (kind, a, b), found in disputes.items()
            if member in (a, b)
            for relation in found
            if relation.iri in camp.relations
            for other in (b if a == member else a,)
        },
        key=lambda r: (-r[3], r[0], r[1], r[2]),
    )
    for kind, other, _iri, confidence in reasons[:EDGE_RELATIONS * 2]:
        lines.append(f"  {kind} {labels.get(other, _local_name(other))} · confidence {confidence:.2f}")
    if len(reasons) > EDGE_RELATIONS * 2:
        lines.append(f"… and {len(reasons) - EDGE_RELATIONS * 2:,} more")
    return "\n".join(lines)


#: Spring strength per edge kind in the layout: an article names much of its
#: story, so its mention and report edges pull weakly and the said, dispute,
#: role and camp edges shape the view.
_LAYOUT_STRENGTH: Mapping[str, float] = {"mentions": 0.15, "reports": 0.15, "in story": 2.0}


def _add_camp(
    camp: _Camp,
    members: Sequence[str],
    labels: Mapping[str, str],
    story: str,
    disputes: Mapping[tuple[str, str, str], Sequence[_Relation]],
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    names: dict[str, list[str]],
    prefix: str,
) -> None:
    """A camp's node, named by its members, and an *in camp* edge from each drawn member."""
    name = _camp_name(camp, labels)
    nodes.append(
        {
            "id": camp.iri,
            "label": _clip(name, MAX_LABEL_CHARS),
            "name": name,
            "shape": CAMP_KIND.shape,
            "color": CAMP_KIND.colour,
            "font": {"face": "sans-serif"},
            "title": _camp_title(camp, labels, story),
            "kind": CAMP_KIND.name,
        }
    )
    names[camp.iri] = [name, camp.label]
    for member in members:
        edges.append(
            {
                "id": f"{prefix}{len(edges)}",
                "from": member,
                "to": camp.iri,
                "title": _in_camp_title(member, camp, disputes, labels),
                "kind": _IN_CAMP.name,
                **_edge_style(_IN_CAMP),
            }
        )


def _finish(
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    names: Mapping[str, list[str]],
    *,
    story: bool = True,
    groups: Mapping[str, str] | None = None,
) -> None:
    """Positions and label zooms computed once (physics stays off), sizes fixed, and the names search looks for.

    A story's view is laid out around its speakers (:func:`.map_layout.story_layout`);
    the overview, a set of small stories, story by story (:func:`.map_layout.grouped_layout`).
    Then each label is placed (:func:`.map_layout.place_labels`): a node whose
    label would overlap a more important one, or another node, carries the
    zoom at which it appears (``labelZoom``; ``None``: on hover or when
    selected only), and the page draws it from that zoom on.
    """
    marks = _marks(nodes, edges, story=story)
    kinds = {n["id"]: n["kind"] for n in nodes}
    by_id = {m.id: m for m in marks}
    ranked = sorted(marks, key=lambda m: (not m.must, m.rank, m.id))
    budget = LABELS_AT_FIT if story else OVERVIEW_LABELS
    room = {m.id for m in ranked if m.must} | {
        m.id for m in [m for m in ranked if kinds[m.id] != ARTICLE_KIND.name][:budget]
    }
    minor = _minor_events(nodes, edges, room) if story else set()
    if minor:
        marks = [replace(m, ring=3) if m.id in minor else m for m in marks]
        by_id = {m.id: m for m in marks}
    if story:
        positions = story_layout(
            marks, [(e["from"], e["to"], _STORY_LINKS.get(e["kind"], 1.0)) for e in edges], labelled=room
        )
    else:
        positions = grouped_layout(
            marks,
            [(e["from"], e["to"], _STORY_LINKS.get(e["kind"], _LAYOUT_STRENGTH.get(e["kind"], 1.0))) for e in edges],
            groups or {},
            labelled=room,
        )
    zooms = place_labels([m for m in marks if m.id not in minor], positions, budget=budget)
    for node in nodes:
        mark = by_id[node["id"]]
        node["x"], node["y"] = positions[node["id"]]
        node["names"] = names.get(node["id"], [node.get("label", "")])
        node["size"] = mark.size
        node["font"] = {**node.get("font", {}), "size": mark.font, "face": "sans-serif"}
        # One size and one label size per node, whatever the view's other values: the layout measured them.
        node["scaling"] = {
            "min": mark.size,
            "max": mark.size,
            "label": {
                "enabled": True,
                "min": mark.font,
                "max": mark.font,
                # vis-network's own cap fades the text rather than shrinking it: the page keeps
                # each label's size on screen past zoom 1 itself (map.js), so this never applies.
                "maxVisible": 100,
                "drawThreshold": 1 if mark.must else _KEPT_DRAW_THRESHOLD,
            },
        }
        zoom = zooms.get(node["id"])
        if zoom != 0.0:
            node["labelZoom"] = zoom
        if node["id"] in minor:
            node["minor"] = True


#: Link strength per edge kind in a story's layout (:func:`.map_layout.story_layout`):
#: disputes and camps hold speakers together; an article's mentions barely pull.
_STORY_LINKS: Mapping[str, float] = {
    "contradicts": 3.0, "agrees with": 3.0, "in camp": 3.0, "said": 1.0, "acts in": 1.0, "affected by": 1.0,
    "where": 0.8, "cites": 0.5, "mentions": 0.3, "reports": 0.3,
}
#: Said edges are drawn this opaque in a story's view, and cites and role edges this
#: (their colours stay what the legend shows): who disputes whom stands out.
SAID_OPACITY = 0.35
LINK_OPACITY = 0.55
_ROLE_NAMES = frozenset(k.name for k in _ROLE_KINDS)
#: At most this many labels are drawn at the fitted zoom (disputing speakers and camps
#: always are, within it or beyond); the others appear as the reader zooms in.
LABELS_AT_FIT = 40
#: The overview's stories, speakers and sources are few: more of their labels are drawn at once.
OVERVIEW_LABELS = 60
#: A label kept at the fitted zoom is drawn down to this size on screen (a small window).
_KEPT_DRAW_THRESHOLD = 5


def _marks(nodes: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]], *, story: bool) -> list[Mark]:
    """What the layout needs of each node: symbol and label size, ring, and how much its label matters.

    The centre of a story (ring 0) holds its camps, the speakers in a
    contradiction or agreement, and the ``CENTRE_SPEAKERS`` speakers quoted
    by most articles (two at least); the other speakers join the entities,
    sources and events on the rings around it, and the articles sit between.
    Labels rank: camps (and, on the overview, stories), disputing speakers
    (the most related first), then every other node by the articles that
    name, quote or report it (a speaker's quotes count one and a half), then
    articles. In a story, camps and disputing speakers are labelled at every zoom.
    """
    disputes: Counter[str] = Counter()
    quoted: Counter[str] = Counter()
    speakers: set[str] = set()
    for edge in edges:
        if edge["kind"] in _RELATION_WIDTH:
            disputes[edge["from"]] += edge.get("count", 1)
            disputes[edge["to"]] += edge.get("count", 1)
        elif edge["kind"] == _SAID.name:
            quoted[edge["from"]] += 1
        if edge["kind"] in (_SAID.name, _IN_CAMP.name):
            speakers.add(edge["from"])
        elif edge["kind"] == _IN_STORY.name:
            speakers.add(edge["to"])
    speakers |= set(disputes)
    centre = set(disputes) | {
        s for s in sorted(quoted, key=lambda s: (-quoted[s], s))[:CENTRE_SPEAKERS] if quoted[s] > 1 and s not in disputes
    }
    marks = []
    for node in nodes:
        iri, kind, value = node["id"], node["kind"], max(float(node.get("value", 1)), 1.0)
        label = str(node.get("label", ""))
        grows = math.log2(value)
        if kind in (CAMP_KIND.name, STORY_KIND.name):
            # On the overview a story's name comes first, its speakers' before its camps'.
            tier = 0 if story or kind == STORY_KIND.name else 1
            size, font, ring = 10.0, 20.0 if kind == STORY_KIND.name else 13.0, 0
            must, score = story or kind == STORY_KIND.name, 0.0
        elif iri in disputes:
            tier, size, font, ring, must, score = 1, min(10.0 + 3.0 * grows, 24.0), 14.0, 0, story, disputes[iri]
        elif iri in speakers:
            size, font = min(9.0 + 3.0 * grows, 22.0), 13.0
            tier, ring, must, score = 2, 0 if iri in centre or not story else 2, False, max(value, 1.5 * quoted[iri])
        elif kind == ARTICLE_KIND.name:
            tier, size, font, ring, must, score = 3, 6.0, 12.0, 1, False, 0.0
        elif kind == EVENT_KIND.name:
            tier, size, font, ring, must, score = 2, 8.0, 12.0, 2, False, value
        else:
            tier, size, font, ring, must, score = 2, min(6.0 + 2.5 * grows, 18.0), 12.0, 2, False, value
        marks.append(
            (
                (tier, -score, label.casefold(), iri),
                Mark(iri, node.get("shape", "dot"), size, font, label, 0, must, ring),
            )
        )
    marks.sort(key=lambda item: item[0])
    return [replace(mark, rank=rank) for rank, (_key, mark) in enumerate(marks)]


#: Speakers in no dispute that a story's centre holds at most (the most quoted).
CENTRE_SPEAKERS = 10


def _minor_events(
    nodes: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]], room: set[str]
) -> set[str]:
    """Events a story's view hides until asked: unlabelled ones that one article reports or no labelled node acts in.

    "Labelled" is judged before the layout: the nodes given room for their
    label (the first ``LABELS_AT_FIT`` of the label ranking).
    """
    events = {n["id"] for n in nodes if n["kind"] == EVENT_KIND.name and n["id"] not in room}
    if not events:
        return set()
    reported = {n["id"]: float(n.get("value", 1)) for n in nodes}
    roles = {k.name for k in _ROLE_KINDS}
    kept = {
        event
        for e in edges
        if e["kind"] in roles
        for event, other in ((e["from"], e["to"]), (e["to"], e["from"]))
        if event in events and other in room and reported[event] >= 2
    }
    return events - kept


def _story_view(
    story: _Story,
    sub: _Corpus,
    plan: _Plan,
    reads: _Reads,
    camps: Sequence[_Camp],
) -> dict[str, Any]:
    """One story's nodes and edges, laid out, with what its header and panels say."""
    net = _build_network(
        plan,
        sub,
        reads.alt_labels,
        _gather(reads.sentences, sub.articles),
        _gather(reads.claims, sub.articles),
        _gather(reads.citations, sub.articles),
        reads.event_details,
        _gather(reads.triggers, sub.articles),
        _gather_roles(reads.roles, sub.articles),
        reads.evidence,
        reads.merges,
    )
    nodes, edges, *_rest = net.get_network_data()
    labels: dict[str, str] = {
        **{e.iri: e.label for e in plan.entities},
        **{g.iri: g.label for g in plan.collectives},
        **{s.iri: s.label for s in plan.sources},
        **{e.iri: e.label for e in plan.events},
    }
    names: dict[str, list[str]] = {
        iri: [label, *reads.alt_labels.get(iri, [])] for iri, label in labels.items()
    }
    for article in plan.articles:
        names[article.iri] = [x for x in (article.headline, article.identifier) if x]
    by_iri = {a.iri: a for a in plan.articles}
    for node in nodes:
        if (article := by_iri.get(node["id"])) is not None:
            node["name"] = _article_name(article)
            node["outlet"] = article.publisher or ""
            node["date"] = article.date or ""
        else:
            node["name"] = labels.get(node["id"], node["label"])
    for edge in edges:
        kind = edge["kind"]
        if kind in {k.name for k in _DISPUTE_KINDS}:
            found = sub.disputes[kind, min(edge["from"], edge["to"]), max(edge["from"], edge["to"])]
            edge["count"] = len(found)
            edge["confidence"] = round(max(r.confidence for r in found), 3)
            edge["width"] = _weighted(len(found), _RELATION_WIDTH[kind])
        elif kind == _SAID.name:
            count = sub.said[edge["from"], edge["to"]]
            edge["count"] = count
            # Thin and faint: a story's said edges are many, its disputes few.
            edge["width"] = round(1.0 + min(2.0, 0.5 * math.log2(max(count, 1))), 2)
            edge["color"] = {**edge["color"], "opacity": SAID_OPACITY}
        elif kind == _CITES.name or kind in _ROLE_NAMES:
            edge["color"] = {**edge["color"], "opacity": LINK_OPACITY}
    on_view = {n["id"] for n in nodes}
    drawn_camps = 0
    for camp in camps:
        members = sorted(m for m in camp.members if m in on_view)
        if len(members) < 2:
            continue  # a side of one is its speaker: the contradicts edges show it
        drawn_camps += 1
        _add_camp(camp, members, labels, story.label, sub.disputes, nodes, edges, names, "k")
    _finish(nodes, edges, names)
    return {
        "story": story.iri,
        "label": story.label,
        "nodes": nodes,
        "edges": edges,
        "summary": _summary(plan, drawn_camps),
        "notes": _cap_notes(plan),
        "disputes": bool(plan.disputes),
    }


_RELATION_WIDTH: Mapping[str, float] = {k.name: k.width for k in _DISPUTE_KINDS}


def _camp_name(camp: _Camp, labels: Mapping[str, str]) -> str:
    """A camp named by its members ("side: Budanov, Zelensky +2"): the stored label only numbers it."""
    members = sorted((labels[m] for m in camp.members if m in labels), key=str.casefold)
    if not members:
        return camp.label
    more = f" +{len(members) - 2}" if len(members) > 2 else ""
    return f"side: {', '.join(members[:2])}{more}"


def _gather_roles(
    split: Mapping[str, Mapping[tuple[str, str], list[_Sentence]]], articles: Iterable[str]
) -> dict[tuple[str, str], dict[str, list[_Sentence]]]:
    found: dict[tuple[str, str], dict[str, list[_Sentence]]] = defaultdict(dict)
    for article in articles:
        for pair, sentences in split.get(article, {}).items():
            found[pair][article] = sentences
    return found


def _speaker_node(iri: str, corpus: _Corpus, labels: Mapping[str, str], title: str, value: int) -> dict[str, Any]:
    entity = next((e for e in corpus.entities if e.iri == iri), None)
    kind = entity.kind if entity is not None else COLLECTIVE_KIND
    return {
        "id": iri,
        "label": _clip(labels[iri], MAX_LABEL_CHARS),
        "name": labels[iri],
        "shape": kind.shape,
        "color": kind.colour,
        "value": max(value, 1),
        "title": title,
        "kind": kind.name,
    }


def _overview(
    stories: Sequence[tuple[str, _Story, _Corpus]],
    camps: Sequence[_Camp],
    reads: _Reads,
) -> dict[str, Any]:
    """The top stories, each with its most disputing speakers, their camps and its most cited sources.

    Stories with the most speakers in claim relations come first, then the
    largest; a story whose speakers are in no relation shows its most quoted
    ones. Nothing beyond ``FIRST_VIEW_NODES`` nodes is drawn.
    """
    def disputants(sub: _Corpus) -> Counter[str]:
        return _relation_counts(sub)

    ranked = sorted(
        stories, key=lambda item: (-len(disputants(item[2])), -len(item[1].articles), item[1].label.casefold())
    )
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, Any]] = []
    names: dict[str, list[str]] = {}
    camps_of: dict[str, list[_Camp]] = defaultdict(list)
    for camp in camps:
        camps_of[camp.story or ""].append(camp)
    shown = 0
    for key, story, sub in ranked:
        if shown == OVERVIEW_STORIES:
            break
        related = disputants(sub)
        quoted_in, claims, cited_by = _reach(sub)
        labels = {
            **{e.iri: e.label for e in sub.entities},
            **{g.iri: g.label for g in sub.collectives.values()},
            **{s.iri: s.label for s in sub.sources.values()},
        }
        speakers = sorted(
            (s for s in {*related, *quoted_in} if s in labels),
            key=lambda s: (-related[s], -quoted_in[s], -claims[s], labels[s].casefold(), s),
        )[:OVERVIEW_SPEAKERS]
        sources = sorted(
            (t for t in cited_by if t in labels and t not in speakers),
            key=lambda t: (-cited_by[t], labels[t].casefold(), t),
        )[:OVERVIEW_SOURCES]
        story_camps = [c for c in camps_of[story.iri] if len(c.members & set(speakers)) > 1] if story.iri else []
        new = 1 + len([x for x in (*speakers, *sources) if x not in nodes]) + len(story_camps)
        if len(nodes) + new > FIRST_VIEW_NODES:
            break
        shown += 1
        story_id = story.iri or "kg:unstoried"
        outlets = {a.publisher for a in sub.articles.values() if a.publisher}
        nodes[story_id] = {
            "id": story_id,
            "label": _clip(story.label, MAX_LABEL_CHARS),
            "name": story.label,
            "shape": STORY_KIND.shape,
            "color": STORY_KIND.colour,
            "font": {"face": "sans-serif", "color": STORY_KIND.colour},
            "title": "\n".join(
                [
                    story.label,
                    f"{STORY_KIND.name} · {_plural(len(story.articles), 'article')}"
                    + (f" from {_plural(len(outlets), 'outlet')}" if outlets else ""),
                    *([f"Period: {story.period}"] if story.period else []),
                    f"Speakers in disputes: {len(related):,}",
                    "Open the story to see its entities, events, claims and sources.",
                ]
            ),
            "kind": STORY_KIND.name,
            "view": key,
        }
        names[story_id] = [story.label]
        for speaker in speakers:
            lines = [labels[speaker]]
            lines.extend(_reach_lines(speaker, quoted_in, claims, cited_by))
            lines.extend(_dispute_lines(sub).get(speaker, []))
            node = nodes.setdefault(
                speaker, _speaker_node(speaker, sub, labels, "\n".join(lines), quoted_in[speaker])
            )
            node.setdefault("views", []).append(key)
            names[speaker] = [labels[speaker], *reads.alt_labels.get(speaker, [])]
            edges.append(
                {
                    "id": f"o{len(edges)}",
                    "from": story_id,
                    "to": speaker,
                    "title": f"{labels[speaker]} in {story.label}: quoted in "
                    f"{_plural(quoted_in[speaker], 'article')} ({_plural(claims[speaker], 'claim')})",
                    "kind": _IN_STORY.name,
                    **_edge_style(_IN_STORY),
                }
            )
        identifiers = {iri: a.identifier for iri, a in sub.articles.items()}
        for (kind, a, b), found in sorted(sub.disputes.items()):
            if a in speakers and b in speakers:
                _kind, first, second = _oriented((kind, a, b), found, labels)
                edges.append(
                    {
                        "id": f"o{len(edges)}",
                        "from": first,
                        "to": second,
                        "title": _dispute_title(kind, first, second, found, reads.evidence, labels, identifiers),
                        "kind": kind,
                        "count": len(found),
                        "confidence": round(max(r.confidence for r in found), 3),
                        **_edge_style(_RELATION_KINDS_BY_NAME[kind]),
                        "width": _weighted(len(found), _RELATION_WIDTH[kind]),
                    }
                )
        for camp in story_camps:
            drawn: list[dict[str, Any]] = []
            members = sorted(camp.members & set(speakers))
            _add_camp(camp, members, labels, story.label, sub.disputes, drawn, edges, names, "o")
            nodes[camp.iri] = {**drawn[0], "views": [key]}
        for source in sources:
            node = nodes.setdefault(
                source,
                {
                    "id": source,
                    "label": _clip(labels[source], MAX_LABEL_CHARS),
                    "name": labels[source],
                    "shape": SOURCE_KIND.shape,
                    "color": SOURCE_KIND.colour,
                    "value": cited_by[source],
                    "title": _source_title(sub.sources[source], cited_by[source])
                    if source in sub.sources
                    else f"{labels[source]}\nCited by {_plural(cited_by[source], 'article')}",
                    "kind": SOURCE_KIND.name if source in sub.sources else "Organization",
                },
            )
            node.setdefault("views", []).append(key)
            names[source] = [labels[source]]
            edges.append(
                {
                    "id": f"o{len(edges)}",
                    "from": story_id,
                    "to": source,
                    "title": f"{_plural(cited_by[source], 'article')} of {story.label} cite {labels[source]}",
                    "kind": _CITES.name,
                    **_edge_style(_CITES),
                    "width": _weighted(cited_by[source], _CITES.width),
                }
            )
    drawn = list(nodes.values())
    _finish(drawn, edges, names, story=False, groups=_story_groups(drawn, edges))
    stories_drawn = sum(1 for n in drawn if n["kind"] == STORY_KIND.name)
    return {
        "story": None,
        "label": "Overview",
        "nodes": drawn,
        "edges": edges,
        "summary": (
            f"The {_plural(stories_drawn, 'largest disputed story', 'largest disputed stories')} of "
            f"{_plural(len(stories), 'story', 'stories')}, with their most disputing speakers, their camps "
            "and their most cited sources. Choose a story in the list (or a story node) to open it."
        ),
        "notes": [],
        "disputes": any(e["kind"] in _RELATION_WIDTH for e in edges),
    }


_RELATION_KINDS_BY_NAME: Mapping[str, EdgeKind] = {k.name: k for k in _DISPUTE_KINDS}


def _story_groups(nodes: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Which story each overview node is drawn with: the first story that lists it; a camp goes with its members."""
    groups = {n["id"]: n["id"] for n in nodes if n["kind"] == STORY_KIND.name}
    for edge in edges:
        if edge["from"] in groups and edge["kind"] in (_IN_STORY.name, _CITES.name):
            groups.setdefault(edge["to"], groups[edge["from"]])
    for edge in edges:
        if edge["kind"] == _IN_CAMP.name and edge["from"] in groups:
            groups.setdefault(edge["to"], groups[edge["from"]])
    return groups


def _search_index(views: Mapping[str, Mapping[str, Any]]) -> list[list[Any]]:
    """[node id, names, the views that draw it (largest story first)], for the search box."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    for key, view in views.items():
        for node in view["nodes"]:
            if node["kind"] == STORY_KIND.name:
                continue  # stories are found through the story list's own entries
            names, keys = found.setdefault(node["id"], ([], []))
            names.extend(n for n in node["names"] if n and n not in names)
            if key != OVERVIEW_KEY:
                keys.append(key)
            elif not keys:
                keys.append(key)
    return [[iri, names, keys] for iri, (names, keys) in sorted(found.items())]


def render_map(
    store: pyoxigraph.Store,
    path: Path,
    *,
    max_nodes: int = STORY_NODES,
    max_articles: int = STORY_ARTICLES,
    lone_events: bool = False,
) -> MapStats:
    """Write the interactive map of ``store`` to ``path`` (self-contained HTML).

    The page lists the stories (largest first) and draws one view at a time:
    the overview (the top stories' disputing speakers, camps and cited
    sources) when the corpus holds several stories, else its one story.
    Each story's view is planned as the whole map once was, within the
    story's own articles: entities, collective sources and cited sources are
    ranked by how many of its articles mention, quote or cite them, extracted
    events by how many report them, and ``max_nodes`` of them are drawn,
    events taking at most ``EVENT_SHARE`` of that budget while other nodes
    fill the rest; speakers in a contradiction or agreement come first.
    Article nodes are the (at most ``max_articles``) articles linked to the
    most drawn nodes; the story's camps join their drawn members. Claims
    whose speaker is unknown are not drawn, nor (unless ``lone_events``)
    events that one article reports and that have no participant or place
    on the map. Each view says what it left out. Views are laid out here,
    once, and stored compressed: the page decodes one only when it is opened.
    """
    if max_nodes < 1 or max_articles < 0:
        raise ValueError(f"max_nodes must be >= 1 and max_articles >= 0, got {max_nodes}, {max_articles}")
    corpus = _read_corpus(store)
    stories = _read_stories(store, corpus.articles)
    index = _index(corpus)
    camps = _read_camps(store)
    camps_by_story: dict[str, list[_Camp]] = defaultdict(list)
    for camp in camps:
        camps_by_story[camp.story or ""].append(camp)
    # A store without stories is one: its corpus whole, as a map of one story always was.
    whole = len(stories) == 1 and not stories[0].iri
    subs = [corpus if whole else _restrict(corpus, index, story.articles) for story in stories]
    plans = [(_plan(sub, max_nodes, max_articles, lone_events=lone_events), sub) for sub in subs]
    reads = _read_for(store, plans)
    views: dict[str, dict[str, Any]] = {}
    for number, (story, (plan, sub)) in enumerate(zip(stories, plans)):
        views[f"v{number}"] = _story_view(story, sub, plan, reads, camps_by_story[story.iri] if story.iri else [])
    listed = [(f"v{n}", story, sub) for n, (story, sub) in enumerate(zip(stories, subs))]
    if len(stories) > 1:
        views[OVERVIEW_KEY] = _overview(listed, camps, reads)
        first = OVERVIEW_KEY
    else:
        first = "v0"
    entries = [
        {
            "key": key,
            "iri": story.iri,
            "label": story.label,
            "articles": len(story.articles),
            "outlets": len({a.publisher for a in sub.articles.values() if a.publisher}),
            "period": story.period or "",
            "disputes": sum(len(found) for found in sub.disputes.values()),
        }
        for key, story, sub in listed
    ]
    html = render_page(
        views=views,
        first=first,
        stories=entries,
        search=_search_index(views),
        legend=[(kind, Markup(_LEGEND_SYMBOLS[kind.shape])) for kind in _LEGEND_KINDS],
        edge_legend=EDGE_KINDS,
        options=_vis_options(),
    )
    _write_atomically(Path(path), html)
    biggest = plans[0][0]
    largest = views["v0"]
    return MapStats(
        nodes_drawn=len(largest["nodes"]),
        edges_drawn=len(largest["edges"]),
        entities_total=biggest.entities_total,
        entities_drawn=len(biggest.entities),
        articles=biggest.articles_total,
        articles_drawn=len(biggest.articles),
        collectives_total=biggest.collectives_total,
        collectives_drawn=len(biggest.collectives),
        sources_total=biggest.sources_total,
        sources_drawn=len(biggest.sources),
        events_total=biggest.events_total,
        events_drawn=len(biggest.events),
        events_lone=biggest.events_lone,
        stories=len(stories),
        first_view=first,
        first_view_nodes=len(views[first]["nodes"]),
        views=len(views),
    )
