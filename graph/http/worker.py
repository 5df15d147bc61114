"""Query evaluation for the HTTP endpoint, in a process of its own.

Pyoxigraph cannot cancel a running query, so the server evaluates queries in a worker
process (:func:`serve_queries`) that it kills when a query runs past its timeout; a
fresh worker then takes its place. The worker opens the store read-only once and
answers :class:`QueryRequest` objects sent over a pipe with :class:`Answer` objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection

import pyoxigraph as ox

from graph.http.results import GRAPH_FORMATS, OX_FORMATS, SOLUTION_FORMATS, choose_format, write_solutions
from ontology import ARTICLE_NS, ENTITY_NS, EVENT_NS, GRAPH_NS, LG_NS

__all__ = ["PREFIXES", "Answer", "QueryRequest", "evaluate", "serve_queries"]

#: Prefixes written into Turtle answers.
PREFIXES = {
    "lg": LG_NS,
    "id": ENTITY_NS,
    "ev": EVENT_NS,
    "art": ARTICLE_NS,
    "lgg": GRAPH_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
}


@dataclass(frozen=True)
class QueryRequest:
    """One query to evaluate: its text (already checked read-only), the wanted formats
    (media ranges or short names, most wanted first) and the SPARQL protocol's
    ``default-graph-uri`` and ``named-graph-uri`` parameters."""

    query: str
    preferences: tuple[str, ...] = ()
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, body, media type, and whether the row cap cut it short."""

    status: int
    body: bytes
    media_type: str
    truncated: bool = False

    @classmethod
    def error(cls, status: int, message: str) -> Answer:
        return cls(status, (message.rstrip() + "\n").encode("utf-8"), "text/plain")


def evaluate(store: ox.Store, request: QueryRequest, max_rows: int, prefixes: dict[str, str] | None = None) -> Answer:
    """Run one query on ``store`` and write its answer in the format asked for.

    Parameters
    ----------
    store : pyoxigraph.Store
        The store; its default graph is taken as the union of all graphs unless the
        request names default graphs.
    request : QueryRequest
        The query and the formats wanted.
    max_rows : int
        At most this many solutions (SELECT) or triples (CONSTRUCT, DESCRIBE) are
        written; the answer is then marked ``truncated``.
    prefixes : dict, optional
        Prefixes a query may use without declaring them.

    Returns
    -------
    Answer
        Status 200 with the answer, or 400 with a message for an invalid query or
        graph IRI.
    """
    try:
        options: dict = {"use_default_graph_as_union": not request.default_graphs, "prefixes": prefixes}
        if request.default_graphs:
            options["default_graph"] = [ox.NamedNode(iri) for iri in request.default_graphs]
        if request.named_graphs:
            options["named_graphs"] = [ox.NamedNode(iri) for iri in request.named_graphs]
    except ValueError as e:
        return Answer.error(400, f"not a valid graph IRI: {e}")
    try:
        result = store.query(request.query, **options)
        if isinstance(result, ox.QueryBoolean):
            fmt = choose_format(request.preferences, SOLUTION_FORMATS)
            return Answer(200, result.serialize(format=OX_FORMATS[fmt.name]), fmt.media_type)
        if isinstance(result, ox.QuerySolutions):
            fmt = choose_format(request.preferences, SOLUTION_FORMATS)
            variables = [v.value for v in result.variables]
            rows = [tuple(solution) for solution in islice(result, max_rows + 1)]
            body = write_solutions(variables, rows[:max_rows], fmt.name)
            return Answer(200, body, fmt.media_type, truncated=len(rows) > max_rows)
        fmt = choose_format(request.preferences, GRAPH_FORMATS)
        triples = list(islice(result, max_rows + 1))
        prefixes = PREFIXES if fmt.name == "turtle" else None
        body = ox.serialize(triples[:max_rows], format=OX_FORMATS[fmt.name], prefixes=prefixes)
        return Answer(200, body, fmt.media_type, truncated=len(triples) > max_rows)
    except SyntaxError as e:
        return Answer.error(400, f"[E202] not a valid SPARQL query: {e}")
    except (OSError, RuntimeError, ValueError) as e:
        return Answer.error(500, f"query failed: {e}")


def serve_queries(conn: Connection, store_path: str, max_rows: int) -> None:
    """The worker process: open the store read-only, say ``("ready", n)`` (or
    ``("failed", message)``), then answer each request until the pipe closes."""
    from graph.errors import StoreError
    from graph.storage.store import Store

    try:
        store = Store(store_path, read_only=True)
    except StoreError as e:
        conn.send(("failed", str(e)))
        return
    # The prefixes a local query may use undeclared (rdflib's defaults), so that a query
    # that runs with `labelgraph query` runs here too.
    prefixes = {prefix: str(namespace) for prefix, namespace in store.dataset.namespaces() if prefix}
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = evaluate(store.ox, request, max_rows, prefixes)
        except Exception as e:  # an answer, not a dead worker
            answer = Answer.error(500, f"query failed: {type(e).__name__}: {e}")
        conn.send(answer)
