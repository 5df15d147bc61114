"""Read-only SPARQL over the store: refuse updates, LOAD and SERVICE; run; format.

Queries run on pyoxigraph and answers stay pyoxigraph terms: a :class:`QueryResult`
converts them to rdflib terms only when a caller reads ``rows`` or ``graph``. The
read-only check parses nothing itself: pyoxigraph parses the text once, as a query (an
update, LOAD included, is not one), and SERVICE is refused as a token outside strings,
IRIs and comments (every SERVICE pattern starts with that token).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Literal as _Choice

import pyoxigraph as ox

from graph.errors import QuerySyntaxError, ReadOnlyError, StoreError
from graph.storage.store import Store

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "DEFAULT_BASE_IRI",
    "DEFAULT_PREFIXES",
    "MAX_NESTING",
    "SERVICE_TOKEN",
    "UPDATE_TOKENS",
    "QueryResult",
    "ResultFormat",
    "check_read_only",
    "dataset_options",
    "format_result",
    "in_big_stack",
    "nesting",
    "refusal",
    "run_isolated",
    "run_query",
    "to_rows",
]

#: The base IRI relative IRIs in a query are resolved against (``<a>`` is ``<https://w3id.org/labelgraph/a>``).
DEFAULT_BASE_IRI = "https://w3id.org/labelgraph/"

#: The prefixes a query may use undeclared: rdflib's default bindings, as queries ran through rdflib before.
DEFAULT_PREFIXES = {
    "brick": "https://brickschema.org/schema/Brick#",
    "csvw": "http://www.w3.org/ns/csvw#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcam": "http://purl.org/dc/dcam/",
    "doap": "http://usefulinc.com/ns/doap#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "odrl": "http://www.w3.org/ns/odrl/2/",
    "org": "http://www.w3.org/ns/org#",
    "prof": "http://www.w3.org/ns/dx/prof/",
    "prov": "http://www.w3.org/ns/prov#",
    "qb": "http://purl.org/linked-data/cube#",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "sosa": "http://www.w3.org/ns/sosa/",
    "ssn": "http://www.w3.org/ns/ssn/",
    "time": "http://www.w3.org/2006/time#",
    "vann": "http://purl.org/vocab/vann/",
    "void": "http://rdfs.org/ns/void#",
    "wgs": "https://www.w3.org/2003/01/geo/wgs84_pos#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "xml": "http://www.w3.org/XML/1998/namespace",
}

_STRIP = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|<[^<>\s]*>|#[^\n]*'
)
#: SERVICE as a token outside strings, IRIs and comments: not part of a variable
#: (``?service``), prefixed name (``ex:service``), blank node or language tag. A dot may
#: come right before it (``?s ?p ?o .SERVICE <…> {…}`` is a query).
SERVICE_TOKEN = re.compile(r"(?<![\w?$:@-])SERVICE(?![\w:-])", re.IGNORECASE)
#: The keywords of SPARQL Update, as tokens: text that is no query but holds one is an update.
UPDATE_TOKENS = re.compile(
    r"(?<![\w?$:@-])(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)(?![\w:-])", re.IGNORECASE
)
#: The deepest nesting of brackets, braces and parentheses a query may have.
MAX_NESTING = 500
_BRACKETS = re.compile(r"[(){}\[\]]")
_ONE_LINE = re.compile(r"[\t\r\n]+")
#: ``FROM`` (also ``FROM NAMED``) as a token outside strings, IRIs and comments: a dataset clause.
_FROM = re.compile(r"(?<![\w?$:.@-])FROM(?![\w:.-])", re.IGNORECASE)
#: Prefixes written into a Turtle answer.
_TURTLE_PREFIXES = {k: DEFAULT_PREFIXES[k] for k in ("rdf", "rdfs", "xsd", "dcterms", "prov", "schema")} | {
    "lg": "https://w3id.org/labelgraph/ontology#"
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_UPDATE_REFUSED = "updates are not allowed: queries are read-only (INSERT, DELETE, LOAD, DROP...)"
_SERVICE_REFUSED = "SERVICE and LOAD are not allowed: a query may only read this store"

#: The text forms of :func:`format_result`.
ResultFormat = _Choice["table", "csv", "json"]


class QueryResult:
    """A SELECT (variables, rows), ASK (boolean) or CONSTRUCT/DESCRIBE (graph) answer.

    ``solutions`` (SELECT rows) and ``triples`` (CONSTRUCT) hold pyoxigraph terms;
    ``rows`` and ``graph`` give the same answer as rdflib terms, converted on first use.
    Either form may be given; the other is derived from it.
    """

    def __init__(
        self,
        kind: str,
        variables: list[str],
        rows: list[tuple] | None = None,
        boolean: bool | None = None,
        graph: Graph | None = None,
        *,
        solutions: list[tuple] | None = None,
        triples: list[ox.Triple] | None = None,
    ) -> None:
        self.kind, self.variables, self.boolean = kind, variables, boolean
        self._rows, self._graph = rows, graph
        self._solutions, self._triples = solutions, triples

    @property
    def solutions(self) -> list[tuple]:
        """SELECT rows as pyoxigraph terms (None for an unbound variable)."""
        if self._solutions is None:
            self._solutions = [tuple(_to_ox(t) for t in row) for row in self._rows or []]
        return self._solutions

    @property
    def triples(self) -> list[ox.Triple]:
        """A CONSTRUCT or DESCRIBE answer as pyoxigraph triples."""
        if self._triples is None:
            self._triples = [ox.Triple(*(_to_ox(t) for t in triple)) for triple in self._graph or []]
        return self._triples

    @property
    def rows(self) -> list[tuple]:
        """SELECT rows as rdflib terms (None for an unbound variable)."""
        if self._rows is None:
            from oxrdflib._converter import from_ox

            self._rows = [tuple(None if t is None else from_ox(t) for t in row) for row in self._solutions or []]
        return self._rows

    @property
    def graph(self) -> Graph | None:
        """A CONSTRUCT or DESCRIBE answer as an rdflib graph (None for SELECT and ASK)."""
        if self._graph is None and self.kind == "CONSTRUCT":
            from oxrdflib._converter import from_ox
            from rdflib import Graph

            graph = Graph()
            for triple in self._triples or []:
                graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
            self._graph = graph
        return self._graph

    def __repr__(self) -> str:
        return f"QueryResult({self.kind!r}, {self.variables!r}, boolean={self.boolean!r})"


def _to_ox(term):
    """A pyoxigraph term from a pyoxigraph or rdflib one (None stays None)."""
    if term is None or isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple):
        return term
    from oxrdflib._converter import to_ox

    return to_ox(term)


def nesting(code: str) -> int:
    """The deepest nesting of brackets in ``code`` (strings, IRIs and comments taken out)."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(code):
        depth += 1 if match.group() in "({[" else -1
        deepest = max(deepest, depth)
    return deepest


#: Query texts up to this length have their analysis (:func:`_read`) kept for the next run.
_CACHED_TEXT = 20_000


@functools.lru_cache(maxsize=256)
def _read_cached(sparql: str) -> tuple[str | None, bool, dict[str, str]]:
    return _read(sparql)


def _read(sparql: str) -> tuple[str | None, bool, dict[str, str]]:
    """What :func:`run_query` needs to know of a query text before Oxigraph parses it:
    why it is refused (``"service"``, ``"nesting"``) or None; whether the default graph is
    the union (no ``FROM``); the undeclared prefixes it may use (those it writes)."""
    code = _STRIP.sub(" ", sparql)
    why = "service" if SERVICE_TOKEN.search(code) else "nesting" if nesting(code) > MAX_NESTING else None
    used = {p: iri for p, iri in DEFAULT_PREFIXES.items() if f"{p}:" in code}
    return why, not _FROM.search(code), used


def _analysis(sparql: str) -> tuple[str | None, bool, dict[str, str]]:
    return _read_cached(sparql) if len(sparql) <= _CACHED_TEXT else _read(sparql)


def _refused(why: str | None) -> ReadOnlyError | QuerySyntaxError | None:
    if why == "service":
        return ReadOnlyError(_SERVICE_REFUSED)
    if why == "nesting":
        return QuerySyntaxError(f"not a valid SPARQL query: it is nested too deeply to read (over {MAX_NESTING})")
    return None


def refusal(sparql: str) -> ReadOnlyError | QuerySyntaxError | None:
    """Why a query text is refused before it is parsed, else None: SERVICE as a token
    (``ReadOnlyError``), or brackets nested deeper than :data:`MAX_NESTING` (``QuerySyntaxError``)."""
    return _refused(_analysis(sparql)[0])


def _syntax_error(sparql: str, error: Exception) -> Exception:
    """The error for text pyoxigraph could not parse as a query: an update is refused
    (``ReadOnlyError``), anything else is invalid (``QuerySyntaxError``)."""
    if UPDATE_TOKENS.search(_STRIP.sub(" ", sparql)):
        return ReadOnlyError(_UPDATE_REFUSED)
    return QuerySyntaxError(f"not a valid SPARQL query: {error}")


_EMPTY: list[ox.Store] = []


def check_read_only(sparql: str, *, parse: bool = True) -> None:
    """Refuse anything but a query that only reads this store.

    pyoxigraph parses the text, as a query, on an empty in-memory store (nothing is
    evaluated); no other parser runs.

    Parameters
    ----------
    sparql : str
        The SPARQL text.
    parse : bool
        False: text pyoxigraph cannot parse passes unless it holds an update keyword
        (for a remote endpoint, which parses the query itself, with prefixes of its own).

    Raises
    ------
    ReadOnlyError
        For an update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY) or a
        query using SERVICE (as a token outside strings, IRIs and comments).
    QuerySyntaxError
        For text that is neither a SPARQL query nor an update, or nested too deeply.

    Examples
    --------
    >>> check_read_only("SELECT ?load WHERE { ?load ?p ?o }")
    >>> check_read_only("DROP ALL")
    Traceback (most recent call last):
    ...
    graph.errors.ReadOnlyError: [E201] updates are not allowed: queries are read-only (INSERT, DELETE, LOAD, DROP...)
    """
    why = refusal(sparql)
    if why is not None:
        raise why
    if not _EMPTY:
        _EMPTY.append(ox.Store())
    try:
        _EMPTY[0].query(sparql, base_iri=DEFAULT_BASE_IRI, prefixes=DEFAULT_PREFIXES)
    except SyntaxError as e:
        error = _syntax_error(sparql, e)
        if parse or isinstance(error, ReadOnlyError):
            raise error from None
    except RecursionError:
        raise QuerySyntaxError("not a valid SPARQL query: it is nested too deeply to read") from None
    except (RuntimeError, ValueError, OSError):
        pass  # parsed; evaluating on the empty store is none of this check's business


def _native(result) -> QueryResult:
    """A :class:`QueryResult` of pyoxigraph's own answer (its terms, no conversion)."""
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ASK", [], [], boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        return QueryResult("SELECT", variables, solutions=[tuple(solution) for solution in result])
    return QueryResult("CONSTRUCT", [], triples=list(result))


def run_query(
    store: Store,
    sparql: str,
    bindings: Mapping[str, object] | None = None,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
) -> QueryResult:
    """Run a read-only query on the store; Oxigraph parses (once) and evaluates it.

    Parameters
    ----------
    store : Store
        An open store; the query's default graph is the union of all its graphs, unless
        the query says ``FROM`` / ``FROM NAMED``.
    sparql : str
        A SELECT, ASK, CONSTRUCT or DESCRIBE query.
    bindings : Mapping[str, term], optional
        Variable name -> pyoxigraph or rdflib term, substituted by Oxigraph, never by
        string formatting. A SELECT must project every bound variable.
    base_iri : str
        Relative IRIs in the query are resolved against it.

    Returns
    -------
    QueryResult
        ``kind`` is ``"SELECT"``, ``"ASK"`` or ``"CONSTRUCT"`` (also for DESCRIBE); its
        terms are pyoxigraph's (``solutions``, ``triples``), rdflib's on asking (``rows``, ``graph``).

    Raises
    ------
    ReadOnlyError
        For an update, LOAD or SERVICE.
    QuerySyntaxError
        For an invalid query, or one Oxigraph cannot run with these bindings.
    """
    why, union, prefixes = _analysis(sparql)
    if (refused := _refused(why)) is not None:
        raise refused
    substitutions = {ox.Variable(k): _to_ox(v) for k, v in (bindings or {}).items()}
    try:
        result = store.ox.query(sparql, base_iri=base_iri, prefixes=prefixes, substitutions=substitutions,
                                use_default_graph_as_union=union)  # fmt: skip
        return _native(result)
    except SyntaxError as e:
        raise _syntax_error(sparql, e) from None
    except (RuntimeError, ValueError, OSError) as e:
        raise QuerySyntaxError(f"query failed: {e}") from None


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
    try:
        store = Store(store_path, read_only=True)
        substitutions = {ox.Variable(k): _to_ox(v) for k, v in bindings.items()}

        def run() -> tuple[str, bytes]:
            result = store.ox.query(sparql, base_iri=base_iri, prefixes=DEFAULT_PREFIXES,
                                    substitutions=substitutions, **dataset_options(sparql))  # fmt: skip
            if isinstance(result, ox.QueryBoolean | ox.QuerySolutions):
                return "solutions", result.serialize(format=ox.QueryResultsFormat.JSON)
            return "graph", ox.serialize(list(result), format=ox.RdfFormat.N_TRIPLES)

        conn.send(("ok", *in_big_stack(run)))
    except (SyntaxError, ValueError, RuntimeError, OSError, StoreError) as e:
        conn.send(("error", f"{e}"))


def run_isolated(
    store_path: str | Path,
    sparql: str,
    bindings: Mapping[str, object] | None = None,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    checked: bool = False,
) -> QueryResult:
    """Run a read-only query in a child process, so that a crash of the engine is an error.

    Used by ``labelgraph query``. The default graph is the union of all graphs unless
    the query says ``FROM``; relative IRIs are resolved against ``base_iri``. ``checked``:
    :func:`check_read_only` has already passed the query. The child sends pyoxigraph's
    own serialization, read back by pyoxigraph (no rdflib on the way).

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

    if not checked:
        check_read_only(sparql)
    substitutions = {k: _to_ox(v) for k, v in (bindings or {}).items()}  # pyoxigraph terms pickle
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_evaluate_alone, args=(sender, str(store_path), sparql, substitutions,
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
        return QueryResult("CONSTRUCT", [], triples=[q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)])
    return _native(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))


def _text(term) -> str:
    """A term as SPARQL CSV writes it: IRI and literal as text, blank node as ``_:id``."""
    if term is None:
        return ""
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _sort_key(triple: ox.Triple) -> tuple:
    return tuple((type(t).__name__, t.value) for t in triple)


def to_rows(result: QueryResult) -> tuple[list[str], list[list[str]]]:
    """Header and rows as strings, for a table."""
    if result.kind == "ASK":
        return ["answer"], [["true" if result.boolean else "false"]]
    if result.kind == "CONSTRUCT":
        triples = sorted(result.triples, key=_sort_key)
        return ["subject", "predicate", "object"], [[_text(t) for t in triple] for triple in triples]
    return result.variables, [[_text(t) for t in row] for row in result.solutions]


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != _XSD_STRING:
        out["datatype"] = term.datatype.value  # a plain string needs none
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
        return ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=_TURTLE_PREFIXES).decode("utf-8")
    if fmt == "json":
        if result.kind == "ASK":
            return json.dumps({"head": {}, "boolean": bool(result.boolean)}) + "\n"
        bindings = [
            {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.solutions
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
