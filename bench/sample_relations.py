#!/usr/bin/env python3
"""Draw a random sample of a build's claim relations for a reader to judge (issue 13).

Reads the relations of a build (``OUT``, from ``kgraph build``) with SPARQL, drops those
touching an article of ``--exclude`` (a ``.jsonl`` whose ids were used to tune the rules,
so the judged sample is text the rules were not written on), and draws ``--n``
contradictions and ``--n`` agreements at random (seed ``--seed``). Each item carries both
claims with their sentences, speakers, rule and confidence, so a reader can judge it
without the build; the gold file kept in the repository (``bench/gold/relations_news_dev.json``)
keeps only ids, offsets and verdicts (news-dev texts stay out of the repository).

Usage::

    python bench/sample_relations.py OUT --exclude /tmp/nd300.jsonl --n 60 --out /tmp/judge/items.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from kgraph.rdf.store import open_store, select_values  # noqa: E402

RELATIONS = """
SELECT ?r ?kind ?rule ?conf ?why ?ida ?as ?ae ?ta ?sa ?spa ?idb ?bs ?be ?tb ?sb ?spb WHERE {
  ?r a kg:ClaimRelation ; kg:relationKind ?kind ; kg:relationRule ?ri ; kg:confidence ?conf ; rdfs:comment ?why ;
     kg:fromClaim ?a ; kg:toClaim ?b .
  ?a schema:text ?ta ; kg:content [ nif:beginIndex ?as ; nif:endIndex ?ae ] ; schema:appearance/schema:identifier ?ida .
  ?b schema:text ?tb ; kg:content [ nif:beginIndex ?bs ; nif:endIndex ?be ] ; schema:appearance/schema:identifier ?idb .
  OPTIONAL { ?a kg:sentence ?sa } OPTIONAL { ?b kg:sentence ?sb }
  OPTIONAL { ?a schema:author/rdfs:label ?spa } OPTIONAL { ?b schema:author/rdfs:label ?spb }
  BIND(STRAFTER(STR(?ri), "claimrule-") AS ?rule)
}"""


def read_relations(out: Path) -> list[dict[str, str]]:
    """One row per relation (the first speaker label and sentence where a claim has several)."""
    rows: dict[str, dict[str, str]] = {}
    for row in select_values(open_store(out), RELATIONS):
        rows.setdefault(row["r"], row)
    return [rows[k] for k in sorted(rows)]


def side(row: dict[str, str], x: str) -> dict[str, object]:
    return {"article": row[f"id{x}"], "start": int(row[f"{x}s"]), "end": int(row[f"{x}e"]), "claim": row[f"t{x}"],
            "sentence": row.get(f"s{x}") or row[f"t{x}"], "speaker": row.get(f"sp{x}") or None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build", type=Path, help="the output directory of a kgraph build")
    parser.add_argument("--exclude", type=Path, action="append", default=[], help=".jsonl of articles the rules were tuned on")
    parser.add_argument("--n", type=int, default=60, help="relations of each kind to draw (default 60)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, required=True, help="where to write the items (.jsonl)")
    args = parser.parse_args()
    excluded = {json.loads(line)["id"] for path in args.exclude for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    rows = [r for r in read_relations(args.build) if r["ida"] not in excluded and r["idb"] not in excluded]
    rng = random.Random(args.seed)
    items = []
    for kind in ("contradiction", "agreement"):
        pool = [r for r in rows if r["kind"] == kind]
        for r in rng.sample(pool, min(args.n, len(pool))):
            items.append({"id": f"{kind[0]}{len(items):03d}", "kind": kind, "rule": r["rule"], "confidence": float(r["conf"]),
                          "a": side(r, "a"), "b": side(r, "b"), "explanation": r["why"]})
        print(f"{kind}: {len(pool)} outside the excluded articles, {min(args.n, len(pool))} drawn", file=sys.stderr)
    args.out.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
