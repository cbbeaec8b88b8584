"""An exact memo for spaCy's rule lemmatizer, which judges most tokens again and again.

spaCy's rule lemmatizer caches a lemma only when it had to apply its suffix rules.
Every token it judges a base form (a singular noun, an infinitive, a positive
adjective: most of the words in news text) is judged again from its morphology,
parsed from its string each time; on news text that made the lemmatizer about 6% of
``en_core_web_sm``'s whole parse (bench/README.md, "Session 16"). The lemmatizer's answer depends only on the token's
form, part of speech and morphology, so memoising on those three gives the same lemmas.

Only the stock English and generic lemmatizers in rule mode are memoised: a subclass
may read more of the token (its context, its entity) than those three.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Token

__all__ = ["memoise_lemmas"]

_STOCK_CLASSES = (Lemmatizer, EnglishLemmatizer)
_MEMO_LIMIT = 1_000_000  # (form, POS, morphology) keys held; past it the memo starts again


def memoise_lemmas(nlp: Language) -> list[str]:
    """Memoise each stock rule lemmatizer of ``nlp``; the names of the components memoised."""
    memoised: list[str] = []
    for name, component in nlp.pipeline:
        if type(component) in _STOCK_CLASSES and component.mode == "rule":
            component.lemmatize = _MemoLemmas(component.rule_lemmatize)
            memoised.append(name)
    return memoised


class _MemoLemmas:
    """``rule_lemmatize`` memoised on what it reads: the token's form, POS and morphology."""

    def __init__(self, lemmatize: Callable[[Token], list[str]]) -> None:
        self._lemmatize = lemmatize
        self._memo: dict[tuple[int, int, int], list[str]] = {}

    def __call__(self, token: Token) -> list[str]:
        key = (token.orth, token.pos, token.morph.key)
        lemmas = self._memo.get(key)
        if lemmas is None:
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo = {}
            lemmas = self._memo[key] = self._lemmatize(token)
        return lemmas
