"""Named SPARQL queries shipped as ``graph/sparql/queries/*.rq``, and their parameters bound
safely (as RDF terms, substituted by Oxigraph, never by editing the query text)."""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING

from ontology import ENTITY_NS

if TYPE_CHECKING:  # listing the queries loads no RDF library (a fast ``query --list``)
    import pyoxigraph as ox

    from graph.storage.store import Store

__all__ = ["bind_params", "list_queries"]

#: Labels live once, in the shared entities graph.
_FIND = """SELECT DISTINCT ?e ?label WHERE {
  GRAPH <https://w3id.org/labelgraph/graph/entities> { ?e rdfs:label ?label }
}"""


def list_queries() -> dict[str, str]:
    """Query name -> text."""
    folder = files("graph.sparql.queries")
    return {
        p.name.removesuffix(".rq"): p.read_text(encoding="utf-8") for p in folder.iterdir() if p.name.endswith(".rq")
    }


def bind_params(store: Store, params: list[str]) -> dict[str, ox.NamedNode | ox.Literal]:
    """``["entity=Scale AI", "as_of=2025-07-01"]`` -> pyoxigraph terms. ``entity`` (and any
    value that names an entity) becomes that entity's IRI, found by its label."""
    from pyoxigraph import Literal, NamedNode

    from graph.sparql.query import run_query

    out: dict[str, NamedNode | Literal] = {}
    for param in params:
        key, sep, value = param.partition("=")
        if not sep or not key.isidentifier():
            raise ValueError(f"--param takes key=value, not {param!r}")
        if value.startswith(ENTITY_NS):
            try:
                out[key] = NamedNode(value)
            except ValueError:
                raise ValueError(f"--param {key}: {value!r} is not an IRI") from None
            continue
        if key in ("entity", "a", "b", "company", "person"):
            rows = run_query(store, _FIND, {"label": Literal(value)}).solutions
            if not rows:
                raise LookupError(f"no entity labelled {value!r} in the store")
            out[key] = rows[0][0]
            continue
        out[key] = Literal(value)
    return out
