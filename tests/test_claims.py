"""Contradiction and agreement on crafted pairs of articles: each rule, positive and negative."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from spacy.language import Language

from kgraph.ingest.article import Article
from kgraph.build import corpus_mentions
from kgraph.analyze.claims import ClaimRef, ClaimRelation, compare_claims
from kgraph.extract.entities import doc_sentences, extract_entity_mentions
from kgraph.extract.events import EventReader
from kgraph.extract.findings import extract_article
from kgraph.extract.text import doc_text
from kgraph.extract.frames import parse_number
from kgraph.lexicons import (
    ClaimLexicon,
    load_claim_lexicon,
    load_event_lexicon,
    load_honorifics,
    load_reporting_lexicon,
)
from kgraph.rdf.attribution import claim_speakers
from kgraph.resolve.speakers import resolve_speakers
from kgraph.rdf.emit import entity_iris
from kgraph.resolve.entities import resolve_entities

Compare = Callable[..., tuple[list[Article], tuple[ClaimRelation, ...]]]


@pytest.fixture(scope="module")
def compare(nlp: Language) -> Compare:
    def run(
        *texts: str, stories: dict[str, int] | None = None, lexicon: ClaimLexicon | None = None
    ) -> tuple[list[Article], tuple[ClaimRelation, ...]]:
        articles = [Article(id=f"a{i}", text=t, source=f"a{i}.txt") for i, t in enumerate(texts)]
        findings = {a.id: extract_article(nlp(a.text), load_honorifics(), load_reporting_lexicon(), load_event_lexicon()) for a in articles}
        mentions = corpus_mentions(articles, findings)
        resolution = resolve_entities(mentions)
        iris = entity_iris(resolution.entities)
        speakers = {ClaimRef(*k): v for k, v in claim_speakers(articles, findings, resolve_speakers(articles, findings, mentions, resolution), iris).items()}
        return articles, compare_claims(
            articles, findings, mentions, resolution, speakers, lexicon or load_claim_lexicon(),
            load_reporting_lexicon().collective_heads,
            story_of_article=stories,
        )

    return run


def texts_of(articles: list[Article], rel: ClaimRelation) -> tuple[str, str]:
    by_id = {a.id: a.text for a in articles}
    return by_id[rel.a.article_id][rel.a.start : rel.a.end], by_id[rel.b.article_id][rel.b.start : rel.b.end]


def only(relations: tuple[ClaimRelation, ...], kind: str) -> list[ClaimRelation]:
    return [r for r in relations if r.kind == kind]


def test_polarity_planned_retreat_against_not_leaving(compare: Compare) -> None:
    articles, rels = compare(
        "Western officials said Russia is planning to retreat from Kherson.",
        "Kyrylo Budanov said Russia is not withdrawing from Kherson.",
    )
    (c,) = only(rels, "contradiction")
    assert c.rule == "polarity" and c.features is not None and c.features.hedged == 0  # neither claim hedged
    assert "planning to retreat" in c.explanation and "not withdrawing" in c.explanation
    assert {t for t in texts_of(articles, c)} == {"Russia is planning to retreat from Kherson", "Russia is not withdrawing from Kherson"}


def test_negation_inside_a_direct_quote_with_a_pronoun_actor(compare: Compare) -> None:
    articles, rels = compare(
        "Russian troops have dug in around Kherson, according to Kyrylo Budanov.\n\n“They are not leaving,” Budanov said.",
        "Western officials said Russia is leaving Kherson.",
    )
    polarity = [r for r in rels if r.rule == "polarity"]
    assert [r.kind for r in polarity] == ["contradiction"]
    assert "They are not leaving" in texts_of(articles, polarity[0])
    assert polarity[0].features is not None and polarity[0].features.pronoun == 1  # "they" stood for Russian troops


def test_opposing_predicate_classes(compare: Compare) -> None:
    articles, rels = compare(
        "Western officials said Russian troops are retreating from Kherson.",
        "Kyrylo Budanov said Russian troops are reinforcing Kherson.",
    )
    (c,) = only(rels, "contradiction")
    assert c.rule == "opposing-predicate"


def test_same_predicate_different_actor_is_no_contradiction(compare: Compare) -> None:
    _, rels = compare(
        "Western officials said Ukraine is retreating from Bakhmut.",
        "Kyrylo Budanov said Russia is not retreating from Bakhmut.",
    )
    assert rels == ()


def test_claims_that_only_share_a_city_are_not_related(compare: Compare) -> None:
    _, rels = compare(
        "Western officials said a bridge in Kherson was damaged by shelling.",
        "Kyrylo Budanov said Russian troops are not leaving Kherson.",
    )
    assert rels == ()


def test_hedged_claims_keep_the_relation_with_lower_confidence(compare: Compare) -> None:
    _, plain = compare(
        "Western officials said Russia is retreating from Kherson.",
        "Kyrylo Budanov said Russia is not retreating from Kherson.",
    )
    _, hedged = compare(
        "Western officials said Russia is probably retreating from Kherson.",
        "Kyrylo Budanov said Russia is not retreating from Kherson.",
    )
    (p,), (h,) = only(plain, "contradiction"), only(hedged, "contradiction")
    assert h.rule == p.rule == "polarity" and h.features is not None and p.features is not None
    assert (h.features.hedged, p.features.hedged) == (1, 0)
    assert h.confidence < p.confidence  # the packaged model: readers signed hedged relations less often


def test_hypothetical_frames_assert_nothing(compare: Compare) -> None:
    _, rels = compare(
        "Western officials said that if Russia retreats from Kherson, the bridges will fall.",
        "Kyrylo Budanov said Russia is not retreating from Kherson.",
    )
    assert not only(rels, "contradiction")


def test_figures_for_one_thing_beyond_tolerance(compare: Compare) -> None:
    _, far = compare("Moscow said that 20,000 people have fled the region.", "Ukrainian officials disputed the figure and said that 1,000 people have fled the region.")
    (c,) = only(far, "contradiction")
    assert c.rule == "quantity"
    _, near = compare("Moscow said that 20,000 people have fled the region.", "Ukrainian officials disputed the figure and said that 18,000 people have fled the region.")
    assert not only(near, "contradiction")  # within the lexicon's tolerance


def test_figures_with_different_units_are_not_compared(compare: Compare) -> None:
    _, rels = compare("Moscow said that 20,000 people have fled the region.", "Ukrainian officials said that 1,000 soldiers have fled the region.")
    assert not [r for r in rels if r.rule == "quantity"]


def test_explicit_rejection_of_an_allegation(compare: Compare) -> None:
    articles, rels = compare(
        "Russia's defence ministry said that Ukraine is preparing a dirty bomb attack.",
        "Ukraine is under pressure.\n\nWestern governments rejected the dirty bomb allegations as absurd.",
    )
    (c,) = only(rels, "contradiction")
    assert c.rule == "explicit-rejection"
    rejecting, rejected = texts_of(articles, c)
    assert "dirty bomb" in rejected and "dirty bomb" in rejecting  # the rejecting claim disagrees with the allegation


def test_a_refused_request_contradicts_nobody(compare: Compare) -> None:
    _, rels = compare(
        "Russian commanders said their units need to pull back from the dam.",
        "Vladimir Putin rejected requests from the commanders to pull back from the dam.",
    )
    assert not [r for r in rels if r.rule == "explicit-rejection"]


def test_agreement_on_the_same_frame(compare: Compare) -> None:
    _, rels = compare(
        "Kyrylo Budanov said Russian forces are reinforcing Kherson.",
        "Ukrainian officials said Russia is reinforcing Kherson.",
    )
    (a,) = rels
    assert a.kind == "agreement" and a.rule == "same-frame"


def test_one_speaker_never_contradicts_themselves(compare: Compare) -> None:
    _, rels = compare(
        "Kyrylo Budanov said Russia is retreating from Kherson.",
        "Kyrylo Budanov said Russia is not retreating from Kherson.",
    )
    assert rels == ()


@pytest.mark.parametrize(("words", "value"), [
    (["20,000"], 20000.0), (["1.5", "million"], 1.5e6), (["two"], 2.0), (["closer"], None), (["12"], 12.0),
    (["twenty", "thousand"], 20000.0), (["hundreds", "of", "thousands"], 2e5), (["20\u202f000"], 20000.0),
    (["5", "people"], 5.0), (["three", "hundred"], 300.0),
])
def test_parse_number(words: list[str], value: float | None) -> None:
    assert parse_number(words) == value


def test_denying_one_side_agrees_with_asserting_its_opposite(compare: Compare) -> None:
    _, rels = compare(
        "Kyrylo Budanov said Russian troops are not leaving Kherson.",
        "Ukrainian officials said Russian troops are defending Kherson.",
    )
    (a,) = rels
    assert a.kind == "agreement" and a.rule == "same-frame"


def test_two_denials_of_one_frame_agree(compare: Compare) -> None:
    _, rels = compare(
        "Kyrylo Budanov said Russia is not withdrawing from Kherson.",
        "Ukrainian officials said Russia is not retreating from Kherson.",
    )
    (a,) = rels
    assert a.kind == "agreement"


def test_a_hedge_written_as_a_modal_is_measured(compare: Compare) -> None:
    _, rels = compare(
        "Western officials said Russia is perhaps retreating from Kherson.",
        "Kyrylo Budanov said Russia is not retreating from Kherson.",
    )
    (c,) = only(rels, "contradiction")
    assert c.features is not None and c.features.hedged == 1  # "perhaps" is a spaCy stop word, so it must be read from the words


@pytest.mark.parametrize(("other", "contradicts"), [("16,000", True), ("14,000", False)])
def test_the_quantity_tolerance_is_the_lexicons(compare: Compare, other: str, contradicts: bool) -> None:
    # tolerance 0.5 in ontology/claim-lexicon.ttl: 16,000 is 60% above 10,000, 14,000 only 40%
    _, rels = compare(
        "Moscow said that 10,000 people have fled the region.",
        f"Ukrainian officials gave another figure and said that {other} people have fled the region.",
    )
    assert bool([r for r in rels if r.rule == "quantity"]) is contradicts


def test_a_bare_figure_answers_the_figure_just_before_it(compare: Compare) -> None:
    articles, rels = compare(
        "Moscow claims that as many as 20,000 people have fled, but Ukrainian officials put the figure at closer to 1,000."
    )
    (c,) = [r for r in rels if r.rule == "quantity"]
    assert {t for t in texts_of(articles, c)} >= {"the figure at closer to 1,000"}


def test_two_speakers_rejecting_one_allegation_agree(compare: Compare) -> None:
    _, rels = compare(
        "Russia's defence ministry said that Ukraine is preparing a dirty bomb attack.",
        "Ukraine is under pressure.\n\nWestern governments rejected the dirty bomb allegations as absurd. "
        "The war goes on, and Dmytro Kuleba dismissed the dirty bomb allegations as lies.",
    )
    assert [r.rule for r in only(rels, "agreement")] == ["shared-rejection"]
    assert len([r for r in only(rels, "contradiction") if r.rule == "explicit-rejection"]) == 2


def test_two_articles_rejecting_one_allegation_are_not_taken_for_two_voices(compare: Compare) -> None:
    _, rels = compare(
        "Russia's defence ministry said that Ukraine is preparing a dirty bomb attack.",
        "Ukraine is under pressure.\n\nWestern governments rejected the dirty bomb allegations as absurd.",
        "The war goes on.\n\nDmytro Kuleba dismissed the dirty bomb allegations as lies.",
    )
    assert not only(rels, "agreement")  # across articles, mostly one denial reported twice: no agreement
    assert len([r for r in only(rels, "contradiction") if r.rule == "explicit-rejection"]) == 2


def test_claims_of_two_stories_are_never_related_however_alike(compare: Compare) -> None:
    pair = ("Western officials said Russia is planning to retreat from Kherson.", "Kyrylo Budanov said Russia is not withdrawing from Kherson.")
    _, one_story = compare(*pair, stories={"a0": 0, "a1": 0})
    _, two_stories = compare(*pair, stories={"a0": 0, "a1": 1})
    assert [r.kind for r in one_story] == ["contradiction"]
    assert two_stories == ()


# --- explicit rejections aimed by what they reject (issue 13) ------------------------


def rejections(rels: tuple[ClaimRelation, ...]) -> list[ClaimRelation]:
    return [r for r in rels if r.rule == "explicit-rejection"]


def test_a_denial_is_linked_to_the_claim_it_denies_and_not_to_one_that_only_shares_a_place(compare: Compare) -> None:
    articles, rels = compare(
        "Three Iraqi news outlets reported that Ebola had infected patients at a hospital in Mosul.",
        "Hospital staff in Mosul said the power supply failed on Tuesday.",
        "The World Health Organization denied that anyone in Mosul had been infected with Ebola.",
    )
    (c,) = rejections(rels)
    rejecting, rejected = texts_of(articles, c)
    assert "anyone in Mosul had been infected with Ebola" in rejecting and "Ebola had infected patients" in rejected


@pytest.mark.parametrize(("police", "rejects"), [
    ("Police said reports that the woman is the wife of the group's leader are false.", True),
    ("Police said the woman is the wife of the group's leader and had a false passport.", False),  # describes a passport
])
def test_a_rejection_word_rejects_where_it_judges_a_claim_not_where_it_describes_a_thing(
    compare: Compare, police: str, rejects: bool
) -> None:
    _, rels = compare("Lebanese officials said the woman is the wife of the group's leader.", police)
    assert bool(rejections(rels)) is rejects


def test_calling_a_named_speaker_a_liar_rejects_that_speakers_claim_on_the_matter(compare: Compare) -> None:
    articles, rels = compare(
        "Zabihullah Mujahid said the American hostage was killed in a Pakistani airstrike.",
        "Zabihullah Mujahid said the talks in Doha will resume next month.",
        "Pakistan's army said Mujahid is lying about the hostage.",
    )
    (c,) = rejections(rels)
    assert "killed in a Pakistani airstrike" in texts_of(articles, c)[1]  # his claim about the hostage, not about the talks


def test_a_claim_that_itself_denies_is_no_target_of_a_denial(compare: Compare) -> None:
    _, rels = compare(
        "Palace officials said King Abdullah is not flying missions against the militants.",
        "A government spokesman denied rumours that King Abdullah is flying missions against the militants.",
    )
    assert not rejections(rels)  # both say the king is not flying: no contradiction between them


def test_a_rejection_never_reaches_another_story_that_shares_a_person_and_a_word(compare: Compare) -> None:
    texts = (
        "Barack Obama said the border with Mexico is secure and fighters have not crossed it.",
        "Duncan Hunter said ten fighters were caught crossing the border with Mexico.",
        "The Department of Homeland Security denied that ten fighters were caught crossing the border with Mexico.",
    )
    articles, one = compare(*texts, stories={"a0": 0, "a1": 0, "a2": 0})
    assert [texts_of(articles, r)[1] for r in rejections(one)] == ["ten fighters were caught crossing the border with Mexico"]
    _, two = compare(*texts, stories={"a0": 0, "a1": 1, "a2": 0})
    assert not rejections(two)  # Hunter's claim is in another story; Obama's does not assert what is denied


def test_a_rejection_by_reference_answers_the_claim_just_before_it(compare: Compare) -> None:
    articles, rels = compare(
        "The defence ministry said Ukraine is preparing a dirty bomb attack near the Zaporizhzhia plant. "
        "Kyiv called the accusations lies designed to cover a Russian attack on the plant."
    )
    (c,) = rejections(rels)
    assert texts_of(articles, c)[1] == "Ukraine is preparing a dirty bomb attack near the Zaporizhzhia plant"


def test_agreement_needs_more_than_a_shared_verb_and_actor(compare: Compare) -> None:
    _, rels = compare(
        "Lebanese officials said the army holds the soldiers in a prison near Beirut.",
        "Red Cross workers said the army holds talks with the families every week.",
    )
    assert not only(rels, "agreement")


@pytest.mark.parametrize(("first", "second", "contradicts"), [
    ("at least 10 people were killed", "12 people were killed", False),  # a lower bound holds the larger figure
    ("at least 10 people were killed", "four people were killed", True),
    ("more than a dozen people were killed", "25 people were killed", False),
    ("at least 30 people were killed", "five people were killed", True),  # beyond the bound and the tolerance
    ("three hundred people were killed", "300 people were killed", False),
])
def test_figures_with_bounds_contradict_only_when_their_ranges_cannot_meet(compare: Compare, first: str, second: str, contradicts: bool) -> None:
    _, rels = compare(f"The army said {first} in the attack on Gwoza.", f"Local officials disputed the toll and said {second} in the attack on Gwoza.")
    assert bool([r for r in rels if r.rule == "quantity"]) is contradicts


def test_a_bare_figure_answers_only_when_it_says_it_is_a_figure(compare: Compare) -> None:
    _, rels = compare("The ministry said that 20,000 people have fled the region. A resident said she turned 40 in March.")
    assert not [r for r in rels if r.rule == "quantity"]  # her age is no count of the people who fled


@pytest.mark.parametrize(("office", "rejects"), [
    ("The district attorney's office dismissed the allegations that marijuana arrests target black residents.", True),
    ("The district attorney's office has dismissed 849 marijuana cases.", False),  # an act, not a reply
])
def test_a_verb_of_refusal_rejects_a_statement_not_a_thing(compare: Compare, office: str, rejects: bool) -> None:
    _, rels = compare("Activists said marijuana arrests target black residents in 849 cases.", office)
    assert bool(rejections(rels)) is rejects


@pytest.mark.parametrize(("government", "rejects"), [
    ("Downing Street denied that the man named as the killer was known to the security services.", True),
    ("Downing Street declined to confirm or deny that the man named as the killer was known to the security services.", False),
    ("Downing Street would neither confirm nor deny that the man named as the killer was known to the security services.", False),
])
def test_a_denial_that_takes_no_side_rejects_nothing(compare: Compare, government: str, rejects: bool) -> None:
    _, rels = compare("The BBC said the man named as the killer was known to the security services.", government)
    assert bool(rejections(rels)) is rejects


@pytest.mark.parametrize(("boy", "rejects"), [
    ("Nikolai Petrov said Ivan Sokolov is lying about the coins and the shock.", True),
    ("Nikolai Petrov said coins lying on the mattress had stuck to his body after the shock.", False),
])
def test_lying_somewhere_calls_nothing_a_lie(compare: Compare, boy: str, rejects: bool) -> None:
    _, rels = compare("Doctor Ivan Sokolov said the shock from the lamp post made coins stick to the boy's body.", boy)
    assert bool(rejections(rels)) is rejects


@pytest.mark.parametrize(("general", "contradicts"), [
    ("General Lloyd Austin said Iraqi pilots had not joined Islamic State.", True),
    ("General Lloyd Austin said he could not confirm that Iraqi pilots had joined Islamic State.", False),  # left open
])
def test_a_clause_left_unconfirmed_is_not_denied(compare: Compare, general: str, contradicts: bool) -> None:
    _, rels = compare("Syrian activists said Iraqi pilots had joined Islamic State in Syria.", general)
    assert bool(only(rels, "contradiction")) is contradicts


@pytest.mark.parametrize(("official", "rejects"), [
    ("A former border official said it is implausible that ten ISIS fighters were caught crossing the border in Texas.", True),
    ("A former border official said it is impossible to verify that ten ISIS fighters were caught crossing the border in Texas.", False),
])
def test_implausible_judges_a_claim_and_impossible_to_verify_does_not(compare: Compare, official: str, rejects: bool) -> None:
    _, rels = compare("Congressman Duncan Hunter said ten ISIS fighters were caught crossing the border in Texas.", official)
    assert bool(rejections(rels)) is rejects


@pytest.mark.parametrize(("residents", "rejected"), [
    # the truce is the government's claim, which the residents only report
    ("Residents said militants attacked three villages, despite government claims that it had agreed a truce with them.", False),
    ("Residents said the government had agreed a truce with the militants.", True),
])
def test_a_rejection_is_not_aimed_at_a_claim_that_only_reports_what_it_rejects(
    compare: Compare, residents: str, rejected: bool
) -> None:
    articles, rels = compare(residents, "Boko Haram's leader denied reports that the group had agreed a truce with the government.")
    assert [("truce" in texts_of(articles, r)[1]) for r in rejections(rels)] == ([True] if rejected else [])


def test_a_claim_left_open_by_whether_is_not_what_a_denial_rejects(compare: Compare) -> None:
    articles, rels = compare(
        "Officials said it was still unknown whether the hostage had been killed in the raid.",
        "Officials in Sanaa said the hostage was killed in the raid.",
        "The militants denied that the hostage had been killed in the raid.",
    )
    assert [texts_of(articles, r)[1] for r in rejections(rels)] == ["the hostage was killed in the raid"]


@pytest.mark.parametrize(("denial", "rejects"), [
    # says what it rejects (her capture) and nothing says so: no target, though her journey is just before
    ("Israeli officials said reports of her capture were lies.", False),
    ("Israeli officials called the reports lies.", True),  # says nothing itself: the claim just before is its target
])
def test_a_rejection_that_says_what_it_rejects_does_not_fall_back_on_the_claim_before_it(
    compare: Compare, denial: str, rejects: bool
) -> None:
    _, rels = compare(f"Her father Moshe Rosenberg said she travelled from Israel to Iraq in November to join a Kurdish militia. {denial}")
    assert bool(rejections(rels)) is rejects


def test_a_negation_outside_the_claim_and_its_cue_does_not_deny_its_frame(nlp: Language) -> None:

    text = ("Samsung has emphasized the fact that it's selling the Galaxy Gear as a timepiece more than a gadget, "
            "so it's not surprising to hear that it's taking a different approach to retail.")
    doc = nlp(text)
    findings = extract_article(doc, load_honorifics(), load_reporting_lexicon(), load_event_lexicon())
    (sell,) = [fr for fr in findings.frames if fr.predicate == "sell"]
    assert sell.modality != "denied"
    # the parser hangs "emphasized" under the negated "it's not surprising": read without the claim's bounds,
    # the same verb comes out denied, which is what the bounds are for
    sentences = doc_sentences(doc, doc_text(doc))
    reader = EventReader(doc, extract_entity_mentions(doc, load_honorifics(), sentences), sentences, load_event_lexicon())
    (tok,) = [t for t in doc if t.lower_ == "selling"]
    assert reader.modality(tok, False)[0] == "denied"


@pytest.mark.parametrize(("arachnologist", "rejects"), [
    ("An arachnologist said it is not plausible that a spider burrowed under the tourist's skin.", True),
    ("An arachnologist said it was not possible to verify that a spider burrowed under the tourist's skin.", False),
])
def test_a_claim_said_not_to_be_plausible_is_rejected(compare: Compare, arachnologist: str, rejects: bool) -> None:
    articles, rels = compare("Doctors in Bali said a tropical spider burrowed under the tourist's skin through a scar.", arachnologist)
    found = rejections(rels)
    assert bool(found) is rejects
    if rejects:
        assert texts_of(articles, found[0])[1] == "a tropical spider burrowed under the tourist's skin through a scar"


@pytest.mark.parametrize(("officials", "contradicts"), [
    ("Western officials said Russia is planning to retreat from Kherson.", True),
    # only what others report: the officials assert nothing about a retreat
    ("Western officials said they were looking into reports that Russia is planning to retreat from Kherson.", False),
])
def test_a_frame_inside_what_a_claim_only_reports_is_not_compared(compare: Compare, officials: str, contradicts: bool) -> None:
    _, rels = compare(officials, "Kyrylo Budanov said Russia is not withdrawing from Kherson.")
    assert bool(only(rels, "contradiction")) is contradicts


def test_a_rejection_about_another_happening_is_less_sure_than_one_about_the_same(compare: Compare) -> None:
    # Both pairs share the general, Mosul and Monday; only the verb says whether the denial answers the claim.
    denial = "The ministry denied reports that General Hamid Saadi was killed in Mosul on Monday."
    _, same = compare(denial, "Local officials said that General Hamid Saadi was killed in Mosul on Monday.")
    _, other = compare(denial, "Local officials said that the wife of General Hamid Saadi was detained in Mosul on Monday.")
    (killed,) = only(same, "contradiction")
    assert killed.features is not None and killed.features.verbs == 1
    (detained,) = only(other, "contradiction")  # names and words alone still link it: the confidence says how sure
    assert detained.features is not None and detained.features.verbs == -1
    assert detained.confidence < killed.confidence


def test_a_rejections_targets_do_not_depend_on_the_hash_seed() -> None:
    # IDF weights summed over a set: a plain sum depends on the set's order (the hash seed), and two
    # targets tied but for the last bit would be picked differently from one run to the next.
    from itertools import permutations

    from kgraph.analyze.claims import _weight

    idf = {"strike": 0.1, "mosul": 0.2, "killed": 0.3, "general": 0.7}
    assert len({_weight(order, idf) for order in permutations(idf)}) == 1


def test_a_rejection_finds_its_target_through_a_word_family(compare: Compare) -> None:
    # "death" and "dead" share no lemma: the lexicon's word family "die" makes them one word.
    claim = "Police said that Dan Morrow was found dead in his Miami apartment on Sunday."
    denial = "His agent Gregg Hale dismissed reports of Dan Morrow's death as a hoax."
    articles, rels = compare(claim, denial)
    (c,) = only(rels, "contradiction")
    assert texts_of(articles, c)[1].startswith("Dan Morrow was found dead")
    _, without = compare(claim, denial, lexicon=replace(load_claim_lexicon(), word_families={}))
    assert not only(without, "contradiction")


def test_a_denial_about_its_speaker_by_a_pronoun_is_about_that_person(compare: Compare) -> None:
    # "rumours that he had been arrested": one word of its own, and "he" is Dan Morrow, who denies it.
    claim = "Police said that Dan Morrow was arrested in Miami on Sunday."
    articles, rels = compare(claim, "Dan Morrow denied rumours that he had been arrested.")
    (c,) = only(rels, "contradiction")
    assert texts_of(articles, c)[1].startswith("Dan Morrow was arrested")
    _, other = compare(claim, "The mayor denied rumours that he had been arrested.")  # "he" is the mayor: no name in common
    assert not only(other, "contradiction")


def test_a_users_lexicon_file_adds_a_word_family(tmp_path) -> None:  # type: ignore[no-untyped-def]
    extra = tmp_path / "families.ttl"
    extra.write_text(
        "@prefix kgl: <https://w3id.org/kgraph/lexicon/> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        'kgl:family-acquit a skos:Concept ; skos:inScheme kgl:word-families ; skos:prefLabel "acquit"@en ;\n'
        '    skos:altLabel "acquittal"@en .\n',
        encoding="utf-8",
    )
    assert "acquittal" not in load_claim_lexicon().word_families
    families = load_claim_lexicon((extra,)).word_families
    assert families["acquittal"] == "acquit" and families["death"] == "die"  # the built-in families stay


def test_a_rumour_told_by_nobody_named_is_a_target_beside_named_voices_never_in_their_place(compare: Compare) -> None:
    # a state the claim lexicon does not compare, so that only the rejection rule relates these claims (a state
    # of a named person, "was found dead", is also opposed by its polarity: test_a_state_is_opposed_by_its_denial_and_its_opposite)
    rumour = "Unconfirmed reports say the Miami restaurant of Dan Morrow is bankrupt since Sunday."
    denial = "His agent Gregg Hale dismissed reports that the Miami restaurant of Dan Morrow is bankrupt as a hoax."
    articles, rels = compare(rumour, denial)
    (c,) = only(rels, "contradiction")
    assert c.rule == "explicit-rejection" and c.b.article_id == "a0" and texts_of(articles, c)[1].startswith("the Miami restaurant")
    police = "His bank said that the Miami restaurant of Dan Morrow is bankrupt since Sunday."
    _, rels = compare(rumour, police, denial)
    assert {r.b.article_id for r in only(rels, "contradiction")} == {"a0", "a1"}  # as good as the police's: both
    weaker = "Unconfirmed reports say the restaurant of Dan Morrow is bankrupt."  # a target on its own
    _, rels = compare(weaker, police, denial)
    assert {r.b.article_id for r in only(rels, "contradiction")} == {"a1"}  # the named voice says it better


def test_a_state_said_of_someone_is_a_frame_with_its_holder_and_polarity(nlp: Language) -> None:
    text = ("His manager Lisa Crane said Dan Morrow is not dead. "
            "Unconfirmed reports say Dan Morrow was found dead in his Miami apartment. "
            "Critics said the new show is important.")
    findings = extract_article(nlp(text), load_honorifics(), load_reporting_lexicon(), load_event_lexicon())
    states = {(fr.predicate, fr.subject.text if fr.subject else None, fr.modality) for fr in findings.frames if fr.form == "adjective"}
    assert ("dead", "Dan Morrow", "denied") in states  # "is not dead": the copula's subject, denied
    assert ("dead", "Dan Morrow", "happened") in states  # "was found dead": the one found
    assert any(p == "important" for p, _, _ in states)  # every state is read; the lexicon says which are compared
    (found,) = [fr for fr in findings.frames if fr.predicate == "find"]
    assert found.form == "passive" and found.subject is None and found.object is not None
    # a copula written with a curly apostrophe is still one; after another verb the adjective says how its
    # subject was during that act, no state: "burned alive" is no life
    text = "His manager said that he’s alive and well. Jordan said the pilot Moaz al-Kasasbeh was burned alive."
    findings = extract_article(nlp(text), load_honorifics(), load_reporting_lexicon(), load_event_lexicon())
    states = [(fr.predicate, fr.subject.text if fr.subject else None) for fr in findings.frames if fr.form == "adjective"]
    assert states == [("alive", "he")]
    assert not [fr for fr in findings.frames if fr.predicate.startswith("’")]  # the contraction is no verb
    text = "Police said Dan Morrow is no longer alive. His agent said Dan Morrow is neither dead nor missing."
    findings = extract_article(nlp(text), load_honorifics(), load_reporting_lexicon(), load_event_lexicon())
    states = {(fr.predicate, fr.modality) for fr in findings.frames if fr.form == "adjective"}
    assert ("alive", "denied") in states and ("dead", "denied") in states
    # the event reader's negation, which every frame shares: "no longer" denies a verb too
    text = "Officials said Russian troops are no longer defending Kherson."
    findings = extract_article(nlp(text), load_honorifics(), load_reporting_lexicon(), load_event_lexicon())
    assert [fr.modality for fr in findings.frames if fr.predicate == "defend"] == ["denied"]


def test_a_state_is_opposed_by_its_denial_and_its_opposite(compare: Compare, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rumour = "Unconfirmed reports say Dan Morrow was found dead in his Miami apartment on Sunday."
    articles, rels = compare(rumour, "His manager Lisa Crane said Dan Morrow is not dead.")
    (c,) = only(rels, "contradiction")
    assert c.rule == "polarity" and {c.a.article_id, c.b.article_id} == {"a0", "a1"}
    _, rels = compare(rumour, "Dan Morrow told reporters on Monday that he is alive and well.")
    (c,) = only(rels, "contradiction")
    assert c.rule == "opposing-predicate"  # "alive" against "dead": the lexicon's opposed states
    # another person's death, and a state the lexicon does not compare, relate nothing
    _, rels = compare("Police said Ann Lee was found dead in her Miami apartment.", "His manager said Dan Morrow is not dead.")
    assert not only(rels, "contradiction")
    # a state the lexicon gives no class relates nothing, until a user's lexicon file classes it
    rich, poor = "A magazine said Dan Morrow is rich.", "His manager Lisa Crane said Dan Morrow is not rich."
    _, rels = compare(rich, poor)
    assert not only(rels, "contradiction")
    extra = tmp_path / "states.ttl"
    extra.write_text(
        "@prefix kgl: <https://w3id.org/kgraph/lexicon/> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        'kgl:rich a skos:Concept ; skos:inScheme kgl:predicate-classes ; skos:prefLabel "rich"@en .\n',
        encoding="utf-8",
    )
    _, rels = compare(rich, poor, lexicon=load_claim_lexicon((extra,)))
    assert [r.rule for r in only(rels, "contradiction")] == ["polarity"]


@pytest.mark.parametrize(("denial", "contradicts"), [
    ("Dan Morrow told reporters on Monday: “I am alive and well.”", True),  # "I" in a quote: its speaker
    ("“He is alive and well,” his manager Lisa Crane said of the singer.", False),  # "he" in a quote: not its speaker
    ("His manager Lisa Crane said that if Dan Morrow is found not dead, the tour will go on.", False),  # left open
    ("His manager Lisa Crane said Dan Morrow was nearly dead when he was found.", False),  # a degree, no state
])
def test_who_holds_a_state_and_whether_it_is_said_to_hold(compare: Compare, denial: str, contradicts: bool) -> None:
    subject = "Lisa Crane" if "of the singer" in denial else "Dan Morrow"
    _, rels = compare(f"Unconfirmed reports say {subject} died in his Miami apartment on Sunday.", denial)
    assert bool(only(rels, "contradiction")) is contradicts


def test_states_are_compared_for_people_only(compare: Compare) -> None:
    # "offensive" and "slow" are labels of the lexicon's war classes (advance, stall): said of a nationality's
    # comments or of forces they are no state of a person, and relate nothing
    _, rels = compare("Kyiv said the Russian comments were offensive.", "Western analysts said Russian forces have stalled.")
    assert not rels


def test_a_passive_is_compared_with_what_is_said_done_to_the_same_thing(compare: Compare) -> None:
    denial = "The Metropolitan Police denied reports that Banksy had been arrested in London."
    articles, rels = compare("A satirical website claimed that Banksy had been arrested in London.", denial)
    (c,) = only(rels, "contradiction")
    assert c.rule == "polarity", c.explanation  # the same verb, done to the same person, denied
    # what Banksy is said to do is not what is said to be done to him
    _, rels = compare("A satirical website claimed that Banksy arrested a fan in London.", "His publicist said Banksy was not arrested.")
    assert not only(rels, "contradiction")
