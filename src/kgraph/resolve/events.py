"""Event resolution: event mentions in many articles -> canonical events, each merge with its reason.

NewsReader's cross-document event coreference compares events by class,
participants, place and time; so does this, with rules that each record why
(``MERGE_RULES`` in :mod:`kgraph.rdf.vocab`):

1. ``event-shared-participant``: same class, a shared patient or place (the
   same resolved entity, the same country (by the gazetteer of
   :mod:`kgraph.gazetteer`: "Russian troops" and "Russia" share "n:RUS"), or the
   same head noun), and
   nothing that tells them apart: no two different places, no two different
   patients, no two times that cannot be the same (2014 against 2022-09);
2. ``event-same-actor-and-time``: same class and agent and the same known
   time, for events that name no patient or place ("Russia attacked on Monday");
   inside one article the same agent is enough, since an article follows one
   instance of a class;
3. ``event-anaphora-in-article``: a mention that names no participant, place
   or time ("the retreat") is the article's most recent event of its class.

Rules 1 to 3 run first inside each article, then across articles over the
article-level events, so that what one article says of an event in several
sentences is compared as a whole. Modality never blocks a merge: the planned
retreat one outlet reports and the retreat another denies are one event with
two readings, which is what a reader wants to compare.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from networkx.utils import UnionFind

from kgraph.ingest.article import Article
from kgraph.extract.attribution import Citation
from kgraph.extract.entities import EntityMention
from kgraph.extract.events import EventArgument, EventMention, parse_article_date
from kgraph.extract.findings import ArticleFindings
from kgraph.extract.timex import normalise
from kgraph.lexicons import EventLexicon
from kgraph.resolve.names import fold
from kgraph.resolve.entities import Resolution
from kgraph.gazetteer import country_code, country_name, nationality_codes

__all__ = ["SIDE_PRONOUNS", "ArgumentKeys", "EventMerge", "EventResolution", "ResolvedEvent", "nationality_keys", "resolve_events", "times_compatible"]

# Pronouns that stand for a side ("they are not leaving") and all pronouns (never a participant key).
SIDE_PRONOUNS = frozenset({"they", "them", "it", "we"})
_PRONOUNS = SIDE_PRONOUNS | frozenset({"he", "she", "i", "you", "this", "that", "which", "who", "these", "those"})
_OF_PHRASE = re.compile(r"^\s+of\s+(?:the\s+)?$")


@dataclass(frozen=True, slots=True)
class EventMerge:
    form: str  # the trigger of the mention that joined
    rule: str
    detail: str
    articles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ResolvedEvent:
    event_class: str
    label: str
    alt_labels: tuple[str, ...]  # every trigger form its mentions use ("retreat", "pull out")
    agents: tuple[int, ...]  # entity indexes into Resolution.entities
    patients: tuple[int, ...]
    places: tuple[int, ...]
    time_value: str | None  # the most precise normalised time any mention gives
    time_text: str | None
    modalities: tuple[str, ...]
    article_ids: tuple[str, ...]
    mention_count: int
    merges: tuple[EventMerge, ...]
    key: str  # stable identity seed: class plus the earliest mention


@dataclass(frozen=True, slots=True)
class EventResolution:
    events: tuple[ResolvedEvent, ...]
    # (article id, trigger start, trigger end) -> index into ``events``
    event_of_mention: Mapping[tuple[str, int, int], int]
    # (article id, trigger start, trigger end) -> normalised time value of that mention
    time_of_mention: Mapping[tuple[str, int, int], str]


@dataclass
class _Keys:
    """What identifies an event's participants, as comparable strings."""

    agent: set[str]
    patient: set[str]
    place: set[str]
    times: set[str]

    def strong(self) -> set[str]:
        return self.patient | self.place

    def merge(self, other: _Keys) -> None:
        self.agent |= other.agent
        self.patient |= other.patient
        self.place |= other.place
        self.times |= other.times

    def empty(self) -> bool:
        return not (self.agent or self.patient or self.place or self.times)


def times_compatible(a: str, b: str) -> bool:
    """Can two ISO values (day, month, year or week) be the same time? ``2022-10`` and ``2022-10-24`` can."""
    if a[:4] != b[:4]:
        return False
    wa, wb = "W" in a, "W" in b
    if wa or wb:
        if wa and wb:
            return a == b
        week, day = (a, b) if wa else (b, a)
        if len(day) != 10:
            return True
        try:
            y, w, _ = dt.date.fromisoformat(day).isocalendar()
        except ValueError:
            return False
        return week == f"{y}-W{w:02d}"
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _all_times_compatible(xs: set[str], ys: set[str]) -> bool:
    return all(times_compatible(x, y) for x in xs for y in ys)


def nationality_keys(text: str) -> set[str]:
    """ "Russian troops", "the North Korean leadership" ~ the country: "n:" and the alpha-3 code of each demonym.

    Whole demonyms from the gazetteer, so "Austrian" is never "Australian" and "Sergei" no
    nationality. Demonyms only: a country's name in a phrase that resolved to no entity
    modifies another head ("Ukraine's counteroffensive"), and such a name is no participant
    (see :meth:`ArgumentKeys.entity`).
    """
    return {"n:" + code for code in nationality_codes(text, names=False)}


class ArgumentKeys:
    """Argument phrase -> keys, through the article's resolved entity mentions."""

    def __init__(self, article_id: str, mentions: Sequence[EntityMention], resolution: Resolution, generic_heads: frozenset[str]) -> None:
        self.aid = article_id
        self.generic_heads = generic_heads
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.resolution = resolution

    def entity(self, arg: EventArgument) -> int | None:
        """The entity the head word names, or the one an "of" phrase after the head names ("the city of Kherson").

        A name that only modifies the head is not the participant ("Boeing 787 aircraft",
        "Moscow-appointed officials").
        """
        head_word = fold(arg.text[arg.head_start - arg.start : arg.head_end - arg.start])
        generic_head = head_word in self.generic_heads or head_word.rstrip("s") in self.generic_heads
        of_phrase: int | None = None
        modifier: int | None = None
        for m in self.mentions:
            if m.start >= arg.end:
                break
            if m.end <= arg.start:
                continue
            idx = self.resolution.entity_of_mention.get((self.aid, m.start, m.end))
            if idx is None:
                continue
            if m.start <= arg.head_start < m.end:
                return idx
            between = arg.text[arg.head_end - arg.start : m.start - arg.start]
            if of_phrase is None and m.start >= arg.head_end and _OF_PHRASE.match(between):
                of_phrase = idx
            if m.end <= arg.head_start and generic_head:
                modifier = idx  # "Kherson city", "Russia's army": the place or country the generic head belongs to
        return of_phrase if of_phrase is not None else modifier

    def keys(self, arg: EventArgument | None) -> tuple[set[str], int | None]:
        if arg is None:
            return set(), None
        head = fold(arg.text[arg.head_start - arg.start : arg.head_end - arg.start])
        if head in _PRONOUNS:
            return set(), None
        idx = self.entity(arg)
        keys: set[str] = set()
        if idx is not None:
            entity = self.resolution.entities[idx]
            keys.add(f"e:{idx}")
            code = country_code(entity.label) if entity.kind == "place" else None
            if code is not None:
                keys.add("n:" + code)  # a country: its people's adjective shares the key
        else:
            keys |= nationality_keys(arg.text)
            if not keys:
                keys.add("w:" + head.rstrip("s"))
        return keys, idx


def resolve_events(
    articles: Sequence[Article],
    findings: Mapping[str, ArticleFindings],
    mentions: Mapping[str, Sequence[EntityMention]],
    resolution: Resolution,
    lexicon: EventLexicon,
    group_heads: Iterable[str],
) -> EventResolution:
    """Cluster every article's event mentions into canonical events (see the module docstring).

    ``group_heads`` are nouns that stand for a body of people ("army", "officials"): with a
    named modifier they are that name's participant ("Russia's army" acts for Russia): the
    collective-source nouns of the attribution lexicon.
    """
    items: list[tuple[str, EventMention]] = []
    keys: list[_Keys] = []
    entities: list[tuple[int | None, int | None, int | None]] = []
    time_of: dict[tuple[str, int, int], str] = {}
    generic_heads = lexicon.place_nouns | frozenset(group_heads)
    for a in articles:
        anchor = parse_article_date(a.date)
        ak = ArgumentKeys(a.id, mentions[a.id], resolution, generic_heads)
        recent_agent: set[str] = set()
        for ev in findings[a.id].events:
            agent, ai = ak.keys(ev.agent)
            patient, pi = ak.keys(ev.patient)
            place, li = ak.keys(ev.place)
            cited = _citation_of(ev, findings[a.id].citations)
            if cited is not None:  # "the interview": its speaker gave it, to its outlet
                if not agent and cited.speaker_start is not None:
                    agent, ai = ak.keys(_span(a.text, cited.speaker_start, cited.speaker_end))  # type: ignore[arg-type]
                if not patient and cited.outlet_start is not None:
                    patient, pi = ak.keys(_span(a.text, cited.outlet_start, cited.outlet_end))  # type: ignore[arg-type]
            if not agent and ev.agent is not None and fold(ev.agent.text) in SIDE_PRONOUNS:
                agent = set(recent_agent)  # "they are not leaving": the article's latest named actor
            elif any(not k.startswith("w:") for k in agent) and (ai is None or resolution.entities[ai].kind != "person"):
                recent_agent = {k for k in agent if not k.startswith("w:")}  # "they" is a side, not one person
            value = ev.time_value
            if value is None and ev.time is not None and ev.time_relative:
                value, _ = normalise(ev.time.text, anchor, future=ev.time_future)
            if value is not None:
                time_of[(a.id, ev.start, ev.end)] = value
            items.append((a.id, ev))
            keys.append(_Keys(agent, patient, place, {value} if value else set()))
            entities.append((ai, pi, li))

    kinds = {f"e:{i}": e.kind for i, e in enumerate(resolution.entities)}
    names = {f"e:{i}": e.label for i, e in enumerate(resolution.entities)}
    uf = UnionFind(range(len(items)))
    lead: dict[int, int] = {}  # a set's name in ``uf`` -> the mention the cluster is named by
    cluster_keys: dict[int, _Keys] = {i: _Keys(set(k.agent), set(k.patient), set(k.place), set(k.times)) for i, k in enumerate(keys)}
    merges: dict[int, list[EventMerge]] = defaultdict(list)

    def root(i: int) -> int:
        """The cluster's lead, whichever member ``uf`` names the set by: ``join(i, j)`` keeps i's.

        ``cluster_keys`` and ``merges`` are kept under it, and the cross-article pass and
        the merge texts name clusters by it.
        """
        name = uf[i]
        return lead.get(name, name)

    def join(i: int, j: int, rule: str, detail: str) -> None:
        ri, rj = root(i), root(j)
        if ri == rj:
            return
        uf.union(ri, rj)
        lead[uf[ri]] = ri
        cluster_keys[ri].merge(cluster_keys.pop(rj))
        arts = tuple(sorted({items[i][0], items[j][0]}))
        merges[ri].extend(merges.pop(rj, []))
        merges[ri].append(EventMerge(items[j][1].trigger, rule, detail, arts))

    def describe(i: int) -> str:
        aid, ev = items[i]
        return f"“{ev.trigger}” in {aid}"

    by_article: dict[str, list[int]] = defaultdict(list)
    for i, (aid, _) in enumerate(items):
        by_article[aid].append(i)

    # 1 + 2 inside each article, then 3 (anaphora) for the mentions still alone
    for aid, idxs in by_article.items():
        _join_compatible(idxs, items, root, cluster_keys, join, describe, kinds, names, lexicon.campaigns, same_article=True)
        for pos, i in enumerate(idxs):
            if not keys[i].empty():
                continue
            cls = items[i][1].event_class
            earlier = [j for j in idxs[:pos] if items[j][1].event_class == cls]
            if earlier and root(i) == i:
                j = earlier[-1]
                join(j, i, "event-anaphora-in-article", f"{describe(i)} names no participant, place or time: it is the article's {cls} just before ({describe(j)})")
    # 1 + 2 across articles, over article-level clusters
    roots = sorted({root(i) for i in range(len(items))})
    _join_compatible(roots, items, root, cluster_keys, join, describe, kinds, names, lexicon.campaigns, same_article=False)

    return _collect(items, entities, root, merges, time_of, resolution, lexicon)


def _citation_of(ev: EventMention, citations: Sequence[Citation]) -> Citation | None:
    """The interview or statement citation whose phrase holds this event's trigger."""
    return next((c for c in citations if c.kind in ("interview", "statement") and c.start <= ev.start and ev.end <= c.end), None)


def _span(text: str, start: int, end: int) -> EventArgument:
    return EventArgument(start, end, start, end, text[start:end])


def _different_actors(a: set[str], b: set[str], kinds: Mapping[str, str]) -> bool:
    """Both name their agent as people or organisations of one kind, and none is shared.

    Places are left out: a capital stands for its country's government ("Moscow's annexation"
    is Russia's), so two place agents never tell events apart.
    """
    ea = {k for k in a if k.startswith("e:") and kinds[k] in ("person", "organization")}
    eb = {k for k in b if k.startswith("e:") and kinds[k] in ("person", "organization")}
    if not ea or not eb or ea & eb:
        return False
    return bool({kinds[k] for k in ea} & {kinds[k] for k in eb})


def _join_compatible(idxs, items, root, cluster_keys, join, describe, kinds, names, campaigns, *, same_article: bool) -> None:  # type: ignore[no-untyped-def]
    """Join clusters of one class that share a participant key and conflict on nothing (rules 1 and 2)."""
    def named(keys: set[str]) -> set[str]:
        # across articles only names count: "the city" in two articles need not be one city
        return keys if same_article else {k for k in keys if not k.startswith("w:")}

    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in idxs:
        r = root(i)
        k = cluster_keys[r]
        cls = items[i][1].event_class
        for key in named(k.strong() | k.agent):
            blocks[(cls, key)].append(i)
    for (cls, key), members in sorted(blocks.items()):
        for a, b in zip(members, members[1:]):
            ra, rb = root(a), root(b)
            if ra == rb:
                continue
            ka, kb = cluster_keys[ra], cluster_keys[rb]
            if not _all_times_compatible(ka.times, kb.times):
                continue
            if ka.place and kb.place and not ka.place & kb.place:
                continue
            if ka.patient and kb.patient and not ka.patient & kb.patient:
                continue
            if _different_actors(ka.agent, kb.agent, kinds):
                continue  # Aeroflot's purchase of Boeing jets is not China Eastern's
            shared_strong = named(ka.strong() & kb.strong())
            if shared_strong:
                join(ra, rb, "event-shared-participant", f"{describe(a)} and {describe(b)}: both {cls}, sharing {_show(shared_strong, names)}, nothing apart")
                continue
            shared_agent = {k for k in ka.agent & kb.agent if k.startswith("e:")}  # a named actor, not "Russian …"
            same_time = bool(ka.times and kb.times and ka.times == kb.times)
            if shared_agent and (same_article or same_time):
                why = "in one article" if same_article and not same_time else f"at {', '.join(sorted(ka.times))}"
                join(ra, rb, "event-same-actor-and-time", f"{describe(a)} and {describe(b)}: both {cls} by {_show(shared_agent, names)} {why}")
                continue
            shared_side = {k for k in ka.agent & kb.agent if not k.startswith("w:")}
            if shared_side and cls in campaigns and not ka.times and not kb.times:
                join(ra, rb, "event-same-campaign", f"{describe(a)} and {describe(b)}: one {cls} campaign by {_show(shared_side, names)}, undated, nothing apart")


def _show(keys: set[str], names: Mapping[str, str]) -> str:
    """Participant keys as a reader wants them: entity labels, country names ("n:RUS" is Russia), head nouns."""
    def shown(k: str) -> str:
        kind, _, value = k.partition(":")
        if k in names:
            return names[k]
        return (country_name(value) or value) if kind == "n" else value

    return ", ".join(sorted({shown(k) for k in keys}))  # an entity and its country key show once


def _collect(items, entities, root, merges, time_of, resolution: Resolution, lexicon: EventLexicon) -> EventResolution:  # type: ignore[no-untyped-def]
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        groups[root(i)].append(i)
    ordered = sorted(groups.values(), key=lambda g: (items[g[0]][0], items[g[0]][1].start))
    events: list[ResolvedEvent] = []
    event_of: dict[tuple[str, int, int], int] = {}
    for members in ordered:
        first_aid, first = items[members[0]]
        cls = first.event_class
        agents = Counter(entities[i][0] for i in members if entities[i][0] is not None)
        patients = Counter(entities[i][1] for i in members if entities[i][1] is not None)
        places = Counter(entities[i][2] for i in members if entities[i][2] is not None
                         and resolution.entities[entities[i][2]].kind == "place")
        times = [(time_of.get((items[i][0], items[i][1].start, items[i][1].end)), items[i][1]) for i in members]
        known = [(v, ev) for v, ev in times if v]
        value, text = (max(known, key=lambda t: len(t[0]))[0], max(known, key=lambda t: len(t[0]))[1].time.text) if known else (None, None)  # type: ignore[union-attr]
        if text is None:
            text = next((ev.time.text for _, ev in times if ev.time is not None), None)
        label = _label(lexicon.class_label.get(cls, cls), agents, patients, places, value, members, items, resolution)
        idx = len(events)
        for i in members:
            aid, ev = items[i]
            event_of[(aid, ev.start, ev.end)] = idx
        events.append(ResolvedEvent(
            event_class=cls, label=label,
            alt_labels=tuple(sorted({items[i][1].trigger for i in members} - {label})),
            agents=tuple(e for e, _ in agents.most_common()), patients=tuple(e for e, _ in patients.most_common()),
            places=tuple(e for e, _ in places.most_common()), time_value=value, time_text=text,
            modalities=tuple(sorted({items[i][1].modality for i in members})),
            article_ids=tuple(sorted({items[i][0] for i in members})), mention_count=len(members),
            merges=tuple(merges.get(root(members[0]), ())),
            key=hashlib.sha1(f"{cls}\x1f{first_aid}\x1f{first.start}".encode()).hexdigest()[:10],
        ))
    return EventResolution(tuple(events), event_of, time_of)


def _label(cls_label: str, agents: Counter[int], patients: Counter[int], places: Counter[int], value: str | None,
           members: Sequence[int], items: Sequence[tuple[str, EventMention]], resolution: Resolution) -> str:
    """ "withdrawal: Russia, in Kherson (2022-10)": class, then who, what, where, when, as far as known."""
    def name(c: Counter[int]) -> str | None:
        return resolution.entities[c.most_common(1)[0][0]].label if c else None

    agent = name(agents) or next((items[i][1].agent.text for i in members if items[i][1].agent is not None
                                  and items[i][1].agent.text.lower() not in _PRONOUNS), None)
    patient = name(patients)
    where = name(places)
    label = cls_label
    if agent and patient:
        label += f": {agent} → {patient}"
    elif agent:
        label += f": {agent}"
    elif patient:
        label += f" → {patient}"  # no colon: the patient is not who acted
    if where and where not in (agent, patient):
        label += f"{',' if agent or patient else ':'} in {where}"
    if value:
        label += f" ({value})"
    return label
