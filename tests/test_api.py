"""kgraph from Python, the way a notebook uses it: build, open as rdflib, query, walk graphs."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, RDFS, SDO

import kgraph
from conftest import SEEDS
from kgraph.build import BuildResult
from kgraph.errors import StoreError
from kgraph.rdf.namespaces import GRAPH, ID, KG

REPO = Path(__file__).resolve().parents[1]


def test_a_build_opens_as_an_rdflib_dataset_and_answers_sparql(seeds_build: BuildResult) -> None:
    ds = kgraph.open_dataset(seeds_build.out_dir)
    assert isinstance(ds, rdflib.Dataset)
    # kgraph's prefixes are bound and the default graph is the union of the article graphs.
    names = {str(row.name) for row in ds.query("SELECT ?name WHERE { ?p a schema:Person ; rdfs:label ?name }")}
    assert {"Kyrylo Budanov", "Vladimir Putin", "Sergei Surovikin"} <= names
    interviews = list(ds.query(f"SELECT ?i ?label WHERE {{ ?i a {KG.Interview.n3()} ; rdfs:label ?label }}"))
    assert any("Budanov" in str(row.label) for row in interviews), interviews


def test_each_article_is_a_named_graph_walked_with_rdflib_patterns(seeds_build: BuildResult) -> None:
    ds = kgraph.open_dataset(seeds_build.out_dir)
    article_id = seeds_build.articles[0].id
    graph = ds.get_graph(GRAPH[f"article/{article_id}"])
    assert graph is not None
    assert list(graph.subjects(RDF.type, SDO.NewsArticle)) == [ID[f"article/{article_id}"]]
    budanov = ID["person/kyrylo-budanov"]
    entities = ds.get_graph(GRAPH["entities"])
    assert entities is not None
    assert str(entities.value(budanov, RDFS.label)) == "Kyrylo Budanov"
    merged = {str(entities.value(m, KG.mergedForm)) for m in entities.objects(budanov, KG.merge)}
    assert "Kyrylo O. Budanov" in merged, merged


def test_the_closed_namespace_is_exactly_the_ontology() -> None:
    ontology = rdflib.Graph().parse(REPO / "ontology" / "kgraph.ttl")
    kinds = {rdflib.OWL.Class, rdflib.OWL.ObjectProperty, rdflib.OWL.DatatypeProperty, rdflib.OWL.AnnotationProperty,
             RDF.Property, rdflib.OWL.NamedIndividual}
    declared = {s for s, t in ontology.subject_objects(RDF.type) if t in kinds and str(s).startswith(str(KG._NS)) and s != KG._NS}
    in_namespace = set(dir(KG)) | {KG[name] for name in KG._extras}
    assert in_namespace == declared
    with pytest.raises(AttributeError):
        KG.Interveiw  # noqa: B018  (a typo raises instead of minting an IRI)


def test_every_kg_term_the_pipeline_writes_is_declared() -> None:
    from kgraph.rdf import vocab

    written = {getattr(vocab.KG, name).value for name in dir(vocab.KG) if not name.startswith("_")}
    undeclared = written - {str(term) for term in dir(KG)} - {str(KG[name]) for name in KG._extras}
    assert not undeclared, f"kgraph writes terms ontology/kgraph.ttl does not declare: {sorted(undeclared)}"


def test_opening_a_directory_without_a_build_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no graph store"):
        kgraph.open_dataset(tmp_path)


def test_kgraph_build_is_callable_even_after_its_module_was_imported(tmp_path: Path) -> None:
    import kgraph.build  # noqa: F401  (binds the name kgraph.build to the module)

    seed = next(SEEDS.glob("*.txt"))
    result = kgraph.build([seed], tmp_path / "out")
    assert result.quad_count > 0 and (tmp_path / "out" / "graph.ttl").exists()
