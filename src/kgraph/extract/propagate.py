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

from kgraph.resolve.aliases import AliasGroup
from kgraph.extract.entities import EntityMention
from kgraph.resolve.names import fold

__all__ = ["NameIndex", "build_name_index", "propagate_names"]

# A one-word name is looked up only if NER tagged it at least this often in the corpus:
# single words NER tagged once are too often its mistakes ("Iskander", "Leyen").
MIN_SINGLE_WORD_TAGS = 2


@dataclass(frozen=True, slots=True)
class NameIndex:
    """Names keyed by their first word, longest first, with their most frequent NER label.

    Lookup walks the words of a text once and tries only the names that start
    with the current word, so its cost grows with the text, not with the
    number of names (a regex alternation of thousands of names does not).
    """

    by_first_word: Mapping[str, tuple[str, ...]]
    label_of: Mapping[str, str]


_WORD_RE = re.compile(r"(?<![\w\-])\w+")


def _first_word(name: str) -> str | None:
    m = re.match(r"\w+", name)
    return m.group() if m else None


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
    grouped: dict[str, list[str]] = {}
    for name in names:
        first = _first_word(name)
        if first:
            grouped.setdefault(first, []).append(name)
    by_first = {w: tuple(sorted(ns, key=lambda n: (-len(n), n))) for w, ns in grouped.items()}
    return NameIndex(by_first, names)


def propagate_names(
    text: str,
    sentences: Sequence[tuple[int, int]],
    found: Sequence[EntityMention],
    index: NameIndex,
) -> tuple[EntityMention, ...]:
    """``found`` plus a mention for every untagged occurrence of an indexed name."""
    if not index.by_first_word:
        return tuple(found)
    taken = sorted((m.start, m.end) for m in found)
    starts = [s for s, _ in taken]
    sent_starts = [s for s, _ in sentences]
    added: list[EntityMention] = []
    resume = 0
    for word in _WORD_RE.finditer(text):
        start = word.start()
        if start < resume:
            continue
        name = _name_at(text, start, index.by_first_word.get(word.group(), ()))
        if name is None:
            continue
        end = start + len(name)
        resume = end
        if _overlaps(taken, starts, start, end):
            continue
        k = bisect.bisect_right(sent_starts, start) - 1
        sent_start, sent_end = sentences[k] if k >= 0 else (0, len(text))
        added.append(EntityMention(start, end, name, index.label_of[name], sent_start, sent_end, propagated=True))
    if not added:
        return tuple(found)
    return tuple(sorted((*found, *added), key=lambda m: (m.start, m.end)))


def _name_at(text: str, start: int, candidates: Sequence[str]) -> str | None:
    """The longest candidate written at ``start`` as whole words."""
    for name in candidates:
        end = start + len(name)
        if text.startswith(name, start) and (end == len(text) or not (text[end].isalnum() or text[end] in "_-")):
            return name
    return None


def _overlaps(taken: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    i = bisect.bisect_left(starts, end)
    # Any span beginning before our end and ending after our start overlaps.
    return any(s < end and e > start for s, e in taken[max(0, i - 8) : i])


