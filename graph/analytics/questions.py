"""The market questions, answered from the projected graph as pandas DataFrames.

Every row cites its basis: the evidence sentences and the source articles. Every
question takes ``as_of`` (an ISO date) and answers as the market stood then.
"""

from __future__ import annotations

import itertools

import networkx as nx
import pandas as pd

from graph.analytics.dependency import after, derive_dependencies
from graph.analytics.project import resolve_entity
from graph.drawing.view import filter_relations

__all__ = ["critical", "dependencies", "dependents", "exposure", "path", "rivals", "talent", "timeline"]

_LOSES = {"supply": "a supplier", "revenue": "a client", "capital": "an investor"}


def _label(g: nx.MultiDiGraph, node: str) -> str:
    return str(g.nodes[node].get("label", node)) if node in g else node


def _first(items) -> str:
    return next((str(i) for i in items if i), "")


def _dependency_rows(g, d, start: str, *, reverse: bool, transitive: bool) -> list[dict]:
    """Walk dependency edges into ``start`` (dependents) or out of it (dependencies)."""
    rows, seen, frontier, depth = [], {start}, [start], 1
    while frontier:
        nxt = []
        for node in frontier:
            edges = d.in_edges(node, keys=True, data=True) if not reverse else d.out_edges(node, keys=True, data=True)
            for a, b, kind, data in edges:
                other = a if not reverse else b
                rows.append({
                    "entity": _label(g, other), "depends_on" if not reverse else "dependency_of": _label(g, node),
                    "kind": kind, "weight": data["weight"], "status": data["status"], "depth": depth,
                    "valid_until": data["valid_until"], "evidence": _first(data["evidence"]),
                    "sources": "; ".join(s for s in data["sources"] if s), "basis": data["basis"],
                })  # fmt: skip
                if other not in seen:
                    seen.add(other)
                    nxt.append(other)
        if not transitive:
            break
        frontier, depth = nxt, depth + 1
    return rows


def _columns(first: str) -> list[str]:
    return ["entity", first, "kind", "weight", "status", "depth", "valid_until", "evidence", "sources", "basis"]


def dependents(g: nx.MultiDiGraph, entity: str, *, as_of: str | None = None, transitive: bool = True) -> pd.DataFrame:
    """Who depends on ``entity`` (its clients for supply, its investees for capital,
    its vendors for revenue), directly (depth 1) and through others (depth > 1)."""
    node = resolve_entity(g, entity)
    rows = _dependency_rows(g, derive_dependencies(g, as_of), node, reverse=False, transitive=transitive)
    return pd.DataFrame(rows, columns=_columns("depends_on"))


def dependencies(g: nx.MultiDiGraph, entity: str, *, as_of: str | None = None, transitive: bool = True) -> pd.DataFrame:
    """What ``entity`` depends on, directly and transitively."""
    node = resolve_entity(g, entity)
    rows = _dependency_rows(g, derive_dependencies(g, as_of), node, reverse=True, transitive=transitive)
    frame = pd.DataFrame(rows, columns=_columns("dependency_of"))
    return frame.rename(columns={"entity": "depends_on", "dependency_of": "entity"})


def path(g: nx.MultiDiGraph, a: str, b: str, *, as_of: str | None = None) -> pd.DataFrame:
    """The shortest chain of relations between ``a`` and ``b``, one row per hop with
    the relation as stated (its direction), evidence and source."""
    start, end = resolve_entity(g, a), resolve_entity(g, b)
    rel = filter_relations(g, as_of=as_of)
    undirected = nx.Graph()
    for s, o, _k, data in rel.edges(keys=True, data=True):
        best = undirected.get_edge_data(s, o)
        if best is None or data.get("confidence", 0) > best["confidence"]:
            undirected.add_edge(s, o, confidence=data.get("confidence", 0), edge=(s, o, data))
    try:
        nodes = nx.shortest_path(undirected, start, end)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return pd.DataFrame(columns=["hop", "subject", "relation", "object", "status", "date", "evidence", "source"])
    rows = []
    for i, (x, y) in enumerate(itertools.pairwise(nodes), 1):
        s, o, data = undirected[x][y]["edge"]
        rows.append({
            "hop": i, "subject": _label(g, s), "relation": data["predicate"], "object": _label(g, o),
            "status": data.get("status"), "date": data.get("date"), "evidence": data.get("evidence"),
            "source": data.get("title") or data.get("article"),
        })  # fmt: skip
    return pd.DataFrame(rows)


def exposure(g: nx.MultiDiGraph, entity: str, *, as_of: str | None = None) -> pd.DataFrame:
    """What each entity that depends on ``entity`` loses if it leaves the market or
    changes sides, ranked by the share of that entity's dependencies of that kind."""
    node = resolve_entity(g, entity)
    d = derive_dependencies(g, as_of)
    rows = []
    for other, _, kind, data in d.in_edges(node, keys=True, data=True):
        if data["status"] == "ended":
            continue
        same_kind = [
            w["weight"]
            for _, _, k, w in d.out_edges(other, keys=True, data=True)
            if k == kind and w["status"] != "ended"
        ]
        share = data["weight"] / sum(same_kind) if same_kind else 1.0
        rows.append({
            "entity": _label(g, other), "loses": _LOSES[kind], "kind": kind, "weight": data["weight"],
            "share": round(share, 3), "alternatives": len(same_kind) - 1, "status": data["status"],
            "evidence": _first(data["evidence"]), "sources": "; ".join(s for s in data["sources"] if s),
        })  # fmt: skip
    frame = pd.DataFrame(rows, columns=["entity", "loses", "kind", "weight", "share", "alternatives", "status",
                                        "evidence", "sources"])  # fmt: skip
    return frame.sort_values(["share", "weight"], ascending=False, ignore_index=True)


MEASURE = "betweenness centrality on the dependency graph"


def critical(g: nx.MultiDiGraph, *, as_of: str | None = None, top: int = 20) -> pd.DataFrame:
    """Entities ranked by how much of the market's dependency flows through them."""
    d = derive_dependencies(g, as_of)
    simple = nx.DiGraph()
    simple.add_nodes_from(d.nodes)
    for a, b, data in d.edges(data=True):
        if data["status"] != "ended":
            w = simple.get_edge_data(a, b, {"weight": 0})["weight"] + data["weight"]
            simple.add_edge(a, b, weight=w)
    between = nx.betweenness_centrality(simple, normalized=True)
    rows = [{
        "entity": _label(g, n), "type": g.nodes[n].get("type") if n in g else "", "measure": MEASURE,
        "betweenness": round(between.get(n, 0.0), 4), "dependents": simple.in_degree(n),
        "weighted_dependents": round(simple.in_degree(n, weight="weight"), 2),
        "depends_on": simple.out_degree(n),
    } for n in simple.nodes if simple.degree(n)]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["entity", "type", "measure", "betweenness", "dependents",
                                        "weighted_dependents", "depends_on"])  # fmt: skip
    return frame.sort_values(["betweenness", "weighted_dependents"], ascending=False, ignore_index=True).head(top)


def timeline(g: nx.MultiDiGraph, entity: str, *, as_of: str | None = None) -> pd.DataFrame:
    """Every relation of ``entity`` in date order (undated last), with its status."""
    node = resolve_entity(g, entity)
    rows = [
        {"date": data.get("date"), "subject": _label(g, s), "relation": data["predicate"], "object": _label(g, o),
         "status": data.get("status"), "evidence": data.get("evidence"),
         "source": data.get("title") or data.get("article")}
        for s, o, data in [*g.out_edges(node, data=True), *g.in_edges(node, data=True)]
        if not after(data.get("date"), as_of)
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["date", "subject", "relation", "object", "status", "evidence", "source"])
    frame["_undated"] = frame["date"].isna()
    return (
        frame.sort_values(["_undated", "date"], ignore_index=True)
        .drop(columns="_undated")
        .drop_duplicates(subset=["date", "subject", "relation", "object"], ignore_index=True)
    )


def talent(g: nx.MultiDiGraph, *, as_of: str | None = None) -> pd.DataFrame:
    """People moving between organizations: from where they left or last led/worked/founded,
    to where they joined."""
    rel = filter_relations(g, as_of=as_of)
    rows = []
    for person, data in rel.nodes(data=True):
        if data.get("type") != "Person":
            continue
        edges = list(rel.out_edges(person, data=True))
        joined = [(o, e) for _, o, e in edges if e["predicate"] == "joined"]
        left = [(o, e) for _, o, e in edges if e["predicate"] == "left"]
        earlier = [(o, e) for _, o, e in edges if e["predicate"] in ("leads", "works_for", "founded")]
        for to, e_to in joined or [(None, None)]:
            origins = left or [(o, e) for o, e in earlier if o != to]
            for frm, e_from in origins or [(None, None)]:
                if to is None and not left:
                    continue
                rows.append({
                    "person": _label(g, person), "from": _label(g, frm) if frm else None,
                    "to": _label(g, to) if to else None, "date": (e_to or e_from or {}).get("date"),
                    "evidence": (e_to or e_from)["evidence"],
                    "basis": "left" if left else (e_from["predicate"] if e_from else "joined"),
                })  # fmt: skip
    frame = pd.DataFrame(rows, columns=["person", "from", "to", "date", "evidence", "basis"])
    return frame.drop_duplicates(subset=["person", "from", "to"], ignore_index=True)


def rivals(g: nx.MultiDiGraph, entity: str, *, as_of: str | None = None) -> pd.DataFrame:
    """The competitors of ``entity``, and the clients each shares with it."""
    node = resolve_entity(g, entity)
    rel = filter_relations(g, as_of=as_of)

    def clients(n: str) -> set[str]:
        return {s for s, _, e in rel.in_edges(n, data=True) if e["predicate"] == "customer_of"}

    mine = clients(node)
    found: dict[str, dict] = {}
    for s, o, e in [*rel.out_edges(node, data=True), *rel.in_edges(node, data=True)]:
        if e["predicate"] != "competitor_of":
            continue
        other = o if s == node else s
        found.setdefault(other, {"evidence": e["evidence"], "source": e.get("title") or e.get("article")})
    rows = [{
        "rival": _label(g, other), "shared_clients": ", ".join(sorted(_label(g, c) for c in mine & clients(other))),
        "evidence": info["evidence"], "source": info["source"],
    } for other, info in found.items()]  # fmt: skip
    return pd.DataFrame(rows, columns=["rival", "shared_clients", "evidence", "source"])
