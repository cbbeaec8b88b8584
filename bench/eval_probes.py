#!/usr/bin/env python3
"""Entity probes on news-dev: names that must merge, names that must stay apart, and kinds.

Why: MEANTIME (``eval_entities.py``) scores merging on two stories; a user's
corpus is many stories at once, where one "Obama" is Barack and another is
Michelle, where Twitter must never be a person. ``bench/probes_entities.json``
lists such cases, each with the reason a reader would give, and this script
checks every one on the graph that the *current* code builds.

What runs: the news-dev articles whose text contains any probe form (a plain
word-boundary grep, ``--per-form`` articles per form, the articles holding the
most forms of their probe first, so a few hundred in all) are built with
``kgraph.api.build`` (``kgraph.build``) into a fresh temporary directory with the cache off (nothing
carries over between code versions); ``--all`` builds the whole corpus. Then
the store is read back with SPARQL: the entities (``rdfs:label``,
``skos:altLabel``, ``rdf:type`` schema:Person / Organization / Place / Event,
``kg:articleCount``) and every entity mention (``nif:anchorOf``,
``itsrdf:taIdentRef``, the article it is in).

A probe form matches a mention whose anchor is that form (whitespace runs
folded, a final period dropped: "U.S." and "U.S" are one form, "US" another).
Each probe is scored on mentions, not on labels, because a label hides
where a name's mentions went:

- ``merge``: every mention of every form lands in one entity node (mentions in
  articles that also contain an ``unless`` form are left out: there the short
  form is ambiguous, e.g. "Obama" beside "Michelle Obama");
- ``apart``: no node holds mentions of two of the forms (a form that is
  never a mention joins nothing: the kind probes ask whether a name exists);
- ``kind``: every node holding a mention of a form has the expected kind.

A probe is ABSENT (not scored) when a form occurs nowhere in the built texts;
a form that occurs in the text but never as a mention fails a merge or kind
probe (the name was dropped or mis-spanned). A subset is a smaller corpus than the whole:
rules that look across articles ("the one full name ending with this
surname") can decide differently on it, so ``--all`` is the final word.

Also printed for the reader: persons whose label is a known platform, company
or country (the probe file's ``not_a_person`` list), the 20 largest entities
of each kind, and the 20 most frequent person labels that look like noise (one
word, lower-case, or ending in "reported"/"said").

Usage::

    python bench/eval_probes.py                      # subset build (a few minutes), table, bench/results/
    python bench/eval_probes.py --all                # the whole corpus (1,683 articles)
    python bench/eval_probes.py --from-build OUT     # score a build made elsewhere (no build here)
    python bench/eval_probes.py --only merge --json --no-save
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval_attribution import _git_state  # bench/ is on sys.path when a bench script runs
from eval_entities import write_results

from kgraph.api import build
from kgraph.rdf.store import open_store, select_values

REPO = Path(__file__).resolve().parents[1]
PROBES = Path(__file__).resolve().parent / "probes_entities.json"
DEFAULT_DATA = REPO.parent / "shared" / "data" / "news-dev" / "fnc1_train_bodies.jsonl"
PROBE_TYPES = ("merge", "apart", "kind")
KIND_OF_CLASS = {
    "https://schema.org/Person": "person",
    "https://schema.org/Organization": "organization",
    "https://schema.org/Place": "place",
    "https://schema.org/Event": "event",
}
NOISE_ENDINGS = ("reported", "said")

# Entities are what articles mention (kg:articleCount); extracted events (kg:Event), speaker
# groups and outlets known only from metadata are other things and are left out.
_ENTITIES_QUERY = """
SELECT ?e ?label ?type ?n WHERE {
  GRAPH <https://w3id.org/kgraph/graph/entities> { ?e rdfs:label ?label ; a ?type }
  FILTER(?type IN (schema:Person, schema:Organization, schema:Place, schema:Event))
  FILTER NOT EXISTS { ?e a kg:Event }
  ?e kg:articleCount ?n .
}"""
_ALT_QUERY = "SELECT ?e ?alt WHERE { GRAPH <https://w3id.org/kgraph/graph/entities> { ?e skos:altLabel ?alt } }"
_MENTIONS_QUERY = """
SELECT ?id ?anchor ?e WHERE {
  ?m a kg:EntityMention ; nif:anchorOf ?anchor ; itsrdf:taIdentRef ?e ; nif:referenceContext ?a .
  ?a schema:identifier ?id .
}"""
_TEXTS_QUERY = "SELECT ?id ?text WHERE { ?a a schema:NewsArticle ; schema:identifier ?id ; nif:isString ?text }"


# --- probes and articles --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Probe:
    """One expectation a reader has of the graph, with the reason they would give."""

    id: str
    type: str  # merge | apart | kind
    forms: tuple[str, ...]
    reason: str
    kind: str | None = None  # kind probes: person | organization | place
    unless: tuple[str, ...] = ()  # merge probes: skip articles that also contain one of these


def load_probes(path: Path) -> tuple[list[Probe], list[str]]:
    """The probes and the ``not_a_person`` check list, validated so that a typo fails loudly."""
    data = json.loads(path.read_text(encoding="utf-8"))
    probes = []
    for raw in data["probes"]:
        p = Probe(raw["id"], raw["type"], tuple(raw["forms"]), raw["reason"], raw.get("kind"), tuple(raw.get("unless", ())))
        if p.type not in PROBE_TYPES:
            raise SystemExit(f"probe {p.id}: unknown type {p.type!r}")
        if (p.type == "kind") != (p.kind is not None) or (p.kind and p.kind not in KIND_OF_CLASS.values()):
            raise SystemExit(f"probe {p.id}: a kind probe, and only a kind probe, names one of {sorted(KIND_OF_CLASS.values())}")
        if p.type != "kind" and len(p.forms) < 2:
            raise SystemExit(f"probe {p.id}: a {p.type} probe needs two forms or more")
        probes.append(p)
    ids = [p.id for p in probes]
    if len(set(ids)) != len(ids):
        raise SystemExit("duplicate probe id in " + str(path))
    return probes, list(data.get("not_a_person", []))


def form_key(text: str) -> str:
    """How a mention's anchor is compared with a probe form: whitespace folded, a final period dropped."""
    return " ".join(text.split()).rstrip(".")


def form_pattern(form: str) -> re.Pattern[str]:
    """The form as a whole word or phrase in running text (case-sensitive: "US" is not "us")."""
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in form_key(form).split()) + r"(?!\w)")


def select_articles(records: Sequence[Mapping[str, str]], probes: Sequence[Probe], per_form: int) -> list[str]:
    """Ids of the articles to build: for each probe form, up to ``per_form`` articles that contain it.

    Within a form, articles holding more of their probe's forms come first
    (they test the merge or the separation inside one article), then corpus
    order. Deterministic and blind to the code under test.
    """
    chosen: set[str] = set()
    for p in probes:
        patterns = [form_pattern(f) for f in (*p.forms, *p.unless)]
        has = {r["id"]: [bool(rx.search(r["text"])) for rx in patterns] for r in records}
        for i in range(len(p.forms)):
            with_form = [r["id"] for r in records if has[r["id"]][i]]
            with_form.sort(key=lambda doc: -sum(has[doc][: len(p.forms)]))  # stable: corpus order within a count
            chosen.update(with_form[:per_form])
    return [r["id"] for r in records if r["id"] in chosen]


def read_records(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# --- the graph, read back -------------------------------------------------------------


@dataclass(slots=True)
class Node:
    iri: str
    label: str
    kinds: set[str] = field(default_factory=set)
    alts: list[str] = field(default_factory=list)
    articles: int = 0

    def describe(self) -> str:
        return f"'{self.label}' ({'/'.join(sorted(self.kinds)) or '?'}, {self.articles} art.)"


@dataclass(slots=True)
class Graph:
    nodes: dict[str, Node]
    mentions: dict[str, list[tuple[str, str]]]  # form key -> [(article id, entity IRI)]
    texts: dict[str, str]


def read_graph(out_dir: Path) -> Graph:
    """Entities, mentions and texts of a build, by SPARQL over the union of its graphs."""
    store = open_store(out_dir)
    nodes: dict[str, Node] = {}
    for r in select_values(store, _ENTITIES_QUERY):
        node = nodes.setdefault(r["e"], Node(r["e"], r["label"]))
        node.kinds.add(KIND_OF_CLASS[r["type"]])
        node.articles = int(r["n"] or 0)
    for r in select_values(store, _ALT_QUERY):
        if r["e"] in nodes:
            nodes[r["e"]].alts.append(r["alt"])
    mentions: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in select_values(store, _MENTIONS_QUERY):
        mentions[form_key(r["anchor"])].append((r["id"], r["e"]))
    texts = {r["id"]: r["text"] for r in select_values(store, _TEXTS_QUERY)}
    del store
    return Graph(nodes, dict(mentions), texts)


# --- scoring ---------------------------------------------------------------------------


@dataclass(slots=True)
class Outcome:
    probe: Probe
    status: str  # PASS | FAIL | ABSENT
    found: str  # what the graph holds, in a sentence a reader can check
    nodes: dict[str, dict[str, int]]  # form -> entity label -> articles


def _articles_with(graph: Graph, forms: Iterable[str]) -> set[str]:
    patterns = [form_pattern(f) for f in forms]
    return {doc for doc, text in graph.texts.items() if any(rx.search(text) for rx in patterns)}


def _standalone_articles(graph: Graph, form: str, others: Sequence[str]) -> set[str]:
    """Articles where ``form`` occurs outside every occurrence of a longer form of the same probe.

    "Trump" inside "Donald Trump" is no occurrence of "Trump" on its own: an
    article that only says "Donald Trump" cannot show where "Trump" goes.
    """
    mine, longer = form_pattern(form), [form_pattern(o) for o in others if len(o) > len(form)]
    out = set()
    for doc, text in graph.texts.items():
        covers = [m.span() for rx in longer for m in rx.finditer(text)]
        if any(not any(a <= m.start() and m.end() <= b for a, b in covers) for m in mine.finditer(text)):
            out.add(doc)
    return out


def _where(graph: Graph, form: str, skip: set[str]) -> Counter[str]:
    """Entity IRI -> number of articles in which a mention of ``form`` resolved to it."""
    return Counter(e for _doc, e in {(doc, e) for doc, e in graph.mentions.get(form_key(form), []) if doc not in skip})


def _label(graph: Graph, iri: str) -> str:
    node = graph.nodes.get(iri)
    return node.describe() if node else f"<{iri}> (no entity record)"


def _spread(graph: Graph, form: str, where: Counter[str]) -> str:
    """Where a form's mentions went: "Obama: 74 art. -> 'Obama' (person, 74 art.), 32 art. -> 'Barack Obama' (...)"."""
    return f"{form}: " + ", ".join(f"{n} art. -> {_label(graph, e)}" for e, n in where.most_common(4)) + (
        f" and {len(where) - 4} more nodes" if len(where) > 4 else ""
    )


def score_probe(p: Probe, graph: Graph) -> Outcome:
    """PASS, FAIL or ABSENT, with what was found."""
    in_text = {f: _standalone_articles(graph, f, p.forms) for f in p.forms}
    skip = _articles_with(graph, p.unless) if p.unless else set()
    where = {f: _where(graph, f, skip) for f in p.forms}
    nodes = {f: {graph.nodes[e].label if e in graph.nodes else e: n for e, n in w.items()} for f, w in where.items()}
    absent = [f for f in p.forms if not in_text[f] - skip]
    if absent:
        return Outcome(p, "ABSENT", f"not in the built texts: {', '.join(absent)}", nodes)
    dropped = [f for f in p.forms if not where[f]]
    if dropped and p.type == "apart":  # a form never found joins nothing: apart holds, and the line says why
        return Outcome(p, "PASS", f"apart: {', '.join(map(repr, dropped))} never a mention" + _rest(graph, p, where, dropped), nodes)
    if dropped:
        text = "; ".join(f"{f!r} in {len(in_text[f] - skip)} articles but never a mention" for f in dropped)
        return Outcome(p, "FAIL", text + _rest(graph, p, where, dropped), nodes)
    if p.type == "merge":
        union = set().union(*where.values())
        if len(union) == 1:
            e = next(iter(union))
            return Outcome(p, "PASS", f"all in {_label(graph, e)}: " + ", ".join(f"{f} from {where[f][e]} art." for f in p.forms), nodes)
        return Outcome(p, "FAIL", _main_share(graph, where) + "; ".join(_spread(graph, f, where[f]) for f in p.forms), nodes)
    if p.type == "apart":
        shared = [(a, b, where[a].keys() & where[b].keys()) for i, a in enumerate(p.forms) for b in p.forms[i + 1 :]]
        joined = [(a, b, s) for a, b, s in shared if s]
        if not joined:
            return Outcome(p, "PASS", "apart: " + "; ".join(_spread(graph, f, where[f]) for f in p.forms), nodes)
        return Outcome(
            p, "FAIL", "; ".join(f"{a} and {b} both in {', '.join(_label(graph, e) for e in sorted(s))}" for a, b, s in joined), nodes
        )
    wrong = {e for f in p.forms for e in where[f] if graph.nodes.get(e) is None or graph.nodes[e].kinds != {p.kind}}
    status = "FAIL" if wrong else "PASS"
    return Outcome(p, status, f"want {p.kind}: " + "; ".join(_spread(graph, f, where[f]) for f in p.forms), nodes)


def _main_share(graph: Graph, where: Mapping[str, Counter[str]]) -> str:
    """How close a failed merge is: the share of (form, article) findings in the node holding the most."""
    total: Counter[str] = Counter()
    for w in where.values():
        total.update(w)
    e, n = total.most_common(1)[0]
    return f"{n / sum(total.values()):.0%} in {_label(graph, e)}; "


def _rest(graph: Graph, p: Probe, where: Mapping[str, Counter[str]], dropped: Sequence[str]) -> str:
    kept = [_spread(graph, f, where[f]) for f in p.forms if f not in dropped]
    return ("; " + "; ".join(kept)) if kept else ""


# --- the reader's lists ---------------------------------------------------------------------


def reader_lists(graph: Graph, not_a_person: Sequence[str], top: int = 20) -> dict[str, Any]:
    """Persons that are platforms, companies or countries; the largest entities per kind; noisy person labels."""
    banned = {n.casefold() for n in not_a_person}
    persons = [n for n in graph.nodes.values() if "person" in n.kinds]
    by_size = sorted(graph.nodes.values(), key=lambda n: (-n.articles, n.label))
    return {
        "persons_named_as_non_persons": [
            {"label": n.label, "articles": n.articles} for n in sorted(persons, key=lambda n: (-n.articles, n.label)) if n.label.casefold() in banned
        ],
        "largest": {
            kind: [{"label": n.label, "articles": n.articles} for n in by_size if kind in n.kinds][:top]
            for kind in ("person", "organization", "place", "event")
        },
        "noisy_person_labels": [
            {"label": n.label, "articles": n.articles, "why": why}
            for n in sorted(persons, key=lambda n: (-n.articles, n.label))
            if (why := noise_reason(n.label))
        ][:top],
    }


def noise_reason(label: str) -> str:
    """Why a person label looks like noise to a reader, or '' (one word, lower-case, a glued reporting verb)."""
    if any(label.casefold().endswith(end) for end in NOISE_ENDINGS):
        return "ends in a reporting verb"
    if label == label.lower():
        return "lower-case"
    if len(label.split()) == 1:
        return "one word"
    return ""


# --- main -------------------------------------------------------------------------------------


def build_subset(records: Sequence[Mapping[str, str]], ids: Sequence[str], work: Path, model: str | None, processes: int) -> float:
    """Build the chosen records into ``work/out`` from scratch (cache off); returns wall seconds."""
    wanted = set(ids)
    source = work / "news-dev-probes.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records if r["id"] in wanted), encoding="utf-8")
    started = time.perf_counter()
    build([source], work / "out", model=model, use_cache=False, n_process=processes)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"news-dev bodies (default {DEFAULT_DATA})")
    parser.add_argument("--probes", type=Path, default=PROBES, help="probe list (default bench/probes_entities.json)")
    parser.add_argument("--all", action="store_true", help="build the whole corpus, not the articles the probes name")
    parser.add_argument("--per-form", type=int, default=10, help="articles per probe form in the subset (default 10)")
    parser.add_argument("--from-build", type=Path, metavar="OUT", help="score an existing build directory instead of building")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="work in DIR (kept: the input as DIR/news-dev-probes.jsonl, the build as DIR/out) instead of a temporary directory")
    parser.add_argument("--only", choices=PROBE_TYPES, help="score one probe type only")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: what kgraph would choose)")
    parser.add_argument("--processes", type=int, default=1, help="spaCy worker processes (default 1)")
    parser.add_argument("--json", action="store_true", help="also print one machine-readable JSON line")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/eval_probes-*.json")
    args = parser.parse_args(argv)

    probes, not_a_person = load_probes(args.probes)
    if args.only:
        probes = [p for p in probes if p.type == args.only]
    result: dict[str, Any] = {"date": dt.date.today().isoformat(), "commit": _git_state(), "probes_file": str(args.probes)}
    with tempfile.TemporaryDirectory(prefix="kgraph-eval-probes-") as tmp:
        if args.from_build:
            out_dir, result["build"] = args.from_build, {"from": str(args.from_build)}
        else:
            records = read_records(args.data)
            ids = [r["id"] for r in records] if args.all else select_articles(records, probes, args.per_form)
            work = args.keep or Path(tmp)
            work.mkdir(parents=True, exist_ok=True)
            print(f"building {len(ids)} of {len(records)} news-dev articles into {work / 'out'} (cache off) ...", flush=True)
            seconds = build_subset(records, ids, work, args.model, args.processes)
            out_dir, result["build"] = work / "out", {"articles": len(ids), "of": len(records), "seconds": round(seconds, 1)}
        graph = read_graph(out_dir)
    outcomes = [score_probe(p, graph) for p in probes]
    result["build"].update({"entities": len(graph.nodes), "articles_in_graph": len(graph.texts)})
    result["totals"] = totals(outcomes)
    result["probes"] = [
        {"id": o.probe.id, "type": o.probe.type, "forms": list(o.probe.forms), "status": o.status, "found": o.found, "nodes": o.nodes}
        for o in outcomes
    ]
    result["reader"] = reader_lists(graph, not_a_person)
    print_report(result, outcomes)
    write_results("eval_probes", result, None, not args.no_save)
    if args.json:
        print(json.dumps(result, separators=(",", ":")))
    return 0


def totals(outcomes: Sequence[Outcome]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for kind in (*PROBE_TYPES, "all"):
        c = Counter(o.status for o in outcomes if kind in ("all", o.probe.type))
        out[kind] = {"PASS": c["PASS"], "FAIL": c["FAIL"], "ABSENT": c["ABSENT"]}
    return out


def print_report(result: Mapping[str, Any], outcomes: Sequence[Outcome]) -> None:
    b = result["build"]
    where = f"{b['articles']} of {b['of']} articles, built in {b['seconds']} s" if "articles" in b else f"build {b['from']}"
    print(f"\nnews-dev probes ({where}; {b['entities']} entities; commit {result['commit']})")
    for kind in PROBE_TYPES:
        group = [o for o in outcomes if o.probe.type == kind]
        if group:
            print(f"\n{kind} probes")
        for o in group:
            print(f"  {o.status:<6} {o.probe.id:<24} {' | '.join(o.probe.forms)}")
            print(f"         found: {o.found}")
            print(f"         why:   {o.probe.reason}")
    print("\ntotals (PASS / FAIL / ABSENT)")
    for kind, t in result["totals"].items():
        print(f"  {kind:<6} {t['PASS']:>3} / {t['FAIL']:>3} / {t['ABSENT']:>3}")

    r = result["reader"]
    wrong = r["persons_named_as_non_persons"]
    print(f"\npersons whose label is a platform, company or country: {len(wrong)}"
          + (": " + ", ".join(f"{x['label']} ({x['articles']})" for x in wrong) if wrong else ""))
    for kind, rows in r["largest"].items():
        if rows:
            print(f"largest {kind} entities (articles): " + ", ".join(f"{x['label']} ({x['articles']})" for x in rows))
    print("person labels that look like noise (articles, why): "
          + (", ".join(f"{x['label']} ({x['articles']}, {x['why']})" for x in r["noisy_person_labels"]) or "none"))


if __name__ == "__main__":
    sys.exit(main())
