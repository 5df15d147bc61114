"""SPARQL answers as HTTP bodies: content negotiation and the SPARQL 1.1 results formats.

A SELECT answer is written here (JSON, XML, CSV, TSV) rather than by pyoxigraph's
``QuerySolutions.serialize``, because the row cap stops reading solutions part way;
ASK answers and graphs (CONSTRUCT, DESCRIBE) are written by pyoxigraph.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

__all__ = [
    "GRAPH_FORMATS",
    "SOLUTION_FORMATS",
    "Format",
    "choose_format",
    "parse_accept",
    "write_solutions",
]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


@dataclass(frozen=True)
class Format:
    """One answer format: its name (also accepted as ``?format=``), the media type
    written in the response and every media type that asks for it."""

    name: str
    media_type: str
    aliases: tuple[str, ...]
    short_names: tuple[str, ...]


JSON = Format("json", "application/sparql-results+json", ("application/sparql-results+json", "application/json"),
              ("json",))  # fmt: skip
XML = Format("xml", "application/sparql-results+xml", ("application/sparql-results+xml", "application/xml", "text/xml"),
             ("xml",))  # fmt: skip
CSV = Format("csv", "text/csv", ("text/csv",), ("csv",))
TSV = Format("tsv", "text/tab-separated-values", ("text/tab-separated-values",), ("tsv",))
TURTLE = Format("turtle", "text/turtle", ("text/turtle", "application/x-turtle"), ("turtle", "ttl"))
NTRIPLES = Format("ntriples", "application/n-triples", ("application/n-triples", "text/plain"), ("ntriples", "nt"))
RDFXML = Format("rdfxml", "application/rdf+xml", ("application/rdf+xml",), ("rdfxml", "xml"))
JSONLD = Format("jsonld", "application/ld+json", ("application/ld+json",), ("jsonld", "json-ld", "json"))

#: Formats of SELECT and ASK answers; the first is the default.
SOLUTION_FORMATS = (JSON, XML, CSV, TSV)
#: Formats of CONSTRUCT and DESCRIBE answers; the first is the default.
GRAPH_FORMATS = (TURTLE, NTRIPLES, RDFXML, JSONLD)

#: pyoxigraph's writer for each format.
OX_FORMATS: dict[str, ox.QueryResultsFormat | ox.RdfFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def parse_accept(header: str | None) -> list[str]:
    """The media ranges of an ``Accept`` header, most wanted first (``q=0`` left out).

    Examples
    --------
    >>> parse_accept("text/csv;q=0.5, application/sparql-results+json, */*;q=0.1")
    ['application/sparql-results+json', 'text/csv', '*/*']
    """
    ranked = []
    for position, item in enumerate((header or "").split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, position, media.lower()))
    return [media for _q, _position, media in sorted(ranked)]


def choose_format(preferences: Sequence[str], formats: Sequence[Format]) -> Format:
    """The first of ``formats`` that ``preferences`` ask for, else the default (the first).

    Parameters
    ----------
    preferences : sequence of str
        Media ranges (``text/csv``, ``text/*``, ``*/*``) or short names (``csv``,
        ``turtle``, from a ``format`` parameter), most wanted first.
    formats : sequence of Format
        :data:`SOLUTION_FORMATS` or :data:`GRAPH_FORMATS`.

    Examples
    --------
    >>> choose_format(["text/html", "application/xml"], SOLUTION_FORMATS).name
    'xml'
    >>> choose_format(["text/*"], GRAPH_FORMATS).name
    'turtle'
    """
    for wanted in preferences:
        wanted = wanted.strip().lower()
        for fmt in formats:
            if "/" not in wanted and wanted in fmt.short_names:
                return fmt
            if wanted in fmt.aliases:
                return fmt
            if wanted == "*/*" or (wanted.endswith("/*") and fmt.media_type.startswith(wanted[:-1])):
                return fmt
    return formats[0]


# -- SELECT answers -------------------------------------------------------------------
def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = ("subject", "predicate", "object")
        return {"type": "triple", "value": {p: _json_term(getattr(term, p)) for p in parts}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != _XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        parts = "".join(f"<{p}>{_xml_term(getattr(term, p))}</{p}>" for p in ("subject", "predicate", "object"))
        return f"<triple>{parts}</triple>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
    if term.datatype.value not in (_XSD_STRING, _RDF_LANG_STRING):
        return f"<literal datatype={quoteattr(term.datatype.value)}>{_xml_text(term.value)}</literal>"
    return f"<literal>{_xml_text(term.value)}</literal>"


def _xml_text(text: str) -> str:
    return escape(text, {"\r": "&#13;"})


def _csv_term(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def write_solutions(variables: Sequence[str], rows: Iterable[Sequence], fmt: str) -> bytes:
    """A SELECT answer in a SPARQL 1.1 results format.

    Parameters
    ----------
    variables : sequence of str
        The projected variables, without ``?``.
    rows : iterable of sequences
        One pyoxigraph term (or ``None`` when unbound) per variable.
    fmt : {"json", "xml", "csv", "tsv"}
        The format's name.

    Returns
    -------
    bytes
        UTF-8 text.

    Examples
    --------
    >>> write_solutions(["s"], [(ox.NamedNode("http://e/a"),), (None,)], "tsv")
    b'?s\\n<http://e/a>\\n\\n'
    """
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
        answer = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
        return json.dumps(answer, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        parts = [f'<?xml version="1.0"?>\n<sparql xmlns="{_RESULTS_NS}"><head>']
        parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
        parts.append("</head><results>")
        for row in rows:
            parts.append("<result>")
            parts += [
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            ]
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts).encode("utf-8")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_term(t) for t in row] for row in rows)
        return buffer.getvalue().encode("utf-8")
    if fmt == "tsv":
        # pyoxigraph prints a term in N-Triples syntax, tabs and line ends escaped.
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown results format {fmt!r}; use json, xml, csv or tsv")
