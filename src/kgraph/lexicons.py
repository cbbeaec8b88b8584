"""Loading of the data-driven word lists that rules use.

Only this module reads lexicon files; extractors receive the loaded values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


def _data_lines(name: str) -> list[str]:
    text = resources.files("kgraph").joinpath("data", name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@dataclass(frozen=True, slots=True)
class Honorifics:
    """Titles that precede a name; ``leading`` matches one at the start of a string."""

    leading: re.Pattern[str]
    trailing: re.Pattern[str]

    def strip(self, name: str) -> tuple[str | None, int]:
        """The title found at the start of ``name`` and how many characters it spans."""
        m = self.leading.match(name)
        if not m:
            return None, 0
        return m.group("title"), m.end()


def _title_alternation(titles: list[str]) -> str:
    # Longest first so "Major-General" wins over "Major"; "-" and " " are interchangeable
    # and a final "." is optional ("Gen." / "Gen").
    parts = []
    for t in sorted({t.rstrip(".") for t in titles}, key=len, reverse=True):
        words = re.split(r"[\s\-]+", t)
        parts.append(r"[\s\-]+".join(re.escape(w) for w in words))
    return "|".join(parts)


@lru_cache(maxsize=1)
def load_honorifics() -> Honorifics:
    alt = _title_alternation(_data_lines("honorifics.txt"))
    leading = re.compile(rf"(?P<title>(?:{alt})\.?)(?:\s+|(?<=\.))(?=[A-Z\u00C0-\u024F\u0400-\u04FF])", re.I)
    trailing = re.compile(rf"(?P<title>\b(?:{alt})\.?)\s*$", re.I)
    return Honorifics(leading=leading, trailing=trailing)
