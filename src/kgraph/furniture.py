"""Remove page furniture from scraped article text and fix its shape.

Articles copied from news sites carry lines that are not the article: photo
captions repeated by the page template, view counters, "load more" footers,
stray markup symbols. Left in, they become entities, mentions and claims.
:func:`clean_text` removes them and returns the text in the one shape every
later stage indexes by character offset: stripped paragraphs separated by one
blank line, NFC-normalised, with no invisible control characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = ["FURNITURE_PATTERNS", "CAPTION_CREDIT_PATTERNS", "clean_text", "is_furniture"]

PARAGRAPH_SEPARATOR = "\n\n"

# Unicode categories removed from the text: control (Cc, except the line break
# handled by splitting), format (Cf: zero-width spaces and joiners, BOM, bidi
# marks, soft hyphen) and lone surrogates (Cs, which cannot even be encoded).
# They are invisible, so they only break tokenisation and offsets.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
# Tabs separate words; removing them would glue two words into one.
_WORD_SEPARATING_CONTROLS = frozenset({"\t"})

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
    # "... in Kherson (Getty Images)", "(AFP via Getty Images)", "(REUTERS/Stringer)"
    re.compile(rf"\((?:[^()]*[\s/])?{_AGENCY}(?:[\s/][^()]*)?\)\s*$"),
)

# Lines that are page furniture wherever they appear. Each entry says why it
# exists; matching is on the stripped line, so ``^…$`` means the whole line.
FURNITURE_PATTERNS: tuple[re.Pattern[str], ...] = (
    # View counters from blog templates: "by -922 Views", "1,234 views", "12K views".
    re.compile(r"^(?:by\s+)?-?\d[\d,.\s]*[kKmM]?\s+views?$", re.IGNORECASE),
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
    Characters are otherwise kept as they are (curly quotes stay), so the
    function is idempotent and later offsets can rely on the result.

    >>> clean_text(" >\\nKherson is quiet.\\nKherson is quiet.\\nby -922 Views\\n")
    'Kherson is quiet.'
    """
    return PARAGRAPH_SEPARATOR.join(_kept_paragraphs(_normalised_lines(raw)))


def is_furniture(line: str) -> bool:
    """Whether a stripped line is page furniture on its own, wherever it appears."""
    return any(p.search(line) for p in FURNITURE_PATTERNS) or any(
        p.search(line) for p in CAPTION_CREDIT_PATTERNS
    )


def _normalised_lines(raw: str) -> Iterable[str]:
    """Split on every kind of line break, then normalise each line on its own.

    Invisible characters go before NFC so that a combining mark separated from
    its base by a zero-width space still composes; stripping comes last so no
    normalisation step can expose new edge whitespace.
    """
    for line in raw.splitlines():
        yield unicodedata.normalize("NFC", _without_invisibles(line)).strip()


def _without_invisibles(line: str) -> str:
    """Drop control, format and surrogate characters; tabs become spaces."""
    return "".join(
        " " if ch in _WORD_SEPARATING_CONTROLS else ch
        for ch in line
        if ch in _WORD_SEPARATING_CONTROLS or unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
    )


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
