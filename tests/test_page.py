"""The page a person reads: one edge per fact, no overlapping nodes, every evidence sentence,
a time slider; checked in headless Chromium the way a person would look at it.

Node overlap is measured from the drawn page (vis-network's positions and node radii),
and screenshots are saved next to the page (set ``LABELGRAPH_SCREENSHOTS`` to a folder to
keep copies).
"""

from __future__ import annotations

import itertools
import math
import os
import shutil
from pathlib import Path

import networkx as nx
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from graph.drawing.html import render_html, write_html
from graph.drawing.layout import footprint, place, positions
from graph.drawing.view import holds_at, interval, select_view
from tests.test_html import _open, _urls_in_tags, browser  # noqa: F401  (the browser fixture)

ID = "https://w3id.org/labelgraph/id/"


def _fact(predicate: str, sentences: list[str], **kw) -> dict:
    """Edge attributes shaped as ``project_facts`` gives them."""
    evidence = [
        {"sentence": s, "article": f"art{i}", "title": f"Article {i}", "date": f"2025-0{i % 9 + 1}-01",
         "status": kw.get("status", "reported"), "confidence": 0.8}
        for i, s in enumerate(sentences)
    ]  # fmt: skip
    data = {
        "predicate": predicate, "status": "reported", "statuses": [[kw.get("start"), kw.get("status", "reported")]],
        "start": None, "end": None, "date": None, "confidence": 0.9, "amount_usd": None,
        "articles": len(sentences), "first_reported": "2025-01-01", "last_reported": "2025-09-01",
        "conflicting": False, "evidence": evidence,
    }  # fmt: skip
    data.update(kw)
    return data


def _fact_graph() -> nx.MultiDiGraph:
    """A hub with many clients, a planned deal and an ended one (dated by the year only)."""
    g = nx.MultiDiGraph()
    g.add_node(ID + "hub", label="Hubbard Data Works", type="DataVendor")
    for i in range(14):
        g.add_node(ID + f"c{i}", label=f"Client Number {i}", type="AILab")
        g.add_edge(ID + f"c{i}", ID + "hub", key=f"fact{i}",
                   **_fact("customer_of", [f"Client {i} buys labels ({j})." for j in range(1 + i % 4)],
                           start=f"2024-{i % 12 + 1:02d}"))  # fmt: skip
    g.add_node(ID + "fund", label="Fundo Capital", type="Investor")
    g.add_edge(ID + "fund", ID + "hub", key="planned", **_fact("invested_in", ["Fundo plans to invest."],
               status="planned", start="2025-03"))  # fmt: skip
    g.add_edge(ID + "c0", ID + "hub", key="ended", **_fact("partner_of", ["They split."], start="2024",
               end="2025", status="ended"))  # fmt: skip
    return g


# --- without a browser ------------------------------------------------------------------


def test_a_fact_holds_over_intervals():
    assert interval("2025") == ("2025-01-01", "2025-12-31")
    ended = {"start": "2024-03", "end": "2025"}  # ended some time in 2025
    assert not holds_at(ended, "2024-02-28") and holds_at(ended, "2024-03-01")
    assert holds_at(ended, "2025-06-10") and not holds_at(ended, "2026-01-01")
    assert holds_at({"start": None, "first_reported": "2025-05-02"}, "2025-05-02")
    assert not holds_at({"start": None, "first_reported": "2025-05-02"}, "2025-05-01")
    assert holds_at({"start": None, "first_reported": "2025-05-02"}, "2025-05")  # a month is read as its last day


def test_select_view_as_of_draws_the_facts_that_hold():
    g = _fact_graph()
    early = select_view(g, as_of="2024-01-15")
    assert {k for *_, k in early.graph.edges(keys=True)} == {"fact0", "fact12", "ended"}
    assert "ended" not in {k for *_, k in select_view(g, as_of="2026-01").graph.edges(keys=True)}


def test_layout_leaves_no_two_nodes_overlapping():
    g = nx.star_graph(40)
    sizes = {n: 35.0 if n == 0 else 10.0 for n in g}
    labels = {n: f"A rather long company name {n}" for n in g}
    pos = place(g, sizes, labels)
    for a, b in itertools.combinations(g, 2):
        assert math.dist(pos[a], pos[b]) >= sizes[a] + sizes[b]
        (wa, ha, da), (wb, hb, db) = footprint(sizes[a], labels[a]), footprint(sizes[b], labels[b])
        apart_x = abs(pos[a][0] - pos[b][0]) >= wa + wb - 1e-6
        apart_y = abs(pos[a][1] + da - pos[b][1] - db) >= ha + hb - 1e-6
        assert apart_x or apart_y  # labels do not overlap either


def test_stress_layout_follows_graph_distances():
    g = nx.path_graph(12)
    pos = positions(g)
    ends = math.dist(pos[0], pos[11])
    assert all(ends >= math.dist(pos[a], pos[b]) - 1e-9 for a, b in itertools.combinations(g, 2))
    steps = [math.dist(pos[i], pos[i + 1]) for i in range(11)]
    assert max(steps) < 1.5 * min(steps)  # a path comes out stretched, evenly spaced
    assert ends > 0.8 * sum(steps)


def test_small_drawing_loads_no_scipy():
    import subprocess
    import sys

    code = (
        "import sys, networkx as nx\n"
        "from graph.drawing.layout import place\n"
        "g = nx.connected_watts_strogatz_graph(60, 4, 0.3, seed=1)\n"
        "place(g, dict.fromkeys(g, 12.0), {n: f'Company {n}' for n in g})\n"
        "print('scipy' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


def test_layout_ignores_edge_weights():
    g = nx.MultiDiGraph()
    for leaf in "abc":
        g.add_edge(leaf, "hub", weight=float("nan") if leaf == "a" else 1e12)  # a dependency's weight: dollars
    pos = place(g, dict.fromkeys(g, 12.0), {n: n for n in g})
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())


def test_page_has_one_edge_per_fact_with_its_whole_ledger():
    import json
    import re

    g = _fact_graph()
    page = render_html(select_view(g))
    data = json.loads(re.search(r"var DATA = (\{.*?\});\n", page).group(1))
    edges = {e["id"]: e for e in data["edges"]}
    assert set(edges) == {k for *_, k in g.edges(keys=True)}
    assert [e["sentence"] for e in edges["fact3"]["evidence"]] == [f"Client 3 buys labels ({j})." for j in range(4)]
    assert edges["fact3"]["width"] > edges["fact1"]["width"] > edges["fact0"]["width"]
    assert edges["planned"]["dashes"] and edges["ended"]["dashes"] and not edges["fact0"]["dashes"]
    assert edges["ended"]["until"] == "2025-12-31" and "2026-01-01" in data["dates"]
    assert all(not e.get("label") for e in data["edges"])  # edge labels come on hover or zoom only
    assert edges["ended"]["arrows"]["to"]["enabled"] is False  # symmetric: no arrow


# --- in Chromium ----------------------------------------------------------------------------

_DRAWN = """var n = window.labelgraph.network, p = n.getPositions(), out = [];
var frame = n.canvas.frame.canvas.getBoundingClientRect();
for (var id in p) {
  var body = n.body.nodes[id];
  if (body.options.hidden) { continue; }
  var d = n.canvasToDOM(p[id]), b = n.getBoundingBox(id);
  var tl = n.canvasToDOM({x: b.left, y: b.top}), br = n.canvasToDOM({x: b.right, y: b.bottom});
  out.push({id: id, x: p[id].x, y: p[id].y, r: body.shape.radius || body.options.size, box: n.getBoundingBox(id),
            domX: d.x, domY: d.y, domBox: [tl.x, tl.y, br.x, br.y]});
}
return {nodes: out, scale: n.getScale(), width: frame.width, height: frame.height, left: frame.left, top: frame.top};"""


def _drawn(driver) -> dict:
    """The nodes as drawn: canvas position, radius, bounding box with label, screen position."""
    return driver.execute_script(_DRAWN)


def _disc_gaps(drawn: dict) -> list[tuple[float, str, str]]:
    """For each pair of drawn nodes, the free space between their discs (negative: overlap)."""
    return sorted(
        (math.hypot(a["x"] - b["x"], a["y"] - b["y"]) - a["r"] - b["r"], a["id"], b["id"])
        for a, b in itertools.combinations(drawn["nodes"], 2)
    )


def _label_overlaps(drawn: dict) -> int:
    """Pairs of nodes whose boxes (shape and label, as vis-network bounds them) overlap."""

    def cross(a: dict, b: dict) -> bool:
        return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]

    return sum(cross(a["box"], b["box"]) for a, b in itertools.combinations(drawn["nodes"], 2))


def _wait_for(driver, test, timeout: float = 5.0) -> bool:
    """Wait until ``test`` holds for the page's status attributes."""
    import time

    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if test(driver.execute_script("return Object.assign({}, document.getElementById('lg-status').dataset)")):
            return True
        time.sleep(0.05)
    return False


def _screenshot(driver, path: Path) -> Path:
    driver.save_screenshot(str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000
    keep = os.environ.get("LABELGRAPH_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)
    return path


def _check_readable(driver, path: Path, status: dict) -> dict:
    """What a person sees: drawn, offline, no overlaps, filling the window."""
    assert status.get("ready") == "true", status
    assert [u for u in status["requests"] if not u.startswith("file://")] == []
    assert [m for m in status["console"] if m["level"] in ("SEVERE", "WARNING")] == []
    assert "errors" not in status and "violations" not in status
    assert _urls_in_tags(path.read_text(encoding="utf-8")) == []
    drawn = _drawn(driver)
    gaps = _disc_gaps(drawn)
    assert gaps[0][0] >= 0, gaps[:3]  # no two node discs overlap
    assert _label_overlaps(drawn) == 0
    xs, ys = [n["domX"] for n in drawn["nodes"]], [n["domY"] for n in drawn["nodes"]]
    fill = round(max((max(xs) - min(xs)) / drawn["width"], (max(ys) - min(ys)) / drawn["height"]), 3)
    assert fill >= 0.7  # the graph fills the window
    assert drawn["width"] >= 0.7 * driver.execute_script("return window.innerWidth")
    for node in drawn["nodes"]:  # every node and its whole label inside the drawing
        left, top, right, bottom = node["domBox"]
        assert left >= 0 and top >= 0 and right <= drawn["width"] and bottom <= drawn["height"], node
    assert int(status["edgeLabels"]) == 0  # edge labels wait for hover or zoom
    return {"min_gap": round(gaps[0][0], 1), "pairs": len(gaps), "label_overlaps": 0, "fill": fill,
            "canvas": (drawn["width"], drawn["height"])}  # fmt: skip


@pytest.fixture(scope="module")
def fact_graph(corpus_store):
    """The bundled corpus's fact graph, as ``export --format html`` draws it."""
    from graph.drawing.view import fact_graph as facts_of
    from graph.storage.store import Store

    with Store(corpus_store, read_only=True) as s:
        return facts_of(s.dataset)


@pytest.mark.browser
@pytest.mark.parametrize("focus", [None, "Scale AI"])
def test_browser_pages_are_readable(browser, fact_graph, tmp_path, focus):  # noqa: F811
    view = select_view(fact_graph, focus=focus)
    name = "focus-scale-ai" if focus else "market"
    path = write_html(view, tmp_path / f"{name}.html")
    status = _open(browser, path)
    figures = _check_readable(browser, path, status)
    assert int(status["edges"]) == view.graph.number_of_edges()  # one edge per fact
    shot = _screenshot(browser, tmp_path / f"{name}.png")
    print(f"{name}: {figures} {shot}")
    # zoomed in, every edge shows its label; back out, only the hovered one
    browser.execute_script("window.labelgraph.network.moveTo({scale: 2.5}); window.labelgraph.network.redraw();")
    assert _wait_for(browser, lambda st: st.get("edgeLabels") == status["edges"])
    browser.execute_script("window.labelgraph.network.moveTo({scale: 1}); window.labelgraph.network.redraw();")
    assert _wait_for(browser, lambda st: st.get("edgeLabels") == "0")
    edge = next(str(k) for *_, k in view.graph.edges(keys=True))
    browser.execute_script("window.labelgraph.network.body.emitter.emit('hoverEdge', {edge: arguments[0]});", edge)
    assert _wait_for(browser, lambda st: st.get("edgeLabels") == "1")


@pytest.mark.browser
def test_browser_panel_shows_every_evidence_sentence(browser, fact_graph, tmp_path):  # noqa: F811
    view = select_view(fact_graph, focus="Scale AI")
    path = write_html(view, tmp_path / "scale.html")
    s, _, key, fact = max(view.graph.edges(keys=True, data=True), key=lambda e: len(e[3]["evidence"]))
    assert len(fact["evidence"]) >= 3
    status = _open(browser, path, f"#edge={key}")
    assert status.get("ready") == "true", status
    items = browser.find_elements(By.CSS_SELECTOR, "#lg-details ol.lg-evidence > li")
    shown = [li.text for li in items]
    assert len(shown) == len(fact["evidence"])
    for item, text in zip(fact["evidence"], shown, strict=True):
        assert item["sentence"] in text and (item["title"] or item["article"]) in text and (item["date"] or "") in text
    # a person clicks the node of the fact's subject: its facts, each with all its sentences
    drawn = {n["id"]: n for n in _drawn(browser)["nodes"]}
    canvas = browser.find_element(By.CSS_SELECTOR, "#lg-network canvas")
    rect = canvas.rect
    ActionChains(browser).move_to_element_with_offset(
        canvas, int(drawn[s]["domX"] - rect["width"] / 2), int(drawn[s]["domY"] - rect["height"] / 2)
    ).click().perform()
    panel = browser.find_element(By.ID, "lg-details")
    assert panel.get_attribute("data-id") == s
    for item in fact["evidence"]:
        assert item["sentence"] in panel.text
    _screenshot(browser, tmp_path / "panel.png")


@pytest.mark.browser
def test_browser_slider_replays_the_market(browser, fact_graph, tmp_path):  # noqa: F811
    view = select_view(fact_graph)
    path = write_html(view, tmp_path / "market.html")
    status = _open(browser, path)
    assert status.get("ready") == "true", status
    slider = browser.find_element(By.ID, "lg-slider")
    before = browser.execute_script("return document.querySelector('#lg-network canvas').toDataURL()")
    slider.send_keys(Keys.HOME)  # the earliest date
    seen = []
    n_dates = int(status["dates"])
    for step in range(n_dates + 1):
        now = browser.execute_script("return Object.assign({}, document.getElementById('lg-status').dataset)")
        day = now["asOf"]
        shown = set(browser.execute_script(
            "return window.labelgraph.edges.get({filter: function (e) { return !e.hidden; }}).map(function (e) { return e.id; })"
        ))  # fmt: skip
        expected = {k for *_, k, d in view.graph.edges(keys=True, data=True) if not day or holds_at(d, day)}
        assert shown == expected, day
        seen.append((day, len(shown)))
        if step < n_dates:
            slider.send_keys(Keys.ARROW_RIGHT)
    assert seen[-1] == ("", view.graph.number_of_edges())  # the right end: every fact
    assert len({n for _, n in seen}) > 2  # moving the slider changes what is drawn
    slider.send_keys(Keys.HOME)
    after = browser.execute_script("return document.querySelector('#lg-network canvas').toDataURL()")
    assert after != before
