"""Name keys: the foldings under which two surface forms count as one name.

Each function maps a name to a key; two names with equal keys are candidates
for a merge under the rule the key belongs to (see ``MERGE_RULES`` in
:mod:`kgraph.rdf.vocab`). Keys are for comparison only and never shown.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

_POSSESSIVE_RE = re.compile(r"[’']s?$")
_NON_WORD_RE = re.compile(r"[^\w\s]+")
_SPACE_RE = re.compile(r"\s+")
# Transliteration variants of names (mostly Slavic) in English, German and Polish texts,
# applied in order: Ch- (Cherson, Charkiw) = Kh- = H-; a word-initial "ye"/"je" = "e"
# (Yevgeny/Evgeny/Jevgenij); a word-initial j = y (Juri/Yuri, Janukowytsch) but never i, so
# Jan and Ian stay two names; inside a word j/y = i (Sergey/Sergei, Ukrajinska); w = v
# (Charkiw/Kharkiv); doubled letters collapse (Serhii/Serhiy after y->i).
_TRANSLIT_STEPS: tuple[tuple[re.Pattern[str], str], ...] = (
    # The Arabic article inside a name is written or left out ("Haider al-Abadi" = "Haider Abadi");
    # a first word "Al" is a name of its own ("Al Gore").
    (re.compile(r"(?<=\w) (?:al|el) (?=\w)"), " "),
    (re.compile(r"\bch(?=[aeiouy])"), "kh"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"\b[yj](?=e)"), ""),
    (re.compile(r"\bj"), "y"),
    (re.compile(r"\B[jy]"), "i"),
    (re.compile(r"w"), "v"),
    (re.compile(r"([a-z])\1+"), r"\1"),
)
# Adjectival endings of country words across languages (Ukrainian / Ukrainska /
# Ukrainskaya / Ukrajinska), used only to compare organisation names.
_DEMONYM_SUFFIX_RE = re.compile(r"(?:ian|iian|skaia|skaya|ska|ske|ski|skii|skyi|sky|an)$")


@lru_cache(maxsize=1 << 18)
def fold(name: str) -> str:
    """Case, accents, punctuation and possessive folded: 'Kyiv’s' -> 'kyiv', 'U.S.' -> 'us'.

    Memoised: resolution, the gazetteer and the speaker rules fold the same few names again and
    again (1,000 real articles: 383,052 calls, 15,287 distinct names; 1.3-1.5 s unmemoised).
    """
    decomposed = unicodedata.normalize("NFKD", name.strip())
    no_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    no_poss = _POSSESSIVE_RE.sub("", no_marks)
    # Dots vanish rather than split ("U.S." = "US"); an initial keeps its own word ("O. Budanov").
    words = _NON_WORD_RE.sub(" ", no_poss.replace(".", "").replace("-", " "))
    return _SPACE_RE.sub(" ", words).strip().casefold()


def drop_middle_initials(folded: str) -> str:
    """'kyrylo o budanov' -> 'kyrylo budanov' (only inner one-letter words)."""
    words = folded.split()
    if len(words) <= 2:
        return folded
    inner = [w for w in words[1:-1] if len(w) > 1]
    return " ".join([words[0], *inner, words[-1]])


def transliteration_key(folded: str) -> str:
    """'sergey surovikin' and 'sergei surovikin' share a key; so do 'kherson' and 'cherson'."""
    key = folded
    for pattern, repl in _TRANSLIT_STEPS:
        key = pattern.sub(repl, key)
    return key


def demonym_key(folded: str) -> str:
    """'ukrainian pravda', 'ukrainska pravda' and 'ukrajinska pravda' share a key."""
    words = transliteration_key(folded).split()
    stemmed = []
    for w in words:
        stem = _DEMONYM_SUFFIX_RE.sub("", w)
        stemmed.append(stem if len(stem) >= 4 else w)
    return " ".join(stemmed)


def first_and_last(folded: str) -> str | None:
    """'david cawthorne haines' -> 'david haines': the key a name with middle names shares with the short name."""
    words = folded.split()
    return f"{words[0]} {words[-1]}" if len(words) >= 2 else None


def last_word(folded: str) -> str:
    return folded.rsplit(" ", 1)[-1]


# Legal-form suffixes of company names, folded ("Apple Inc." -> "apple").
_LEGAL_SUFFIXES = frozenset(
    {"inc", "incorporated", "ltd", "limited", "corp", "corporation", "co", "plc", "llc", "lp", "ag", "sa", "se", "gmbh", "nv", "bv", "spa", "oao", "pjsc", "jsc"}
)
# Words an acronym skips ("United States of America" -> "USA").
_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "on", "in", "de", "du", "des", "la", "le", "et", "y"})
_ACRONYM_FORM_RE = re.compile(r"^(?:[A-Z]{2,6}|(?:[A-Z]\.){1,5}[A-Z]\.?)$")


def without_legal_suffix(folded: str) -> str:
    """'apple inc' -> 'apple'; a name that is only a suffix is kept."""
    words = folded.split()
    while len(words) > 1 and words[-1] in _LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


# Words that name a company's form or line of business rather than the company ("Ford Motor
# Company", "Chrysler Group", "Yorkville Endoscopy Clinic"), stripped after the legal suffixes.
_CORPORATE_FORMS = frozenset(
    {"company", "companies", "group", "holding", "holdings", "motor", "motors", "clinic", "hospital",
     # a line of business the company is named with ("Apple Computer", "China Eastern Airlines")
     "computer", "computers", "airlines", "airways", "electronics", "industries", "pharmaceuticals", "technologies"}
)
# Words that are not a company on their own: "General Motors" is never "General".
_GENERIC_BASES = frozenset(
    {"general", "national", "international", "united", "american", "british", "first", "new", "global", "royal", "standard",
     "universal", "continental", "consolidated", "allied", "union", "central", "public", "private", "state", "city"}
)


def corporate_base(folded: str) -> str:
    """'ford motor company', 'ford motor co' and 'ford motors' -> 'ford'; 'general motors' stays.

    Legal suffixes and corporate-form words are stripped from the end while a name
    remains that is more than one generic word.
    """
    words = folded.split()
    while len(words) > 1 and (words[-1] in _LEGAL_SUFFIXES or words[-1] in _CORPORATE_FORMS):
        if len(words) == 2 and words[0] in _GENERIC_BASES:
            break
        words.pop()
    return " ".join(words)


def is_acronym_form(surface: str) -> bool:
    """'UK', 'NATO', 'U.S.' are written as acronyms; 'Kyiv' and 'Nato' are not."""
    return bool(_ACRONYM_FORM_RE.match(surface.strip()))


def initials(folded: str) -> str | None:
    """'united kingdom' -> 'uk'; None for one-word names (nothing to abbreviate)."""
    words = [w for w in without_legal_suffix(folded).split() if w not in _ACRONYM_SKIP]
    return "".join(w[0] for w in words) if len(words) >= 2 else None


@lru_cache(maxsize=1)
def _given_names() -> dict[str, str]:
    text = resources.files("kgraph.data").joinpath("given_names.txt").read_text(encoding="utf-8")
    return dict(line.split("\t", 1) for line in text.splitlines() if line and not line.startswith("#"))


def given_name_sex(word: str) -> str | None:
    """'Michael' -> 'male', 'Michelle' -> 'female', 'Jordan' -> 'male', 'Kyrylo' -> None (unknown, not "no name").

    From the 1990 US Census lists (``src/kgraph/data/given_names.txt``, made by
    ``scripts/make_given_names.py``); "either" for a name both sexes share.
    """
    return _given_names().get(fold(word))
