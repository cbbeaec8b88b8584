"""Citations: where an article says its information came from.

Three shapes cover how news names its sources: a source noun from the
lexicon's citation cues ("in an interview with …", "in an emailed statement",
"on its Telegram channel", "videos on social media"), an outlet as the
addressee of "tell" ("told the Ukrainska Pravda newspaper") or the place of
"writing in", and an outlet as the subject of "report" ("Ukrainian News Agency
reports"). Each citation keeps the outlet or platform it names and the person
or body whose interview or statement it is, so that the RDF stage can make
one node of one interview cited by several articles.

An outlet's own reporting cites the outlet: its report ("a CNN report", "a
report by CNN") and its unnamed sources ("CNN's source", "a source told CNN",
"sources quoted by Reuters") are citations of kind outlet, not interviews.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from kgraph.extract.attribution import Citation, Claim
from kgraph.extract.entities import EntityMention
from kgraph.extract.quotes import find_quotes
from kgraph.extract.speakers import RECORD_HEADS, SOURCE_HEADS, UNNAMED, Speaker, SpeakerResolver
from kgraph.extract.text import doc_candidates, doc_sentence_spans, doc_text
from kgraph.lexicons import ReportingLexicon

__all__ = ["find_citations"]

_WORK_KINDS = frozenset({"interview", "statement", "channel"})


def find_citations(
    doc: Doc,
    mentions: Sequence[EntityMention],
    claims: Sequence[Claim],
    lexicon: ReportingLexicon,
    sentences: Sequence[tuple[int, int]] = (),
) -> tuple[Citation, ...]:
    """Every source ``doc`` says it relies on, once per (kind, source, speaker)."""
    text = doc_text(doc)
    sentences = list(sentences) or doc_sentence_spans(doc)
    starts = [s for s, _ in sentences]
    resolver = SpeakerResolver(doc, mentions, sentences, lexicon, (), find_quotes(text))
    ms = sorted(mentions, key=lambda m: m.start)
    found: dict[tuple, Citation] = {}

    def sentence(offset: int) -> tuple[int, int]:
        k = bisect.bisect_right(starts, offset) - 1
        return sentences[k] if k >= 0 else (0, len(text))

    def outlet_in(a: int, b: int) -> EntityMention | None:
        inside = [m for m in ms if a <= m.start and m.end <= b and m.kind in ("organization", "person")]
        orgs = [m for m in inside if m.kind == "organization"]
        return (orgs or inside or [None])[0]  # NER often calls an outlet a person ("Ukrainska Pravda")

    def add(kind: str, evidence: Span, label: str, outlet: EntityMention | None, speaker: Speaker | None, outlet_text: str | None = None) -> None:
        s, e = sentence(evidence.start_char)
        ref = speaker.referent if speaker is not None else None
        group = speaker.group if speaker is not None else None
        otext = outlet.text if outlet is not None else outlet_text
        key = (kind, (otext or label).lower(), ref and text[ref[0] : ref[1]], group)
        if key in found:
            return
        found[key] = Citation(
            start=evidence.start_char, end=evidence.end_char, text=evidence.text, kind=kind, label=label,
            sent_start=s, sent_end=e,
            outlet_start=outlet.start if outlet else None, outlet_end=outlet.end if outlet else None, outlet_text=otext,
            speaker_start=ref[0] if ref else None, speaker_end=ref[1] if ref else None, speaker_group=group,
        )

    def speaker_for(noun: Token) -> Speaker | None:
        """The person whose interview or statement it is: a possessive, or the subject of its verb."""
        poss = next((c for c in noun.children if c.dep_ == "poss"), None)
        if poss is not None:
            return resolver.speaker_of_token(poss, claims)
        verb = noun.head
        for _ in range(3):
            if verb.pos_ in ("VERB", "AUX"):
                break
            verb = verb.head
        if verb.pos_ not in ("VERB", "AUX"):
            return None
        sp = resolver.speaker_of_cue(verb, claims)
        return sp if sp.kind not in ("thing", "unknown") else None

    for tok in doc_candidates(doc):
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("NOUN", "PROPN") and tok.lower_ == "media" and any(c.lower_ == "social" for c in tok.children):
            phrase = tok.head.head if tok.head.dep_ == "prep" and tok.head.head.pos_ == "NOUN" else tok
            span = doc[phrase.left_edge.i : tok.i + 1]
            add("social-media", _trim(span), _label(_trim(span)), None, None)
            continue
        kind = lexicon.citation_kind.get(lemma)
        if tok.pos_ == "NOUN" and kind in _WORK_KINDS:
            if tok.dep_ in ("nsubj", "nsubjpass") or (kind == "statement" and _anaphoric(tok) and any(c.kind == "statement" for c in found.values())):
                continue  # "Budanov's statements could not be verified": spoken of, not cited; "the statement" again
            sub = list(tok.subtree)
            span = doc[sub[0].i : sub[-1].i + 1]
            named = [t for c in tok.children if c.dep_ in ("prep", "acl", "compound", "appos") and c.lower_ not in ("in", "that", "which")
                     for t in c.subtree]
            outlet = outlet_in(min((t.idx for t in named), default=0), max((t.idx + len(t.text) for t in named), default=0)) if named else None
            if outlet is not None and outlet.kind != "organization" and not any(t.lower_ == "with" for t in named):
                outlet = None
            platform = None
            if outlet is None:  # "its Telegram channel", "statements posted to Telegram"
                platform = next((t.text for t in named if t.pos_ == "PROPN" and t.is_title), None)
            speaker = speaker_for(tok)
            noun_phrase = _trim(doc[tok.left_edge.i : tok.i + 1])
            add(kind, _trim(span), _label(noun_phrase), outlet, speaker, platform)
        elif tok.pos_ == "VERB" and lemma == "tell":
            for c in tok.children:
                if c.dep_ in ("dobj", "dative"):
                    outlet = outlet_in(c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text))
                    if outlet is not None and (c.lemma_.lower() in lexicon.citation_kind or outlet.kind == "organization"):
                        teller = resolver.speaker_of_cue(tok, claims)
                        if teller.group is not None and teller.group.endswith(UNNAMED):  # "a source told CNN": CNN's reporting
                            add("outlet", _trim(doc[tok.i : c.right_edge.i + 1]), outlet.text, outlet, None)
                        else:
                            add("interview", _trim(doc[tok.i : c.right_edge.i + 1]), "interview", outlet, teller)
        elif tok.pos_ in ("NOUN", "PROPN") and (lemma in RECORD_HEADS or lemma in SOURCE_HEADS):
            # "a CNN report", "a report by CNN", "CNN's source", "sources quoted by Reuters"
            maker = resolver.maker_of(tok) if lemma in RECORD_HEADS else resolver.source_outlet(tok)
            if maker is not None and maker.kind == "organization":
                phrase = doc.char_span(min(tok.left_edge.idx, maker.start), max(tok.idx + len(tok.text), maker.end), alignment_mode="expand")
                if phrase is not None:
                    add("outlet", _trim(phrase), maker.text, maker, None)
        elif tok.pos_ == "VERB" and lemma == "write":
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "in"):
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                outlet = outlet_in(pobj.left_edge.idx, pobj.idx + len(pobj.text))
                names = [t for t in doc[pobj.left_edge.i : pobj.i + 1] if t.pos_ == "PROPN"]
                if outlet is not None or names:
                    name = outlet.text if outlet is not None else " ".join(t.text for t in names)
                    add("outlet", _trim(doc[tok.i : pobj.i + 1]), name, outlet, None, name)
        elif tok.pos_ == "VERB" and lemma == "report":
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                outlet = outlet_in(subj.left_edge.idx, subj.idx + len(subj.text))
                if outlet is not None and outlet.kind == "organization":
                    add("outlet", doc[subj.left_edge.i : tok.i + 1], outlet.text, outlet, None)
    return tuple(sorted(found.values(), key=lambda c: c.start))


def _trim(span: Span) -> Span:
    start, end = span.start, span.end
    while start < end and (span.doc[start].is_punct or span.doc[start].dep_ in ("det", "case") or span.doc[start].is_space):
        start += 1
    while end > start and (span.doc[end - 1].is_punct or span.doc[end - 1].is_space):
        end -= 1
    return span.doc[start:end]


def _anaphoric(tok: Token) -> bool:
    return all(c.dep_ in ("det", "punct") for c in tok.children if c.i < tok.i) and any(c.lower_ == "the" for c in tok.children)


def _label(span: Span) -> str:
    words = [t.text for t in span if t.dep_ not in ("poss", "det", "nummod", "case") and not t.is_punct]
    return " ".join(words).strip() or span.text
