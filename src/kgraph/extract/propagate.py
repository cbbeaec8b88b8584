"""One sense per discourse: names NER found somewhere, found again everywhere.

The small English model misses many occurrences of a name it tags elsewhere
("Kyrylo Budanov, head of …" at a paragraph start; "Putin’s troops"). A name
that NER tagged in any article of the corpus is looked up as a whole word in
every article, and each untagged occurrence becomes a mention marked
``propagated`` (it carries no vote on the entity's type).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kgraph.aliases import AliasGroup
from kgraph.extract.entities import EntityMention
from kgraph.names import fold

__all__ = ["NameIndex", "build_name_index", "propagate_names"]

# A one-word name is looked up only if NER tagged it at least this often in the corpus:
# single words NER tagged once are too often its mistakes ("Iskander", "Leyen").
MIN_SINGLE_WORD_TAGS = 2


@dataclass(frozen=True, slots=True)
class NameIndex:
    pattern: re.Pattern[str] | None
    label_of: Mapping[str, str]  # surface name -> its most frequent NER label


def build_name_index(mentions: Mapping[str, Sequence[EntityMention]], aliases: Sequence[AliasGroup] = ()) -> NameIndex:
    """Every name worth looking up, with the label it most often had.

    Names of an alias-file line are looked up too once any name of that line
    was tagged by NER ("Dnieper" is then found wherever it is written, as the
    user said it names the same river as the tagged "Dnipro").
    """
    labels: dict[str, Counter[str]] = {}
    for ms in mentions.values():
        for m in ms:
            if not m.propagated:
                labels.setdefault(m.text, Counter())[m.label] += 1
    names = {
        name: counts.most_common(1)[0][0]
        for name, counts in labels.items()
        if (" " in name or sum(counts.values()) >= MIN_SINGLE_WORD_TAGS) and name[:1].isupper()
    }
    by_fold = {fold(name): counts.most_common(1)[0][0] for name, counts in labels.items()}
    for group in aliases:
        tagged = [by_fold[fold(n)] for n in group.names if fold(n) in by_fold]
        if tagged:
            for n in group.names:
                names.setdefault(n, tagged[0])
    if not names:
        return NameIndex(None, {})
    alternation = "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))
    return NameIndex(re.compile(rf"(?<![\w\-])(?:{alternation})(?![\w\-])"), names)


def propagate_names(
    text: str,
    sentences: Sequence[tuple[int, int]],
    found: Sequence[EntityMention],
    index: NameIndex,
) -> tuple[EntityMention, ...]:
    """``found`` plus a mention for every untagged occurrence of an indexed name."""
    if index.pattern is None:
        return tuple(found)
    taken = sorted((m.start, m.end) for m in found)
    starts = [s for s, _ in taken]
    sent_starts = [s for s, _ in sentences]
    added: list[EntityMention] = []
    for match in index.pattern.finditer(text):
        start, end = match.span()
        if _overlaps(taken, starts, start, end):
            continue
        k = bisect.bisect_right(sent_starts, start) - 1
        sent_start, sent_end = sentences[k] if k >= 0 else (0, len(text))
        added.append(
            EntityMention(start, end, match.group(), index.label_of[match.group()], sent_start, sent_end, propagated=True)
        )
    if not added:
        return tuple(found)
    return tuple(sorted((*found, *added), key=lambda m: (m.start, m.end)))


def _overlaps(taken: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    i = bisect.bisect_left(starts, end)
    # Any span beginning before our end and ending after our start overlaps.
    return any(s < end and e > start for s, e in taken[max(0, i - 8) : i])


