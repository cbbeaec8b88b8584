"""Speakers a reader recognises: unnamed sources, an outlet's reports, collectives, places, anaphors.

Extraction rules run on crafted sentences through the real pipeline; the corpus-level decisions
of kgraph.resolve.speakers run on hand-built resolutions, so each test names the one fact it needs.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from spacy.language import Language
from test_shapes import SHAPES, union_of, validate

from kgraph.build import build
from kgraph.extract.attribution import Claim
from kgraph.extract.entities import EntityMention
from kgraph.extract.findings import ArticleFindings, extract_article
from kgraph.ingest.article import Article
from kgraph.lexicons import load_event_lexicon, load_honorifics, load_reporting_lexicon
from kgraph.rdf.attribution import SpeakerIris
from kgraph.rdf.store import open_store, select_values
from kgraph.resolve.entities import Resolution, ResolvedEntity
from kgraph.resolve.speakers import ArticleSpeakers, SpeakerRef, SpeakerResolution, CommonWords

KG = "https://w3id.org/kgraph/ontology#"
SCHEMA = "https://schema.org/"


@pytest.fixture(scope="module")
def extract(nlp: Language):  # type: ignore[no-untyped-def]
    def run(text: str) -> tuple[str, ArticleFindings]:
        return text, extract_article(nlp(text), load_honorifics(), load_reporting_lexicon(), load_event_lexicon())

    return run


def claim_with(f: ArticleFindings, words: str) -> Claim:
    found = [c for c in f.claims if words in c.text]
    assert found, f"no claim contains {words!r}: {[c.text for c in f.claims]}"
    return found[0]


def referent(text: str, c: Claim) -> str | None:
    return text[c.referent_start : c.referent_end] if c.referent_start is not None else None


# --- unnamed sources within an article ------------------------------------------------------


def test_the_source_and_the_same_source_are_the_source_named_before(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "A source close to the investigation said the suspect had fled. The weather was cold. "
        "The same source said police had a warrant. Later the source said the car was found."
    )
    groups = {claim_with(f, w).group for w in ("suspect had fled", "had a warrant", "car was found")}
    assert groups == {"source (unnamed)"}


def test_another_source_is_a_new_one_and_the_source_after_it_points_to_it(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "A police source said the man was armed. Another source said he was not. The source said the gun was fake."
    )
    first, other, last = (claim_with(f, w).group for w in ("man was armed", "he was not", "gun was fake"))
    assert first == "police source (unnamed)"
    assert other == "other source (unnamed)" != first
    assert last == other


def test_the_official_points_back_to_an_unnamed_official_not_to_a_named_one(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("A U.S. official said the drone was lost. The official said it crashed in the sea.")
    assert claim_with(f, "drone was lost").group == claim_with(f, "crashed in the sea").group == "U.S. official (unnamed)"
    text, f = extract("Defense official John Smith spoke to reporters. The official said the base was safe.")
    c = claim_with(f, "base was safe")
    assert c.group is None and referent(text, c) == "John Smith"


def test_one_person_the_text_does_not_name_is_an_unnamed_source_not_a_thing(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "A witness said the car sped away. People familiar with the matter said the deal was near. "
        "An official who asked not to be named said the plan was dead."
    )
    assert claim_with(f, "car sped away").group == "witness (unnamed)"
    assert claim_with(f, "deal was near").group == "people (unnamed)"
    assert claim_with(f, "plan was dead").group == "official (unnamed)"


def test_a_plural_pronoun_never_points_to_one_unnamed_person(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("One Lebanese official said the woman was held. They said the child was her son.")
    assert claim_with(f, "woman was held").group == "Lebanese official (unnamed)"
    assert claim_with(f, "child was her son").group is None


# --- whose source: an outlet's -----------------------------------------------------------------


def test_a_source_that_told_an_outlet_is_the_outlets_source(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "A source told CNN that the woman was arrested. "
        "An intelligence source familiar with the arrest told CNN that the child was her son. "
        "The source said the operation was coordinated. CNN's source said the talks failed. "
        "Sources quoted by Reuters said the bank would close."
    )
    for words in ("woman was arrested", "child was her son", "operation was coordinated", "talks failed"):
        assert claim_with(f, words).group == "CNN source (unnamed)", words
    assert claim_with(f, "bank would close").group == "Reuters source (unnamed)"
    outlets = {c.outlet_text for c in f.citations if c.kind == "outlet"}
    assert outlets == {"CNN", "Reuters"}
    assert not any(c.kind == "interview" for c in f.citations)  # "a source told CNN" is CNN's reporting


def test_a_name_modifying_source_stays_its_description_and_a_person_told_is_no_outlet(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("A White House source said the trip was off.")
    assert claim_with(f, "trip was off").group == "White House source (unnamed)"
    text, f = extract("A source told Obama that the vote was lost.")
    assert claim_with(f, "vote was lost").group == "source (unnamed)"


def test_a_bare_source_after_a_described_one_is_that_source(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "A Lebanese security source said the woman was held. A source said the child was her son. "
        "Another source said it was not."
    )
    assert claim_with(f, "woman was held").group == claim_with(f, "child was her son").group == "Lebanese security source (unnamed)"
    assert claim_with(f, "it was not").group == "other source (unnamed)"


# --- an outlet's report is the outlet ------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "A CNN report said the deal was off.",
        "According to a report by CNN, the deal was off.",
        "A new report from CNN said the deal was off.",
        "CNN's report said the deal was off.",
    ],
)
def test_an_outlets_report_speaks_as_the_outlet(extract, sentence: str) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(sentence)
    c = claim_with(f, "deal was off")
    assert referent(text, c) == "CNN" and c.group is None and c.speaker_kind == "name"
    assert [c.outlet_text for c in f.citations if c.kind == "outlet"] == ["CNN"]


def test_the_report_points_back_to_the_report_named_before(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("A Daily Mirror report claimed he was ill. The report said he had surgery.")
    assert referent(text, claim_with(f, "had surgery")) == "Daily Mirror"


def test_a_report_with_no_maker_is_no_one(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("A report on Iraq said the camps were full.")
    c = claim_with(f, "camps were full")
    assert c.group is None and c.referent_start is None and c.speaker_text == "A report"


# --- collectives and places ------------------------------------------------------------------------


def test_collective_labels_drop_quantities_and_a_sentence_capital(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "Several witnesses said the gunman fled. Senior officials said the attack was planned, and two senior aides agreed. "
        "Western officials said the retreat was real. Obama administration officials said the deal was fair. "
        "Intelligence officials said the drone was lost."
    )
    assert claim_with(f, "gunman fled").group == "witnesses"
    assert claim_with(f, "attack was planned").group == "senior officials"  # the article writes "senior" in lower case
    assert claim_with(f, "drone was lost").group == "intelligence officials"  # a common noun
    assert claim_with(f, "retreat was real").group == "Western officials"
    assert claim_with(f, "deal was fair").group == "Obama administration officials"  # not Barack Obama


def test_a_countrys_government_noun_speaks_for_the_country(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("Iraq's government said she was held. The Obama administration said it was fine.")
    assert claim_with(f, "she was held").group == "Iraq (government)"
    assert claim_with(f, "it was fine").group == "Obama administration"


def test_a_common_noun_or_a_described_person_is_never_a_government(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "The State said the law was fine. "
        "Martinelli, a retired officer and criminologist, said the shots were fast."
    )
    for words in ("law was fine", "shots were fast"):
        c = claim_with(f, words)
        assert not (c.group or "").endswith("(government)"), c


# --- descriptions and pronouns across sentences ------------------------------------------------


def test_the_spokesman_is_the_spokesman_named_sentences_before(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "Pentagon spokesman John Kirby spoke on Monday. The weather was bad. Roads were closed. "
        "The spokesman said the strike killed ten."
    )
    assert referent(text, claim_with(f, "strike killed ten")) == "John Kirby"


def test_she_said_beyond_the_window_is_the_last_person_quoted(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "Maria Lopez said the bridge would open in May. The bridge cost ten million dollars. It spans the river. "
        "Two towns share it. Trucks were banned. Buses were allowed. Cyclists were pleased.\n\n"
        "“We will rebuild everything,” she said."
    )
    assert referent(text, claim_with(f, "rebuild everything")) == "Maria Lopez"


def test_he_said_three_sentences_after_the_name(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "Maria Lopez, the mayor, opened the bridge on Monday. Crowds gathered. Traffic stopped. "
        "Rain fell all day.\n\n“We will rebuild everything,” she said."
    )
    assert referent(text, claim_with(f, "rebuild everything")) == "Maria Lopez"


# --- names NER left untagged, inverted subjects, conjuncts, nationalities ----------------------------


def test_a_surname_ner_left_untagged_is_the_person_the_article_names(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "Sens. Jon Tester (D-Mont.) and David Vitter (R-La.) questioned the bank chief on Tuesday. "
        "“Every time you say that,” Tester said, “you give ammunition to the critics.”"
    )
    c = claim_with(f, "Every time you say that")
    assert c.speaker_kind == "name" and text[c.speaker_start : c.speaker_end] == "Tester"
    assert referent(text, c) == "Jon Tester"


def test_a_surname_also_written_in_lower_case_is_no_name(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("Gen. Norman Ham spoke on Monday. He bought a ham. “We lost the war,” Ham said.")
    assert referent(text, claim_with(f, "We lost the war")) != "Norman Ham"
    text, f = extract("Gen. Norman Ham spoke on Monday. He bought a sandwich. “We lost the war,” Ham said.")
    assert referent(text, claim_with(f, "We lost the war")) == "Norman Ham"


def test_said_before_its_speaker_finds_the_speaker_after_the_verb(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "Experts doubt the tax plan. Said Ellis: “I don’t get the sense she’s interested in tax reform.” "
        "“It will pass,” said the senator."
    )
    c = claim_with(f, "interested in tax reform")
    assert c.speaker_kind == "name" and c.speaker_text == "Ellis" and referent(text, c) == "Ellis"
    assert claim_with(f, "It will pass").speaker_text == "the senator"


def test_the_object_after_a_participle_is_no_inverted_subject(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("Mitch McConnell spoke in June, citing the release of political prisoners.")
    c = claim_with(f, "release of political prisoners")
    assert referent(text, c) == "Mitch McConnell"
    text, f = extract("He arrived Monday, said the plan would fail.")
    assert claim_with(f, "plan would fail").speaker_text != "the plan"
    text, f = extract("The statement is at odds with the treatment of Ross Ulbricht, alleged Dread Pirate Roberts.")
    assert all(c.speaker_text != "Dread Pirate Roberts" for c in f.claims)


def test_a_conjunct_cue_skips_a_first_conjunct_subject_that_is_an_event(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "Western officials said the front was stable. However, they refused to say when the retreat "
        "might take place and admitted that the advances have been slow going."
    )
    c = claim_with(f, "advances have been slow going")
    assert c.speaker_text == "they" and c.group == "Western officials"


def test_a_conjunct_cue_keeps_a_first_conjunct_subject_that_can_speak(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("The senator arrived late and said the vote would fail.")
    assert claim_with(f, "vote would fail").speaker_text == "The senator"


def test_a_nationality_before_a_government_noun_is_the_countrys_government(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("The Saudi government said the strike was lawful. The North Korean government said it would test again.")
    assert claim_with(f, "strike was lawful").group == "Saudi Arabia (government)"
    assert claim_with(f, "test again").group == "North Korea (government)"


def test_a_nationality_of_people_stays_a_collective(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("British officials said the talks failed.")
    assert claim_with(f, "talks failed").group == "British officials"


# --- corpus-level decisions (kgraph.resolve.speakers) ----------------------------------------------


def _entity(kind: str, label: str, place: str | None = None) -> ResolvedEntity:
    return ResolvedEntity(kind=kind, label=label, place_label=place, alt_labels=(), merges=(), article_ids=("a",), mention_count=1)


def _speakers(text: str, named: list[tuple[str, str, str | None]], outlets: frozenset[int] = frozenset(),
              outlet: str | None = None) -> tuple[ArticleSpeakers, list[EntityMention]]:
    """One article ``text`` whose mentions of each (name, kind, place label) are one entity each.

    A name is looked up after the previous one, so a later mention can repeat part of an earlier name.
    """
    mentions, of_mention, entities = [], {}, []
    after = 0
    for i, (name, kind, place) in enumerate(named):
        entities.append(_entity(kind, name, place))
        start = text.index(name, after)
        after = start + len(name)
        label = {"person": "PERSON", "organization": "ORG", "place": place or "GPE"}[kind]
        m = EntityMention(start, start + len(name), name, label, 0, len(text))
        mentions.append(m)
        of_mention[("a", m.start, m.end)] = i
    resolution = Resolution(tuple(entities), of_mention)
    article = Article("a", text, "a.txt", outlet=outlet)
    heads = load_reporting_lexicon().collective_heads | load_reporting_lexicon().role_heads
    return ArticleSpeakers(article, mentions, resolution, outlets, CommonWords([text], heads)), mentions


def test_only_a_gpe_that_is_no_common_noun_speaks_as_a_government() -> None:
    text = "Kasich said so. Moscow said so. The Atlantic said so. State said so, and the state agreed."
    sp, ms = _speakers(text, [("Kasich", "person", None), ("Moscow", "place", "GPE"), ("Atlantic", "place", "LOC"),
                              ("State", "place", "GPE")])
    kasich, moscow, atlantic, state = (sp.speaker_at(m.start, m.end) for m in ms)
    assert kasich == SpeakerRef(entity=0)
    assert moscow is not None and moscow.group == "Moscow (government)" and moscow.of == 1
    assert atlantic is None and state is None


def test_a_government_label_follows_what_resolution_made_of_the_name() -> None:
    """Extraction saw "Kasich" tagged GPE and wrote "Kasich (government)"; the corpus knows a person."""
    text = "Kasich claims that the vote was fair."
    sp, _ = _speakers(text, [("Kasich", "person", None)])
    claim = Claim(start=20, end=37, text="the vote was fair", direct=False, sent_start=0, sent_end=len(text),
                  speaker_start=0, speaker_end=6, speaker_text="Kasich", speaker_kind="group", group="Kasich (government)")
    assert sp.claim_authors(claim) == [SpeakerRef(entity=0)]


def test_a_name_described_as_a_person_never_speaks_as_a_government() -> None:
    """The corpus made "Jenny Town" a place; "Jenny Town, an analyst, said" speaks of a person."""
    text = "Jenny Town, an analyst, said the talks failed. Kyiv said the talks failed."
    sp, ms = _speakers(text, [("Jenny Town", "place", "GPE"), ("Kyiv", "place", "GPE")])

    def said(speaker_text: str, m: EntityMention) -> Claim:
        return Claim(start=0, end=1, text="the talks failed", direct=False, sent_start=0, sent_end=len(text),
                     speaker_start=m.start, speaker_end=m.start + len(speaker_text), speaker_text=speaker_text,
                     speaker_kind="name", referent_start=m.start, referent_end=m.end)

    assert sp.claim_authors(said("Jenny Town, an analyst", ms[0])) == []
    assert sp.claim_authors(said("Kyiv", ms[1])) == [SpeakerRef(group="Kyiv (government)", kind="government", of=1)]
    pronoun = replace(said("Kyiv", ms[1]), speaker_kind="pronoun", speaker_text="he")
    assert sp.claim_authors(pronoun) == []  # "he" resolved to a name the corpus made a place


def _claim(text: str, words: str, **fields: object) -> Claim:
    """A claim of ``text`` whose content is ``words``, with the speaker fields given."""
    start = text.index(words)
    base = dict(start=start, end=start + len(words), text=words, direct=False, sent_start=0, sent_end=len(text),
                cue_start=None, cue_end=None, cue_lemma=None, cue_class=None, cue_negated=False, speaker_start=None,
                speaker_end=None, speaker_text=None, speaker_kind="unknown", referent_start=None, referent_end=None,
                group=None, co_referents=())
    base.update(fields)
    return Claim(**base)  # type: ignore[arg-type]


def test_a_nationality_owning_a_nominal_cue_is_its_countrys_government() -> None:
    text = "Russia denied it. Russian claims that Ukraine planned a bomb were denied. Russian troops said they left."
    sp, _ = _speakers(text, [("Russia", "place", "GPE")])
    nominal = _claim(text, "Ukraine planned a bomb", cue_lemma="claim", speaker_kind="unknown", speaker_text="Russian",
                     speaker_start=text.index("Russian"), speaker_end=text.index("Russian") + 7)
    assert sp.claim_authors(nominal) == [SpeakerRef(group="Russia (government)", kind="government", of=0)]
    verb = replace(nominal, cue_lemma="say")  # a nationality is no speaker of a verb by itself
    assert sp.claim_authors(verb) == []


def test_a_demonym_government_with_no_mention_of_the_country_is_the_gazetteers_country() -> None:
    text = "The Saudi government said the strike was lawful."
    sp, _ = _speakers(text, [])
    c = _claim(text, "the strike was lawful", speaker_kind="group", group="Saudi Arabia (government)",
               speaker_start=0, speaker_end=20)
    assert sp.claim_authors(c) == [SpeakerRef(group="Saudi Arabia (government)", kind="government", of=None)]
    c = replace(c, group="Machado (government)")  # no mention, no country: no speaker
    assert sp.claim_authors(c) == []


def test_a_collective_records_the_country_its_premodifier_names() -> None:
    text = "Britain voted. British officials said so. Experts on Britain said so. Iraq and Britain veterans said so."
    sp, _ = _speakers(text, [("Britain", "place", "GPE")])
    assert sp.group_ref("British officials") == SpeakerRef(group="British officials", kind="collective", of=0)
    assert sp.group_ref("experts on Britain").of is None
    assert sp.group_ref("Iraq and Britain veterans").of is None
    assert sp.group_ref("Western officials").of is None


def test_a_gpe_no_gazetteer_knows_is_no_government_but_the_organisation_of_that_name() -> None:
    text = "DuVernay said so. Bloomberg said so. Kherson said so. The agency Bloomberg agreed."
    sp, ms = _speakers(text, [("DuVernay", "place", "GPE"), ("Bloomberg", "place", "GPE"), ("Kherson", "place", "GPE"),
                              ("Bloomberg", "organization", None)])
    duvernay, bloomberg, kherson = (sp.speaker_at(m.start, m.end) for m in ms[:3])
    assert duvernay is None
    assert bloomberg == SpeakerRef(entity=3)
    assert kherson is not None and kherson.group == "Kherson (government)"


def test_a_surname_two_person_entities_share_is_still_a_person_not_a_place() -> None:
    text = "Miss Universe Alicia Machado spoke. Later Alicia Machado wept. Machado said so."
    sp, ms = _speakers(text, [("Universe Alicia Machado", "person", None), ("Alicia Machado", "person", None),
                              ("Machado", "place", "GPE")])
    assert sp.speaker_at(ms[2].start, ms[2].end) == SpeakerRef(entity=1)  # the one named last before


def test_unnamed_sources_of_an_outlet_are_one_speaker_labelled_by_the_outlet() -> None:
    text = "A source told CNN so. A CNN source said so. A White House source said so."
    sp, _ = _speakers(text, [("CNN", "organization", None), ("White House", "organization", None)], outlets=frozenset({0}))
    cnn = sp.group_ref("CNN source (unnamed)")
    assert cnn == SpeakerRef(group="CNN source (unnamed)", kind="unnamed", of=0)
    assert sp.group_ref("White House source (unnamed)").scope == "a"  # not an outlet: known in this article only
    assert sp.group_ref("source (unnamed)").scope == "a"


def test_an_articles_outlet_owns_its_unattributed_sources() -> None:
    text = "A source said so. The Guardian reported it."
    sp, _ = _speakers(text, [("The Guardian", "organization", None)], outlet="The Guardian")
    ref = sp.group_ref("intelligence source (unnamed)")
    assert ref.group == "The Guardian source (unnamed)" and ref.of == 0 and ref.scope is None
    assert sp.group_ref("White House source (unnamed)").scope == "a"
    assert sp.group_ref("woman (unnamed)").scope == "a"  # a woman at a rally is no source of the outlet


def test_a_place_that_is_a_named_persons_surname_is_that_person() -> None:
    text = "Alicia Machado spoke. Machado said so. Moscow said so too."
    sp, ms = _speakers(text, [("Alicia Machado", "person", None), ("Machado", "place", "GPE"), ("Moscow", "place", "GPE")])
    assert sp.speaker_at(ms[1].start, ms[1].end) == SpeakerRef(entity=0)
    assert sp.speaker_at(ms[2].start, ms[2].end) == SpeakerRef(group="Moscow (government)", kind="government", of=2)


def test_collectives_are_shared_by_label_unless_a_pronoun_ties_them_to_their_article() -> None:
    sp, _ = _speakers("Police said so.", [])
    assert sp.group_ref("Western officials") == SpeakerRef(group="Western officials", kind="collective")
    assert sp.group_ref("police").scope is None
    assert sp.group_ref("his office").scope == "a"


def test_group_nodes_say_what_they_are() -> None:
    resolution = Resolution((_entity("organization", "CNN"), _entity("place", "Moscow", "GPE")), {})
    speakers = SpeakerResolution(resolution, {}, {}, frozenset({0}))
    iris = [NamedNode("https://w3id.org/kgraph/id/organization/cnn"), NamedNode("https://w3id.org/kgraph/id/place/moscow")]
    names = SpeakerIris(speakers, iris)
    source = names.node(SpeakerRef(group="CNN source (unnamed)", kind="unnamed", of=0))
    police = names.node(SpeakerRef(group="police", kind="collective", scope="fnc-1"))
    moscow = names.node(SpeakerRef(group="Moscow (government)", kind="government", of=1))
    muscovites = names.node(SpeakerRef(group="Moscow officials", kind="collective", of=1))
    quads = set(names.group_quads()) | set(names.outlet_quads())
    typed = {(q.subject.value, q.object.value) for q in quads if q.predicate.value.endswith("#type")}
    assert (source.value, KG + "AnonymousSource") in typed and (police.value, KG + "Collective") in typed
    assert (moscow.value, SCHEMA + "GovernmentOrganization") in typed
    assert (iris[0].value, SCHEMA + "NewsMediaOrganization") in typed
    assert police.value.endswith("/group/police--fnc-1") and source.value.endswith("/group/cnn-source-unnamed")
    links = {(q.subject, q.predicate.value, q.object) for q in quads if isinstance(q, Quad)}
    assert (source, KG + "outlet", iris[0]) in links and (moscow, SCHEMA + "areaServed", iris[1]) in links
    assert (muscovites, SCHEMA + "areaServed", iris[1]) in links  # a collective's country is recorded too
    assert not any(s == police and p == SCHEMA + "areaServed" for s, p, _ in links)


# --- end to end ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_articles(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Path:
    """Two articles citing CNN's unnamed sources, each with its own "police source"; built once."""
    src = tmp_path_factory.mktemp("speakers-in")
    (src / "one.txt").write_text(
        "A source told CNN that the bridge was mined. The same source said the army had left. "
        "A police source said roads were shut. Moscow claims that the strike failed.\n", encoding="utf-8")
    (src / "two.txt").write_text(
        "An intelligence source told CNN that the dam was safe. CNN reported the talks went on. "
        "A police source said a car burned.\n", encoding="utf-8")
    return build([src], tmp_path_factory.mktemp("speakers-out"), nlp=nlp).out_dir


def test_two_articles_citing_one_outlets_source_share_one_speaker(two_articles: Path) -> None:
    store = open_store(two_articles)
    rows = select_values(store, """SELECT ?s ?label (COUNT(DISTINCT ?a) AS ?n) WHERE {
        ?c schema:author ?s ; schema:appearance ?a . ?s a kg:AnonymousSource ; rdfs:label ?label ; kg:outlet ?o .
        ?o rdfs:label "CNN" ; a schema:NewsMediaOrganization } GROUP BY ?s ?label""")
    assert [(r["label"], int(r["n"])) for r in rows] == [("CNN source (unnamed)", 2)]
    unnamed = select_values(store, 'SELECT DISTINCT ?s WHERE { ?c schema:author ?s . ?s rdfs:label "police source (unnamed)" }')
    assert len(unnamed) == 2  # "a police source" of two articles, with no outlet: two speakers
    government = select_values(store, """SELECT ?label WHERE { ?c schema:author ?s . ?s a schema:GovernmentOrganization ;
        rdfs:label ?label ; schema:areaServed ?p . ?p a kg:GeopoliticalEntity }""")
    assert [r["label"] for r in government] == ["Moscow (government)"]


def test_speaker_shapes_hold_and_bite(two_articles: Path) -> None:
    data, shapes = union_of(two_articles / "graph.trig"), Graph().parse(SHAPES)
    conforms, _, text = validate(data, shapes)
    assert conforms, text[:3000]
    source = next(s for s in data.subjects(RDF.type, URIRef(KG + "AnonymousSource")))
    data.set((source, RDFS.label, Literal("CNN source")))
    data.add((source, RDF.type, URIRef(KG + "Collective")))
    conforms, report, text = validate(data, shapes)
    assert not conforms and "(unnamed)" in text and "exactly one of" in text
