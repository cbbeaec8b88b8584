"""The build: inputs -> articles -> docs -> findings -> entities -> RDF -> outputs.

This is the importable core the CLI wraps. Data flows one way; every output
is written into a staging directory beside ``out_dir`` and moved into place
only when all of it exists, so a failed build leaves the previous outputs as
they were.
"""

from __future__ import annotations

import gc
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Quad
from spacy.language import Language

from kgraph.aliases import AliasGroup, load_aliases
from kgraph.article import Article, Skipped
from kgraph.errors import NothingToBuildError, OutputError
from kgraph.extract.entities import (
    EntityMention,
    doc_sentences,
    extract_entity_mentions,
)
from kgraph.extract.propagate import build_name_index, propagate_names
from kgraph.ingest import ingest
from kgraph.lexicons import load_honorifics
from kgraph.nlp import choose_model, load_pipeline
from kgraph.rdf.emit import analysis_quads, article_quads, entity_iris, entity_quads
from kgraph.rdf.store import STORE_DIRNAME, create_store, export
from kgraph.report import RunFacts, render_report
from kgraph.resolve import Resolution, resolve_entities
from kgraph.viz import MapStats, render_map

__all__ = ["BuildResult", "build", "OUTPUT_FILES"]

OUTPUT_FILES = ("graph.ttl", "graph.trig", "graph.html", "report.md")
Progress = Callable[[int, int, str], None]  # (done, total, article id)


@dataclass(frozen=True, slots=True)
class BuildResult:
    out_dir: Path
    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]
    duplicates: tuple[tuple[str, str], ...]
    entity_count: int
    mention_count: int
    quad_count: int
    map_stats: MapStats
    model: str
    seconds: float
    parse_seconds: float


def extract_all(
    articles: Sequence[Article],
    nlp: Language,
    *,
    progress: Progress | None = None,
    n_process: int = 1,
    batch_size: int = 16,
    aliases: Sequence[AliasGroup] = (),
) -> tuple[dict[str, tuple[EntityMention, ...]], float]:
    """Parse every article once (``nlp.pipe``) and keep only the findings, not the Docs."""
    honorifics = load_honorifics()
    found: dict[str, tuple[EntityMention, ...]] = {}
    sentences: dict[str, tuple[tuple[int, int], ...]] = {}
    start = time.perf_counter()
    docs = nlp.pipe((a.text for a in articles), batch_size=batch_size, n_process=n_process)
    for i, (article, doc) in enumerate(zip(articles, docs, strict=True), start=1):
        sentences[article.id] = doc_sentences(doc, article.text)
        found[article.id] = extract_entity_mentions(doc, honorifics, sentences[article.id])
        if progress:
            progress(i, len(articles), article.id)
    parse_seconds = time.perf_counter() - start
    index = build_name_index(found, aliases)
    for article in articles:
        found[article.id] = propagate_names(article.text, sentences[article.id], found[article.id], index)
    return found, parse_seconds


def graph_quads(
    articles: Sequence[Article],
    mentions: dict[str, tuple[EntityMention, ...]],
    resolution: Resolution,
) -> Iterator[Quad]:
    """Every quad of the dataset: article graphs, the entity graph, the analysis graph."""
    iris = entity_iris(resolution.entities)
    for article in articles:
        ms = mentions[article.id]
        targets = [iris[resolution.entity_of_mention[(article.id, m.start, m.end)]] for m in ms]
        yield from article_quads(article, ms, targets)
    outlets = [a.outlet for a in articles if a.outlet]
    yield from entity_quads(resolution.entities, iris, outlets)
    yield from analysis_quads(resolution.entities, iris)


def build(
    inputs: Sequence[str | Path],
    out_dir: Path,
    *,
    model: str | None = None,
    aliases: Path | None = None,
    progress: Progress | None = None,
    n_process: int = 1,
    max_map_nodes: int = 250,
    max_article_chars: int | None = None,
    nlp: Language | None = None,
) -> BuildResult:
    """Build the graph of ``inputs`` into ``out_dir`` (replacing a previous build there)."""
    started = time.perf_counter()
    # Cheap checks of the user's choices first, before any article is read.
    alias_groups = load_aliases(aliases) if aliases else ()
    model_name = choose_model(model) if nlp is None else ""
    ingested = ingest(inputs, max_article_chars=max_article_chars)
    if not ingested.articles:
        why = "; ".join(f"{s.source}: {s.reason}" for s in ingested.skipped[:3]) or "no input files found"
        more = f" (and {len(ingested.skipped) - 3} more)" if len(ingested.skipped) > 3 else ""
        raise NothingToBuildError(f"nothing to build: {why}{more}")
    if nlp is None:
        nlp = load_pipeline(model_name)
    else:  # a pipeline passed in (tests, notebooks): name it as spaCy's package would be named
        model_name = f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'custom')}"

    articles = ingested.articles
    mentions, parse_seconds = extract_all(articles, nlp, progress=progress, n_process=n_process, aliases=alias_groups)
    resolution = resolve_entities(mentions, alias_groups)

    staging = _prepare_staging(out_dir)
    try:
        quad_count = 0

        def counted(quads: Iterator[Quad]) -> Iterator[Quad]:
            nonlocal quad_count
            for q in quads:
                quad_count += 1
                yield q

        store = create_store(staging / STORE_DIRNAME, counted(graph_quads(articles, mentions, resolution)))
        export(store, "trig", staging / "graph.trig")
        export(store, "ttl", staging / "graph.ttl")
        map_stats = render_map(store, staging / "graph.html", max_nodes=max_map_nodes)
        facts = RunFacts(
            model=model_name,
            inputs=tuple(str(i) for i in inputs),
            skipped=ingested.skipped,
            duplicates=ingested.duplicates,
            seconds=time.perf_counter() - started,
            map_note=_map_note(map_stats),
        )
        (staging / "report.md").write_text(render_report(store, facts), encoding="utf-8")
        del store
        gc.collect()  # the RocksDB handle closes when the Store is dropped
        _swap_into_place(staging, out_dir)
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot write the build into {out_dir}: {err.strerror or err}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

    return BuildResult(
        out_dir=out_dir,
        articles=articles,
        skipped=ingested.skipped,
        duplicates=ingested.duplicates,
        entity_count=len(resolution.entities),
        mention_count=sum(len(m) for m in mentions.values()),
        quad_count=quad_count,
        map_stats=map_stats,
        model=model_name,
        seconds=time.perf_counter() - started,
        parse_seconds=parse_seconds,
    )


def _map_note(stats: MapStats) -> str:
    note = f"`graph.html` draws {stats.nodes_drawn} nodes and {stats.edges_drawn} edges"
    if stats.entities_drawn < stats.entities_total:
        note += f" (the {stats.entities_drawn} most-mentioned of {stats.entities_total} entities)"
    if stats.articles_drawn < stats.articles:
        note += f"; {stats.articles_drawn} of {stats.articles} articles are drawn as nodes"
    return note + "."


def _prepare_staging(out_dir: Path) -> Path:
    """A fresh staging directory inside ``out_dir`` (same filesystem, so renames are atomic)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"output path {out_dir} exists and is not a directory")
    staging = out_dir / f".staging-{os.getpid()}"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
    except OSError as err:
        raise OutputError(f"cannot create the output directory {out_dir}: {err.strerror or err}") from None
    return staging


def _swap_into_place(staging: Path, out_dir: Path) -> None:
    """Move finished outputs over the old ones: files by atomic rename, the store by directory swap."""
    old_store = out_dir / STORE_DIRNAME
    retired = out_dir / f".retired-{os.getpid()}"
    if old_store.exists():
        old_store.rename(retired)
    (staging / STORE_DIRNAME).rename(old_store)
    for name in OUTPUT_FILES:
        os.replace(staging / name, out_dir / name)
    shutil.rmtree(retired, ignore_errors=True)
    staging.rmdir()


