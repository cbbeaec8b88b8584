"""Findings -> RDF quads (DESIGN.md §3). Pure: values in, quads out.

Emission writes pyoxigraph ``Quad`` objects directly; rdflib's in-memory graph
is kept off this path because it is an order of magnitude slower at the sizes
a corpus reaches (DESIGN.md §4).
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote
from collections.abc import Iterator, Mapping, Sequence

from pyoxigraph import Literal, NamedNode, Quad

from kgraph.ingest.article import Article
from kgraph.extract.entities import EntityMention
from kgraph.rdf.vocab import (
    ANALYSIS_GRAPH,
    ENTITY_GRAPH,
    ID_NS,
    ITSRDF,
    KG,
    NIF,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    XSD,
    article_graph_iri,
    article_iri,
    entity_iri,
    integer,
    merge_rule_iri,
    span_iri,
)
from kgraph.resolve.entities import MergeRefusal, ResolvedEntity
from kgraph.resolve.stories import StoryResolution

__all__ = [
    "analysis_quads", "article_quads", "entity_iris", "entity_quads", "merge_quads", "outlet_iri", "phrase_quads", "refusal_quads",
    "same_as_quads", "story_iri", "story_quads",
]

_CLASS_OF_KIND: dict[str, NamedNode] = {
    "person": SCHEMA.Person,
    "organization": SCHEMA.Organization,
    "place": SCHEMA.Place,
    "event": SCHEMA.Event,
}
_PLACE_SUBCLASS: dict[str, NamedNode] = {"GPE": KG.GeopoliticalEntity, "LOC": KG.Location, "FAC": KG.Facility}
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")



def entity_iris(entities: Sequence[ResolvedEntity]) -> list[NamedNode]:
    """One IRI per entity: kind + slug of its label, disambiguated deterministically.

    Two distinct entities can only share kind and slug when their labels fold
    to the same slug (rare); the later one in sorted order gets a suffix from
    the hash of its sorted alternative labels, so the IRI stays stable per run.
    """
    iris: list[NamedNode] = []
    seen: set[str] = set()
    for e in entities:
        iri = entity_iri(e.kind, e.label)
        if iri.value in seen:
            digest = hashlib.sha1("|".join((e.label, *e.alt_labels)).encode()).hexdigest()[:8]
            iri = NamedNode(f"{iri.value}-{digest}")
        seen.add(iri.value)
        iris.append(iri)
    return iris


def outlet_iri(outlet: str) -> NamedNode:
    return entity_iri("organization", outlet)


def article_quads(
    article: Article,
    mentions: Sequence[EntityMention],
    mention_entities: Sequence[NamedNode],
) -> Iterator[Quad]:
    """The article's own named graph: metadata, text, mentions, their sentences."""
    g = article_graph_iri(article.id)
    a = article_iri(article.id)
    yield Quad(a, RDF.type, SCHEMA.NewsArticle, g)
    yield Quad(a, RDF.type, NIF.Context, g)
    yield Quad(a, SCHEMA.identifier, Literal(article.id), g)
    yield Quad(a, NIF.isString, Literal(article.text), g)
    yield Quad(a, NIF.beginIndex, integer(0), g)
    yield Quad(a, NIF.endIndex, integer(len(article.text)), g)
    yield Quad(a, KG.contentHash, Literal(article.content_hash), g)
    yield Quad(a, KG.sourceFile, Literal(article.source), g)
    if article.title:
        yield Quad(a, SCHEMA.headline, Literal(article.title), g)
    if article.url:
        yield Quad(a, SCHEMA.url, Literal(article.url, datatype=XSD.anyURI), g)
    if article.date and _ISO_DATE_RE.match(article.date):
        yield Quad(a, SCHEMA.datePublished, Literal(article.date, datatype=XSD.date), g)
    if article.outlet:
        yield Quad(a, SCHEMA.publisher, outlet_iri(article.outlet), g)

    sentences: set[tuple[int, int]] = set()
    for entity in sorted(set(mention_entities), key=lambda n: n.value):
        yield Quad(a, SCHEMA.mentions, entity, g)
    for m, entity in zip(mentions, mention_entities, strict=True):
        node = span_iri(a, m.start, m.end)
        sent = span_iri(a, m.sent_start, m.sent_end)
        sentences.add((m.sent_start, m.sent_end))
        yield from phrase_quads(a, article.text, m.start, m.end, g, NIF.Phrase, KG.EntityMention)
        yield Quad(node, NIF.sentence, sent, g)
        yield Quad(node, ITSRDF.taIdentRef, entity, g)
        yield Quad(node, KG.nerLabel, Literal(m.label), g)
    for start, end in sorted(sentences):
        yield from phrase_quads(a, article.text, start, end, g, NIF.Sentence)


def phrase_quads(
    article: NamedNode, text: str, start: int, end: int, g: NamedNode, *classes: NamedNode
) -> Iterator[Quad]:
    """A NIF node ``<article>#char=start,end`` locating ``text[start:end]`` (mentions, sentences, claim parts)."""
    node = span_iri(article, start, end)
    for cls in classes:
        yield Quad(node, RDF.type, cls, g)
    yield Quad(node, NIF.beginIndex, integer(start), g)
    yield Quad(node, NIF.endIndex, integer(end), g)
    yield Quad(node, NIF.anchorOf, Literal(text[start:end]), g)
    yield Quad(node, NIF.referenceContext, article, g)


def entity_quads(entities: Sequence[ResolvedEntity], iris: Sequence[NamedNode], outlets: Sequence[str] = ()) -> Iterator[Quad]:
    """The entity graph: canonical entities, their names, and why forms were merged."""
    g = ENTITY_GRAPH
    for e, iri in zip(entities, iris, strict=True):
        yield Quad(iri, RDF.type, _CLASS_OF_KIND[e.kind], g)
        if e.place_label:
            yield Quad(iri, RDF.type, _PLACE_SUBCLASS[e.place_label], g)
        yield Quad(iri, RDFS.label, Literal(e.label), g)
        for alt in e.alt_labels:
            yield Quad(iri, SKOS.altLabel, Literal(alt), g)
        for m in e.merges:
            key = hashlib.sha1(f"{m.form}\x1f{m.rule}".encode()).hexdigest()[:12]
            yield from merge_quads(iri, NamedNode(f"{iri.value}/merge/{key}"), m.form, m.rule, m.detail, m.articles, g)
    known = {iri.value for iri in iris}
    for outlet in sorted(set(outlets)):
        iri = outlet_iri(outlet)
        if iri.value not in known:
            yield Quad(iri, RDF.type, SCHEMA.Organization, g)
            yield Quad(iri, RDFS.label, Literal(outlet), g)


def merge_quads(
    owner: NamedNode, node: NamedNode, form: str, rule: str, detail: str, articles: Sequence[str], g: NamedNode
) -> Iterator[Quad]:
    """One merge record (entities and events alike): the form folded in, the rule, why, and from which articles."""
    yield Quad(owner, KG.merge, node, g)
    yield Quad(node, RDF.type, KG.Merge, g)
    yield Quad(node, KG.mergedForm, Literal(form), g)
    yield Quad(node, KG.mergeRule, merge_rule_iri(rule), g)
    yield Quad(node, RDFS.comment, Literal(detail), g)
    for article_id in articles:
        yield Quad(node, PROV.wasDerivedFrom, article_iri(article_id), g)


def story_quads(stories: StoryResolution, iris: Sequence[NamedNode]) -> Iterator[Quad]:
    """Each story in the analysis graph: a kg:Story and schema:Collection with its articles, main entities and period."""
    g = ANALYSIS_GRAPH
    for story in stories.stories:
        node = story_iri(story.key)
        yield Quad(node, RDF.type, KG.Story, g)
        yield Quad(node, RDF.type, SCHEMA.Collection, g)
        yield Quad(node, RDFS.label, Literal(story.label), g)
        yield Quad(node, KG.articleCount, integer(len(story.article_ids)), g)
        for aid in story.article_ids:
            yield Quad(node, SCHEMA.hasPart, article_iri(aid), g)
            yield Quad(article_iri(aid), KG.story, node, g)
        for e in story.entities:
            yield Quad(node, SCHEMA.about, iris[e], g)
        if story.start and story.end:
            period = story.start if story.start == story.end else f"{story.start}/{story.end}"
            yield Quad(node, SCHEMA.temporalCoverage, Literal(period), g)


def story_iri(key: str) -> NamedNode:
    """A story is named after one of its articles; an incremental build keeps the name (:func:`~kgraph.resolve.stories.cluster_stories`)."""
    return NamedNode(f"{ID_NS}story/{quote(key, safe='-_.~')}")


def refusal_quads(refusals: Mapping[int, Sequence[MergeRefusal]], iris: Sequence[NamedNode]) -> Iterator[Quad]:
    """Merges the resolver refused, on the entity that kept the form: what, which candidates, why."""
    g = ENTITY_GRAPH
    for owner, records in sorted(refusals.items()):
        for r in records:
            key = hashlib.sha1("\x1f".join([r.form, *(iris[c].value for c in r.candidates)]).encode()).hexdigest()[:12]
            node = NamedNode(f"{iris[owner].value}/refusal/{key}")
            yield Quad(iris[owner], KG.mergeRefused, node, g)
            yield Quad(node, RDF.type, KG.MergeRefusal, g)
            yield Quad(node, KG.refusedForm, Literal(r.form), g)
            yield Quad(node, RDFS.comment, Literal(r.reason), g)
            for c in r.candidates:
                yield Quad(node, KG.refusedCandidate, iris[c], g)


def same_as_quads(links: Mapping[str, str]) -> Iterator[Quad]:
    """``<old> owl:sameAs <current>`` in the entity graph, for entity IRIs of earlier builds."""
    for old, current in sorted(links.items()):
        yield Quad(NamedNode(old), OWL.sameAs, NamedNode(current), ENTITY_GRAPH)


def analysis_quads(entities: Sequence[ResolvedEntity], iris: Sequence[NamedNode]) -> Iterator[Quad]:
    """Counts derived from the whole corpus (recomputed on every build)."""
    g = ANALYSIS_GRAPH
    for e, iri in zip(entities, iris, strict=True):
        yield Quad(iri, KG.mentionCount, integer(e.mention_count), g)
        yield Quad(iri, KG.articleCount, integer(len(e.article_ids)), g)


