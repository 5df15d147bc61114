"""Read-only SPARQL over the store: refuse updates, LOAD and SERVICE; run; format."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal as _Choice

from pyparsing import ParseException, ParseResults
from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.term import Node

from graph.errors import QuerySyntaxError, ReadOnlyError
from graph.storage.store import Store

__all__ = ["QueryResult", "ResultFormat", "check_read_only", "format_result", "run_query", "to_rows"]

#: The keywords that make a query reach out of the store, as tokens: not part of a
#: variable (``?load``), prefixed name (``ex:service``), blank node or language tag.
_FORBIDDEN = re.compile(r"(?<![\w?$:.@-])(SERVICE|LOAD)(?![\w:.-])", re.IGNORECASE)
_STRIP = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|<[^<>\s]*>|#[^\n]*'
)
_ONE_LINE = re.compile(r"[\t\r\n]+")

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
    except ParseException as query_error:
        try:
            parseUpdate(sparql)
        except ParseException:
            raise QuerySyntaxError(f"not a valid SPARQL query: {query_error}") from None
        raise ReadOnlyError("updates are not allowed: queries are read-only (INSERT, DELETE, LOAD, DROP...)") from None
    if _has_service(tree) or _FORBIDDEN.search(_STRIP.sub(" ", sparql)):
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
