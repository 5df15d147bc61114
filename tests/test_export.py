"""Exports: every format round-trips, written atomically."""

from __future__ import annotations

import pytest
from conftest import make_article, make_relation
from rdflib import Dataset, Graph

from graph.rdf.mapping import article_graph, entity_graph
from graph.storage.export import export


@pytest.mark.parametrize("fmt", ["ttl", "trig", "nquads", "jsonld"])
def test_export_round_trips(store, tmp_path, fmt):
    store.put_article(article_graph(make_article(), [make_relation()]), "h", entity_graph([make_relation()]))
    out = tmp_path / f"out.{fmt}"
    n = export(store, out, fmt)
    parsed = Graph() if fmt == "ttl" else Dataset()
    parsed.parse(out, format={"ttl": "turtle", "jsonld": "json-ld"}.get(fmt, fmt))
    size = len(parsed) if fmt == "ttl" else sum(1 for _ in parsed.quads((None, None, None, None)))
    assert size == n == store.triple_count()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_export_unknown_format_leaves_nothing(store, tmp_path):
    with pytest.raises(ValueError):
        export(store, tmp_path / "x.xml", "rdfxml")
    assert list(tmp_path.glob("x.xml*")) == []


def _put_one(store) -> None:
    store.put_article(article_graph(make_article(), [make_relation()]), "h", entity_graph([make_relation()]))


@pytest.mark.parametrize("fmt", ["ttl", "trig"])
def test_turtle_and_trig_use_prefixes(store, tmp_path, fmt):
    _put_one(store)
    text = export(store, tmp_path / f"out.{fmt}", fmt) and (tmp_path / f"out.{fmt}").read_text(encoding="utf-8")
    for prefix in ("lg", "prov", "dcterms", "rdfs", "xsd", "id"):
        assert f"@prefix {prefix}: <" in text
    body = "\n".join(line for line in text.splitlines() if not line.startswith("@prefix"))
    assert "lg:investedIn" in body and "id:acme-labs" in body and "prov:wasDerivedFrom" in body
    for namespace in (
        "https://w3id.org/labelgraph/ontology#",
        "https://w3id.org/labelgraph/id/",
        "http://www.w3.org/ns/prov#",
    ):
        assert f"<{namespace}" not in body


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_export_files_are_readable_as_the_umask_allows(store, tmp_path, mask):
    import os
    import stat

    import networkx as nx

    from graph.drawing.html import write_html
    from graph.storage.export import export_graph

    _put_one(store)
    g = nx.MultiDiGraph([("a", "b")])
    old = os.umask(mask)
    try:
        written = [tmp_path / "g.trig", tmp_path / "g.graphml", tmp_path / "g.html"]
        export(store, written[0], "trig")
        export_graph(g, written[1], "graphml")
        write_html(g, written[2])
    finally:
        os.umask(old)
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask, path


def _fact_graph():
    import networkx as nx

    g = nx.MultiDiGraph()
    g.add_node("https://w3id.org/labelgraph/id/a", label="Acme", type="AILab")
    g.add_node("https://w3id.org/labelgraph/id/b", label="Beta", type="DataVendor")
    g.add_edge("https://w3id.org/labelgraph/id/a", "https://w3id.org/labelgraph/id/b",
               key="https://w3id.org/labelgraph/fact/1", predicate="customer_of", status="ended",
               statuses=[["2024", "reported"], [None, "ended"]], start="2024", end="2025-06", date="2024",
               confidence=0.9, amount_usd=None, articles=2, first_reported="2024-02-01", last_reported="2025-06-12",
               conflicting=False, evidence=[{"sentence": "Acme buys from Beta.", "article": "x", "title": "X",
                                             "date": "2024-02-01", "status": "reported", "confidence": 0.8},
                                            {"sentence": "Acme left Beta.", "article": "y", "title": "Y",
                                             "date": "2025-06-12", "status": "ended", "confidence": 0.9}])  # fmt: skip
    return g


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_fact_graph_exports_open_in_networkx(tmp_path, fmt):
    import networkx as nx

    from graph.storage.export import export_graph

    out = tmp_path / f"facts.{fmt}"
    assert export_graph(_fact_graph(), out, fmt) == (2, 1)
    if fmt == "graphml":
        back = nx.read_graphml(out, force_multigraph=True)
        ((_, _, key, data),) = back.edges(keys=True, data=True)
    else:
        back = nx.read_gexf(out)
        ((_, _, data),) = back.edges(data=True)
        key = data["id"]
    assert back.number_of_nodes() == 2 and key == "https://w3id.org/labelgraph/fact/1"
    assert data["evidence"] == "Acme buys from Beta. | Acme left Beta." and data["evidence_count"] == 2
    assert data["articles"] == 2 and data["end"] == "2025-06" and data["statuses"] == "2024 reported; undated ended"
    assert "amount_usd" not in data  # None is left out, not written as a string
    assert back.nodes["https://w3id.org/labelgraph/id/a"]["label"] == "Acme"


def test_unknown_graph_format_leaves_nothing(tmp_path):
    from graph.storage.export import export_graph

    with pytest.raises(ValueError):
        export_graph(_fact_graph(), tmp_path / "x.dot", "dot")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_cli_exports_the_corpus_fact_graph(corpus_store, tmp_path):
    import networkx as nx
    from typer.testing import CliRunner

    from graph.cli import app
    from graph.drawing.view import fact_graph
    from graph.storage.store import Store

    with Store(corpus_store, read_only=True) as s:
        facts = fact_graph(s.dataset)
    runner = CliRunner()
    for fmt in ("graphml", "gexf"):
        out = tmp_path / f"market.{fmt}"
        result = runner.invoke(app, ["export", "--format", fmt, "--out", str(out), "--store", str(corpus_store)])
        assert result.exit_code == 0, result.output
        assert f"{facts.number_of_edges()} facts" in result.output
    g = nx.read_graphml(tmp_path / "market.graphml", force_multigraph=True)
    assert g.number_of_edges() == facts.number_of_edges() and g.number_of_nodes() == facts.number_of_nodes()
    labels = {d["label"] for _, d in g.nodes(data=True)}
    assert "Scale AI" in labels
    bad = runner.invoke(app, ["export", "--format", "graphml", "--out", str(tmp_path / "x.graphml"), "--focus", "x",
                              "--store", str(corpus_store)])  # fmt: skip
    assert bad.exit_code == 2
