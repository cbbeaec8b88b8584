"""The one exception tree of kgraph.

Every error a user can cause (bad input, missing model, bad query, bad alias
file) is a :class:`KgraphError` whose ``str`` is a one-line, user-facing
message. Only the CLI catches them, to print that line and exit non-zero.
"""

from __future__ import annotations

from pathlib import Path


class KgraphError(Exception):
    """Base of every user-facing error; caught only at the CLI edge."""


class InputError(KgraphError):
    """An input file or record could not be read as an article."""

    def __init__(self, source: str | Path, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = str(source)
        self.problem = problem


class NothingToBuildError(KgraphError):
    """No input yielded a single article."""


class ModelNotFoundError(KgraphError):
    """The requested spaCy pipeline is not installed."""


class AliasFileError(KgraphError):
    """The user's alias file is missing or malformed."""

    def __init__(self, path: str | Path, problem: str) -> None:
        super().__init__(f"alias file {path}: {problem}")
        self.path = str(path)


class StoreError(KgraphError):
    """The persistent store is missing, locked or unreadable."""


class OutputError(KgraphError):
    """The output directory cannot be created or written."""


class ArticleNotFoundError(KgraphError):
    """An article id given to ``kgraph remove`` is not in the graph."""


class QueryError(KgraphError):
    """A SPARQL query is malformed or cannot be answered."""


class ServeError(KgraphError):
    """The SPARQL endpoint cannot start (no store, no Oxigraph binary, address in use)."""


class PushError(KgraphError):
    """Uploading the graph to a remote SPARQL store failed (unreachable, refused, rejected)."""
