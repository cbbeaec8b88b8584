#!/usr/bin/env python3
"""Stories kgraph finds, measured on the RDF it builds (issue 13).

What runs: ``kgraph.api.build`` on a corpus (or ``--from-build`` an existing build),
then SPARQL over the store for ``kg:Story`` nodes, their articles, and the claim
relations between articles. Printed:

* MEANTIME dev (60 Wikinews articles, each labelled with one of two topics, Airbus and
  Apple): the number of stories, their sizes and labels, and **purity**: the share of
  articles whose story's majority topic is their own topic (a story that mixes Airbus
  and Apple articles lowers it; splitting a topic into several stories does not, since
  a topic holds several stories: the A380's delays, the tanker deal).
* news-dev (1,683 bodies, no labels; ``--news N`` takes the first N): the number of
  stories, how many hold two or more articles, the largest with their labels (for a
  reader to judge), relations per article, and the share of claim relations whose two
  articles lie in different stories (0 by construction since stories exist; printed
  so that a regression shows).

Usage (from the repository root)::

    python bench/eval_stories.py                 # MEANTIME + the first 400 news-dev bodies
    python bench/eval_stories.py --news 1683     # the whole news-dev corpus
    python bench/eval_stories.py --from-build OUT --no-meantime
    python bench/eval_stories.py --no-meantime --no-story-filter   # the same build with claims compared across stories

Results go to ``bench/results/stories-<time>.json`` (``--no-save`` skips it).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from kgraph.api import build  # noqa: E402
from kgraph.rdf.store import open_store, select_values  # noqa: E402
from results_io import finish  # noqa: E402

SHARED = REPO.parent / "shared" / "data"
MEANTIME = SHARED / "meantime-dev" / "meantime_en_dev.jsonl"
NEWS = SHARED / "news-dev" / "fnc1_train_bodies.jsonl"


def read_stories(out: Path) -> dict[str, Any]:
    """Stories, their articles, and claim relations with the story of each side, from a build's store."""
    store = open_store(out)
    rows = select_values(store, "SELECT ?s ?label ?id WHERE { ?s a kg:Story ; rdfs:label ?label ; schema:hasPart/schema:identifier ?id }")
    stories: dict[str, dict[str, Any]] = {}
    for r in rows:
        stories.setdefault(r["s"], {"label": r["label"], "articles": []})["articles"].append(r["id"])
    relations = select_values(
        store,
        """SELECT ?r ?kind ?s1 ?s2 WHERE { ?r a kg:ClaimRelation ; kg:relationKind ?kind ;
             kg:fromClaim/schema:appearance ?a1 ; kg:toClaim/schema:appearance ?a2 .
             OPTIONAL { ?a1 kg:story ?s1 } OPTIONAL { ?a2 kg:story ?s2 } }""",
    )
    n_articles = int(select_values(store, "SELECT (COUNT(?a) AS ?n) WHERE { ?a a schema:NewsArticle }")[0]["n"])
    return {"stories": stories, "relations": relations, "articles": n_articles}


def summarise(found: dict[str, Any], top: int) -> dict[str, Any]:
    stories = sorted(found["stories"].values(), key=lambda s: -len(s["articles"]))
    rel = found["relations"]
    kinds = Counter(r["kind"] for r in rel)
    crossing = sum(1 for r in rel if r["s1"] != r["s2"])
    n = max(found["articles"], 1)
    return {
        "articles": found["articles"],
        "stories": len(stories),
        "stories_with_2_or_more": sum(1 for s in stories if len(s["articles"]) >= 2),
        "articles_in_such_stories": sum(len(s["articles"]) for s in stories if len(s["articles"]) >= 2),
        "largest": [{"label": s["label"], "articles": len(s["articles"]), "ids": sorted(s["articles"])[:8]} for s in stories[:top]],
        "contradictions": kinds.get("contradiction", 0),
        "agreements": kinds.get("agreement", 0),
        "relations_per_article": round(len(rel) / n, 2),
        "contradictions_per_article": round(kinds.get("contradiction", 0) / n, 2),
        "cross_story_relations": crossing,
    }


def meantime_purity(found: dict[str, Any], topic_of: dict[str, str]) -> float:
    right = 0
    for s in found["stories"].values():
        topics = Counter(topic_of[a] for a in s["articles"] if a in topic_of)
        right += topics.most_common(1)[0][1] if topics else 0
    return right / max(len(topic_of), 1)


def write_jsonl(records: list[dict[str, Any]], path: Path) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def run(corpus: Path, work: Path, name: str) -> tuple[Path, float]:
    out = work / name
    start = time.perf_counter()
    build([corpus], out, use_cache=False)
    return out, time.perf_counter() - start


def print_summary(title: str, s: dict[str, Any]) -> None:
    print(f"\n{title}: {s['articles']} articles -> {s['stories']} stories "
          f"({s['stories_with_2_or_more']} with 2+ articles, holding {s['articles_in_such_stories']})")
    print(f"  relations: {s['contradictions']} contradictions, {s['agreements']} agreements; "
          f"{s['relations_per_article']} per article ({s['contradictions_per_article']} contradictions); "
          f"across stories: {s['cross_story_relations']}")
    for st in s["largest"]:
        print(f"  {st['articles']:4d}  {st['label']}  [{', '.join(st['ids'])}{' …' if st['articles'] > 8 else ''}]")


def _compare_across_stories() -> None:
    """Run the build's claim comparison without its story filter, to measure what the filter removes."""
    import kgraph.build as pipeline

    compare = pipeline.compare_claims

    def unfiltered(*args: Any, **kwargs: Any) -> Any:
        kwargs.pop("story_of_article", None)
        return compare(*args, **kwargs)

    pipeline.compare_claims = unfiltered  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--news", type=int, default=400, help="news-dev bodies to build (default 400; 0: none)")
    parser.add_argument("--top", type=int, default=25, help="largest stories to print (default 25)")
    parser.add_argument("--from-build", type=Path, metavar="OUT", help="summarise this build instead of news-dev")
    parser.add_argument("--no-meantime", action="store_true")
    parser.add_argument(
        "--no-story-filter", action="store_true",
        help="compare claims across stories too (what the filter removes: the cross-story count is then > 0)",
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args(argv)
    result: dict[str, Any] = {}
    if args.no_story_filter:
        _compare_across_stories()
    with tempfile.TemporaryDirectory(prefix="kgraph-stories-") as tmp:
        work = Path(tmp)
        if not args.no_meantime:
            docs = [json.loads(line) for line in MEANTIME.read_text(encoding="utf-8").splitlines()]
            topic_of = {f"mt-{d['doc_id']}": d["topic"].replace("corpus_", "") for d in docs}
            write_jsonl([{"id": f"mt-{d['doc_id']}", "text": d["text"]} for d in docs], work / "meantime.jsonl")
            out, seconds = run(work / "meantime.jsonl", work, "meantime")
            found = read_stories(out)
            summary = summarise(found, args.top) | {"purity": round(meantime_purity(found, topic_of), 3), "seconds": round(seconds, 1)}
            print_summary("MEANTIME dev", summary)
            print(f"  purity (articles whose story's majority topic is theirs): {summary['purity']:.3f}")
            result["meantime"] = summary
        if args.from_build:
            summary = summarise(read_stories(args.from_build), args.top)
            print_summary(str(args.from_build), summary)
            result["build"] = summary
        elif args.news:
            lines = NEWS.read_text(encoding="utf-8").splitlines()[: args.news]
            (work / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
            out, seconds = run(work / "news.jsonl", work, "news")
            summary = summarise(read_stories(out), args.top) | {"seconds": round(seconds, 1)}
            print_summary(f"news-dev (first {args.news})", summary)
            result["news_dev"] = summary
    finish("stories", result, print_json=args.json, save=not args.no_save)
    return 0


if __name__ == "__main__":
    sys.exit(main())
