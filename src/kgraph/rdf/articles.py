"""Article metadata read back from the store: the one reader the build, the analyses, the report and the map share."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pyoxigraph import Literal, Store

from kgraph.rdf.store import Term, select
from kgraph.rdf.vocab import KG_NS, RDFS_NS, SCHEMA_NS

__all__ = ["ArticleMeta", "read_articles"]

# article property -> ArticleMeta field
_FIELDS = {
    SCHEMA_NS + "identifier": "identifier",
    SCHEMA_NS + "headline": "headline",
    SCHEMA_NS + "datePublished": "date",
    SCHEMA_NS + "url": "url",
    KG_NS + "sourceFile": "source",
    KG_NS + "contentHash": "content_hash",
}
_PUBLISHER = SCHEMA_NS + "publisher"
_LABEL = RDFS_NS + "label"


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """One ``schema:NewsArticle``: None where the store says nothing.

    Where RDF gives a field several values, the smallest is kept (a stable choice).
    """

    iri: str
    identifier: str | None = None  # schema:identifier
    headline: str | None = None
    date: str | None = None  # schema:datePublished, as written
    url: str | None = None
    publisher: str | None = None  # the schema:publisher's IRI (a literal publisher: its text)
    outlet: str | None = None  # that publisher's rdfs:label: the outlet's name in a kgraph build
    # a name for the publisher in any dataset: an rdfs:label or schema:name of a publisher, or a literal publisher itself
    publisher_name: str | None = None
    source: str | None = None  # kg:sourceFile
    content_hash: str | None = None  # kg:contentHash


def read_articles(store: Store) -> dict[str, ArticleMeta]:
    """Article IRI -> its metadata, for every ``schema:NewsArticle`` in ``store`` (all graphs)."""
    props = " ".join(f"<{p}>" for p in (*_FIELDS, _PUBLISHER))
    values: dict[str, dict[str, set[str]]] = {}
    publishers: dict[str, set[Term]] = defaultdict(set)
    for row in select(store, f"SELECT ?a ?p ?o WHERE {{ ?a a schema:NewsArticle OPTIONAL {{ VALUES ?p {{ {props} }} ?a ?p ?o }} }}"):
        fields = values.setdefault(row["a"].value, defaultdict(set))  # type: ignore[union-attr]
        p, o = row["p"], row["o"]
        if p is None or o is None:
            continue
        if p.value == _PUBLISHER:
            publishers[row["a"].value].add(o)  # type: ignore[union-attr]
        else:
            fields[_FIELDS[p.value]].add(o.value)
    names: dict[Term, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in select(
        store,
        """SELECT DISTINCT ?publisher ?p ?name WHERE {
             ?a a schema:NewsArticle ; schema:publisher ?publisher .
             VALUES ?p { rdfs:label schema:name } ?publisher ?p ?name }""",
    ):
        names[row["publisher"]][row["p"].value].add(row["name"].value)  # type: ignore[index,union-attr]
    out: dict[str, ArticleMeta] = {}
    for iri, fields in values.items():
        pubs = publishers.get(iri, set())
        chosen = min(pubs, key=lambda t: t.value, default=None)
        named = {t.value for t in pubs if isinstance(t, Literal)}
        named |= {n for t in pubs if t in names for ns in names[t].values() for n in ns}
        out[iri] = ArticleMeta(
            iri=iri,
            **{name: min(fields[name], default=None) for name in _FIELDS.values()},
            publisher=chosen.value if chosen is not None else None,
            outlet=min(names[chosen][_LABEL], default=None) if chosen in names else None,
            publisher_name=min(named, default=None),
        )
    return out
