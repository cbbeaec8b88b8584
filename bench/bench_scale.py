"""How the corpus-wide stages grow with the corpus: 1k, 5k and 10k real articles (issue 15).

Measurement, not a test. Parsing 10k articles takes about an hour, so the parse is
done once per distinct article and its findings are kept; the corpus-wide stages
(the ones that read only findings and article text) are then timed on corpora of
N articles made by repeating the distinct articles.

Corpus: the real bodies of ``../shared/data/news-dev`` plus ``polnear-dev`` and
``meantime-dev`` (both ``.jsonl`` with a ``text`` field, which kgraph's ingest reads
as they are; ids default to ``<file stem>-<line>``) plus ``seeds/``, ingested together
with :func:`kgraph.ingest.sources.ingest` (its content-hash dedupe applies). The texts
are read from ``../shared`` at bench time only.

Findings: each distinct article is parsed once with kgraph's own path
(:func:`kgraph.build.extract_all` with :func:`kgraph.nlp.pipeline.load_pipeline`) and
written with kgraph's own findings-cache codec (:func:`kgraph.cache.write_entry`: one
JSON file per article, named by its content hash, holding the article and its findings
under the cache key) into ``--findings-dir`` (default ``/tmp/kgraph-bench-scale/findings``,
outside the repository because the entries hold the article texts). A rerun reads them
back with :func:`kgraph.cache.read_entries` and parses only the articles whose entry is
missing or was made under another cache key (extraction code, lexicons, model).

Corpus of N: the distinct articles in a fixed shuffled order (``--seed``), taken
cyclically; copy r >= 2 of an article is ``dataclasses.replace(article, id=f"{id}~r{r}")``
with the SAME findings and text. A real corpus of repeats would need a varied text
(bench_build.py appends a closing sentence) and a re-parse; reusing the findings is
exact for the corpus-wide stages, which read only findings, text and metadata. The
repeats keep the original's content hash (it is a property of the text): in the
corpus-wide stages and the store it appears only as the ``kg:contentHash`` literal of
each article's own named graph; article IRIs and graph names come from the id, so
nothing collides or is deduplicated (only ingest, ``build._plan`` and the two caches,
none of them timed here, key by content hash).

Each N runs in a fresh child process (``--child``; clean peak RSS). The stages, in the
order ``kgraph.build._rebuild`` runs them: ``corpus_mentions``, ``resolve_entities``,
``graph_quads`` consumed by ``create_store``, ``analysis_result`` (+ bulk load of its
quads), ``render_report_json``, ``export`` trig and ttl (run one after the other here;
``_rebuild`` overlaps them with ``render_map`` in two threads), ``render_map``,
``render_report``. The stages inside ``graph_quads`` are timed by wrapping the functions
it calls: the names it looks up in ``kgraph.build`` (``cluster_stories``,
``resolve_speakers``, ``attribution_quads``, ``resolve_events``, ``compare_claims``, the
emitters ...) are monkeypatched on that module with timing wrappers for the run. The real
``graph_quads`` is then fed to the real ``create_store`` as ``_rebuild`` does, through an
iterator that pulls the quads in chunks of 8,192 and times only the pulls: that time is
emission (everything inside ``graph_quads``), the rest of ``create_store`` is the bulk
load. Generator functions are timed the same way (exclusive time of their own pulls),
so the quads are never all held in memory at once.

    python bench/bench_scale.py --sizes 300                 # end-to-end check
    python bench/bench_scale.py --sizes 1000,5000,10000     # the curve (writes bench/results/scale.json)
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import hashlib
import inspect
import itertools
import json
import math
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DATA = ROOT.parent / "shared" / "data"  # ../shared beside the checkout
SOURCES = {
    "news-dev": DATA / "news-dev" / "fnc1_train_bodies.jsonl",
    "polnear-dev": DATA / "polnear-dev" / "polnear_dev.jsonl",
    "meantime-dev": DATA / "meantime-dev" / "meantime_en_dev.jsonl",
    "seeds": ROOT / "seeds",
}
DEFAULT_FINDINGS = Path(tempfile.gettempdir()) / "kgraph-bench-scale" / "findings"
CHUNK = 8192
# The five stages inside graph_quads the issue names, in graph_quads' order.
INNER = ("cluster_stories", "resolve_speakers", "attribution_quads", "resolve_events", "compare_claims")


# --- memory and clocks -------------------------------------------------------------


def _status() -> dict[str, int]:
    """VmHWM (peak RSS) and VmRSS of this process, in KiB."""
    out: dict[str, int] = {}
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(("VmHWM:", "VmRSS:")):
                key, value = line.split(":", 1)
                out[key] = int(value.split()[0])
    return out


def _mib(kib: int) -> float:
    return round(kib / 1024, 1)


class Clock:
    """Wall (perf_counter), process CPU (process_time, all threads) and this thread's CPU."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = time.process_time()
        self.thread = time.thread_time()

    def since(self) -> tuple[float, float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu, time.thread_time() - self.thread


# --- the corpus ----------------------------------------------------------------------


def load_distinct(sources: list[str]) -> tuple[list[Any], dict[str, Any]]:
    """The distinct articles of the sources, through kgraph's ingest (sorted by id, as build._plan sorts)."""
    from kgraph.ingest.sources import ingest

    paths = [SOURCES[s] for s in sources]
    result = ingest(paths)
    articles = sorted(result.articles, key=lambda a: a.id)
    by_source: dict[str, int] = {}
    for a in articles:
        name = next((s for s in sources if a.source.startswith(str(SOURCES[s]))), "?")
        by_source[name] = by_source.get(name, 0) + 1
    info = {
        "sources": {s: str(SOURCES[s]) for s in sources},
        "distinct_articles": len(articles),
        "distinct_by_source": by_source,
        "ingest_skipped": len(result.skipped),
        "ingest_duplicates": len(result.duplicates),
        "distinct_chars": sum(len(a.text) for a in articles),
    }
    return articles, info


def findings_key() -> Any:
    """kgraph's own findings cache key for the default pipeline (model, spaCy, extraction code, lexicons)."""
    from kgraph.cache import findings_key as key_of
    from kgraph.nlp.pipeline import choose_model, installed_version

    name = choose_model(None)
    return key_of(name, installed_version(name))


def ensure_findings(articles: list[Any], findings_dir: Path, *, batch_size: int = 16) -> dict[str, Any]:
    """Parse (once) every article without a usable entry in ``findings_dir``; return what was done."""
    from kgraph.build import extract_all
    from kgraph.cache import read_entries, write_entry
    from kgraph.nlp.pipeline import load_pipeline

    key = findings_key()
    started = time.perf_counter()
    entries = read_entries(findings_dir, key)
    todo = [a for a in articles if (e := entries.get(a.content_hash)) is None or e.findings is None]
    stale = sum(1 for a in todo if a.content_hash in entries)
    info: dict[str, Any] = {"findings_dir": str(findings_dir), "reused": len(articles) - len(todo), "parsed": len(todo),
                            "stale_reparsed": stale, "cache_key": dataclasses.asdict(key)}
    print(f"findings: {len(articles) - len(todo)} reused from {findings_dir}, {len(todo)} to parse"
          + (f" ({stale} made under another cache key)" if stale else ""), file=sys.stderr, flush=True)
    if todo:
        nlp = load_pipeline(key.model)
        nlp.max_length = max(nlp.max_length, max(len(a.text) for a in todo))
        done = 0
        t0 = time.perf_counter()
        # In slices, writing each slice's entries at once: an interrupted parse keeps what it made.
        for i in range(0, len(todo), 100):
            part = todo[i:i + 100]
            found, _ = extract_all(part, nlp, batch_size=batch_size)
            for a in part:
                write_entry(findings_dir, a, key, found[a.id])
            done += len(part)
            rate = done / (time.perf_counter() - t0)
            print(f"  parsed {done}/{len(todo)} ({rate:.1f} articles/s)", file=sys.stderr, flush=True)
        info["parse_seconds"] = round(time.perf_counter() - t0, 1)
    info["seconds"] = round(time.perf_counter() - started, 1)
    return info


def make_corpus(distinct: list[Any], n: int, seed: int) -> tuple[list[Any], dict[str, str]]:
    """N articles: the distinct ones in a fixed shuffled order, cycled; copy r >= 2 is ``<id>~r<r>``.

    Returns the corpus sorted by id (as ``build._plan`` orders it) and article id -> the id of
    the distinct article whose findings it has.
    """
    order = list(distinct)
    random.Random(seed).shuffle(order)
    corpus = []
    base_of: dict[str, str] = {}
    for i in range(n):
        base = order[i % len(order)]
        r = i // len(order) + 1
        article = base if r == 1 else dataclasses.replace(base, id=f"{base.id}~r{r}")
        corpus.append(article)
        base_of[article.id] = base.id
    corpus.sort(key=lambda a: a.id)
    return corpus, base_of


# --- timing wrappers for what graph_quads calls ---------------------------------------------


class Timers:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, float]] = {}
        self.captured: dict[str, Any] = {}

    def add(self, name: str, wall: float, cpu: float, thread: float, calls: int = 0) -> None:
        row = self.rows.setdefault(name, {"wall": 0.0, "cpu": 0.0, "thread_cpu": 0.0, "calls": 0})
        row["wall"] += wall
        row["cpu"] += cpu
        row["thread_cpu"] += thread
        row["calls"] += calls


def timed_chunks(it: Iterator[Any], timers: Timers, name: str) -> Iterator[Any]:
    """Yield what ``it`` yields, timing only the pulls from ``it`` (exclusive time), chunk by chunk."""
    it = iter(it)
    while True:
        c = Clock()
        chunk = list(itertools.islice(it, CHUNK))
        timers.add(name, *c.since())
        if not chunk:
            return
        yield from chunk


def wrap(fn: Callable[..., Any], name: str, timers: Timers) -> Callable[..., Any]:
    if inspect.isgeneratorfunction(fn):
        def gen_wrapper(*args: Any, **kwargs: Any) -> Iterator[Any]:
            c = Clock()
            g = fn(*args, **kwargs)
            timers.add(name, *c.since(), calls=1)
            yield from timed_chunks(g, timers, name)

        return gen_wrapper

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        c = Clock()
        out = fn(*args, **kwargs)
        timers.add(name, *c.since(), calls=1)
        if name in ("compare_claims", "cluster_stories", "resolve_events"):
            timers.captured[name] = out
        return out

    return wrapper


def patch_graph_quads(timers: Timers) -> dict[str, Any]:
    """Wrap every kgraph function ``graph_quads`` looks up in ``kgraph.build`` (read from its code)."""
    import kgraph.build as kb

    originals: dict[str, Any] = {}
    for name in kb.graph_quads.__code__.co_names:
        fn = getattr(kb, name, None)
        if inspect.isfunction(fn) and (fn.__module__ or "").startswith("kgraph.") and fn.__module__ != "kgraph.build":
            originals[name] = fn
            setattr(kb, name, wrap(fn, name, timers))
    return originals


# --- one size, in a child process ---------------------------------------------------------


def run_child(n: int, args: argparse.Namespace) -> None:
    import kgraph.build as kb
    from kgraph.analyze.analyses import analysis_result
    from kgraph.cache import read_entries
    from kgraph.outputs.export import export
    from kgraph.outputs.map import render_map
    from kgraph.outputs.report import RunFacts, render_report, render_report_json
    from kgraph.rdf.store import MEMORY_STORE_MAX_CHARS, create_store, persist
    from kgraph.resolve.entities import resolve_entities

    result: dict[str, Any] = {"n": n, "stages": [], "counts": {}, "done": False, "pid": os.getpid()}
    partial = Path(args.partial)

    def save() -> None:
        tmp = partial.with_suffix(".tmp")
        tmp.write_text(json.dumps(result, indent=1), encoding="utf-8")
        tmp.replace(partial)

    def stage(name: str, c: Clock, **extra: Any) -> None:
        wall, cpu, _ = c.since()
        st = _status()
        row = {"stage": name, "wall": round(wall, 3), "cpu": round(cpu, 3), "rss_mib": _mib(st["VmRSS"]),
               "peak_rss_mib": _mib(st["VmHWM"]), "ru_maxrss_mib": _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
               **extra}
        result["stages"].append(row)
        result["current_stage"] = None
        save()
        print(f"  [{n}] {name:<26} wall {wall:8.2f} s  cpu {cpu:8.2f} s  peak RSS {row['peak_rss_mib']:8.1f} MiB",
              file=sys.stderr, flush=True)

    def begin(name: str) -> Clock:
        result["current_stage"] = name
        save()
        return Clock()

    # Setup, not timed: the corpus and its findings (from the findings cache).
    c0 = Clock()
    distinct, _ = load_distinct(args.sources)
    entries = read_entries(Path(args.findings_dir), findings_key())
    missing = [a.id for a in distinct if (e := entries.get(a.content_hash)) is None or e.findings is None]
    if missing:
        raise SystemExit(f"{len(missing)} articles have no usable findings in {args.findings_dir} (run without --child first)")
    base_findings = {a.id: entries[a.content_hash].findings for a in distinct}
    del entries
    articles, base_of = make_corpus(distinct, n, args.seed)
    findings = {a.id: base_findings[base_of[a.id]] for a in articles}
    gc.collect()
    st = _status()
    result["setup"] = {"wall": round(c0.since()[0], 2), "rss_mib": _mib(st["VmRSS"]), "peak_rss_mib": _mib(st["VmHWM"])}
    result["counts"].update(
        articles=len(articles),
        distinct_articles=len({base_of[a.id] for a in articles}),
        max_copies=max(1, math.ceil(n / len(distinct))),
        chars=sum(len(a.text) for a in articles),
        ner_mentions=sum(len(f.mentions) for f in findings.values()),
        claims=sum(len(f.claims) for f in findings.values()),
        event_mentions=sum(len(f.events) for f in findings.values()),
        citations=sum(len(f.citations) for f in findings.values()),
        sentences=sum(len(f.sentences) for f in findings.values()),
    )
    save()
    print(f"  [{n}] setup: {len(articles)} articles ({result['counts']['distinct_articles']} distinct), "
          f"{result['counts']['claims']} claims, RSS {result['setup']['rss_mib']} MiB", file=sys.stderr, flush=True)

    work = Path(tempfile.mkdtemp(prefix=f"kgraph-scale-{n}-", dir=args.work_dir))
    try:
        alias_groups: tuple[Any, ...] = ()
        c = begin("corpus_mentions")
        mentions = kb.corpus_mentions(articles, findings, alias_groups)
        result["counts"]["mentions"] = sum(len(m) for m in mentions.values())
        stage("corpus_mentions", c)

        c = begin("resolve_entities")
        # The cited-outlet spans, as _rebuild computes them inline before resolve_entities.
        cited = {
            a.id: [(x.outlet_start, x.outlet_end) for x in findings[a.id].citations
                   if x.outlet_start is not None and x.outlet_end is not None]
            for a in articles
        }
        resolution = resolve_entities(mentions, alias_groups, cited_outlets=cited)
        result["counts"]["entities"] = len(resolution.entities)
        stage("resolve_entities", c)

        timers = Timers()
        originals = patch_graph_quads(timers)
        emitted = 0

        def counted(it: Iterator[Any]) -> Iterator[Any]:
            nonlocal emitted
            for q in it:
                emitted += 1
                yield q

        try:
            c = begin("graph_quads+create_store")
            # As _rebuild: graph_quads(...) streamed into create_store (no same_as links, no earlier stories).
            quads = kb.graph_quads(articles, findings, mentions, resolution, {}, {}, min_confidence=0.0)
            in_memory = sum(len(a.text) for a in articles) <= MEMORY_STORE_MAX_CHARS  # as _rebuild decides
            result["counts"]["store_in_memory"] = in_memory
            store = create_store(work / "store", counted(timed_chunks(quads, timers, "graph_quads (all)")), in_memory=in_memory)
            total_wall, total_cpu, _ = c.since()
        finally:
            for name, fn in originals.items():
                setattr(kb, name, fn)
        st = _status()
        gq = timers.rows.pop("graph_quads (all)")
        inner = {k: {kk: round(vv, 3) for kk, vv in v.items()} for k, v in timers.rows.items()}
        named = [k for k in INNER if k in inner]
        other_wall = gq["wall"] - sum(inner[k]["wall"] for k in named)
        other_cpu = gq["thread_cpu"] - sum(inner[k]["thread_cpu"] for k in named)
        # graph_quads runs in this (the main) thread; the bulk loader also has threads of its own,
        # so the CPU of what runs inside graph_quads is this thread's CPU time.
        for k in named:
            result["stages"].append({"stage": k, "wall": inner[k]["wall"], "cpu": inner[k]["thread_cpu"],
                                     "inside": "graph_quads", "calls": inner[k]["calls"]})
        result["stages"].append({"stage": "emission (rest of graph_quads)", "wall": round(other_wall, 3),
                                 "cpu": round(other_cpu, 3), "inside": "graph_quads"})
        result["stages"].append({"stage": "graph_quads (all)", "wall": round(gq["wall"], 3), "cpu": round(gq["thread_cpu"], 3),
                                 "inside": "graph_quads", "subtotal": True})
        result["stages"].append({"stage": "create_store (bulk load)", "wall": round(total_wall - gq["wall"], 3),
                                 "cpu": round(total_cpu - gq["thread_cpu"], 3), "rss_mib": _mib(st["VmRSS"]),
                                 "peak_rss_mib": _mib(st["VmHWM"]),
                                 "ru_maxrss_mib": _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
                                 "note": "create_store total minus the time spent pulling quads from graph_quads"})
        result["graph_quads_callees"] = inner
        stories = timers.captured.get("cluster_stories")
        relations = timers.captured.get("compare_claims") or ()
        events = timers.captured.get("resolve_events")
        result["counts"].update(
            quads_emitted=emitted,
            relations=len(relations),
            contradictions=sum(1 for r in relations if getattr(r, "kind", "") == "contradiction"),
            stories=len(set(stories.story_of_article.values())) if stories is not None else None,
            largest_story=max(_story_sizes(stories).values(), default=0) if stories is not None else None,
            events=len(getattr(events, "events", ()) or ()) if events is not None else None,
        )
        del timers, stories, relations, events
        result["current_stage"] = None
        save()
        print(f"  [{n}] graph_quads {gq['wall']:.2f} s wall; create_store rest {total_wall - gq['wall']:.2f} s; "
              f"{emitted} quads; peak RSS {_mib(st['VmHWM'])} MiB", file=sys.stderr, flush=True)

        c = begin("analysis_result")
        analysis = analysis_result(store)
        stage("analysis_result", c, quads=len(analysis.quads))
        c = begin("analysis bulk_extend")
        store.bulk_extend(analysis.quads)
        store.flush()
        stage("analysis bulk_extend", c)
        c = begin("render_report_json")
        (work / "report.json").write_text(render_report_json(analysis.data), encoding="utf-8")
        stage("render_report_json", c)
        result["counts"]["quads"] = len(store)
        for fmt in ("trig", "ttl"):
            c = begin(f"export {fmt}")
            export(store, fmt, work / f"graph.{fmt}")
            stage(f"export {fmt}", c, bytes=(work / f"graph.{fmt}").stat().st_size)
            (work / f"graph.{fmt}").unlink()
        c = begin("render_map")
        map_stats = render_map(store, work / "graph.html")
        stage("render_map", c, bytes=(work / "graph.html").stat().st_size)
        c = begin("render_report")
        facts = RunFacts(model=findings_key().model, inputs=tuple(args.sources), skipped=(), duplicates=(), seconds=0.0,
                         map_note=kb._map_note(map_stats), min_confidence=0.0)
        (work / "report.md").write_text(render_report(store, facts, analysis.data), encoding="utf-8")
        stage("render_report", c)
        if in_memory:  # build() writes it on a thread while the map is drawn
            c = begin("persist")
            persist(store, work / "store", work / "store.nq")
            stage("persist", c)
        result["store_bytes"] = sum(p.stat().st_size for p in (work / "store").rglob("*") if p.is_file())
        store = None
        gc.collect()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    st = _status()
    result["peak_rss_mib"] = _mib(st["VmHWM"])
    result["ru_maxrss_mib"] = _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    result["done"] = True
    save()


def _story_sizes(stories: Any) -> dict[Any, int]:
    sizes: dict[Any, int] = {}
    for s in stories.story_of_article.values():
        sizes[s] = sizes.get(s, 0) + 1
    return sizes


# --- the parent: parse once, one child per size, the table ------------------------------------


TABLE_ROWS = (
    "corpus_mentions", "resolve_entities", *INNER, "emission (rest of graph_quads)", "graph_quads (all)",
    "create_store (bulk load)", "analysis_result", "analysis bulk_extend", "render_report_json",
    "export trig", "export ttl", "render_map", "render_report", "persist",
)


def exponent(t_small: float, t_big: float, n_small: int, n_big: int) -> float | None:
    if t_small <= 0 or t_big <= 0 or n_small == n_big:
        return None
    return math.log(t_big / t_small) / math.log(n_big / n_small)


def print_table(runs: list[dict[str, Any]]) -> dict[str, Any]:
    done = [r for r in runs if r.get("stages")]
    sizes = [r["n"] for r in done]
    by = {r["n"]: {s["stage"]: s for s in r["stages"]} for r in done}
    growth: dict[str, Any] = {}
    head = f"{'stage':<32}" + "".join(f"{f'{n:,} wall/cpu s':>20}" for n in sizes)
    pairs = list(zip(sizes, sizes[1:]))
    head += "".join(f"{f'{_short(b)}/{_short(a)}':>9}" for a, b in pairs)
    if len(sizes) >= 2:
        head += f"{'exp wall':>10}{'exp cpu':>9}"
    print(head)
    for name in TABLE_ROWS + ("total",):
        cells = []
        times = {}
        cpus = {}
        for n in sizes:
            if name == "total":
                rows = [s for s in by[n].values() if not s.get("subtotal") and s["stage"] in TABLE_ROWS
                        and s["stage"] not in INNER and s["stage"] != "emission (rest of graph_quads)"]
                rows += [by[n]["graph_quads (all)"]] if "graph_quads (all)" in by[n] else []
                s = {"wall": sum(x["wall"] for x in rows), "cpu": sum(x["cpu"] for x in rows)} if rows else None
            else:
                s = by[n].get(name)
            if s is None:
                cells.append(f"{'–':>20}")
            else:
                times[n] = s["wall"]
                cpus[n] = s["cpu"]
                cells.append(f"{s['wall']:>11.2f} / {s['cpu']:>6.2f}")
        ratios = []
        for a, b in pairs:
            ratios.append(f"{times[b] / times[a]:>9.2f}" if a in times and b in times and times[a] > 0 else f"{'–':>9}")
        ends = len(sizes) >= 2 and sizes[0] in times and sizes[-1] in times
        exp = exponent(times[sizes[0]], times[sizes[-1]], sizes[0], sizes[-1]) if ends else None
        exp_cpu = exponent(cpus[sizes[0]], cpus[sizes[-1]], sizes[0], sizes[-1]) if ends else None
        line = f"{name:<32}" + "".join(cells) + "".join(ratios)
        if len(sizes) >= 2:
            line += f"{exp:>10.2f}" if exp is not None else f"{'–':>10}"
            line += f"{exp_cpu:>9.2f}" if exp_cpu is not None else f"{'–':>9}"
        print(line)
        growth[name] = {"seconds": times, "cpu_seconds": cpus, "exponent": None if exp is None else round(exp, 3),
                        "exponent_cpu": None if exp_cpu is None else round(exp_cpu, 3),
                        "ratios": {f"{b}/{a}": round(times[b] / times[a], 3) for a, b in pairs if a in times and b in times and times[a] > 0}}
    print()
    print(f"{'counts':<32}" + "".join(f"{n:>20,}" for n in sizes))
    keys = ("articles", "distinct_articles", "max_copies", "ner_mentions", "mentions", "claims", "entities", "stories",
            "largest_story", "events", "relations", "contradictions", "quads_emitted", "quads")
    for k in keys:
        vals = [r["counts"].get(k) for r in done]
        print(f"{k:<32}" + "".join(f"{v:>20,}" if isinstance(v, int) else f"{'–':>20}" for v in vals))
    print(f"{'peak RSS MiB (VmHWM)':<32}" + "".join(f"{(r.get('peak_rss_mib') or max((s.get('peak_rss_mib') or 0) for s in r['stages'])):>20,.0f}" for r in done))
    for r in runs:
        if not r.get("done"):
            print(f"N={r['n']}: did not finish ({r.get('failure', '?')}); last stage started: {r.get('current_stage')}")
    return growth


def _short(n: int) -> str:
    """1000 -> '1k', 1817 -> '1817', 300 -> '300'."""
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def source_digest() -> dict[str, Any]:
    """Which code was measured: the commit, whether src/ differs from it, and a digest of src/kgraph."""
    def git(*cmd: str) -> str:
        try:
            return subprocess.run(["git", *cmd], cwd=ROOT, capture_output=True, text=True, timeout=20).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    digest = hashlib.sha256()
    for p in sorted((ROOT / "src" / "kgraph").rglob("*.py")):
        digest.update(p.relative_to(ROOT).as_posix().encode() + b"\0" + p.read_bytes())
    return {"commit": git("rev-parse", "--short", "HEAD"), "src_dirty": bool(git("status", "--porcelain", "src")),
            "src_digest": digest.hexdigest()[:16]}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="1000,5000,10000", help="comma-separated corpus sizes (articles)")
    p.add_argument("--seed", type=int, default=15, help="seed of the fixed shuffle of the distinct articles")
    p.add_argument("--sources", default="news-dev,polnear-dev,meantime-dev,seeds", help=f"comma-separated, of {', '.join(SOURCES)}")
    p.add_argument("--findings-dir", default=str(DEFAULT_FINDINGS), help="where the parsed findings are kept between runs")
    p.add_argument("--work-dir", default=None, help="where each child writes its store and files (a temp dir; deleted)")
    p.add_argument("--timeout", type=float, default=3000.0, help="seconds a size may take before its child is stopped")
    p.add_argument("--output", default=str(RESULTS / "scale.json"))
    p.add_argument("--no-save", action="store_true")
    p.add_argument("--table", metavar="JSON", help="print the table of a saved result (e.g. bench/results/scale.json) and exit")
    p.add_argument("--profile", action="store_true",
                   help="cProfile each child (bench/results/scale-<N>.prof; inflates Python-heavy stages: see what runs, not how long)")
    p.add_argument("--child", type=int, help=argparse.SUPPRESS)
    p.add_argument("--partial", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.sources = [s.strip() for s in args.sources.split(",") if s.strip()]
    unknown = [s for s in args.sources if s not in SOURCES]
    if unknown:
        p.error(f"unknown source(s): {', '.join(unknown)}")
    if args.table:
        print_table(json.loads(Path(args.table).read_text(encoding="utf-8"))["runs"])
        return 0
    if args.child is not None:
        if args.profile:
            import cProfile

            prof = cProfile.Profile()
            try:
                prof.runcall(run_child, args.child, args)
            finally:
                RESULTS.mkdir(parents=True, exist_ok=True)
                prof.dump_stats(str(RESULTS / f"scale-{args.child}.prof"))
        else:
            run_child(args.child, args)
        return 0

    sizes = [int(s) for s in args.sizes.split(",")]
    started = time.perf_counter()
    distinct, corpus_info = load_distinct(args.sources)
    print(f"corpus: {corpus_info['distinct_articles']} distinct articles {corpus_info['distinct_by_source']}", file=sys.stderr)
    parse_info = ensure_findings(distinct, Path(args.findings_dir))
    del distinct
    gc.collect()

    runs: list[dict[str, Any]] = []
    out: dict[str, Any] = {
        "bench": "bench_scale", "date": time.strftime("%Y-%m-%d %H:%M:%S"), "argv": sys.argv[1:],
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "code": source_digest(), "corpus": corpus_info, "findings": parse_info, "seed": args.seed, "runs": runs,
    }
    try:
        import pyoxigraph
        import spacy

        out["machine"].update(spacy=spacy.__version__, pyoxigraph=pyoxigraph.__version__)
    except (ImportError, AttributeError):
        pass
    for n in sizes:
        partial = Path(tempfile.mkstemp(prefix=f"kgraph-scale-{n}-", suffix=".json")[1])
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(n), "--partial", str(partial),
               "--seed", str(args.seed), "--sources", ",".join(args.sources), "--findings-dir", args.findings_dir]
        if args.work_dir:
            cmd += ["--work-dir", args.work_dir]
        if args.profile:
            cmd += ["--profile"]
        print(f"N={n}: child process", file=sys.stderr, flush=True)
        load_before = os.getloadavg()
        t0 = time.perf_counter()
        failure = None
        try:
            proc = subprocess.run(cmd, timeout=args.timeout)
            if proc.returncode != 0:
                failure = f"child exited with code {proc.returncode}" + (" (killed: out of memory?)" if proc.returncode < 0 else "")
        except subprocess.TimeoutExpired:
            failure = f"stopped after the timeout of {args.timeout:.0f} s"
        try:
            run = json.loads(partial.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            run = {"n": n, "stages": [], "counts": {}, "done": False}
        partial.unlink(missing_ok=True)
        run["child_wall"] = round(time.perf_counter() - t0, 1)
        run["loadavg_before"] = [round(x, 2) for x in load_before]
        run["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
        if failure:
            run["failure"] = failure
            print(f"N={n}: {failure}; last stage started: {run.get('current_stage')}", file=sys.stderr)
        runs.append(run)
        if not args.no_save:  # after each size, so a long run leaves what it has
            Path(args.output).parent.mkdir(parents=True, exist_ok=True)
            Path(args.output).write_text(json.dumps(out, indent=1), encoding="utf-8")
    print()
    out["growth"] = print_table(runs)
    out["seconds"] = round(time.perf_counter() - started, 1)
    if not args.no_save:
        Path(args.output).write_text(json.dumps(out, indent=1), encoding="utf-8")
        print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
