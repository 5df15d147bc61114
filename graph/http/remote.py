"""Remote SPARQL 1.1 stores: push the local graphs to one, or query one.

:func:`push` copies every named graph of a store to a remote store with the Graph Store
HTTP Protocol (``PUT <graph store>?graph=<iri>``, which replaces the graph, so pushing
twice leaves the same data), or with SPARQL Update (``DROP SILENT GRAPH <g> ; INSERT
DATA { GRAPH <g> { ... } }``) when no graph store is given or the graph store refuses
the request. Triples are written as N-Triples by pyoxigraph; nothing from an article is
pasted into a request in any other way. :func:`remote_query` runs a read-only query on
an endpoint and returns a :class:`graph.sparql.query.QueryResult`, as a local query would.

Credentials go with HTTP Basic authentication; a server that asks for Digest
authentication instead (Virtuoso's ``-auth`` endpoints) gets Digest.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox
from rdflib import Graph, Variable
from rdflib.query import Result

from graph.errors import RemoteError, RemoteQueryError
from graph.sparql.query import QueryResult, check_read_only
from graph.storage.store import Store

__all__ = ["LABELGRAPH_BASE", "GraphSent", "PushError", "PushReport", "push", "remote_query"]

#: Graph store answers meaning "not offered here": fall back to SPARQL Update.
_NOT_OFFERED = frozenset({404, 405, 415, 501})
#: The graphs ``push --prune`` may remove: labelgraph's own.
LABELGRAPH_BASE = "https://w3id.org/labelgraph/"
_QUERY_ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "application/n-triples;q=0.9, text/turtle;q=0.8, application/rdf+xml;q=0.5"
)
_RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/tab-separated-values": "tsv",
    "text/csv": "csv",
}
_GRAPH_TYPES = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "text/n3": "n3",
}


@dataclass(frozen=True)
class GraphSent:
    """One graph pushed: its IRI, its triples and how it was sent (``"graph store"`` or ``"update"``)."""

    iri: str
    triples: int
    method: str


@dataclass
class PushReport:
    """What :func:`push` did, and where; when it stopped early, what it did not do."""

    endpoint: str
    graph_store: str | None
    #: The graphs written on the remote store (confirmed), in order.
    graphs: list[GraphSent] = field(default_factory=list)
    seconds: float = 0.0
    #: Why the graph store was given up for SPARQL Update, if it was.
    fallback: str | None = None
    #: Remote graphs removed by ``prune`` (gone from the local store).
    pruned: list[str] = field(default_factory=list)
    #: Graphs (or prunes, as ``"remove <iri>"``) not done because the push stopped.
    unsent: list[str] = field(default_factory=list)
    #: A graph whose request was sent but whose outcome could not be known.
    uncertain: str | None = None
    #: All graphs were sent in one SPARQL Update request (one transaction on stores that apply a request atomically).
    atomic: bool = False
    #: The total number of local graphs.
    total: int = 0

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)

    def count(self, method: str) -> int:
        """How many graphs went by ``method``."""
        return sum(1 for g in self.graphs if g.method == method)


class PushError(RemoteError):
    """A push that stopped part way (an error, or an interruption); ``report`` says what was written."""

    def __init__(self, message: str, report: PushReport) -> None:
        super().__init__(message)
        self.report = report


class _AnswerLostError(RemoteError):
    """A request was sent, but no answer came: it may or may not have been applied."""


class _BasicThenDigest(httpx.Auth):
    """Basic credentials on every request; Digest from the first ``WWW-Authenticate: Digest`` on."""

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._use_digest = False

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._use_digest:
            yield from self._digest.auth_flow(request)
            return
        response = yield next(self._basic.auth_flow(request))
        challenges = response.headers.get_list("www-authenticate") if response.status_code == 401 else []
        if not any(c.lower().startswith("digest ") for c in challenges):
            return
        self._use_digest = True
        request.headers.pop("Authorization", None)
        flow = self._digest.auth_flow(request)
        next(flow)  # the unauthenticated request, already answered by the 401 above
        retry = flow.send(response)
        response = yield retry
        with contextlib.suppress(StopIteration):
            flow.send(response)


def _client(user: str | None, password: str | None, timeout: float) -> httpx.Client:
    auth = _BasicThenDigest(user, password or "") if user is not None else None
    return httpx.Client(auth=auth, timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)))


def _safe(url: str) -> str:
    """``url`` without any user name or password in it, for messages."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _send(client: httpx.Client, method: str, url: str, **kwargs) -> httpx.Response:
    try:
        return client.request(method, url, **kwargs)
    except httpx.ConnectError as e:
        raise RemoteError(f"cannot connect to {_safe(url)}: {e or 'connection refused'}") from None
    except httpx.ConnectTimeout:
        raise RemoteError(f"cannot connect to {_safe(url)}: no answer in time") from None
    except httpx.TimeoutException:
        raise _AnswerLostError(f"{_safe(url)} did not answer in time") from None
    except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError) as e:
        raise _AnswerLostError(f"{method} {_safe(url)}: the connection broke ({e or type(e).__name__})") from None
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as e:
        raise RemoteError(f"{method} {_safe(url)} failed: {e}") from None


def _failure(response: httpx.Response, what: str) -> str:
    url = _safe(str(response.request.url))
    detail = " ".join(response.text.split())[:300]
    if response.status_code == 401:
        return f"{what} at {url} needs credentials (HTTP 401): give --user and --password (or LABELGRAPH_PASSWORD)"
    reason = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
    return f"{what} at {url} failed ({reason})" + (f": {detail}" if detail else "")


def _check(response: httpx.Response, what: str) -> None:
    if response.status_code >= 400:
        raise RemoteError(_failure(response, what))


def _graph_url(graph_store: str, iri: str) -> str:
    return graph_store + ("&" if "?" in graph_store else "?") + urlencode({"graph": iri})


def _local_graphs(store: Store) -> list[tuple[ox.NamedNode, int]]:
    """The store's named graphs, sorted, with their triple counts."""
    names = sorted((n for n in store.ox.named_graphs() if isinstance(n, ox.NamedNode)), key=lambda n: n.value)
    return [(name, sum(1 for _ in store.ox.quads_for_pattern(None, None, None, name))) for name in names]


def _ntriples(store: Store, name: ox.NamedNode) -> bytes:
    triples = [quad.triple for quad in store.ox.quads_for_pattern(None, None, None, name)]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def _replace_operation(name: ox.NamedNode, body: bytes) -> str:
    # str(NamedNode) is the IRI in N-Triples syntax; the data is pyoxigraph's N-Triples.
    return f"DROP SILENT GRAPH {name} ;\nINSERT DATA {{ GRAPH {name} {{\n{body.decode('utf-8')}}} }}"


class _Pusher:
    """The requests of one push, with what they did recorded in ``report``."""

    def __init__(self, client: httpx.Client, report: PushReport, query_endpoint: str) -> None:
        self.client, self.report, self.query_endpoint = client, report, query_endpoint

    def update(self, text: str) -> None:
        response = _send(self.client, "POST", self.report.endpoint, content=text.encode("utf-8"),
                         headers={"Content-Type": "application/sparql-update; charset=utf-8"})  # fmt: skip
        if response.status_code >= 400:
            hint = (
                "" if response.status_code == 401 else " (is it the store's SPARQL Update URL? or give --graph-store)"
            )
            raise RemoteError(_failure(response, "SPARQL Update") + hint)

    def put(self, name: ox.NamedNode, body: bytes) -> bool:
        """Replace graph ``name`` with a graph store PUT; False when the graph store is not offered."""
        url = _graph_url(self.report.graph_store, name.value)
        # N-Triples is Turtle too, and every graph store takes Turtle.
        response = _send(self.client, "PUT", url, content=body, headers={"Content-Type": "text/turtle"})
        if response.status_code in _NOT_OFFERED:
            self.report.fallback = (
                f"the graph store {_safe(self.report.graph_store)} answered HTTP {response.status_code} to PUT; "
                "graphs were sent with SPARQL Update instead"
            )
            return False
        _check(response, f"replacing graph {name.value}")
        return True

    def send(self, name: ox.NamedNode, body: bytes) -> str:
        """Replace one graph; the method used."""
        if self.report.graph_store is not None and self.report.fallback is None and self.put(name, body):
            return "graph store"
        self.update(_replace_operation(name, body))
        return "update"

    def remove(self, iri: str) -> None:
        if self.report.graph_store is not None and self.report.fallback is None:
            response = _send(self.client, "DELETE", _graph_url(self.report.graph_store, iri))
            if response.status_code in (200, 204, 404):
                return
            if response.status_code not in _NOT_OFFERED:
                _check(response, f"removing graph {iri}")
        self.update(f"DROP SILENT GRAPH {ox.NamedNode(iri)}")

    def remote_graphs(self) -> list[str]:
        """The named graphs of the remote store (asked of the query endpoint)."""
        sparql = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        response = _send(self.client, "POST", self.query_endpoint, data={"query": sparql},
                         headers={"Accept": "application/sparql-results+json"})  # fmt: skip
        if response.status_code >= 400:
            raise RemoteError(_failure(response, "listing the remote graphs (for --prune)")
                              + " (give the store's query URL with --query-endpoint)")  # fmt: skip
        try:
            rows = json.loads(response.content)["results"]["bindings"]
            return sorted(row["g"]["value"] for row in rows if row.get("g", {}).get("type") == "uri")
        except (ValueError, KeyError, TypeError) as e:
            raise RemoteError(f"cannot read the remote graph list from {_safe(self.query_endpoint)}: {e}") from None

    def remote_count(self, iri: str) -> int | None:
        """The triples of graph ``iri`` on the remote store, or None when that cannot be asked."""
        sparql = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(iri)} {{ ?s ?p ?o }} }}"
        try:
            response = _send(self.client, "POST", self.query_endpoint, data={"query": sparql},
                             headers={"Accept": "application/sparql-results+json"})  # fmt: skip
            return int(json.loads(response.content)["results"]["bindings"][0]["n"]["value"])
        except (RemoteError, ValueError, KeyError, IndexError, TypeError):
            return None


def push(
    store: Store,
    endpoint: str,
    graph_store: str | None = None,
    user: str | None = None,
    password: str | None = None,
    *,
    timeout: float = 120.0,
    prune: bool = False,
    atomic: bool = False,
    query_endpoint: str | None = None,
    progress: Callable[[GraphSent, int, int], None] | None = None,
    stop: threading.Event | None = None,
) -> PushReport:
    """Copy every named graph of ``store`` to a remote SPARQL 1.1 store, replacing each.

    Graphs are sent one by one (each a request, reported to ``progress`` once the
    remote store has answered), unless ``atomic``.

    Parameters
    ----------
    store : Store
        An open store (read-only is enough): its article graphs, the entities graph,
        the derived graph and the reference graphs are sent.
    endpoint : str
        The remote SPARQL endpoint that takes updates; used when ``graph_store`` is not
        given or refuses a request (HTTP 404, 405, 415 or 501), and for ``atomic``.
    graph_store : str, optional
        The remote Graph Store HTTP Protocol URL; each graph is sent with
        ``PUT graph_store?graph=<iri>``, written as N-Triples (sent as ``text/turtle``,
        of which N-Triples is a subset).
    user, password : str, optional
        Credentials (HTTP Basic, or Digest when the server asks for it).
    timeout : float
        Seconds to wait for each answer.
    prune : bool
        Also remove the remote graphs under ``https://w3id.org/labelgraph/`` that the
        local store no longer has (other graphs of the remote store are left alone).
    atomic : bool
        Send everything (replacements and removals) as one SPARQL Update request to
        ``endpoint``: stores that apply a request in one transaction (Oxigraph, Fuseki
        with TDB2, GraphDB) then take all of it or none of it.
    query_endpoint : str, optional
        Where to ask which graphs the remote store holds (``prune``) and whether a graph
        whose answer was lost arrived; by default ``endpoint``.
    progress : callable, optional
        Called with each graph written, its position and the number of graphs.
    stop : threading.Event, optional
        When set, the push stops before the next graph (the one being sent finishes).

    Returns
    -------
    PushReport
        The graphs and triples written, how, and the graphs removed.

    Raises
    ------
    PushError
        When the push stopped part way (an error, ``stop``, or KeyboardInterrupt); its
        ``report`` names the graphs written, the graph whose outcome is unknown (if
        any) and the graphs not sent.
    RemoteError
        When nothing could be done (the server cannot be reached, or refuses the first request).
    """
    started = time.perf_counter()
    report = PushReport(endpoint, graph_store)
    local = _local_graphs(store)
    report.total = len(local)
    with _client(user, password, timeout) as client:
        pusher = _Pusher(client, report, query_endpoint or endpoint)
        stale = []
        if prune:
            names = {name.value for name, _n in local}
            stale = [iri for iri in pusher.remote_graphs() if iri.startswith(LABELGRAPH_BASE) and iri not in names]
        if atomic:
            _push_atomic(store, pusher, local, stale, progress)
        else:
            _push_each(store, pusher, local, stale, progress, stop or threading.Event())
    report.seconds = time.perf_counter() - started
    return report


def _push_atomic(
    store: Store,
    pusher: _Pusher,
    local: list[tuple[ox.NamedNode, int]],
    stale: list[str],
    progress: Callable[[GraphSent, int, int], None] | None,
) -> None:
    report = pusher.report
    operations = [f"DROP SILENT GRAPH {ox.NamedNode(iri)}" for iri in stale]
    operations += [_replace_operation(name, _ntriples(store, name)) for name, _n in local]
    report.atomic = True
    everything = [name.value for name, _n in local] + [f"remove {iri}" for iri in stale]
    if not operations:
        return
    try:
        pusher.update(" ;\n".join(operations))
    except _AnswerLostError as e:
        report.unsent = everything
        raise PushError(
            f"{e}; whether the one update request holding the whole push was applied is unknown "
            "(a store that applies a request in one transaction has all of it or none)",
            report,
        ) from None
    except (RemoteError, KeyboardInterrupt) as e:
        report.unsent = everything
        why = "interrupted" if isinstance(e, KeyboardInterrupt) else str(e)
        raise PushError(f"{why}; nothing was written (the whole push was one update request)", report) from None
    report.pruned = stale
    for position, (name, n) in enumerate(local, 1):
        report.graphs.append(GraphSent(name.value, n, "update"))
        if progress is not None:
            progress(report.graphs[-1], position, len(local))


def _push_each(
    store: Store,
    pusher: _Pusher,
    local: list[tuple[ox.NamedNode, int]],
    stale: list[str],
    progress: Callable[[GraphSent, int, int], None] | None,
    stop: threading.Event,
) -> None:
    report = pusher.report
    steps = [(name.value, n) for name, n in local] + [(f"remove {iri}", 0) for iri in stale]
    for index, (step, n) in enumerate(steps):
        if stop.is_set():
            report.unsent = [s for s, _n in steps[index:]]
            raise PushError(f"interrupted before graph {index + 1} of {len(steps)}", report)
        try:
            if step.startswith("remove "):
                pusher.remove(step.removeprefix("remove "))
                report.pruned.append(step.removeprefix("remove "))
                continue
            method = pusher.send(ox.NamedNode(step), _ntriples(store, ox.NamedNode(step)))
        except (RemoteError, KeyboardInterrupt) as e:
            if index == 0 and isinstance(e, RemoteError) and not isinstance(e, _AnswerLostError):
                raise  # nothing done: the plain error
            _stopped(pusher, steps, index, e)
        report.graphs.append(GraphSent(step, n, method))
        if progress is not None:
            progress(report.graphs[-1], len(report.graphs), len(local))


def _stopped(pusher: _Pusher, steps: list[tuple[str, int]], index: int, error: BaseException) -> None:
    """Record where a push stopped on ``error`` (the request of ``steps[index]`` failed) and raise PushError."""
    report = pusher.report
    step, n = steps[index]
    report.unsent = [s for s, _n in steps[index + 1 :]]
    why = "interrupted" if isinstance(error, KeyboardInterrupt) else str(error)
    if isinstance(error, _AnswerLostError | KeyboardInterrupt) and not step.startswith("remove "):
        # The request may have been applied: ask the remote store.
        there = pusher.remote_count(step)
        if there is not None and there == n:
            report.graphs.append(GraphSent(step, n, "graph store" if report.graph_store and not report.fallback
                                           else "update"))  # fmt: skip
            raise PushError(f"{why} after graph {index + 1} of {len(steps)} (it arrived)", report) from None
        if there is None:
            report.uncertain = step
            raise PushError(
                f"{why} while sending graph {index + 1} of {len(steps)}; whether it arrived "
                "is unknown (give --query-endpoint so that it can be checked)",
                report,
            ) from None
    report.unsent.insert(0, step)
    raise PushError(f"{why} at graph {index + 1} of {len(steps)} ({step})", report) from None


def _declare_prefixes(sparql: str) -> str:
    """``sparql`` with PREFIX lines for the prefixes a local query may use undeclared
    (rdflib's defaults: ``rdf:``, ``rdfs:``, ``xsd:``, ``owl:``, ``dcterms:``, ``schema:``, ...)
    that it uses without declaring them; a remote endpoint may not predefine them.

    >>> _declare_prefixes("SELECT * { ?s rdfs:label ?o }").splitlines()[0]
    'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>'
    """
    declared = {m.lower() for m in re.findall(r"(?i)\bPREFIX\s+([^\s:]*):", sparql)}
    lines = [
        f"PREFIX {prefix}: <{namespace}>"
        for prefix, namespace in sorted(Graph().namespaces())
        if prefix and prefix.lower() not in declared and re.search(rf"(?<![\w:?$.-]){re.escape(prefix)}:", sparql)
    ]
    return "".join(line + "\n" for line in lines) + sparql


def remote_query(
    endpoint: str, sparql: str, *, user: str | None = None, password: str | None = None, timeout: float = 120.0
) -> QueryResult:
    """Run a read-only query on a remote SPARQL 1.1 endpoint.

    Parameters
    ----------
    endpoint : str
        The endpoint's URL; the query is sent by POST, form-encoded. Credentials may
        also be given in the URL (``http://user:password@host/sparql``).
        Well-known prefixes it uses undeclared are declared, as for a local query.
    sparql : str
        A SELECT, ASK, CONSTRUCT or DESCRIBE query.
    user, password : str, optional
        Credentials (HTTP Basic, or Digest when the server asks for it).
    timeout : float
        Seconds to wait for the answer.

    Returns
    -------
    QueryResult
        As :func:`graph.sparql.query.run_query` returns it, so :func:`graph.sparql.query.format_result`
        and :func:`graph.sparql.query.to_rows` print it the same way.

    Raises
    ------
    ReadOnlyError, QuerySyntaxError
        For an update, LOAD, SERVICE or invalid text (checked before anything is sent).
    RemoteQueryError
        When the endpoint refuses the query (HTTP 400 or 403).
    RemoteError
        When the endpoint cannot be reached, fails, or answers in an unknown format.
    """
    check_read_only(sparql, parse=False)  # the endpoint parses it, with its own prefixes
    with _client(user, password, timeout) as client:
        form = {"query": _declare_prefixes(sparql)}
        response = _send(client, "POST", endpoint, data=form, headers={"Accept": _QUERY_ACCEPT})
    if response.status_code in (400, 403):
        raise RemoteQueryError(_failure(response, "the query"))
    _check(response, "the query")
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if content_type in _GRAPH_TYPES:
            graph = Graph().parse(data=response.content, format=_GRAPH_TYPES[content_type])
            return QueryResult("CONSTRUCT", [], [], graph=graph)
        if content_type not in _RESULT_TYPES:
            raise RemoteError(f"{_safe(endpoint)} answered in an unknown format ({content_type or 'no content type'})")
        result = Result.parse(io.BytesIO(response.content), format=_RESULT_TYPES[content_type])
    except RemoteError:
        raise
    except Exception as e:  # a parser's own error type: the answer is not what it claims
        raise RemoteError(f"cannot read the answer of {_safe(endpoint)} ({content_type}): {e}") from None
    if result.type == "ASK":
        return QueryResult("ASK", [], [], boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult("CONSTRUCT", [], [], graph=result.graph)
    variables = [str(v) for v in result.vars or []]
    rows = [tuple(binding.get(Variable(v)) for v in variables) for binding in result.bindings]
    return QueryResult("SELECT", variables, rows)
