"""Claims, speakers, citations and stated roles -> RDF quads (DESIGN.md §3).

Who each speaker is was decided by :mod:`kgraph.resolve.speakers`; this module
only mints IRIs for those decisions and writes them. A group is a node of its
own, never an entity's IRI: ``id/group/<label>`` when it is shared across
articles ("Western officials", "CNN source (unnamed)", "Moscow (government)"),
``id/group/<label>--<article>`` when it is known in one article only ("source
(unnamed)", "his office"). Every group is a ``schema:Organization`` and a
``kg:CollectiveSource``, and says which kind it is: ``kg:AnonymousSource`` (with
``kg:outlet``, the outlet whose source it is), ``kg:Collective``, or
``schema:GovernmentOrganization`` (with ``schema:areaServed``, its place; a
collective whose premodifier names a country, "British officials", has it too). An
organisation the corpus cites as an outlet is also a
``schema:NewsMediaOrganization``. Cited works get IRIs from what identifies them
across articles: an interview is its speaker plus its outlet, so five articles
citing Budanov's interview with Ukrainska Pravda cite one node.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from pyoxigraph import Literal, NamedNode, Quad

from kgraph.extract.attribution import Citation
from kgraph.extract.findings import ArticleFindings
from kgraph.ingest.article import Article
from kgraph.rdf.emit import phrase_quads
from kgraph.rdf.vocab import (
    CITO,
    ENTITY_GRAPH,
    KG,
    LEXICON_NS,
    NIF,
    RDF,
    RDFS,
    SCHEMA,
    SCHEMA_NS,
    XSD,
    article_graph_iri,
    article_iri,
    claim_iri,
    entity_iri,
    group_iri,
    slugify,
    span_iri,
    work_iri,
)
from kgraph.resolve.speakers import COLLECTIVE, GOVERNMENT_KIND, UNNAMED_SOURCE, ArticleSpeakers, SpeakerRef, SpeakerResolution

__all__ = ["SpeakerIris", "attribution_quads", "claim_speakers"]

_TRUE = Literal("true", datatype=XSD.boolean)
_FALSE = Literal("false", datatype=XSD.boolean)
_WORK_CLASS = {"interview": KG.Interview, "statement": KG.Statement, "channel": KG.Channel}
# schema.org terms only speakers use; to move into kgraph.rdf.vocab.SCHEMA with the others.
_NEWS_MEDIA = NamedNode(SCHEMA_NS + "NewsMediaOrganization")
_GOVERNMENT = NamedNode(SCHEMA_NS + "GovernmentOrganization")
_AREA_SERVED = NamedNode(SCHEMA_NS + "areaServed")
_GROUP_CLASS = {UNNAMED_SOURCE: KG.AnonymousSource, COLLECTIVE: KG.Collective, GOVERNMENT_KIND: _GOVERNMENT}
# A collective's country ("British officials") is written as the place it serves, like a government's.
_GROUP_LINK = {UNNAMED_SOURCE: KG.outlet, GOVERNMENT_KIND: _AREA_SERVED, COLLECTIVE: _AREA_SERVED}


class SpeakerIris:
    """Speaker decisions -> IRIs; remembers every group it wrote, to declare them once."""

    def __init__(self, speakers: SpeakerResolution, iris: Sequence[NamedNode]) -> None:
        self.speakers = speakers
        self.iris = iris
        self.groups: dict[str, SpeakerRef] = {}  # group IRI -> the group

    def iri(self, ref: SpeakerRef | None) -> NamedNode | None:
        return None if ref is None else self.node(ref)

    def node(self, ref: SpeakerRef) -> NamedNode:
        if ref.entity is not None:
            return self.iris[ref.entity]
        assert ref.group is not None  # a SpeakerRef holds one of the two
        node = group_iri(ref.group)
        if ref.scope is not None:  # known in one article only
            node = NamedNode(f"{node.value}--{slugify(ref.scope)}")
        self.groups.setdefault(node.value, ref)
        return node

    def group_quads(self) -> Iterator[Quad]:
        """Each group written once: its label, its classes, and the outlet or place it belongs to."""
        g = ENTITY_GRAPH
        for iri, ref in sorted(self.groups.items()):
            node = NamedNode(iri)
            yield Quad(node, RDF.type, SCHEMA.Organization, g)
            yield Quad(node, RDF.type, KG.CollectiveSource, g)
            if ref.kind in _GROUP_CLASS:
                yield Quad(node, RDF.type, _GROUP_CLASS[ref.kind], g)
            yield Quad(node, RDFS.label, Literal(ref.group or ""), g)
            if ref.of is not None and ref.kind in _GROUP_LINK:
                yield Quad(node, _GROUP_LINK[ref.kind], self.iris[ref.of], g)

    def outlet_quads(self) -> Iterator[Quad]:
        """Organisations the corpus cites as outlets are news media."""
        for idx in sorted(self.speakers.outlets):
            yield Quad(self.iris[idx], RDF.type, _NEWS_MEDIA, ENTITY_GRAPH)


def claim_speakers(
    articles: Sequence[Article],
    findings: Mapping[str, ArticleFindings],
    speakers: SpeakerResolution,
    iris: Sequence[NamedNode],
) -> dict[tuple[str, int, int], tuple[str, ...]]:
    """(article id, claim start, claim end) -> the IRIs of its speakers, as the claim's schema:author says."""
    names = SpeakerIris(speakers, iris)
    out: dict[tuple[str, int, int], tuple[str, ...]] = {}
    for a in articles:
        sp = speakers.articles[a.id]
        for c in findings[a.id].claims:
            out[(a.id, c.start, c.end)] = tuple(names.node(r).value for r in sp.claim_authors(c))
    return out


def attribution_quads(
    articles: Sequence[Article],
    findings: Mapping[str, ArticleFindings],
    speakers: SpeakerResolution,
    iris: Sequence[NamedNode],
) -> Iterator[Quad]:
    """Claims, citations and roles of every article, then the group and work nodes they share."""
    works: dict[str, tuple[NamedNode, str, list[Quad]]] = {}
    names = SpeakerIris(speakers, iris)
    for a in articles:
        yield from _article_attribution(a, findings[a.id], speakers.articles[a.id], names, works)
    yield from names.group_quads()
    yield from names.outlet_quads()
    for _, (node, _, quads) in sorted(works.items()):
        yield from quads


def _article_attribution(
    article: Article,
    f: ArticleFindings,
    sp: ArticleSpeakers,
    names: SpeakerIris,
    works: dict[str, tuple[NamedNode, str, list[Quad]]],
) -> Iterator[Quad]:
    g = article_graph_iri(article.id)
    a = article_iri(article.id)
    text = article.text
    cited_by_speaker: dict[str, list[NamedNode]] = {}
    # Claims, cues and citations share phrases and sentences: each NIF node is written once, at the end.
    phrases: set[tuple[int, int]] = set()
    sentences: set[tuple[int, int]] = set()
    for c in f.citations:
        source = _source_node(article, c, sp, names, works)
        if source is None:
            continue
        yield Quad(a, CITO.cites, source, g)
        node = NamedNode(f"{a.value}/citation/{c.start}-{c.end}")
        yield Quad(node, RDF.type, KG.Citation, g)
        yield Quad(node, KG.citedSource, source, g)
        yield Quad(node, KG.citationKind, Literal(c.kind), g)
        yield Quad(node, KG.evidence, span_iri(a, c.start, c.end), g)
        yield Quad(node, SCHEMA.appearance, a, g)
        phrases.add((c.start, c.end))
        yield Quad(node, NIF.sentence, span_iri(a, c.sent_start, c.sent_end), g)
        sentences.add((c.sent_start, c.sent_end))
        speaker = names.iri(sp.citation_speaker(c))
        if speaker is not None and c.kind in _WORK_CLASS:
            cited_by_speaker.setdefault(speaker.value, []).append(source)
    spans = {(c.start, c.end) for c in f.claims}
    for c in f.claims:
        node = claim_iri(article.id, c.start, c.end)
        yield Quad(node, RDF.type, SCHEMA.Claim, g)
        if c.continues is not None and c.continues in spans:  # "“A,” said X. “B.”": B goes on from A
            yield Quad(node, KG.continues, claim_iri(article.id, *c.continues), g)
        if c.direct:
            yield Quad(node, RDF.type, SCHEMA.Quotation, g)
        yield Quad(node, SCHEMA.text, Literal(c.text), g)
        yield Quad(node, SCHEMA.appearance, a, g)
        yield Quad(node, KG.isDirectQuote, _TRUE if c.direct else _FALSE, g)
        yield Quad(node, KG.content, span_iri(a, c.start, c.end), g)
        phrases.add((c.start, c.end))
        yield Quad(node, NIF.sentence, span_iri(a, c.sent_start, c.sent_end), g)
        sentences.add((c.sent_start, c.sent_end))
        if c.cue_start is not None and c.cue_end is not None:
            yield Quad(node, KG.cue, span_iri(a, c.cue_start, c.cue_end), g)
            phrases.add((c.cue_start, c.cue_end))
            if c.cue_lemma:
                yield Quad(node, KG.cueLemma, Literal(c.cue_lemma), g)
            if c.cue_class:
                yield Quad(node, KG.cueClass, NamedNode(LEXICON_NS + c.cue_class), g)
            yield Quad(node, KG.cueNegated, _TRUE if c.cue_negated else _FALSE, g)
        if c.speaker_start is not None and c.speaker_end is not None:
            yield Quad(node, KG.speakerMention, span_iri(a, c.speaker_start, c.speaker_end), g)
            phrases.add((c.speaker_start, c.speaker_end))
        yield Quad(node, KG.speakerKind, Literal(c.speaker_kind), g)
        for author in map(names.node, sp.claim_authors(c)):
            yield Quad(node, SCHEMA.author, author, g)
            for work in cited_by_speaker.get(author.value, [])[:1]:
                yield Quad(node, KG.source, work, g)
    for r in f.roles:
        person = names.iri(sp.person_at(r.person_start, r.person_end))
        if person is None:
            continue
        node = NamedNode(f"{a.value}/role/{r.role_start}-{r.role_end}")
        yield Quad(person, SCHEMA.jobTitle, Literal(r.role_text), g)
        yield Quad(person, KG.role, node, g)
        yield Quad(node, RDF.type, KG.StatedRole, g)
        yield Quad(node, RDFS.label, Literal(r.role_text), g)
        yield Quad(node, KG.roleHead, Literal(r.role_head), g)
        yield Quad(node, KG.evidence, span_iri(a, r.role_start, r.role_end), g)
        phrases.add((r.role_start, r.role_end))
        org = names.iri(sp.speaker_at(r.org_start, r.org_end))
        if org is not None:
            yield Quad(node, KG.roleIn, org, g)
    for start, end in sorted(phrases):
        yield from phrase_quads(a, text, start, end, g, NIF.Phrase)
    for start, end in sorted(sentences):
        yield from phrase_quads(a, text, start, end, g, NIF.Sentence)


def _source_node(
    article: Article,
    c: Citation,
    sp: ArticleSpeakers,
    names: SpeakerIris,
    works: dict[str, tuple[NamedNode, str, list[Quad]]],
) -> NamedNode | None:
    outlet_ref = sp.citation_outlet(c)
    outlet = names.iri(outlet_ref)
    if outlet is None and c.outlet_text:
        outlet = entity_iri("organization", c.outlet_text)
        _declare(works, outlet, c.outlet_text, [SCHEMA.Organization])
    if c.kind == "outlet":
        return outlet
    if c.kind == "social-media":
        node = work_iri("social-media", "social media")
        _declare(works, node, "social media", [SCHEMA.CreativeWork, KG.SocialMediaSource])
        return node
    speaker_ref = sp.citation_speaker(c)
    speaker = names.iri(speaker_ref)
    speaker_slug = speaker.value.rsplit("/", 1)[-1] if speaker is not None else ""
    if c.kind == "interview" and outlet is None and speaker_ref is not None:
        outlet_ref = names.speakers.interview_outlet(speaker_ref)
        outlet = names.iri(outlet_ref)
    outlet_slug = outlet.value.rsplit("/", 1)[-1] if outlet is not None else ""
    if c.kind == "interview":
        if speaker is None:
            return outlet
        node = work_iri("interview", speaker_slug, outlet_slug)
    elif c.kind == "channel":
        node = work_iri("channel", speaker_slug or article.id, outlet_slug)
    else:  # a statement is one occasion: per article, unless nothing else tells them apart
        node = work_iri("statement", speaker_slug or "unknown", article.id, str(c.start))
    who = names.speakers.label(speaker_ref) if speaker_ref is not None else None
    where = names.speakers.label(outlet_ref) if outlet is not None and outlet_ref is not None else None
    label = {"interview": "interview", "channel": f"{where or ''} channel".strip(), "statement": c.label}[c.kind]
    label = f"{label} of {who}" if who else label
    if where and c.kind == "interview":
        label += f" with {where}"
    extra: list[Quad] = []
    if outlet is not None:
        extra.append(Quad(node, SCHEMA.publisher, outlet, ENTITY_GRAPH))
    if speaker is not None:
        extra.append(Quad(node, KG.speaker, speaker, ENTITY_GRAPH))
    _declare(works, node, label, [SCHEMA.CreativeWork, _WORK_CLASS[c.kind]], extra)
    return node


def _declare(works: dict[str, tuple[NamedNode, str, list[Quad]]], node: NamedNode, label: str, classes: list[NamedNode], extra: Sequence[Quad] = ()) -> None:
    if node.value in works:
        works[node.value][2].extend(q for q in extra if q not in works[node.value][2])
        return
    quads = [Quad(node, RDF.type, cls, ENTITY_GRAPH) for cls in classes]
    quads.append(Quad(node, RDFS.label, Literal(label), ENTITY_GRAPH))
    quads.extend(extra)
    works[node.value] = (node, label, quads)
