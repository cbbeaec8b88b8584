"""The findings cache: what an incremental build needs to skip parsing an article again.

A build keeps, beside its store, one JSON file per article in ``<out>/cache/articles/``
(named by the article's content hash) holding the :class:`~kgraph.ingest.article.Article`
with all its fields and its :class:`~kgraph.extract.findings.ArticleFindings`, plus
``<out>/cache/build.json`` with the settings later builds default to (model, aliases, the
relations' confidence floor).
The cache directory is written into the build's staging directory and swapped into
place with the store (:mod:`kgraph.commit`), so it always describes exactly the
articles of the store beside it.

Cached findings are reused only under the same :class:`CacheKey`: the same kgraph
version and cache format, the same spaCy pipeline (name and version) and spaCy
version, the same shape of the finding dataclasses, and the same extraction code
and lexicons (a digest of their source files and loaded values). Anything else
means the article is parsed again, and the reason is said.

Values are written with a small strict codec for frozen dataclasses
(:func:`to_json`, :func:`from_json`), driven by their fields and type hints:
tuples come back as tuples, unknown or missing keys and wrong types are errors
(:class:`CacheError`), never guesses. Nothing is pickled.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from kgraph import __version__
from kgraph.ingest.article import Article
from kgraph.extract.findings import ArticleFindings
from kgraph.lexicons import extraction_lexicons

__all__ = [
    "CACHE_DIRNAME",
    "FINDINGS_FORMAT",
    "BuildSettings",
    "CacheEntry",
    "CacheError",
    "CacheKey",
    "articles_dir",
    "cache_key",
    "entry_name",
    "findings_key",
    "from_json",
    "link_or_copy",
    "read_entries",
    "read_settings",
    "schema_digest",
    "to_json",
    "write_entry",
    "write_settings",
]

CACHE_DIRNAME = "cache"
ARTICLES_DIRNAME = "articles"
SETTINGS_FILE = "build.json"
# Bump when the meaning of cached findings changes in a way the digests below cannot see.
FINDINGS_FORMAT = 1


class CacheError(ValueError):
    """A cache file that cannot be decoded into the expected value (a cache miss, never fatal)."""


# --- the strict dataclass codec ------------------------------------------------


def to_json(value: Any) -> Any:
    """``value`` as JSON-ready data: dataclasses as objects of their fields, tuples as lists."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [to_json(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((to_json(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError(f"cannot encode a dict with non-string keys: {value!r:.80}")
        return {k: to_json(v) for k, v in value.items()}
    raise TypeError(f"cannot encode {type(value).__name__} in the findings cache")


def from_json(cls: type[Any], data: Any) -> Any:
    """Decode ``data`` as a value of type ``cls`` (as :func:`to_json` wrote it); strict.

    >>> from kgraph.extract.entities import EntityMention
    >>> m = EntityMention(0, 6, "Kherson", "GPE", 0, 40, place_cue=True)
    >>> from_json(EntityMention, to_json(m)) == m
    True
    >>> from_json(tuple[int, int], [3, 4])
    (3, 4)
    """
    return _decoder(cls)(data, cls.__name__ if isinstance(cls, type) else str(cls))


Decoder = Callable[[Any, str], Any]


@cache
def _decoder(tp: Any) -> Decoder:
    """A decoding function for type ``tp``, built once per type."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is type(None):
        return _exact(type(None), "null")
    if tp is Any:
        return lambda data, where: data
    if tp is bool:
        return _exact(bool, "a boolean")
    if tp is int:
        return _integer
    if tp is float:
        return _number
    if tp is str:
        return _exact(str, "a string")
    if origin in (typing.Union, types.UnionType):
        options = [_decoder(a) for a in args]
        none_ok = type(None) in args

        def union(data: Any, where: str) -> Any:
            if data is None and none_ok:
                return None
            for option in options:
                try:
                    return option(data, where)
                except CacheError:
                    continue
            raise CacheError(f"{where}: {data!r:.60} is none of {tp}")

        return union
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            return lambda data, where: tuple(item(v, f"{where}[{i}]") for i, v in enumerate(_list(data, where)))
        items = [_decoder(a) for a in args]

        def fixed(data: Any, where: str) -> tuple[Any, ...]:
            values = _list(data, where)
            if len(values) != len(items):
                raise CacheError(f"{where}: expected {len(items)} items, got {len(values)}")
            return tuple(dec(v, f"{where}[{i}]") for i, (dec, v) in enumerate(zip(items, values)))

        return fixed
    if origin in (list, frozenset, set):
        item = _decoder(args[0]) if args else _decoder(Any)
        wrap = origin
        return lambda data, where: wrap(item(v, f"{where}[{i}]") for i, v in enumerate(_list(data, where)))
    if origin is dict:
        key, val = (_decoder(args[0]), _decoder(args[1])) if args else (_decoder(Any), _decoder(Any))

        def mapping(data: Any, where: str) -> dict[Any, Any]:
            if not isinstance(data, dict):
                raise CacheError(f"{where}: expected an object")
            return {key(k, where): val(v, f"{where}.{k}") for k, v in data.items()}

        return mapping
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_decoder(tp)
    raise TypeError(f"the findings cache cannot decode type {tp!r}")


def _dataclass_decoder(cls: type[Any]) -> Decoder:
    hints = typing.get_type_hints(cls)
    fields = [f for f in dataclasses.fields(cls) if f.init]
    decoders = {f.name: _decoder(hints[f.name]) for f in fields}
    names = set(decoders)

    def decode(data: Any, where: str) -> Any:
        if not isinstance(data, dict):
            raise CacheError(f"{where}: expected an object for {cls.__name__}")
        if data.keys() != names:
            missing, unknown = sorted(names - data.keys()), sorted(data.keys() - names)
            raise CacheError(f"{where}: {cls.__name__} fields differ (missing {missing}, unknown {unknown})")
        return cls(**{name: dec(data[name], f"{where}.{name}") for name, dec in decoders.items()})

    return decode


def _exact(kind: type, what: str) -> Decoder:
    def decode(data: Any, where: str) -> Any:
        if type(data) is not kind:
            raise CacheError(f"{where}: expected {what}, got {data!r:.60}")
        return data

    return decode


def _integer(data: Any, where: str) -> int:
    if type(data) is not int:  # bool is an int subclass, and not an integer here
        raise CacheError(f"{where}: expected an integer, got {data!r:.60}")
    return data


def _number(data: Any, where: str) -> float:
    if type(data) not in (int, float):
        raise CacheError(f"{where}: expected a number, got {data!r:.60}")
    return float(data)


def _list(data: Any, where: str) -> list[Any]:
    if not isinstance(data, list):
        raise CacheError(f"{where}: expected a list, got {data!r:.60}")
    return data


# --- the cache key ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CacheKey:
    """Everything cached findings depend on besides the article text."""

    kgraph: str
    format: int
    model: str
    model_version: str
    spacy: str
    schema: str  # digest of the finding dataclasses' fields and types
    extractor: str  # digest of the extraction code and the loaded lexicons

    def mismatch(self, other: CacheKey) -> str:
        """Why findings made under ``other`` cannot be reused under ``self`` ('' when they can)."""
        if other == self:
            return ""
        if (other.model, other.model_version) != (self.model, self.model_version):
            return f"they were made with the pipeline {other.model} {other.model_version}, this build uses {self.model} {self.model_version}"
        if other.spacy != self.spacy:
            return f"they were made with spaCy {other.spacy}, this is spaCy {self.spacy}"
        if (other.kgraph, other.format) != (self.kgraph, self.format):
            return f"they were made by kgraph {other.kgraph} (cache format {other.format})"
        if other.schema != self.schema:
            return "the shape of kgraph's findings has changed since"
        return "kgraph's extraction code or lexicons have changed since"


def cache_key(model: str, model_version: str, lexicon_values: Iterable[Any] = ()) -> CacheKey:
    """The key of findings made now with the named pipeline and the loaded lexicons."""
    import spacy

    extractor = hashlib.sha256(_extraction_code_digest().encode())
    for value in lexicon_values:
        extractor.update(json.dumps(_canonical(value), sort_keys=True, ensure_ascii=False).encode())
    return CacheKey(
        kgraph=__version__,
        format=FINDINGS_FORMAT,
        model=model,
        model_version=model_version,
        spacy=spacy.__version__,
        schema=schema_digest(ArticleFindings),
        extractor=extractor.hexdigest()[:16],
    )


def findings_key(model_name: str, model_version: str) -> CacheKey:
    """The cache key of findings made now with the named pipeline.

    The honorifics come from ``kgraph/data``, whose files the key already covers; the reporting
    and event lexicons are read from the ontology directory (and user files), so their loaded
    values go into the key.
    """
    _, lexicon, event_lexicon = extraction_lexicons()
    return cache_key(model_name, model_version, (lexicon, event_lexicon))


def schema_digest(cls: type[Any]) -> str:
    """A digest of every field name and type reachable from dataclass ``cls``."""
    seen: dict[str, str] = {}

    def walk(tp: Any) -> None:
        for arg in typing.get_args(tp):
            walk(arg)
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            name = f"{tp.__module__}.{tp.__qualname__}"
            if name in seen:
                return
            hints = typing.get_type_hints(tp)
            seen[name] = ",".join(f"{f.name}:{hints[f.name]}" for f in dataclasses.fields(tp))
            for f in dataclasses.fields(tp):
                walk(hints[f.name])

    walk(cls)
    text = ";".join(f"{k}({v})" for k, v in sorted(seen.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@lru_cache(maxsize=1)
def _extraction_code_digest() -> str:
    """The source of what turns a Doc into findings: ``kgraph.extract``, lexicons.py, ``kgraph.data``.

    The lexicons' content enters the cache key apart, as loaded values (see ``_canonical``).
    """
    files = [resources.files("kgraph").joinpath("lexicons.py")]
    for package in ("kgraph.extract", "kgraph.data"):
        folder = resources.files(package)
        files += sorted((p for p in folder.iterdir() if p.is_file() and not p.name.endswith(".pyc")), key=lambda p: p.name)
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()


def _canonical(value: Any) -> Any:
    """A loaded lexicon as order-independent JSON data (set order varies between processes)."""
    if isinstance(value, re.Pattern):
        return {"pattern": value.pattern, "flags": value.flags}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return sorted(([str(k), _canonical(v)] for k, v in value.items()), key=lambda kv: kv[0])
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


# --- entries on disk ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One cached article: ``findings`` is None when they were made under another key."""

    article: Article
    key: CacheKey | None
    findings: ArticleFindings | None
    path: Path
    stale_reason: str = ""


@dataclass(frozen=True, slots=True)
class BuildSettings:
    """What a later ``--into`` or ``remove`` on the same output reuses unless told otherwise."""

    model: str
    aliases: tuple[Any, ...] = ()  # AliasGroup values
    aliases_source: str | None = None
    min_confidence: float = 0.0  # claim relations below this calibrated confidence are not kept
    exports: bool = True  # graph.trig and graph.ttl written (False: --no-exports)


def entry_name(article: Article) -> str:
    """The cache file of an article: its content hash (safe as a file name, whatever the id)."""
    return article.content_hash.removeprefix("sha256:") + ".json"


def articles_dir(cache_dir: Path) -> Path:
    return cache_dir / ARTICLES_DIRNAME


def write_entry(cache_dir: Path, article: Article, key: CacheKey, findings: ArticleFindings) -> Path:
    """Write one article's entry (into a staging cache directory)."""
    path = articles_dir(cache_dir) / entry_name(article)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"format": FINDINGS_FORMAT, "key": to_json(key), "article": to_json(article), "findings": to_json(findings)}
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return path


def read_entries(cache_dir: Path, key: CacheKey | None) -> dict[str, CacheEntry]:
    """Every readable entry, by content hash; findings decoded only when made under ``key``.

    An entry that cannot be read at all is left out: the caller rebuilds that
    article from the store instead.
    """
    entries: dict[str, CacheEntry] = {}
    folder = articles_dir(cache_dir)
    if not folder.is_dir():
        return entries
    for path in sorted(folder.glob("*.json")):
        entry = _read_entry(path, key)
        if entry is not None and entry_name(entry.article) == path.name:
            entries[entry.article.content_hash] = entry
    return entries


def _read_entry(path: Path, key: CacheKey | None) -> CacheEntry | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != FINDINGS_FORMAT:
            return None
        article = from_json(Article, data.get("article"))
    except (OSError, UnicodeDecodeError, ValueError, CacheError):
        return None
    try:
        stored_key = from_json(CacheKey, data.get("key"))
    except CacheError:
        return CacheEntry(article, None, None, path, "their cache key is unreadable")
    if key is None or stored_key != key:
        reason = key.mismatch(stored_key) if key is not None else ""
        return CacheEntry(article, stored_key, None, path, reason)
    try:
        findings = from_json(ArticleFindings, data.get("findings"))
    except CacheError:
        return CacheEntry(article, stored_key, None, path, "they could not be read back")
    return CacheEntry(article, stored_key, findings, path)


def write_settings(cache_dir: Path, settings: BuildSettings) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    data = {"format": FINDINGS_FORMAT, "model": settings.model, "aliases": to_json(settings.aliases),
            "aliases_source": settings.aliases_source, "min_confidence": settings.min_confidence,
            "exports": settings.exports}
    (cache_dir / SETTINGS_FILE).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def read_settings(cache_dir: Path) -> BuildSettings | None:
    """The settings of the build in ``cache_dir``'s output, or None if there are none readable."""
    from kgraph.resolve.aliases import AliasGroup

    try:
        data = json.loads((cache_dir / SETTINGS_FILE).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != FINDINGS_FORMAT:
            return None
        return BuildSettings(
            model=from_json(str, data.get("model")),
            aliases=from_json(tuple[AliasGroup, ...], data.get("aliases")),
            aliases_source=from_json(str | None, data.get("aliases_source")),
            min_confidence=_confidence_floor(data.get("min_confidence", 0.0)),
            exports=from_json(bool, data.get("exports", True)),
        )
    except (OSError, UnicodeDecodeError, ValueError, CacheError):
        return None


def _confidence_floor(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise ValueError(f"min_confidence {value!r} is not a number from 0 to 1")
    return float(value)


def link_or_copy(source: Path, target: Path) -> None:
    """Put an unchanged entry into the new cache: a hard link (no copy) where the file system allows."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        target.write_bytes(source.read_bytes())
