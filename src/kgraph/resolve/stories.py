"""Stories: the articles of a corpus grouped by what they report.

A user's corpus holds several stories at once ("the Kherson withdrawal", "the
clinic selfie"), and claims of two stories can never contradict each other.
Articles of one story share salient entities (resolved across articles, so
"Budanov" and "Kyrylo O. Budanov" count once) and wording; common names
(the United States, Reuters) and common words say little, rare ones a lot. So:

1. each article is a TF-IDF vector over its resolved entities (weight
   ``_ENTITY_WEIGHT``) and its content words;
2. two articles are linked when their cosine similarity reaches
   ``_SURE_SIMILARITY``, or reaches ``_MIN_SIMILARITY`` and each is among the
   other's ``_NEAREST`` most similar articles, and, when both are dated, they are
   at most ``_WINDOW_DAYS`` apart; candidate pairs come from an inverted index
   over the rarer features only, so the cost grows with the pairs that share
   something. Similarities run lower in a small corpus (five articles on one
   story share most of their words, so no word is rare), which the mutual
   nearest neighbours keep linked;
3. stories are the Louvain communities of that graph (networkx, fixed seed:
   the same corpus gives the same stories), a lone article its own story;
4. an article of a story of three or more that is linked to one member only
   and whose cosine with the centroid of the story's other articles is under
   ``_MIN_CENTROID`` leaves it: it was pulled in by one neighbour, not by what
   the story is about.

The thresholds were chosen on news-dev against the 44 stories of
``bench/gold/news_dev_stances.json`` (``bench/eval_disputes.py`` prints the
merges): with every link from 0.2, 16 of them shared a story with another
(four celebrity death hoaxes in one, a spider under the skin with a viral video
of a homeless man); with weak links kept only between mutual nearest
neighbours, six do (the death hoaxes, whose articles name each other, and
al-Baghdadi's wife with his reported death), the articles a reader marked as
off-story inside a gold story's kgraph story fell from 61 to 22, and no gold
story lost more than 9 % of its articles.

A story is labelled by its most salient entities, has its articles, its
period (the dates its articles give) and a key taken from one of its articles;
an incremental build (``kgraph build --into``) passes the earlier stories, so a
story keeps its IRI when articles are added to it, and a new article that joins
no story opens its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from kgraph.extract.entities import EntityMention
from kgraph.extract.events import parse_article_date
from kgraph.ingest.article import Article
from kgraph.resolve.entities import Resolution

__all__ = ["Story", "StoryResolution", "cluster_stories"]

_ENTITY_WEIGHT = 2.0  # an entity shared says more than a word shared
_MIN_SIMILARITY = 0.2
_SURE_SIMILARITY = 0.3  # below this a link needs the two articles to be among each other's nearest ...
_NEAREST = 3  # ... few: a mutual nearest-neighbour link, which a template two stories share rarely is
_MIN_CENTROID = 0.25  # an article of a story of 3+ resembles the rest of it as a whole this much, or is on its own
_WINDOW_DAYS = 45
# Features in more articles than this share (or than _MIN_CAP in a small corpus) never propose a
# pair on their own: they still count in the similarity of a pair that something rarer proposed.
_MAX_DF_SHARE = 0.05
_MIN_CAP = 30
_WORD_RE = re.compile(r"[A-Za-z][a-z]{3,}")
_LABEL_ENTITIES = 3
# Function words and reporting words: in every story alike.
_STOPWORDS = frozenset(
    """about above after again against also although among another around because been before being below
    between both could during each either every from further have having here however into itself just
    many more most much must never other over same should since some such than that their them then there
    these they this those through under until upon very were what when where whether which while whom whose
    will with within without would your said says told according reported report reports news article
    year years week weeks month months today yesterday monday tuesday wednesday thursday friday saturday
    sunday people time first last also like made make only well back even still""".split()
)


@dataclass(frozen=True, slots=True)
class Story:
    """One story: its articles, its most salient entities and its period."""

    key: str  # its IRI's last segment: its earlier build's key, else its smallest article id
    label: str
    article_ids: tuple[str, ...]
    entities: tuple[int, ...]  # indexes into ``Resolution.entities``, most salient first
    start: str | None  # earliest and latest article date (ISO), when any is dated
    end: str | None


@dataclass(frozen=True, slots=True)
class StoryResolution:
    stories: tuple[Story, ...]  # largest first
    story_of_article: Mapping[str, int]  # article id -> index into ``stories``


def cluster_stories(
    articles: Sequence[Article],
    mentions: Mapping[str, Sequence[EntityMention]],
    resolution: Resolution,
    *,
    previous: Mapping[str, str] | None = None,
) -> StoryResolution:
    """Group ``articles`` into stories (see the module docstring).

    ``previous`` maps the articles of an earlier build to their story's key: a story that
    holds articles of an earlier story keeps that story's key (the one most of them had;
    the larger story first), so an incremental build adds an article to its story
    rather than renaming the story. Other stories take their smallest article id.
    """
    ids = [a.id for a in articles]
    vectors = _vectors(articles, mentions, resolution)
    dates = {a.id: parse_article_date(a.date) for a in articles}
    G = nx.Graph()
    G.add_nodes_from(ids)
    sims = _similarities(vectors, _MIN_SIMILARITY)
    nearest = _nearest(sims, _NEAREST)
    for (i, j), sim in sims.items():
        a, b = ids[i], ids[j]
        sure = sim >= _SURE_SIMILARITY or (j in nearest[i] and i in nearest[j])
        if sure and _within_window(dates[a], dates[b]):
            G.add_edge(a, b, weight=sim)
    groups = nx.community.louvain_communities(G, weight="weight", seed=0) if G.number_of_edges() else [{n} for n in G]
    index = {aid: i for i, aid in enumerate(ids)}
    groups = [part for g in groups for part in _detach_strays(sorted(g), vectors, index, G)]
    named: defaultdict[str, set[int]] = defaultdict(set)  # article id -> the entities it mentions
    for (aid, _, _), e in resolution.entity_of_mention.items():
        named[aid].add(e)
    stories = [_story(sorted(g), vectors, index, dates, resolution, named) for g in groups]
    stories = _keep_keys(stories, previous or {})
    stories.sort(key=lambda s: (-len(s.article_ids), s.key))
    story_of_article = {aid: i for i, s in enumerate(stories) for aid in s.article_ids}
    return StoryResolution(tuple(stories), story_of_article)


def _detach_strays(
    members: list[str], vectors: Sequence[Mapping[str, float]], index: Mapping[str, int], G: nx.Graph
) -> list[list[str]]:
    """The story without the articles linked to one member only and unlike the rest; those, as linked among themselves.

    A link graph chains: one strong link to one member pulls an article in ("the US Air
    Force tanker contract" beside one article on US weapons in a corpus on Kherson). The
    whole story's centroid says what the story is about; an article far from the centroid
    of the others is not about it. Strays still linked to each other (a smaller story
    Louvain merged into a larger one) stay together.
    """
    if len(members) < 3:
        return [members]
    total: defaultdict[str, float] = defaultdict(float)
    for aid in members:
        for f, x in vectors[index[aid]].items():
            total[f] += x
    kept, strays = [], []
    inside = set(members)
    for aid in members:
        own = vectors[index[aid]]
        rest = {f: t - own.get(f, 0.0) for f, t in total.items()}
        norm = math.sqrt(sum(x * x for x in rest.values())) or 1.0
        alike = sum(x * rest.get(f, 0.0) for f, x in own.items()) / norm >= _MIN_CENTROID
        (kept if alike or sum(1 for n in G[aid] if n in inside) > 1 else strays).append(aid)
    if not kept or not strays:
        return [members]
    return [kept, *(sorted(c) for c in nx.connected_components(G.subgraph(strays)))]


def _keep_keys(stories: list[Story], previous: Mapping[str, str]) -> list[Story]:
    """Each story keyed by the earlier story most of its articles were in, else by an unused article id."""
    used: set[str] = set()
    keyed: list[Story] = []
    for story in sorted(stories, key=lambda s: (-len(s.article_ids), s.key)):
        earlier = Counter(previous[a] for a in story.article_ids if a in previous)
        choices = [k for k, _ in sorted(earlier.items(), key=lambda kv: (-kv[1], kv[0]))] + list(story.article_ids)
        key = next((k for k in choices if k not in used), story.key)
        used.add(key)
        keyed.append(dataclasses.replace(story, key=key))
    return keyed


def _nearest(sims: Mapping[tuple[int, int], float], k: int) -> defaultdict[int, set[int]]:
    """Each article's ``k`` most similar articles (ties by index, so every process agrees)."""
    around: defaultdict[int, list[tuple[float, int]]] = defaultdict(list)
    for (i, j), sim in sims.items():
        around[i].append((-sim, j))
        around[j].append((-sim, i))
    found: defaultdict[int, set[int]] = defaultdict(set)
    for i, others in around.items():
        found[i] = {j for _, j in heapq.nsmallest(k, others)}
    return found


def _vectors(
    articles: Sequence[Article], mentions: Mapping[str, Sequence[EntityMention]], resolution: Resolution
) -> list[dict[str, float]]:
    """Each article's TF-IDF vector, L2-normalised; entity features are "e:<index>", words "w:<word>"."""
    counts: list[Counter[str]] = []
    for a in articles:
        c: Counter[str] = Counter()
        for m in mentions.get(a.id, ()):
            e = resolution.entity_of_mention.get((a.id, m.start, m.end))
            if e is not None:
                c[f"e:{e}"] += 1
        for w in _WORD_RE.findall(a.text):
            w = w.lower()
            if w not in _STOPWORDS:
                c[f"w:{w}"] += 1
        counts.append(c)
    n = len(articles)
    df: Counter[str] = Counter(f for c in counts for f in c)
    vectors = []
    for c in counts:
        v = {}
        for f, tf in c.items():
            if df[f] < 2:  # a feature no other article has links nothing
                continue
            weight = _ENTITY_WEIGHT if f.startswith("e:") else 1.0
            # Smoothed IDF: a name every article shares (Kherson in five articles on Kherson) still links them.
            v[f] = weight * (1 + math.log(tf)) * (math.log((1 + n) / (1 + df[f])) + 1)
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors.append({f: x / norm for f, x in v.items() if x > 0})
    return vectors


def _similarities(vectors: Sequence[Mapping[str, float]], threshold: float = _MIN_SIMILARITY) -> dict[tuple[int, int], float]:
    """Cosine similarity of every pair at ``threshold`` or above that shares a feature in not too many articles.

    Row by row: article i's dot products with later articles are summed over the rarer
    features' posting lists (in the same order for every pair, so equal sums in every
    process), then the common features' share is added. A pair whose rare part plus the
    product of the two articles' common-feature norms (Cauchy-Schwarz: the most the common
    features can add) stays under ``threshold`` is dropped without that sum. Only the
    pairs kept are held, not every pair that shares something, which at ten thousand
    articles was tens of millions of pairs and gigabytes.
    """
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, v in enumerate(vectors):
        for f, x in v.items():
            postings[f].append((i, x))
    cap = max(_MIN_CAP, int(_MAX_DF_SHARE * len(vectors)))
    common = {f for f, p in postings.items() if len(p) > cap}
    own = [sorted((f, x) for f, x in v.items() if f in common) for v in vectors]
    norms = [math.sqrt(sum(x * x for _, x in o)) for o in own]
    rows: defaultdict[int, list[tuple[list[tuple[int, float]], int]]] = defaultdict(list)
    for posting in postings.values():
        if len(posting) <= cap:
            for k, (i, _) in enumerate(posting):
                rows[i].append((posting, k))
    kept: dict[tuple[int, int], float] = {}
    for i in range(len(vectors)):
        dots: defaultdict[int, float] = defaultdict(float)
        for posting, k in rows.get(i, ()):
            x = posting[k][1]
            for j, y in posting[k + 1 :]:
                dots[j] += x * y
        for j in sorted(dots):
            dot = dots[j]
            if dot + norms[i] * norms[j] < threshold - 1e-9:
                continue
            a, b = (i, j) if len(own[i]) <= len(own[j]) else (j, i)
            other = vectors[b]
            dot += sum(x * other[f] for f, x in own[a] if f in other)
            if dot >= threshold:
                kept[(i, j)] = dot
    return kept


def _story(
    member_ids: list[str], vectors: Sequence[Mapping[str, float]], index: Mapping[str, int],
    dates: Mapping[str, dt.date | None], resolution: Resolution, named: Mapping[str, set[int]],
) -> Story:
    weight: Counter[int] = Counter()
    for aid in member_ids:
        for f, x in vectors[index[aid]].items():
            if f.startswith("e:"):
                weight[int(f[2:])] += x
    if not weight:  # an article with no entity another article shares: its own entities
        weight.update({e: 1.0 for aid in member_ids for e in named.get(aid, ())})
    top = [e for e, _ in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))]
    label = " · ".join(resolution.entities[e].label for e in top[:_LABEL_ENTITIES]) or f"article {member_ids[0]}"
    known = sorted(d for aid in member_ids if (d := dates[aid]) is not None)
    return Story(
        key=min(member_ids),
        label=label,
        article_ids=tuple(member_ids),
        entities=tuple(top[:10]),
        start=known[0].isoformat() if known else None,
        end=known[-1].isoformat() if known else None,
    )


def _within_window(a: dt.date | None, b: dt.date | None) -> bool:
    return a is None or b is None or abs((a - b).days) <= _WINDOW_DAYS
