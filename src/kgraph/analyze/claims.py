"""Who contradicts whom: claim frames compared across speakers, with the rule and the evidence.

Each claim's frames (:mod:`kgraph.extract.frames`) are keyed like event
participants (:class:`kgraph.resolve.events.ArgumentKeys`: the resolved entity,
the nationality, "Russian troops" ~ "Russia"), with "they" in a quote standing
for the article's latest named non-person actor. Two claims by different
speakers are then related by these rules (``CLAIM_RULES``), each with a
confidence:

* ``polarity``: same predicate class, same actor, no different place; one says
  it happens (or is planned), the other that it does not ("are not leaving"
  against "is planning to retreat");
* ``opposing-predicate``: classes the claim lexicon declares opposed, both
  asserted ("preparing to defend" against "preparing for the retreat");
* ``quantity``: figures for the same counted thing beyond the lexicon's
  tolerance ("as many as 20,000 people have fled" against "put the figure at
  closer to 1,000");
* ``explicit-rejection``: a claim that denies, or calls lies, absurd, a pretext,
  what another speaker claimed about the same things (the nouns of its sentence
  and the one before against the other claim's words);
* ``same-frame`` (agreement): same actor and the same class with the same
  polarity (both assert, or both deny), or opposed classes with opposite
  polarity ("are not leaving" agrees with "are preparing to defend");
  ``shared-rejection`` (agreement): two speakers rejecting the same claim.

Hypothetical frames ("if the retreat goes ahead") assert nothing and are never
compared; hedged claims ("probably", "unsubstantiated") lower the confidence.
Nothing is invalidated: a relation links two claims that both stay in the graph.
Precision comes first: a pair must share an actor, so two claims that only
mention the same city are never related.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from kgraph.ingest.article import Article
from kgraph.extract.attribution import Claim
from kgraph.extract.entities import EntityMention
from kgraph.extract.events import EventArgument
from kgraph.extract.findings import ArticleFindings
from kgraph.extract.frames import ClaimFrame, ClaimTerms
from kgraph.lexicons import ClaimLexicon
from kgraph.rdf.vocab import CLAIM_RULES
from kgraph.resolve.entities import Resolution
from kgraph.resolve.events import SIDE_PRONOUNS, ArgumentKeys, nationality_keys
from kgraph.gazetteer import nationality_codes

__all__ = ["CLAIM_RULES", "ClaimRef", "ClaimRelation", "compare_claims"]

_BASE_CONFIDENCE = {"polarity": 0.8, "opposing-predicate": 0.7, "quantity": 0.75, "explicit-rejection": 0.75,
                    "same-frame": 0.6, "shared-rejection": 0.6}
_HEDGED = 0.7
_PRONOUN_SUBJECT = 0.9
_DENY_CUES = frozenset({"deny"})
_MIN_SHARED_TOPIC = 2
_FIRST_LOWERCASE_WORD = re.compile(r"(?<![\w.’'-])[a-z]")
_MIN_RARE_DF = 3  # a word is rare when at most this many claims, or this share of them, use it
_RARE_SHARE = 0.04
_TOPIC_STOP = frozenset({"claim", "claims", "statement", "report", "reports", "official", "officials", "people",
                         "day", "week", "time", "year", "way", "thing", "lot", "part", "fact", "comment", "comments"})
_T = TypeVar("_T")
_FIGURE_WINDOW = 2  # sentences within which a bare figure ("put the figure at 1,000") answers another


@dataclass(frozen=True, slots=True, order=True)
class ClaimRef:
    article_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ClaimRelation:
    kind: str  # contradiction | agreement
    a: ClaimRef  # the later or the rejecting claim: "a disagrees with b"
    b: ClaimRef
    rule: str
    confidence: float
    explanation: str


@dataclass
class _Claim:
    ref: ClaimRef
    claim: Claim
    speakers: frozenset[str]
    terms: ClaimTerms | None
    hedged: bool
    rejecting: bool
    sent_index: int


@dataclass
class _Frame:
    owner: _Claim
    frame: ClaimFrame
    cls: str | None
    subject: frozenset[str]
    where: frozenset[str]
    negative: bool
    via_pronoun: bool


def compare_claims(
    articles: Sequence[Article],
    findings: Mapping[str, ArticleFindings],
    mentions: Mapping[str, Sequence[EntityMention]],
    resolution: Resolution,
    speakers: Mapping[ClaimRef, Sequence[str]],
    lexicon: ClaimLexicon,
    group_heads: Iterable[str],
    *,
    story_of_article: Mapping[str, int] | None = None,
) -> tuple[ClaimRelation, ...]:
    """Every contradiction and agreement between claims of different speakers, best rule per pair.

    ``group_heads``: the attribution lexicon's collective-source nouns, as for event participants.
    ``story_of_article`` (:func:`kgraph.resolve.stories.cluster_stories`): claims of two
    different stories are never related, however many words they share.
    """
    heads = frozenset(group_heads)
    claims: list[_Claim] = []
    frames: list[_Frame] = []
    for a in articles:
        f = findings[a.id]
        keys = ArgumentKeys(a.id, mentions[a.id], resolution, heads)
        terms = {(t.claim_start, t.claim_end): t for t in f.terms}
        sent_starts = [s for s, _ in f.sentences]
        by_span: dict[tuple[int, int], _Claim] = {}
        for c in f.claims:
            ref = ClaimRef(a.id, c.start, c.end)
            t = terms.get((c.start, c.end))
            words = set(t.lemmas) if t else set()
            owner = _Claim(
                ref=ref, claim=c, speakers=frozenset(speakers.get(ref, ())), terms=t,
                hedged=_hedged(c, words, lexicon), rejecting=_rejects(c, t, lexicon),
                sent_index=sum(1 for s in sent_starts if s <= c.start),
            )
            claims.append(owner)
            by_span[(c.start, c.end)] = owner
        frames.extend(_keyed_frames(a, f, keys, by_span, resolution, lexicon))
    found: dict[tuple[ClaimRef, ClaimRef], ClaimRelation] = {}
    for rel in _frame_relations(frames, lexicon):
        _keep(found, rel)
    polarity: dict[ClaimRef, set[bool]] = defaultdict(set)
    for fr in frames:
        polarity[fr.owner.ref].add(fr.negative)
    negative = {ref for ref, signs in polarity.items() if signs == {True}}
    for rel in _rejections(claims, negative):
        _keep(found, rel)
    if story_of_article is not None:
        found = {k: r for k, r in found.items() if story_of_article.get(r.a.article_id) == story_of_article.get(r.b.article_id)}
    return tuple(sorted(found.values(), key=lambda r: (r.a, r.b)))


def _hedged(c: Claim, lemmas: set[str], lexicon: ClaimLexicon) -> bool:
    """Hedges by lemma ("seems") or as written: "may", "could", "perhaps" are stop words, absent from the lemmas."""
    return bool((lemmas | set(re.findall(r"[a-z]+", c.text.lower()))) & lexicon.hedges)


def _rejects(c: Claim, t: ClaimTerms | None, lexicon: ClaimLexicon) -> bool:
    """A denial of something said, or a claim calling it lies; not a refused request ("rejected requests to retreat")."""
    words = t.lemmas if t else ()
    if words and words[0] in lexicon.non_claims:
        return False
    return c.cue_class in _DENY_CUES or bool(set(words) & lexicon.rejections)


def _keep(found: dict[tuple[ClaimRef, ClaimRef], ClaimRelation], rel: ClaimRelation) -> None:
    key = (min(rel.a, rel.b), max(rel.a, rel.b))
    old = found.get(key)
    if old is None or (rel.kind == "contradiction", rel.confidence) > (old.kind == "contradiction", old.confidence):
        found[key] = rel


def _keyed_frames(a: Article, f: ArticleFindings, keys: ArgumentKeys, by_span: Mapping[tuple[int, int], _Claim],
                  resolution: Resolution, lexicon: ClaimLexicon) -> Iterator[_Frame]:
    """Frames with their actor and place keys; "they" is the article's latest named non-person actor."""
    actors: list[tuple[int, frozenset[str]]] = []  # (offset, keys) of named actors, in text order
    for ev in f.events:
        k, idx = keys.keys(ev.agent)
        named = frozenset(x for x in k if not x.startswith("w:"))
        if named and (idx is None or resolution.entities[idx].kind != "person"):
            actors.append((ev.start, named))
    for fr in f.frames:
        k, idx = keys.keys(fr.subject)
        named = frozenset(x for x in k if not x.startswith("w:"))
        if named and (idx is None or resolution.entities[idx].kind != "person"):
            actors.append((fr.start, named))
    actors.sort(key=lambda x: x[0])
    for fr in f.frames:
        owner = by_span.get((fr.claim_start, fr.claim_end))
        if owner is None or fr.modality == "hypothetical":
            continue
        subject, _ = keys.keys(fr.subject)
        named = frozenset(x for x in subject if not x.startswith("w:"))
        if not named and fr.subject is None and not _has_verb(owner):
            named = _speaker_keys(owner.claim, keys)  # "X denies withdrawal plans": X's own withdrawal
        via_pronoun = False
        if not named and fr.subject is not None and fr.subject.text.lower() in SIDE_PRONOUNS:
            earlier = [k for off, k in actors if off < fr.claim_start]
            if earlier:
                named, via_pronoun = earlier[-1], True
        where: set[str] = set()
        for arg in (fr.place, fr.object):
            k, _ = keys.keys(arg)
            where |= {x for x in k if x.startswith("e:")}
        cls = lexicon.predicate_class.get(fr.predicate) or lexicon.predicate_class.get(fr.predicate.split(" ")[0])
        negative = fr.modality == "denied" or owner.claim.cue_class in _DENY_CUES
        yield _Frame(owner, fr, cls, named, frozenset(where), negative, via_pronoun)


def _has_verb(c: _Claim) -> bool:
    return c.terms is not None and len(c.terms.lemmas) > 0 and c.claim.text.count(" ") >= 3


def _speaker_keys(c: Claim, keys: ArgumentKeys) -> frozenset[str]:
    """The speaker as an actor: its mention's entity, or the nationality its group label names."""
    if c.speaker_start is not None and c.speaker_end is not None and c.speaker_text:
        arg = EventArgument(c.speaker_start, c.speaker_end, c.speaker_start, c.speaker_end, c.speaker_text)
        found, _ = keys.keys(arg)
        named = frozenset(x for x in found if not x.startswith("w:"))
        if named:
            return named
    return _group_keys(c.group) if c.group else frozenset()


def _group_keys(group: str) -> frozenset[str]:
    """The countries a group label speaks for, as "n:" keys (the gazetteer's alpha-3 codes).

    Its demonyms anywhere ("Ukrainian officials", "group of Russians"), and a country named
    before the head noun ("U.S. officials", "Nigeria's government", "Russia (government)"); a
    country after the head only says where the group is ("tribal sources in Iraq").
    """
    head = _FIRST_LOWERCASE_WORD.search(group)
    before_head = group[: head.start()] if head else group
    return frozenset(nationality_keys(group) | {"n:" + code for code in nationality_codes(before_head)})


def _confidence(rule: str, x: _Frame | _Claim, y: _Frame | _Claim) -> float:
    conf = _BASE_CONFIDENCE[rule]
    for side in (x, y):
        owner = side.owner if isinstance(side, _Frame) else side
        if owner.hedged or isinstance(side, _Frame) and side.frame.modality == "expected":
            conf *= _HEDGED
        if isinstance(side, _Frame) and side.via_pronoun:
            conf *= _PRONOUN_SUBJECT
    return round(conf, 2)


def _ordered(x: _Claim, y: _Claim) -> tuple[_Claim, _Claim]:
    """The later claim (or the rejecting one) disagrees with the earlier."""
    if y.rejecting and not x.rejecting:
        return y, x
    if x.rejecting and not y.rejecting:
        return x, y
    return (y, x) if x.ref < y.ref else (x, y)


def _different_speakers(x: _Claim, y: _Claim) -> bool:
    return not (x.speakers & y.speakers) and x.ref != y.ref


def _quote(c: _Claim, limit: int = 90) -> str:
    text = c.claim.text
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}” ({c.ref.article_id})"


def _fan_out(xs: Sequence[_T], ys: Sequence[_T]) -> Iterator[tuple[_T, _T]]:
    """The pairs to link between two groups of the same statement: every member of each with the other's first.

    A statement repeated by k articles and contradicted by m others yields k + m - 1
    relations, not k * m: the repetition itself is the analysis's to record.
    """
    for x in xs:
        yield x, ys[0]
    for y in ys[1:]:
        yield xs[0], y


def _frame_relations(frames: Sequence[_Frame], lexicon: ClaimLexicon) -> Iterator[ClaimRelation]:
    groups: dict[tuple, list[_Frame]] = defaultdict(list)  # type: ignore[type-arg]
    for fr in frames:
        if fr.cls and fr.subject:
            groups[_signature(fr)].append(fr)
    blocks: dict[str, list[list[_Frame]]] = defaultdict(list)
    for members in groups.values():
        for k in members[0].subject:
            blocks[k].append(members)
    seen: set[tuple[int, int]] = set()
    for block in blocks.values():
        for i, gx in enumerate(block):
            for gy in block[i + 1 :]:
                x, y = gx[0], gy[0]
                pair = (min(id(x), id(y)), max(id(x), id(y)))
                if pair in seen or not _different_speakers(x.owner, y.owner):
                    continue
                seen.add(pair)
                if x.where and y.where and not x.where & y.where:
                    continue  # about different places or things
                if _compare_frames(x, y, lexicon) is None:
                    continue
                for fx, fy in _fan_out(gx, gy):
                    rel = _compare_frames(fx, fy, lexicon)
                    if rel is not None:
                        yield rel
    yield from _quantity_relations(frames, lexicon)


def _signature(fr: _Frame) -> tuple:  # type: ignore[type-arg]
    """Frames that compare alike with everything (same speakers, class, polarity, actor, place, confidence factors)."""
    return (fr.owner.speakers, fr.cls, fr.negative, fr.subject, fr.where, fr.owner.hedged, fr.via_pronoun,
            fr.frame.modality == "expected", fr.owner.rejecting)


def _compare_frames(x: _Frame, y: _Frame, lexicon: ClaimLexicon) -> ClaimRelation | None:
    a, b = _ordered(x.owner, y.owner)
    fa, fb = (x, y) if a is x.owner else (y, x)
    about = f"{fa.frame.predicate}{' (not)' if fa.negative else ''} vs {fb.frame.predicate}{' (not)' if fb.negative else ''}"
    if x.cls == y.cls:
        if x.negative != y.negative:
            return ClaimRelation("contradiction", a.ref, b.ref, "polarity", _confidence("polarity", x, y),
                                 f"{_quote(a)} and {_quote(b)}: same actor, {about}")
        both = "both deny" if x.negative else "both assert"
        return ClaimRelation("agreement", a.ref, b.ref, "same-frame", _confidence("same-frame", x, y),
                             f"{_quote(a)} and {_quote(b)}: same actor, {both} {x.cls}")
    if y.cls in lexicon.opposes.get(x.cls or "", ()):
        if not x.negative and not y.negative:
            return ClaimRelation("contradiction", a.ref, b.ref, "opposing-predicate", _confidence("opposing-predicate", x, y),
                                 f"{_quote(a)} and {_quote(b)}: same actor, {x.cls} against {y.cls} ({about})")
        if x.negative != y.negative:  # "are not leaving" says what "are defending" says
            return ClaimRelation("agreement", a.ref, b.ref, "same-frame", _confidence("same-frame", x, y),
                                 f"{_quote(a)} and {_quote(b)}: same actor, {about}: one denies what the other's opposite asserts")
    return None


def _quantity_relations(frames: Sequence[_Frame], lexicon: ClaimLexicon) -> Iterator[ClaimRelation]:
    """Figures for one counted thing; a bare figure ("put the figure at 1,000") answers the figure just before it."""
    with_figures = [f for f in frames if f.frame.quantity is not None and not f.negative]
    by_article: dict[str, list[_Frame]] = defaultdict(list)
    counted: dict[tuple[str, str], dict[tuple, list[_Frame]]] = defaultdict(lambda: defaultdict(list))  # type: ignore[type-arg]
    for f in with_figures:
        q = f.frame.quantity
        assert q is not None
        by_article[f.owner.ref.article_id].append(f)
        if q.unit:
            counted[(f.frame.predicate, q.unit)][(f.owner.speakers, q.value, f.owner.hedged)].append(f)
    for groups in counted.values():  # the same predicate and counted noun ("people have fled")
        items = list(groups.values())
        for i, gx in enumerate(items):
            for gy in items[i + 1 :]:
                if _different_speakers(gx[0].owner, gy[0].owner) and _apart(gx[0], gy[0], lexicon):
                    for fx, fy in _fan_out(gx, gy):
                        yield _quantity_relation(fx, fy, lexicon)
    for article_frames in by_article.values():  # a bare figure answers the nearest one before it
        for bare in article_frames:
            if bare.frame.quantity.unit:  # type: ignore[union-attr]
                continue
            before = [f for f in article_frames if f.frame.start < bare.frame.start and _different_speakers(f.owner, bare.owner)]
            other = max(before, key=lambda f: f.frame.start, default=None)
            if other is not None and bare.owner.sent_index - other.owner.sent_index < _FIGURE_WINDOW and _apart(bare, other, lexicon):
                yield _quantity_relation(bare, other, lexicon)


def _apart(x: _Frame, y: _Frame, lexicon: ClaimLexicon) -> bool:
    lo, hi = sorted((x.frame.quantity.value, y.frame.quantity.value))  # type: ignore[union-attr]
    return lo > 0 and hi / lo - 1 > lexicon.tolerance


def _quantity_relation(x: _Frame, y: _Frame, lexicon: ClaimLexicon) -> ClaimRelation:
    qx, qy = x.frame.quantity, y.frame.quantity
    assert qx is not None and qy is not None
    a, b = _ordered(x.owner, y.owner)
    return ClaimRelation("contradiction", a.ref, b.ref, "quantity", _confidence("quantity", x, y),
                         f"{_quote(a)} and {_quote(b)}: {qx.text} against {qy.text} (apart by more than {lexicon.tolerance:.0%})")


def _rejections(claims: Sequence[_Claim], negative: set[ClaimRef]) -> Iterator[ClaimRelation]:
    """A denial or a "lies"/"absurd" claim against the other speakers' claims about the same things.

    Candidates come from an index of rare words (a word is rare when few claims use it), so
    the cost follows the matches, not the number of claim pairs; repeated statements (one
    speaker, one text) are compared once and fanned out.
    """
    def nouns(c: _Claim) -> set[str]:
        return {w for w in (c.terms.lemmas if c.terms else ()) if w not in _TOPIC_STOP}

    groups: dict[tuple[frozenset[str], str], list[_Claim]] = defaultdict(list)
    for c in claims:
        groups[(c.speakers, " ".join(c.claim.text.lower().split()))].append(c)
    df: Counter[str] = Counter(w for c in claims for w in nouns(c))
    rare = max(_MIN_RARE_DF, int(_RARE_SHARE * len(claims)))
    index: dict[str, list[list[_Claim]]] = defaultdict(list)
    for members in groups.values():
        t = members[0]
        if t.rejecting or t.ref in negative or not t.speakers:
            continue  # a claim that itself denies agrees with a rejection rather than being rejected
        for w in nouns(t):
            if df[w] <= rare:
                index[w].append(members)

    def targets(r: _Claim, topic: set[str]) -> list[tuple[list[_Claim], set[str]]]:
        out: dict[int, tuple[list[_Claim], set[str]]] = {}
        for w in topic:
            for members in index.get(w, ()):
                t = members[0]
                if id(members) in out or not _different_speakers(r, t):
                    continue
                if t.ref.article_id == r.ref.article_id and t.sent_index == r.sent_index:
                    continue  # reported in the same sentence: context, not the thing rejected
                shared = topic & nouns(t)
                if len(shared) >= _MIN_SHARED_TOPIC:  # two words in common, one of them rare ("bomb", not "city")
                    out[id(members)] = (members, shared)
        return sorted(out.values(), key=lambda found: found[0][0].ref)  # text order, the same on every run

    rejecting = [members for members in groups.values() if members[0].rejecting and members[0].terms is not None]
    rejected_by: dict[int, list[list[_Claim]]] = defaultdict(list)
    for rs in rejecting:
        r = rs[0]
        assert r.terms is not None
        # what the rejection is about: its own sentence, else the sentence before ("These accusations …")
        found = targets(r, (set(r.terms.context) | set(r.terms.lemmas)) - _TOPIC_STOP) or targets(r, set(r.terms.before) - _TOPIC_STOP)
        for ts, shared in found:
            rejected_by[id(ts)].append(rs)
            for x, t in _fan_out(rs, ts):
                yield ClaimRelation("contradiction", x.ref, t.ref, "explicit-rejection", _confidence("explicit-rejection", x, t),
                                    f"{_quote(x)} rejects {_quote(t)}: both about {', '.join(sorted(shared)[:4])}")
    agreeing: set[tuple[int, int]] = set()
    for rejecters in rejected_by.values():
        for i, gx in enumerate(rejecters):
            for gy in rejecters[i + 1 :]:
                key = (min(id(gx), id(gy)), max(id(gx), id(gy)))
                if key in agreeing or not _different_speakers(gx[0], gy[0]):
                    continue
                agreeing.add(key)
                for x, y in _fan_out(gx, gy):
                    a, b = _ordered(x, y)
                    yield ClaimRelation("agreement", a.ref, b.ref, "shared-rejection", _confidence("shared-rejection", x, y),
                                        f"{_quote(a)} and {_quote(b)} reject the same claim")
