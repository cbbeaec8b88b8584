#!/usr/bin/env python3
"""Acronyms the text defines, and whether kgraph merged them (issue 12: "every acronym the text defines merged").

Independent of kgraph's own definition finder: a plain pattern finds every "<Capitalised
Words> (<ABC>)" in the corpus texts. A pair counts when both forms are names in the
build (the longest suffix of the capitalised run that is an ``rdfs:label`` or
``skos:altLabel`` of a person, organisation or place, and the acronym likewise), and the
long form is no place: "WASHINGTON (AP)" and "Texas (CNN)" are datelines, correctly apart.
It is merged when one entity holds both. Pairs left apart are listed.

Usage (from the repository root; build first, e.g. ``python bench/eval_probes.py --all --keep DIR``)::

    python bench/eval_acronyms.py OUT [CORPUS.jsonl]    # default corpus: news-dev
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from kgraph.api import open_dataset  # noqa: E402

NEWS = REPO.parent / "shared" / "data" / "news-dev" / "fnc1_train_bodies.jsonl"
_DEFINITION = re.compile(r"((?:[A-Z][\w’'.-]*)(?:\s+(?:of|and|the|for|[A-Z][\w’'.-]*))*)\s*\(\s*([A-Z]{2,6})\s*\)")


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    out = Path(argv[0])
    corpus = Path(argv[1]) if len(argv) > 1 else NEWS
    ds = open_dataset(out)
    names: dict[str, set[str]] = defaultdict(set)
    kind: dict[str, str] = {}
    for e, t, f in ds.query(
        "SELECT ?e ?t ?f WHERE { ?e a ?t ; rdfs:label|skos:altLabel ?f . FILTER(?t IN (schema:Person, schema:Organization, schema:Place)) }"
    ):
        names[str(f)].add(str(e))
        if str(t).endswith("Place") or str(e) not in kind:
            kind[str(e)] = str(t).rsplit("/", 1)[-1]
    pairs: set[tuple[str, str]] = set()
    for line in corpus.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        for m in _DEFINITION.finditer(text):
            words, short = m.group(1).split(), m.group(2)
            long = next((" ".join(words[i:]) for i in range(len(words)) if " ".join(words[i:]) in names), None)
            if long and short in names and long != short and not any(kind.get(e) == "Place" for e in names[long]):
                pairs.add((long, short))
    merged = {p for p in pairs if names[p[0]] & names[p[1]]}
    print(f"{len(pairs)} defined acronym pairs whose forms are both names in the build (long form no place); "
          f"merged {len(merged)} ({len(merged) / max(len(pairs), 1):.0%})")
    for long, short in sorted(pairs - merged):
        print(f"  apart: {long} ({short})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
