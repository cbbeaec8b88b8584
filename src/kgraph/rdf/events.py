"""Events -> RDF quads: canonical events in the entity graph, their mentions in each article's graph.

An event is ``a schema:Event, kg:Event`` (``kg:Event`` is a ``sem:Event``), typed
by ``sem:eventType`` with its class in the event lexicon, with ``sem:hasActor``
(and the finer ``kg:agent``/``kg:patient``), ``sem:hasPlace`` plus
``schema:location``, and ``sem:hasTime`` to a ``sem:Time`` node whose
``sem:hasTimeStamp`` (and the event's ``schema:startDate``) is typed by its
precision: ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``. An ISO week has no
XSD type, so it stays in ``kg:timeValue`` only. Only the event's own time is
written: the article's ``schema:datePublished`` is when it was reported.

Each mention is a NIF phrase on its trigger with its modality ("planned",
"denied", …) and NIF phrases for the participant, place and time it names, so
every edge can be traced to its words. A claim whose content contains an event
trigger is ``schema:about`` that event.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from pyoxigraph import Literal, NamedNode, Quad

from kgraph.ingest.article import Article
from kgraph.extract.findings import ArticleFindings
from kgraph.rdf.emit import merge_quads, phrase_quads
from kgraph.rdf.vocab import (
    ANALYSIS_GRAPH,
    ENTITY_GRAPH,
    ITSRDF,
    KG,
    LEXICON_NS,
    NIF,
    RDF,
    RDFS,
    SCHEMA,
    SEM,
    SKOS,
    XSD,
    article_graph_iri,
    article_iri,
    claim_iri,
    event_iri,
    integer,
    slugify,
    span_iri,
)
from kgraph.resolve.events import EventResolution, ResolvedEvent

__all__ = ["event_iris", "event_quads"]

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")



def _timestamp(value: str) -> Literal | None:
    if _DAY.match(value):
        return Literal(value, datatype=XSD.date)
    if _MONTH.match(value):
        return Literal(value, datatype=XSD.gYearMonth)
    if _YEAR.match(value):
        return Literal(value, datatype=XSD.gYear)
    return None


def event_iris(events: Sequence[ResolvedEvent]) -> list[NamedNode]:
    """Readable IRIs from class and label; a clash gets the event's stable key as suffix."""
    out: list[NamedNode] = []
    seen: set[str] = set()
    for e in events:
        label = re.split(r"[:→]", e.label, maxsplit=1)[1] if re.search(r"[:→]", e.label) else ""
        slug = slugify(label) if label.strip() else e.key
        iri = event_iri(e.event_class, slug)
        if iri.value in seen:
            iri = event_iri(e.event_class, f"{slug}-{e.key}")
        seen.add(iri.value)
        out.append(iri)
    return out


def event_quads(
    articles: Sequence[Article],
    findings: Mapping[str, ArticleFindings],
    resolution: EventResolution,
    entity_iris: Sequence[NamedNode],
) -> Iterator[Quad]:
    iris = event_iris(resolution.events)
    for a in articles:
        yield from _article_events(a, findings[a.id], resolution, iris)
    g = ENTITY_GRAPH
    for e, iri in zip(resolution.events, iris, strict=True):
        yield Quad(iri, RDF.type, SCHEMA.Event, g)
        yield Quad(iri, RDF.type, KG.Event, g)
        yield Quad(iri, RDFS.label, Literal(e.label), g)
        for alt in e.alt_labels:
            yield Quad(iri, SKOS.altLabel, Literal(alt), g)
        yield Quad(iri, SEM.eventType, NamedNode(LEXICON_NS + e.event_class), g)
        for idx in e.agents:
            yield Quad(iri, KG.agent, entity_iris[idx], g)
            yield Quad(iri, SEM.hasActor, entity_iris[idx], g)
        for idx in e.patients:
            yield Quad(iri, KG.patient, entity_iris[idx], g)
            yield Quad(iri, SEM.hasActor, entity_iris[idx], g)
        for idx in e.places:
            yield Quad(iri, SEM.hasPlace, entity_iris[idx], g)
            yield Quad(iri, SCHEMA.location, entity_iris[idx], g)
        for m in sorted(set(e.modalities)):
            yield Quad(iri, KG.modality, Literal(m), g)
        if e.time_value or e.time_text:
            t = NamedNode(iri.value + "/time")
            yield Quad(iri, SEM.hasTime, t, g)
            yield Quad(t, RDF.type, SEM.Time, g)
            if e.time_text:
                yield Quad(t, RDFS.label, Literal(e.time_text), g)
            if e.time_value:
                yield Quad(t, KG.timeValue, Literal(e.time_value), g)
                stamp = _timestamp(e.time_value)
                if stamp is not None:
                    yield Quad(t, SEM.hasTimeStamp, stamp, g)
                    yield Quad(iri, SCHEMA.startDate, stamp, g)
        for k, m in enumerate(e.merges):
            yield from merge_quads(iri, NamedNode(f"{iri.value}/merge/{k}"), m.form, m.rule, m.detail, m.articles, g)
        yield Quad(iri, KG.mentionCount, integer(e.mention_count), ANALYSIS_GRAPH)
        yield Quad(iri, KG.articleCount, integer(len(e.article_ids)), ANALYSIS_GRAPH)


def _article_events(a: Article, f: ArticleFindings, resolution: EventResolution, iris: Sequence[NamedNode]) -> Iterator[Quad]:
    g = article_graph_iri(a.id)
    art = article_iri(a.id)
    mentioned: set[str] = set()
    phrases: set[tuple[int, int]] = set()  # the store keeps one copy of a phrase other findings also locate
    sentences: set[tuple[int, int]] = set()
    for ev in f.events:
        idx = resolution.event_of_mention.get((a.id, ev.start, ev.end))
        if idx is None:
            continue
        event = iris[idx]
        if event.value not in mentioned:
            mentioned.add(event.value)
            yield Quad(art, SCHEMA.mentions, event, g)
        node = span_iri(art, ev.start, ev.end)
        yield Quad(node, RDF.type, KG.EventMention, g)
        phrases.add((ev.start, ev.end))
        yield Quad(node, ITSRDF.taIdentRef, event, g)
        yield Quad(node, KG.modality, Literal(ev.modality), g)
        yield Quad(node, KG.trigger, Literal(ev.lemma), g)
        yield Quad(node, NIF.sentence, span_iri(art, ev.sent_start, ev.sent_end), g)
        sentences.add((ev.sent_start, ev.sent_end))
        value = resolution.time_of_mention.get((a.id, ev.start, ev.end))
        if value:
            yield Quad(node, KG.timeValue, Literal(value), g)
        for prop, arg in ((KG.agentMention, ev.agent), (KG.patientMention, ev.patient), (KG.placeMention, ev.place), (KG.timeMention, ev.time)):
            if arg is not None:
                phrases.add((arg.start, arg.end))
                yield Quad(node, prop, span_iri(art, arg.start, arg.end), g)
    for start, end in sorted(phrases):
        yield from phrase_quads(art, a.text, start, end, g, NIF.Phrase)
    for start, end in sorted(sentences):
        yield from phrase_quads(art, a.text, start, end, g, NIF.Sentence)
    for c in f.claims:
        about = {resolution.event_of_mention.get((a.id, ev.start, ev.end)) for ev in f.events if c.start <= ev.start and ev.end <= c.end}
        for idx in sorted(i for i in about if i is not None):
            yield Quad(claim_iri(a.id, c.start, c.end), SCHEMA.about, iris[idx], g)
