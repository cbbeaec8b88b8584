"""Everything extracted from one parsed article, as plain frozen values.

An :class:`ArticleFindings` is all the rest of the pipeline needs from a spaCy
``Doc``: once it exists the Doc can be dropped, and because it holds only
offsets, strings and flags it can be cached per article (content hash) and
reused by an incremental build without parsing the article again.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from kgraph.extract.attribution import Citation, Claim, attribute_claims
from kgraph.extract.citations import find_citations
from kgraph.extract.entities import (
    EntityMention,
    doc_sentences,
    extract_entity_mentions,
)
from kgraph.extract.events import EventMention, EventReader
from kgraph.extract.frames import ClaimFrame, ClaimTerms, find_frames
from kgraph.extract.speakers import RoleStatement
from kgraph.extract.text import doc_text, forget, remember_text
from kgraph.lexicons import EventLexicon, Honorifics, ReportingLexicon

__all__ = ["ArticleFindings", "extract_article"]


@dataclass(frozen=True, slots=True)
class ArticleFindings:
    """``mentions`` are NER's (before corpus-wide name propagation); sentences are trimmed offsets."""

    mentions: tuple[EntityMention, ...]
    sentences: tuple[tuple[int, int], ...]
    claims: tuple[Claim, ...] = ()
    citations: tuple[Citation, ...] = ()
    roles: tuple[RoleStatement, ...] = ()
    events: tuple[EventMention, ...] = ()
    frames: tuple[ClaimFrame, ...] = ()
    terms: tuple[ClaimTerms, ...] = ()


def extract_article(
    doc: Doc, honorifics: Honorifics, lexicon: ReportingLexicon, event_lexicon: EventLexicon, *, text: str | None = None
) -> ArticleFindings:
    """One parse in, every finding out (the only place that reads a Doc).

    ``text``: the text ``doc`` was parsed from, when the caller has it (re-joining the
    tokens costs more than a millisecond per article). What the extractors kept in the
    Doc is dropped at the end, so the Doc goes as soon as the caller lets it go.
    """
    if text is not None:
        remember_text(doc, text)
    try:
        return _extract(doc, honorifics, lexicon, event_lexicon)
    finally:
        forget(doc)


def _extract(doc: Doc, honorifics: Honorifics, lexicon: ReportingLexicon, event_lexicon: EventLexicon) -> ArticleFindings:
    text = doc_text(doc)
    sentences = doc_sentences(doc, text)
    mentions = extract_entity_mentions(doc, honorifics, sentences)
    claims, roles = attribute_claims(doc, mentions, sentences, lexicon)
    citations = find_citations(doc, mentions, claims, lexicon, sentences)
    reader = EventReader(doc, mentions, sentences, event_lexicon)
    events = tuple(reader.run())
    frames, terms = find_frames(reader, claims, lexicon)
    return ArticleFindings(
        mentions=mentions, sentences=sentences, claims=claims, citations=citations, roles=roles, events=events,
        frames=frames, terms=terms,
    )
