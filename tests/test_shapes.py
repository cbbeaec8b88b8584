"""The build output satisfies the SHACL shapes of the output contract (DESIGN.md §3).

The seeds are built once; the union of the TriG's named graphs is validated
with pyshacl. Negative tests corrupt the real output in one specific way each
and check that the shape meant to catch it reports it (and that the clean
output does not), so the shapes are shown to bite.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pyshacl
import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kgraph.build import BuildResult

REPO = Path(__file__).resolve().parents[1]
SHAPES = REPO / "ontology" / "shapes.ttl"

SH = Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = Namespace("https://schema.org/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
KG = Namespace("https://w3id.org/kgraph/ontology#")
KGSH = Namespace("https://w3id.org/kgraph/shapes#")

# (component, path or SPARQL constraint, focus node, value node) of one validation result.
Result = tuple[Node, Node | None, Node, Node | None]


def union_of(trig: Path) -> Graph:
    """All named graphs of a TriG file as one graph (the shapes follow links across graphs)."""
    dataset = Dataset()
    dataset.parse(trig, format="trig")
    union = Graph()
    union += ((s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None)))
    return union


def validate(data: Graph, shapes: Graph, **kwargs: object) -> tuple[bool, Graph, str]:
    return pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True, **kwargs)


def results_of(report: Graph) -> set[Result]:
    found: set[Result] = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        component = report.value(r, SH.sourceConstraintComponent)
        where = report.value(r, SH.sourceConstraint) if component == SH.SPARQLConstraintComponent else report.value(r, SH.resultPath)
        found.add((component, where, report.value(r, SH.focusNode), report.value(r, SH.value)))
    return found


def summary(report: Graph, text: str, limit: int = 8000) -> str:
    """Counts per (component, path/constraint) with one example each, then the head of pyshacl's text."""
    counts: Counter[tuple[str, str]] = Counter()
    example: dict[tuple[str, str], str] = {}
    for component, where, focus, value in results_of(report):
        key = (component.n3(report.namespace_manager), where.n3(report.namespace_manager) if where else "-")
        counts[key] += 1
        example.setdefault(key, f"focus {focus.n3()} value {value.n3() if value is not None else '-'}")
    lines = [f"{n:5d} × {c} on {w}: e.g. {example[(c, w)]}" for (c, w), n in counts.most_common()]
    return "\n".join(lines) + "\n\n" + text[:limit]


@pytest.fixture(scope="module")
def out_dir(seeds_build: BuildResult) -> Path:
    return seeds_build.out_dir


@pytest.fixture(scope="module")
def data(out_dir: Path) -> Graph:
    return union_of(out_dir / "graph.trig")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES)


@pytest.fixture(scope="module")
def full_validation(data: Graph, shapes: Graph) -> tuple[bool, Graph, str]:
    return validate(data, shapes)


def test_ttl_is_the_union_of_the_trig_graphs(out_dir: Path, data: Graph) -> None:
    ttl = Graph().parse(out_dir / "graph.ttl")
    assert set(ttl) == set(data)  # no blank nodes, so set equality is graph isomorphism


def test_build_output_conforms(full_validation: tuple[bool, Graph, str]) -> None:
    conforms, report, text = full_validation
    if not conforms:
        pytest.fail("the build output violates ontology/shapes.ttl:\n" + summary(report, text), pytrace=False)


def test_shapes_see_every_node_kind(data: Graph) -> None:
    """The seeds exercise each shape, so conformance above is not vacuous."""
    for cls in (SCHEMA.NewsArticle, KG.EntityMention, NIF.Sentence, KG.Merge, SCHEMA.Person, SCHEMA.Organization, SCHEMA.Place):
        assert any(data.subjects(RDF.type, cls)), cls


# --- corruptions: each returns (focus node, shape meant to catch it, expected result) ---

Corruption = Callable[[Graph], tuple[URIRef, URIRef, Result]]


def _a_mention(g: Graph, anchor: str = "Budanov") -> URIRef:
    return min(m for m in g.subjects(NIF.anchorOf, Literal(anchor)) if (m, RDF.type, KG.EntityMention) in g)


def _plus_one(n: Literal) -> Literal:
    # Typed as the contract says, so the shift is the only thing wrong with the new value.
    return Literal(int(n) + 1, datatype=XSD.integer)


def shift_mention_end(g: Graph) -> tuple[URIRef, URIRef, Result]:
    m = _a_mention(g)
    g.set((m, NIF.endIndex, _plus_one(g.value(m, NIF.endIndex))))
    article = g.value(m, NIF.referenceContext)
    return article, KGSH.ArticleShape, (SH.SPARQLConstraintComponent, KGSH.AnchorIsTextAtOffsets, article, m)


def collapse_mention_span(g: Graph) -> tuple[URIRef, URIRef, Result]:
    m = _a_mention(g)
    g.set((m, NIF.endIndex, g.value(m, NIF.beginIndex)))
    article = g.value(m, NIF.referenceContext)
    return article, KGSH.ArticleShape, (SH.SPARQLConstraintComponent, KGSH.BeginBeforeEnd, article, m)


def drop_article_identifier(g: Graph) -> tuple[URIRef, URIRef, Result]:
    article = min(g.subjects(RDF.type, SCHEMA.NewsArticle))
    g.remove((article, SCHEMA.identifier, None))
    return article, KGSH.ArticleShape, (SH.MinCountConstraintComponent, SCHEMA.identifier, article, None)


def forge_content_hash(g: Graph) -> tuple[URIRef, URIRef, Result]:
    article = min(g.subjects(RDF.type, SCHEMA.NewsArticle))
    forged = Literal("sha256:" + hashlib.sha256(b"some other text").hexdigest())
    g.set((article, KG.contentHash, forged))
    return article, KGSH.ArticleShape, (SH.SPARQLConstraintComponent, KGSH.HashMatchesText, article, forged)


def malformed_content_hash(g: Graph) -> tuple[URIRef, URIRef, Result]:
    article = min(g.subjects(RDF.type, SCHEMA.NewsArticle))
    upper = Literal(str(g.value(article, KG.contentHash)).upper())
    g.set((article, KG.contentHash, upper))
    return article, KGSH.ArticleShape, (SH.PatternConstraintComponent, KG.contentHash, article, upper)


def unknown_merge_rule(g: Graph) -> tuple[URIRef, URIRef, Result]:
    merge = min(g.subjects(RDF.type, KG.Merge))
    g.set((merge, KG.mergeRule, KG["rule-gut-feeling"]))
    return merge, KGSH.MergeShape, (SH.InConstraintComponent, KG.mergeRule, merge, KG["rule-gut-feeling"])


def second_label(g: Graph) -> tuple[URIRef, URIRef, Result]:
    entity = URIRef("https://w3id.org/kgraph/id/place/kherson")
    g.add((entity, RDFS.label, Literal("Kherson City")))
    return entity, KGSH.EntityShape, (SH.MaxCountConstraintComponent, RDFS.label, entity, None)


def label_repeated_as_alt_label(g: Graph) -> tuple[URIRef, URIRef, Result]:
    entity = URIRef("https://w3id.org/kgraph/id/place/kherson")
    label = g.value(entity, RDFS.label)
    g.add((entity, SKOS.altLabel, label))
    return entity, KGSH.EntityShape, (SH.DisjointConstraintComponent, SKOS.altLabel, entity, label)


def mention_of_unmentioned_entity(g: Graph) -> tuple[URIRef, URIRef, Result]:
    m = _a_mention(g)
    article = g.value(m, NIF.referenceContext)
    stranger = next(e for e in g.subjects(RDF.type, SCHEMA.Person) if (article, SCHEMA.mentions, e) not in g)
    g.set((m, ITSRDF.taIdentRef, stranger))
    return article, KGSH.ArticleShape, (SH.SPARQLConstraintComponent, KGSH.ArticleMentionsEntity, article, m)


def mention_without_context(g: Graph) -> tuple[URIRef, URIRef, Result]:
    m = _a_mention(g)
    g.remove((m, NIF.referenceContext, None))
    return m, KGSH.MentionShape, (SH.MinCountConstraintComponent, NIF.referenceContext, m, None)


def mention_points_at_a_sentence(g: Graph) -> tuple[URIRef, URIRef, Result]:
    m = _a_mention(g)
    sentence = g.value(m, NIF.sentence)
    g.set((m, ITSRDF.taIdentRef, sentence))
    return m, KGSH.MentionShape, (SH.OrConstraintComponent, ITSRDF.taIdentRef, m, sentence)


CORRUPTIONS = [
    shift_mention_end,
    collapse_mention_span,
    drop_article_identifier,
    forge_content_hash,
    malformed_content_hash,
    unknown_merge_rule,
    second_label,
    label_repeated_as_alt_label,
    mention_of_unmentioned_entity,
    mention_without_context,
    mention_points_at_a_sentence,
]


@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=lambda f: f.__name__)
def test_shapes_catch_corruption(
    data: Graph, shapes: Graph, full_validation: tuple[bool, Graph, str], corrupt: Corruption
) -> None:
    bad = Graph()
    bad += data
    focus, shape, expected = corrupt(bad)
    assert expected not in results_of(full_validation[1])
    # Only the shape meant to catch it, on the corrupted node: a tenth of the time of a full run.
    conforms, report, text = validate(bad, shapes, use_shapes=[shape], focus_nodes=[focus], inplace=True)
    assert not conforms
    assert expected in results_of(report), summary(report, text)


def test_offset_shift_is_caught_through_targets(
    data: Graph, shapes: Graph, full_validation: tuple[bool, Graph, str]
) -> None:
    """Found by sh:targetClass, not a given focus node: one shifted offset is exactly one new violation."""
    bad = Graph()
    bad += data
    _, shape, expected = shift_mention_end(bad)
    _, report, text = validate(bad, shapes, use_shapes=[shape], inplace=True)
    new = results_of(report) - results_of(full_validation[1])
    assert new == {expected}, summary(report, text)
    message = next(str(report.value(r, SH.resultMessage)) for r in report.subjects(SH.sourceConstraint, KGSH.AnchorIsTextAtOffsets))
    assert "is not the context text at" in message and "Budanov" in message
