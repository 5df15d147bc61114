"""`labelgraph serve`, end to end: a real server on a free loopback port, queried with
SPARQLWrapper, rdflib's SPARQLStore and plain HTTP; answers compared with local queries."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import HTTPError

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from SPARQLWrapper import CSV, JSON, POST, XML, SPARQLWrapper

from graph.sparql.query import format_result, run_query, to_rows
from graph.storage.store import Store

pytestmark = pytest.mark.slow

LG = "PREFIX lg: <https://w3id.org/labelgraph/ontology#>\n"
#: Literals of several datatypes, unbound values (OPTIONAL), text with quotes and commas.
INVESTMENTS = """PREFIX lg: <https://w3id.org/labelgraph/ontology#>
SELECT DISTINCT ?investor ?company ?amount ?evidence WHERE {
  ?e a lg:Investment ; lg:hasSubject ?i ; lg:hasObject ?o ; lg:evidence ?evidence .
  OPTIONAL { ?e lg:amountUSD ?amount }
  ?i rdfs:label ?investor . ?o rdfs:label ?company .
} ORDER BY ?investor ?company ?amount ?evidence"""
#: Each article is a named graph; the default graph is the union.
PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
ASK_META = LG + 'ASK { ?m rdfs:label "Meta" . ?m lg:investedIn ?x }'
ASK_NOBODY = LG + 'ASK { ?m rdfs:label "Nobody Inc" }'
CONSTRUCT = """PREFIX lg: <https://w3id.org/labelgraph/ontology#>
CONSTRUCT { ?e lg:hasSubject ?i ; lg:evidence ?evidence ; lg:confidence ?c }
WHERE { ?e a lg:Investment ; lg:hasSubject ?i ; lg:evidence ?evidence ; lg:confidence ?c }"""
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")  # not rdflib's XSD: pytest trips over its getattr
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A `labelgraph serve` subprocess."""

    def __init__(self, store: Path, log: Path, *args: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        command = [sys.executable, "-m", "graph.cli", "serve", "--store", str(store), "--port", str(self.port), *args]
        with log.open("wb") as sink:
            self.process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"labelgraph serve exited with {self.process.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise AssertionError(f"labelgraph serve did not answer /health:\n{log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def server(corpus_copy, tmp_path_factory):
    s = Server(corpus_copy, tmp_path_factory.mktemp("log") / "serve.log")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def strict_server(corpus_copy, tmp_path_factory):
    """A second server: one-second timeout, five rows, CORS on."""
    s = Server(
        corpus_copy, tmp_path_factory.mktemp("log") / "strict.log", "--timeout", "1", "--max-rows", "5", "--cors"
    )
    yield s
    s.stop()


def _plain(term):
    """A term as both sides spell it: a plain string literal without its xsd:string."""
    if isinstance(term, Literal) and term.datatype == XSD_STRING:
        return Literal(str(term))
    return term


def _rows(result) -> list[tuple]:
    return [tuple(_plain(t) for t in row) for row in result]


def _triples(graph: Graph) -> set[tuple]:
    return {tuple(_plain(t) for t in triple) for triple in graph}


def _wrapper(server: Server, sparql: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    wrapper = SPARQLWrapper(server.url + "/sparql")
    wrapper.setQuery(sparql)
    wrapper.setReturnFormat(fmt)
    wrapper.setMethod(method)
    return wrapper


# -- answers equal the local ones -----------------------------------------------------
def test_health_reports_the_triples_of_the_store(server, local):
    answer = httpx.get(server.url + "/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "triples": local.triple_count()}


@pytest.mark.parametrize("sparql", [INVESTMENTS, PER_GRAPH], ids=["investments", "per-graph"])
@pytest.mark.parametrize("method", ["GET", POST])
def test_select_json_with_sparqlwrapper_equals_local(server, local, sparql, method):
    remote = _wrapper(server, sparql, JSON, method).query().convert()
    expected = json.loads(format_result(run_query(local, sparql), "json"))
    assert expected["results"]["bindings"], "the query should have answers"
    assert remote == expected


def test_select_xml_with_sparqlwrapper_equals_local(server, local):
    response = _wrapper(server, INVESTMENTS, XML).query()
    assert response.response.headers["Content-Type"].startswith("application/sparql-results+xml")
    remote = Result.parse(io.BytesIO(response.response.read()), format="xml")
    expected = run_query(local, INVESTMENTS)
    assert [str(v) for v in remote.vars] == expected.variables
    assert _rows(remote) == _rows(expected.rows)


def test_select_csv_with_sparqlwrapper_equals_local(server, local):
    text = _wrapper(server, INVESTMENTS, CSV).query().convert().decode("utf-8")
    header, rows = to_rows(run_query(local, INVESTMENTS))
    assert list(csv.reader(io.StringIO(text))) == [header, *rows]
    assert text == format_result(run_query(local, INVESTMENTS), "csv")


def test_select_tsv_equals_local(server, local):
    answer = httpx.get(server.url + "/sparql", params={"query": INVESTMENTS},
                       headers={"Accept": "text/tab-separated-values"})  # fmt: skip
    assert answer.headers["content-type"].startswith("text/tab-separated-values")
    remote = Result.parse(io.BytesIO(answer.content), format="tsv")
    assert _rows(remote) == _rows(run_query(local, INVESTMENTS).rows)


@pytest.mark.parametrize(("sparql", "expected"), [(ASK_META, True), (ASK_NOBODY, False)])
def test_ask_with_sparqlwrapper_equals_local(server, local, sparql, expected):
    assert run_query(local, sparql).boolean is expected
    assert _wrapper(server, sparql, JSON).query().convert() == {"head": {}, "boolean": expected}


def test_construct_with_sparqlwrapper_equals_local(server, local):
    expected = _triples(run_query(local, CONSTRUCT).graph)
    assert expected
    for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt")):
        answer = httpx.post(server.url + "/sparql", content=CONSTRUCT.encode(),
                            headers={"Content-Type": "application/sparql-query", "Accept": accept})  # fmt: skip
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(accept)
        assert _triples(Graph().parse(data=answer.content, format=fmt)) == expected
    turtle = _wrapper(server, CONSTRUCT, "turtle").query().convert()
    assert _triples(Graph().parse(data=turtle, format="turtle")) == expected


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore_answers_equal_local(server, local, method):
    remote = Graph(store=SPARQLStore(server.url + "/sparql", method=method))
    expected = run_query(local, INVESTMENTS)
    answer = remote.query(INVESTMENTS)
    assert [str(v) for v in answer.vars] == expected.variables
    assert _rows(answer) == _rows(expected.rows)
    assert remote.query(ASK_META).askAnswer is True
    assert remote.query(ASK_NOBODY).askAnswer is False
    assert _triples(remote.query(CONSTRUCT).graph) == _triples(run_query(local, CONSTRUCT).graph)


def test_default_graph_uri_narrows_the_default_graph(server, local):
    entities = "https://w3id.org/labelgraph/graph/entities"
    answer = httpx.get(server.url + "/sparql", params={"query": COUNT, "default-graph-uri": entities})
    n = int(answer.json()["results"]["bindings"][0]["n"]["value"])
    assert n == sum(1 for _ in local.ox.quads_for_pattern(None, None, None, ox.NamedNode(entities)))
    assert 0 < n < local.triple_count()


def test_query_command_with_endpoint_prints_the_local_answer(server, corpus_copy):
    def run(*where: str) -> str:
        command = [sys.executable, "-m", "graph.cli", "query", *where, INVESTMENTS, "--format", "csv"]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout

    assert run("--endpoint", server.url + "/sparql") == run("--store", str(corpus_copy))


def test_query_page_is_self_contained(server):
    page = httpx.get(server.url + "/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    assert "<form" in text and "<textarea" in text and 'action="sparql"' in text and 'name="query"' in text
    assert " src=" not in text and "<link" not in text and "http://" not in text.split("<textarea")[0]
    assert "default-src 'none'" in page.headers["content-security-policy"]


# -- read-only ------------------------------------------------------------------------
INSERT = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> <urn:x:c> } }"


def test_updates_load_and_service_are_refused_and_the_store_is_unchanged(server, local, corpus_copy):
    before = httpx.get(server.url + "/health").json()["triples"]
    url = server.url + "/sparql"
    refused = [
        httpx.post(url, data={"update": INSERT}),
        httpx.post(url, content=INSERT.encode(), headers={"Content-Type": "application/sparql-update"}),
        httpx.post(url, data={"query": INSERT}),
        httpx.get(url, params={"query": "LOAD <http://example.org/data.ttl> INTO GRAPH <urn:x:g>"}),
        httpx.get(url, params={"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}),
        httpx.post(url, content=b"SELECT * WHERE { service <http://example.org/sparql> { ?s ?p ?o } }",
                   headers={"Content-Type": "application/sparql-query"}),
    ]  # fmt: skip
    for answer in refused:
        assert 400 <= answer.status_code < 500, answer.text
        assert "not allowed" in answer.text and "read-only" in answer.text
    with pytest.raises(HTTPError) as caught:  # SPARQLWrapper sends an update as `update=`
        _wrapper(server, INSERT, JSON, POST).query()
    assert caught.value.code == 403
    assert httpx.get(server.url + "/health").json()["triples"] == before
    count = httpx.get(url, params={"query": COUNT}).json()["results"]["bindings"][0]["n"]["value"]
    assert int(count) == local.quad_count()
    with Store(corpus_copy, read_only=True) as reopened:
        assert reopened.triple_count() == before and "urn:x:g" not in reopened.graph_names()


def test_bad_requests_are_answered_with_4xx(server):
    url = server.url + "/sparql"
    assert httpx.get(url).status_code == 400
    assert httpx.get(url, params={"query": "SELECT * WHERE { ?s ?p"}).status_code == 400
    assert httpx.post(url, content=b"ASK {}", headers={"Content-Type": "text/plain"}).status_code == 415
    assert httpx.put(url, content=b"ASK {}").status_code == 405


# -- timeout, row cap, CORS -----------------------------------------------------------
def test_a_slow_query_is_cancelled_and_the_server_keeps_serving(strict_server, local):
    started = time.monotonic()
    answer = httpx.get(strict_server.url + "/sparql", params={"query": CROSS_JOIN}, timeout=60)
    assert answer.status_code == 503
    assert "cancelled" in answer.text and "1 s" in answer.text
    assert time.monotonic() - started < 20
    health = httpx.get(strict_server.url + "/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    after = httpx.get(strict_server.url + "/sparql", params={"query": COUNT}, timeout=60)
    assert after.status_code == 200
    assert int(after.json()["results"]["bindings"][0]["n"]["value"]) == local.quad_count()


def test_answers_are_cut_at_the_row_cap(strict_server):
    url = strict_server.url + "/sparql"
    cut = httpx.get(url, params={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"})
    assert cut.status_code == 200 and cut.headers["x-labelgraph-truncated"] == "true"
    assert len(cut.json()["results"]["bindings"]) == 5
    whole = httpx.get(url, params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"})
    assert "x-labelgraph-truncated" not in whole.headers and len(whole.json()["results"]["bindings"]) == 3
    graph = httpx.get(
        url, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "application/n-triples"}
    )
    assert graph.headers["x-labelgraph-truncated"] == "true" and len(graph.text.strip().splitlines()) == 5


def test_cors_only_when_asked(server, strict_server):
    origin = {"Origin": "http://example.org"}
    assert httpx.get(strict_server.url + "/health", headers=origin).headers["access-control-allow-origin"] == "*"
    preflight = httpx.options(strict_server.url + "/sparql", headers={
        **origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})  # fmt: skip
    assert preflight.status_code == 200 and "POST" in preflight.headers["access-control-allow-methods"]
    assert "access-control-allow-origin" not in httpx.get(server.url + "/health", headers=origin).headers


def test_serve_refuses_a_directory_that_is_not_a_store(tmp_path):
    (tmp_path / "notes.txt").write_text("not a store")
    command = [sys.executable, "-m", "graph.cli", "serve", "--store", str(tmp_path), "--port", str(_free_port())]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 3 and "not a labelgraph store" in done.stderr


def test_serve_reports_a_port_in_use(server, corpus_copy):
    command = [sys.executable, "-m", "graph.cli", "serve", "--store", str(corpus_copy), "--port", str(server.port)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "cannot listen" in done.stderr and "Traceback" not in done.stderr


# -- labelgraph query: FROM, base IRI, the engine in a child process (issue 13) -------------
def test_query_command_honours_from_and_resolves_relative_iris(corpus_copy, local):
    entities = "https://w3id.org/labelgraph/graph/entities"

    def run(sparql: str) -> str:
        command = [sys.executable, "-m", "graph.cli", "query", "--store", str(corpus_copy), sparql, "--format", "csv"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    n = sum(1 for _ in local.ox.quads_for_pattern(None, None, None, ox.NamedNode(entities)))
    assert run(f"SELECT (COUNT(*) AS ?n) FROM <{entities}> WHERE {{ ?s ?p ?o }}").split() == ["n", str(n)]
    assert run(
        f"SELECT (COUNT(DISTINCT ?g) AS ?n) FROM NAMED <{entities}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    ).split() == ["n", "1"]
    (triple,) = Graph().parse(data=run("CONSTRUCT { <a> <b> <c> } WHERE {}"), format="turtle")
    assert str(triple[0]) == "https://w3id.org/labelgraph/a"


def _read(path: Path) -> str:
    """A /proc file's text; empty when its thread or process has gone meanwhile."""
    try:
        return path.read_text(errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return ""


def test_query_command_reports_a_crash_of_the_engine(corpus_copy):
    """The engine runs in a child process: killed with SIGSEGV, it is an error message and exit 4."""
    command = [sys.executable, "-m", "graph.cli", "query", "--store", str(corpus_copy), CROSS_JOIN]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline, child = time.monotonic() + 60, None
    while child is None and time.monotonic() < deadline:
        children = [
            int(c) for task in Path(f"/proc/{process.pid}/task").iterdir() for c in _read(task / "children").split()
        ]
        busy = [c for c in children if "spawn_main" in _read(Path(f"/proc/{c}/cmdline"))]
        child = busy[0] if busy else None
        time.sleep(0.1)
    assert child is not None, "no engine process"
    time.sleep(1.5)  # the child has opened the store and runs the query
    os.kill(child, signal.SIGSEGV)
    _out, stderr = process.communicate(timeout=60)
    assert process.returncode == 4, stderr
    assert "the query engine crashed" in stderr and "SIGSEGV" in stderr and "Traceback" not in stderr


def test_a_query_over_the_memory_cap_answers_503_and_its_worker_is_replaced(corpus_copy, tmp_path):
    capped = Server(corpus_copy, tmp_path / "capped.log", "--max-memory", "300", "--workers", "1")
    try:
        hungry = "SELECT ?a ?b ?c ?d WHERE { ?a ?x ?b . ?c ?y ?d } ORDER BY ?a ?b ?c ?d LIMIT 1"
        answer = httpx.get(capped.url + "/sparql", params={"query": hungry}, timeout=60)
        assert answer.status_code == 503 and "memory cap" in answer.text and "--max-memory" in answer.text
        after = httpx.get(capped.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
        assert after.status_code == 200 and after.json()["boolean"] is True
    finally:
        capped.stop()
    assert "(1 worker," in capped.log.read_text() and "300 MiB a worker" in capped.log.read_text()


def test_query_command_answers_deep_nesting_with_a_message(corpus_copy):
    deep = "SELECT * WHERE { FILTER(" + "(" * 2000 + "1" + ")" * 2000 + ") }"
    command = [sys.executable, "-m", "graph.cli", "query", "--store", str(corpus_copy), deep]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 4 and "nested too deeply" in done.stderr and "Traceback" not in done.stderr
