"""``--engine dask``: parsing on a Dask cluster writes the same graph as a local build.

The equality test starts a real ``LocalCluster`` of two worker processes, each loading
the installed pipeline, on the seeds and real news bodies of ``news-dev``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import SEEDS, write_mixed_corpus
from pyoxigraph import RdfFormat, Store, parse
from spacy.language import Language
from typer.testing import CliRunner

import kgraph.cluster as cluster
from kgraph.build import build
from kgraph.cache import findings_key
from kgraph.cli import app
from kgraph.cluster import ClusterError, check_engine
from kgraph.nlp.pipeline import choose_model, installed_version

runner = CliRunner()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and 20 real news bodies (every 80th of news-dev): two partitions of 16 and more."""
    return write_mixed_corpus(tmp_path_factory.mktemp("corpus"), every=80, count=20)


def quads(out: Path) -> set[object]:
    return set(Store.read_only(str(out / "store")))


def test_two_processes_and_a_dask_build_on_two_local_workers_equal_a_local_build(corpus: Path, tmp_path: Path) -> None:
    local = build([corpus], tmp_path / "local")
    forked = build([corpus], tmp_path / "forked", n_process=2)
    assert forked.parsed == 25 and quads(tmp_path / "forked") == quads(tmp_path / "local")
    assert len(list((tmp_path / "forked" / "cache" / "docs").glob("*/*.spacy"))) == 25
    notes: list[str] = []
    on_dask = build([corpus], tmp_path / "dask", engine="dask", workers=2, notify=notes.append)
    assert on_dask.parsed == local.parsed == 25
    assert "started a local Dask cluster of 2 worker process(es)" in notes
    expected = quads(tmp_path / "local")
    assert len(expected) > 20_000
    assert quads(tmp_path / "dask") == expected
    assert set(parse(path=str(tmp_path / "dask" / "graph.trig"), format=RdfFormat.TRIG)) == expected
    # The workers' parses went into the parse cache: a change of rules re-reads them here.
    assert len(list((tmp_path / "dask" / "cache" / "docs").glob("*/*.spacy"))) == 25


def test_a_worker_under_other_rules_refuses_to_extract() -> None:
    model = choose_model()
    ours = findings_key(model, installed_version(model))
    other = type(ours)(**{**{f: getattr(ours, f) for f in ours.__slots__}, "extractor": "other-rules"})
    with pytest.raises(ClusterError, match="cannot extract as this build does: kgraph's extraction code or lexicons"):
        cluster._extract_partition(model, other, [("a", "Kyrylo Budanov said the city was quiet.")])
    (article_id, findings, parse_bytes), = cluster._extract_partition(model, ours, [("a", "Kyrylo Budanov said the city was quiet.")])
    assert article_id == "a" and findings.mentions and findings.claims and parse_bytes


def test_the_engine_choices_are_checked_before_any_article_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ClusterError, match="unknown engine 'spark'"):
        check_engine("spark", None, None)
    with pytest.raises(ClusterError, match="--scheduler is for --engine dask"):
        check_engine("local", "tcp://127.0.0.1:8786", None)
    with pytest.raises(ClusterError, match="leave out --processes"):
        check_engine("dask", "tcp://127.0.0.1:8786", 2)
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if dask were not installed
    with pytest.raises(ClusterError, match=r"pip install 'kgraph\[dask\]'"):
        check_engine("dask", None, None)


def test_an_unreachable_scheduler_is_one_line_and_leaves_nothing(
    tmp_path: Path, nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster, "_CONNECT_TIMEOUT", "2s")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["build", str(SEEDS), "-o", str(out), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9", "-q"]
    )
    assert result.exit_code == 1, result.output
    assert "kgraph: error: cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert "Traceback" not in result.output
    assert not (out / "store").exists() and not [p for p in out.iterdir() if p.name.startswith(".staging-")]

    result = runner.invoke(app, ["build", str(SEEDS), "-o", str(out), "--engine", "spark"])
    assert result.exit_code == 1 and "unknown engine 'spark': choose local or dask" in result.output
