"""Every example query in queries/ runs against the seeds build and answers what it promises."""

from __future__ import annotations

import pytest
from conftest import REPO
from pyoxigraph import Store

from kgraph.build import BuildResult
from kgraph.serve.query import Table, run_query
from kgraph.rdf.store import open_store

QUERIES = REPO / "queries"


@pytest.fixture(scope="module")
def store(seeds_build: BuildResult) -> Store:
    return open_store(seeds_build.out_dir)


def answer(store: Store, name: str) -> list[dict[str, str]]:
    result = run_query(store, (QUERIES / name).read_text(encoding="utf-8"))
    assert isinstance(result, Table)
    return [dict(zip(result.columns, row)) for row in result.rows]


def test_every_query_file_is_exercised_here() -> None:
    tested = {
        "people-by-outlets.rq", "entity-profile.rq", "mentions-with-sentences.rq", "merges.rq",
        "claims-by-speaker.rq", "outlets-cite-sources.rq", "most-cited-sources.rq",
        "events-in-place.rq", "actor-timeline.rq", "contradicting-speakers.rq", "repeated-claims.rq",
        "stories.rq", "story-disputes.rq",
    }
    assert {p.name for p in QUERIES.glob("*.rq")} == tested


def test_people_mentioned_by_most_outlets(store: Store) -> None:
    rows = answer(store, "people-by-outlets.rq")
    assert rows[0]["name"] == "Kyrylo Budanov" and rows[0]["outlets"] == "5"
    assert [r["name"] for r in rows[1:3]] == ["Sergei Surovikin", "Vladimir Putin"]
    counts = [int(r["outlets"]) for r in rows]
    assert counts == sorted(counts, reverse=True)


def test_everything_known_about_one_entity(store: Store) -> None:
    rows = answer(store, "entity-profile.rq")
    props: dict[str, set[str]] = {}
    for r in rows:
        props.setdefault(r["property"], set()).add(r["value"])
    assert props["rdf:type"] == {"schema:Person"}
    assert props["rdfs:label"] == {"Kyrylo Budanov"}
    assert {"Kyrylo O. Budanov", "Budanov"} <= props["skos:altLabel"]
    assert len(props["schema:mentions"]) == 5
    assert any(v.startswith("Kyrylo O. Budanov — ") for v in props["kg:mergedForm"])
    assert props["kg:articleCount"] == {"5"}


def test_mentions_with_their_sentences(store: Store, seeds_build: BuildResult) -> None:
    rows = answer(store, "mentions-with-sentences.rq")
    texts = {a.id: a.text for a in seeds_build.articles}
    assert {r["article"] for r in rows} == set(texts)
    for r in rows:
        b, e = int(r["begin"]), int(r["end"])
        assert texts[r["article"]][b:e] == r["anchor"]
        assert r["anchor"] in r["sentence"] and r["sentence"] in texts[r["article"]]
    assert "Cherson" in {r["anchor"] for r in rows}


def test_merges_with_rules_and_reasons(store: Store) -> None:
    rows = answer(store, "merges.rq")
    by_form = {r["form"]: r for r in rows}
    assert by_form["Sergey Surovikin"]["rule"] == "kg:rule-transliteration"
    assert by_form["Kyrylo O. Budanov"]["rule"] == "kg:rule-middle-initial"
    assert by_form["Cherson"]["articles"] == "003_d14ddbe9530e48af"
    assert all(r["reason"] for r in rows)


def test_claims_by_speaker_lists_budanov_quotes_with_their_sentences(store: Store, seeds_build: BuildResult) -> None:
    rows = answer(store, "claims-by-speaker.rq")
    texts = {a.id: a.text for a in seeds_build.articles}
    assert len({r["article"] for r in rows}) == 5  # every seed article quotes or reports him
    assert any(r["direct"] == "true" and "They are preparing to defend" in r["claim_text"] for r in rows)
    for r in rows:
        assert r["sentence"] in texts[r["article"]] and r["claim_text"] in texts[r["article"]]
        if r["direct"] == "false":  # a reported claim lies in its sentence; a quote may run over several
            assert r["claim_text"].strip(" .,") in r["sentence"]


def test_one_interview_is_cited_by_every_outlet(store: Store) -> None:
    rows = answer(store, "most-cited-sources.rq")
    top = rows[0]
    assert top["speaker"] == "Kyrylo Budanov" and top["published_by"] == "Ukrainska Pravda"
    assert int(top["articles"]) == 5


def test_outlets_cite_sources_with_the_phrase_that_says_so(store: Store) -> None:
    rows = answer(store, "outlets-cite-sources.rq")
    kinds = {r["kind"] for r in rows}
    assert {"interview", "statement", "channel", "outlet", "social-media"} <= kinds
    assert any(r["kind"] == "channel" and "Telegram" in r["evidence"] for r in rows)


def test_events_in_kherson_keep_both_readings_of_the_withdrawal(store: Store, seeds_build: BuildResult) -> None:
    rows = answer(store, "events-in-place.rq")
    withdrawal = [r for r in rows if r["class"] == "withdrawal" and "Russia" in r["actors"]]
    assert withdrawal, rows
    by_article = {r["article"] for r in withdrawal}
    assert len(by_article) >= 2  # several outlets discuss one withdrawal
    readings = {r["modality"] for r in withdrawal}
    assert "denied" in readings and "planned" in readings  # Budanov: not leaving; Western officials: planning to
    texts = {a.id: a.text for a in seeds_build.articles}
    for r in withdrawal:
        assert r["sentence"] in texts[r["article"]]


def test_actor_timeline_orders_dated_events_first_and_resolves_last_week(store: Store) -> None:
    rows = answer(store, "actor-timeline.rq")
    dated = [r["time"] for r in rows if r["time"]]
    assert dated == sorted(dated)
    first_undated = next(i for i, r in enumerate(rows) if not r["time"])
    assert all(r["time"] for r in rows[:first_undated]) and not any(r["time"] for r in rows[first_undated:])
    # "Last week, Russia attacked Kyiv …" in the article dated Monday 2022-10-24: ISO week 42
    attack = [r for r in rows if r["event"].startswith("attack") and "Kyiv" in r["event"]]
    assert attack and attack[0]["time"] == "2022-W42" and attack[0]["role"] == "agent"
    assert attack[0]["reported"] == "2022-10-24"  # reporting time stays apart from event time
    assert any(r["event"] == "invasion: Russia → Ukraine" and r["role"] == "agent" for r in rows)


def test_budanov_and_western_officials_contradict_each_other_most(store: Store, seeds_build: BuildResult) -> None:
    rows = answer(store, "contradicting-speakers.rq")
    pair = {"Kyrylo Budanov", "Western officials"}
    assert {rows[0]["speaker_a"], rows[0]["speaker_b"]} == pair  # the pair with the most contradictions comes first
    theirs = [r for r in rows if {r["speaker_a"], r["speaker_b"]} == pair]
    assert int(theirs[0]["pair_contradictions"]) == len(theirs) >= 2
    said = {(r["speaker_a"], r["claim_a"], r["article_a"]) for r in theirs} | {(r["speaker_b"], r["claim_b"], r["article_b"]) for r in theirs}
    # Western officials: Russia is planning to retreat; Budanov: it is not leaving, it prepares to defend.
    assert any(who == "Western officials" and "retreat" in text for who, text, _ in said)
    assert any(who == "Kyrylo Budanov" and ("defend" in text or "not abandoned" in text) for who, text, _ in said)
    assert len({article for who, _, article in said if who == "Kyrylo Budanov"}) >= 2  # in several articles
    texts = {a.id: a.text for a in seeds_build.articles}
    for r in rows:
        assert r["rule"] in {"polarity", "opposing-predicate", "quantity", "explicit-rejection"}
        assert 0 < float(r["confidence"]) <= 1
        assert r["speaker_a"] != r["speaker_b"]
        for side in ("a", "b"):
            assert r[f"sentence_{side}"] in texts[r[f"article_{side}"]]
    confidences = [float(r["confidence"]) for r in theirs]
    assert confidences == sorted(confidences, reverse=True)


def test_repeated_budanov_interview_statements_name_their_origin(store: Store) -> None:
    rows = answer(store, "repeated-claims.rq")
    assert rows and all(int(r["outlets"]) >= 2 for r in rows)
    budanov = [r for r in rows if r["speaker"] == "Kyrylo Budanov"]
    top = budanov[0]
    # Budanov's interview with Ukrainska Pravda, repeated by most seed articles: "they create the illusion of
    # leaving, but in fact they are bringing in new military units" and "they are preparing to defend".
    assert int(top["outlets"]) >= 3 and int(top["carried_by"]) == len(top["articles"].split(", "))
    assert top["origin"] == "interview of Kyrylo Budanov with Ukrainska Pravda" and top["origin_kind"] == "work"
    assert "military units" in top["statement"] or "illusion" in top["statement"]
    assert any("defend" in r["statement"] for r in budanov if int(r["outlets"]) >= 3)


def test_the_seeds_are_one_story_of_five_articles_from_five_outlets(store: Store) -> None:
    rows = answer(store, "stories.rq")
    assert len(rows) == 1
    assert rows[0]["articles"] == "5" and rows[0]["outlets"] == "5"
    assert "Kherson" in rows[0]["label"] and rows[0]["period"] == "2022-10-24"


def test_story_disputes_set_budanovs_camp_against_the_western_officials_camp(store: Store, seeds_build: BuildResult) -> None:
    rows = answer(store, "story-disputes.rq")
    assert rows and {r["story_label"] for r in rows} == {"Kherson · Ukraine · Russia"}  # the seeds are one story
    texts = {a.id: a.text for a in seeds_build.articles}
    for r in rows:
        assert r["camp_a"] != r["camp_b"] and r["speaker_a"] != r["speaker_b"]
        assert r["speaker_a"] in r["members_a"].split("; ") and r["speaker_b"] in r["members_b"].split("; ")
        for side in ("a", "b"):
            assert r[f"sentence_{side}"] in texts[r[f"article_{side}"]]  # both sentences, each its article's own
    theirs = [r for r in rows if {r["speaker_a"], r["speaker_b"]} == {"Kyrylo Budanov", "Western officials"}]
    assert theirs
    said = {(r["speaker_a"], r["claim_a"]) for r in theirs} | {(r["speaker_b"], r["claim_b"]) for r in theirs}
    # Western officials: Russia is planning to retreat; Budanov: it is not leaving, it prepares to defend.
    assert any(who == "Western officials" and "retreat" in text for who, text in said)
    assert any(who == "Kyrylo Budanov" and ("defend" in text or "not abandoned" in text) for who, text in said)
    [pair] = {frozenset((r["camp_a"], r["camp_b"])) for r in theirs}
    assert frozenset((rows[0]["camp_a"], rows[0]["camp_b"])) == pair  # their camps' dispute is the story's largest, listed first
    assert rows[0]["pair_contradictions"] == str(sum(1 for r in rows if frozenset((r["camp_a"], r["camp_b"])) == pair))
    pairs = [int(r["pair_contradictions"]) for r in rows]
    assert pairs == sorted(pairs, reverse=True)
