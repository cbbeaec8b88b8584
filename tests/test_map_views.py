"""The map as an analyst reads it: stories first, then one story, then the sentence.

Built from real text: the five seeds (one story), and the seeds with two
stories of ``news-dev`` (real news bodies) beside them, so that the page has
several stories to list and an overview to open on. Each browser test opens
the written page in headless Chromium and does what a user does: read the
first view, search, click, switch stories, filter.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from test_viz import (
    SEEDS,
    assert_no_alert,
    browser,
    hover,
    open_map,
    read_page,
    seeds_map,
    severe_console_errors,
)

from kgraph.outputs.map import FIRST_VIEW_NODES, MapStats

NEWS_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "news-dev" / "fnc1_train_bodies.jsonl"
# Two stories of news-dev with camps on a full build (Tor and Comcast; Gaza), by their bodies' ids.
OTHER_STORIES = {
    "fnc-train-1359", "fnc-train-1403", "fnc-train-1572", "fnc-train-2177", "fnc-train-2178", "fnc-train-569",
    "fnc-train-595", "fnc-train-1070", "fnc-train-1392", "fnc-train-158", "fnc-train-1803", "fnc-train-1967",
}
# A real sentence of the seeds that Budanov's claims come from (000_…, to Ukrainska Pravda).
BUDANOV_WORDS = "They are not leaving right now"

__all__ = ["browser", "seeds_map"]  # fixtures used here


@pytest.fixture(scope="module")
def mixed_map(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, MapStats]:
    """The seeds and 12 real bodies of two other stories, built as a user would (a few seconds)."""
    from kgraph.build import build

    corpus = tmp_path_factory.mktemp("mixed-corpus")
    with NEWS_DEV.open(encoding="utf-8") as bodies:
        picked = [line for line in bodies if json.loads(line)["id"] in OTHER_STORIES]
    assert len(picked) == len(OTHER_STORIES)
    (corpus / "news.jsonl").write_text("".join(picked), encoding="utf-8")
    out = tmp_path_factory.mktemp("mixed-build")
    result = build([SEEDS, corpus / "news.jsonl"], out)
    return out, result.map_stats


def visible(driver: Any) -> list[dict[str, Any]]:
    """The nodes drawn and not hidden by a filter, with their place on the screen."""
    return driver.execute_script(
        "return nodes.get({filter: function (n) { return !n.hidden; }}).map(function (n) {"
        " var p = network.canvasToDOM(network.getPosition(n.id));"
        " return {id: n.id, kind: n.kind, name: n.name, x: p.x, y: p.y}; });"
    )


def wait_until(driver: Any, script: str, timeout: float = 10) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := driver.execute_script(script):
            return value
        time.sleep(0.05)
    pytest.fail(f"never true: {script}")


#: The side panel's text once it is open (false while it is closed).
PANEL = "var p = document.getElementById('kg-panel'); return !p.hidden && document.getElementById('kg-panel-body').innerText;"


def panel_text(driver: Any) -> str:
    return driver.execute_script(PANEL) or ""


def click_node(driver: Any, node_id: str) -> None:
    """A real mouse click on the node where it is drawn."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    driver.execute_script("network.focus(arguments[0], {scale: 1.5, animation: false});", node_id)
    x, y = driver.execute_script(
        "var p = network.canvasToDOM(network.getPosition(arguments[0])); return [p.x, p.y];", node_id
    )
    canvas = driver.find_element(By.CSS_SELECTOR, "#mynetwork canvas")
    size = canvas.size
    ActionChains(driver).move_to_element_with_offset(
        canvas, int(x - size["width"] / 2), int(y - size["height"] / 2)
    ).click().perform()


def press(driver: Any, element_id: str, text: str, key: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element(By.ID, element_id)
    box.clear()
    box.send_keys(text)
    box.send_keys(getattr(Keys, key))


def node_named(page_nodes: list[dict[str, Any]], name: str) -> dict[str, Any]:
    (node,) = [n for n in page_nodes if n["name"] == name]
    return node


# --------------------------------------------------------------------------
# The page's data


def test_seeds_open_on_their_one_story_within_the_first_view_budget(seeds_map: tuple[Path, MapStats]) -> None:
    out, stats = seeds_map
    page = read_page(out / "graph.html")

    assert (stats.stories, stats.first_view, page.index["first"]) == (1, "v0", "v0")
    assert set(page.views) == {"v0"}  # one story: no overview to pass through
    assert stats.first_view_nodes == len(page.nodes) <= FIRST_VIEW_NODES
    (story,) = page.index["stories"]
    assert story["iri"].startswith("https://w3id.org/kgraph/id/story/") and story["articles"] == 5
    # The list names the story by its label and carries its IRI.
    buttons = [a for tag, a in page.parsed.tags if tag == "button" and "data-story" in a]
    assert [b["data-story"] for b in buttons] == [story["iri"]]
    assert story["label"] in page.text("kg-stories")


def test_a_mixed_corpus_opens_on_an_overview_of_its_stories(mixed_map: tuple[Path, MapStats]) -> None:
    out, stats = mixed_map
    page = read_page(out / "graph.html", view="overview")

    assert stats.stories >= 3 and stats.first_view == "overview"
    assert stats.first_view_nodes == len(page.nodes) <= FIRST_VIEW_NODES
    stories = page.index["stories"]
    assert [s["articles"] for s in stories] == sorted((s["articles"] for s in stories), reverse=True)
    assert sum(s["articles"] for s in stories) >= 17  # every article is in some story
    assert set(page.views) == {"overview", *(s["key"] for s in stories)}
    # The overview draws stories and their speakers, and each story node opens that story's view.
    story_nodes = [n for n in page.nodes if n["kind"] == "Story"]
    assert story_nodes and {n["view"] for n in story_nodes} <= {s["key"] for s in stories}
    assert any(e["kind"] == "contradicts" for e in page.edges)
    # Every view is small enough to read, and its articles are named by headline or outlet, not only an id.
    for key, view in page.views.items():
        assert len(view["nodes"]) <= FIRST_VIEW_NODES, key
        for node in view["nodes"]:
            assert {"x", "y", "names"} <= set(node)


def test_search_index_holds_every_alias_of_budanov(seeds_map: tuple[Path, MapStats]) -> None:
    out, _stats = seeds_map
    page = read_page(out / "graph.html")

    (entry,) = [e for e in page.index["search"] if "Kyrylo Budanov" in e[1]]
    assert {"Budanov", "Kyrylo O. Budanov", "Major-General Kyrylo Budanov"} <= set(entry[1])
    assert entry[2] == ["v0"]
    budanov = node_named(page.nodes, "Kyrylo Budanov")
    assert budanov["id"] == entry[0]
    # His merge reasons are part of what the panel says about him.
    assert "Merged for " in budanov["title"]


def test_the_cli_default_is_the_maps_story_budget() -> None:
    from kgraph import cli
    from kgraph.outputs.map import STORY_NODES

    assert cli._STORY_NODES == STORY_NODES


def test_unconnected_parts_are_laid_out_apart_and_the_same_each_time() -> None:
    from kgraph.outputs.map_layout import SPACING, layout

    star = [("hub", f"a{i}") for i in range(8)]
    pair = [("x", "y")]
    nodes = ["hub", *(f"a{i}" for i in range(8)), "x", "y", "alone"]
    positions = layout(nodes, [*star, *pair])

    assert positions == layout(nodes, [*star, *pair])
    star_box = [positions[n] for n in nodes[:9]]
    left, right = min(x for x, _ in star_box), max(x for x, _ in star_box)
    top, bottom = min(y for _, y in star_box), max(y for _, y in star_box)
    for other in ("x", "y", "alone"):  # outside the star's box: nothing lands on it
        x, y = positions[other]
        assert not (left <= x <= right and top <= y <= bottom), other
    # The hub sits amid its leaves, and no two nodes share a spot.
    hx, hy = positions["hub"]
    assert left < hx < right and top < hy < bottom
    assert len(set(positions.values())) == len(nodes)
    assert min(
        ((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5
        for i, (ax, ay) in enumerate(positions.values())
        for (bx, by) in list(positions.values())[i + 1 :]
    ) > SPACING / 4


# --------------------------------------------------------------------------
# In a real browser


@pytest.mark.browser
def test_browser_seeds_show_budanov_against_the_western_officials_without_a_touch(
    seeds_map: tuple[Path, MapStats], browser: Any
) -> None:
    out, _stats = seeds_map
    page = read_page(out / "graph.html")
    budanov = node_named(page.nodes, "Kyrylo Budanov")["id"]
    western = node_named(page.nodes, "Western officials")["id"]

    started = time.monotonic()
    open_map(browser, out / "graph.html")
    loaded = time.monotonic() - started

    shown = {n["id"]: n for n in visible(browser)}
    assert len(shown) <= FIRST_VIEW_NODES and loaded < 5
    width, height = browser.execute_script(
        "var c = document.querySelector('#mynetwork canvas'); return [c.clientWidth, c.clientHeight];"
    )
    for who in (budanov, western):
        assert 0 <= shown[who]["x"] <= width and 0 <= shown[who]["y"] <= height  # on screen
    pair = browser.execute_script(
        "return edges.get({filter: function (e) { return e.kind === 'contradicts' && !e.hidden &&"
        " ((e.from === arguments[0] && e.to === arguments[1]) || (e.from === arguments[1] && e.to === arguments[0])); }})"
        ".length;".replace("arguments[0]", json.dumps(budanov)).replace("arguments[1]", json.dumps(western))
    )
    assert pair == 1
    # Their labels are drawn at the fitted zoom: disputing speakers are always labelled.
    assert browser.execute_script(
        "var n = network.body.nodes[arguments[0]]; return n.labelModule.visible();", budanov
    )
    # And no label drawn lies over another (vis-network's own boxes, the browser's fonts).
    assert overlapping_labels(browser.execute_script(DRAWN_LABELS)) == []
    assert browser.execute_script(
        "return document.querySelector('button.kg-story[aria-current=\"true\"]').dataset.story;"
    ) == page.index["stories"][0]["iri"]
    assert severe_console_errors(browser) == []
    assert_no_alert(browser)


@pytest.mark.browser
def test_browser_search_finds_budanov_by_an_alias_and_focuses_him(
    seeds_map: tuple[Path, MapStats], browser: Any
) -> None:
    out, _stats = seeds_map
    budanov = node_named(read_page(out / "graph.html").nodes, "Kyrylo Budanov")["id"]
    open_map(browser, out / "graph.html")

    press(browser, "kg-search", "major-general kyrylo", "ENTER")

    wait_until(browser, "return window.kgPanel && window.kgPanel.node;")
    assert browser.execute_script("return window.kgPanel.node;") == budanov
    assert browser.execute_script("return network.getSelectedNodes();") == [budanov]
    heading = browser.execute_script("return document.querySelector('#kg-panel h2').textContent;")
    assert heading == "Kyrylo Budanov"
    # Focused: he is at the middle of the canvas.
    x, y, width, height = browser.execute_script(
        "var p = network.canvasToDOM(network.getPosition(arguments[0]));"
        "var c = document.querySelector('#mynetwork canvas'); return [p.x, p.y, c.clientWidth, c.clientHeight];",
        budanov,
    )
    assert abs(x - width / 2) < 5 and abs(y - height / 2) < 5
    # Escape closes the panel.
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    assert panel_text(browser) == ""
    assert severe_console_errors(browser) == []


@pytest.mark.browser
def test_browser_a_click_on_a_speaker_opens_the_panel_with_his_sentences(
    seeds_map: tuple[Path, MapStats], browser: Any
) -> None:
    out, _stats = seeds_map
    page = read_page(out / "graph.html")
    budanov = node_named(page.nodes, "Kyrylo Budanov")["id"]
    open_map(browser, out / "graph.html")

    click_node(browser, budanov)

    text = wait_until(browser, PANEL)
    assert re.match(r"Kyrylo Budanov\n+Person\n", text)
    assert BUDANOV_WORDS in text  # his claim, from the article's sentence, in the panel
    assert "contradicts: " in text and "Western officials" in text  # the other side, beside it
    assert "confidence 0." in text
    # The panel links to what it names: an article, by its headline, opens that article's panel.
    links = browser.execute_script(
        "return Array.prototype.map.call(document.querySelectorAll('#kg-panel button.kg-link'),"
        " function (b) { return b.textContent; });"
    )
    articles = {n["name"] for n in page.nodes if n["kind"] == "Article"}
    assert articles & set(links)
    article = sorted(articles & set(links))[0]
    browser.execute_script(
        "Array.prototype.filter.call(document.querySelectorAll('#kg-panel button.kg-link'),"
        " function (b) { return b.textContent === arguments[0]; })[0].click();".replace(
            "arguments[0]", json.dumps(article)
        )
    )
    assert re.match(re.escape(article) + r"\n+Article\n", panel_text(browser))
    # All of it is plain, selectable text.
    assert browser.execute_script(
        "return getComputedStyle(document.querySelector('#kg-panel .kg-text')).userSelect;"
    ) in ("text", "auto")
    assert severe_console_errors(browser) == []


@pytest.mark.browser
def test_browser_from_the_overview_a_claim_is_three_clicks_away(
    mixed_map: tuple[Path, MapStats], browser: Any
) -> None:
    out, _stats = mixed_map
    page = read_page(out / "graph.html", view="overview")
    seeds = next(s for s in page.index["stories"] if "Kherson" in s["label"])
    budanov = node_named(page.views[seeds["key"]]["nodes"], "Kyrylo Budanov")["id"]

    started = time.monotonic()
    open_map(browser, out / "graph.html")
    assert time.monotonic() - started < 5
    assert browser.execute_script("return window.kgView;") == "overview"
    assert len(visible(browser)) <= FIRST_VIEW_NODES

    # 1: the story in the list.
    browser.execute_script(
        "document.querySelector('button.kg-story[data-story=\"' + arguments[0] + '\"]').click();", seeds["iri"]
    )
    wait_until(browser, f"return window.kgMapReady && window.kgView === {json.dumps(seeds['key'])};")
    assert browser.execute_script("return document.getElementById('kg-view-title').textContent;") == seeds["label"]
    # All of the story is drawn but its minor events (behind the "minor events" box).
    assert {n["id"] for n in visible(browser)} == {
        n["id"] for n in page.views[seeds["key"]]["nodes"] if not n.get("minor")
    }
    # 2: the speaker; 3 would be a link in his panel, but his sentences are already there.
    click_node(browser, budanov)
    assert BUDANOV_WORDS in wait_until(browser, PANEL)
    # Back to the overview, and into another story through its node.
    browser.execute_script("document.querySelector('button.kg-story[data-view=\"overview\"]').click();")
    wait_until(browser, "return window.kgMapReady && window.kgView === 'overview';")
    other = next(n for n in page.nodes if n["kind"] == "Story" and n["view"] != seeds["key"])
    browser.execute_script("network.body.emitter.emit('doubleClick', {nodes: [arguments[0]], edges: []});", other["id"])
    wait_until(browser, f"return window.kgMapReady && window.kgView === {json.dumps(other['view'])};")
    assert severe_console_errors(browser) == []
    assert_no_alert(browser)


@pytest.mark.browser
def test_browser_filters_hide_by_kind_outlet_and_confidence_and_bring_it_back(
    seeds_map: tuple[Path, MapStats], browser: Any
) -> None:
    out, _stats = seeds_map
    page = read_page(out / "graph.html")
    open_map(browser, out / "graph.html")
    everything = len(visible(browser))

    # Mention and report edges start hidden (they bury the story's structure); the box brings them back.
    count_shown = (
        "return edges.get({filter: function (e) { return !e.hidden && (e.kind === 'mentions' || e.kind === 'reports'); }}).length;"
    )
    assert browser.execute_script(count_shown) == 0
    browser.execute_script("document.getElementById('kg-article-links').click();")
    minor = {n["id"] for n in page.nodes if n.get("minor")}  # hidden, with their edges, behind "minor events"
    assert browser.execute_script(count_shown) == sum(
        e["kind"] in ("mentions", "reports") and not {e["from"], e["to"]} & minor for e in page.edges
    ) > 0
    browser.execute_script("document.getElementById('kg-article-links').click();")
    assert browser.execute_script(count_shown) == 0

    browser.execute_script("document.querySelector('#kg-kinds input[data-kinds=\"Person\"]').click();")
    assert not any(n["kind"] == "Person" for n in visible(browser))
    browser.execute_script("document.querySelector('#kg-kinds input[data-kinds=\"Person\"]').click();")
    assert len(visible(browser)) == everything

    # One article: it and what it links to, no other article.
    articles = sorted((n for n in page.nodes if n["kind"] == "Article"), key=lambda n: n["id"])
    browser.execute_script(
        "var s = document.getElementById('kg-article'); s.value = arguments[0];"
        "s.dispatchEvent(new Event('change'));",
        articles[0]["id"],
    )
    assert [n["id"] for n in visible(browser) if n["kind"] == "Article"] == [articles[0]["id"]]
    assert len(visible(browser)) < everything
    browser.execute_script(
        "var s = document.getElementById('kg-article'); s.value = ''; s.dispatchEvent(new Event('change'));"
    )
    # A time window: only the articles published in it.
    days = sorted({n["date"][:10] for n in articles if n.get("date")})
    assert days
    browser.execute_script(
        "['kg-from', 'kg-to'].forEach(function (id) { var i = document.getElementById(id); i.value = arguments[0];"
        " i.dispatchEvent(new Event('change')); });".replace("arguments[0]", json.dumps(days[0]))
    )
    assert {n["id"] for n in visible(browser) if n["kind"] == "Article"} == {
        n["id"] for n in articles if n.get("date", "")[:10] == days[0]
    }
    browser.execute_script(
        "['kg-from', 'kg-to'].forEach(function (id) { var i = document.getElementById(id); i.value = '';"
        " i.dispatchEvent(new Event('change')); });"
    )
    assert len(visible(browser)) == everything

    # Confidence: above every relation's, no contradicts or agrees-with edge is left.
    confidences = [e["confidence"] for e in page.edges if "confidence" in e]
    floor = max(confidences)
    browser.execute_script(
        "var r = document.getElementById('kg-confidence'); r.value = arguments[0];"
        "r.dispatchEvent(new Event('input'));",
        str(min(1.0, floor + 0.05)),
    )
    left = browser.execute_script(
        "return edges.get({filter: function (e) { return !e.hidden && (e.kind === 'contradicts' || e.kind === 'agrees with'); }}).length;"
    )
    assert left == 0
    browser.execute_script(
        "var r = document.getElementById('kg-confidence'); r.value = '0'; r.dispatchEvent(new Event('input'));"
    )
    assert browser.execute_script(
        "return edges.get({filter: function (e) { return !e.hidden && e.kind === 'contradicts'; }}).length;"
    ) == sum(e["kind"] == "contradicts" for e in page.edges)
    assert severe_console_errors(browser) == []


# --------------------------------------------------------------------------
# A big story at first sight: labels that never collide, speakers in the centre

# The 49 news-dev bodies of the Abu Bakr al-Baghdadi story (48 articles on the full news-dev build).
BIG_STORY = frozenset(
    f"fnc-train-{n}"
    for n in (
        "1004 1024 1143 1159 1192 1254 1263 1267 146 1466 1468 1473 1501 1509 1522 1634 1645 1657 1740 1877 1889 194 "
        "208 2129 2155 2268 2283 2337 2412 2443 2469 254 263 273 281 30 394 509 538 621 670 677 703 720 723 731 891 "
        "919 931"
    ).split()
)


def _joined_into_one_story(store: Any) -> Any:
    """An in-memory copy of ``store`` whose stories are one, the largest, holding every article and camp.

    Built alone, these 49 bodies are split by kgraph's clustering into a
    story of 16 articles and several small ones (with the whole corpus
    around them they are one story of 48); joined, the page draws the view
    a story of this size gets, from real extraction, without a 10-minute build.
    """
    import pyoxigraph as ox

    from kgraph.rdf.vocab import KG, RDF, SCHEMA

    parts: dict[Any, list[Any]] = {}
    for quad in store.quads_for_pattern(None, SCHEMA.hasPart, None):
        if next(iter(store.quads_for_pattern(quad.subject, RDF.type, KG.Story)), None) is not None:
            parts.setdefault(quad.subject, []).append(quad)
    big = max(parts, key=lambda s: (len(parts[s]), str(s)))
    dropped = {q for story, quads in parts.items() if story != big for q in quads}
    joined = ox.Store()
    joined.extend(
        ox.Quad(q.subject, q.predicate, big, q.graph_name) if q.predicate == KG.story else q
        for q in store
        if q not in dropped
    )
    graph = parts[big][0].graph_name
    joined.extend(ox.Quad(big, SCHEMA.hasPart, q.object, graph) for quads in parts.values() for q in quads)
    return joined


@pytest.fixture(scope="module")
def big_story_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The map of one story of 49 real news bodies (about 20 s: a build, then the map of the joined store)."""
    from kgraph.build import build
    from kgraph.outputs.map import render_map
    from kgraph.rdf.store import open_store

    corpus = tmp_path_factory.mktemp("big-story-corpus")
    with NEWS_DEV.open(encoding="utf-8") as bodies:
        picked = [line for line in bodies if json.loads(line)["id"] in BIG_STORY]
    assert len(picked) == len(BIG_STORY)
    (corpus / "story.jsonl").write_text("".join(picked), encoding="utf-8")
    out = tmp_path_factory.mktemp("big-story-build")
    build([corpus / "story.jsonl"], out)
    store = open_store(out)
    page = tmp_path_factory.mktemp("big-story-map") / "graph.html"
    render_map(_joined_into_one_story(store), page)
    del store
    return page


def _marks_of(view_nodes: list[dict[str, Any]]) -> dict[str, Any]:
    from kgraph.outputs.map_layout import Mark

    return {
        n["id"]: Mark(n["id"], n["shape"], n["size"], n["font"]["size"], n["label"]) for n in view_nodes
    }


def _disputing(view_edges: list[dict[str, Any]]) -> set[str]:
    return {x for e in view_edges if e["kind"] in ("contradicts", "agrees with") for x in (e["from"], e["to"])}


def test_a_label_that_would_overlap_a_more_important_one_waits_for_a_zoom() -> None:
    from kgraph.outputs.map_layout import LABEL_ZOOMS, Mark, label_box, place_labels

    marks = [
        Mark("budanov", "dot", 10, 14, "Kyrylo Budanov", rank=0, must=True, ring=0),
        Mark("kuleba", "dot", 10, 14, "Dmytro Kuleba", rank=1, ring=0),  # right beside Budanov
        Mark("kherson", "triangle", 10, 14, "Kherson", rank=2),  # far off
        Mark("event", "ellipse", 8, 12, "withdrawal: Russia → Kherson", rank=3),  # on top of Kuleba
    ]
    positions = {"budanov": (0.0, 0.0), "kuleba": (60.0, 0.0), "kherson": (0.0, 300.0), "event": (60.0, 0.0)}

    zooms = place_labels(marks, positions)

    assert zooms["budanov"] == zooms["kherson"] == 0.0  # drawn at the fitted zoom
    assert zooms["kuleba"] in LABEL_ZOOMS  # drawn once zoomed in, where labels keep their size on screen
    assert zooms["event"] is None  # its label is its ellipse, which covers Kuleba at any zoom: on hover only
    # At the zoom it appears at, Kuleba's label no longer touches Budanov's.
    at = zooms["kuleba"]
    a, b = label_box(marks[0], 0.0, 0.0, at), label_box(marks[1], 60.0, 0.0, at)
    assert a[2] <= b[0] or b[2] <= a[0]
    # With no room at all, a budget of one label keeps only the one that must be drawn.
    assert [k for k, z in place_labels(marks, positions, budget=1).items() if z == 0.0] == ["budanov"]


@pytest.mark.parametrize("which", ["seeds", "big story"])
def test_labels_drawn_at_the_fitted_zoom_never_overlap_and_disputing_speakers_are_among_them(
    which: str, seeds_map: tuple[Path, MapStats], big_story_map: Path
) -> None:
    from kgraph.outputs.map_layout import label_box

    page = read_page(seeds_map[0] / "graph.html" if which == "seeds" else big_story_map)
    marks = _marks_of(page.nodes)
    always = [n for n in page.nodes if "labelZoom" not in n]
    boxes = [(n["name"], label_box(marks[n["id"]], n["x"], n["y"])) for n in always]
    overlapping = [
        (p, q) for i, (p, a) in enumerate(boxes) for q, b in boxes[i + 1 :]
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]
    assert overlapping == []
    assert len(always) >= 25  # a readable map, not one that hides its labels
    must = _disputing(page.edges) | {n["id"] for n in page.nodes if n["kind"] == "Camp"}
    assert must and must <= {n["id"] for n in always}
    # Speakers sit in the centre, apart from what they speak of (places, events on the rings around).
    xs = [n["x"] for n in page.nodes]
    ys = [n["y"] for n in page.nodes]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2

    def spread(kinds: set[str] | None, ids: set[str] | None = None) -> float:
        found = [n for n in page.nodes if (ids is None or n["id"] in ids) and (kinds is None or n["kind"] in kinds)]
        return sum(((n["x"] - cx) / 2) ** 2 + (n["y"] - cy) ** 2 for n in found) ** 0.5 / max(len(found), 1) ** 0.5

    speakers = _disputing(page.edges) - {n["id"] for n in page.nodes if n["kind"] in ("Place", "Event")}
    assert spread(None, speakers) < 0.6 * spread({"Place", "Event"})


#: Every label drawn in the current view, by vis-network's own measure (the browser's fonts), on screen.
#: vis-network measures a label when it draws it, so only nodes whose centre is on the canvas count.
DRAWN_LABELS = """
network.redraw();
var canvas = document.querySelector('#mynetwork canvas');
return nodes.get({filter: function (n) { return !n.hidden; }}).filter(function (n) {
  var p = network.canvasToDOM(network.getPosition(n.id));
  return p.x >= 0 && p.y >= 0 && p.x <= canvas.clientWidth && p.y <= canvas.clientHeight &&
    network.body.nodes[n.id].labelModule.visible();
}).map(function (n) {
  var s = network.body.nodes[n.id].labelModule.size;
  var a = network.canvasToDOM({x: s.left, y: s.top}), b = network.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
  return {id: n.id, name: n.name, kind: n.kind, box: [a.x, a.y, b.x, b.y]};
});
"""


def overlapping_labels(drawn: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (p["name"], q["name"])
        for i, p in enumerate(drawn)
        for q in drawn[i + 1 :]
        if p["box"][0] < q["box"][2] - 0.5 and q["box"][0] < p["box"][2] - 0.5
        and p["box"][1] < q["box"][3] - 0.5 and q["box"][1] < p["box"][3] - 0.5
    ]


@pytest.mark.browser
def test_browser_a_big_story_reads_at_first_sight(big_story_map: Path, browser: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
    from selenium.webdriver.common.by import By

    page = read_page(big_story_map)
    assert page.index["stories"][0]["articles"] == 49
    open_map(browser, big_story_map)

    shown = visible(browser)
    assert len(shown) <= FIRST_VIEW_NODES
    drawn = browser.execute_script(DRAWN_LABELS)
    # At the fitted zoom: many labels, none over another, and every disputing speaker and camp among them.
    assert len(drawn) >= 25
    assert overlapping_labels(drawn) == []
    labelled = {d["id"] for d in drawn}
    disputing = _disputing(page.edges) & {n["id"] for n in shown}
    camps = {n["id"] for n in shown if n["kind"] == "Camp"}
    assert len(disputing) >= 8 and camps
    assert disputing | camps <= labelled
    # Events one article reports, with no labelled participant, start hidden; the box brings them back.
    minor = {n["id"] for n in page.nodes if n.get("minor")}
    assert minor and not minor & {n["id"] for n in shown}
    browser.find_element(By.ID, "kg-minor-events").click()
    assert minor <= {n["id"] for n in visible(browser)}
    browser.find_element(By.ID, "kg-minor-events").click()
    assert not minor & {n["id"] for n in visible(browser)}

    # A node whose label waits for a zoom shows it under the mouse, and hides it again after.
    quiet = next(n for n in shown if n["id"] not in labelled and n["kind"] not in ("Event", "Article"))
    hover(browser, quiet["x"], quiet["y"])
    wait_until(browser, f"return network.body.nodes[{json.dumps(quiet['id'])}].labelModule.visible();")
    hover(browser, 2, 2)
    wait_until(browser, f"return !network.body.nodes[{json.dumps(quiet['id'])}].labelModule.visible();")
    # Zooming in (the wheel, over the centre) brings more labels in, and keeps those drawn before.
    given = browser.execute_script("return window.kgLabelsDrawn;")  # labels the page draws, on screen or not
    assert given == len(drawn)
    canvas = browser.find_element(By.CSS_SELECTOR, "#mynetwork canvas")
    for _ in range(12):  # each step zooms by a tenth
        ActionChains(browser).scroll_from_origin(ScrollOrigin.from_element(canvas), 0, -200).perform()
        time.sleep(0.05)
    wait_until(browser, "return network.getScale() > 1.5;")
    zoomed = browser.execute_script(DRAWN_LABELS)
    on_screen = {n["id"] for n in visible(browser) if 0 <= n["x"] <= canvas.size["width"] and 0 <= n["y"] <= canvas.size["height"]}
    assert labelled & on_screen <= {d["id"] for d in zoomed}
    assert {d["id"] for d in zoomed} - labelled
    assert browser.execute_script("return window.kgLabelsDrawn;") >= given + 10
    # Past zoom 1 labels keep their size on screen, so the ones that come in overlap nothing either.
    assert overlapping_labels(zoomed) == []
    fonts = {n["id"]: n["font"]["size"] for n in page.nodes}
    for label in zoomed:
        assert abs((label["box"][3] - label["box"][1]) - fonts[label["id"]]) < 1, label["name"]
    assert severe_console_errors(browser) == []
    assert_no_alert(browser)
