"""The parse cache: each article's spaCy ``Doc``, kept so that a change of kgraph's rules parses nothing.

Parsing is most of a build's time, and it depends only on the text and the pipeline,
not on kgraph's extraction rules. The findings cache (:mod:`kgraph.cache`) is dropped
whenever the extraction code or a lexicon changes; the parses kept here are not, so a
rebuild after such a change turns the kept Docs into findings again without spaCy.

Each article's Doc is one spaCy :class:`~spacy.tokens.DocBin` file (about 8 KB for a
2,300-character news article; restoring it takes about 4 ms where parsing takes about
150 ms) named by the article's content hash, in a folder named by the :class:`ParseKey`:
``<out>/cache/docs/<key digest>/<hash>.spacy``. Only the current key's folder is kept.
Like the findings cache, the folder is written into the build's staging directory and
committed with the store; unchanged files are hard-linked from the previous build.

A file that cannot be read back is a miss (that article is parsed again), never an error.
"""

from __future__ import annotations

import hashlib
import json
import threading
import zlib
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

import numpy
from spacy.attrs import DEP, ENT_ID, ENT_KB_ID, ENT_TYPE, LEMMA, MORPH, NORM, ORTH, SPACY, TAG
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from srsly import msgpack

from kgraph.cache import link_or_copy
from kgraph.ingest.article import Article

__all__ = ["DOCS_DIRNAME", "ParseCache", "ParseKey", "doc_bytes", "parse_key"]

DOCS_DIRNAME = "docs"
# Bump when what is stored changes in a way the key cannot see.
PARSE_FORMAT = 1
# The modules that say how kgraph loads and extends the pipeline: a change to either is a new key.
_PIPELINE_MODULES = ("pipeline.py", "lemmas.py")


@dataclass(frozen=True, slots=True)
class ParseKey:
    """Everything a parse depends on besides the text."""

    format: int
    model: str
    model_version: str
    spacy: str
    components: str  # digest of how kgraph loads and extends the pipeline (kgraph.nlp.pipeline, .lemmas)

    def digest(self) -> str:
        """A short stable name for the folder of parses made under this key."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:16]


def parse_key(model: str, model_version: str) -> ParseKey:
    """The key of parses made now by the pipeline ``model`` at ``model_version``.

    Known without loading the pipeline, so that an incremental build with nothing to
    parse carries the kept parses over without spending a second on spaCy.
    """
    import spacy

    package = resources.files("kgraph.nlp")
    source = b"".join(package.joinpath(name).read_bytes() for name in _PIPELINE_MODULES)
    return ParseKey(
        format=PARSE_FORMAT,
        model=model,
        model_version=model_version,
        spacy=spacy.__version__,
        components=hashlib.sha256(source).hexdigest()[:16],
    )


class ParseCache:
    """Read parses from the previous build's cache, write this build's into its staging cache.

    ``old_cache`` is the previous build's cache directory (it may not exist, or hold
    parses under another key: then nothing is found); ``new_cache`` the staging one.
    """

    def __init__(self, old_cache: Path, new_cache: Path, key: ParseKey) -> None:
        self._old = old_cache / DOCS_DIRNAME / key.digest()
        self._new = new_cache / DOCS_DIRNAME / key.digest()
        self._new.mkdir(parents=True, exist_ok=True)

    def has(self, article: Article) -> bool:
        """Whether the previous build kept this article's parse under this key."""
        return (self._old / _name(article)).is_file()

    def load(self, article: Article, nlp: Language) -> Doc | None:
        """The article's kept Doc (in ``nlp``'s vocab), carried into the new cache; None if it cannot be read back."""
        path = self._old / _name(article)
        try:
            docs = list(DocBin(store_user_data=False).from_bytes(path.read_bytes()).get_docs(nlp.vocab))
        except Exception:  # noqa: BLE001 - unreadable bytes fail in zlib, msgpack or spaCy, each its own way: a miss
            return None
        if len(docs) != 1 or docs[0].text != article.text:
            return None
        self.carry(article)
        return docs[0]

    def keep(self, article: Article, doc: Doc) -> None:
        """Write a Doc just parsed into the new cache."""
        self.keep_bytes(article, doc_bytes(doc))

    def keep_bytes(self, article: Article, data: bytes) -> None:
        """Write a parse made elsewhere (a Dask worker), as :func:`doc_bytes` gave it, into the new cache."""
        (self._new / _name(article)).write_bytes(data)

    def carry(self, article: Article) -> None:
        """Keep the previous build's parse of an unchanged article, if it has one (a hard link)."""
        source, target = self._old / _name(article), self._new / _name(article)
        if target.exists() or not source.is_file():
            return
        try:
            link_or_copy(source, target)
        except OSError:
            pass  # a parse not carried over is parsed again next time; nothing is lost


def doc_bytes(doc: Doc) -> bytes:
    """A Doc as the parse cache stores it: the bytes of a DocBin of one Doc, without ``user_data`` (kgraph's memos).

    Written here rather than by ``DocBin.add`` and ``DocBin.to_bytes``, byte for byte the same
    (``tests/test_parse_cache.py`` compares them on real news), because those two cost the parse
    loop about 2.5 s per 1,000 articles: ``add`` reads nine strings from every token through a
    ``Token`` object, where the strings are those of the distinct hashes in the Doc's own
    columns; and srsly makes a new msgpack ``Packer`` for every ``to_bytes``, which scans the
    installed packages' entry points (about a millisecond). One packer per thread is reused.
    """
    tokens = doc.to_array(_DOCBIN_ATTRS)
    spaces = numpy.asarray(doc.to_array(SPACY).reshape((-1, 1)), dtype=bool)
    strings = {doc.vocab.strings[h] for h in numpy.unique(doc.to_array(_STRING_ATTRS)).tolist()}
    # An empty morphology is "_" in the string store but "" as ``str(token.morph)``, what DocBin keeps.
    strings.update("" if (s := doc.vocab.strings[h]) == "_" else s for h in numpy.unique(doc.to_array(MORPH)).tolist())
    for group in doc.spans.values():
        for span in group:
            strings.add(span.label_)
            if span.kb_id in doc.vocab.strings:
                strings.add(span.kb_id_)
            if span.id in doc.vocab.strings:
                strings.add(span.id_)
    msg = {
        "version": "0.1",
        "attrs": _DOCBIN_ATTRS,
        "tokens": tokens.tobytes("C"),
        "spaces": spaces.tobytes("C"),
        "lengths": numpy.asarray([len(tokens)], dtype="int32").tobytes("C"),
        "strings": sorted(strings),
        "cats": [doc.cats],
        "flags": [{"has_unknown_spaces": doc.has_unknown_spaces}],
        "span_groups": [doc.spans.to_bytes()],
    }
    return zlib.compress(_packer().pack(msg))


# DocBin's columns, in its order (ORTH first); the string columns are those DocBin.add reads
# strings from (token.text, tag_, lemma_, norm_, dep_, ent_type_, ent_kb_id_, ent_id_; morph apart).
_DOCBIN_ATTRS: list[int] = DocBin(store_user_data=False).attrs
_STRING_ATTRS = [ORTH, TAG, LEMMA, NORM, DEP, ENT_TYPE, ENT_KB_ID, ENT_ID]
_PACKERS = threading.local()


def _packer() -> msgpack.Packer:
    """This thread's msgpack packer, as ``srsly.msgpack_dumps`` would make it for every call."""
    packer = getattr(_PACKERS, "packer", None)
    if packer is None:
        packer = _PACKERS.packer = msgpack.Packer(use_bin_type=True)
    return packer


def _name(article: Article) -> str:
    return article.content_hash.removeprefix("sha256:") + ".spacy"
