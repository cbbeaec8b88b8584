"""`kgraph serve`: the seeds build behind a real Oxigraph server, driven by real SPARQL clients."""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from conftest import REPO, SEEDS
from pyoxigraph import Literal, NamedNode, Quad, QueryResultsFormat, parse_query_results
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from spacy.language import Language
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from typer.testing import CliRunner

from kgraph.build import BuildResult, build
from kgraph.cli import app
from kgraph.serve.query import Table, run_query, term_text
from kgraph.rdf.store import create_store, open_store
from kgraph.serve.endpoint import (
    EndpointServer,
    ServeOptions,
    _log_grew,
    _LogWatch,
    is_loopback,
)
from kgraph.serve.sparql import inject_prefixes, uses_remote_fetch

QUERIES = sorted((REPO / "queries").glob("*.rq"))
PERSONS = "SELECT ?p ?name WHERE { ?p a schema:Person ; rdfs:label ?name } ORDER BY ?name"
PERSON_GRAPH = "CONSTRUCT { ?p a schema:Person ; rdfs:label ?name } WHERE { ?p a schema:Person ; rdfs:label ?name }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 3,380³ rows: hours, not seconds


def start(out_dir: Path, **options: object) -> Iterator[EndpointServer]:
    server = EndpointServer(out_dir, ServeOptions(port=0, access_log=False, **options))  # type: ignore[arg-type]
    server.start()
    server.serve_in_thread()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def endpoint(seeds_build: BuildResult) -> Iterator[EndpointServer]:
    yield from start(seeds_build.out_dir)


@pytest.fixture(scope="module")
def limited(seeds_build: BuildResult) -> Iterator[EndpointServer]:
    yield from start(seeds_build.out_dir, timeout=0.5, max_result_bytes=2_000)


def request(server: EndpointServer, method: str, path: str, body: bytes | None = None, **headers: str) -> tuple[int, str, bytes]:
    """One request with the path sent exactly as given (no client-side normalisation)."""
    host, port = server.address
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers={k.replace("_", "-"): v for k, v in headers.items()})
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        conn.close()


def get(server: EndpointServer, query: str, accept: str = "application/sparql-results+json") -> tuple[int, str, bytes]:
    return request(server, "GET", "/query?" + urllib.parse.urlencode({"query": query}), Accept=accept)


def local_rows(server: EndpointServer, query: str) -> Counter[tuple[str, ...]]:
    """What `kgraph query` answers (the same function the CLI calls)."""
    result = run_query(open_store(server.out_dir), query)
    assert isinstance(result, Table)
    return Counter(result.rows)


def one_line(body: bytes) -> str:
    text = body.decode("utf-8")
    assert text.endswith("\n") and text.count("\n") == 1, text
    return text.strip()


# --- the example queries, through three real clients -------------------------------------------------


def rows_by_urllib(server: EndpointServer, query: str) -> Counter[tuple[str, ...]]:
    request = urllib.request.Request(
        server.url + "query",
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        solutions = parse_query_results(response.read(), QueryResultsFormat.JSON)
    names = [v.value for v in solutions.variables]
    return Counter(tuple(term_text(s[n]) for n in names) for s in solutions)


def rows_by_sparqlwrapper(server: EndpointServer, query: str) -> Counter[tuple[str, ...]]:
    client = SPARQLWrapper(server.url + "query")
    client.setQuery(query)
    client.setReturnFormat(JSON)
    answer = client.queryAndConvert()
    assert isinstance(answer, dict)
    names = answer["head"]["vars"]

    def text(binding: dict[str, str] | None) -> str:
        if binding is None:
            return ""
        if binding["type"] == "uri":
            return term_text(NamedNode(binding["value"]))
        return "_:" + binding["value"] if binding["type"] == "bnode" else binding["value"]

    return Counter(tuple(text(b.get(n)) for n in names) for b in answer["results"]["bindings"])


def rows_by_rdflib(server: EndpointServer, query: str) -> Counter[tuple[str, ...]]:
    graph = rdflib.Graph(store=SPARQLStore(server.url + "query", returnFormat="xml"))
    result = graph.query(query)

    def text(term: rdflib.term.Node | None) -> str:
        if term is None:
            return ""
        return term_text(NamedNode(str(term))) if isinstance(term, rdflib.URIRef) else str(term)

    return Counter(tuple(text(row[v]) for v in result.vars) for row in result)  # type: ignore[index,union-attr]


CLIENTS = {"urllib": rows_by_urllib, "SPARQLWrapper": rows_by_sparqlwrapper, "rdflib-SPARQLStore": rows_by_rdflib}


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("query_file", QUERIES, ids=[q.name for q in QUERIES])
def test_every_example_query_answers_as_kgraph_query_does(endpoint: EndpointServer, query_file: Path, client: str) -> None:
    query = query_file.read_text(encoding="utf-8")
    expected = local_rows(endpoint, query)
    assert expected, "the example query should find something in the seeds"
    assert CLIENTS[client](endpoint, query) == expected


# --- the SPARQL 1.1 Protocol: methods, encodings, content negotiation ---------------------------------


def test_get_and_both_post_encodings_give_the_same_answer(endpoint: EndpointServer) -> None:
    by_get = get(endpoint, PERSONS)
    form = request(
        endpoint, "POST", "/query", urllib.parse.urlencode({"query": PERSONS}).encode(),
        Content_Type="application/x-www-form-urlencoded", Accept="application/sparql-results+json",
    )
    direct = request(
        endpoint, "POST", "/query", PERSONS.encode(),
        Content_Type="application/sparql-query", Accept="application/sparql-results+json",
    )
    assert by_get[0] == form[0] == direct[0] == 200
    assert json.loads(by_get[2]) == json.loads(form[2]) == json.loads(direct[2])
    assert len(json.loads(by_get[2])["results"]["bindings"]) == sum(local_rows(endpoint, PERSONS).values())


def test_select_results_in_json_xml_csv_and_tsv(endpoint: EndpointServer) -> None:
    status, kind, body = get(endpoint, PERSONS)
    assert status == 200 and kind.startswith("application/sparql-results+json")
    expected = [(b["p"]["value"], b["name"]["value"]) for b in json.loads(body)["results"]["bindings"]]
    assert expected
    for accept, fmt in (("application/sparql-results+xml", QueryResultsFormat.XML), ("text/tab-separated-values", QueryResultsFormat.TSV)):
        status, kind, body = get(endpoint, PERSONS, accept)
        assert status == 200 and kind.startswith(accept)
        assert [(s["p"].value, s["name"].value) for s in parse_query_results(body, fmt)] == expected
    status, kind, body = get(endpoint, PERSONS, "text/csv")
    assert status == 200 and kind.startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0] == ["p", "name"] and [tuple(r) for r in rows[1:]] == expected


def test_ask_results_in_json_and_xml(endpoint: EndpointServer) -> None:
    status, _, body = get(endpoint, 'ASK { ?p rdfs:label "Kyrylo Budanov" }')
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = get(endpoint, 'ASK { ?p rdfs:label "Nobody" }', "application/sparql-results+xml")
    assert status == 200 and bool(parse_query_results(body, QueryResultsFormat.XML)) is False


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")],
)
def test_construct_results_in_turtle_ntriples_and_jsonld(endpoint: EndpointServer, accept: str, rdflib_format: str) -> None:
    status, kind, body = get(endpoint, PERSON_GRAPH, accept)
    assert status == 200 and kind.startswith(accept)
    graph = rdflib.Graph().parse(data=body, format=rdflib_format)
    persons = sum(local_rows(endpoint, PERSONS).values())
    assert len(graph) == 2 * persons
    assert (None, rdflib.RDFS.label, rdflib.Literal("Kyrylo Budanov")) in graph


def test_default_graph_is_the_union_and_graph_clauses_name_articles(endpoint: EndpointServer) -> None:
    query = 'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?m nif:anchorOf "Cherson" } }'
    status, _, body = get(endpoint, query)
    assert status == 200
    graphs = {b["g"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert graphs == {"https://w3id.org/kgraph/graph/article/003_d14ddbe9530e48af"}


def test_a_syntax_error_is_the_engines_400(endpoint: EndpointServer) -> None:
    status, _, body = get(endpoint, "SELECT WHERE {")
    assert status == 400 and body


# --- what is refused ---------------------------------------------------------------------------------


def test_updates_are_refused_by_default_in_every_encoding(endpoint: EndpointServer) -> None:
    update = 'INSERT DATA { <http://example.org/x> <http://example.org/p> "x" }'
    attempts = [
        ("/update", urllib.parse.urlencode({"update": update}).encode(), "application/x-www-form-urlencoded"),
        ("/update", update.encode(), "application/sparql-update"),
        ("/query", urllib.parse.urlencode({"update": update}).encode(), "application/x-www-form-urlencoded"),
    ]
    for path, body, content_type in attempts:
        status, _, answer = request(endpoint, "POST", path, body, Content_Type=content_type)
        assert status == 403, (path, content_type)
        assert "--allow-update" in one_line(answer)
    client = SPARQLWrapper(endpoint.url + "query", updateEndpoint=endpoint.url + "update")
    client.setMethod(POST)
    client.setQuery(update)
    with pytest.raises(urllib.error.HTTPError) as refused:
        client.query()
    assert refused.value.code == 403
    assert x_is_absent(endpoint)


def x_is_absent(server: EndpointServer) -> bool:
    status, _, body = get(server, "ASK { <http://example.org/x> ?p ?o }")
    return status == 200 and json.loads(body)["boolean"] is False


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o SERVICE<http://example.org/sparql>{?s ?p ?o} }",
        "SELECT * WHERE { ?s ?p true\\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { BIND(<http://example.org/sparql> AS ?e) SERVICE ?e { ?s ?p ?o } } # trailing 'comment",
        'SELECT * WHERE { ?s ?p "a" SERVICE <http://example.org/sparql> { ?s ?p "b" } }',
        # Oxigraph matches keywords without a word boundary: this is SERVICE foo:x.
        "PREFIX foo: <http://example.org/> SELECT * WHERE { servicefoo:x { ?s ?p ?o } }",
    ],
)
def test_federated_service_is_refused(endpoint: EndpointServer, query: str) -> None:
    assert uses_remote_fetch(query) == "SERVICE"
    status, _, body = get(endpoint, query)
    assert status == 403
    assert "SERVICE" in one_line(body) and "--allow-service" in one_line(body)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 # SERVICE <http://example.org/sparql> { }",
        'SELECT ?s WHERE { ?s ?p "SERVICE <http://example.org/sparql> { ?s ?p ?o }" } LIMIT 1',
        "SELECT ?s WHERE { ?s ?p '''multi\nline SERVICE''' } LIMIT 1",
        "SELECT ?s WHERE { ?s <http://example.org/SERVICE> ?service } LIMIT 1",
        "PREFIX ex: <http://example.org/> SELECT ?s WHERE { ?s ex:service ?o } LIMIT 1",
        'SELECT ?s WHERE { ?s ?p "x"@en } LIMIT 1',
    ],
)
def test_service_in_a_comment_string_iri_variable_or_local_name_is_not_refused(endpoint: EndpointServer, query: str) -> None:
    assert uses_remote_fetch(query) is None
    status, _, _ = get(endpoint, query)
    assert status == 200


def test_loopback_addresses() -> None:
    assert ServeOptions().host == "127.0.0.1" and ServeOptions().port == 7878
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "localhost", "::1"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.10", "example.org"))


def test_time_limit_is_a_503_with_one_line_and_the_engine_stays_free(limited: EndpointServer) -> None:
    started = time.monotonic()
    status, kind, body = get(limited, SLOW)
    elapsed = time.monotonic() - started
    assert status == 503 and kind.startswith("text/plain")
    assert "time limit of 0.5 s" in one_line(body)
    assert elapsed < 2.5
    status, _, _ = get(limited, 'ASK { ?p rdfs:label "Kyrylo Budanov" }')
    assert status == 200


def test_result_size_limit_is_a_507_with_one_line_not_a_truncated_result(limited: EndpointServer) -> None:
    status, kind, body = get(limited, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 507 and kind.startswith("text/plain")
    assert "2,000 bytes" in one_line(body)
    status, _, body = get(limited, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 1


@pytest.mark.parametrize(
    "path",
    ["/../report.md", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc/passwd", "/graph.html/../../etc/passwd",
     "//etc/passwd", "/store/CURRENT", "/graph.ttl", "/report.md%00.html"],
)
def test_nothing_else_from_the_file_system(endpoint: EndpointServer, path: str) -> None:
    status, _, body = request(endpoint, "GET", path)
    assert status == 404, path
    assert b"root:" not in body


def test_index_map_and_report_are_served(endpoint: EndpointServer, seeds_build: BuildResult) -> None:
    status, kind, body = request(endpoint, "GET", "/")
    assert status == 200 and kind.startswith("text/html")
    assert b'href="/graph.html"' in body and b'href="/report.md"' in body and b"/query" in body
    for name, kind_prefix in (("graph.html", "text/html"), ("report.md", "text/markdown")):
        status, kind, body = request(endpoint, "GET", "/" + name)
        assert status == 200 and kind.startswith(kind_prefix)
        assert body == (seeds_build.out_dir / name).read_bytes()
    status, _, _ = request(endpoint, "PUT", "/query", b"x", Content_Type="text/plain")
    assert status == 405


def test_prefixes_are_predeclared_only_where_missing() -> None:
    assert inject_prefixes("SELECT * WHERE { ?s a schema:Person }").startswith("PREFIX schema: <https://schema.org/> SELECT")
    own = "PREFIX schema: <http://schema.org/>\nSELECT * WHERE { ?s a schema:Person }"
    assert inject_prefixes(own) == own
    assert inject_prefixes("SELECT * WHERE { ?s a <https://schema.org/Person> } # schema:x") == (
        "SELECT * WHERE { ?s a <https://schema.org/Person> } # schema:x"
    )


def test_update_with_a_flag_writes_but_load_still_needs_allow_service(tmp_path: Path, seeds_build: BuildResult) -> None:
    out = tmp_path / "out"
    shutil.copytree(seeds_build.out_dir / "store", out / "store")
    for server in start(out, allow_update=True):
        update = 'INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/x> rdfs:label "x" } }'
        client = SPARQLWrapper(server.url + "query", updateEndpoint=server.url + "update")
        client.setMethod(POST)
        client.setQuery(update)
        client.query()
        status, _, body = get(server, 'ASK { <http://example.org/x> rdfs:label "x" }')
        assert status == 200 and json.loads(body)["boolean"] is True
        status, _, body = request(
            server, "POST", "/update", b"LOAD <http://example.org/data.ttl>", Content_Type="application/sparql-update"
        )
        assert status == 403 and "LOAD" in one_line(body)


def test_service_with_the_flag_federates(endpoint: EndpointServer, seeds_build: BuildResult) -> None:
    inner = "SELECT (COUNT(*) AS ?n) WHERE { ?p a schema:Person }"
    query = f"SELECT ?n WHERE {{ SERVICE <{endpoint.url}query> {{ {inner} }} }}"
    for server in start(seeds_build.out_dir, allow_service=True):
        status, _, body = get(server, query)
        assert status == 200, body
        assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == str(sum(local_rows(endpoint, PERSONS).values()))


def _tiny_store(path: Path, label: str) -> None:
    quad = Quad(NamedNode("http://example.org/a"), NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), Literal(label),
                NamedNode("https://w3id.org/kgraph/graph/entities"))
    path.parent.mkdir(parents=True, exist_ok=True)
    create_store(path, [quad]).flush()  # the store object is dropped (and closed) right away


def test_a_new_build_swapping_the_store_restarts_the_backend(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    _tiny_store(out / "store", "first")
    query = "SELECT ?l WHERE { <http://example.org/a> rdfs:label ?l }"
    for server in start(out, watch_interval=0.1):
        assert json.loads(get(server, query)[2])["results"]["bindings"][0]["l"]["value"] == "first"
        first_backend = server.backend_pid
        _tiny_store(out / ".staging" / "store", "second")  # what kgraph build does: build aside, swap the directory
        (out / "store").rename(out / ".retired")
        (out / ".staging" / "store").rename(out / "store")
        shutil.rmtree(out / ".retired")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            status, _, body = get(server, query)
            if status == 200 and json.loads(body)["results"]["bindings"][0]["l"]["value"] == "second":
                break
            time.sleep(0.1)
        else:
            pytest.fail("the endpoint still answers from the old store")
        assert server.backend_pid != first_backend
    assert "restarted the Oxigraph server (the store was replaced by a new build)" in capsys.readouterr().err


def test_missing_store_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", str(tmp_path / "nothing"), "--port", "0"])
    assert result.exit_code == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("kgraph: error: no graph store in"), result.stderr


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_cli_binds_loopback_by_default_and_ctrl_c_stops_both_processes(seeds_build: BuildResult) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "kgraph.cli", "serve", str(seeds_build.out_dir), "--port", "0", "--quiet"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "400"},
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert "kgraph: serving" in line and "at http://127.0.0.1:" in line, line
        url = line.split(" at ", 1)[1].split()[0]
        with urllib.request.urlopen(url + "query?" + urllib.parse.urlencode({"query": "ASK {}"}), timeout=10) as response:
            assert json.loads(response.read())["boolean"] is True
        backends = _children(process.pid)
        assert len(backends) == 1
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        assert "kgraph: stopped" in process.stderr.read()
        for pid in backends:
            assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


# --- SPARQL Update: what lasts, and the time limit ----------------------------------------------------

MARKER = 'INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/marker> rdfs:label "m" } }'
HAS_MARKER = 'ASK { <http://example.org/marker> rdfs:label "m" }'
QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
# Counts (triples)³ rows, as SLOW does, before it would insert anything: hours, so it never reaches its commit here.
ENDLESS_UPDATE = f"INSERT {{ GRAPH <http://example.org/g> {{ <http://example.org/count> rdf:value ?n }} }} WHERE {{ {SLOW} }}"
_HUNDRED, _TWENTY = " ".join(str(i) for i in range(100)), " ".join(str(i) for i in range(20))
# Counts 100³ × 20 rows made by VALUES (about 2 s, whatever the store holds), then inserts one triple.
SECONDS_UPDATE = (
    "INSERT { GRAPH <http://example.org/g> { <http://example.org/count> rdf:value ?n } } WHERE { SELECT (COUNT(*) AS ?n) "
    f"WHERE {{ VALUES ?a {{ {_HUNDRED} }} VALUES ?b {{ {_HUNDRED} }} VALUES ?c {{ {_HUNDRED} }} VALUES ?d {{ {_TWENTY} }} }} }}"
)


def writable_copy(seeds_build: BuildResult, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(seeds_build.out_dir / "store", out / "store")
    return out


def post_update(server: EndpointServer, update: str) -> tuple[int, str, bytes]:
    return request(server, "POST", "/update", update.encode(), Content_Type="application/sparql-update")


def quads(server: EndpointServer) -> int:
    status, _, body = get(server, QUADS)
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def ask(server: EndpointServer, query: str) -> bool:
    status, _, body = get(server, query)
    assert status == 200, body
    return bool(json.loads(body)["boolean"])


def test_cli_with_allow_update_warns_that_the_next_build_drops_updates(seeds_build: BuildResult, tmp_path: Path) -> None:
    out = writable_copy(seeds_build, tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "kgraph.cli", "serve", str(out), "--port", "0", "--quiet", "--allow-update"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "400"},
    )
    try:
        assert process.stderr is not None
        lines = [process.stderr.readline() for _ in range(2)]
        assert lines[0].startswith("kgraph: warning: SPARQL updates go into"), lines
        for needle in (f"{out}/store", "kgraph build", "kgraph remove", "drops them", "kgraph push"):
            assert needle in lines[0], (needle, lines[0])
        assert lines[1].startswith("kgraph: serving") and "read-write" in lines[1], lines
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_an_update_is_gone_after_the_next_build_into_the_directory(tmp_path: Path, nlp: Language) -> None:
    # What the --allow-update warning says, checked: `build --into` makes the store anew from its cache.
    out = tmp_path / "out"
    build([SEEDS / "003_d14ddbe9530e48af.txt"], out, nlp=nlp)
    for server in start(out, allow_update=True):
        status, _, body = post_update(server, MARKER)
        assert status == 204, body
        assert ask(server, HAS_MARKER)
    assert run_query(open_store(out), HAS_MARKER) is True  # the update was in the store on disk
    build([SEEDS / "004_23350b8c88186ba0.txt"], out, into=True, nlp=nlp)
    assert run_query(open_store(out), HAS_MARKER) is False
    ids = run_query(open_store(out), "SELECT ?id WHERE { ?a a schema:NewsArticle ; schema:identifier ?id } ORDER BY ?id")
    assert isinstance(ids, Table) and [r[0] for r in ids.rows] == ["003_d14ddbe9530e48af", "004_23350b8c88186ba0"]


def test_an_update_past_the_time_limit_is_cancelled_and_nothing_of_it_is_applied(
    seeds_build: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = writable_copy(seeds_build, tmp_path)
    for server in start(out, allow_update=True, timeout=1.0):
        before, first_backend = quads(server), server.backend_pid
        assert first_backend is not None
        started = time.monotonic()
        status, kind, body = post_update(server, f"{MARKER} ; {ENDLESS_UPDATE}")
        elapsed = time.monotonic() - started
        assert status == 503 and kind.startswith("text/plain")
        line = one_line(body)
        assert "time limit of 1 s" in line and "cancelled" in line and "nothing of it was applied" in line
        assert elapsed < 15  # 1 s limit, then a backend restart; generous for a loaded machine
        # The process that ran it is gone, not left computing in the background.
        assert server.backend_pid != first_backend
        with pytest.raises(ProcessLookupError):
            os.kill(first_backend, 0)
        # A new backend answers at once from the same store, which is as it was: not even the
        # INSERT DATA before the slow part was applied (one update, one transaction).
        assert quads(server) == before == seeds_build.quad_count
        assert not ask(server, HAS_MARKER)
        assert ask(server, 'ASK { ?p rdfs:label "Kyrylo Budanov" }')
        status, _, body = post_update(server, MARKER)
        assert status == 204, body
        assert quads(server) == before + 1 and ask(server, HAS_MARKER)
    assert "restarted the Oxigraph server (an update ran past the time limit and was cancelled)" in capsys.readouterr().err


def test_an_update_already_being_written_at_the_time_limit_is_let_finish(
    seeds_build: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The write phase of a real update is too short to hit reliably, so the log "has grown" here.
    monkeypatch.setattr(_LogWatch, "written", lambda self: True)
    out = writable_copy(seeds_build, tmp_path)
    for server in start(out, allow_update=True, timeout=0.3):
        backend = server.backend_pid
        started = time.monotonic()
        status, _, body = post_update(server, SECONDS_UPDATE)
        assert status == 204, body  # the backend's own answer, after it finished
        assert time.monotonic() - started > 0.3
        assert server.backend_pid == backend  # paused, looked at, resumed: not killed
        assert ask(server, "ASK { <http://example.org/count> rdf:value 20000000 }")


def test_the_write_ahead_log_shows_an_update_and_only_an_update(seeds_build: BuildResult, tmp_path: Path) -> None:
    out = writable_copy(seeds_build, tmp_path)
    for server in start(out, allow_update=True):
        watch = _LogWatch(out / "store")
        try:
            assert ask(server, 'ASK { ?p rdfs:label "Kyrylo Budanov" }')
            assert quads(server) == seeds_build.quad_count
            assert not watch.written()  # queries write nothing
            status, _, body = post_update(server, MARKER)
            assert status == 204, body
            assert watch.written()
        finally:
            watch.close()


def test_log_growth_counts_longer_and_new_logs_not_deleted_ones() -> None:
    assert not _log_grew({"000004.log": 43}, {"000004.log": 43})
    assert _log_grew({"000004.log": 43}, {"000004.log": 99})
    assert _log_grew({"000004.log": 43}, {"000004.log": 43, "000009.log": 12})
    assert not _log_grew({"000004.log": 43}, {"000009.log": 0})  # an old log deleted, a new one still empty
