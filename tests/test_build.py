"""The whole build on the seeds: outputs, named graphs, cross-article merges, stable IRIs, safety."""

from __future__ import annotations

import gc
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest
import rdflib
from conftest import SEEDS
from pyoxigraph import RdfFormat, Store, parse
from spacy.language import Language

import kgraph.build as build_module
import kgraph.outputs.report as report_module
from kgraph.build import EXPORT_FILES, OUTPUT_FILES, BuildResult, build
from kgraph.commit import JOURNAL, recover
from kgraph.errors import NothingToBuildError, OutputError
from kgraph.outputs.export import export
from kgraph.outputs.report import RunFacts, render_report
from kgraph.serve.query import Table, run_query
from kgraph.rdf.store import open_store


def select(store: Store, sparql: str) -> list[dict[str, str]]:
    table = run_query(store, sparql)
    assert isinstance(table, Table)
    return [dict(zip(table.columns, row)) for row in table.rows]


@pytest.fixture(scope="module")
def store(seeds_build: BuildResult) -> Store:
    return open_store(seeds_build.out_dir)


def test_all_outputs_are_written(seeds_build: BuildResult) -> None:
    for name in OUTPUT_FILES:
        assert (seeds_build.out_dir / name).stat().st_size > 0
    assert (seeds_build.out_dir / "store").is_dir()
    assert not list(seeds_build.out_dir.glob(".staging-*"))
    assert len(seeds_build.articles) == 5


def test_one_named_graph_per_article_plus_entity_and_analysis_graphs(store: Store) -> None:
    graphs = {g.value for g in store.named_graphs()}
    articles = {g for g in graphs if "/graph/article/" in g}
    assert len(articles) == 5
    assert {"https://w3id.org/kgraph/graph/entities", "https://w3id.org/kgraph/graph/analysis"} <= graphs
    # "According to which article?" is a GRAPH clause.
    rows = select(store, "SELECT ?g WHERE { GRAPH ?g { ?a schema:identifier '003_d14ddbe9530e48af' } }")
    assert rows == [{"g": "https://w3id.org/kgraph/graph/article/003_d14ddbe9530e48af"}]


@pytest.mark.parametrize(
    ("label", "kind", "variants"),
    [
        ("Kyrylo Budanov", "Person", {"Kyrylo O. Budanov", "Budanov", "Major-General Kyrylo Budanov"}),
        ("Sergei Surovikin", "Person", {"Sergey Surovikin"}),
        ("Ukrainska Pravda", "Organization", {"Ukrajinska Pravda", "Ukrainian Pravda"}),
        ("Kherson", "Place", {"Cherson"}),
    ],
)
def test_cross_article_merges_on_the_seeds(store: Store, label: str, kind: str, variants: set[str]) -> None:
    rows = select(store, f'SELECT ?e ?alt WHERE {{ ?e rdfs:label "{label}" ; a schema:{kind} . OPTIONAL {{ ?e skos:altLabel ?alt }} }}')
    assert len({r["e"] for r in rows}) == 1, rows
    assert variants <= {r["alt"] for r in rows}
    merges = select(store, f'SELECT ?form ?rule ?why WHERE {{ ?e rdfs:label "{label}" ; kg:merge ?m . ?m kg:mergedForm ?form ; kg:mergeRule ?rule ; rdfs:comment ?why }}')
    assert variants <= {r["form"] for r in merges}
    assert all(r["why"] for r in merges)


def test_budanov_is_one_person_mentioned_by_every_seed(store: Store) -> None:
    rows = select(store, 'SELECT DISTINCT ?id WHERE { ?e rdfs:label "Kyrylo Budanov" . ?a schema:mentions ?e ; schema:identifier ?id }')
    assert len(rows) == 5


def test_no_fragment_or_furniture_is_an_entity(store: Store) -> None:
    # Named entities only: collective sources ("three governments") are labelled as written.
    names = [r["l"] for r in select(store, "SELECT ?l WHERE { ?e a ?t ; rdfs:label ?l . VALUES ?t { schema:Person schema:Organization schema:Place schema:Event } FILTER NOT EXISTS { ?e a kg:CollectiveSource } FILTER NOT EXISTS { ?e a kg:Event } }")]
    for name in names:
        assert name[0].isupper() or name[0].isdigit(), name
        assert "/" not in name and "Posts" not in name and "Views" not in name and "\n" not in name
    assert "Video / Supplied" not in names and "Major-General" not in names and "Ukrainian" not in names


def test_every_mention_points_exactly_at_the_stored_text(store: Store) -> None:
    rows = select(
        store,
        """SELECT ?text ?b ?e ?anchor ?sb ?se WHERE {
             ?m a kg:EntityMention ; nif:beginIndex ?b ; nif:endIndex ?e ; nif:anchorOf ?anchor ;
                nif:referenceContext ?a ; nif:sentence ?s . ?a nif:isString ?text .
             ?s nif:beginIndex ?sb ; nif:endIndex ?se }""",
    )
    assert len(rows) > 200
    for r in rows:
        b, e = int(r["b"]), int(r["e"])
        assert r["text"][b:e] == r["anchor"]
        assert int(r["sb"]) <= b and e <= int(r["se"])


def test_seed_metadata(store: Store) -> None:
    rows = select(store, "SELECT ?d WHERE { ?a schema:identifier '000_2ed4ab707bf7d13e' ; schema:datePublished ?d }")
    assert rows == [{"d": "2022-10-24"}]


def test_iris_are_stable_across_runs_and_input_order(tmp_path: Path, nlp: Language, seeds_build: BuildResult) -> None:
    files = sorted(SEEDS.glob("*.txt"), reverse=True)
    again = build([str(f) for f in files], tmp_path / "again", nlp=nlp)

    def subjects(out: Path) -> set[str]:
        g = rdflib.Dataset()
        g.parse(out / "graph.trig", format="trig")
        return {str(s) for s, _, _, _ in g.quads((None, None, None, None)) if isinstance(s, rdflib.URIRef)}

    assert subjects(again.out_dir) == subjects(seeds_build.out_dir)


def _digest(out: Path) -> dict[str, str]:
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in OUTPUT_FILES}


def test_build_with_nothing_valid_fails_and_keeps_previous_outputs(tmp_path: Path, nlp: Language) -> None:
    out = tmp_path / "out"
    build([SEEDS / "001_2971140ada78fed4.txt"], out, nlp=nlp)
    before = _digest(out)
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    with pytest.raises(NothingToBuildError, match="empty.txt"):
        build([tmp_path / "empty.txt", tmp_path / "missing.txt"], out, nlp=nlp)
    assert _digest(out) == before
    assert len(list(open_store(out).named_graphs())) == 3


def test_build_failing_midway_keeps_previous_outputs(tmp_path: Path, nlp: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build([SEEDS / "001_2971140ada78fed4.txt"], out, nlp=nlp)
    before = _digest(out)

    def broken_map(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(build_module, "render_map", broken_map)
    with pytest.raises(RuntimeError, match="disk full"):
        build([SEEDS], out, nlp=nlp)
    assert _digest(out) == before
    # Nothing half-written is left behind: only the outputs, the cache and the lock file.
    assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUT_FILES, "store", "cache", ".kgraph.lock"])
    ids = select(open_store(out), "SELECT ?id WHERE { ?a schema:identifier ?id }")
    assert ids == [{"id": "001_2971140ada78fed4"}]


def test_an_export_failing_in_its_thread_is_a_clean_one_line_error(
    tmp_path: Path, nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build([SEEDS / "001_2971140ada78fed4.txt"], out, nlp=nlp)
    before = _digest(out)

    def turtle_failing(trig: Path, output: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_module, "turtle_from_trig", turtle_failing)
    with pytest.raises(OutputError, match="No space left on device"):
        build([SEEDS], out, nlp=nlp)
    assert _digest(out) == before  # the TriG written before it on that thread never reached out/
    assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUT_FILES, "store", "cache", ".kgraph.lock"])


def _sorted_nquads(out: Path) -> list[str]:
    store = open_store(out)
    return sorted(store.dump(None, RdfFormat.N_QUADS).decode("utf-8").splitlines())


def test_a_corpus_over_the_memory_bound_is_built_on_disk_into_the_same_graph(
    tmp_path: Path, nlp: Language, seeds_build: BuildResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The in-memory working store is a speed-up only: the graph on disk is the same quad for quad."""
    assert sum(len(a.text) for a in seeds_build.articles) <= build_module.MEMORY_STORE_MAX_CHARS  # the seeds took the memory path
    real_create = build_module.create_store
    modes: list[bool] = []

    def spy(path: Path, quads: object, *, in_memory: bool = False) -> Store:
        modes.append(in_memory)
        return real_create(path, quads, in_memory=in_memory)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "create_store", spy)
    monkeypatch.setattr(build_module, "MEMORY_STORE_MAX_CHARS", 0)
    on_disk = build([SEEDS], tmp_path / "disk", nlp=nlp)
    assert modes == [False]
    assert not list((tmp_path / "disk").rglob("store.nq"))
    assert _sorted_nquads(on_disk.out_dir) == _sorted_nquads(seeds_build.out_dir)


def test_writing_the_store_to_disk_failing_in_its_thread_keeps_the_previous_build(
    tmp_path: Path, nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build([SEEDS / "001_2971140ada78fed4.txt"], out, nlp=nlp)
    before = _digest(out)
    real_persist = build_module.persist

    def persist_failing(store: Store, path: Path, scratch: Path) -> None:
        real_persist(store, path, scratch)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_module, "persist", persist_failing)
    with pytest.raises(OutputError, match="No space left on device"):
        build([SEEDS], out, nlp=nlp)
    assert _digest(out) == before
    assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUT_FILES, "store", "cache", ".kgraph.lock"])
    assert [r["id"] for r in select(open_store(out), "SELECT ?id WHERE { ?a schema:identifier ?id }")] == ["001_2971140ada78fed4"]


def test_identical_article_twice_is_built_once(tmp_path: Path, nlp: Language) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    text = (SEEDS / "003_d14ddbe9530e48af.txt").read_text(encoding="utf-8")
    (tmp_path / "a" / "x.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b" / "y.txt").write_text(text, encoding="utf-8")
    result = build([tmp_path / "a", tmp_path / "b"], tmp_path / "out", nlp=nlp)
    assert len(result.articles) == 1
    assert len(result.duplicates) == 1


def test_publisher_from_records_becomes_an_organisation(tmp_path: Path, nlp: Language) -> None:
    src = tmp_path / "articles.jsonl"
    src.write_text(
        '{"id": "n1", "text": "Kyrylo Budanov said Russia was reinforcing Kherson.", "outlet": "The Times", "date": "2022-10-25", "title": "Budanov speaks", "url": "https://example.org/n1"}\n',
        encoding="utf-8",
    )
    store = open_store(build([src], tmp_path / "out", nlp=nlp).out_dir)
    rows = select(store, "SELECT ?h ?u ?d ?o WHERE { ?a schema:identifier 'n1' ; schema:headline ?h ; schema:url ?u ; schema:datePublished ?d ; schema:publisher ?p . ?p a schema:Organization ; rdfs:label ?o }")
    assert rows == [{"h": "Budanov speaks", "u": "https://example.org/n1", "d": "2022-10-25", "o": "The Times"}]


def test_report_names_counts_and_most_mentioned_entities(seeds_build: BuildResult) -> None:
    report = (seeds_build.out_dir / "report.md").read_text(encoding="utf-8")
    assert "## Articles read" in report and "## Entities by type" in report
    top = report.split("## Most-mentioned entities")[1].split("##")[0]
    rows = [ln for ln in top.splitlines() if ln.startswith("| ") and "---" not in ln][1:]
    first_names = [r.split("|")[1].strip() for r in rows[:3]]
    assert "Kherson" in first_names and "Kyrylo Budanov" in first_names
    budanov = next(r for r in rows if r.startswith("| Kyrylo Budanov "))
    assert budanov.count("\\_") == 5  # five article ids (underscores escaped for Markdown)


def test_people_who_share_a_surname_stay_apart_end_to_end(tmp_path: Path, nlp: Language) -> None:
    (tmp_path / "a.txt").write_text(
        "Oleksandr Kovalenko, a farmer near Kherson, said the bridge was destroyed. Kovalenko left on Monday.\n", encoding="utf-8"
    )
    (tmp_path / "b.txt").write_text(
        "Iryna Kovalenko, the mayor of Mykolaiv, said the city had water again. Kovalenko thanked the engineers.\n", encoding="utf-8"
    )
    store = open_store(build([tmp_path / "a.txt", tmp_path / "b.txt"], tmp_path / "out", nlp=nlp).out_dir)
    rows = select(store, "SELECT ?l ?id WHERE { ?e a schema:Person ; rdfs:label ?l . ?a schema:mentions ?e ; schema:identifier ?id FILTER(CONTAINS(?l, 'Kovalenko')) } ORDER BY ?l")
    assert rows == [{"l": "Iryna Kovalenko", "id": "b"}, {"l": "Oleksandr Kovalenko", "id": "a"}]


def test_html_article_is_built_with_its_metadata(tmp_path: Path, nlp: Language) -> None:
    paragraphs = [
        "Russia’s army has not abandoned Kherson city and is instead reinforcing it ahead of a major battle, Ukraine’s military spy chief has said.",
        "Major-General Kyrylo Budanov told the Ukrainska Pravda newspaper that Russian forces wanted to draw Ukraine’s army into urban combat.",
        "Earlier this month, Russian commander General Sergei Surovikin hinted that the city would be abandoned.",
        "Kherson is the most significant city that Russian forces captured during their initial invasion of Ukraine.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    (tmp_path / "story.html").write_text(
        "<html><head><title>Russia reinforces Kherson | Example News</title>"
        '<meta property="og:site_name" content="Example News"><meta name="date" content="2022-10-24"></head>'
        f"<body><nav>Home | World | Sport</nav><article><h1>Russia reinforces Kherson</h1>{body}</article>"
        "<footer>Copyright Example News. Subscribe to our newsletter.</footer></body></html>",
        encoding="utf-8",
    )
    store = open_store(build([tmp_path / "story.html"], tmp_path / "out", nlp=nlp).out_dir)
    rows = select(store, "SELECT ?h ?d ?o ?text WHERE { ?a schema:headline ?h ; schema:datePublished ?d ; schema:publisher/rdfs:label ?o ; nif:isString ?text }")
    assert len(rows) == 1
    assert (rows[0]["h"], rows[0]["d"], rows[0]["o"]) == ("Russia reinforces Kherson", "2022-10-24", "Example News")
    assert "Subscribe" not in rows[0]["text"] and "Home | World" not in rows[0]["text"]
    assert paragraphs[1] in rows[0]["text"]
    assert run_query(store, 'ASK { ?e rdfs:label "Kyrylo Budanov" ; a schema:Person }') is True


def test_report_md_cuts_the_lists_that_grow_with_the_corpus_and_names_the_query_for_all(
    seeds_build: BuildResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_module, "TOP_ARTICLES", 2)
    monkeypatch.setattr(report_module, "TOP_MERGES", 3)
    monkeypatch.setattr(report_module, "IDS_PER_ENTITY", 2)
    store = open_store(seeds_build.out_dir)
    analysis = json.loads((seeds_build.out_dir / "report.json").read_text(encoding="utf-8"))
    report = render_report(store, RunFacts("m", (), (), (), 1.0, ""), analysis)

    read = report.split("## Articles read (the first 2 by id)")[1].split("\n## ")[0]
    assert len([ln for ln in read.splitlines() if ln.startswith("| 00")]) == 2
    assert "… and 3 more articles" in read
    query = read.split("`kgraph query '")[1].split("'`")[0]
    assert len(select(store, query)) == 5  # the query it names lists every article
    budanov = next(ln for ln in report.splitlines() if ln.startswith("| Kyrylo Budanov "))
    assert budanov.count("\\_") == 2 and budanov.endswith("… (+3) |")
    merged = report.split("## Names merged (")[1].split("\n## ")[0]
    assert ", the first 3 by name)" in merged.splitlines()[0]
    assert len([ln for ln in merged.splitlines() if ln.startswith("| ") and "---" not in ln]) == 1 + 3
    assert "more: `kgraph query -f queries/merges.rq`" in merged


def test_no_exports_leaves_out_trig_and_turtle_and_removes_an_earlier_builds(tmp_path: Path, nlp: Language) -> None:
    out = tmp_path / "out"
    two = [SEEDS / "001_2971140ada78fed4.txt", SEEDS / "003_d14ddbe9530e48af.txt"]
    build(two[:1], out, nlp=nlp)
    assert all((out / f).is_file() for f in EXPORT_FILES)
    lean = build(two[:1], out, nlp=nlp, exports=False)
    assert lean.outputs == ("graph.html", "report.md", "report.json")
    assert not any((out / f).exists() for f in EXPORT_FILES)  # an earlier build's would describe another graph
    assert all((out / f).stat().st_size > 0 for f in lean.outputs)
    # --into keeps the choice, and the store still has every quad: `kgraph export` writes them on demand.
    grown = build(two[1:], out, into=True, nlp=nlp)
    assert grown.outputs == lean.outputs and not (out / "graph.trig").exists()
    export(open_store(out), "trig", tmp_path / "later.trig")
    assert set(parse(path=str(tmp_path / "later.trig"), format=RdfFormat.TRIG)) == set(Store.read_only(str(out / "store")))
    assert build(two, out, nlp=nlp, exports=True).outputs == OUTPUT_FILES and (out / "graph.ttl").stat().st_size > 0


def test_a_commit_killed_after_its_journal_still_removes_what_it_leaves_out(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / ".staging-1-abc" / "store").mkdir(parents=True)
    (out / ".staging-1-abc" / "report.md").write_text("new")
    (out / "graph.ttl").write_text("old")
    (out / "report.md").write_text("old")
    (out / JOURNAL).write_text('{"staging": ".staging-1-abc", "entries": ["store", "report.md"], "remove": ["graph.ttl"]}')
    assert recover(out)
    assert sorted(p.name for p in out.iterdir()) == ["report.md", "store"]
    assert (out / "report.md").read_text() == "new"


def test_a_file_gone_between_listing_and_syncing_does_not_fail_the_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A store's engine may drop an obsolete log of its own while the commit walks the staging directory;
    # that file needs no fsync, and the build must still land.
    import kgraph.commit as commit_module

    out = tmp_path / "out"
    out.mkdir()
    staging = commit_module.new_staging(out)
    (staging / "store").mkdir()
    (staging / "store" / "000012.sst").write_text("kept")
    (staging / "report.md").write_text("new")
    real_walk = os.walk

    def walk_listing_a_ghost(root: Any, *args: Any, **kwargs: Any) -> Any:
        for dirpath, dirnames, filenames in real_walk(root, *args, **kwargs):
            yield dirpath, dirnames, [*filenames, "000008.log"]  # listed, then removed before it is opened

    monkeypatch.setattr(commit_module.os, "walk", walk_listing_a_ghost)
    commit_module.commit(staging, out, ["store", "report.md"])
    assert (out / "report.md").read_text() == "new" and (out / "store" / "000012.sst").read_text() == "kept"
    assert not staging.exists() and not commit_module.pending(out)


def _freeze_counts_at_resolution(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """``gc.get_freeze_count()`` each time the build reaches entity resolution (after the parse)."""
    seen: list[int] = []
    resolve = build_module.resolve_entities

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.get_freeze_count())
        return resolve(*args, **kwargs)

    monkeypatch.setattr(build_module, "resolve_entities", watched)
    return seen


def test_the_findings_are_frozen_for_the_corpus_wide_stages_and_thawed_after(
    tmp_path: Path, nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _freeze_counts_at_resolution(monkeypatch)
    build([SEEDS / "001_2971140ada78fed4.txt"], tmp_path / "out", nlp=nlp)
    assert seen and seen[0] > 0  # the collector skipped what the parse left alive
    assert gc.get_freeze_count() == 0  # and gets it back when the build is over, failed or not
    monkeypatch.setattr(build_module, "render_map", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("disk full")))
    with pytest.raises(RuntimeError, match="disk full"):
        build([SEEDS / "001_2971140ada78fed4.txt"], tmp_path / "again", nlp=nlp)
    assert gc.get_freeze_count() == 0


def test_a_caller_who_froze_objects_keeps_them_frozen(tmp_path: Path, nlp: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    gc.freeze()
    try:
        mine = gc.get_freeze_count()
        seen = _freeze_counts_at_resolution(monkeypatch)
        build([SEEDS / "001_2971140ada78fed4.txt"], tmp_path / "out", nlp=nlp)
        # The build froze nothing on top (frozen objects that die leave the count, so it only falls)
        # and did not thaw the caller's.
        assert len(seen) == 1 and 0 < seen[0] <= mine
        assert 0 < gc.get_freeze_count() <= mine
    finally:
        gc.unfreeze()
