"""Read-only SPARQL over the store: refuse updates, LOAD and SERVICE; run; format."""

from __future__ import annotations

import csv
import io
import json
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal as _Choice

from pyparsing import ParseException, ParseResults
from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.term import Node

from graph.errors import QuerySyntaxError, ReadOnlyError, StoreError
from graph.storage.store import Store

__all__ = [
    "DEFAULT_BASE_IRI",
    "QueryResult",
    "ResultFormat",
    "check_read_only",
    "dataset_options",
    "format_result",
    "in_big_stack",
    "run_isolated",
    "run_query",
    "to_rows",
]

#: The base IRI relative IRIs in a query are resolved against (``<a>`` is ``<https://w3id.org/labelgraph/a>``).
DEFAULT_BASE_IRI = "https://w3id.org/labelgraph/"

#: The keywords that make a query reach out of the store, as tokens: not part of a
#: variable (``?load``), prefixed name (``ex:service``), blank node or language tag.
_FORBIDDEN = re.compile(r"(?<![\w?$:.@-])(SERVICE|LOAD)(?![\w:.-])", re.IGNORECASE)
_STRIP = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|<[^<>\s]*>|#[^\n]*'
)
_ONE_LINE = re.compile(r"[\t\r\n]+")
#: ``FROM`` (also ``FROM NAMED``) as a token outside strings, IRIs and comments: a dataset clause.
_FROM = re.compile(r"(?<![\w?$:.@-])FROM(?![\w:.-])", re.IGNORECASE)

#: The text forms of :func:`format_result`.
ResultFormat = _Choice["table", "csv", "json"]


@dataclass(frozen=True)
class QueryResult:
    """A SELECT (variables, rows), ASK (boolean) or CONSTRUCT/DESCRIBE (graph) answer."""

    kind: str
    variables: list[str]
    rows: list[tuple]
    boolean: bool | None = None
    graph: Graph | None = None


def _has_service(node: object) -> bool:
    """True when the parse tree ``node`` holds a SERVICE pattern at any depth.

    The tree mixes pyparsing ``ParseResults``, rdflib ``CompValue`` mappings and plain
    lists. ``ParseResults`` is registered as a ``MutableMapping`` whose ``values()`` are
    only its named results, so it is walked as a sequence, before the mapping test.
    """
    if isinstance(node, ParseResults | list | tuple):
        return any(_has_service(v) for v in node)
    if getattr(node, "name", None) == "ServiceGraphPattern":
        return True
    if isinstance(node, Mapping):
        return any(_has_service(v) for v in node.values())
    return False


def check_read_only(sparql: str) -> None:
    """Refuse anything but a query that only reads this store.

    Parameters
    ----------
    sparql : str
        The SPARQL text.

    Raises
    ------
    ReadOnlyError
        For an update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY) or a
        query using SERVICE (found in the parse tree, and as a token outside strings,
        IRIs and comments).
    QuerySyntaxError
        For text that is neither a SPARQL query nor an update.

    Examples
    --------
    >>> check_read_only("SELECT ?load WHERE { ?load ?p ?o }")
    >>> check_read_only("DROP ALL")
    Traceback (most recent call last):
    ...
    graph.errors.ReadOnlyError: [E201] updates are not allowed: queries are read-only (INSERT, DELETE, LOAD, DROP...)
    """
    try:
        tree = parseQuery(sparql)
    except RecursionError:
        raise QuerySyntaxError("not a valid SPARQL query: it is nested too deeply to read") from None
    except ParseException as query_error:
        try:
            parseUpdate(sparql)
        except (ParseException, RecursionError):
            raise QuerySyntaxError(f"not a valid SPARQL query: {query_error}") from None
        raise ReadOnlyError("updates are not allowed: queries are read-only (INSERT, DELETE, LOAD, DROP...)") from None
    try:
        service = _has_service(tree)
    except RecursionError:
        raise QuerySyntaxError("not a valid SPARQL query: it is nested too deeply to read") from None
    if service or _FORBIDDEN.search(_STRIP.sub(" ", sparql)):
        raise ReadOnlyError("SERVICE and LOAD are not allowed: a query may only read this store")


def run_query(store: Store, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
    """Run a read-only query on the store; Oxigraph evaluates it.

    Parameters
    ----------
    store : Store
        An open store; the query's default graph is the union of all its graphs.
    sparql : str
        A SELECT, ASK, CONSTRUCT or DESCRIBE query (checked by :func:`check_read_only`).
    bindings : Mapping[str, Node], optional
        Variable name -> rdflib term, substituted by Oxigraph (SEP-0007), never by
        string formatting. A SELECT must project every bound variable.

    Returns
    -------
    QueryResult
        ``kind`` is ``"SELECT"``, ``"ASK"`` or ``"CONSTRUCT"`` (also for DESCRIBE).

    Raises
    ------
    ReadOnlyError
        For an update, LOAD or SERVICE.
    QuerySyntaxError
        For an invalid query, or one Oxigraph cannot run with these bindings.
    """
    check_read_only(sparql)
    try:
        result = store.dataset.query(sparql, initBindings=dict(bindings or {}))
    except (SyntaxError, RuntimeError) as e:
        raise QuerySyntaxError(f"query failed: {e}") from None
    if result.type == "ASK":
        return QueryResult("ASK", [], [], boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult("CONSTRUCT", [], [], graph=result.graph)
    variables = [str(v) for v in result.vars]
    return QueryResult("SELECT", variables, [tuple(row) for row in result])


def dataset_options(
    sparql: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()
) -> dict[str, object]:
    """The dataset arguments of ``pyoxigraph.Store.query`` for a query.

    The SPARQL protocol's ``default-graph-uri`` / ``named-graph-uri`` (``default_graphs``,
    ``named_graphs``) win over the query's ``FROM`` / ``FROM NAMED``, which win over this
    store's own dataset: the default graph the union of all graphs, each graph named.

    Raises
    ------
    ValueError
        For a graph name that is not an IRI.
    """
    import pyoxigraph as ox

    if default_graphs or named_graphs:
        return {
            "default_graph": [ox.NamedNode(iri) for iri in default_graphs],
            "named_graphs": [ox.NamedNode(iri) for iri in named_graphs],
        }
    # FROM given: pyoxigraph then takes the query's own dataset (the union flag would override it).
    return {"use_default_graph_as_union": not _FROM.search(_STRIP.sub(" ", sparql))}


#: Stack of the thread that runs pyoxigraph: deep expressions recurse in native code.
ENGINE_STACK_BYTES = 512 * 1024 * 1024


def in_big_stack(function: Callable[[], object]) -> object:
    """``function()`` run in a thread with :data:`ENGINE_STACK_BYTES` of stack; its result or its exception."""
    outcome: list = []

    def target() -> None:
        try:
            outcome.append((True, function()))
        except BaseException as e:  # handed to the caller
            outcome.append((False, e))

    previous = threading.stack_size(ENGINE_STACK_BYTES)
    try:
        thread = threading.Thread(target=target, name="labelgraph-engine", daemon=True)
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def _evaluate_alone(conn, store_path: str, sparql: str, bindings: dict, base_iri: str) -> None:
    """The child process of :func:`run_isolated`: run the query, send its answer serialized."""
    import pyoxigraph as ox
    from oxrdflib._converter import to_ox

    try:
        store = Store(store_path, read_only=True)
        prefixes = {prefix: str(ns) for prefix, ns in store.dataset.namespaces() if prefix}
        substitutions = {ox.Variable(k): to_ox(v) for k, v in bindings.items()}

        def run() -> tuple[str, bytes]:
            result = store.ox.query(sparql, base_iri=base_iri, prefixes=prefixes, substitutions=substitutions,
                                    **dataset_options(sparql))  # fmt: skip
            if isinstance(result, ox.QueryBoolean | ox.QuerySolutions):
                return "solutions", result.serialize(format=ox.QueryResultsFormat.JSON)
            return "graph", ox.serialize(list(result), format=ox.RdfFormat.N_TRIPLES)

        conn.send(("ok", *in_big_stack(run)))
    except (SyntaxError, ValueError, RuntimeError, OSError, StoreError) as e:
        conn.send(("error", f"{e}"))


def run_isolated(
    store_path: str | Path,
    sparql: str,
    bindings: Mapping[str, Node] | None = None,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    checked: bool = False,
) -> QueryResult:
    """Run a read-only query in a child process, so that a crash of the engine is an error.

    Used by ``labelgraph query``. The default graph is the union of all graphs unless
    the query says ``FROM``; relative IRIs are resolved against ``base_iri``. ``checked``:
    :func:`check_read_only` has already passed the query.

    Raises
    ------
    ReadOnlyError
        For an update, LOAD or SERVICE.
    QuerySyntaxError
        For an invalid query, one that fails, or one on which the engine crashed.
    StoreError
        When the store cannot be opened.
    """
    import multiprocessing
    import signal

    from rdflib import Variable
    from rdflib.query import Result

    if not checked:
        check_read_only(sparql)
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_evaluate_alone, args=(sender, str(store_path), sparql, dict(bindings or {}),
                                                          base_iri), name="labelgraph-query", daemon=True)  # fmt: skip
    child.start()
    sender.close()
    try:
        message = receiver.recv()
    except EOFError:
        child.join()
        code = child.exitcode or 0
        why = f"signal {-code} ({signal.Signals(-code).name})" if code < 0 else f"exit code {code}"
        raise QuerySyntaxError(f"the query engine crashed on this query ({why}); simplify it") from None
    finally:
        receiver.close()
    child.join()
    if message[0] == "error":
        raise QuerySyntaxError(f"query failed: {message[1]}")
    _ok, kind, body = message
    if kind == "graph":
        return QueryResult("CONSTRUCT", [], [], graph=Graph().parse(data=body, format="nt"))
    result = Result.parse(io.BytesIO(body), format="json")
    if result.type == "ASK":
        return QueryResult("ASK", [], [], boolean=bool(result.askAnswer))
    variables = [str(v) for v in result.vars or []]
    return QueryResult("SELECT", variables, [tuple(b.get(Variable(v)) for v in variables) for b in result.bindings])


def _text(term: Node | None) -> str:
    """A term as SPARQL CSV writes it: IRI and literal as text, blank node as ``_:id``."""
    if term is None:
        return ""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def to_rows(result: QueryResult) -> tuple[list[str], list[list[str]]]:
    """Header and rows as strings, for a table."""
    if result.kind == "ASK":
        return ["answer"], [["true" if result.boolean else "false"]]
    if result.kind == "CONSTRUCT":
        return ["subject", "predicate", "object"], [[_text(t) for t in triple] for triple in sorted(result.graph)]
    return result.variables, [[_text(t) for t in row] for row in result.rows]


def _json_term(term: Node) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal) and term.language:
        out["xml:lang"] = term.language
    elif isinstance(term, Literal) and term.datatype and term.datatype != XSD.string:
        out["datatype"] = str(term.datatype)  # a plain string needs none
    return out


def format_result(result: QueryResult, fmt: ResultFormat) -> str:
    """The answer as text.

    Parameters
    ----------
    result : QueryResult
        What :func:`run_query` returned.
    fmt : {"table", "csv", "json"}
        ``json``: SPARQL 1.1 query results JSON; ``csv``: SPARQL 1.1 results CSV (CRLF
        line ends); ``table``: tab-separated text (the CLI draws :func:`to_rows` instead).
        A CONSTRUCT or DESCRIBE answer is Turtle whatever ``fmt`` is.

    Raises
    ------
    ValueError
        For an unknown ``fmt``.
    """
    if fmt not in ("table", "csv", "json"):
        raise ValueError(f"unknown result format {fmt!r}; use table, csv or json")
    if result.kind == "CONSTRUCT":
        return result.graph.serialize(format="turtle")
    if fmt == "json":
        if result.kind == "ASK":
            return json.dumps({"head": {}, "boolean": bool(result.boolean)}) + "\n"
        bindings = [
            {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.rows
        ]
        return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}}, indent=1) + "\n"
    header, rows = to_rows(result)
    buffer = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    else:
        for line in [header, *rows]:
            buffer.write("\t".join(_ONE_LINE.sub(" ", cell) for cell in line) + "\n")
    return buffer.getvalue()
