"""Check stored events against the SHACL shapes of ``ontology/shapes.ttl``."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pyoxigraph as ox
from oxrdflib._converter import from_ox
from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from graph.storage.store import Store
from ontology import ARTICLE_NS, SHAPES

__all__ = ["ValidationReport", "validate", "validate_graph"]


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    text: str
    results: int


@functools.cache
def _shapes() -> Graph:
    g = Graph()
    g.parse(source=str(SHAPES), format="turtle")
    return g


def validate_graph(data: Graph) -> ValidationReport:
    """Validate an rdflib graph of articles and events."""
    conforms, report, text = shacl_validate(data, shacl_graph=_shapes(), inference="none", advanced=True)
    from rdflib.namespace import SH

    results = len(set(report.subjects(predicate=SH.resultSeverity)))
    return ValidationReport(bool(conforms), text, results)


def _plain(term):
    """Oxigraph spells a plain literal "x"^^xsd:string; rdflib compares it unequal to "x"."""
    if isinstance(term, Literal) and term.datatype == XSD.string and not term.language:
        return Literal(str(term))
    return term


def validate(store: Store) -> ValidationReport:
    """Validate the union of the article graphs of ``store``."""
    data = Graph()
    for quad in store.ox:
        name = quad.graph_name
        if isinstance(name, ox.NamedNode) and name.value.startswith(ARTICLE_NS):
            data.add((from_ox(quad.subject), from_ox(quad.predicate), _plain(from_ox(quad.object))))
    return validate_graph(data)
