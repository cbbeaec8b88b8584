#!/usr/bin/env python3
"""Attribution detection and named speakers of kgraph on held-out political news (PolNeAR dev).

What runs: ``kgraph.build.build()`` end to end on the 84 PolNeAR dev articles
(``/work/shared/data/polnear-dev``, 2,193 attributions: source, cue and content
spans with character offsets), written to a temporary ``.jsonl``. The claims
are read back from the store with SPARQL, through ``eval_attribution``'s
``read_build``, so this measures the product, not kgraph's internals. Ingest may
drop and re-join lines, so gold offsets are mapped onto the stored text
(``nif:isString``) line by line; gold items whose content cannot be mapped are
counted and not scored.

Scoring (the data README's rule, the one the field uses):

- **Detection.** Tokens are the ``\\w+`` runs of the stored text, identified by
  position. A gold attribution's tokens are those starting inside any of its
  content spans (all spans of all its content parts); a claim's are those
  starting inside its ``kg:content`` span. Token F1 = 2|G∩P| / (|G|+|P|). A gold
  item is detected when some claim of the same article reaches F1 >= 0.5;
  pairs are taken one-to-one, greedily, highest F1 first. A claim of either
  kind may match a gold item of either kind (kind disagreements are counted).
- **Precision** = matched claims / all claims. PolNeAR annotates every
  attribution of an article (speech, writing and beliefs), so a claim matching
  nothing is a false positive wherever it is; the unmatched claims are split
  into those overlapping no gold content at all ("nowhere near gold") and those
  overlapping one but below F1 0.5 or beaten to it ("boundary"). A split quote
  ("“A,” said X. “B.”") is one PolNeAR item with two content spans but two
  kgraph claims with one cue; the one-to-one rule counts the second claim as a
  false positive. Such claims (>= 80% of their tokens inside a multi-span gold
  item matched by a claim with the same cue) are counted, and a second
  precision crediting them is printed beside the strict one (the headline).
- **Named-speaker accuracy**, among detected gold items whose source names
  someone: the source is not null, not a bare pronoun (he, she, they, it, we,
  I, you, who, ...), and keeps a content word once stopwords and titles are
  removed ("the president" keeps none and is not scored). Five items of the
  data have source and cue swapped (source "said", cue the name, after an
  inverted "…,” said Hester."); they are read with the two swapped back. The claim's speaker
  is right when its words (author ``rdfs:label`` and ``skos:altLabel``, and the
  ``kg:speakerMention`` text) share such a content word with the gold source.
- **Kinds.** A gold item is a direct quote when its content is in quote marks
  (its first span opens with a quote mark, or one stands just before it, and
  its last span closes with one, or one stands just after it); the rest is
  indirect speech and belief. Recall is given per gold kind, precision per
  predicted kind (``kg:isDirectQuote``), and recall per cue group (the gold cue
  text, folded, auxiliaries dropped).

Usage (from the repository root)::

    python bench/eval_polnear.py                  # build (~2 min on 2 cores) and score
    python bench/eval_polnear.py --list | less    # also every missed gold item with a short context
    python bench/eval_polnear.py --keep /tmp/pn   # keep the build; --reuse /tmp/pn/out scores it again, no build
    python bench/eval_polnear.py --json /tmp/pn.json --no-save
    python bench/eval_polnear.py --reuse /tmp/pn/out --halves   # also each half of the articles (sorted ids)

``--halves`` guards against tuning to the dev set: rules read from the misses of one half
(even or odd positions of the sorted article ids) are checked on the other.

Article text is the publishers' copyright: results files hold ids, offsets and
numbers only; contexts are printed to the terminal, never saved.
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval_attribution import (  # bench/ is on sys.path when a bench script runs
    Built,
    PredClaim,
    _git_state,
    _pct,
    fold,
    line_offset_map,
    map_span,
    ratio,
    read_build,
    run_build,
)
from eval_entities import write_results
from spacy.lang.en.stop_words import STOP_WORDS

from kgraph.nlp.pipeline import choose_model, load_pipeline

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "polnear-dev"
MIN_F1 = 0.5
ISSUE_BASELINE = {"recall": 0.49, "precision": 0.78, "named_speaker_accuracy": 0.81}
TARGETS = {"recall": 0.65, "precision": 0.80, "named_speaker_accuracy": 0.90}

Span = tuple[int, int]

_WORD = re.compile(r"\w+")
_OPEN_MARKS = "“‘\"'«„`"
_CLOSE_MARKS = "”’\"'»“"
PRONOUNS = frozenset(
    "he she they it we i you him her them us me his its their our my your who whom which that this these those "
    "one someone somebody anyone everyone himself herself themselves itself ourselves myself yourself".split()
)
TITLES = frozenset(
    "mr mrs ms miss dr sir madam sen senator rep representative gov governor president vice former prof professor "
    "gen general col lt sgt maj capt judge justice secretary chairman chairwoman chair ceo mayor rev".split()
)
_SAYING_WORDS = frozenset({"said", "says", "say", "told", "tells"})
_AUXILIARIES = frozenset(
    "has have had is was were are be been being will would could can may might should shall must do does did not n't "
    "also never just even reportedly once still already".split()
)


# --- gold -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldItem:
    """One PolNeAR attribution mapped onto the stored text (``orig_*`` are the data file's offsets)."""

    doc: str
    ident: str
    content: tuple[Span, ...]  # stored offsets
    orig_content: tuple[Span, ...]
    cue_text: str
    cue: Span | None  # stored offsets
    source_text: str | None
    direct: bool

    @property
    def extent(self) -> Span:
        return min(s for s, _ in self.content), max(e for _, e in self.content)


def _spans(part: Mapping[str, Any] | None) -> list[Span]:
    if not part:
        return []
    return [(int(s), int(e)) for s, e in part.get("spans") or [(part["start"], part["end"])]]


def _quoted(text: str, spans: Sequence[Span]) -> bool:
    """The content is in quote marks: one opens the first span (or stands just before it), one closes the last."""
    first, last = sorted(spans)[0], sorted(spans)[-1]
    head = text[first[0] : first[1]].lstrip()
    before = text[max(0, first[0] - 3) : first[0]].rstrip()
    opens = bool(head) and head[0] in _OPEN_MARKS or bool(before) and before[-1] in _OPEN_MARKS
    tail = text[last[0] : last[1]].rstrip().rstrip(".,;:!?…—– ")
    body = text[last[0] : last[1]].rstrip()
    after = text[last[1] : last[1] + 3].lstrip(".,;:!?…—– ")
    closes = bool(tail) and tail[-1] in _CLOSE_MARKS or bool(body) and body[-1] in _CLOSE_MARKS or bool(after) and after[0] in _CLOSE_MARKS
    return opens and closes


def gold_items(doc: Mapping[str, Any], stored: str) -> tuple[list[GoldItem], int]:
    """A document's attributions mapped onto its stored text, and how many could not be mapped."""
    text = doc["text"]
    mapping = line_offset_map(text, stored)
    items: list[GoldItem] = []
    lost = 0
    for a in doc["attributions"]:
        orig = [s for part in a.get("content") or [] for s in _spans(part)]
        mapped = [m for m in (map_span(mapping, s) for s in orig) if m is not None]
        if not orig or len(mapped) != len(orig):
            lost += 1
            continue
        cue_spans = _spans(a.get("cue"))
        source = a.get("source")
        if source and (source.get("text") or "").strip().lower() in _SAYING_WORDS and a.get("cue"):
            source, cue_spans = a["cue"], _spans(source)  # labels swapped in the data ("said" as source, the name as cue)
        cue = map_span(mapping, (min(s for s, _ in cue_spans), max(e for _, e in cue_spans))) if cue_spans else None
        items.append(
            GoldItem(
                doc=str(doc["doc_id"]),
                ident=str(a.get("id")),
                content=tuple(mapped),
                orig_content=tuple(orig),
                cue_text=" ".join(text[s:e] for s, e in cue_spans),
                cue=cue,
                source_text=" ".join(text[s:e] for s, e in _spans(source)) if source else None,
                direct=_quoted(text, orig),
            )
        )
    return items, lost


def content_words(text: str) -> set[str]:
    """Folded words of a name, without stopwords, titles and one-letter pieces ("Clinton’s" -> clinton)."""
    return {w for w in _WORD.findall(fold(text)) if len(w) > 1 and w not in STOP_WORDS and w not in TITLES}


def names_someone(source: str | None) -> bool:
    """A gold source that can be scored: not null, not a bare pronoun, and a content word left."""
    if source is None:
        return False
    words = _WORD.findall(fold(source))
    if len(words) == 1 and words[0] in PRONOUNS:
        return False
    return bool(content_words(source))


def cue_group(cue: str) -> str:
    """The gold cue as a group key: folded, auxiliaries and a trailing colon dropped ("has also said" -> said)."""
    words = [w for w in re.findall(r"[\w']+|[^\w\s]", fold(cue)) if w not in _AUXILIARIES]
    key = " ".join(words).strip(" :")
    return key or ("(punctuation)" if cue.strip() else "(none)")


# --- matching -------------------------------------------------------------------


def token_starts(text: str) -> list[int]:
    return [m.start() for m in _WORD.finditer(text)]


def tokens_in(starts: Sequence[int], spans: Sequence[Span]) -> frozenset[int]:
    """Positions of the tokens that start inside any of ``spans``."""
    import bisect

    out: set[int] = set()
    for s, e in spans:
        out.update(starts[bisect.bisect_left(starts, s) : bisect.bisect_left(starts, e)])
    return frozenset(out)


def token_f1(a: frozenset[int], b: frozenset[int]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def match(gold: Sequence[GoldItem], claims: Sequence[PredClaim], texts: Mapping[str, str]) -> tuple[dict[int, tuple[int, float]], dict[int, bool]]:
    """Gold index -> (claim index, F1), one-to-one, greedy by F1 >= MIN_F1; and claim index -> overlaps any gold content."""
    starts = {doc: token_starts(t) for doc, t in texts.items()}
    gold_by_doc: dict[str, list[int]] = defaultdict(list)
    for gi, g in enumerate(gold):
        gold_by_doc[g.doc].append(gi)
    gold_tokens = {gi: tokens_in(starts.get(g.doc, []), g.content) for gi, g in enumerate(gold)}
    pairs: list[tuple[float, int, int]] = []
    near: dict[int, bool] = {}
    for pi, c in enumerate(claims):
        if c.content is None:
            near[pi] = False
            continue
        ptoks = tokens_in(starts.get(c.article, []), [c.content])
        near[pi] = False
        for gi in gold_by_doc.get(c.article, []):
            if not ptoks & gold_tokens[gi]:
                continue
            near[pi] = True
            f1 = token_f1(ptoks, gold_tokens[gi])
            if f1 >= MIN_F1:
                pairs.append((f1, -gi, -pi))
    pairs.sort(reverse=True)
    taken: dict[int, tuple[int, float]] = {}
    used: set[int] = set()
    for f1, ngi, npi in pairs:
        gi, pi = -ngi, -npi
        if gi not in taken and pi not in used:
            taken[gi] = (pi, f1)
            used.add(pi)
    return taken, near


def split_parts(
    gold: Sequence[GoldItem], claims: Sequence[PredClaim], texts: Mapping[str, str],
    matched: Mapping[int, tuple[int, float]], unmatched: Sequence[int],
) -> set[int]:
    """Unmatched claims that are another part of a discontinuous gold item matched by a claim of the same cue.

    PolNeAR annotates "“A,” said X. “B.”" as one attribution with two content spans; kgraph
    makes one claim per quote, both with the cue "said". The one-to-one rule matches one of
    them and counts the other as a false positive; it is reported apart, as a second precision.
    """
    starts = {doc: token_starts(t) for doc, t in texts.items()}
    by_cue: dict[tuple[str, Span], int] = {}
    for gi, (pi, _) in matched.items():
        cue = claims[pi].cue
        if len(gold[gi].content) > 1 and cue is not None:
            by_cue[(claims[pi].article, cue)] = gi
    out: set[int] = set()
    for pi in unmatched:
        c = claims[pi]
        gi = by_cue.get((c.article, c.cue)) if c.cue is not None else None
        if gi is None or c.content is None:
            continue
        ptoks = tokens_in(starts[c.article], [c.content])
        if ptoks and len(ptoks & tokens_in(starts[c.article], gold[gi].content)) >= 0.8 * len(ptoks):
            out.add(pi)
    return out


def speaker_words(claim: PredClaim, built: Built) -> set[str]:
    words: set[str] = set()
    for iri in claim.authors:
        entity = built.entities.get(iri)
        for label in entity.labels if entity else ():
            words |= content_words(label)
    if claim.speaker_anchor:
        words |= content_words(claim.speaker_anchor)
    return words


# --- scoring --------------------------------------------------------------------


def _block(gold: Sequence[int], found: Sequence[int]) -> dict[str, Any]:
    return {"gold": len(gold), "found": len(found), "recall": ratio(len(found), len(gold))}


def score(gold: Sequence[GoldItem], built: Built) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """The numbers, and the lists behind them (misses, false positives, wrong speakers)."""
    claims = built.claims
    matched, near = match(gold, claims, built.texts)
    matched_claims = {pi for pi, _ in matched.values()}
    named = [gi for gi in matched if names_someone(gold[gi].source_text)]
    right = [gi for gi in named if content_words(gold[gi].source_text or "") & speaker_words(claims[matched[gi][0]], built)]
    kinds = {
        "direct": [gi for gi, g in enumerate(gold) if g.direct],
        "indirect": [gi for gi, g in enumerate(gold) if not g.direct],
    }
    numbers: dict[str, Any] = {
        "gold": len(gold),
        "predicted": len(claims),
        "found": len(matched),
        "recall": ratio(len(matched), len(gold)),
        "precision": ratio(len(matched_claims), len(claims)),
    }
    numbers["f1"] = ratio(2 * numbers["recall"] * numbers["precision"], numbers["recall"] + numbers["precision"])
    unmatched = [pi for pi in range(len(claims)) if pi not in matched_claims]
    parts = split_parts(gold, claims, built.texts, matched, unmatched)
    numbers.update(
        {
            "false_positives_nowhere_near_gold": sum(not near[pi] for pi in unmatched),
            "false_positives_boundary": sum(near[pi] for pi in unmatched),
            "split_quote_parts": len(parts),
            "precision_crediting_split_parts": ratio(len(matched_claims) + len(parts), len(claims)),
            "named_gold_found": len(named),
            "named_gold": sum(names_someone(g.source_text) for g in gold),
            "named_speaker_right": len(right),
            "named_speaker_accuracy": ratio(len(right), len(named)),
            "gold_null_source": sum(g.source_text is None for g in gold),
            "gold_pronoun_source": sum(g.source_text is not None and not names_someone(g.source_text) for g in gold),
        }
    )
    by_kind: dict[str, Any] = {}
    for kind, members in kinds.items():
        found = [gi for gi in members if gi in matched]
        k_named = [gi for gi in found if gi in set(named)]
        block = _block(members, found)
        block["named_speaker_accuracy"] = ratio(sum(gi in set(right) for gi in k_named), len(k_named))
        block["found_as_other_kind"] = sum(claims[matched[gi][0]].direct != (kind == "direct") for gi in found)
        by_kind[kind] = block
    for kind, flag in (("direct", True), ("indirect", False)):
        preds = [pi for pi, c in enumerate(claims) if c.direct == flag]
        by_kind[kind]["predicted"] = len(preds)
        by_kind[kind]["precision"] = ratio(sum(pi in matched_claims for pi in preds), len(preds))
    numbers["by_kind"] = by_kind
    groups: dict[str, list[int]] = defaultdict(list)
    for gi, g in enumerate(gold):
        groups[cue_group(g.cue_text)].append(gi)
    numbers["by_cue"] = {
        k: _block(v, [gi for gi in v if gi in matched]) for k, v in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    }
    lists = {
        "miss": [gi for gi in range(len(gold)) if gi not in matched],
        "wrong_speaker": [(gi, matched[gi][0]) for gi in named if gi not in set(right)],
        "fp": unmatched,
    }
    return numbers, lists


# --- printing -------------------------------------------------------------------


def context(text: str, span: Span, width: int = 120) -> str:
    """At most ``width`` characters of ``text`` around ``span``, on one line."""
    s, e = span
    pad = max(0, (width - (e - s)) // 2)
    out = " ".join(text[max(0, s - pad) : e + pad].split())
    return out if len(out) <= width else out[: width - 1] + "…"


def print_table(numbers: Mapping[str, Any], cue_rows: int) -> None:
    n = numbers
    print(f"  gold {n['gold']}, predicted {n['predicted']}, found {n['found']}")
    print(f"  recall {_pct(n['recall'])}   precision {_pct(n['precision'])}   F1 {_pct(n['f1'])}   "
          f"named-speaker accuracy {_pct(n['named_speaker_accuracy'])} ({n['named_speaker_right']}/{n['named_gold_found']} found with a named source)")
    print(f"  issue 12 baseline: recall {ISSUE_BASELINE['recall']:.0%}, precision {ISSUE_BASELINE['precision']:.0%}, "
          f"named speaker {ISSUE_BASELINE['named_speaker_accuracy']:.0%}; targets: recall >= {TARGETS['recall']:.2f} at precision >= "
          f"{TARGETS['precision']:.2f}, named speaker >= {TARGETS['named_speaker_accuracy']:.2f}")
    print(f"  unmatched claims: {n['false_positives_nowhere_near_gold']} overlap no gold content, {n['false_positives_boundary']} overlap one below F1 {MIN_F1} or lost it to a better claim;")
    print(f"    {n['split_quote_parts']} of these are the other part of a split quote whose gold item (several content spans) another claim with "
          f"the same cue matched: precision crediting them {_pct(n['precision_crediting_split_parts'])}")
    print(f"  gold sources: {n['named_gold']} name someone, {n['gold_pronoun_source']} are pronouns or titles only, {n['gold_null_source']} null")
    print(f"\n  {'gold kind':<10}{'gold':>6}{'found':>7}{'recall':>8}{'spk acc':>9}{'as other':>9}   {'pred kind':<10}{'pred':>6}{'prec':>8}")
    for kind, b in n["by_kind"].items():
        print(f"  {kind:<10}{b['gold']:>6}{b['found']:>7}{_pct(b['recall']):>8}{_pct(b['named_speaker_accuracy']):>9}{b['found_as_other_kind']:>9}   "
              f"{kind:<10}{b['predicted']:>6}{_pct(b['precision']):>8}")
    print(f"\n  recall by gold cue (top {cue_rows}):")
    for cue, b in list(n["by_cue"].items())[:cue_rows]:
        print(f"    {cue[:28]:<30}{b['gold']:>5}{b['found']:>6}{_pct(b['recall']):>8}")


def halves(gold: Sequence[GoldItem], built: Built) -> dict[str, dict[str, Any]]:
    """The numbers on the even and the odd positions of the sorted article ids, apart."""
    ids = sorted(built.texts)
    out: dict[str, dict[str, Any]] = {}
    for name, part in (("even", set(ids[0::2])), ("odd", set(ids[1::2]))):
        sub = Built({k: v for k, v in built.texts.items() if k in part}, [c for c in built.claims if c.article in part],
                    built.entities, built.author_mentions, built.citations, built.build_seconds)
        out[name], _ = score([g for g in gold if g.doc in part], sub)
    return out


def print_halves(by_half: Mapping[str, Mapping[str, Any]]) -> None:
    print("\n  half      gold  found  recall    pred    prec  split-credited  named spk")
    for name, n in by_half.items():
        print(f"  {name:<8}{n['gold']:>6}{n['found']:>7}{_pct(n['recall']):>8}{n['predicted']:>8}{_pct(n['precision']):>8}"
              f"{_pct(n['precision_crediting_split_parts']):>16}{_pct(n['named_speaker_accuracy']):>11}")


def print_lists(gold: Sequence[GoldItem], built: Built, lists: Mapping[str, list[Any]]) -> None:
    texts = built.texts
    print(f"\n  missed gold items ({len(lists['miss'])}): [doc] id, original content offsets, kind, cue, source | context")
    for gi in lists["miss"]:
        g = gold[gi]
        offsets = ",".join(f"{s}-{e}" for s, e in g.orig_content)
        print(f"    [{g.doc}] {g.ident} {offsets} {'direct' if g.direct else 'indirect'} cue={g.cue_text!r} src={g.source_text!r}"
              f"\n        | {context(texts.get(g.doc, ''), g.cue or g.extent)}")
    print(f"\n  wrong named speaker ({len(lists['wrong_speaker'])}): gold source -> claim speaker")
    for gi, pi in lists["wrong_speaker"]:
        g, c = gold[gi], built.claims[pi]
        labels = " | ".join(built.entities[a].label for a in sorted(c.authors) if a in built.entities) or "(no author)"
        print(f"    [{g.doc}] {g.ident} {g.source_text!r} -> {labels} [mention {c.speaker_anchor!r}]")
    print(f"\n  unmatched claims ({len(lists['fp'])}):")
    for pi in lists["fp"]:
        c = built.claims[pi]
        if c.content is not None:
            print(f"    [{c.article}] {c.content[0]}-{c.content[1]} {'direct' if c.direct else 'indirect'} cue={c.cue_lemma!r} "
                  f"| {context(texts.get(c.article, ''), c.cue or c.content)}")


# --- main -----------------------------------------------------------------------


def load_docs(data: Path) -> list[dict[str, Any]]:
    path = data / "polnear_dev.jsonl"
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(docs: Sequence[Mapping[str, Any]], path: Path) -> None:
    """The articles as kgraph reads them (``kgraph.ingest.sources._record_article``): id, text, title, date, outlet."""
    with path.open("w", encoding="utf-8") as f:
        for d in docs:
            record = {"id": d["doc_id"], "text": d["text"], "title": d.get("title"), "date": d.get("publication_date"), "outlet": d.get("publisher")}
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"PolNeAR dev directory (default {DEFAULT_DATA})")
    parser.add_argument("--list", action="store_true", help="print missed gold items, wrong speakers and unmatched claims")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the numbers to PATH as JSON")
    parser.add_argument("--no-save", action="store_true", help="do not also write bench/results/eval_polnear-*.json")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: what kgraph would choose)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="build into DIR (kept) instead of a temporary directory")
    parser.add_argument("--reuse", type=Path, metavar="DIR", help="score the build already in DIR (from --keep); no build")
    parser.add_argument("--cues", type=int, default=20, metavar="N", help="cue groups to show (default 20)")
    parser.add_argument("--halves", action="store_true", help="also score the even and odd halves of the sorted article ids")
    args = parser.parse_args(argv)

    docs = load_docs(args.data)
    started = time.perf_counter()
    model = choose_model(args.model)
    with tempfile.TemporaryDirectory(prefix="kgraph-eval-polnear-") as tmp:
        if args.reuse:
            built = read_build(args.reuse, 0.0)
        else:
            work = args.keep or Path(tmp)
            work.mkdir(parents=True, exist_ok=True)
            records = work / "polnear_dev.jsonl"
            write_jsonl(docs, records)
            built = run_build([records], work / "out", load_pipeline(model))
            records.unlink()  # the publishers' text stays in the data directory
    gold: list[GoldItem] = []
    unmapped = missing = 0
    for d in docs:
        stored = built.texts.get(str(d["doc_id"]))
        if stored is None:
            missing += 1
            continue
        items, lost = gold_items(d, stored)
        gold += items
        unmapped += lost
    numbers, lists = score(gold, built)
    total = sum(len(d["attributions"]) for d in docs)
    numbers.update({"gold_in_data": total, "gold_unmapped": unmapped, "docs_not_built": missing, "build_seconds": round(built.build_seconds, 1)})
    print(f"=== PolNeAR dev: {len(built.texts)} of {len(docs)} articles built"
          + (f" in {built.build_seconds:.1f} s" if not args.reuse else f" (reused {args.reuse})")
          + f"; {total} gold attributions, {unmapped} not mappable onto the stored text (not scored)")
    print_table(numbers, args.cues)
    if args.halves:
        numbers["halves"] = halves(gold, built)
        print_halves(numbers["halves"])
    if args.list:
        print_lists(gold, built, lists)
    result: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "commit": _git_state(),
        "model": model,
        "data": str(args.data),
        "polnear_dev": numbers,
        "misses": [{"doc": gold[gi].doc, "id": gold[gi].ident, "content": gold[gi].orig_content} for gi in lists["miss"]],
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(f"\ntotal {result['seconds']} s (model {model}, commit {result['commit']})")
    write_results("eval_polnear", result, args.json, not args.no_save)
    return 0


if __name__ == "__main__":
    sys.exit(main())
