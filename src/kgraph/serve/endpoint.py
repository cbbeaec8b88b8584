"""``kgraph serve``: the store of a build as a SPARQL 1.1 Protocol endpoint, plus its map and report.

The endpoint is the real Oxigraph server (the ``oxigraph`` package, the same
engine and storage format as pyoxigraph), started read-only on a private
loopback port. In front of it runs a thin standard-library proxy that keeps
the promises Oxigraph's own switches cannot:

* SPARQL Update only with ``allow_update`` (Oxigraph then runs read-write);
* no federated ``SERVICE`` (and no ``LOAD``, which fetches a URL) unless
  ``allow_service``: Oxigraph would otherwise call any host a query names;
* a time limit: Oxigraph's ``--timeout-s`` cancels a runaway query one second
  after the proxy has already answered 503, so no cancelled (and therefore
  truncated) result is ever forwarded and no query keeps the engine busy.
  ``--timeout-s`` does not apply to updates (Oxigraph 0.5 runs them to the end,
  however long, holding all their changes in memory until they commit), so on
  an update's time limit the proxy freezes the read-write backend, kills it if
  the update has not begun to write (nothing of it is then applied: RocksDB
  drops an uncommitted transaction whole) and starts a new one on the same
  store; an update that is already being written is let finish and answered;
* a result-size limit: the result is read up to ``max_result_bytes`` and sent
  only when complete, otherwise a 507 with one line of explanation;
* kgraph's prefixes (``schema:``, ``kg:``, ...) are predeclared as in
  ``kgraph query``, and the default graph is the union of all graphs.

Everything else (parsing, evaluation, content negotiation for JSON, XML, CSV,
TSV, Turtle, N-Triples, JSON-LD, RDF/XML) is Oxigraph's. Besides ``/query``
(and ``/update``), only ``/``, ``/graph.html``, ``/report.md`` and ``/report.json`` are served;
no other path reaches the file system.

SPARQL updates (``allow_update``) change ``out/store`` only: they are not in the
build's files nor in its cache of findings, so the next ``kgraph build`` (``-o``
or ``--into``) or ``kgraph remove`` on the directory, which makes a new store
from the articles, drops them. Edits meant to last belong in a separate store
(``kgraph push`` the build there, and update that).

A new ``kgraph build`` swaps ``out/store`` for a new directory; the proxy
notices (the directory's inode changes), waits for the build's commit to be
complete, and starts a new backend on it, so the endpoint answers from the
new build within a couple of seconds. The old backend gets the time limit to
finish the queries it is running, then stops. The store is opened read-only
(RocksDB allows several readers), so ``kgraph query`` and ``kgraph export``
keep working beside a running server.
"""

from __future__ import annotations

import ctypes
import html
import http.client
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Self
from urllib.parse import parse_qsl, urlencode, urlsplit

from kgraph.errors import KgraphError, ServeError
from kgraph.rdf.store import open_store, store_path
from kgraph.serve.sparql import inject_prefixes, uses_remote_fetch

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_MAX_RESULT_BYTES",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT",
    "EndpointServer",
    "ServeOptions",
    "find_oxigraph",
    "is_loopback",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RESULT_BYTES = 50_000_000
MAX_REQUEST_BYTES = 10_000_000  # a query or update text larger than this is refused (413)
STATIC_FILES = {
    "/graph.html": ("graph.html", "text/html; charset=utf-8"),
    "/report.md": ("report.md", "text/markdown; charset=utf-8"),
    "/report.json": ("report.json", "application/json"),
}
_STARTUP_SECONDS = 20.0
_POOL_SIZE = 64  # idle kept-alive connections to the backend


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """How ``kgraph serve`` listens and what it allows."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    allow_update: bool = False
    allow_service: bool = False
    timeout: float = DEFAULT_TIMEOUT
    max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES
    oxigraph: str | None = None  # the binary; default: the one installed with the `oxigraph` package
    access_log: bool = True
    watch_interval: float = 2.0  # seconds between checks for a swapped store or a dead backend


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine (127.0.0.0/8, ::1, localhost)."""
    if host in {"localhost", "::1"}:
        return True
    return bool(re.fullmatch(r"127(?:\.\d{1,3}){3}", host))


def find_oxigraph(explicit: str | None = None) -> str:
    """The Oxigraph server binary: ``explicit``, else the one beside this Python, else on PATH."""
    if explicit:
        found = shutil.which(explicit)
        if found is None:
            raise ServeError(f"Oxigraph binary {explicit} not found or not executable")
        return found
    candidates = [Path(sysconfig.get_path("scripts")) / "oxigraph", Path(sys.executable).parent / "oxigraph"]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("oxigraph")
    if found is None:
        raise ServeError("the Oxigraph server is not installed: pip install 'oxigraph>=0.5,<0.6' (or pass --oxigraph PATH)")
    return found


# --- the Oxigraph process ---------------------------------------------------------------------------


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _parent_death_signal() -> Callable[[], None] | None:
    """Linux: a ``preexec_fn`` that has the kernel SIGTERM the backend if kgraph dies without cleaning up.

    The libc function is looked up here, in the parent, so that the child (forked from a process
    with threads) runs nothing but one foreign call before exec.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig, sigterm = ctypes.c_int(1), ctypes.c_ulong(signal.SIGTERM)

    def set_death_signal() -> None:  # pragma: no cover - runs in the child between fork and exec
        prctl(pr_set_pdeathsig, sigterm)

    return set_death_signal


class Backend:
    """One Oxigraph server process over a store directory, on a private loopback port."""

    def __init__(self, binary: str, store: Path, *, writable: bool, timeout_s: int) -> None:
        self.store = store
        self.port = _free_loopback_port()
        self._log: IO[bytes] = tempfile.TemporaryFile()
        command = [
            binary,
            "serve" if writable else "serve-read-only",
            "--location",
            str(store),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--union-default-graph",
            "--timeout-s",
            str(timeout_s),
        ]
        try:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=self._log,
                start_new_session=True,  # Ctrl-C reaches kgraph, which stops the backend itself
                preexec_fn=_parent_death_signal(),  # noqa: PLW1509 - one libc call, resolved before the fork
            )
        except OSError as err:
            self._log.close()
            raise ServeError(f"cannot start the Oxigraph server {binary}: {err.strerror or err}") from None
        try:
            self._wait_until_listening()
        except BaseException:  # Ctrl-C while starting included: never leave the process behind
            self.stop()
            raise

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + _STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                problem = self._first_error()
                raise ServeError(f"the Oxigraph server did not start on {self.store}: {problem}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.02)
        raise ServeError(f"the Oxigraph server did not start listening within {_STARTUP_SECONDS:.0f} s")

    def _first_error(self) -> str:
        self._log.seek(0)
        lines = [ln.strip() for ln in self._log.read().decode("utf-8", "replace").splitlines() if ln.strip()]
        for line in lines:
            if line.lower().startswith("error"):
                return line
        return lines[0] if lines else f"exit code {self.process.returncode}"

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def pause(self) -> bool:
        """Freeze the process (SIGSTOP) and wait until every thread has stopped; False if it has exited.

        Frozen, it cannot start writing to the store while the proxy decides whether to kill it.
        """
        if self.process.poll() is not None:
            return False
        try:
            os.kill(self.process.pid, signal.SIGSTOP)
            pid, status = os.waitpid(self.process.pid, os.WUNTRACED)
        except (ProcessLookupError, ChildProcessError):  # it exited, and Popen has reaped it
            return False
        if pid == self.process.pid and os.WIFSTOPPED(status):
            return True
        if pid == self.process.pid:  # it exited just before the signal: the status was ours to reap
            self.process.returncode = os.waitstatus_to_exitcode(status)
        return False

    def resume(self) -> None:
        """Let a paused process run on (SIGCONT)."""
        try:
            os.kill(self.process.pid, signal.SIGCONT)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        """End the process at once (SIGKILL, also when paused): RocksDB drops what it had not committed."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def stop(self, grace: float = 5.0) -> None:
        if self._log.closed:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


class _LogWatch:
    """Whether anything was written to a store's write-ahead log since this watch began.

    RocksDB writes a transaction's changes to its write-ahead log (``NNNNNN.log``) only
    when it commits, all of a transaction in one batch, and Oxigraph runs each update
    request as one transaction. So while an update is running alone, an unchanged log
    means it has changed nothing yet. The directory is held open, so the watch stays on
    this store even when a build renames it away.
    """

    def __init__(self, store: Path) -> None:
        try:
            self._fd = os.open(store, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            raise _Refusal(HTTPStatus.SERVICE_UNAVAILABLE, "the store is being replaced by a new build; try again in a moment") from None
        self._before = self.sizes()

    def sizes(self) -> dict[str, int]:
        """The size of each log file now."""
        sizes: dict[str, int] = {}
        try:
            names = os.listdir(self._fd)
        except OSError:  # the directory was deleted (a build replaced the store): nothing more can be written there
            return sizes
        for name in names:
            if name.endswith(".log"):
                try:
                    sizes[name] = os.stat(name, dir_fd=self._fd).st_size
                except OSError:
                    continue  # an old log RocksDB has just deleted
        return sizes

    def written(self) -> bool:
        return _log_grew(self._before, self.sizes())

    def close(self) -> None:
        os.close(self._fd)


def _log_grew(before: dict[str, int], after: dict[str, int]) -> bool:
    """Whether a write-ahead log file is longer in ``after`` than in ``before`` (or new and not empty).

    A log that disappeared does not count: RocksDB deletes old logs on its own, after a flush.
    """
    return any(size > before.get(name, 0) for name, size in after.items())


def _store_identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if (path / "CURRENT").is_file() else None


# --- the public server ------------------------------------------------------------------------------


class _Refusal(Exception):
    """An answer other than the backend's: an HTTP status and one line of text."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class EndpointServer:
    """The SPARQL endpoint of one build directory: Oxigraph behind a guarding proxy.

    >>> with EndpointServer(Path("out"), ServeOptions(port=0)) as server:  # doctest: +SKIP
    ...     server.serve_in_thread(); print(server.url)
    """

    def __init__(self, out_dir: Path, options: ServeOptions = ServeOptions()) -> None:
        if options.timeout <= 0:
            raise ServeError("--timeout must be a positive number of seconds")
        if options.max_result_bytes <= 0:
            raise ServeError("--max-result-bytes must be positive")
        self.out_dir = out_dir
        self.options = options
        self._store = store_path(out_dir)
        self._settled_identity()
        self._binary = find_oxigraph(options.oxigraph)
        self._lock = threading.Lock()
        self._backend: Backend | None = None
        # While the watcher replaces a backend killed to cancel an update, requests wait for the new one.
        self._replacing: str | None = None  # why, while it does
        self._backend_changed = threading.Condition(self._lock)
        self._wake = threading.Event()  # the watcher looks at once, not at its next interval
        self._update_lock = threading.Lock()  # one update at a time: only then does the log say whose writes it holds
        self._idle: list[http.client.HTTPConnection] = []  # kept-alive connections to the backend
        self._identity: tuple[int, int] | None = None
        self._httpd: ThreadingHTTPServer | None = None
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._serving_in_thread = False

    # lifecycle
    def start(self) -> Self:
        """Start the backend, bind the public address and the store watcher (does not block)."""
        self._backend = self._start_backend()
        try:
            self._httpd = _ProxyHTTPServer((self.options.host, self.options.port), _ProxyHandler, self)
        except OSError as err:
            self._backend.stop()
            raise ServeError(f"cannot listen on {self.options.host}:{self.options.port}: {err.strerror or err}") from None
        watcher = threading.Thread(target=self._watch, name="kgraph-serve-watch", daemon=True)
        watcher.start()
        self._threads.append(watcher)
        return self

    def serve_forever(self) -> None:
        """Answer requests until interrupted (Ctrl-C) or :meth:`close` from another thread."""
        assert self._httpd is not None, "start() first"
        self._httpd.serve_forever(poll_interval=0.2)

    def serve_in_thread(self) -> None:
        thread = threading.Thread(target=self.serve_forever, name="kgraph-serve", daemon=True)
        thread.start()
        self._threads.append(thread)
        self._serving_in_thread = True

    def close(self) -> None:
        """Stop answering, then stop the backend; safe to call twice."""
        self._stopping.set()
        self._wake.set()
        if self._httpd is not None:
            if self._serving_in_thread:
                self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        for thread in self._threads:
            thread.join(timeout=5)
        with self._lock:
            backend, self._backend = self._backend, None
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
        if backend is not None:
            backend.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def address(self) -> tuple[str, int]:
        assert self._httpd is not None, "start() first"
        host, port = self._httpd.server_address[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        host, port = self.address
        return f"http://{'[' + host + ']' if ':' in host else host}:{port}/"

    @property
    def backend_pid(self) -> int | None:
        with self._lock:
            return self._backend.process.pid if self._backend else None

    # the backend and its replacement
    def _settled_identity(self) -> tuple[int, int]:
        """The store directory's identity once no build is half way through replacing it."""
        open_store(self.out_dir)  # waits for (or finishes) a pending commit; the handle is dropped at once
        identity = _store_identity(self._store)
        if identity is None:
            raise ServeError(f"no graph store in {self.out_dir}/: build one first with `kgraph build PATH... -o {self.out_dir}`")
        return identity

    def _start_backend(self) -> Backend:
        identity = self._settled_identity()
        timeout_s = math.ceil(self.options.timeout) + 1  # the proxy gives up first; see the module docstring
        backend = Backend(self._binary, self._store, writable=self.options.allow_update, timeout_s=timeout_s)
        self._identity = identity
        return backend

    def backend_port(self) -> int:
        return self._current_backend().port

    def _current_backend(self) -> Backend:
        with self._lock:
            self._backend_changed.wait_for(lambda: self._replacing is None, timeout=_STARTUP_SECONDS)
            if self._backend is None:
                raise _Refusal(HTTPStatus.SERVICE_UNAVAILABLE, "the endpoint is shutting down")
            return self._backend

    def _watch(self) -> None:
        # Runs in its own thread for the server's lifetime: a backend started here gets SIGTERM
        # from the kernel when this thread ends (PR_SET_PDEATHSIG), i.e. only after close().
        # Every replacement backend is started here, never in a request's thread, which would end
        # (and so SIGTERM the new backend) as soon as its request is answered.
        while True:
            self._wake.wait(self.options.watch_interval)
            self._wake.clear()
            if self._stopping.is_set():
                break
            self._watch_once()
        with self._lock:
            self._replacing = None
            self._backend_changed.notify_all()

    def _watch_once(self) -> None:
        """Start a new backend if the store was swapped or the backend has stopped (or was killed)."""
        identity = _store_identity(self._store)
        with self._lock:
            current, cancelled = self._backend, self._replacing
        if current is None:
            return
        if identity is None or (identity == self._identity and current.alive):
            return  # unchanged, or mid-swap: keep answering from the open store
        if identity != self._identity:
            reason = "the store was replaced by a new build"
        else:
            reason = cancelled or "the Oxigraph server had stopped"
        fresh: Backend | None = None
        try:
            fresh = self._start_backend()
        except KgraphError as err:
            self._log(f"kgraph: could not restart the Oxigraph server: {err}")  # tried again at the next look
        finally:
            with self._lock:
                if fresh is not None:
                    self._backend = fresh
                self._replacing = None
                self._backend_changed.notify_all()
        if fresh is None:
            return
        self._log(f"kgraph: restarted the Oxigraph server ({reason})")
        if not current.alive:
            current.stop()
            return
        retire = threading.Thread(target=self._retire, args=(current,), name="kgraph-serve-retire", daemon=True)
        retire.start()
        self._threads = [t for t in self._threads if t.is_alive()]  # a long-lived server swaps stores many times
        self._threads.append(retire)

    def _retire(self, old: Backend) -> None:
        # Queries already running on the old store get their time limit to finish.
        self._stopping.wait(self.options.timeout + 1)
        old.stop()

    def _log(self, line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    # one request
    def fetch(self, path: str, body: bytes, content_type: str, accept: str, *, retry: bool = True) -> tuple[int, str, bytes]:
        """POST ``body`` to the backend; the whole answer, within the time and size limits.

        Connections to the backend are kept alive and reused. A reused one the backend has
        closed meanwhile fails before anything is evaluated; then (``retry``) a fresh one is tried.
        """
        opts = self.options
        deadline = time.monotonic() + opts.timeout
        conn, reused = self._connection(self.backend_port(), pooled=retry)
        keep = False
        try:
            try:
                if conn.sock is not None:
                    conn.sock.settimeout(opts.timeout)
                conn.request("POST", path, body=body, headers={"Content-Type": content_type, "Accept": accept})
                response = conn.getresponse()
            except (ConnectionError, http.client.RemoteDisconnected):
                if not reused:
                    raise
                conn.close()
                conn, reused = self._connection(self.backend_port(), pooled=False)
                conn.request("POST", path, body=body, headers={"Content-Type": content_type, "Accept": accept})
                response = conn.getresponse()
            sock = conn.sock
            data = bytearray()
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                if sock is not None:
                    sock.settimeout(remaining)
                chunk = response.read1(1 << 16)
                if not chunk:
                    break
                data += chunk
                if len(data) > opts.max_result_bytes:
                    raise _Refusal(
                        HTTPStatus.INSUFFICIENT_STORAGE,
                        f"the result is larger than the limit of {opts.max_result_bytes:,} bytes "
                        "(kgraph serve --max-result-bytes); add a LIMIT or select fewer variables",
                    )
            # Oxigraph cancels one second after this deadline and then writes its error into a 200
            # body; an answer that came in after the deadline may be that, so it is never passed on.
            if time.monotonic() > deadline:
                raise TimeoutError
            response.close()  # read to the end: this frees the connection for the next request
            keep = not response.will_close
            return response.status, response.getheader("Content-Type", "application/octet-stream"), bytes(data)
        except TimeoutError:  # socket.timeout is TimeoutError
            raise _Refusal(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"the query ran longer than the time limit of {opts.timeout:g} s (kgraph serve --timeout) and was stopped",
            ) from None
        except (ConnectionError, http.client.HTTPException) as err:
            raise _Refusal(HTTPStatus.BAD_GATEWAY, f"the Oxigraph server failed to answer: {err or type(err).__name__}") from None
        finally:
            if keep:
                self._release(conn)
            else:
                conn.close()

    def update(self, path: str, body: bytes, content_type: str) -> tuple[int, str, bytes]:
        """POST an update to the backend; the answer, or a 503 that says what became of the update.

        Oxigraph's ``--timeout-s`` applies to queries only: an update runs on past it,
        holding ever more memory, so on the time limit the proxy stops it itself
        (:meth:`_cancel_update`). Updates are sent one at a time, so that the store's
        write-ahead log tells whether the running one has written anything.
        """
        opts = self.options
        deadline = time.monotonic() + opts.timeout
        limit = f"the update ran longer than the time limit of {opts.timeout:g} s (kgraph serve --timeout)"
        if not self._update_lock.acquire(timeout=opts.timeout):
            raise _Refusal(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"another update kept the store busy for the whole time limit of {opts.timeout:g} s "
                "(kgraph serve --timeout); this one was not run",
            )
        try:
            backend = self._current_backend()
            log = _LogWatch(backend.store)
            conn = http.client.HTTPConnection("127.0.0.1", backend.port, timeout=max(deadline - time.monotonic(), 0.001))
            try:
                conn.request("POST", path, body=body, headers={"Content-Type": content_type})
                try:
                    response = conn.getresponse()
                except TimeoutError:
                    if self._cancel_update(backend, log):
                        raise _Refusal(
                            HTTPStatus.SERVICE_UNAVAILABLE,
                            f"{limit} and was cancelled before any of it was written: nothing of it was applied "
                            "(the Oxigraph server was restarted to stop it)",
                        ) from None
                    # Already being written: killing it now would not undo it, so its real answer is awaited.
                    if conn.sock is not None:
                        conn.sock.settimeout(None)
                    response = conn.getresponse()
                data = response.read()
                return response.status, response.getheader("Content-Type", _PLAIN), data
            except (OSError, http.client.HTTPException) as err:
                outcome = (
                    "check with a query whether it was applied (an update is applied whole or not at all)"
                    if log.written()
                    else "nothing of it was applied"
                )
                if isinstance(err, TimeoutError):  # sending it, after waiting for another update
                    raise _Refusal(HTTPStatus.SERVICE_UNAVAILABLE, f"{limit}; {outcome}") from None
                raise _Refusal(
                    HTTPStatus.BAD_GATEWAY, f"the Oxigraph server failed to answer the update ({err or type(err).__name__}); {outcome}"
                ) from None
            finally:
                conn.close()
                log.close()
        finally:
            self._update_lock.release()

    def _cancel_update(self, backend: Backend, log: _LogWatch) -> bool:
        """Stop the backend running a timed-out update, unless the update is already being written.

        The backend is frozen first, so nothing can be written while the log is looked at.
        Nothing written: the process is killed, which drops the uncommitted transaction
        whole (RocksDB), and the watcher starts a new backend on the same store, which
        this waits for; True. Written: the commit has begun, and a killed process would
        only replay it from the log on restart, so the backend is let run on; False.
        """
        if backend.pause() and log.written():
            backend.resume()
            return False
        backend.kill()
        with self._lock:
            if self._backend is backend:
                self._replacing = "an update ran past the time limit and was cancelled"
        self._wake.set()
        with self._lock:
            self._backend_changed.wait_for(lambda: self._replacing is None, timeout=_STARTUP_SECONDS + 1)
        return True

    def _connection(self, port: int, *, pooled: bool) -> tuple[http.client.HTTPConnection, bool]:
        with self._lock:
            while pooled and self._idle:
                conn = self._idle.pop()
                if conn.port == port:
                    return conn, True
                conn.close()  # to a backend that has been replaced
        return http.client.HTTPConnection("127.0.0.1", port, timeout=self.options.timeout), False

    def _release(self, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            if self._backend is not None and conn.port == self._backend.port and len(self._idle) < _POOL_SIZE:
                self._idle.append(conn)
                return
        conn.close()


class _ProxyHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the default listen backlog (5) drops connections under a burst of clients

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], endpoint: EndpointServer) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.endpoint = endpoint
        super().__init__(address, handler)


_PLAIN = "text/plain; charset=utf-8"


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes; don't wait for delayed ACKs
    server_version = "kgraph"
    sys_version = ""
    server: _ProxyHTTPServer

    def do_GET(self) -> None:
        self._handle("GET")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_OPTIONS(self) -> None:
        self._handle("OPTIONS")

    def log_message(self, format: str, *args: object) -> None:
        if self.server.endpoint.options.access_log:
            super().log_message(format, *args)

    def _handle(self, method: str) -> None:
        self._body_read = False
        try:
            parts = urlsplit(self.path)
            route = parts.path
            if route in {"/query", "/update"}:
                if method not in {"GET", "POST"}:
                    raise _Refusal(HTTPStatus.METHOD_NOT_ALLOWED, f"{method} is not supported on {route}; use GET or POST")
                self._sparql(method, route, parts.query)
            elif route == "/" or route in STATIC_FILES:
                if method not in {"GET", "HEAD"}:
                    raise _Refusal(HTTPStatus.METHOD_NOT_ALLOWED, f"{method} is not supported on {route}")
                self._static(route, head=method == "HEAD")
            else:
                raise _Refusal(HTTPStatus.NOT_FOUND, f"no such page: {route}; see / for what is served")
        except _Refusal as refusal:
            if not self._body_read and (self.headers.get("Content-Length") or self.headers.get("Transfer-Encoding")):
                self.close_connection = True  # an unread body would be taken for the next request
            self._send(refusal.status, _PLAIN, (refusal.message + "\n").encode("utf-8"), head=method == "HEAD")

    # static pages
    def _static(self, route: str, *, head: bool) -> None:
        endpoint = self.server.endpoint
        if route == "/":
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", _index_page(endpoint).encode("utf-8"), head=head)
            return
        name, content_type = STATIC_FILES[route]
        try:
            data = (endpoint.out_dir / name).read_bytes()
        except OSError:
            raise _Refusal(HTTPStatus.NOT_FOUND, f"{name} is not in {endpoint.out_dir}/ (run kgraph build)") from None
        self._send(HTTPStatus.OK, content_type, data, head=head)

    # SPARQL
    def _sparql(self, method: str, route: str, url_query: str) -> None:
        endpoint = self.server.endpoint
        opts = endpoint.options
        params = parse_qsl(url_query, keep_blank_values=True)
        text: str | None = None
        kind = "update" if route == "/update" else "query"
        if method == "POST":
            body = self._read_body()
            content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if content_type == "application/x-www-form-urlencoded":
                params += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
            elif content_type in {"application/sparql-query", "application/sparql-update"}:
                kind = "update" if content_type == "application/sparql-update" else "query"
                text = body.decode("utf-8", "replace")
            else:
                raise _Refusal(
                    HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                    "POST a query as application/sparql-query or application/x-www-form-urlencoded (query=...)",
                )
        if text is None:
            queries = [v for k, v in params if k == "query"]
            updates = [v for k, v in params if k == "update"]
            if len(queries) + len(updates) != 1:
                hint = "exactly one 'query' parameter" if kind == "query" else "exactly one 'update' parameter"
                raise _Refusal(HTTPStatus.BAD_REQUEST, f"give {hint} (SPARQL 1.1 Protocol)")
            if updates:
                if method != "POST":
                    raise _Refusal(HTTPStatus.BAD_REQUEST, "SPARQL Update must be sent with POST")
                kind, text = "update", updates[0]
            else:
                kind, text = "query", queries[0]
        if kind == "update" and not opts.allow_update:
            raise _Refusal(HTTPStatus.FORBIDDEN, "this endpoint is read-only: start kgraph serve with --allow-update to accept SPARQL Update")
        if not opts.allow_service:
            keyword = uses_remote_fetch(text, update=kind == "update")
            if keyword is not None:
                raise _Refusal(
                    HTTPStatus.FORBIDDEN,
                    f"{keyword} would make the endpoint fetch from another host, which is not allowed here: "
                    "start kgraph serve with --allow-service to allow it",
                )
        graph_keys = {"default-graph-uri", "named-graph-uri"} if kind == "query" else {"using-graph-uri", "using-named-graph-uri"}
        forwarded = urlencode([(k, v) for k, v in params if k in graph_keys])
        path = f"/{kind}" + (f"?{forwarded}" if forwarded else "")
        content_type = f"application/sparql-{kind}; charset=utf-8"
        accept = self.headers.get("Accept") or "*/*"
        if kind == "update":
            status, result_type, data = endpoint.update(path, inject_prefixes(text).encode("utf-8"), content_type)
        else:
            status, result_type, data = endpoint.fetch(path, inject_prefixes(text).encode("utf-8"), content_type, accept)
        self._send(status, result_type, data, extra={"Vary": "Accept"})

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            raise _Refusal(HTTPStatus.LENGTH_REQUIRED, "send the request body with a Content-Length")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise _Refusal(HTTPStatus.BAD_REQUEST, "invalid Content-Length") from None
        if length > MAX_REQUEST_BYTES:
            raise _Refusal(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the request is larger than {MAX_REQUEST_BYTES:,} bytes")
        body = self.rfile.read(length) if length > 0 else b""
        self._body_read = True
        return body

    def _send(self, status: int, content_type: str, data: bytes, *, head: bool = False, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not head:
            self.wfile.write(data)


def _index_page(endpoint: EndpointServer) -> str:
    opts = endpoint.options
    out = html.escape(str(endpoint.out_dir))
    mode = "read-write (SPARQL Update at /update)" if opts.allow_update else "read-only"
    service = "allowed" if opts.allow_service else "refused"
    example = html.escape(
        "curl -H 'Accept: text/csv' --data-urlencode "
        "'query=SELECT ?name WHERE { ?p a schema:Person ; rdfs:label ?name }' " + endpoint.url + "query"
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kgraph: {out}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;line-height:1.5}}code,pre{{background:#f4f4f4}}pre{{padding:.6rem;overflow-x:auto}}</style>
</head><body>
<h1>kgraph: {out}</h1>
<ul>
<li><a href="/graph.html">The map</a> (graph.html)</li>
<li><a href="/report.md">The report</a> (report.md; the same analysis as data: <a href="/report.json">report.json</a>)</li>
<li>SPARQL 1.1 endpoint: <code>/query</code> (GET or POST; {mode}; SERVICE {service};
time limit {opts.timeout:g} s; results up to {opts.max_result_bytes:,} bytes)</li>
</ul>
<p>The default graph is the union of all graphs; kgraph's prefixes (<code>schema:</code>, <code>kg:</code>,
<code>nif:</code>, &hellip;) are predeclared. Results in JSON, XML, CSV or TSV; graphs in Turtle, N-Triples,
JSON-LD or RDF/XML, by the <code>Accept</code> header.</p>
<pre>{example}</pre>
</body></html>
"""
