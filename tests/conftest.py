"""Shared fixtures: the real English pipeline, loaded once, and one build of the seeds."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from kgraph.build import BuildResult, build
from kgraph.nlp.pipeline import load_pipeline

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
NEWS_DEV = REPO.parent / "shared" / "data" / "news-dev" / "fnc1_train_bodies.jsonl"


class CountingPipeline:
    """Stands in for the pipeline given to ``build``: parses as it does, and counts the texts."""

    def __init__(self, nlp: Language) -> None:
        self._nlp = nlp
        self.texts: list[str] = []

    def pipe(self, texts: Iterable[str], **kwargs: Any) -> Iterator[Any]:
        def counted() -> Iterator[str]:
            for text in texts:
                self.texts.append(text)
                yield text

        return self._nlp.pipe(counted(), **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._nlp, name)


def write_mixed_corpus(folder: Path, *, every: int, count: int) -> Path:
    """The seeds and ``count`` real news bodies (every ``every``-th of news-dev), as files kgraph reads."""
    folder.mkdir(parents=True, exist_ok=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        (folder / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    with NEWS_DEV.open(encoding="utf-8") as bodies:
        records = [json.loads(line) for i, line in enumerate(bodies) if i % every == 0][:count]
    (folder / "news.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline()


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> BuildResult:
    """The seeds built once for every test that only reads the result."""
    return build([SEEDS], tmp_path_factory.mktemp("seeds-out"), nlp=nlp)
