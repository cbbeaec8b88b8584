"""Who contradicts whom, camps, central speakers and sources, repeated statements (networkx).

The analyses read the built graph and their results are written back into it
(DESIGN.md §2), in the analysis graph, so everything ``report.md`` and
``report.json`` say can also be asked in SPARQL.

Two projections turn the store into networkx graphs (SPARQL in, graph out):

* :func:`to_speaker_graph`: speakers (the ``schema:author`` of claims) linked by
  one edge per claim relation (``kg:ClaimRelation``), ``contradicts`` or ``agrees``;
* :func:`to_citation_graph`: article -> cited source (``cito:cites``), and
  outlet -> source where the article has a ``schema:publisher``.

The analyses are plain functions over those graphs (or over claim records) that
return plain data: :func:`rank_pairs`, :func:`camps`, :func:`speaker_centrality`,
:func:`rank_sources` and :func:`repeated_statements`. :func:`analysis_result`
runs them all and returns the quads to add to the analysis graph together with
the JSON-ready data of ``report.json`` (its keys are listed in :mod:`kgraph.outputs.report`).
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
from networkx.utils import not_implemented_for
from pyoxigraph import Literal, NamedNode, Quad, Store

from kgraph.analyze.backends import backend_for
from kgraph.rdf.articles import ArticleMeta, read_articles
from kgraph.rdf.store import select_values
from kgraph.rdf.vocab import (
    ANALYSIS_GRAPH,
    ID_NS,
    KG,
    KG_NS,
    PROV,
    PROV_NS,
    RDF,
    RDFS,
    SCHEMA,
    XSD,
    integer,
)

__all__ = [
    "Analysis",
    "Camp",
    "ClaimRecord",
    "SourceRank",
    "SpeakerPair",
    "StatementCluster",
    "analysis_result",
    "camps",
    "rank_pairs",
    "rank_sources",
    "read_claims",
    "repeated_statements",
    "speaker_centrality",
    "to_citation_graph",
    "to_speaker_graph",
]

logger = logging.getLogger(__name__)

CONTRADICTS = "contradicts"
AGREES = "agrees"
UNATTRIBUTED_OPPOSED = "unattributed_opposed"  # G.graph key of the speaker graph: contradictions with claims nobody named makes
_EDGE_KIND = {"contradiction": CONTRADICTS, "agreement": AGREES}
# The standard classes kg:Camp and kg:StatementCluster refine (ontology/kgraph.ttl); asserted too.
_PROV_ENTITY = NamedNode(PROV_NS + "Entity")
_PROV_COLLECTION = NamedNode(PROV_NS + "Collection")

# Repeated statements (see :func:`repeated_statements`).
NEAR_DUPLICATE_JACCARD = 0.5  # two texts by one speaker share half their words ...
NEAR_DUPLICATE_CONTAINMENT = 0.8  # ... or the shorter one's words are (nearly) all in the longer one
SAME_SOURCE_JACCARD = 0.3  # lower bars when both claims cite the same interview or statement
SAME_SOURCE_CONTAINMENT = 0.6
MIN_CONTAINED_WORDS = 4  # containment says little about a sentence of two or three content words
MIN_SHARED_WORDS = 2  # one shared word ("preparing to defend" / "preparing to attack") is no repetition
MIN_CLUSTER_ARTICLES = 2  # a statement is repeated when at least two articles carry it
RELATIONS_PER_PAIR_IN_JSON = 20  # report.json keeps every count and confidence, and the strongest relations in full
BECAUSE_PER_MEMBER_IN_JSON = 5  # a camp member's strongest evidence in report.json; all of it is in the analysis graph

# Words that say nothing about what a statement is about; dropped before comparing texts
# ("not" and "no" stay: "they are leaving" does not repeat "they are not leaving").
_STOP_WORDS = frozenset(
    """a an the and or but nor so yet if then than that this these those there here of in on at to from by for
    with without into onto over under about as is are was were be been being am do does did have has had will
    would shall should can could may might must it its they them their theirs he him his she her hers we us our
    you your i me my also just very only all any some such what which who whom whose when where while
    how why said says say told according""".split()
)
_WORD_RE = re.compile(r"[a-z0-9]+")
_SUFFIXES = ("ing", "ed", "es", "s", "e")  # longest first; one is stripped


# --- projections -----------------------------------------------------------------


def to_speaker_graph(store: Store, *, claims: Iterable[ClaimRecord] | None = None) -> nx.MultiDiGraph:
    """Speakers and the claim relations between them.

    Nodes are the IRIs of every claim author, with ``label``, ``kind`` (person,
    organization or group: a collective source such as "Western officials") and
    ``claims`` (how many claims they author). Each ``kg:ClaimRelation`` gives one
    edge per pair of different authors of its two claims, from the author of
    ``kg:fromClaim`` (the disagreeing or agreeing claim) to the author of
    ``kg:toClaim``, keyed by the relation's IRI, with ``kind`` (``contradicts`` or
    ``agrees``), ``rule``, ``confidence``, ``relation``, ``from_speaker``,
    ``to_speaker``, ``from_claim``, ``to_claim``, ``from_article``,
    ``to_article`` (article ids) and ``story``: the IRI of the ``kg:Story`` both
    claims' articles belong to, ``""`` when neither article has one (a corpus
    built without stories is one story), None when they lie in two stories
    (relations are compared inside one story, so only an older build has such
    an edge). ``claims`` are :func:`read_claims` of the same store, when the
    caller has them already. A contradiction with a claim that has no author
    ("unconfirmed reports say …") makes no edge; the graph attribute
    ``G.graph[UNATTRIBUTED_OPPOSED]`` lists it as ``(story, speaker, claim,
    confidence)``, so that :func:`camps` can see who opposes the same rumour.
    """
    by_iri = {c.iri: c for c in (read_claims(store) if claims is None else claims)}
    story_of = _story_of_articles(store)
    G = nx.MultiDiGraph()
    for iri, (label, kind) in sorted(_speakers(store).items()):
        G.add_node(iri, label=label, kind=kind, claims=0)
    for claim in by_iri.values():
        for author in claim.authors:
            G.nodes[author]["claims"] += 1
    # One star pattern without OPTIONALs or ORDER BY: a big corpus has hundreds of thousands of relations.
    rows = select_values(
        store,
        """SELECT ?rel ?kind ?rule ?conf ?from ?to WHERE {
             ?rel kg:relationKind ?kind ; kg:fromClaim ?from ; kg:toClaim ?to ; kg:relationRule ?rule ; kg:confidence ?conf
           }""",
    )
    for row in sorted(rows, key=lambda r: r["rel"]):
        kind = _EDGE_KIND.get(row["kind"])
        a, b = by_iri.get(row["from"]), by_iri.get(row["to"])
        if kind is None or a is None or b is None:
            continue
        from_story, to_story = story_of.get(a.article, ""), story_of.get(b.article, "")
        story = from_story if from_story == to_story else None
        if kind == CONTRADICTS and story is not None and bool(a.authors) != bool(b.authors):
            # a claim told by nobody named ("unconfirmed reports say …"): no edge, but who opposes it counts for camps
            named, unnamed = (a, b) if a.authors else (b, a)
            for u in named.authors:
                G.graph.setdefault(UNATTRIBUTED_OPPOSED, []).append((story, u, unnamed.iri, float(row["conf"])))
        for u in a.authors:
            for v in b.authors:
                if u == v:
                    continue  # one speaker on both sides: no relation between speakers
                G.add_edge(
                    u,
                    v,
                    key=row["rel"],
                    kind=kind,
                    relation=row["rel"],
                    from_speaker=u,
                    to_speaker=v,
                    rule=row["rule"].removeprefix(KG_NS + "claimrule-"),
                    confidence=float(row["conf"]),
                    from_claim=a.iri,
                    to_claim=b.iri,
                    from_article=a.article_id,
                    to_article=b.article_id,
                    story=story,
                )
    return G


def to_citation_graph(store: Store, *, articles: Mapping[str, ArticleMeta] | None = None) -> nx.DiGraph:
    """Who cites which source: article -> source, and outlet -> source.

    Node ``kind`` is ``article`` (``label`` its identifier, ``outlet`` its
    publisher's IRI or None), ``outlet`` (a publisher of articles) or ``source``
    (an interview, statement, channel or outlet that articles cite; ``type`` says
    which). An outlet that is also cited keeps kind ``outlet``. Every
    ``cito:cites`` gives an article -> source edge of weight 1; where the
    article has a ``schema:publisher``, the publisher -> source edge weighs the
    number of its articles that cite the source. ``articles`` are the store's articles with an
    identifier (IRI -> metadata, in identifier order), when the caller has read them already.
    """
    G = nx.DiGraph()
    for art in (_articles(store) if articles is None else articles).values():
        G.add_node(art.iri, kind="article", label=art.identifier, outlet=art.publisher or None)
        if art.publisher:
            G.add_node(art.publisher, kind="outlet", label=art.outlet or art.publisher)
    types: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    cites: set[tuple[str, str]] = set()
    for row in select_values(
        store,
        """SELECT ?article ?source ?label ?type WHERE {
             ?article a schema:NewsArticle ; cito:cites ?source .
             OPTIONAL { ?source rdfs:label ?label } OPTIONAL { ?source a ?type }
           }""",
    ):
        cites.add((row["article"], row["source"]))
        if row["label"]:
            labels[row["source"]] = min(labels.get(row["source"], row["label"]), row["label"])
        if row["type"]:
            types[row["source"]].add(row["type"])
    for article, source in sorted(cites):
        if source not in G:
            G.add_node(source, kind="source", label=labels.get(source, source), type=_source_type(types[source]))
        else:
            G.nodes[source].setdefault("type", _source_type(types[source]))
        G.add_edge(article, source, weight=1)
        outlet = G.nodes[article].get("outlet")
        if outlet:
            if G.has_edge(outlet, source):
                G.edges[outlet, source]["weight"] += 1
            else:
                G.add_edge(outlet, source, weight=1)
    return G


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    """One claim as the repetition analysis needs it (IRIs and ids as strings)."""

    iri: str
    text: str
    authors: tuple[str, ...]
    article: str  # the article's IRI
    article_id: str
    date: str | None = None  # the article's schema:datePublished
    outlet: str | None = None  # the article's publisher label
    sources: tuple[str, ...] = ()  # kg:source: the cited interview or statement
    sentence: str = ""


def read_claims(store: Store, *, articles: Mapping[str, ArticleMeta] | None = None) -> list[ClaimRecord]:
    """Every claim with its authors, article, cited source and sentence, ordered by IRI.

    ``articles`` are the store's articles with an identifier (IRI -> metadata, in identifier
    order), when the caller has read them already.
    """
    articles = _articles(store) if articles is None else articles
    # One-pattern scans joined here, not one query with OPTIONALs and a property path: each scan
    # reads one index in order, where the joined query looked each claim's properties up one by one.
    news = {row["a"] for row in select_values(store, "SELECT ?a WHERE { ?a a schema:NewsArticle }")}
    claims = {row["claim"] for row in select_values(store, "SELECT ?claim WHERE { ?claim a schema:Claim }")}
    texts: dict[str, str] = {}
    for row in select_values(store, "SELECT ?claim ?text WHERE { ?claim schema:text ?text }"):
        if row["claim"] in claims:
            texts[row["claim"]] = min(texts.get(row["claim"], row["text"]), row["text"])
    found: dict[str, dict[str, Any]] = {}
    for row in select_values(store, "SELECT ?claim ?article WHERE { ?claim schema:appearance ?article }"):
        claim, article = row["claim"], row["article"]
        if claim not in texts or article not in news:
            continue
        c = found.setdefault(claim, {"text": texts[claim], "article": article, "authors": set(), "sources": set(), "sentence": ""})
        c["article"] = min(c["article"], article)
    for key, query in (
        ("authors", "SELECT ?claim ?value WHERE { ?claim schema:author ?value }"),
        ("sources", "SELECT ?claim ?value WHERE { ?claim kg:source ?value }"),
    ):
        for row in select_values(store, query):
            if row["claim"] in found and row["value"]:
                found[row["claim"]][key].add(row["value"])
    for row in select_values(store, "SELECT ?claim ?sentence WHERE { ?claim a schema:Claim ; nif:sentence ?s . ?s nif:anchorOf ?sentence }"):
        c = found.get(row["claim"])
        if c is not None and row["sentence"]:
            c["sentence"] = max(c["sentence"], row["sentence"])
    records = []
    for iri in sorted(found):
        c = found[iri]
        art = articles.get(c["article"])
        records.append(
            ClaimRecord(
                iri=iri,
                text=c["text"],
                authors=tuple(sorted(c["authors"])),
                article=c["article"],
                article_id=art.identifier if art is not None and art.identifier is not None else c["article"],
                date=(art.date or None) if art is not None else None,
                outlet=(art.outlet or None) if art is not None else None,
                sources=tuple(sorted(c["sources"])),
                sentence=c["sentence"],
            )
        )
    return records


# --- analyses ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SpeakerPair:
    """Two speakers and the relations of one kind between them, strongest first."""

    speakers: tuple[str, str]  # ordered by label
    count: int
    confidences: tuple[float, ...]  # descending
    relations: tuple[dict[str, Any], ...]  # the edges' data (shared with the graph, not copied), strongest first


@not_implemented_for("undirected")
def rank_pairs(G: nx.MultiDiGraph, kind: str = CONTRADICTS) -> list[SpeakerPair]:
    """Speaker pairs ranked by how many relations of ``kind`` link them (in either direction).

    Ties go to the pair with the stronger relations (highest, then summed
    confidence), then by the speakers' labels.

    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="r1", kind="contradicts", confidence=0.8)
    'r1'
    >>> G.add_edge("b", "a", key="r2", kind="contradicts", confidence=0.7)
    'r2'
    >>> G.add_edge("a", "c", key="r3", kind="contradicts", confidence=0.9)
    'r3'
    >>> [(p.speakers, p.count) for p in rank_pairs(G)]
    [(('a', 'b'), 2), (('a', 'c'), 1)]
    """
    by_pair: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for u, v, key, data in G.edges(keys=True, data=True):
        if data.get("kind") == kind:
            pair = (u, v) if (_label(G, u).casefold(), u) <= (_label(G, v).casefold(), v) else (v, u)
            by_pair[pair].append(data)  # the edge's own data, not a copy: a corpus can hold very many relations
    pairs = []
    for pair, relations in by_pair.items():
        relations.sort(key=lambda r: (-r.get("confidence", 0.0), str(r.get("relation", ""))))
        confidences = tuple(float(r.get("confidence", 0.0)) for r in relations)
        pairs.append(SpeakerPair(pair, len(relations), confidences, tuple(relations)))
    pairs.sort(key=lambda p: (-p.count, -p.confidences[0], -sum(p.confidences), [_label(G, n).casefold() for n in p.speakers], p.speakers))
    return pairs


EdgeId = tuple[str, str, str]  # (from speaker, to speaker, relation IRI): one edge of the speaker graph


@dataclass(frozen=True, slots=True)
class Camp:
    """One side of one story's dispute: its speakers, and the relations that put each of them there."""

    story: str  # the story's IRI; "" when the articles carry no kg:story (the corpus is then one story)
    members: frozenset[str]
    because: tuple[tuple[str, tuple[EdgeId, ...]], ...]  # (member, its evidence edges, strongest first), by member IRI

    def evidence(self, member: str) -> tuple[EdgeId, ...]:
        """The relations (speaker-graph edges ``(u, v, key)``) that put ``member`` in this camp."""
        return dict(self.because).get(member, ())


def camps(G: nx.MultiDiGraph) -> list[Camp]:
    """The sides of each story's dispute, found by structural balance on the signed speaker graph.

    A story's speakers and the claim relations between them form a signed graph
    (Cartwright & Harary 1956): agreement is a positive edge, contradiction a
    negative one, and a balanced graph splits into sides with only positive edges
    inside and only negative edges between. Real relations are never perfectly
    balanced, so the sides are found by correlation clustering (Bansal, Blum &
    Chawla 2004): group the speakers so that as much positive weight as possible
    falls inside camps, with every contradiction a hard cannot-link (no camp holds
    two speakers who contradict each other, which is always possible).

    Positive weight between two speakers is the summed confidence of their
    agreements, plus the balance pull "the enemy of my enemy": when both
    contradict the same claim of a third speaker, the smaller of their two
    contradiction confidences, summed over the claims they both oppose. The claim,
    not just the opponent: two speakers who contradict one minister on two
    different matters do not stand together for it. So speakers who never agree
    explicitly but reject the same allegation land on one side. The allegation may
    be told by nobody named ("unconfirmed reports say …": no author, so no edge);
    who opposes it is read from ``G.graph[UNATTRIBUTED_OPPOSED]`` for this pull.

    Method: constrained greedy agglomeration (greedy additive edge contraction,
    Keuper et al. 2015) per story. Each speaker starts as a camp of one; the two
    camps with the highest positive weight between them are merged unless a member
    of one contradicts a member of the other; ties go to the pair whose smallest
    member IRIs sort first; it stops when no allowed merge with positive weight is
    left. networkx has no signed-graph clustering; it gives the graph structure
    (the multigraph of relations, its edge data) and nothing more is needed.
    Two-colouring each component of the contradiction graph would presume two
    sides: on all of news-dev, 20 of the 41 components with more than two
    speakers hold an odd cycle (three parties who each reject the others), which
    no two sides can keep apart, while the agglomeration needs no such shape.

    Stories come from the edges' ``story`` (:func:`to_speaker_graph`): relations
    are compared only inside one story, so camps are per story, and a speaker has
    one camp in each story it disputes in. They are not joined across stories: a
    speaker who stands with A in one story and with B in another says nothing
    about A and B, and a speaker active in many stories (a president, "officials")
    would chain every side it touches into one (on news-dev, joining story camps
    that share a member unless a contradiction forbids it makes one side of 377
    speakers across 29 stories). An edge whose ``story`` is None
    (its claims lie in two stories) takes part in no camp.

    A member's evidence (:meth:`Camp.evidence`) is every relation of the story
    the partition keeps: its agreements with camp-mates and its contradictions of
    speakers in other camps, the strongest first.

    Returns camps ordered by story (the story with most camp members first, then
    its IRI), then by size, summed relation count and smallest member IRI:
    deterministic, and independent of the order of the edges.

    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="r1", kind="agrees", confidence=0.6, story="s", from_claim="a1", to_claim="b1")
    'r1'
    >>> G.add_edge("c", "a", key="r2", kind="contradicts", confidence=0.8, story="s", from_claim="c1", to_claim="a1")
    'r2'
    >>> G.add_edge("d", "a", key="r3", kind="contradicts", confidence=0.7, story="s", from_claim="d1", to_claim="a1")
    'r3'
    >>> [sorted(c.members) for c in camps(G)]
    [['a', 'b'], ['c', 'd']]
    """
    by_story: dict[str, list[tuple[str, str, str, dict[str, Any]]]] = defaultdict(list)
    for u, v, key, data in G.edges(keys=True, data=True):
        story = data.get("story", "")
        if u != v and story is not None and data.get("kind") in (AGREES, CONTRADICTS):
            by_story[story].append((u, v, key, data))
    found: list[Camp] = []
    unattributed: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    for story, speaker, claim, confidence in G.graph.get(UNATTRIBUTED_OPPOSED, ()):
        unattributed[story].append((speaker, claim, confidence))
    for story, edges in by_story.items():
        edges.sort(key=lambda e: (e[2], e[0], e[1]))
        members = _balanced_sides(edges, sorted(unattributed.get(story, ())))
        found += [_camp(story, side, edges) for side in members]
    size = Counter(c.story for c in found for _ in c.members)
    found.sort(key=lambda c: (-size[c.story], c.story, -len(c.members), -sum(G.degree(n) for n in c.members), min(c.members)))
    return found


def _balanced_sides(
    edges: Sequence[tuple[str, str, str, Mapping[str, Any]]], unattributed: Sequence[tuple[str, str, float]] = ()
) -> list[frozenset[str]]:
    """The camps of one story's relations (see :func:`camps`): greedy agglomeration under cannot-links.

    ``unattributed``: (speaker, claim, confidence) for claims nobody named makes, which add to the pull
    between speakers who both oppose one of them; they make no speaker a member on their own."""
    pull: dict[tuple[str, str], float] = defaultdict(float)
    forbid: set[tuple[str, str]] = set()
    opposed: dict[str, dict[str, float]] = defaultdict(dict)  # claim -> speaker contradicting it -> strongest confidence
    present = {n for u, v, _, _ in edges for n in (u, v)}
    for speaker, claim, confidence in unattributed:
        if speaker in present:
            opposed[claim][speaker] = max(opposed[claim].get(speaker, 0.0), confidence)
    for u, v, _, data in edges:
        pair = (min(u, v), max(u, v))
        confidence = float(data.get("confidence", 0.0))
        if data["kind"] == AGREES:
            pull[pair] += confidence
            continue
        forbid.add(pair)
        for speaker, claim in ((u, data.get("to_claim")), (v, data.get("from_claim"))):
            if claim is not None:
                opposed[claim][speaker] = max(opposed[claim].get(speaker, 0.0), confidence)
    for against in opposed.values():  # the enemy of my enemy: both reject the same claim
        speakers = sorted(against)
        for i, a in enumerate(speakers):
            for b in speakers[i + 1 :]:
                pull[(a, b)] += min(against[a], against[b])
    side = {n: n for u, v, _, _ in edges for n in (u, v)}  # speaker -> its camp's id (the camp's smallest IRI)
    members: dict[str, set[str]] = {n: {n} for n in side}
    weight: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))  # camp -> camp -> positive weight
    for (a, b), w in pull.items():
        if (a, b) not in forbid and w > 0:
            weight[a][b] += w
            weight[b][a] += w
    blocked: dict[str, set[str]] = defaultdict(set)
    for a, b in forbid:
        blocked[a].add(b)
        blocked[b].add(a)
    while True:
        best = min(
            ((-w, a, b) for a, row in weight.items() for b, w in row.items() if a < b and b not in blocked[a] and w > 0),
            default=None,
        )
        if best is None:
            break
        _, keep, gone = best
        for n in members[gone]:
            side[n] = keep
        members[keep] |= members.pop(gone)
        for other, w in weight.pop(gone, {}).items():
            weight[other].pop(gone, None)
            if other != keep:
                weight[keep][other] += w
                weight[other][keep] += w
        for other in blocked.pop(gone, set()):
            blocked[other].discard(gone)
            blocked[other].add(keep)
            blocked[keep].add(other)
    return [frozenset(m) for m in members.values()]


def _camp(story: str, side: frozenset[str], edges: Sequence[tuple[str, str, str, Mapping[str, Any]]]) -> Camp:
    """``side`` as a :class:`Camp`, each member with the story's relations the partition keeps for it."""
    kept: dict[str, list[tuple[float, EdgeId]]] = defaultdict(list)
    for u, v, key, data in edges:
        inside = (u in side) and (v in side)
        if (data["kind"] == AGREES and inside) or (data["kind"] == CONTRADICTS and (u in side) != (v in side)):
            for n in (u, v):
                if n in side:
                    kept[n].append((float(data.get("confidence", 0.0)), (u, v, key)))
    because = tuple((n, tuple(e for _, e in sorted(kept[n], key=lambda x: (-x[0], x[1][2], x[1])))) for n in sorted(side))
    return Camp(story, side, because)


def speaker_centrality(G: nx.MultiDiGraph) -> dict[str, float]:
    """Degree centrality of each speaker: the share of the other speakers it is related to.

    Counted on the undirected simple graph (a speaker related to another by
    three relations counts that speaker once), so values stay in [0, 1].
    """
    simple = nx.Graph()
    simple.add_nodes_from(G)
    simple.add_edges_from((u, v) for u, v in G.edges() if u != v)
    if len(simple) < 2:
        return {n: 0.0 for n in simple}
    return dict(nx.degree_centrality(simple))


@dataclass(frozen=True, slots=True)
class SourceRank:
    """A cited source: how many articles and outlets cite it, and its PageRank in the citation graph."""

    iri: str
    label: str
    type: str  # interview, statement, channel, social-media or outlet
    articles: int
    outlets: int  # distinct publishers of the citing articles; an article without one counts as its own outlet
    pagerank: float


def pagerank(G: nx.DiGraph, alpha: float = 0.85, tol: float = 1e-9, max_iter: int = 200) -> dict[str, float]:
    """PageRank by power iteration over edge weights (``weight``, default 1).

    networkx's own ``pagerank`` needs SciPy, a large dependency for graphs of a few
    thousand nodes; this is the textbook iteration (dangling nodes spread evenly).
    When a backend that runs it faster is installed (:mod:`kgraph.analyze.backends`),
    networkx dispatches to it: the same iteration, the same stopping rule.
    """
    nodes = list(G)
    n = len(nodes)
    if n == 0:
        return {}
    backend = backend_for("pagerank", G.number_of_edges())
    if backend is not None:
        try:
            return dict(nx.pagerank(G, alpha=alpha, tol=tol, max_iter=max_iter, weight="weight", backend=backend))
        except ImportError as err:  # graphblas converts through SciPy
            logger.warning("networkx backend %r cannot run pagerank (%s); using networkx", backend, err)
        except nx.PowerIterationFailedConvergence:
            pass  # the loop below returns its last iterate, as it always has
    out_weight = {u: sum(d.get("weight", 1.0) for _, _, d in G.out_edges(u, data=True)) for u in nodes}
    rank = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(max_iter):
        dangling = alpha * sum(rank[u] for u in nodes if out_weight[u] == 0) / n
        new = dict.fromkeys(nodes, (1.0 - alpha) / n + dangling)
        for u, v, d in G.edges(data=True):
            new[v] += alpha * rank[u] * d.get("weight", 1.0) / out_weight[u]
        if sum(abs(new[u] - rank[u]) for u in nodes) < n * tol:
            return new
        rank = new
    return rank


@not_implemented_for("undirected")
def rank_sources(G: nx.DiGraph) -> list[SourceRank]:
    """Sources ranked by how many outlets cite them, then articles, then PageRank, then label.

    "Which sources are cited by most outlets": five articles from five outlets
    citing one interview rank it above a source one outlet cites five times.
    """
    # rounded so that a backend's last-bit differences cannot reorder tied sources
    rank = {n: round(r, 12) for n, r in pagerank(G).items()} if G.number_of_edges() else {n: 0.0 for n in G}
    found = []
    for n, data in G.nodes(data=True):
        citing = [a for a in G.predecessors(n) if G.nodes[a].get("kind") == "article"]
        if not citing:
            continue
        outlets = {G.nodes[a].get("outlet") or a for a in citing}
        found.append(SourceRank(n, data.get("label", n), data.get("type", "outlet"), len(citing), len(outlets), float(rank[n])))
    found.sort(key=lambda s: (-s.outlets, -s.articles, -s.pagerank, s.label.casefold(), s.iri))
    return found


@dataclass(frozen=True, slots=True)
class StatementCluster:
    """Claims by one speaker that are one statement repeated across articles."""

    speaker: str
    claims: tuple[str, ...]  # claim IRIs, in article order
    articles: tuple[str, ...]  # article IRIs that carried it, earliest first (by date, then id)
    origin: str  # the cited work, or the earliest article
    origin_kind: str  # "work" or "article"
    text: str  # the wording of the statement most like the others (ties: the shorter)


def repeated_statements(
    claims: Iterable[ClaimRecord],
    *,
    jaccard: float = NEAR_DUPLICATE_JACCARD,
    containment: float = NEAR_DUPLICATE_CONTAINMENT,
    same_source_jaccard: float = SAME_SOURCE_JACCARD,
    same_source_containment: float = SAME_SOURCE_CONTAINMENT,
) -> list[StatementCluster]:
    """Clusters of near-duplicate claims by one speaker in different articles.

    Claims are compared sentence by sentence (a long quote carries several
    statements, and must not chain them all into one), each sentence as a set
    of normalised words: lowercased, accents folded, function words
    (``_STOP_WORDS``) dropped, one common English suffix stripped ("creating" ~
    "create", "units" ~ "unit"). Two sentences of claims by the same speaker
    (the same ``schema:author``) in different articles are the same statement
    when they share at least ``MIN_SHARED_WORDS`` words and either their
    Jaccard similarity is at least ``jaccard`` (0.5) or at least
    ``containment`` (0.8) of the shorter one's words are in the longer one;
    when both claims have the same ``kg:source`` (one interview reported by
    several outlets) the bars are lower: ``same_source_jaccard`` (0.3) and
    ``same_source_containment`` (0.6). Containment needs the shorter sentence
    to have at least ``MIN_CONTAINED_WORDS`` (4) words. A cluster is the set of
    claims with a sentence in one connected component of these links (single
    link, within one speaker's claims: two speakers are never joined; sentences
    with the very same words are always one statement), kept
    when it spans at least two articles; a long quote can belong to several
    clusters, one per statement it repeats.

    The origin is the cited work when members have a ``kg:source`` (the one most
    members cite; ties by IRI), else the earliest article by
    ``schema:datePublished`` (undated articles after dated ones), then by
    article id. The text is the sentence most like the others of its component
    (ties: the shorter). Clusters are ordered by articles carried (most first),
    then speaker and claims.
    """
    by_speaker: dict[str, list[ClaimRecord]] = defaultdict(list)
    for c in claims:
        for author in c.authors:
            by_speaker[author].append(c)
    found: dict[tuple[str, tuple[str, ...]], StatementCluster] = {}
    for speaker in sorted(by_speaker):
        members = sorted(by_speaker[speaker], key=lambda c: c.iri)
        # Sentences with the same words are one statement: each distinct word set is compared once.
        holders: dict[frozenset[str], list[tuple[int, str]]] = defaultdict(list)  # words -> (claim index, sentence)
        for i, c in enumerate(members):
            for sentence in _sentences(c.text):
                if len(w := _words(sentence)) >= MIN_SHARED_WORDS:
                    holders[w].append((i, sentence))
        keys = sorted(holders, key=lambda w: min(holders[w]))
        G = nx.Graph()
        G.add_nodes_from(range(len(keys)))
        for x, y in _candidate_pairs(keys):
            a, b = keys[x], keys[y]
            if _similar(a, b, jaccard, containment):
                if any(members[i].article != members[j].article for i, _ in holders[a] for j, _ in holders[b]):
                    G.add_edge(x, y)
            elif _similar(a, b, same_source_jaccard, same_source_containment):
                if any(
                    members[i].article != members[j].article and set(members[i].sources) & set(members[j].sources)
                    for i, _ in holders[a]
                    for j, _ in holders[b]
                ):
                    G.add_edge(x, y)
        for component in nx.connected_components(G):
            part = [(sentence, keys[x]) for x in sorted(component) for _, sentence in holders[keys[x]]]
            group = [members[i] for i in sorted({i for x in component for i, _ in holders[keys[x]]})]
            if len({c.article for c in group}) < MIN_CLUSTER_ARTICLES:
                continue
            cluster = _cluster(speaker, group, part)
            found.setdefault((speaker, tuple(sorted(cluster.claims))), cluster)
    return sorted(found.values(), key=lambda s: (-len(s.articles), s.speaker, s.claims))


# --- the analysis as RDF and JSON -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Analysis:
    """What :func:`analysis_result` found: quads for the analysis graph, and the data of ``report.json``."""

    quads: tuple[Quad, ...]
    data: dict[str, Any]


def analysis_result(store: Store) -> Analysis:
    """Run every analysis on ``store``; return the quads to add and the JSON-ready report data.

    Quads (all in the analysis graph): per speaker ``kg:contradictionCount``,
    ``kg:agreementCount``, ``kg:centrality`` and, for each story where it takes
    part in a relation, ``kg:camp`` (a ``kg:Camp`` node
    ``kgid:camp/<story key>/<n>`` with ``rdfs:label``, ``kg:story``,
    ``kg:member`` and ``prov:wasDerivedFrom`` the ``kg:ClaimRelation`` s that put
    its members there: see :func:`camps`); per cited source ``kg:citedByCount``;
    per repeated statement a ``kg:StatementCluster`` node
    (``kgid:statement/<hash of speaker and claims>``) with ``schema:author``,
    ``kg:member`` claims, ``kg:origin``, ``kg:carriedByCount`` and
    ``rdfs:label`` (one member's text).
    """
    g = ANALYSIS_GRAPH
    article_by_iri = _articles(store)  # read once: three readers need the articles
    claims = {c.iri: c for c in read_claims(store, articles=article_by_iri)}
    speakers = to_speaker_graph(store, claims=claims.values())
    contradictions = rank_pairs(speakers, CONTRADICTS)
    agreements = rank_pairs(speakers, AGREES)
    found_camps = camps(speakers)
    centrality = speaker_centrality(speakers)
    citations = to_citation_graph(store, articles=article_by_iri)
    sources = rank_sources(citations)
    clusters = repeated_statements(claims.values())

    quads: list[Quad] = []
    counts = {n: {CONTRADICTS: set(), AGREES: set()} for n in speakers}
    for u, v, key, data in speakers.edges(keys=True, data=True):
        for n in (u, v):
            counts[n][data["kind"]].add(key)
    stories = _stories(store)
    camp_quads, camp_rows = _camps_result(found_camps, speakers, claims, {st["iri"]: st["label"] for st in stories})
    quads += camp_quads
    camps_of: dict[str, list[str]] = defaultdict(list)
    for row in camp_rows:
        for m in row["members"]:
            camps_of[m["iri"]].append(row["iri"])
    for n in sorted(speakers):
        s = NamedNode(n)
        quads += [
            Quad(s, KG.contradictionCount, integer(len(counts[n][CONTRADICTS])), g),
            Quad(s, KG.agreementCount, integer(len(counts[n][AGREES])), g),
            Quad(s, KG.centrality, Literal(f"{centrality.get(n, 0.0):.4f}", datatype=XSD.decimal), g),
        ]
    for src in sources:
        quads.append(Quad(NamedNode(src.iri), KG.citedByCount, integer(src.articles), g))
    cluster_iris = []
    for cl in clusters:
        key = hashlib.sha1("\x1f".join((cl.speaker, *cl.claims)).encode()).hexdigest()[:16]
        node = NamedNode(f"{ID_NS}statement/{key}")
        cluster_iris.append(node.value)
        quads += [
            Quad(node, RDF.type, KG.StatementCluster, g),
            Quad(node, RDF.type, _PROV_COLLECTION, g),
            Quad(node, RDFS.label, Literal(cl.text), g),
            Quad(node, SCHEMA.author, NamedNode(cl.speaker), g),
            Quad(node, KG.origin, NamedNode(cl.origin), g),
            Quad(node, KG.carriedByCount, integer(len(cl.articles)), g),
        ]
        quads += [Quad(node, KG.member, NamedNode(c), g) for c in cl.claims]

    # --- report.json ---
    def speaker_ref(n: str) -> dict[str, str]:
        return {"iri": n, "label": _label(speakers, n)}

    def claim_ref(iri: str, speaker: str) -> dict[str, Any]:
        c = claims[iri]
        art = article_by_iri.get(c.article)
        return {
            "claim": iri,
            "speaker": speaker_ref(speaker),
            "text": c.text,
            "sentence": c.sentence,
            "article": c.article_id,
            "outlet": (art.outlet or None) if art is not None else None,
            "date": c.date,
        }

    def pair_json(p: SpeakerPair) -> dict[str, Any]:
        return {
            "speakers": [speaker_ref(n) for n in p.speakers],
            "count": p.count,
            "confidences": list(p.confidences),
            "relations": [  # the strongest RELATIONS_PER_PAIR_IN_JSON; all are in the analysis graph
                {
                    "relation": r["relation"],
                    "rule": r["rule"],
                    "confidence": r["confidence"],
                    "from": claim_ref(r["from_claim"], r["from_speaker"]),
                    "to": claim_ref(r["to_claim"], r["to_speaker"]),
                }
                for r in p.relations[:RELATIONS_PER_PAIR_IN_JSON]
            ],
        }

    data: dict[str, Any] = {
        "graph": g.value,
        "speakers": [
            {
                **speaker_ref(n),
                "kind": speakers.nodes[n]["kind"],
                "claims": speakers.nodes[n]["claims"],
                "contradictions": len(counts[n][CONTRADICTS]),
                "agreements": len(counts[n][AGREES]),
                "centrality": round(centrality.get(n, 0.0), 4),
                "camps": camps_of.get(n, []),
            }
            for n in sorted(speakers, key=lambda n: (-centrality.get(n, 0.0), -speakers.degree(n), -speakers.nodes[n]["claims"], _label(speakers, n).casefold(), n))
        ],
        "contradictions": [pair_json(p) for p in contradictions],
        "agreements": [pair_json(p) for p in agreements],
        "camps": camp_rows,
        "sources": [
            {"iri": s.iri, "label": s.label, "type": s.type, "articles": s.articles, "outlets": s.outlets, "pagerank": round(s.pagerank, 4)}
            for s in sources
        ],
        "repeated_statements": [
            {
                "iri": iri,
                "speaker": speaker_ref(cl.speaker),
                "text": cl.text,
                "origin": {"iri": cl.origin, "kind": cl.origin_kind, "label": _origin_label(cl, citations, article_by_iri)},
                "articles": [
                    {"id": article_by_iri[a].identifier, "outlet": article_by_iri[a].outlet or None, "date": article_by_iri[a].date or None}
                    for a in cl.articles
                ],
                "outlets": sorted({article_by_iri[a].outlet or article_by_iri[a].identifier for a in cl.articles}),
                "claims": [{"claim": c, "text": claims[c].text, "article": claims[c].article_id} for c in cl.claims],
            }
            for iri, cl in zip(cluster_iris, clusters, strict=True)
        ],
        "stories": stories,
        "parameters": {
            "near_duplicate_jaccard": NEAR_DUPLICATE_JACCARD,
            "near_duplicate_containment": NEAR_DUPLICATE_CONTAINMENT,
            "same_source_jaccard": SAME_SOURCE_JACCARD,
            "same_source_containment": SAME_SOURCE_CONTAINMENT,
            "min_contained_words": MIN_CONTAINED_WORDS,
            "min_shared_words": MIN_SHARED_WORDS,
        },
    }
    return Analysis(tuple(quads), data)


def _camps_result(
    found: Sequence[Camp], speakers: nx.MultiDiGraph, claims: Mapping[str, ClaimRecord], story_labels: Mapping[str, str]
) -> tuple[list[Quad], list[dict[str, Any]]]:
    """The camps as quads (kg:Camp with kg:story, kg:member, prov:wasDerivedFrom its relations) and as report.json rows.

    Camps are numbered per story (``kgid:camp/<story key>/<n>``, ``kgid:camp/<n>``
    without stories), so adding a story leaves the others' camp IRIs alone.
    """
    g = ANALYSIS_GRAPH
    quads: list[Quad] = []
    rows: list[dict[str, Any]] = []
    number: Counter[str] = Counter()
    iri_of: dict[tuple[str, str], str] = {}  # (story, speaker) -> camp IRI
    for camp in found:
        number[camp.story] += 1
        key = camp.story.removeprefix(f"{ID_NS}story/")
        node = NamedNode(f"{ID_NS}camp/{key}/{number[camp.story]}" if camp.story else f"{ID_NS}camp/{number[camp.story]}")
        iri_of.update({(camp.story, n): node.value for n in camp.members})
        ordered = sorted(camp.members, key=lambda n: (-len(camp.evidence(n)), _label(speakers, n).casefold(), n))
        # Never just a member's name: a lookup by label ("Kyrylo Budanov") must find the speaker, not its camp.
        names = ", ".join(_label(speakers, n) for n in ordered[:3]) + (f" and {len(ordered) - 3} more" if len(ordered) > 3 else "")
        story_label = story_labels.get(camp.story, "")
        label = f"camp {number[camp.story]}" + (f" of {story_label}" if story_label else "") + f": {names}"
        quads += [Quad(node, RDF.type, KG.Camp, g), Quad(node, RDF.type, _PROV_ENTITY, g), Quad(node, RDFS.label, Literal(label), g)]
        if camp.story:
            quads.append(Quad(node, KG.story, NamedNode(camp.story), g))
        relations = sorted({key for n in camp.members for _, _, key in camp.evidence(n)})
        quads += [Quad(node, PROV.wasDerivedFrom, NamedNode(r), g) for r in relations]
        for n in ordered:
            quads += [Quad(node, KG.member, NamedNode(n), g), Quad(NamedNode(n), KG.camp, node, g)]
        rows.append(
            {
                "iri": node.value,
                "label": label,
                "story": {"iri": camp.story, "label": story_label} if camp.story else None,
                "members": [_member_json(n, camp.evidence(n), speakers, claims) for n in ordered],
            }
        )
    against: dict[str, Counter[str]] = defaultdict(Counter)  # camp -> the camps its members contradict -> how often
    for u, v, data in speakers.edges(data=True):
        story = data.get("story", "")
        if data["kind"] == CONTRADICTS and story is not None and (cu := iri_of.get((story, u))) != (cv := iri_of.get((story, v))):
            if cu is not None and cv is not None:
                against[cu][cv] += 1
                against[cv][cu] += 1
    for row in rows:
        row["opposes"] = [{"camp": c, "contradictions": n} for c, n in sorted(against[row["iri"]].items(), key=lambda kv: (-kv[1], kv[0]))]
    return quads, rows


def _member_json(member: str, evidence: Sequence[EdgeId], speakers: nx.MultiDiGraph, claims: Mapping[str, ClaimRecord]) -> dict[str, Any]:
    """One camp member for report.json: who, and the strongest relations that put it there (its claim and the other's)."""

    def claim(iri: str) -> dict[str, str]:
        c = claims[iri]
        return {"claim": iri, "text": c.text, "article": c.article_id}

    because = []
    for u, v, key in evidence[:BECAUSE_PER_MEMBER_IN_JSON]:
        data = speakers.edges[u, v, key]
        own, other, with_ = (data["from_claim"], data["to_claim"], v) if u == member else (data["to_claim"], data["from_claim"], u)
        because.append(
            {
                "relation": key,
                "kind": data["kind"],
                "rule": data["rule"],
                "confidence": data["confidence"],
                "with": {"iri": with_, "label": _label(speakers, with_)},
                "claim": claim(own),
                "other_claim": claim(other),
            }
        )
    return {"iri": member, "label": _label(speakers, member), "because_count": len(evidence), "because": because}


# --- private helpers --------------------------------------------------------------


def _stories(store: Store) -> list[dict[str, Any]]:
    """The stories the build found (kg:Story), largest first, with their main entities and articles."""
    rows = select_values(
        store,
        """SELECT ?s ?label ?n ?period ?id WHERE {
             ?s a kg:Story ; rdfs:label ?label ; kg:articleCount ?n ; schema:hasPart/schema:identifier ?id .
             OPTIONAL { ?s schema:temporalCoverage ?period }
           }""",
    )
    about = select_values(store, "SELECT ?s ?e ?label WHERE { ?s a kg:Story ; schema:about ?e . ?e rdfs:label ?label }")
    stories: dict[str, dict[str, Any]] = {}
    for r in rows:
        st = stories.setdefault(
            r["s"], {"iri": r["s"], "label": r["label"], "articles": [], "period": r["period"] or None, "entities": []}
        )
        st["articles"].append(r["id"])
    for r in about:
        if r["s"] in stories:
            stories[r["s"]]["entities"].append({"iri": r["e"], "label": r["label"]})
    for st in stories.values():
        st["articles"].sort()
        st["entities"].sort(key=lambda e: e["label"])
    return sorted(stories.values(), key=lambda st: (-len(st["articles"]), st["label"], st["iri"]))


def _story_of_articles(store: Store) -> dict[str, str]:
    """Article IRI -> the IRI of its kg:Story, for the articles that have one."""
    rows = select_values(store, "SELECT ?a ?s WHERE { ?a a schema:NewsArticle ; kg:story ?s }")
    found: dict[str, str] = {}
    for r in rows:
        found[r["a"]] = min(found.get(r["a"], r["s"]), r["s"])
    return found


def _label(G: nx.Graph, n: str) -> str:
    return str(G.nodes[n].get("label") or n) if n in G else n


def _speakers(store: Store) -> dict[str, tuple[str, str]]:
    """Claim author IRI -> (label, kind)."""
    labels: dict[str, str] = {}
    types: dict[str, set[str]] = defaultdict(set)
    for row in select_values(
        store,
        """SELECT DISTINCT ?speaker ?label ?type WHERE {
             ?claim a schema:Claim ; schema:author ?speaker .
             OPTIONAL { ?speaker rdfs:label ?label }
             OPTIONAL { ?speaker a ?type }
           }""",
    ):
        s = row["speaker"]
        if row["label"]:
            labels[s] = min(labels.get(s, row["label"]), row["label"])
        else:
            labels.setdefault(s, "")
        if row["type"]:
            types[s].add(row["type"])
    out = {}
    for s, label in labels.items():
        if KG.CollectiveSource.value in types[s]:
            kind = "group"
        elif SCHEMA.Person.value in types[s]:
            kind = "person"
        else:
            kind = "organization"
        out[s] = (label or s, kind)
    return out


def _articles(store: Store) -> dict[str, ArticleMeta]:
    """Article IRI -> metadata, for the articles with a ``schema:identifier``, in identifier order."""
    found = sorted((m for m in read_articles(store).values() if m.identifier is not None), key=lambda m: (m.identifier, m.iri))
    return {m.iri: m for m in found}


_SOURCE_TYPES = (("Interview", "interview"), ("Statement", "statement"), ("Channel", "channel"), ("SocialMediaSource", "social-media"))


def _source_type(types: set[str]) -> str:
    for local, name in _SOURCE_TYPES:
        if KG_NS + local in types:
            return name
    return "outlet"


def _words(text: str) -> frozenset[str]:
    """The normalised content words of a text (see :func:`repeated_statements`).

    >>> sorted(_words("They are creating the illusion that everything has gone"))
    ['creat', 'everyth', 'gon', 'illusion']
    """
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    folded = re.sub(r"['’]s\b", "", folded)
    return frozenset(_stem(w) for w in _WORD_RE.findall(folded) if w not in _STOP_WORDS)


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _candidate_pairs(words: Sequence[frozenset[str]]) -> list[tuple[int, int]]:
    """Index pairs (x < y) of word sets sharing at least ``MIN_SHARED_WORDS`` words, found through an inverted index."""
    index: dict[str, list[int]] = defaultdict(list)
    for x, ws in enumerate(words):
        for w in ws:
            index[w].append(x)
    shared: Counter[tuple[int, int]] = Counter()
    for xs in index.values():
        for k, x in enumerate(xs):
            for y in xs[k + 1 :]:
                shared[(x, y)] += 1
    return sorted(pair for pair, n in shared.items() if n >= MIN_SHARED_WORDS)


def _similar(a: frozenset[str], b: frozenset[str], jaccard: float, containment: float) -> bool:
    if not a or not b:
        return False
    shared = len(a & b)
    if shared < MIN_SHARED_WORDS:
        return False
    if shared / len(a | b) >= jaccard:
        return True
    smaller = min(len(a), len(b))
    return smaller >= MIN_CONTAINED_WORDS and shared / smaller >= containment


def _cluster(speaker: str, group: Sequence[ClaimRecord], units: Sequence[tuple[str, frozenset[str]]]) -> StatementCluster:
    """A cluster of ``group`` (claims by ``speaker``) whose linked sentences are ``units``."""

    def published(c: ClaimRecord) -> tuple[int, str, str, str]:
        return (0 if c.date else 1, c.date or "", c.article_id, c.iri)

    ordered = sorted(group, key=published)
    articles = tuple(dict.fromkeys(c.article for c in ordered))
    cited = Counter(s for c in group for s in c.sources)
    if cited:
        origin, kind = min(cited, key=lambda s: (-cited[s], s)), "work"
    else:
        origin, kind = ordered[0].article, "article"

    # The wording most like the others: the distinct word set with the highest summed Jaccard
    # similarity to every other sentence of the component, then its shortest sentence.
    times = Counter(w for _, w in units)

    def likeness(w: frozenset[str]) -> float:
        return times[w] - 1 + sum(n * len(w & v) / len(w | v) for v, n in times.items() if v != w)

    best_words = min(times, key=lambda w: (-round(likeness(w), 9), min(len(t) for t, v in units if v == w), sorted(w)))
    text = min((t for t, v in units if v == best_words), key=lambda t: (len(t), t))
    return StatementCluster(speaker, tuple(c.iri for c in ordered), articles, origin, kind, text)


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘']?[A-Z0-9])")


def _sentences(text: str) -> list[str]:
    """The sentences of a claim's text, stripped of surrounding quotes and spaces.

    >>> _sentences("They are not leaving right now. They are preparing to defend")
    ['They are not leaving right now.', 'They are preparing to defend']
    """
    return [s.strip(" \"“”'‘’") for s in _SENTENCE_END.split(text) if s.strip(" \"“”'‘’")]


def _origin_label(cl: StatementCluster, citations: nx.DiGraph, articles: Mapping[str, ArticleMeta]) -> str:
    if cl.origin in citations and citations.nodes[cl.origin].get("kind") != "article":
        return str(citations.nodes[cl.origin].get("label", cl.origin))
    art = articles.get(cl.origin)
    return art.identifier if art is not None and art.identifier is not None else cl.origin
