"""``report.md`` and ``report.json``: what was read, what was found, and what the analyses say.

The numbers come from the store through SPARQL, so the report says exactly
what a user's own query would find; only facts about the run itself (skipped
inputs, duplicates, timings) come from the build. The analysis sections (who
contradicts whom, agreements, camps, most cited sources, repeated statements)
render the data of :func:`kgraph.analyze.analyses.analysis_result`, which the build has
also written into the analysis graph.

``report.json`` is that data as JSON (no timings, so equal inputs give an equal
file). Its top-level keys:

- ``graph``: the IRI of the analysis graph the same results are in;
- ``speakers``: every claim author, most central first: ``iri``, ``label``,
  ``kind`` (person, organization, group), ``claims``, ``contradictions``,
  ``agreements`` (relations it takes part in), ``centrality`` (degree
  centrality in the speaker graph), ``camps`` (the IRIs of its camps, one per
  story it disputes in; empty when it is in no relation);
- ``contradictions``: speaker pairs ranked by the contradictions between them:
  ``speakers`` (two ``{iri, label}``), ``count``, ``confidences`` (all, highest
  first) and ``relations`` (the strongest 20; every one is in the analysis
  graph with its rdfs:comment), each with ``relation`` (IRI), ``rule``,
  ``confidence`` and ``from``/``to`` claims (``claim``, ``speaker``, ``text``,
  ``sentence`` = the evidence sentence, ``article`` id, ``outlet``, ``date``);
- ``agreements``: the same for agreement relations;
- ``camps``: the sides of each story's dispute, story by story (the story with
  most camp members first): ``iri``, ``label``, ``story`` (``{iri, label}``, null
  in a build without stories), ``members`` and ``opposes`` (``{camp,
  contradictions}``: the camps of the same story its members contradict). Each
  member is ``{iri, label, because_count, because}``: ``because`` the strongest
  five relations that put it there (its agreements with camp-mates, its
  contradictions of other camps), each ``{relation, kind, rule, confidence,
  with, claim, other_claim}`` with the member's claim and the other speaker's
  (``{claim, text, article}``); every one is a ``prov:wasDerivedFrom`` of the
  camp in the analysis graph;
- ``sources``: cited sources ranked by citing outlets: ``iri``, ``label``,
  ``type``, ``articles``, ``outlets``, ``pagerank`` (in the citation graph);
- ``repeated_statements``: one statement by one speaker carried by several
  articles: ``iri`` (the kg:StatementCluster), ``speaker``, ``text``,
  ``origin`` (``iri``, ``kind`` work or article, ``label``), ``articles``
  (``id``, ``outlet``, ``date``; earliest first), ``outlets``, ``claims``;
- ``stories``: the stories the corpus holds, largest first: ``iri``, ``label`` (its main
  entities), ``articles`` (ids), ``period`` (ISO date or interval, null when undated) and
  ``entities`` (``{iri, label}``, the story's most salient entities);
- ``parameters``: the thresholds the repetition analysis used.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pyoxigraph import NamedNode, Store

from kgraph.ingest.article import Skipped
from kgraph.rdf.articles import read_articles
from kgraph.rdf.store import select_values

TOP_ENTITIES = 25
TOP_UNDATED_EVENTS = 20
TOP_DATED_EVENTS = 150  # past these, the timeline keeps the events most articles report, in time order
TOP_PAIRS = 15  # speaker pairs in the contradiction table
TOP_PAIRS_WITH_EVIDENCE = 5  # pairs whose strongest relations are shown with both claims
RELATIONS_PER_PAIR = 3
TOP_AGREEMENTS = 10
TOP_CAMP_STORIES = 10  # stories whose camps report.md shows, most camp members first
TOP_CAMPS_PER_STORY = 8
MEMBERS_PER_CAMP = 12
TOP_SOURCES = 10
TOP_CLUSTERS = 15
# The sections that list every article or merge grow with the corpus: past these many rows the
# report says how many more there are and which query lists them all, so that report.md stays a
# page a reader reads at ten thousand articles.
TOP_ARTICLES = 200
TOP_MERGES = 300
IDS_PER_ENTITY = 12  # article ids in the "mentioned in" column


@dataclass(frozen=True, slots=True)
class RunFacts:
    """What the build knows that the graph does not."""

    model: str
    inputs: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    duplicates: tuple[tuple[str, str], ...]
    seconds: float
    map_note: str
    min_confidence: float = 0.0  # claim relations below it were not kept


def _md(text: str) -> str:
    """Escape what Markdown would read as markup or table structure."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;").replace("\n", " ")


def render_report_json(analysis: Mapping[str, Any]) -> str:
    """``report.json``: the analysis data (keys in the module docstring), indented, UTF-8 as is."""
    return json.dumps(analysis, indent=2, ensure_ascii=False) + "\n"


def render_report(store: Store, facts: RunFacts, analysis: Mapping[str, Any]) -> str:
    """``report.md``. ``analysis`` is :func:`kgraph.analyze.analyses.analysis_result`'s data (the build computes it once)."""
    lines: list[str] = ["# kgraph report", ""]
    metas = read_articles(store)
    # Two star patterns instead of one with an OPTIONAL: a big store has very many mentions, and
    # counting them apart from the articles costs a third to a quarter of that left join.
    sizes = select_values(store, "SELECT ?a ?len WHERE { ?a a schema:NewsArticle ; nif:endIndex ?len }")
    mention_count = {
        row["a"]: row["mentions"]
        for row in select_values(
            store, "SELECT ?a (COUNT(?m) AS ?mentions) WHERE { ?m a kg:EntityMention ; nif:referenceContext ?a } GROUP BY ?a"
        )
    }
    for row in sizes:
        row["mentions"] = mention_count.get(row["a"], "0")
    articles = sorted(
        ((metas[row["a"]], row) for row in sizes if metas[row["a"]].identifier is not None),
        key=lambda pair: (pair[0].identifier, pair[0].iri),
    )
    shown = f" (the first {TOP_ARTICLES} by id)" if len(articles) > TOP_ARTICLES else ""
    lines += [
        f"Built from {len(articles)} article(s) with the spaCy pipeline `{facts.model}` in {facts.seconds:.1f} s."
        + (f" Contradictions and agreements of confidence below {facts.min_confidence:.2f} were not kept (`--min-confidence`)."
           if facts.min_confidence > 0 else ""),
        "",
        f"## Articles read{shown}",
        "",
        "| id | title | date | outlet | characters | entity mentions |",
        "| --- | --- | --- | --- | ---: | ---: |",
    ]
    for meta, size in articles[:TOP_ARTICLES]:
        title, outlet = meta.headline or "", meta.outlet or ""
        lines.append(f"| {_md(meta.identifier or '')} | {_md(title)} | {meta.date or ''} | {_md(outlet)} | {size['len']} | {size['mentions']} |")
    if len(articles) > TOP_ARTICLES:
        lines += ["", f"… and {len(articles) - TOP_ARTICLES} more articles: `kgraph query "
                      f"'SELECT ?id ?title WHERE {{ ?a a schema:NewsArticle ; schema:identifier ?id . OPTIONAL {{ ?a schema:headline ?title }} }}'` lists them all."]
    lines.append("")
    if facts.skipped:
        lines += [f"## Skipped inputs ({len(facts.skipped)})", ""]
        lines += [f"- `{_md(s.source)}`: {_md(s.reason)}" for s in facts.skipped]
        lines.append("")
    if facts.duplicates:
        lines += [f"## Duplicates built once ({len(facts.duplicates)})", ""]
        lines += [f"- `{_md(src)}` has the same text as article `{_md(kept)}`" for src, kept in facts.duplicates]
        lines.append("")

    counts = select_values(
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

    top = select_values(
        store,
        f"""SELECT ?e ?label ?type ?articles ?mentions WHERE {{
              ?e rdfs:label ?label ; kg:articleCount ?articles ; kg:mentionCount ?mentions ; a ?type .
              VALUES ?type {{ schema:Person schema:Organization schema:Place schema:Event }}
              FILTER NOT EXISTS {{ ?e a kg:Event }}
            }} ORDER BY DESC(?articles) DESC(?mentions) ?label LIMIT {TOP_ENTITIES}""",
    )
    ids_of = _mentioned_in(store, [t["e"] for t in top])
    lines += [
        f"## Most-mentioned entities (top {len(top)})",
        "",
        "| entity | type | articles | mentions | mentioned in |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for t in top:
        ids = ids_of.get(t["e"], [])
        more = f" … (+{len(ids) - IDS_PER_ENTITY})" if len(ids) > IDS_PER_ENTITY else ""
        lines.append(
            f"| {_md(t['label'])} | {t['type'].rsplit('/', 1)[-1]} | {t['articles']} | {t['mentions']} | {', '.join(_md(i) for i in ids[:IDS_PER_ENTITY])}{more} |"
        )
    lines.append("")

    lines += _timeline(store)
    lines += _stories_section(analysis.get("stories", []))
    lines += _analysis_sections(analysis)

    merges = select_values(
        store,
        """SELECT ?label ?form ?rule WHERE {
             ?e rdfs:label ?label ; kg:merge ?m . ?m kg:mergedForm ?form ; kg:mergeRule ?r .
             FILTER NOT EXISTS { ?e a kg:Event }
             BIND(REPLACE(STR(?r), "^.*#rule-", "") AS ?rule)
           } ORDER BY ?label ?form ?rule""",
    )
    shown = f", the first {TOP_MERGES} by name" if len(merges) > TOP_MERGES else ""
    lines += [f"## Names merged ({len(merges)}{shown})", "", "| entity | merged form | rule |", "| --- | --- | --- |"]
    lines += [f"| {_md(m['label'])} | {_md(m['form'])} | {_md(m['rule'])} |" for m in merges[:TOP_MERGES]]
    if len(merges) > TOP_MERGES:
        lines += ["", f"… and {len(merges) - TOP_MERGES} more: `kgraph query -f queries/merges.rq` lists every merge with its reason and articles."]
    lines += ["", *_refusals(store)]
    lines += ["", "## Map", "", facts.map_note, ""]
    return "\n".join(lines)




def _refusals(store: Store) -> list[str]:
    """Names kept apart that a reader might expect merged ("Obama": Barack or Michelle?), and why."""
    rows = select_values(
        store,
        """SELECT ?label ?why (GROUP_CONCAT(?candidate; SEPARATOR=" · ") AS ?candidates) WHERE {
             ?e rdfs:label ?label ; kg:mergeRefused ?r . ?r rdfs:comment ?why ; kg:refusedCandidate ?c .
             ?c rdfs:label ?candidate .
           } GROUP BY ?label ?why ORDER BY ?label ?why""",
    )
    lines = [f"## Names kept apart ({len(rows)})", ""]
    if not rows:
        return [*lines, "No name was left unmerged for want of a clear referent.", ""]
    lines += ["| name | could be | why it stays apart |", "| --- | --- | --- |"]
    # GROUP_CONCAT has no defined order: sorted here, so the report reads the same from any store.
    lines += [f"| {_md(r['label'])} | {_md(' · '.join(sorted(r['candidates'].split(' · '))))} | {_md(r['why'])} |" for r in rows]
    return [*lines, ""]


def _mentioned_in(store: Store, entities: Sequence[str]) -> dict[str, list[str]]:
    """Entity IRI -> the identifiers of the articles that mention it, in identifier order, for these entities.

    Only the entities the table shows, looked up by IRI, and sorted here: the join of every
    mention with its article's identifier, ordered in the store, grew to seconds on a big corpus.
    """
    if not entities:
        return {}
    ids: dict[str, list[str]] = defaultdict(list)
    for row in select_values(store, "SELECT ?a ?id WHERE { ?a schema:identifier ?id }"):
        ids[row["a"]].append(row["id"])
    found: dict[str, list[str]] = defaultdict(list)
    wanted = " ".join(str(NamedNode(e)) for e in entities)
    for row in select_values(store, f"SELECT DISTINCT ?a ?e WHERE {{ VALUES ?e {{ {wanted} }} ?a schema:mentions ?e }}"):
        found[row["e"]].extend(ids.get(row["a"], ()))
    return {e: sorted(article_ids) for e, article_ids in found.items()}


def _timeline(store: Store) -> list[str]:
    """Dated events in event-time order, then the undated ones most articles report; each with its sources.

    The date is the event's own (from the text, normalised against the article's
    date); when the article was published is a different fact, shown apart.
    """
    rows = select_values(
        store,
        """SELECT ?e ?label ?value ?text ?articles ?mentions
                  (GROUP_CONCAT(DISTINCT ?m; SEPARATOR=", ") AS ?modalities)
                  (GROUP_CONCAT(DISTINCT ?id; SEPARATOR=", ") AS ?sources) WHERE {
             ?e a kg:Event ; rdfs:label ?label ; kg:articleCount ?articles ; kg:mentionCount ?mentions .
             ?a schema:mentions ?e ; schema:identifier ?id .
             OPTIONAL { ?e kg:modality ?m }
             OPTIONAL { ?e sem:hasTime ?t . OPTIONAL { ?t kg:timeValue ?value } OPTIONAL { ?t rdfs:label ?text } }
           } GROUP BY ?e ?label ?value ?text ?articles ?mentions""",
    )
    for r in rows:  # GROUP_CONCAT has no defined order: sort, so the report reads the same on every run
        r["modalities"] = ", ".join(sorted(filter(None, r["modalities"].split(", "))))
        r["sources"] = ", ".join(sorted(filter(None, r["sources"].split(", "))))
        ids = r["sources"].split(", ")
        if len(ids) > IDS_PER_ENTITY:
            r["sources"] = ", ".join(ids[:IDS_PER_ENTITY]) + f" … (+{len(ids) - IDS_PER_ENTITY})"
    by_reach = lambda r: (-int(r["articles"]), -int(r["mentions"]), r["label"])  # noqa: E731
    all_dated = [r for r in rows if r["value"]]
    dated = sorted(sorted(all_dated, key=by_reach)[:TOP_DATED_EVENTS], key=lambda r: (r["value"], r["label"]))
    undated = sorted((r for r in rows if not r["value"]), key=by_reach)
    shown = undated[:TOP_UNDATED_EVENTS]
    cut = f"; the {len(dated)} dated ones most articles report, in time order" if len(dated) < len(all_dated) else ""
    lines = [
        f"## Timeline ({len(rows)} events: {len(all_dated)} dated by the text, {len(undated)} undated{cut})",
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


def _stories_section(stories: Sequence[Mapping[str, Any]], limit: int = 30) -> list[str]:
    """One line per story, largest first: what a reader would call it, its size, period and articles."""
    lines = [f"## Stories ({len(stories)})", ""]
    if not stories:
        return [*lines, "No articles.", ""]
    many = [s for s in stories if len(s["articles"]) > 1]
    lines += [
        f"{len(many)} of them hold more than one article; claims are compared only inside one story.",
        "",
        "| story | articles | period | article ids |",
        "| --- | ---: | --- | --- |",
    ]
    for s in stories[:limit]:
        ids = ", ".join(s["articles"][:12]) + (" …" if len(s["articles"]) > 12 else "")
        lines.append(f"| {_md(s['label'])} | {len(s['articles'])} | {s['period'] or ''} | {_md(ids)} |")
    if len(stories) > limit:
        lines.append(f"\n{len(stories) - limit} more in `report.json` and `queries/stories.rq`.")
    return [*lines, ""]


def _analysis_sections(analysis: Mapping[str, Any]) -> list[str]:
    return [
        *_contradictions(analysis.get("contradictions", [])),
        *_agreements(analysis.get("agreements", [])),
        *_camps(analysis.get("camps", [])),
        *_sources(analysis.get("sources", [])),
        *_repeated(analysis.get("repeated_statements", [])),
    ]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _pair_names(pair: Mapping[str, Any], joint: str) -> str:
    return joint.join(_md(s["label"]) for s in pair["speakers"])


def _said(claim: Mapping[str, Any]) -> str:
    where = _md(claim["article"]) + (f" ({_md(claim['outlet'])})" if claim.get("outlet") else "")
    line = f"{_md(claim['speaker']['label'])} in {where}: “{_md(claim['text'])}”"
    if claim.get("sentence") and claim["sentence"].strip() != claim["text"].strip():
        line += f" (sentence: {_md(claim['sentence'])})"
    return line


def _contradictions(pairs: Sequence[Mapping[str, Any]]) -> list[str]:
    total = sum(p["count"] for p in pairs)  # report.json lists only the strongest relations of a pair, counts them all
    lines = [
        f"## Who contradicts whom ({_count(total, 'contradiction')} between {_count(len(pairs), 'pair')} of speakers)",
        "",
    ]
    if not pairs:
        return [*lines, "No two speakers' claims were found to contradict each other.", ""]
    shown = pairs[:TOP_PAIRS]
    lines += [
        "Pairs of speakers ranked by the contradictions between their claims (either direction); "
        "each contradiction has a rule and a confidence: the chance that a careful reader signs it, "
        "calibrated on judged news relations (at 0.8 and above about four in five were right).",
        "",
        "| speakers | contradictions | confidences |",
        "| --- | ---: | --- |",
    ]
    for p in shown:
        confidences = ", ".join(f"{c:.2f}" for c in p["confidences"])
        lines.append(f"| {_pair_names(p, ' vs ')} | {p['count']} | {confidences} |")
    if len(pairs) > len(shown):
        lines += ["", f"… and {len(pairs) - len(shown)} more pairs (all in `report.json`)."]
    lines += ["", "The strongest contradictions of the top pairs, with both claims, their articles and the sentences they come from:", ""]
    for p in pairs[:TOP_PAIRS_WITH_EVIDENCE]:
        lines.append(f"**{_pair_names(p, '** vs **')}** ({p['count']}):")
        lines.append("")
        for r in p["relations"][:RELATIONS_PER_PAIR]:
            lines += [
                f"- rule {_md(r['rule'])}, confidence {r['confidence']:.2f}:",
                f"  - {_said(r['from'])}",
                f"  - contradicts {_said(r['to'])}",
            ]
        lines.append("")
    return lines


def _agreements(pairs: Sequence[Mapping[str, Any]]) -> list[str]:
    lines = [f"## Agreements ({_count(len(pairs), 'pair')} of speakers)", ""]
    if not pairs:
        return [*lines, "No two speakers' claims were found to agree.", ""]
    for p in pairs[:TOP_AGREEMENTS]:
        r = p["relations"][0]
        lines.append(
            f"- {_pair_names(p, ' and ')}: {p['count']} (strongest: {_md(r['rule'])}, {r['confidence']:.2f}; "
            f"“{_md(r['from']['text'])}” in {_md(r['from']['article'])} and “{_md(r['to']['text'])}” in {_md(r['to']['article'])})"
        )
    if len(pairs) > TOP_AGREEMENTS:
        lines.append(f"- … and {len(pairs) - TOP_AGREEMENTS} more pairs")
    lines.append("")
    return lines


def _camps(camps: Sequence[Mapping[str, Any]]) -> list[str]:
    """The sides of each story, grouped by story (the story with most camp members first)."""
    stories: dict[str, list[Mapping[str, Any]]] = {}
    for c in camps:  # report.json lists them story by story, largest story first
        stories.setdefault((c.get("story") or {}).get("iri", ""), []).append(c)
    lines = [f"## Camps ({_count(len(camps), 'camp')} in {len(stories)} {'story' if len(stories) == 1 else 'stories'})", ""]
    if not camps:
        return [*lines, "No speaker takes part in a contradiction or agreement, so there are no camps.", ""]
    lines += [
        "The sides of each story's dispute (structural balance on the signed speaker graph): agreement pulls two "
        "speakers together, and so does contradicting the same claim of a third; no camp holds two speakers who "
        "contradict each other. Camps are per story; after each member, how many relations put it there "
        "(`report.json` lists them as `because`).",
        "",
    ]
    for group in list(stories.values())[:TOP_CAMP_STORIES]:
        story = group[0].get("story")
        speakers = sum(len(c["members"]) for c in group)
        title = _md(story["label"]) if story else "the corpus"
        lines += [f"**{title}**: {_count(speakers, 'speaker')} in {_count(len(group), 'camp')}", ""]
        lines += ["| camp | members (relations) | contradicts camps (contradictions) |", "| ---: | --- | --- |"]
        number = {c["iri"]: c["iri"].rsplit("/", 1)[-1] for c in group}
        for c in group[:TOP_CAMPS_PER_STORY]:
            shown = c["members"][:MEMBERS_PER_CAMP]
            members = ", ".join(f"{_md(m['label'])} ({m['because_count']})" for m in shown)
            if len(c["members"]) > len(shown):
                members += f" … and {len(c['members']) - len(shown)} more"
            against = ", ".join(f"{number.get(o['camp'], '?')} ({o['contradictions']})" for o in c["opposes"])
            lines.append(f"| {number[c['iri']]} | {members} | {against} |")
        if len(group) > TOP_CAMPS_PER_STORY:
            lines += ["", f"… and {len(group) - TOP_CAMPS_PER_STORY} more camps in this story."]
        lines.append("")
    if len(stories) > TOP_CAMP_STORIES:
        lines += [f"… and {len(stories) - TOP_CAMP_STORIES} more stories with camps (all in `report.json` and `queries/story-disputes.rq`).", ""]
    return lines


def _sources(sources: Sequence[Mapping[str, Any]]) -> list[str]:
    lines = [f"## Most cited sources (top {min(len(sources), TOP_SOURCES)} of {len(sources)})", ""]
    if not sources:
        return [*lines, "No article cites a source.", ""]
    lines += [
        "Sources by the number of outlets whose articles cite them (an article without a known publisher counts "
        "as its own outlet), then articles; PageRank is over the citation graph (articles and outlets → sources).",
        "",
        "| source | type | outlets | articles | PageRank |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for s in sources[:TOP_SOURCES]:
        lines.append(f"| {_md(s['label'])} | {_md(s['type'])} | {s['outlets']} | {s['articles']} | {s['pagerank']:.3f} |")
    lines.append("")
    return lines


def _repeated(clusters: Sequence[Mapping[str, Any]]) -> list[str]:
    lines = [f"## Repeated statements ({len(clusters)})", ""]
    if not clusters:
        return [*lines, "No speaker's statement was found repeated in two or more articles.", ""]
    lines += [
        "One speaker's statement carried by several articles (near-duplicate sentences of their claims), with where "
        "it came from: the interview or statement the articles cite, else the earliest article.",
        "",
    ]
    for c in clusters[:TOP_CLUSTERS]:
        origin = c["origin"]
        where = "cited work" if origin["kind"] == "work" else "earliest article"
        articles = ", ".join(_md(a["id"]) + (f" ({_md(a['outlet'])})" if a.get("outlet") else "") for a in c["articles"])
        lines.append(
            f"- **{_md(c['speaker']['label'])}**: “{_md(c['text'])}” — {len(c['articles'])} articles, one origin "
            f"({where}: {_md(origin['label'])}); carried by {articles}"
        )
    if len(clusters) > TOP_CLUSTERS:
        lines.append(f"- … and {len(clusters) - TOP_CLUSTERS} more (all in `report.json`)")
    lines.append("")
    return lines
