"""Browser benchmark of the map (a benchmark, not a test): how the page of a build loads and opens.

For each built output directory given, headless Chromium (Debian's ``chromium``
and ``chromium-driver``, as the browser tests use) opens ``graph.html`` and this
prints, per build:

* the file size, and the size its views take (compressed, inside the page);
* the page load time: from navigation to the first view drawn (``kgMapReady``);
* the first view: which it is (the overview or the one story) and how many nodes it shows;
* the time to open the largest story from the list (a click, then the view drawn),
  and how many nodes that story shows;
* the time the search takes to find and focus a name of that story (Enter, then the panel open).

Usage (the seeds, one 35-article story, and news-dev, each built beforehand)::

    kgraph build seeds -o /tmp/m-seeds
    kgraph build story35.jsonl -o /tmp/m-35
    kgraph build ../shared/data/news-dev/fnc1_train_bodies.jsonl -o /tmp/m-news
    python bench/bench_map.py seeds=/tmp/m-seeds story-35=/tmp/m-35 news-dev=/tmp/m-news [--repeats 3]

Each measure is the median of ``--repeats`` fresh page loads (a new browser profile each time).
``--json FILE`` also writes the numbers.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def chromium_driver(profile: Path, window: str = "1600,1000") -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for argument in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", f"--window-size={window}",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))


def _wait(driver: Any, script: str, timeout: float = 60) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if driver.execute_script(script):
            return time.monotonic() - started
        time.sleep(0.01)
    raise RuntimeError(f"timed out waiting for: {script}")


def _views_bytes(html: str) -> int:
    match = re.search(r'<script type="application/json" id="kg-views">(.*?)</script>', html, re.S)
    return sum(len(base64.b64decode(v)) for v in json.loads(match.group(1)).values()) if match else 0


def measure(name: str, out: Path) -> dict[str, Any]:
    page = out / "graph.html"
    html = page.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        driver = chromium_driver(Path(profile))
        try:
            started = time.monotonic()
            driver.get(page.resolve().as_uri())
            _wait(driver, "return window.kgMapReady === true;")
            load = time.monotonic() - started
            first = driver.execute_script("return window.kgView;")
            first_nodes = driver.execute_script("return window.kgVisibleNodes;")
            story = driver.execute_script(
                "var b = document.querySelector('#kg-stories button.kg-story');"
                "return b ? [b.dataset.view, b.textContent] : null;"
            )
            opened = story_nodes = search = None
            if story:
                started = time.monotonic()
                driver.execute_script("document.querySelector('#kg-stories button.kg-story').click();")
                _wait(driver, f"return window.kgMapReady && window.kgView === {json.dumps(story[0])};")
                opened = time.monotonic() - started
                story_nodes = driver.execute_script("return window.kgVisibleNodes;")
                name_to_find = driver.execute_script(
                    "var n = nodes.get().filter(function (n) { return n.kind === 'Person'; })"
                    ".sort(function (a, b) { return (b.value || 0) - (a.value || 0); })[0];"
                    "return n ? n.name : null;"
                )
                if name_to_find:
                    from selenium.webdriver.common.by import By
                    from selenium.webdriver.common.keys import Keys

                    driver.execute_script("document.querySelector('button.kg-story[data-view]').click();")
                    _wait(driver, "return window.kgMapReady;")
                    box = driver.find_element(By.ID, "kg-search")
                    started = time.monotonic()
                    box.send_keys(name_to_find)
                    box.send_keys(Keys.ENTER)
                    _wait(driver, "return window.kgPanel && window.kgPanel.node;")
                    search = time.monotonic() - started
            errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        finally:
            driver.quit()
    return {
        "build": name,
        "stories": len(re.findall(r'data-story="', html)),
        "file_mb": round(page.stat().st_size / 1e6, 2),
        "views_mb": round(_views_bytes(html) / 1e6, 2),
        "load_s": round(load, 2),
        "first_view": first,
        "first_view_nodes": first_nodes,
        "open_story_s": None if opened is None else round(opened, 3),
        "story_nodes": story_nodes,
        "search_s": None if search is None else round(search, 3),
        "console_errors": len(errors),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("builds", nargs="+", help="NAME=OUTPUT_DIR of a kgraph build")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    rows = []
    for spec in args.builds:
        name, _, out = spec.partition("=")
        if not out or not (Path(out) / "graph.html").is_file():
            print(f"bench_map: {spec!r} is not NAME=DIR with a graph.html", file=sys.stderr)
            return 2
        runs = [measure(name, Path(out)) for _ in range(args.repeats)]
        row = dict(runs[0])
        for key in ("load_s", "open_story_s", "search_s"):
            values = [r[key] for r in runs if r[key] is not None]
            row[key] = round(statistics.median(values), 3) if values else None
        rows.append(row)
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + " --- |" * len(keys))
    for row in rows:
        print("| " + " | ".join("" if row[k] is None else str(row[k]) for k in keys) + " |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
