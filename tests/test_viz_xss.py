"""Article text that carries HTML or script never runs in the map (graph.html).

The articles go through the real build (ingest, spaCy, RDF, map), so the
payloads reach the page the way a user's corpus would put them there: in a
record's title, text, url, outlet and id, and in a sentence right next to a
person's name, so that it lands in entity, edge and article tooltips. The
page is opened in headless Chromium; every node's and edge's tooltip is shown
(by hovering, and through vis-network's own popup for the rest), and the
payloads must be shown as text and never run. The map's Content-Security-
Policy would block inline handlers anyway, so the page is also checked with
the policy removed: escaping alone has to hold.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language
from test_viz import (
    assert_no_alert,
    executable_scripts,
    browser,
    hover,
    open_map,
    read_page,
    severe_console_errors,
    wait_for_tooltip,
)

from kgraph.build import BuildResult, build

__all__ = ["browser"]  # the fixture, shared with test_viz.py

SCRIPT = "<script>window.__pwned=1;alert('text')</script>"
CLOSE_SCRIPT = "</script><script>window.__pwned=1</script>"
SVG = '<svg onload="window.__pwned=1">'
IMG = "<img src=x onerror=\"window.__pwned=1;alert('img')\">"
LINK = '<a href="javascript:window.__pwned=1">click</a>'
TITLE = "<img src=x onerror=\"window.__pwned=1;alert('title')\">Kherson falls"
HEADLINE = "<script>window.__pwned=1;alert('headline')</script>Budanov warns"
JS_URL = "javascript:window.__pwned=1;alert(document.domain)"
OUTLET = '<b onmouseover="window.__pwned=1">Evil News</b>'
EVIL_ID = '"><img src=x onerror=window.__pwned=1>'
BOLD = '<b onmouseover="window.__pwned=1">ordered</b>'
IFRAME = '<iframe src="javascript:window.__pwned=1"></iframe>'

RECORDS = [
    {
        "id": "evil-record",
        "title": TITLE,
        "url": JS_URL,
        "outlet": OUTLET,
        "text": f"Volodymyr Zelensky said {SCRIPT} that Kherson would be free.\n"
        f"Zelensky spoke in Kyiv {CLOSE_SCRIPT} on Monday.\n"
        f"The people of Kherson {SVG} waited for Zelensky.",
    },
    {
        "id": "headline-record",
        "title": HEADLINE,
        "url": "https://example.org/budanov",
        "text": f"Kyrylo Budanov warned {IMG} that Russia would defend Kherson.\n"
        f"Budanov said the army would not leave {LINK} soon.",
    },
    {
        "id": EVIL_ID,
        "text": "Olaf Scholz called for a new Marshall Plan for Ukraine in Berlin.\n"
        "Scholz said Kherson must be rebuilt.",
    },
]
TEXT_FILE = (
    f"Sergei Surovikin {BOLD} the retreat from Kherson.\n"
    f"Surovikin said {IFRAME} the decision was hard.\n"
    "Surovikin spoke on Russian television about Kherson."
)
# Each must appear, verbatim, in some tooltip.
PAYLOADS = (SCRIPT, CLOSE_SCRIPT, SVG, IMG, LINK, TITLE, HEADLINE, JS_URL, OUTLET, EVIL_ID, BOLD, IFRAME)

# Every attribute whose name starts with "on", every script but the page's two,
# every element a payload names, and every javascript: link in the document.
DOM_REPORT = """
var found = {handlers: [], scripts: document.querySelectorAll('script:not([type="application/json"])').length,
             data: document.querySelectorAll('script[type="application/json"]').length, tags: [], jsLinks: []};
document.querySelectorAll('*').forEach(function (el) {
  for (var i = 0; i < el.attributes.length; i++) {
    var a = el.attributes[i];
    if (/^on/i.test(a.name)) { found.handlers.push(el.tagName + ' ' + a.name); }
    if (/^\\s*javascript:/i.test(a.value)) { found.jsLinks.push(el.tagName + ' ' + a.name); }
  }
});
['img', 'iframe', 'a', 'b', 'object', 'embed'].forEach(function (tag) {
  if (document.getElementsByTagName(tag).length) { found.tags.push(tag); }
});
document.querySelectorAll('svg').forEach(function (svg) {
  if (!svg.closest('#kg-legend')) { found.tags.push('svg outside the legend'); }
});
return found;
"""

# Shows one item's tooltip through vis-network's own popup, the calls a hover
# makes (InteractionHandler._checkShowPopup); the popup exists after one hover.
SHOW_POPUP = """
var ih = network.interactionHandler, kind = arguments[0], id = arguments[1];
var item = kind === 'node' ? network.body.nodes[id] : network.body.edges[id];
ih.popup.popupTargetType = kind;
ih.popup.popupTargetId = id;
ih.popup.setPosition(200, 200);
ih.popup.setText(item.getTitle());
ih.popup.show();
var tip = document.querySelector('.vis-tooltip');
return tip.style.visibility === 'visible' ? tip.innerText : null;
"""


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> BuildResult:
    corpus = tmp_path_factory.mktemp("xss-corpus")
    (corpus / "records.json").write_text(json.dumps(RECORDS), encoding="utf-8")
    (corpus / "surovikin.txt").write_text(TEXT_FILE, encoding="utf-8")
    return build([corpus], tmp_path_factory.mktemp("xss-out"), nlp=nlp)


def without_csp(page: Path, to: Path) -> Path:
    html = page.read_text(encoding="utf-8")
    stripped, count = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    assert count == 1
    to.write_text(stripped, encoding="utf-8")
    return to


def show_every_tooltip(driver: Any) -> list[str]:
    """Hover and click two nodes with the mouse, then show every node's and edge's tooltip."""
    from selenium.webdriver.common.action_chains import ActionChains

    node_ids, edge_ids = driver.execute_script("return [nodes.getIds(), edges.getIds()];")
    assert node_ids and edge_ids
    positions = driver.execute_script(
        "var out = {}; nodes.getIds().forEach(function (id) {"
        " var p = network.canvasToDOM(network.getPosition(id)); out[id] = [p.x, p.y]; }); return out;"
    )
    # The most-mentioned entity's tooltip has the most sentences; then the node furthest from it.
    busiest = max(node_ids, key=lambda i: driver.execute_script("return nodes.get(arguments[0]).value || 0;", i))
    bx, by = positions[busiest]
    far = max(node_ids, key=lambda i: abs(positions[i][0] - bx) + abs(positions[i][1] - by))
    texts = []
    for node_id in (busiest, far):
        hover(driver, *positions[node_id])
        texts.append(wait_for_tooltip(driver))
        ActionChains(driver).click().perform()
    for kind, ids in (("node", node_ids), ("edge", edge_ids)):
        for item_id in ids:
            text = driver.execute_script(SHOW_POPUP, kind, item_id)
            assert text, f"no tooltip for {kind} {item_id}"
            texts.append(text)
    return texts


# Opens the side panel of every node and of every edge, as a click does (the
# network's own click event), and returns the panel's text each time.
OPEN_EVERY_PANEL = """
var texts = [];
function panelText() { return document.getElementById('kg-panel').innerText; }
nodes.getIds().forEach(function (id) {
  network.body.emitter.emit('click', {nodes: [id], edges: [], pointer: {DOM: {x: 0, y: 0}}});
  texts.push(panelText());
});
edges.getIds().forEach(function (id) {
  network.body.emitter.emit('click', {nodes: [], edges: [id], pointer: {DOM: {x: 0, y: 0}}});
  texts.push(panelText());
});
return texts;
"""


def search_for(driver: Any, text: str) -> str:
    """Type ``text`` into the search box; the result list's text."""
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.ID, "kg-search")
    box.clear()
    box.send_keys(text)
    return driver.execute_script("return document.getElementById('kg-search-results').innerText;")


@pytest.mark.browser
def test_browser_no_payload_runs_in_the_panel_the_search_or_the_story_list(
    hostile_build: BuildResult, browser: Any, tmp_path: Path
) -> None:
    page = without_csp(hostile_build.out_dir / "graph.html", tmp_path / "graph.html")  # escaping alone must hold
    open_map(browser, page)

    panels = browser.execute_script(OPEN_EVERY_PANEL)
    # Headlines are names the search finds an article by.
    results = [search_for(browser, payload[:12]) for payload in (TITLE, HEADLINE)]
    stories = browser.execute_script("return document.getElementById('kg-side').innerText;")

    assert_no_alert(browser)
    assert browser.execute_script("return typeof window.__pwned;") == "undefined"
    assert browser.execute_script(DOM_REPORT) == {"handlers": [], "scripts": 2, "data": 2, "tags": [], "jsLinks": []}
    shown = "\n".join(panels)
    assert [p for p in PAYLOADS if p not in shown] == []  # every payload, verbatim, as text
    assert all(results)  # the search finds the hostile names and lists them as text
    assert browser.execute_script("return document.querySelectorAll('#kg-panel-body *:not(h2,h3,p,div,section,ul,li,button)').length;") == 0
    assert stories
    assert severe_console_errors(browser) == []


def test_every_payload_reaches_the_page_data_as_text(hostile_build: BuildResult) -> None:
    page = read_page(hostile_build.out_dir / "graph.html")

    titles = "\n".join(item["title"] for item in (*page.nodes, *page.edges))
    missing = [p for p in PAYLOADS if p not in titles]
    assert missing == []
    markup = [p for p in PAYLOADS if "<" in p]
    assert [p for p in markup if p in page.html] == []  # only escaped, inside JSON data
    assert not any(JS_URL in (v or "") for _tag, attrs in page.parsed.tags for v in attrs.values())
    assert executable_scripts(page) == 2  # the two inline scripts; the rest is JSON data
    assert not any(name.startswith("on") for _tag, attrs in page.parsed.tags for name in attrs)


@pytest.mark.browser
@pytest.mark.parametrize("policy", ["with-csp", "without-csp"])
def test_browser_no_payload_runs_on_hover_or_click(
    hostile_build: BuildResult, browser: Any, tmp_path: Path, policy: str
) -> None:
    page = hostile_build.out_dir / "graph.html"
    if policy == "without-csp":  # escaping alone must hold
        page = without_csp(page, tmp_path / "graph.html")

    open_map(browser, page)
    tooltips = show_every_tooltip(browser)

    assert_no_alert(browser)
    assert browser.execute_script("return typeof window.__pwned;") == "undefined"
    found = browser.execute_script(DOM_REPORT)
    assert found == {"handlers": [], "scripts": 2, "data": 2, "tags": [], "jsLinks": []}
    # Inside tooltips only text: one .kg-tip element and its text, nothing else.
    assert browser.execute_script("return document.querySelectorAll('.vis-tooltip *:not(.kg-tip)').length;") == 0
    shown = "\n".join(tooltips)
    assert [p for p in PAYLOADS if p not in shown] == []
    # A blocked inline handler would log a CSP violation: none was even attempted.
    assert severe_console_errors(browser) == []
