#!/usr/bin/env python3
"""Disputed stories on news-dev: are the confirming and the denying outlets of one story linked? (issue 13)

Issue 13 is done, among others, when "confirming and denying outlets of one story [are]
linked in at least 60% of such stories". news-dev has no labels, so the gold is judged
by reading: ``bench/gold/news_dev_stances.json`` lists rumour stories, each with its
claim (paraphrased) and the stance of each article read: ``confirm`` (reports the claim
as true, or its sources assert it), ``deny`` (says it is false, a hoax, or reports a
denial as its main point), ``neutral``, or ``off`` (another story that a clustering
could mix in). Article ids only: no text of the corpus is in the repository.

What runs: ``kgraph.api.build`` on all of news-dev into a temporary directory (or
``--from-build`` an existing build), then SPARQL over the store::

    ?r a kg:ClaimRelation ; kg:relationKind "contradiction" ; kg:relationRule ?rule ;
       kg:confidence ?c ; kg:fromClaim ?a ; kg:toClaim ?b .
    ?a schema:text ?ta ; schema:appearance/schema:identifier ?article_a .

Printed, for every gold story with at least one confirming and one denying article:

* **linked**: some contradiction joins a claim of a confirming article and a claim of a
  denying article (either direction). The share of such stories linked is the issue's
  measure (target >= 60%). Per story: the number of such relations, and the best one
  (highest confidence) with its rule and both claim texts cut to 100 characters, so a
  reader can check that the link is about the story's claim and not a chance pairing.
* **camps**: how many camps (``report.json``) the kgraph story holding most of its
  articles has; the issue wants a two-sided story as two or three. Counted over the
  disputed stories whose kgraph story has any camp (a camp needs a disputing speaker).
* **story agreement**, for every gold story: the share of its gold articles (not ``off``)
  that kgraph puts in the one story holding most of them, how many ``off`` articles that
  story also holds, and which other gold stories have their majority in the same kgraph
  story (a merge: agreement alone cannot see it, since a story that swallows two gold
  stories holds all of both).

A linked story is only as good as its link: the printed pair must be read. The share
linked counts links, the reader's count of links about the claim is reported apart.

Gold ids whose text the build dropped as a duplicate of another article are read as
that article (kgraph keeps one id per text).

Usage (from the repository root)::

    python bench/eval_disputes.py                         # builds all 1,683 bodies (about 5 min)
    python bench/eval_disputes.py --from-build OUT        # an existing build of news-dev
    python bench/eval_disputes.py --from-build OUT --links 3 --json --no-save

Results go to ``bench/results/disputes-<time>.json`` (``--no-save`` skips it).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from kgraph.api import build  # noqa: E402
from kgraph.rdf.store import open_store, select_values  # noqa: E402
from results_io import finish  # noqa: E402

NEWS = REPO.parent / "shared" / "data" / "news-dev" / "fnc1_train_bodies.jsonl"
GOLD = REPO / "bench" / "gold" / "news_dev_stances.json"

_STORIES = "SELECT ?s ?label ?id WHERE { ?s a kg:Story ; rdfs:label ?label ; schema:hasPart/schema:identifier ?id }"
_ARTICLES = "SELECT ?id WHERE { ?a a schema:NewsArticle ; schema:identifier ?id }"
_CONTRADICTIONS = """
SELECT ?rule ?conf ?aid ?ta ?bid ?tb WHERE {
  ?r a kg:ClaimRelation ; kg:relationKind "contradiction" ; kg:relationRule ?ruleIri ; kg:confidence ?conf ;
     kg:fromClaim ?a ; kg:toClaim ?b .
  ?a schema:text ?ta ; schema:appearance/schema:identifier ?aid .
  ?b schema:text ?tb ; schema:appearance/schema:identifier ?bid .
  BIND(STRAFTER(STR(?ruleIri), "claimrule-") AS ?rule)
}"""


def read_build(out: Path) -> dict[str, Any]:
    """The build's articles, the story of each article, and its contradictions with their articles and texts."""
    store = open_store(out)
    story_of: dict[str, str] = {}
    labels: dict[str, str] = {}
    for row in select_values(store, _STORIES):
        story_of[row["id"]] = row["s"]
        labels[row["s"]] = row["label"]
    articles = {row["id"] for row in select_values(store, _ARTICLES)}
    contradictions = select_values(store, _CONTRADICTIONS)
    report = out / "report.json"
    camps = json.loads(report.read_text(encoding="utf-8")).get("camps", []) if report.is_file() else []
    camps_of = Counter(c["story"]["iri"] for c in camps if c.get("story"))
    return {"articles": articles, "story_of": story_of, "labels": labels, "contradictions": contradictions, "camps_of": camps_of}


def duplicate_aliases(corpus: Path, built: set[str]) -> dict[str, str]:
    """Map each corpus id the build dropped as a duplicate to the built id with the same text.

    kgraph keeps one article per text (ingest's content-hash dedupe), so a gold id that
    was dropped is judged through the article that stands for it.
    """
    first_with_text: dict[str, str] = {}
    aliases: dict[str, str] = {}
    records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    for rec in records:
        if rec["id"] in built:
            first_with_text.setdefault(rec["text"].strip(), rec["id"])
    for rec in records:
        if rec["id"] not in built and rec["text"].strip() in first_with_text:
            aliases[rec["id"]] = first_with_text[rec["text"].strip()]
    return aliases


def stances(story: dict[str, Any], aliases: dict[str, str], built: set[str]) -> dict[str, set[str]]:
    """The gold story's built article ids by stance (a dropped duplicate read as its kept twin)."""
    by: dict[str, set[str]] = defaultdict(set)
    for aid, stance in story["articles"].items():
        aid = aliases.get(aid, aid)
        if aid in built:
            by[stance].add(aid)
    return by


def dispute_links(confirm: set[str], deny: set[str], contradictions: list[dict[str, str]]) -> list[dict[str, str]]:
    """Contradictions between a claim of a confirming and a claim of a denying article, most confident first."""
    links = [
        r for r in contradictions
        if (r["aid"] in confirm and r["bid"] in deny) or (r["aid"] in deny and r["bid"] in confirm)
    ]
    return sorted(links, key=lambda r: -float(r["conf"] or 0))


def agreement(by: dict[str, set[str]], story_of: dict[str, str]) -> dict[str, Any]:
    """Share of the gold story's articles (not off) in kgraph's story holding most of them; off articles it also holds."""
    members = set().union(*(v for k, v in by.items() if k != "off")) if by else set()
    counts = Counter(story_of.get(a, f"(none) {a}") for a in members)
    if not counts:
        return {"articles": 0, "share": 0.0, "story": "", "off_included": 0}
    story, held = counts.most_common(1)[0]
    off_in = sum(1 for a in by.get("off", ()) if story_of.get(a) == story)
    return {"articles": len(members), "share": round(held / len(members), 3), "story": story, "off_included": off_in}


def _cut(text: str, n: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def evaluate(found: dict[str, Any], gold: list[dict[str, Any]], aliases: dict[str, str], n_links: int) -> dict[str, Any]:
    """Per gold story: stance counts, dispute links, and agreement with kgraph's stories; and the totals."""
    rows = []
    for story in gold:
        by = stances(story, aliases, found["articles"])
        confirm, deny = by.get("confirm", set()), by.get("deny", set())
        links = dispute_links(confirm, deny, found["contradictions"])
        agree = agreement(by, found["story_of"])
        rows.append({
            "story": story["story"],
            "confirm": len(confirm), "deny": len(deny),
            "neutral": len(by.get("neutral", ())), "off": len(by.get("off", ())),
            "disputed": bool(confirm and deny),
            "linked": bool(links),
            "relations": len(links),
            "rules": dict(Counter(r["rule"] for r in links)),
            "links": [{"rule": r["rule"], "confidence": float(r["conf"] or 0), "a": r["aid"], "b": r["bid"],
                       "a_text": _cut(r["ta"]), "b_text": _cut(r["tb"])} for r in links[:n_links]],
            "agreement": agree["share"], "kgraph_story": found["labels"].get(agree["story"], ""),
            "off_included": agree["off_included"],
            "camps": found["camps_of"].get(agree["story"], 0),  # of the kgraph story holding most of its articles
            "_home": agree["story"],
        })
    home: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        home[r["_home"]].append(r["story"])
    for r in rows:
        r["merged_with"] = [name for name in home.get(r["_home"], []) if name != r["story"]]
        del r["_home"]
    disputed = [r for r in rows if r["disputed"]]
    linked = [r for r in disputed if r["linked"]]
    with_camps = [r for r in disputed if r["camps"]]
    return {
        "disputed_with_camps": len(with_camps),
        "disputed_in_two_or_three_camps": sum(1 for r in with_camps if 2 <= r["camps"] <= 3),
        "gold_stories": len(rows),
        "disputed_stories": len(disputed),
        "linked_stories": len(linked),
        "share_linked": round(len(linked) / max(len(disputed), 1), 3),
        "mean_agreement": round(sum(r["agreement"] for r in rows) / max(len(rows), 1), 3),
        "off_included": sum(r["off_included"] for r in rows),
        "off_gold": sum(r["off"] for r in rows),
        "merged_stories": sum(1 for r in rows if r["merged_with"]),
        "contradictions_in_build": len(found["contradictions"]),
        "aliased_duplicates": sum(1 for s in gold for a in s["articles"] if a in aliases),
        "stories": rows,
    }


def print_result(res: dict[str, Any]) -> None:
    print(f"\nDisputed stories (gold has >= 1 confirm and >= 1 deny): {res['disputed_stories']} of {res['gold_stories']}")
    print(f"  linked (a contradiction between a confirming and a denying article): {res['linked_stories']} "
          f"= {100 * res['share_linked']:.1f}%  (target >= 60%)")
    for r in res["stories"]:
        if not r["disputed"]:
            continue
        best = r["links"][0] if r["links"] else None
        if not r["linked"]:
            tag = "NOT linked"
        elif best is None:  # --links 0: linked, no pair printed
            tag = f"linked   {r['relations']:3d} rel"
        else:
            tag = f"linked   {r['relations']:3d} rel, best {best['rule']} {best['confidence']:.2f}"
        print(f"  {tag:38s} {r['story']}  (confirm {r['confirm']}, deny {r['deny']}; camps {r['camps']})")
        for link in r["links"]:
            print(f"      {link['a']}: {link['a_text']}")
            print(f"      {link['b']}: {link['b_text']}")
    print(f"  camps: of the {res['disputed_with_camps']} disputed stories whose kgraph story has camps, "
          f"{res['disputed_in_two_or_three_camps']} come out as two or three (target: a two-sided story is two or three camps)")
    print(f"\nStory agreement (share of a gold story's articles in kgraph's story holding most): "
          f"mean {res['mean_agreement']:.3f} over {res['gold_stories']} stories; "
          f"off articles in that story: {res['off_included']} of {res['off_gold']}; "
          f"gold stories sharing their kgraph story with another: {res['merged_stories']}")
    for r in sorted(res["stories"], key=lambda r: r["agreement"]):
        merged = f"  merged with: {'; '.join(r['merged_with'])}" if r["merged_with"] else ""
        print(f"  {r['agreement']:.2f}  off in: {r['off_included']}  {r['story']}  -> {r['kgraph_story'][:60]}{merged}")
    print(f"\n({res['contradictions_in_build']} contradictions in the build; "
          f"{res['aliased_duplicates']} gold ids read as the duplicate the build kept)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from-build", type=Path, metavar="OUT", help="read this build of news-dev instead of building one")
    parser.add_argument("--gold", type=Path, default=GOLD, help=f"judged stances (default {GOLD.relative_to(REPO)})")
    parser.add_argument("--links", type=int, default=1, help="dispute links to print per linked story, most confident first (default 1)")
    parser.add_argument("--json", action="store_true", help="also print the result as one JSON line")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/disputes-*.json")
    args = parser.parse_args(argv)
    gold = json.loads(args.gold.read_text(encoding="utf-8"))["stories"]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kgraph-disputes-") as tmp:
        out = args.from_build
        if out is None:
            out = Path(tmp) / "news"
            build([NEWS], out, use_cache=False)
        found = read_build(out)
    result = evaluate(found, gold, duplicate_aliases(NEWS, found["articles"]), args.links)
    result["build"] = str(args.from_build) if args.from_build else "news-dev (built here)"
    result["seconds"] = round(time.perf_counter() - started, 1)
    print_result(result)
    finish("disputes", result, print_json=args.json, save=not args.no_save)
    return 0


if __name__ == "__main__":
    sys.exit(main())
