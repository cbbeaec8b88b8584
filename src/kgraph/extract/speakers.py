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
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from kgraph.extract.entities import EntityMention
from kgraph.extract.quotes import QuoteSpan
from kgraph.extract.text import doc_noun_chunks, doc_text
from kgraph.lexicons import ReportingLexicon

if TYPE_CHECKING:
    from kgraph.extract.attribution import Claim

__all__ = ["RoleStatement", "Speaker", "SpeakerResolver", "find_roles"]

_SINGULAR_PERSONAL = frozenset({"he", "she", "him", "her", "his"})
_PLURAL = frozenset({"they", "them", "we", "their"})
_NEUTER = frozenset({"it", "its"})
_INDEFINITE = frozenset({"some", "others", "many", "several", "few", "someone", "somebody", "one", "all", "most"})
_SAME_ROLE = {"chief": "head", "leader": "head", "head": "head"}
_WINDOW_SENTENCES = 4  # how far back a pronoun looks for its antecedent
_LABEL_DEPS = frozenset({"amod", "compound", "poss", "nmod", "nummod", "npadvmod", "case"})


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
        persons = [
            m for m in in_span
            if m.kind == "person" and self._token_at(m.start) is not None
            and self._token_at(m.start).i not in poss | clauses  # type: ignore[union-attr]
        ]
        if persons:
            m = persons[-1]
            return Speaker("name", start, text_end, self.text[start:text_end], (m.start, m.end), co_referents=co)
        untagged = self._untagged_name(tok)
        if head_mention is None and untagged is not None:
            return Speaker("name", start, text_end, self.text[start:text_end], untagged, co_referents=co)
        if head_mention is not None and head_mention.kind == "place":
            # "Moscow claims …", "Kyiv considers …": the government, never the place itself
            return Speaker("group", start, text_end, self.text[start:text_end], group=f"{head_mention.text} (government)")
        lemma = tok.lemma_.lower()
        plural = tok.tag_ in ("NNS", "NNPS")
        if lemma in self.lexicon.role_heads and not plural:
            role = self._role_match(tok)
            return Speaker("role", start, text_end, self.text[start:text_end], referent=role)
        if lemma in self.lexicon.collective_heads or plural:
            if lemma not in self.lexicon.collective_heads and not self._animate(tok):
                return Speaker("thing", start, text_end, self.text[start:text_end])
            return Speaker("group", start, text_end, self.text[start:text_end], group=self._group_label(tok))
        return Speaker("thing", start, text_end, self.text[start:text_end])

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

    def _subject(self, cue: Token) -> Token | None:
        tok: Token | None = cue
        for _ in range(5):
            if tok is None:
                return None
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "csubj")), None)
            if subj is not None:
                return subj
            if tok.dep_ in ("ROOT",) or tok.head is tok:
                return None
            if tok.dep_ in ("relcl",) and tok.head.pos_ in ("NOUN", "PROPN"):
                return None
            tok = tok.head
        return None

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
            return Speaker.unknown(tok.text, *span)
        if lower in _PLURAL:
            groups = [c for c in known if c.group and first <= (c.speaker_start or c.start) < here]
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
        tokens = [tok]
        for c in tok.children:
            if c.i < tok.i and c.dep_ in _LABEL_DEPS:
                tokens.extend(c.subtree)
            elif c.i > tok.i and c.dep_ in ("prep", "amod") and self._names_the_body(c):
                tokens.extend(c.subtree)
        tokens = _trim_det(sorted(set(tokens), key=lambda t: t.i))
        label = self.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)] if tokens else tok.text
        # "the military administration" after "the Russian military administration in occupied Cherson"
        for lemma, start, chunk in reversed(self.chunks):
            if start < tok.idx and lemma == tok.lemma_.lower() and chunk.root.i != tok.i:
                longer = self._group_label_plain(chunk.root)
                if len(longer) > len(label) and (longer.lower().endswith(label.lower()) or label.lower() in longer.lower().split(" in ")[0]):
                    return longer
        modified = len(tokens) > 1
        if not modified:
            # "the officials": the nearest earlier phrase with the same head that says which officials
            for lemma, start, chunk in reversed(self.chunks):
                if start < tok.idx and lemma == tok.lemma_.lower() and chunk.root.i != tok.i:
                    label = self._group_label_plain(chunk.root)
                    if " " in label:
                        return label
            return tok.text.lower() if tok.tag_ in ("NN", "NNS") else tok.text
        return label

    def _names_the_body(self, modifier: Token) -> bool:
        """A modifier that says which body: "of Ukraine", "in Kherson", or a proper "of Defence"/"of Foreign Affairs"."""
        sub = list(modifier.subtree)
        if len(sub) > 10:
            return False
        a, b = sub[0].idx, sub[-1].idx + len(sub[-1].text)
        if any(m.kind in ("organization", "place") for m in _mentions_in(self.mentions, self.starts, a, b)):
            return True
        return modifier.lower_ == "of" and len(sub) > 1 and all(t.tag_ in ("NNP", "NNPS", "CC") for t in sub[1:])

    def _group_label_plain(self, tok: Token) -> str:
        tokens = [tok] + [t for c in tok.children if c.i < tok.i and c.dep_ in _LABEL_DEPS for t in c.subtree]
        for c in tok.children:
            if c.i > tok.i and c.dep_ == "prep" and self._names_the_body(c):
                tokens.extend(c.subtree)
        tokens = _trim_det(sorted(set(tokens), key=lambda t: t.i))
        return self.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)] if tokens else tok.text

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
