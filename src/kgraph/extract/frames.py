"""Claims as comparable frames: who or what a claim is about, what it says they do, where, how many.

Two claims can only contradict if they are about the same thing. A frame is one
clause of a claim's content read the way event extraction reads a trigger (the
same :class:`~kgraph.extract.events.EventReader`): the predicate's lemma, its
subject and object, its place, the modality the sentence gives it ("are not
leaving" is denied, "would be abandoned" hypothetical, "is planning to retreat"
planned), and any figure it states ("as many as 20,000 people"). A claim
yields one frame per clause ("They are not leaving right now. They are
preparing to defend" gives two).

Each claim also keeps its content lemmas and the nouns of its sentence and the
one before: the words repetition and explicit rejection are compared by
("rejected Russia's transparently false allegations" follows a sentence about
the dirty bomb).

A claim may carry someone else's words inside it ("attacked three villages, despite
government claims that it had agreed a truce"): those parts are marked
(:attr:`ClaimTerms.reported`), because its speaker does not assert them and a
rejection of the truce is not aimed at this claim.

Everything is kept as lemmas and offsets; which predicates belong to which
class, and which classes oppose, is the claim lexicon's business at comparison
time, so extending it needs no new parse.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from kgraph.extract.attribution import Claim
from kgraph.extract.events import PARTICLES, EventArgument, EventReader
from kgraph.lexicons import ReportingLexicon

__all__ = ["ClaimFrame", "ClaimTerms", "Quantity", "find_frames", "parse_number"]

_QUALIFIERS = ("as many as", "as few as", "up to", "about", "around", "nearly", "almost", "more than", "over",
               "at least", "closer to", "close to", "fewer than", "less than", "some", "roughly", "approximately",
               "an estimated", "hundreds of", "thousands of", "tens of thousands of", "hundreds of thousands of")
# the longest qualifier ending right before the number, as whole words ("over", not "Hanover")
_QUALIFIER_BEFORE = re.compile(
    r"\b(" + "|".join(re.escape(q) for q in sorted(_QUALIFIERS, key=len, reverse=True)) + r")\s*$", re.IGNORECASE
)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                 "hundred": 100, "dozen": 12, "dozens": 24}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "thousands": 1e3, "millions": 1e6, "hundreds": 1e2}
_NUMERIC = re.compile(r"^\d{1,3}(?:[,\u202f ]\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM"})
_SKIP_VERBS = frozenset({"be", "have", "do", "say", "tell"})
# Verbs whose adjective complement holds of their subject (copulas) or of the one they find or declare so
# (object complements): "is dead", "remains alive", "was found dead", "pronounced him dead", "kept her alive".
_STATE_VERBS = frozenset("""be remain stay seem appear become look prove turn find declare pronounce presume believe
    consider confirm report keep leave""".split())
# "he’s alive": with a curly apostrophe the small English model tags the contraction a VERB and its lemma "’"
_CONTRACTED_BE = frozenset({"’s", "'s", "’re", "'re", "’m", "'m"})
_DEGREE = frozenset({"nearly", "almost", "half", "barely", "virtually", "practically", "partly", "partially"})


@dataclass(frozen=True, slots=True)
class Quantity:
    """A figure a claim states: its value, what it counts, and how it is hedged."""

    start: int
    end: int
    text: str
    value: float
    unit: str  # lemma of the counted noun ("people"), or "" when none is named ("the figure at 1,000")
    qualifier: str | None  # "as many as", "closer to", …


@dataclass(frozen=True, slots=True)
class ClaimFrame:
    """One clause of a claim's content; ``claim_start``/``claim_end`` name the claim."""

    claim_start: int
    claim_end: int
    start: int
    end: int
    predicate: str  # lemma, or "verb particle" ("dig in")
    modality: str  # happened | ongoing | planned | expected | hypothetical | denied
    subject: EventArgument | None = None
    object: EventArgument | None = None
    place: EventArgument | None = None
    quantity: Quantity | None = None
    # what the predicate is: a verb ("died"), a verb in the passive ("had not been stolen": its subject is what
    # the verb is done to, :attr:`object`), an event noun ("the withdrawal"), or an adjective said of the subject
    # ("is not dead", "was found dead"): a state, whose verb (a copula, "found") gives its holder and modality
    form: str = "verb"  # verb | passive | noun | adjective


@dataclass(frozen=True, slots=True)
class ClaimTerms:
    """The words a claim is compared by when frames are not enough."""

    claim_start: int
    claim_end: int
    lemmas: tuple[str, ...]  # content lemmas of the claim, in order
    context: tuple[str, ...]  # common nouns and adjectives of its sentence
    before: tuple[str, ...]  # … and of the sentence before ("These accusations have been rejected")
    # Where a word stands, for words that judge a claim ("false", "lies"): "the reports are false"
    # judges the reports, "a fake passport" only describes a passport.
    attributive: tuple[tuple[str, str], ...] = ()  # (lemma, the noun it modifies), for modifiers of a noun
    negated: tuple[str, ...] = ()  # lemmas said not to hold ("is not false", "never lied")
    # What the claim only reports another's words of, or leaves open: "despite government claims that [it had
    # agreed a truce]", "after it said [it had secured a ceasefire]", "whether [he was killed]". Its speaker does
    # not assert it, so a rejection of that statement is not aimed at this claim. The content lemmas found only
    # there, and the character spans (the entities they name are left out of the comparison too).
    reported: tuple[str, ...] = ()
    reported_spans: tuple[tuple[int, int], ...] = ()


def parse_number(words: Sequence[str]) -> float | None:
    """ "20,000" -> 20000; "1.5 million" -> 1.5e6; "two" -> 2; "hundreds of thousands" -> 2e5 (a rough reading)."""
    value: float | None = None
    for w in (w.lower() for w in words):
        if _NUMERIC.match(w):
            value = float(re.sub(r"[,\u202f ]", "", w))
        elif w == "hundred" and value is not None:  # "three hundred"
            value *= 100
        elif w in _NUMBER_WORDS and value is None:
            value = float(_NUMBER_WORDS[w])
        elif w in _SCALES:
            value = (value if value is not None else 2.0) * _SCALES[w]
        elif w in ("of", "-"):
            continue
        elif value is not None:
            break
    return value


def find_frames(
    reader: EventReader, claims: Sequence[Claim], lexicon: ReportingLexicon | None = None
) -> tuple[tuple[ClaimFrame, ...], tuple[ClaimTerms, ...]]:
    """The frames and comparison words of every claim, in claim order.

    ``lexicon``: the reporting words (cue verbs and nouns) that mark a part of a claim
    as someone else's words (:attr:`ClaimTerms.reported`); without it nothing is marked.
    """
    frames: list[ClaimFrame] = []
    terms: list[ClaimTerms] = []
    doc = reader.doc
    for c in claims:
        span = doc.char_span(c.start, c.end, alignment_mode="expand")
        if span is None:
            continue
        tokens = list(span)
        cue_span = doc.char_span(c.cue_start, c.cue_end, alignment_mode="expand") if c.cue_start is not None and c.cue_end is not None else None
        cue = {t.i for t in cue_span} if cue_span is not None else set()
        own = [_frame(reader, c, tok, tokens, cue) for tok in tokens if _is_predicate(reader, tok, cue)]
        own.extend(_state_frame(reader, c, tok, tokens, cue) for tok in tokens if _is_state(tok, cue))
        if not any(f.quantity for f in own):
            figure = _quantity(reader, None, tokens)
            if figure is not None:  # "put the figure at closer to 1,000": a bare figure answers another
                own.append(ClaimFrame(c.start, c.end, figure.start, figure.end, "", "happened", quantity=figure))
        frames.extend(own)
        terms.append(_terms(reader, c, tokens, cue, lexicon))
    return tuple(frames), tuple(terms)


def _is_predicate(reader: EventReader, tok: Token, cue: set[int]) -> bool:
    if tok.i in cue:
        return False
    if tok.pos_ == "VERB" and tok.dep_ != "amod" and tok.lower_ not in _CONTRACTED_BE:  # "he’s": a copula, no verb
        lemma = tok.lemma_.lower()
        if lemma in _SKIP_VERBS:
            return False
        if lemma in reader.lexicon.modality and any(c.dep_ in ("xcomp", "ccomp") or c.dep_ == "prep" and c.lower_ == "for" for c in tok.children):
            return False  # "preparing to defend", "preparing for defense": the complement is the frame
        return True
    # event nouns a cue governs: "preparing for the exit", "denies withdrawal plans"
    return tok.pos_ == "NOUN" and reader.lexicon.trigger_class(tok.lemma_.lower(), noun=True) is not None and (
        tok.dep_ in ("pobj", "dobj", "compound", "nsubj") and tok.head.lemma_.lower() in reader.lexicon.modality
        or tok.head.dep_ == "prep" and tok.head.head.lemma_.lower() in reader.lexicon.modality
    )


def _frame(reader: EventReader, c: Claim, tok: Token, tokens: Sequence[Token], cue: set[int]) -> ClaimFrame:
    nominal = tok.pos_ == "NOUN"
    lemma = tok.lemma_.lower()
    end = tok.idx + len(tok.text)
    if not nominal:
        prt = next((ch for ch in tok.children if ch.dep_ == "prt" or ch.dep_ == "prep" and ch.i == tok.i + 1 and ch.lower_ in PARTICLES), None)
        if prt is not None:
            lemma = f"{lemma} {prt.lower_}"
            end = prt.idx + len(prt.text)
    subject, obj = reader.roles(tok, nominal)
    if subject is None:
        subject = _governing_subject(reader, tok)  # "they are not preparing for the exit": they would exit
    place = reader.place(tok, {subject, obj})
    # its content and its cue ("does not expect that …"), not a clause the parser hung them from
    within = {t.i for t in tokens} | cue
    modality, cue_word = reader.modality(tok, nominal, within)
    if cue_word == "would" and not c.direct:
        modality = "expected"  # reported speech: "said the city would be abandoned" is a future, not a condition
    return ClaimFrame(
        claim_start=c.start, claim_end=c.end, start=tok.idx, end=end, predicate=lemma, modality=modality,
        subject=subject, object=obj, place=place, quantity=_quantity(reader, tok, tokens),
        form="noun" if nominal else "passive" if any(ch.dep_ in ("nsubjpass", "auxpass") for ch in tok.children) else "verb",
    )


def _is_state(tok: Token, cue: set[int]) -> bool:
    """An adjective predicated of a subject: "he is not dead", "remains alive", "was found dead", "found him dead".

    Only after a copula or a verb that says the state holds ("find", "declare", "keep"): after
    another verb the adjective describes its subject during that act, "burned alive" is no life.
    """
    if not (tok.pos_ == "ADJ" and tok.dep_ in ("acomp", "oprd") and tok.i not in cue and tok.head.pos_ in ("AUX", "VERB")
            and (tok.head.pos_ == "AUX" or tok.head.lower_ in _CONTRACTED_BE or tok.head.lemma_.lower() in _STATE_VERBS)):
        return False
    # "nearly dead", "half dead": a degree is not the state; "alive to the risks": another sense, with its complement
    return not any(ch.dep_ == "prep" and ch.lower_ == "to" or ch.dep_ == "advmod" and ch.lower_ in _DEGREE for ch in tok.children)


def _state_frame(reader: EventReader, c: Claim, tok: Token, tokens: Sequence[Token], cue: set[int]) -> ClaimFrame:
    """The state as a frame of its own: "Axl Rose is not dead" says of Axl Rose what "Axl Rose died" says, denied.

    The verb it hangs from gives the holder and the modality: the subject of "is", "remains",
    "seems"; the one found of "was found dead" (passive) or "found him dead" (its object).
    Which states are compared, and which oppose ("alive" against "die"), is the claim
    lexicon's business.
    """
    head = tok.head
    agent, patient = reader.roles(head, False)
    subject = patient if tok.dep_ == "oprd" and patient is not None else agent or patient
    within = {t.i for t in tokens} | cue
    modality, _ = reader.modality(head, False, within)  # "is not dead", "is no longer alive": the verb's negation
    # a negation on the adjective itself ("found not alive", "neither dead nor missing") denies a state said to
    # hold; one left open ("if he is found not alive") stays open
    if modality in ("happened", "ongoing") and reader.negation(tok):
        modality = "denied"
    return ClaimFrame(
        claim_start=c.start, claim_end=c.end, start=tok.idx, end=tok.idx + len(tok.text), predicate=tok.lemma_.lower(),
        modality=modality, subject=subject, place=reader.place(head, {subject}), form="adjective",
    )


def _governing_subject(reader: EventReader, tok: Token) -> EventArgument | None:
    """The subject of the verb an event noun or complement hangs from (two steps up at most)."""
    node = tok
    for _ in range(4):
        if node.dep_ not in ("pobj", "prep", "pcomp", "xcomp", "dobj", "compound") or node.head is node:
            return None
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            subject = next((c for c in node.children if c.dep_ == "nsubj"), None)
            if subject is not None:
                return reader.argument(subject)
    return None


def _quantity(reader: EventReader, pred: Token | None, tokens: Sequence[Token]) -> Quantity | None:
    """A number in the predicate's own clause (its subject, object or a prepositional phrase), or anywhere."""
    own = {t.i for t in pred.subtree} if pred is not None else {t.i for t in tokens}
    text = reader.text
    for t in tokens:
        if t.i not in own or not (t.like_num or t.lower_ in _SCALES):
            continue
        if t.ent_type_ in ("DATE", "TIME", "PERCENT", "ORDINAL") or t.dep_ == "nummod" and t.head.ent_type_ == "DATE":
            continue
        run = [t]
        while run[-1].i + 1 < len(reader.doc) and (reader.doc[run[-1].i + 1].like_num or reader.doc[run[-1].i + 1].lower_ in _SCALES):
            run.append(reader.doc[run[-1].i + 1])
        value = parse_number([x.text for x in run])
        if value is None:
            continue
        head = run[-1].head if run[-1].dep_ in ("nummod", "quantmod") else None
        unit = head.lemma_.lower() if head is not None and head.pos_ == "NOUN" else ""
        found = _QUALIFIER_BEFORE.search(text, max(0, t.idx - 40), t.idx)
        qualifier = found.group(1).lower() if found else None
        start = found.start(1) if found else t.idx
        end = run[-1].idx + len(run[-1].text)
        return Quantity(start, end, text[start:end], value, unit, qualifier)
    return None


def _terms(reader: EventReader, c: Claim, tokens: Sequence[Token], cue: set[int], lexicon: ReportingLexicon | None) -> ClaimTerms:
    content = [t for t in tokens if t.pos_ in _CONTENT_POS and not t.is_stop and t.is_alpha]
    lemmas = tuple(t.lemma_.lower() for t in content)
    s, e = reader.sentence_of(c.start)
    prev = reader.sentence_before(s)
    own = reader.doc.char_span(s, e, alignment_mode="expand") or []
    before = reader.doc.char_span(prev[0], prev[1], alignment_mode="expand") or [] if prev else []
    attributive = tuple(
        (t.lemma_.lower(), t.head.lemma_.lower()) for t in tokens
        if t.dep_ in _MODIFIER_DEPS and t.head.pos_ in ("NOUN", "PROPN") and t.head is not t
    )
    negated = tuple(t.lemma_.lower() for t in tokens if _is_negated(t))
    inside = _reported_tokens(reader, tokens, cue, lexicon) if lexicon is not None else set()
    outside = {t.lemma_.lower() for t in content if t.i not in inside}
    reported = tuple(dict.fromkeys(t.lemma_.lower() for t in content if t.i in inside and t.lemma_.lower() not in outside))
    return ClaimTerms(c.start, c.end, lemmas, _common_nouns(own), _common_nouns(before), attributive, negated,
                      reported, _spans(reader, inside))


_FIRST_PERSON = frozenset({"i", "we"})
# Cue classes that carry someone's words or beliefs; not "intend" ("plans to launch" states a plan), "evidence"
# ("the video shows …"), "support" or "ask".
_SPEECH_CLASSES = frozenset({"assert", "estimate", "confirm", "deny", "hint", "warn", "predict", "believe", "accuse", "question"})
_REPORTER_DEPS = frozenset({"nsubj", "nsubjpass", "expl", "aux", "auxpass", "neg", "punct", "cc", "conj", "mark", "advmod"})


def _reported_tokens(reader: EventReader, tokens: Sequence[Token], cue: set[int], lexicon: ReportingLexicon) -> set[int]:
    """Token indices of the parts of a claim that report another's words or leave a statement open.

    A reporting verb inside the claim's content ("after it *said* it had secured a
    ceasefire", "Durex has heard that people are *saying* …") governs what someone else
    says: its complements are reported, its subject is the reporter (verbs of intent and of
    evidence are not reporting here: "plans to launch", "the video shows"). A noun that reports
    ("government *claims* that …", "investigating *reports* that …") and a word of the
    event lexicon that leaves an event open ("*whether* …", "the *rumour* that …") govern
    their whole phrase. Only such a word under another word of the claim marks a part: a
    claim headed by one ("The government said Friday that it reached a cease-fire", "a
    source had confirmed she was arrested") is that report, and what it reports is its
    point. The claim's own cue, and a first-person reporting verb in the speaker's own
    words ("I know that …", "we believe …"), are the speaker's: not reported.
    """
    span = {t.i for t in tokens}
    found: set[int] = set()
    for t in tokens:
        if t.i in cue or t.i in found:
            continue
        lemma = t.lemma_.lower()
        if t.head.i == t.i or t.head.i not in span:
            continue  # the claim's own head: "The government said Friday that it reached a cease-fire" reports that claim
        if t.pos_ == "VERB" and t.dep_ not in ("prep", "amod") and lexicon.cue(lemma) in _SPEECH_CLASSES:  # not "regarding"
            if any(ch.dep_ in ("nsubj", "nsubjpass") and ch.lower_ in _FIRST_PERSON for ch in t.children):
                continue
            for ch in t.children:
                if ch.dep_ not in _REPORTER_DEPS:
                    found |= {x.i for x in ch.subtree if x.i in span}
        elif t.pos_ == "NOUN" and (lexicon.nominal(lemma) is not None or _leaves_open(reader, lemma)):
            for ch in t.children:  # what it says: "claims that …", "reports of a truce", "rumours about his health"
                if ch.dep_ in ("acl", "ccomp") or ch.dep_ == "prep" and ch.lower_ in ("of", "about"):
                    found |= {x.i for x in ch.subtree if x.i in span}
        elif t.dep_ == "mark" and _leaves_open(reader, lemma):  # "whether …", "if …": the clause it opens
            found |= {x.i for x in t.head.subtree if x.i in span and x.i != t.i}
    return found


def _leaves_open(reader: EventReader, lemma: str) -> bool:
    return reader.lexicon.modality.get(lemma) == "hypothetical"


def _spans(reader: EventReader, indices: set[int]) -> tuple[tuple[int, int], ...]:
    """Character spans of runs of consecutive token indices."""
    spans: list[tuple[int, int]] = []
    doc = reader.doc
    for i in sorted(indices):
        start, end = doc[i].idx, doc[i].idx + len(doc[i].text)
        if spans and i - 1 in indices:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return tuple(spans)


_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "nn"})


def _is_negated(t: Token) -> bool:
    """The word, or the verb whose complement it is ("is not false"), has a negation."""
    if any(c.dep_ == "neg" for c in t.children):
        return True
    return t.dep_ in ("acomp", "attr", "oprd") and any(c.dep_ == "neg" for c in t.head.children)


def _common_nouns(tokens: Sequence[Token]) -> tuple[str, ...]:
    """What a sentence is about in words, not names: names are compared through entities."""
    return tuple(t.lemma_.lower() for t in tokens if t.pos_ in ("NOUN", "ADJ") and not t.is_stop and t.is_alpha)
