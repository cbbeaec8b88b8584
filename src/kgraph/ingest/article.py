"""The Article value that ingest produces and every later stage reads."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, as kgraph stores it.

    ``text`` is the cleaned article text; every character offset in the graph
    indexes this exact string, so it must never be altered after ingest.
    """

    id: str
    text: str
    source: str
    title: str | None = None
    date: str | None = None  # ISO 8601 date (YYYY-MM-DD) when known
    url: str | None = None
    outlet: str | None = None

    @property
    def content_hash(self) -> str:
        """SHA-256 of the text: identical articles are built once."""
        return "sha256:" + hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that was not built, and why (shown to the user, never raised)."""

    source: str
    reason: str
