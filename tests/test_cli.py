"""The command line as a user meets it: exit codes, one-line errors, skipped inputs, formats."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import rdflib
from conftest import REPO, SEEDS
from typer.testing import CliRunner

from kgraph.build import BuildResult
from kgraph.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def assert_one_line_error(stderr: str, *needles: str) -> None:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("kgraph: error:")
    assert "Traceback" not in stderr
    for needle in needles:
        assert needle in stderr


def test_help_for_every_command() -> None:
    for command in ([], ["build"], ["remove"], ["query"], ["export"]):
        code, out, _ = run(*command, "--help")
        assert code == 0 and "Usage" in out


def test_bad_inputs_are_skipped_with_a_named_reason_and_the_rest_is_built(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "records.jsonl").write_text('{"id": "ok", "text": "Kyrylo Budanov spoke in Kyiv on Monday."}\n{broken\n', encoding="utf-8")
    (tmp_path / "good.txt").write_text((SEEDS / "001_2971140ada78fed4.txt").read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run("build", str(tmp_path), str(tmp_path / "missing.txt"), "-o", str(tmp_path / "out"))
    assert code == 0, err
    assert "Built 2 article(s)" in out
    for needle in ("empty.txt", "binary.txt", "notes.docx", "records.jsonl:2", "missing.txt"):
        assert any(needle in ln and ln.startswith("kgraph: skipped") for ln in err.splitlines()), (needle, err)
    assert "Traceback" not in err


def test_nothing_buildable_is_a_one_line_error_and_non_zero_exit(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("\n\n", encoding="utf-8")
    code, _, err = run("build", str(tmp_path / "empty.txt"), "-o", str(tmp_path / "out"))
    assert code == 1
    assert_one_line_error(err, "nothing to build", "empty.txt")
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_unknown_model_is_a_clear_error_saying_how_to_install(tmp_path: Path) -> None:
    code, _, err = run("build", str(SEEDS), "-o", str(tmp_path / "out"), "--model", "xx_no_such_model")
    assert code == 1
    assert_one_line_error(err, "xx_no_such_model", "pip install")


def test_bad_alias_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "aliases.txt").write_text("just one name\n", encoding="utf-8")
    code, _, err = run("build", str(SEEDS), "-o", str(tmp_path / "out"), "--aliases", str(tmp_path / "aliases.txt"))
    assert code == 1
    assert_one_line_error(err, "aliases.txt", "line 1")


def test_query_table_csv_tsv_json(seeds_build: BuildResult) -> None:
    q = 'SELECT ?l WHERE { ?e rdfs:label ?l ; a schema:Person } ORDER BY ?l LIMIT 3'
    out_dir = str(seeds_build.out_dir)
    code, table, _ = run("query", q, "-o", out_dir)
    assert code == 0 and "3 row(s)" in table
    code, csv_text, _ = run("query", q, "-o", out_dir, "--format", "csv")
    lines = csv_text.splitlines()
    assert lines[0] == "l" and len(lines) == 4
    code, tsv_text, _ = run("query", q, "-o", out_dir, "--format", "tsv")
    assert tsv_text.splitlines()[1:] == lines[1:]
    code, json_text, _ = run("query", q, "-o", out_dir, "--format", "json")
    assert [r["l"] for r in json.loads(json_text)] == lines[1:]


def test_query_from_file_and_ask(seeds_build: BuildResult, tmp_path: Path) -> None:
    (tmp_path / "q.rq").write_text('ASK { ?e rdfs:label "Kyrylo Budanov" }', encoding="utf-8")
    code, out, _ = run("query", "-f", str(tmp_path / "q.rq"), "-o", str(seeds_build.out_dir))
    assert code == 0 and out.strip() == "true"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["query", "SELEC ?x"], "SPARQL syntax error"),
        (["query"], "either as an argument or with --file"),
        (["query", "SELECT * {}", "--format", "xml"], "unknown result format"),
        (["query", "-f", "/nonexistent/q.rq"], "cannot read query file"),
        (["export", "--format", "rdfxml"], "unknown export format"),
    ],
)
def test_query_and_export_errors_are_one_line(seeds_build: BuildResult, args: list[str], needle: str) -> None:
    code, _, err = run(*args, "-o", str(seeds_build.out_dir))
    assert code == 1
    assert_one_line_error(err, needle)


def test_query_without_a_build_says_to_build_first(tmp_path: Path) -> None:
    code, _, err = run("query", "SELECT * {}", "-o", str(tmp_path / "nothing"))
    assert code == 1
    assert_one_line_error(err, "kgraph build")


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("ttl", "turtle"), ("trig", "trig"), ("nq", "nquads"), ("jsonld", "json-ld")])
def test_export_formats_parse_back_with_the_same_triples(seeds_build: BuildResult, tmp_path: Path, fmt: str, rdflib_format: str) -> None:
    target = tmp_path / f"graph.{fmt}"
    code, _, err = run("export", "--format", fmt, "-o", str(seeds_build.out_dir), "--output", str(target))
    assert code == 0, err
    data = rdflib.Dataset()
    data.parse(target, format=rdflib_format)
    triples = {(s, p, o) for s, p, o, _ in data.quads((None, None, None, None))}
    # No triple is repeated across graphs, so the union has exactly as many triples as the store has quads.
    assert len(triples) == seeds_build.quad_count
    assert (rdflib.URIRef("https://w3id.org/kgraph/id/person/kyrylo-budanov"), rdflib.RDFS.label, rdflib.Literal("Kyrylo Budanov")) in triples


def test_console_script_runs_without_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "kgraph.cli", "build", str(tmp_path / "none.txt"), "-o", str(tmp_path / "out")],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode == 1
    assert_one_line_error(proc.stderr, "none.txt")


def test_output_path_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a directory", encoding="utf-8")
    code, _, err = run("build", str(SEEDS / "003_d14ddbe9530e48af.txt"), "-o", str(tmp_path / "out"))
    assert code == 1
    assert_one_line_error(err, "is not a directory")
    assert (tmp_path / "out").read_text(encoding="utf-8") == "not a directory"


class _Listener:
    """A TCP server on a free loopback port that records every connection and hangs up unanswered.

    Hanging up makes a SPARQL client fail at once instead of waiting for an answer.
    """

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.sock.getsockname()[1])
        self.connections = 0
        self.requests: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:  # closed by the test
                return
            self.connections += 1
            with conn:
                conn.settimeout(5)
                self.requests.append(conn.recv(65536))

    def close(self) -> None:
        self.sock.close()


def test_query_with_service_is_refused_before_any_connection(seeds_build: BuildResult) -> None:
    listener = _Listener()
    try:
        for endpoint in (f"http://127.0.0.1:{listener.port}/sparql", "http://127.0.0.1:9/sparql"):
            code, out, err = run("query", f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}", "-o", str(seeds_build.out_dir))
            assert code == 1 and out == ""
            assert_one_line_error(err, "uses SERVICE", "--allow-service")
        time.sleep(0.2)  # a connection made would have been accepted by now
        assert listener.connections == 0
    finally:
        listener.close()


def test_query_with_service_and_allow_service_calls_the_endpoint(seeds_build: BuildResult) -> None:
    listener = _Listener()
    try:
        query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
        code, _, err = run("query", query, "-o", str(seeds_build.out_dir), "--allow-service")
        # The listener hangs up without answering: the call was made, and its failure is one line.
        assert code == 1
        assert_one_line_error(err, "SERVICE call")
        assert len(listener.requests) == 1 and listener.requests[0].startswith(b"POST /sparql HTTP/1.1")
    finally:
        listener.close()


def test_query_mentioning_service_only_in_a_string_is_not_refused(seeds_build: BuildResult) -> None:
    code, out, err = run("query", 'ASK { ?s ?p "SERVICE <http://127.0.0.1:9/sparql> { }" }', "-o", str(seeds_build.out_dir))
    assert code == 0, err
    assert out.strip() == "false"
