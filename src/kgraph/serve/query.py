"""SPARQL over the store, and the shapes a user reads results in."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    Store,
    Triple,
)

from kgraph.errors import QueryError
from kgraph.rdf.vocab import PREFIXES
from kgraph.serve.sparql import uses_remote_fetch

RESULT_FORMATS = ("table", "csv", "tsv", "json")


@dataclass(frozen=True, slots=True)
class Table:
    """A SELECT result as plain strings (IRIs shortened with kgraph's prefixes)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def run_query(store: Store, sparql: str, *, allow_service: bool = False) -> Table | bool:
    """Run a query over the union of all graphs; the standard prefixes are predeclared.

    SELECT gives a :class:`Table`, ASK a bool, CONSTRUCT/DESCRIBE a three-column table.

    pyoxigraph really performs a federated ``SERVICE`` call, to whatever host the
    query names, so a query that uses one is refused unless ``allow_service``: a
    query file from elsewhere must not make this machine contact other hosts (or
    services on this one) behind the user's back. The check is the one ``kgraph
    serve`` makes (:func:`kgraph.serve.sparql.uses_remote_fetch`), and it runs before the
    engine sees the query, so a refused query makes no connection at all.
    """
    keyword = uses_remote_fetch(sparql)
    if keyword is not None and not allow_service:
        raise QueryError(
            f"the query uses {keyword}, which would make kgraph fetch from the host it names; "
            "pass --allow-service to allow that"
        )
    try:
        # Solutions are computed as they are read, so a failed SERVICE call can surface in either step.
        return _collect(store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True))
    except SyntaxError as err:
        raise QueryError(f"SPARQL syntax error: {' '.join(str(err).split())}") from None
    except OSError as err:
        where = f" in a {keyword} call" if keyword else ""
        raise QueryError(f"query failed{where}: {' '.join(str(err).split())}") from None


def _collect(result: QueryBoolean | QuerySolutions | QueryTriples) -> Table | bool:
    """Read a result to the end, as plain strings."""
    if isinstance(result, QueryBoolean):
        return bool(result)
    if isinstance(result, QuerySolutions):
        cols = tuple(v.value for v in result.variables)
        rows = tuple(tuple(term_text(sol[c]) for c in cols) for sol in result)
        return Table(cols, rows)
    rows = tuple((term_text(t.subject), term_text(t.predicate), term_text(t.object)) for t in result)
    return Table(("subject", "predicate", "object"), rows)


def term_text(term: NamedNode | BlankNode | Literal | Triple | None) -> str:
    """How a term is shown: IRIs with a known prefix shortened, literals as their value."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        for prefix, ns in PREFIXES.items():
            if term.value.startswith(ns) and _is_simple_local(term.value[len(ns):]):
                return f"{prefix}:{term.value[len(ns):]}"
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        return term.value
    return str(term)


def _is_simple_local(local: str) -> bool:
    return bool(local) and all(c.isalnum() or c in "-_" for c in local)


def format_table(table: Table, fmt: str) -> str:
    """CSV / TSV / JSON text for a table (the rich 'table' view lives in the CLI)."""
    if fmt == "json":
        return json.dumps([dict(zip(table.columns, row)) for row in table.rows], ensure_ascii=False, indent=2) + "\n"
    if fmt in {"csv", "tsv"}:
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows(table.rows)
        return buf.getvalue()
    raise QueryError(f"unknown result format {fmt!r}; choose one of {', '.join(RESULT_FORMATS)}")
