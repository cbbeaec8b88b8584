"""Remove page furniture from scraped article text and fix its shape.

Articles copied from news sites carry lines that are not the article: photo
captions repeated by the page template, view counters, "load more" footers,
stray markup symbols. Left in, they become entities, mentions and claims.
:func:`clean_text` removes them and returns the text in the one shape every
later stage indexes by character offset: stripped paragraphs separated by one
blank line, NFC-normalised, with no invisible control characters.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections.abc import Iterable

__all__ = ["CAPTION_CREDIT_PATTERNS", "FURNITURE_PATTERNS", "clean_field", "clean_text", "is_furniture"]

PARAGRAPH_SEPARATOR = "\n\n"

# Unicode categories removed from the text: control (Cc, except the line break
# handled by splitting), format (Cf: zero-width spaces and joiners, BOM, bidi
# marks, soft hyphen) and lone surrogates (Cs, which cannot even be encoded).
# They are invisible, so they only break tokenisation and offsets.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
# Tabs separate words; removing them would glue two words into one.
_WORD_SEPARATING_CONTROL = "\t"
# Furniture is short (a counter, a caption with its credit). A longer line is
# prose and is not matched at all, which also bounds the regex work per line.
MAX_FURNITURE_CHARS = 1_000
# spaCy's tokenizer peels prefixes and suffixes off a token one at a time,
# copying the rest each time: quadratic in the token's length. 6,000 quote
# marks or emoji in a row took 10 s, 100,000 would take about half an hour.
# A space after every this many non-space characters bounds that (real words
# and most URLs are far shorter).
MAX_RUN_CHARS = 500
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN_CHARS}}}(?=\S)")

# A short credit after a caption: capitalised names, a few joining words.
_CREDIT = r"[A-Z][\w.'’&-]*(?:[ ,/]+(?:[A-Z][\w.'’&-]*|via|for|and|of|the|&))*"
_CREDIT_KEYWORD = r"(?:Photo(?:graph)?|PHOTO(?:GRAPH)?|Picture|Image|Video|VIDEO|Footage|Credit|CREDIT)s?"
_AGENCY = r"(?:Getty Images|AFP|Reuters|REUTERS|AP Photo|AP|EPA|Shutterstock|Alamy)"

# Caption lines that end in a photo or video credit. Such a line is never
# article prose, and templates print it again under the picture, so every
# occurrence goes (not only the repeats).
CAPTION_CREDIT_PATTERNS: tuple[re.Pattern[str], ...] = (
    # "... mass grave. Video / Supplied", "Photo: Reuters", "Photograph: AP"
    re.compile(rf"(?:^|\s){_CREDIT_KEYWORD}\s*[:/|]\s*{_CREDIT}\s*$"),
    # "... in Kherson. (Photo: Reuters)", "(Image / Supplied)"
    re.compile(rf"\({_CREDIT_KEYWORD}\s*[:/|]\s*[^()]*\)\s*$"),
    # "... in Kherson (Getty Images)", "(AFP via Getty Images)", "(REUTERS/Stringer)".
    # The lookahead admits only the final parenthesis, so a line with many "(" or
    # a long unclosed one is not searched quadratically.
    re.compile(rf"\((?=[^()]*\)\s*$)(?:[^()]*[\s/])?{_AGENCY}(?:[\s/][^()]*)?\)\s*$"),
)

# Lines that are page furniture wherever they appear. Each entry says why it
# exists; matching is on the stripped line, so ``^…$`` means the whole line.
FURNITURE_PATTERNS: tuple[re.Pattern[str], ...] = (
    # View counters from blog templates: "by -922 Views", "1,234 views", "12K views".
    # Spaces inside the number only before a digit: "[\d\s]*\s+" would backtrack
    # quadratically on a long run of spaces.
    re.compile(r"^(?:by\s+)?-?\d[\d,.]*(?:\s+[\d,.]+)*(?:\s*[kKmM])?\s+views?$", re.IGNORECASE),
    # The same counter written label first: "Views: 1,234".
    re.compile(r"^views?\s*:?\s*-?\d[\d,.]*[kKmM]?$", re.IGNORECASE),
    # Infinite-scroll and pagination widgets: "No More Posts Available.", "Load more".
    re.compile(
        r"^(?:no more (?:posts|pages|articles|stories|results)(?: available| to load| to show)?"
        r"|load(?:ing)? more(?: (?:posts|articles|stories))?|show more|next page|previous page)"
        r"[\s.!…:›»>→-]*$",
        re.IGNORECASE,
    ),
    # Advertising slots that keep their label when the ad itself is stripped.
    re.compile(
        r"^(?:advertisements?|advert|sponsored(?: content)?|story continues below(?: advertisement)?)"
        r"[\s.!…:›»>→-]*$",
        re.IGNORECASE,
    ),
    # Share, follow and newsletter call-to-actions from the article footer.
    re.compile(
        r"^(?:share (?:this|on) \w+(?: \w+)?|share|follow us(?: on \w+)?"
        r"|(?:sign up|subscribe) (?:for|to) (?:our|the) (?:free )?(?:\w+ )?newsletters?"
        r"|click here to \w+(?: \w+){0,4})[\s.!…:›»>→-]*$",
        re.IGNORECASE,
    ),
    # Link-list headings whose links were stripped: "Read more", "See also", "Most read".
    re.compile(
        r"^(?:read more|see also|continue reading|related(?: articles| stories)?|most read"
        r"|trending now|skip to (?:main )?content)[\s.!…:›»>→-]*$",
        re.IGNORECASE,
    ),
    # Markup debris: a line of only punctuation or symbols, e.g. a lone ">" or "***".
    re.compile(r"^[\W_]+$"),
)


def clean_text(raw: str) -> str:
    """Return ``raw`` without page furniture, as stripped paragraphs.

    Each input line is one paragraph. Empty lines, furniture lines
    (:data:`FURNITURE_PATTERNS`), credited caption lines
    (:data:`CAPTION_CREDIT_PATTERNS`) and verbatim repeats of an earlier line
    are dropped; the rest are joined with one blank line between them.
    Characters are otherwise kept as they are (curly quotes stay), except
    that a run of more than :data:`MAX_RUN_CHARS` characters without a space
    is broken by one, so the function is idempotent and later offsets can
    rely on the result.

    >>> clean_text(" >\\nKherson is quiet.\\nKherson is quiet.\\nby -922 Views\\n")
    'Kherson is quiet.'
    """
    return PARAGRAPH_SEPARATOR.join(_kept_paragraphs(_normalised_lines(raw)))


def clean_field(raw: str) -> str:
    """Return a metadata value (title, id, URL, outlet) as one clean line.

    The same invisible characters go as in :func:`clean_text`, every run of
    whitespace (line breaks too) becomes one space, and the result is NFC.
    Lone surrogates from a JSON escape such as ``"\\ud800"`` go with them, so
    the value always encodes to UTF-8.

    >>> clean_field(" Kher\\u200bson\\nretreat\\ud800 ")
    'Kherson retreat'
    """
    words = _without_invisibles(" ".join(raw.split())).split()  # break lines before controls go
    return unicodedata.normalize("NFC", " ".join(words))


def is_furniture(line: str) -> bool:
    """Whether a stripped line is page furniture on its own, wherever it appears."""
    if len(line) > MAX_FURNITURE_CHARS:
        return False
    return any(p.search(line) for p in FURNITURE_PATTERNS) or any(
        p.search(line) for p in CAPTION_CREDIT_PATTERNS
    )


def _normalised_lines(raw: str) -> Iterable[str]:
    """Split on every kind of line break, then normalise each line on its own.

    Invisible characters go before NFC so that a combining mark separated from
    its base by a zero-width space still composes; stripping comes last so no
    normalisation step can expose new edge whitespace. Long runs are broken
    last, between two non-space characters, so the line's edges stay.
    """
    for line in raw.splitlines():
        line = unicodedata.normalize("NFC", _without_invisibles(line)).strip()
        yield _LONG_RUN.sub(r"\g<0> ", line) if len(line) > MAX_RUN_CHARS else line


def _without_invisibles(line: str) -> str:
    """Drop control, format and surrogate characters; tabs become spaces."""
    if line.isprintable():  # the common case, checked in C
        return line
    return _invisible_characters().sub("", line.replace(_WORD_SEPARATING_CONTROL, " "))


@functools.cache
def _invisible_characters() -> re.Pattern[str]:
    """One character class of every code point in :data:`_INVISIBLE_CATEGORIES`.

    A regex removes them at C speed; testing ``unicodedata.category`` character
    by character took seconds on a 10 MB article. Built once, on first use,
    from the running Python's Unicode tables (about 0.2 s).
    """
    ranges: list[tuple[int, int]] = []
    for code in range(sys.maxunicode + 1):
        if unicodedata.category(chr(code)) in _INVISIBLE_CATEGORIES:
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return re.compile("[" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in ranges) + "]")


def _kept_paragraphs(lines: Iterable[str]) -> list[str]:
    """Keep non-empty, non-furniture lines, each only at its first occurrence."""
    seen: set[str] = set()
    kept: list[str] = []
    for line in lines:
        if not line or line in seen or is_furniture(line):
            continue
        seen.add(line)
        kept.append(line)
    return kept
