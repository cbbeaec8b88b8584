#!/usr/bin/env python3
"""Extraction alone, on the parses a build kept: how long it takes, and whether it still finds the same.

Why this exists: the build's own cost inside the parse loop is mostly
``extract_article``, but timing it inside a build mixes it with spaCy and with
whatever else the shared machine runs. Here the Docs come from a build's parse
cache (``<out>/cache/docs/``), so nothing is parsed; each round restores fresh
Docs (no memo of an earlier round) and times ``extract_article`` over all of them.

To compare two versions of the extractors, run this once with ``--save F`` on the
old code and once with ``--compare F`` on the new: every article's findings must
be equal (``==`` on the frozen findings). Alternate the two versions a few times
(``PYTHONPATH=<worktree>/src`` runs an older checkout) and compare medians; one
run each says little on a shared machine.

    python bench/bench_build.py --corpus real --articles 1000 --no-stages --keep /tmp/kg1k
    python bench/bench_extraction.py --build /tmp/kg1k/out --repeat 3 --save /tmp/findings.pkl
"""

from __future__ import annotations

import argparse
import inspect
import pickle
import statistics
import sys
import time
from pathlib import Path

from spacy.tokens import DocBin

from kgraph.build import extraction_lexicons
from kgraph.extract.findings import extract_article
from kgraph.nlp.pipeline import load_pipeline


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, required=True, help="an output folder whose cache/docs/ holds kept parses")
    parser.add_argument("--repeat", type=int, default=1, help="rounds, each on freshly restored Docs (default 1)")
    parser.add_argument("--model", default=None, help="spaCy pipeline whose vocab restores the Docs (default: kgraph's choice)")
    parser.add_argument("--save", type=Path, help="write every article's findings here (pickle)")
    parser.add_argument("--compare", type=Path, help="compare every article's findings with a file --save wrote")
    args = parser.parse_args(argv)
    files = sorted((args.build / "cache" / "docs").glob("*/*.spacy"))
    if not files:
        parser.exit(2, f"no kept parses under {args.build}/cache/docs/: build with kgraph first\n")
    nlp = load_pipeline(args.model)
    blobs = [f.read_bytes() for f in files]
    lexicons = extraction_lexicons()
    takes_text = "text" in inspect.signature(extract_article).parameters  # older checkouts lack it
    seconds: list[float] = []
    findings = []
    for _ in range(args.repeat):
        docs = [next(DocBin(store_user_data=False).from_bytes(b).get_docs(nlp.vocab)) for b in blobs]
        texts = [d.text for d in docs]  # an article's text, as the build has it before extraction
        started = time.perf_counter()
        findings = [
            extract_article(d, *lexicons, **({"text": t} if takes_text else {})) for d, t in zip(docs, texts, strict=True)
        ]
        seconds.append(time.perf_counter() - started)
    runs = ", ".join(f"{s:.2f}" for s in seconds)
    print(f"extract_article on {len(files):,} kept parses: median {statistics.median(seconds):.2f} s (runs: {runs})")
    if args.save:
        args.save.write_bytes(pickle.dumps(([f.name for f in files], findings)))
        print(f"findings written to {args.save}")
    if args.compare:
        names, earlier = pickle.loads(args.compare.read_bytes())
        now = dict(zip((f.name for f in files), findings, strict=True))
        differ = [n for n, f in zip(names, earlier, strict=True) if now.get(n) != f]
        print(f"findings differ for {len(differ)} of {len(names):,} articles" + (f": {', '.join(differ[:10])}" if differ else ""))
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
