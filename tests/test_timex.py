"""Time expressions: finding them in parsed sentences and normalising them against the article date."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc

from conftest import NEWS_DEV, SEEDS
from kgraph.extract import timex
from kgraph.extract.timex import TimeExpression, find_times, normalise

# The value formats promised: YYYY-MM-DD, YYYY-MM, YYYY, YYYY-Www.
ISO_VALUE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?|-W[0-9]{2})?")
WED = dt.date(2022, 10, 26)  # a Wednesday; ISO week 2022-W43
NEW_YEAR = dt.date(2023, 1, 10)  # a Tuesday early in January, for year-boundary cases


def times(nlp: Language, text: str, article_date: dt.date | None = WED) -> tuple[TimeExpression, ...]:
    return find_times(nlp(text), article_date)


def only(nlp: Language, text: str, article_date: dt.date | None = WED) -> TimeExpression:
    found = times(nlp, text, article_date)
    assert len(found) == 1, found
    return found[0]


def without_model_dates(doc: Doc) -> Doc:
    """The same parse with spaCy's entities removed: what kgraph's own patterns find alone."""
    doc.ents = []
    return doc


# --- normalise: every pattern, with and without the article date -----------


@pytest.mark.parametrize(
    ("text", "anchored_value", "relative"),
    [
        # absolute: same value with or without an anchor
        ("Feb. 24, 2022", "2022-02-24", False),
        ("Feb 24, 2022", "2022-02-24", False),
        ("February 24th, 2022", "2022-02-24", False),
        ("24 February 2022", "2022-02-24", False),
        ("Thursday, Feb. 24, 2022", "2022-02-24", False),
        ("October 2022", "2022-10", False),
        ("2022-10-24", "2022-10-24", False),
        ("2014", "2014", False),
        ("in 2014", "2014", False),
        ("since 2014", "2014", False),
        ("early 2009", "2009", False),
        ("mid-2011", "2011", False),
        ("the end of 2014", "2014", False),
        # relative: a value only with an anchor
        ("on Monday", "2022-10-24", True),
        ("Monday night", "2022-10-24", True),
        ("last Monday", "2022-10-24", True),
        ("next Monday", "2022-10-31", True),
        ("10 a.m. on Monday", "2022-10-24", True),
        ("today", "2022-10-26", True),
        ("tonight", "2022-10-26", True),
        ("this morning", "2022-10-26", True),
        ("yesterday", "2022-10-25", True),
        ("last night", "2022-10-25", True),
        ("tomorrow", "2022-10-27", True),
        ("this week", "2022-W43", True),
        ("last week", "2022-W42", True),
        ("next week", "2022-W44", True),
        ("this month", "2022-10", True),
        ("earlier this month", "2022-10", True),
        ("late last month", "2022-09", True),
        ("last month", "2022-09", True),
        ("next month", "2022-11", True),
        ("this year", "2022", True),
        ("last year", "2021", True),
        ("last year's", "2021", True),
        ("two days ago", "2022-10-24", True),
        ("2 days ago", "2022-10-24", True),
        ("three weeks ago", "2022-W40", True),
        ("six months ago", "2022-04", True),
        ("a year ago", "2021", True),
        ("in October", "2022-10", True),
        ("September", "2022-09", True),
        ("early October", "2022-10", True),
        ("last September", "2022-09", True),
        ("January next year", "2023-01", True),
        ("Feb. 24", "2022-02-24", True),
        ("on Feb. 24", "2022-02-24", True),
        ("24 February", "2022-02-24", True),
        ("the 24th of February", "2022-02-24", True),
        ("the end of the month", "2022-10", True),
    ],
)
def test_normalise_with_and_without_article_date(text: str, anchored_value: str, relative: bool) -> None:
    assert normalise(text, WED) == (anchored_value, relative)
    # Without an anchor, relative expressions keep no value: the year is never guessed from the clock.
    assert normalise(text, None) == (None if relative else anchored_value, relative)


@pytest.mark.parametrize("text", ["in recent weeks", "recent days", "a few days ago", "more than a year ago", "recently"])
def test_vague_relative_expressions_have_no_value_even_with_an_anchor(text: str) -> None:
    assert normalise(text, WED) == (None, True)
    assert normalise(text, None) == (None, True)


# --- news conventions -------------------------------------------------------


@pytest.mark.parametrize(
    ("weekday", "expected"),
    [
        ("Monday", "2022-10-24"),
        ("Tuesday", "2022-10-25"),
        ("Wednesday", "2022-10-26"),  # the article's own weekday is the article date
        ("Thursday", "2022-10-20"),  # after the article's weekday: last week's
        ("Sunday", "2022-10-23"),
    ],
)
def test_weekday_is_the_most_recent_such_day_on_or_before_the_article_date(weekday: str, expected: str) -> None:
    assert normalise(f"on {weekday}", WED) == (expected, True)


def test_weekday_in_a_past_tense_report(nlp: Language) -> None:
    found = only(nlp, "Russian forces withdrew from the city on Monday, officials said.")
    assert (found.text, found.value, found.relative, found.anchored) == ("Monday", "2022-10-24", True, True)


def test_weekday_in_a_future_tense_sentence_points_forward(nlp: Language) -> None:
    assert only(nlp, "The minister will meet his counterpart on Monday.").value == "2022-10-31"
    assert only(nlp, "The trial is set to begin on Thursday in London.").value == "2022-10-27"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in December", "2022-12"),  # after the article's month: last year's
        ("on Dec. 28", "2022-12-28"),
        ("28 December", "2022-12-28"),
        ("last December", "2022-12"),
        ("in January", "2023-01"),  # the article's month: this year's
        ("on Jan. 3", "2023-01-03"),
        ("last week", "2023-W01"),
        ("last month", "2022-12"),
        ("last year", "2022"),
        ("three weeks ago", "2022-W51"),
    ],
)
def test_month_without_year_across_the_year_boundary(text: str, expected: str) -> None:
    assert normalise(text, NEW_YEAR) == (expected, True)


def test_iso_week_uses_the_iso_year() -> None:
    assert normalise("this week", dt.date(2021, 1, 1)) == ("2020-W53", True)
    assert normalise("this week", dt.date(2024, 12, 30)) == ("2025-W01", True)


def test_future_tense_month_looks_forward(nlp: Language) -> None:
    found = only(nlp, "The new model will be shipped in February through the online store.", NEW_YEAR)
    assert (found.text, found.value) == ("February", "2023-02")
    found = only(nlp, "The new model was shipped in February through the online store.", dt.date(2023, 1, 10))
    assert found.value == "2022-02"


def test_a_datetime_anchor_gives_a_date_value() -> None:
    assert normalise("yesterday", dt.datetime(2022, 10, 26, 23, 59)) == ("2022-10-25", True)


# --- durations, sets and invalid dates --------------------------------------


@pytest.mark.parametrize(
    "text",
    ["for two weeks", "two weeks", "a year", "two a month", "twice a week", "several months", "the past two weeks", "fifty-year", "every day", "every Monday", "annually", "15 a year", "decades"],
)
def test_durations_and_sets_have_no_value(text: str) -> None:
    assert normalise(text, WED)[0] is None
    assert normalise(text, None)[0] is None


@pytest.mark.parametrize(
    "text",
    ["31 February 2022", "February 30, 2022", "2022-13-01", "2022-02-30", "year 99999", "99999", "Feb 24, 99999", "0000"],
)
def test_invalid_absolute_dates_have_no_value(text: str) -> None:
    assert normalise(text, WED) == (None, False)


def test_invalid_relative_date_has_no_value() -> None:
    assert normalise("on 31 February", WED) == (None, True)
    assert normalise("yesterday", dt.date.min) == (None, True)  # no day before year 1


def test_durations_and_sets_are_found_without_value(nlp: Language) -> None:
    found = times(nlp, "The siege lasted for two weeks and shells fell every day.")
    assert [(t.text, t.value) for t in found] == [("two weeks", None), ("every day", None)]
    assert not any(t.anchored for t in found)


def test_invalid_dates_in_text_are_found_without_value(nlp: Language) -> None:
    found = times(nlp, "The deal was struck on 31 February, in the year 99999.")
    assert [(t.text, t.value) for t in found] == [("31 February", None), ("the year 99999", None)]


# --- finding: spans, offsets and patterns the model misses ------------------


@pytest.mark.parametrize(
    ("sentence", "text", "value"),
    [
        ("The invasion began on Feb. 24 with missile strikes.", "Feb. 24", "2022-02-24"),
        ("The invasion began on Feb 24, 2022, with missile strikes.", "Feb 24, 2022", "2022-02-24"),
        ("The treaty was signed on 24 February in Minsk.", "24 February", "2022-02-24"),
        ("Crimea has been occupied since 2014 by Russian troops.", "2014", "2014"),
        ("The company was founded in 2014 by two engineers.", "2014", "2014"),
        ("Earlier this month the army advanced.", "Earlier this month", "2022-10"),
        ("The army paused last week near the river.", "last week", "2022-W42"),
        ("The army resumed its attacks this week.", "this week", "2022-W43"),
        ("The army withdrew on Monday from the city.", "Monday", "2022-10-24"),
        ("The mayor resigned today after the vote.", "today", "2022-10-26"),
        ("The mayor spoke yesterday to reporters.", "yesterday", "2022-10-25"),
        ("The council will vote tonight on the plan.", "tonight", "2022-10-26"),
        ("In recent weeks the front has shifted.", "recent weeks", None),
        ("In October the rains came.", "October", "2022-10"),
        ("The report from October 2022 was published later.", "October 2022", "2022-10"),
        ("The report was published on 2022-10-24 by the ministry.", "2022-10-24", "2022-10-24"),
        ("He was shot two days ago in the capital.", "two days ago", "2022-10-24"),
    ],
)
def test_own_patterns_find_each_form_without_the_model(nlp: Language, sentence: str, text: str, value: str | None) -> None:
    found = find_times(without_model_dates(nlp(sentence)), WED)
    assert [(t.text, t.value) for t in found] == [(text, value)]
    t = found[0]
    assert sentence[t.start : t.end] == t.text


def test_leading_preposition_is_left_out_of_text_and_offsets(nlp: Language) -> None:
    sentence = "Talks resumed on Monday, in October and since 2014."
    found = times(nlp, sentence)
    assert [t.text for t in found] == ["Monday", "October", "2014"]
    for t in found:
        assert sentence[t.start : t.end] == t.text
        assert not t.text.lower().startswith(("on ", "in ", "since "))


def test_without_article_date_same_spans_relative_values_unset(nlp: Language) -> None:
    sentence = "On Monday, a year after the Feb. 24, 2022 invasion, officials said last week's strikes had stopped."
    doc = nlp(sentence)
    anchored, bare = find_times(doc, WED), find_times(doc, None)
    assert [(t.start, t.end) for t in anchored] == [(t.start, t.end) for t in bare]
    by_text = {t.text: t for t in bare}
    assert (by_text["Monday"].value, by_text["Monday"].relative, by_text["Monday"].anchored) == (None, True, False)
    assert (by_text["Feb. 24, 2022"].value, by_text["Feb. 24, 2022"].anchored) == ("2022-02-24", False)
    assert by_text["last week"].value is None
    assert {t.text: t.anchored for t in anchored} == {"Monday": True, "Feb. 24, 2022": False, "last week": True}


def test_time_entity_with_a_day_word_is_found(nlp: Language) -> None:
    found = times(nlp, "Fighting continued through Monday night and into Tuesday morning.")
    assert [(t.text, t.value) for t in found] == [("Monday night", "2022-10-24"), ("Tuesday morning", "2022-10-25")]


def test_date_glued_to_another_phrase_keeps_the_date(nlp: Language) -> None:
    found = times(nlp, "The airliner arrives on November 11, three days later than originally planned.", dt.date(2005, 11, 5))
    assert (found[0].text, found[0].value) == ("November 11", "2005-11-11")


def test_years_of_a_range_are_each_found(nlp: Language) -> None:
    found = times(nlp, "It will take delivery of the aircraft between 2014 and 2016.")
    assert [(t.text, t.value) for t in found] == [("2014", "2014"), ("2016", "2016")]


def test_names_and_counts_are_not_times(nlp: Language) -> None:
    assert times(nlp, "April Smith and May Jones work for USA Today.") == ()
    found = find_times(without_model_dates(nlp("The court heard evidence in 2014 cases of fraud.")), WED)
    assert found == ()


def test_ages_and_model_noise_are_not_times(nlp: Language) -> None:
    assert all("56" not in t.text for t in times(nlp, "He died at the age of 56 in a hospital."))
    assert all(t.text != "annual" for t in times(nlp, "The annual meeting was held in Paris."))


# --- robustness -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", " ", "\n\n", "on", "Monday", "\u202e\u200bon Monday 🤷 ２０１４ ", "in 2014\n\nFeb.", "31 February 99999 year -- since since in on",
     "Feb. 24, 2022. " * 50, "۲۰۱۴ ٢٤ فبراير", "\x00\x01\ufffd"],
)
def test_find_times_never_crashes_and_offsets_are_exact(nlp: Language, text: str) -> None:
    doc = nlp(text)
    for article_date in (WED, None, dt.date.min, dt.date.max):
        found = find_times(doc, article_date)
        assert all(doc.text[t.start : t.end] == t.text and t.start < t.end for t in found)
        assert [t.start for t in found] == sorted(t.start for t in found)
        assert all(a.end <= b.start for a, b in itertools.pairwise(found))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(text=st.text(max_size=60), days=st.integers(min_value=0, max_value=dt.date.max.toordinal() - 1))
def test_normalise_never_raises(text: str, days: int) -> None:
    for article_date in (None, dt.date.fromordinal(days + 1)):
        value, relative = normalise(text, article_date)
        assert value is None or ISO_VALUE.fullmatch(value), value
        assert isinstance(relative, bool)


def test_time_expression_is_frozen_and_hashable() -> None:
    t = TimeExpression(0, 6, "Monday", "2022-10-24", True, True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.value = None  # type: ignore[misc]
    assert len({t, TimeExpression(0, 6, "Monday", "2022-10-24", True, True)}) == 1


def test_each_finder_pattern_matches_only_texts_its_gate_matches() -> None:
    """The finder skips a pattern over a text its gate misses; on real news that must lose no match."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    with NEWS_DEV.open(encoding="utf-8") as bodies:
        texts += [json.loads(line)["text"] for i, line in enumerate(bodies) if i % 3 == 0]
    gated = [(gate, pattern) for gate, pattern in timex._FIND_PATTERNS if gate is not None]
    assert len(gated) >= 10
    for gate, pattern in gated:
        found = [t for t in texts if pattern.search(t)]
        assert found, f"no real text exercises {pattern.pattern[:60]}"
        missed = [t[:80] for t in found if not gate.search(t)]
        assert not missed, f"gate {gate.pattern!r} misses texts that {pattern.pattern[:60]!r} matches: {missed[:2]}"
