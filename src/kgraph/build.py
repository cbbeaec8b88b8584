"""The build: inputs -> articles -> docs -> findings -> entities -> RDF -> outputs.

This is the importable core the CLI wraps. Data flows one way. Three entry points
share it:

- :func:`build` with ``into=False``: the graph of exactly ``inputs``, replacing
  whatever ``out_dir`` held (cached findings of unchanged texts are reused);
- :func:`build` with ``into=True``: ``inputs`` added to the graph already in
  ``out_dir``; an input whose id is already there replaces that article;
- :func:`remove`: articles taken out of the graph in ``out_dir``.

Only articles without usable cached findings (:mod:`kgraph.cache`) are parsed;
parsing is most of a build's time. When only kgraph's rules changed, the Docs an
earlier build kept (:mod:`kgraph.nlp.docs`) are turned into findings again instead. The corpus-wide steps (name propagation,
resolution, emission, analysis) then run over the whole corpus, because one new
article can change any entity. Entity IRIs of the previous build that no longer
exist stay resolvable through ``owl:sameAs`` (:mod:`kgraph.resolve.identity`).

Writers hold ``out_dir``'s lock (:mod:`kgraph.lock`) from before they read the
previous build until the new one is in place, and every output is written into
a staging directory that is committed as one step (:mod:`kgraph.commit`): a
failed or killed build leaves ``out_dir`` as it was, or fully updated.
"""

from __future__ import annotations

import difflib
import gc
import os
import shutil
import sys
import time
import types
from urllib.parse import unquote
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import Quad, Store
from spacy.language import Language
from spacy.tokens import Doc

from kgraph.resolve.aliases import AliasGroup, load_aliases
from kgraph.analyze.analyses import analysis_result
from kgraph.ingest.article import Article, Skipped
from kgraph import cache
from kgraph.cache import (
    CACHE_DIRNAME,
    BuildSettings,
    CacheEntry,
    CacheKey,
    articles_dir,
    entry_name,
    link_or_copy,
    read_entries,
    read_settings,
    write_entry,
    write_settings,
)
from kgraph.analyze.claims import ClaimRef, compare_claims
from kgraph.cluster import PARTITION_SIZE, check_engine, extract_in_processes, extract_on_cluster
from kgraph.commit import commit, new_staging, pending, recover
from kgraph.errors import (
    ArticleNotFoundError,
    ModelNotFoundError,
    NothingToBuildError,
    OutputError,
    StoreError,
)
from kgraph.extract.entities import EntityMention
from kgraph.extract.findings import ArticleFindings, extract_article
from kgraph.extract.propagate import build_name_index, propagate_names
from kgraph.resolve.identity import PreviousIdentity, read_identity, successors
from kgraph.ingest.sources import ingest
from kgraph.lexicons import (
    extraction_lexicons,
    load_claim_lexicon,
    load_event_lexicon,
    load_reporting_lexicon,
)
from kgraph.lock import write_lock
from kgraph.nlp.docs import ParseCache, parse_key
from kgraph.nlp.pipeline import MODEL_ENV, choose_model, installed_version, load_pipeline
from kgraph.rdf.attribution import attribution_quads, claim_speakers
from kgraph.rdf.emit import (
    analysis_quads,
    article_quads,
    entity_iris,
    entity_quads,
    refusal_quads,
    same_as_quads,
    story_iri,
    story_quads,
)
from kgraph.rdf.events import event_quads
from kgraph.resolve.stories import StoryResolution, cluster_stories
from kgraph.rdf.relations import relation_quads
from kgraph.rdf.articles import read_articles
from kgraph.outputs.export import export, turtle_from_trig
from kgraph.rdf.store import MEMORY_STORE_MAX_CHARS, STORE_DIRNAME, create_store, persist, select
from kgraph.outputs.report import RunFacts, render_report, render_report_json
from kgraph.resolve.entities import Resolution, resolve_entities
from kgraph.resolve.events import resolve_events
from kgraph.resolve.speakers import SpeakerResolution, resolve_speakers
from kgraph.outputs.map import STORY_NODES, MapStats, render_map

__all__ = ["EXPORT_FILES", "OUTPUT_FILES", "BuildResult", "build", "corpus_mentions", "extract_all", "graph_quads", "remove"]

OUTPUT_FILES = ("graph.ttl", "graph.trig", "graph.html", "report.md", "report.json")
EXPORT_FILES = ("graph.trig", "graph.ttl")  # left out by exports=False (--no-exports)
# What a commit moves into place, the store first.
_COMMITTED = (STORE_DIRNAME, CACHE_DIRNAME, *OUTPUT_FILES)
Progress = Callable[[int, int, str], None]  # (done, total, article id)
Notify = Callable[[str], None]  # one line for the user (the CLI prints it on stderr)


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build, an incremental build or a removal produced.

    ``articles`` is every article now in the graph. The counters say what this
    run did: ``parsed`` articles went through spaCy, ``restored`` had their findings
    made again from the parse an earlier build kept (:mod:`kgraph.nlp.docs`; ``stale``
    of the parsed and restored had cached findings made under another cache key),
    ``reused`` came from the findings cache;
    ``added``, ``replaced`` (text changed) and ``removed`` are relative to what
    ``out_dir`` held before.
    """

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
    parsed: int = 0
    restored: int = 0
    reused: int = 0
    stale: int = 0
    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    same_as: int = 0
    outputs: tuple[str, ...] = OUTPUT_FILES  # the files this build wrote into out_dir, beside store/ and cache/


def extract_all(
    articles: Sequence[Article],
    nlp: Language,
    *,
    progress: Progress | None = None,
    n_process: int = 1,
    batch_size: int = 16,
    keep: Callable[[Article, Doc], None] | None = None,
) -> tuple[dict[str, ArticleFindings], float]:
    """Parse every article once (``nlp.pipe``) and keep only its findings; ``keep`` may store the Doc."""
    honorifics, lexicon, event_lexicon = extraction_lexicons()
    findings: dict[str, ArticleFindings] = {}
    start = time.perf_counter()
    docs = nlp.pipe((a.text for a in articles), batch_size=batch_size, n_process=n_process)
    for i, (article, doc) in enumerate(zip(articles, docs, strict=True), start=1):
        if keep is not None:
            keep(article, doc)
        findings[article.id] = extract_article(doc, honorifics, lexicon, event_lexicon, text=article.text)
        if progress:
            progress(i, len(articles), article.id)
    return findings, time.perf_counter() - start


def _restore_all(
    articles: Sequence[Article], nlp: Language, parses: ParseCache, *, progress: Progress | None, total: int
) -> dict[str, ArticleFindings]:
    """Findings from the parses an earlier build kept (the rules changed, the texts did not)."""
    honorifics, lexicon, event_lexicon = extraction_lexicons()
    findings: dict[str, ArticleFindings] = {}
    for article in articles:
        doc = parses.load(article, nlp)
        if doc is not None:
            findings[article.id] = extract_article(doc, honorifics, lexicon, event_lexicon, text=article.text)
            if progress:
                progress(len(findings), total, article.id)
    return findings


def corpus_mentions(
    articles: Sequence[Article], findings: Mapping[str, ArticleFindings], aliases: Sequence[AliasGroup] = ()
) -> dict[str, tuple[EntityMention, ...]]:
    """NER's mentions plus every untagged occurrence of a name tagged elsewhere in the corpus."""
    found = {a.id: findings[a.id].mentions for a in articles}
    index = build_name_index(found, aliases)
    return {a.id: propagate_names(a.text, findings[a.id].sentences, found[a.id], index) for a in articles}


def graph_quads(
    articles: Sequence[Article],
    findings: Mapping[str, ArticleFindings],
    mentions: Mapping[str, tuple[EntityMention, ...]],
    resolution: Resolution,
    same_as: Mapping[str, str] | None = None,
    previous_stories: Mapping[str, str] | None = None,
    min_confidence: float = 0.0,
) -> Iterator[Quad]:
    """Every quad of the dataset: article graphs, the entity graph, the analysis graph.

    ``same_as`` maps entity IRIs of earlier builds to the current IRI they now denote;
    ``previous_stories`` each earlier article's story IRI, which its story keeps.
    ``min_confidence``: claim relations whose calibrated confidence (the chance that a
    reader signs them, :mod:`kgraph.analyze.calibration`) is lower are left out, and with
    them whatever the analyses would derive from them (disputes, camps).
    """
    dataset = _Dataset(articles, findings, mentions, resolution, same_as, previous_stories)
    yield from dataset.quads()
    yield from dataset.relation_quads(min_confidence)


class _Dataset:
    """:func:`graph_quads` in two parts, so that a build can write the first to disk while it compares claims.

    :meth:`quads` is all but the claim relations and the entities' analysis quads (nearly every
    quad); :meth:`relation_quads`, which needs what :meth:`quads` resolved on its way (stories,
    speakers), compares the claims and gives the rest. Call them in that order.
    """

    def __init__(
        self,
        articles: Sequence[Article],
        findings: Mapping[str, ArticleFindings],
        mentions: Mapping[str, tuple[EntityMention, ...]],
        resolution: Resolution,
        same_as: Mapping[str, str] | None,
        previous_stories: Mapping[str, str] | None,
    ) -> None:
        self._articles, self._findings, self._mentions, self._resolution = articles, findings, mentions, resolution
        self._same_as, self._previous_stories = same_as or {}, previous_stories or {}
        self._iris = entity_iris(resolution.entities)
        self._groups = load_reporting_lexicon().collective_heads
        self._stories: StoryResolution | None = None
        self._speakers: SpeakerResolution | None = None

    def quads(self) -> Iterator[Quad]:
        """Article graphs, entities, stories, attribution and events."""
        articles, findings, mentions, resolution, iris = self._articles, self._findings, self._mentions, self._resolution, self._iris
        for article in articles:
            ms = mentions[article.id]
            targets = [iris[resolution.entity_of_mention[(article.id, m.start, m.end)]] for m in ms]
            yield from article_quads(article, ms, targets)
        outlets = [a.outlet for a in articles if a.outlet]
        yield from entity_quads(resolution.entities, iris, outlets)
        yield from refusal_quads(resolution.refusals, iris)
        self._stories = cluster_stories(articles, mentions, resolution, previous=_story_keys(self._previous_stories))
        yield from story_quads(self._stories, iris)
        yield from same_as_quads(self._same_as)
        self._speakers = resolve_speakers(articles, findings, mentions, resolution)
        yield from attribution_quads(articles, findings, self._speakers, iris)
        events = resolve_events(articles, findings, mentions, resolution, load_event_lexicon(), self._groups)
        yield from event_quads(articles, findings, events, iris)

    def relation_quads(self, min_confidence: float = 0.0) -> Iterator[Quad]:
        """Contradictions and agreements at ``min_confidence`` or above, then the entities' analysis quads."""
        if self._stories is None or self._speakers is None:
            raise RuntimeError("_Dataset.relation_quads before quads() was consumed")
        articles, findings = self._articles, self._findings
        speakers = {ClaimRef(*k): v for k, v in claim_speakers(articles, findings, self._speakers, self._iris).items()}
        relations = compare_claims(
            articles, findings, self._mentions, self._resolution, speakers, load_claim_lexicon(), self._groups,
            story_of_article=self._stories.story_of_article,
        )
        yield from relation_quads(tuple(r for r in relations if r.confidence >= min_confidence), findings)
        yield from analysis_quads(self._resolution.entities, self._iris)


def _story_keys(story_iris: Mapping[str, str]) -> dict[str, str]:
    """Article id -> the key of its earlier story (the IRI's last segment, as :func:`story_iri` wrote it)."""
    prefix = story_iri("").value
    return {aid: unquote(iri[len(prefix):]) for aid, iri in story_iris.items() if iri.startswith(prefix)}


def build(
    inputs: Sequence[str | Path],
    out_dir: Path,
    *,
    into: bool = False,
    model: str | None = None,
    aliases: Path | None = None,
    progress: Progress | None = None,
    notify: Notify | None = None,
    n_process: int = 1,
    max_map_nodes: int = STORY_NODES,
    max_article_chars: int | None = None,
    max_articles: int | None = None,
    use_cache: bool = True,
    wait: bool = False,
    nlp: Language | None = None,
    min_confidence: float | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    exports: bool | None = None,
) -> BuildResult:
    """Build the graph of ``inputs`` into ``out_dir``, or add them to it (``into=True``).

    Without ``into``, ``out_dir`` ends up holding the graph of exactly ``inputs``.
    With it, the articles already in ``out_dir`` stay; an input whose id is already
    there replaces that article if its text changed, and the model and alias file
    of the previous build are the defaults, and so is its ``min_confidence`` (the
    calibrated confidence below which claim relations are not kept; 0, keep all, for a
    first build). ``use_cache=False`` parses every
    article again. ``wait`` waits for another build writing to ``out_dir`` instead
    of failing. ``max_article_chars`` (None: ingest's default) and ``max_articles``
    are passed to :func:`~kgraph.ingest.sources.ingest` and limit this run's inputs.
    ``notify`` receives one-line notes for the user (an article replaced, cached
    findings that cannot be reused and why, waiting for the lock).
    ``engine="dask"`` parses and extracts on a Dask cluster (:mod:`kgraph.cluster`): the one
    at ``scheduler``, or a local one of ``workers`` processes (default: one per CPU);
    ``n_process`` is for the local engine. ``exports=False`` writes neither graph.trig nor
    graph.ttl (and removes an earlier build's): the store holds the same quads, and
    ``kgraph export`` writes either when needed (None: the previous build's choice with
    ``into``, else True).
    """
    started = time.perf_counter()
    tell = notify or (lambda _msg: None)
    # Cheap checks of the user's choices first, before any article is read.
    _check_out_dir(out_dir)
    if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be from 0 to 1, not {min_confidence}")
    check_engine(engine, scheduler, workers)
    alias_groups = load_aliases(aliases) if aliases else None
    earlier = read_settings(out_dir / CACHE_DIRNAME) if into else None  # a peek, to default the model early
    model_name, model_version = _choose_model(model, nlp, earlier, out_dir)
    ingested = ingest(inputs, max_article_chars=max_article_chars, max_articles=max_articles)
    if not ingested.articles:
        why = "; ".join(f"{s.source}: {s.reason}" for s in ingested.skipped[:3]) or "no input files found"
        more = f" (and {len(ingested.skipped) - 3} more)" if len(ingested.skipped) > 3 else ""
        raise NothingToBuildError(f"nothing to build: {why}{more}")
    _make_out_dir(out_dir)

    with write_lock(out_dir, command="build", wait=wait, on_wait=tell):
        if recover(out_dir):
            tell(f"finished the commit of an interrupted earlier build in {out_dir}/ first")
        key = cache.findings_key(model_name, model_version)  # looked up on the module: tests stand in for other rules
        previous = _read_previous(out_dir, key, into=into, tell=tell)
        if into and alias_groups is None and previous.settings is not None:
            alias_groups, aliases_source = previous.settings.aliases, previous.settings.aliases_source
        else:
            aliases_source = str(aliases) if aliases else None
        if min_confidence is None:
            min_confidence = previous.settings.min_confidence if into and previous.settings is not None else 0.0
        if exports is None:
            exports = previous.settings.exports if into and previous.settings is not None else True
        plan = _plan(previous, ingested.articles, into=into, use_cache=use_cache)
        for article_id in plan.replaced:
            tell(f"replacing article {article_id}: its text changed")
        return _rebuild(
            out_dir,
            plan,
            previous,
            key=key,
            settings=BuildSettings(model_name, tuple(alias_groups or ()), aliases_source, min_confidence, exports),
            nlp=nlp,
            started=started,
            facts_inputs=tuple(str(i) for i in inputs),
            skipped=ingested.skipped,
            duplicates=(*ingested.duplicates, *plan.duplicates),
            keep_identity=into,
            progress=progress,
            tell=tell,
            n_process=n_process,
            max_map_nodes=max_map_nodes,
            engine=_Engine(engine, scheduler, workers),
        )


def remove(
    article_ids: Sequence[str],
    out_dir: Path,
    *,
    progress: Progress | None = None,
    notify: Notify | None = None,
    max_map_nodes: int = STORY_NODES,
    wait: bool = False,
    nlp: Language | None = None,
) -> BuildResult:
    """Take articles out of the graph in ``out_dir``, with everything derived only from them.

    Their named graphs and cached findings go, and so do entities no other
    article mentions; entity IRIs that disappear through a split of a merged
    entity keep an ``owl:sameAs`` link. Removing every article is refused: the
    graph would be empty (delete the directory instead).
    """
    started = time.perf_counter()
    tell = notify or (lambda _msg: None)
    if not (out_dir / STORE_DIRNAME).is_dir() and not pending(out_dir):
        raise StoreError(f"no graph store in {out_dir}/: build one first with `kgraph build PATH... -o {out_dir}`")
    wanted = list(dict.fromkeys(article_ids))
    with write_lock(out_dir, command="remove", wait=wait, on_wait=tell):
        if recover(out_dir):
            tell(f"finished the commit of an interrupted earlier build in {out_dir}/ first")
        earlier = read_settings(out_dir / CACHE_DIRNAME)
        model_name, model_version = _choose_model(None, nlp, earlier, out_dir)
        key = cache.findings_key(model_name, model_version)
        previous = _read_previous(out_dir, key, into=True, tell=tell)
        unknown = [i for i in wanted if i not in previous.articles]
        if unknown:
            raise ArticleNotFoundError(_unknown_ids_message(unknown, sorted(previous.articles), out_dir))
        kept = [a for a in previous.articles.values() if a.id not in set(wanted)]
        if not kept:
            raise NothingToBuildError(
                f"refusing to remove every article of {out_dir}/ ({len(previous.articles)}): the graph would be empty; "
                f"delete the directory instead"
            )
        plan = _plan(previous, kept, into=False, use_cache=True)
        settings = previous.settings or BuildSettings(model_name)
        return _rebuild(
            out_dir,
            plan,
            previous,
            key=key,
            settings=BuildSettings(model_name, settings.aliases, settings.aliases_source, settings.min_confidence, settings.exports),
            nlp=nlp,
            started=started,
            facts_inputs=(),
            skipped=(),
            duplicates=(),
            keep_identity=True,
            progress=progress,
            tell=tell,
            n_process=1,
            max_map_nodes=max_map_nodes,
        )


# --- the previous build ----------------------------------------------------------


@dataclass
class _Previous:
    """What ``out_dir`` held before this run (empty for a first build)."""

    hashes: dict[str, str] = field(default_factory=dict)  # article id -> content hash, as in the store
    articles: dict[str, Article] = field(default_factory=dict)  # by id; read only for ``into`` and remove
    entries: dict[str, CacheEntry] = field(default_factory=dict)  # content hash -> cache entry
    identity: PreviousIdentity = field(default_factory=PreviousIdentity)
    settings: BuildSettings | None = None

    def findings(self, content_hash: str) -> ArticleFindings | None:
        entry = self.entries.get(content_hash)
        return entry.findings if entry is not None else None


def _read_previous(out_dir: Path, key: CacheKey, *, into: bool, tell: Notify) -> _Previous:
    """The previous build's articles, cached findings and entity identity (under the write lock).

    The store says which articles the build has; the cache gives their findings
    and, with ``into``, the articles themselves. An article the cache lacks (an
    output made before the cache existed) is read back from the store and parsed again.
    """
    previous = _Previous(settings=read_settings(out_dir / CACHE_DIRNAME), entries=read_entries(out_dir / CACHE_DIRNAME, key))
    store_dir = out_dir / STORE_DIRNAME
    if not store_dir.is_dir():
        return previous
    store: Store | None = None
    try:
        store = Store.read_only(str(store_dir))
        previous.hashes = _stored_articles(store)
        if into:
            missing = {i for i, h in previous.hashes.items() if (e := previous.entries.get(h)) is None or e.article.id != i}
            from_store = _articles_from_store(store, missing) if missing else {}
            previous.identity = read_identity(store)
    except (OSError, ValueError) as err:
        if into:
            raise StoreError(f"cannot read the graph store in {store_dir}: {err}") from None
        tell(f"the previous build in {out_dir}/ could not be read ({err}); building from scratch")
        return _Previous(entries=previous.entries)
    finally:
        store = None
        gc.collect()  # the RocksDB handle closes when the Store is dropped
    if into:
        for article_id, content_hash in sorted(previous.hashes.items()):
            entry = previous.entries.get(content_hash)
            article = entry.article if entry is not None and entry.article.id == article_id else from_store.get(article_id)
            if article is None or article.content_hash != content_hash:
                raise StoreError(f"article {article_id} in {store_dir} has lost its text; rebuild {out_dir}/ from the sources")
            previous.articles[article_id] = article
    return previous


def _stored_articles(store: Store) -> dict[str, str]:
    """Article id -> content hash, for every article in a store."""
    metas = read_articles(store).values()
    return {m.identifier: m.content_hash for m in metas if m.identifier is not None and m.content_hash is not None}


def _articles_from_store(store: Store, ids: set[str]) -> dict[str, Article]:
    """Articles read back from the store alone (for an output whose cache lacks them).

    The outlet is the publisher's label, which is the outlet's name unless an
    entity of the same name gave it its own label.
    """
    rows = select(store, "SELECT ?a ?text WHERE { ?a a schema:NewsArticle ; nif:isString ?text }")
    text_of = {r["a"].value: r["text"].value for r in rows}  # type: ignore[union-attr]
    found: dict[str, Article] = {}
    for iri, meta in sorted(read_articles(store).items()):
        article_id = meta.identifier
        if article_id in ids and iri in text_of and article_id not in found:
            found[article_id] = Article(
                id=article_id,
                text=text_of[iri],
                source=meta.source or "",
                title=meta.headline,
                date=meta.date,
                url=meta.url,
                outlet=meta.outlet,
            )
    return found


# --- what this run does --------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    corpus: list[Article]  # every article of the new graph, sorted by id
    findings: dict[str, ArticleFindings]  # article id -> findings reused from the cache
    to_parse: list[Article]
    stale: dict[str, str]  # article id -> why its cached findings could not be used
    added: tuple[str, ...]
    replaced: tuple[str, ...]
    removed: tuple[str, ...]
    duplicates: tuple[tuple[str, str], ...] = ()
    reuse_parses: bool = True  # False: parse every article in to_parse with spaCy again


def _plan(previous: _Previous, articles: Sequence[Article], *, into: bool, use_cache: bool) -> _Plan:
    """Which articles make up the new graph, and which of them must be parsed."""
    corpus: dict[str, Article] = dict(previous.articles) if into else {}
    id_of_hash = {a.content_hash: a.id for a in corpus.values()}
    replaced: list[str] = []
    duplicates: list[tuple[str, str]] = []
    for article in articles:
        old_hash = previous.hashes.get(article.id)
        if into and article.id not in corpus and article.content_hash in id_of_hash:
            duplicates.append((article.source, id_of_hash[article.content_hash]))
            continue
        if old_hash is not None and old_hash != article.content_hash:
            replaced.append(article.id)
        corpus[article.id] = article
    ordered = sorted(corpus.values(), key=lambda a: a.id)
    findings: dict[str, ArticleFindings] = {}
    to_parse: list[Article] = []
    stale: dict[str, str] = {}
    for article in ordered:
        cached = previous.findings(article.content_hash) if use_cache else None
        if cached is not None:
            findings[article.id] = cached
            continue
        to_parse.append(article)
        if use_cache and article.id in previous.hashes:
            entry = previous.entries.get(article.content_hash)
            if previous.hashes[article.id] == article.content_hash:  # unchanged, yet not reusable: say why
                stale[article.id] = entry.stale_reason if entry is not None else "they are not in the cache"
    return _Plan(
        corpus=ordered,
        findings=findings,
        to_parse=to_parse,
        stale=stale,
        added=tuple(a.id for a in ordered if a.id not in previous.hashes),
        replaced=tuple(replaced),
        removed=tuple(sorted(set(previous.hashes) - set(corpus))),
        duplicates=tuple(duplicates),
        reuse_parses=use_cache,
    )


@contextmanager
def _settled_heap() -> Iterator[Callable[[], None]]:
    """A block in which the build can tell the cyclic garbage collector what lives to its end.

    Once the parse is over, every article's findings stay alive until the build ends,
    while the corpus-wide stages allocate millions of short-lived objects beside them;
    each full collection would walk the findings again (about 4 of the 30 s after the
    parse of 1,000 articles, bench/README.md). Calling the block's ``settle()``
    collects once and moves what is left into the generation the collector skips
    (:func:`gc.freeze`); leaving the block unfreezes it, so whatever died in a cycle
    meanwhile is still freed.
    Nothing is frozen when the collector is off or the caller froze objects of its own.
    """
    frozen = False

    def settle() -> None:
        nonlocal frozen
        if not frozen and gc.isenabled() and gc.get_freeze_count() == 0:
            gc.collect()  # what the parse left to the collector goes now, not frozen with the rest
            gc.freeze()
            frozen = True

    try:
        yield settle
    finally:
        if frozen:
            gc.unfreeze()


def _rebuild(
    out_dir: Path,
    plan: _Plan,
    previous: _Previous,
    *,
    key: CacheKey,
    settings: BuildSettings,
    nlp: Language | None,
    started: float,
    facts_inputs: tuple[str, ...],
    skipped: tuple[Skipped, ...],
    duplicates: tuple[tuple[str, str], ...],
    keep_identity: bool,
    progress: Progress | None,
    tell: Notify,
    n_process: int,
    max_map_nodes: int,
    engine: _Engine | None = None,
) -> BuildResult:
    """Parse what must be parsed, run the corpus-wide steps, write and commit every output."""
    staging = new_staging(out_dir)
    with _settled_heap() as settle:
        try:
            parses = ParseCache(out_dir / CACHE_DIRNAME, staging / CACHE_DIRNAME, parse_key(key.model, key.model_version))
            findings, restored, parse_seconds = _findings(
                plan, parses, nlp, key, progress=progress, tell=tell, n_process=n_process, engine=engine or _Engine()
            )
            settle()  # every article's findings now live to the end of the build
            articles = plan.corpus
            alias_groups = settings.aliases
            mentions = corpus_mentions(articles, findings, alias_groups)
            cited = {
                a.id: [(c.outlet_start, c.outlet_end) for c in findings[a.id].citations if c.outlet_start is not None and c.outlet_end is not None]
                for a in articles
            }
            resolution = resolve_entities(mentions, alias_groups, cited_outlets=cited)
            links: dict[str, str] = {}
            if keep_identity and previous.identity.mentions:
                iris = entity_iris(resolution.entities)
                span_entity = {span: iris[i].value for span, i in resolution.entity_of_mention.items()}
                anchors = {(a, m.start, m.end): m.text for a, ms in mentions.items() for m in ms}
                links = successors(previous.identity, span_entity, anchors, {iri.value for iri in iris})

            earlier = dict(previous.identity.stories) if keep_identity else {}
            in_memory = sum(len(a.text) for a in articles) <= MEMORY_STORE_MAX_CHARS
            dataset = _Dataset(articles, findings, mentions, resolution, links, earlier)
            store = create_store(staging / STORE_DIRNAME, dataset.quads(), in_memory=in_memory)
            # Oxigraph serialises and loads without holding the GIL: a store built in memory is written
            # to disk on another thread while the claims are compared, the analyses run and the map is
            # drawn, and the files while the map is drawn. The findings cache needs nothing from the
            # graph: it is written meanwhile too, mostly while the main thread would otherwise wait.
            with ThreadPoolExecutor(max_workers=4) as pool:
                saving = pool.submit(persist, store, staging / STORE_DIRNAME, staging / "store.nq") if in_memory else None
                late = list(dataset.relation_quads(settings.min_confidence))
                store.bulk_extend(late)
                caching = pool.submit(_stage_cache, staging / CACHE_DIRNAME, articles, findings, previous, key, settings)
                # The analyses read the graph and write their results back into it, before any file is exported.
                analysis = analysis_result(store)
                store.bulk_extend(analysis.quads)
                store.flush()
                (staging / "report.json").write_text(render_report_json(analysis.data), encoding="utf-8")
                quad_count = len(store)  # distinct quads, as the store holds them
                writing = [pool.submit(_write_exports, store, staging)] if settings.exports else []
                map_stats = render_map(store, staging / "graph.html", max_nodes=max_map_nodes)
                for done in writing:
                    done.result()
                facts = RunFacts(
                    model=settings.model,
                    inputs=facts_inputs,
                    skipped=skipped,
                    duplicates=duplicates,
                    seconds=time.perf_counter() - started,
                    map_note=_map_note(map_stats),
                    min_confidence=settings.min_confidence,
                )
                (staging / "report.md").write_text(render_report(store, facts, analysis.data), encoding="utf-8")
                if saving is not None:
                    on_disk = saving.result()
                    on_disk.bulk_extend([*late, *analysis.quads])  # the dump may or may not have seen them
                    on_disk.flush()
                    # Drop every reference, the future's too: a RocksDB store left open compacts in the
                    # background and deletes its own files while the commit syncs and moves them.
                    del on_disk
                    saving = None
                caching.result()
            store = None
            gc.collect()  # the RocksDB handle closes when the Store is dropped
        except OSError as err:
            shutil.rmtree(staging, ignore_errors=True)
            raise OutputError(f"cannot write the build into {out_dir}: {err.strerror or err}") from None
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    try:
        left_out = () if settings.exports else EXPORT_FILES
        commit(staging, out_dir, [e for e in _COMMITTED if e not in left_out], remove=left_out)
    except OSError as err:
        if not pending(out_dir):  # before the commit point: the staging directory is just garbage
            shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot move the build into place in {out_dir}: {err.strerror or err}") from None

    return BuildResult(
        out_dir=out_dir,
        articles=tuple(articles),
        skipped=skipped,
        duplicates=duplicates,
        entity_count=len(resolution.entities),
        mention_count=sum(len(m) for m in mentions.values()),
        quad_count=quad_count,
        map_stats=map_stats,
        model=settings.model,
        seconds=time.perf_counter() - started,
        parse_seconds=parse_seconds,
        parsed=len(plan.to_parse) - restored,
        restored=restored,
        reused=len(articles) - len(plan.to_parse),
        stale=len(plan.stale),
        added=plan.added,
        replaced=plan.replaced,
        removed=plan.removed,
        same_as=len(links),
        outputs=tuple(f for f in OUTPUT_FILES if settings.exports or f not in EXPORT_FILES),
    )


@dataclass(frozen=True, slots=True)
class _Engine:
    """Where the parse runs: here (``nlp.pipe`` with ``n_process``) or on a Dask cluster."""

    name: str = "local"
    scheduler: str | None = None
    workers: int | None = None


def _findings(
    plan: _Plan,
    parses: ParseCache,
    nlp: Language | None,
    key: CacheKey,
    *,
    progress: Progress | None,
    tell: Notify,
    n_process: int,
    engine: _Engine,
) -> tuple[dict[str, ArticleFindings], int, float]:
    """Every article's findings: from the findings cache, from a kept parse, or from spaCy.

    Returns the findings, how many came from kept parses, and the seconds spent parsing
    and extracting. Every parse made or reused goes into the new parse cache.
    """
    for article in plan.corpus:
        if article.id in plan.findings:
            parses.carry(article)
    keepable = {a.id for a in plan.to_parse if plan.reuse_parses and parses.has(a)}
    by_reason: dict[tuple[str, bool], int] = defaultdict(int)
    for article_id, reason in plan.stale.items():
        by_reason[(reason, article_id in keepable)] += 1
    for (reason, kept), count in sorted(by_reason.items()):
        verb = "re-reading the kept parses of" if kept else "parsing"
        again = "" if kept else " again"
        tell(f"{verb} {count} article(s){again} whose cached findings cannot be used: {reason}")
    if plan.findings:
        todo = f"parsing {len(plan.to_parse) - len(keepable)}" if len(plan.to_parse) > len(keepable) else "nothing to parse"
        tell(f"reusing the cached findings of {len(plan.findings)} unchanged article(s); {todo}")
    findings = dict(plan.findings)
    if not plan.to_parse:
        return findings, 0, 0.0
    started = time.perf_counter()
    total = len(plan.to_parse)
    restored: dict[str, ArticleFindings] = {}
    if keepable or engine.name == "local":
        if nlp is None:
            nlp = load_pipeline(key.model)
        # A pipeline passed in keeps spaCy's own length limit; ingest already enforced ours.
        nlp.max_length = max(nlp.max_length, max(len(a.text) for a in plan.to_parse))
        restored = _restore_all([a for a in plan.to_parse if a.id in keepable], nlp, parses, progress=progress, total=total)
        findings.update(restored)
    rest = [a for a in plan.to_parse if a.id not in restored]
    done = len(restored)
    step = (lambda i, _n, aid: progress(done + i, total, aid)) if progress else None
    if rest and engine.name == "dask":
        made, kept = extract_on_cluster(
            rest, key.model, key, scheduler=engine.scheduler, workers=engine.workers, progress=step, tell=tell
        )
        findings.update(made)
        for article in rest:
            parses.keep_bytes(article, kept[article.id])
    elif rest and n_process > 1 and len(rest) > PARTITION_SIZE:
        assert nlp is not None
        made, kept = extract_in_processes(rest, nlp, n_process, progress=step)
        findings.update(made)
        for article in rest:
            parses.keep_bytes(article, kept[article.id])
    elif rest:
        assert nlp is not None
        parsed, _ = extract_all(rest, nlp, progress=step, keep=parses.keep)
        findings.update(parsed)
    return findings, len(restored), time.perf_counter() - started


def _write_exports(store: Store, staging: Path) -> None:
    """graph.trig from the store, then graph.ttl from graph.trig (:func:`turtle_from_trig`: no GIL held for long)."""
    export(store, "trig", staging / "graph.trig")
    turtle_from_trig(staging / "graph.trig", staging / "graph.ttl")


def _stage_cache(
    cache_dir: Path,
    articles: Sequence[Article],
    findings: Mapping[str, ArticleFindings],
    previous: _Previous,
    key: CacheKey,
    settings: BuildSettings,
) -> None:
    """The new cache: unchanged entries hard-linked from the old one, the rest written."""
    articles_dir(cache_dir).mkdir(parents=True)
    for article in articles:
        old = previous.entries.get(article.content_hash)
        if old is not None and old.findings is not None and old.article == article:
            link_or_copy(old.path, articles_dir(cache_dir) / entry_name(article))
        else:
            write_entry(cache_dir, article, key, findings[article.id])
    write_settings(cache_dir, settings)


# --- small helpers ----------------------------------------------------------------


def _choose_model(requested: str | None, nlp: Language | None, earlier: BuildSettings | None, out_dir: Path) -> tuple[str, str]:
    """(name, version) of the pipeline: ``--model``, ``$KGRAPH_MODEL``, the previous build's, or the default."""
    if nlp is not None:  # a pipeline passed in (tests, notebooks): name it as spaCy's package would be named
        return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'custom')}", str(nlp.meta.get("version", ""))
    recorded = earlier.model if earlier is not None else None
    wanted = requested or os.environ.get(MODEL_ENV) or recorded
    try:
        name = choose_model(wanted)
    except ModelNotFoundError as err:
        if wanted != recorded or wanted is None:
            raise
        raise ModelNotFoundError(f"{out_dir}/ was built with the pipeline {recorded!r}, which is not installed; install it, "
                                 f"or pass --model to parse every article again with another one") from err
    return name, installed_version(name)


def _check_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"output path {out_dir} exists and is not a directory")


def _make_out_dir(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create the output directory {out_dir}: {err.strerror or err}") from None


def _unknown_ids_message(unknown: Sequence[str], known: Sequence[str], out_dir: Path) -> str:
    parts = []
    for article_id in unknown:
        close = difflib.get_close_matches(article_id, known, n=3, cutoff=0.5)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        parts.append(f"{article_id}{hint}")
    return f"no article {'; '.join(parts)} in {out_dir}/ ({len(known)} article(s); list them with `kgraph query 'SELECT ?id {{ ?a schema:identifier ?id }}' -o {out_dir}`)"


def _map_note(stats: MapStats) -> str:
    opens = "an overview of the top stories" if stats.first_view == "overview" else "its one story"
    note = (
        f"`graph.html` lists {stats.stories} {'story' if stats.stories == 1 else 'stories'} and opens on {opens} "
        f"({stats.first_view_nodes} nodes); the largest story's view draws {stats.nodes_drawn} nodes "
        f"and {stats.edges_drawn} edges"
    )
    if stats.entities_drawn < stats.entities_total:
        note += f" (the {stats.entities_drawn} most-mentioned of its {stats.entities_total} entities)"
    if stats.articles_drawn < stats.articles:
        note += f"; {stats.articles_drawn} of its {stats.articles} articles are drawn as nodes"
    return note + "."


class _CallableModule(types.ModuleType):
    """This module, callable as :func:`build`.

    ``kgraph.build(paths, out)`` is the documented entry point, but once anything imports
    this module (``import kgraph.build``, or any module that does) Python binds the name
    ``kgraph.build`` to the module, shadowing the function that ``kgraph.__getattr__``
    would give. Calling the module calls the function, so both spellings keep working.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> BuildResult:
        return build(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
