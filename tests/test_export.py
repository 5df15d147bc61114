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
