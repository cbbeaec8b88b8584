"""What a SPARQL text asks for, read without parsing it: remote fetches and the prefixes it uses.

Both ``kgraph query`` and ``kgraph serve`` refuse a query that would make the engine
fetch from another host (``SERVICE``; ``LOAD`` in an update) unless the user allows it,
and both declare kgraph's prefixes a query uses without declaring them.
"""

from __future__ import annotations

import re

from kgraph.rdf.vocab import PREFIXES

__all__ = ["inject_prefixes", "uses_remote_fetch"]

# A scanner over SPARQL's terminals, not a parser: it hides what cannot contain a keyword (comments,
# string literals, IRIs, variables, blank node labels, language tags, local names) and leaves
# keywords, prefix names and punctuation visible. Oxigraph's parser matches keywords without
# requiring a word boundary (``SERVICE<http://x>{}``, even ``trueSERVICE``), so the check looks for
# the letters anywhere in what stays visible: conservative, never fooled by a comment or a string.
# (rdflib's SPARQL parser would also do, but it takes 15-80 ms a query under the GIL.)
_HIDDEN = re.compile(
    r"""
      (?P<comment>\#[^\r\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f\u2040]+)
    | (?P<bnode>_:[\w\-\u00b7]+)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<pname>(?P<prefix>(?:[^\W\d_](?:[\w.\-\u00b7]*[\w\-\u00b7])?)?):
                (?P<local>(?:[\w:\-\u00b7]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%])*))
    | (?P<escape>\\.)
    """,
    re.VERBOSE | re.DOTALL,
)
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _visible(text: str) -> tuple[str, list[tuple[str, str, int]]]:
    """``text`` with hidden spans blanked out, and its prefixed names as (prefix, local, start)."""
    parts: list[str] = []
    names: list[tuple[str, str, int]] = []
    last = 0
    for match in _HIDDEN.finditer(text):
        parts.append(text[last : match.start()])
        if match.lastgroup == "pname":
            names.append((match["prefix"], match["local"], match.start()))
            parts.append(match["prefix"] + ":" + " " * len(match["local"]))
        else:
            parts.append(" " * (match.end() - match.start()))
        last = match.end()
    parts.append(text[last:])
    return "".join(parts), names


def _unescape_codepoints(text: str) -> str:
    # SPARQL lets \uXXXX stand for any character anywhere in the text (spec 19.2).
    def replace(m: re.Match[str]) -> str:
        try:
            return chr(int(m[1] or m[2], 16))
        except ValueError:
            return m[0]

    return _CODEPOINT_ESCAPE.sub(replace, text)


def _mentions_keyword(text: str, keyword: str) -> bool:
    pattern = re.compile(re.escape(keyword), re.IGNORECASE)
    return any(pattern.search(_visible(t)[0]) for t in {text, _unescape_codepoints(text)})


def uses_remote_fetch(text: str, *, update: bool = False) -> str | None:
    """The keyword that would make the engine fetch a URL (``SERVICE``; ``LOAD`` in updates), if any."""
    if _mentions_keyword(text, "service"):
        return "SERVICE"
    if update and _mentions_keyword(text, "load"):
        return "LOAD"
    return None


_PREFIX_DECL = re.compile(r"prefix\s*$", re.IGNORECASE)


def inject_prefixes(text: str, prefixes: dict[str, str] = PREFIXES) -> str:
    """Declare the known prefixes ``text`` uses but does not declare (as ``kgraph query`` does).

    The declarations go in front on the first line, so error positions on later lines stay right.
    """
    visible, names = _visible(text)
    declared = {p for p, local, start in names if not local and _PREFIX_DECL.search(visible[:start])}
    missing = sorted({p for p, _, _ in names if p in prefixes and p not in declared})
    if not missing:
        return text
    return "".join(f"PREFIX {p}: <{prefixes[p]}> " for p in missing) + text
