"""`kgraph push`: the seeds build uploaded to a real Oxigraph server over the Graph Store Protocol."""

from __future__ import annotations

import base64
import json
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


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[str]:
    """A real, empty, writable Oxigraph server on a free loopback port; its SPARQL endpoint URL."""
    port = free_port()
    process = subprocess.Popen(
        [find_oxigraph(), "serve", "--location", str(tmp_path / "remote"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "oxigraph did not start"
                time.sleep(0.05)
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
