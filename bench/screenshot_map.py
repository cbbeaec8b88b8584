"""Screenshots of a map (``graph.html``) in headless Chromium, with what its labels do.

Opens the page as a user would (Debian's ``chromium`` and ``chromium-driver``,
as the browser tests use), waits for the first view, saves a PNG of it, then
clicks stories in the list and saves one PNG per story. For each shot it
prints what a reader sees at the fitted zoom: the nodes shown, the labels
drawn, how many pairs of drawn labels overlap (vis-network's own label boxes,
measured with the browser's fonts), and how many disputing speakers have no
label drawn.

Usage::

    python bench/render_map.py /tmp/nd -o /tmp/map-nd/graph.html     # re-render from a build's store
    python bench/screenshot_map.py /tmp/map-nd/graph.html --out /tmp/shots \\
        --story Baghdadi --story "Apple Watch" --largest 1

``--story TEXT`` picks the first story whose label contains TEXT (case
ignored); ``--largest N`` adds the N largest stories. ``--json FILE`` writes
the numbers too.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


#: What the reader sees, measured in the page: visible nodes, drawn labels
#: (vis-network's ``labelModule.visible()``, nodes on the canvas), overlapping
#: pairs of drawn labels' boxes (on screen, in CSS pixels), and disputing
#: speakers without a drawn label.
MEASURE = """
network.redraw();
var shown = nodes.get({filter: function (n) { return !n.hidden; }});
var canvas = document.querySelector('#mynetwork canvas');
var boxes = [];
shown.forEach(function (n) {
  var body = network.body.nodes[n.id];
  var p = network.canvasToDOM(network.getPosition(n.id));
  // vis-network measures a label when it draws it: a node off the canvas has no fresh box.
  if (p.x < 0 || p.y < 0 || p.x > canvas.clientWidth || p.y > canvas.clientHeight) return;
  if (!body || !body.labelModule.visible()) return;
  var s = body.labelModule.size;
  var a = network.canvasToDOM({x: s.left, y: s.top});
  var b = network.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
  boxes.push({id: n.id, name: n.name, kind: n.kind, l: a.x, t: a.y, r: b.x, b: b.y});
});
var overlaps = [];
for (var i = 0; i < boxes.length; i++) for (var j = i + 1; j < boxes.length; j++) {
  var p = boxes[i], q = boxes[j];
  if (p.l < q.r && q.l < p.r && p.t < q.b && q.t < p.b) overlaps.push([p.name, q.name]);
}
var labelled = {};
boxes.forEach(function (b) { labelled[b.id] = true; });
var disputing = {};
edges.get().forEach(function (e) {
  if (e.kind === 'contradicts' || e.kind === 'agrees with') { disputing[e.from] = true; disputing[e.to] = true; }
});
var unlabelled = Object.keys(disputing).filter(function (id) {
  var n = nodes.get(id); return n && !n.hidden && !labelled[id];
});
var kinds = {};
shown.forEach(function (n) { kinds[n.kind] = (kinds[n.kind] || 0) + 1; });
return {view: window.kgView, nodes: shown.length, labels: boxes.length, overlaps: overlaps,
        disputing: Object.keys(disputing).length, unlabelledDisputing: unlabelled.map(function (id) {
          return nodes.get(id).name; }), kinds: kinds, scale: network.getScale()};
"""


def _driver(profile: Path, window: str) -> Any:
    """Headless Chromium as bench_map.py starts it (one setup for both scripts)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_map import chromium_driver

    return chromium_driver(profile, window)


def _wait(driver: Any, script: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if driver.execute_script(script):
            return
        time.sleep(0.05)
    raise RuntimeError(f"timed out waiting for: {script}")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "story"


def shoot(page: Path, out: Path, stories: list[str], largest: int, window: str) -> list[dict[str, Any]]:
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory() as profile:
        driver = _driver(Path(profile), window)
        try:
            driver.get(page.resolve().as_uri())
            _wait(driver, "return window.kgMapReady === true;")
            listed = driver.execute_script(
                "return Array.prototype.map.call(document.querySelectorAll('#kg-stories button.kg-story'),"
                " function (b) { return [b.dataset.view, b.textContent]; });"
            )
            wanted: list[tuple[str, str]] = [(driver.execute_script("return window.kgView;"), "first view")]
            for text in stories:
                match = next(((k, label) for k, label in listed if text.casefold() in label.casefold()), None)
                if match is None:
                    print(f"screenshot_map: no story matches {text!r}", file=sys.stderr)
                else:
                    wanted.append(match)
            wanted.extend((k, label) for k, label in listed[:largest] if (k, label) not in wanted)
            for number, (key, label) in enumerate(wanted):
                if number:
                    driver.execute_script(
                        "document.querySelector('button.kg-story[data-view=\"' + arguments[0] + '\"]').click();", key
                    )
                    _wait(driver, f"return window.kgMapReady && window.kgView === {json.dumps(key)};")
                time.sleep(0.3)  # one more frame drawn
                row = driver.execute_script(MEASURE)
                path = out / f"{number:02d}-{key}-{_slug(label)}.png"
                driver.save_screenshot(str(path))
                row.update(label=label, png=str(path))
                rows.append(row)
            errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
            if errors:
                print(f"screenshot_map: {len(errors)} console errors: {errors[:3]}", file=sys.stderr)
        finally:
            driver.quit()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", type=Path, help="a graph.html written by kgraph")
    parser.add_argument("--out", type=Path, required=True, help="directory for the PNGs")
    parser.add_argument("--story", action="append", default=[], help="a story whose label contains this")
    parser.add_argument("--largest", type=int, default=0, help="also the N largest stories")
    parser.add_argument("--window", default="1600,1000", help="browser window, WIDTH,HEIGHT")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if not args.page.is_file():
        print(f"screenshot_map: no page at {args.page}", file=sys.stderr)
        return 2
    rows = shoot(args.page, args.out, args.story, args.largest, args.window)
    for row in rows:
        print(
            f"{row['png']}: {row['label']!r} ({row['view']}) {row['nodes']} nodes {row['kinds']}, "
            f"{row['labels']} labels drawn, {len(row['overlaps'])} overlapping label pairs, "
            f"{len(row['unlabelledDisputing'])} of {row['disputing']} disputing speakers unlabelled, "
            f"zoom {row['scale']:.2f}"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
