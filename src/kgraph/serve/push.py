"""``kgraph push``: upload a build's graphs to any SPARQL 1.1 store (Graph Store HTTP Protocol).

Each named graph (one per article, the entity graph, the analysis graph) is
sent with one ``PUT <graph store>?graph=<IRI>``, which replaces that graph on
the server: pushing twice leaves one copy, not two. The body is N-Triples
(serialised by pyoxigraph) labelled ``text/turtle``: N-Triples is a subset of
Turtle, and every store reads Turtle. Afterwards the endpoint is asked, in
one SPARQL query, how many triples each graph holds, and the counts are
compared with the local ones.

Graph Store URL (``--graph-store``): by default the endpoint URL with its last
path segment replaced by ``store`` (Oxigraph: ``http://host:7878/query`` ->
``http://host:7878/store``). Other stores name it differently, e.g. Fuseki
``http://host:3030/<dataset>/data``, GraphDB
``http://host:7200/repositories/<repo>/rdf-graphs/service``, Virtuoso
``http://host:8890/sparql-graph-crud-auth``.

Graphs that exist on the server but no longer in the build (an article
dropped since the last push) are left alone.

A push that fails half-way (the server went down, the network dropped, the
user pressed Ctrl-C) can be resumed: the graphs the server has acknowledged are
recorded, each with a digest of the exact body sent, in a journal
``<out>/.kgraph-push/<digest of the graph store URL>.json`` (rewritten atomically
every :data:`JOURNAL_EVERY` graphs and on any failure). The next push to the same
graph store skips a graph whose body is byte for byte the one recorded, and sends
the rest; a rebuild changes the bodies, so nothing stale is skipped. A push that
completes removes its journal; ``restart=True`` (``--restart``) ignores it. A
graph PUT again after a kill between the server's answer and the journal's next
write is harmless: PUT replaces.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from pyoxigraph import DefaultGraph, NamedNode, RdfFormat, Store

from kgraph.errors import PushError
from kgraph.rdf.store import open_store

__all__ = ["PushResult", "default_graph_store", "local_graph_sizes", "push"]

DEFAULT_TIMEOUT = 60.0
JOURNAL_DIRNAME = ".kgraph-push"
JOURNAL_EVERY = 25  # graphs acknowledged between two writes of the journal
Progress = Callable[[int, int, str, int], None]  # (graphs done, graphs total, graph IRI, its triples)
Notify = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class PushResult:
    graph_store: str
    graphs: int
    triples: int
    seconds: float
    verified: bool
    resumed: int = 0  # graphs an interrupted earlier push had sent already, not sent again


@dataclass(frozen=True, slots=True)
class _Target:
    """Where and how to talk to the remote store."""

    endpoint: str
    graph_store: str
    headers: dict[str, str]
    timeout: float


def default_graph_store(endpoint: str) -> str:
    """The Graph Store URL beside a SPARQL endpoint: its last path segment replaced by ``store``.

    >>> default_graph_store("http://localhost:7878/query")
    'http://localhost:7878/store'
    >>> default_graph_store("http://localhost:7878")
    'http://localhost:7878/store'
    """
    parts = urlsplit(endpoint)
    head = parts.path.rsplit("/", 1)[0] if "/" in parts.path else ""
    return urlunsplit((parts.scheme, parts.netloc, f"{head}/store", "", ""))


def local_graph_sizes(store: Store) -> dict[str, int]:
    """Triples per graph of the store, by graph IRI (``""`` stands for a non-empty default graph).

    The entity and analysis graphs come first, then the articles in id order.
    """
    sizes = {g.value: 0 for g in store.named_graphs() if isinstance(g, NamedNode)}
    for row in store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
        if isinstance(row["g"], NamedNode):
            sizes[row["g"].value] = int(row["n"].value)
    in_default = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    if in_default:
        sizes[""] = in_default
    return dict(sorted(sizes.items(), key=lambda kv: ("/graph/article/" in kv[0], kv[0])))


def push(
    out_dir: Path,
    endpoint: str,
    *,
    graph_store: str | None = None,
    user: str | None = None,
    password: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    verify: bool = True,
    progress: Progress | None = None,
    notify: Notify | None = None,
    restart: bool = False,
) -> PushResult:
    """PUT every graph of the build in ``out_dir`` to the store at ``endpoint``; see the module docstring."""
    target = _target(endpoint, graph_store, user, password, timeout)
    store = open_store(out_dir)
    sizes = local_graph_sizes(store)
    if not sizes:
        raise PushError(f"the store in {out_dir}/ is empty: nothing to push")
    journal = _Journal(out_dir, target.graph_store, fresh=restart)
    if journal.sent and notify is not None:
        notify(f"resuming an interrupted push to {target.graph_store}: it had sent {len(journal.sent)} graph(s); "
               f"those unchanged since are not sent again (--restart sends all)")
    started = time.perf_counter()
    resumed = 0
    try:
        for done, (iri, count) in enumerate(sizes.items(), start=1):
            graph = NamedNode(iri) if iri else DefaultGraph()
            body = store.dump(format=RdfFormat.N_TRIPLES, from_graph=graph) or b""
            digest = hashlib.sha256(body).hexdigest()
            if journal.sent.get(iri) == digest:
                resumed += 1
            else:
                where = {"graph": iri} if iri else {"default": ""}
                url = f"{target.graph_store}{'&' if '?' in target.graph_store else '?'}{urlencode(where)}"
                _request(target, "PUT", url, body, {"Content-Type": "text/turtle; charset=utf-8"}, what=f"graph <{iri or 'default'}>")
                journal.record(iri, digest)
            if progress is not None:
                progress(done, len(sizes), iri, count)
    except BaseException:
        journal.save()
        raise
    if verify:
        _verify(target, sizes)
    journal.finish()
    return PushResult(target.graph_store, len(sizes), sum(sizes.values()), time.perf_counter() - started, verify, resumed)


class _Journal:
    """The graphs one push has sent to one graph store, kept so that a failed push can resume."""

    def __init__(self, out_dir: Path, graph_store: str, *, fresh: bool) -> None:
        name = hashlib.sha256(graph_store.encode("utf-8")).hexdigest()[:16] + ".json"
        self.path = out_dir / JOURNAL_DIRNAME / name
        self.graph_store = graph_store
        self.sent: dict[str, str] = {} if fresh else self._read()
        self._unsaved = 0

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # no journal, or an unreadable one: push everything
        sent = data.get("sent") if isinstance(data, dict) and data.get("graph_store") == self.graph_store else None
        if not isinstance(sent, dict):
            return {}
        return {k: v for k, v in sent.items() if isinstance(k, str) and isinstance(v, str)}

    def record(self, iri: str, digest: str) -> None:
        self.sent[iri] = digest
        self._unsaved += 1
        if self._unsaved >= JOURNAL_EVERY:
            self.save()

    def save(self) -> None:
        """Write the journal atomically; a journal that cannot be written only costs a full push next time."""
        if not self._unsaved:
            return
        tmp = self.path.with_name(f"{self.path.name}.tmp-{os.getpid()}")
        try:
            self.path.parent.mkdir(exist_ok=True)
            tmp.write_text(json.dumps({"graph_store": self.graph_store, "sent": self.sent}), encoding="utf-8")
            os.replace(tmp, self.path)
            self._unsaved = 0
        except OSError:
            tmp.unlink(missing_ok=True)

    def finish(self) -> None:
        """The push is complete: nothing to resume."""
        self.path.unlink(missing_ok=True)
        try:
            self.path.parent.rmdir()
        except OSError:
            pass  # journals of pushes to other stores are still there


def remote_graph_sizes(target: _Target, graphs: list[str]) -> dict[str, int]:
    """Triples per named graph on the server, for ``graphs``, by one SPARQL query."""
    values = " ".join(f"<{g}>" for g in graphs)
    query = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
    body = urlencode({"query": query}).encode("utf-8")
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}
    data = _request(target, "POST", target.endpoint, body, headers, what="the triple-count query")
    try:
        bindings = json.loads(data)["results"]["bindings"]
        return {b["g"]["value"]: int(b["n"]["value"]) for b in bindings}
    except (ValueError, KeyError, TypeError):
        raise PushError(f"{target.endpoint} did not answer the triple-count query with SPARQL JSON results") from None


def _verify(target: _Target, sizes: dict[str, int]) -> None:
    named = [g for g in sizes if g]
    remote: dict[str, int] = {}
    for start in range(0, len(named), 500):  # keep each query a reasonable size
        remote.update(remote_graph_sizes(target, named[start : start + 500]))
    wrong = [(g, sizes[g], remote.get(g, 0)) for g in named if remote.get(g, 0) != sizes[g]]
    if wrong:
        g, local, there = wrong[0]
        raise PushError(
            f"{len(wrong)} of {len(named)} graphs hold a different number of triples on the server than here "
            f"(e.g. <{g}>: {local} here, {there} there); check the server's log, or push with --no-verify"
        )


def _target(endpoint: str, graph_store: str | None, user: str | None, password: str | None, timeout: float) -> _Target:
    for name, url in (("endpoint", endpoint), ("graph store", graph_store)):
        if url is not None and (urlsplit(url).scheme not in {"http", "https"} or not urlsplit(url).netloc):
            raise PushError(f"the {name} must be an http:// or https:// URL, not {url!r}")
    if timeout <= 0:
        raise PushError("--timeout must be a positive number of seconds")
    if password and not user:
        raise PushError("a password was given without a user: add --user")
    headers = {"User-Agent": "kgraph-push"}
    if user:
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    return _Target(endpoint, graph_store or default_graph_store(endpoint), headers, timeout)


def _request(target: _Target, method: str, url: str, body: bytes, headers: dict[str, str], *, what: str) -> bytes:
    request = urllib.request.Request(url, data=body, method=method, headers={**target.headers, **headers})
    host = urlsplit(url).netloc
    try:
        with urllib.request.urlopen(request, timeout=target.timeout) as response:
            return response.read()
    except urllib.error.HTTPError as err:
        message = _server_message(err)
        if err.code == 401:
            hint = "wrong user or password" if "Authorization" in target.headers else "it needs --user and --password (or $KGRAPH_PUSH_PASSWORD)"
            raise PushError(f"{host} refused {what} with HTTP 401 Unauthorized: {hint}") from None
        raise PushError(f"{url} answered HTTP {err.code} {err.reason} to {what}" + (f": {message}" if message else "")) from None
    except urllib.error.URLError as err:
        reason = err.reason
        if isinstance(reason, TimeoutError):
            raise PushError(f"no answer from {host} within {target.timeout:g} s (--timeout) to {what}") from None
        text = getattr(reason, "strerror", None) or str(reason)
        raise PushError(f"cannot reach {host}: {text}") from None
    except TimeoutError:  # socket.timeout is TimeoutError
        raise PushError(f"no answer from {host} within {target.timeout:g} s (--timeout) to {what}") from None
    except (ConnectionError, OSError) as err:
        raise PushError(f"connection to {host} failed during {what}: {err.strerror or err}") from None


def _server_message(err: urllib.error.HTTPError) -> str:
    try:
        raw = err.read(2000).decode("utf-8", "replace")
    except OSError:
        return ""
    if "<html" in raw.lower():  # an HTML error page: keep its title or first heading
        for tag in ("title", "h1", "h2"):
            start = raw.lower().find(f"<{tag}")
            if start >= 0:
                raw = raw[raw.find(">", start) + 1 : raw.lower().find(f"</{tag}", start)]
                break
    return " ".join(raw.split())[:300]
