"""Who said what: direct quotes and reported claims, each tied to its speaker.

Pure ``Doc -> findings``. Three passes over one parsed article:

1. quotes (:mod:`kgraph.extract.quotes`) are found in the raw text; a quote
   that is a clause (it has a finite verb) is a direct quote, anything shorter
   is a scare quote and stays part of the sentence around it;
2. every reporting verb of the SKOS lexicon (``ontology/attribution-lexicon.ttl``)
   is a cue: a cue whose complement is a direct quote attributes that quote,
   any other cue yields a reported claim whose content is its complement
   (``X said that …``, ``…, X said``, ``X denied …``, ``according to X, …``,
   ``X called for …``, ``the poll shows …``); a cue inside another claim's
   content is part of that claim unless it reports someone else's statement
   (a finite verb of saying with a clause: "officials said Russia claims that …");
   a quote with no cue of its own, or sharing the previous quote's cue, continues
   that quote (``Claim.continues``) and its speaker;
3. speakers are resolved (:mod:`kgraph.extract.speakers`): names to the named
   mention, pronouns and role descriptions to the person the article names,
   collective and unnamed sources to a group label. An agentless passive
   ("These accusations have been rejected") keeps an unknown speaker rather
   than a guess.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from kgraph.extract.entities import EntityMention
from kgraph.extract.quotes import QuoteSpan, find_quotes
from kgraph.extract.speakers import RoleStatement, Speaker, SpeakerResolver, find_roles
from kgraph.extract.text import doc_candidates, doc_text
from kgraph.lexicons import ReportingLexicon

__all__ = ["Citation", "Claim", "RoleStatement", "attribute_claims", "content_chars", "cue_of"]

# A cue verb governed by one of these is not an attribution ("refused to say when …").
_NON_ASSERTING_HEADS = frozenset({"refuse", "decline", "fail", "ask", "want"})
# Two cue classes that, joined by "or"/"nor", take no side ("declined to confirm or deny")
_OPPOSITE_CUES = frozenset({"confirm", "deny"})
# Cognition cues (the lexicon's class "believe") count only with a clausal or predicative complement
# ("sees X as Y", "thinks that …"); "believes in X" is no claim.
_CONTENT_DEPS = ("ccomp", "xcomp", "dobj", "oprd", "attr", "acomp")
# Cue classes a thing does without speaking ("the evacuation orders suggested …", "the data indicate …").
_EVIDENCE_CLASSES = frozenset({"hint", "believe", "evidence"})
# Cue classes that report words (not a stance, a wish or a finding): the only ones kept inside another claim.
_SAYING_CLASSES = frozenset({"assert", "deny", "confirm", "accuse", "warn", "predict", "estimate", "hint", "question"})
# Verbs whose object is whom it was said to ("told reporters"), so an object alone is no content.
_ADDRESSEE_VERBS = frozenset({"tell", "inform", "brief", "assure", "remind", "notify"})
# Cue classes whose content must be a clause: "plans to leave", "hopes that …"; "seek information" is no claim.
_CLAUSE_CLASSES = frozenset({"intend"})
# Entity labels of a proper noun that is no speaker even untagged by kgraph ("Tuesday said" is a misparse).
_NO_SPEAKER_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


@dataclass(frozen=True, slots=True)
class Claim:
    """A direct quote or a reported claim, every part located by article offsets.

    ``speaker_*`` is the expression in the sentence ("he", "Budanov", "the head
    of the secret service", "Western officials"); ``referent_*`` the named
    mention of the article it resolves to (None when it names nobody: a group,
    or an agentless passive). ``group`` is the normalised label of a collective
    or unnamed source ("Western officials"). ``co_referents`` are further named
    speakers of a joint statement ("Scholz and von der Leyen wrote").
    ``cue_class`` is the lexicon's top concept of the cue ("assert", "deny", …);
    ``cue_negated`` says the cue itself is negated ("does not expect").
    ``continues`` is the content span of the quote this one goes on from: one quotation
    interrupted by its cue frame ("“A,” she said. “B.”") or resumed in the next paragraph.
    Each quoted segment stays a claim of its own (its text exact offsets, one content span);
    a reader, or a scorer that counts quotations, joins a chain of ``continues``.
    """

    start: int
    end: int
    text: str
    direct: bool
    sent_start: int
    sent_end: int
    cue_start: int | None = None
    cue_end: int | None = None
    cue_lemma: str | None = None
    cue_class: str | None = None
    cue_negated: bool = False
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_text: str | None = None
    speaker_kind: str = "unknown"  # name | pronoun | role | group | unknown
    referent_start: int | None = None
    referent_end: int | None = None
    group: str | None = None
    co_referents: tuple[tuple[int, int], ...] = ()
    continues: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Citation:
    """An article saying where its information came from.

    ``kind`` is one of outlet, interview, statement, channel, social-media.
    ``outlet_*`` locates the named outlet or platform when there is one;
    ``speaker_*`` the named mention of the person whose interview or statement
    it is (``speaker_group`` when a body made it).
    """

    start: int
    end: int
    text: str
    kind: str
    label: str
    sent_start: int
    sent_end: int
    outlet_start: int | None = None
    outlet_end: int | None = None
    outlet_text: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_group: str | None = None


def cue_of(token: Token, lexicon: ReportingLexicon) -> str | None:
    """The cue class of ``token`` if it is a reporting verb in this use, else None."""
    if token.pos_ != "VERB":
        return None
    lemma = token.lemma_.lower()
    for child in token.children:  # multi-word cues: "point out", "put the figure", "call for"
        if child.dep_ in ("prt", "dobj") or _topic_preposition(child) and not _object_before(token, child):
            cls = lexicon.cue(f"{lemma} {child.lower_}") or lexicon.cue(f"{lemma} the {child.lemma_.lower()}")
            if cls:
                return cls
    cls = lexicon.cue(lemma)
    if cls is None or any(c.dep_ == "prt" for c in token.children):
        return None  # a particle makes another verb: "back up", "call off", "show up" (listed ones matched above)
    if token.tag_ == "VBN" and token.dep_ not in ("ROOT", "conj", "ccomp") and not any(
        c.dep_ in ("agent", "nsubj", "nsubjpass", "aux", "auxpass") for c in token.children
    ):
        return None  # "now thought to be responsible", "statements posted to Telegram"
    if lemma == "call" and not any(c.dep_ in ("oprd", "xcomp", "ccomp") for c in token.children):
        return None  # "call for a new Marshall Plan" is not an accusation
    if lemma in ("see", "view", "regard") and not (
        any(c.dep_ == "ccomp" for c in token.children)
        or any(c.dep_ == "prep" and c.lower_ == "as" for c in token.children)
    ):
        return None  # "have not seen any sign" is perception, "sees X as Y" is a view
    if lemma in ("post", "report", "brief", "address") and token.tag_ == "VBN" and token.dep_ in ("acl", "amod"):
        return None  # "statements posted to Telegram"
    return cls


# Prepositions that only place a verb in time or circumstance, never carry what was said ("has not
# mentioned Machado since the debate"). "in", "at", "after" are left alone: the parse hangs the noun's
# own phrases on the verb too ("her work after the attacks", "put the figure at $498 billion").
_ADJUNCT_PREPOSITIONS = frozenset({"since", "during", "until", "till", "throughout", "despite", "amid", "amidst"})


def _topic_preposition(token: Token) -> bool:
    """A preposition that can carry a cue's content: not one of time ("called on Monday")."""
    return token.dep_ == "prep" and not any(c.ent_type_ in ("DATE", "TIME") for c in token.children)


def _argument_preposition(token: Token) -> bool:
    """A preposition of the cue's own phrase ("mocked Romney for …", "likened RT to …"), not an adjunct of time or place."""
    return _topic_preposition(token) and token.lower_ not in _ADJUNCT_PREPOSITIONS


def _object_before(verb: Token, prep: Token) -> bool:
    """A direct object stands between the verb and its preposition: "appealed the case to …" is no "appeal to"."""
    return any(c.dep_ == "dobj" and verb.i < c.i < prep.i for c in verb.children)


def cue_preposition(token: Token, lexicon: ReportingLexicon) -> Token | None:
    """The preposition of a cue that takes its content through one ("called for …", "complained about …")."""
    lemma = token.lemma_.lower()
    return next((c for c in token.children if _topic_preposition(c) and c.i > token.i and not _object_before(token, c)
                 and lexicon.cue(f"{lemma} {c.lower_}")), None)


def content_chars(text: str, tokens: Sequence[Token]) -> tuple[int, int] | None:
    """The character span covering ``tokens``, without a leading "that" or edge punctuation."""
    toks = sorted(tokens, key=lambda t: t.i)
    while toks and (toks[0].dep_ == "mark" and toks[0].lower_ in ("that", "whether", "if") or toks[0].is_punct or toks[0].is_space):
        toks = toks[1:]
    while toks and (toks[-1].is_punct and toks[-1].text not in "”’\"'»" or toks[-1].is_space or toks[-1].dep_ == "cc"):
        toks = toks[:-1]
    if not toks:
        return None
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    while end > start and text[end - 1] in ",;:—– \n":
        end -= 1
    return (start, end) if end > start else None


# What follows a cue inside its own verb phrase: "mocked Romney for not releasing his returns",
# "likened RT to the BBC", "called on Trump to stop …". Clauses of their own (advcl "saying …",
# conj, parataxis) and punctuation are not part of what was said.
_PHRASE_DEPS = frozenset({"dobj", "xcomp", "oprd", "attr", "acomp", "prep", "dative"})


def _parenthesised(token: Token) -> bool:
    """ "officials said (file image, …)": a caption's credit, not what was said."""
    first = token.left_edge
    return first.i > 0 and (first.text == "(" or token.doc[first.i - 1].text == "(")


def _without_clauses(token: Token) -> list[Token]:
    """A phrase without the writer's comments on it: a relative clause after a comma ("decisions,
    which observers interpret …"), anything after a dash ("dismissed Estonia as the 'suburbs of St.
    Petersburg' — a metaphor for …"). An apposition after a comma names (", Muhammad Ali") and stays."""
    doc = token.doc
    dashes = ("—", "–", "--", "-")
    drop = {
        t.i
        for d in token.subtree
        if d.i != token.i and d.left_edge.i > 0
        and (d.dep_ == "relcl" and doc[d.left_edge.i - 1].text in (",", *dashes) or doc[d.left_edge.i - 1].text in dashes)
        for t in d.subtree
    }
    return [t for t in _without_sources(token) if t.i not in drop]


def _without_sources(token: Token) -> list[Token]:
    """A subtree without its "according to X" phrases: a source is the frame of its own claim, never content.

    ("Clinton plans to visit Charlotte on Sunday, according to a campaign aide": the plan is
    the aide's claim; "plans" does not report "according to a campaign aide" as well.)
    """
    drop = {
        t.i
        for d in token.subtree
        if d.lower_ == "according" and d.i != token.i and any(c.lower_ == "to" for c in d.children)
        for t in d.subtree
    }
    return [t for t in token.subtree if t.i not in drop]


def _framed_clause(cue: Token) -> Token:
    """The clause a parenthetical cue frames: its head, or the main clause when the head is a subordinate
    clause before the cue and the main clause follows it ("Though the transition was seamless, he said,
    replacing Clinton would be harder": both parts are what he said)."""
    head = cue.head
    while head.dep_ == "advcl" and head.i < cue.i < head.head.i:
        head = head.head
    return head


def _frame_tokens(cue: Token) -> set[int]:
    """The cue's own words in a parenthetical frame: its subtree, less a clause before it that the parse
    hung on it ("Though the transition was seamless, he said, …": the Though-clause is what he said)."""
    content = {t.i for c in cue.children if c.dep_ == "advcl" and c.i < cue.i for t in c.subtree}
    return {t.i for t in cue.subtree} - content


def _main_clause(token: Token) -> bool:
    """The verb heads its sentence, or is a conjunct of the verb that does ("was denied and rejected")."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token.dep_ == "ROOT"


def _same_speaker(a: Claim, b: Claim) -> bool:
    """Both claims resolve to one named mention or one group ("Clinton said she thinks …")."""
    if a.group is not None and a.group == b.group:
        return True
    return a.referent_start is not None and (a.referent_start, a.referent_end) == (b.referent_start, b.referent_end)


def _outermost(claims: Sequence[Claim], reports_words: Callable[[Claim], bool]) -> list[Claim]:
    """Claims without those nested in another claim's content that add no one's words.

    A cue inside what someone else is reported to have said is part of that report: "Palmieri
    called on Trump to stop attacking Machado" is Palmieri's claim, not Trump's attack; "Clinton
    said she thinks …" is one claim of Clinton's, not two. Only a verb of saying with a speaker
    of its own that reports a clause survives there ("Western officials said Russia claims
    that …"): it reports a claim. ``reports_words`` says whether a claim's cue does that.
    """
    out = []
    for c in claims:
        cue = c.cue_start
        outer = [] if c.direct or cue is None else [
            d for d in claims
            if d is not c and d.start <= cue < d.end and not (d.cue_start is not None and c.start <= d.cue_start < c.end)
        ]
        if outer and (c.cue_class not in _SAYING_CLASSES or c.speaker_kind == "pronoun"
                      or any(_same_speaker(c, d) for d in outer) or not reports_words(c)):
            continue  # ("Police said they have no plans": a pronoun inside a report is its speaker's own words)
        out.append(c)
    return out


_MODALS = frozenset({"will", "would", "could", "can", "may", "might", "should", "must", "shall", "'ll", "’ll", "'d", "’d", "wo", "ca"})


def _reports_a_statement(cue: Token) -> bool:
    """The cue reports that someone stated a proposition: a finite, non-modal verb with a clause as its content.

    Inside someone else's claim, anything less is part of what that speaker said: a modal or
    future act ("the candidate will announce plans"), a verb with a noun phrase object
    ("invoked his rights", "discussed her history", "claimed a loss of $916 million"), a
    participle or infinitive ("accusing Machado of …", "to determine whether …").
    """
    if cue.pos_ != "VERB":
        return cue.lower_ == "according"
    auxes = [c for c in cue.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in _MODALS for a in auxes):
        return False
    if cue.tag_ not in ("VBD", "VBZ", "VBP") and not any(a.tag_ in ("VBD", "VBZ", "VBP") for a in auxes):
        return False
    return any(c.dep_ == "ccomp" for c in cue.children) or cue.dep_ == "parataxis"


# "PENCE: Well, …", "Pat Caddell: Democrat voters …": one to three capitalised words and a colon.
_SPEAKER_LABEL = re.compile(r"\s*(?P<label>[A-Z][\w.'’-]*[a-zA-Z](?: [A-Z][\w.'’-]*[a-zA-Z]){0,2}):[ \t]+(?=\S)")
# "“…” ― Pamela Padilla": a dash and one to four capitalised words closing the line.
_SIGNATURE = re.compile(r"[\s\u00a0]*[―—–-]+[\s\u00a0]*(?P<name>[A-Z][\w.'’-]*(?:[ \u00a0][A-Z][\w.'’-]*){0,3})[\s\u00a0,.]*$")
_PARAGRAPH = re.compile(r"[^\n]+")


class _Attributor:
    """One article's attribution state: its quotes, cues, and the claims found so far."""

    def __init__(self, doc: Doc, mentions: Sequence[EntityMention], sentences: Sequence[tuple[int, int]], lexicon: ReportingLexicon) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.lexicon = lexicon
        self.mentions = list(mentions)
        self.sentences = list(sentences)
        self.sent_starts = [s for s, _ in self.sentences]
        quotes = find_quotes(self.text)
        self.quotes = [q for q in quotes if self._is_clause(q)]
        self.fragments = [q for q in quotes if q not in self.quotes]
        self.roles = find_roles(doc, mentions, lexicon)
        self.speakers = SpeakerResolver(doc, mentions, sentences, lexicon, self.roles, quotes)

    # --- helpers -------------------------------------------------------------

    def _sentence(self, offset: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.sent_starts, offset) - 1
        return self.sentences[k] if k >= 0 else (0, len(self.text))

    def _is_clause(self, q: QuoteSpan) -> bool:
        span = self.doc.char_span(q.start, q.end, alignment_mode="expand")
        if span is None:
            return False
        words = [t for t in span if not t.is_punct and not t.is_space]
        if len(words) < 3 or not any(t.tag_ in _FINITE_TAGS for t in words):
            return False
        # A quotation stands apart from the reporter's sentence: it opens a paragraph or sentence or
        # follows a colon or comma. A quote fused into the syntax ("decided that Kherson ‘is not
        # worth defending’") is the reporter's sentence borrowing words: a scare quote.
        before = self.text[max(0, q.open - 40) : q.open].rstrip(" \t")
        return not before or before[-1] in ".!?:,;\n—–-(" or before.endswith(("said", "says", "added", "wrote"))

    def _in_quote(self, offset: int, quotes: Sequence[QuoteSpan]) -> QuoteSpan | None:
        for q in quotes:
            if q.open <= offset < (q.close if q.close is not None else q.end):
                return q
        return None

    def _reports_words(self, claim: Claim) -> bool:
        """Whether the claim's cue reports a statement (:func:`_reports_a_statement`)."""
        if claim.cue_start is None:
            return False
        span = self.doc.char_span(claim.cue_start, claim.cue_end or claim.cue_start + 1, alignment_mode="expand")
        return span is not None and len(span) > 0 and _reports_a_statement(span[0])

    def _cues_near(self, start: int, end: int) -> list[Token]:
        """Reporting verbs whose token starts in [start, end), outside every quote."""
        span = self.doc.char_span(start, end, alignment_mode="contract")
        if span is None:
            return []
        return [t for t in span if cue_of(t, self.lexicon) and self._in_quote(t.idx, self.quotes) is None]

    # --- direct quotes -------------------------------------------------------

    def run(self) -> list[Claim]:
        """Quotes and reported cues in text order, so every speaker is resolved against what precedes it."""
        cue_of_quote = {q: self._quote_cue(q) for q in self.quotes}
        used = {c.i for c in cue_of_quote.values() if c is not None}
        events: list[tuple[int, QuoteSpan | Token]] = [(q.start, q) for q in self.quotes]
        for token in doc_candidates(self.doc):  # cues are verbs and reporting nouns ("according" included)
            if token.i in used or self._in_quote(token.idx, self.quotes) is not None:
                continue
            if (cue_of(token, self.lexicon) or self._nominal_clause(token) is not None
                    or (token.lower_ == "according" and any(c.lower_ == "to" for c in token.children))):
                events.append((token.idx, token))
        events.sort(key=lambda e: e[0])
        claims: list[Claim] = []
        previous: Claim | None = None
        prev_close = -1
        for _, item in events:
            if isinstance(item, QuoteSpan):
                claim = self._direct(item, cue_of_quote[item], previous, prev_close, claims)
                if previous is not None and claim.cue_start is not None and claim.cue_start == previous.cue_start:
                    claim = replace(claim, continues=(previous.start, previous.end))  # one quotation, its cue between
                previous, prev_close = claim, (item.close if item.close is not None else item.end)
            elif item.lower_ == "according":
                claim = self._according_to(item, claims)
            elif item.pos_ == "NOUN":
                claim = self._nominal_claim(item, claims)
            else:
                claim = self._reported_claim(item, claims)
            if claim is not None:
                claims.append(claim)
        return _outermost(claims, self._reports_words)

    def _direct(self, q: QuoteSpan, cue: Token | None, previous: Claim | None, prev_close: int, known: list[Claim]) -> Claim:
        if cue is not None:
            return self._claim(q.start, q.end, True, cue, self.speakers.speaker_of_cue(cue, known))
        labelled = self._labelled_turn(q.start, q.end)
        if labelled is not None:
            return labelled
        signed = self._signature(q)
        if signed is not None:
            return self._claim(q.start, q.end, True, None, signed)
        if previous is not None and self._continues(prev_close, q, previous):
            s, e = self._sentence(q.start)
            return replace(previous, start=q.start, end=q.end, text=self.text[q.start : q.end], sent_start=s, sent_end=e,
                           continues=(previous.start, previous.end))
        return self._claim(q.start, q.end, True, None, Speaker.unknown())

    # --- speakers named outside the syntax: transcripts and signed quotes ----

    def _labelled_turn(self, start: int, end: int) -> Claim | None:
        """ "PENCE: Well, look, …": a transcript turn (or a headline "Pence: …") is its label's words.

        The label must name a person of the article (its last word is the last word of a
        person mention, case aside), so "Update:" or "WASHINGTON:" are no speakers.
        """
        m = _SPEAKER_LABEL.match(self.text, start, end)
        if m is None:
            return None
        person = self._person_called(m.group("label"))
        if person is None:
            return None
        content = (m.end(), end)
        while content[1] > content[0] and self.text[content[1] - 1].isspace():
            content = (content[0], content[1] - 1)
        if content[1] - content[0] < 2:
            return None
        speaker = Speaker("name", m.start("label"), m.end("label"), m.group("label"), (person.start, person.end))
        return self._claim(content[0], content[1], True, None, speaker)

    def _signature(self, q: QuoteSpan) -> Speaker | None:
        """ "“…” ― Pamela Padilla" (the rest of the line a dash and a name): the quote is signed."""
        if q.close is None:
            return None
        line_end = self.text.find("\n", q.close)
        m = _SIGNATURE.match(self.text, q.close + 1, line_end if line_end >= 0 else len(self.text))
        if m is None:
            return None
        a, b = m.span("name")
        tagged = next((x for x in self.mentions if x.start < b and a < x.end and x.kind == "person"), None)
        referent = (tagged.start, tagged.end) if tagged is not None else (a, b)
        return Speaker("name", a, b, self.text[a:b], referent)

    def labelled_paragraphs(self, claims: Sequence[Claim]) -> list[Claim]:
        """Unquoted transcript turns and "Name: claim" headlines, in paragraphs no claim covers yet."""
        out = []
        for m in _PARAGRAPH.finditer(self.text):
            a, b = m.span()
            if any(c.start < b and a < c.end for c in claims) or self._in_quote(a, self.quotes) is not None:
                continue
            turn = self._labelled_turn(a, b)
            if turn is not None:
                out.append(turn)
        return out

    def _person_called(self, label: str) -> EntityMention | None:
        """The person mention whose last word is the label's last word ("PENCE" -> "Mike Pence")."""
        last = label.split()[-1].lower()
        people = [m for m in self.mentions if m.kind == "person" and m.text.split()[-1].lower().strip(".,") == last]
        return max(people, key=lambda m: len(m.text)) if people else None

    def _quote_cue(self, q: QuoteSpan) -> Token | None:
        close = q.close if q.close is not None else q.end
        after_end = self._sentence(close)[1]
        if q.close is not None and self.text[q.start : q.end].rstrip()[-1:] in ("?", "!"):
            # "“… the platform is?” Graham asked.": the parser ends the sentence at the mark; the frame follows it
            following = len(self.text[close + 1 :]) - len(self.text[close + 1 :].lstrip(" \t"))
            after_end = max(after_end, self._sentence(close + 1 + following)[1])
        line_end = self.text.find("\n", close)
        # the frame after the quote: ", he said." / ", said the host, X." (stops at the next quote and line)
        nxt = next((o.open for o in self.quotes if o.open > q.open), len(self.text))
        limit = min(after_end, nxt, line_end if line_end >= 0 else len(self.text))
        after = [t for t in self._cues_near(close, limit) if self._tokens_between(close, t.idx) <= 30]
        if after and q.close is not None:
            return after[0]
        # the frame before: "Budanov said: “…”" / "“…,” he said, “…”"
        sent_start = self._sentence(q.open)[0]
        prev_close = max((o.close for o in self.quotes if o.close is not None and o.close < q.open), default=-1)
        before = [t for t in self._cues_near(max(sent_start, prev_close + 1), q.open)]
        if before:
            cue = before[-1]
            gap = self.text[cue.idx + len(cue.text) : q.open]
            if self._tokens_between(cue.idx, q.open) <= 16 and gap.rstrip()[-1:] in (":", ",", "") or self._governs(cue, q):
                return cue
        return self._colon_frame(q, prev_close)

    def _colon_frame(self, q: QuoteSpan, prev_close: int) -> Token | None:
        """ "Sanders made the following comment:" ending the paragraph before the quote: its last cue."""
        before = self.text[max(0, prev_close + 1) : q.open].rstrip()
        if not before.endswith(":") or "\n" not in self.text[len(before) + max(0, prev_close + 1) : q.open]:
            return None
        colon = max(0, prev_close + 1) + len(before) - 1
        span = self.doc.char_span(max(self._sentence(colon)[0], prev_close + 1), colon, alignment_mode="contract")
        cues = [t for t in span or [] if cue_of(t, self.lexicon) or t.pos_ == "NOUN" and self.lexicon.nominal(t.lemma_)]
        return cues[-1] if cues else None  # a verb ("reports:") or a noun ("made the following comment:")

    def _governs(self, cue: Token, q: QuoteSpan) -> bool:
        return any(q.start <= d.idx < q.end for c in cue.children if c.dep_ in _CONTENT_DEPS for d in c.subtree)

    def _tokens_between(self, a: int, b: int) -> int:
        span = self.doc.char_span(min(a, b), max(a, b), alignment_mode="expand")
        return len(span) if span is not None else 0

    def _continues(self, prev_close: int, q: QuoteSpan, previous: Claim) -> bool:
        """A cue-less quote continues the previous one when nothing but its cue frame lies between."""
        gap = self.text[prev_close + 1 : q.open]
        if previous.cue_start is not None and prev_close < previous.cue_start < q.open and "\n" not in gap.strip():
            return True
        if "\n\n" in gap or gap.count("\n") > 1:
            return gap.strip() == "" or len(gap.split()) <= 12
        return len(gap.split()) <= 25

    # --- reported claims -----------------------------------------------------

    def _either_way(self, cue: Token, cls: str) -> bool:
        """A cue paired with its opposite ("would neither confirm nor deny that …"): nothing is claimed."""
        first = cue.head if cue.dep_ == "conj" else cue
        if not any(c.dep_ == "cc" and c.lower_ in ("or", "nor") for c in first.children):
            return False  # "confirmed that … and contradicted the statement that …" takes both sides, each a claim
        partners = [first] if first is not cue else [c for c in cue.children if c.dep_ == "conj"]
        return any({cls, cue_of(p, self.lexicon)} == _OPPOSITE_CUES for p in partners)

    def _reported_claim(self, cue: Token, known: list[Claim]) -> Claim | None:
        cls = cue_of(cue, self.lexicon)
        top = cue.head if cue.dep_ == "conj" else cue  # "declined to confirm or deny": the first verb of the pair
        if cls is None or top.head.lemma_.lower() in _NON_ASSERTING_HEADS and top.dep_ == "xcomp" or self._either_way(cue, cls):
            return None
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in cue.children)
        agent = next((c for c in cue.children if c.dep_ == "agent"), None)
        if passive and agent is None:
            return self._agentless(cue, cls, known)
        content = self._content_of(cue, cls)
        if content is None:
            return None
        if any(q.start < content[1] and content[0] < q.end for q in self.quotes):
            return None  # its complement is a direct quote, which owns the cue
        if cue.lemma_.lower() == "report" and self._has_cue_inside(content, cue):
            return None  # "X announced this …, Agency reports": a citation, not a second claim
        if agent is not None:
            subject = next((c for c in agent.children if c.dep_ == "pobj"), None)
            speaker = self.speakers.speaker_of_token(subject, known) if subject is not None else Speaker.unknown()
        else:
            speaker = self.speakers.speaker_of_cue(cue, known)
        if speaker.kind == "thing":
            kept = self._thing_as_source(speaker, utterance=cls not in _EVIDENCE_CLASSES)
            if kept is None:
                return None  # "the evacuation orders suggested …": not a source
            speaker = kept
        if cls == "believe" and speaker.kind == "unknown":
            return None  # a belief with no believer is no one's claim
        return self._claim(content[0], content[1], False, cue, speaker, cls)

    def _has_cue_inside(self, content: tuple[int, int], cue: Token) -> bool:
        return any(content[0] <= t.idx < content[1] and t.i != cue.i and cue_of(t, self.lexicon) for t in self.doc)

    def _agentless(self, cue: Token, cls: str, known: list[Claim]) -> Claim | None:
        """ "These accusations have been rejected": kept, with no speaker guessed."""
        negated = any(c.dep_ == "neg" for c in cue.children)
        modal = any(c.dep_ == "aux" and c.tag_ == "MD" for c in cue.children)
        if negated or modal or cls not in ("deny", "assert", "confirm"):
            return None  # "could not be verified": the reporter's caveat, not a claim
        if not _main_clause(cue):
            return None  # "When terrorists are revealed as …, Obama calls them …": background, not the sentence's claim
        s, e = self._sentence(cue.idx)
        content = content_chars(self.text, [t for t in self.doc.char_span(s, e, alignment_mode="expand") or []])
        if content is None:
            return None
        return self._claim(content[0], content[1], False, cue, Speaker.unknown(), cls)

    def _content_of(self, cue: Token, cls: str) -> tuple[int, int] | None:
        children = list(cue.children)
        ccomp = [c for c in children if c.dep_ == "ccomp" and c.i > cue.i and not self._parenthetical(c)]
        if ccomp:
            return content_chars(self.text, _without_sources(ccomp[0]))
        prep = cue_preposition(cue, self.lexicon)
        if prep is not None:  # "called for reducing the rate", "complained about his mic": the object of the preposition
            objects = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
            if not objects:
                return None
            return content_chars(self.text, [t for o in objects + self._phrase_after(cue, skip=prep) for t in _without_clauses(o)])
        if cls == "evidence" and not self._record_subject(cue):
            return None  # "Trump showed his returns", "they found a way": no record speaks
        if cls in _CLAUSE_CLASSES and not any(c.dep_ == "xcomp" and c.i > cue.i for c in children):
            return None  # "seeking information": an aim is a clause ("wants to …")
        clause_only = cue.lemma_.lower() in self.lexicon.clause_only
        idiom = self._idiom_pronoun(cue)
        comps = [c for c in children if c.dep_ in _CONTENT_DEPS and c.dep_ != "ccomp" and c.i > cue.i and not _parenthesised(c) and c.i != idiom]
        as_phrases = [c for c in children if c.dep_ == "prep" and c.lower_ in ("as", "at") and c.i > cue.i]
        if comps:
            if clause_only and not any(c.dep_ == "xcomp" for c in comps):
                return None  # "added fuel to the tensions", "maintains a program": another verb, no report
            if cue.lemma_.lower() in _ADDRESSEE_VERBS and all(c.dep_ in ("dobj", "dative") for c in comps):
                return None  # "told The Huffington Post on Thursday": whom it was said to, not what
            phrase = self._phrase_after(cue)
            if [c.lower_ for c in phrase] in (["this"], ["that"], ["it"]) and len(list(phrase[0].subtree)) == 1:
                # "Budanov said this in an interview"; not "cited it as an example", whose content is the as-phrase
                return self._antecedent_sentence(cue)
            tokens = [t for c in phrase for t in _without_clauses(c)]
            if cls == "believe" and not as_phrases and not any(c.dep_ in ("xcomp", "oprd") for c in comps):
                return None  # "believes in X" / "thinks of X" / "knows Mr. Trump": no claim without a clause
            return content_chars(self.text, tokens)
        inner = [c for c in children if c.dep_ == "ccomp" and c.i < cue.i]
        if inner:  # "Russia is planning …, officials said"
            return content_chars(self.text, _without_sources(inner[0]))
        as_frame = cue.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in children)
        subordinate = any(c.dep_ == "mark" and c.lower_ in ("that", "whether", "if") for c in children)
        if cue.dep_ in ("parataxis", "advcl", "ccomp") and not subordinate and (cue.head.pos_ in ("VERB", "AUX") or as_frame) \
                and (cue.dep_ != "ccomp" or self._set_off(cue)):
            # ("Polls showed that few Americans thought …": the cue is inside its head's content, not around it)
            # "…, officials said"; "As the agency reported, …" is its main clause whatever the parse makes of that
            own = _frame_tokens(cue)
            return content_chars(self.text, [t for t in _framed_clause(cue).subtree if t.i not in own])
        reported = next((c for c in children if c.dep_ == "nsubjpass" and c.tag_ not in ("WDT", "WP")), None)
        if reported is not None and any(c.dep_ == "agent" for c in children):
            return content_chars(self.text, _without_clauses(reported))  # "the issue was first reported by The Post"
        return None

    def _set_off(self, cue: Token) -> bool:
        """The cue's clause stands apart from its head's: a comma or dash before it, or it ends the sentence
        ("Russia is planning …, officials said"), unlike a complement ("swoon had Republicans wondering about …")."""
        first = cue.left_edge
        before = self.doc[first.i - 1].text if first.i > 0 else ""
        return before in (",", "—", "–", "-", ";", "(") or cue.head.i < cue.i and not self._phrase_after(cue) and not any(
            c.dep_ in ("ccomp", "xcomp") and c.i > cue.i for c in cue.children)

    def _idiom_pronoun(self, cue: Token) -> int:
        """The index of a pronoun object that is part of the cue ("as Simonyan put it"), else -1: no content, no anaphor."""
        lemma = cue.lemma_.lower()
        return next((c.i for c in cue.children if c.dep_ == "dobj" and c.lower_ == "it" and self.lexicon.cue(f"{lemma} it")), -1)

    def _phrase_after(self, cue: Token, skip: Token | None = None) -> list[Token]:
        """The cue's complements and prepositional phrases to its right (``skip``: a preposition that is part of the cue).

        A phrase of time ("endorsed Clinton on Friday") or of where it was said ("in an interview
        with …", "on its Telegram channel": a citation noun of the lexicon) is not what was said.
        """
        return [
            c for c in cue.children
            if c.i > cue.i and c.dep_ in _PHRASE_DEPS and (skip is None or c.i != skip.i) and not _parenthesised(c)
            and c.i != self._idiom_pronoun(cue) and c.lower_ != "according"
            and (c.dep_ != "prep" or _argument_preposition(c) and not self._citation_phrase(c))
        ]

    def _citation_phrase(self, prep: Token) -> bool:
        return any(o.dep_ == "pobj" and o.lemma_.lower() in self.lexicon.citation_kind for o in prep.children)

    def _record_subject(self, cue: Token) -> bool:
        """The cue's subject is a record ("the poll shows …", "a 2014 study found …")."""
        subject = next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None and cue.dep_ == "conj":
            subject = next((c for c in cue.head.children if c.dep_ == "nsubj"), None)
        return subject is not None and subject.lemma_.lower() in self.lexicon.record_heads

    def _parenthetical(self, clause: Token) -> bool:
        """ "…, Ukrainian News Agency reports": a source tag after a comma, not the content."""
        first = next((t for t in clause.subtree if not t.is_punct), clause)
        return bool(cue_of(clause, self.lexicon)) and first.i > 0 and self.doc[first.i - 1].text == ","

    def _antecedent_sentence(self, cue: Token) -> tuple[int, int] | None:
        """ "X announced this": what was announced is the sentence before."""
        s, _ = self._sentence(cue.idx)
        k = bisect.bisect_right(self.sent_starts, s) - 2
        if k < 0:
            return None
        ps, pe = self.sentences[k]
        return content_chars(self.text, list(self.doc.char_span(ps, pe, alignment_mode="expand") or []))

    def _according_to(self, according: Token, known: list[Claim]) -> Claim | None:
        to = next(c for c in according.children if c.lower_ == "to")
        source = next((c for c in to.children if c.dep_ == "pobj"), None)
        head = according.head
        if source is None or head.i == according.i:
            return None
        own = {t.i for t in according.subtree}
        content = content_chars(self.text, [t for t in head.subtree if t.i not in own])
        if content is None:
            return None
        speaker = self.speakers.speaker_of_token(source, known)
        if speaker.kind == "thing":
            kept = self._thing_as_source(speaker, utterance=False)
            if kept is None:
                return None  # "according to plan"
            speaker = kept
        return self._claim(content[0], content[1], False, according, speaker, "assert", cue_end_token=to, lemma="according to")

    def _thing_as_source(self, speaker: Speaker, *, utterance: bool) -> Speaker | None:
        """A subject the resolver found no one behind, when it is still the claim's source; else None.

        A proper noun is a name NER missed or kgraph dropped ("Lynch said", "CNS reported"): it keeps
        its offsets as referent, so a mention that corpus-wide name propagation adds there can still
        make it an author. A record ("the poll shows", "according to court documents") is a source
        without being anyone, and so is any subject of a verb of saying ("the clip says", "73 percent
        said"): the claim keeps the phrase as its speaker text and gets no author. A thing that only
        suggests or indicates ("the evacuation orders suggested") is evidence, not a source.
        """
        span = self.doc.char_span(speaker.start or 0, speaker.end or 0, alignment_mode="expand")
        if span is None or not len(span):
            return None
        head = span.root
        if head.pos_ == "PROPN" and head.ent_type_ not in _NO_SPEAKER_ENTS and not self._tagged(head):
            parts = [c for c in head.children if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN" and c.i < head.i]
            first = min([head, *parts], key=lambda t: t.i)
            return replace(speaker, kind="name", referent=(first.idx, head.idx + len(head.text)))
        if utterance or head.lemma_.lower() in self.lexicon.record_heads:
            return Speaker.unknown(speaker.text, speaker.start, speaker.end)
        return None

    def _tagged(self, token: Token) -> bool:
        """An entity mention covers ``token``: the resolver already judged it."""
        return any(m.start <= token.idx < m.end for m in self.mentions)

    # --- nominal cues ----------------------------------------------------------

    def _nominal_clause(self, noun: Token) -> Token | None:
        """The that-clause of a reporting noun ("Russian claims that …", "the accusation that …")."""
        if noun.pos_ != "NOUN" or self.lexicon.nominal(noun.lemma_) is None:
            return None
        return next(
            (c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl") and c.i > noun.i
             and any(m.dep_ == "mark" and m.lower_ == "that" and m.i == c.left_edge.i for m in c.children)),
            None,
        )

    def _nominal_claim(self, noun: Token, known: list[Claim]) -> Claim | None:
        """A claim reported by a noun: its that-clause, said by the noun's possessor, "by" phrase or nationality."""
        clause = self._nominal_clause(noun)
        cls = self.lexicon.nominal(noun.lemma_)
        if clause is None or cls is None:
            return None
        content = content_chars(self.text, list(clause.subtree))
        if content is None or any(q.start < content[1] and content[0] < q.end for q in self.quotes):
            return None
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is None:
            by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("by", "from") and c.i < clause.i), None)
            owner = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
        if owner is None:
            norp = next((c for c in noun.children if c.dep_ == "amod" and c.ent_type_ == "NORP"), None)
            speaker = Speaker.unknown(norp.text, norp.idx, norp.idx + len(norp.text)) if norp is not None else Speaker.unknown()
        else:
            speaker = self.speakers.speaker_of_token(owner, known)
            if speaker.kind == "thing":
                speaker = self._thing_as_source(speaker, utterance=True) or Speaker.unknown()
        if cls == "believe" and speaker.kind == "unknown" and speaker.text is None:
            return None  # "the fear that …" with no one who fears it
        return self._claim(content[0], content[1], False, noun, speaker, cls)

    # --- assembly ------------------------------------------------------------

    def _claim(self, start: int, end: int, direct: bool, cue: Token | None, speaker: Speaker,
               cls: str | None = None, cue_end_token: Token | None = None, lemma: str | None = None) -> Claim:
        s, e = self._sentence(start)
        cue_end = None
        if cue is not None:
            last = cue_end_token or cue
            cue_end = last.idx + len(last.text)
            cls = cls or cue_of(cue, self.lexicon) or self.lexicon.nominal(cue.lemma_)
        return Claim(
            start=start, end=end, text=self.text[start:end], direct=direct, sent_start=s, sent_end=e,
            cue_start=cue.idx if cue is not None else None, cue_end=cue_end,
            cue_lemma=(lemma or cue.lemma_.lower()) if cue is not None else None,
            cue_class=cls if cue is not None else None,
            cue_negated=bool(cue is not None and any(c.dep_ == "neg" for c in cue.children)),
            speaker_start=speaker.start, speaker_end=speaker.end, speaker_text=speaker.text, speaker_kind=speaker.kind,
            referent_start=speaker.referent[0] if speaker.referent else None,
            referent_end=speaker.referent[1] if speaker.referent else None,
            group=speaker.group, co_referents=speaker.co_referents,
        )


def attribute_claims(
    doc: Doc, mentions: Sequence[EntityMention], sentences: Sequence[tuple[int, int]], lexicon: ReportingLexicon
) -> tuple[tuple[Claim, ...], tuple[RoleStatement, ...]]:
    """Every direct quote and reported claim of ``doc``, in text order, and the roles it states."""
    attributor = _Attributor(doc, mentions, sentences, lexicon)
    found = attributor.run()
    found += attributor.labelled_paragraphs(found)
    claims = attributor.speakers.resolve_deferred(sorted(found, key=lambda c: (c.start, c.end)))
    return tuple(claims), tuple(attributor.roles)
