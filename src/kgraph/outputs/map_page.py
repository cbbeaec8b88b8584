"""The map's HTML page: one self-contained file that draws one view at a time.

The page's script and stylesheet are package data (``assets/``); vis-network
comes from pyvis and is inlined. The views' data never runs: each view is
JSON, gzip-compressed and base64-encoded inside a ``<script
type="application/json">`` element, and the page decodes a view (with the
browser's own ``DecompressionStream``) only when it is opened, so a corpus of
hundreds of stories costs one small file and draws one story at a time. A
Content-Security-Policy forbids every fetch and every script but the two
inline ones (by hash), so the map works offline and no article text can run
as code; the page shows all such text through ``textContent``.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

__all__ = ["pack_view", "render_page", "unpack_view"]

#: vis-network as shipped by pyvis 0.3.2 (inlined into the page).
_VIS_DIR = resources.files("pyvis").joinpath("templates", "lib", "vis-9.1.2")
_ASSETS = resources.files("kgraph.outputs.assets")


def pack_view(view: Mapping[str, Any]) -> str:
    """A view as the page stores it: compact JSON, gzip (no timestamp: the file is reproducible), base64."""
    raw = json.dumps(view, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")


def unpack_view(packed: str) -> dict[str, Any]:
    """The inverse of :func:`pack_view`, for tests and tools that read a written map."""
    return json.loads(gzip.decompress(base64.b64decode(packed)).decode("utf-8"))


def _asset(text: str, where: str, closing_tag: str) -> str:
    """A file to inline; it must not close its own element early."""
    if closing_tag in text.lower():
        raise RuntimeError(f"{where} contains {closing_tag}; it cannot be inlined")
    return text


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _environment() -> jinja2.Environment:
    """Autoescaping on: anything not passed through ``tojson`` or ``safe`` is escaped."""
    return jinja2.Environment(
        loader=jinja2.DictLoader({"page.html": _ASSETS.joinpath("map.html").read_text(encoding="utf-8")}),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render_page(
    *,
    views: Mapping[str, Mapping[str, Any]],
    first: str,
    stories: Sequence[Mapping[str, Any]],
    search: Sequence[Sequence[Any]],
    legend: Sequence[tuple[Any, str]],
    edge_legend: Sequence[Any],
    options: Mapping[str, Any],
) -> str:
    """The page's HTML: the story list, the first view's header, and every view packed."""
    app_js = _asset(_ASSETS.joinpath("map.js").read_text(encoding="utf-8"), "assets/map.js", "</script")
    vis_js = _asset((_VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8"), "vis-network.min.js", "</script")
    vis_css = _asset((_VIS_DIR / "vis-network.css").read_text(encoding="utf-8"), "vis-network.css", "</style")
    css = _asset(_ASSETS.joinpath("map.css").read_text(encoding="utf-8"), "assets/map.css", "</style")
    view = views[first]
    index = {"first": first, "stories": list(stories), "search": [list(e) for e in search], "options": options}
    return _environment().get_template("page.html").render(
        csp_scripts=f"{_csp_hash(vis_js)} {_csp_hash(app_js)}",
        # Trusted text (our own assets and SVG) goes in unescaped.
        vis_css=Markup(vis_css),
        css=Markup(css),
        vis_js=Markup(vis_js),
        app_js=Markup(app_js),
        index=index,
        packed={key: pack_view(v) for key, v in views.items()},
        stories=stories,
        first=first,
        has_overview="overview" in views,
        view_label=view["label"],
        summary=view["summary"],
        cap_notes=view["notes"],
        has_disputes=bool(view["disputes"]),
        legend=legend,
        edge_legend=edge_legend,
    )
