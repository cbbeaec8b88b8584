"""Read article sources (files, directories, globs) into cleaned :class:`Article` values.

This is the I/O edge of the pipeline: every later stage reads ``Article.text``
and indexes it by character offset, so text is cleaned here once
(:func:`kgraph.ingest.furniture.clean_text`) and never touched again.

Bad input is data, not an error: :func:`ingest` never raises for it. Each input
that is not built is returned as a :class:`Skipped` with a one-line reason, so
one broken file in a folder of hundreds costs that file only. Readers raise
:class:`InputError` for a whole-file problem; :func:`ingest` turns it into a
:class:`Skipped` at the file boundary. The one exception is a limit the user
set: more articles than ``max_articles`` stops the run before any parsing.

Every text and metadata value that leaves this module encodes to UTF-8 (no
lone surrogates, even from undecodable file names or ``"\\ud800"`` escapes).
"""

from __future__ import annotations

import codecs
import datetime as dt
import glob
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import charset_normalizer
import yaml

from kgraph.ingest.article import Article, Skipped
from kgraph.errors import InputError
from kgraph.ingest.furniture import clean_field, clean_text

__all__ = [
    "DEFAULT_MAX_ARTICLE_CHARS",
    "SUPPORTED_SUFFIXES",
    "IngestResult",
    "ingest",
    "normalize_date",
]

#: Longest article built unless the caller sets another limit. spaCy refuses
#: longer texts by default (``nlp.max_length``), and its parser needs memory
#: in proportion to the length.
DEFAULT_MAX_ARTICLE_CHARS = 1_000_000

# Front-matter and record keys that name the outlet, in order of preference.
_OUTLET_KEYS = ("outlet", "publisher", "source")
# Decoded text with more than this share of control or replacement characters
# is a binary file that some codec happened to accept.
_MAX_NON_TEXT_SHARE = 0.05
# Control characters (category Cc) other than \t \n \v \f \r, and U+FFFD.
_NON_TEXT = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
# UTF-16 without a byte-order mark: in text of Latin letters every other byte
# is NUL. At least this share of the high bytes must be NUL, and almost none
# of the low ones, before NUL bytes are read as UTF-16 rather than binary.
_MIN_UTF16_HIGH_NULS = 0.5
_MAX_UTF16_LOW_NULS = 0.01
_ASCII_BYTES = bytes(range(0x80))
_CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f-\x9f]")
# The id of an article whose file name has no visible character.
_NAMELESS_ID = "article"
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
# trafilatura's own MAX_FILE_SIZE: it refuses larger pages, and its time grows
# faster than the page (about a minute for 10 MB).
_MAX_HTML_BYTES = 20_000_000
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


def ingest(
    paths: Sequence[str | Path],
    *,
    max_article_chars: int | None = None,
    max_articles: int | None = None,
) -> IngestResult:
    """Read every article under ``paths``; never raises for bad data.

    ``paths`` may name files, directories (walked recursively, hidden entries
    ignored) and glob patterns (``seeds/*.txt``, ``corpus/**``). Files are read
    in sorted path order, so ids and the order of articles do not depend on
    the order the paths were given in. Identical texts are built once; a
    second article whose id is taken gets ``<id>-<8 hex of its hash>``.

    Parameters
    ----------
    max_article_chars
        Articles longer than this (after cleaning) are skipped, with a reason.
        None means :data:`DEFAULT_MAX_ARTICLE_CHARS`.
    max_articles
        Most articles one run may build (None: no limit).

    Raises
    ------
    InputError
        More than ``max_articles`` distinct articles were found.
    ValueError
        A limit is below 1.
    """
    if isinstance(paths, (str, Path)):  # a lone path is a Sequence of characters
        paths = (paths,)
    char_limit = DEFAULT_MAX_ARTICLE_CHARS if max_article_chars is None else max_article_chars
    for name, limit in (("max_article_chars", char_limit), ("max_articles", max_articles)):
        if limit is not None and limit < 1:
            raise ValueError(f"{name} must be at least 1, got {limit}")
    files, skipped = _expand_inputs(paths)
    candidates: list[Article | Skipped] = []
    for path in files:
        candidates.extend(_read_file(path))
    articles, more_skipped, duplicates = _deduplicate(candidates, char_limit)
    if max_articles is not None and len(articles) > max_articles:
        raise InputError(
            _inputs_label(paths),
            f"found {len(articles):,} articles, more than the limit of {max_articles:,}; "
            "raise it with --max-articles",
        )
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
            skipped.append(Skipped(_shown(given), "no such file or directory"))
        for path in matches:
            for file in _walk(path, skipped) if path.is_dir() else (path,):
                # realpath, unlike Path.resolve, does not raise on a symlink loop
                found.setdefault(os.path.realpath(file), file)
    return sorted(found.values(), key=lambda p: p.as_posix()), skipped


def _shown(path: str | Path) -> str:
    """``path`` as one line of text that encodes to UTF-8.

    Undecodable bytes of a file name become ``\\xff`` and control characters
    (a newline is legal in a name) ``\\x0a``, so every message stays one line.
    """
    text = os.fsencode(path).decode("utf-8", errors="backslashreplace")
    return _CONTROL_CHARACTER.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _file_id(path: Path) -> str:
    """The id an article takes from its file name: the stem, as one clean line."""
    return clean_field(path.stem) or _NAMELESS_ID


def _inputs_label(paths: Sequence[str | Path]) -> str:
    return _shown(paths[0]) if len(paths) == 1 else f"{len(paths):,} inputs"


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


def _walk(directory: Path, skipped: list[Skipped]) -> Iterator[Path]:
    """Every non-hidden file below ``directory``, in sorted order.

    A folder that cannot be listed is added to ``skipped`` (os.walk would
    otherwise pass over it in silence).
    """

    def unreadable(err: OSError) -> None:
        where = err.filename if err.filename is not None else directory
        skipped.append(Skipped(_shown(where), f"cannot read directory: {err.strerror or err}"))

    for root, dirs, files in os.walk(directory, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root, name)


# --- readers ----------------------------------------------------------------


def _read_file(path: Path) -> list[Article | Skipped]:
    """Read one file with the reader for its extension; a whole-file problem is one Skipped.

    Readers see the file's name as :func:`_shown` prints it, so ids and
    sources are always valid text.
    """
    name = Path(_shown(path))
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        return [Skipped(str(name), _unsupported_reason(path))]
    try:
        data = _read_regular_file(path)
        if data is None:
            return [Skipped(str(name), "not a regular file (a pipe, socket or device)")]
        return list(reader(name, data))
    except OSError as err:
        return [Skipped(str(name), f"cannot read file: {err.strerror or err}")]
    except InputError as err:
        return [Skipped(err.source, err.problem)]


def _read_regular_file(path: Path) -> bytes | None:
    """The bytes of ``path``, or None if it is not a regular file.

    Opened without blocking and checked on the open descriptor: reading a
    named pipe in the corpus folder would otherwise wait forever, and a
    device such as /dev/zero never ends.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return handle.read()


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
        id=_scalar(meta.get("id")) or _file_id(path),
        title=_scalar(meta.get("title")),
        date=normalize_date(meta.get("date")) or date_from_line,
        url=_scalar(meta.get("url")),
        outlet=_first_scalar(meta, _OUTLET_KEYS),
    )


def _read_html(path: Path, data: bytes) -> Iterator[Article | Skipped]:
    """Main text and metadata of a saved web page, via trafilatura (no network)."""
    if len(data) > _MAX_HTML_BYTES:
        raise InputError(path, f"HTML page is {len(data):,} bytes, over the limit of {_MAX_HTML_BYTES:,}")
    document = _extract_html(path, data)
    if document is None or not (document.text or "").strip():
        raise InputError(path, "no article text found in the HTML")
    yield _article(
        source=str(path),
        raw_text=document.text,
        id=_file_id(path),
        title=document.title or None,
        date=normalize_date(document.date),
        url=document.url or None,
        outlet=document.sitename or None,
    )


def _read_json(path: Path, data: bytes) -> Iterator[Article | Skipped]:
    """One record object, or a list of records (``file[1]`` is the first).

    Decoded as text files are (any BOM, UTF-16, legacy encodings), though JSON
    should be UTF-8: a Latin-1 export is still read rather than refused.
    """
    text = _decode_text(path, data)
    if not text.strip():
        raise InputError(path, "empty file")
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError) as err:
        raise InputError(path, f"invalid JSON: {_json_problem(err)}") from err
    if isinstance(parsed, dict):
        yield _record_article(parsed, source=str(path), default_id=_file_id(path))
    elif isinstance(parsed, list):
        if not parsed:
            raise InputError(path, "JSON list has no records")
        for index, record in enumerate(parsed, start=1):
            yield _record_article(record, source=f"{path}[{index}]", default_id=f"{_file_id(path)}-{index}")
    else:
        raise InputError(path, "JSON is neither a record object nor a list of records")


def _read_jsonl(path: Path, data: bytes) -> Iterator[Article | Skipped]:
    """One record per line (``file:3`` is line 3); blank lines are allowed.

    Lines end at ``\\n`` only: JSON strings may hold U+2028 and other
    characters that ``str.splitlines`` would break at.
    """
    records = 0
    for number, line in enumerate(_decode_text(path, data).split("\n"), start=1):
        if not line.strip():
            continue
        records += 1
        source = f"{path}:{number}"
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as err:
            yield Skipped(source, f"invalid JSON: {_json_problem(err)}")
            continue
        yield _record_article(record, source=source, default_id=f"{_file_id(path)}-{number}")
    if not records:
        raise InputError(path, "empty file: no JSON records")


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
    outlet = outlet or dateline_outlet(text)
    return Article(id=id, text=text, source=source, title=title, date=date, url=url, outlet=outlet)


# A wire dateline opening the body: "WASHINGTON (Reuters) -", "(CNN) --", "MOSCOW, Oct 5 (AFP) -",
# "By Sylvia Westall BEIRUT, Oct 17 (Reuters) -". The place and date before the parenthesis are
# capitalised words, commas, dots and digits; the outlet is a short name; a dash follows it.
_DATELINE = re.compile(
    r"\A\s*(?:By [A-Z][\w.'-]*(?: (?:[A-Z][\w.'-]*|and)){0,6}\s+)?"
    r"(?:[A-Z][\w.'’/-]*(?:[ ,]+(?:[A-Z][\w.'’/-]*|\d{1,2}|de|la|del|\([A-Z][\w ]+\)))*,?\s+)?"
    r"\(\s?(?P<outlet>[A-Z0-9][\w.&'’ ]{0,29})\)\s*(?:-{1,2}|–|—)(?=\s)"
)


def dateline_outlet(text: str) -> str | None:
    """The outlet a wire dateline at the start of the body names ("WASHINGTON (AP) —" -> "AP"), else None.

    Only read when the metadata names no outlet; the text is not changed, the dateline stays in it
    (every offset indexes the cleaned text). A place in the parentheses ("Banja Luka (Bosnia and
    Herzegovina) - …") is no outlet.
    """
    match = _DATELINE.match(text[:200])
    if match is None:
        return None
    name = match.group("outlet").strip()
    from kgraph.gazetteer import country_code, place_code  # data only; imported on a dateline alone

    if country_code(name) is not None or place_code(name) is not None or name.isdigit():
        return None
    return name


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
    """A metadata value as one clean line (:func:`clean_field`); lists, maps and blanks are None."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (dict, list, tuple, set)):
        return None
    text = clean_field(str(value))
    return text or None


def _first_scalar(mapping: Mapping[str, Any], keys: Sequence[str]) -> str | None:
    return next((v for k in keys if (v := _scalar(mapping.get(k)))), None)


# --- decoding and metadata --------------------------------------------------


def _decode_text(path: Path, data: bytes) -> str:
    """Decode UTF-8 (BOM stripped), else charset_normalizer's guess; refuse binary.

    NUL bytes mark binary even where they are valid UTF-8, unless a UTF-16/32
    byte-order mark, or the NUL pattern of BOM-less UTF-16, says they belong
    to the encoding. Text that is mostly UTF-8 with a few legacy bytes (a
    Latin-1 paragraph pasted into a UTF-8 file) keeps its UTF-8 and reads the
    stray bytes as Windows-1252.
    """
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            return _checked_text(path, data.decode(encoding, errors="replace"))
    if b"\x00" in data:
        encoding = _bomless_utf16(data)
        if encoding is None:
            raise InputError(path, "binary file, not text")
        return _checked_text(path, data.decode(encoding, errors="replace"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _decode_mostly_utf8(data)
        if text is None:
            text = _guess_decoding(path, data)
    return _checked_text(path, text)


def _bomless_utf16(data: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` when the NUL bytes fall as in UTF-16 text, else None."""
    if len(data) < 2 or len(data) % 2:
        return None
    pairs = len(data) // 2
    even_nuls, odd_nuls = data[0::2].count(0), data[1::2].count(0)
    if odd_nuls >= _MIN_UTF16_HIGH_NULS * pairs and even_nuls <= _MAX_UTF16_LOW_NULS * pairs:
        return "utf-16-le"
    if even_nuls >= _MIN_UTF16_HIGH_NULS * pairs and odd_nuls <= _MAX_UTF16_LOW_NULS * pairs:
        return "utf-16-be"
    return None


def _decode_mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with each invalid byte read as Windows-1252, or None if that is most of them.

    When more than half of the non-ASCII bytes are invalid UTF-8, the file is
    in a legacy encoding throughout and charset_normalizer should say which.
    """
    budget = (len(data) - len(data.translate(None, _ASCII_BYTES))) // 2
    view = memoryview(data)
    parts: list[str] = []
    position = invalid = 0
    while True:
        try:
            parts.append(str(view[position:], "utf-8"))
            break
        except UnicodeDecodeError as err:
            start, end = position + err.start, position + err.end
            invalid += end - start
            if invalid > budget:
                return None
            parts.append(str(view[position:start], "utf-8"))
            parts.append(data[start:end].decode(_PREFERRED_LEGACY_ENCODING, errors="replace"))
            position = end
    return "".join(parts).removeprefix("\ufeff")


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
    noise = len(text) - len(_NON_TEXT.sub("", text))
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
    # PyYAML raises ValueError for an impossible date (2022-13-45) or an integer
    # of more than 4,300 digits, not a YAMLError.
    except (yaml.YAMLError, ValueError, RecursionError) as err:
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


def _yaml_problem(err: yaml.YAMLError | ValueError | RecursionError) -> str:
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
    candidates: Iterable[Article | Skipped], max_article_chars: int
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
        elif len(item.text) > max_article_chars:
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
    return (
        f"article has {len(article.text):,} characters, over the limit of {limit:,}; "
        "raise it with --max-article-chars"
    )
