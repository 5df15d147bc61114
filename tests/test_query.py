"""Read-only SPARQL: updates, LOAD and SERVICE refused; bindings; result formats."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import make_article, make_relation
from rdflib import Literal

from graph.errors import QuerySyntaxError, ReadOnlyError
from graph.rdf.mapping import article_graph, entity_graph
from graph.sparql.query import check_read_only, format_result, run_query

REFUSED = [
    "DELETE WHERE { ?s ?p ?o }",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "LOAD <http://example.org/data.ttl>",
    "DROP ALL",
    "CLEAR DEFAULT",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://example.org/sparql> { ?s ?q ?r } } }",
]
ACCEPTED = [
    "SELECT * WHERE { ?s ?p ?o }",
    "ASK { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DESCRIBE <urn:x>",
    'SELECT * WHERE { ?s ?p "SERVICE and LOAD inside a string" }',
]


@pytest.mark.parametrize("sparql", REFUSED)
def test_query_refuses_writes_and_remote_access(sparql):
    with pytest.raises(ReadOnlyError):
        check_read_only(sparql)


@pytest.mark.parametrize("sparql", ACCEPTED)
def test_query_accepts_read_only_forms(sparql):
    check_read_only(sparql)


def test_query_rejects_garbage():
    with pytest.raises(QuerySyntaxError):
        check_read_only("SELEKT nothing")


def test_query_refused_update_leaves_store_unchanged(store):
    store.put_article(article_graph(make_article(), [make_relation()]), "h", entity_graph([make_relation()]))
    before = store.triple_count()
    with pytest.raises(ReadOnlyError):
        run_query(store, "DELETE WHERE { ?s ?p ?o }")
    assert store.triple_count() == before


def test_query_bindings_select_only_the_bound_row(store):
    store.put_article(article_graph(make_article(), [make_relation()]), "h", entity_graph([make_relation()]))
    sparql = "SELECT ?s ?label WHERE { ?s rdfs:label ?label }"  # Oxigraph binds projected variables
    result = run_query(store, sparql, {"label": Literal("Beta Data")})
    assert [str(r[0]) for r in result.rows] == ["https://w3id.org/labelgraph/id/beta-data"]


def test_query_formats_are_well_formed(store):
    store.put_article(article_graph(make_article(), [make_relation()]), "h", entity_graph([make_relation()]))
    result = run_query(store, "SELECT DISTINCT ?label WHERE { ?s rdfs:label ?label } ORDER BY ?label")
    data = json.loads(format_result(result, "json"))
    assert data["head"]["vars"] == ["label"]
    assert [b["label"]["value"] for b in data["results"]["bindings"]] == ["Acme Labs", "Beta Data"]
    rows = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert rows == [["label"], ["Acme Labs"], ["Beta Data"]]
    ask = json.loads(format_result(run_query(store, "ASK { ?s ?p ?o }"), "json"))
    assert ask["boolean"] is True
