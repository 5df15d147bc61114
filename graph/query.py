"""Read-only SPARQL over the store: refuse updates, LOAD and SERVICE; run; format."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from pyparsing import ParseException
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.term import Node

from graph.errors import QuerySyntaxError, ReadOnlyError
from graph.store import Store

__all__ = ["QueryResult", "check_read_only", "format_result", "run_query", "to_rows"]

#: Words that, outside strings, IRIs and comments, make a query reach out of the store.
_FORBIDDEN = re.compile(r"\b(SERVICE|LOAD)\b", re.IGNORECASE)
_STRIP = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|<[^<>\s]*>|#[^\n]*'
)


@dataclass(frozen=True)
class QueryResult:
    """A SELECT (variables, rows), ASK (boolean) or CONSTRUCT/DESCRIBE (graph) answer."""

    kind: str
    variables: list[str]
    rows: list[tuple]
    boolean: bool | None = None
    graph: Graph | None = None


def _walk(node: object) -> bool:
    """True when the parse tree holds a SERVICE pattern."""
    name = getattr(node, "name", None)
    if name == "ServiceGraphPattern":
        return True
    if isinstance(node, Mapping):
        return any(_walk(v) for v in node.values())
    if isinstance(node, list | tuple):
        return any(_walk(v) for v in node)
    return False


def check_read_only(sparql: str) -> None:
    """Raise ``ReadOnlyError`` for an update, LOAD or SERVICE; ``QuerySyntaxError`` for
    text that is no SPARQL query."""
    try:
        tree = parseQuery(sparql)
    except ParseException as query_error:
        try:
            parseUpdate(sparql)
        except ParseException:
            raise QuerySyntaxError(f"not a valid SPARQL query: {query_error}") from None
        raise ReadOnlyError("updates are not allowed: queries are read-only (INSERT, DELETE, LOAD, DROP...)") from None
    if _walk(tree) or _FORBIDDEN.search(_STRIP.sub(" ", sparql)):
        raise ReadOnlyError("SERVICE and LOAD are not allowed: a query may only read this store")


def run_query(store: Store, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
    """Run a read-only query on the store (Oxigraph evaluates it); ``bindings`` pre-bind
    variables safely (never by string formatting). Oxigraph binds only variables that
    the SELECT projects."""
    check_read_only(sparql)
    try:
        result = store.dataset.query(sparql, initBindings=dict(bindings or {}))
    except SyntaxError as e:
        raise QuerySyntaxError(f"query failed: {e}") from None
    if result.type == "ASK":
        return QueryResult("ASK", [], [], boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult("CONSTRUCT", [], [], graph=result.graph)
    variables = [str(v) for v in result.vars]
    return QueryResult("SELECT", variables, [tuple(row) for row in result])


def _text(term: Node | None) -> str:
    return "" if term is None else str(term)


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
    elif isinstance(term, Literal) and term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def format_result(result: QueryResult, fmt: str) -> str:
    """The answer as SPARQL results JSON or CSV (``table``: tab-separated text);
    a CONSTRUCT answer as Turtle."""
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
            buffer.write("\t".join(line) + "\n")
    return buffer.getvalue()
