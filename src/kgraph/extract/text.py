"""The text (and noun chunks) of a parsed article, read once.

``Doc.text`` re-joins every token on each access (milliseconds for a long
article); every extractor needs the text, so it is joined once per Doc and kept
in ``Doc.user_data``, spaCy's place for a caller's own per-document values.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

__all__ = ["doc_noun_chunks", "doc_text"]

_KEY = "kgraph.text"
_CHUNKS = "kgraph.noun_chunks"


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get(_KEY)
    if not isinstance(text, str):
        text = doc.text
        doc.user_data[_KEY] = text
    return text


def doc_noun_chunks(doc: Doc) -> list[Span]:
    """``Doc.noun_chunks`` walks the whole parse on each call; several extractors need it."""
    chunks = doc.user_data.get(_CHUNKS)
    if not isinstance(chunks, list):
        chunks = list(doc.noun_chunks)
        doc.user_data[_CHUNKS] = chunks
    return chunks
