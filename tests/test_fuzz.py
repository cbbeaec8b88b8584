"""Hostile input, generated: ingest and the whole build must take anything and say what they skip.

Two levels. Ingest (fast, many examples): random bytes and text in every
encoding, written to files of every extension, next to one real article;
every file comes back as an article or as a skipped input with a one-line
reason, every article's text is clean UTF-8 text with stable offsets, and the
real article is built exactly as on its own. Build (slow, few examples): the
real spaCy pipeline over a seed plus hostile files; the seed is in the graph
with its mentions and every hostile file is built or reported.

Runs are reproducible (``derandomize=True``): CI sees the same examples on
every run, and a failure names its input.
"""

from __future__ import annotations

import json
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from kgraph.ingest.article import Article
from kgraph.build import BuildResult, build
from kgraph.ingest.furniture import clean_text
from kgraph.ingest.sources import DEFAULT_MAX_ARTICLE_CHARS, IngestResult, ingest
from kgraph.rdf.store import open_store

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED = SEEDS / "000_2ed4ab707bf7d13e.txt"
SEED_ID = SEED.stem

# --------------------------------------------------------------------------
# Hostile material

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
BIDI = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
CONTROLS = "".join(map(chr, [*range(0x20), 0x7F, *range(0x80, 0xA0)]))
LINE_BREAKS = "\n\r\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e"
QUOTES = "“”\"«»‘’'„‟‹›「」"
SURROGATES = "\ud800\udbff\udc00\udfff"
ODD_LETTERS = "e\u0301\u0308ñÿ☃😀𝕂Київاﷺ\ufffd\U000e0001"
HOSTILE_CHARACTERS = ZERO_WIDTH + BIDI + CONTROLS + LINE_BREAKS + QUOTES + SURROGATES + ODD_LETTERS
WORDS = (
    "Kherson", "Budanov", "Kyrylo Budanov said", "Ukraine", "Russia", "the", "said", " ", ". ", "\n",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "</script>",
    "---", "date 2022-10-24", "Photo: Reuters", "by -922 Views", "(Getty Images)", "{", "}", "[", "]", ":",
)
ENCODINGS = (
    "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252", "mixed",
)
SUFFIXES = (".txt", ".html", ".htm", ".json", ".jsonl", "", ".TXT", ".md")

hostile_text = st.lists(
    st.one_of(
        st.sampled_from(WORDS),
        st.text(alphabet=HOSTILE_CHARACTERS, max_size=8),
        st.text(st.characters(categories=["L", "M", "N", "P", "S", "Z", "C"]), max_size=8),
    ),
    max_size=40,
).map("".join)

quote_soup = st.text(alphabet=QUOTES + " \n", min_size=1_000, max_size=4_000).map(
    lambda soup: f"Kyrylo Budanov said {soup} Kherson."
)


def encode(text: str, encoding: str) -> bytes:
    """``text`` as bytes, however broken: lone surrogates go out as (invalid) bytes too."""
    if encoding == "mixed":  # a UTF-8 half and a Latin-1 half
        half = len(text) // 2
        return text[:half].encode("utf-8", "surrogatepass") + text[half:].encode("latin-1", "replace")
    if encoding in ("latin-1", "cp1252"):
        return text.encode(encoding, "replace")
    return text.encode(encoding, "surrogatepass")


@st.composite
def encoded_text(draw: st.DrawFn, text: st.SearchStrategy[str] = hostile_text) -> bytes:
    return encode(draw(text), draw(st.sampled_from(ENCODINGS)))


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), hostile_text),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(hostile_text, inner, max_size=3)),
    max_leaves=8,
)
record = st.fixed_dictionaries(
    {},
    optional={
        "text": st.one_of(hostile_text, quote_soup, json_value),
        "id": st.one_of(hostile_text, st.integers(), json_value),
        "title": hostile_text,
        "url": st.one_of(st.just("javascript:alert(1)"), hostile_text),
        "outlet": hostile_text,
        "publisher": json_value,
        "date": st.one_of(st.just("2022-10-24T10:00:00Z"), st.just("2022-13-45"), hostile_text, json_value),
    },
)


@st.composite
def json_bytes(draw: st.DrawFn) -> bytes:
    """A record, a list of records, JSON Lines with broken lines, or deep nesting."""
    ascii_only = draw(st.booleans())  # True: lone surrogates become "\ud800" escapes

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=ascii_only)

    shape = draw(st.sampled_from(["record", "list", "lines", "nested", "nested-beside-text"]))
    if shape == "record":
        text = dump(draw(record))
    elif shape == "list":
        text = dump(draw(st.lists(st.one_of(record, json_value), max_size=4)))
    elif shape == "lines":
        lines = draw(st.lists(st.one_of(record.map(dump), hostile_text), max_size=5))
        text = "\n".join(line.replace("\n", " ") for line in lines)
    else:
        depth = draw(st.sampled_from([10, 999, 1_001, 10_000]))
        opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
        nested = opener * depth + "1" + closer * depth
        text = nested if shape == "nested" else '{"text": "Kherson is quiet.", "x": ' + nested + "}"
    return encode(text, draw(st.sampled_from(ENCODINGS)))


@st.composite
def front_matter_text(draw: st.DrawFn) -> bytes:
    values = st.one_of(
        hostile_text.map(lambda v: v.replace("\n", " ")),
        st.sampled_from(["2022-13-45", "0000-01-01", "[unclosed", "&a [*a]", "*nowhere", "!!python/object:os.system x"]),
    )
    keys = st.sampled_from(["id", "title", "date", "url", "outlet", "publisher", "x"])
    meta = "".join(f"{k}: {v}\n" for k, v in draw(st.lists(st.tuples(keys, values), max_size=4)))
    return encode(f"---\n{meta}---\n{draw(hostile_text)}", draw(st.sampled_from(ENCODINGS)))


@st.composite
def html_bytes(draw: st.DrawFn) -> bytes:
    depth = draw(st.sampled_from([0, 1, 300, 5_000]))
    title, body = draw(hostile_text), draw(st.lists(hostile_text, max_size=4))
    paragraphs = "".join(f"<p>{p}</p>" for p in body)
    page = f"<html><head><title>{title}</title></head><body>{'<div>' * depth}{paragraphs}{'</div>' * depth}</body></html>"
    return encode(page, draw(st.sampled_from(ENCODINGS)))


hostile_content = st.one_of(
    st.binary(max_size=2_000),
    encoded_text(),
    encoded_text(quote_soup),
    json_bytes(),
    front_matter_text(),
    html_bytes(),
)
hostile_files = st.lists(st.tuples(st.sampled_from(SUFFIXES), hostile_content), min_size=1, max_size=6)


# --------------------------------------------------------------------------
# What every ingest must satisfy


def _is_clean_article_text(text: str) -> bool:
    """Offsets are safe when the stored text is already in the one shape clean_text gives."""
    return (
        bool(text)
        and clean_text(text) == text
        and unicodedata.is_normalized("NFC", text)
        and all(ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs") for ch in text)
    )


def _one_line(value: str) -> bool:
    value.encode("utf-8")  # raises on a lone surrogate
    return bool(value) and "\n" not in value and "\r" not in value


def assert_well_formed(result: IngestResult, char_limit: int = DEFAULT_MAX_ARTICLE_CHARS) -> None:
    for article in result.articles:
        # Plain values in the asserts: a failing 10 MB text must not be printed.
        clean, length = _is_clean_article_text(article.text), len(article.text)
        assert clean, article.source
        assert length <= char_limit, article.source
        assert _one_line(article.id) and _one_line(article.source)
        for field in (article.title, article.url, article.outlet):
            assert field is None or _one_line(field), (article.source, field)
        assert article.date is None or len(article.date) == 10
    assert len({a.id for a in result.articles}) == len(result.articles)
    for skipped in result.skipped:
        assert _one_line(skipped.source) and _one_line(skipped.reason), skipped
    for source, kept in result.duplicates:
        assert _one_line(source) and kept in {a.id for a in result.articles}


def outcome_sources(result: IngestResult) -> list[str]:
    return [
        *(a.source for a in result.articles),
        *(s.source for s in result.skipped),
        *(source for source, _kept in result.duplicates),
    ]


def accounted_for(path: Path, sources: list[str]) -> bool:
    """A file is built or reported: as itself, a record ``file[3]`` or a line ``file:3``."""
    name = str(path)
    return any(s == name or s.startswith((f"{name}[", f"{name}:")) for s in sources)


@contextmanager
def corpus_dir() -> Iterator[Path]:
    """A fresh folder per example (pytest's tmp_path is shared by all examples of a test)."""
    with tempfile.TemporaryDirectory(prefix="kgraph-fuzz-") as tmp:
        yield Path(tmp)


def write_files(folder: Path, files: list[tuple[str, bytes]]) -> list[Path]:
    paths = []
    for number, (suffix, content) in enumerate(files):
        path = folder / f"hostile-{number:02d}{suffix}"
        path.write_bytes(content)
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def seed_alone() -> Article:
    (article,) = ingest([SEED]).articles
    return article


# --------------------------------------------------------------------------
# Ingest


FAST = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    # Examples are files on disk, some 10,000 levels deep; generation is fine, I/O is slow.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FAST
@given(files=hostile_files)
def test_ingest_reads_or_reports_every_hostile_file_and_builds_the_real_one(
    files: list[tuple[str, bytes]], seed_alone: Article
) -> None:
    with corpus_dir() as folder:
        (folder / SEED.name).write_bytes(SEED.read_bytes())
        paths = write_files(folder, files)

        result = ingest([folder])

    assert_well_formed(result)
    sources = outcome_sources(result)
    for path in paths:
        assert accounted_for(path, sources), f"{path.name} vanished: {sources}"
    seed = next(a for a in result.articles if a.source == str(folder / SEED.name))
    assert (seed.id, seed.text, seed.date) == (seed_alone.id, seed_alone.text, seed_alone.date)


@FAST
@given(text=st.one_of(hostile_text, quote_soup), encoding=st.sampled_from(ENCODINGS))
def test_any_text_file_gives_clean_text_or_a_reason(text: str, encoding: str) -> None:
    with corpus_dir() as folder:
        path = folder / "article.txt"
        path.write_bytes(encode(text, encoding))

        result = ingest([path])

    assert_well_formed(result)
    assert len(result.articles) + len(result.skipped) == 1


@FAST
@given(raw=st.one_of(hostile_text, quote_soup))
def test_clean_text_is_total_idempotent_and_utf8(raw: str) -> None:
    cleaned = clean_text(raw)

    assert cleaned == "" or _is_clean_article_text(cleaned)
    cleaned.encode("utf-8")


HUGE = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
HUGE_CHUNKS = ("Kherson is quiet. ", " ", "1 ", "(AP ", "“", "\u200b", "x" * 100 + "\n", "word\n")


@HUGE
@given(
    chunk=st.sampled_from(HUGE_CHUNKS),
    size=st.sampled_from([100_000, 1_000_000, 10_000_000]),
    suffix=st.sampled_from([".txt", ".json"]),
)
@example(chunk="Kherson is quiet today.\n", size=10_500_000, suffix=".txt")  # 10 MB, many lines
@example(chunk="Kherson ", size=10_500_000, suffix=".txt")  # 10 MB, one line
@example(chunk="Kherson ", size=1_000_001, suffix=".txt")  # just over the limit once stripped
def test_huge_articles_are_built_or_skipped_over_the_limit(chunk: str, size: int, suffix: str) -> None:
    # The text is made here, not drawn, so a failure prints three short values.
    text = (chunk * (size // len(chunk) + 1))[:size]
    with corpus_dir() as folder:
        path = folder / f"huge{suffix}"
        path.write_bytes(json.dumps({"text": text}).encode() if suffix == ".json" else text.encode())

        result = ingest([path])

    assert_well_formed(result)
    cleaned = len(clean_text(text))
    if cleaned > DEFAULT_MAX_ARTICLE_CHARS:
        assert [(s.source, s.reason) for s in result.skipped] == [
            (
                str(path),
                f"article has {cleaned:,} characters, over the limit of 1,000,000; raise it with --max-article-chars",
            )
        ]
    elif cleaned:
        assert [len(a.text) for a in result.articles] == [cleaned]
    else:
        assert [s.reason for s in result.skipped] == ["empty article"]


# --------------------------------------------------------------------------
# The whole build, with the real pipeline


SEED_ARTICLE_QUERY = """
PREFIX schema: <https://schema.org/>
SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?a schema:identifier "{id}" ; schema:mentions ?e }}
"""
IDENTIFIERS_QUERY = 'PREFIX schema: <https://schema.org/> SELECT ?id WHERE { ?a a schema:NewsArticle ; schema:identifier ?id }'


def graph_facts(out: Path) -> tuple[int, set[str]]:
    """(entities the seed mentions, identifiers of every article) as SPARQL sees them."""
    store = open_store(out)
    try:
        rows = store.query(SEED_ARTICLE_QUERY.format(id=SEED_ID), use_default_graph_as_union=True)
        seed_mentions = int(next(iter(rows))["n"].value)
        identifiers = {row["id"].value for row in store.query(IDENTIFIERS_QUERY, use_default_graph_as_union=True)}
    finally:
        del store
    return seed_mentions, identifiers


def build_with_seed(nlp: Language, files: list[tuple[str, bytes]]) -> tuple[BuildResult, list[Path], int, set[str]]:
    with corpus_dir() as tmp:
        corpus = tmp / "corpus"
        corpus.mkdir()
        (corpus / SEED.name).write_bytes(SEED.read_bytes())
        paths = write_files(corpus, files)

        result = build([corpus], tmp / "out", nlp=nlp)

        seed_mentions, identifiers = graph_facts(tmp / "out")
        for name in ("graph.ttl", "graph.trig", "graph.html", "report.md"):
            assert (tmp / "out" / name).stat().st_size > 0
    return result, paths, seed_mentions, identifiers


pipeline_content = st.one_of(
    encoded_text(quote_soup),
    encoded_text(),
    json_bytes(),
    front_matter_text(),
    html_bytes(),
    st.binary(max_size=500),
)
SOUP = "Kyrylo Budanov said " + "“ ” \" « » ‘ ’ ' " * 600 + "“Kherson will fall,” he said. «Unbalanced ‘ quote " * 40


@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(files=st.lists(st.tuples(st.sampled_from(SUFFIXES), pipeline_content), min_size=1, max_size=3))
@example(files=[(".txt", SOUP.encode()), (".txt", ("Budanov „said‟ " + "«" * 3_000 + "’" * 3_000).encode())])
@example(files=[(".txt", ("Budanov said " + "«’😀$)" * 4_000 + " Kherson.").encode())])  # no space for 20,000
@example(
    files=[
        (".json", json.dumps({"text": "Budanov\u200b said \u202eKherson\u202c “was” \ud800 quiet.", "id": "a\ud800"}).encode()),
        (".txt", "Kyrylo Budanov said:\u2028“They\u2029 are preparing”\x85to defend Kherson.".encode("utf-16-le")),
        (".jsonl", ('{"text": "' + "[" * 10_000 + '"}\n{"text": "Zelensky spoke in Kyiv.", "title": "<b>hi</b>"}').encode()),
    ]
)
def test_build_finishes_with_the_seed_in_the_graph_and_every_hostile_file_accounted_for(
    nlp: Language, files: list[tuple[str, bytes]]
) -> None:
    result, paths, seed_mentions, identifiers = build_with_seed(nlp, files)

    assert SEED_ID in {a.id for a in result.articles}
    assert seed_mentions >= 10  # the seed is fully built: its entities are in the graph
    assert {a.id for a in result.articles} == identifiers  # every article built is in the graph
    sources = [a.source for a in result.articles] + [s.source for s in result.skipped]
    sources += [source for source, _kept in result.duplicates]
    for path in paths:
        assert accounted_for(path, sources), f"{path.name} neither built nor reported: {sources}"
    for skipped in result.skipped:
        assert _one_line(skipped.reason)


def test_a_long_run_of_affixes_is_tokenised_in_linear_time(nlp: Language) -> None:
    # spaCy peels "«", "’", emoji, "$", ")" off a token one at a time, copying the
    # rest each time; unbroken, these 100,000 characters took about half an hour.
    text = clean_text("Budanov said " + "«’😀$)" * 20_000)

    started = time.perf_counter()
    doc = nlp.make_doc(text)

    assert time.perf_counter() - started < 10
    assert doc.text == text and len(doc) > 100_000


def test_build_skips_a_10_mb_article_with_the_limit_in_the_reason(nlp: Language) -> None:
    ten_mb = "".join(f"Paragraph {i} of a very long report on Kherson.\n" for i in range(210_000)).encode()
    assert len(ten_mb) > 10_000_000

    result, (path,), seed_mentions, identifiers = build_with_seed(nlp, [(".txt", ten_mb)])

    chars = len(clean_text(ten_mb.decode()))
    assert [(s.source, s.reason) for s in result.skipped] == [
        (str(path), f"article has {chars:,} characters, over the limit of 1,000,000; raise it with --max-article-chars")
    ]
    assert identifiers == {SEED_ID} and seed_mentions >= 10
