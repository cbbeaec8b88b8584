"""Claim relations -> RDF: ``cito:disagreesWith`` / ``cito:agreesWith`` plus a record of why.

The direct link is what a SPARQL user asks first (``?a cito:disagreesWith ?b``);
the record (``kg:ClaimRelation``) keeps the rule, the confidence, a readable
explanation and both sentences as evidence. Relations are analysis results, so
they live in the analysis graph; both claims stay in their articles' graphs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import astuple

from pyoxigraph import Literal, NamedNode, Quad

from kgraph.analyze.claims import ClaimRelation
from kgraph.extract.findings import ArticleFindings
from kgraph.rdf.vocab import (
    ANALYSIS_GRAPH,
    CITO,
    ID_NS,
    KG,
    PROV,
    RDF,
    RDFS,
    XSD,
    article_iri,
    claim_iri,
    claim_rule_iri,
    span_iri,
)

__all__ = ["relation_quads"]

_LINK = {"contradiction": CITO.disagreesWith, "agreement": CITO.agreesWith}


def relation_quads(relations: Sequence[ClaimRelation], findings: Mapping[str, ArticleFindings]) -> Iterator[Quad]:
    g = ANALYSIS_GRAPH
    sentence_of = {
        (aid, c.start, c.end): (c.sent_start, c.sent_end) for aid, f in findings.items() for c in f.claims
    }
    for r in relations:
        a, b = claim_iri(*astuple(r.a)), claim_iri(*astuple(r.b))
        yield Quad(a, _LINK[r.kind], b, g)
        key = hashlib.sha1(f"{a.value}\x1f{b.value}".encode()).hexdigest()[:16]
        node = NamedNode(f"{ID_NS}relation/{key}")
        yield Quad(node, RDF.type, KG.ClaimRelation, g)
        yield Quad(node, KG.relationKind, Literal(r.kind), g)
        yield Quad(node, KG.fromClaim, a, g)
        yield Quad(node, KG.toClaim, b, g)
        yield Quad(node, KG.relationRule, claim_rule_iri(r.rule), g)
        yield Quad(node, KG.confidence, Literal(f"{r.confidence:.2f}", datatype=XSD.decimal), g)
        yield Quad(node, RDFS.comment, Literal(r.explanation), g)
        for ref in (r.a, r.b):
            s, e = sentence_of[(ref.article_id, ref.start, ref.end)]
            yield Quad(node, KG.evidence, span_iri(article_iri(ref.article_id), s, e), g)
            yield Quad(node, PROV.wasDerivedFrom, article_iri(ref.article_id), g)
