"""Event mentions: what happened, who took part, where, when, and how sure the text is.

spaCy's ``EVENT`` label names wars and summits ("World War II"); news is about
events written as verbs and nouns ("Russia attacked Kyiv", "the retreat of
Russian troops"). A trigger is a verb or noun whose lemma the event lexicon
(``ontology/event-lexicon.ttl``) assigns to a class. Its arguments come from
the dependency parse, the way PropBank-style SRL reads them: the subject acts
(``agent``), the object or passive subject undergoes (``patient``); for a noun,
a possessor or nationality adjective acts ("Russia's invasion", "the Russian
withdrawal"), and "of Y" is agent or patient as the lexicon says of the class
("the retreat of the troops" / "the annexation of Crimea"). A locative phrase
on a named place or a place noun is the place; a time expression whose phrase
hangs off the trigger is its time.

Modality follows what governs the trigger, the nearest cue winning: a negation
("are not leaving") or a denial makes it denied, "if"/"could"/"rumours of" make
it hypothetical, and so does a negated verb of knowing ("could not confirm that …"),
"plan to"/"prepare for" planned, "will"/"expected" expected;
otherwise a progressive verb is ongoing and the rest happened.

Two filters keep precision: a verb whose object is itself an event noun is a
light verb ("launch an offensive", "hold talks": the noun is the event), and a
modality cue that governs a trigger ("ordered the evacuation") is the cue, not
a second event.

Times are kept as found (text and offsets, with the value when the text alone
fixes it); normalising a relative time needs the article's date, which the
graph stage has and findings (cached by text) must not depend on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kgraph.extract.entities import EntityMention
from kgraph.extract.text import doc_candidates, doc_text
from kgraph.extract.timex import TimeExpression, find_times
from kgraph.lexicons import EventLexicon

__all__ = ["EventArgument", "EventMention", "EventReader", "parse_article_date"]

# A trigger inside one of these names is part of a name ("Operation Storm", "Battle Creek").
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "WORK_OF_ART", "PRODUCT", "LAW", "LANGUAGE"})
_QUANTITY_LABELS = frozenset({"MONEY", "PERCENT", "QUANTITY", "CARDINAL"})
_PLACE_PREPS = frozenset({"in", "at", "near", "across", "from", "into", "to", "toward", "towards", "around",
                          "outside", "inside", "over", "through", "throughout", "within", "for", "on", "along", "beyond"})
_PATIENT_PREPS = frozenset({"on", "against", "with"})
PARTICLES = frozenset({"out", "in", "up", "back", "down", "off", "over", "away"})
# Prepositions that only ever introduce a location: a proper noun after them is a place even when NER
# calls it something else ("withdrawing from Kherson" with Kherson tagged ORG); resolution's vote decides.
_LOCATIVE_PREPS = frozenset({"in", "into", "from", "across", "near", "at", "around", "outside", "inside", "toward", "towards", "throughout", "within"})
_MODAL_AUX = {"will": "expected", "shall": "expected", "'ll": "expected", "wo": "expected",
              "would": "hypothetical", "could": "hypothetical", "might": "hypothetical", "may": "hypothetical",
              "should": "hypothetical", "must": "planned"}
_CLIMB_DEPS = frozenset({"xcomp", "ccomp", "dobj", "pobj", "prep", "acl", "advcl", "conj", "pcomp", "nsubj", "nsubjpass", "attr", "relcl", "compound"})
_MAX_CLIMB = 4
# Verbs of knowing and telling: negated, they leave their clause open ("could not confirm that …",
# "did not say whether …"); unlike "did not think that …", which denies it
_OPEN_WHEN_NEGATED = frozenset({"confirm", "verify", "corroborate", "say", "know", "tell", "establish", "prove",
                                "determine", "ascertain", "disclose", "reveal"})


@dataclass(frozen=True, slots=True)
class EventArgument:
    """A participant, place or time: the phrase and its head word (what resolution looks up)."""

    start: int
    end: int
    head_start: int
    head_end: int
    text: str


@dataclass(frozen=True, slots=True)
class EventMention:
    """One trigger with what the sentence says about it; offsets index the article text."""

    start: int
    end: int
    trigger: str
    lemma: str
    event_class: str
    nominal: bool
    sent_start: int
    sent_end: int
    modality: str  # happened | ongoing | planned | expected | hypothetical | denied
    modality_cue: str | None = None
    agent: EventArgument | None = None
    patient: EventArgument | None = None
    place: EventArgument | None = None
    time: EventArgument | None = None
    time_value: str | None = None  # ISO value when the text alone fixes it ("in 2014", "Feb. 24, 2022")
    time_relative: bool = False  # needs the article date ("on Monday", "last week")
    time_future: bool = False  # its sentence looks forward ("will meet on Monday": the next Monday)


class EventReader:
    """One article's parse read for events; claim frames reuse its role, place and modality readings."""

    def __init__(self, doc: Doc, mentions: Sequence[EntityMention], sentences: Sequence[tuple[int, int]], lexicon: EventLexicon) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.lexicon = lexicon
        self.sentences = sentences
        self.places = [(m.start, m.end) for m in mentions if m.label in ("GPE", "LOC", "FAC")]
        self.times = find_times(doc, None)
        self.time_of_token: dict[int, TimeExpression] = {}
        for t in self.times:
            span = doc.char_span(t.start, t.end, alignment_mode="expand")
            for tok in span or ():
                self.time_of_token[tok.i] = t
        self.classes: dict[int, tuple[str, str, bool]] = {}  # token index -> (class, lemma, nominal)
        self.owner_of_time: dict[TimeExpression, int | None] = {}

    def run(self) -> list[EventMention]:
        for tok in doc_candidates(self.doc):  # a trigger is a verb or a noun
            found = self._trigger(tok)
            if found is not None:
                self.classes[tok.i] = found
        self.owner_of_time = {t: self._time_owner(t) for t in self.times}  # each time attaches to one trigger at most
        out: list[EventMention] = []
        for i, (cls, lemma, nominal) in sorted(self.classes.items()):
            tok = self.doc[i]
            if not nominal and (self._light_verb(tok) or self._governs_event_as_cue(tok)):
                continue
            out.append(self._mention(tok, cls, lemma, nominal))
        return out

    # --- readings claim frames share ---------------------------------------------

    def roles(self, tok: Token, nominal: bool) -> tuple[EventArgument | None, EventArgument | None]:
        """(agent, patient) of a verb or an event noun."""
        if not nominal:
            return self._verbal_roles(tok)
        found = self.classes.get(tok.i)  # the class run() found, compounds included ("air strike")
        cls = found[0] if found else self.lexicon.trigger_class(tok.lemma_.lower(), noun=True) or ""
        return self._nominal_roles(tok, cls)

    def place(self, tok: Token, taken: set[EventArgument | None]) -> EventArgument | None:
        return self._place(tok, taken)

    def argument(self, tok: Token) -> EventArgument | None:
        return self._argument(tok)

    def negation(self, tok: Token) -> str | None:
        """The word that negates ``tok`` itself ("not", "no longer", "neither"), or None."""
        return self._negated(tok)

    def modality(self, tok: Token, nominal: bool, within: set[int] | None = None) -> tuple[str, str | None]:
        """The modality of an event at ``tok``; ``within``: the only token indices a cue may come from.

        A claim's frame takes its modality from its own content and its cue: "so it's not
        surprising" after "Apple has emphasized that it is selling …" does not deny the selling,
        however the parser attaches the two clauses.
        """
        return self._modality(tok, nominal, within)

    def sentence_of(self, offset: int) -> tuple[int, int]:
        return self._sentence(offset)

    def sentence_before(self, start: int) -> tuple[int, int] | None:
        earlier = [sent for sent in self.sentences if sent[1] <= start]
        return earlier[-1] if earlier else None

    # --- triggers -------------------------------------------------------------

    def _trigger(self, tok: Token) -> tuple[str, str, bool] | None:
        if tok.ent_type_ in _NAME_LABELS:
            return None  # the lexicon decides what a trigger is, stop word or not ("move in", "mine")
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and tok.dep_ != "amod":
            for c in tok.children:  # phrasal verbs: "pull out", "dig in", "blow up" (the parser may call the particle a prep)
                if c.dep_ == "prt" or c.dep_ == "prep" and c.i == tok.i + 1 and c.lower_ in PARTICLES:
                    cls = self.lexicon.trigger_class(f"{lemma} {c.lower_}", noun=False)
                    if cls:
                        return self._checked(tok, cls, f"{lemma} {c.lower_}", nominal=False)
            for c in tok.children:  # verb + object entries: "take control"
                if c.dep_ == "dobj":
                    key = f"{lemma} {c.lemma_.lower()}"
                    cls = self.lexicon.trigger_class(key, noun=False)
                    if cls:
                        return self._checked(tok, cls, key, nominal=False)
            cls = self.lexicon.trigger_class(lemma, noun=False)
            return self._checked(tok, cls, lemma, nominal=False) if cls else None
        if tok.pos_ == "NOUN":
            if tok.dep_ == "compound" and tok.head.lemma_.lower() not in self.lexicon.modality:
                return None  # "supply lines", "occupation authorities"; but "withdrawal plans" is a planned withdrawal
            for c in tok.children:  # compounds: "phone call", "air strike"
                if c.dep_ in ("compound", "amod") and c.i == tok.i - 1:
                    key = f"{c.lemma_.lower()} {lemma}"
                    cls = self.lexicon.trigger_class(key, noun=True)
                    if cls:
                        return self._checked(tok, cls, key, nominal=True)
            cls = self.lexicon.trigger_class(lemma, noun=True)
            return self._checked(tok, cls, lemma, nominal=True) if cls else None
        return None

    def _checked(self, tok: Token, cls: str, lemma: str, *, nominal: bool) -> tuple[str, str, bool] | None:
        if cls in self.lexicon.needs_quantity and not self._has_quantity(tok):
            return None
        heads = self.lexicon.object_heads.get(cls)
        if heads and not nominal and " " not in lemma:
            objects = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
            if not any(o.lemma_.lower() in heads for o in objects):
                return None  # "moved new units" is a deployment, "moved to Paris" is not
        return cls, lemma, nominal

    def _has_quantity(self, tok: Token) -> bool:
        near = [c for c in tok.children] + [g for c in tok.children for g in c.children]
        if tok.dep_ in ("nsubj", "dobj", "pobj"):
            near.append(tok.head)
        return any(t.ent_type_ in _QUANTITY_LABELS or t.like_num for t in near)

    def _light_verb(self, tok: Token) -> bool:
        """ "launched an offensive", "held talks": the object noun is the event."""
        return tok.lemma_.lower() in self.lexicon.light_verbs and any(
            c.dep_ in ("dobj", "attr") and self.classes.get(c.i, ("", "", False))[2] for c in tok.children
        )

    def _governs_event_as_cue(self, tok: Token) -> bool:
        """ "ordered the evacuation", "plans to retreat": a modality cue, not an event of its own."""
        if tok.lemma_.lower() not in self.lexicon.modality:
            return False
        for c in tok.children:
            if c.i in self.classes and c.dep_ in ("xcomp", "dobj", "ccomp"):
                return True
            if c.dep_ == "prep" and any(g.i in self.classes for g in c.children if g.dep_ in ("pobj", "pcomp")):
                return True
        return False

    # --- one mention ----------------------------------------------------------

    def _mention(self, tok: Token, cls: str, lemma: str, nominal: bool) -> EventMention:
        start, end = tok.idx, tok.idx + len(tok.text)
        if not nominal:
            prt = next((c for c in tok.children if c.dep_ == "prt" or c.dep_ == "prep" and c.i == tok.i + 1 and c.lower_ in PARTICLES), None)
            if prt is not None and " " in lemma:
                end = max(end, prt.idx + len(prt.text))
        elif " " in lemma:
            mod = self.doc[tok.i - 1]
            start = mod.idx
        s, e = self._sentence(tok.idx)
        agent, patient = self._nominal_roles(tok, cls) if nominal else self._verbal_roles(tok)
        time, value, relative, future = self._time(tok)
        modality, cue = self._modality(tok, nominal)
        return EventMention(
            start=start, end=end, trigger=self.text[start:end], lemma=lemma, event_class=cls, nominal=nominal,
            sent_start=s, sent_end=e, modality=modality, modality_cue=cue,
            agent=agent, patient=patient, place=self._place(tok, {agent, patient}), time=time,
            time_value=value, time_relative=relative, time_future=future,
        )

    def _sentence(self, offset: int) -> tuple[int, int]:
        for s, e in self.sentences:
            if s <= offset < e:
                return s, e
        return offset, offset

    # --- participants ---------------------------------------------------------

    def _argument(self, tok: Token) -> EventArgument | None:
        """The phrase headed by ``tok``, without relative clauses and trailing preps; never a bare relative pronoun."""
        if tok.tag_ in ("WDT", "WP") and tok.head.dep_ == "relcl":
            return self._argument(tok.head.head)
        drop = {t.i for c in tok.children if c.dep_ in ("relcl", "acl", "appos", "punct") and c.i > tok.i for t in c.subtree}
        drop |= {c.i for c in tok.children if c.dep_ == "case"}  # "Russia's" -> "Russia"
        keep = [t for t in tok.subtree if t.i not in drop and not (t.is_punct and t.i in (tok.left_edge.i, tok.right_edge.i))]
        keep = [t for t in keep if t.dep_ != "det" or t.i != keep[0].i] or [tok]
        while len(keep) > 1 and keep[-1].is_punct:
            keep.pop()
        a, b = keep[0].idx, keep[-1].idx + len(keep[-1].text)
        if b - a > 120:  # a clause, not a participant: keep the head only
            a, b = tok.idx, tok.idx + len(tok.text)
        return EventArgument(a, b, tok.idx, tok.idx + len(tok.text), self.text[a:b])

    def _verbal_roles(self, verb: Token) -> tuple[EventArgument | None, EventArgument | None]:
        agent = patient = None
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        for c in verb.children:
            if c.dep_ == "nsubj":
                agent = self._argument(c)
            elif c.dep_ == "nsubjpass":
                patient = self._argument(c)
            elif c.dep_ == "dobj" and not passive:
                patient = self._argument(c)
            elif c.dep_ == "agent":
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                agent = self._argument(obj) if obj is not None else agent
        if agent is None and not passive:
            subject = self._inherited_subject(verb)
            agent = self._argument(subject) if subject is not None else None
        return agent, patient

    def _inherited_subject(self, verb: Token) -> Token | None:
        """Control and coordination: "Russia plans to retreat", "officials fled and abandoned …", "troops who fled"."""
        tok = verb
        for _ in range(3):
            if tok.dep_ == "relcl" and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
                return tok.head
            # not through advcl: "…, the officials said, having moved conscripts" would make the
            # reporters the movers
            if tok.dep_ not in ("xcomp", "conj") or tok.head is tok:
                return None
            tok = tok.head
            subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subject is not None:
                return subject
        return None

    def _nominal_roles(self, noun: Token, cls: str) -> tuple[EventArgument | None, EventArgument | None]:
        agent = patient = None
        of_role = self.lexicon.of_role.get(cls, "patient")
        for c in noun.children:
            if c.dep_ == "poss" and c.tag_ != "PRP$":
                agent = self._argument(c)
            elif c.dep_ in ("amod", "compound") and c.i < noun.i and (c.ent_type_ == "NORP" or c.ent_type_ in ("GPE", "ORG") and c.dep_ == "compound"):
                agent = agent or EventArgument(c.idx, c.idx + len(c.text), c.idx, c.idx + len(c.text), c.text)
            elif c.dep_ == "prep":
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if obj is None:
                    continue
                word = c.lower_
                if word == "of":
                    arg = self._argument(obj)
                    if of_role == "agent":
                        agent = agent or arg
                    else:
                        patient = patient or arg
                elif word == "by":
                    agent = self._argument(obj)
                elif word in _PATIENT_PREPS and not self._is_place(obj):
                    patient = patient or self._argument(obj)
        has_possessor = any(c.dep_ == "poss" for c in noun.children)  # "its advance": the possessor acts, even unresolved
        if agent is None and not has_possessor and noun.dep_ in ("dobj", "attr") and noun.head.lemma_.lower() in self.lexicon.light_verbs:
            # "launched an offensive", "carried out attacks": the light verb's subject acts
            subject = next((c for c in noun.head.children if c.dep_ == "nsubj"), None) or self._inherited_subject(noun.head)
            agent = self._argument(subject) if subject is not None else None
        return agent, patient

    # --- place and time -------------------------------------------------------

    def _is_place(self, tok: Token) -> bool:
        if tok.ent_type_ in ("GPE", "LOC", "FAC"):
            return True
        if any(s <= tok.idx < e for s, e in self.places):
            return True
        return tok.lemma_.lower() in self.lexicon.place_nouns

    def _place(self, tok: Token, taken: set[EventArgument | None]) -> EventArgument | None:
        """A locative phrase on the trigger ("in Kherson", "across the Dnipro"), or on its light verb."""
        holders = [tok]
        if tok.pos_ == "NOUN" and tok.dep_ in ("dobj", "attr") and tok.head.pos_ == "VERB":
            holders.append(tok.head)
        for holder in holders:
            for c in holder.children:
                if c.dep_ != "prep":
                    continue
                word = c.lower_
                if word == "of" and c.i > 0 and self.doc[c.i - 1].lower_ == "out":
                    word = "out of"  # "pull out of the town"
                elif word not in _PLACE_PREPS:
                    continue
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if obj is None:
                    continue
                if not (self._is_place(obj) or obj.pos_ == "PROPN" and word in _LOCATIVE_PREPS | {"out of"}):
                    continue
                arg = self._argument(obj)
                if arg is not None and all(arg != t for t in taken):
                    return arg
        for c in tok.children:  # "the Kherson offensive"
            if c.dep_ == "compound" and c.i < tok.i and c.ent_type_ in ("GPE", "LOC", "FAC"):
                return EventArgument(c.idx, c.idx + len(c.text), c.idx, c.idx + len(c.text), c.text)
        return None

    def _time(self, tok: Token) -> tuple[EventArgument | None, str | None, bool, bool]:
        """The time expression whose phrase attaches to this trigger before any other verb or trigger."""
        best = next((t for t in self.times if self.owner_of_time.get(t) == tok.i), None)
        if best is None:
            return None, None, False, False
        span = self.doc.char_span(best.start, best.end, alignment_mode="expand")
        head = span.root if span is not None else tok
        arg = EventArgument(best.start, best.end, head.idx, head.idx + len(head.text), best.text)
        return arg, best.value if not best.relative else None, best.relative, best.future

    def _time_owner(self, t: TimeExpression) -> int | None:
        span = self.doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None:
            return None
        node = span.root.head
        for _ in range(3):
            if node.i in self.classes:
                return node.i
            if node.pos_ in ("VERB", "AUX"):
                # "began fleeing on Monday": an aspectual or modal verb passes its time to its event
                inner = [c.i for c in node.children if c.i in self.classes and c.dep_ in ("xcomp", "dobj", "ccomp")]
                return inner[0] if len(inner) == 1 else None
            if node.head is node:
                return None
            node = node.head
        return None

    # --- modality -------------------------------------------------------------

    def _negated(self, tok: Token) -> str | None:
        for c in tok.children:
            if c.dep_ == "neg":
                return c.lower_
            if c.dep_ == "det" and c.lower_ == "no":
                return "no"
            if c.dep_ == "advmod" and c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children):
                return "no longer"  # spaCy hangs "no" under "longer": "are no longer defending", "is no longer alive"
            if c.dep_ == "preconj" and c.lower_ == "neither":
                return "neither"  # "is neither dead nor missing"
        if tok.head.dep_ == "prep" and tok.dep_ in ("pobj", "pcomp") and tok.head.lower_ == "without":
            return "without"
        return None

    def _denied_above(self, cue: Token) -> bool:
        """Is the plan or expectation itself denied ("denies withdrawal plans", "rejected the plans to …")?"""
        head = cue.head
        return head is not cue and cue.dep_ in ("dobj", "pobj", "xcomp", "ccomp", "nsubjpass") and (
            self.lexicon.modality.get(head.lemma_.lower()) == "denied" or self._negated(head) is not None
        )

    def _modality(self, tok: Token, nominal: bool, within: set[int] | None = None) -> tuple[str, str | None]:
        negation = self._negated(tok)
        if negation:
            return "denied", negation
        node = tok
        for _ in range(_MAX_CLIMB):
            for c in node.children:
                if c.dep_ in ("aux", "auxpass") and c.lower_ in _MODAL_AUX:
                    return _MODAL_AUX[c.lower_], c.lower_
                if c.dep_ == "mark" and self.lexicon.modality.get(c.lower_) == "hypothetical":
                    return "hypothetical", c.lower_
                if c.dep_ == "amod" and node.i == tok.i and self.lexicon.modality.get(c.lemma_.lower()):
                    return self.lexicon.modality[c.lemma_.lower()], c.lower_  # "a potential attack", "the planned retreat"
            if node.dep_ not in _CLIMB_DEPS or node.head is node:
                break
            head = node.head
            if head.i in self.classes and head.i != tok.i:
                break  # another event's modality is its own
            if within is not None and head.i not in within:
                break
            cue = self.lexicon.modality.get(head.lemma_.lower())
            if cue:
                if self._negated(head):
                    if cue == "denied":
                        break  # "did not deny": no reading either way
                    return "denied", head.lemma_.lower()  # "does not expect any withdrawal"
                if cue != "denied" and self._denied_above(head):
                    return "denied", head.head.lemma_.lower()  # "denies withdrawal plans"
                return cue, head.lemma_.lower()
            if node.dep_ in ("relcl", "advcl") and not any(c.dep_ == "mark" for c in node.children):
                break
            if head.pos_ in ("VERB", "AUX") and self._negated(head) and node.dep_ in ("xcomp", "ccomp"):
                if head.lemma_.lower() in _OPEN_WHEN_NEGATED:  # "could not confirm that pilots had joined":
                    return "hypothetical", head.lemma_.lower()  # the joining is left open, not denied
                return "denied", self._negated(head)
            node = head
        if not nominal and tok.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in tok.children):
            return "ongoing", None
        return "happened", None


def parse_article_date(date: str | None) -> dt.date | None:
    """The article's ISO date as a ``date`` (the anchor of relative times), or None."""
    if not date:
        return None
    try:
        return dt.date.fromisoformat(date[:10])
    except ValueError:
        return None
