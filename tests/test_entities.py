"""Entity mentions on real sentences with the real English pipeline."""

from __future__ import annotations

import pytest
from conftest import SEEDS
from spacy.language import Language

from kgraph.extract.entities import EntityMention, extract_entity_mentions
from kgraph.lexicons import load_honorifics


def mentions(nlp: Language, text: str) -> tuple[EntityMention, ...]:
    return extract_entity_mentions(nlp(text), load_honorifics())


def by_text(ms: tuple[EntityMention, ...]) -> dict[str, EntityMention]:
    return {m.text: m for m in ms}


@pytest.mark.parametrize(
    ("sentence", "name", "title"),
    [
        ("Major-General Kyrylo Budanov told the Ukrainska Pravda newspaper that Russian forces wanted urban combat.", "Kyrylo Budanov", "Major-General"),
        ("“They are not preparing to exit now,” Gen. Kyrylo O. Budanov said in an interview.", "Kyrylo O. Budanov", "Gen."),
        ("Meanwhile Colonel-General Alexander Lapin, head of Russia’s central military district, has been sacked.", "Alexander Lapin", "Colonel-General"),
        ("The loss of Kherson would be a severe blow for Mr. Putin, who has rejected requests from his commanders.", "Putin", "Mr."),
    ],
)
def test_titles_are_stripped_and_kept_as_evidence(nlp: Language, sentence: str, name: str, title: str) -> None:
    found = by_text(mentions(nlp, sentence))
    assert name in found, found
    assert found[name].title == title
    assert found[name].label == "PERSON"
    assert not any(t.startswith(title.rstrip(".")) for t in found)


def test_person_glued_to_organisation_is_split(nlp: Language) -> None:
    text = (
        "The head of the Defense Intelligence of the Ministry of Defense Kyrylo Budanov announced this in an interview. "
        "Budanov said the Russians were leaving."
    )
    found = by_text(mentions(nlp, text))
    assert found["Kyrylo Budanov"].label == "PERSON"
    assert "Defense Intelligence of the Ministry of Defense" in found


def test_possessive_dash_and_newline_do_not_enter_names(nlp: Language) -> None:
    text = (
        "He confidently predicted that Kyiv’s forces would push the Russians out.\n"
        "A shift of power to warlords such as Kadyrov – Chechen dictator – and Prigozhin – founder of Wagner.\n"
        "Workers clean debris in the recently recaptured village of Archangelske, Kherson Oblast\nWestern officials spoke on Thursday."
    )
    ms = mentions(nlp, text)
    for m in ms:
        assert text[m.start : m.end] == m.text
        assert "’s" not in m.text and "–" not in m.text and "\n" not in m.text
    assert "Kyiv" in by_text(ms)


def test_page_furniture_and_lowercase_fragments_are_never_entities(nlp: Language) -> None:
    text = (
        "The city of Izyum is in ruin from artillery shelling. Video / Supplied\n\n"
        "The supplies have come to a standstill on the north-west bank of the Dnipro.\n\n"
        "No More Posts Available.\n\nNo more pages to load."
    )
    names = {m.text for m in mentions(nlp, text)}
    assert not any("/" in n or "Posts" in n or n[0].islower() for n in names), names
    assert "Izyum" in names


def test_demonym_adjective_joins_the_outlet_it_modifies(nlp: Language) -> None:
    text = "Kyrylo Budanov announced this in an interview with the Internet publication Ukrainian Pravda, the agency reports."
    assert "Ukrainian Pravda" in by_text(mentions(nlp, text))


def test_lone_demonym_is_not_a_place(nlp: Language) -> None:
    names = {m.text for m in mentions(nlp, "Capturing it will allow Ukrainian forces to advance onto Crimea.")}
    assert "Ukrainian" not in names


def test_locative_preposition_is_recorded_as_place_evidence(nlp: Language) -> None:
    found = by_text(mentions(nlp, "Government offices in Kherson have been emptied of essential equipment."))
    assert found["Kherson"].place_cue


def test_offsets_and_sentences_point_exactly_at_the_seed_text(nlp: Language) -> None:
    from kgraph.ingest.sources import ingest

    for article in ingest([SEEDS]).articles:
        for m in mentions(nlp, article.text):
            assert article.text[m.start : m.end] == m.text
            assert m.sent_start <= m.start < m.end <= m.sent_end
            sentence = article.text[m.sent_start : m.sent_end]
            assert sentence == sentence.strip()


def test_a_name_cut_at_its_particle_is_rejoined(nlp: Language) -> None:
    text = "German Chancellor Olaf Scholz and Ursula von der Leyen, the head of the European Commission, called for a new Marshall Plan."
    names = {m.text: m.label for m in mentions(nlp, text)}
    assert names.get("Ursula von der Leyen") == "PERSON", names
    assert "Leyen" not in names


@pytest.mark.parametrize(
    ("sentence", "name", "place"),
    [
        ("The World Bank cut its growth forecast for the region on Monday.", "World Bank", False),
        ("Islamic State fighters seized Mosul in June.", "Islamic State", False),
        ("Shelling hit the Kherson region again on Sunday.", "Kherson", True),
    ],
)
def test_a_place_noun_marks_a_place_only_in_place_position(nlp: Language, sentence: str, name: str, place: bool) -> None:
    found = by_text(mentions(nlp, sentence))
    assert name in found, found
    assert found[name].place_cue is place


@pytest.mark.parametrize(
    ("sentence", "name", "acronym"),
    [
        ("General Motors (GM) recalled 2.6 million cars over faulty ignition switches.", "General Motors", "GM"),
        ("Fighters of the Islamic State (ISIS) seized the town on Tuesday.", "Islamic State", "ISIS"),
        ("The National Highway Traffic Safety Administration (NHTSA) opened an inquiry.", "National Highway Traffic Safety Administration", "NHTSA"),
    ],
)
def test_an_acronym_the_text_defines_is_recorded_on_its_name(nlp: Language, sentence: str, name: str, acronym: str) -> None:
    found = by_text(mentions(nlp, sentence))
    assert name in found, found
    assert found[name].acronym == acronym


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("MOSCOW (Reuters) - Russia said on Monday it would respond.", "MOSCOW"),  # a dateline names its outlet
        ("Officials in Moscow (RIA) said on Monday that talks would resume.", "Moscow"),  # a place's outlet credit
        ("Ford Motor Co (NYSE: F) said sales fell.", "Ford Motor Co"),
    ],
)
def test_a_parenthesis_that_does_not_spell_the_name_defines_nothing(nlp: Language, sentence: str, name: str) -> None:
    found = by_text(mentions(nlp, sentence))
    assert all(m.acronym is None for m in found.values()), found


@pytest.mark.parametrize(
    ("sentence", "name", "cue"),
    [
        ("The singer posted a photo on Instagram on Sunday.", "Instagram", True),
        ("His Twitter account was suspended after the posts.", "Twitter", True),
        ("Republicans called on Obama to act.", "Obama", False),
        ("The pressure on Merkel grew in Berlin.", "Merkel", False),
    ],
)
def test_a_platform_position_marks_an_organisation_and_a_person_position_does_not(nlp: Language, sentence: str, name: str, cue: bool) -> None:
    found = by_text(mentions(nlp, sentence))
    assert name in found, found
    assert found[name].org_cue is cue


@pytest.mark.parametrize(
    ("sentence", "name", "kept"),
    [
        ("The Washington Post reported the leak on Friday.", "Washington Post", True),
        ("Google co-founder Larry Page bought an island.", "Larry Page", True),
        ("Next Post: Kherson residents flee across the river.", "Next Post", False),
    ],
)
def test_post_and_page_end_real_names_but_navigation_is_dropped(nlp: Language, sentence: str, name: str, kept: bool) -> None:
    found = by_text(mentions(nlp, sentence))
    assert (name in found) is kept, found


def test_a_reporting_verb_glued_to_a_name_is_cut_off(nlp: Language) -> None:
    found = by_text(mentions(nlp, "Marc Santorareported from Kyiv, and Eric Nagourney from New York."))
    assert "Marc Santora" in found and found["Marc Santora"].label == "PERSON", found
    assert not any("reported" in name for name in found)


def test_a_name_modifying_a_weapon_is_no_person_but_a_person_modifying_a_role_is(nlp: Language) -> None:
    assert "Iskander" not in by_text(mentions(nlp, "Russia had depleted its supply of Iskander missiles down to 13 per cent."))
    assert by_text(mentions(nlp, "Obama aides said the plan was ready.")).get("Obama") is not None


def test_a_headline_verb_glued_to_a_city_leaves_the_city(nlp: Language) -> None:
    text = "Russian Officials Flee Kherson as Troops Dig In\n\nGovernment offices in Kherson have been emptied, officials in Kherson said."
    found = mentions(nlp, text)
    assert "Flee Kherson" not in {m.text for m in found}, found
    headline = next(m for m in found if m.start == text.index("Kherson"))
    assert headline.text == "Kherson" and headline.label == "GPE"


def test_a_one_word_bank_name_is_evidence_of_an_organisation(nlp: Language) -> None:
    found = by_text(mentions(nlp, "They are withdrawing Promsvyazbank and other financial structures."))
    assert "Promsvyazbank" in found and found["Promsvyazbank"].org_cue, found


def test_a_hyphenated_surname_is_one_surname(nlp: Language) -> None:
    from kgraph.resolve.entities import resolve_entities

    text = "The gunman is Michael Zehaf-Bibeau. Zehaf-Bibeau, 32, was from Quebec."
    ms = mentions(nlp, text)
    res = resolve_entities({"a": ms})
    assert {res.entities[res.entity_of_mention[("a", m.start, m.end)]].label for m in ms if "Bibeau" in m.text} == {"Michael Zehaf-Bibeau"}


def test_another_name_the_text_gives_is_recorded_and_merged(nlp: Language) -> None:
    from kgraph.resolve.entities import resolve_entities

    assert {m.text: m.alias for m in mentions(nlp, "The group Islamic State (also known as ISIL) took Mosul.")}.get("Islamic State") == "ISIL"
    a = mentions(nlp, "Fighters from the Islamic State group, also known as ISIL, seized the town.")
    assert {m.text: m.alias for m in a}.get("Islamic State") == "ISIL", a
    b = mentions(nlp, "Officials said ISIL controls the road to Baghdad.")
    res = resolve_entities({"a": a, "b": b})
    isil = next(m for m in b if m.text == "ISIL")
    assert res.entities[res.entity_of_mention[("b", isil.start, isil.end)]].label == "Islamic State"


def test_a_name_may_start_with_the_arabic_article(nlp: Language) -> None:
    assert "al-Qaeda" in by_text(mentions(nlp, "The group split from al-Qaeda in 2014."))


def test_an_organisation_cut_at_of_is_rejoined(nlp: Language) -> None:
    found = by_text(mentions(nlp, "Iraqi forces said the head of the Islamic State of Iraq and the Levant was wounded."))
    assert any(name.startswith("Islamic State of Iraq") for name in found), found


def test_a_person_before_a_parenthesis_defines_no_acronym(nlp: Language) -> None:
    text = "The boy's mother, Maria Lopez (ML), said the Transportation Security Administration (TSA) searched him."
    found = by_text(mentions(nlp, text))
    assert all(m.acronym is None for m in found.values() if m.label == "PERSON"), found
    assert not any(m.acronym == "ML" for m in found.values()), found
