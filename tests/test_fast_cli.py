"""The command line starts at once: help loads none of the heavy libraries (issue 14, point 5)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "rdflib", "spacy", "networkx", "pyoxigraph", "oxrdflib", "numpy", "pyparsing")

_PROBE = """
import json, runpy, sys
args, watched = json.loads(sys.argv[1]), set(json.loads(sys.argv[2]))
sys.argv = ["labelgraph", *args]
try:
    runpy.run_module("graph.cli", run_name="__main__")
except SystemExit as e:
    code = e.code
else:
    code = 0
heavy = sorted({m.split(".")[0] for m in sys.modules} & watched)
sys.stderr.write("\\nPROBE " + json.dumps({"code": code, "heavy": heavy}) + "\\n")
"""


def _probe(*args: str) -> dict:
    """Run ``labelgraph ARGS`` in a fresh interpreter; its exit code and the heavy modules it loaded."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(list(args)), json.dumps(HEAVY)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    line = [x for x in done.stderr.splitlines() if x.startswith("PROBE ")][-1]
    return json.loads(line.removeprefix("PROBE ")) | {"stdout": done.stdout}


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("ask", "--help"),
        ("ask", "critical", "--help"),
        ("query", "--help"),
        ("export", "--help"),
        ("serve", "--help"),
        ("build", "--help"),
    ],
)
def test_help_loads_no_heavy_library(args: tuple[str, ...]) -> None:
    result = _probe(*args)
    assert result["code"] == 0
    assert "Usage" in result["stdout"]
    assert result["heavy"] == []


def test_query_list_loads_no_heavy_library() -> None:
    result = _probe("query", "--list")
    assert result["code"] == 0
    assert "dependents" in result["stdout"]
    assert result["heavy"] == []


def test_python_m_graph_cli_help_in_importtime() -> None:
    """The check the issue names: ``python -X importtime -m graph.cli --help`` lists none of them."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "graph.cli", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    loaded = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


# -- queries on facts, natively (issue 14, point 3) -------------------------------------------

_NATIVE = """
import sys
from graph.sparql.named import bind_params, list_queries
from graph.sparql.query import format_result, run_query
from graph.storage.stats import store_stats
from graph.storage.store import Store

with Store(sys.argv[1], read_only=True) as s:
    result = run_query(s, list_queries()["dependents"], bind_params(s, ["entity=Scale AI"]))
    assert result.solutions, "no dependents of Scale AI"
    format_result(result, "json"), format_result(result, "csv")
    store_stats(s)
print(sorted({m.split(".")[0] for m in sys.modules} & {"rdflib", "pyparsing", "oxrdflib"}))
"""


def test_a_named_query_and_stats_run_without_rdflib(corpus_store):
    done = subprocess.run(
        [sys.executable, "-c", _NATIVE, str(corpus_store)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_answers_are_pyoxigraph_terms_and_rdflib_on_asking(corpus_store):
    import pyoxigraph as ox
    from rdflib import Graph, URIRef

    from graph.sparql.query import run_query
    from graph.storage.store import Store

    with Store(corpus_store, read_only=True) as s:
        result = run_query(s, "SELECT ?e WHERE { GRAPH <https://w3id.org/labelgraph/graph/entities> { ?e a ?t } }")
        assert all(isinstance(row[0], ox.NamedNode) for row in result.solutions)
        assert [URIRef(row[0].value) for row in result.solutions] == [row[0] for row in result.rows]
        graph = run_query(s, "CONSTRUCT { ?e a ?t } WHERE { GRAPH ?g { ?e a ?t } } LIMIT 3")
        assert len(graph.triples) == 3 and isinstance(graph.graph, Graph) and len(graph.graph) == 3


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT * WHERE { ?s ?p ?o .SERVICE <http://127.0.0.1:9/sparql> { ?s ?q ?r } }",
        "SELECT * WHERE { service <http://127.0.0.1:9/sparql> { ?s ?q ?r } }",
        "SELECT * WHERE { ?s ?p ?o } ; LOAD <http://example.org/x>",
        "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_the_token_check_refuses_what_the_parse_tree_check_did(sparql, corpus_store):
    from graph.errors import ReadOnlyError
    from graph.sparql.query import check_read_only, run_query
    from graph.storage.store import Store

    with pytest.raises(ReadOnlyError):
        check_read_only(sparql)
    with Store(corpus_store, read_only=True) as s, pytest.raises(ReadOnlyError):
        run_query(s, sparql)


def test_no_pyparsing_runs_in_the_read_only_check():
    code = (
        "import sys\nfrom graph.sparql.query import check_read_only\n"
        "check_read_only('SELECT ?load WHERE { ?load rdfs:label \"SERVICE\" }')\n"
        "print('pyparsing' in sys.modules, 'rdflib' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]


def test_from_and_base_iri_hold_in_run_query(corpus_store):
    from graph.sparql.query import run_query
    from graph.storage.store import Store

    with Store(corpus_store, read_only=True) as s:
        scoped = run_query(s, "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/labelgraph/graph/entities> "
                              "WHERE { ?s ?p ?o }").solutions[0][0]  # fmt: skip
        everything = run_query(s, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").solutions[0][0]
        assert 0 < int(scoped.value) < int(everything.value)
        (row,) = run_query(s, "SELECT ?x WHERE { BIND(<a> AS ?x) }").solutions
        assert row[0].value == "https://w3id.org/labelgraph/a"
