"""What a drawing shows: the part of the projected graph chosen by the user's filters.

The fact graph (one edge per fact, from ``graph.analytics.project.project_facts``) or
the mention graph (from
:func:`graph.analytics.project.project`) is filtered by date, relation
and confidence, cut to the neighbourhood of one entity, or swapped for the derived
dependency graph; then, above ``max_nodes``, only the most central nodes stay.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> _ = g.add_edge("a", "b", key="e1", predicate="customer_of", date="2025-01", confidence=0.9)
>>> _ = g.add_edge("c", "b", key="e2", predicate="invested_in", date="2025-09", confidence=0.5)
>>> v = select_view(g, as_of="2025-06-30")
>>> sorted(v.graph.edges()), v.kind
([('a', 'b')], 'relations')
>>> sorted(select_view(g, focus="c", depth=1).graph.nodes)
['b', 'c']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from graph.analytics import project as projection
from graph.analytics.dependency import after, derive_dependencies
from graph.analytics.project import resolve_entity
from graph.facts import time

__all__ = [
    "DEFAULT_MAX_NODES",
    "View",
    "centrality",
    "day_after",
    "fact_graph",
    "filter_relations",
    "holds_at",
    "interval",
    "keep_central",
    "neighbourhood",
    "select_view",
]

DEFAULT_MAX_NODES = 500


@dataclass(frozen=True)
class View:
    """A graph ready to draw.

    Attributes
    ----------
    graph : nx.MultiDiGraph
        Nodes carry ``label`` and ``type``; fact edges (:func:`graph.analytics.project.project_facts`) their
        ``predicate``, ``statuses``, ``start``, ``end``, ``articles`` and ``evidence`` ledger
        (a list of dicts); mention edges ``predicate``, ``evidence``,
        ``title``, ``date``, ``status``, ``confidence``; dependency edges ``kind``,
        ``evidence`` (a list), ``sources``, ``status``, ``valid_from``, ``valid_until``.
    kind : str
        ``"relations"`` or ``"dependencies"``.
    dropped : int
        Nodes left out by the ``max_nodes`` cut.
    """

    graph: nx.MultiDiGraph
    kind: str = "relations"
    dropped: int = 0


def interval(date: str | None) -> tuple[str, str] | None:
    """The first and last day of a date (``"2025"`` is the whole year, ``lo/hi`` a range), as
    :func:`graph.facts.time.interval` reads it.

    >>> interval("2025"), interval("2024-02"), interval("2025-06-12"), interval(None)
    (('2025-01-01', '2025-12-31'), ('2024-02-01', '2024-02-29'), ('2025-06-12', '2025-06-12'), None)
    """
    span = time.interval(str(date).strip()) if date else None
    return (span.lo, span.hi) if span else None


def day_after(date: str) -> str:
    """The day after an ISO day. ``day_after("2025-06-30") == "2025-07-01"``."""
    return (dt.date.fromisoformat(date) + dt.timedelta(days=1)).isoformat()


def holds_at(data: Mapping, as_of: str) -> bool:
    """Whether a fact may hold on ``as_of`` (a day, or a month or year read as its last day,
    as ``--as-of`` is): it started by then (an undated fact from its first report) and had
    not ended before; a start or end whose interval holds the day counts (it is uncertain,
    not excluded), as in :func:`graph.facts.time.holds`."""
    day = as_of if len(as_of) == 10 else time.as_of_day(as_of)
    begun = time.interval(data.get("start") or data.get("first_reported") or data.get("date"))
    return time.holds(begun, time.interval(data.get("end")), day) != "no"


def fact_graph(dataset) -> nx.MultiDiGraph:
    """The fact graph of a store's dataset (one edge per fact): what ``export --format
    html``, ``graphml`` and ``gexf`` draw and write."""
    return projection.project_facts(dataset)


def _is_fact(data: Mapping) -> bool:
    return "statuses" in data


def filter_relations(
    g: nx.MultiDiGraph,
    *,
    as_of: str | None = None,
    predicates: Iterable[str] | None = None,
    min_confidence: float = 0.0,
) -> nx.MultiDiGraph:
    """The relations known at ``as_of`` (facts: holding then), of these ``predicates``, at
    least this sure; every node is kept."""
    wanted = set(predicates) if predicates else None
    out = nx.MultiDiGraph()
    out.add_nodes_from(g.nodes(data=True))
    for s, o, key, data in g.edges(keys=True, data=True):
        if wanted is not None and data.get("predicate") not in wanted:
            continue
        if data.get("confidence", 1.0) < min_confidence:
            continue
        if as_of and not (holds_at(data, as_of) if _is_fact(data) else not after(data.get("date"), as_of)):
            continue
        out.add_edge(s, o, key=key, **data)
    return out


def neighbourhood(g: nx.MultiDiGraph, node: str, depth: int) -> set[str]:
    """The nodes within ``depth`` hops of ``node``, whatever the edge direction."""
    return set(nx.single_source_shortest_path_length(g.to_undirected(as_view=True), node, cutoff=depth))


def centrality(g: nx.MultiDiGraph) -> dict[str, float]:
    """Degree centrality over distinct neighbours (parallel edges count once)."""
    if g.number_of_nodes() < 2:
        return dict.fromkeys(g.nodes, 1.0)
    return nx.degree_centrality(nx.Graph(g))


def keep_central(g: nx.MultiDiGraph, max_nodes: int, *, always: Iterable[str] = ()) -> tuple[nx.MultiDiGraph, int]:
    """The subgraph of the ``max_nodes`` most central nodes (ties by label), keeping
    ``always``; and how many nodes were dropped."""
    if g.number_of_nodes() <= max_nodes:
        return g, 0
    score = centrality(g)
    keep = [n for n in always if n in g][:max_nodes]
    ranked = sorted(g.nodes, key=lambda n: (-score[n], str(g.nodes[n].get("label", n))))
    keep_set = set(keep)
    for n in ranked:
        if len(keep_set) >= max_nodes:
            break
        keep_set.add(n)
    return g.subgraph(keep_set).copy(), g.number_of_nodes() - len(keep_set)


def select_view(
    g: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    depth: int = 2,
    as_of: str | None = None,
    predicates: Iterable[str] | None = None,
    min_confidence: float = 0.0,
    max_nodes: int = DEFAULT_MAX_NODES,
    dependencies: bool = False,
    drop_isolated: bool = True,
) -> View:
    """Choose what to draw.

    Parameters
    ----------
    g : nx.MultiDiGraph
        The projected relation graph.
    focus : str, optional
        An entity label or IRI: only its neighbourhood of ``depth`` hops is drawn.
        ``LookupError`` (with close matches) when no entity has that name.
    as_of : str, optional
        An ISO date: relations dated later are left out (and dependencies are as of then).
    predicates : iterable of str, optional
        Only these relations (for example ``customer_of``).
    min_confidence : float
        Leave out relations below this confidence.
    max_nodes : int
        Above this many nodes keep the most central ones (and the focus).
    dependencies : bool
        Draw the derived dependency graph instead of the relations.
    drop_isolated : bool
        Leave out entities with no edge left after filtering.
    """
    rel = filter_relations(g, as_of=as_of, predicates=predicates, min_confidence=min_confidence)
    shown = derive_dependencies(rel, as_of) if dependencies else rel
    if drop_isolated:
        shown = shown.subgraph([n for n in shown if shown.degree(n) > 0]).copy()
    centre = None
    if focus is not None:
        centre = resolve_entity(g, focus)
        nodes = neighbourhood(shown, centre, depth) if centre in shown else {centre}
        shown = (shown if centre in shown else g).subgraph(nodes).copy()
    shown, dropped = keep_central(shown, max_nodes, always=[centre] if centre else [])
    return View(shown, "dependencies" if dependencies else "relations", dropped)
