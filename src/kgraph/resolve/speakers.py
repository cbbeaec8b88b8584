"""Who each claim's speaker and each citation's source is, after entity resolution.

Extraction locates a speaker by offsets ("he" resolved to the mention "Budanov"
at 120-127) or names a collective ("Western officials"); this stage turns those
into what the corpus knows: a canonical entity, or a group. A place as speaker
("Moscow claims") speaks for its government, so it becomes the group
"Moscow (government)" and no claim is ever authored by a place; a person or an
organisation is itself; anything else (an event, a work) is no speaker. An
interview named without its outlet ("gave an interview") is the speaker's one
interview with an outlet when the corpus knows exactly one.

The RDF layer (:mod:`kgraph.rdf.attribution`) only writes what this decides.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kgraph.extract.attribution import Citation, Claim
from kgraph.extract.entities import EntityMention
from kgraph.extract.findings import ArticleFindings
from kgraph.ingest.article import Article
from kgraph.resolve.entities import Resolution

__all__ = ["ArticleSpeakers", "SpeakerRef", "SpeakerResolution", "resolve_speakers"]

#: A mention overlapping the speaker's offsets starts at most this many characters before them.
_LOOKBACK = 200
_SPEAKING_KINDS = frozenset({"person", "organization"})


@dataclass(frozen=True, slots=True, order=True)
class SpeakerRef:
    """A speaker: a canonical entity (its index in ``Resolution.entities``) or a group label."""

    entity: int | None = None
    group: str | None = None


class ArticleSpeakers:
    """Offsets in one article -> the entity or group they stand for."""

    def __init__(self, article_id: str, mentions: Sequence[EntityMention], resolution: Resolution) -> None:
        self.aid = article_id
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.mentions]
        self.resolution = resolution

    def entity_at(self, start: int | None, end: int | None) -> int | None:
        """The canonical entity of the mention overlapping ``start``-``end``, if any."""
        if start is None or end is None:
            return None
        i = bisect.bisect_right(self.starts, end) - 1
        while i >= 0 and self.mentions[i].end > start - _LOOKBACK:
            m = self.mentions[i]
            if m.start < end and start < m.end:
                return self.resolution.entity_of_mention.get((self.aid, m.start, m.end))
            i -= 1
        return None

    def speaker_at(self, start: int | None, end: int | None) -> SpeakerRef | None:
        """Who speaks when the mention at these offsets speaks: a person, an organisation, a place's government."""
        idx = self.entity_at(start, end)
        if idx is None:
            return None
        entity = self.resolution.entities[idx]
        if entity.kind == "place":
            return SpeakerRef(group=f"{entity.label} (government)")
        return SpeakerRef(entity=idx) if entity.kind in _SPEAKING_KINDS else None

    def person_at(self, start: int | None, end: int | None) -> SpeakerRef | None:
        """The person at these offsets (a stated role belongs to a person only)."""
        idx = self.entity_at(start, end)
        if idx is None or self.resolution.entities[idx].kind != "person":
            return None
        return SpeakerRef(entity=idx)

    def claim_authors(self, claim: Claim) -> list[SpeakerRef]:
        """The claim's speakers, its named referent first; a collective when it names nobody."""
        found = [self.speaker_at(claim.referent_start, claim.referent_end)]
        found += [self.speaker_at(s, e) for s, e in claim.co_referents]
        if found[0] is None and claim.group:
            found[0] = SpeakerRef(group=claim.group)
        out: list[SpeakerRef] = []
        for ref in found:
            if ref is not None and ref not in out:
                out.append(ref)
        return out

    def citation_speaker(self, c: Citation) -> SpeakerRef | None:
        """Whose interview, statement or channel a citation names."""
        ref = self.speaker_at(c.speaker_start, c.speaker_end)
        if ref is None and c.speaker_group:
            ref = SpeakerRef(group=c.speaker_group)
        return ref

    def citation_outlet(self, c: Citation) -> SpeakerRef | None:
        """The outlet or platform a citation names, when it is a known entity."""
        return self.speaker_at(c.outlet_start, c.outlet_end)


@dataclass(frozen=True, slots=True)
class SpeakerResolution:
    """Per-article speaker lookups plus what the whole corpus says about interviews."""

    resolution: Resolution
    articles: Mapping[str, ArticleSpeakers]
    #: speaker -> the outlets the corpus names for that speaker's interviews
    interview_outlets: Mapping[SpeakerRef, frozenset[SpeakerRef]]

    def interview_outlet(self, speaker: SpeakerRef | None) -> SpeakerRef | None:
        """The one outlet of ``speaker``'s interviews, when the corpus names exactly one."""
        outlets = self.interview_outlets.get(speaker, frozenset()) if speaker is not None else frozenset()
        return next(iter(outlets)) if len(outlets) == 1 else None

    def label(self, ref: SpeakerRef) -> str:
        """What a reader calls this speaker."""
        if ref.group is not None:
            return ref.group
        assert ref.entity is not None  # a SpeakerRef holds one of the two
        return self.resolution.entities[ref.entity].label


def resolve_speakers(
    articles: Sequence[Article],
    findings: Mapping[str, ArticleFindings],
    mentions: Mapping[str, Sequence[EntityMention]],
    resolution: Resolution,
) -> SpeakerResolution:
    """Speaker lookups for every article, and each speaker's interview outlets across the corpus."""
    per_article = {a.id: ArticleSpeakers(a.id, mentions[a.id], resolution) for a in articles}
    outlets: dict[SpeakerRef, set[SpeakerRef]] = {}
    for a in articles:
        sp = per_article[a.id]
        for c in findings[a.id].citations:
            if c.kind != "interview":
                continue
            speaker, outlet = sp.speaker_at(c.speaker_start, c.speaker_end), sp.citation_outlet(c)
            if speaker is not None and outlet is not None:
                outlets.setdefault(speaker, set()).add(outlet)
    return SpeakerResolution(resolution, per_article, {k: frozenset(v) for k, v in outlets.items()})
