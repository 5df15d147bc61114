"""Named SPARQL queries shipped as ``graph/queries/*.rq``, and their parameters bound
safely (as RDF terms through ``initBindings``, never by editing the query text)."""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING

from ontology import ENTITY_NS

if TYPE_CHECKING:  # listing the queries loads no RDF library (a fast ``query --list``)
    from rdflib.term import Node

    from graph.storage.store import Store

__all__ = ["bind_params", "list_queries"]

_FIND = "SELECT DISTINCT ?e ?label WHERE { ?e rdfs:label ?label }"


def list_queries() -> dict[str, str]:
    """Query name -> text."""
    folder = files("graph.sparql.queries")
    return {
        p.name.removesuffix(".rq"): p.read_text(encoding="utf-8") for p in folder.iterdir() if p.name.endswith(".rq")
    }


def bind_params(store: Store, params: list[str]) -> dict[str, Node]:
    """``["entity=Scale AI", "as_of=2025-07-01"]`` -> RDF terms. ``entity`` (and any
    value that names an entity) becomes that entity's IRI, found by its label."""
    from rdflib import Literal, URIRef

    from graph.sparql.query import run_query

    out: dict[str, Node] = {}
    for param in params:
        key, sep, value = param.partition("=")
        if not sep or not key.isidentifier():
            raise ValueError(f"--param takes key=value, not {param!r}")
        if value.startswith(ENTITY_NS):
            out[key] = URIRef(value)
            continue
        if key in ("entity", "a", "b", "company", "person"):
            rows = run_query(store, _FIND, {"label": Literal(value)}).rows
            if not rows:
                raise LookupError(f"no entity labelled {value!r} in the store")
            out[key] = rows[0][0]
            continue
        out[key] = Literal(value)
    return out
