"""ontology/kgraph.ttl declares, documents and aligns every kg: term the build emits."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kgraph.build import BuildResult
from kgraph.rdf.vocab import KG, KG_NS, MERGE_RULES, merge_rule_iri

REPO = Path(__file__).resolve().parents[1]
ONTOLOGY = REPO / "ontology" / "kgraph.ttl"
SHAPES = REPO / "ontology" / "shapes.ttl"

ONTOLOGY_IRI = URIRef("https://w3id.org/kgraph/ontology")
SH = Namespace("http://www.w3.org/ns/shacl#")
KGNS = Namespace(KG_NS)
# Vocabularies a kg: term may be aligned with (DESIGN.md §3).
STANDARD_NAMESPACES = (
    "https://schema.org/",
    "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "http://www.w3.org/2005/11/its/rdf#",
    "http://www.w3.org/ns/prov#",
    "http://purl.org/spar/cito/",
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/terms/",
    "http://semanticweb.cs.vu.nl/2009/11/sem/",  # SEM, the event model the events issue aligns with
)
# Properties needing no standard super-property: plain counts and the hash.
UNALIGNED_BY_DESIGN = {KGNS.mentionCount, KGNS.articleCount, KGNS.contentHash}

KG_TERMS = {URIRef(v.value) for k, v in vars(KG).items() if not k.startswith("_")}
RULES = {URIRef(merge_rule_iri(rule).value): text for rule, text in MERGE_RULES.items()}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY)


@pytest.fixture(scope="module")
def output(seeds_build: BuildResult) -> Graph:
    return Graph().parse(seeds_build.out_dir / "graph.ttl")


def _is_kg(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(KG_NS)


def _classes(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects(RDF.type, OWL.Class) if _is_kg(s)}


def _properties(g: Graph) -> set[URIRef]:
    return {s for t in (OWL.ObjectProperty, OWL.DatatypeProperty) for s in g.subjects(RDF.type, t) if _is_kg(s)}


def _is_standard(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(STANDARD_NAMESPACES)


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert list(ontology.subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY_IRI]
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.title)
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.description)
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    see_also = {str(o) for o in ontology.objects(ONTOLOGY_IRI, RDFS.seeAlso)}
    assert {"https://schema.org/", "http://www.w3.org/ns/prov#", "http://purl.org/spar/cito/"} <= see_also
    assert any("nif-core" in s for s in see_also)


def test_every_kg_term_in_the_output_is_declared_and_documented(ontology: Graph, output: Graph) -> None:
    used = {term for triple in output for term in triple if _is_kg(term)}
    assert used, "the build emitted no kg: terms at all"
    for term in sorted(used):
        assert (term, RDF.type, None) in ontology, f"{term} is used but not declared"
        assert len(list(ontology.objects(term, RDFS.label))) == 1, f"{term} needs exactly one rdfs:label"
        assert ontology.value(term, RDFS.comment), f"{term} needs an rdfs:comment"


def test_vocab_and_ontology_declare_the_same_terms(ontology: Graph) -> None:
    declared = _classes(ontology) | _properties(ontology)
    assert declared == KG_TERMS
    for term in KG_TERMS:
        assert len(list(ontology.objects(term, RDFS.label))) == 1, term
        assert ontology.value(term, RDFS.comment), term


def test_merge_rules_are_declared_with_their_explanation(ontology: Graph) -> None:
    declared = set(ontology.subjects(RDF.type, KGNS.MergeRule))
    assert declared == set(RULES)
    for rule, text in RULES.items():
        assert len(list(ontology.objects(rule, RDFS.label))) == 1, rule
        assert [str(c) for c in ontology.objects(rule, RDFS.comment)] == [text], rule


def test_shapes_accept_exactly_the_declared_merge_rules() -> None:
    shapes = Graph().parse(SHAPES)
    path = next(p for p in shapes.subjects(SH.path, KGNS.mergeRule) if shapes.value(p, SH["in"]))
    assert set(Collection(shapes, shapes.value(path, SH["in"]))) == set(RULES)


def test_every_class_refines_a_standard_class(ontology: Graph) -> None:
    for cls in _classes(ontology):
        supers = set(ontology.objects(cls, RDFS.subClassOf))
        assert any(_is_standard(s) for s in supers), f"{cls} has no standard super-class"


def test_every_property_is_aligned_or_says_why_not(ontology: Graph) -> None:
    for prop in _properties(ontology) - UNALIGNED_BY_DESIGN:
        aligned = any(_is_standard(s) for s in ontology.objects(prop, RDFS.subPropertyOf))
        assert aligned or ontology.value(prop, SKOS.editorialNote), f"{prop}: no standard super-property and no reason given"


def test_every_property_has_domain_and_range(ontology: Graph) -> None:
    for prop in _properties(ontology):
        assert ontology.value(prop, RDFS.domain) is not None, prop
        assert ontology.value(prop, RDFS.range) is not None, prop


def test_property_kinds_match_the_output(ontology: Graph, output: Graph) -> None:
    """An owl:ObjectProperty links resources, an owl:DatatypeProperty has literal values."""
    for prop in _properties(ontology):
        objects = set(output.objects(None, prop))
        if (prop, RDF.type, OWL.ObjectProperty) in ontology:
            assert all(isinstance(o, URIRef) for o in objects), prop
        else:
            assert all(isinstance(o, Literal) for o in objects), prop
