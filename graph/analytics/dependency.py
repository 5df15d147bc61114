"""The dependency model: who depends on whom, derived from the relations.

- a client depends on its vendor for **supply** (``customer_of``);
- a vendor depends on its client for **revenue** (``customer_of``), weighted by the
  stated amount (USD millions) where the articles give one;
- an investee depends on its investor for **capital** (``invested_in``);
- an ended relationship (``ended_relationship_with``, not merely planned) ends the
  supply and revenue dependencies between the two from its date; a planned ending is
  kept and flagged.

Each derived edge records its ``basis``: the relation events it rests on.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> _ = g.add_edge("lab", "vendor", key="e1", predicate="customer_of", date="2025-01", status="reported",
...            amount_usd=2e8, evidence="Lab pays Vendor.", title="t", article="a")
>>> _ = g.add_edge("lab", "vendor", key="e2", predicate="ended_relationship_with", date="2025-06", status="ended",
...            amount_usd=None, evidence="Lab ends it.", title="t", article="a")
>>> d = derive_dependencies(g)
>>> sorted((a, b, k, v["valid_until"]) for a, b, k, v in d.edges(keys=True, data=True))
[('lab', 'vendor', 'supply', '2025-06'), ('vendor', 'lab', 'revenue', '2025-06')]
>>> d["vendor"]["lab"]["revenue"]["weight"]
200.0
>>> derive_dependencies(g, as_of="2025-07-01").number_of_edges()
0
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal

import networkx as nx
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import XSD

from ontology import GRAPH_NS
from ontology.namespace import LG

__all__ = ["DERIVED_GRAPH", "after", "dependency_graph_rdf", "derive_dependencies", "write_dependencies"]

DERIVED_GRAPH = URIRef(GRAPH_NS + "derived")


def after(date: str | None, as_of: str | None) -> bool:
    """True when ``date`` (an ISO prefix) begins after ``as_of``.

    >>> after("2025-07", "2025-06-30"), after("2025", "2025-06-30"), after(None, "2025")
    (True, False, False)
    """
    if not date or not as_of:
        return False
    n = min(len(date), len(as_of))
    return date[:n] > as_of[:n]


def _weight(amounts: Iterable[float | None]) -> float:
    known = [a for a in amounts if a]
    return round(max(known) / 1e6, 3) if known else 1.0


def derive_dependencies(g: nx.MultiDiGraph, as_of: str | None = None) -> nx.MultiDiGraph:
    """Dependency edges (A → B: A depends on B), keyed by kind, as the market stood at
    ``as_of`` (all that is known when None). Endings dated after ``as_of`` are ignored;
    dependencies ended on or before it are dropped."""
    pairs: dict[tuple[str, str, str], list[tuple[str, dict]]] = {}
    endings: dict[tuple[str, str], list[tuple[str, dict]]] = {}
    for s, o, key, data in g.edges(keys=True, data=True):
        if after(data.get("date"), as_of):
            continue
        predicate = data.get("predicate")
        if predicate == "customer_of":
            pairs.setdefault((s, o, "supply"), []).append((key, data))
            pairs.setdefault((o, s, "revenue"), []).append((key, data))
        elif predicate == "invested_in":
            pairs.setdefault((o, s, "capital"), []).append((key, data))
        elif predicate == "ended_relationship_with":
            endings.setdefault((s, o), []).append((key, data))
            # an ending implies the client had been a customer
            pairs.setdefault((s, o, "supply"), [])
            pairs.setdefault((o, s, "revenue"), [])
    d = nx.MultiDiGraph()
    d.add_nodes_from(g.nodes(data=True))
    for (a, b, kind), basis in pairs.items():
        client, vendor = (a, b) if kind == "supply" else (b, a)
        ending = endings.get((client, vendor), []) if kind in ("supply", "revenue") else []
        done = [(k, e) for k, e in ending if e.get("status") != "planned"]
        planned = [(k, e) for k, e in ending if e.get("status") == "planned"]
        valid_until = min((e.get("date") or "" for _, e in done), default=None) if done else None
        if done and not valid_until:
            valid_until = "unknown"
        if as_of and valid_until and valid_until != "unknown" and not after(valid_until, as_of):
            continue
        if as_of and valid_until == "unknown":
            continue
        events = basis + done + planned
        status = "ended" if done else "ending planned" if planned else "active"
        dates = sorted(e.get("date") for _, e in basis if e.get("date"))
        d.add_edge(
            a,
            b,
            key=kind,
            kind=kind,
            weight=_weight(e.get("amount_usd") for _, e in basis) if kind != "supply" else 1.0,
            basis=[k for k, _ in events],
            evidence=[e.get("evidence") for _, e in events],
            sources=sorted({e.get("title") or e.get("article") for _, e in events}),
            valid_from=dates[0] if dates else None,
            valid_until=valid_until,
            status=status,
        )
    return d


def dependency_graph_rdf(d: nx.MultiDiGraph) -> Graph:
    """The derived dependencies as RDF, in the named graph ``graph/derived``."""
    out = Graph(identifier=DERIVED_GRAPH)
    for a, b, kind, data in d.edges(keys=True, data=True):
        digest = hashlib.sha256(f"{a}\x1f{b}\x1f{kind}".encode()).hexdigest()[:16]
        node = URIRef(f"{GRAPH_NS}derived/{digest}")
        out.add((URIRef(a), LG.dependsOn, URIRef(b)))
        out.add((node, RDF.type, LG.Dependency))
        out.add((node, LG.hasSubject, URIRef(a)))
        out.add((node, LG.hasObject, URIRef(b)))
        out.add((node, LG.dependencyKind, Literal(kind)))
        out.add((node, LG.weight, Literal(Decimal(str(data["weight"])), datatype=XSD.decimal)))
        for event in data["basis"]:
            out.add((node, LG.basis, URIRef(event)))
        if data.get("valid_from"):
            out.add((node, LG.validFrom, Literal(data["valid_from"])))
        if data.get("valid_until") and data["valid_until"] != "unknown":
            out.add((node, LG.validUntil, Literal(data["valid_until"])))
    return out


def write_dependencies(store) -> int:
    """Derive the dependencies of the stored relations and store them in ``graph/derived``;
    return the number of dependency edges."""
    from graph.analytics.project import project

    d = derive_dependencies(project(store.dataset))
    store.put_graph(dependency_graph_rdf(d))
    return d.number_of_edges()
