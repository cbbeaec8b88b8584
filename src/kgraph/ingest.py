"""Read article sources (files, directories, globs) into cleaned :class:`Article` values.

This is the I/O edge of the pipeline: every later stage reads ``Article.text``
and indexes it by character offset, so text is cleaned here once
(:func:`kgraph.furniture.clean_text`) and never touched again.

Bad input is data, not an error: :func:`ingest` never raises for it. Each input
that is not built is returned as a :class:`Skipped` with a one-line reason, so
one broken file in a folder of hundreds costs that file only. Readers raise
:class:`InputError` for a whole-file problem; :func:`ingest` turns it into a
:class:`Skipped` at the file boundary.
"""

from __future__ import annotations

import codecs
import datetime as dt
import glob
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import charset_normalizer
import yaml

from kgraph.article import Article, Skipped
from kgraph.errors import InputError
from kgraph.furniture import clean_text

__all__ = ["IngestResult", "SUPPORTED_SUFFIXES", "ingest", "normalize_date"]

# Front-matter and record keys that name the outlet, in order of preference.
_OUTLET_KEYS = ("outlet", "publisher", "source")
# Decoded text with more than this share of control or replacement characters
# is a binary file that some codec happened to accept.
_MAX_NON_TEXT_SHARE = 0.05
_TEXT_CONTROLS = frozenset("\n\r\t\f\v")
# Byte-order marks of encodings whose text legitimately contains NUL bytes.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Legacy news text is overwhelmingly Windows-1252; charset_normalizer scores it
# level with cp1250/cp1257 when only letters they share occur (it then prints
# "naďve" for "naïve"), so a tie goes to cp1252.
_PREFERRED_LEGACY_ENCODING = "cp1252"
_HASH_SUFFIX_LENGTH = 8
_GLOB_MAGIC = frozenset("*?[")
# "date 2022-10-24" (or "Date: 2022-10-24") opening a text file, then a space
# and more text on the same line, or the end of the line.
_DATE_LINE = re.compile(
    r"\s*date(?:\s*:\s*|[ \t]+)(?P<date>\d{4}-\d{2}-\d{2})(?:[ \t]+|[ \t]*(?:\r?\n|$))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class IngestResult:
    """What :func:`ingest` built, what it skipped, and which inputs were duplicates."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]
    duplicates: tuple[tuple[str, str], ...]  # (dropped source, id of the article it duplicates)


def ingest(paths: Sequence[str | Path], *, max_article_chars: int | None = None) -> IngestResult:
    """Read every article under ``paths``; never raises for bad data.

    ``paths`` may name files, directories (walked recursively, hidden entries
    ignored) and glob patterns (``seeds/*.txt``, ``corpus/**``). Files are read
    in sorted path order, so ids and the order of articles do not depend on
    the order the paths were given in. Identical texts are built once; a
    second article whose id is taken gets ``<id>-<8 hex of its hash>``.
    Articles longer than ``max_article_chars`` (after cleaning) are skipped.
    """
    if isinstance(paths, (str, Path)):  # a lone path is a Sequence of characters
        paths = (paths,)
    files, skipped = _expand_inputs(paths)
    candidates: list[Article | Skipped] = []
    for path in files:
        candidates.extend(_read_file(path))
    articles, more_skipped, duplicates = _deduplicate(candidates, max_article_chars)
    return IngestResult(tuple(articles), tuple(skipped + more_skipped), tuple(duplicates))


def normalize_date(value: object) -> str | None:
    """Return ``value`` as an ISO ``YYYY-MM-DD`` date, or None if it is not one.

    Accepts ISO dates and datetimes (``2022-10-24``, ``2022-10-24T10:00:00Z``)
    and date objects. The calendar date is kept as written, not shifted to
    UTC, because that is the date the outlet published under. Anything else
    (``24/10/2022``, a bare year, an epoch number) is None: a wrong date is
    worse than none, so nothing is guessed.

    >>> normalize_date("2022-10-24T23:30:00-05:00")
    '2022-10-24'
    >>> normalize_date("October 24") is None
    True
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return dt.datetime.fromisoformat(value.strip()).date().isoformat()
    except ValueError:
        return None


# --- inputs -----------------------------------------------------------------


def _expand_inputs(paths: Iterable[str | Path]) -> tuple[list[Path], list[Skipped]]:
    """Turn files, directories and globs into one sorted list of distinct files."""
    found: dict[str, Path] = {}  # real path -> path as the user will see it
    skipped: list[Skipped] = []
    for given in paths:
        matches = _match_input(given)
        if not matches:
            skipped.append(Skipped(str(given), "no such file or directory"))
        for path in matches:
            for file in _walk(path) if path.is_dir() else (path,):
                # realpath, unlike Path.resolve, does not raise on a symlink loop
                found.setdefault(os.path.realpath(file), file)
    return sorted(found.values(), key=lambda p: p.as_posix()), skipped


def _match_input(given: str | Path) -> list[Path]:
    """The existing path itself, or else what it matches as a glob pattern."""
    path = Path(given)
    try:
        if path.exists():
            return [path]
    except (OSError, ValueError):  # a name the OS cannot even look up (NUL byte, too long)
        return []
    pattern = str(given)
    if not _GLOB_MAGIC.intersection(pattern):
        return []
    return [Path(match) for match in sorted(glob.glob(pattern, recursive=True))]


def _walk(directory: Path) -> Iterator[Path]:
    """Every non-hidden file below ``directory``, in sorted order."""
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root, name)


# --- readers ----------------------------------------------------------------


def _read_file(path: Path) -> list[Article | Skipped]:
    """Read one file with the reader for its extension; a whole-file problem is one Skipped."""
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        return [Skipped(str(path), _unsupported_reason(path))]
    try:
        return list(reader(path, path.read_bytes()))
    except OSError as err:
        return [Skipped(str(path), f"cannot read file: {err.strerror or err}")]
    except InputError as err:
        return [Skipped(err.source, err.problem)]


def _unsupported_reason(path: Path) -> str:
    kind = f"'{path.suffix}'" if path.suffix else "(no extension)"
    return f"unsupported file type {kind}; supported: {', '.join(SUPPORTED_SUFFIXES)}"


def _read_text(path: Path, data: bytes) -> Iterator[Article | Skipped]:
    """A plain-text article, with optional YAML front matter or a leading date line."""
    text = _decode_text(path, data)
    meta, body = _split_front_matter(path, text)
    date_from_line, body = _split_date_line(body)
    yield _article(
        source=str(path),
        raw_text=body,
        id=_scalar(meta.get("id")) or path.stem,
        title=_scalar(meta.get("title")),
        date=normalize_date(meta.get("date")) or date_from_line,
        url=_scalar(meta.get("url")),
        outlet=_first_scalar(meta, _OUTLET_KEYS),
    )


def _read_html(path: Path, data: bytes) -> Iterator[Article | Skipped]:
    """Main text and metadata of a saved web page, via trafilatura (no network)."""
    document = _extract_html(path, data)
    if document is None or not (document.text or "").strip():
        raise InputError(path, "no article text found in the HTML")
    yield _article(
        source=str(path),
        raw_text=document.text,
        id=path.stem,
        title=document.title or None,
        date=normalize_date(document.date),
        url=document.url or None,
        outlet=document.sitename or None,
    )


def _read_json(path: Path, data: bytes) -> Iterator[Article | Skipped]:
    """One record object, or a list of records (``file[1]`` is the first)."""
    try:
        parsed = json.loads(data)
    except (ValueError, RecursionError) as err:
        raise InputError(path, f"invalid JSON: {_json_problem(err)}") from err
    if isinstance(parsed, dict):
        yield _record_article(parsed, source=str(path), default_id=path.stem)
    elif isinstance(parsed, list):
        for index, record in enumerate(parsed, start=1):
            yield _record_article(record, source=f"{path}[{index}]", default_id=f"{path.stem}-{index}")
    else:
        raise InputError(path, "JSON is neither a record object nor a list of records")


def _read_jsonl(path: Path, data: bytes) -> Iterator[Article | Skipped]:
    """One record per line (``file:3`` is line 3); blank lines are allowed."""
    for number, line in enumerate(data.removeprefix(codecs.BOM_UTF8).split(b"\n"), start=1):
        if not line.strip():
            continue
        source = f"{path}:{number}"
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as err:
            yield Skipped(source, f"invalid JSON: {_json_problem(err)}")
            continue
        yield _record_article(record, source=source, default_id=f"{path.stem}-{number}")


_ReaderFn = Callable[[Path, bytes], Iterator[Article | Skipped]]
_READERS: Mapping[str, _ReaderFn] = MappingProxyType(
    {
        ".txt": _read_text,
        ".html": _read_html,
        ".htm": _read_html,
        ".json": _read_json,
        ".jsonl": _read_jsonl,
    }
)
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(sorted(_READERS))


# --- building one article ---------------------------------------------------


def _article(
    *,
    source: str,
    raw_text: str,
    id: str,
    title: str | None,
    date: str | None,
    url: str | None,
    outlet: str | None,
) -> Article | Skipped:
    """Clean the text; an article with nothing left is skipped, not built."""
    text = clean_text(raw_text)
    if not text:
        return Skipped(source, "empty article")
    return Article(id=id, text=text, source=source, title=title, date=date, url=url, outlet=outlet)


def _record_article(record: object, *, source: str, default_id: str) -> Article | Skipped:
    """An article from a JSON record with a required ``text`` string."""
    if not isinstance(record, dict):
        return Skipped(source, f"record is a JSON {type(record).__name__}, not an object")
    text = record.get("text")
    if not isinstance(text, str):
        return Skipped(source, "record has no 'text' string")
    return _article(
        source=source,
        raw_text=text,
        id=_scalar(record.get("id")) or default_id,
        title=_scalar(record.get("title")),
        date=normalize_date(record.get("date")),
        url=_scalar(record.get("url")),
        outlet=_first_scalar(record, _OUTLET_KEYS),
    )


def _scalar(value: object) -> str | None:
    """A metadata value as a stripped string; lists, maps and blanks are None."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (dict, list, tuple, set)):
        return None
    text = str(value).strip()
    return text or None


def _first_scalar(mapping: Mapping[str, Any], keys: Sequence[str]) -> str | None:
    return next((v for k in keys if (v := _scalar(mapping.get(k)))), None)


# --- decoding and metadata --------------------------------------------------


def _decode_text(path: Path, data: bytes) -> str:
    """Decode UTF-8 (BOM stripped), else charset_normalizer's guess; refuse binary.

    NUL bytes mark binary even where they are valid UTF-8, unless a UTF-16/32
    byte-order mark says they belong to the encoding.
    """
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            return _checked_text(path, data.decode(encoding, errors="replace"))
    if b"\x00" in data:
        raise InputError(path, "binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _guess_decoding(path, data)
    return _checked_text(path, text)


def _guess_decoding(path: Path, data: bytes) -> str:
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise InputError(path, "binary file, not text")
    if best.encoding != _PREFERRED_LEGACY_ENCODING:
        preferred = charset_normalizer.from_bytes(data, cp_isolation=[_PREFERRED_LEGACY_ENCODING]).best()
        if preferred is not None and (preferred.chaos, -preferred.coherence) <= (best.chaos, -best.coherence):
            best = preferred
    return str(best)


def _checked_text(path: Path, text: str) -> str:
    """Reject a decoding that is mostly control or replacement characters."""
    noise = sum(
        1
        for ch in text
        if ch == "\ufffd" or (ch not in _TEXT_CONTROLS and unicodedata.category(ch) == "Cc")
    )
    if text and noise / len(text) > _MAX_NON_TEXT_SHARE:
        raise InputError(path, "binary file, not text")
    return text


def _split_front_matter(path: Path, text: str) -> tuple[Mapping[str, Any], str]:
    """YAML between a first line ``---`` and the next ``---`` (or ``...``) line.

    A ``---`` with no closing line is not front matter (it is a rule, and the
    cleaner drops it). Front matter that is not a YAML mapping skips the file:
    building it without its id or date would give a silently wrong article.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text
    closing = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if closing is None:
        return {}, text
    try:
        meta = yaml.safe_load("".join(lines[1:closing]))
    except (yaml.YAMLError, RecursionError) as err:
        raise InputError(path, f"malformed YAML front matter: {_yaml_problem(err)}") from err
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise InputError(path, "malformed YAML front matter: expected 'key: value' lines")
    return meta, "".join(lines[closing + 1 :])


def _split_date_line(text: str) -> tuple[str | None, str]:
    """A leading ``date YYYY-MM-DD`` gives the date; text after it on that line is kept.

    Some scrapers prepend ``date 2022-10-24`` to the first paragraph itself
    (see seed 000), so only the marker and the date are removed. A marker
    with an impossible date is left in the text rather than guessed at.
    """
    match = _DATE_LINE.match(text)
    date = normalize_date(match.group("date")) if match else None
    if match is None or date is None:
        return None, text
    return date, text[match.end() :]


def _extract_html(path: Path, data: bytes) -> Any:
    """trafilatura's extraction; it only parses the bytes given, it fetches nothing."""
    import trafilatura  # heavy import, paid only when HTML is read

    try:
        return trafilatura.bare_extraction(data, with_metadata=True)
    except Exception as err:  # a third-party parser on arbitrary markup: any failure is this file's
        raise InputError(path, f"HTML could not be parsed: {_one_line(str(err))}") from err


def _json_problem(err: ValueError | RecursionError) -> str:
    if isinstance(err, RecursionError):
        return "nested too deeply"
    if isinstance(err, json.JSONDecodeError):
        return f"{err.msg} (column {err.colno})"
    return _one_line(str(err))


def _yaml_problem(err: yaml.YAMLError | RecursionError) -> str:
    if isinstance(err, RecursionError):
        return "nested too deeply"
    if isinstance(err, yaml.MarkedYAMLError) and err.problem:
        mark = err.problem_mark
        # The mark counts from the first YAML line; +2 makes it a file line (after '---').
        where = f" (line {mark.line + 2})" if mark is not None else ""
        return f"{err.problem}{where}"
    return _one_line(str(err))


def _one_line(message: str) -> str:
    return " ".join(message.split())


# --- duplicates, ids, size --------------------------------------------------


def _deduplicate(
    candidates: Iterable[Article | Skipped], max_article_chars: int | None
) -> tuple[list[Article], list[Skipped], list[tuple[str, str]]]:
    """Apply the size limit, build each text once, and keep ids unique and stable."""
    articles: list[Article] = []
    skipped: list[Skipped] = []
    duplicates: list[tuple[str, str]] = []
    id_by_hash: dict[str, str] = {}
    used_ids: set[str] = set()
    for item in candidates:
        if isinstance(item, Skipped):
            skipped.append(item)
        elif max_article_chars is not None and len(item.text) > max_article_chars:
            skipped.append(Skipped(item.source, _too_long_reason(item, max_article_chars)))
        elif item.content_hash in id_by_hash:
            duplicates.append((item.source, id_by_hash[item.content_hash]))
        else:
            article = replace(item, id=_unique_id(item, used_ids))
            used_ids.add(article.id)
            id_by_hash[article.content_hash] = article.id
            articles.append(article)
    return articles, skipped, duplicates


def _unique_id(article: Article, used_ids: set[str]) -> str:
    """The article's id, or ``<id>-<hash prefix>`` when another article has it."""
    if article.id not in used_ids:
        return article.id
    digest = article.content_hash.removeprefix("sha256:")
    length = _HASH_SUFFIX_LENGTH
    while f"{article.id}-{digest[:length]}" in used_ids and length < len(digest):
        length += 4  # only when ids like 'a-1b2c3d4e' already exist
    return f"{article.id}-{digest[:length]}"


def _too_long_reason(article: Article, limit: int) -> str:
    return f"article is {len(article.text):,} characters, over the limit of {limit:,} (max_article_chars)"
