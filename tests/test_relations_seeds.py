"""The disputes a careful reader sees in the seeds are in the graph, and the hard negatives are not.

The expectations come from the hand-made gold list ``tests/gold/relations_seeds.json``
(claims quoted from the articles); ``bench/eval_relations.py`` reports precision and
recall against all of it.
"""

from __future__ import annotations

import json

import pytest
from conftest import REPO
from pyoxigraph import Store

from kgraph.build import BuildResult
from kgraph.rdf.store import open_store, select

GOLD = json.loads((REPO / "tests" / "gold" / "relations_seeds.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def relations(seeds_build: BuildResult) -> list[dict[str, str]]:
    store: Store = open_store(seeds_build.out_dir)
    rows = select(
        store,
        """SELECT ?kind ?rule ?aid ?as ?ae ?bid ?bs ?be ?aspeaker ?bspeaker WHERE {
             ?r a kg:ClaimRelation ; kg:relationKind ?kind ; kg:relationRule ?rule ; kg:fromClaim ?a ; kg:toClaim ?b .
             ?a kg:content [ nif:beginIndex ?as ; nif:endIndex ?ae ] ; schema:appearance [ schema:identifier ?aid ] .
             ?b kg:content [ nif:beginIndex ?bs ; nif:endIndex ?be ] ; schema:appearance [ schema:identifier ?bid ] .
             OPTIONAL { ?a schema:author/rdfs:label ?aspeaker } OPTIONAL { ?b schema:author/rdfs:label ?bspeaker }
           }""",
    )
    return [{k: ("" if v is None else v.value) for k, v in r.items()} for r in rows]


def _texts(seeds_build: BuildResult) -> dict[str, str]:
    return {a.id: a.text for a in seeds_build.articles}


def _claim_span(texts: dict[str, str], cid: str) -> tuple[str, int, int]:
    c = GOLD["claims"][cid]
    at = texts[c["article"]].find(c["text"])
    assert at >= 0, cid
    return c["article"], at, at + len(c["text"])


def _touches(row: dict[str, str], side: str, span: tuple[str, int, int]) -> bool:
    aid, s, e = span
    return row[f"{side}id"] == aid and int(row[f"{side}s"]) < e and s < int(row[f"{side}e"])


def _related(rows: list[dict[str, str]], x: tuple[str, int, int], y: tuple[str, int, int]) -> list[dict[str, str]]:
    return [r for r in rows if (_touches(r, "a", x) and _touches(r, "b", y)) or (_touches(r, "a", y) and _touches(r, "b", x))]


def test_budanov_contradicts_the_western_officials_about_leaving_kherson(relations: list[dict[str, str]]) -> None:
    pairs = {frozenset((r["aspeaker"], r["bspeaker"])) for r in relations if r["kind"] == "contradiction"}
    assert frozenset(("Kyrylo Budanov", "Western officials")) in pairs
    rules = {r["rule"].rsplit("-", 1)[-1] for r in relations if {r["aspeaker"], r["bspeaker"]} == {"Kyrylo Budanov", "Western officials"}}
    assert rules & {"polarity", "predicate"}  # "not leaving" against "planning to retreat"; defending against retreating


def test_the_dirty_bomb_allegation_and_its_rejections(relations: list[dict[str, str]], seeds_build: BuildResult) -> None:
    texts = _texts(seeds_build)
    allegation = next(cid for cid, c in GOLD["claims"].items() if "dirty bomb" in c["text"] and c["speaker"] == "Russian ministry of defence")
    rejections = [r for r in relations if r["kind"] == "contradiction" and r["rule"].endswith("explicit-rejection")
                  and (_touches(r, "b", _claim_span(texts, allegation)) or _touches(r, "a", _claim_span(texts, allegation)))]
    assert len({(r["aid"], r["as"]) for r in rejections}) >= 2  # rejected in more than one place, both sides kept


def test_the_number_of_people_who_fled_is_disputed(relations: list[dict[str, str]], seeds_build: BuildResult) -> None:
    texts = _texts(seeds_build)
    moscow = next(cid for cid, c in GOLD["claims"].items() if "20,000 people" in c["text"])
    ukraine = next(cid for cid, c in GOLD["claims"].items() if "closer to 1,000" in c["text"])
    found = _related(relations, _claim_span(texts, moscow), _claim_span(texts, ukraine))
    assert found and all(r["kind"] == "contradiction" and r["rule"].endswith("quantity") for r in found)


def test_claims_that_only_share_a_place_or_topic_are_not_related(relations: list[dict[str, str]], seeds_build: BuildResult) -> None:
    texts = _texts(seeds_build)
    for pair in GOLD["not_related"]:
        assert not _related(relations, _claim_span(texts, pair["a"]), _claim_span(texts, pair["b"])), pair["why"]


def test_no_speaker_contradicts_themselves(relations: list[dict[str, str]]) -> None:
    assert not [r for r in relations if r["aspeaker"] and r["aspeaker"] == r["bspeaker"]]
