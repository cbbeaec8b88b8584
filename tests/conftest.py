"""Shared fixtures: the real English pipeline, loaded once, and one build of the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from kgraph.build import BuildResult, build
from kgraph.nlp.pipeline import load_pipeline

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline()


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> BuildResult:
    """The seeds built once for every test that only reads the result."""
    return build([SEEDS], tmp_path_factory.mktemp("seeds-out"), nlp=nlp)
