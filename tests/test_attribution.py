"""Attribution on crafted sentences: each pattern news uses, and the ways it goes wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from kgraph.extract.attribution import Claim
from kgraph.extract.findings import ArticleFindings, extract_article
from kgraph.extract.quotes import find_quotes
from kgraph.lexicons import load_event_lexicon, load_honorifics, load_reporting_lexicon


@pytest.fixture(scope="module")
def extract(nlp: Language):  # type: ignore[no-untyped-def]
    def run(text: str) -> tuple[str, ArticleFindings]:
        return text, extract_article(nlp(text), load_honorifics(), load_reporting_lexicon(), load_event_lexicon())

    return run


def speaker(text: str, c: Claim) -> str | None:
    if c.referent_start is not None:
        return text[c.referent_start : c.referent_end]
    return c.group


def claim_with(text: str, f: ArticleFindings, words: str) -> Claim:
    found = [c for c in f.claims if words in c.text]
    assert found, f"no claim contains {words!r}: {[c.text for c in f.claims]}"
    return found[0]


def test_quote_then_pronoun_cue_resolves_to_the_named_person(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("Anna Petrova spoke to reporters on Monday.\n\n“They are not leaving right now,” he said.")
    c = claim_with(text, f, "not leaving")
    assert c.direct and c.cue_lemma == "say" and speaker(text, c) == "Anna Petrova"
    assert text[c.start : c.end] == "They are not leaving right now"


def test_quote_split_around_its_cue_keeps_one_speaker(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("Anna Petrova was in Kyiv.\n\n“They are not leaving,” she said. “They are preparing to defend.”")
    first, second = claim_with(text, f, "not leaving"), claim_with(text, f, "preparing to defend")
    assert speaker(text, first) == speaker(text, second) == "Anna Petrova"
    # two segments, each an exact span, the second marked as going on from the first (one quotation)
    assert first.continues is None and second.continues == (first.start, first.end)


def test_quotes_with_cues_of_their_own_do_not_continue_each_other(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("“The dam is mined,” Anna Petrova said.\n\n“We will rebuild it,” the mayor, Maria Lopez, said.")
    assert [c.continues for c in f.claims] == [None, None]


def test_colon_introduced_quote_and_inverted_cue_with_apposition(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "Olaf Scholz wrote: “The issue here is nothing less than a new plan.”\n\n"
        "“I apologize to everyone who was stunned by this,” said the host, Anton Krasovsky."
    )
    assert speaker(text, claim_with(text, f, "nothing less")) == "Olaf Scholz"
    assert speaker(text, claim_with(text, f, "I apologize")) == "Anton Krasovsky"


def test_paragraph_continuing_a_quote_without_a_cue(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("“The city is calm,” said Maria Lopez, the mayor.\n\n“We will rebuild the bridges before winter.”")
    calm, rebuild = claim_with(text, f, "city is calm"), claim_with(text, f, "rebuild the bridges")
    assert speaker(text, rebuild) == "Maria Lopez" and rebuild.continues == (calm.start, calm.end)


def test_reported_speech_patterns(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "John Carter said that the talks had failed. "
        "According to Carter, the delegation left early. "
        "Russia is planning a retreat, Western officials said. "
        "Carter denied any role in the leak."
    )
    assert speaker(text, claim_with(text, f, "the talks had failed")) == "John Carter"
    assert claim_with(text, f, "the talks had failed").text == "the talks had failed"
    according = claim_with(text, f, "delegation left early")
    assert according.cue_lemma == "according to" and speaker(text, according) == "Carter"
    officials = claim_with(text, f, "planning a retreat")
    assert officials.speaker_kind == "group" and officials.group == "Western officials"
    denied = claim_with(text, f, "any role")
    assert denied.cue_class == "deny" and speaker(text, denied) == "Carter"


def test_agentless_passive_keeps_an_unknown_speaker(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("These accusations have been rejected as absurd.")
    c = claim_with(text, f, "rejected as absurd")
    assert c.referent_start is None and c.group is None and c.speaker_kind == "unknown"


def test_negated_verification_is_the_reporters_caveat_not_a_claim(extract) -> None:  # type: ignore[no-untyped-def]
    _, f = extract("His claims could not be independently verified.")
    assert f.claims == ()


@pytest.mark.parametrize("sentence", [
    "Downing Street declined to confirm or deny that the man was known to the security services.",
    "Downing Street would neither confirm nor deny that the man was known to the security services.",
])
def test_a_cue_paired_with_its_opposite_claims_nothing(extract, sentence: str) -> None:  # type: ignore[no-untyped-def]
    _, f = extract(sentence)
    assert f.claims == ()
    _, denied = extract(sentence.replace("declined to confirm or deny", "denied").replace("would neither confirm nor deny", "denied"))
    assert [c.cue_lemma for c in denied.claims] == ["deny"]  # the same sentence with one side is a denial


def test_a_confirmation_and_a_denial_joined_by_and_are_two_claims(extract) -> None:  # type: ignore[no-untyped-def]
    _, f = extract("Al Arabiya confirmed that the king did not fly any missions, and denied the report that he was a pilot.")
    assert sorted(c.cue_lemma or "" for c in f.claims) == ["confirm", "deny"]


def test_place_as_speaker_is_its_government(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("Moscow claims that as many as 20,000 people have fled.")
    c = claim_with(text, f, "20,000 people")
    assert c.group == "Moscow (government)" and c.referent_start is None


def test_two_people_with_one_surname_the_nearest_subject_wins(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "Mark Kelly met reporters in Houston. Scott Kelly stayed in orbit.\n\n"
        "“The launch went well,” he said."
    )
    assert speaker(text, claim_with(text, f, "launch went well")) == "Scott Kelly"


def test_it_in_a_relative_clause_is_the_body_not_a_possessor(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "Gazprom’s comments came as the Russian ministry of defence presented what it said was "
        "more evidence of a plot by the rebels."
    )
    c = claim_with(text, f, "more evidence")
    assert "ministry of defence" in (speaker(text, c) or "") and "Gazprom" not in (speaker(text, c) or "")


def test_role_description_resolves_to_the_named_holder(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "Anna Petrova, head of the city council, spoke in Kyiv on Monday. "
        "The head of the council added that the dam was mined."
    )
    c = claim_with(text, f, "the dam was mined")
    assert c.speaker_kind == "role" and speaker(text, c) == "Anna Petrova"
    assert any(text[r.person_start : r.person_end] == "Anna Petrova" and r.role_head == "head" for r in f.roles)


def test_stray_and_unbalanced_quote_marks_do_not_swallow_the_article(extract) -> None:  # type: ignore[no-untyped-def]
    text = "He said “this is odd. Nobody closed it.\n\nAnna Petrova said that the vote was fair. ” ' \" « “"
    text, f = extract(text)
    assert speaker(text, claim_with(text, f, "the vote was fair")) == "Anna Petrova"
    # the unclosed “ opens mid-sentence, so it is a stray: no quote runs on into the next paragraph
    assert not any("\n\n" in text[q.start : q.end] or "vote" in text[q.start : q.end] for q in find_quotes(text))


@pytest.mark.parametrize(
    ("raw", "content"),
    [
        ("She said: “Vote now.” Later", "Vote now."),
        ('He said: "We stay here." Then', "We stay here."),
        ("Sie sagte: „Wir bleiben hier.“ Dann", "Wir bleiben hier."),
        ("Il a dit: « Nous restons ici » puis", "Nous restons ici"),
        ("She said: ‘We stay here.’ Then", "We stay here."),
        ("He said: ''We don't stay here.'' Then", "We don't stay here."),
    ],
)
def test_every_quote_mark_style_is_found(raw: str, content: str) -> None:
    quotes = find_quotes(raw)
    assert [raw[q.start : q.end] for q in quotes] == [content]


def test_citations_interview_statement_channel_and_outlet(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "Kyrylo Budanov told the Ukrainska Pravda newspaper that the city was calm. "
        "The administration said on its Telegram channel that buses were ready. "
        "Col. Dave Butler said in an emailed statement that talks went well. "
        "Ukrainian News Agency reports."
    )
    kinds = {c.kind: c for c in f.citations}
    assert kinds["interview"].outlet_text == "Ukrainska Pravda"
    assert kinds["channel"].outlet_text == "Telegram" and kinds["channel"].speaker_group == "administration"
    assert kinds["statement"].label == "emailed statement"
    assert kinds["outlet"].outlet_text == "Ukrainian News Agency"


def test_an_unreadable_lexicon_is_a_one_line_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kgraph.errors import InputError
    from kgraph.lexicons import load_reporting_lexicon

    bad = tmp_path / "mine.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read the lexicon"):
        load_reporting_lexicon((bad,))


# --- issue 12: sources beyond named people, more cue verbs, nested cues ---------------------------


def cues(f: ArticleFindings) -> list[str | None]:
    return [c.cue_lemma for c in f.claims]


def test_an_untagged_surname_is_still_the_speaker(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("Stumpf said on Tuesday that the lowest-paid workers make twelve dollars an hour.")
    c = claim_with(text, f, "lowest-paid workers")
    assert c.text == "the lowest-paid workers make twelve dollars an hour"
    assert c.speaker_text == "Stumpf" and c.referent_start is not None and text[c.referent_start : c.referent_end] == "Stumpf"


def test_a_thing_that_only_suggests_is_evidence_not_a_source(extract) -> None:  # type: ignore[no-untyped-def]
    _, f = extract("The evacuation orders suggested that the city would soon fall.")
    assert f.claims == ()


def test_a_record_is_a_source_without_an_author(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("A new poll shows that wealthy voters have abandoned the party. The clip says the senator lied.")
    poll = claim_with(text, f, "wealthy voters")
    assert poll.text == "wealthy voters have abandoned the party" and poll.cue_class == "evidence"
    assert poll.speaker_text == "A new poll" and poll.referent_start is None and poll.group is None
    clip = claim_with(text, f, "the senator lied")
    assert clip.speaker_text == "The clip" and clip.cue_class == "assert"


def test_a_person_showing_or_finding_something_is_no_claim(extract) -> None:  # type: ignore[no-untyped-def]
    _, f = extract("Trump showed his tax returns to the reporters. They found a way out of the building.")
    assert f.claims == ()


def test_according_to_a_record_but_not_according_to_plan(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("According to court documents, the firm paid no taxes. Everything went according to plan.")
    assert [c.text for c in f.claims] == ["the firm paid no taxes"]
    assert f.claims[0].speaker_text == "court documents"


def test_a_cue_that_takes_its_content_through_a_preposition(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("Senator Maria Lopez called for the ratification of the amendment. Trump complained about his microphone.")
    ratify = claim_with(text, f, "ratification")
    assert ratify.text == "the ratification of the amendment" and ratify.cue_class == "ask"
    assert speaker(text, ratify) == "Maria Lopez"
    assert claim_with(text, f, "microphone").text == "his microphone"


def test_calling_someone_is_not_calling_for_something(extract) -> None:  # type: ignore[no-untyped-def]
    _, f = extract("Maria Lopez called the office twice on Monday.")
    assert f.claims == ()


def test_an_aim_is_a_claim_only_as_a_clause(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("Clinton wants to triple the size of the national service program.")
    c = claim_with(text, f, "triple")
    assert c.text == "to triple the size of the national service program" and c.cue_class == "intend"
    _, f = extract("Several judges sought information about her tenure at the agency.")
    assert f.claims == ()


def test_a_stance_on_someone_is_a_claim(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("A union representing flight attendants endorsed Hillary Clinton on Friday.")
    c = claim_with(text, f, "Hillary Clinton")
    assert c.cue_class == "support" and c.text == "Hillary Clinton" and c.group == "union"


def test_knowing_someone_is_no_claim_but_knowing_that_is(extract) -> None:  # type: ignore[no-untyped-def]
    _, f = extract("Maria Lopez knows the senator well.")
    assert f.claims == ()
    text, f = extract("Maria Lopez knows that the plan failed.")
    assert claim_with(text, f, "plan failed").cue_class == "believe"


def test_a_cue_nested_in_another_claim_belongs_to_that_claim(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("Anna Petrova said she thinks the bridge will hold.")
    assert [c.cue_lemma for c in f.claims] == ["say"] and f.claims[0].text == "she thinks the bridge will hold"
    text, f = extract("Mark Merrill says Machado promised to keep supporting Clinton.")
    # a promise (an act, no statement of what is so) inside Merrill's report is part of Merrill's claim
    assert cues(f) == ["say"]
    assert f.claims[0].text == "Machado promised to keep supporting Clinton" and speaker(text, f.claims[0]) == "Mark Merrill"


def test_a_statement_inside_a_report_is_a_claim_of_its_own(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("Western officials said Russia claims that Ukraine is planning an attack on the dam.")
    assert cues(f) == ["say", "claim"]
    said, claimed = f.claims
    assert said.text == "Russia claims that Ukraine is planning an attack on the dam"
    assert claimed.text == "Ukraine is planning an attack on the dam" and claimed.speaker_text == "Russia"


@pytest.mark.parametrize(
    "sentence",
    [
        "The campaign says the candidate will announce plans for a new program on Friday.",  # a future act
        "Democrats noted that Pagliano invoked his rights in a closed session.",  # a noun phrase, no statement
        "Anna Petrova said Trump’s tweets accusing Machado of lying were cruel.",  # a participle
        "Anna Petrova said she expects the council to approve the budget.",  # a pronoun: her own words
    ],
)
def test_what_is_no_statement_inside_a_report_stays_part_of_it(extract, sentence: str) -> None:  # type: ignore[no-untyped-def]
    _, f = extract(sentence)
    assert len(f.claims) == 1 and f.claims[0].cue_lemma in ("say", "note")


def test_a_particle_makes_another_verb(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("The union backed Clinton in June. Russia gave no evidence to back up the accusations.")
    assert [(c.cue_lemma, c.text) for c in f.claims] == [("back", "Clinton")]


def test_the_content_of_a_stance_runs_to_the_end_of_its_verb_phrase(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("Warren mocked Romney for not releasing his full tax returns, saying he had something to hide.")
    mocked = claim_with(text, f, "Romney")
    assert mocked.cue_lemma == "mock" and mocked.text == "Romney for not releasing his full tax returns"
    text, f = extract("On Friday, Jennifer Palmieri called on Trump to stop the attacks and apologize.")
    called = claim_with(text, f, "Trump")
    assert called.cue_class == "ask" and called.text == "Trump to stop the attacks and apologize"


def test_a_passive_with_its_agent_reports_its_subject(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("The registration issue was first reported by The Washington Post.")
    c = claim_with(text, f, "registration issue")
    assert c.text == "The registration issue" and c.speaker_text == "The Washington Post"
    _, f = extract("The bridge was damaged by the storm.")
    assert f.claims == ()


def test_where_it_was_said_is_not_what_was_said(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("The dam was mined. Anna Petrova said this in an interview with Ukrainska Pravda.")
    assert speaker(text, claim_with(text, f, "dam was mined")) == "Anna Petrova"
    text, f = extract("Donald Trump criticized the judge in an interview with Fox News.")
    assert claim_with(text, f, "judge").text == "the judge"


def test_two_apostrophes_are_one_quote_mark(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("Why the affiliation? ''They pay us a lot of money, and we need it,'' Larry King said.\n\nHe left.")
    c = claim_with(text, f, "pay us")
    assert c.direct and c.text == "They pay us a lot of money, and we need it" and speaker(text, c) == "Larry King"


def test_a_transcript_turn_is_its_labels_words(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "Chris Wallace spoke with Mike Pence on Sunday.\n\n"
        "WALLACE: Do you really see those two as equivalent?\n\n"
        '"PENCE: Well, look, the truth is that he has a unique way of communicating.\n\n'
        "Update: the interview was cut short."
    )
    asked = claim_with(text, f, "equivalent")
    assert asked.direct and asked.text == "Do you really see those two as equivalent?" and speaker(text, asked) == "Chris Wallace"
    answer = claim_with(text, f, "unique way")
    assert answer.text.startswith("Well, look") and speaker(text, answer) == "Mike Pence"
    assert not any("cut short" in c.text for c in f.claims)


def test_a_signed_quote_is_its_signers(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "Readers wrote to us about the debate.\n\n"
        "“He makes blanket statements about people he knows nothing about.” ― Pamela Padilla\n\n"
        "“I cannot believe a man with no credentials is the nominee.” ― Jacklyn Ashley"
    )
    assert speaker(text, claim_with(text, f, "blanket statements")) == "Pamela Padilla"
    assert speaker(text, claim_with(text, f, "no credentials")) == "Jacklyn Ashley"


def test_as_x_reported_attributes_the_main_clause(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "As Ukrainian News Agency earlier reported, the occupation authorities of the Kherson Region force "
        "residents of Kherson to immediately leave the city."
    )
    c = claim_with(text, f, "occupation authorities")
    assert c.cue_lemma == "report" and c.text.startswith("the occupation authorities") and c.text.endswith("leave the city")
    assert "Ukrainian News Agency" in (c.speaker_text or "")


def test_a_noun_can_report_a_claim(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("Politifact checked Donald Trump’s claim that there have been thousands of shootings in Chicago.")
    c = claim_with(text, f, "thousands of shootings")
    assert c.cue_lemma == "claim" and c.text == "there have been thousands of shootings in Chicago"
    assert speaker(text, c) == "Donald Trump"
    text, f = extract("Western officials have been concerned by Russian claims that Ukraine is planning to use a dirty bomb.")
    c = claim_with(text, f, "dirty bomb")
    assert c.text == "Ukraine is planning to use a dirty bomb" and c.speaker_text == "Russian" and c.cue_class == "assert"
    _, f = extract("The claim of responsibility appeared late. Her fear of flying is well known.")
    assert f.claims == ()


def test_a_question_or_exclamation_ends_before_its_cue_frame(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("Lindsey Graham spoke.\n\n“Does anybody know what the platform of the party is?” Graham asked. “Neither do I.”")
    asked, more = claim_with(text, f, "platform of the party"), claim_with(text, f, "Neither do I")
    assert asked.cue_lemma == "ask" and speaker(text, asked) == speaker(text, more) == "Graham"


def test_a_paragraph_ending_in_a_colon_frames_the_quote_below(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "On July 6, Bernie Sanders made the following comment:\n\n"
        "“For young people who left high school, the unemployment rate is far too high.”"
    )
    assert speaker(text, claim_with(text, f, "unemployment rate")) == "Bernie Sanders"
    text, f = extract("The numbers from Ohio, in short:\n\n“Turnout fell by a third in the cities.”")
    assert claim_with(text, f, "Turnout fell").speaker_kind == "unknown"  # a colon, but no cue before it


def test_whom_it_was_told_to_is_not_what_was_told(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("“He is a good dealmaker,” Lindsey Graham told The Huffington Post on Thursday.")
    assert [c.text for c in f.claims] == ["He is a good dealmaker"] and f.claims[0].direct
    text, f = extract("Lindsey Graham told reporters that the deal was dead.")
    assert claim_with(text, f, "deal was dead").text == "the deal was dead"


def test_a_cue_inside_its_heads_that_clause_does_not_claim_the_head(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("Polls showed that few Americans thought of climate change as a priority.")
    assert [c.cue_lemma for c in f.claims] == ["show"]
    assert f.claims[0].text == "few Americans thought of climate change as a priority"


def test_a_pronoun_is_the_sentence_before_only_when_it_is_all_that_was_said(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("Trump made remarks about her weight in 1996. At the debate, Clinton cited it as an example of his disrespect.")
    c = claim_with(text, f, "example")
    assert c.cue_lemma == "cite" and c.text == "it as an example of his disrespect"
    assert [c.cue_lemma for c in f.claims] == ["cite"]  # not the sentence before


def test_as_someone_put_it_attributes_the_main_clause(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "Most visa applicants must meet work requirements. The main requirement is a lawful source of income, "
        "as a Homeland Security memo put it."
    )
    c = claim_with(text, f, "lawful source")
    assert c.cue_lemma == "put" and c.text == "The main requirement is a lawful source of income"
    assert not any("work requirements" in c.text for c in f.claims)  # "it" is part of the idiom, no anaphor
    _, f = extract("The host took the cake and put it on the table.")
    assert f.claims == ()


def test_an_agentless_passive_is_a_claim_only_as_the_main_clause(extract) -> None:  # type: ignore[no-untyped-def]
    _, f = extract("When the curfew was announced, the police did not enforce it.")
    assert f.claims == ()
    text, f = extract("The curfew was announced and the police enforced it.")
    assert [c.cue_lemma for c in f.claims] == ["announce"] and f.claims[0].speaker_kind == "unknown"


def test_an_according_to_phrase_is_never_another_cues_content(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("Clinton plans to visit Charlotte on Sunday, according to a campaign aide.")
    assert [c.cue_lemma for c in f.claims] == ["according to"]
    assert f.claims[0].text == "Clinton plans to visit Charlotte on Sunday"


def test_a_phrase_of_time_after_the_object_is_not_what_was_said(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("Clinton has not mentioned Machado since the Monday night debate.")
    assert claim_with(text, f, "Machado").text == "Machado"
    text, f = extract("Lindsey Graham backed Clinton throughout the primary.")
    assert claim_with(text, f, "Clinton").text == "Clinton"
    text, f = extract("Anna Petrova likened the rules to a tax on the poor.")
    assert claim_with(text, f, "rules").text == "the rules to a tax on the poor"  # "to" is the verb's own phrase


@pytest.mark.parametrize(
    "sentence",
    [
        "The state added an extra week of early voting in 2006.",
        "Sweeping crackdowns could add fuel to the tensions.",
        "The Bush Center maintains a program for young leaders in Burma.",
        "The Justice Department appealed the case to the Sixth Circuit.",
    ],
)
def test_a_clause_cue_with_a_noun_object_is_another_verb(extract, sentence: str) -> None:  # type: ignore[no-untyped-def]
    _, f = extract(sentence)
    assert f.claims == ()


def test_a_clause_cue_still_reports_a_clause_or_frames_one(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("The mayor added that the bridge will stay closed. Mr. Putin maintains that the vote was legal.")
    assert [c.text for c in f.claims] == ["the bridge will stay closed", "the vote was legal"]
    text, f = extract("The bridge will stay closed until spring, the mayor added.")
    assert [c.text for c in f.claims] == ["The bridge will stay closed until spring"]


def test_a_parenthetical_cue_after_a_subordinate_clause_frames_the_whole_sentence(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract(
        "Though that transition was relatively seamless, he said, replacing Clinton would be much more acrimonious "
        "and could lead to intense lobbying."
    )  # the parse hangs the Though-clause on "said"
    c = claim_with(text, f, "acrimonious")
    assert c.cue_lemma == "say" and c.text.startswith("Though that transition") and c.text.endswith("intense lobbying")


def test_a_complement_clause_is_no_parenthetical_frame(extract) -> None:  # type: ignore[no-untyped-def]
    _, f = extract("The late swoon had Republicans wondering about his health all week.")
    assert not any(c.text.startswith("The late swoon") for c in f.claims)  # "wondering" is the object clause
    text, f = extract("Russia is planning a retreat from the city, officials said.")
    assert claim_with(text, f, "retreat").text == "Russia is planning a retreat from the city"


def test_a_comment_after_a_dash_is_not_what_was_said(extract) -> None:  # type: ignore[no-untyped-def]
    text, f = extract("Trump dismissed Estonia as a suburb of St. Petersburg — a metaphor for the party's decline.")
    assert claim_with(text, f, "Estonia").text == "Estonia as a suburb of St. Petersburg"
    text, f = extract("Obama did not mention the author of that boast, Muhammad Ali, by name.")
    assert claim_with(text, f, "author").text.startswith("the author of that boast, Muhammad Ali")  # a comma names


def test_a_continued_quote_is_linked_to_the_quote_it_goes_on_from(tmp_path: Path, nlp: Language) -> None:
    from kgraph.build import build
    from kgraph.rdf.store import open_store, select_values

    text = "“We are not leaving,” the commander said. “We will defend the city to the last man.”\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    result = build([tmp_path / "a.txt"], tmp_path / "out", nlp=nlp)
    rows = select_values(open_store(result.out_dir), "SELECT ?b ?a WHERE { ?b kg:continues ?a . ?a a schema:Claim . ?b a schema:Claim }")
    assert len(rows) == 1
