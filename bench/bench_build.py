#!/usr/bin/env python3
"""Benchmark of ``kgraph.build`` against spaCy alone on a corpus of ~1,000 articles.

Why this exists: spaCy parsing is the one cost kgraph cannot avoid, so the
number that says whether kgraph itself is fast enough is

    ratio = build wall time / time spaCy alone needs to parse the same texts

with the same pipeline and the same ``nlp.pipe`` settings (batch size,
processes). The target (issue 15) is a ratio of at most 1.3; the first version of this
benchmark, on the seeds cycled, had 1.5.

Two corpora (``--corpus``):

``seeds`` (the default, so that earlier results stay comparable): the five
seeds repeated. kgraph builds an identical text only once (ingest dedupes by
content hash), so every copy gets its own file name (hence id) and one
distinct closing sentence ("Copy 0421 of this report was archived."). Every
statement then occurs hundreds of times, which is no typical text: the
claim comparison, for one, fans out with the repeats.

``real`` (issue 15): real news read at bench time from ``--data`` (default
``../shared/data``): ``news-dev`` (1,668 distinct bodies after ingest's
dedupe), ``polnear-dev`` (84), ``meantime-dev`` (60) and the seeds (5), 1,817
distinct bodies in all. Each source is read by kgraph's own reader, as
``kgraph build`` would read the file itself (``ingest`` on the ``.jsonl``
files and the seed folder), so ids and metadata are what a direct build gets
(``fnc-train-N``; ``polnear_dev-N`` with the publisher as outlet;
``meantime_en_dev-N``; the seed file names). These cleaned articles, in that
source order and each source in its file order, are shuffled with
``random.Random(--seed)`` (default 15, the issue's number); the
first ``--articles`` of that order are the corpus. Beyond 1,817 the pool is
shuffled again for each further pass and repeated: pass ``p`` of an article
has the id ``<id>-rep<p>`` and ends with one closing sentence picked by the
same generator from :data:`CLOSING_SENTENCES` and numbered by its position in
the corpus, so that dedupe keeps every copy. Same ``--seed`` and ``--articles``,
same corpus. The corpus is written as one ``real.jsonl`` in the work
directory (a temporary one, or ``--keep DIR`` outside the repository): the
texts are research-use or publishers' copyright, read from ``../shared`` and
never copied into the repository (nor into the result JSON, which holds
counts only).

Either way the spaCy baseline parses exactly the cleaned texts that
``ingest`` produces from the written corpus, in the order ``build()`` parses
them (by id), i.e. exactly what the build parses.

Each measurement runs in a fresh child process (this script re-invoked with
``--phase``) so that peak RSS belongs to that measurement alone and neither
measurement inherits warm caches or heap from the other. Every child loads
the model (not timed) and parses the five seed texts once (not timed) before
its clock starts, so both sides pay the same one-off start-up costs outside
the measurement.

The stage breakdown comes from a third child that calls kgraph's stage
functions (``ingest``, ``extract_all``, ``corpus_mentions``, ``resolve_entities``,
``graph_quads``, ``create_store``, ``analysis_result``, ``export``,
``render_map``, ``render_report``) in the order ``build()`` calls them, with
timers between them (``build()`` itself exposes only total and parse-loop
time). Three differences from ``build()``, all needed to split the clock:
``extract_all`` gets a stand-in pipeline whose ``pipe`` times spaCy's part of
the loop (the rest is extraction); the quad stream is first generated once on
its own (and discarded) to time emission, and during that pass the corpus-wide
steps that run inside the stream (story clustering, speaker resolution, event
resolution, claim comparison) are timed by wrapping the names ``kgraph.build``
calls them by, so their rows and the rest of the emission come apart without
copying its code; the store is then bulk-loaded from a fresh stream as
``build()`` does, and its time is reported minus that emission time (an
estimate). The two exports and the map run one after the other here, where
``build()`` overlaps them on two threads, and the findings and parse caches
and the commit are not re-enacted: the stage total is therefore not the build
time. The same run records the process's peak RSS after each stage, which
shows the stage that sets the peak.
``--profile`` adds a cProfile of one real ``build()`` call (profiling overhead
inflates Python-heavy stages, so use it for *what*, not *how much*).

The machine may be shared. ``--repeat K`` alternates the spaCy-alone and the
build measurement K times and takes the fastest of each (the usual estimator
under outside interference); CPU time is reported beside wall time. Each round's
own ratio (its build over the spaCy run just before it) is reported too, with
their median: on a machine whose speed drifts by tens of percent within minutes,
a build and a baseline minutes apart are closer to the same machine than the
fastest of each, which may come from different quarters of an hour.

Usage (from the repository root)::

    python bench/bench_build.py                  # 1,000 articles, 1 process
    python bench/bench_build.py --corpus real    # 1,000 real articles (of the 1,817), 1 process
    python bench/bench_build.py --corpus real --articles 5000 --no-stages
    python bench/bench_build.py --articles 200 --processes 2 --json
    python bench/bench_build.py --keep /tmp/kgbench --profile --tracemalloc
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import hashlib
import inspect
import io
import json
import os
import platform
import pstats
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import spacy
import spacy.about
from spacy.language import Language
from spacy.tokens import Doc

import kgraph.build
from kgraph.analyze.analyses import analysis_result
from kgraph.build import build, corpus_mentions, extract_all, graph_quads
from kgraph.ingest.article import Article
from kgraph.ingest.sources import ingest
from kgraph.nlp.pipeline import choose_model, load_pipeline
from kgraph.outputs.export import export
from kgraph.rdf.store import MEMORY_STORE_MAX_CHARS, STORE_DIRNAME, create_store, persist
from kgraph.outputs.report import RunFacts, render_report, render_report_json
from kgraph.resolve.entities import resolve_entities
from kgraph.outputs.map import render_map

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
# The real corpus: files under --data, read as `kgraph build` reads them; the seeds come last.
SHARED_DATA = REPO.parent / "shared" / "data"
REAL_SOURCES: tuple[tuple[str, str], ...] = (
    ("news-dev", "news-dev/fnc1_train_bodies.jsonl"),
    ("polnear-dev", "polnear-dev/polnear_dev.jsonl"),
    ("meantime-dev", "meantime-dev/meantime_en_dev.jsonl"),
)
CORPUS_SEED = 15  # issue 15; any fixed number gives a fixed corpus
REAL_CORPUS_FILE = "real.jsonl"
# Closing sentences of the repeats: the kind of line an archived copy ends with, no names
# (a name would add mentions and merges that no real article has), numbered per copy so
# every repeat's text, hence content hash, is its own. Each survives clean_text unchanged.
CLOSING_SENTENCES: tuple[str, ...] = (
    "Copy {n} of this report was archived.",
    "This story was filed as item {n} in the archive.",
    "An earlier version of this article was stored as record {n}.",
    "This report was reprinted as item {n} of the collection.",
    "A copy of this article was kept as number {n}.",
)
RESULTS = Path(__file__).resolve().parent / "results"
TARGET_RATIO = 1.3
# build() does not pass batch_size, so the default of extract_all is what it uses;
# reading it here keeps the baseline in step if that default ever changes.
BATCH_SIZE: int = inspect.signature(extract_all).parameters["batch_size"].default
# build()'s default, used by the stage breakdown's render_map call.
MAX_MAP_NODES: int = inspect.signature(build).parameters["max_map_nodes"].default


# --- corpus -----------------------------------------------------------------


def make_corpus(kind: str, directory: Path, n_articles: int, data: Path, seed: int) -> dict[str, Any]:
    """Write the ``kind`` corpus (``seeds`` or ``real``) of ``n_articles`` into ``directory``; return what it holds."""
    if kind == "real":
        return make_real_corpus(directory, n_articles, data, seed)
    make_seed_corpus(directory, n_articles)
    return {"kind": "seeds", "sources": {"seeds": n_articles}, "distinct_bodies": min(n_articles, len(list(SEEDS.glob("*.txt"))))}


def make_seed_corpus(directory: Path, n_articles: int) -> list[Path]:
    """Write ``n_articles`` distinct article files made from the seeds, cycling through them.

    Copy ``i`` of a seed ends with its own sentence, so no two texts are equal
    (ingest would otherwise keep one of each) and the appended text is the
    kind of sentence a real article has, not random characters.
    """
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        raise SystemExit(f"no seeds found in {SEEDS}")
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for i in range(n_articles):
        seed = seeds[i % len(seeds)]
        text = seed.read_text(encoding="utf-8").rstrip() + f"\n\nCopy {i:04d} of this report was archived.\n"
        path = directory / f"{i:04d}_{seed.stem}.txt"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def real_pool(data: Path) -> list[tuple[str, Article]]:
    """Every distinct real body as ``(source name, article)``, read as ``kgraph build`` reads the files.

    One ``ingest`` over all sources, so a body found in two of them is kept once
    (none is, today). A missing or unreadable source stops the run: a corpus
    quietly smaller than asked would measure something else.
    """
    files = [(name, data / relative) for name, relative in REAL_SOURCES]
    missing = [str(path) for _, path in files if not path.is_file()]
    if missing:
        raise SystemExit(f"real corpus: missing {', '.join(missing)} (set --data to the folder holding news-dev/, polnear-dev/, meantime-dev/)")
    ingested = ingest([path for _, path in files] + [SEEDS])
    if ingested.skipped:
        first = ingested.skipped[0]
        raise SystemExit(f"real corpus: {len(ingested.skipped)} input(s) skipped, e.g. {first.source}: {first.reason}")
    named = [(name, str(path)) for name, path in files] + [("seeds", str(SEEDS))]
    pool = [(next(name for name, prefix in named if a.source.startswith(prefix)), a) for a in ingested.articles]
    # ingest orders by path, which depends on where the repository and the data sit; the
    # shuffle must not, so the pool is in source order (each source in its file order).
    rank = {name: i for i, (name, _) in enumerate(named)}
    return sorted(pool, key=lambda item: rank[item[0]])


def make_real_corpus(directory: Path, n_articles: int, data: Path, seed: int) -> dict[str, Any]:
    """Write ``n_articles`` real articles to ``directory/real.jsonl`` (order and repeats: module docstring).

    Records carry the cleaned text and the metadata ingest read (title, date,
    url, outlet), so re-reading them gives the same articles: clean_text leaves
    cleaned text as it is. Repeats are needed only above the pool's size; each
    gets an id and a closing sentence of its own so that dedupe keeps it.
    """
    pool = real_pool(data)
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    sources: Counter[str] = Counter()
    passes: Counter[int] = Counter()
    with (directory / REAL_CORPUS_FILE).open("w", encoding="utf-8") as out:
        order: list[tuple[str, Article]] = []
        for i in range(n_articles):
            pass_, position = divmod(i, len(pool))
            if position == 0:  # a new pass through the pool, in a new order
                order = list(pool)
                rng.shuffle(order)
            name, article = order[position]
            record: dict[str, str] = {"id": article.id, "text": article.text}
            if pass_:
                record["id"] = f"{article.id}-rep{pass_}"
                record["text"] = article.text + "\n\n" + rng.choice(CLOSING_SENTENCES).format(n=i)
            for key in ("title", "date", "url", "outlet"):
                if (value := getattr(article, key)) is not None:
                    record[key] = value
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            sources[name] += 1
            passes[pass_] += 1
    return {
        "kind": "real",
        "data": str(data),
        "seed": seed,
        "pool": len(pool),
        "pool_sources": dict(Counter(name for name, _ in pool)),  # in source order, as the pool is
        "sources": {name: sources[name] for name in [*(n for n, _ in REAL_SOURCES), "seeds"] if sources[name]},
        "distinct_bodies": passes[0],
        "repeats": n_articles - passes[0],
    }


def check_corpus(corpus: Path, n_articles: int) -> None:
    """Stop before any parse unless ingest keeps exactly ``n_articles`` of the written corpus.

    The summary checks the same after both measurements; checking here too
    saves the minutes a long run would spend before it finds out.
    """
    ingested = ingest([corpus])
    if len(ingested.articles) != n_articles or ingested.duplicates or ingested.skipped:
        raise SystemExit(
            f"corpus check: ingest kept {len(ingested.articles)} of {n_articles} articles "
            f"({len(ingested.duplicates)} duplicates, {len(ingested.skipped)} skipped)"
        )


def ordered_articles(corpus: Path) -> list[Article]:
    """The corpus's articles in the order ``build()`` parses them: sorted by id (its ``_plan``)."""
    return sorted(ingest([corpus]).articles, key=lambda a: a.id)


def corpus_texts(corpus: Path) -> list[str]:
    """The cleaned texts ``build()`` will parse, in its order (ingest is deterministic)."""
    return [a.text for a in ordered_articles(corpus)]


# --- measuring helpers ------------------------------------------------------


def peak_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(who).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process and its reaped children (spaCy workers when n_process > 1).

    Reported beside wall time because the machine may be shared: CPU time is
    far less sensitive to other load than wall time is.
    """
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def current_rss_mib() -> float:
    """Current RSS from /proc (Linux); 0.0 where it is not available."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def warmed_pipeline(model: str | None, *, stock: bool = False) -> tuple[Language, float]:
    """Load the pipeline as the CLI does (``stock``: as ``spacy.load`` does) and parse the seeds once, untimed.

    The first ``nlp.pipe`` call pays lazy initialisation (vectors, thinc ops,
    lemmatizer tables); both measured sides are warmed the same way so the
    ratio compares steady-state work. The stock pipeline lacks kgraph's two
    changes (the line-break sentence rule and the memoised lemmatizer): it is
    what a user running spaCy on the texts would pay.
    """
    started = time.perf_counter()
    nlp = spacy.load(choose_model(model)) if stock else load_pipeline(model)
    load_seconds = time.perf_counter() - started
    for _ in nlp.pipe((p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))), batch_size=BATCH_SIZE):
        pass
    return nlp, load_seconds


class StageClock:
    """Named wall-clock accumulators; ``with clock("name"):`` adds to one and notes the peak RSS so far."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.peak_rss_after: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - started)

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds
        self.peak_rss_after[name] = peak_rss_mib()


class TimedPipeline:
    """Stands in for the ``Language`` given to ``extract_all``: times only spaCy's part of its loop.

    ``extract_all`` pulls docs from ``nlp.pipe`` and extracts from each before
    pulling the next, so the time spent inside ``next()`` on spaCy's generator
    is the parse; the rest of its parse-loop time is kgraph's extraction.
    """

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.seconds = 0.0

    def pipe(self, texts: Iterable[str], **settings: Any) -> Iterator[Doc]:
        docs = iter(self.nlp.pipe(texts, **settings))
        while True:
            started = time.perf_counter()
            try:
                doc = next(docs)
            except StopIteration:
                self.seconds += time.perf_counter() - started
                return
            self.seconds += time.perf_counter() - started
            yield doc

    def __getattr__(self, name: str) -> Any:  # anything else extract_all may ask of the pipeline
        return getattr(self.nlp, name)


# --- phases (each runs in its own child process) ----------------------------


def phase_spacy(corpus: Path, model: str | None, processes: int, baseline: str = "stock") -> dict[str, Any]:
    """spaCy alone: ``nlp.pipe`` over the build's texts with the build's settings, docs discarded.

    ``baseline`` "stock" parses with the pipeline as spaCy loads it, "kgraph" with
    kgraph's additions to it (see :func:`warmed_pipeline`).
    """
    nlp, load_seconds = warmed_pipeline(model, stock=baseline == "stock")
    texts = corpus_texts(corpus)
    rss_before = current_rss_mib()
    tokens = 0
    cpu_started = cpu_seconds()
    started = time.perf_counter()
    for doc in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=processes):
        tokens += len(doc)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds() - cpu_started,
        "articles": len(texts),
        "characters": sum(map(len, texts)),
        "tokens": tokens,
        "model_load_seconds": load_seconds,
        "rss_before_mib": rss_before,
        "peak_rss_mib": peak_rss_mib(),
        "peak_rss_children_mib": peak_rss_mib(resource.RUSAGE_CHILDREN),
    }


def phase_build(corpus: Path, out: Path, model: str | None, processes: int, trace: bool = False) -> dict[str, Any]:
    """One real ``build()`` call, timed from outside (model already loaded, as a warm server would have it)."""
    nlp, load_seconds = warmed_pipeline(model)
    gc.collect()
    rss_before = current_rss_mib()
    if trace:
        tracemalloc.start()
    cpu_started = cpu_seconds()
    started = time.perf_counter()
    result = build([corpus], out, nlp=nlp, n_process=processes)
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_started
    traced_peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    if trace:
        tracemalloc.stop()
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "build_reported_seconds": result.seconds,
        "parse_seconds": result.parse_seconds,
        "articles": len(result.articles),
        "duplicates": len(result.duplicates),
        "skipped": len(result.skipped),
        "entities": result.entity_count,
        "mentions": result.mention_count,
        "quads": result.quad_count,
        "model": result.model,
        "model_load_seconds": load_seconds,
        "rss_before_mib": rss_before,
        "peak_rss_mib": peak_rss_mib(),
        "peak_rss_children_mib": peak_rss_mib(resource.RUSAGE_CHILDREN),
        "tracemalloc_peak_mib": traced_peak,
        "output_bytes": {p.name: p.stat().st_size for p in sorted(out.iterdir()) if p.is_file()},
    }


# The corpus-wide steps graph_quads runs inside the quad stream, by the names kgraph.build
# calls them; (name in kgraph.build, stage row). Each returns a finished value, not a generator,
# so the time of the call is the step's time.
STREAM_STEPS: tuple[tuple[str, str], ...] = (
    ("cluster_stories", "stories (clustering)"),
    ("resolve_speakers", "speakers (resolution)"),
    ("resolve_events", "events (resolution)"),
    ("compare_claims", "claim comparison"),
)


@contextmanager
def timed_stream_steps(seconds: dict[str, float]) -> Iterator[None]:
    """Wrap :data:`STREAM_STEPS` in ``kgraph.build`` for the duration; add each call's time to ``seconds``."""
    originals = {name: getattr(kgraph.build, name) for name, _ in STREAM_STEPS}

    def timed(row: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[row] = seconds.get(row, 0.0) + time.perf_counter() - started

        return call

    try:
        for name, row in STREAM_STEPS:
            setattr(kgraph.build, name, timed(row, originals[name]))
        yield
    finally:
        for name, function in originals.items():
            setattr(kgraph.build, name, function)


def phase_stages(corpus: Path, out: Path, model: str | None, processes: int) -> dict[str, Any]:
    """build() re-enacted stage by stage with timers in between (see the module docstring)."""
    nlp, _ = warmed_pipeline(model)
    gc.collect()
    rss_before = current_rss_mib()
    clock = StageClock()
    started = time.perf_counter()

    with clock("ingest"):
        ingested = ingest([corpus])
        articles = sorted(ingested.articles, key=lambda a: a.id)  # build()'s order (its _plan)

    # The real extract_all, fed a pipeline whose pipe() times spaCy's own work,
    # so parse, per-doc extraction and propagation come apart without copying its code.
    timed = TimedPipeline(nlp)
    extract_started = time.perf_counter()
    findings, parse_loop_seconds = extract_all(articles, timed, n_process=processes, batch_size=BATCH_SIZE)  # type: ignore[arg-type]
    found = corpus_mentions(articles, findings)
    extract_seconds = time.perf_counter() - extract_started
    clock.add("spaCy parse (inside the build)", timed.seconds)
    clock.add("extract: entities, claims, citations", parse_loop_seconds - timed.seconds)
    clock.add("extract: propagation", extract_seconds - parse_loop_seconds)

    with clock("resolution"):
        cited = {  # as build() gives resolve_entities the outlets the citations name
            a.id: [(c.outlet_start, c.outlet_end) for c in findings[a.id].citations if c.outlet_start is not None and c.outlet_end is not None]
            for a in articles
        }
        resolution = resolve_entities(found, (), cited_outlets=cited)

    out.mkdir(parents=True, exist_ok=True)
    staging = out / f".staging-bench-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    steps: dict[str, float] = {}
    emitting = time.perf_counter()
    with timed_stream_steps(steps):
        quad_count = sum(1 for _ in graph_quads(articles, findings, found, resolution))
    emission_seconds = time.perf_counter() - emitting
    for _, row in STREAM_STEPS:
        clock.add(row, steps.get(row, 0.0))
    clock.add("emission: RDF quads (the rest)", emission_seconds - sum(steps.values()))
    loading = time.perf_counter()
    in_memory = sum(len(a.text) for a in articles) <= MEMORY_STORE_MAX_CHARS  # as _rebuild decides
    store = create_store(staging / STORE_DIRNAME, graph_quads(articles, findings, found, resolution), in_memory=in_memory)
    clock.add("store (bulk load, est.)" + (" in memory" if in_memory else ""), time.perf_counter() - loading - emission_seconds)
    with clock("analysis (read, write back)"):
        analysis = analysis_result(store)
        store.bulk_extend(analysis.quads)
        store.flush()
    with clock("report report.json"):
        (staging / "report.json").write_text(render_report_json(analysis.data), encoding="utf-8")
    stored_quads = len(store)
    with clock("export graph.trig"):
        export(store, "trig", staging / "graph.trig")
    with clock("export graph.ttl"):
        export(store, "ttl", staging / "graph.ttl")
    with clock("map graph.html"):
        map_stats = render_map(store, staging / "graph.html", max_nodes=MAX_MAP_NODES)
    with clock("report report.md"):
        facts = RunFacts(
            model="bench",
            inputs=(str(corpus),),
            skipped=ingested.skipped,
            duplicates=ingested.duplicates,
            seconds=time.perf_counter() - started,
            map_note=f"{map_stats.nodes_drawn} nodes",
        )
        (staging / "report.md").write_text(render_report(store, facts, analysis.data), encoding="utf-8")
    if in_memory:  # build() does this on a thread while the map is drawn
        with clock("store written to disk (on a thread in build())"):
            persist(store, staging / STORE_DIRNAME, staging / "store.nq")
    with clock("close store"):
        del store
        gc.collect()
    # The emission was run twice (once alone, once into the store); count it once.
    total = time.perf_counter() - started - emission_seconds
    shutil.rmtree(staging, ignore_errors=True)
    return {
        "seconds": total,
        "stages": clock.seconds,
        "peak_rss_after_mib": clock.peak_rss_after,
        "rss_before_mib": rss_before,
        "quads": quad_count,
        "stored_quads": stored_quads,
        "entities": len(resolution.entities),
    }


def phase_profile(corpus: Path, out: Path, model: str | None, processes: int, dump: Path) -> dict[str, Any]:
    """cProfile of one real build(); returns the top functions by own time and by cumulative time."""
    nlp, _ = warmed_pipeline(model)
    profiler = cProfile.Profile()
    profiler.enable()
    build([corpus], out, nlp=nlp, n_process=processes)
    profiler.disable()
    dump.parent.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(str(dump))
    tables = {}
    for key in ("tottime", "cumulative"):
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats(key).print_stats(25)
        tables[key] = buffer.getvalue()
    return {"profile_file": str(dump), "tables": tables}


# --- orchestration ----------------------------------------------------------


def run_phase(name: str, args: argparse.Namespace, corpus: Path, out: Path, extra: Sequence[str] = ()) -> dict[str, Any]:
    """Run one phase in a fresh interpreter and return the JSON it prints last."""
    command = [
        sys.executable, str(Path(__file__).resolve()), "--phase", name,
        "--corpus-dir", str(corpus), "--out", str(out), "--processes", str(args.processes),
        *(["--model", args.model] if args.model else []), "--baseline", args.baseline, *extra,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"phase {name!r} failed with exit code {done.returncode}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _git(*args: str) -> str | None:
    """Read-only git facts (commit, dirty src) so a result says which code it measured."""
    try:
        done = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, check=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip()


def environment(model: str | None) -> dict[str, Any]:
    name = choose_model(model)
    try:
        version = spacy.util.get_package_version(name)
    except Exception:  # informative only; any failure just leaves it out
        version = None
    return {
        "python": platform.python_version(),
        "spacy": spacy.about.__version__,
        "model": name,
        "model_version": version,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "git_commit": _git("rev-parse", "--short", "HEAD"),
        "src_modified": bool(_git("status", "--porcelain", "--", "src")),
        **_src_changes(),
        "load_average_at_start": os.getloadavg()[0],  # with the one at the end: how shared the machine was
    }


def _src_changes() -> dict[str, Any]:
    """Which src files differ from HEAD, and a digest of the difference (untracked files included).

    src/ may be edited by someone else while a long run goes on; the digest
    tells two results measured on different uncommitted states apart.
    """
    # "XY path" lines; _git strips the output, so the first line may have lost its leading blank.
    entries = [line.strip().split(" ", 1) for line in (_git("status", "--porcelain", "--untracked-files=all", "--", "src") or "").splitlines()]
    files = sorted(path.strip() for _, path in entries)
    digest = hashlib.sha256((_git("diff", "HEAD", "--", "src") or "").encode())
    for name in sorted(path.strip() for code, path in entries if code == "??"):  # git diff leaves these out
        if (REPO / name).is_file():
            digest.update(name.encode() + b"\0" + (REPO / name).read_bytes())
    return {"src_changed_files": files, "src_changes_sha256": digest.hexdigest()[:16] if files else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000, help="articles in the corpus (default 1000)")
    parser.add_argument("--corpus", choices=("seeds", "real"), default="seeds",
                        help="seeds: the five seeds cycled (default, comparable with earlier results); "
                             "real: news-dev, polnear-dev, meantime-dev and the seeds, repeated beyond their 1,817 bodies")
    parser.add_argument("--data", type=Path, default=SHARED_DATA, help=f"folder of the real corpus's sources (default {SHARED_DATA})")
    parser.add_argument("--seed", type=int, default=CORPUS_SEED, help=f"order of the real corpus (default {CORPUS_SEED})")
    parser.add_argument("--processes", type=int, default=1, help="nlp.pipe n_process, for the build and the baseline (default 1)")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: what kgraph would choose)")
    parser.add_argument("--baseline", choices=("stock", "kgraph"), default="stock",
                        help="spaCy alone as spacy.load gives it (stock, the default: what a user's own spaCy run costs) "
                             "or with kgraph's additions (its sentence rule and memoised lemmatizer)")
    parser.add_argument("--json", action="store_true", help="also print one machine-readable JSON line")
    parser.add_argument("--keep", type=Path, default=None, help="write corpus and build output under DIR and keep them")
    parser.add_argument("--repeat", type=int, default=1, help="alternate the spaCy-alone and build measurements K times, keep the fastest of each (default 1)")
    parser.add_argument("--no-stages", action="store_true", help="skip the stage breakdown (saves one parse of the corpus)")
    parser.add_argument("--profile", action="store_true", help="also cProfile one build (writes a .prof into bench/results/)")
    parser.add_argument("--tracemalloc", action="store_true", help="also run one build under tracemalloc (Python heap peak; slower, not timed)")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/*.json")
    # Internal: one measurement in this (child) process.
    parser.add_argument("--phase", choices=("spacy", "build", "stages", "profile", "tracemalloc"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.phase:
        return _child(args)
    if min(args.articles, args.processes, args.repeat) < 1:
        parser.error("--articles, --processes and --repeat must be positive")
    if args.corpus == "real" and args.keep is not None and args.keep.resolve().is_relative_to(REPO):
        # The real texts are research-use or publishers' copyright: read from ../shared, never copied here.
        parser.error(f"--keep must be outside the repository ({REPO}) with --corpus real")

    env = environment(args.model)  # before measuring: the commit measured, not the one at the end
    with _workdir(args.keep) as work:
        corpus, out = work / "corpus", work / "out"
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        composition = make_corpus(args.corpus, corpus, args.articles, args.data, args.seed)
        check_corpus(corpus, args.articles)
        _say(f"corpus ({args.corpus}): {args.articles} articles in {corpus} ({_composition(composition)}); "
             f"batch_size={BATCH_SIZE}, n_process={args.processes}")

        baselines: list[dict[str, Any]] = []
        builds: list[dict[str, Any]] = []
        for round_ in range(1, args.repeat + 1):
            _say(f"[{round_}/{args.repeat}] spaCy alone ...")
            baselines.append(run_phase("spacy", args, corpus, out))
            _say(f"  {baselines[-1]['seconds']:.1f} s")
            _say(f"[{round_}/{args.repeat}] build ...")
            shutil.rmtree(out, ignore_errors=True)  # every round a first build: no findings or parses kept
            builds.append(run_phase("build", args, corpus, out))
            _say(f"  {builds[-1]['seconds']:.1f} s")
        stages = None
        if not args.no_stages:
            _say("stage breakdown ...")
            stages = run_phase("stages", args, corpus, work / "out-stages")
            shutil.rmtree(work / "out-stages", ignore_errors=True)
        stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
        profile = None
        if args.profile:
            _say("cProfile of one build ...")
            dump = RESULTS / f"bench_build-{stamp}.prof"
            profile = run_phase("profile", args, corpus, work / "out-profile", ["--dump", str(dump)])
            shutil.rmtree(work / "out-profile", ignore_errors=True)
        traced = None
        if args.tracemalloc:
            _say("tracemalloc build ...")
            traced = run_phase("tracemalloc", args, corpus, work / "out-trace")
            shutil.rmtree(work / "out-trace", ignore_errors=True)

    result = _summarise(args, env, composition, baselines, builds, stages, traced, profile)
    _print_summary(result, profile)
    if not args.no_save:
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"bench_build-{stamp}.json"
        path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"\nresults written to {path}")
    if args.json:
        print(json.dumps(result, separators=(",", ":")))
    return 0


def _child(args: argparse.Namespace) -> int:
    """Run the requested phase and print its result as the last stdout line."""
    phases: dict[str, Callable[[], dict[str, Any]]] = {
        "spacy": lambda: phase_spacy(args.corpus_dir, args.model, args.processes, args.baseline),
        "build": lambda: phase_build(args.corpus_dir, args.out, args.model, args.processes),
        "tracemalloc": lambda: phase_build(args.corpus_dir, args.out, args.model, args.processes, trace=True),
        "stages": lambda: phase_stages(args.corpus_dir, args.out, args.model, args.processes),
        "profile": lambda: phase_profile(args.corpus_dir, args.out, args.model, args.processes, args.dump),
    }
    print(json.dumps(phases[args.phase]()))
    return 0


@contextmanager
def _workdir(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="kgraph-bench-") as tmp:
        yield Path(tmp)


def _composition(c: dict[str, Any]) -> str:
    """"news-dev 926, polnear-dev 47, …; 1,000 distinct bodies, 0 repeats" for the progress line and the summary."""
    parts = ", ".join(f"{name} {count:,}" for name, count in c["sources"].items())
    return f"{parts}; {c['distinct_bodies']:,} distinct bodies, {c.get('repeats', 0):,} repeats" if c["kind"] == "real" else parts


def _say(message: str) -> None:
    """Progress goes to stderr so stdout stays the result (and the --json line)."""
    print(message, file=sys.stderr, flush=True)


def _summarise(
    args: argparse.Namespace,
    env: dict[str, Any],
    composition: dict[str, Any],
    baselines: list[dict[str, Any]],
    builds: list[dict[str, Any]],
    stages: dict[str, Any] | None,
    traced: dict[str, Any] | None,
    profile: dict[str, Any] | None,
) -> dict[str, Any]:
    """One result: the fastest build and the fastest baseline; every run is kept under ``runs``."""
    baseline = min(baselines, key=lambda b: b["seconds"])
    built = min(builds, key=lambda b: b["seconds"])
    if not built["articles"] == baseline["articles"] == args.articles or built["duplicates"] or built["skipped"]:
        raise SystemExit(
            f"corpus mismatch: build kept {built['articles']} articles ({built['duplicates']} duplicates, "
            f"{built['skipped']} skipped), the baseline parsed {baseline['articles']}"
        )
    ratio = built["seconds"] / baseline["seconds"]
    paired = [b["seconds"] / a["seconds"] for a, b in zip(baselines, builds)]
    return {
        "date": dt.date.today().isoformat(),
        "environment": env,
        "settings": {"corpus": args.corpus, "articles": args.articles, "processes": args.processes, "batch_size": BATCH_SIZE, "repeat": args.repeat, "baseline": args.baseline},
        "corpus": {"articles": baseline["articles"], "characters": baseline["characters"], "tokens": baseline["tokens"], **composition},
        "articles_per_second": built["articles"] / built["seconds"],
        "build_seconds": built["seconds"],
        "build_parse_seconds": built["parse_seconds"],
        "build_non_parse_seconds": built["seconds"] - built["parse_seconds"],
        "spacy_alone_seconds": baseline["seconds"],
        "spacy_alone_tokens_per_second": baseline["tokens"] / baseline["seconds"],
        "ratio": ratio,
        "round_ratios": paired,
        "median_round_ratio": statistics.median(paired),
        "target_ratio": TARGET_RATIO,
        "build_cpu_seconds": built["cpu_seconds"],
        "spacy_alone_cpu_seconds": baseline["cpu_seconds"],
        "cpu_ratio": built["cpu_seconds"] / baseline["cpu_seconds"],
        "load_average_at_end": os.getloadavg()[0],
        "meets_target": ratio <= TARGET_RATIO,
        "model_load_seconds": built["model_load_seconds"],
        "build_peak_rss_mib": max(b["peak_rss_mib"] for b in builds),
        "build_rss_before_mib": built["rss_before_mib"],
        "build_peak_rss_children_mib": built["peak_rss_children_mib"],
        "spacy_alone_peak_rss_mib": max(b["peak_rss_mib"] for b in baselines),
        "spacy_alone_peak_rss_children_mib": max(b["peak_rss_children_mib"] for b in baselines),
        "tracemalloc_peak_mib": traced["tracemalloc_peak_mib"] if traced else None,
        "graph": {k: built[k] for k in ("entities", "mentions", "quads")},
        "output_bytes": built["output_bytes"],
        "stages": stages,
        "profile_file": profile["profile_file"] if profile else None,
        "runs": {
            "spacy_alone_seconds": [b["seconds"] for b in baselines],
            "build_seconds": [b["seconds"] for b in builds],
            "build_parse_seconds": [b["parse_seconds"] for b in builds],
        },
    }


def _print_summary(r: dict[str, Any], profile: dict[str, Any] | None) -> None:
    env, c = r["environment"], r["corpus"]
    dirty = (f" + uncommitted src changes: {len(env['src_changed_files'])} files, digest {env['src_changes_sha256']}"
             if env["src_modified"] else "")
    print(f"\nkgraph build benchmark ({r['date']}; commit {env['git_commit']}{dirty}; {env['model']} {env['model_version']}, "
          f"spaCy {env['spacy']}, Python {env['python']}, {env['cpus']} CPUs)")
    print(f"corpus ({c['kind']}): {c['articles']} articles, {c['characters']:,} characters, {c['tokens']:,} tokens; "
          f"batch_size={r['settings']['batch_size']}, n_process={r['settings']['processes']}")
    print(f"  {_composition(c)}" + (f"; order: seed {c['seed']}" if c["kind"] == "real" else ""))
    rows = [
        ("articles / second (build)", f"{r['articles_per_second']:.2f}"),
        ("build wall time", f"{r['build_seconds']:.1f} s" + _runs(r["runs"]["build_seconds"])),
        ("  of which parse loop (BuildResult.parse_seconds)", f"{r['build_parse_seconds']:.1f} s"),
        ("  of which everything else", f"{r['build_non_parse_seconds']:.1f} s"),
        (
            f"spaCy alone ({r['settings'].get('baseline', 'kgraph')} pipeline), same texts and pipe settings",
            f"{r['spacy_alone_seconds']:.1f} s ({r['spacy_alone_tokens_per_second']:,.0f} tokens/s)" + _runs(r["runs"]["spacy_alone_seconds"]),
        ),
        ("ratio build / spaCy alone", f"{r['ratio']:.2f}  (target <= {r['target_ratio']}: {'met' if r['meets_target'] else 'MISSED'})"),
        ("  each round's build / its spaCy run", ", ".join(f"{x:.2f}" for x in r["round_ratios"])
         + (f"  (median {r['median_round_ratio']:.2f})" if len(r["round_ratios"]) > 1 else "")),
        (
            "CPU-time ratio (less sensitive to other load)",
            f"{r['cpu_ratio']:.2f}  (build {r['build_cpu_seconds']:.1f} s / spaCy {r['spacy_alone_cpu_seconds']:.1f} s CPU)",
        ),
        ("1-min load average at start / end", f"{env['load_average_at_start']:.2f} / {r['load_average_at_end']:.2f} on {env['cpus']} CPUs"),
        ("peak RSS, build process", f"{r['build_peak_rss_mib']:.0f} MiB (model loaded and warm: {r['build_rss_before_mib']:.0f} MiB)"),
        ("peak RSS, spaCy-alone process", f"{r['spacy_alone_peak_rss_mib']:.0f} MiB"),
    ]
    if r["settings"]["processes"] > 1:
        rows.append(("peak RSS, largest spaCy worker", f"{r['build_peak_rss_children_mib']:.0f} MiB in the build, "
                     f"{r['spacy_alone_peak_rss_children_mib']:.0f} MiB alone"))
    if r["tracemalloc_peak_mib"] is not None:
        rows.append(("tracemalloc peak (Python heap, build)", f"{r['tracemalloc_peak_mib']:.0f} MiB"))
    rows.append(("model load (not in build time)", f"{r['model_load_seconds']:.2f} s"))
    rows.append(("graph", f"{r['graph']['entities']} entities, {r['graph']['mentions']:,} mentions, {r['graph']['quads']:,} quads"))
    rows.append(("outputs", ", ".join(f"{k} {v / 2**20:.1f} MiB" for k, v in r["output_bytes"].items())))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"  {key:<{width}}  {value}")

    if r["stages"]:
        s = r["stages"]
        total = s["seconds"]
        print(f"\nwhere the time goes (separate run re-enacting build() stage by stage; total {total:.1f} s; "
              f"RSS {s['rss_before_mib']:.0f} MiB at the start):")
        parse = s["stages"].get("spaCy parse (inside the build)", 0.0)
        width = max(len("non-spaCy total"), *map(len, s["stages"]))
        print(f"  {'stage':<{width}} {'seconds':>10}  {'% total':>7}  {'% non-spaCy':>11}  {'peak RSS so far':>15}")
        for name, secs in s["stages"].items():  # pipeline order
            rest = f"{100 * secs / (total - parse):10.1f}%" if name != "spaCy parse (inside the build)" and total > parse else f"{'':11}"
            print(f"  {name:<{width}} {secs:8.2f} s  {100 * secs / total:6.1f}%  {rest}  {s['peak_rss_after_mib'][name]:11.0f} MiB")
        print(f"  {'non-spaCy total':<{width}} {total - parse:8.2f} s")
        print(f"  (exports and map one after another here, overlapped on two threads in build(); caches and commit "
              f"not re-enacted. build() took {r['build_seconds']:.1f} s, this run {total:.1f} s.)")
    if profile:
        print(f"\ncProfile of one build ({profile['profile_file']}), top by own time:")
        print("\n".join(profile["tables"]["tottime"].splitlines()[:40]))


def _runs(values: list[float]) -> str:
    """" (runs: a, b)" when there was more than one run, else nothing."""
    return f"  (fastest of {', '.join(f'{v:.1f}' for v in values)})" if len(values) > 1 else ""


if __name__ == "__main__":
    sys.exit(main())
