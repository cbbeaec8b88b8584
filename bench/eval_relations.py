#!/usr/bin/env python3
"""Contradiction and agreement between claims: kgraph's relations against the seeds' gold list.

What runs: ``kgraph.build.build()`` on ``seeds/`` into a temporary directory;
the relations are read back from the store with SPARQL, as a user would::

    ?a cito:disagreesWith ?b .   ?a cito:agreesWith ?b .
    ?r a kg:ClaimRelation ; kg:fromClaim ?a ; kg:toClaim ?b ; kg:relationRule ?rule ; kg:confidence ?c .
    ?a kg:content [ nif:beginIndex ?s ; nif:endIndex ?e ] ; schema:appearance [ schema:identifier ?article ] .

Gold: ``tests/gold/relations_seeds.json`` (claims quoted by exact substrings of
the articles; relations as unordered pairs; repetition clusters; hard
negatives). A predicted claim stands for a gold claim of the same article when
their spans overlap by at least half of the shorter one. A predicted relation
is *judged* when both its claims stand for gold claims; it is right when the
gold lists that pair with the same type (contradiction or agreement). Recall
is over the gold relations; precision over the judged predictions (unjudged
ones, between claims the gold does not list, are counted apart). The
*extended* scores treat the members of one gold repetition cluster (the same
statement carried by several articles) as one claim, as the gold's notes allow.
Hard negatives: gold ``not_related`` pairs that kgraph relates (target 0).

News-dev (``--news-build OUT``, a build of ``../shared/data/news-dev``): the judged
sample ``bench/gold/relations_news_dev.json`` (round 1: relations drawn at random by
``bench/sample_relations.py`` from articles the rules were not tuned on, each judged
accept / reject by a reader from both sentences; round 2: every relation of a later
build outside the tuning articles, a census; ids and offsets only). Printed: each round's
precision as judged (per kind and rule), and for the build given: the relations
per article, how many of its relations the sample judges and their precision, the
accepted relations it still finds, and precision by confidence band (calibration: a
relation of confidence c should be right about c of the time). ``--news-only`` skips the
seeds.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from eval_entities import write_results

from kgraph.build import build
from kgraph.rdf.store import open_store, select

GOLD = REPO / "tests" / "gold" / "relations_seeds.json"
NEWS_GOLD = REPO / "bench" / "gold" / "relations_news_dev.json"
BANDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)

_RELATIONS = """
SELECT ?kind ?rule ?conf ?aid ?as ?ae ?bid ?bs ?be ?why WHERE {
  ?r a kg:ClaimRelation ; kg:relationKind ?kind ; kg:relationRule ?ruleIri ; kg:confidence ?conf ;
     kg:fromClaim ?a ; kg:toClaim ?b ; rdfs:comment ?why .
  ?a kg:content [ nif:beginIndex ?as ; nif:endIndex ?ae ] ; schema:appearance [ schema:identifier ?aid ] .
  ?b kg:content [ nif:beginIndex ?bs ; nif:endIndex ?be ] ; schema:appearance [ schema:identifier ?bid ] .
  BIND(STRAFTER(STR(?ruleIri), "claimrule-") AS ?rule)
}"""


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter >= 0.5 * min(a[1] - a[0], b[1] - b[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print misses, wrong and unjudged relations")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the numbers to PATH as JSON")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/eval_relations-*.json")
    parser.add_argument("--news-build", type=Path, metavar="OUT", help="also score this build of news-dev against the judged sample")
    parser.add_argument("--news-gold", type=Path, default=NEWS_GOLD, metavar="PATH", help=f"the judged sample (default {NEWS_GOLD.relative_to(REPO)})")
    parser.add_argument("--news-only", action="store_true", help="skip the seeds")
    args = parser.parse_args()
    out: dict[str, dict] = {}
    if not args.news_only:
        out["seeds"] = seeds(args)
    if args.news_build is not None or args.news_only:
        out["news_dev"] = news(args.news_gold, args.news_build)
    write_results("eval_relations", out, args.json, not args.no_save)
    return 0


def _key(a: tuple[str, int, int], b: tuple[str, int, int]) -> frozenset[tuple[str, int, int]]:
    return frozenset((a, b))


def _precision(items: list[dict]) -> tuple[int, int, float]:
    judged = [i for i in items if i["verdict"] in ("accept", "reject")]
    right = sum(1 for i in judged if i["verdict"] == "accept")
    return right, len(judged), (right / len(judged) if judged else 0.0)


def news(gold_path: Path, build_dir: Path | None) -> dict:
    """The judged news-dev sample: its precision, and how a build of news-dev scores against it."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    items = gold["items"]
    result: dict[str, dict] = {"sample": {}}
    print(f"=== judged sample ({gold_path.relative_to(REPO) if gold_path.is_relative_to(REPO) else gold_path}): {len(items)} relations, drawn from {gold.get('drawn_from', '?')}")
    for round_ in sorted({i.get("round", 1) for i in items}):
        in_round = [i for i in items if i.get("round", 1) == round_]
        print(f"  round {round_}: {len(in_round)} relations")
        for kind in ("contradiction", "agreement"):
            of_kind = [i for i in in_round if i["kind"] == kind]
            right, judged, p = _precision(of_kind)
            print(f"    {kind:14} judged {judged:3d} accepted {right:3d} precision {p:6.1%}   (unsure {len(of_kind) - judged})")
            by_rule = defaultdict(list)
            for i in of_kind:
                by_rule[i["rule"]].append(i)
            for rule, rs in sorted(by_rule.items()):
                r, j, pr = _precision(rs)
                print(f"        {rule:22} {r:3d}/{j:<3d} {pr:6.1%}")
            result["sample"].setdefault(f"round {round_}", {})[kind] = {"judged": judged, "accepted": right, "precision": p}
    if build_dir is None:
        return result
    store = open_store(build_dir)
    rows = [{k: (v.value if v is not None else "") for k, v in r.items()} for r in select(store, _RELATIONS)]
    articles = len(select(store, "SELECT ?a WHERE { ?a a schema:NewsArticle }"))
    del store
    found = {}
    for row in rows:
        found[_key((row["aid"], int(row["as"]), int(row["ae"])), (row["bid"], int(row["bs"]), int(row["be"])))] = row
    print(f"  build {build_dir}: {len(found)} relations over {articles} articles = {len(found) / max(articles, 1):.2f} per article "
          f"({sum(1 for r in found.values() if r['kind'] == 'contradiction')} contradictions)")
    matched: list[tuple[dict, dict]] = []
    # One verdict per relation: a later round's item for the same pair ("same_as") stands for the earlier one.
    distinct = {_key((i["a"]["article"], i["a"]["start"], i["a"]["end"]), (i["b"]["article"], i["b"]["start"], i["b"]["end"])): i
                for i in sorted(items, key=lambda i: i.get("round", 1))}
    items = list(distinct.values())
    for i in items:
        row = found.get(_key((i["a"]["article"], i["a"]["start"], i["a"]["end"]), (i["b"]["article"], i["b"]["start"], i["b"]["end"])))
        if row is not None and row["kind"] == i["kind"]:
            matched.append((i, row))
    accepted = [i for i in items if i["verdict"] == "accept"]
    kept = [i for i, _ in matched if i["verdict"] == "accept"]
    right, judged, p = _precision([i for i, _ in matched])
    print(f"  of the sample, the build still has {len(matched)}: precision {p:.1%} ({right}/{judged}); "
          f"accepted relations kept {len(kept)}/{len(accepted)}")
    print("  calibration (the build's confidence of the judged relations it has; in sample, since the model was fitted on"
          " them: bench/calibrate_relations.py prints the out-of-fold table):")
    print(f"    {'confidence':>12} {'judged':>7} {'right':>6} {'precision':>10}")
    bands = []
    for lo, hi in zip(BANDS, BANDS[1:]):
        inside = [i for i, row in matched if lo <= float(row["conf"]) < hi]
        r, j, pr = _precision(inside)
        if j:
            print(f"    {lo:5.2f}-{min(hi, 1.0):<5.2f} {j:7d} {r:6d} {pr:10.1%}")
            bands.append({"from": lo, "to": min(hi, 1.0), "judged": j, "right": r, "precision": pr})
    for floor in (0.5, 0.6, 0.7, 0.8):
        r, j, pr = _precision([i for i, row in matched if float(row["conf"]) >= floor])
        print(f"    at confidence >= {floor}: {j} judged, precision {pr:.1%}")
    result["build"] = {"relations": len(found), "articles": articles, "per_article": len(found) / max(articles, 1),
                       "matched": len(matched), "precision": p, "accepted_kept": len(kept), "accepted": len(accepted), "bands": bands}
    return result


def seeds(args: argparse.Namespace) -> dict:

    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        result = build([REPO / "seeds"], Path(tmp) / "out")
        texts = {a.id: a.text for a in result.articles}
        store = open_store(Path(tmp) / "out")
        rows = [{k: (v.value if v is not None else "") for k, v in r.items()} for r in select(store, _RELATIONS)]
        del store
    seconds = time.perf_counter() - started

    spans: dict[str, tuple[str, tuple[int, int]]] = {}
    for cid, c in gold["claims"].items():
        at = texts[c["article"]].find(c["text"])
        if at < 0:
            print(f"gold claim {cid} not found in {c['article']}", file=sys.stderr)
            continue
        spans[cid] = (c["article"], (at, at + len(c["text"])))
    canon = {cid: cid for cid in spans}
    for cluster in gold.get("repetitions", []):
        head = cluster["members"][0]
        for m in cluster["members"]:
            canon[m] = head

    def gold_ids(aid: str, span: tuple[int, int]) -> list[str]:
        return [cid for cid, (a, s) in spans.items() if a == aid and _overlaps(s, span)]

    gold_pairs: dict[frozenset[str], dict] = {frozenset((r["a"], r["b"])): r for r in gold["relations"]}
    gold_ext: dict[frozenset[str], str] = {}
    for r in gold["relations"]:
        gold_ext[frozenset((canon[r["a"]], canon[r["b"]]))] = r["type"]
    negatives = {frozenset((n["a"], n["b"])) for n in gold.get("not_related", [])}

    found: dict[frozenset[str], str] = {}
    found_ext: dict[frozenset[str], str] = {}
    judged = Counter()
    right = Counter()
    right_ext = Counter()
    unjudged: list[dict] = []
    wrong: list[tuple[dict, str]] = []
    negative_hits: list[dict] = []
    by_rule = defaultdict(Counter)
    for row in rows:
        kind = row["kind"]
        ga = gold_ids(row["aid"], (int(row["as"]), int(row["ae"])))
        gb = gold_ids(row["bid"], (int(row["bs"]), int(row["be"])))
        if not ga or not gb:
            unjudged.append(row)
            by_rule[row["rule"]]["unjudged"] += 1
            continue
        judged[kind] += 1
        pairs = {frozenset((x, y)) for x in ga for y in gb if x != y}
        hit = next((p for p in pairs if p in gold_pairs and gold_pairs[p]["type"] == kind), None)
        ext_pairs = {frozenset((canon[x], canon[y])) for x in ga for y in gb if canon[x] != canon[y]}
        hit_ext = next((p for p in ext_pairs if gold_ext.get(p) == kind), None)
        if hit is not None:
            right[kind] += 1
            found[hit] = kind
        if hit_ext is not None:
            right_ext[kind] += 1
            found_ext[hit_ext] = kind
        by_rule[row["rule"]]["right" if hit_ext is not None else "wrong"] += 1
        if hit_ext is None:
            other = next((gold_pairs[p]["type"] for p in pairs if p in gold_pairs), "none")
            wrong.append((row, other))
        if pairs & negatives:
            negative_hits.append(row)

    out: dict[str, dict] = {}
    print(f"=== Seeds: {len(rows)} kgraph relations; gold {len(gold['relations'])} relations over {len(spans)} claims; build {seconds:.1f} s")
    print(f"  {'kind':14} {'gold':>5} {'found':>6} {'R':>7} {'judged':>7} {'right':>6} {'P':>7}   extended: {'found':>5} {'R':>7} {'right':>5} {'P':>7}")
    for kind in ("contradiction", "agreement"):
        g = sum(1 for r in gold["relations"] if r["type"] == kind)
        g_ext = sum(1 for t in gold_ext.values() if t == kind)
        f = sum(1 for t in found.values() if t == kind)
        f_ext = sum(1 for t in found_ext.values() if t == kind)
        rec = f / g if g else 0.0
        prec = right[kind] / judged[kind] if judged[kind] else 0.0
        rec_ext = f_ext / g_ext if g_ext else 0.0
        prec_ext = right_ext[kind] / judged[kind] if judged[kind] else 0.0
        print(f"  {kind:14} {g:5d} {f:6d} {rec:7.1%} {judged[kind]:7d} {right[kind]:6d} {prec:7.1%}   extended: {f_ext:5d} {rec_ext:7.1%} {right_ext[kind]:5d} {prec_ext:7.1%}")
        out[kind] = {"gold": g, "found": f, "recall": rec, "judged": judged[kind], "right": right[kind], "precision": prec,
                     "extended": {"gold": g_ext, "found": f_ext, "recall": rec_ext, "right": right_ext[kind], "precision": prec_ext}}
    basis = Counter(gold_pairs[p].get("basis", "") for p, t in found.items() if t == "contradiction")
    total_basis = Counter(r.get("basis", "") for r in gold["relations"] if r["type"] == "contradiction")
    print("  contradictions found by gold basis: " + ", ".join(f"{b} {basis[b]}/{n}" for b, n in sorted(total_basis.items())))
    print("  by kgraph rule (extended judgement): " + ", ".join(f"{r} {c['right']} right/{c['wrong']} wrong/{c['unjudged']} unjudged" for r, c in sorted(by_rule.items())))
    print(f"  unjudged relations (a claim the gold does not list): {len(unjudged)}")
    print(f"  hard negatives related (target 0): {len(negative_hits)} of {len(negatives)}")
    out["unjudged"] = len(unjudged)
    out["negatives_related"] = len(negative_hits)
    out["by_rule"] = {r: dict(c) for r, c in by_rule.items()}
    if args.verbose:
        print("\n  wrong (judged, not in gold with this type):")
        for row, other in wrong:
            print(f"    [{row['kind']} by {row['rule']}, gold: {other}] {row['why'][:300]}")
        print("\n  unjudged:")
        for row in unjudged:
            print(f"    [{row['kind']} by {row['rule']}] {row['why'][:300]}")
        print("\n  gold contradictions missed (extended):")
        for r in gold["relations"]:
            key = frozenset((canon[r["a"]], canon[r["b"]]))
            if r["type"] == "contradiction" and key not in found_ext:
                ca, cb = gold["claims"][r["a"]], gold["claims"][r["b"]]
                print(f"    {r['basis']}: {ca['speaker']}: {ca['text'][:70]!r} / {cb['speaker']}: {cb['text'][:70]!r}")
    return out


if __name__ == "__main__":
    raise SystemExit(main())
