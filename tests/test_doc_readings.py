"""What the extractors read once per Doc (kgraph.extract.text) is what spaCy's own API reads."""

from __future__ import annotations

import gc
import json
import weakref

import pytest
from conftest import NEWS_DEV, SEEDS
from spacy.language import Language
from spacy.tokens import Doc

from kgraph.extract.findings import extract_article
from kgraph.extract.text import doc_candidates, doc_sentence_spans, doc_text, remember_text
from kgraph.lexicons import extraction_lexicons


@pytest.fixture(scope="module")
def docs(nlp: Language) -> list[Doc]:
    """The seeds and twenty real news bodies, with headlines, captions and one-line paragraphs."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    with NEWS_DEV.open(encoding="utf-8") as bodies:
        texts += [json.loads(line)["text"] for i, line in enumerate(bodies) if i % 80 == 0][:20]
    return list(nlp.pipe(texts))


def test_sentences_are_spacys_sentences(docs: list[Doc]) -> None:
    for doc in docs:
        assert doc_sentence_spans(doc) == [(s.start_char, s.end_char) for s in doc.sents]


def test_candidates_are_every_verb_noun_and_proper_noun(docs: list[Doc]) -> None:
    for doc in docs:
        expected = [t.i for t in doc if t.pos_ in ("VERB", "NOUN", "PROPN")]
        assert [t.i for t in doc_candidates(doc)] == expected
    # "according to" opens a claim only if the attribution pass sees it
    assert any(t.lower_ == "according" for doc in docs for t in doc_candidates(doc))


def test_an_empty_doc_has_no_sentences_and_no_candidates(nlp: Language) -> None:
    doc = nlp("")
    assert doc_sentence_spans(doc) == [] and doc_candidates(doc) == []


def test_the_text_given_is_the_text_read_and_a_wrong_one_is_refused(nlp: Language) -> None:
    text = "Officials said on Monday that the bridge was closed.\n"
    doc = nlp(text)
    remember_text(doc, text)
    assert doc_text(doc) is text
    with pytest.raises(ValueError, match="characters"):
        remember_text(nlp(text), text + "and more")


def test_a_doc_goes_with_its_last_reference_once_its_findings_are_made(docs: list[Doc], nlp: Language) -> None:
    """The readings kept in user_data point back at the Doc; extraction drops them again."""
    text = docs[0].text
    doc = nlp(text)
    gone = weakref.ref(doc)
    gc.disable()  # only reference counting may free it
    try:
        findings = extract_article(doc, *extraction_lexicons(), text=text)
        assert findings.claims and not any(k.startswith("kgraph.") for k in doc.user_data)
        del doc
        assert gone() is None
    finally:
        gc.enable()
