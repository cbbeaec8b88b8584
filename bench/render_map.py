"""Re-render a build's map (``graph.html``) from its store, without rebuilding.

The store is opened read-only, so the build it belongs to is left as it is;
the page is written where ``-o`` says (the build's own ``graph.html`` is not
touched unless ``-o`` names it). Use it to see a change of the map's code on a
large build in seconds instead of rebuilding for minutes::

    python bench/render_map.py /tmp/nd -o /tmp/map-nd/graph.html
    python bench/screenshot_map.py /tmp/map-nd/graph.html --out /tmp/shots

Prints how long the map took to write and what its largest story draws.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pyoxigraph

from kgraph.outputs.map import STORY_ARTICLES, STORY_NODES, render_map
from kgraph.rdf.store import store_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build", type=Path, help="output directory of a kgraph build (holds store/)")
    parser.add_argument("-o", "--out", type=Path, required=True, help="where to write the page")
    parser.add_argument("--max-nodes", type=int, default=STORY_NODES)
    parser.add_argument("--max-articles", type=int, default=STORY_ARTICLES)
    args = parser.parse_args(argv)
    path = store_path(args.build)
    if not path.is_dir():
        print(f"render_map: no store in {args.build}/", file=sys.stderr)
        return 2
    store = pyoxigraph.Store.read_only(str(path))
    started = time.monotonic()
    stats = render_map(store, args.out, max_nodes=args.max_nodes, max_articles=args.max_articles)
    took = time.monotonic() - started
    print(
        f"{args.out}: {args.out.stat().st_size / 1e6:.2f} MB, {stats.views} views, {stats.stories} stories, "
        f"first view {stats.first_view} ({stats.first_view_nodes} nodes), written in {took:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
