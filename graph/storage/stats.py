"""Counts over a store: articles, entities, relations by kind."""

from __future__ import annotations

from dataclasses import dataclass

from graph.sparql.query import run_query
from graph.storage.store import Store

__all__ = ["StoreStats", "stats_at", "store_stats"]

_PREFIX = "PREFIX lg: <https://w3id.org/labelgraph/ontology#>\n"
_ARTICLES = _PREFIX + "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a lg:Article }"
_ENTITIES = (
    _PREFIX
    + """SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {
  { ?ev lg:hasSubject ?e } UNION { ?ev lg:hasObject ?e } }"""
)
_RELATIONS = (  # a count per kind: Oxigraph holds no set of every event for it
    _PREFIX
    + """SELECT ?name (COUNT(*) AS ?n) WHERE {
  GRAPH ?g { ?ev a ?class ; lg:hasSubject ?s } ?class lg:relationName ?name }
GROUP BY ?name ORDER BY DESC(?n) ?name"""
)


@dataclass(frozen=True)
class StoreStats:
    """What a store holds."""

    articles: int
    entities: int
    relations: dict[str, int]
    quads: int  # statements in all graphs (a triple said in two graphs counts twice)

    @property
    def relation_total(self) -> int:
        return sum(self.relations.values())


def _count(store: Store, sparql: str) -> int:
    rows = run_query(store, sparql).solutions
    return int(rows[0][0].value) if rows and rows[0][0] is not None else 0


def store_stats(store: Store) -> StoreStats:
    """Articles, distinct entities in relations, relations by predicate, quads (counted
    without a set of all triples, which would grow with the store)."""
    relations = {name.value: int(n.value) for name, n in run_query(store, _RELATIONS).solutions}
    return StoreStats(_count(store, _ARTICLES), _count(store, _ENTITIES), relations, store.quad_count())


def stats_at(path: str) -> StoreStats:
    """:func:`store_stats` of the store at ``path``, opened read-only (a worker's task, on a
    checkpoint of the store a build writes: the counts read every event, and the blocks
    they read then fill that process's caches, not the writer's)."""
    with Store(path, read_only=True) as store:
        return store_stats(store)
