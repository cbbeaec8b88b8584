"""Quotation marks -> quoted spans, robust to every mark news uses and to strays.

Pure text: runs before and independently of the parse, because spaCy's
tokenizer and sentence splitter are not reliable around quote marks. Each mark
is classed as opening or closing by what flanks it (a mark after a space and
before a letter opens), then marks are paired with a stack per paragraph so a
quote may contain a nested one ("… campaign that "we care about people" …").

A paragraph that ends inside a quote is the news convention for a quote that
continues in the next paragraph (which reopens it): the open part runs to the
paragraph's end. Any other unmatched mark is a stray and is ignored, so one
bad mark never swallows the rest of an article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["QuoteSpan", "find_quotes"]

# Opening and closing marks; a straight " or ' is decided by its flanks.
_OPENERS = {"“": "”", "«": "»", "„": "“", "‘": "’", "‹": "›", '"': '"', "'": "'"}
_CLOSERS = frozenset({"”", "»", "’", "›", '"', "'", "“"})
# Two ASCII apostrophes (or two backticks) are one double quote mark: the convention of some
# wires and archives (''We stay,'' he said.), matched before a single apostrophe.
_MARKS_RE = re.compile(r"''|``|[“”«»„‘’‹›\"']")
_AS_ONE_MARK = {"''": '"', "``": "“"}
_PARAGRAPH_RE = re.compile(r"\n\s*\n|\n(?=\s*[“\"«‘])")
# A quote shorter than this many letters is a scare quote or a stray, never a quotation.
_MIN_LETTERS = 2


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """``open``/``close`` are the offsets of the marks (``close`` is None when the quote runs on)."""

    open: int
    close: int | None
    start: int  # content start (after the opening mark)
    end: int  # content end (before the closing mark), trailing space trimmed
    continues: bool = False  # ran to the end of its paragraph unclosed


def _role(text: str, i: int, width: int = 1) -> str | None:
    """'open', 'close', 'either' or None (an apostrophe, not a quote mark); ``width`` 2 for '' and ``."""
    c = _AS_ONE_MARK.get(text[i : i + width], text[i])
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + width] if i + width < len(text) else " "
    if c in "’'" and prev.isalnum() and (nxt.isalnum() or nxt in "’'"):
        return None  # Russia’s, don't
    if c == "’" and prev in "sS" and not nxt.isalnum():
        # "officials’ claims": a possessive plural; a closing quote would need an opener, decided by pairing
        return "close"
    left_open = prev.isspace() or prev in "([{—–-/:;,"
    right_open = nxt.isspace() or nxt in ".,;:!?)]}—–-…" or i + width == len(text)
    if c in "“«„‘‹":
        if c == "“" and not left_open and right_open:
            return "close"  # German-style „…“
        return "open"
    if c in "”»›":
        if c == "»" and left_open and not right_open:
            return "open"  # »…« German/Danish style
        return "close"
    # straight marks and the curly apostrophe used as a quote
    if left_open and not right_open:
        return "open"
    if right_open and not left_open:
        return "close"
    if c == "'":
        return None
    return "either"


def find_quotes(text: str) -> list[QuoteSpan]:
    """Top-level quoted spans of ``text``, in order (nested quotes stay inside their outer quote)."""
    quotes = [q for begin, end in _paragraphs(text) for q in _quotes_in(text, begin, end)]
    return [q for q in quotes if sum(ch.isalpha() for ch in text[q.start : q.end]) >= _MIN_LETTERS]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _PARAGRAPH_RE.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return [b for b in bounds if b[1] > b[0]]


def _quotes_in(text: str, begin: int, end: int) -> list[QuoteSpan]:
    stack: list[tuple[int, str, int]] = []  # (offset, opening mark as one character, its width)
    found: list[QuoteSpan] = []
    for m in _MARKS_RE.finditer(text, begin, end):
        i, width = m.start(), len(m.group())
        c = _AS_ONE_MARK.get(m.group(), m.group())
        role = _role(text, i, width)
        if role is None:
            continue
        if role in ("close", "either") and stack and _closes(stack[-1][1], c):
            o, _, ow = stack.pop()
            if not stack:
                found.append(_span(text, o, i, ow))
            continue
        if role == "close" and stack and any(_closes(oc, c) for _, oc, _ in stack):
            # an inner quote was never closed: close the outer one it belongs to
            while stack and not _closes(stack[-1][1], c):
                stack.pop()
            o, _, ow = stack.pop()
            if not stack:
                found.append(_span(text, o, i, ow))
            continue
        if role in ("open", "either"):
            if c in "’" and role == "either":
                continue
            stack.append((i, c, width))
    if stack:
        o, c, ow = stack[0]
        # Unclosed at the paragraph's end: a quote that runs on (the next paragraph reopens it)
        # only when it opened at the start of a sentence; anything else is a stray mark.
        before = text[begin:o].rstrip()
        if not before or before[-1] in ".!?:" or before.endswith(("said", "says")):
            content_end = _rtrim(text, o + ow, end)
            if content_end > o + ow:
                found.append(QuoteSpan(open=o, close=None, start=o + ow, end=content_end, continues=True))
    return found


def _closes(opener: str, c: str) -> bool:
    expected = _OPENERS.get(opener)
    if expected == c:
        return True
    # Typographers mix marks: “…" or "…” still pair; a single never closes a double.
    doubles, singles = "“”\"„«»", "‘’'‹›"
    return (opener in doubles and c in doubles and c not in "„«") or (opener in singles and c in singles and c not in "‘‹")


def _span(text: str, o: int, c: int, width: int = 1) -> QuoteSpan:
    start = o + width
    end = _rtrim(text, start, c)
    while start < end and text[start].isspace():
        start += 1
    return QuoteSpan(open=o, close=c, start=start, end=end)


def _rtrim(text: str, start: int, end: int) -> int:
    """Drop trailing spaces and the comma news puts inside a closing mark (“…,” he said)."""
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return end
