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
import re
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox
from rdflib import Graph, Variable
from rdflib.query import Result

from graph.errors import RemoteError, RemoteQueryError
from graph.sparql.query import QueryResult, check_read_only
from graph.storage.store import Store

__all__ = ["GraphSent", "PushReport", "push", "remote_query"]

#: Graph store answers meaning "not offered here": fall back to SPARQL Update.
_NOT_OFFERED = frozenset({404, 405, 415, 501})
#: Send at most about this many bytes of N-Triples in one SPARQL Update request.
_UPDATE_BATCH_BYTES = 4_000_000
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
    """What :func:`push` sent, and where."""

    endpoint: str
    graph_store: str | None
    graphs: list[GraphSent] = field(default_factory=list)
    seconds: float = 0.0
    #: Why the graph store was given up for SPARQL Update, if it was.
    fallback: str | None = None

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)

    def count(self, method: str) -> int:
        """How many graphs went by ``method``."""
        return sum(1 for g in self.graphs if g.method == method)


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
    except httpx.TimeoutException:
        raise RemoteError(f"{_safe(url)} did not answer in time") from None
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


def _graphs(store: Store) -> Iterator[tuple[ox.NamedNode, list[ox.Triple]]]:
    names = sorted((n for n in store.ox.named_graphs() if isinstance(n, ox.NamedNode)), key=lambda n: n.value)
    for name in names:
        yield name, [quad.triple for quad in store.ox.quads_for_pattern(None, None, None, name)]


def push(
    store: Store,
    endpoint: str,
    graph_store: str | None = None,
    user: str | None = None,
    password: str | None = None,
    *,
    timeout: float = 120.0,
) -> PushReport:
    """Copy every named graph of ``store`` to a remote SPARQL 1.1 store, replacing each.

    Parameters
    ----------
    store : Store
        An open store (read-only is enough): its article graphs, the entities graph,
        the derived graph and the reference graphs are sent.
    endpoint : str
        The remote SPARQL endpoint that takes updates; used when ``graph_store`` is not
        given or refuses a request (HTTP 404, 405, 415 or 501).
    graph_store : str, optional
        The remote Graph Store HTTP Protocol URL; each graph is sent with
        ``PUT graph_store?graph=<iri>``, written as N-Triples (sent as ``text/turtle``,
        of which N-Triples is a subset).
    user, password : str, optional
        Credentials (HTTP Basic, or Digest when the server asks for it).
    timeout : float
        Seconds to wait for each answer.

    Returns
    -------
    PushReport
        The graphs and triples sent, and how.

    Raises
    ------
    RemoteError
        When a server cannot be reached or answers with an error.
    """
    started = time.perf_counter()
    report = PushReport(endpoint, graph_store)
    batch: list[tuple[ox.NamedNode, bytes, int]] = []
    pending = 0
    with _client(user, password, timeout) as client:
        for name, triples in _graphs(store):
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            if graph_store is not None and report.fallback is None:
                url = _graph_url(graph_store, name.value)
                # N-Triples is Turtle too, and every graph store takes Turtle.
                response = _send(client, "PUT", url, content=body, headers={"Content-Type": "text/turtle"})
                if response.status_code not in _NOT_OFFERED:
                    _check(response, f"replacing graph {name.value}")
                    report.graphs.append(GraphSent(name.value, len(triples), "graph store"))
                    continue
                report.fallback = (
                    f"the graph store {_safe(graph_store)} answered HTTP {response.status_code} to PUT; "
                    "graphs were sent with SPARQL Update instead"
                )
            batch.append((name, body, len(triples)))
            pending += len(body)
            if pending >= _UPDATE_BATCH_BYTES:
                _send_update(client, endpoint, batch, report)
                pending = 0
        _send_update(client, endpoint, batch, report)
    report.seconds = time.perf_counter() - started
    return report


def _send_update(
    client: httpx.Client, endpoint: str, batch: list[tuple[ox.NamedNode, bytes, int]], report: PushReport
) -> None:
    """Replace the graphs of ``batch`` with one SPARQL Update request; empty the batch."""
    if not batch:
        return
    # str(NamedNode) is the IRI in N-Triples syntax; the data is pyoxigraph's N-Triples.
    operations = [
        f"DROP SILENT GRAPH {name} ;\nINSERT DATA {{ GRAPH {name} {{\n{body.decode('utf-8')}}} }}"
        for name, body, _n in batch
    ]
    text = " ;\n".join(operations)
    response = _send(
        client,
        "POST",
        endpoint,
        content=text.encode("utf-8"),
        headers={"Content-Type": "application/sparql-update; charset=utf-8"},
    )
    if response.status_code >= 400:
        hint = "" if response.status_code == 401 else " (is it the store's SPARQL Update URL? or give --graph-store)"
        raise RemoteError(_failure(response, "SPARQL Update") + hint)
    report.graphs += [GraphSent(name.value, n, "update") for name, _body, n in batch]
    batch.clear()


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
    check_read_only(sparql)
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
