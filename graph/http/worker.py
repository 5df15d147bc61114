"""Query evaluation for the HTTP endpoint, in a process of its own.

Pyoxigraph cannot cancel a running query, so the server evaluates queries in a worker
process (:func:`serve_queries`) that it kills when a query runs past its timeout, grows
past its memory cap or loses its client; a fresh worker then takes its place. The
worker opens the store read-only once and answers :class:`QueryRequest` objects sent
over a pipe with :class:`Answer` objects. Everything about a query text happens here,
under the server's timeout: the read-only check, the nesting check, parsing and
evaluation (in a thread with a large stack, so that deep expressions do not overflow
it). A query still running after :data:`SLOW_AFTER` seconds gets the lowest CPU
priority (``nice`` 19), so that short queries of other clients go first.
"""

from __future__ import annotations

import contextlib
import os
import threading
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection

import pyoxigraph as ox

from graph.http.results import GRAPH_FORMATS, OX_FORMATS, SOLUTION_FORMATS, choose_format, write_solutions
from graph.sparql.query import (
    _STRIP,
    DEFAULT_PREFIXES,
    ENGINE_STACK_BYTES,
    MAX_NESTING,
    SERVICE_TOKEN,
    UPDATE_TOKENS,
    dataset_options,
    nesting,
)
from ontology import ARTICLE_NS, ENTITY_NS, EVENT_NS, GRAPH_NS, LG_NS

__all__ = ["MAX_NESTING", "PREFIXES", "SLOW_AFTER", "Answer", "QueryRequest", "evaluate", "serve_queries"]

#: Seconds after which a running query is given the lowest CPU priority.
SLOW_AFTER = 0.5
#: SERVICE as a token outside strings, IRIs and comments (a query may only read this store);
#: the keywords of SPARQL Update, as tokens. One definition, shared with ``labelgraph query``.
_SERVICE, _UPDATE = SERVICE_TOKEN, UPDATE_TOKENS

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
    base_iri: str | None = None


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


def _refusal(request: QueryRequest) -> Answer | None:
    """The answer to a query refused before it is parsed: SERVICE, or nested too deeply."""
    code = _STRIP.sub(" ", request.query)
    if _SERVICE.search(code):
        return Answer.error(403, "[E201] SERVICE is not allowed: a query may only read this store; "
                                 "this endpoint is read-only")  # fmt: skip
    if nesting(code) > MAX_NESTING:
        return Answer.error(400, f"[E202] not a valid SPARQL query here: it nests brackets deeper than {MAX_NESTING}")
    return None


def evaluate(store: ox.Store, request: QueryRequest, max_rows: int, prefixes: dict[str, str] | None = None) -> Answer:
    """Check and run one query on ``store`` and write its answer in the format asked for.

    Parameters
    ----------
    store : pyoxigraph.Store
        The store. The default graph is the union of all graphs, unless the query says
        ``FROM`` / ``FROM NAMED`` or the request names graphs (which win over ``FROM``).
    request : QueryRequest
        The query, the formats wanted, the protocol's dataset and the base IRI.
    max_rows : int
        At most this many solutions (SELECT) or triples (CONSTRUCT, DESCRIBE) are
        written; the answer is then marked ``truncated``.
    prefixes : dict, optional
        Prefixes a query may use without declaring them.

    Returns
    -------
    Answer
        200 with the answer; 403 for an update or SERVICE; 400 for an invalid query,
        one nested too deeply, or an invalid graph IRI; 500 when evaluation fails.
    """
    refused = _refusal(request)
    if refused is not None:
        return refused
    try:
        options = dataset_options(request.query, request.default_graphs, request.named_graphs)
    except ValueError as e:
        return Answer.error(400, f"not a valid graph IRI: {e}")
    try:
        result = store.query(request.query, base_iri=request.base_iri, prefixes=prefixes, **options)
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
        if _UPDATE.search(_STRIP.sub(" ", request.query)):
            return Answer.error(403, "[E201] SPARQL Update is not allowed: this endpoint is read-only")
        return Answer.error(400, f"[E202] not a valid SPARQL query: {e}")
    except RecursionError:
        return Answer.error(400, "[E202] not a valid SPARQL query here: it is nested too deeply")
    except (OSError, RuntimeError, ValueError) as e:
        return Answer.error(500, f"query failed: {e}")


def _answer(store: ox.Store, request: QueryRequest, max_rows: int, prefixes: dict[str, str]) -> Answer:
    """:func:`evaluate` in a thread with a large stack, put to the lowest priority once slow."""
    answers: list[Answer] = []

    def run() -> None:
        try:
            answers.append(evaluate(store, request, max_rows, prefixes))
        except Exception as e:  # an answer, not a dead worker
            answers.append(Answer.error(500, f"query failed: {type(e).__name__}: {e}"))

    thread = threading.Thread(target=run, name="labelgraph-engine", daemon=True)
    thread.start()
    thread.join(SLOW_AFTER)
    if thread.is_alive() and thread.native_id is not None:
        # Only this thread: the next query's thread starts at normal priority again.
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, thread.native_id, 19)
    thread.join()
    return answers[0]


def serve_queries(conn: Connection, store_path: str, max_rows: int) -> None:
    """The worker process: open the store read-only, say ``("ready", n)`` (or
    ``("failed", message)``), then answer each request until the pipe closes."""
    from graph.errors import StoreError
    from graph.storage.store import Store

    threading.stack_size(ENGINE_STACK_BYTES)
    try:
        store = Store(store_path, read_only=True)
    except StoreError as e:
        conn.send(("failed", str(e)))
        return
    # The prefixes a local query may use undeclared (rdflib's defaults), so that a query
    # that runs with `labelgraph query` runs here too.
    prefixes = dict(DEFAULT_PREFIXES)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(_answer(store.ox, request, max_rows, prefixes))
