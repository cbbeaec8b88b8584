"""Stories: articles grouped by what they report, and claims compared only inside one story."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SEEDS
from spacy.language import Language

from kgraph.build import BuildResult, build
from kgraph.extract.entities import EntityMention
from kgraph.ingest.article import Article
from kgraph.rdf.store import open_store, select_values
from kgraph.resolve.entities import resolve_entities
from kgraph.resolve.stories import cluster_stories

MEANTIME = Path(__file__).resolve().parents[2] / "shared" / "data" / "meantime-dev" / "meantime_en_dev.jsonl"


def _article(aid: str, text: str, names: list[tuple[str, str]], date: str | None = None) -> tuple[Article, list[EntityMention]]:
    """An article whose mentions are the given names, found in its text."""
    ms = []
    for name, label in names:
        at = text.index(name)
        ms.append(EntityMention(at, at + len(name), name, label, 0, len(text)))
    return Article(id=aid, text=text, source=f"{aid}.txt", date=date), ms


WITHDRAWAL = [
    _article(f"k{i}", f"Russian troops began a retreat across the Dnipro river from Kherson, Budanov said. Obama was briefed. Residents fled the city {i}.",
             [("Dnipro", "LOC"), ("Kherson", "GPE"), ("Budanov", "PERSON"), ("Obama", "PERSON")])
    for i in range(3)
]
CLINIC = [
    _article(f"c{i}", f"Joan Rivers died after surgery at the Yorkville clinic, where a surgeon took a selfie, Obama said. The clinic denied it {i}.",
             [("Joan Rivers", "PERSON"), ("Yorkville", "ORG"), ("Obama", "PERSON")])
    for i in range(3)
]


def _stories(pairs: list[tuple[Article, list[EntityMention]]]):  # type: ignore[no-untyped-def]
    articles = [a for a, _ in pairs]
    mentions = {a.id: ms for a, ms in pairs}
    return cluster_stories(articles, mentions, resolve_entities(mentions))


def test_two_stories_that_share_a_person_and_common_words_stay_two() -> None:
    res = _stories([*WITHDRAWAL, *CLINIC])
    groups = {frozenset(s.article_ids) for s in res.stories}
    assert groups == {frozenset({"k0", "k1", "k2"}), frozenset({"c0", "c1", "c2"})}
    labels = {s.label.split(" · ")[0] for s in res.stories}
    assert "Obama" not in labels  # the shared person is not what either story is about


def test_articles_far_apart_in_time_are_two_stories_and_a_story_has_its_period() -> None:
    early = [(_article(a.id, a.text, [], "2014-01-10")[0], ms) for a, ms in WITHDRAWAL[:2]]
    late = [(_article("k9", WITHDRAWAL[2][0].text, [], "2014-09-01")[0], WITHDRAWAL[2][1])]
    res = _stories([*early, *late])
    assert len(res.stories) == 2
    big = res.stories[0]
    assert big.article_ids == ("k0", "k1") and (big.start, big.end) == ("2014-01-10", "2014-01-10")
    assert big.key == "k0"


def test_the_seeds_are_one_story_in_the_graph_report_and_json(seeds_build: BuildResult) -> None:
    store = open_store(seeds_build.out_dir)
    rows = select_values(store, "SELECT ?s (COUNT(?a) AS ?n) WHERE { ?s a kg:Story, schema:Collection ; schema:hasPart ?a . ?a kg:story ?s } GROUP BY ?s")
    assert [r["n"] for r in rows] == ["5"]
    report = (seeds_build.out_dir / "report.md").read_text(encoding="utf-8")
    assert "## Stories (1)" in report
    stories = json.loads((seeds_build.out_dir / "report.json").read_text(encoding="utf-8"))["stories"]
    assert len(stories) == 1 and len(stories[0]["articles"]) == 5 and "Kherson" in stories[0]["label"]


def test_claims_of_two_stories_are_never_related(tmp_path: Path, nlp: Language) -> None:
    docs = [json.loads(line) for line in MEANTIME.read_text(encoding="utf-8").splitlines()]
    corpus = tmp_path / "mixed.jsonl"
    picked = [d for d in docs if d["topic"] == "corpus_apple"][:6] + [d for d in docs if d["topic"] == "corpus_airbus"][:6]
    corpus.write_text("".join(json.dumps({"id": f"{d['topic']}-{d['doc_id']}", "text": d["text"]}) + "\n" for d in picked), encoding="utf-8")
    result = build([SEEDS, corpus], tmp_path / "out", nlp=nlp)
    store = open_store(result.out_dir)
    stories = select_values(store, "SELECT ?s ?id WHERE { ?s a kg:Story ; schema:hasPart/schema:identifier ?id }")
    topics: dict[str, set[str]] = {}
    for r in stories:
        topics.setdefault(r["s"], set()).add("seed" if r["id"][0].isdigit() else r["id"].split("-")[0])
    assert all(len(t) == 1 for t in topics.values()), topics  # no story mixes Kherson, Apple and Airbus
    crossing = select_values(
        store,
        """SELECT ?r WHERE { ?r a kg:ClaimRelation ; kg:fromClaim/schema:appearance/kg:story ?s1 ;
                                 kg:toClaim/schema:appearance/kg:story ?s2 . FILTER (?s1 != ?s2) }""",
    )
    assert crossing == []
    related = select_values(store, "SELECT (COUNT(?r) AS ?n) WHERE { ?r a kg:ClaimRelation }")
    assert int(related[0]["n"]) > 0  # the seeds' disputes are still found


def test_an_incremental_build_adds_an_article_to_its_story_and_opens_a_new_one(tmp_path: Path, nlp: Language) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    out = tmp_path / "out"
    build(seeds[1:], out, nlp=nlp)

    def stories() -> dict[str, set[str]]:
        rows = select_values(open_store(out), "SELECT ?s ?id WHERE { ?s a kg:Story ; schema:hasPart/schema:identifier ?id }")
        found: dict[str, set[str]] = {}
        for r in rows:
            found.setdefault(r["s"], set()).add(r["id"])
        return found

    (first,) = stories()
    # the article added has the smallest id: the story still keeps the name it had
    build(seeds[:1], out, into=True, nlp=nlp)
    after = stories()
    assert list(after) == [first] and len(after[first]) == 5
    docs = [json.loads(line) for line in MEANTIME.read_text(encoding="utf-8").splitlines()]
    airbus = next(d for d in docs if d["topic"] == "corpus_airbus")
    (tmp_path / "airbus.txt").write_text(airbus["text"], encoding="utf-8")
    build([tmp_path / "airbus.txt"], out, into=True, nlp=nlp)
    final = stories()
    assert len(final) == 2 and final[first] == after[first]
    (other,) = set(final) - {first}
    assert final[other] == {"airbus"}
