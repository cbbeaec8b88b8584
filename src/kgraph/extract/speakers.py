"""Speakers: from the subject of a cue to the named person or body behind it.

News names a speaker once and then refers to them by pronoun ("he said"), by
role ("the head of the secret service", "Ukraine's military spy chief") or as
a body ("Western officials", "the administration"). This module turns each of
those into a :class:`Speaker`: a ``referent`` (offsets of a named mention in
the same article) when the text identifies a named person or organisation, a
``group`` label for collective and unnamed sources (never merged with a
person), or unknown. It also reads the roles the article states ("Kyrylo
Budanov, head of Ukraine's military intelligence"), which both resolve role
descriptions and become triples of their own.

Group labels follow one convention, which :mod:`kgraph.resolve.speakers` reads:

- an **unnamed source** (a "source" or "insider" of any number, anyone the text
  marks as unnamed, anonymous or familiar with the matter, and one person the
  text does not name: "a U.S. official", "a witness") is labelled by its
  description, head singular, with the suffix ``" (unnamed)"``: "a source close to
  the investigation" -> "source (unnamed)", "Intelligence sources" ->
  "intelligence source (unnamed)". When the text says whose source it is, an
  outlet's or a reporter's ("CNN's source", "a source told CNN", "sources quoted
  by Reuters"), the label is that name plus "source": "CNN source (unnamed)";
  a name used as a modifier ("a CNN source", "a White House source") stays part
  of the description, and resolution decides whether it is an outlet;
- a **collective** ("Western officials", "Ferguson police") keeps its words, the
  first one lowercased unless it is a name, without quantifiers ("several",
  "two", "other"): "Several witnesses" -> "witnesses";
- a **place used for its government** ("Moscow claims") is "Moscow (government)",
  only for a GPE mention that is not a one-word common noun ("State"); a nationality
  before a government noun ("the Saudi government") is its country's: "Saudi Arabia
  (government)" (the gazetteer's name).

The subject is found where news puts it: after an inverted verb of saying ("Said
Ellis: …", "…, reported Reuters"), past a first conjunct's subject that is an event
("the retreat might take place and admitted that …"), and a one-word name NER left
untagged ("Tester said") is the person of that surname the article names.

A definite description with nothing new in it ("the source", "the same
source", "that official", "the report") is an anaphor: it is the latest earlier
speaker of the article with the same head noun ("the same source": any unnamed
source), of the same number where there is one, so the source named first and
"the source said" three paragraphs on are one speaker. "another source" is a
new one. An outlet's report is the outlet: "a CNN report said", "according to a
report by CNN" have CNN as their referent.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from kgraph.extract.entities import EntityMention
from kgraph.extract.quotes import QuoteSpan
from kgraph.extract.text import doc_noun_chunks, doc_text
from kgraph.lexicons import ReportingLexicon, load_event_lexicon
from kgraph.gazetteer import country_name, demonym_code

if TYPE_CHECKING:
    from kgraph.extract.attribution import Claim

__all__ = ["GOVERNMENT", "PERSON_NOUNS", "RECORD_HEADS", "SOURCE_HEADS", "UNNAMED", "RoleStatement", "Speaker", "SpeakerResolver", "find_roles"]

_SINGULAR_PERSONAL = frozenset({"he", "she", "him", "her", "his"})
_PLURAL = frozenset({"they", "them", "we", "their"})
_NEUTER = frozenset({"it", "its"})
_INDEFINITE = frozenset({"some", "others", "many", "several", "few", "someone", "somebody", "one", "all", "most"})
_SAME_ROLE = {"chief": "head", "leader": "head", "head": "head"}
_WINDOW_SENTENCES = 4  # how far back a pronoun looks for its antecedent
_LABEL_DEPS = frozenset({"amod", "compound", "poss", "nmod", "nummod", "npadvmod", "case"})

#: The suffix that marks a group label as an unnamed source (see the module docstring).
UNNAMED = " (unnamed)"
#: The suffix of a place speaking for its government.
GOVERNMENT = " (government)"
# Heads that are always an unnamed source, whatever their number or determiner.
SOURCE_HEADS = frozenset({"source", "insider"})
# Words by which the text says it does not name the speaker ("an unnamed official", "people familiar with …").
_UNNAMED_MARKERS = frozenset({"unnamed", "anonymous", "unidentified", "anonymity", "familiar", "undisclosed"})
# Singular nouns for one person: with "a"/"one" they introduce someone the article does not name.
PERSON_NOUNS = frozenset({
    "official", "diplomat", "analyst", "observer", "expert", "resident", "activist", "witness", "critic", "supporter",
    "aide", "ally", "investigator", "prosecutor", "person", "man", "woman", "officer", "employee", "worker", "member",
    "staffer", "lawmaker", "neighbor", "neighbour", "relative", "friend", "representative", "spokesperson",
    "spokesman", "spokeswoman", "insider", "source", "eyewitness", "commander", "soldier", "doctor", "lawyer",
})
# Determiners that introduce a new referent.
_INTRODUCING = frozenset({"a", "an", "one", "another"})
# Words that make a description a different referent from an earlier one with the same head.
_ANOTHER = frozenset({"another", "other", "second", "third", "fourth", "different", "new"})
# Determiners of a definite description that can point back ("the source", "that official", "these reports").
_DEFINITE = frozenset({"the", "that", "this", "these", "those"})
# Words dropped from a group label: how many, and that it is the same or another one.
_QUANTITY_WORDS = frozenset({
    "some", "several", "multiple", "many", "numerous", "various", "few", "both", "all", "most", "one", "two", "three",
    "four", "five", "dozens", "same", "another", "other", "second", "third", "fourth", "different",
})
# A record that speaks for whoever made it: "a CNN report said" is CNN.
RECORD_HEADS = frozenset({
    "report", "reporting", "article", "story", "broadcast", "investigation", "dispatch", "bulletin", "documentary",
    "editorial", "piece", "analysis", "survey", "study", "review",
})
# Nouns for the government of the place that modifies them ("Iraq's government").
_GOVERNMENT_HEADS = frozenset({"government", "administration", "authorities", "leadership", "regime", "cabinet"})
# Verbs of saying that news puts before their subject ("…, said the official", "Said Ellis: …", "…, reported
# Reuters"); "told" is not one ("…, told the senator": an addressee), nor any verb that takes a person as object.
_INVERTING = frozenset({
    "say", "add", "ask", "write", "report", "note", "explain", "continue", "recall", "insist", "reply", "answer",
    "argue", "conclude", "warn", "declare", "comment", "observe", "remark", "concede", "quip", "counter", "tweet",
})
# Prepositions that name a record's maker ("a report by/from/in …"), not its topic ("a report on Iraq").
_MAKER_PREPS = frozenset({"by", "from", "in", "of"})


@dataclass(frozen=True, slots=True)
class Speaker:
    kind: str  # name | pronoun | role | group | unknown | thing
    start: int | None = None
    end: int | None = None
    text: str | None = None
    referent: tuple[int, int] | None = None
    group: str | None = None
    co_referents: tuple[tuple[int, int], ...] = ()

    @staticmethod
    def unknown(text: str | None = None, start: int | None = None, end: int | None = None) -> Speaker:
        return Speaker("unknown", start, end, text)


@dataclass(frozen=True, slots=True)
class RoleStatement:
    """ "Kyrylo Budanov, head of Ukraine's military intelligence": a person, a role, maybe an organisation."""

    person_start: int
    person_end: int
    role_start: int
    role_end: int
    role_text: str
    role_head: str
    org_start: int | None = None
    org_end: int | None = None


def _mentions_in(mentions: Sequence[EntityMention], starts: list[int], a: int, b: int) -> list[EntityMention]:
    i = bisect.bisect_left(starts, a)
    out = []
    while i < len(mentions) and mentions[i].start < b:
        if mentions[i].end <= b:
            out.append(mentions[i])
        i += 1
    return out


def _trim_det(tokens: list[Token]) -> list[Token]:
    while tokens and (tokens[0].dep_ in ("det", "predet", "punct") or tokens[0].is_space):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space or tokens[-1].dep_ == "cc"):
        tokens = tokens[:-1]
    return tokens


def _render(tokens: Sequence[Token], head: Token) -> str:
    """The text from the first to the last token, its first word lowercased unless it is a name."""
    if not tokens:
        return head.text
    doc = tokens[0].doc
    text = doc[tokens[0].i : tokens[-1].i + 1].text
    return _first_word_case(text, tokens[0])


def _first_word_case(text: str, first: Token) -> str:
    """A capital that only the sentence start explains is dropped: "Intelligence sources" = "intelligence sources".

    A common noun loses it; an adjective only when the article also writes it in lower case
    ("Senior officials" … "senior officials"), so "Western officials" keeps its capital, as do
    names ("U.S. officials", "Ferguson police").
    """
    if not text or first.pos_ == "PROPN" or first.ent_type_ or not first.is_title:
        return text
    sentence_start = first.is_sent_start or first.i > 0 and first.doc[first.i - 1].is_punct and first.doc[first.i - 1].dep_ != "poss"
    lower = first.lower_
    written_lower = re.search(rf"(?<![\w.]){re.escape(lower)}(?!\w)", doc_text(first.doc)) is not None
    if first.tag_ in ("NN", "NNS") or written_lower or not sentence_start and first.pos_ != "ADJ":
        return text[0].lower() + text[1:]
    return text


def find_roles(doc: Doc, mentions: Sequence[EntityMention], lexicon: ReportingLexicon) -> list[RoleStatement]:
    """Roles the article states of its people (apposition, copula, a role right before a name)."""
    text = doc_text(doc)
    ms = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in ms]
    persons = [m for m in ms if m.kind == "person"]
    found: dict[tuple[int, int, int, int], RoleStatement] = {}

    def add(person: EntityMention, role_tokens: list[Token]) -> None:
        toks = _trim_det(sorted(role_tokens, key=lambda t: t.i))
        if not toks:
            return
        head = next((t for t in toks if t.lemma_.lower() in lexicon.role_heads), None)
        if head is None:
            return
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        if start < person.end and person.start < end:
            return
        org = next((m for m in _mentions_in(ms, starts, start, end) if m.kind == "organization"), None) or next(
            (m for m in _mentions_in(ms, starts, start, end) if m.kind == "place"), None
        )
        found[(person.start, person.end, start, end)] = RoleStatement(
            person.start, person.end, start, end, text[start:end], _SAME_ROLE.get(head.lemma_.lower(), head.lemma_.lower()),
            org.start if org else None, org.end if org else None,
        )

    for p in persons:
        span = doc.char_span(p.start, p.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        # apposition after the name: "Kyrylo Budanov, head of …"
        for child in root.children:
            if child.dep_ == "appos" and child.pos_ == "NOUN":
                add(p, [t for t in child.subtree if not (p.start <= t.idx < p.end)])
        # the name in apposition to a role: "the host, Anton Krasovsky"
        if root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.lemma_.lower() in lexicon.role_heads:
            head = root.head
            add(p, [t for t in head.subtree if t.i < root.left_edge.i and t.dep_ != "appos" and not t.is_punct or t == head])
        # copula: "Dmitry Medvedev is a former Russian president and deputy head of …"
        if root.dep_ == "nsubj" and root.head.lemma_ == "be":
            for attr in (c for c in root.head.children if c.dep_ == "attr"):
                conjs = [c for c in attr.children if c.dep_ == "conj"]
                skip = {t.i for c in conjs for t in c.subtree}
                skip |= {t.i for c in attr.children if c.dep_ in ("relcl", "acl") for t in c.subtree}
                add(p, [t for t in attr.subtree if t.i not in skip and t.dep_ != "cc"])
                for c in conjs:
                    add(p, list(c.subtree))
        # a role right before the name, no comma: "The head of the Defense Intelligence … Kyrylo Budanov"
        i = span.start - 1
        while i >= 0 and doc[i].is_title and doc[i].lemma_.lower() in lexicon.role_heads | {"gen", "gen.", "col", "col."}:
            i -= 1  # a rank used as a title belongs to the name
        j = i
        while j >= 0 and span.start - j <= 12 and not doc[j].is_punct and doc[j].pos_ not in ("VERB", "AUX") and doc[j].dep_ != "cc":
            j -= 1
        window = [doc[k] for k in range(j + 1, i + 1)]
        heads = [k for k, t in enumerate(window) if t.lemma_.lower() in lexicon.role_heads and t.pos_ == "NOUN"]
        if heads and window[-1].pos_ in ("NOUN", "PROPN"):
            add(p, window)
    return sorted(found.values(), key=lambda r: (r.person_start, r.role_start))


class SpeakerResolver:
    """Resolves the subject of a cue within one article."""

    def __init__(
        self,
        doc: Doc,
        mentions: Sequence[EntityMention],
        sentences: Sequence[tuple[int, int]],
        lexicon: ReportingLexicon,
        roles: Sequence[RoleStatement],
        quotes: Sequence[QuoteSpan],
    ) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.lexicon = lexicon
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.mentions]
        self.sent_starts = [s for s, _ in sentences]
        self.roles = list(roles)
        self.quotes = list(quotes)
        # noun phrases with modifiers, for "the officials" -> "Western officials"
        self.chunks = [(c.root.lemma_.lower(), c.start_char, c) for c in doc_noun_chunks(doc)]

    # --- entry points -------------------------------------------------------

    def speaker_of_cue(self, cue: Token, known: Sequence[Claim]) -> Speaker:
        inverted = self.inverted_subject(cue)
        if inverted is not None:  # "Said Ellis: …", "…, said Ellis, a tax expert"
            found = self.speaker_of_token(inverted, known)
            if found.start is None or found.end is None:
                return found
            start = max(found.start, cue.idx + len(cue.text_with_ws))
            stop = next((t.idx for t in inverted.doc[inverted.i + 1 :] if t.is_quote or t.text in (":", "(") or t.is_sent_start), None)
            end = found.end if stop is None else min(found.end, stop)
            end = len(self.text[:end].rstrip(" ,\n"))
            return replace(found, start=start, end=end, text=self.text[start:end])
        subject = self._subject(cue)
        if subject is None or subject.pos_ in ("VERB", "AUX"):
            return self.speaker_before(cue) or Speaker.unknown()
        return self.speaker_of_token(subject, known)

    def speaker_of_token(self, tok: Token, known: Sequence[Claim]) -> Speaker:
        start = tok.left_edge.idx
        lower = tok.lower_
        if lower in _INDEFINITE or tok.pos_ == "DET":
            return Speaker.unknown(tok.text, tok.idx, tok.idx + len(tok.text))
        if tok.tag_ in ("WP", "WDT") and tok.head.dep_ == "relcl":
            return self._relative(tok, known)
        if tok.pos_ == "PRON" or lower in _SINGULAR_PERSONAL | _PLURAL | _NEUTER:
            return self._pronoun(tok, known)
        end = tok.right_edge.idx + len(tok.right_edge.text)
        text_end = self._phrase_end(tok)
        in_span = _mentions_in(self.mentions, self.starts, start, end)
        poss = {t.i for c in tok.children if c.dep_ == "poss" for t in c.subtree}
        clauses = {t.i for c in tok.children if c.dep_ in ("relcl", "acl") for t in c.subtree}
        head_mention = next((m for m in in_span if m.start <= tok.idx < m.end), None)
        co = tuple((m.start, m.end) for m in self._conjoined_names(tok))
        if head_mention is not None and head_mention.kind in ("person", "organization"):
            return Speaker("name", start, text_end, self.text[start:text_end], (head_mention.start, head_mention.end), co_referents=co)
        # a name modifying a common noun is not the speaker: "Obama administration officials", "the Ferguson resident"
        modifiers = {t.i for c in tok.children if c.dep_ == "compound" and tok.pos_ == "NOUN" for t in c.subtree}
        persons = [
            m for m in in_span
            if m.kind == "person" and self._token_at(m.start) is not None
            and self._token_at(m.start).i not in poss | clauses | modifiers  # type: ignore[union-attr]
        ]
        if persons:
            m = persons[-1]
            return Speaker("name", start, text_end, self.text[start:text_end], (m.start, m.end), co_referents=co)
        named = self._appositive_body(tok)
        if named is not None:  # "the news agency Reuters, citing …": the appositive names the body
            return Speaker("name", start, text_end, self.text[start:text_end], (named.start, named.end))
        untagged = self._untagged_name(tok)
        if head_mention is None and untagged is not None:
            return Speaker("name", start, text_end, self.text[start:text_end], untagged, co_referents=co)
        named = self._named_elsewhere(tok) if head_mention is None else None
        if named is not None:  # "Tester said" after "Sens. Jon Tester": the person the article names
            return Speaker("name", start, text_end, self.text[start:text_end], (named.start, named.end), co_referents=co)
        phrase = (start, text_end, self.text[start:text_end])
        if head_mention is not None and head_mention.kind == "place":
            return self._place_speaker(head_mention, *phrase)
        lemma = tok.lemma_.lower()
        plural = tok.tag_ in ("NNS", "NNPS")
        anaphor = self._anaphor(tok, known)
        if anaphor is not None:
            return replace(anaphor, start=start, end=text_end, text=phrase[2], co_referents=())
        if lemma in RECORD_HEADS:
            return self._record_speaker(tok, *phrase)
        if self._is_unnamed(tok):
            return Speaker("group", *phrase, group=self._unnamed_label(tok, known))
        if lemma in self.lexicon.role_heads and not plural:
            role = self._role_match(tok)
            return Speaker("role", *phrase, referent=role)
        if lemma in _GOVERNMENT_HEADS:
            country = self._country_of(tok)
            if country is not None:  # "Iraq's government", "the U.S. administration": the country's government
                return self._place_speaker(country, *phrase)
            nationality = next((c for c in tok.children if c.dep_ in ("amod", "compound") and c.i < tok.i
                                and self.nationality_speaker(c) is not None), None)
            if nationality is not None:  # "the Saudi government", "the Russian authorities"
                return replace(self.nationality_speaker(nationality), start=start, end=text_end, text=phrase[2])  # type: ignore[arg-type]
        if lemma in self.lexicon.collective_heads or plural:
            if lemma not in self.lexicon.collective_heads and not self._animate(tok):
                return Speaker("thing", *phrase)
            return Speaker("group", *phrase, group=self._group_label(tok))
        return Speaker("thing", *phrase)

    def resolve_deferred(self, claims: Sequence[Claim]) -> list[Claim]:
        """Role descriptions the article never spells out: the lead's "spy chief" is the person quoted next."""
        out = list(claims)
        for i, c in enumerate(out):
            if c.speaker_kind != "role" or c.referent_start is not None:
                continue
            k = bisect.bisect_right(self.sent_starts, c.sent_start)
            limit = self.sent_starts[k + 2] if k + 2 < len(self.sent_starts) else len(self.text)
            later = [d for d in out[i + 1 :] if d.speaker_kind == "name" and d.sent_start < limit and d.referent_start is not None
                     and self._is_person(d.referent_start)]
            if later:
                out[i] = replace(c, referent_start=later[0].referent_start, referent_end=later[0].referent_end)
        return out

    # --- unnamed sources, records, places ------------------------------------

    def _place_speaker(self, mention: EntityMention, start: int, end: int, text: str) -> Speaker:
        """ "Moscow claims …": a country or city speaks for its government; no other place speaks.

        Only a GPE mention that is not a one-word common noun ("State") becomes "X (government)";
        any other place keeps its mention as referent, and resolution decides what the entity is
        (a name NER took for a place, such as an outlet or a person, speaks as itself).
        """
        span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None and self._described_as_person(span.root):
            return Speaker.unknown(text, start, end)  # "Martinelli, a retired officer, said": a person NER took for a place
        if mention.label == "GPE" and not self._common_word(mention.text):
            return Speaker("group", start, end, text, group=f"{mention.text}{GOVERNMENT}")
        return Speaker("name", start, end, text, (mention.start, mention.end))

    def nationality_speaker(self, tok: Token) -> Speaker | None:
        """A nationality adjective that speaks for its country's government: "Russian claims that …".

        "Russian" in "Russian claims", "the Saudi government" is the government of the country the
        gazetteer gives the demonym ("Russia (government)"); a nationality of people ("British
        officials", "Russians") is not: that is a collective, and is read as one.
        """
        if tok.pos_ not in ("ADJ", "PROPN") or tok.dep_ not in ("amod", "compound", "poss", "nmod"):
            return None
        ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end and e.label_ == "NORP"), None)
        first, last = (ent[0], ent[-1]) if ent is not None else (tok, tok)  # "North Korean" is one nationality
        text = self.text[first.idx : last.idx + len(last.text)]
        code = demonym_code(text)
        name = country_name(code) if code is not None else None
        if name is None or text.endswith("s") and demonym_code(text[:-1]) is not None:
            return None  # "Russians" are people
        return Speaker("group", first.idx, last.idx + len(last.text), text, group=f"{name}{GOVERNMENT}")

    def _country_of(self, tok: Token) -> EntityMention | None:
        """The GPE a government noun belongs to: "Iraq's government", "the U.S. government" (not "the Obama administration")."""
        for child in tok.children:
            if child.dep_ in ("poss", "compound") and child.i < tok.i:
                span = _mentions_in(self.mentions, self.starts, child.left_edge.idx, child.idx + len(child.text))
                found = next((m for m in span if m.start <= child.idx < m.end and m.label == "GPE"), None)
                if found is not None:
                    return found
        return None

    def _described_as_person(self, tok: Token) -> bool:
        """The name has an apposition that describes a person ("…, a retired officer")."""
        return any(c.dep_ == "appos" and c.lemma_.lower() in PERSON_NOUNS | self.lexicon.role_heads for c in tok.children)

    def _common_word(self, name: str) -> bool:
        """One word that this article also writes in lower case, or a head noun of the lexicon ("State")."""
        if " " in name.strip() or not name.isalpha():
            return False
        lower = name.lower()
        heads = self.lexicon.collective_heads | self.lexicon.role_heads
        return lower in heads or re.search(rf"(?<![\w.]){re.escape(lower)}(?!\w)", self.text) is not None

    def _record_speaker(self, tok: Token, start: int, end: int, text: str) -> Speaker:
        """ "a CNN report", "a report by CNN", "CNN's new report": whoever made the record speaks.

        A record with no maker in the text ("an earlier report said") keeps its phrase and no speaker:
        it is a source, but not anyone the graph can name.
        """
        maker = self.maker_of(tok)
        if maker is not None:
            return Speaker("name", start, end, text, (maker.start, maker.end))
        return Speaker.unknown(text, start, end)

    def maker_of(self, tok: Token) -> EntityMention | None:
        """The organisation or person a record or a source belongs to: a possessive, a name modifier, "by/from/in X"."""
        for child in tok.children:
            if child.dep_ in ("poss", "compound", "nmod") and child.i < tok.i:
                found = self._speaking_mention(child)
                if found is not None:
                    return found
            if child.dep_ == "prep" and child.lower_ in _MAKER_PREPS and child.i > tok.i:
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                found = self._speaking_mention(pobj) if pobj is not None else None
                if found is not None:
                    return found
        return None

    def _speaking_mention(self, tok: Token) -> EntityMention | None:
        """The person or organisation mention whose head is ``tok`` (not one nested deeper in its phrase)."""
        left = tok.left_edge.idx
        for m in _mentions_in(self.mentions, self.starts, left, tok.idx + len(tok.text)):
            if m.start <= tok.idx < m.end and m.kind in ("person", "organization"):
                return m
        return None

    def _is_unnamed(self, tok: Token) -> bool:
        """A speaker the text does not name: a source, anyone marked unnamed, or one person introduced by "a"."""
        lemma = tok.lemma_.lower()
        if lemma in SOURCE_HEADS:
            return True
        if any(t.lower_ in _UNNAMED_MARKERS for t in tok.subtree) or self._asked_not_to_be_named(tok):
            return lemma in PERSON_NOUNS or lemma in {"people", "person"} or tok.tag_ in ("NNS",) and self._animate(tok)
        introduced = any(c.lower_ in _INTRODUCING for c in tok.children if c.dep_ in ("det", "nummod") and c.i < tok.i)
        return introduced and tok.tag_ == "NN" and lemma in PERSON_NOUNS

    def _asked_not_to_be_named(self, tok: Token) -> bool:
        """ "an official who asked not to be named/identified"."""
        words = [t.lower_ for t in tok.subtree]
        return any(words[i : i + 3] == ["not", "to", "be"] and i + 3 < len(words) and words[i + 3] in ("named", "identified")
                   for i in range(len(words)))

    def _unnamed_label(self, tok: Token, known: Sequence[Claim] = ()) -> str:
        """ "CNN source (unnamed)" when the text says whose source it is, else its description plus "(unnamed)".

        A bare "a source" or "sources" after a described one ("a Lebanese security source") is that
        source, as "the officials" is the officials named before: the latest earlier unnamed speaker,
        else the latest earlier phrase, with the same head. "another source" is always a new one.
        """
        outlet = self.source_outlet(tok)
        if outlet is not None:
            return f"{outlet.text} source{UNNAMED}"
        words = [t for t in self._label_tokens(tok) if t.lower_ not in _UNNAMED_MARKERS]
        another = any(c.lower_ in _ANOTHER for c in tok.children if c.i < tok.i)
        if words == [tok] and not another:
            earlier = self._earlier_unnamed(tok, known)
            if earlier is not None:
                return earlier
        label = _first_word_case("".join(t.lemma_.lower() + t.whitespace_ if t.i == tok.i else t.text_with_ws for t in words).strip(),
                                 words[0])
        if another:
            label = f"other {label}"  # "another source" is not the source named before
        return f"{label}{UNNAMED}"

    def _earlier_unnamed(self, tok: Token, known: Sequence[Claim]) -> str | None:
        """The label of the latest earlier unnamed source with this head: a speaker first, else any phrase."""
        lemma = tok.lemma_.lower()
        for c in reversed(known):
            if c.group and c.group.endswith(UNNAMED) and c.speaker_start is not None and c.speaker_end is not None and c.speaker_start < tok.idx:
                head = self._head_at(c.speaker_start, c.speaker_end)
                if head is not None and head.lemma_.lower() == lemma:
                    return c.group
        for chunk_lemma, start, chunk in reversed(self.chunks):
            if start < tok.idx and chunk_lemma == lemma and chunk.root.i != tok.i and not self._in_quote(start):
                root = chunk.root
                if len(self._label_tokens(root)) > 1 and not any(c.lower_ in _ANOTHER for c in root.children if c.i < root.i):
                    return self._unnamed_label(root)
        return None

    def source_outlet(self, tok: Token) -> EntityMention | None:
        """Whose source it is: "CNN's source", "a source told CNN", "a source quoted by Reuters", "speaking to the AP"."""
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        if poss is not None and poss.pos_ != "PRON":
            found = self._speaking_mention(poss)
            if found is not None:
                return found
        for child in tok.children:  # "a source quoted by CNN", "sources cited by Reuters"
            if child.dep_ in ("acl", "relcl") and child.lemma_.lower() in ("quote", "cite"):
                agent = next((c for c in child.children if c.dep_ == "agent"), None)
                pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
                found = self._outlet_mention(pobj) if pobj is not None else None
                if found is not None:
                    return found
        verb = tok.head
        if tok.dep_ not in ("nsubj", "nsubjpass") or verb.pos_ not in ("VERB", "AUX"):
            return None
        for child in verb.children:  # "told CNN", "said to the AP", "speaking to Reuters"
            if child.dep_ in ("dative", "dobj") and verb.lemma_.lower() == "tell":
                found = self._outlet_mention(child)
            elif child.dep_ in ("prep", "dative") and child.lower_ == "to":
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                found = self._outlet_mention(pobj) if pobj is not None else None
            else:
                continue
            if found is not None:
                return found
        return None

    def _outlet_mention(self, tok: Token) -> EntityMention | None:
        """An organisation named as the addressee of a source: an outlet (never a person: "told Obama")."""
        found = self._speaking_mention(tok)
        return found if found is not None and found.kind == "organization" else None

    def _anaphor(self, tok: Token, known: Sequence[Claim]) -> Speaker | None:
        """ "the source", "the same source", "that official", "the report": the latest earlier speaker it points back to."""
        if not self._is_definite_description(tok):
            return None
        lemma = tok.lemma_.lower()
        same = any(c.lower_ == "same" for c in tok.children)
        plural = tok.tag_ in ("NNS", "NNPS")
        fitting: list[tuple[bool, int, Claim]] = []
        for c in known:
            if c.speaker_start is None or c.speaker_end is None or c.speaker_start >= tok.idx or c.speaker_kind == "pronoun":
                continue
            if not (c.group or c.referent_start is not None):
                continue
            head = self._head_at(c.speaker_start, c.speaker_end)
            if head is None:
                continue
            unnamed = bool(c.group and c.group.endswith(UNNAMED))
            if head.lemma_.lower() == lemma or same and unnamed and lemma in SOURCE_HEADS | PERSON_NOUNS:
                fitting.append(((head.tag_ in ("NNS", "NNPS")) == plural, c.speaker_start, c))
        if lemma in PERSON_NOUNS - SOURCE_HEADS and not same:
            # "the official" points back to an unnamed official only; a named one is a role description
            fitting = [f for f in fitting if f[2].group and f[2].group.endswith(UNNAMED)]
        if not fitting:
            return None
        _, _, best = max(fitting, key=lambda f: (f[0], f[1]))
        referent = (best.referent_start, best.referent_end) if best.referent_start is not None else None
        return Speaker(best.speaker_kind if best.speaker_kind in ("name", "group", "role") else "group",
                       referent=referent, group=best.group)  # type: ignore[arg-type]

    def _one_unnamed(self, claim: Claim) -> bool:
        """The claim's speaker is one unnamed person ("a U.S. official"), who is no antecedent of "they"."""
        if not (claim.group and claim.group.endswith(UNNAMED)) or claim.speaker_start is None or claim.speaker_end is None:
            return False
        head = self._head_at(claim.speaker_start, claim.speaker_end)
        return head is not None and head.tag_ == "NN"

    def _appositive_body(self, tok: Token) -> EntityMention | None:
        """ "the news agency Reuters": an organisation named in apposition to a common noun."""
        if tok.pos_ != "NOUN":
            return None
        for child in tok.children:
            if child.dep_ == "appos":
                found = self._speaking_mention(child)
                if found is not None and found.kind == "organization":
                    return found
        return None

    def _is_definite_description(self, tok: Token) -> bool:
        """ "the source", "the same source", "these reports": a definite head whose modifiers add nothing new."""
        lemma = tok.lemma_.lower()
        if lemma not in SOURCE_HEADS | PERSON_NOUNS | RECORD_HEADS:
            return False
        before = [c for c in tok.children if c.i < tok.i]
        if not any(c.dep_ in ("det", "predet") and c.lower_ in _DEFINITE for c in before):
            return False
        if any(c.lower_ in _ANOTHER for c in before):
            return False
        informative = [c for c in before if c.dep_ not in ("det", "predet", "punct") and c.lower_ not in _UNNAMED_MARKERS | {"same"}]
        after = [c for c in tok.children if c.i > tok.i and c.dep_ in ("prep", "acl", "relcl", "amod", "appos")]
        return not informative and not after

    def _head_at(self, start: int, end: int) -> Token | None:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return span.root if span is not None and len(span) else None

    # --- pieces -------------------------------------------------------------

    def _phrase_end(self, tok: Token) -> int:
        """End of the subject phrase without its relative clauses and trailing commas."""
        drop = {t.i for c in tok.children if c.dep_ in ("relcl", "acl", "prep") and c.i > tok.i for t in c.subtree}
        keep = [t for t in tok.subtree if t.i not in drop and not t.is_punct]
        last = keep[-1] if keep else tok
        return last.idx + len(last.text)

    def _relative(self, tok: Token, known: Sequence[Claim]) -> Speaker:
        """ "Putin, who has rejected …": the noun the clause modifies; "a statement that rejected …": its issuer."""
        antecedent = tok.head.head
        if antecedent.lemma_.lower() in self.lexicon.citation_kind and antecedent.head.pos_ == "VERB":
            subject = next((c for c in antecedent.head.children if c.dep_ == "nsubj"), None)
            if subject is not None:
                return self.speaker_of_token(subject, known)
        if antecedent.i == tok.i:
            return Speaker.unknown(tok.text)
        return self.speaker_of_token(antecedent, known)

    def speaker_before(self, cue: Token) -> Speaker | None:
        """No parsed subject (a misparse): the names right before the cue in its sentence."""
        k = self._sentence_index(cue.idx)
        first = self.sent_starts[k] if k >= 0 else 0
        names = [m for m in _mentions_in(self.mentions, self.starts, first, cue.idx) if m.kind == "person" and not self._in_quote(m.start)]
        if not names:
            return None
        last = names[-1]
        co = []
        for m in reversed(names[:-1]):
            if self.text[m.end : last.start].strip(" ,") in ("and", "&"):
                co.append((m.start, m.end))
        if co:  # "Scholz and Ursula von der Leyen wrote": the first named is the referent
            first_named = co[-1]
            others = tuple(c for c in co[:-1]) + ((last.start, last.end),)
            return Speaker("name", first_named[0], last.end, self.text[first_named[0] : last.end], first_named, co_referents=others)
        return Speaker("name", last.start, last.end, last.text, (last.start, last.end))

    def inverted_subject(self, cue: Token) -> Token | None:
        """The speaker named right after its verb: "Said Ellis: …", "“…,” said the senator".

        Only for a cue with no subject of its own that opens its sentence or follows a comma or a
        closing quote, and only for the noun phrase that starts right after it and that the parse
        hangs on the cue (or hangs the cue on, as "Said" made a compound of "Ellis"): "…, said the
        plan would fail" has "the plan" as the subject of its own clause, not of "said".
        """
        if any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in cue.children) or cue.i + 1 >= len(cue.doc):
            return None
        if cue.tag_ not in ("VBD", "VBZ", "VBP") or cue.lemma_.lower() not in _INVERTING:
            return None  # "…, citing the release": a participle's object; "…, alleged Dread Pirate Roberts": no inversion
        before = cue.doc[cue.i - 1] if cue.i > cue.sent.start else None
        if before is not None and not (before.text == "," or before.is_quote and before.is_right_punct or before.is_quote and before.text in "\"'"):
            return None
        nxt = cue.doc[cue.i + 1]
        if nxt.pos_ not in ("PROPN", "NOUN", "DET", "ADJ"):
            return None
        head = nxt
        while head.head.i != head.i and head.head.i > cue.i and head.dep_ in ("compound", "det", "amod", "flat", "poss", "nmod"):
            head = head.head
        speaking = SOURCE_HEADS | PERSON_NOUNS | self.lexicon.collective_heads | self.lexicon.role_heads
        if not (head.pos_ == "PROPN" or head.ent_type_ in ("PERSON", "ORG") or head.lemma_.lower() in speaking):
            return None
        after = head.doc[head.i + 1] if head.i + 1 < len(head.doc) else None
        if after is not None and not (after.is_punct or after.is_space):
            return None  # the phrase is the whole subject: "said Ellis:", "said the senator, …", not "said Ellis would …"
        if head.head.i == cue.i and head.dep_ in ("nsubj", "dobj", "attr", "npadvmod", "dep", "appos", "oprd"):
            return head
        if cue.head.i == head.i and cue.dep_ in ("compound", "amod", "nmod"):
            return head
        return None

    def _subject(self, cue: Token) -> Token | None:
        tok: Token | None = cue
        via_conj = False
        for _ in range(5):
            if tok is None:
                return None
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "csubj")), None)
            if subj is not None and (not via_conj or self._can_speak(subj)):
                return subj
            via_conj = via_conj or tok.dep_ == "conj"
            if tok.dep_ in ("ROOT",) or tok.head is tok:
                return None
            if tok.dep_ in ("relcl",) and tok.head.pos_ in ("NOUN", "PROPN"):
                return None
            tok = tok.head
        return None

    def _can_speak(self, tok: Token) -> bool:
        """A subject that can be a speaker: anything but an event noun of the event lexicon.

        The subject of a first conjunct is the conjunct cue's only when it can speak: "the retreat
        might take place and admitted that …" (a misparse of "they refused … and admitted") is
        not said by the retreat, and the search goes on up the sentence; "Scott's family called on
        … and called on …" is the family's twice. A record ("the report found … and added") speaks.
        """
        lemma = tok.lemma_.lower()
        if tok.pos_ != "NOUN" or lemma in self.lexicon.record_heads | RECORD_HEADS | self.lexicon.collective_heads:
            return True
        return lemma not in load_event_lexicon().noun_class

    def _token_at(self, offset: int) -> Token | None:
        span = self.doc.char_span(offset, offset + 1, alignment_mode="expand")
        return span[0] if span is not None and len(span) else None

    def _conjoined_names(self, tok: Token) -> list[EntityMention]:
        names = []
        for c in tok.conjuncts:
            if c.i <= tok.i:
                continue
            m = next((m for m in _mentions_in(self.mentions, self.starts, c.left_edge.idx, c.idx + len(c.text))
                      if m.kind == "person" and m.start <= c.idx < m.end), None)
            if m is not None:
                names.append(m)
        return names

    def _is_person(self, offset: int) -> bool:
        return any(m.start == offset and m.kind == "person" for m in self.mentions)

    def _in_quote(self, offset: int) -> bool:
        return any(q.open <= offset < (q.close if q.close is not None else q.end) for q in self.quotes)

    def _sentence_index(self, offset: int) -> int:
        return bisect.bisect_right(self.sent_starts, offset) - 1

    def _pronoun(self, tok: Token, known: Sequence[Claim]) -> Speaker:
        """Subjects before objects, recent before distant (centering's preference), quotes excluded."""
        lower = tok.lower_
        here = tok.idx
        span = (tok.idx, tok.idx + len(tok.text))
        first = self.sent_starts[max(0, self._sentence_index(here) - _WINDOW_SENTENCES)] if self.sent_starts else 0
        if lower in _SINGULAR_PERSONAL or lower == "i":
            candidates: list[tuple[int, bool, tuple[int, int]]] = []
            for m in _mentions_in(self.mentions, self.starts, first, here):
                if m.kind == "person" and not self._in_quote(m.start):
                    t = self._token_at(m.end - 1)
                    subject = t is not None and (t.dep_ in ("nsubj", "nsubjpass") or t.head.dep_ in ("nsubj", "nsubjpass") and t.dep_ == "appos")
                    candidates.append((m.start, subject, (m.start, m.end)))
            for c in known:  # an earlier pronoun speaker stands for its referent
                if c.referent_start is not None and c.speaker_start is not None and first <= c.speaker_start < here and self._is_person(c.referent_start):
                    candidates.append((c.speaker_start, True, (c.referent_start, c.referent_end)))  # type: ignore[arg-type]
            for t in self.doc.char_span(first, here, alignment_mode="contract") or []:
                name = self._untagged_name(t)
                if name is not None and not self._in_quote(name[0]):
                    candidates.append((name[0], True, name))
            if candidates:
                subjects = [c for c in candidates if c[1]]
                best = max(subjects or candidates, key=lambda c: c[0])
                return Speaker("pronoun", *span, tok.text, best[2])
            earlier = self._earlier_person_speaker(here, known)
            if earlier is not None:
                return Speaker("pronoun", *span, tok.text, earlier)
            return Speaker.unknown(tok.text, *span)
        if lower in _PLURAL:
            groups = [c for c in known if c.group and first <= (c.speaker_start or c.start) < here and not self._one_unnamed(c)]
            if groups:
                return Speaker("pronoun", *span, tok.text, group=max(groups, key=lambda c: c.speaker_start or c.start).group)
            return Speaker.unknown(tok.text, *span)
        # "it": the nearest organisation or body
        options: list[tuple[int, Speaker]] = []
        for m in _mentions_in(self.mentions, self.starts, first, here):
            head = self._token_at(m.end - 1)
            if m.kind == "organization" and not self._in_quote(m.start) and (head is None or head.dep_ != "poss"):
                options.append((m.start, Speaker("pronoun", *span, tok.text, (m.start, m.end))))
        for lemma, start, chunk in self.chunks:
            if first <= start < here and lemma in self.lexicon.collective_heads and chunk.root.tag_ in ("NN", "NNP") and not self._in_quote(start):
                options.append((start, Speaker("pronoun", *span, tok.text, group=self._group_label(chunk.root))))
        if options:
            return max(options, key=lambda o: o[0])[1]
        return Speaker.unknown(tok.text, *span)

    def _earlier_person_speaker(self, here: int, known: Sequence[Claim]) -> tuple[int, int] | None:
        """No person in the window: the article's latest earlier named speaker, however far back.

        A long quote or a paragraph of background can put the name more than a window away
        ("Lynch said …" five sentences before "she said"); the last person the article quoted is
        then who "she" is, or the last named subject it mentioned. A named speaker NER did not call a
        person (an organisation or untagged name) counts only from the same sentence ("DuVernay said
        she felt … she said").
        """
        sentence = self.sent_starts[self._sentence_index(here)] if self.sent_starts else 0
        for c in reversed(known):
            if c.referent_start is None or c.speaker_start is None or c.speaker_start >= here or c.speaker_kind not in ("name", "pronoun", "role"):
                continue
            if self._is_person(c.referent_start) or c.speaker_start >= sentence and self._is_named_subject(c):
                return (c.referent_start, c.referent_end)  # type: ignore[return-value]
        for m in reversed(_mentions_in(self.mentions, self.starts, 0, here)):
            t = self._token_at(m.end - 1)
            if m.kind == "person" and not self._in_quote(m.start) and t is not None and t.dep_ in ("nsubj", "nsubjpass"):
                return (m.start, m.end)
        return None

    def _is_named_subject(self, claim: Claim) -> bool:
        """The claim's speaker is a name that is no place or organisation mention ("DuVernay" tagged as nothing)."""
        for m in _mentions_in(self.mentions, self.starts, claim.referent_start or 0, claim.referent_end or 0):
            if m.kind in ("place", "organization"):
                return False
        return claim.speaker_kind == "name"

    def _named_elsewhere(self, tok: Token) -> EntityMention | None:
        """A one-word proper noun NER left untagged here, which the article names elsewhere: that mention.

        "Tester said" after "Sens. Jon Tester (D-Mont.)": the surname of a person the article names
        is that person (the nearest such mention before, else the first after), and a word NER tags
        as a person or organisation elsewhere in the article ("Lynch" … "Lynch said") is that name.
        The word must be capitalised as a name, not only because it opens a sentence: it is not
        sentence-initial, or the article also writes it capitalised inside a sentence, and never in
        lower case ("Judge rejects …" is no surname of Judge Smith).
        """
        word = tok.text
        if tok.pos_ != "PROPN" or tok.ent_type_ in ("GPE", "LOC", "NORP", "FAC") or not (word.istitle() or word.isupper() and len(word) > 1):
            return None
        if any(c.dep_ in ("compound", "flat") and c.pos_ == "PROPN" for c in tok.children) or not word.isalpha():
            return None
        if re.search(rf"(?<![\w.]){re.escape(word.lower())}(?!\w)", self.text) is not None:
            return None
        if self._sentence_initial(tok) and not re.search(rf"[\w,;:] +{re.escape(word)}(?!\w)", self.text):
            return None
        surname = [m for m in self.mentions if m.kind == "person" and " " in m.text.strip() and m.text.split()[-1] == word]
        same = [m for m in self.mentions if m.kind in ("person", "organization") and m.text == word]
        for found in (surname, same):
            before = [m for m in found if m.end <= tok.idx and not self._in_quote(m.start)]
            if before:
                return before[-1]
            after = [m for m in found if m.start > tok.idx and not self._in_quote(m.start)]
            if after:
                return after[0]
        return None

    @staticmethod
    def _sentence_initial(tok: Token) -> bool:
        """The token opens its sentence, after any opening punctuation ("“Tester said …")."""
        i = tok.i - 1
        while i >= tok.sent.start and tok.doc[i].is_punct:
            i -= 1
        return i < tok.sent.start

    def _untagged_name(self, tok: Token) -> tuple[int, int] | None:
        """A subject that is a two-word proper name NER missed ("Kyrylo Budanov" opening a paragraph).

        The referent is kept by offsets; corpus-wide name propagation later
        finds the same name there, which is how it reaches an entity.
        """
        if tok.pos_ != "PROPN" or tok.dep_ not in ("nsubj", "nsubjpass") or tok.ent_type_ in ("GPE", "LOC", "ORG", "NORP", "FAC"):
            return None
        parts = [c for c in tok.children if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN" and c.i < tok.i] + [tok]
        if len(parts) < 2 or not all(p.is_title for p in parts):
            return None
        start, end = parts[0].idx, tok.idx + len(tok.text)
        if any(m.start < end and start < m.end for m in _mentions_in(self.mentions, self.starts, start - 50, end + 50)):
            return None
        return (start, end)

    def _animate(self, tok: Token) -> bool:
        """Plural nouns that can speak: people-like heads, or anything modified by a nationality."""
        return tok.ent_type_ in ("NORP",) or any(c.ent_type_ == "NORP" for c in tok.children)

    def _group_label(self, tok: Token) -> str:
        """A collective's label: its words, or the fuller earlier phrase with the same head ("the officials")."""
        tokens = self._label_tokens(tok, posterior_amod=True)
        label = _render(tokens, tok)
        # "the military administration" after "the Russian military administration in occupied Cherson"
        for lemma, start, chunk in reversed(self.chunks):
            if start < tok.idx and lemma == tok.lemma_.lower() and chunk.root.i != tok.i:
                longer = _render(self._label_tokens(chunk.root), chunk.root)
                if len(longer) > len(label) and (longer.lower().endswith(label.lower()) or label.lower() in longer.lower().split(" in ")[0]):
                    return longer
        if len(tokens) <= 1:
            # "the officials": the nearest earlier phrase with the same head that says which officials
            for lemma, start, chunk in reversed(self.chunks):
                if start < tok.idx and lemma == tok.lemma_.lower() and chunk.root.i != tok.i:
                    longer = _render(self._label_tokens(chunk.root), chunk.root)
                    if " " in longer:
                        return longer
        return label

    def _label_tokens(self, tok: Token, posterior_amod: bool = False) -> list[Token]:
        """The head and the modifiers that say which body it is, without determiners and quantities."""
        tokens = [tok] + [t for c in tok.children if c.i < tok.i and c.dep_ in _LABEL_DEPS for t in c.subtree]
        for c in tok.children:
            if c.i > tok.i and c.dep_ in (("prep", "amod") if posterior_amod else ("prep",)) and self._names_the_body(c):
                tokens.extend(c.subtree)
        tokens = _trim_det(sorted(set(tokens), key=lambda t: t.i))
        # "Two sources", "Several witnesses": how many is not who; "the three governments" (just named) keeps its count
        definite = any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in tok.children)
        while not definite and len(tokens) > 1 and (tokens[0].lower_ in _QUANTITY_WORDS or tokens[0].tag_ == "CD"):
            tokens = _trim_det(tokens[1:])
        return tokens or [tok]

    def _names_the_body(self, modifier: Token) -> bool:
        """A modifier that says which body: "of Ukraine", "in Kherson", or a proper "of Defence"/"of Foreign Affairs"."""
        sub = list(modifier.subtree)
        if len(sub) > 10:
            return False
        a, b = sub[0].idx, sub[-1].idx + len(sub[-1].text)
        if any(m.kind in ("organization", "place") for m in _mentions_in(self.mentions, self.starts, a, b)):
            return True
        return modifier.lower_ == "of" and len(sub) > 1 and all(t.tag_ in ("NNP", "NNPS", "CC") for t in sub[1:])

    def _role_match(self, tok: Token) -> tuple[int, int] | None:
        """The one person whose stated role this description names (same head, a shared content word)."""
        head = _SAME_ROLE.get(tok.lemma_.lower(), tok.lemma_.lower())
        words = {t.lemma_.lower() for t in tok.subtree if t.pos_ in ("NOUN", "PROPN", "ADJ") and t.i != tok.i}
        candidates = {}
        for r in self.roles:
            if r.role_head != head:
                continue
            role_doc = self.doc.char_span(r.role_start, r.role_end, alignment_mode="expand")
            role_words = {t.lemma_.lower() for t in role_doc or [] if t.pos_ in ("NOUN", "PROPN", "ADJ")}
            if not words or words & role_words:
                candidates[(r.person_start, r.person_end)] = r
        people = self._dedupe_people(list(candidates))
        return people[0] if len(people) == 1 else None

    def _dedupe_people(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        texts: dict[str, tuple[int, int]] = {}
        for s, e in spans:
            texts.setdefault(self.text[s:e], (s, e))
        return list(texts.values())
