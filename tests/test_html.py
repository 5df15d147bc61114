"""Interactive HTML graphs: offline, safe with hostile article text, fast to open.

The page-level tests open the exported file in Debian's headless Chromium (through
chromedriver) with every network request logged.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.drawing.html import graph_from_result, render_html, write_html
from graph.drawing.view import View, select_view
from tests.conftest import make_article, make_relation

PAYLOAD_FLAG = "__labelgraph_pwned"
PAYLOADS = [
    f'<img src=x onerror="window.{PAYLOAD_FLAG}=1">',
    f"<script>window.{PAYLOAD_FLAG}=2</script>",
    f"<a href=javascript:window.{PAYLOAD_FLAG}=3>click</a>",
    f"</script><script>window.{PAYLOAD_FLAG}=4</script>",
]
runner = CliRunner()


# --- the page as text (fast) ------------------------------------------------------------


def _urls_in_tags(page: str) -> list[str]:
    """URLs a script, link, img or iframe tag would fetch."""
    return re.findall(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(https?:[^\"'\s>]+)", page, re.I)


def test_html_page_references_no_network_resource(corpus_graph):
    page = render_html(select_view(corpus_graph))
    assert _urls_in_tags(page) == []
    assert "cdn" not in page.lower().split("<script", 1)[0]
    assert "default-src 'none'" in page  # and the CSP forbids any request


def test_html_page_embeds_article_text_as_inert_json():
    g = nx.MultiDiGraph()
    g.add_node("a", label=PAYLOADS[3], type="DataVendor")
    g.add_node("b", label="Beta", type="AILab")
    g.add_edge("a", "b", key="e1", predicate="customer_of", evidence=PAYLOADS[0], title=PAYLOADS[1], confidence=0.9)
    page = render_html(View(g), title=PAYLOADS[2])
    for payload in PAYLOADS:
        assert payload not in page
    opened = re.findall(r"<script nonce=", page)
    assert len(opened) == page.count("</script>") == 3  # nothing closes a script early
    assert "<!--" not in page


def test_view_filters_by_date_relation_confidence_and_focus(corpus_graph):
    everything = select_view(corpus_graph, max_nodes=10_000)
    only = select_view(corpus_graph, predicates=["customer_of"], max_nodes=10_000)
    assert only.graph.number_of_edges() < everything.graph.number_of_edges()
    assert {d["predicate"] for *_, d in only.graph.edges(data=True)} == {"customer_of"}
    early = select_view(corpus_graph, as_of="2025-06-01", max_nodes=10_000)
    assert all((d.get("date") or "") <= "2025-06-01" for *_, d in early.graph.edges(data=True))
    sure = select_view(corpus_graph, min_confidence=0.8, max_nodes=10_000)
    assert all(d["confidence"] >= 0.8 for *_, d in sure.graph.edges(data=True))
    near = select_view(corpus_graph, focus="Scale AI", depth=1, max_nodes=10_000)
    scale = next(n for n, d in corpus_graph.nodes(data=True) if d["label"] == "Scale AI")
    assert scale in near.graph and all(nx.has_path(near.graph.to_undirected(), scale, n) for n in near.graph)
    small = select_view(corpus_graph, max_nodes=5)
    assert small.graph.number_of_nodes() == 5 and small.dropped == everything.graph.number_of_nodes() - 5


def test_view_dependencies_draws_the_derived_graph(corpus_graph):
    view = select_view(corpus_graph, dependencies=True)
    kinds = {d["kind"] for *_, d in view.graph.edges(data=True)}
    assert view.kind == "dependencies" and kinds <= {"supply", "revenue", "capital"} and "supply" in kinds


def test_view_unknown_focus_names_close_matches(corpus_graph):
    with pytest.raises(LookupError, match="Scale AI"):
        select_view(corpus_graph, focus="Scale A")  # close, but no entity is called that


def test_graph_from_a_sparql_answer(corpus_store):
    from graph.sparql.query import run_query
    from graph.storage.store import Store

    sparql = """PREFIX lg: <https://w3id.org/labelgraph/ontology#>
    SELECT ?s ?o WHERE { ?s lg:customerOf ?o }"""
    with Store(corpus_store, read_only=True) as s:
        result = run_query(s, sparql)
    g = graph_from_result(result)
    assert g.number_of_edges() == len(result.rows) > 0
    assert "<svg" not in render_html(g)  # renders; nothing drawn server-side


def test_cli_export_html_options(corpus_store, tmp_path):
    out = tmp_path / "scale.html"
    args = ["export", "--format", "html", "--out", str(out), "--store", str(corpus_store)]
    result = runner.invoke(
        app, [*args, "--focus", "Scale AI", "--depth", "1", "--predicates", "customer_of,ended_relationship_with"]
    )
    assert result.exit_code == 0, result.output
    assert out.exists() and "nodes and" in result.output
    assert runner.invoke(app, [*args, "--focus", "Nobody Inc"]).exit_code == 2
    assert runner.invoke(app, [*args, "--predicates", "likes"]).exit_code == 2
    assert runner.invoke(app, [*args, "--as-of", "June"]).exit_code == 2
    assert runner.invoke(app, [*args, "--dependencies", "--as-of", "2025-12-31"]).exit_code == 0
    trig = runner.invoke(app, ["export", "--format", "trig", "--out", str(tmp_path / "g.trig"), "--focus", "x",
                               "--store", str(corpus_store)])  # fmt: skip
    assert trig.exit_code == 2


# --- the page in Chromium -------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium with the browser console and the network log recorded."""
    if not (CHROMIUM and CHROMEDRIVER):
        needed = "chromium and chromedriver are needed (bash .ci/run installs them: apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):  # CI must run them
            pytest.fail(needed)
        pytest.skip(needed)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,900"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def _open(driver, path: Path, fragment: str = "", timeout: float = 30.0) -> dict:
    """Open ``path``, wait for the first drawing; return the page's status and what the
    browser logged (console messages, requested URLs)."""
    driver.get_log("browser"), driver.get_log("performance")  # start clean
    started = time.perf_counter()
    driver.get(path.resolve().as_uri() + fragment)
    deadline = started + timeout
    status: dict = {}
    while time.perf_counter() < deadline:
        status = driver.execute_script("return Object.assign({}, document.getElementById('lg-status').dataset)")
        if status.get("ready") == "true":
            break
        time.sleep(0.05)
    status["wall_seconds"] = time.perf_counter() - started
    console = driver.get_log("browser")
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    status["console"] = console
    status["requests"] = requests
    return status


@pytest.mark.browser
def test_browser_draws_the_whole_graph_offline(browser, corpus_graph, tmp_path):
    view = select_view(corpus_graph)
    path = write_html(view, tmp_path / "market.html")
    status = _open(browser, path)
    assert status.get("ready") == "true", status
    assert int(status["nodes"]) == view.graph.number_of_nodes() == int(status["drawnNodes"])
    assert int(status["edges"]) == view.graph.number_of_edges()
    assert [m for m in status["console"] if m["level"] in ("SEVERE", "WARNING")] == []
    assert "errors" not in status and "violations" not in status
    assert [u for u in status["requests"] if not u.startswith("file://")] == []
    assert _urls_in_tags(path.read_text(encoding="utf-8")) == []
    canvas = browser.execute_script("return document.querySelector('#lg-network canvas').width")
    assert canvas > 0


@pytest.mark.browser
def test_browser_shows_hostile_article_text_literally(browser, tmp_path):
    from graph.analytics.project import project_facts
    from graph.drawing.html import write_html as write
    from graph.facts.update import rebuild_facts
    from graph.rdf.mapping import article_graph, entity_graph
    from graph.storage.store import Store

    subject = f"Evil {PAYLOADS[0]} Labs"
    evidence = f"Evil Labs hired Beta Data. {PAYLOADS[1]} {PAYLOADS[2]} {PAYLOADS[3]}"
    article = make_article("evil.html", evidence, title=f"Breaking {PAYLOADS[1]}", published="2025-07-01")
    relation = make_relation("customer_of", article="evil.html", subject="evil-labs", subject_label=subject,
                             subject_type="AILab", evidence=evidence, end=len(evidence))  # fmt: skip
    with Store(tmp_path / "store") as store:
        store.put_article(article_graph(article, [relation]), article.content_hash, entity_graph([relation]))
        rebuild_facts(store)
        g = project_facts(store.dataset)  # drawn as the CLI draws it: one edge per fact
    node = next(n for n, d in g.nodes(data=True) if d["label"] == subject)
    edge = next(k for *_, k in g.edges(keys=True))
    path = write(select_view(g), tmp_path / "evil.html")
    for fragment in (f"#node={node}", f"#edge={edge}"):
        status = _open(browser, path, fragment)
        assert status.get("ready") == "true", status
        assert browser.execute_script(f"return window.{PAYLOAD_FLAG} === undefined")
        assert browser.execute_script("return document.querySelectorAll('img, a[href], iframe').length") == 0
        shown = browser.execute_script("return document.getElementById('lg-details').textContent")
        assert (PAYLOADS[0] in shown) if fragment.startswith("#node") else all(p in shown for p in PAYLOADS[1:])
    # hovering: vis-network's tooltip of the node holds the same text, as text
    browser.execute_script(
        "var n = window.labelgraph.network; var p = n.canvasToDOM(n.getPositions()[arguments[0]]);"
        "n.body.emitter.emit('hover', {pointer: {DOM: p}}); n.interactionHandler._checkShowPopup(p);",
        node,
    )
    tooltip = browser.execute_script("var t = document.querySelector('div.vis-tooltip'); return t ? t.textContent : ''")
    assert PAYLOADS[0] in tooltip
    assert browser.execute_script(f"return window.{PAYLOAD_FLAG} === undefined")
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0


@pytest.mark.browser
def test_browser_details_say_how_many_sentences_the_store_has_beyond_those_shown(browser, corpus_store, tmp_path):
    from graph.analytics.project import project_facts
    from graph.storage.store import Store

    with Store(corpus_store, read_only=True) as opened:
        g = project_facts(opened)
    key, data = next((k, d) for *_, k, d in g.edges(keys=True, data=True) if d["evidence"])
    data["mentions"] = len(data["evidence"]) + 5  # as a fact reported more often than the projection carries
    path = write_html(select_view(g), tmp_path / "more.html")
    status = _open(browser, path, f"#edge={key}")
    assert status.get("ready") == "true", status
    shown = browser.execute_script("return document.getElementById('lg-details').textContent")
    assert "… and 5 more in the store (the evidence query)." in shown
    assert browser.execute_script("return document.querySelectorAll('.lg-evidence li').length") == len(data["evidence"])


@pytest.mark.browser
def test_browser_opens_a_2000_node_graph_within_5_seconds(browser, tmp_path):
    import random

    rng = random.Random(3)
    g = nx.MultiDiGraph()
    kinds = ["AILab", "DataVendor", "Investor", "Person", "BigTech"]
    predicates = ["customer_of", "invested_in", "competitor_of", "partner_of", "works_for"]
    for i in range(2000):
        g.add_node(f"https://w3id.org/labelgraph/id/n{i}", label=f"Company {i}", type=kinds[i % 5])
    for j in range(3000):
        a, b = rng.sample(range(2000), 2)
        g.add_edge(f"https://w3id.org/labelgraph/id/n{a}", f"https://w3id.org/labelgraph/id/n{b}", key=f"e{j}",
                   predicate=rng.choice(predicates), evidence=f"Sentence {j}.", confidence=0.8, status="reported",
                   date="2025-06", title="Synthetic")  # fmt: skip
    view = select_view(g, max_nodes=2000, drop_isolated=False)
    path = write_html(view, tmp_path / "big.html")
    status = _open(browser, path, timeout=20)
    assert status.get("ready") == "true", status
    assert int(status["drawnNodes"]) == 2000
    assert int(status["drawnMs"]) < 5000, status["drawnMs"]
