"""Time expressions in news text, found and normalised to ISO-8601 values.

Event extraction needs to know *when*: "on Monday", "last week", "Feb. 24,
2022". spaCy's small English model tags many dates (``DATE``) but misses
short forms after a preposition ("on Feb. 24", "in 2014", "since October"),
glues unrelated words onto a date ("June 17, two days"), and tags things that
are not times at all ("A380-800", "the age of 56"). This module takes spaCy's
``DATE`` entities (and ``TIME`` entities that name a day, "Monday night"),
adds its own patterns for the forms the model misses, picks one reading per
stretch of text, and normalises each to a calendar value.

Normalisation follows news convention, against the article's date (the
*anchor*) when the caller knows it:

* a weekday is the most recent such day on or before the article date
  ("on Monday" in a report of Wednesday 2022-10-26 is 2022-10-24; the
  article's own weekday is the article date), unless the sentence is in the
  future tense ("will meet on Monday": the next such day) -- the future
  check needs the parse, so only :func:`find_times` makes it;
* a month, or a month and day, without a year is in the article's year, or
  in the year before when that month comes after the article's month
  (looking forward instead under the future tense, as above);
* "this/last/next week" is an ISO week (``YYYY-Www``), "this/last/next
  month" a ``YYYY-MM``, "this/last/next year" a ``YYYY``; "N days ago" a day,
  "N weeks ago" a week, and so on;
* a modifier ("early", "mid-", "late", "the end of") keeps the value of
  what it modifies ("early 2009" is ``2009``): coarser, never wrong.

Without an anchor a relative expression keeps ``value=None`` (and
``relative=True``): the year is never guessed from the clock, since an
archive article read years later would get the wrong one. Durations
("for two weeks", "the past decade") and sets ("every day", "annual") are
found but get ``value=None``: they are not points in time. Ranges
("between 2014 and 2016"), decades ("the 1990s"), seasons and quarters are
points or intervals the value formats here cannot write, so they get
``None`` too. Invalid dates ("31 February", year 99999) get ``None``;
nothing here raises on odd input.

Offsets: a candidate is kept as spaCy or a pattern gives it, except that a
leading preposition ("on", "in", "since", ...) is left out of ``start`` and
``text``. The preposition is the link to the event, not part of the time
("since 2014" and "in 2014" are the same year); it is the caller's to read
from the parse. Qualifiers that change the value's meaning ("as early as",
"at least") and determiners ("the past decade") stay in.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Doc, Span, Token

from kgraph.extract.text import doc_text

__all__ = ["TimeExpression", "find_times", "normalise"]


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """One time expression of an article.

    ``text`` is exactly ``doc.text[start:end]`` (a leading preposition left
    out). ``value`` is an ISO-8601 calendar value (``YYYY-MM-DD``, ``YYYY-MM``,
    ``YYYY`` or ISO week ``YYYY-Www``) or ``None`` when none can be
    determined. ``relative`` says the expression needs an anchor to mean a
    date; ``anchored`` says its value was computed from the article date;
    ``future`` that its sentence looks forward ("will meet on Monday"), which
    :func:`normalise` needs to resolve it later against an article date.
    """

    start: int
    end: int
    text: str
    value: str | None
    relative: bool
    anchored: bool
    future: bool = False


# --- vocabulary -------------------------------------------------------------

_MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
_NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100,
}  # fmt: skip
# Prepositions that link a time to its event; left out of the expression (see the module docstring).
_PREPOSITIONS = frozenset(
    {"on", "in", "since", "at", "by", "until", "till", "til", "from", "to", "during", "before", "after",
     "through", "throughout", "of", "for", "over", "within", "into", "upon"}
)  # fmt: skip
# Words that make a spaCy DATE span worth keeping even when no pattern reads it ("Christmas", "the day").
_TIME_WORDS = frozenset(
    {"second", "minute", "hour", "day", "night", "week", "weekend", "fortnight", "month", "year", "decade",
     "century", "centuries", "quarter", "spring", "summer", "autumn", "fall", "winter", "today", "tonight",
     "yesterday", "tomorrow", "morning", "afternoon", "evening", "annual", "annually", "daily", "weekly",
     "monthly", "yearly", "quarterly", "ago", "recent", "recently", "christmas", "easter", "thanksgiving",
     "era", "now", "currently"}
)  # fmt: skip
# Words that mark an expression as needing an anchor even when its value is not computed.
_RELATIVE_CUES = frozenset(
    {"this", "last", "next", "past", "coming", "recent", "recently", "ago", "earlier", "later", "today",
     "tonight", "yesterday", "tomorrow", "current", "currently", "now", "previous", "following", "lately",
     "upcoming", "ahead"}
) | frozenset(_WEEKDAYS)  # fmt: skip
# Entity labels that a bare month or weekday inside them is not a time ("April Smith", "the Mail on Sunday").
_NON_TIME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})
# A future auxiliary, or a head verb that points forward ("is scheduled to ...").
_FUTURE_AUX = frozenset({"will", "'ll", "’ll", "shall", "wo"})
_FUTURE_HEAD_LEMMAS = frozenset({"schedule", "plan", "expect", "due", "set", "intend", "aim", "go"})
_FREQUENCY_ADJECTIVES = frozenset(
    {"annual", "biannual", "biennial", "yearly", "monthly", "weekly", "daily", "nightly", "hourly", "quarterly"}
)
_DAY_WORDS = frozenset({"today", "tonight", "yesterday", "tomorrow"}) | frozenset(_WEEKDAYS)


# --- regular expressions: the normaliser (lowercased, canonical text) -------

_MON = r"(?P<mon>january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
_WD = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_DAY = r"(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?"
_NUM = r"(?:" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r"|[0-9]{1,4})"
# A modifier that narrows a time without moving it ("early 2009", "the end of March").
_MOD = (
    r"(?P<mod>(?:the\s+)?(?:very\s+)?"
    r"(?:early|mid|late|end\s+of|beginning\s+of|start\s+of|middle\s+of|rest\s+of|remainder\s+of|first\s+half\s+of|"
    r"second\s+half\s+of|(?:spring|summer|fall|autumn|winter)\s+of)[\s-]+(?:the\s+)?)?"
)
_UNIT = r"(?P<unit>day|week|month|year|decade)s?"

_N_ISO = re.compile(r"(?P<y>[0-9]{4})[-/](?P<m>[0-9]{1,2})[-/](?P<d>[0-9]{1,2})")
_N_MDY = re.compile(rf"{_MOD}(?:{_WD},?\s+)?(?:the\s+)?{_MON}\s+{_DAY},?\s+(?P<y>[0-9]{{4,}})")
_N_DMY = re.compile(rf"{_MOD}(?:{_WD},?\s+)?(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MON},?\s+(?P<y>[0-9]{{4,}})")
_N_MY = re.compile(rf"{_MOD}{_MON},?\s+(?:of\s+)?(?P<y>[0-9]{{4,}})")
_N_Y = re.compile(rf"{_MOD}(?:(?:the\s+)?(?:calendar\s+)?year\s+)?(?P<y>[0-9]{{4,}})")
_N_DECADE = re.compile(rf"{_MOD}(?:the\s+)?'?(?:[0-9]{{2}})?[0-9]0'?s|(?:the\s+)?[0-9]{{1,2}}(?:st|nd|rd|th)\s+century")
_N_MD = re.compile(rf"{_MOD}(?:{_WD},?\s+)?(?:the\s+)?{_MON}\s+{_DAY}")
_N_DM = re.compile(rf"{_MOD}(?:{_WD},?\s+)?(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MON}")
_N_M_REL = re.compile(rf"(?P<rel>last|next|this\s+past|this\s+coming|this|past|coming)\s+{_MON}")
_N_M_YREL = re.compile(rf"{_MOD}{_MON},?\s+(?:of\s+)?(?P<rel>this|last|next)\s+year")
_N_M = re.compile(rf"{_MOD}{_MON}")
_N_DAYWORD = re.compile(
    r"(?P<w>today|tonight|yesterday|tomorrow|last\s+night|this\s+(?:morning|afternoon|evening)|"
    r"the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow)"
    r"(?:\s+(?:morning|afternoon|evening|night))?"
)
_N_WD = re.compile(
    rf"(?:(?P<rel>last|this\s+past|past|this|next|this\s+coming|coming)\s+)?{_WD}"
    r"(?:\s+(?:morning|afternoon|evening|night))?"
)
_N_UNIT_REL = re.compile(
    rf"{_MOD}(?:(?:earlier|later)\s+(?:in\s+)?)?(?:(?P<rel>this|last|next|the\s+current|current)\s+|the\s+)"
    r"(?P<unit>week|weekend|month|year)"
)
_N_OTHER_REL = re.compile(
    r"(?:(?:earlier|later|early|late)\s+(?:in\s+)?)?(?:this|last|next|the\s+current)\s+"
    r"(?:(?:financial|fiscal)\s+)?(?:quarter|spring|summer|fall|autumn|winter|season|decade|century)"
)
_N_AGO = re.compile(
    rf"(?:(?P<q>about|almost|nearly|some|just|only|roughly|around|barely|more\s+than|less\s+than|over|under)\s+)?"
    rf"(?P<n>{_NUM}|a\s+few|few|several|many|a\s+couple\s+of|a\s+couple|couple\s+of)\s+{_UNIT}\s+ago"
)
_N_VAGUE = re.compile(
    r"(?:recent|the\s+(?:past|last)\s+(?:few|several|couple\s+of))\s+(?:days|weeks|months|years)|"
    r"recently|lately|currently|nowadays|now|these\s+days|earlier|later|previously|formerly|soon|shortly"
)
_N_AGE = re.compile(r"\bage[ds]?\b|\byears?[\s-]+old\b|-(?:year|month|week|day)s?-old\b")
# "every day", "annually", "15 a year", "twice a week" (but "a year" alone is a duration).
_N_SET = re.compile(
    r"\b(?:every|each|per)\b|^(?:daily|weekly|monthly|annual|annually|yearly|nightly|hourly|quarterly|biannual|biennial)$|"
    rf"(?:^|\s)(?:[0-9][0-9,.]*|{_NUM}|once|twice|thrice|times)\s+(?:a|an)\s+(?:day|night|week|month|year|quarter)\b"
)
_N_UNIT_WORD = re.compile(r"\b(?:second|minute|hour|day|night|week|weekend|fortnight|month|year|decade|century|centurie)s?\b")
_N_QUANTITY = re.compile(
    rf"(?:^|[\s-])(?:{_NUM}|[0-9.]+|few|several|many|some|couple|the\s+(?:past|last|next|coming|previous|following|first|final))(?=[\s,-])"
)
# Clock times are dropped before reading the day ("10 a.m. on Monday" is Monday).
_N_CLOCK = re.compile(
    r"\b(?:at\s+)?(?:[0-9]{1,2}(?::[0-9]{2})?\s*(?:a\.?m\.?|p\.?m\.?)|[0-9]{1,2}:[0-9]{2}|noon|midnight)"
    r"(?:\s+(?:utc|gmt|est|edt|cst|cdt|mst|mdt|pst|pdt|bst|cet|cest|et|pt|local\s+time))?(?=\s|,|$)"
)
_N_LEAD_QUALIFIER = re.compile(
    r"(?:as\s+(?:early|late|soon|recently)\s+as|at\s+(?:least|most|the\s+latest|the\s+earliest)|"
    r"no\s+(?:later|earlier|sooner)\s+than|some\s*time|circa|c\.|around|about|approximately|roughly|"
    r"(?:later|earlier)\s+(?:on\s+)?(?=(?:this|last|next|in)\b))\s*"
)


# --- regular expressions: the finder (original case, original text) ---------

_SP = r"[^\S\n]+"  # spaces that do not cross a line break (a headline is not followed by its body)
_F_MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_F_MONTH_ANY = rf"(?:{_F_MONTH_FULL}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|\b))"
_F_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_F_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?(?![0-9:])"
_F_YEAR = r"(?:1[89]|2[01])[0-9]{2}(?![0-9])"
_F_PREP = r"(?i:in|since|by|until|till|from|between|during|before|after|through|throughout|of|for|on)"
_F_MOD = r"(?:(?i:early|mid|late)(?:-|" + _SP + r")|(?i:the)" + _SP + r"(?i:end|beginning|start|middle)" + _SP + r"(?i:of)" + _SP + r")"
_F_NUM = r"(?i:" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r"|[0-9]{1,3}|a" + _SP + r"few|several)"
_F_UNIT = r"(?i:days?|weeks?|months?|years?|decades?)"

# Each finder pattern comes with a gate: a simpler expression that matches inside every match of the
# pattern (its month, its year, its "ago"). A text the gate does not match holds no match of the
# pattern, so the pattern is not run over it: most articles name no weekday or say no "ago", and the
# finder's backtracking over every word boundary of the text was the larger part of timex's time.
# The gate is searched once per text, shared by the patterns that name it.
_GATE_ISO = re.compile(r"[0-9]-[0-9]")
_GATE_MONTH_ANY = re.compile(_F_MONTH_ANY)
_GATE_MONTH_FULL = re.compile(_F_MONTH_FULL)
_GATE_YEAR = re.compile(_F_YEAR)
_GATE_WEEKDAY = re.compile(_F_WEEKDAY)
_GATE_DAY_WORD = re.compile(r"(?i:today|tonight|yesterday|tomorrow|night|morning|afternoon|evening)")
_GATE_AGO = re.compile(r"(?i:ago)")
_GATE_RECENT = re.compile(r"(?i:recent)")

_FIND_PATTERNS: tuple[tuple[re.Pattern[str] | None, re.Pattern[str]], ...] = tuple(
    (gate, re.compile(p))
    for gate, p in (
        # 2022-10-24
        (_GATE_ISO, r"(?<![0-9-])(?P<x>[0-9]{4}-[0-9]{2}-[0-9]{2})(?![0-9-])"),
        # Feb. 24 / February 24, 2022 / Monday, Feb. 24
        (_GATE_MONTH_ANY, rf"\b(?P<x>(?:{_F_WEEKDAY},?{_SP})?{_F_MONTH_ANY}{_SP}{_F_DAY}(?:,?{_SP}{_F_YEAR})?)"),
        # 24 February / the 24th of February 2022
        (_GATE_MONTH_ANY, rf"\b(?P<x>(?:(?i:the){_SP})?{_F_DAY}{_SP}(?:of{_SP})?{_F_MONTH_ANY}(?:,?{_SP}{_F_YEAR})?)"),
        # October 2022 / late October 2022
        (_GATE_MONTH_ANY, rf"\b(?P<x>{_F_MOD}?{_F_MONTH_ANY},?{_SP}(?:of{_SP})?{_F_YEAR})"),
        # in October / since early March
        (_GATE_MONTH_FULL, rf"\b{_F_PREP}{_SP}(?P<x>{_F_MOD}?{_F_MONTH_FULL})\b"),
        # last November / early March / September of this year
        (_GATE_MONTH_FULL, rf"\b(?P<x>(?i:last|next|this){_SP}{_F_MONTH_FULL})\b"),
        (_GATE_MONTH_FULL, rf"\b(?P<x>(?i:early|mid|late)(?:-|{_SP}){_F_MONTH_FULL})\b"),
        (_GATE_MONTH_FULL, rf"\b(?P<x>{_F_MONTH_FULL}{_SP}(?:of{_SP})?(?i:this|next|last){_SP}year)\b"),
        # in 2014 / since 2014 / in early 2009 / mid-2011
        (_GATE_YEAR, rf"\b{_F_PREP}{_SP}(?P<x>{_F_MOD}?{_F_YEAR})\b(?![-–/.,][0-9])"),
        (_GATE_YEAR, rf"\b(?P<x>(?i:early|mid|late)(?:-|{_SP}){_F_YEAR})\b"),
        # the second year of a range: from 2009 to 2011 / between 2014 and 2016
        (_GATE_YEAR, rf"\b(?i:from|between){_SP}{_F_YEAR}{_SP}(?i:to|and|until|till|through){_SP}(?P<x>{_F_YEAR})\b(?![-–/.,][0-9])"),
        # on Monday / last Monday / Monday night / every Monday (a set, found so that it is not read as a date)
        (
            _GATE_WEEKDAY,
            rf"(?<!Black )(?<!Good )(?<!Cyber )\b(?P<x>(?:(?i:last|next|this|this{_SP}past|this{_SP}coming|every|each){_SP})?"
            rf"{_F_WEEKDAY}(?:{_SP}(?i:morning|afternoon|evening|night))?)\b",
        ),
        # today / yesterday morning / tonight / last night / this morning
        (
            _GATE_DAY_WORD,
            rf"\b(?P<x>(?i:today|tonight|yesterday|tomorrow)(?:{_SP}(?i:morning|afternoon|evening|night))?|"
            rf"(?i:last){_SP}(?i:night)|(?i:this){_SP}(?i:morning|afternoon|evening))\b",
        ),
        # last week / earlier this month / later this year (not "the last week", a duration)
        (
            None,  # "week", "year", "fall": in nearly every text
            rf"(?<![Tt]he )\b(?P<x>(?:(?i:earlier|later|early|late){_SP}(?:(?i:in){_SP})?)?(?i:this|last|next){_SP}"
            r"(?i:week|weekend|month|year|quarter|spring|summer|autumn|fall|winter))\b",
        ),
        # two days ago / a few weeks ago
        (_GATE_AGO, rf"\b(?P<x>{_F_NUM}{_SP}{_F_UNIT}{_SP}(?i:ago))\b"),
        # in recent weeks
        (_GATE_RECENT, rf"\b(?i:in|over|during){_SP}(?P<x>(?i:recent){_SP}(?i:days|weeks|months|years))\b"),
    )
)

_LEAD_PREP_RE = re.compile(r"(?i)(?P<prep>[a-z]+)[^\S\n]+")
# "at least 2014" keeps its "at": it qualifies the time, it does not link it.
_QUALIFIER_AFTER_AT_RE = re.compile(r"(?i)(?:least|most|the\s+(?:latest|earliest))\b")
_ABBREV_END_RE = re.compile(r"(?i)\b(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|a\.m|p\.m)\.$")
_TRAIL_POSSESSIVE_RE = re.compile(r"['’]s$")
_YEAR_LIKE_RE = re.compile(r"(?<![0-9])(?:1[0-9]|20)[0-9]{2}(?![0-9])")
_NON_DIGIT_RE = re.compile(r"[^0-9]")


# --- public API -------------------------------------------------------------


def find_times(doc: Doc, article_date: dt.date | None) -> tuple[TimeExpression, ...]:
    """Every time expression of ``doc``, in text order, none overlapping, values normalised.

    ``article_date`` anchors relative expressions; ``None`` leaves their
    value ``None``. The spans found do not depend on it.
    """
    anchor = _as_date(article_date)
    text = doc_text(doc)
    candidates = [*_entity_candidates(doc), *_pattern_candidates(doc, text)]
    found: list[TimeExpression] = []
    for start, end, reading in _choose(candidates, text):
        future = reading.relative and _future_tense(doc, start, end)
        final = _read(text[start:end], anchor, future=future)
        value, relative = final.value, final.relative
        found.append(
            TimeExpression(
                start=start,
                end=end,
                text=text[start:end],
                value=value,
                relative=relative,
                anchored=relative and anchor is not None and value is not None,
                future=future,
            )
        )
    return tuple(found)


def normalise(text: str, article_date: dt.date | None, *, future: bool = False) -> tuple[str | None, bool]:
    """``(value, relative)`` of one time expression: the past-tense news convention, or looking
    forward when ``future`` (what :attr:`TimeExpression.future` says of its sentence).

    >>> import datetime
    >>> normalise("on Monday", datetime.date(2022, 10, 26))
    ('2022-10-24', True)
    >>> normalise("Feb. 24, 2022", None)
    ('2022-02-24', False)
    >>> normalise("last week", None)
    (None, True)
    >>> normalise("for two weeks", datetime.date(2022, 10, 26))
    (None, False)
    """
    reading = _read(text, _as_date(article_date), future=future)
    return reading.value, reading.relative


# --- reading one expression -------------------------------------------------


_Kind = Literal["point", "duration", "set", "vague", "age", "unknown"]


@dataclass(frozen=True, slots=True)
class _Reading:
    """What the normaliser made of a text: its value, whether it is relative, and its kind.

    ``kind`` is ``point`` (a pattern read it as a point or stretch of the
    calendar, even if the value is ``None`` for want of an anchor or because
    the date is invalid), ``duration``, ``set``, ``vague`` ("recently"),
    ``age`` ("56 years old", not a time at all) or ``unknown``. The finder
    uses it to choose between overlapping candidates independently of the
    anchor, so the spans found never depend on the article date.
    """

    value: str | None
    relative: bool
    kind: _Kind


_Handler = Callable[[re.Match[str], dt.date | None, bool], _Reading]


def _read(text: str, anchor: dt.date | None, *, future: bool) -> _Reading:
    """Read ``text``; never raises (an impossible date reads as ``value=None``)."""
    try:
        s = _canonical(text)
        if not s:
            return _Reading(None, False, "unknown")
        if _N_AGE.search(s):
            return _Reading(None, False, "age")
        for pattern, handler in _READERS:
            m = pattern.fullmatch(s)
            if m is not None:
                return handler(m, anchor, future)
        return _unparsed(s)
    except (ValueError, OverflowError, KeyError, IndexError):  # a calendar that cannot hold the value
        return _Reading(None, False, "unknown")


def _canonical(text: str) -> str:
    """Lowercased, one space between words, no clock time, no leading preposition or qualifier."""
    s = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").lower()
    s = " ".join(s.split())
    s = _N_CLOCK.sub(" ", s)
    s = " ".join(s.split()).strip(" ,;:!?()[]\"'")
    changed = True
    while changed and s:
        changed = False
        m = _N_LEAD_QUALIFIER.match(s)
        if m and m.end() < len(s):
            s, changed = s[m.end() :], True
        head, _, rest = s.partition(" ")
        if not changed and head in _PREPOSITIONS and rest:
            s, changed = rest, True
        s = s.strip(" ,;:!?()[]\"'")
    s = _TRAIL_POSSESSIVE_RE.sub("", s)
    if s.endswith(".") and not _ABBREV_END_RE.search(s):
        s = s[:-1]
    return s.strip(" ,")


def _unparsed(s: str) -> _Reading:
    """No calendar pattern fits: say whether it is a set, a duration, or just relative talk."""
    words = set(re.findall(r"[a-z]+", s))
    relative = bool(words & _RELATIVE_CUES)
    if _N_SET.search(s):
        return _Reading(None, False, "set")
    unit = _N_UNIT_WORD.search(s)
    names_a_date = bool(words & (set(_MONTHS) | set(_WEEKDAYS))) or bool(_YEAR_LIKE_RE.search(s))
    if unit and not names_a_date and (_N_QUANTITY.search(" " + s + " ") or unit.group().endswith("s")):
        # A span that also names a date is two expressions glued ("June 17, two days"), not a duration.
        return _Reading(None, relative, "duration")
    if relative and unit is None and (words & {"earlier", "later"}) and len(words) > 1:
        return _Reading(None, True, "vague")
    return _Reading(None, relative, "unknown")


def _iso_day(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def _iso_week(d: dt.date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _iso_month(year: int, month: int) -> str:
    dt.date(year, month, 1)  # validates
    return f"{year:04d}-{month:02d}"


def _iso_year(year: int) -> str:
    dt.date(year, 1, 1)  # validates (1..9999)
    return f"{year:04d}"


def _year(digits: str) -> int | None:
    """A written year as a number, or ``None`` when it is not a four-digit year."""
    return int(digits) if len(digits) == 4 and not _NON_DIGIT_RE.search(digits) else None


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + by
    return k // 12, k % 12 + 1


def _year_for_month(month: int, anchor: dt.date, future: bool) -> int:
    """The year of a month named without one: looking back from the article (forward if future tense)."""
    if future:
        return anchor.year if month >= anchor.month else anchor.year + 1
    return anchor.year if month <= anchor.month else anchor.year - 1


def _point(value: str | None, relative: bool) -> _Reading:
    return _Reading(value, relative, "point")


def _safe(make: Callable[[], str]) -> str | None:
    """The value ``make`` builds, or ``None`` when the calendar has no such date ("31 February")."""
    try:
        return make()
    except (ValueError, OverflowError):
        return None


def _h_iso_day(m: re.Match[str], _anchor: dt.date | None, _future: bool) -> _Reading:
    year = _year(m.group("y"))
    month, day = int(m.group("m")), int(m.group("d"))
    return _point(None if year is None else _safe(lambda: _iso_day(dt.date(year, month, day))), False)


def _h_written_day(m: re.Match[str], _anchor: dt.date | None, _future: bool) -> _Reading:
    year = _year(m.group("y"))
    month, day = _MONTHS[m.group("mon")], int(m.group("day"))
    return _point(None if year is None else _safe(lambda: _iso_day(dt.date(year, month, day))), False)


def _h_absolute_month(m: re.Match[str], _anchor: dt.date | None, _future: bool) -> _Reading:
    year = _year(m.group("y"))
    return _point(None if year is None else _safe(lambda: _iso_month(year, _MONTHS[m.group("mon")])), False)


def _h_absolute_year(m: re.Match[str], _anchor: dt.date | None, _future: bool) -> _Reading:
    year = _year(m.group("y"))
    return _point(None if year is None else _safe(lambda: _iso_year(year)), False)


def _h_unwritable(relative: bool) -> _Handler:
    """A point or stretch the value formats cannot write (a decade, a quarter, a season)."""
    return lambda _m, _anchor, _future: _point(None, relative)


def _h_month_day(m: re.Match[str], anchor: dt.date | None, future: bool) -> _Reading:
    month, day = _MONTHS[m.group("mon")], int(m.group("day"))
    if not 1 <= day <= 31:
        return _point(None, True)
    if anchor is None:
        return _point(None, True)
    year = _year_for_month(month, anchor, future)
    return _point(_safe(lambda: _iso_day(dt.date(year, month, day))), True)


def _h_month(m: re.Match[str], anchor: dt.date | None, future: bool) -> _Reading:
    if anchor is None:
        return _point(None, True)
    month = _MONTHS[m.group("mon")]
    rel = m.groupdict().get("rel")
    rel = " ".join(rel.split()) if rel else None
    if rel in {"last", "past", "this past"}:  # strictly before the article's month
        year = anchor.year if month < anchor.month else anchor.year - 1
    elif rel in {"next", "coming", "this coming"}:  # strictly after
        year = anchor.year if month > anchor.month else anchor.year + 1
    else:
        year = _year_for_month(month, anchor, future)
    return _point(_safe(lambda: _iso_month(year, month)), True)


def _h_month_of_rel_year(m: re.Match[str], anchor: dt.date | None, _future: bool) -> _Reading:
    if anchor is None:
        return _point(None, True)
    year = anchor.year + {"this": 0, "last": -1, "next": 1}[m.group("rel")]
    return _point(_safe(lambda: _iso_month(year, _MONTHS[m.group("mon")])), True)


def _h_day_word(m: re.Match[str], anchor: dt.date | None, _future: bool) -> _Reading:
    word = " ".join(m.group("w").split())
    if anchor is None:
        return _point(None, True)
    offset = {"yesterday": -1, "last night": -1, "tomorrow": 1, "the day before yesterday": -2, "the day after tomorrow": 2}
    return _point(_safe(lambda: _iso_day(anchor + dt.timedelta(days=offset.get(word, 0)))), True)


def _h_weekday(m: re.Match[str], anchor: dt.date | None, future: bool) -> _Reading:
    if anchor is None:
        return _point(None, True)
    wd = _WEEKDAYS[m.group("wd")]
    rel = " ".join(m.group("rel").split()) if m.group("rel") else None
    back = (anchor.weekday() - wd) % 7  # days back to the most recent such day, 0 = today
    ahead = (wd - anchor.weekday()) % 7
    if rel in {"last", "past", "this past"}:
        days = -(back or 7)
    elif rel in {"next", "coming", "this coming"}:
        days = ahead or 7
    else:
        days = ahead if future else -back
    return _point(_safe(lambda: _iso_day(anchor + dt.timedelta(days=days))), True)


def _h_unit(m: re.Match[str], anchor: dt.date | None, future: bool) -> _Reading:
    rel = m.group("rel")
    unit = m.group("unit")
    if rel is None and m.group("mod") is None and unit != "weekend":
        return _Reading(None, False, "unknown")  # "the week": anaphoric, the anchor is some other time
    if anchor is None:
        return _point(None, True)
    if rel is None and unit == "weekend":
        # "over the weekend": in news the one just past (the coming one under the future tense).
        saturday = 5
        days = (saturday - anchor.weekday()) % 7 if future else -((anchor.weekday() - saturday) % 7)
        return _point(_safe(lambda: _iso_week(anchor + dt.timedelta(days=days))), True)
    by = {"last": -1, "next": 1}.get(" ".join((rel or "this").split()), 0)
    if unit in {"week", "weekend"}:
        return _point(_safe(lambda: _iso_week(anchor + dt.timedelta(weeks=by))), True)
    if unit == "month":
        year, month = _shift_month(anchor.year, anchor.month, by)
        return _point(_safe(lambda: _iso_month(year, month)), True)
    return _point(_safe(lambda: _iso_year(anchor.year + by)), True)


def _h_ago(m: re.Match[str], anchor: dt.date | None, _future: bool) -> _Reading:
    n_text = " ".join(m.group("n").split())
    n = _NUMBER_WORDS.get(n_text) or (int(n_text) if n_text.isdigit() else None)
    bound = m.group("q") is not None and m.group("q").split()[0] in {"more", "less", "over", "under"}
    if anchor is None or n is None or bound:
        return _point(None, True)  # "a few weeks ago", "more than a year ago": no single value
    unit = m.group("unit")
    if unit == "day":
        return _point(_safe(lambda: _iso_day(anchor - dt.timedelta(days=n))), True)
    if unit == "week":
        return _point(_safe(lambda: _iso_week(anchor - dt.timedelta(weeks=n))), True)
    if unit == "month":
        year, month = _shift_month(anchor.year, anchor.month, -n)
        return _point(_safe(lambda: _iso_month(year, month)), True)
    years = n * 10 if unit == "decade" else n
    return _point(_safe(lambda: _iso_year(anchor.year - years)), True)


def _h_vague(_m: re.Match[str], _anchor: dt.date | None, _future: bool) -> _Reading:
    return _Reading(None, True, "vague")


# Order matters: absolute forms before the relative ones they contain ("Feb. 24, 2022" before "Feb. 24").
_READERS: tuple[tuple[re.Pattern[str], _Handler], ...] = (
    (_N_ISO, _h_iso_day),
    (_N_MDY, _h_written_day),
    (_N_DMY, _h_written_day),
    (_N_MY, _h_absolute_month),
    (_N_Y, _h_absolute_year),
    (_N_DECADE, _h_unwritable(False)),
    (_N_MD, _h_month_day),
    (_N_DM, _h_month_day),
    (_N_M_REL, _h_month),
    (_N_M_YREL, _h_month_of_rel_year),
    (_N_M, _h_month),
    (_N_DAYWORD, _h_day_word),
    (_N_WD, _h_weekday),
    (_N_UNIT_REL, _h_unit),
    (_N_OTHER_REL, _h_unwritable(True)),
    (_N_AGO, _h_ago),
    (_N_VAGUE, _h_vague),
)


def _as_date(article_date: dt.date | None) -> dt.date | None:
    """A ``datetime`` is a ``date`` too; keep only its day so values never carry a clock time."""
    if isinstance(article_date, dt.datetime):
        return article_date.date()
    return article_date if isinstance(article_date, dt.date) else None


# --- finding candidates -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    from_model: bool


def _entity_candidates(doc: Doc) -> Iterator[_Candidate]:
    """spaCy's DATE entities, and its TIME entities that name a day ("Monday night", "this morning")."""
    for ent in doc.ents:
        if len(ent) == 1 and ent[0].pos_ == "ADJ" and ent[0].lower_ in _FREQUENCY_ADJECTIVES:
            continue  # "the annual meeting": says how often the meeting is, not when
        if ent.label_ == "DATE" or (ent.label_ == "TIME" and _names_a_day(ent)):
            yield _Candidate(ent.start_char, ent.end_char, True)


def _names_a_day(ent: Span) -> bool:
    words = [t.lower_ for t in ent]
    return bool(set(words) & _DAY_WORDS) or "this morning" in ent.text.lower() or "last night" in ent.text.lower()


def _pattern_candidates(doc: Doc, text: str) -> Iterator[_Candidate]:
    """Forms the small model misses. A bare month or weekday inside a name is not a time ("April Smith")."""
    opened: dict[re.Pattern[str], bool] = {}
    for gate, pattern in _FIND_PATTERNS:
        if gate is not None:
            if gate not in opened:
                opened[gate] = gate.search(text) is not None
            if not opened[gate]:
                continue
        for m in pattern.finditer(text):
            start, end = m.span("x")
            if start == end:
                continue
            if not any(c.isdigit() for c in text[start:end]) and _inside_name(doc, start, end):
                continue
            if _is_counted_number(doc, text, start, end):
                continue
            yield _Candidate(start, end, False)


def _inside_name(doc: Doc, start: int, end: int) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(t.ent_type_ in _NON_TIME_LABELS for t in span)


def _is_counted_number(doc: Doc, text: str, start: int, end: int) -> bool:
    """A bare year that counts something ("in 2014 cases") is a number, not a year."""
    if not _YEAR_LIKE_RE.fullmatch(text[start:end]):
        return False
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and span.root.dep_ in {"nummod", "quantmod"} and span.root.head.i > span.root.i


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets without surrounding space and punctuation, a leading preposition, or a possessive."""
    newline = text.find("\n", start, end)
    while newline == start and start < end:  # leading line breaks, then cut at the first inner one
        start += 1
        newline = text.find("\n", start, end)
    if newline != -1:
        end = newline
    while True:
        while start < end and (text[start].isspace() or text[start] in ",;:([\"'“‘-–—"):
            start += 1
        m = _LEAD_PREP_RE.match(text, start, end)
        if m and m.group("prep").lower() in _PREPOSITIONS and m.end() < end and not _QUALIFIER_AFTER_AT_RE.match(text, m.end(), end):
            start = m.end()
            continue
        break
    while start < end and (text[end - 1].isspace() or text[end - 1] in ",;:)]\"'”’-–—!?"):
        end -= 1
    possessive = _TRAIL_POSSESSIVE_RE.search(text, start, end)
    if possessive and possessive.start() > start:
        end = possessive.start()
    if end > start and text[end - 1] == "." and not _ABBREV_END_RE.search(text, start, end):
        end -= 1
    return start, end


def _choose(candidates: list[_Candidate], text: str) -> list[tuple[int, int, _Reading]]:
    """One reading per stretch of text, in text order.

    Overlapping candidates compete: one that a pattern reads (a point, a
    duration, a set) beats one nothing reads ("June 17, two days" loses to
    "June 17"), then the longer wins ("Feb. 24, 2022" over "Feb. 24"; "every
    Monday" over "Monday"), then spaCy's. Readings here are anchor-free, so
    the choice never depends on the article date. spaCy spans that nothing
    reads and that hold no time word ("A380-800", "55") are dropped, and so
    are ages ("the age of 56").
    """
    scored: dict[tuple[int, int], tuple[_Reading, bool]] = {}
    for c in candidates:
        start, end = _trim(text, c.start, c.end)
        if start >= end:
            continue
        reading = _read(text[start:end], None, future=False)
        if reading.kind == "age":
            continue
        if reading.kind == "unknown" and not _has_time_evidence(text[start:end]):
            continue
        previous = scored.get((start, end))
        scored[(start, end)] = (reading, c.from_model or (previous is not None and previous[1]))
    ranked = sorted(
        scored.items(),
        key=lambda kv: (kv[1][0].kind == "unknown", -(kv[0][1] - kv[0][0]), not kv[1][1], kv[0][0]),
    )
    taken: list[tuple[int, int, _Reading]] = []
    for (start, end), (reading, _) in ranked:
        if all(end <= s or e <= start for s, e, _r in taken):
            taken.append((start, end, reading))
    return sorted(taken, key=lambda t: t[0])


def _has_time_evidence(text: str) -> bool:
    low = text.lower()
    words = set(re.findall(r"[a-z]+", low))
    singular = {w[:-1] for w in words if w.endswith("s")}
    return bool((words | singular) & (_TIME_WORDS | set(_MONTHS) | set(_WEEKDAYS))) or bool(_YEAR_LIKE_RE.search(low))


def _future_tense(doc: Doc, start: int, end: int) -> bool:
    """Is the event this time belongs to in the future ("will meet on Monday", "is due to fly in March")?

    Walks from the expression up to its verb and looks for a future
    auxiliary, or a governing verb of planning ("scheduled to", "expected
    to", "going to"). Explicit words ("next Monday", "tomorrow") do not need
    this; it only decides which way a bare weekday or month points.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    token: Token = span.root
    for _ in range(4):
        if token.pos_ in {"VERB", "AUX"} or token.head.i == token.i:
            break
        token = token.head
    for verb in (token, token.head if token.dep_ in {"xcomp", "ccomp", "conj"} else token):
        if any(c.dep_ in {"aux", "auxpass"} and c.lower_ in _FUTURE_AUX for c in verb.children):
            return True
        if verb.lower_ in _FUTURE_AUX:
            return True
    return token.dep_ == "xcomp" and token.head.lemma_.lower() in _FUTURE_HEAD_LEMMAS
