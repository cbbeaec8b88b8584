"""Claims, speakers, citations and stated roles -> RDF quads (DESIGN.md §3).

Speakers become IRIs here, after corpus-wide resolution: a referent's offsets
find the (propagated) mention there and so its canonical entity; a collective
source becomes a group node keyed by its label, shared across articles and
never an entity's IRI; a place as speaker ("Moscow claims") becomes the group
"Moscow (government)", so no claim is ever authored by a place. Cited works
get IRIs from what identifies them across articles: an interview is its
speaker plus its outlet, so five articles citing Budanov's interview with
Ukrainska Pravda cite one node.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping, Sequence

from pyoxigraph import Literal, NamedNode, Quad

from kgraph.ingest.article import Article
from kgraph.extract.attribution import Citation, Claim
from kgraph.extract.entities import EntityMention
from kgraph.extract.findings import ArticleFindings
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
    XSD,
    article_graph_iri,
    article_iri,
    claim_iri,
    entity_iri,
    group_iri,
    span_iri,
    work_iri,
)
from kgraph.resolve.entities import Resolution

__all__ = ["SpeakerIris", "attribution_quads", "claim_speakers"]

_TRUE = Literal("true", datatype=XSD.boolean)
_FALSE = Literal("false", datatype=XSD.boolean)
_WORK_CLASS = {"interview": KG.Interview, "statement": KG.Statement, "channel": KG.Channel}



class SpeakerIris:
    """Offsets in one article -> the entity or group IRI they stand for."""

    def __init__(self, article_id: str, mentions: Sequence[EntityMention], resolution: Resolution, iris: Sequence[NamedNode]) -> None:
        self.aid = article_id
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.mentions]
        self.resolution = resolution
        self.iris = iris
        self.groups: dict[str, str] = {}  # group IRI -> label

    def entity_at(self, start: int, end: int) -> int | None:
        i = bisect.bisect_right(self.starts, end) - 1
        while i >= 0 and self.mentions[i].end > start - 200:
            m = self.mentions[i]
            if m.start < end and start < m.end:
                return self.resolution.entity_of_mention.get((self.aid, m.start, m.end))
            i -= 1
        return None

    def iri_at(self, start: int | None, end: int | None) -> NamedNode | None:
        if start is None or end is None:
            return None
        idx = self.entity_at(start, end)
        if idx is None:
            return None
        entity = self.resolution.entities[idx]
        if entity.kind == "place":
            return self.group(f"{entity.label} (government)")
        return self.iris[idx] if entity.kind in ("person", "organization") else None

    def group(self, label: str) -> NamedNode:
        iri = group_iri(label)
        self.groups.setdefault(iri.value, label)
        return iri

    def authors(self, claim: Claim) -> list[NamedNode]:
        found = [self.iri_at(claim.referent_start, claim.referent_end)]
        found += [self.iri_at(s, e) for s, e in claim.co_referents]
        if found[0] is None and claim.group:
            found[0] = self.group(claim.group)
        out: list[NamedNode] = []
        for iri in found:
            if iri is not None and iri not in out:
                out.append(iri)
        return out


def claim_speakers(
    articles: Sequence[Article],
    findings: Mapping[str, ArticleFindings],
    mentions: Mapping[str, Sequence[EntityMention]],
    resolution: Resolution,
    iris: Sequence[NamedNode],
) -> dict[tuple[str, int, int], tuple[str, ...]]:
    """(article id, claim start, claim end) -> the IRIs of its speakers, as the claim's schema:author says."""
    out: dict[tuple[str, int, int], tuple[str, ...]] = {}
    for a in articles:
        sp = SpeakerIris(a.id, mentions[a.id], resolution, iris)
        for c in findings[a.id].claims:
            out[(a.id, c.start, c.end)] = tuple(n.value for n in sp.authors(c))
    return out


def attribution_quads(
    articles: Sequence[Article],
    findings: Mapping[str, ArticleFindings],
    mentions: Mapping[str, Sequence[EntityMention]],
    resolution: Resolution,
    iris: Sequence[NamedNode],
) -> Iterator[Quad]:
    """Claims, citations and roles of every article, then the group and work nodes they share."""
    works: dict[str, tuple[NamedNode, str, list[Quad]]] = {}
    groups: dict[str, str] = {}
    interviews_with_outlet: dict[str, set[str]] = {}
    resolvers = {a.id: SpeakerIris(a.id, mentions[a.id], resolution, iris) for a in articles}
    # An interview named without its outlet ("gave an interview") is the speaker's one interview
    # with an outlet when the corpus knows exactly one.
    for a in articles:
        sp = resolvers[a.id]
        for c in findings[a.id].citations:
            speaker, outlet = sp.iri_at(c.speaker_start, c.speaker_end), sp.iri_at(c.outlet_start, c.outlet_end)
            if c.kind == "interview" and speaker is not None and outlet is not None:
                interviews_with_outlet.setdefault(speaker.value, set()).add(outlet.value)
    for a in articles:
        sp = resolvers[a.id]
        f = findings[a.id]
        yield from _article_attribution(a, f, sp, works, interviews_with_outlet)
        groups.update(sp.groups)
    g = ENTITY_GRAPH
    for iri, label in sorted(groups.items()):
        node = NamedNode(iri)
        yield Quad(node, RDF.type, SCHEMA.Organization, g)
        yield Quad(node, RDF.type, KG.CollectiveSource, g)
        yield Quad(node, RDFS.label, Literal(label), g)
    for _, (node, _, quads) in sorted(works.items()):
        yield from quads


def _article_attribution(
    article: Article,
    f: ArticleFindings,
    sp: SpeakerIris,
    works: dict[str, tuple[NamedNode, str, list[Quad]]],
    interviews_with_outlet: Mapping[str, set[str]],
) -> Iterator[Quad]:
    g = article_graph_iri(article.id)
    a = article_iri(article.id)
    text = article.text
    cited_by_speaker: dict[str, list[NamedNode]] = {}
    # Claims, cues and citations share phrases and sentences: each NIF node is written once, at the end.
    phrases: set[tuple[int, int]] = set()
    sentences: set[tuple[int, int]] = set()
    for c in f.citations:
        source = _source_node(article, c, sp, works, interviews_with_outlet)
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
        speaker = sp.iri_at(c.speaker_start, c.speaker_end) or (sp.group(c.speaker_group) if c.speaker_group else None)
        if speaker is not None and c.kind in _WORK_CLASS:
            cited_by_speaker.setdefault(speaker.value, []).append(source)
    for c in f.claims:
        node = claim_iri(article.id, c.start, c.end)
        yield Quad(node, RDF.type, SCHEMA.Claim, g)
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
        for author in sp.authors(c):
            yield Quad(node, SCHEMA.author, author, g)
            for work in cited_by_speaker.get(author.value, [])[:1]:
                yield Quad(node, KG.source, work, g)
    for r in f.roles:
        person = sp.iri_at(r.person_start, r.person_end)
        if person is None or sp.resolution.entities[sp.entity_at(r.person_start, r.person_end)].kind != "person":  # type: ignore[index]
            continue
        node = NamedNode(f"{a.value}/role/{r.role_start}-{r.role_end}")
        yield Quad(person, SCHEMA.jobTitle, Literal(r.role_text), g)
        yield Quad(person, KG.role, node, g)
        yield Quad(node, RDF.type, KG.StatedRole, g)
        yield Quad(node, RDFS.label, Literal(r.role_text), g)
        yield Quad(node, KG.roleHead, Literal(r.role_head), g)
        yield Quad(node, KG.evidence, span_iri(a, r.role_start, r.role_end), g)
        phrases.add((r.role_start, r.role_end))
        org = sp.iri_at(r.org_start, r.org_end) if r.org_start is not None else None
        if org is not None:
            yield Quad(node, KG.roleIn, org, g)
    for start, end in sorted(phrases):
        yield from phrase_quads(a, text, start, end, g, NIF.Phrase)
    for start, end in sorted(sentences):
        yield from phrase_quads(a, text, start, end, g, NIF.Sentence)


def _source_node(
    article: Article,
    c: Citation,
    sp: SpeakerIris,
    works: dict[str, tuple[NamedNode, str, list[Quad]]],
    interviews_with_outlet: Mapping[str, set[str]],
) -> NamedNode | None:
    outlet = sp.iri_at(c.outlet_start, c.outlet_end)
    if outlet is None and c.outlet_text:
        outlet = entity_iri("organization", c.outlet_text)
        _declare(works, outlet, c.outlet_text, [SCHEMA.Organization])
    if c.kind == "outlet":
        return outlet
    if c.kind == "social-media":
        node = work_iri("social-media", "social media")
        _declare(works, node, "social media", [SCHEMA.CreativeWork, KG.SocialMediaSource])
        return node
    speaker = sp.iri_at(c.speaker_start, c.speaker_end) or (sp.group(c.speaker_group) if c.speaker_group else None)
    speaker_slug = speaker.value.rsplit("/", 1)[-1] if speaker is not None else ""
    if c.kind == "interview" and outlet is None and speaker is not None and len(interviews_with_outlet.get(speaker.value, ())) == 1:
        outlet = NamedNode(next(iter(interviews_with_outlet[speaker.value])))
    outlet_slug = outlet.value.rsplit("/", 1)[-1] if outlet is not None else ""
    if c.kind == "interview":
        if speaker is None:
            return outlet
        node = work_iri("interview", speaker_slug, outlet_slug)
    elif c.kind == "channel":
        node = work_iri("channel", speaker_slug or article.id, outlet_slug)
    else:  # a statement is one occasion: per article, unless nothing else tells them apart
        node = work_iri("statement", speaker_slug or "unknown", article.id, str(c.start))
    who = _label_of(speaker, sp)
    where = _label_of(outlet, sp)
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


def _label_of(iri: NamedNode | None, sp: SpeakerIris) -> str | None:
    if iri is None:
        return None
    if iri.value in sp.groups:
        return sp.groups[iri.value]
    for e, i in zip(sp.resolution.entities, sp.iris, strict=True):
        if i == iri:
            return e.label
    return None


def _declare(works: dict[str, tuple[NamedNode, str, list[Quad]]], node: NamedNode, label: str, classes: list[NamedNode], extra: Sequence[Quad] = ()) -> None:
    if node.value in works:
        works[node.value][2].extend(q for q in extra if q not in works[node.value][2])
        return
    quads = [Quad(node, RDF.type, cls, ENTITY_GRAPH) for cls in classes]
    quads.append(Quad(node, RDFS.label, Literal(label), ENTITY_GRAPH))
    quads.extend(extra)
    works[node.value] = (node, label, quads)
