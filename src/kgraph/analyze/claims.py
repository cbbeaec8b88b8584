"""Who contradicts whom: claim frames compared across speakers, with the rule and the evidence.

Claims are compared only inside one story (:mod:`kgraph.resolve.stories`), only between
two voices (:func:`_different_speakers`: not one speaker, not one quote reported twice),
and only when they are about the same thing.

Each claim's frames (:mod:`kgraph.extract.frames`) are keyed like event
participants (:class:`kgraph.resolve.events.ArgumentKeys`: the resolved entity,
the nationality, "Russian troops" ~ "Russia"), with "they" in a quote standing
for the article's latest named non-person actor. Two claims by different
speakers are then related by these rules (``CLAIM_RULES``), each with a
confidence:

* ``polarity``: same predicate class, same actor, no different place; one says
  it happens (or is planned), the other that it does not ("are not leaving"
  against "is planning to retreat"). A verb the claim lexicon does not class is
  its own class ("will not be playing Jobs" against "will play Jobs");
* ``opposing-predicate``: classes the claim lexicon declares opposed, both
  asserted ("preparing to defend" against "preparing for the retreat");
* ``quantity``: figures for the same counted thing whose ranges cannot meet
  within the lexicon's tolerance ("as many as 20,000 people have fled" against
  "put the figure at closer to 1,000"; "at least 10" is a lower bound);
* ``explicit-rejection``: a claim that denies, or calls lies, absurd, a pretext,
  what another speaker claimed, linked to the claims it rejects by what it
  rejects (:func:`_rejections`: its own words, or what it refers to);
* ``same-frame`` (agreement): same actor and the same class with the same
  polarity (both assert, or both deny), or opposed classes with opposite
  polarity ("are not leaving" agrees with "are preparing to defend"), when the
  two claims also share much of their wording; ``shared-rejection``
  (agreement): two voices rejecting the same claim.

Frame relations need more than a verb and its actor in common: a place or object,
two more words, or (for a contradiction) a place or thing both passages name. A
person's state against its denial or its opposite is the exception ("Axl Rose is
not dead" against "Rose was found dead"): the person and the state are the whole
statement. A passive with no doer is keyed by what it is done to, in a class of
its own, so "Banksy was not arrested" meets "Banksy had been arrested" and not
"Banksy arrested a fan".
Hypothetical frames ("if the retreat goes ahead") assert nothing and are never
compared, nor is what a negated cue reports ("could not confirm that …");
hedged claims ("probably", "unsubstantiated") lower the confidence. Nothing is
invalidated: a relation links two claims that both stay in the graph. Precision
comes first: the judged sample in ``bench/gold/relations_news_dev.json`` measures it.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from kgraph.analyze.calibration import RelationFeatures, load_calibration
from kgraph.ingest.article import Article
from kgraph.extract.attribution import Claim
from kgraph.extract.entities import EntityMention
from kgraph.extract.events import EventArgument
from kgraph.extract.findings import ArticleFindings
from kgraph.extract.frames import ClaimFrame, ClaimTerms
from kgraph.lexicons import ClaimLexicon
from kgraph.rdf.vocab import CLAIM_RULES
from kgraph.resolve.entities import Resolution, ResolvedEntity
from kgraph.resolve.events import SIDE_PRONOUNS, ArgumentKeys, nationality_keys
from kgraph.gazetteer import country_code, nationality_codes

__all__ = ["CLAIM_RULES", "ClaimRef", "ClaimRelation", "compare_claims"]

# A predicate the claim lexicon does not class is compared with itself only (polarity and agreement,
# never opposition), and only beyond the frame (see _agree_beyond_frame); verbs that say little of
# their own are never compared so.
_VERB_CLASS = "verb:"
_PATIENT = "done to:"  # a class said of what a passive verb is done to, compared apart from its doers
_PLACE_NOUNS = frozenset("""city town village region area territory province district country border front frontline
    line position positions base bank river bridge capital port airport plant dam island coast
    troop unit force soldier reinforcement equipment weapon army personnel fighter artillery tank""".split())
_MIN_QUOTE_WORDS = 5  # one quote reported twice: the shorter claim has this many content words ...
_SAME_QUOTE = 0.8  # ... and the longer holds this share of them
_QUOTE_STOP = frozenset("""a an the and or but of in on at to from by for with as is are was were be been being has have had
    will would that this these those it its they them their he him his she her we our you your i my not no""".split())
_GENERIC_SPEAKER_WORDS = frozenset("""official officials spokesman spokeswoman spokesperson source sources unnamed government
    ministry minister office police group people report reports media authority authorities military army state states
    department agency service services council committee press news statement the and for of""".split())
# Cues whose negation passes to what they report ("does not expect any withdrawal": no withdrawal);
# other negated cues ("could not confirm", "did not say") leave the content unasserted.
_NEG_RAISING = frozenset({"expect", "think", "believe", "suppose", "imagine", "anticipate", "foresee", "see", "want"})
_FRAGMENT_WORDS = 3  # a claim of at most three content words is a fragment ("the complaints", "billing issues")
_GENERIC_PREDICATES = frozenset("""be have do make get go come take give see know think want need use find become seem
    include continue begin start try call show keep let put mean add ask say tell report claim believe expect appear feel
    hope look work help happen remain""".split())
_DENY_CUES = frozenset({"deny"})
_REFUSAL_CUES = frozenset({"reject", "dismiss", "rebuff", "refuse", "spurn", "turn down"})
_FIRST_LOWERCASE_WORD = re.compile(r"(?<![\w.’'-])[a-z]")
# "These accusations", "them “lies”", "Russia’s transparently false allegations", "that’s bogus"
_ANAPHORIC = re.compile(
    r"(?i)\W*(?:it|them|this|that|these|those|such|the|their|his|her|its|\w+[’']s)\b(?:[’']s)?(?:\s+\w+){0,2}?\s*"
    r"(?:claims?|reports?|allegations?|accusations?|charges?|rumou?rs?|stor(?:y|ies)|assertions?|suggestions?"
    r"|\W*$|\W+(?:lies|absurd|false|untrue|bogus|nonsense|a\b|as\b))"
)
# Rejection words in a use that judges no claim, by lemma: every form of the word, and the uses that
# do not judge. "lie" as a past act ("had lied to police", "lied under oath") or lying somewhere
# ("coins lying on the mattress"), spaCy giving all of them the lemma "lie"; "impossible to verify",
# "implausible to predict": the speaker cannot tell, which rejects nothing.
_KNOWING = r"(?:verify|confirm|say|tell|know|speculate|predict|determine|judge|assess|establish|prove|check|estimate|ascertain)\b"
_NOT_JUDGING: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    lemma: (re.compile(rf"\b(?:{forms})\b", re.IGNORECASE), re.compile(rf"\b(?:{forms})\s+(?:{uses})", re.IGNORECASE))
    for lemma, forms, uses in (
        ("lie", "lie|lies|lied|lying",
         r"(?:to|under|on|in|down|at|beneath|beside|around|ahead|low|dormant|idle|flat|awake|still|buried|dead|injured|wounded)\b"),
        ("impossible", "impossible", rf"(?:for\s+\w+\s+)?to\s+{_KNOWING}"),
        ("implausible", "implausible", rf"(?:for\s+\w+\s+)?to\s+{_KNOWING}"),
        ("possible", "possible", rf"(?:for\s+\w+\s+)?to\s+{_KNOWING}"),  # "it was not possible to verify …"
        ("plausible", "plausible", rf"(?:for\s+\w+\s+)?to\s+{_KNOWING}"),
    )
}
_PERSONAL_PRONOUNS = frozenset({"he", "she"})  # a state said of one: the claim's speaker, when it speaks of itself
_THIRD_PERSON = re.compile(r"\b(?:he|him|his|she|her)\b", re.IGNORECASE)  # may stand for a claim's speaker
_NEGATION = re.compile(r"\b(?:not|no|never|nobody|none|nothing|neither|nor)\b|n[’']t\b", re.IGNORECASE)
# Explicit rejections (see _rejections): a target shares at least two words or entities with what is rejected ...
_MIN_SHARED_TOPIC = 2
_MIN_SHARED_NAMES = 3  # ... or, without a word of what it rejects, three names ("Ebola", "Mosul", "ISIS")
_MIN_REJECTED_WORDS = 2  # ... and a rejection with fewer words of its own (not names) and no name refers to its target
_MIN_SCORE = 0.4  # share of the rejected statement's weight a target must hold ...
_ANAPHORIC_SCORE = 0.6  # ... when the rejection also points back ("These accusations …")
_MIN_REFERENCE_SCORE = 0.15  # by reference, the share of its sentences' weight a target must hold
_BEFORE_WINDOW = 2  # sentences back within which a claim is "just before" ("… These accusations are lies")
_ANSWER_WINDOW = 2  # sentences back within which a rejection goes on from the one before it
_TIME_WORDS = frozenset("""monday tuesday wednesday thursday friday saturday sunday morning afternoon evening night
    today yesterday tomorrow week weekend month year day earlier later""".split())
_MAX_TARGETS = 3  # statements one rejection is linked to, best first
_KEEP_SHARE = 0.75  # ... each scoring at least this share of the best
_MIN_AGREEMENT_OVERLAP = 0.2  # same-frame agreement: the share of their words two claims hold in common
_APPOSITION_GAP = 4  # characters between a claim and "a claim rejected by …" that stands beside it
_MIN_TARGET_WORDS = 3  # a rejected claim says something: "a press conference" is no target
# Words too common in news to say what a rejection is about (the words that name a claim are the lexicon's claim-nouns).
_TOPIC_STOP = frozenset({"official", "people", "time", "way", "thing", "lot", "part", "fact", "comment"})
_T = TypeVar("_T")
_FIGURE_WINDOW = 2  # sentences within which a bare figure ("put the figure at 1,000") answers another ...
_FIGURE_NOUNS = frozenset({"figure", "number", "toll", "total", "tally", "estimate", "count"})  # ... that says it is one
_FIGURE_WORDS = re.compile(r"\b(?:" + "|".join(sorted(_FIGURE_NOUNS)) + r")s?\b", re.IGNORECASE)
_LOWER_BOUNDS = frozenset({"more than", "over", "at least"})
_UPPER_BOUNDS = frozenset({"fewer than", "less than", "as few as"})


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
    confidence: float  # the probability that a reader signs it (kgraph.analyze.calibration)
    explanation: str
    features: RelationFeatures | None = None  # what the rule measured, the confidence's inputs


@dataclass
class _Claim:
    ref: ClaimRef
    claim: Claim
    speakers: frozenset[str]
    terms: ClaimTerms | None
    hedged: bool
    rejecting: bool
    sent_index: int
    content: frozenset[str]  # its content lemmas and the entities it names ("e:<index>\x1f<label>")
    asserted: frozenset[str]  # the same, less what it only reports another saying ("despite claims that …")
    around: frozenset[str]  # the same for its sentence and the one before: what a rejection by reference answers
    around_countries: frozenset[str]  # "n:" keys of the countries named there
    own: frozenset[str]  # the common nouns and adjectives of its own sentence
    around_places: frozenset[str]  # the places named in its sentence and the one before
    negated: bool
    anaphoric: bool  # its words name a claim said before ("These accusations", "them", "the claim")
    story: int | None
    speaker_keys: frozenset[str]  # the entities its speaker mention names ("e:<index>\x1f<label>")
    predicates: frozenset[str] = frozenset()  # the verbs of its clauses that say what happened ("arrest", "kill"), not "be"
    self_keys: frozenset[str] = frozenset()  # its speaker, where a pronoun of its content stands for them ("denied he had died")


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
        terms = {(t.claim_start, t.claim_end): _in_families(t, lexicon.word_families) for t in f.terms}
        sent_starts = [s for s, _ in f.sentences]
        clauses = {(fr.claim_start, fr.claim_end) for fr in f.frames if fr.predicate and fr.form != "adjective"}
        named = _named_entities(a.id, mentions[a.id], resolution)
        by_span: dict[tuple[int, int], _Claim] = {}
        verbs: dict[tuple[int, int], set[str]] = defaultdict(set)
        for fr in f.frames:
            if fr.form != "adjective" and (head := fr.predicate.split(" ")[0]) not in _GENERIC_PREDICATES:
                verbs[(fr.claim_start, fr.claim_end)].add(head)
        for c in f.claims:
            ref = ClaimRef(a.id, c.start, c.end)
            t = terms.get((c.start, c.end))
            words = set(t.lemmas) if t else set()
            sent_index = sum(1 for s in sent_starts if s <= c.start)
            before = sent_starts[sent_index - 2] if sent_index >= 2 else c.sent_start
            owner = _Claim(
                ref=ref, claim=c, speakers=frozenset(speakers.get(ref, ())), terms=t,
                hedged=_hedged(c, words, lexicon),
                rejecting=_rejects(c, t, lexicon) and not _refuses_a_thing(c, t, (c.start, c.end) in clauses, lexicon),
                sent_index=sent_index,
                content=frozenset(words | _entities_within(named, c.start, c.end)),
                asserted=frozenset(_asserted(words, t, _entities_within(named, c.start, c.end), named)),
                around=frozenset(set(t.context if t else ()) | set(t.before if t else ()) | _entities_within(named, before, c.sent_end)),
                own=frozenset(t.context if t else ()),
                around_places=frozenset(k for k in _entities_within(named, before, c.sent_end)
                                        if _entity(k, resolution).kind == "place"),
                around_countries=frozenset(_countries(_entities_within(named, before, c.sent_end), resolution)),
                negated=bool(_NEGATION.search(c.text)) or c.cue_negated,
                anaphoric=bool(_ANAPHORIC.match(c.text)),
                story=story_of_article.get(a.id) if story_of_article is not None else None,
                speaker_keys=frozenset(_speaker_entities(c, named) | _countries(_speaker_entities(c, named), resolution)
                                       | (_group_keys(c.group) if c.group else set())),
                predicates=frozenset(verbs.get((c.start, c.end), ())),
                self_keys=frozenset(_self_reference(c, _speaker_entities(c, named), resolution)),
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
    for rel in _rejections(claims, negative, lexicon):
        _keep(found, rel)
    if story_of_article is not None:
        found = {k: r for k, r in found.items() if story_of_article.get(r.a.article_id) == story_of_article.get(r.b.article_id)}
    return tuple(sorted(found.values(), key=lambda r: (r.a, r.b)))


def _in_families(t: ClaimTerms, families: Mapping[str, str]) -> ClaimTerms:
    """The claim's words with each derived form as its family's headword: "reports of his death" and
    "he was found dead" are about one happening, and a rejection finds its target by such words."""
    if not families:
        return t

    def head(words: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(families.get(w, w) for w in words)

    return replace(t, lemmas=head(t.lemmas), context=head(t.context), before=head(t.before), reported=head(t.reported))


def _named_entities(article_id: str, mentions: Sequence[EntityMention], resolution: Resolution) -> list[tuple[int, int, str]]:
    """The article's mentions that resolve to an entity, as (start, end, key), in text order."""
    found = []
    for m in mentions:
        idx = resolution.entity_of_mention.get((article_id, m.start, m.end))
        if idx is not None:
            found.append((m.start, m.end, f"e:{idx}\x1f{resolution.entities[idx].label}"))
    return sorted(found)


def _speaker_entities(c: Claim, named: Sequence[tuple[int, int, str]]) -> set[str]:
    """The entities of the claim's speaker mention, or of the name a pronoun speaker stands for."""
    found: set[str] = set()
    for s, e in ((c.speaker_start, c.speaker_end), (c.referent_start, c.referent_end)):
        if s is not None and e is not None:
            found |= {key for ms, me, key in named if ms < e and me > s}
    return found


def _self_reference(c: Claim, speaker: set[str], resolution: Resolution) -> set[str]:
    """The speaker's person entity when the content speaks of them by a pronoun: "rebuffed rumours that he
    had died", "denied she was arrested". Read for one speaker only: a pronoun may also be another person."""
    people = {k for k in speaker if _is_person(k, resolution)}
    return people if len(people) == 1 and _THIRD_PERSON.search(c.text) else set()


def _entity(key: str, resolution: Resolution) -> ResolvedEntity:
    """The entity an "e:<index>\x1f<label>" key names."""
    return resolution.entities[int(key[2:].split("\x1f", 1)[0])]


def _is_person(key: str, resolution: Resolution) -> bool:
    return key.startswith("e:") and _entity(key, resolution).kind == "person"


def _countries(keys: Iterable[str], resolution: Resolution) -> set[str]:
    """The "n:" key of each country among entity keys: "Russia's allegations" answers "Russian officials"."""
    found = set()
    for k in keys:
        if k.startswith("e:"):
            entity = _entity(k, resolution)
            code = country_code(entity.label) if entity.kind == "place" else None
            if code is not None:
                found.add("n:" + code)
    return found


def _asserted(words: set[str], t: ClaimTerms | None, entities: set[str], named: Sequence[tuple[int, int, str]]) -> set[str]:
    """A claim's words and entities less those only in the parts it reports of another (:attr:`ClaimTerms.reported`)."""
    if t is None or not t.reported_spans:
        return words | entities
    inside = {key for s, e in t.reported_spans for key in _entities_within(named, s, e)}
    return (words - set(t.reported)) | (entities - inside)


def _entities_within(named: Sequence[tuple[int, int, str]], start: int, end: int) -> set[str]:
    return {key for s, e, key in named if s >= start and e <= end}


def _hedged(c: Claim, lemmas: set[str], lexicon: ClaimLexicon) -> bool:
    """Hedges by lemma ("seems") or as written: "may", "could", "perhaps" are stop words, absent from the lemmas."""
    return bool((lemmas | set(re.findall(r"[a-z]+", c.text.lower()))) & lexicon.hedges)


def _rejects(c: Claim, t: ClaimTerms | None, lexicon: ClaimLexicon) -> bool:
    """A denial of something said, or a claim calling it lies; not a refused request ("rejected requests to retreat").

    A rejection word counts where it judges: "the reports are false", "false claims", "their
    lies", and not where it only describes a thing ("a fake passport", "a propaganda video")
    or is negated ("is not false", "never lied"). A negated deny cue ("did not deny") rejects nothing.
    """
    words = t.lemmas if t else ()
    if words and words[0] in lexicon.non_claims:
        return False
    if c.cue_class in _DENY_CUES:
        return not c.cue_negated
    if t is None:
        return False
    negated = set(t.negated)
    idle = {w for w, (word, use) in _NOT_JUDGING.items() if len(use.findall(c.text)) == len(word.findall(c.text))}
    if (negated & lexicon.veridical) - idle:  # "it is not true that …", "is not plausible", "not an accurate account"
        return True
    describing = {w for w, head in t.attributive if head not in lexicon.claim_nouns}  # "a fake passport"
    judging = {w for w, head in t.attributive if head in lexicon.claim_nouns}  # "false claims", "fake news"
    return any(w in lexicon.rejections and w not in negated and w not in idle and (w in judging or w not in describing)
               for w in words)


def _refuses_a_thing(c: Claim, t: ClaimTerms | None, has_clause: bool, lexicon: ClaimLexicon) -> bool:
    """A verb of refusal whose object is a thing, not a statement: "dismissed 849 cases".

    "Deny" says its object is not so, whatever it is ("denied any health problems"); but
    what a verb of refusal takes ("rejected", "dismissed") is a reply to someone only when
    it is a statement (a clause) or names one ("rejected the allegations", "dismissed the
    speculation"): a bare thing refused ("dismissed 849 cases", "rejected the plan") is an
    act, not a reply. (A cue that takes no side, "declined to confirm or deny", is no claim
    at all: :mod:`kgraph.extract.attribution`.)
    """
    if c.cue_class not in _DENY_CUES or c.cue_lemma not in _REFUSAL_CUES:
        return False
    words = set(t.lemmas) if t else set()
    names_a_statement = bool(words & (lexicon.claim_nouns | lexicon.rejections)) or bool(_ANAPHORIC.match(c.text))
    return not has_clause and not names_a_statement


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
        if fr.form == "adjective":
            continue
        k, idx = keys.keys(fr.subject)
        named = frozenset(x for x in k if not x.startswith("w:"))
        if named and (idx is None or resolution.entities[idx].kind != "person"):
            actors.append((fr.start, named))
    actors.sort(key=lambda x: x[0])
    for fr in f.frames:
        owner = by_span.get((fr.claim_start, fr.claim_end))
        if owner is None or fr.modality == "hypothetical":
            continue
        if owner.terms is not None and any(s <= fr.start and fr.end <= e for s, e in owner.terms.reported_spans):
            continue  # "looking into reports that she had been captured": another's words, not this speaker's
        if owner.claim.cue_negated and (owner.claim.cue_lemma or "") not in _NEG_RAISING:
            continue  # "could not confirm that …" asserts nothing; "does not expect a withdrawal" denies one
        state = fr.form == "adjective"
        if state and fr.predicate not in lexicon.predicate_class:
            continue  # "is important", "was clear": a state is compared only where the lexicon says what it opposes
        subject, held_by = keys.keys(fr.subject)
        named = frozenset(x for x in subject if not x.startswith("w:"))
        if state:
            pronoun = fr.subject.text.lower() if fr.subject is not None else ""
            if not named and (pronoun in _PERSONAL_PRONOUNS and not owner.claim.direct or pronoun == "i" and owner.claim.direct):
                # "Nelson confirmed he is alive", "“I am alive,” Nelson said": the speaker's own state (in their
                # own words "he" is someone else)
                people = owner.self_keys if pronoun != "i" else {k for k in owner.speaker_keys if _is_person(k, resolution)}
                named = frozenset(k.split("\x1f", 1)[0] for k in people) if len(people) == 1 else frozenset()
            elif held_by is None or resolution.entities[held_by].kind != "person":
                continue  # the states compared (dead, alive) are a person's: not "the Russian comments were offensive"
        done_to = False
        if not named and fr.subject is None and fr.form == "passive":
            patient, _ = keys.keys(fr.object)  # "the Batmobile had not been stolen": what it says is of the Batmobile
            named = frozenset(x for x in patient if x.startswith("e:"))
            done_to = bool(named)
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
        if cls is not None and not state and not _takes_class(fr, keys, resolution, lexicon):
            cls = None  # "Wilson stopped Brown", "Apple will launch a MacBook": not the class's sense
        if cls is None and fr.predicate.split(" ")[0] not in _GENERIC_PREDICATES:
            cls = _VERB_CLASS + fr.predicate  # "Bale will not be playing Jobs" / "Bale will play Jobs": the verb is its own class
        if done_to:
            # compared only with what is said to have been done to it: "Banksy was not arrested" against "Banksy
            # was arrested", not against "Banksy arrested a fan"
            where -= named
            cls = _PATIENT + cls if cls else None
        negative = fr.modality == "denied" or owner.claim.cue_class in _DENY_CUES
        yield _Frame(owner, fr, cls, named, frozenset(where), negative, via_pronoun)


def _takes_class(fr: ClaimFrame, keys: ArgumentKeys, resolution: Resolution, lexicon: ClaimLexicon) -> bool:
    """The predicate is used in its class's sense: with no object, or a place, forces or a word of a class as object.

    The classes are about forces and places ("leaving Kherson", "are not leaving", "stop
    the shelling", "launch an offensive"); with a person, an organisation or a product as
    object the same verbs mean something else ("stopped Brown", "holding the daughter",
    "launch a new MacBook"), and are compared as plain verbs.
    """
    if fr.object is None:
        return True
    _, idx = keys.keys(fr.object)
    if idx is not None:
        return resolution.entities[idx].kind == "place"
    head = fr.object.text[fr.object.head_start - fr.object.start : fr.object.head_end - fr.object.start].lower()
    return head in _PLACE_NOUNS or head.rstrip("s") in _PLACE_NOUNS or head in lexicon.predicate_class or head.rstrip("s") in lexicon.predicate_class


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


def _relation(kind: str, a: _Claim, b: _Claim, rule: str, x: _Frame | _Claim, y: _Frame | _Claim, explanation: str,
              *, basis: str = "frame", match: float | None = None) -> ClaimRelation:
    """The relation with its measures and the calibrated confidence they give (:mod:`kgraph.analyze.calibration`)."""
    cx, cy = (side.owner if isinstance(side, _Frame) else side for side in (x, y))
    features = RelationFeatures(
        rule=rule, basis=basis,
        match=round(_overlap(cx, cy) if match is None else match, 3),
        hedged=sum(1 for side, c in ((x, cx), (y, cy))
                   if c.hedged or isinstance(side, _Frame) and side.frame.modality == "expected"),
        pronoun=sum(1 for side in (x, y) if isinstance(side, _Frame) and side.via_pronoun),
        same_article=cx.ref.article_id == cy.ref.article_id,
        agentless=not (_has_voice(cx) and _has_voice(cy)),
        shared_names=len({k.split("\x1f", 1)[0] for k in cx.content & cy.content if k.startswith("e:")}),
        verbs=_verbs_agree(cx, cy),
        fragment=min(_content_words(cx), _content_words(cy)) <= _FRAGMENT_WORDS,
    )
    return ClaimRelation(kind, a.ref, b.ref, rule, load_calibration().confidence(features), explanation, features)


def _verbs_agree(x: _Claim, y: _Claim) -> int:
    """+1 when the two claims say the same thing happened (a verb of one among the other's verbs or words), -1
    when both have verbs of what happened and share none, 0 when one has none.

    "Denied reports that Baghdadi was killed" shares Baghdadi, Mosul and a strike with "his wife
    was detained", and only a verb tells them apart; but the lexicons know few synonyms ("captured",
    "detained", "arrested" are three verbs), so this weighs in the confidence and decides nothing.
    """
    if not x.predicates or not y.predicates:
        return 0
    return 1 if x.predicates & (y.predicates | y.content) or y.predicates & x.content else -1


def _content_words(c: _Claim) -> int:
    return len(c.terms.lemmas) if c.terms is not None else 0


def _ordered(x: _Claim, y: _Claim) -> tuple[_Claim, _Claim]:
    """The later claim (or the rejecting one) disagrees with the earlier."""
    if y.rejecting and not x.rejecting:
        return y, x
    if x.rejecting and not y.rejecting:
        return x, y
    return (y, x) if x.ref < y.ref else (x, y)


def _different_speakers(x: _Claim, y: _Claim, *, agentless_denial: bool = False) -> bool:
    """Two voices, not one voice reported twice.

    One voice: the same speaker node; a speaker mention naming the same entity ("DHS" and
    "DHS Secretary Jeh Johnson", "Harper's office" and "Harper's spokesman"); speaker names
    sharing a distinctive word; or the same quote (most of the shorter claim's words), which
    two outlets may attribute to the speaker and to its channel ("Shekau" and "the video").
    """
    denies = agentless_denial and x.claim.cue_class in _DENY_CUES  # "These accusations have been rejected as absurd"
    if x.ref == y.ref or not (_has_voice(x) or denies) or not _has_voice(y) or x.speakers & y.speakers:
        return False  # a claim nobody is said to make has no voice to compare
    if {k for k in x.speaker_keys if k.startswith("e:")} & {k for k in y.speaker_keys if k.startswith("e:")}:
        return False
    if _speaker_words(x.speakers) & _speaker_words(y.speakers):
        return False
    return not _same_quote(x, y)


def _same_quote(x: _Claim, y: _Claim) -> bool:
    """Most of the shorter claim's content words, the same figures, the same polarity: one quote reported twice.

    A denial restates what it denies, so a rejecting claim is never the same quote as an asserting one.
    """
    if x.negated != y.negated or x.rejecting != y.rejecting:
        return False
    wx, wy = _words(x.claim.text) - _QUOTE_STOP, _words(y.claim.text) - _QUOTE_STOP
    if _figures(x.claim.text) != _figures(y.claim.text):
        return False
    small = min(len(wx), len(wy))
    return small >= _MIN_QUOTE_WORDS and len(wx & wy) >= _SAME_QUOTE * small


def _figures(text: str) -> set[str]:
    return set(re.findall(r"\d[\d,.]*", text))


def _has_voice(c: _Claim) -> bool:
    """A speaker node, or at least a speaker named in the text ("Kyiv considers …")."""
    return bool(c.speakers or c.speaker_keys or (c.claim.speaker_text and c.claim.speaker_kind != "pronoun"))


def _speaker_words(iris: Iterable[str]) -> set[str]:
    """The distinctive words of speaker IRIs' names ("…/group/dhs-official" -> {"dhs"})."""
    return {w for iri in iris for w in re.split(r"[-_]", iri.rstrip("/").rsplit("/", 1)[-1].lower())
            if len(w) > 2 and w not in _GENERIC_SPEAKER_WORDS and not w.isdigit()}


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
    blocks: dict[tuple[int | None, str], list[list[_Frame]]] = defaultdict(list)
    for members in groups.values():  # only frames of one story, with an actor in common, are ever compared
        for k in members[0].subject:
            blocks[(members[0].owner.story, k)].append(members)
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
                first = _compare_frames(x, y, lexicon)
                classed = not _verb_only(x.cls)
                if first is None or not (_agree_beyond_frame(x, y) or first.kind == "contradiction"
                                         and (classed and _same_scene(x, y) or _whole_statement(x, y))):
                    continue  # two speakers meet on a statement, not on a verb and its subject alone
                if first.kind == "agreement" and (_overlap(x.owner, y.owner) < _MIN_AGREEMENT_OVERLAP
                                                  or x.cls == y.cls and x.owner.negated != y.owner.negated):
                    continue  # ... agree only on what they both say at length, and not when one says "is not"
                for fx, fy in _fan_out(gx, gy):
                    if _same_passage(fx.owner, fy.owner):
                        continue
                    rel = _compare_frames(fx, fy, lexicon)
                    if rel is not None:
                        yield rel
    yield from _quantity_relations(frames, lexicon)


def _signature(fr: _Frame) -> tuple:  # type: ignore[type-arg]
    """Frames that compare alike with everything (same story, speakers, class, polarity, actor, place, confidence factors)."""
    return (fr.owner.story, fr.owner.speakers, fr.cls, fr.negative, fr.subject, fr.where, fr.owner.hedged, fr.via_pronoun,
            fr.frame.modality == "expected", fr.owner.rejecting)


def _agree_beyond_frame(x: _Frame, y: _Frame) -> bool:
    """Besides the actor and the verb, the two claims share a place, an object or a word of their own.

    "Russian forces are reinforcing Kherson" agrees with "Russia is reinforcing Kherson"
    (Kherson); "it holds soldiers captive" does not agree with "Islamists held by the
    authorities" on "hold" alone.
    """
    if x.where & y.where:
        return True
    frame_words = {x.frame.predicate, y.frame.predicate, *x.frame.predicate.split(), *y.frame.predicate.split()}
    actor = _name_words_of(x.subject | y.subject)
    shared = {w for w in (x.owner.content & y.owner.content) - x.subject - y.subject if w not in frame_words and w not in actor}
    return len(shared) >= _MIN_SHARED_TOPIC


def _verb_only(cls: str | None) -> bool:
    """The frame's class is its verb alone ("verb:play"), for a doer or for what the verb is done to."""
    return (cls or "").removeprefix(_PATIENT).startswith(_VERB_CLASS)


def _whole_statement(x: _Frame, y: _Frame) -> bool:
    """A person's state against its opposite or its denial, with nothing else said: "Axl Rose is not dead"
    against "Rose was found dead", "he is alive" against "Nelson died" (only people's states are keyed:
    :func:`_keyed_frames`). The person and the state are the whole statement, so no shared place or word is
    needed; an actor who only "leaves" needs the place."""
    frames = (x, y)
    return (any(f.frame.form == "adjective" for f in frames)
            and all(f.frame.object is None and not f.where and not f.via_pronoun for f in frames))


def _same_scene(x: _Frame, y: _Frame) -> bool:
    """Their sentences (and the ones before) name a place in common besides the actor.

    "They are not leaving right now" after a sentence on Kherson meets "Russia is planning
    to retreat from Kherson"; an airstrike on Raqqa does not meet a hostage's letter.
    """
    ex = {k.split("\x1f", 1)[0] for k in x.owner.around_places}
    ey = {k.split("\x1f", 1)[0] for k in y.owner.around_places}
    return bool((ex & ey) - x.subject - y.subject)


def _overlap(x: _Claim, y: _Claim) -> float:
    """The Jaccard share of two claims' words and entities they hold in common."""
    union = len(x.content | y.content)
    return len(x.content & y.content) / union if union else 0.0


def _same_passage(x: _Claim, y: _Claim) -> bool:
    """Two claims of one sentence or overlapping spans of one article: one passage read twice, not two voices."""
    return x.ref.article_id == y.ref.article_id and (x.sent_index == y.sent_index or (x.ref.start < y.ref.end and y.ref.start < x.ref.end))


def _compare_frames(x: _Frame, y: _Frame, lexicon: ClaimLexicon) -> ClaimRelation | None:
    if _same_quote(x.owner, y.owner):
        return None  # the same words carried twice (a wire copy, a quote two speakers were given): a repetition
    a, b = _ordered(x.owner, y.owner)
    fa, fb = (x, y) if a is x.owner else (y, x)
    about = f"{fa.frame.predicate}{' (not)' if fa.negative else ''} vs {fb.frame.predicate}{' (not)' if fb.negative else ''}"
    if x.cls == y.cls:
        if x.negative != y.negative:
            return _relation("contradiction", a, b, "polarity", x, y, f"{_quote(a)} and {_quote(b)}: same actor, {about}")
        if _verb_only(x.cls):
            return None  # one verb said twice is too little to say two speakers agree ("detained a woman")
        both = "both deny" if x.negative else "both assert"
        return _relation("agreement", a, b, "same-frame", x, y, f"{_quote(a)} and {_quote(b)}: same actor, {both} {x.cls}")
    if y.cls in lexicon.opposes.get(x.cls or "", ()):
        if not x.negative and not y.negative:
            return _relation("contradiction", a, b, "opposing-predicate", x, y,
                             f"{_quote(a)} and {_quote(b)}: same actor, {x.cls} against {y.cls} ({about})")
        if x.negative != y.negative:  # "are not leaving" says what "are defending" says
            return _relation("agreement", a, b, "same-frame", x, y,
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
            counted[(f.owner.story, f.frame.predicate, q.unit)][(f.owner.speakers, q.value, f.owner.hedged)].append(f)
    for groups in counted.values():  # the same predicate and counted noun ("people have fled")
        items = list(groups.values())
        for i, gx in enumerate(items):
            for gy in items[i + 1 :]:
                if (_different_speakers(gx[0].owner, gy[0].owner) and _apart(gx[0], gy[0], lexicon) and _same_count(gx[0], gy[0])
                        and _disputes_a_figure(gx[0], gy[0])):
                    for fx, fy in _fan_out(gx, gy):
                        yield _quantity_relation(fx, fy, lexicon)
    for article_frames in by_article.values():  # a bare figure answers the nearest one before it
        for bare in article_frames:
            if bare.frame.quantity.unit or not _FIGURE_WORDS.search(bare.owner.claim.text):  # type: ignore[union-attr]
                continue
            before = [f for f in article_frames if f.frame.start < bare.frame.start and _different_speakers(f.owner, bare.owner)]
            other = max(before, key=lambda f: f.frame.start, default=None)
            if other is not None and bare.owner.sent_index - other.owner.sent_index < _FIGURE_WINDOW and _apart(bare, other, lexicon):
                yield _quantity_relation(bare, other, lexicon)


def _apart(x: _Frame, y: _Frame, lexicon: ClaimLexicon) -> bool:
    """The two figures' ranges, each widened by the tolerance, do not meet.

    "at least 10" or "more than a dozen" is a lower bound and "fewer than 50" an upper one;
    "as many as 20,000" and "up to" assert about that figure, as a bare one does.
    """
    qx, qy = x.frame.quantity, y.frame.quantity
    assert qx is not None and qy is not None
    (lx, hx), (ly, hy) = _range(qx.value, qx.qualifier), _range(qy.value, qy.qualifier)
    if min(lx, ly) <= 0 and max(lx, ly) <= 0:
        return False
    widen = 1 + lexicon.tolerance
    return hx * widen < ly or hy * widen < lx


def _disputes_a_figure(x: _Frame, y: _Frame) -> bool:
    """One of the two speaks of the figure as such ("put the figure at", "the toll", "the $72 million figure").

    Two figures that merely differ are mostly of different things (a part and the whole,
    one attack and five years, a meteorite and its crater); a dispute names the figure.
    """
    return any(_FIGURE_WORDS.search(f.owner.claim.text) or f.owner.own & _FIGURE_NOUNS for f in (x, y))


def _same_count(x: _Frame, y: _Frame) -> bool:
    """Counts of one thing: the two claims share a name, or besides the unit and the verb a word ("people have
    fled the region"), two after a verb that says little ("there are 300 pounds")."""
    unit = {x.frame.quantity.unit if x.frame.quantity else ""}
    shared = (x.owner.content & y.owner.content) - unit - {x.frame.predicate}
    needed = _MIN_SHARED_TOPIC if x.frame.predicate.split(" ")[0] in _GENERIC_PREDICATES else 1
    return any(w.startswith("e:") for w in shared) or len(shared) >= needed


def _range(value: float, qualifier: str | None) -> tuple[float, float]:
    q = (qualifier or "").lower()
    if q in _LOWER_BOUNDS:
        return value, math.inf
    if q in _UPPER_BOUNDS:
        return 0.0, value
    return value, value


def _quantity_relation(x: _Frame, y: _Frame, lexicon: ClaimLexicon) -> ClaimRelation:
    qx, qy = x.frame.quantity, y.frame.quantity
    assert qx is not None and qy is not None
    a, b = _ordered(x.owner, y.owner)
    return _relation("contradiction", a, b, "quantity", x, y,
                     f"{_quote(a)} and {_quote(b)}: {qx.text} against {qy.text} (apart by more than {lexicon.tolerance:.0%})")


def _rejections(claims: Sequence[_Claim], negative: set[ClaimRef], lexicon: ClaimLexicon) -> Iterator[ClaimRelation]:
    """A rejection against the claims it rejects, found by what it rejects; agreement between two that reject one claim.

    A rejection names what it rejects in one of two ways. By content: "denied that anyone
    in Mosul had contracted Ebola", "the suggestion that ISIL fighters were apprehended at
    the border is false": its own words, less the words that only name a claim ("the
    reports", "categorically"), are the rejected statement, and the claims it rejects are
    the other speakers' claims that hold most of that statement's weight (IDF-weighted
    containment, entities counted as words). By reference: "rejected the claim", "called
    them lies": its words say nothing, so its sentence and the one before say what it
    answers, and only a claim made in the same article, just before, or naming the same
    things as strongly qualifies. A claim that itself denies (or is negated) is never the
    target: it says what the rejection says. Each rejection keeps its best few targets.
    A claim told by a voice that names nobody ("unconfirmed reports say …", "sources say …")
    is often the rumour itself; it is matched apart, and kept beside the named targets only
    when it scores at least ``_KEEP_SHARE`` of the best of them (alone when no named claim
    qualifies), so it never pushes a named voice out.
    """
    groups: dict[tuple[frozenset[str], str, int | None], list[_Claim]] = defaultdict(list)
    for c in claims:
        groups[(c.speakers, " ".join(c.claim.text.lower().split()), c.story)].append(c)
    idf = _idf([members[0].content for members in groups.values()])
    targets_by_story: dict[int | None, list[list[_Claim]]] = defaultdict(list)
    unnamed_by_story: dict[int | None, list[list[_Claim]]] = defaultdict(list)
    for members in groups.values():
        t = members[0]
        if t.rejecting or t.ref in negative or t.negated:
            continue
        if t.speakers:
            targets_by_story[t.story].append(members)
        elif _has_voice(t):  # "multiple unconfirmed reports say …", "sources told …": a voice that names nobody
            unnamed_by_story[t.story].append(members)
    pools = {story: _TargetPool(pool) for story, pool in targets_by_story.items()}
    unnamed = {story: _TargetPool(pool) for story, pool in unnamed_by_story.items()}
    empty = _TargetPool(())
    rejected_by: dict[int, list[list[_Claim]]] = defaultdict(list)
    previous: dict[str, tuple[int, list[tuple[list[_Claim], float, list[str]]]]] = {}  # per article, the last rejection's targets
    for rs in sorted((m for m in groups.values() if m[0].rejecting), key=lambda m: m[0].ref):
        r = rs[0]
        found = _rejected_claims(r, pools.get(r.story, empty), idf, lexicon)
        last = previous.get(r.ref.article_id)
        if not found and r.anaphoric and last is not None and 0 <= r.sent_index - last[0] <= _ANSWER_WINDOW:
            # "… rejected the claim. The three governments called the allegations false": the same target
            found = [(ts, score, shared, "inherited") for ts, score, shared, _ in last[1] if _different_speakers(r, ts[0])]
        # the rumour itself is often told by nobody named ("unconfirmed reports say …"): such claims are targets
        # too, but never in place of a named voice (the same share of the best as among the named; all of them
        # when no named claim qualifies)
        best = max((score for _, score, _, _ in found), default=0.0)
        found = found + [f for f in _rejected_claims(r, unnamed.get(r.story, empty), idf, lexicon) if f[1] >= _KEEP_SHARE * best]
        if found:
            previous[r.ref.article_id] = (r.sent_index, found)
        for ts, score, shared, basis in found:
            rejected_by[id(ts)].append(rs)
            for x, t in _fan_out(rs, ts):
                beside = basis != "inherited" and x.ref.article_id == t.ref.article_id and x.sent_index == t.sent_index
                yield _relation("contradiction", x, t, "explicit-rejection", x, t,
                                f"{_quote(x)} rejects {_quote(t)}: both about {', '.join(shared[:4])}",
                                basis="apposition" if beside else basis, match=score)
    agreeing: set[tuple[int, int]] = set()
    for rejecters in rejected_by.values():
        for i, gx in enumerate(rejecters):
            for gy in rejecters[i + 1 :]:
                key = (min(id(gx), id(gy)), max(id(gx), id(gy)))
                if key in agreeing or not _different_speakers(gx[0], gy[0]):
                    continue
                agreeing.add(key)
                same_article = {c.ref.article_id for c in gx} & {c.ref.article_id for c in gy}
                if not same_article:
                    continue  # across articles, two denials of one claim are mostly one denial reported twice
                for x, y in _fan_out(gx, gy):
                    if _same_quote(x, y):
                        continue
                    a, b = _ordered(x, y)
                    yield _relation("agreement", a, b, "shared-rejection", x, y, f"{_quote(a)} and {_quote(b)} reject the same claim")


def _idf(contents: Sequence[frozenset[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency of each word or entity key over the distinct statements."""
    df: Counter[str] = Counter(w for c in contents for w in c)
    n = len(contents)
    return {w: math.log((n + 1) / (k + 0.5)) for w, k in df.items()}


def _rejected_claims(
    r: _Claim, pool: _TargetPool, idf: Mapping[str, float], lexicon: ClaimLexicon
) -> list[tuple[list[_Claim], float, list[str], str]]:
    """The statements ``r`` rejects, best first: (their claims, how sure, the words they share, how found).

    By content when ``r``'s own words (less names and claim nouns) weigh enough; else by
    reference: the claims of a speaker it names ("ISIS is lying", "Hunter's claim"), or a
    claim just before it in its article that shares a word with its sentence.
    """
    naming = lexicon.claim_nouns | lexicon.rejections | lexicon.veridical | lexicon.hedges | _TOPIC_STOP | _TIME_WORDS
    entities = {w for w in r.content if w.startswith("e:")} | r.self_keys
    name_words = {x for w in entities for x in _name_words(w)}
    what = {w for w in r.content | r.self_keys if w not in naming}
    said = {w for w in what if not w.startswith("e:") and w not in name_words}
    found: dict[int, tuple[float, list[_Claim], set[str], str]] = {}

    def consider(members: list[_Claim], score: float, shared: set[str], basis: str) -> None:
        if id(members) not in found or found[id(members)][0] < score:
            found[id(members)] = (score, members, shared, basis)

    if said and (entities or len(said) >= _MIN_REJECTED_WORDS):
        total = _weight(what, idf)
        for members in pool.sharing(what):
            t = members[0]
            if not _may_reject(r, t):
                continue
            shared = what & t.asserted
            score = _weight(shared, idf) / total
            # two things in common of one kind: two names ("Ebola", "Mosul") or two of its own words ("leader", "dead")
            # or all of its few words and a name ("the Banksy arrest is a hoax": "Banksy was arrested")
            alike = (len(shared & said) >= _MIN_SHARED_TOPIC or len(shared & entities) >= _MIN_SHARED_NAMES
                     or (shared & said and len(shared & entities) >= _MIN_SHARED_TOPIC)
                     or (len(said) < _MIN_REJECTED_WORDS and said <= shared and shared & entities))
            if alike and score >= (_ANAPHORIC_SCORE if r.anaphoric else _MIN_SCORE):
                consider(members, score, shared, "content")
    if not found or r.anaphoric:  # by reference: what its sentence and the one before are about
        around = {w for w in r.around | r.content if w not in naming}
        answered = ({w for w in around if w.startswith("e:")} | r.around_countries) - r.speaker_keys
        names = name_words | _name_words_of(answered) | _words(r.claim.speaker_text or "")  # not "foreign minister" of its speaker
        topic = {w for w in around if not w.startswith("e:") and w not in names}
        own = {w for w in r.own | r.content if w not in naming and not w.startswith("e:") and w not in names}
        weight = max(_weight(topic, idf), 1.0)
        for members in pool.spoken_by(answered):  # "ISIS is lying": ISIS's claims about what its sentence is about
            t = members[0]
            shared = own & t.asserted
            if _may_reject(r, t) and shared:
                score = _weight(shared, idf) / weight
                if score >= _MIN_REFERENCE_SCORE:
                    consider(members, score, shared | (answered & t.speaker_keys), "speaker")
        for members in pool.before(r):  # "These accusations are lies": the claim just reported
            t = members[0]
            shared = topic & t.asserted
            score = _weight(shared, idf) / weight
            # A rejection that says what it rejects ("the reports of her capture are lies") answers a claim before
            # it only if that claim says it too: its sentence's topic alone picks a wrong one (her journey).
            says_it = r.anaphoric or not said or bool(said & t.asserted)
            if says_it and _may_reject(r, t) and len(shared) >= _MIN_SHARED_TOPIC and score >= _MIN_REFERENCE_SCORE:
                consider(members, score, shared, "before")
    ranked = sorted(found.values(), key=lambda f: (-f[0], f[1][0].ref))[:_MAX_TARGETS]
    best = ranked[0][0] if ranked else 0.0
    return [(members, round(score, 3), _readable(sorted(shared, key=lambda x: (-idf.get(x, 0.0), x))), basis)
            for score, members, shared, basis in ranked if score >= _KEEP_SHARE * best]


def _may_reject(r: _Claim, t: _Claim) -> bool:
    """Another speaker's claim that says something, not reported in the rejection's own sentence (that is context)."""
    if t.terms is None or len(t.terms.lemmas) < _MIN_TARGET_WORDS:
        return False
    if t.ref.article_id == r.ref.article_id and t.sent_index == r.sent_index:
        # context, unless the rejection is an apposition to it ("… part of Russia, a claim rejected by …")
        return r.anaphoric and 0 <= r.ref.start - t.ref.end <= _APPOSITION_GAP and _different_speakers(r, t, agentless_denial=True)
    return _different_speakers(r, t, agentless_denial=True)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def _name_words_of(keys: Iterable[str]) -> set[str]:
    return {x for k in keys for x in _name_words(k)}


def _name_words(key: str) -> set[str]:
    label = key.split("\x1f", 1)[1] if "\x1f" in key else ""
    return {w for w in re.findall(r"[a-z]+", label.lower())}


class _TargetPool:
    """The claims of one story a rejection may be aimed at, indexed by their words, their speakers and their place."""

    def __init__(self, groups: Iterable[list[_Claim]]) -> None:
        self.by_word: dict[str, list[list[_Claim]]] = defaultdict(list)
        self.by_speaker: dict[str, list[list[_Claim]]] = defaultdict(list)
        self.by_article: dict[str, list[list[_Claim]]] = defaultdict(list)
        for members in groups:
            for w in members[0].content:
                self.by_word[w].append(members)
            for k in members[0].speaker_keys:
                self.by_speaker[k].append(members)
            for c in members:
                self.by_article[c.ref.article_id].append(members)

    def sharing(self, words: Iterable[str]) -> list[list[_Claim]]:
        return _unique(m for w in words for m in self.by_word.get(w, ()))

    def spoken_by(self, keys: Iterable[str]) -> list[list[_Claim]]:
        return _unique(m for k in keys for m in self.by_speaker.get(k, ()))

    def before(self, r: _Claim) -> list[list[_Claim]]:
        """Statements with a claim in ``r``'s article within the answer window before it."""
        return _unique(
            m for m in self.by_article.get(r.ref.article_id, ())
            if any(c.ref.article_id == r.ref.article_id and 0 <= r.sent_index - c.sent_index <= _BEFORE_WINDOW and c.ref < r.ref for c in m)
        )


def _unique(items: Iterable[list[_Claim]]) -> list[list[_Claim]]:
    seen: dict[int, list[_Claim]] = {}
    for m in items:
        seen.setdefault(id(m), m)
    return list(seen.values())


def _weight(words: Iterable[str], idf: Mapping[str, float]) -> float:
    """The words' summed IDF, exactly rounded: a plain sum over a set depends on the set's order, which
    changes with the hash seed, and a last-bit difference would pick another of two tied targets."""
    return math.fsum(idf.get(w, 0.0) for w in words)


def _readable(words: Sequence[str]) -> list[str]:
    """Shared words for the explanation, entity keys as the names they stand for."""
    return [w.split("\x1f", 1)[1] if "\x1f" in w else w for w in words]
