"""The parse cache: a change of kgraph's rules re-reads the kept Docs instead of parsing again.

Real text throughout: the seeds and bodies of ``news-dev``. "Not parsed" is measured
with a pipeline that counts the texts it is asked to parse.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import CountingPipeline, write_mixed_corpus
from pyoxigraph import Store
from spacy.language import Language
from spacy.tokens import DocBin, Span

import kgraph.cache as cache_module
from kgraph.build import build, remove
from kgraph.cache import CACHE_DIRNAME
from kgraph.extract.findings import extract_article
from kgraph.ingest.sources import ingest
from kgraph.lexicons import extraction_lexicons
from kgraph.nlp.docs import DOCS_DIRNAME, ParseCache, doc_bytes, parse_key


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and 12 real news bodies (every 140th of news-dev)."""
    return write_mixed_corpus(tmp_path_factory.mktemp("corpus"), every=140, count=12)


def change_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """What an edit of an extraction rule does to the findings key: same pipeline, new extractor digest."""
    real_key = cache_module.findings_key

    def key(name: str, version: str) -> Any:
        k = real_key(name, version)
        return type(k)(**{**{f: getattr(k, f) for f in k.__slots__}, "extractor": "edited-rules"})

    monkeypatch.setattr(cache_module, "findings_key", key)


def quads(out: Path) -> set[Any]:
    return set(Store.read_only(str(out / "store")))


def kept_parses(out: Path) -> list[Path]:
    return sorted((out / CACHE_DIRNAME / DOCS_DIRNAME).glob("*/*.spacy"))


def test_a_kept_doc_gives_the_same_findings_as_a_fresh_parse(corpus: Path, nlp: Language, tmp_path: Path) -> None:
    articles = ingest([corpus]).articles
    assert len(articles) == 17
    lexicons = extraction_lexicons()
    parses = ParseCache(tmp_path, tmp_path, parse_key("en_core_web_sm", "3.8.0"))
    fresh = {}
    for article, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True):
        fresh[article.id] = extract_article(doc, *lexicons)
        parses.keep(article, doc)
    for article in articles:
        doc = parses.load(article, nlp)
        assert doc is not None and doc.text == article.text
        assert extract_article(doc, *lexicons) == fresh[article.id], article.id
    # Real findings, not empty ones that would trivially agree.
    assert sum(len(f.mentions) for f in fresh.values()) > 300
    assert sum(len(f.claims) for f in fresh.values()) > 20 and sum(len(f.events) for f in fresh.values()) > 20


def _docbin_bytes(doc: Any) -> bytes:
    stock = DocBin(store_user_data=False)
    stock.add(doc)
    return stock.to_bytes()


def test_a_kept_parse_is_byte_for_byte_what_spacys_docbin_writes(corpus: Path, nlp: Language) -> None:
    """``doc_bytes`` writes DocBin's format itself (for speed); on real news it must be DocBin's own bytes."""
    docs = list(nlp.pipe(a.text for a in ingest([corpus]).articles))
    # Span groups with labels, knowledge-base and span ids, and an entity linked to a knowledge base, which no
    # article of the corpus has: their strings go into the file too.
    marked = docs[0]
    marked.spans["claims"] = [Span(marked, 0, 3, label="CLAIM", kb_id="Q1", span_id="s1"), Span(marked, 4, 6, label="OTHER")]
    marked.ents = [Span(marked, e.start, e.end, label=e.label_, kb_id="Q42") for e in marked.ents[:1]] + list(marked.ents[1:])
    for doc in docs:
        assert doc_bytes(doc) == _docbin_bytes(doc)
    restored = next(DocBin().from_bytes(doc_bytes(marked)).get_docs(nlp.vocab))
    assert [(s.label_, s.kb_id_, s.id_) for s in restored.spans["claims"]] == [("CLAIM", "Q1", "s1"), ("OTHER", "", "")]
    assert restored.ents[0].kb_id_ == "Q42"
    assert sum(len(d) for d in docs) > 5_000


def test_after_a_change_of_rules_nothing_is_parsed_and_the_graph_is_the_fresh_one(
    corpus: Path, nlp: Language, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = build([corpus], tmp_path / "out", nlp=nlp)
    assert first.parsed == 17 and len(kept_parses(tmp_path / "out")) == 17

    change_the_rules(monkeypatch)
    counting = CountingPipeline(nlp)
    notes: list[str] = []
    again = build([corpus], tmp_path / "out", nlp=counting, notify=notes.append)  # type: ignore[arg-type]
    assert counting.texts == []
    assert (again.parsed, again.restored, again.reused, again.stale) == (0, 17, 0, 17)
    assert any(n.startswith("re-reading the kept parses of 17 article(s)") for n in notes), notes
    # The same graph as a build that parses everything under the changed rules.
    fresh = build([corpus], tmp_path / "fresh", nlp=nlp, use_cache=False)
    assert fresh.parsed == 17 and fresh.restored == 0
    assert quads(tmp_path / "out") == quads(tmp_path / "fresh")
    assert len(kept_parses(tmp_path / "out")) == 17


def test_a_damaged_kept_parse_is_parsed_again_and_the_rest_re_read(
    corpus: Path, nlp: Language, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build([corpus], tmp_path / "out", nlp=nlp)
    damaged = kept_parses(tmp_path / "out")[3]
    damaged.write_bytes(b"\x78\x9c not a DocBin")
    change_the_rules(monkeypatch)
    counting = CountingPipeline(nlp)
    again = build([corpus], tmp_path / "out", nlp=counting)  # type: ignore[arg-type]
    assert (again.parsed, again.restored) == (1, 16) and len(counting.texts) == 1
    # The damaged file is replaced by the new parse.
    rewritten = {p.name: p for p in kept_parses(tmp_path / "out")}[damaged.name]
    assert rewritten.read_bytes() != b"\x78\x9c not a DocBin"


def test_no_cache_parses_everything_and_a_new_model_does_not_read_old_parses(
    corpus: Path, nlp: Language, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build([corpus], tmp_path / "out", nlp=nlp)
    change_the_rules(monkeypatch)
    counting = CountingPipeline(nlp)
    assert build([corpus], tmp_path / "out", nlp=counting, use_cache=False).restored == 0  # type: ignore[arg-type]
    assert len(counting.texts) == 17

    real_key = cache_module.findings_key
    monkeypatch.setattr(cache_module, "findings_key", lambda name, version: real_key(name, "99.0.0"))
    counting.texts.clear()
    result = build([corpus], tmp_path / "out", nlp=counting)  # type: ignore[arg-type]
    assert (result.parsed, result.restored) == (17, 0) and len(counting.texts) == 17
    # Only the current pipeline's parses are kept.
    assert len({p.parent for p in kept_parses(tmp_path / "out")}) == 1


def test_an_incremental_build_carries_the_parses_over_and_remove_drops_one(corpus: Path, nlp: Language, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus / "news.jsonl"], out, nlp=nlp)
    assert len(kept_parses(out)) == 12
    counting = CountingPipeline(nlp)
    added = build(sorted(corpus.glob("*.txt"))[:2], out, into=True, nlp=counting)  # type: ignore[arg-type]
    assert (added.parsed, added.reused) == (2, 12) and len(counting.texts) == 2
    assert len(kept_parses(out)) == 14
    gone = remove([added.added[0]], out, nlp=nlp)
    assert len(gone.articles) == 13 and len(kept_parses(out)) == 13
