"""`labelgraph push` and `labelgraph query --endpoint` against a real Oxigraph server
(`oxigraph serve` from the PyPI package oxigraph) on a free loopback port."""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from graph.storage.store import Store

pytestmark = pytest.mark.slow

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
TOTAL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
#: Every quad without a blank node (blank node labels are the store's own).
NAMED_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!isBlank(?s) && !isBlank(?o)) }"
INVESTMENTS = """PREFIX lg: <https://w3id.org/labelgraph/ontology#>
SELECT DISTINCT ?investor ?company ?amount WHERE {
  ?e a lg:Investment ; lg:hasSubject ?i ; lg:hasObject ?o . OPTIONAL { ?e lg:amountUSD ?amount }
  ?i rdfs:label ?investor . ?o rdfs:label ?company } ORDER BY ?investor ?company ?amount"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Oxigraph:
    """An `oxigraph serve` process on an empty directory; /query, /update and /store."""

    def __init__(self, location: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}",
                   "--union-default-graph"]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"oxigraph serve exited with {self.process.returncode}"
            try:
                if httpx.get(self.url + "/query", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise AssertionError("oxigraph serve did not start")

    def select(self, sparql: str) -> list[ox.QuerySolution]:
        answer = httpx.post(self.url + "/query", data={"query": sparql},
                            headers={"Accept": "application/sparql-results+json"})  # fmt: skip
        assert answer.status_code == 200, answer.text
        return list(ox.parse_query_results(answer.content, format=ox.QueryResultsFormat.JSON))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(15)


@pytest.fixture
def remote(tmp_path):
    server = Oxigraph(tmp_path / "oxigraph")
    yield server
    server.stop()


def _labelgraph(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "graph.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def _push(store: Path, *args: str) -> subprocess.CompletedProcess:
    done = _labelgraph("push", "--store", str(store), *args)
    assert done.returncode == 0, done.stderr
    return done


def _local_counts(store: Store) -> Counter:
    return Counter(q.graph_name.value for q in store.ox if isinstance(q.graph_name, ox.NamedNode))


def _remote_counts(server: Oxigraph) -> Counter:
    return Counter({row["g"].value: int(row["n"].value) for row in server.select(PER_GRAPH)})


def _same_data(server: Oxigraph, store: Store) -> None:
    expected = _local_counts(store)
    assert _remote_counts(server) == expected
    assert int(server.select(TOTAL)[0]["n"].value) == sum(expected.values())
    local_quads = {tuple(str(t) for t in row) for row in store.ox.query(NAMED_QUADS)}
    assert {tuple(str(t) for t in row) for row in server.select(NAMED_QUADS)} == local_quads


def test_push_with_the_graph_store_protocol_twice(remote, local, corpus_copy):
    expected = _local_counts(local)
    names = set(expected)
    assert (
        "https://w3id.org/labelgraph/graph/derived" in names and "https://w3id.org/labelgraph/graph/entities" in names
    )
    assert sum(1 for n in names if "/article/" in n) >= 12
    for _ in range(2):  # PUT replaces each graph: the second push changes nothing
        done = _push(corpus_copy, "--endpoint", remote.url + "/query", "--graph-store", remote.url + "/store")
        assert f"{len(names)} graphs, {sum(expected.values())} triples sent" in done.stdout
        assert f"{len(names)} by graph store PUT" in done.stdout
        _same_data(remote, local)


def test_push_with_sparql_update_when_there_is_no_graph_store(remote, local, corpus_copy):
    for _ in range(2):  # DROP SILENT GRAPH + INSERT DATA: idempotent too
        done = _push(corpus_copy, "--endpoint", remote.url + "/update")
        assert "by SPARQL Update" in done.stdout and "0 by graph store PUT" in done.stdout
        _same_data(remote, local)


def test_push_falls_back_to_sparql_update_when_the_graph_store_refuses(remote, local, corpus_copy):
    done = _push(corpus_copy, "--endpoint", remote.url + "/update", "--graph-store", remote.url + "/no-such-store")
    assert "answered HTTP 404" in done.stderr and "SPARQL Update instead" in done.stderr
    _same_data(remote, local)


def test_push_reports_an_unreachable_or_refusing_store(remote, corpus_copy):
    closed = f"http://127.0.0.1:{_free_port()}"
    done = _labelgraph("push", "--store", str(corpus_copy), "--endpoint", closed + "/update")
    assert done.returncode == 3 and "cannot connect" in done.stderr and "Traceback" not in done.stderr
    done = _labelgraph("push", "--store", str(corpus_copy), "--endpoint", remote.url + "/query")  # no updates there
    assert done.returncode == 3 and "SPARQL Update" in done.stderr and "HTTP 4" in done.stderr


def test_query_with_endpoint_prints_the_local_answer(remote, corpus_copy):
    _push(corpus_copy, "--endpoint", remote.url + "/query", "--graph-store", remote.url + "/store")
    construct = ("PREFIX lg: <https://w3id.org/labelgraph/ontology#>\n"
                 "CONSTRUCT { ?e lg:evidence ?text } WHERE { ?e a lg:Investment ; lg:evidence ?text }")  # fmt: skip
    # A CONSTRUCT is compared as a table: the local Turtle spells plain strings "..."^^xsd:string.
    for sparql, fmt in (
        (INVESTMENTS, "csv"),
        (INVESTMENTS, "json"),
        (construct, "table"),
        ("ASK { ?s ?p ?o }", "json"),
    ):
        here = _labelgraph("query", "--store", str(corpus_copy), sparql, "--format", fmt)
        there = _labelgraph("query", "--endpoint", remote.url + "/query", sparql, "--format", fmt)
        assert here.returncode == 0 and there.returncode == 0, there.stderr
        assert there.stdout == here.stdout and here.stdout.strip()
        if sparql == INVESTMENTS and fmt == "csv":
            assert "Meta,Scale AI,14300000000" in there.stdout


def test_query_with_endpoint_refuses_updates_and_reports_errors(remote):
    refused = _labelgraph("query", "--endpoint", remote.url + "/query", "DROP ALL")
    assert refused.returncode == 4 and "not allowed" in refused.stderr
    invalid = _labelgraph(
        "query", "--endpoint", remote.url + "/query", "SELECT * WHERE { ?s ?p ?o FILTER(nope:f(?o)) }"
    )
    assert invalid.returncode == 4 and "HTTP 400" in invalid.stderr
    closed = _labelgraph("query", "--endpoint", f"http://127.0.0.1:{_free_port()}/query", "ASK {}")
    assert closed.returncode == 3 and "cannot connect" in closed.stderr


# -- issue 13: one by one, stopped part way, --prune, --atomic --------------------------
BULK = "https://w3id.org/labelgraph/article/bulk-"


@pytest.fixture
def big_store(corpus_copy, tmp_path):
    """The corpus plus 400 invented article graphs of 400 triples each: a push that takes seconds."""
    path = tmp_path / "big"
    shutil.copytree(corpus_copy, path)
    with Store(path) as store:
        p = ox.NamedNode("https://w3id.org/labelgraph/ontology#note")
        store.ox.extend(
            ox.Quad(ox.NamedNode(f"{BULK}{g}"), p, ox.Literal(f"note {g}.{i}"), ox.NamedNode(f"{BULK}{g}"))
            for g in range(400)
            for i in range(400)
        )
    return path


def _written_lines(stderr: str) -> list[str]:
    return [line.split(": ", 1)[1].split(" (", 1)[0] for line in stderr.splitlines() if line.startswith("written ")]


def test_a_push_stopped_midway_says_exactly_what_was_written_and_a_second_one_finishes(remote, big_store):
    command = [sys.executable, "-m", "graph.cli", "push", "--store", str(big_store), "--endpoint",
               remote.url + "/update", "--graph-store", remote.url + "/store"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    for line in process.stderr:
        lines.append(line)
        if line.startswith("written 60/"):
            process.send_signal(signal.SIGTERM)
            break
    stderr = "".join(lines) + process.stderr.read()
    process.wait(120)
    process.stdout.close()
    process.stderr.close()
    assert process.returncode == 3, stderr
    assert "interrupted before graph" in stderr and "Traceback" not in stderr
    written = _written_lines(stderr)
    not_written = [line.split("not written: ", 1)[1] for line in stderr.splitlines() if "  not written: " in line]
    with Store(big_store, read_only=True) as local:
        counts = _local_counts(local)
        assert 60 <= len(written) < len(counts) and "unknown" not in stderr
        assert sorted(written + not_written) == sorted(counts)
        assert f"written: {len(written)} of {len(counts)} graphs" in stderr
        there = _remote_counts(remote)
        assert there == {iri: counts[iri] for iri in written}  # exactly those, whole
        done = _push(big_store, "--endpoint", remote.url + "/update", "--graph-store", remote.url + "/store",
                     "--prune", "--query-endpoint", remote.url + "/query")  # fmt: skip
        assert f"{len(counts)} graphs" in done.stdout
        _same_data(remote, local)


def test_push_prune_removes_stale_labelgraph_graphs_only(remote, local, corpus_copy, big_store):
    _push(big_store, "--endpoint", remote.url + "/update", "--graph-store", remote.url + "/store")
    other = httpx.put(remote.url + "/store", params={"graph": "http://example.org/not-ours"},
                      content=b"<urn:x:a> <urn:x:b> <urn:x:c> .", headers={"Content-Type": "application/n-triples"})  # fmt: skip
    assert other.status_code in (200, 201, 204)
    # Without --prune the 400 bulk graphs stay; with it they go, and the graph of another tool stays.
    _push(corpus_copy, "--endpoint", remote.url + "/update", "--graph-store", remote.url + "/store")
    assert sum(1 for g in _remote_counts(remote) if g.startswith(BULK)) == 400
    done = _push(corpus_copy, "--endpoint", remote.url + "/update", "--graph-store", remote.url + "/store",
                 "--prune", "--query-endpoint", remote.url + "/query")  # fmt: skip
    assert "400 stale graphs removed" in done.stdout
    there = _remote_counts(remote)
    assert there.pop("http://example.org/not-ours") == 1
    assert there == _local_counts(local)


def test_push_atomic_is_one_update_request_all_or_nothing(remote, local, corpus_copy):
    refused = _labelgraph("push", "--store", str(corpus_copy), "--endpoint", remote.url + "/query", "--atomic")
    assert refused.returncode == 3 and "nothing was written" in refused.stderr
    assert _remote_counts(remote) == Counter()
    done = _push(corpus_copy, "--endpoint", remote.url + "/update", "--atomic")
    assert "in one SPARQL Update request" in done.stdout
    _same_data(remote, local)


class _SlowAnswers:
    """A TCP relay to a server that holds back the ``nth`` HTTP answer (and the rest) for ``delay`` s:
    the request has reached the server, the answer comes too late for the client."""

    def __init__(self, upstream_port: int, nth: int, delay: float) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.upstream, self.nth, self.delay, self.answers = upstream_port, nth, delay, 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.upstream))
            threading.Thread(target=self._pipe, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, True), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, answers: bool) -> None:
        try:
            while data := source.recv(65536):
                if answers:
                    self.answers += data.count(b"HTTP/1.1 ")
                    if self.answers >= self.nth:
                        time.sleep(self.delay)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.close()

    def close(self) -> None:
        self.listener.close()


def test_a_graph_whose_answer_was_lost_is_checked_and_not_reported_as_failed(remote, local):
    from graph.http.remote import PushError, push

    relay = _SlowAnswers(remote.port, nth=5, delay=3.0)
    via = f"http://127.0.0.1:{relay.port}"
    try:
        with pytest.raises(PushError) as stopped:
            push(local, via + "/update", via + "/store", query_endpoint=remote.url + "/query", timeout=1.0)
    finally:
        relay.close()
    report = stopped.value.report
    assert "it arrived" in str(stopped.value) and report.uncertain is None
    written = [g.iri for g in report.graphs]
    assert len(written) == 5  # the fifth arrived: its answer was lost, the remote store has it
    assert _remote_counts(remote) == {iri: _local_counts(local)[iri] for iri in written}
    assert sorted(written + report.unsent) == sorted(_local_counts(local))
