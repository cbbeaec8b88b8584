"""Events on crafted sentences: triggers, participants, place, time, modality, and merging across articles."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language

from kgraph.ingest.article import Article
from kgraph.build import corpus_mentions
from kgraph.extract.events import EventMention
from kgraph.extract.findings import ArticleFindings, extract_article
from kgraph.lexicons import load_event_lexicon, load_honorifics, load_reporting_lexicon
from kgraph.resolve.entities import resolve_entities
from kgraph.resolve.events import EventResolution, resolve_events, times_compatible

Extract = Callable[[str], tuple[str, ArticleFindings]]


@pytest.fixture(scope="module")
def extract(nlp: Language) -> Extract:
    def run(text: str) -> tuple[str, ArticleFindings]:
        return text, extract_article(nlp(text), load_honorifics(), load_reporting_lexicon(), load_event_lexicon())

    return run


@pytest.fixture(scope="module")
def corpus(nlp: Language) -> Callable[..., tuple[list[Article], dict[str, ArticleFindings], EventResolution]]:
    def run(*texts: str, dates: tuple[str | None, ...] | None = None) -> tuple[list[Article], dict[str, ArticleFindings], EventResolution]:
        dates = dates or tuple(None for _ in texts)
        articles = [Article(id=f"a{i}", text=t, source=f"a{i}.txt", date=d) for i, (t, d) in enumerate(zip(texts, dates, strict=True))]
        findings = {a.id: extract_article(nlp(a.text), load_honorifics(), load_reporting_lexicon(), load_event_lexicon()) for a in articles}
        mentions = corpus_mentions(articles, findings)
        resolution = resolve_entities(mentions)
        return articles, findings, resolve_events(articles, findings, mentions, resolution, load_event_lexicon(), load_reporting_lexicon().collective_heads)

    return run


def event(text: str, f: ArticleFindings, trigger: str) -> EventMention:
    found = [e for e in f.events if text[e.start : e.end] == trigger or e.lemma == trigger]
    assert found, f"no event with trigger {trigger!r}: {[(e.trigger, e.event_class) for e in f.events]}"
    return found[0]


def arg(e: EventMention, role: str) -> str | None:
    a = getattr(e, role)
    return a.text if a is not None else None


# --- triggers --------------------------------------------------------------------


def test_verbal_nominal_phrasal_and_compound_triggers(extract: Extract) -> None:
    text, f = extract(
        "Russia attacked Kyiv with drones. The evacuation of civilians began at dawn. "
        "The troops will pull out of the town. The leaders held a phone call."
    )
    classes = {e.trigger: e.event_class for e in f.events}
    assert classes["attacked"] == "attack"
    assert classes["evacuation"] == "evacuation"
    assert classes["pull out"] == "withdrawal"  # phrasal verb: trigger spans verb and particle
    assert classes["phone call"] == "call"  # two-word lexicon entry
    assert "held" not in classes  # a light verb: the noun is the event


def test_a_cue_that_governs_an_event_is_not_an_event_itself(extract: Extract) -> None:
    text, f = extract("The governor ordered the evacuation of the city.")
    assert [e.event_class for e in f.events] == ["evacuation"]
    assert event(text, f, "evacuation").modality == "planned"


def test_quantity_classes_need_a_number(extract: Extract) -> None:
    _, with_number = extract("Profits fell 12 percent in the quarter.")
    _, without = extract("The first city to fall was Kherson.")
    assert [e.event_class for e in with_number.events] == ["financial-result"]
    assert not any(e.event_class == "financial-result" for e in without.events)


# --- participants, place -------------------------------------------------------------


def test_verb_subject_object_and_passive_agent(extract: Extract) -> None:
    text, f = extract("Russia attacked Kyiv on Monday. Kharkiv was shelled by Russian artillery.")
    attack = event(text, f, "attacked")
    assert (arg(attack, "agent"), arg(attack, "patient")) == ("Russia", "Kyiv")
    shelled = event(text, f, "shelled")
    assert arg(shelled, "patient") == "Kharkiv" and arg(shelled, "agent") == "Russian artillery"


def test_noun_possessor_nationality_and_of_phrases(extract: Extract) -> None:
    text, f = extract(
        "Russia's invasion of Ukraine shocked Europe. The retreat of Russian troops was slow. "
        "The annexation of Crimea was never recognised. The Ukrainian counteroffensive continued."
    )
    invasion = event(text, f, "invasion")
    assert (arg(invasion, "agent"), arg(invasion, "patient")) == ("Russia", "Ukraine")
    assert arg(event(text, f, "retreat"), "agent") == "Russian troops"  # "of" is the agent for a retreat
    assert arg(event(text, f, "annexation"), "patient") == "Crimea"  # and the patient for an annexation
    assert arg(event(text, f, "counteroffensive"), "agent") == "Ukrainian"


def test_control_verbs_pass_their_subject_and_places_are_found(extract: Extract) -> None:
    text, f = extract("Russia is planning to retreat from the city of Kherson. Officials fled across the river.")
    retreat = event(text, f, "retreat")
    assert arg(retreat, "agent") == "Russia"
    assert arg(retreat, "place") == "city of Kherson"
    fled = event(text, f, "fled")
    assert arg(fled, "agent") == "Officials" and arg(fled, "place") == "river"


# --- time -------------------------------------------------------------------------


def test_absolute_and_relative_times_attach_to_their_event(extract: Extract) -> None:
    text, f = extract("Russia annexed Crimea in 2014. Last week Russia attacked Kyiv with drones.")
    annexed = event(text, f, "annexed")
    assert arg(annexed, "time") == "2014" and annexed.time_value == "2014" and not annexed.time_relative
    attack = event(text, f, "attacked")
    assert arg(attack, "time") == "Last week" and attack.time_relative and attack.time_value is None


def test_relative_dates_resolve_against_the_article_date_and_stay_text_without_one(corpus) -> None:  # type: ignore[no-untyped-def]
    text = "Russian forces shelled Kherson on Monday."
    _, _, dated = corpus(text, dates=("2022-10-26",))  # a Wednesday
    (e,) = dated.events
    assert e.time_value == "2022-10-24" and e.time_text == "Monday"
    _, _, undated = corpus(text)
    (u,) = undated.events
    assert u.time_value is None and u.time_text == "Monday"  # kept as text, the year never guessed


# --- modality ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "trigger", "modality"),
    [
        ("Russian troops are not leaving Kherson.", "leaving", "denied"),
        ("The company moved its headquarters to Paris.", "moved", None),
        ("They are not retreating from the city.", "retreating", "denied"),
        ("The Kremlin denied any withdrawal from the region.", "withdrawal", "denied"),
        ("If the retreat goes ahead, the bridge will be destroyed.", "retreat", "hypothetical"),
        ("Ukrainian forces will attempt an offensive in the spring.", "offensive", "planned"),
        ("Officials said Russia would invade again.", "invade", "hypothetical"),
        ("Russia is preparing for the evacuation of the city.", "evacuation", "planned"),
        ("Russian soldiers are digging in along the river.", "digging", "ongoing"),
        ("Russian forces captured the city in March.", "captured", "happened"),
        ("There were rumors about the withdrawal of Russian troops.", "withdrawal", "hypothetical"),
        ("The general could not confirm that Russian troops had withdrawn.", "withdrawn", "hypothetical"),  # left open
        ("The general did not think that Russian troops had withdrawn.", "withdrawn", "denied"),  # neg-raising: denied
    ],
)
def test_modality(extract: Extract, sentence: str, trigger: str, modality: str | None) -> None:
    text, f = extract(sentence)
    found = [e for e in f.events if text[e.start : e.end].startswith(trigger)]
    if modality is None:  # "move" is a deployment only with forces as its object
        assert not found
        return
    assert found, [(e.trigger, e.event_class) for e in f.events]
    assert found[0].modality == modality


# --- across articles -------------------------------------------------------------------


def test_two_annexations_stay_apart_and_each_merges_with_its_own_mentions(corpus) -> None:  # type: ignore[no-untyped-def]
    articles, findings, res = corpus(
        "Russia annexed Crimea in 2014. Most countries never recognised it.",
        "In September 2022 Russia annexed the Kherson region after staged votes.",
        "The annexation of Crimea in 2014 was the start of the conflict.",
        "Moscow's annexation of the Kherson region in September 2022 was condemned.",
    )

    def event_of(aid: str) -> int:
        f = findings[aid]
        (e,) = [e for e in f.events if e.event_class == "annexation"]
        return res.event_of_mention[(aid, e.start, e.end)]

    crimea, kherson = {event_of("a0"), event_of("a2")}, {event_of("a1"), event_of("a3")}
    assert len(crimea) == 1 and len(kherson) == 1 and crimea != kherson
    merged = res.events[crimea.pop()]
    assert merged.time_value == "2014" and set(merged.article_ids) == {"a0", "a2"}
    (merge,) = merged.merges
    assert merge.rule == "event-shared-participant" and set(merge.articles) == {"a0", "a2"}
    assert "annexed" in merge.detail and "annexation" in merge.detail  # names both mentions


def test_one_withdrawal_across_outlets_and_an_anaphoric_mention(corpus) -> None:  # type: ignore[no-untyped-def]
    _, findings, res = corpus(
        "Russia is planning to retreat from Kherson, Western officials said. The retreat could take weeks.",
        "Kyrylo Budanov said that Russian troops are not withdrawing from Kherson.",
    )
    ids = {res.event_of_mention[(aid, e.start, e.end)] for aid, f in findings.items() for e in f.events if e.event_class == "withdrawal"}
    assert len(ids) == 1
    (e,) = [res.events[i] for i in ids]
    assert {"planned", "denied"} <= set(e.modalities)  # both readings kept on one event
    assert {m.rule for m in e.merges} == {"event-anaphora-in-article", "event-shared-participant"}


def test_same_class_and_actor_in_different_articles_without_shared_place_or_time_stay_apart(corpus) -> None:  # type: ignore[no-untyped-def]
    _, findings, res = corpus("Russia attacked Kyiv on Monday.", "Russia attacked Lviv with missiles.", dates=("2022-10-10", "2022-10-20"))
    ids = {res.event_of_mention[(aid, e.start, e.end)] for aid, f in findings.items() for e in f.events}
    assert len(ids) == 2


def test_times_compatible() -> None:
    assert times_compatible("2022-10", "2022-10-24")
    assert not times_compatible("2014", "2022-09")
    assert times_compatible("2022-W43", "2022-10-26") and not times_compatible("2022-W43", "2022-10-17")


def test_a_future_weekday_is_the_next_one_once_the_article_date_is_known(corpus) -> None:  # type: ignore[no-untyped-def]
    _, _, res = corpus("Russian and Ukrainian officials will meet in Istanbul on Monday.", dates=("2022-10-26",))  # a Wednesday
    (e,) = [e for e in res.events if e.event_class == "meeting"]
    assert e.time_value == "2022-10-31"


def _event_ids(res, findings, cls: str) -> set[int]:  # type: ignore[no-untyped-def]
    return {res.event_of_mention[(aid, e.start, e.end)] for aid, f in findings.items() for e in f.events if e.event_class == cls}


def test_same_actor_and_same_time_merge_across_articles(corpus) -> None:  # type: ignore[no-untyped-def]
    _, findings, res = corpus(
        "Russia attacked with drones on Monday, officials said.",
        "On Monday Russia attacked with a swarm of drones.",
        dates=("2022-10-26", "2022-10-25"),  # both Mondays are 2022-10-24
    )
    (idx,) = _event_ids(res, findings, "attack")
    assert res.events[idx].time_value == "2022-10-24"
    assert [m.rule for m in res.events[idx].merges] == ["event-same-actor-and-time"]


def test_an_undated_campaign_by_one_side_is_one_event_and_a_dated_one_is_not_forced_in(corpus) -> None:  # type: ignore[no-untyped-def]
    _, findings, res = corpus(
        "Russian troops are withdrawing, Western officials said.",
        "Russia is withdrawing its forces, according to analysts.",
        "Russia withdrew from Kyiv in 2022.",
    )
    ids = _event_ids(res, findings, "withdrawal")
    assert len(ids) == 2
    merged = next(res.events[i] for i in ids if len(res.events[i].article_ids) == 2)
    assert set(merged.article_ids) == {"a0", "a1"} and [m.rule for m in merged.merges] == ["event-same-campaign"]


def test_different_companies_doing_the_same_thing_to_one_patient_stay_apart(corpus) -> None:  # type: ignore[no-untyped-def]
    _, findings, res = corpus(
        "Aeroflot agreed to purchase 22 jets from Boeing.",
        "China Eastern agreed to purchase 22 jets from Boeing.",
    )
    assert len(_event_ids(res, findings, "acquisition")) == 2


def test_the_same_attack_on_two_different_cities_stays_apart(corpus) -> None:  # type: ignore[no-untyped-def]
    _, findings, res = corpus("Russian forces shelled the bridge in Kherson.", "Russian forces shelled the bridge in Kharkiv.")
    assert len(_event_ids(res, findings, "shelling")) == 2
