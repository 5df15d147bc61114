"""`labelgraph serve` against the query cases of the W3C SPARQL 1.1 Protocol test suite
(w3c/rdf-tests, sparql/sparql11/protocol/manifest.ttl): each case's request, sent to a real
server on loopback over a store of three small graphs, and the answer the suite expects.

The suite's graphs (``data1.rdf`` ... ``data3.rdf``) hold, each, a document typed as such;
here they are written afresh with example IRIs. The suite's requests name the host
``www.example``, which the server is told to answer to (``--allow-host``)."""

from __future__ import annotations

import io
import json
import socket
from urllib.parse import quote, urlencode

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.query import Result

from graph.storage.store import Store
from tests.test_server import Server

pytestmark = pytest.mark.slow

DATA = "http://example.org/protocol/data"
GRAPHS = [f"{DATA}{i}" for i in range(4)]
FOAF_DOCUMENT = "http://xmlns.com/foaf/0.1/Document"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUITE_HOST = {"Host": "www.example"}
BOOLEAN_TYPES = ("application/sparql-results+json", "application/sparql-results+xml")
TABULAR_TYPES = (*BOOLEAN_TYPES, "text/csv", "text/tab-separated-values")
RDF_TYPES = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json")


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    """A server over graphs data0..data3, each holding ``<dataN> a foaf:Document`` and a title."""
    path = tmp_path_factory.mktemp("protocol") / "store"
    with Store(path) as store:
        for iri in GRAPHS:
            graph = ox.NamedNode(iri)
            store.ox.add(ox.Quad(graph, ox.NamedNode(RDF_TYPE), ox.NamedNode(FOAF_DOCUMENT), graph))
            title = ox.NamedNode("http://purl.org/dc/terms/title")
            store.ox.add(ox.Quad(graph, title, ox.Literal(f"document {iri[-1]}"), graph))
    server = Server(path, tmp_path_factory.mktemp("log") / "protocol.log", "--allow-host", "www.example")
    yield server.url + "/sparql"
    server.stop()


def _boolean(answer: httpx.Response) -> bool:
    assert 200 <= answer.status_code < 400, answer.text
    media_type = answer.headers["content-type"].split(";")[0]
    assert media_type in BOOLEAN_TYPES
    return Result.parse(io.BytesIO(answer.content), format=media_type.rsplit("+", 1)[1]).askAnswer


def _both(n: int, m: int) -> str:
    return f"ASK {{ GRAPH ?g1 {{ <{GRAPHS[n]}> a ?type }} GRAPH ?g2 {{ <{GRAPHS[m]}> a ?type }} }}"


DIRECT = {**SUITE_HOST, "Content-Type": "application/sparql-query"}


# -- query_get, query_post_form, query_post_direct ------------------------------------
def test_query_get(endpoint):
    assert _boolean(httpx.get(endpoint, params={"query": "ASK {}", "default-graph-uri": GRAPHS[0]},
                              headers=SUITE_HOST)) is True  # fmt: skip


def test_query_post_form(endpoint):
    url = endpoint + "?" + urlencode({"default-graph-uri": GRAPHS[0]})
    body = "query=ASK%20%7B%7D"
    headers = {**SUITE_HOST, "Content-Type": "application/x-www-form-urlencoded"}
    assert _boolean(httpx.post(url, content=body, headers=headers)) is True


def test_query_post_direct(endpoint):
    url = endpoint + "?" + urlencode({"default-graph-uri": GRAPHS[0]})
    assert _boolean(httpx.post(url, content=b"ASK {}", headers=DIRECT)) is True


# -- the dataset: default-graph-uri, named-graph-uri, FROM, FROM NAMED ---------------------
def test_query_dataset_default_graphs_get_and_post(endpoint):
    query = f"ASK {{ <{GRAPHS[1]}> a ?type . <{GRAPHS[2]}> a ?type . }}"
    graphs = [("default-graph-uri", GRAPHS[1]), ("default-graph-uri", GRAPHS[2])]
    assert _boolean(httpx.get(endpoint, params=[("query", query), *graphs], headers=SUITE_HOST)) is True
    url = endpoint + "?" + urlencode(graphs)
    assert _boolean(httpx.post(url, content=query.encode(), headers=DIRECT)) is True
    # The default graph is the merge of those graphs only.
    only_one = endpoint + "?" + urlencode(graphs[:1])
    assert _boolean(httpx.post(only_one, content=query.encode(), headers=DIRECT)) is False


def test_query_dataset_named_graphs_get_and_post(endpoint):
    graphs = [("named-graph-uri", GRAPHS[1]), ("named-graph-uri", GRAPHS[2])]
    query = _both(1, 2)
    assert _boolean(httpx.get(endpoint, params=[("query", query), *graphs], headers=SUITE_HOST)) is True
    url = endpoint + "?" + urlencode(graphs)
    assert _boolean(httpx.post(url, content=query.encode(), headers=DIRECT)) is True
    # Only the graphs named are named graphs of the dataset.
    count = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    answer = httpx.get(endpoint, params=[("query", count), *graphs], headers=SUITE_HOST)
    assert answer.json()["results"]["bindings"][0]["n"]["value"] == "2"


def test_query_dataset_full(endpoint):
    url = endpoint + "?" + urlencode([("default-graph-uri", GRAPHS[3]), ("named-graph-uri", GRAPHS[1]),
                                      ("named-graph-uri", GRAPHS[2])])  # fmt: skip
    query = f"ASK {{\n  <{GRAPHS[3]}> a ?type\n  GRAPH ?g1 {{ <{GRAPHS[1]}> a ?type }}\n  GRAPH ?g2 {{ <{GRAPHS[2]}> a ?type }}\n}}"
    assert _boolean(httpx.post(url, content=query.encode(), headers=DIRECT)) is True


def test_query_multiple_dataset_the_protocol_wins_over_from(endpoint):
    url = endpoint + "?" + urlencode([("named-graph-uri", GRAPHS[1]), ("named-graph-uri", GRAPHS[2])])
    query = f"ASK FROM <{GRAPHS[3]}> {{ GRAPH ?g1 {{ <{GRAPHS[1]}> a ?type }} GRAPH ?g2 {{ <{GRAPHS[2]}> a ?type }} }}"
    assert _boolean(httpx.post(url, content=query.encode(), headers=DIRECT)) is True
    # FROM <data3> is set aside: the default graph is the protocol's (here: none given, empty).
    in_default = f"ASK FROM <{GRAPHS[3]}> {{ <{GRAPHS[3]}> a ?type }}"
    assert _boolean(httpx.post(url, content=in_default.encode(), headers=DIRECT)) is False


def _count(endpoint: str, query: str) -> int:
    answer = httpx.get(endpoint, params={"query": query}, headers=SUITE_HOST)
    assert answer.status_code == 200, answer.text
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_from_and_from_named_in_the_query_are_honoured(endpoint):
    assert _count(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == 8  # the union of the graphs
    assert _count(endpoint, f"SELECT (COUNT(*) AS ?n) FROM <{GRAPHS[1]}> WHERE {{ ?s ?p ?o }}") == 2
    assert _count(endpoint, f"SELECT (COUNT(*) AS ?n) FROM <{GRAPHS[1]}> FROM <{GRAPHS[2]}> WHERE {{ ?s ?p ?o }}") == 4
    named = f"SELECT (COUNT(DISTINCT ?g) AS ?n) FROM NAMED <{GRAPHS[2]}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert _count(endpoint, named) == 1
    assert _count(endpoint, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == 4
    # A word "from" elsewhere (a variable, a string) is not a dataset clause.
    assert _count(endpoint, 'SELECT (COUNT(*) AS ?n) WHERE { ?from ?p ?o FILTER(?o != "FROM <x>") }') == 8


# -- content types -------------------------------------------------------------------
def test_query_content_type_select(endpoint):
    answer = httpx.post(endpoint, content=b"SELECT (1 AS ?value) {}", headers=DIRECT)
    assert answer.status_code == 200 and answer.headers["content-type"].split(";")[0] in TABULAR_TYPES
    for media_type in TABULAR_TYPES:
        answer = httpx.post(endpoint, content=b"SELECT (1 AS ?value) {}", headers={**DIRECT, "Accept": media_type})
        assert answer.headers["content-type"].split(";")[0] == media_type
        assert "1" in answer.text and "value" in answer.text


def test_query_content_type_ask(endpoint):
    assert _boolean(httpx.post(endpoint, content=b"ASK {}", headers=DIRECT)) is True
    for media_type in BOOLEAN_TYPES:
        answer = httpx.post(endpoint, content=b"ASK {}", headers={**DIRECT, "Accept": media_type})
        assert answer.headers["content-type"].split(";")[0] == media_type and _boolean(answer) is True


@pytest.mark.parametrize("query", [f"DESCRIBE <{GRAPHS[1]}>", "CONSTRUCT { <s> <p> 1 } WHERE {}"])
def test_query_content_type_describe_and_construct(endpoint, query):
    """CONSTRUCT { <s> <p> 1 }: relative IRIs, resolved against the base IRI."""
    answer = httpx.post(endpoint, content=query.encode(), headers=DIRECT)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] in RDF_TYPES
    for media_type, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/rdf+xml", "xml")):
        answer = httpx.post(endpoint, content=query.encode(), headers={**DIRECT, "Accept": media_type})
        assert answer.headers["content-type"].split(";")[0] == media_type
        graph = Graph().parse(data=answer.content, format=fmt)
        assert len(graph) >= 1
    if query.startswith("CONSTRUCT"):
        (triple,) = Graph().parse(data=answer.content, format="xml")
        assert str(triple[0]) == "https://w3id.org/labelgraph/s"


# -- bad requests --------------------------------------------------------------------
def test_bad_query_method(endpoint):
    assert 400 <= httpx.request("PUT", endpoint, params={"query": "ASK {}"}, headers=SUITE_HOST).status_code < 500


def test_bad_multiple_queries(endpoint):
    answer = httpx.get(endpoint, params=[("query", "ASK {}"), ("query", "SELECT * {}")], headers=SUITE_HOST)
    assert answer.status_code == 400


def test_bad_query_wrong_media_type(endpoint):
    answer = httpx.post(endpoint, content=b"ASK {}", headers={**SUITE_HOST, "Content-Type": "text/plain"})
    assert answer.status_code in (400, 415)


def _raw(endpoint: str, request: bytes) -> int:
    """Send ``request`` as is (httpx would add a content type) and return the status."""
    host, port = endpoint.split("//")[1].split("/")[0].split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(request)
        return int(sock.recv(4096).split(b" ", 2)[1])


@pytest.mark.parametrize("body", [b"query=ASK%20%7B%7D", b"ASK {}"], ids=["form", "direct"])
def test_bad_query_missing_form_and_direct_type(endpoint, body):
    request = b"POST /sparql HTTP/1.1\r\nHost: www.example\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(
        body
    )
    assert 400 <= _raw(endpoint, request + body) < 500


def test_bad_query_non_utf8(endpoint):
    body = 'ASK { ?s ?p "café" }'.encode("iso-8859-1")
    headers = {**SUITE_HOST, "Content-Type": "application/sparql-query; charset=ISO-8859-1"}
    assert httpx.post(endpoint, content=body, headers=headers).status_code == 400


def test_bad_query_syntax(endpoint):
    assert httpx.get(endpoint, params={"query": "ASK { ?s ?p ?o"}, headers=SUITE_HOST).status_code == 400


def test_missing_query(endpoint):
    assert httpx.get(endpoint, headers=SUITE_HOST).status_code == 400
    form = {**SUITE_HOST, "Content-Type": "application/x-www-form-urlencoded"}
    assert (
        httpx.post(endpoint, content=b"default-graph-uri=" + quote(GRAPHS[0]).encode(), headers=form).status_code == 400
    )


def test_updates_are_refused(endpoint):
    """bad_update_get, and every update request of the suite: this endpoint is read-only."""
    assert httpx.get(endpoint, params={"update": "CLEAR ALL"}, headers=SUITE_HOST).status_code == 403
    update = {**SUITE_HOST, "Content-Type": "application/sparql-update"}
    assert httpx.post(endpoint, content=b"CLEAR ALL", headers=update).status_code == 403
    form = {**SUITE_HOST, "Content-Type": "application/x-www-form-urlencoded"}
    assert httpx.post(endpoint, content=b"update=CLEAR%20ALL", headers=form).status_code == 403
    assert httpx.post(endpoint, content=b"CLEAR ALL", headers=DIRECT).status_code == 403
    assert _count(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == 8


# -- beyond the suite: limits of this endpoint ------------------------------------------
def test_a_host_not_allowed_is_refused(endpoint):
    """Against DNS rebinding: a page on evil.example rebound to 127.0.0.1 sends Host: evil.example."""
    assert httpx.get(endpoint, params={"query": "ASK {}"}, headers={"Host": "evil.example"}).status_code == 403
    assert httpx.get(endpoint, params={"query": "ASK {}"}, headers={"Host": "localhost:1"}).status_code == 200
    port = endpoint.split(":")[2].split("/")[0]
    assert httpx.get(endpoint, params={"query": "ASK {}"}, headers={"Host": f"127.0.0.1:{port}"}).status_code == 200


def test_a_query_over_the_size_limit_answers_413(endpoint):
    query = "ASK { " + " ".join(f"<urn:x:{i}> <urn:x:p> ?o ." for i in range(8000)) + " }"
    assert len(query) > 100_000
    answer = httpx.post(endpoint, content=query.encode(), headers=DIRECT)
    assert answer.status_code == 413 and "--max-query-bytes" in answer.text


def test_deep_nesting_answers_400_and_the_endpoint_keeps_serving(endpoint):
    deep = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    answer = httpx.post(endpoint, content=deep.encode(), headers=DIRECT)
    assert answer.status_code == 400 and "deeper" in answer.text
    braces = "SELECT * WHERE " + "{ " * 3000 + "}" * 3000
    assert httpx.post(endpoint, content=braces.encode(), headers=DIRECT).status_code == 400
    assert _boolean(httpx.post(endpoint, content=b"ASK {}", headers=DIRECT)) is True


def test_json_answer_of_a_select_is_the_standard_form(endpoint):
    answer = httpx.post(endpoint, content=b"SELECT ?g WHERE { GRAPH ?g { } } ORDER BY ?g",
                        headers={**DIRECT, "Accept": "application/sparql-results+json"})  # fmt: skip
    body = json.loads(answer.content)
    assert body["head"]["vars"] == ["g"]
    assert [b["g"]["value"] for b in body["results"]["bindings"]] == GRAPHS
