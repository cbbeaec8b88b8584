#!/usr/bin/env python3
"""Benchmark of ``kgraph.build`` against spaCy alone on a corpus of ~1,000 articles.

Why this exists: spaCy parsing is the one cost kgraph cannot avoid, so the
number that says whether kgraph itself is fast enough is

    ratio = build wall time / time spaCy alone needs to parse the same texts

with the same pipeline and the same ``nlp.pipe`` settings (batch size,
processes). The target is a ratio of at most 1.5.

The corpus is the five seeds repeated. kgraph builds an identical text only
once (ingest dedupes by content hash), so every copy gets its own file name
(hence id) and one distinct closing sentence ("Copy 0421 of this report was
archived."); the spaCy baseline parses exactly the cleaned texts that
``ingest`` produces from those files, i.e. exactly what the build parses.

Each measurement runs in a fresh child process (this script re-invoked with
``--phase``) so that peak RSS belongs to that measurement alone and neither
measurement inherits warm caches or heap from the other. Every child loads
the model (not timed) and parses the five seed texts once (not timed) before
its clock starts, so both sides pay the same one-off start-up costs outside
the measurement.

The stage breakdown comes from a third child that calls kgraph's stage
functions (``ingest``, ``extract_all``, ``resolve_entities``, ``graph_quads``,
``create_store``, ``export``, ``render_map``, ``render_report``) in the order
``build()`` calls them, with timers between them (``build()`` itself exposes
only total and parse-loop time). Two differences from ``build()``, both needed
to split the clock: ``extract_all`` gets a stand-in pipeline whose ``pipe``
times spaCy's part of the loop (the rest is extraction), and the quad stream is first
generated once on its own (and discarded) to time emission; the store is then
bulk-loaded from a fresh stream as ``build()`` does, and its time is reported
minus that emission time (an estimate). The same run records the process's
peak RSS after each stage, which shows the stage that sets the peak.
``--profile`` adds a cProfile of one real ``build()`` call (profiling overhead
inflates Python-heavy stages, so use it for *what*, not *how much*).

The machine may be shared. ``--repeat K`` alternates the spaCy-alone and the
build measurement K times and takes the fastest of each (the usual estimator
under outside interference); CPU time is reported beside wall time.

Usage (from the repository root)::

    python bench/bench_build.py                  # 1,000 articles, 1 process
    python bench/bench_build.py --articles 200 --processes 2 --json
    python bench/bench_build.py --keep /tmp/kgbench --profile --tracemalloc
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import inspect
import io
import json
import os
import platform
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import spacy
import spacy.about
from spacy.language import Language
from spacy.tokens import Doc

from kgraph.analyze.analyses import analysis_result
from kgraph.build import build, corpus_mentions, extract_all, graph_quads
from kgraph.ingest.sources import ingest
from kgraph.nlp.pipeline import choose_model, load_pipeline
from kgraph.outputs.export import export
from kgraph.rdf.store import STORE_DIRNAME, create_store
from kgraph.outputs.report import RunFacts, render_report
from kgraph.resolve.entities import resolve_entities
from kgraph.outputs.map import render_map

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
RESULTS = Path(__file__).resolve().parent / "results"
TARGET_RATIO = 1.5
# build() does not pass batch_size, so the default of extract_all is what it uses;
# reading it here keeps the baseline in step if that default ever changes.
BATCH_SIZE: int = inspect.signature(extract_all).parameters["batch_size"].default
# build()'s default, used by the stage breakdown's render_map call.
MAX_MAP_NODES: int = inspect.signature(build).parameters["max_map_nodes"].default


# --- corpus -----------------------------------------------------------------


def make_corpus(directory: Path, n_articles: int) -> list[Path]:
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


def corpus_texts(corpus: Path) -> list[str]:
    """The cleaned texts ``build()`` will parse, in its order (ingest is deterministic)."""
    return [a.text for a in ingest([corpus]).articles]


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


def warmed_pipeline(model: str | None) -> tuple[Language, float]:
    """Load the pipeline as the CLI does and parse the seeds once, untimed.

    The first ``nlp.pipe`` call pays lazy initialisation (vectors, thinc ops,
    lemmatizer tables); both measured sides are warmed the same way so the
    ratio compares steady-state work.
    """
    started = time.perf_counter()
    nlp = load_pipeline(model)
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


def phase_spacy(corpus: Path, model: str | None, processes: int) -> dict[str, Any]:
    """spaCy alone: ``nlp.pipe`` over the build's texts with the build's settings, docs discarded."""
    nlp, load_seconds = warmed_pipeline(model)
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


def phase_stages(corpus: Path, out: Path, model: str | None, processes: int) -> dict[str, Any]:
    """build() re-enacted stage by stage with timers in between (see the module docstring)."""
    nlp, _ = warmed_pipeline(model)
    gc.collect()
    rss_before = current_rss_mib()
    clock = StageClock()
    started = time.perf_counter()

    with clock("ingest"):
        ingested = ingest([corpus])
    articles = ingested.articles

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
        resolution = resolve_entities(found, ())

    out.mkdir(parents=True, exist_ok=True)
    staging = out / f".staging-bench-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    with clock("emission (RDF quads)"):
        quad_count = sum(1 for _ in graph_quads(articles, findings, found, resolution))
    emission_seconds = clock.seconds["emission (RDF quads)"]
    loading = time.perf_counter()
    store = create_store(staging / STORE_DIRNAME, graph_quads(articles, findings, found, resolution))
    clock.add("store (bulk load, est.)", time.perf_counter() - loading - emission_seconds)
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
        (staging / "report.md").write_text(render_report(store, facts, analysis_result(store).data), encoding="utf-8")
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
        "--corpus", str(corpus), "--out", str(out), "--processes", str(args.processes),
        *(["--model", args.model] if args.model else []), *extra,
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
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000, help="articles in the corpus (default 1000)")
    parser.add_argument("--processes", type=int, default=1, help="nlp.pipe n_process, for the build and the baseline (default 1)")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: what kgraph would choose)")
    parser.add_argument("--json", action="store_true", help="also print one machine-readable JSON line")
    parser.add_argument("--keep", type=Path, default=None, help="write corpus and build output under DIR and keep them")
    parser.add_argument("--repeat", type=int, default=1, help="alternate the spaCy-alone and build measurements K times, keep the fastest of each (default 1)")
    parser.add_argument("--no-stages", action="store_true", help="skip the stage breakdown (saves one parse of the corpus)")
    parser.add_argument("--profile", action="store_true", help="also cProfile one build (writes a .prof into bench/results/)")
    parser.add_argument("--tracemalloc", action="store_true", help="also run one build under tracemalloc (Python heap peak; slower, not timed)")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/*.json")
    # Internal: one measurement in this (child) process.
    parser.add_argument("--phase", choices=("spacy", "build", "stages", "profile", "tracemalloc"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.phase:
        return _child(args)
    if min(args.articles, args.processes, args.repeat) < 1:
        parser.error("--articles, --processes and --repeat must be positive")

    env = environment(args.model)  # before measuring: the commit measured, not the one at the end
    with _workdir(args.keep) as work:
        corpus, out = work / "corpus", work / "out"
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        make_corpus(corpus, args.articles)
        _say(f"corpus: {args.articles} articles in {corpus}; batch_size={BATCH_SIZE}, n_process={args.processes}")

        baselines: list[dict[str, Any]] = []
        builds: list[dict[str, Any]] = []
        for round_ in range(1, args.repeat + 1):
            _say(f"[{round_}/{args.repeat}] spaCy alone ...")
            baselines.append(run_phase("spacy", args, corpus, out))
            _say(f"  {baselines[-1]['seconds']:.1f} s")
            _say(f"[{round_}/{args.repeat}] build ...")
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

    result = _summarise(args, env, baselines, builds, stages, traced, profile)
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
        "spacy": lambda: phase_spacy(args.corpus, args.model, args.processes),
        "build": lambda: phase_build(args.corpus, args.out, args.model, args.processes),
        "tracemalloc": lambda: phase_build(args.corpus, args.out, args.model, args.processes, trace=True),
        "stages": lambda: phase_stages(args.corpus, args.out, args.model, args.processes),
        "profile": lambda: phase_profile(args.corpus, args.out, args.model, args.processes, args.dump),
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


def _say(message: str) -> None:
    """Progress goes to stderr so stdout stays the result (and the --json line)."""
    print(message, file=sys.stderr, flush=True)


def _summarise(
    args: argparse.Namespace,
    env: dict[str, Any],
    baselines: list[dict[str, Any]],
    builds: list[dict[str, Any]],
    stages: dict[str, Any] | None,
    traced: dict[str, Any] | None,
    profile: dict[str, Any] | None,
) -> dict[str, Any]:
    """One result: the fastest build and the fastest baseline; every run is kept under ``runs``."""
    baseline = min(baselines, key=lambda b: b["seconds"])
    built = min(builds, key=lambda b: b["seconds"])
    if built["articles"] != baseline["articles"] or built["duplicates"] or built["skipped"]:
        raise SystemExit(
            f"corpus mismatch: build kept {built['articles']} articles ({built['duplicates']} duplicates, "
            f"{built['skipped']} skipped), the baseline parsed {baseline['articles']}"
        )
    ratio = built["seconds"] / baseline["seconds"]
    return {
        "date": dt.date.today().isoformat(),
        "environment": env,
        "settings": {"articles": args.articles, "processes": args.processes, "batch_size": BATCH_SIZE, "repeat": args.repeat},
        "corpus": {"articles": baseline["articles"], "characters": baseline["characters"], "tokens": baseline["tokens"]},
        "articles_per_second": built["articles"] / built["seconds"],
        "build_seconds": built["seconds"],
        "build_parse_seconds": built["parse_seconds"],
        "build_non_parse_seconds": built["seconds"] - built["parse_seconds"],
        "spacy_alone_seconds": baseline["seconds"],
        "spacy_alone_tokens_per_second": baseline["tokens"] / baseline["seconds"],
        "ratio": ratio,
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
    dirty = " + uncommitted src changes" if env["src_modified"] else ""
    print(f"\nkgraph build benchmark ({r['date']}; commit {env['git_commit']}{dirty}; {env['model']} {env['model_version']}, "
          f"spaCy {env['spacy']}, Python {env['python']}, {env['cpus']} CPUs)")
    print(f"corpus: {c['articles']} articles, {c['characters']:,} characters, {c['tokens']:,} tokens; "
          f"batch_size={r['settings']['batch_size']}, n_process={r['settings']['processes']}")
    rows = [
        ("articles / second (build)", f"{r['articles_per_second']:.2f}"),
        ("build wall time", f"{r['build_seconds']:.1f} s" + _runs(r["runs"]["build_seconds"])),
        ("  of which parse loop (BuildResult.parse_seconds)", f"{r['build_parse_seconds']:.1f} s"),
        ("  of which everything else", f"{r['build_non_parse_seconds']:.1f} s"),
        (
            "spaCy alone, same texts and pipe settings",
            f"{r['spacy_alone_seconds']:.1f} s ({r['spacy_alone_tokens_per_second']:,.0f} tokens/s)" + _runs(r["runs"]["spacy_alone_seconds"]),
        ),
        ("ratio build / spaCy alone", f"{r['ratio']:.2f}  (target <= {r['target_ratio']}: {'met' if r['meets_target'] else 'MISSED'})"),
        (
            "CPU-time ratio (less sensitive to other load)",
            f"{r['cpu_ratio']:.2f}  (build {r['build_cpu_seconds']:.1f} s / spaCy {r['spacy_alone_cpu_seconds']:.1f} s CPU)",
        ),
        ("1-min load average at the end", f"{r['load_average_at_end']:.2f} on {env['cpus']} CPUs"),
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
        print(f"  {'stage':<32} {'seconds':>10}  {'% total':>7}  {'% non-spaCy':>11}  {'peak RSS so far':>15}")
        for name, secs in s["stages"].items():  # pipeline order
            rest = f"{100 * secs / (total - parse):10.1f}%" if name != "spaCy parse (inside the build)" and total > parse else f"{'':11}"
            print(f"  {name:<32} {secs:8.2f} s  {100 * secs / total:6.1f}%  {rest}  {s['peak_rss_after_mib'][name]:11.0f} MiB")
        print(f"  {'non-spaCy total':<32} {total - parse:8.2f} s")
    if profile:
        print(f"\ncProfile of one build ({profile['profile_file']}), top by own time:")
        print("\n".join(profile["tables"]["tottime"].splitlines()[:40]))


def _runs(values: list[float]) -> str:
    """" (runs: a, b)" when there was more than one run, else nothing."""
    return f"  (fastest of {', '.join(f'{v:.1f}' for v in values)})" if len(values) > 1 else ""


if __name__ == "__main__":
    sys.exit(main())
