"""The persistent embedded store (pyoxigraph / RocksDB) under ``<out>/store``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Store

from kgraph.errors import StoreError
from kgraph.rdf.vocab import sparql_prologue

STORE_DIRNAME = "store"

def store_path(out_dir: Path) -> Path:
    return out_dir / STORE_DIRNAME


# A build reads its own graph back many times (analyses, map, report, exports). RocksDB decodes
# about 80,000 quads a second on this path, an in-memory store twenty times as many: at 1,000 real
# articles (850k quads) exporting TriG takes 10 s from disk and 0.9 s from memory, the map 14 s and
# 7.7 s. Memory costs about 400 bytes a quad, about 150 bytes per character of article text, so a
# corpus up to this many characters (about 2,500 news articles, a working store of about 1 GB) is
# built in memory and written to disk on another thread while the map is drawn; a larger one is
# built straight into RocksDB, which keeps the memory peak bounded.
MEMORY_STORE_MAX_CHARS = 6_000_000


def create_store(path: Path, quads: Iterable[Quad], *, in_memory: bool = False) -> Store:
    """A new store holding ``quads`` (bulk loaded): at ``path``, or in memory until :func:`persist` writes it there."""
    store = Store() if in_memory else Store(str(path))
    store.bulk_extend(quads)
    store.flush()
    return store


def persist(store: Store, path: Path, scratch: Path) -> Store:
    """Write an in-memory ``store`` to a new RocksDB store at ``path``, through an N-Quads file at ``scratch``.

    Both steps run in Oxigraph without holding the GIL, so a thread can do this while the
    build computes and draws. Returns the store at ``path``, open, for quads the caller adds
    later (adding a quad it already holds changes nothing). The file is removed, also on failure.
    """
    try:
        store.dump(str(scratch), RdfFormat.N_QUADS)
        target = Store(str(path))
        target.bulk_load(path=str(scratch), format=RdfFormat.N_QUADS)
        target.flush()
        return target
    finally:
        scratch.unlink(missing_ok=True)


def open_store(out_dir: Path) -> Store:
    """Open the store of a previous build for reading.

    A commit that a killed build left half done is finished first, and one that a
    running build is making is waited for (:func:`kgraph.commit.settle`), so the
    store opened is always a whole build.
    """
    from kgraph.commit import pending, settle

    path = store_path(out_dir)
    for attempt in (1, 2):
        settle(out_dir)
        try:
            if path.is_dir():
                return Store.read_only(str(path))
        except OSError as err:
            if attempt == 1 and pending(out_dir):
                continue  # a build moved the store while we opened it: open the new one
            raise StoreError(f"cannot open the graph store in {path}: {err}") from None
        if attempt == 1 and pending(out_dir):
            continue
        break
    raise StoreError(f"no graph store in {out_dir}/: build one first with `kgraph build PATH... -o {out_dir}`")


Term = NamedNode | BlankNode | Literal


def select(store: Store, body: str) -> list[dict[str, Term | None]]:
    """Rows of a SELECT over the union of all graphs, with kgraph's prefixes declared.

    The one place internal readers (build, analyses, report, map) query the store; the union
    default graph lets them read a dataset with named graphs and one loaded
    into the default graph alike. A solution iterates its terms in the order of
    its variables (None where unbound), so each row is zipped, not looked up
    name by name: the map converts some 100,000 rows.
    """
    solutions = store.query(sparql_prologue() + body, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return [dict(zip(names, solution)) for solution in solutions]


def select_values(store: Store, body: str) -> list[dict[str, str]]:
    """:func:`select`'s rows with each term's value as a plain string ('' for unbound), for readers that print or compare them."""
    return [{k: ("" if v is None else v.value) for k, v in row.items()} for row in select(store, body)]
