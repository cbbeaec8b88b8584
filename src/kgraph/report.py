"""``report.md``: what was read, what was found, and the most-mentioned entities.

The numbers come from the store through SPARQL, so the report says exactly
what a user's own query would find; only facts about the run itself (skipped
inputs, duplicates, timings) come from the build.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pyoxigraph import Store

from kgraph.article import Skipped
from kgraph.rdf.store import select

TOP_ENTITIES = 25
TOP_UNDATED_EVENTS = 20


@dataclass(frozen=True, slots=True)
class RunFacts:
    """What the build knows that the graph does not."""

    model: str
    inputs: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    duplicates: tuple[tuple[str, str], ...]
    seconds: float
    map_note: str


def _select(store: Store, body: str) -> list[dict[str, str]]:
    """Rows as plain strings ('' for unbound): the report only prints them."""
    return [{k: ("" if v is None else v.value) for k, v in row.items()} for row in select(store, body)]


def _md(text: str) -> str:
    """Escape what Markdown would read as markup or table structure."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;").replace("\n", " ")


def render_report(store: Store, facts: RunFacts) -> str:
    lines: list[str] = ["# kgraph report", ""]
    articles = _select(
        store,
        """SELECT ?a ?id ?title ?date ?outlet ?len (COUNT(?m) AS ?mentions) WHERE {
             ?a a schema:NewsArticle ; schema:identifier ?id ; nif:endIndex ?len .
             OPTIONAL { ?a schema:headline ?title } OPTIONAL { ?a schema:datePublished ?date }
             OPTIONAL { ?a schema:publisher/rdfs:label ?outlet }
             OPTIONAL { ?m nif:referenceContext ?a ; a kg:EntityMention }
           } GROUP BY ?a ?id ?title ?date ?outlet ?len ORDER BY ?id""",
    )
    lines += [
        f"Built from {len(articles)} article(s) with the spaCy pipeline `{facts.model}` in {facts.seconds:.1f} s.",
        "",
        "## Articles read",
        "",
        "| id | title | date | outlet | characters | entity mentions |",
        "| --- | --- | --- | --- | ---: | ---: |",
    ]
    for a in articles:
        lines.append(f"| {_md(a['id'])} | {_md(a['title'])} | {a['date']} | {_md(a['outlet'])} | {a['len']} | {a['mentions']} |")
    lines.append("")
    if facts.skipped:
        lines += [f"## Skipped inputs ({len(facts.skipped)})", ""]
        lines += [f"- `{_md(s.source)}`: {_md(s.reason)}" for s in facts.skipped]
        lines.append("")
    if facts.duplicates:
        lines += [f"## Duplicates built once ({len(facts.duplicates)})", ""]
        lines += [f"- `{_md(src)}` has the same text as article `{_md(kept)}`" for src, kept in facts.duplicates]
        lines.append("")

    counts = _select(
        store,
        """SELECT ?type (COUNT(DISTINCT ?e) AS ?entities) (SUM(?n) AS ?mentions) WHERE {
             VALUES ?type { schema:Person schema:Organization schema:Place schema:Event }
             ?e a ?type ; kg:mentionCount ?n .
             FILTER NOT EXISTS { ?e a kg:Event }
           } GROUP BY ?type ORDER BY ?type""",
    )
    lines += ["## Entities by type", "", "| type | entities | mentions |", "| --- | ---: | ---: |"]
    for c in counts:
        lines.append(f"| {c['type'].rsplit('/', 1)[-1]} | {c['entities']} | {c['mentions'] or 0} |")
    lines.append("")

    top = _select(
        store,
        f"""SELECT ?e ?label ?type ?articles ?mentions WHERE {{
              ?e rdfs:label ?label ; kg:articleCount ?articles ; kg:mentionCount ?mentions ; a ?type .
              VALUES ?type {{ schema:Person schema:Organization schema:Place schema:Event }}
              FILTER NOT EXISTS {{ ?e a kg:Event }}
            }} ORDER BY DESC(?articles) DESC(?mentions) ?label LIMIT {TOP_ENTITIES}""",
    )
    where = _select(
        store,
        """SELECT ?e ?id WHERE { ?a schema:mentions ?e ; schema:identifier ?id } ORDER BY ?id""",
    )
    ids_of: dict[str, list[str]] = defaultdict(list)
    for w in where:
        ids_of[w["e"]].append(w["id"])
    lines += [
        f"## Most-mentioned entities (top {len(top)})",
        "",
        "| entity | type | articles | mentions | mentioned in |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for t in top:
        lines.append(
            f"| {_md(t['label'])} | {t['type'].rsplit('/', 1)[-1]} | {t['articles']} | {t['mentions']} | {', '.join(_md(i) for i in ids_of[t['e']])} |"
        )
    lines.append("")

    lines += _timeline(store)

    merges = _select(
        store,
        """SELECT ?label ?form ?rule WHERE {
             ?e rdfs:label ?label ; kg:merge ?m . ?m kg:mergedForm ?form ; kg:mergeRule ?r .
             FILTER NOT EXISTS { ?e a kg:Event }
             BIND(REPLACE(STR(?r), "^.*#rule-", "") AS ?rule)
           } ORDER BY ?label ?form""",
    )
    lines += [f"## Names merged ({len(merges)})", "", "| entity | merged form | rule |", "| --- | --- | --- |"]
    lines += [f"| {_md(m['label'])} | {_md(m['form'])} | {_md(m['rule'])} |" for m in merges]
    lines += ["", "## Map", "", facts.map_note, ""]
    return "\n".join(lines)




def _timeline(store: Store) -> list[str]:
    """Dated events in event-time order, then the undated ones most articles report; each with its sources.

    The date is the event's own (from the text, normalised against the article's
    date); when the article was published is a different fact, shown apart.
    """
    rows = _select(
        store,
        """SELECT ?e ?label ?value ?text ?articles ?mentions
                  (GROUP_CONCAT(DISTINCT ?m; SEPARATOR=", ") AS ?modalities)
                  (GROUP_CONCAT(DISTINCT ?id; SEPARATOR=", ") AS ?sources) WHERE {
             ?e a kg:Event ; rdfs:label ?label ; kg:modality ?m ; kg:articleCount ?articles ; kg:mentionCount ?mentions .
             ?a schema:mentions ?e ; schema:identifier ?id .
             OPTIONAL { ?e sem:hasTime ?t . OPTIONAL { ?t kg:timeValue ?value } OPTIONAL { ?t rdfs:label ?text } }
           } GROUP BY ?e ?label ?value ?text ?articles ?mentions""",
    )
    dated = sorted((r for r in rows if r["value"]), key=lambda r: (r["value"], r["label"]))
    undated = sorted((r for r in rows if not r["value"]), key=lambda r: (-int(r["articles"]), -int(r["mentions"]), r["label"]))
    shown = undated[:TOP_UNDATED_EVENTS]
    lines = [
        f"## Timeline ({len(rows)} events: {len(dated)} dated by the text, {len(undated)} undated)",
        "",
        "Event time as the articles give it (relative dates such as \"on Monday\" are resolved against the "
        "article's publication date when it is known); the readings say how the sources present the event.",
        "",
        "| when | event | readings | sources |",
        "| --- | --- | --- | --- |",
    ]
    for r in dated:
        when = r["value"] + (f" ({_md(r['text'])})" if r["text"] else "")
        lines.append(f"| {when} | {_md(r['label'])} | {_md(r['modalities'])} | {_md(r['sources'])} |")
    if shown:
        lines += [
            "",
            f"Undated events reported by the most articles (top {len(shown)} of {len(undated)}):",
            "",
            "| event | articles | mentions | readings | sources |",
            "| --- | ---: | ---: | --- | --- |",
        ]
        for r in shown:
            lines.append(f"| {_md(r['label'])} | {r['articles']} | {r['mentions']} | {_md(r['modalities'])} | {_md(r['sources'])} |")
    lines.append("")
    return lines
