"""`kgraph push`: the seeds build uploaded to a real Oxigraph server over the Graph Store Protocol."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from pyoxigraph import NamedNode, RdfFormat
from typer.testing import CliRunner

from kgraph.build import BuildResult
from kgraph.cli import app
from kgraph.errors import PushError
from kgraph.serve.push import default_graph_store, push
from kgraph.rdf.store import open_store
from kgraph.serve.endpoint import find_oxigraph

runner = CliRunner()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_oxigraph(location: Path, port: int) -> subprocess.Popen[bytes]:
    """A real, writable Oxigraph server on ``port`` over the store at ``location``, once it listens."""
    process = subprocess.Popen(
        [find_oxigraph(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, "oxigraph did not start"
            time.sleep(0.05)


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[str]:
    """A real, empty, writable Oxigraph server on a free loopback port; its SPARQL endpoint URL."""
    port = free_port()
    process = start_oxigraph(tmp_path / "remote", port)
    try:
        yield f"http://127.0.0.1:{port}/query"
    finally:
        process.terminate()
        process.wait(10)


def local_sizes(out_dir: Path) -> dict[str, int]:
    rows = open_store(out_dir).query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"].value: int(row["n"].value) for row in rows}


def remote_sizes(endpoint: str) -> dict[str, int]:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    request = urllib.request.Request(
        endpoint, data=urllib.parse.urlencode({"query": query}).encode(), headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        bindings = json.loads(response.read())["results"]["bindings"]
    return {b["g"]["value"]: int(b["n"]["value"]) for b in bindings}


def test_every_named_graph_arrives_with_its_triple_count_and_a_second_push_replaces(
    oxigraph_server: str, seeds_build: BuildResult
) -> None:
    expected = local_sizes(seeds_build.out_dir)
    assert len(expected) == len(seeds_build.articles) + 2  # one per article, the entities, the analysis
    seen: list[tuple[int, int, str]] = []
    result = push(seeds_build.out_dir, oxigraph_server, progress=lambda done, total, g, n: seen.append((done, total, g)))
    assert result.graphs == len(expected) and result.triples == sum(expected.values()) and result.verified
    assert result.graph_store == oxigraph_server.rsplit("/", 1)[0] + "/store"
    assert [d for d, _, _ in seen] == list(range(1, len(expected) + 1)) and {g for _, _, g in seen} == set(expected)
    assert remote_sizes(oxigraph_server) == expected
    push(seeds_build.out_dir, oxigraph_server)
    assert remote_sizes(oxigraph_server) == expected  # PUT replaced each graph: nothing doubled


def test_cli_push_prints_a_summary(oxigraph_server: str, seeds_build: BuildResult) -> None:
    result = runner.invoke(app, ["push", "--endpoint", oxigraph_server, "-o", str(seeds_build.out_dir)])
    assert result.exit_code == 0, result.stderr
    assert f"Pushed {len(seeds_build.articles) + 2} graph(s)" in result.stdout
    assert "triple counts checked on the server" in result.stdout
    assert remote_sizes(oxigraph_server) == local_sizes(seeds_build.out_dir)


def assert_one_line_error(stderr: str, *needles: str) -> None:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("kgraph: error:"), stderr
    for needle in needles:
        assert needle in stderr, stderr


def test_an_unreachable_host_is_a_one_line_error(seeds_build: BuildResult) -> None:
    port = free_port()  # nothing listens there any more
    result = runner.invoke(app, ["push", "-e", f"http://127.0.0.1:{port}/query", "-o", str(seeds_build.out_dir), "-q"])
    assert result.exit_code == 1
    assert_one_line_error(result.stderr, f"cannot reach 127.0.0.1:{port}", "refused")


def test_a_wrong_graph_store_path_shows_the_servers_message(oxigraph_server: str, seeds_build: BuildResult) -> None:
    wrong = oxigraph_server.rsplit("/", 1)[0] + "/nostore"
    with pytest.raises(PushError) as failed:
        push(seeds_build.out_dir, oxigraph_server, graph_store=wrong)
    message = str(failed.value)
    assert "HTTP 404" in message and "not supported by this server" in message and "\n" not in message


class _GuardedStore(BaseHTTPRequestHandler):
    """A stand-in store behind basic auth that rejects every upload with a message."""

    seen_auth: ClassVar[list[str | None]] = []

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        auth = self.headers.get("Authorization")
        self.seen_auth.append(auth)
        if auth != "Basic " + base64.b64encode(b"alice:s3cret").decode():
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
            body = b"Unauthorized"
        else:
            self.send_response(400)
            body = b"<html><head><title>Unsupported graph name</title></head><body>...</body></html>"
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def guarded_store() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GuardedStore)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _GuardedStore.seen_auth = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/ds/sparql"
    finally:
        server.shutdown()
        server.server_close()


def test_401_and_basic_auth_from_the_environment(guarded_store: str, seeds_build: BuildResult) -> None:
    graph_store = guarded_store.replace("/sparql", "/data")
    args = ["push", "-e", guarded_store, "--graph-store", graph_store, "-o", str(seeds_build.out_dir), "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert_one_line_error(result.stderr, "HTTP 401", "--user")
    result = runner.invoke(app, [*args, "--user", "alice"], env={"KGRAPH_PUSH_PASSWORD": "s3cret"})
    assert result.exit_code == 1
    assert_one_line_error(result.stderr, "HTTP 400", "Unsupported graph name", "/ds/data?graph=")
    assert _GuardedStore.seen_auth == [None, "Basic " + base64.b64encode(b"alice:s3cret").decode()]


def test_the_graph_store_url_is_the_endpoints_store_sibling() -> None:
    assert default_graph_store("http://localhost:7878/query") == "http://localhost:7878/store"
    assert default_graph_store("http://localhost:7878") == "http://localhost:7878/store"
    assert default_graph_store("https://example.org/kg/sparql?x=1") == "https://example.org/kg/store"
    with pytest.raises(PushError, match="http:// or https://"):
        push(Path("out"), "localhost:7878/query")


def test_a_push_cut_off_by_the_server_dying_resumes_where_it_stopped(tmp_path: Path, seeds_build: BuildResult) -> None:
    out = Path(shutil.copytree(seeds_build.out_dir, tmp_path / "out"))
    expected = local_sizes(out)
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}/query"
    server = start_oxigraph(tmp_path / "remote", port)
    try:
        def kill_after_three(done: int, total: int, graph: str, triples: int) -> None:
            if done == 3:
                server.kill()  # the target store dies mid-push
                server.wait(10)

        with pytest.raises(PushError, match=f"cannot reach 127.0.0.1:{port}"):
            push(out, endpoint, progress=kill_after_three)
        journals = list((out / ".kgraph-push").glob("*.json"))
        assert len(journals) == 1 and len(json.loads(journals[0].read_text())["sent"]) == 3

        server = start_oxigraph(tmp_path / "remote", port)  # the same store, back up
        assert len(remote_sizes(endpoint)) == 3  # what it acknowledged before it died
        notes: list[str] = []
        sent: list[str] = []
        result = push(out, endpoint, notify=notes.append, progress=lambda d, t, g, n: sent.append(g))
        assert result.resumed == 3 and result.verified and len(sent) == len(expected)
        assert any("it had sent 3 graph(s)" in n for n in notes), notes
        assert remote_sizes(endpoint) == expected
        assert not (out / ".kgraph-push").exists()  # complete: nothing left to resume

        # A graph whose content changed since is sent again, not skipped.
        (out / ".kgraph-push").mkdir()
        first = next(iter(expected))
        journals[0].write_text(json.dumps({"graph_store": result.graph_store, "sent": {first: "0" * 64}}))
        assert push(out, endpoint).resumed == 0
    finally:
        server.kill()
        server.wait(10)


def test_cli_push_says_how_many_graphs_the_interrupted_push_had_sent(
    tmp_path: Path, oxigraph_server: str, seeds_build: BuildResult
) -> None:
    out = Path(shutil.copytree(seeds_build.out_dir, tmp_path / "out"))
    graph_store = oxigraph_server.rsplit("/", 1)[0] + "/store"
    push(out, oxigraph_server)
    store = open_store(out)
    sent = {}
    for iri in list(local_sizes(out))[:2]:
        body = store.dump(format=RdfFormat.N_TRIPLES, from_graph=NamedNode(iri)) or b""
        sent[iri] = hashlib.sha256(body).hexdigest()
    store = None

    def interrupted() -> None:
        """The journal as an interrupted push leaves it: two graphs sent with exactly today's bodies."""
        (out / ".kgraph-push").mkdir(exist_ok=True)
        name = hashlib.sha256(graph_store.encode()).hexdigest()[:16] + ".json"
        (out / ".kgraph-push" / name).write_text(json.dumps({"graph_store": graph_store, "sent": sent}))

    interrupted()
    result = runner.invoke(app, ["push", "-e", oxigraph_server, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert f"Pushed {len(seeds_build.articles) + 2} graph(s) (2 sent by the interrupted push before)" in result.stdout
    assert "resuming an interrupted push" in result.stderr
    assert not (out / ".kgraph-push").exists()
    interrupted()
    result = runner.invoke(app, ["push", "-e", oxigraph_server, "-o", str(out), "--restart"])
    assert result.exit_code == 0 and f"Pushed {len(seeds_build.articles) + 2} graph(s)," in result.stdout
    assert "resuming" not in result.stderr and not (out / ".kgraph-push").exists()
