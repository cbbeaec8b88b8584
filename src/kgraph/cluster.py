"""Parsing and per-article extraction in other processes: ``--processes N`` and ``--engine dask``.

Only the part of a build that is independent per article runs elsewhere:
spaCy's parse and :func:`~kgraph.extract.findings.extract_article`, which is most
of a build's time. Articles go out in partitions; each worker process loads the
pipeline once and keeps it for every later partition; findings and the parse (as
DocBin bytes, for the parse cache) come back, and the corpus-wide stages
(resolution, stories, claims, emission, analysis, outputs) run once, here, exactly
as in a local build. A build on a cluster therefore writes the same graph as a local
build of the same input.

``--processes N`` (:func:`extract_in_processes`) runs the partitions in a pool of N
processes forked from this one, which inherit the loaded pipeline: the parse and the
extraction both run in parallel, where spaCy's own ``nlp.pipe(n_process=N)`` would
parse in parallel and leave the extraction to this process alone.

For ``--engine dask``, without a scheduler address a :class:`~distributed.LocalCluster` is started on this
machine (one single-threaded worker process per CPU unless told). With one, every
worker must run the same kgraph, spaCy and pipeline as this process: the first
partition each worker runs checks its findings key (:class:`~kgraph.cache.CacheKey`)
against ours and refuses to extract under other rules.

Dask is an optional dependency (``pip install 'kgraph[dask]'``); it is imported here only.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kgraph.errors import KgraphError

if TYPE_CHECKING:
    from spacy.language import Language

    from kgraph.cache import CacheKey
    from kgraph.extract.findings import ArticleFindings
    from kgraph.ingest.article import Article

__all__ = ["ENGINES", "ClusterError", "check_engine", "extract_in_processes", "extract_on_cluster"]

ENGINES = ("local", "dask")
# Articles per task: big enough that a task's overhead (milliseconds) is nothing beside its
# parse (a couple of seconds), small enough that both workers stay busy to the end and the
# progress bar moves.
PARTITION_SIZE = 16
_CONNECT_TIMEOUT = "20s"
Progress = Callable[[int, int, str], None]
Notify = Callable[[str], None]


class ClusterError(KgraphError):
    """The Dask engine cannot run: dask missing, scheduler unreachable, a worker failed or differs."""


def check_engine(engine: str, scheduler: str | None, workers: int | None) -> None:
    """Refuse an impossible choice before any article is read."""
    if engine not in ENGINES:
        raise ClusterError(f"unknown engine {engine!r}: choose {' or '.join(ENGINES)}")
    if engine == "local":
        if scheduler is not None:
            raise ClusterError("--scheduler is for --engine dask")
        return
    if scheduler is not None and workers is not None:
        raise ClusterError("with --scheduler the cluster has its own workers; leave out --processes")
    _dask()


def extract_on_cluster(
    articles: Sequence[Article],
    model: str,
    key: CacheKey,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    tell: Notify | None = None,
    partition_size: int = PARTITION_SIZE,
) -> tuple[dict[str, ArticleFindings], dict[str, bytes]]:
    """Every article's findings and its parse as DocBin bytes, by article id, made on the cluster."""
    distributed = _dask()
    tell = tell or (lambda _msg: None)
    cluster = None
    try:
        if scheduler is None:
            count = workers or os.cpu_count() or 1
            cluster = distributed.LocalCluster(
                n_workers=count, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
            )
            tell(f"started a local Dask cluster of {count} worker process(es)")
        client = distributed.Client(cluster if cluster is not None else scheduler, timeout=_CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as err:
        if cluster is not None:
            cluster.close()
        where = f"the Dask scheduler at {scheduler}" if scheduler else "a local Dask cluster"
        raise ClusterError(f"cannot reach {where}: {err}") from None
    try:
        if scheduler is not None:
            tell(f"parsing on the Dask cluster at {scheduler} ({len(client.scheduler_info().get('workers', {}))} worker(s))")
        return _run(client, distributed, articles, model, key, partition_size, progress)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _run(
    client: Any,
    distributed: Any,
    articles: Sequence[Article],
    model: str,
    key: CacheKey,
    partition_size: int,
    progress: Progress | None,
) -> tuple[dict[str, ArticleFindings], dict[str, bytes]]:
    partitions = [articles[i : i + partition_size] for i in range(0, len(articles), partition_size)]
    futures = [
        client.submit(_extract_partition, model, key, [(a.id, a.text) for a in part], pure=False, key=f"kgraph-extract-{n}")
        for n, part in enumerate(partitions)
    ]
    try:
        return _gather(distributed.as_completed(futures), len(articles), progress)
    except KgraphError:
        raise
    except Exception as err:  # noqa: BLE001 - whatever a worker raised, or a worker lost, said in one line
        raise ClusterError(f"a Dask worker failed: {type(err).__name__}: {err}") from None
    finally:
        for future in futures:
            future.cancel()


def extract_in_processes(
    articles: Sequence[Article],
    nlp: Language,
    processes: int,
    *,
    progress: Progress | None = None,
    partition_size: int = PARTITION_SIZE,
) -> tuple[dict[str, ArticleFindings], dict[str, bytes]]:
    """Every article's findings and parse, made by ``processes`` processes forked with ``nlp``."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    global _FORKED_NLP
    partitions = [articles[i : i + partition_size] for i in range(0, len(articles), partition_size)]
    _FORKED_NLP = nlp
    try:
        with ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_extract_forked, [(a.id, a.text) for a in part]) for part in partitions]
            return _gather(as_completed(futures), len(articles), progress)
    except BrokenProcessPool:
        raise ClusterError(f"a parse worker process died (out of memory?); try fewer --processes than {processes}") from None
    finally:
        _FORKED_NLP = None


def _gather(
    done: Iterable[Any], total: int, progress: Progress | None
) -> tuple[dict[str, ArticleFindings], dict[str, bytes]]:
    """Findings and parses by article id from partitions as they finish, with progress."""
    findings: dict[str, ArticleFindings] = {}
    parses: dict[str, bytes] = {}
    for future in done:
        for article_id, found, parse in future.result():
            findings[article_id] = found
            parses[article_id] = parse
            if progress:
                progress(len(findings), total, article_id)
    return findings, parses


_FORKED_NLP: Language | None = None  # the parent's pipeline, as a forked worker inherits it


def _extract_forked(texts: list[tuple[str, str]]) -> list[tuple[str, ArticleFindings, bytes]]:
    """Runs in a forked worker: parse and extract one partition with the inherited pipeline."""
    assert _FORKED_NLP is not None, "extract_in_processes forks its workers with the pipeline set"
    return _extract_with(_FORKED_NLP, texts)


def _extract_with(nlp: Language, texts: list[tuple[str, str]]) -> list[tuple[str, ArticleFindings, bytes]]:
    from kgraph.extract.findings import extract_article
    from kgraph.lexicons import extraction_lexicons
    from kgraph.nlp.docs import doc_bytes

    nlp.max_length = max(nlp.max_length, max((len(t) for _, t in texts), default=0))
    lexicons = extraction_lexicons()
    out = []
    for (article_id, text), doc in zip(texts, nlp.pipe(t for _, t in texts), strict=True):
        out.append((article_id, extract_article(doc, *lexicons, text=text), doc_bytes(doc)))
    return out


def _extract_partition(model: str, key: CacheKey, texts: list[tuple[str, str]]) -> list[tuple[str, ArticleFindings, bytes]]:
    """Runs on a Dask worker: parse and extract one partition with the worker's own pipeline."""
    nlp, mismatch = _worker_pipeline(model, key)
    if mismatch:
        raise ClusterError(f"a Dask worker cannot extract as this build does: {mismatch}")
    return _extract_with(nlp, texts)


@lru_cache(maxsize=2)
def _worker_pipeline(model: str, key: CacheKey) -> tuple[Language, str]:
    """The worker's pipeline, loaded once per process, and why its findings would differ ('' if not)."""
    from kgraph.cache import findings_key
    from kgraph.nlp.pipeline import installed_version, load_pipeline

    mine = findings_key(model, installed_version(model))
    return load_pipeline(model), key.mismatch(mine)


def _dask() -> Any:
    try:
        import distributed
    except ImportError:
        raise ClusterError("the Dask engine needs dask's distributed scheduler: pip install 'kgraph[dask]'") from None
    return distributed
