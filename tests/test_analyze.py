"""The analyses (kgraph.analyze.analyses): projections, camps, rankings, repeated statements, write-back.

Unit tests build small stores by hand, quad by quad as the emitters write them
(claims in their article's graph, relations in the analysis graph); one test
reads the seeds build.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import RDF as RDFLIB_RDF
from test_shapes import KGSH, SH, results_of, union_of, validate

from kgraph.analyze.analyses import (
    AGREES,
    CONTRADICTS,
    Camp,
    analysis_result,
    camps,
    rank_pairs,
    rank_sources,
    read_claims,
    repeated_statements,
    speaker_centrality,
    to_citation_graph,
    to_speaker_graph,
)
from kgraph.build import BuildResult
from kgraph.rdf.emit import story_iri
from kgraph.rdf.store import open_store, select
from kgraph.rdf.vocab import (
    ANALYSIS_GRAPH,
    CITO,
    ENTITY_GRAPH,
    ID_NS,
    KG,
    NIF,
    RDF,
    RDFS,
    SCHEMA,
    XSD,
    article_graph_iri,
    article_iri,
    claim_rule_iri,
    entity_iri,
    group_iri,
    span_iri,
    work_iri,
)

BUDANOV = entity_iri("person", "Kyrylo Budanov")
WESTERN = group_iri("Western officials")
INTERVIEW = work_iri("interview", "Kyrylo Budanov", "Ukrainska Pravda")


@dataclass
class StoreBuilder:
    """Articles, speakers, claims, citations and claim relations, written as the emitters write them."""

    store: ox.Store = field(default_factory=ox.Store)

    def article(self, identifier: str, *, date: str | None = None, publisher: str | None = None) -> ox.NamedNode:
        node, graph = article_iri(identifier), article_graph_iri(identifier)
        quads = [
            ox.Quad(node, RDF.type, SCHEMA.NewsArticle, graph),
            ox.Quad(node, SCHEMA.identifier, ox.Literal(identifier), graph),
        ]
        if date:
            quads.append(ox.Quad(node, SCHEMA.datePublished, ox.Literal(date, datatype=XSD.date), graph))
        if publisher:
            org = entity_iri("organization", publisher)
            quads += [
                ox.Quad(node, SCHEMA.publisher, org, graph),
                ox.Quad(org, RDF.type, SCHEMA.Organization, ENTITY_GRAPH),
                ox.Quad(org, RDFS.label, ox.Literal(publisher), ENTITY_GRAPH),
            ]
        self.store.extend(quads)
        return node

    def speaker(self, label: str, *, group: bool = False) -> ox.NamedNode:
        node = group_iri(label) if group else entity_iri("person", label)
        kinds = [SCHEMA.Organization, KG.CollectiveSource] if group else [SCHEMA.Person]
        self.store.extend([ox.Quad(node, RDF.type, k, ENTITY_GRAPH) for k in kinds])
        self.store.add(ox.Quad(node, RDFS.label, ox.Literal(label), ENTITY_GRAPH))
        return node

    def claim(self, article_id: str, start: int, text: str, *authors: ox.NamedNode, source: ox.NamedNode | None = None) -> ox.NamedNode:
        a, graph = article_iri(article_id), article_graph_iri(article_id)
        end = start + len(text)
        node = ox.NamedNode(f"{a.value}/claim/{start}-{end}")
        sentence = span_iri(a, start, end + 1)
        quads = [
            ox.Quad(node, RDF.type, SCHEMA.Claim, graph),
            ox.Quad(node, SCHEMA.text, ox.Literal(text), graph),
            ox.Quad(node, SCHEMA.appearance, a, graph),
            ox.Quad(node, NIF.sentence, sentence, graph),
            ox.Quad(sentence, RDF.type, NIF.Sentence, graph),
            ox.Quad(sentence, NIF.anchorOf, ox.Literal(text + "."), graph),
        ]
        quads += [ox.Quad(node, SCHEMA.author, s, graph) for s in authors]
        if source is not None:
            quads.append(ox.Quad(node, KG.source, source, graph))
        self.store.extend(quads)
        return node

    def cites(self, article_id: str, source: ox.NamedNode, label: str, cls: ox.NamedNode = KG.Interview) -> None:
        graph = article_graph_iri(article_id)
        self.store.extend(
            [
                ox.Quad(article_iri(article_id), CITO.cites, source, graph),
                ox.Quad(source, RDF.type, cls, ENTITY_GRAPH),
                ox.Quad(source, RDF.type, SCHEMA.CreativeWork, ENTITY_GRAPH),
                ox.Quad(source, RDFS.label, ox.Literal(label), ENTITY_GRAPH),
            ]
        )

    def story(self, key: str, *article_ids: str) -> ox.NamedNode:
        """A kg:Story of these articles, in the analysis graph as the build writes it."""
        node = story_iri(key)
        self.store.add(ox.Quad(node, RDF.type, KG.Story, ANALYSIS_GRAPH))
        self.store.add(ox.Quad(node, RDFS.label, ox.Literal(f"story {key}"), ANALYSIS_GRAPH))
        for aid in article_ids:
            self.store.add(ox.Quad(node, SCHEMA.hasPart, article_iri(aid), ANALYSIS_GRAPH))
            self.store.add(ox.Quad(article_iri(aid), KG.story, node, ANALYSIS_GRAPH))
        return node

    def relate(self, kind: str, a: ox.NamedNode, b: ox.NamedNode, *, rule: str = "polarity", confidence: float = 0.8) -> ox.NamedNode:
        g = ANALYSIS_GRAPH
        node = ox.NamedNode(f"{ID_NS}relation/" + hashlib.sha1(f"{a.value} {b.value}".encode()).hexdigest()[:16])
        link = CITO.disagreesWith if kind == "contradiction" else CITO.agreesWith
        self.store.extend(
            [
                ox.Quad(a, link, b, g),
                ox.Quad(node, RDF.type, KG.ClaimRelation, g),
                ox.Quad(node, KG.relationKind, ox.Literal(kind), g),
                ox.Quad(node, KG.fromClaim, a, g),
                ox.Quad(node, KG.toClaim, b, g),
                ox.Quad(node, KG.relationRule, claim_rule_iri(rule), g),
                ox.Quad(node, KG.confidence, ox.Literal(f"{confidence:.2f}", datatype=XSD.decimal), g),
                ox.Quad(node, RDFS.comment, ox.Literal(f"{kind} by {rule}"), g),
            ]
        )
        return node


def four_speakers() -> tuple[StoreBuilder, dict[str, ox.NamedNode]]:
    """Two sides of a story: Ann and Bob agree, Cid and Dee agree, and each side contradicts the other."""
    b = StoreBuilder()
    for i in range(4):
        b.article(f"a{i}")
    people = {name: b.speaker(name) for name in ("Ann", "Bob", "Cid", "Dee")}
    claim = {name: b.claim(f"a{i}", 0, f"{name} says something {i}", people[name]) for i, name in enumerate(people)}
    b.relate("agreement", claim["Bob"], claim["Ann"], rule="same-frame", confidence=0.6)
    b.relate("agreement", claim["Dee"], claim["Cid"], rule="same-frame", confidence=0.6)
    b.relate("contradiction", claim["Cid"], claim["Ann"], confidence=0.8)
    b.relate("contradiction", claim["Dee"], claim["Bob"], rule="opposing-predicate", confidence=0.7)
    return b, people


# --- projections ------------------------------------------------------------------


def test_speaker_graph_has_one_edge_per_relation_with_both_claims_and_articles() -> None:
    b = StoreBuilder()
    b.article("a1")
    b.article("a2")
    budanov, western = b.speaker("Kyrylo Budanov"), b.speaker("Western officials", group=True)
    retreat = b.claim("a1", 10, "Russia is planning to retreat from Kherson", western)
    defend = b.claim("a2", 0, "They are preparing to defend", budanov)
    b.relate("contradiction", retreat, defend, confidence=0.72)
    G = to_speaker_graph(b.store)
    assert G.nodes[budanov.value] == {"label": "Kyrylo Budanov", "kind": "person", "claims": 1}
    assert G.nodes[western.value]["kind"] == "group"
    [(u, v, data)] = list(G.edges(data=True))
    assert (u, v) == (western.value, budanov.value)  # from the disagreeing claim's author
    assert data["kind"] == CONTRADICTS and data["rule"] == "polarity" and data["confidence"] == pytest.approx(0.72)
    assert (data["from_claim"], data["to_claim"]) == (retreat.value, defend.value)
    assert (data["from_article"], data["to_article"]) == ("a1", "a2")


def test_speaker_graph_keeps_speakers_without_relations_and_drops_self_relations() -> None:
    b = StoreBuilder()
    b.article("a1")
    ann, bob = b.speaker("Ann"), b.speaker("Bob")
    x = b.claim("a1", 0, "first claim", ann, bob)  # two authors of one claim
    y = b.claim("a1", 50, "second claim", ann)
    b.relate("contradiction", x, y)
    G = to_speaker_graph(b.store)
    assert set(G) == {ann.value, bob.value}
    assert [(u, v) for u, v in G.edges()] == [(bob.value, ann.value)]  # Ann vs Ann is no relation between speakers


def test_citation_graph_links_articles_and_outlets_to_sources() -> None:
    b = StoreBuilder()
    b.article("a1", publisher="The Times")
    b.article("a2", publisher="The Times")
    b.article("a3")
    for aid in ("a1", "a2", "a3"):
        b.cites(aid, INTERVIEW, "interview of Kyrylo Budanov with Ukrainska Pravda")
    statement = work_iri("statement", "Dave Butler")
    b.cites("a1", statement, "emailed statement of Dave Butler", KG.Statement)
    b.cites("a3", statement, "emailed statement of Dave Butler", KG.Statement)
    b.cites("a3", statement, "emailed statement of Dave Butler", KG.Statement)
    G = to_citation_graph(b.store)
    times = entity_iri("organization", "The Times").value
    assert G.nodes[times]["kind"] == "outlet"
    assert G.nodes[INTERVIEW.value] == {"kind": "source", "label": "interview of Kyrylo Budanov with Ukrainska Pravda", "type": "interview"}
    assert G.edges[times, INTERVIEW.value]["weight"] == 2  # two of its articles cite the interview
    assert G.has_edge(article_iri("a3").value, INTERVIEW.value) and not G.has_edge(article_iri("a3").value, times)
    ranked = rank_sources(G)
    assert [(s.label, s.articles, s.outlets) for s in ranked] == [
        ("interview of Kyrylo Budanov with Ukrainska Pravda", 3, 2),  # The Times, and a3 as its own outlet
        ("emailed statement of Dave Butler", 2, 2),
    ]
    assert ranked[0].pagerank > ranked[1].pagerank


def test_rank_sources_rejects_an_undirected_graph() -> None:
    import networkx as nx

    with pytest.raises(nx.NetworkXNotImplemented):
        rank_sources(nx.Graph())


# --- who contradicts whom, camps, centrality ---------------------------------------


def test_pairs_are_ranked_by_contradictions_in_either_direction() -> None:
    b = StoreBuilder()
    b.article("a1")
    ann, bob, cid = b.speaker("Ann"), b.speaker("Bob"), b.speaker("Cid")
    a1, a2 = b.claim("a1", 0, "ann one", ann), b.claim("a1", 20, "ann two", ann)
    b1, c1 = b.claim("a1", 40, "bob one", bob), b.claim("a1", 60, "cid one", cid)
    b.relate("contradiction", a1, b1, confidence=0.7)
    b.relate("contradiction", b1, a2, confidence=0.8)
    b.relate("contradiction", c1, a1, confidence=0.9)
    b.relate("agreement", c1, b1, rule="same-frame", confidence=0.6)
    G = to_speaker_graph(b.store)
    pairs = rank_pairs(G)
    assert [(p.speakers, p.count, p.confidences) for p in pairs] == [
        ((ann.value, bob.value), 2, (0.8, 0.7)),
        ((ann.value, cid.value), 1, (0.9,)),
    ]
    assert [p.speakers for p in rank_pairs(G, AGREES)] == [(bob.value, cid.value)]
    centrality = speaker_centrality(G)
    assert centrality[ann.value] == centrality[bob.value] == centrality[cid.value] == 1.0


def test_camps_split_two_sides_that_contradict_and_keep_agreeing_speakers_together() -> None:
    b, people = four_speakers()
    found = camps(to_speaker_graph(b.store))
    assert sorted(sorted(c.members) for c in found) == [
        sorted([people["Ann"].value, people["Bob"].value]),
        sorted([people["Cid"].value, people["Dee"].value]),
    ]


def test_a_camp_never_holds_two_speakers_who_contradict_each_other() -> None:
    """Ann agrees with Bob and (more strongly) with Cid; Bob and Cid contradict each other."""
    b = StoreBuilder()
    b.article("a1")
    ann, bob, cid, eve = (b.speaker(n) for n in ("Ann", "Bob", "Cid", "Eve"))
    x, y, z, w = (b.claim("a1", 30 * i, f"claim {i}", s) for i, s in enumerate((ann, bob, cid, eve)))
    b.relate("agreement", x, y, rule="same-frame", confidence=0.6)
    b.relate("agreement", x, z, rule="same-frame", confidence=0.6)
    b.relate("agreement", z, x, rule="shared-rejection", confidence=0.6)
    b.relate("contradiction", y, z, confidence=0.8)
    b.relate("agreement", w, y, rule="same-frame", confidence=0.6)
    found = camps(to_speaker_graph(b.store))
    assert [sorted(c.members) for c in found] == [sorted([ann.value, cid.value]), sorted([bob.value, eve.value])]
    for camp in found:
        assert not ({bob.value, cid.value} <= camp.members)


def test_camps_leave_out_speakers_without_relations_and_are_deterministic() -> None:
    b, people = four_speakers()
    b.claim("a0", 200, "a lonely claim", b.speaker("Zed"))
    G = to_speaker_graph(b.store)
    found = camps(G)
    assert people["Ann"].value in set().union(*(c.members for c in found))
    assert entity_iri("person", "Zed").value not in set().union(*(c.members for c in found))
    assert [c.members for c in camps(G.reverse(copy=True))] == [c.members for c in found]


def signed_graph(edges: list[tuple[str, str, str, float, str, str]], story: str | None = "s") -> nx.MultiDiGraph:
    """A speaker graph by hand: (from speaker, to speaker, kind, confidence, from claim, to claim), keyed r0, r1, …"""
    G = nx.MultiDiGraph()
    for i, (u, v, kind, confidence, a, b) in enumerate(edges):
        G.add_edge(u, v, key=f"r{i}", kind=kind, confidence=confidence, from_claim=a, to_claim=b, story=story, rule="polarity")
    return G


def sides(found: list[Camp]) -> list[list[str]]:
    return sorted(sorted(c.members) for c in found)


def test_two_speakers_who_reject_the_same_claim_stand_together_without_ever_agreeing() -> None:
    """A clinic and its doctor each deny the outlet's report; neither agrees with the other explicitly."""
    G = signed_graph(
        [
            ("clinic", "outlet", CONTRADICTS, 0.8, "clinic-denies", "outlet-report"),
            ("doctor", "outlet", CONTRADICTS, 0.7, "doctor-denies", "outlet-report"),
            ("source", "doctor", CONTRADICTS, 0.6, "source-says", "doctor-denies"),
        ]
    )
    found = camps(G)
    assert sides(found) == [["clinic", "doctor"], ["outlet", "source"]]  # the outlet and its source: both against the doctor's denial
    clinic_camp = next(c for c in found if "clinic" in c.members)
    assert clinic_camp.evidence("clinic") == (("clinic", "outlet", "r0"),)  # what put it there: its own denial
    assert clinic_camp.evidence("doctor") == (("doctor", "outlet", "r1"), ("source", "doctor", "r2"))


def test_contradicting_one_speaker_on_two_different_claims_is_no_common_side() -> None:
    """Two speakers who each dispute a different claim of one minister share no claim, so nothing pulls them together."""
    G = signed_graph(
        [
            ("ann", "minister", CONTRADICTS, 0.8, "ann-1", "minister-budget"),
            ("bob", "minister", CONTRADICTS, 0.8, "bob-1", "minister-troops"),
        ]
    )
    assert sides(camps(G)) == [["ann"], ["bob"], ["minister"]]


def test_a_triangle_of_contradictions_is_three_camps() -> None:
    """Each rejects the other two's claims: every pair shares an opponent, and every pair is a cannot-link."""
    G = signed_graph(
        [
            ("a", "b", CONTRADICTS, 0.8, "a1", "b1"),
            ("b", "c", CONTRADICTS, 0.8, "b1", "c1"),
            ("c", "a", CONTRADICTS, 0.8, "c1", "a1"),
        ]
    )
    found = camps(G)
    assert sides(found) == [["a"], ["b"], ["c"]]
    assert all(len(c.evidence(n)) == 2 for c in found for n in c.members)  # each is apart because of both its contradictions


def test_agreement_outweighed_by_a_contradiction_is_no_evidence() -> None:
    """Eve agrees with Bob, but contradicts Ann who is in Bob's camp more strongly: Eve stays out and the agreement is no reason."""
    G = signed_graph(
        [
            ("ann", "bob", AGREES, 0.9, "ann-1", "bob-1"),
            ("eve", "bob", AGREES, 0.5, "eve-1", "bob-1"),
            ("eve", "ann", CONTRADICTS, 0.8, "eve-2", "ann-1"),
        ]
    )
    found = camps(G)
    assert sides(found) == [["ann", "bob"], ["eve"]]
    eve = next(c for c in found if "eve" in c.members)
    assert [key for _, _, key in eve.evidence("eve")] == ["r2"]


def test_camps_do_not_depend_on_the_order_of_the_edges() -> None:
    edges = [
        ("a", "x", CONTRADICTS, 0.8, "a1", "x1"),
        ("b", "x", CONTRADICTS, 0.6, "b1", "x1"),
        ("c", "y", CONTRADICTS, 0.7, "c1", "y1"),
        ("x", "y", AGREES, 0.6, "x1", "y1"),
        ("a", "c", AGREES, 0.6, "a1", "c1"),
        ("b", "y", CONTRADICTS, 0.6, "b2", "y1"),
    ]
    found = camps(signed_graph(edges))
    # The keys stay with their edges: the same relations in another order.
    G = nx.MultiDiGraph()
    for i in (5, 2, 0, 4, 1, 3):
        u, v, kind, confidence, a, b = edges[i]
        G.add_edge(u, v, key=f"r{i}", kind=kind, confidence=confidence, from_claim=a, to_claim=b, story="s", rule="polarity")
    assert camps(G) == found
    assert sides(found) == [["a", "b", "c"], ["x", "y"]]


def test_camps_are_per_story_and_agreement_in_two_stories_joins_nothing_across_them() -> None:
    """Xia agrees with Ann in one story and with Bob in another, where Bob and Ann would clash: two stories, two camps of Xia."""
    b = StoreBuilder()
    for aid in ("a1", "a2", "b1", "b2"):
        b.article(aid)
    one, two = b.story("a1", "a1", "a2"), b.story("b1", "b1", "b2")
    xia, ann, bob, cid = (b.speaker(n) for n in ("Xia", "Ann", "Bob", "Cid"))
    b.relate("agreement", b.claim("a1", 0, "the bridge was closed", xia), b.claim("a2", 0, "the bridge is closed", ann), rule="same-frame", confidence=0.6)
    b.relate("agreement", b.claim("b1", 0, "the dam held", xia), b.claim("b2", 0, "the dam has held", bob), rule="same-frame", confidence=0.6)
    b.relate("contradiction", b.claim("b2", 100, "the dam broke", cid), b.claim("b1", 100, "the dam held firm", bob), confidence=0.8)
    G = to_speaker_graph(b.store)
    assert {d["story"] for _, _, d in G.edges(data=True)} == {one.value, two.value}
    found = camps(G)
    by_story = {(c.story, frozenset(c.members)) for c in found}
    assert by_story == {
        (one.value, frozenset({xia.value, ann.value})),
        (two.value, frozenset({xia.value, bob.value})),
        (two.value, frozenset({cid.value})),
    }
    assert found[0].story == two.value  # the story with more camp members first
    result = analysis_result(b.store)
    b.store.extend(result.quads)
    rows = select(b.store, f"SELECT ?camp ?story WHERE {{ <{xia.value}> kg:camp ?camp . ?camp kg:story ?story }}")
    assert sorted(r["story"].value for r in rows) == sorted([one.value, two.value])  # one camp per story
    [xia_json] = [s for s in result.data["speakers"] if s["label"] == "Xia"]
    assert len(xia_json["camps"]) == 2
    from test_shapes import SHAPES

    dataset = rdflib.Dataset()
    dataset.parse(data=b.store.dump(format=ox.RdfFormat.N_QUADS).decode(), format="nquads")
    union = rdflib.Graph()
    union += ((s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None)))
    shapes = rdflib.Graph().parse(SHAPES)
    use = [KGSH.SpeakerAnalysisShape, KGSH.CampShape]
    conforms, _, text = validate(union, shapes, use_shapes=use)
    assert conforms, text  # a camp in each of two stories is allowed ...
    first, second = (rdflib.URIRef(r["camp"].value) for r in rows)
    union.set((second, _KG.story, union.value(first, _KG.story)))
    conforms, report, text = validate(union, shapes, use_shapes=use)
    assert not conforms and any(where == KGSH.OneCampPerStory for _, where, _, _ in results_of(report)), text  # ... two in one are not


def test_a_relation_across_two_stories_puts_no_one_in_a_camp() -> None:
    b = StoreBuilder()
    b.article("a1")
    b.article("b1")
    b.story("a1", "a1")
    b.story("b1", "b1")
    ann, bob = b.speaker("Ann"), b.speaker("Bob")
    b.relate("contradiction", b.claim("a1", 0, "the bridge was closed", ann), b.claim("b1", 0, "the bridge is open", bob))
    G = to_speaker_graph(b.store)
    assert [d["story"] for _, _, d in G.edges(data=True)] == [None]
    assert camps(G) == []


def test_two_speakers_rejecting_one_rumour_nobody_named_tells_stand_together() -> None:
    """Ann and Bob each contradict someone else, and both reject "unconfirmed reports say …", which has no author."""

    def build(with_rumour: bool) -> list[frozenset[str]]:
        b = StoreBuilder()
        for i in range(3):
            b.article(f"a{i}")
        ann, bob, cid, dee = (b.speaker(n) for n in ("Ann", "Bob", "Cid", "Dee"))
        b.relate("contradiction", b.claim("a0", 0, "the mayor did not resign", ann), b.claim("a1", 0, "the deputy will stay", cid))
        b.relate("contradiction", b.claim("a1", 40, "the reports are false", bob), b.claim("a2", 0, "the budget was cut", dee))
        if with_rumour:
            rumour = b.claim("a2", 40, "the mayor resigned on Sunday")  # "unconfirmed reports say …": no author
            b.relate("contradiction", b.claim("a0", 40, "the rumour that he resigned is a hoax", ann), rumour, confidence=0.8)
            b.relate("contradiction", b.claim("a1", 80, "he never resigned", bob), rumour, confidence=0.7)
        G = to_speaker_graph(b.store)
        if with_rumour:  # a claim without an author is no node: the rumour reaches the camps only through the graph's attribute
            assert rumour.value not in {d["to_claim"] for _, _, d in G.edges(data=True)}
        return [c.members for c in camps(G)]

    ann, bob = entity_iri("person", "Ann").value, entity_iri("person", "Bob").value
    assert not any({ann, bob} <= members for members in build(False))
    assert any({ann, bob} <= members for members in build(True))


def test_report_json_and_the_graph_give_each_member_the_relations_that_put_it_there() -> None:
    b, people = four_speakers()
    result = analysis_result(b.store)
    [ann_camp] = [c for c in result.data["camps"] if people["Ann"].value in {m["iri"] for m in c["members"]}]
    [ann] = [m for m in ann_camp["members"] if m["label"] == "Ann"]
    assert ann["because_count"] == 2  # agrees with Bob, contradicts Cid
    assert {(r["kind"], r["with"]["label"]) for r in ann["because"]} == {(AGREES, "Bob"), (CONTRADICTS, "Cid")}
    contradiction = next(r for r in ann["because"] if r["kind"] == CONTRADICTS)
    assert contradiction["claim"]["text"] == "Ann says something 0" and contradiction["other_claim"]["text"] == "Cid says something 2"
    b.store.extend(result.quads)
    derived = select(b.store, f"SELECT ?r WHERE {{ <{ann_camp['iri']}> prov:wasDerivedFrom ?r . ?r a kg:ClaimRelation }}")
    assert {r["r"].value for r in derived} == {r["relation"] for m in ann_camp["members"] for r in m["because"]}
    assert len(derived) == 3  # the agreement inside, and the two contradictions with the other camp


# --- repeated statements ------------------------------------------------------------


def test_near_duplicates_by_one_speaker_form_one_cluster_across_articles() -> None:
    b = StoreBuilder()
    for aid in ("a1", "a2", "a3"):
        b.article(aid)
    budanov = b.speaker("Kyrylo Budanov")
    b.claim("a1", 0, "The Russian occupiers only create the illusion that they are leaving Kherson", budanov)
    b.claim("a2", 0, "The Russian occupiers only create the illusion that they are leaving Cherson", budanov)
    b.claim("a3", 0, "Russian occupiers create the illusion that they are leaving Kherson city", budanov)
    b.claim("a3", 100, "Medvedev has no chance", budanov)
    b.claim("a2", 100, "Iran sold drones to the Kremlin", budanov)
    [cluster] = repeated_statements(read_claims(b.store))
    assert cluster.speaker == budanov.value
    assert len(cluster.claims) == 3 and len(cluster.articles) == 3
    assert "illusion" in cluster.text
    assert cluster.origin_kind == "article"


def test_a_long_quote_joins_each_statement_it_repeats_without_chaining_them() -> None:
    b = StoreBuilder()
    for aid in ("a1", "a2", "a3"):
        b.article(aid)
    budanov = b.speaker("Kyrylo Budanov")
    b.claim("a1", 0, "Cash is being taken out as well as servers. They are moving new military units into the city.", budanov)
    b.claim("a2", 0, "Cash is being taken out, and servers too", budanov)
    b.claim("a3", 0, "They are moving new military units into the city", budanov)
    found = repeated_statements(read_claims(b.store))
    assert sorted(tuple(sorted(a.rsplit("/", 1)[-1] for a in c.articles)) for c in found) == [("a1", "a2"), ("a1", "a3")]


def test_repetition_never_joins_two_speakers() -> None:
    b = StoreBuilder()
    b.article("a1")
    b.article("a2")
    ann, bob = b.speaker("Ann"), b.speaker("Bob")
    b.claim("a1", 0, "Russia is planning to retreat from the city of Kherson", ann)
    b.claim("a2", 0, "Russia is planning to retreat from the city of Kherson", bob)
    assert repeated_statements(read_claims(b.store)) == []
    b.claim("a2", 100, "Russia is planning to retreat from the city of Kherson soon", ann)
    [cluster] = repeated_statements(read_claims(b.store))
    assert cluster.speaker == ann.value
    assert all(bob.value not in c.authors for c in read_claims(b.store) if c.iri in cluster.claims)


def test_a_shared_source_lowers_the_bar() -> None:
    """Two paraphrases sharing a third of their words: one statement only if both cite the same interview."""
    texts = ("They are not leaving right now", "They are not preparing to exit now")

    def clusters(with_source: bool) -> int:
        b = StoreBuilder()
        budanov = b.speaker("Kyrylo Budanov")
        for i, text in enumerate(texts):
            b.article(f"a{i}")
            b.claim(f"a{i}", 0, text, budanov, source=INTERVIEW if with_source else None)
        return len(repeated_statements(read_claims(b.store)))

    assert (clusters(False), clusters(True)) == (0, 1)


def test_origin_is_the_cited_work_else_the_earliest_article() -> None:
    b = StoreBuilder()
    b.article("a1", date="2022-10-26")
    b.article("a2", date="2022-10-24")
    b.article("a3")
    budanov = b.speaker("Kyrylo Budanov")
    text = "Russia had depleted its supply of Iskander missiles"
    b.claim("a1", 0, text, budanov)
    b.claim("a2", 0, text, budanov)
    b.claim("a3", 0, text, budanov)
    [cluster] = repeated_statements(read_claims(b.store))
    assert cluster.origin == article_iri("a2").value and cluster.origin_kind == "article"  # dated first, undated last
    assert cluster.articles == tuple(article_iri(a).value for a in ("a2", "a1", "a3"))
    b.claim("a3", 100, text + " down to 13 per cent", budanov, source=INTERVIEW)
    [cluster] = repeated_statements(read_claims(b.store))
    assert (cluster.origin, cluster.origin_kind) == (INTERVIEW.value, "work")


# --- write-back -----------------------------------------------------------------------


def test_analysis_result_writes_counts_camps_sources_and_clusters() -> None:
    b, people = four_speakers()
    b.cites("a0", INTERVIEW, "interview of Kyrylo Budanov with Ukrainska Pravda")
    b.cites("a1", INTERVIEW, "interview of Kyrylo Budanov with Ukrainska Pravda")
    b.claim("a0", 100, "They are preparing to defend the city of Kherson", people["Ann"], source=INTERVIEW)
    b.claim("a1", 100, "They are preparing to defend Kherson city", people["Ann"], source=INTERVIEW)
    result = analysis_result(b.store)
    assert result == analysis_result(b.store)  # deterministic, IRIs included
    assert all(q.graph_name == ANALYSIS_GRAPH for q in result.quads)
    b.store.extend(result.quads)

    def rows(body: str) -> list[dict[str, str]]:
        return [{k: v.value for k, v in r.items() if v is not None} for r in select(b.store, body)]

    ann = rows(f"SELECT ?c ?a ?camp ?x WHERE {{ <{people['Ann'].value}> kg:contradictionCount ?c ; kg:agreementCount ?a ; kg:camp ?camp ; kg:centrality ?x }}")
    assert [(r["c"], r["a"]) for r in ann] == [("1", "1")]
    assert abs(float(ann[0]["x"]) - 2 / 3) < 1e-3  # related to Bob and Cid, out of three other speakers
    assert ann[0]["camp"].startswith(ID_NS + "camp/")
    members = rows(f"SELECT ?m WHERE {{ <{ann[0]['camp']}> a kg:Camp ; rdfs:label ?l ; kg:member ?m }}")
    assert {m["m"] for m in members} == {people["Ann"].value, people["Bob"].value}
    assert rows(f"SELECT ?n WHERE {{ <{INTERVIEW.value}> kg:citedByCount ?n }}") == [{"n": "2"}]
    [cluster] = rows(
        "SELECT ?s ?origin ?n (COUNT(?m) AS ?members) WHERE { ?s a kg:StatementCluster ; schema:author ?who ; "
        "kg:origin ?origin ; kg:carriedByCount ?n ; kg:member ?m } GROUP BY ?s ?origin ?n"
    )
    assert cluster["s"].startswith(ID_NS + "statement/")
    assert (cluster["origin"], cluster["n"], cluster["members"]) == (INTERVIEW.value, "2", "2")
    data = json.loads(json.dumps(result.data))
    assert [s["label"] for s in data["contradictions"][0]["speakers"]] == ["Ann", "Cid"]
    assert data["repeated_statements"][0]["origin"]["label"] == "interview of Kyrylo Budanov with Ukrainska Pravda"


def test_an_empty_graph_has_an_empty_analysis() -> None:
    result = analysis_result(ox.Store())
    assert result.quads == ()
    assert (result.data["contradictions"], result.data["camps"], result.data["repeated_statements"]) == ([], [], [])


# --- the seeds -------------------------------------------------------------------------


def test_seeds_report_json_names_who_contradicts_whom(seeds_build: BuildResult) -> None:
    data = json.loads((seeds_build.out_dir / "report.json").read_text(encoding="utf-8"))
    assert {"speakers", "contradictions", "agreements", "camps", "sources", "repeated_statements"} <= set(data)
    pairs = [{s["label"] for s in p["speakers"]} for p in data["contradictions"]]
    assert {"Kyrylo Budanov", "Western officials"} in pairs
    budanov_west = data["contradictions"][pairs.index({"Kyrylo Budanov", "Western officials"})]
    # Budanov: Russia is not leaving, it prepares to defend; Western officials: Russia plans to retreat.
    texts = {r[side]["speaker"]["label"]: r[side]["text"] for r in budanov_west["relations"] for side in ("from", "to")}
    assert "retreat" in texts["Western officials"]
    texts_of = {a.id: a.text for a in seeds_build.articles}
    for r in budanov_west["relations"]:
        for side in ("from", "to"):
            assert r[side]["sentence"] in texts_of[r[side]["article"]]  # the evidence is the article's own sentence
    camps_of = {s["label"]: s["camps"] for s in data["speakers"]}
    assert len(camps_of["Kyrylo Budanov"]) == len(camps_of["Western officials"]) == 1  # the seeds are one story
    assert camps_of["Kyrylo Budanov"] != camps_of["Western officials"]
    top_source = data["sources"][0]
    assert top_source["label"] == "interview of Kyrylo Budanov with Ukrainska Pravda" and top_source["outlets"] == 5
    repeated = [c for c in data["repeated_statements"] if c["speaker"]["label"] == "Kyrylo Budanov"]
    assert repeated and len(repeated[0]["articles"]) >= 3
    assert repeated[0]["origin"]["iri"] == INTERVIEW.value
    report = (seeds_build.out_dir / "report.md").read_text(encoding="utf-8")
    for section in ("## Who contradicts whom", "## Agreements", "## Camps", "## Most cited sources", "## Repeated statements"):
        assert section in report
    assert "| Kyrylo Budanov vs Western officials |" in report


def test_seeds_analysis_is_in_the_store(seeds_build: BuildResult) -> None:
    store = open_store(seeds_build.out_dir)
    rows = select(
        store,
        f"""SELECT ?n WHERE {{ GRAPH <{ANALYSIS_GRAPH.value}> {{ <{BUDANOV.value}> kg:contradictionCount ?n ; kg:camp ?c }} }}""",
    )
    assert len(rows) == 1 and int(rows[0]["n"].value) >= 2


# --- the shapes of the analysis bite (ontology/shapes.ttl) ---------------------------------

_KG = rdflib.Namespace("https://w3id.org/kgraph/ontology#")
_SCHEMA = rdflib.Namespace("https://schema.org/")
Corruption = Callable[[rdflib.Graph], tuple[rdflib.URIRef, str, rdflib.URIRef]]  # -> (focus, shape, constraint)


def _a_cluster(g: rdflib.Graph) -> rdflib.URIRef:
    return min(g.subjects(RDFLIB_RDF.type, _KG.StatementCluster))


def wrong_cited_by_count(g: rdflib.Graph) -> tuple[rdflib.URIRef, str, rdflib.URIRef]:
    source = rdflib.URIRef(INTERVIEW.value)
    g.set((source, _KG.citedByCount, rdflib.Literal(9, datatype=rdflib.XSD.integer)))
    return source, "CitedSourceShape", KGSH.CitedByCountIsItsArticles


def wrong_carried_by_count(g: rdflib.Graph) -> tuple[rdflib.URIRef, str, rdflib.URIRef]:
    cluster = _a_cluster(g)
    g.set((cluster, _KG.carriedByCount, rdflib.Literal(9, datatype=rdflib.XSD.integer)))
    return cluster, "StatementClusterShape", KGSH.ClusterCountIsItsArticles


def claim_of_another_speaker_in_a_cluster(g: rdflib.Graph) -> tuple[rdflib.URIRef, str, rdflib.URIRef]:
    cluster = _a_cluster(g)
    g.add((cluster, _KG.member, min(g.subjects(_SCHEMA.author, rdflib.URIRef(WESTERN.value)))))
    return cluster, "StatementClusterShape", KGSH.ClusterMembersHaveItsSpeaker


def contradicting_speakers_in_one_camp(g: rdflib.Graph) -> tuple[rdflib.URIRef, str, rdflib.URIRef]:
    budanov, western = rdflib.URIRef(BUDANOV.value), rdflib.URIRef(WESTERN.value)
    camp = g.value(budanov, _KG.camp)
    g.add((camp, _KG.member, western))
    g.set((western, _KG.camp, camp))
    return camp, "CampShape", KGSH.NoContradictionInsideACamp


def two_camps_of_one_story(g: rdflib.Graph) -> tuple[rdflib.URIRef, str, rdflib.URIRef]:
    budanov, western = rdflib.URIRef(BUDANOV.value), rdflib.URIRef(WESTERN.value)
    other = g.value(western, _KG.camp)
    g.add((other, _KG.member, budanov))
    g.add((budanov, _KG.camp, other))
    return budanov, "SpeakerAnalysisShape", KGSH.OneCampPerStory


def camp_member_without_a_reason(g: rdflib.Graph) -> tuple[rdflib.URIRef, str, rdflib.URIRef]:
    camp = g.value(rdflib.URIRef(BUDANOV.value), _KG.camp)
    putin = rdflib.URIRef(entity_iri("person", "Vladimir Putin").value)
    g.add((camp, _KG.member, putin))
    g.add((putin, _KG.camp, camp))
    return camp, "CampShape", KGSH.EveryCampMemberHasItsReason


@pytest.fixture(scope="module")
def seeds_data(seeds_build: BuildResult) -> rdflib.Graph:
    return union_of(Path(seeds_build.out_dir) / "graph.trig")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    from test_shapes import SHAPES

    return rdflib.Graph().parse(SHAPES)


@pytest.mark.parametrize(
    "corrupt",
    [
        wrong_cited_by_count,
        wrong_carried_by_count,
        claim_of_another_speaker_in_a_cluster,
        contradicting_speakers_in_one_camp,
        two_camps_of_one_story,
        camp_member_without_a_reason,
    ],
    ids=lambda f: f.__name__,
)
def test_analysis_shapes_catch_corruption(seeds_data: rdflib.Graph, shapes: rdflib.Graph, corrupt: Corruption) -> None:
    bad = rdflib.Graph()
    bad += seeds_data
    focus, shape, constraint = corrupt(bad)
    conforms, _, _ = validate(seeds_data, shapes, use_shapes=[KGSH[shape]], focus_nodes=[focus])
    assert conforms  # the real output is fine ...
    conforms, report, text = validate(bad, shapes, use_shapes=[KGSH[shape]], focus_nodes=[focus], inplace=True)
    assert not conforms, text  # ... and the corruption is caught by the constraint meant for it
    assert any(c == SH.SPARQLConstraintComponent and where == constraint for c, where, _, _ in results_of(report)), text


def test_pagerank_sums_to_one_and_ranks_the_most_cited_source_first() -> None:
    import networkx as nx

    from kgraph.analyze.analyses import pagerank

    g = nx.DiGraph()
    for article in ("a1", "a2", "a3"):
        g.add_edge(article, "interview", weight=1.0)
    g.add_edge("a1", "channel", weight=1.0)
    rank = pagerank(g)
    assert abs(sum(rank.values()) - 1.0) < 1e-6
    assert rank["interview"] > rank["channel"] > rank["a1"]
    assert rank["a1"] == rank["a2"] == rank["a3"]  # no one cites the articles: they tie
