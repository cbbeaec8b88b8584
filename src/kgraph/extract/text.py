"""What every extractor reads of a parsed article, read once per Doc.

``Doc.text`` re-joins every token on each access (milliseconds for a long
article), ``Doc.noun_chunks`` and ``Doc.sents`` walk the whole parse on each call,
and each walk makes a Python ``Token`` for every word. Every extractor needs the
text, several the chunks, sentences and the words that may be cues or triggers, so
each is made once per Doc and kept in ``Doc.user_data``, spaCy's place for a
caller's own per-document values. :func:`forget` drops them when the extraction is
done: the kept spans and tokens point back at their Doc, and without that the Doc
would wait for the cyclic garbage collector instead of going when its last
reference does.
"""

from __future__ import annotations

from spacy.attrs import IDX, LENGTH, POS, SENT_START
from spacy.symbols import NOUN, PROPN, VERB
from spacy.tokens import Doc, Span, Token

__all__ = ["doc_candidates", "doc_noun_chunks", "doc_sentence_spans", "doc_text", "forget", "remember_text"]

_KEY = "kgraph.text"
_CHUNKS = "kgraph.noun_chunks"
_SENTENCES = "kgraph.sentences"
_CANDIDATES = "kgraph.candidates"
_KEYS = (_KEY, _CHUNKS, _SENTENCES, _CANDIDATES)


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get(_KEY)
    if not isinstance(text, str):
        text = doc.text
        doc.user_data[_KEY] = text
    return text


def remember_text(doc: Doc, text: str) -> None:
    """Give ``doc`` the text it was parsed from, so that :func:`doc_text` need not re-join its tokens.

    A text of another length than the Doc's is refused (ValueError): every offset
    kgraph records is read against this text.
    """
    end = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    if len(text) != end:
        raise ValueError(f"a text of {len(text)} characters given for a Doc of {end}")
    doc.user_data[_KEY] = text


def doc_noun_chunks(doc: Doc) -> list[Span]:
    """``Doc.noun_chunks`` walks the whole parse on each call; several extractors need it."""
    chunks = doc.user_data.get(_CHUNKS)
    if not isinstance(chunks, list):
        chunks = list(doc.noun_chunks)
        doc.user_data[_CHUNKS] = chunks
    return chunks


def doc_sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """(start_char, end_char) of each of ``doc.sents``, read from the token arrays.

    The same boundaries as ``Doc.sents`` (a sentence starts at token 0 and at every
    token whose ``SENT_START`` is 1), without a ``Token`` and a ``Span`` per word.
    """
    found = doc.user_data.get(_SENTENCES)
    if isinstance(found, list):
        return found
    if not len(doc):
        found = []
    else:
        columns = doc.to_array([SENT_START, IDX, LENGTH]).astype("int64")
        starts = [0, *(i for i in (columns[1:, 0] == 1).nonzero()[0] + 1)]
        ends = [*starts[1:], len(doc)]
        found = [
            (int(columns[a, 1]), int(columns[b - 1, 1] + columns[b - 1, 2])) for a, b in zip(starts, ends)
        ]
    doc.user_data[_SENTENCES] = found
    return found


def doc_candidates(doc: Doc) -> list[Token]:
    """The tokens that may be a cue, an event trigger or a cited source: verbs, nouns and proper nouns, in text order.

    The extractors still test each one themselves; this only spares them a ``Token``
    for every other word. ("according" of "according to" is a verb: all 497 in 1,000
    real articles.)
    """
    found = doc.user_data.get(_CANDIDATES)
    if isinstance(found, list):
        return found
    pos = doc.to_array(POS)
    found = [doc[int(i)] for i in ((pos == VERB) | (pos == NOUN) | (pos == PROPN)).nonzero()[0]]
    doc.user_data[_CANDIDATES] = found
    return found


def forget(doc: Doc) -> None:
    """Drop what this module kept in ``doc.user_data`` (see the module's docstring)."""
    for key in _KEYS:
        doc.user_data.pop(key, None)
