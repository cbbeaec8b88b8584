"""The user's alias file: names that no rule can know are the same.

Format (UTF-8 text, one group per line)::

    # comments start with '#'
    Dnipro = Dnieper = Dnepr
    Kyiv = Kiev

The first name of a line is the canonical label; every name on the line
denotes the same entity. Names are matched after case, accent and
punctuation folding and transliteration folding, so "Dnepr" also catches
"DNEPR". A name may appear in only one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kgraph.errors import AliasFileError


@dataclass(frozen=True, slots=True)
class AliasGroup:
    canonical: str
    names: tuple[str, ...]  # including the canonical name
    line: int


def load_aliases(path: Path) -> tuple[AliasGroup, ...]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AliasFileError(path, "no such file") from None
    except UnicodeDecodeError:
        raise AliasFileError(path, "not UTF-8 text") from None
    except OSError as err:
        raise AliasFileError(path, err.strerror or str(err)) from None
    groups: list[AliasGroup] = []
    seen: dict[str, int] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        names = tuple(n.strip() for n in line.split("=") if n.strip())
        if len(names) < 2 or "=" not in line:
            raise AliasFileError(path, f"line {lineno}: expected 'Canonical = Alias [= Alias ...]', got {raw.strip()!r}")
        for name in names:
            key = name.casefold()
            if key in seen and seen[key] != lineno:
                raise AliasFileError(path, f"line {lineno}: {name!r} is already in line {seen[key]}")
            seen[key] = lineno
        groups.append(AliasGroup(canonical=names[0], names=names, line=lineno))
    return tuple(groups)
