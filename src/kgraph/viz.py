"""The interactive HTML map of the knowledge graph (pyvis / vis-network).

Everything drawn is read from the store through SPARQL, so the map shows
exactly what a SPARQL user would find. The page is self-contained: the
vis-network script and stylesheet shipped inside pyvis are inlined, and a
Content-Security-Policy forbids every network fetch and every script except
the two inline ones (by hash), so the map works offline and an article's text
can never run as code. Article text reaches the page only as JSON data and is
shown as plain text (tooltips are built with ``textContent``).

Large corpora are capped (the most-mentioned ``max_nodes`` entities, at most
``max_articles`` article nodes) and the page says what was left out.
"""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import pyoxigraph
import pyvis
from markupsafe import Markup
from pyvis.network import Network

from kgraph.rdf.store import select
from kgraph.rdf.vocab import KG_NS, SCHEMA_NS

__all__ = ["ARTICLE_KIND", "NODE_KINDS", "MapStats", "NodeKind", "render_map"]

#: How many article nodes are drawn at most; more would bury the entities.
DEFAULT_MAX_ARTICLES = 60
#: Supporting sentences in an entity's tooltip, and per edge tooltip.
ENTITY_SENTENCES = 3
EDGE_SENTENCES = 3
#: Longer sentences are cut (with an ellipsis) so tooltips stay readable.
MAX_SENTENCE_CHARS = 280
MAX_LABEL_CHARS = 40
#: Bounded layout work: the layout stops after this many iterations at most.
STABILIZATION_ITERATIONS = 400
#: Above this many nodes vis-network's "improved layout" is slow; skip it.
IMPROVED_LAYOUT_MAX_NODES = 100
#: vis-network as shipped by pyvis 0.3.2 (inlined into the page).
_VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"


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
    NodeKind("Event", SCHEMA_NS + "Event", "#CC79A7", "star"),
)
ARTICLE_KIND = NodeKind("Article", SCHEMA_NS + "NewsArticle", "#7F7F7F", "diamond")

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

    @property
    def capped(self) -> bool:
        """True when some entity or article of the store is not drawn."""
        return self.entities_drawn < self.entities_total or self.articles_drawn < self.articles


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
class _Corpus:
    """Everything the map needs, read from the store (before any capping)."""

    entities: tuple[_Entity, ...]  # ranked: most articles, most mentions, label, IRI
    articles: Mapping[str, _Article]
    mentions: frozenset[tuple[str, str]]  # (article IRI, entity IRI)


@dataclass(frozen=True, slots=True)
class _Plan:
    """What is drawn, decided before anything is rendered."""

    entities: tuple[_Entity, ...]
    articles: tuple[_Article, ...]
    edges: tuple[tuple[str, str], ...]  # (article IRI, entity IRI), sorted
    entities_total: int
    articles_total: int
    max_articles: int


def _select(store: pyoxigraph.Store, query: str) -> Iterator[Mapping[str, Any]]:
    """Rows of a SELECT as ``{var: term or None}`` (see :func:`kgraph.rdf.store.select`)."""
    return iter(select(store, query))


def _text(term: Any) -> str | None:
    return None if term is None else str(term.value)


def _int(term: Any) -> int | None:
    try:
        return None if term is None else int(term.value)
    except ValueError:
        return None


def _values(iris: Iterable[str]) -> str:
    """A SPARQL VALUES body; pyoxigraph has validated the IRIs, so ``<…>`` is safe."""
    return " ".join(str(pyoxigraph.NamedNode(iri)) for iri in iris)


def _read_articles(store: pyoxigraph.Store) -> dict[str, _Article]:
    rows = _select(
        store,
        """SELECT ?a ?id ?headline ?date ?publisher ?publisherLabel ?url WHERE {
          ?a a schema:NewsArticle .
          OPTIONAL { ?a schema:identifier ?id }
          OPTIONAL { ?a schema:headline ?headline }
          OPTIONAL { ?a schema:datePublished ?date }
          OPTIONAL { ?a schema:url ?url }
          OPTIONAL { ?a schema:publisher ?publisher
                     OPTIONAL { ?publisher rdfs:label|schema:name ?publisherLabel } }
        }""",
    )
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        fields = found[row["a"].value]
        for name in ("id", "headline", "date", "url", "publisherLabel"):
            if (value := _text(row[name])) is not None:
                fields[name].add(value)
        if isinstance(row["publisher"], pyoxigraph.Literal):
            fields["publisherLabel"].add(row["publisher"].value)
    # Several values of one field are possible in RDF; the smallest is stable.
    return {
        iri: _Article(
            iri=iri,
            identifier=min(f["id"], default=iri.rsplit("/", 1)[-1]),
            headline=min(f["headline"], default=None),
            date=min(f["date"], default=None),
            publisher=min(f["publisherLabel"], default=None),
            url=min(f["url"], default=None),
        )
        for iri, f in found.items()
    }


def _read_mentions(store: pyoxigraph.Store) -> frozenset[tuple[str, str]]:
    rows = _select(store, "SELECT DISTINCT ?a ?e WHERE { ?a schema:mentions ?e }")
    return frozenset((row["a"].value, row["e"].value) for row in rows)


def _counted_mentions(store: pyoxigraph.Store) -> dict[str, int]:
    """Mention nodes per entity, for stores without ``kg:mentionCount``."""
    rows = _select(
        store, "SELECT ?e (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m itsrdf:taIdentRef ?e } GROUP BY ?e"
    )
    return {row["e"].value: _int(row["n"]) or 0 for row in rows}


def _read_entities(
    store: pyoxigraph.Store, mentions: frozenset[tuple[str, str]]
) -> tuple[_Entity, ...]:
    """Every typed entity, ranked as the cap keeps them (deterministically)."""
    kinds = {kind.iri: kind for kind in NODE_KINDS}
    rows = _select(
        store,
        f"""SELECT ?e ?type ?label ?articles ?mentions WHERE {{
          ?e a ?type .
          VALUES ?type {{ {_values(kinds)} }}
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
    rows = _select(
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
    rows = _select(
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
    rows = _select(
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


def _read_corpus(store: pyoxigraph.Store) -> _Corpus:
    mentions = _read_mentions(store)
    entities = _read_entities(store, mentions)
    articles = _read_articles(store)
    known = {e.iri for e in entities}
    return _Corpus(
        entities=entities,
        articles=articles,
        mentions=frozenset((a, e) for a, e in mentions if a in articles and e in known),
    )


# --------------------------------------------------------------------------
# What is drawn


def _entity_rank(entity: _Entity) -> tuple[int, int, str, str]:
    return (-entity.article_count, -entity.mention_count, entity.label.casefold(), entity.iri)


def _plan(corpus: _Corpus, max_nodes: int, max_articles: int) -> _Plan:
    """Keep the most-mentioned entities, then the articles that mention most of them."""
    entities = corpus.entities[:max_nodes]
    drawn = {e.iri for e in entities}
    shown_per_article: dict[str, int] = defaultdict(int)
    for article, entity in corpus.mentions:
        if entity in drawn:
            shown_per_article[article] += 1
    # An article that mentions none of the drawn entities would float alone.
    ranked = sorted(
        shown_per_article,
        key=lambda a: (-shown_per_article[a], corpus.articles[a].identifier, a),
    )
    articles = tuple(
        sorted((corpus.articles[a] for a in ranked[:max_articles]), key=lambda a: (a.identifier, a.iri))
    )
    kept = {a.iri for a in articles}
    rank = {e.iri: i for i, e in enumerate(entities)}
    edges = tuple(
        sorted(
            ((a, e) for a, e in corpus.mentions if a in kept and e in drawn),
            key=lambda edge: (corpus.articles[edge[0]].identifier, edge[0], rank[edge[1]]),
        )
    )
    return _Plan(
        entities=entities,
        articles=articles,
        edges=edges,
        entities_total=len(corpus.entities),
        articles_total=len(corpus.articles),
        max_articles=max_articles,
    )


def _cap_notes(plan: _Plan) -> list[str]:
    """Sentences for the banner that says what is not drawn (empty if nothing)."""
    notes = []
    if len(plan.entities) < plan.entities_total:
        notes.append(
            f"Showing {len(plan.entities):,} of {plan.entities_total:,} entities "
            "(most-mentioned first)."
        )
    hidden = plan.articles_total - len(plan.articles)
    if hidden:
        why = (
            f"at most {plan.max_articles:,} article nodes are drawn, those mentioning the most shown entities"
            if len(plan.articles) == plan.max_articles
            else "they mention none of the shown entities"
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


def _spread(sentences_by_article: Mapping[str, list[_Sentence]], limit: int) -> list[_Sentence]:
    """Up to ``limit`` sentences, one article at a time, so sources vary."""
    queues = [list(sentences_by_article[a]) for a in sorted(sentences_by_article)]
    picked: list[_Sentence] = []
    while len(picked) < limit and any(queues):
        for queue in queues:
            if queue and len(picked) < limit:
                picked.append(queue.pop(0))
    return picked


def _entity_title(
    entity: _Entity,
    alt_labels: list[str],
    sentences_by_article: Mapping[str, list[_Sentence]],
    identifiers: Mapping[str, str],
) -> str:
    lines = [
        entity.label,
        f"{_kind_text(entity)} · {_plural(entity.mention_count, 'mention')} "
        f"in {_plural(entity.article_count, 'article')}",
    ]
    if alt_labels:
        lines.append("Also: " + "; ".join(alt_labels))
    picked = _spread(sentences_by_article, ENTITY_SENTENCES)
    if picked:
        lines.append("")
        lines.extend(
            f"[{identifiers.get(s.article, s.article)}] {_clip(s.text, MAX_SENTENCE_CHARS)}" for s in picked
        )
    return "\n".join(lines)


def _article_title(article: _Article, mentioned: int, shown: int) -> str:
    lines = [article.headline or article.identifier, f"Article · {article.identifier}"]
    published = " · ".join(x for x in (article.date, article.publisher) if x)
    if published:
        lines.append(published)
    if article.url:
        lines.append(article.url)
    lines.append(f"Mentions {_plural(mentioned, 'entity', 'entities')} ({shown:,} shown)")
    return "\n".join(lines)


def _edge_title(article: _Article, entity: _Entity, sentences: list[_Sentence]) -> str:
    lines = [f"{article.identifier} mentions {entity.label}"]
    lines.extend(_clip(s.text, MAX_SENTENCE_CHARS) for s in sentences[:EDGE_SENTENCES])
    if len(sentences) > EDGE_SENTENCES:
        lines.append(f"… and {len(sentences) - EDGE_SENTENCES:,} more")
    return "\n".join(lines)


def _local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri


# --------------------------------------------------------------------------
# The network and the page


def _build_network(
    plan: _Plan,
    corpus: _Corpus,
    alt_labels: Mapping[str, list[str]],
    sentences: Mapping[tuple[str, str], list[_Sentence]],
) -> Network:
    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    identifiers = {iri: a.identifier for iri, a in corpus.articles.items()}
    mentioned: dict[str, int] = defaultdict(int)
    for article, _entity in corpus.mentions:
        mentioned[article] += 1
    shown: dict[str, int] = defaultdict(int)
    for article, _entity in plan.edges:
        shown[article] += 1
    by_entity: dict[str, dict[str, list[_Sentence]]] = defaultdict(dict)
    for (article, entity), found in sentences.items():
        by_entity[entity][article] = found
    for article in plan.articles:
        net.add_node(
            article.iri,
            label=_clip(article.headline or article.identifier, MAX_LABEL_CHARS),
            shape=ARTICLE_KIND.shape,
            color=ARTICLE_KIND.colour,
            size=12,
            title=_article_title(article, mentioned[article.iri], shown[article.iri]),
            kind=ARTICLE_KIND.name,
        )
    for entity in plan.entities:
        net.add_node(
            entity.iri,
            label=_clip(entity.label, MAX_LABEL_CHARS),
            shape=entity.kind.shape,
            color=entity.kind.colour,
            value=max(entity.article_count, 1),
            title=_entity_title(entity, alt_labels.get(entity.iri, []), by_entity[entity.iri], identifiers),
            kind=entity.kind.name,
        )
    entities = {e.iri: e for e in plan.entities}
    for number, (article, entity) in enumerate(plan.edges):
        net.add_edge(
            article,
            entity,
            id=f"m{number}",
            title=_edge_title(corpus.articles[article], entities[entity], sentences.get((article, entity), [])),
            kind="mentions",
        )
    net.options = _vis_options(len(net.nodes))
    return net


def _vis_options(node_count: int) -> dict[str, Any]:
    """Layout that settles: barnesHut with bounded stabilisation (physics stops after it)."""
    large = node_count > IMPROVED_LAYOUT_MAX_NODES
    return {
        "nodes": {
            "font": {"size": 14, "face": "sans-serif"},
            "borderWidth": 1,
            "scaling": {"min": 8, "max": 40, "label": {"enabled": True, "min": 12, "max": 22}},
        },
        "edges": {
            "color": {"color": "#c4c4c4", "highlight": "#444444", "hover": "#444444"},
            "smooth": False,  # dynamic curves add physics nodes: slow on big graphs
            "width": 1,
            "hoverWidth": 2,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
        },
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -6000,
                "centralGravity": 0.3,
                "springLength": 140,
                "springConstant": 0.03,
                "damping": 0.4,
                "avoidOverlap": 0.2,
            },
            "minVelocity": 1,
            "stabilization": {
                "enabled": True,
                "iterations": STABILIZATION_ITERATIONS,
                "updateInterval": 25,
                "fit": True,
            },
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": large},
        "layout": {"randomSeed": 7, "improvedLayout": not large},
    }


def _asset(name: str, closing_tag: str) -> str:
    """A vis-network file to inline; it must not close its own element early."""
    text = (_VIS_DIR / name).read_text(encoding="utf-8")
    if closing_tag in text.lower():
        raise RuntimeError(f"{_VIS_DIR / name} contains {closing_tag}; it cannot be inlined")
    return text


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _environment() -> jinja2.Environment:
    """Autoescaping on: anything not passed through ``tojson`` or ``safe`` is escaped."""
    return jinja2.Environment(
        loader=jinja2.DictLoader({"page.html": _PAGE_TEMPLATE, "app.js": _APP_TEMPLATE}),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _render_html(net: Network, plan: _Plan) -> str:
    env = _environment()
    nodes, edges, _heading, _height, _width, _options = net.get_network_data()
    app_js = env.get_template("app.js").render(nodes=nodes, edges=edges, options=net.options)
    vis_js = _asset("vis-network.min.js", "</script")
    entity_count, article_count = len(plan.entities), len(plan.articles)
    summary = (
        f"{_plural(entity_count, 'entity', 'entities')} and "
        f"{_plural(article_count, 'article')} drawn, with {_plural(len(plan.edges), 'mention edge')}."
    )
    return env.get_template("page.html").render(
        csp_scripts=f"{_csp_hash(vis_js)} {_csp_hash(app_js)}",
        # Trusted text (our own assets and SVG) goes in unescaped.
        vis_css=Markup(_asset("vis-network.css", "</style")),
        vis_js=Markup(vis_js),
        app_js=Markup(app_js),
        summary=summary,
        cap_notes=_cap_notes(plan),
        legend=[(kind, Markup(_LEGEND_SYMBOLS[kind.shape])) for kind in (*NODE_KINDS, ARTICLE_KIND)],
    )


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


def render_map(
    store: pyoxigraph.Store,
    path: Path,
    *,
    max_nodes: int = 250,
    max_articles: int = DEFAULT_MAX_ARTICLES,
) -> MapStats:
    """Write the interactive map of ``store`` to ``path`` (self-contained HTML).

    Entities are ranked by how many articles mention them (then mentions,
    then label) and the first ``max_nodes`` are drawn; article nodes are the
    (at most ``max_articles``) articles that mention the most drawn entities.
    The page says what was left out.
    """
    if max_nodes < 1 or max_articles < 0:
        raise ValueError(f"max_nodes must be >= 1 and max_articles >= 0, got {max_nodes}, {max_articles}")
    corpus = _read_corpus(store)
    plan = _plan(corpus, max_nodes, max_articles)
    drawn = [e.iri for e in plan.entities]
    net = _build_network(plan, corpus, _read_alt_labels(store, drawn), _read_sentences(store, drawn))
    _write_atomically(Path(path), _render_html(net, plan))
    return MapStats(
        nodes_drawn=len(net.nodes),
        edges_drawn=len(net.edges),
        entities_total=plan.entities_total,
        entities_drawn=len(plan.entities),
        articles=plan.articles_total,
        articles_drawn=len(plan.articles),
    )


_APP_TEMPLATE = """
// Globals named as in pyvis's own template, so tools and tests find them.
var nodes, edges, data, options, network;
(function () {
  "use strict";
  // Tooltips are plain text: an element whose textContent is the text, so
  // nothing from an article is ever parsed as HTML.
  function asText(item) {
    if (typeof item.title === "string") {
      var tip = document.createElement("div");
      tip.className = "kg-tip";
      tip.textContent = item.title;
      item.title = tip;
    }
    return item;
  }
  var progress = document.getElementById("kg-progress");
  function ready() {
    network.setOptions({physics: {enabled: false}});
    progress.hidden = true;
    window.kgMapReady = true;
  }
  nodes = new vis.DataSet({{ nodes|tojson }}.map(asText));
  edges = new vis.DataSet({{ edges|tojson }}.map(asText));
  data = {nodes: nodes, edges: edges};
  options = {{ options|tojson }};
  network = new vis.Network(document.getElementById("mynetwork"), data, options);
  network.on("stabilizationProgress", function (p) {
    progress.textContent = "Laying out the map\\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", ready);
  if (nodes.length === 0) {
    ready();
  }
})();
"""

_PAGE_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src {{ csp_scripts }}; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kgraph map</title>
<style>{{ vis_css }}</style>
<style>
  html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; color: #222; }
  body { display: flex; flex-direction: column; }
  header { padding: 0.5rem 1rem; border-bottom: 1px solid #ddd; }
  header h1 { font-size: 1.2rem; margin: 0 0 0.25rem; }
  header p { margin: 0.2rem 0; }
  #kg-cap-banner { background: #fff4ce; border: 1px solid #e0c060; padding: 0.35rem 0.6rem; border-radius: 4px; }
  #kg-main { position: relative; flex: 1; min-height: 400px; }
  #mynetwork { position: absolute; inset: 0; }
  #kg-legend { position: absolute; top: 0.5rem; right: 0.5rem; background: rgba(255,255,255,0.92);
               border: 1px solid #ccc; border-radius: 4px; padding: 0.4rem 0.7rem; font-size: 0.85rem; }
  #kg-legend h2 { font-size: 0.9rem; margin: 0 0 0.3rem; }
  #kg-legend ul { list-style: none; margin: 0; padding: 0; }
  #kg-legend li { display: flex; align-items: center; gap: 0.4rem; margin: 0.15rem 0; }
  #kg-legend p { margin: 0.4rem 0 0; max-width: 14rem; color: #555; }
  #kg-progress { position: absolute; left: 0.5rem; bottom: 0.5rem; font-size: 0.85rem; color: #555; }
  .vis-tooltip { white-space: normal; max-width: 36rem; }
  .kg-tip { white-space: pre-wrap; overflow-wrap: anywhere; }
</style>
<script>{{ vis_js }}</script>
</head>
<body>
<header>
  <h1>kgraph map</h1>
  <p id="kg-summary">{{ summary }} Hover a node or an edge for its sentences.</p>
  {% if cap_notes %}<p id="kg-cap-banner" role="status">{{ cap_notes|join(" ") }}</p>{% endif %}
</header>
<div id="kg-main">
  <div id="mynetwork"></div>
  <aside id="kg-legend" aria-label="Legend">
    <h2>Legend</h2>
    <ul>
    {% for kind, symbol in legend %}
      <li data-kind="{{ kind.name }}"><svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" fill="{{ kind.colour }}">{{ symbol }}</svg>{{ kind.name }}</li>
    {% endfor %}
    </ul>
    <p>Size: number of articles mentioning the entity. Edges: an article mentions an entity.</p>
  </aside>
  <div id="kg-progress" role="status">Laying out the map…</div>
</div>
<script>{{ app_js }}</script>
</body>
</html>
"""
