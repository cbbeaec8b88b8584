"""Keeping entity IRIs resolvable when the corpus changes (``owl:sameAs``).

An entity's IRI is minted from its kind and canonical label
(:func:`kgraph.rdf.emit.entity_iris`), so a build of the same articles always
gives the same IRIs, however it was reached. When articles are added, changed or
removed, resolution can merge two entities or choose another label, and an IRI
of the previous build disappears. It stays resolvable: the entity graph gets
``<old> owl:sameAs <current>``, where the current entity is the one that now
holds most of the old IRI's mentions. Links are kept pointing straight at a
current IRI (never a chain), and an IRI that is current again loses its link.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from pyoxigraph import NamedNode, Store

from kgraph.rdf.store import select
from kgraph.rdf.vocab import ENTITY_GRAPH, sparql_prologue

__all__ = ["PreviousIdentity", "read_identity", "successors"]


@dataclass(frozen=True, slots=True)
class PreviousIdentity:
    """What the previous build said about entity identity."""

    # (entity IRI, article id, begin, end, anchor text) for every mention node
    mentions: tuple[tuple[str, str, int, int, str], ...] = ()
    # (old IRI, current IRI) for every owl:sameAs link of the entity graph
    links: tuple[tuple[str, str], ...] = ()
    # (article id, story IRI) for every article: a story keeps its IRI while it grows
    stories: tuple[tuple[str, str], ...] = ()


def read_identity(store: Store) -> PreviousIdentity:
    """The mention targets, ``owl:sameAs`` links and stories of a previous build's store."""
    # Read row by row, not through ``select``: a corpus has tens of thousands of mentions,
    # and the GRAPH pattern lets the store join inside each article's graph.
    solutions = store.query(
        sparql_prologue()
        + """SELECT ?e ?id ?b ?end ?anchor WHERE { GRAPH ?g {
               ?m itsrdf:taIdentRef ?e ; nif:referenceContext ?a ; nif:beginIndex ?b ;
                  nif:endIndex ?end ; nif:anchorOf ?anchor . ?a schema:identifier ?id } }"""
    )
    mentions = tuple(
        (row[0].value, row[1].value, int(row[2].value), int(row[3].value), row[4].value)  # type: ignore[union-attr]
        for row in solutions
    )
    links = tuple(
        (r["old"].value, r["new"].value)
        for r in select(store, f"SELECT ?old ?new WHERE {{ GRAPH <{ENTITY_GRAPH.value}> {{ ?old owl:sameAs ?new }} }}")
        if isinstance(r["old"], NamedNode) and isinstance(r["new"], NamedNode)
    )
    stories = tuple(
        (r["id"].value, r["s"].value)
        for r in select(store, "SELECT ?id ?s WHERE { ?a kg:story ?s ; schema:identifier ?id }")
        if isinstance(r["s"], NamedNode)
    )
    return PreviousIdentity(mentions, links, stories)


def successors(
    previous: PreviousIdentity,
    entity_of_span: Mapping[tuple[str, int, int], str],
    anchors: Mapping[tuple[str, int, int], str],
    current: Collection[str],
) -> dict[str, str]:
    """Old IRI -> the current IRI it now denotes, for every old IRI that is not current.

    ``entity_of_span`` maps each mention of the new build, (article id, begin, end),
    to its entity IRI, and ``anchors`` to its text. An old IRI's successor is the
    entity most of its surviving mentions now point to: mentions at the same
    offsets of the same article first, else (the article's text changed) mentions
    of the same name in the same article. An old IRI none of whose mentions
    survive (its articles were removed) has no successor and is dropped.
    Ties go to the smallest IRI, so the result is deterministic.
    """
    current = set(current)
    by_anchor: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for (article, begin, end), iri in entity_of_span.items():
        by_anchor[(article, anchors[(article, begin, end)])][iri] += 1
    exact: dict[str, Counter[str]] = defaultdict(Counter)
    loose: dict[str, Counter[str]] = defaultdict(Counter)
    for iri, article, begin, end, anchor in previous.mentions:
        if iri in current:
            continue
        now = entity_of_span.get((article, begin, end))
        if now is not None:
            exact[iri][now] += 1
        else:
            loose[iri].update(by_anchor.get((article, anchor), Counter()))
    found: dict[str, str] = {}
    for iri in sorted(exact.keys() | loose.keys()):
        votes = exact.get(iri) or loose.get(iri)
        if votes:
            found[iri] = max(sorted(votes), key=lambda n: votes[n])
    # Older links: follow them to the IRI they denoted, then on to that one's successor.
    linked = dict(previous.links)
    for old in sorted(linked):
        if old in current or old in found:
            continue
        target, seen = linked[old], {old}
        while target not in current and target not in seen:
            seen.add(target)
            target = found.get(target) or linked.get(target, target)
        if target in current and target != old:
            found[old] = target
    return {old: new for old, new in found.items() if new in current and old != new}
