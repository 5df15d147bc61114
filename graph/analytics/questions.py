"""The market questions, answered from the fact graph as pandas DataFrames.

The graph is :func:`graph.analytics.project.project_facts` (one edge per fact); the
hand-made mention graphs of :func:`~graph.analytics.project.project` work too. Every
table starts with ``entity`` (dependents and dependencies have the same columns, each
row read as "entity depends on depends_on for kind"), and every row cites its basis:
evidence sentences, sources and the fact IRIs. Every question takes ``as_of``
(``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a year or month means its last day).
"""

from __future__ import annotations

import itertools

import networkx as nx
import pandas as pd

from graph.analytics.dependency import derive_dependencies, fact_state, holding
from graph.analytics.project import resolve_entity
from graph.facts.time import as_of_day

__all__ = [
    "DEPENDENCY_COLUMNS",
    "critical",
    "dependencies",
    "dependents",
    "exposure",
    "path",
    "rivals",
    "talent",
    "timeline",
]

_LOSES = {"supply": "a supplier", "revenue": "a client", "capital": "an investor"}
#: The columns of ``dependents`` and ``dependencies``, in this order.
DEPENDENCY_COLUMNS = ["entity", "kind", "depends_on", "status", "weight", "unit", "depth", "via", "since",
                      "until", "evidence", "sources", "basis"]  # fmt: skip
#: Depth of a transitive answer at most this (the market is small-world).
MAX_DEPTH = 6


def _label(g: nx.MultiDiGraph, node: str | None) -> str:
    if node is None:
        return ""
    return str(g.nodes[node].get("label", node)) if node in g else node


def _first(items) -> str:
    return next((str(i) for i in items if i), "")


def _sentences(data: dict) -> list[str]:
    ev = data.get("evidence")
    if isinstance(ev, list):
        return [e["sentence"] if isinstance(e, dict) else str(e) for e in ev]
    return [str(ev)] if ev else []


def _sources(data: dict) -> str:
    ev = data.get("evidence")
    if isinstance(ev, list):
        seen = dict.fromkeys(e.get("title") or e.get("article") for e in ev if isinstance(e, dict))
        return "; ".join(s for s in seen if s)
    return data.get("title") or data.get("article") or ""


def _check(as_of: str | None) -> None:
    if as_of is not None:
        as_of_day(as_of)  # ValueError for anything but YYYY, YYYY-MM, YYYY-MM-DD


def _dependency_rows(g, d, start: str, *, outward: bool, transitive: bool) -> list[dict]:
    """Walk dependency edges into ``start`` (dependents) or out of it (dependencies),
    breadth first along simple paths: no row names the start or repeats a node of its
    own chain."""
    rows = []
    paths: dict[str, list[str]] = {start: [start]}
    chains: dict[str, list[str]] = {start: []}
    frontier, depth = [start], 1
    while frontier and depth <= MAX_DEPTH:
        nxt = []
        for node in frontier:
            edges = d.out_edges(node, keys=True, data=True) if outward else d.in_edges(node, keys=True, data=True)
            for a, b, kind, data in edges:
                other = b if outward else a
                if other in paths[node]:
                    continue  # a cycle back to the chain (or the start itself)
                chain = [*chains[node], *data["basis"]]
                via = " > ".join(_label(g, n) for n in paths[node][1:])
                rows.append({
                    "entity": _label(g, a), "kind": kind, "depends_on": _label(g, b), "status": data["status"],
                    "weight": data["weight"], "unit": data["unit"], "depth": depth, "via": via,
                    "since": data["valid_from"], "until": data["valid_until"], "evidence": _first(data["evidence"]),
                    "sources": "; ".join(s for s in data["sources"] if s), "basis": chain,
                })  # fmt: skip
                if other not in paths:
                    paths[other] = [*paths[node], other]
                    chains[other] = chain
                    nxt.append(other)
        if not transitive:
            break
        frontier, depth = nxt, depth + 1
    return rows


def dependents(g: nx.MultiDiGraph, entity: str, *, as_of: str | None = None, transitive: bool = True) -> pd.DataFrame:
    """Who depends on ``entity`` (its clients for supply, its investees for capital,
    its vendors for revenue), directly (depth 1) and through others (depth > 1)."""
    _check(as_of)
    node = resolve_entity(g, entity)
    rows = _dependency_rows(g, derive_dependencies(g, as_of), node, outward=False, transitive=transitive)
    return pd.DataFrame(rows, columns=DEPENDENCY_COLUMNS)


def dependencies(g: nx.MultiDiGraph, entity: str, *, as_of: str | None = None, transitive: bool = True) -> pd.DataFrame:
    """What ``entity`` depends on, directly and transitively (same columns as
    :func:`dependents`)."""
    _check(as_of)
    node = resolve_entity(g, entity)
    rows = _dependency_rows(g, derive_dependencies(g, as_of), node, outward=True, transitive=transitive)
    return pd.DataFrame(rows, columns=DEPENDENCY_COLUMNS)


def path(g: nx.MultiDiGraph, a: str, b: str, *, as_of: str | None = None) -> pd.DataFrame:
    """The shortest chain of facts between ``a`` and ``b``, one row per hop with the
    relation as stated (its direction), evidence and sources."""
    _check(as_of)
    start, end = resolve_entity(g, a), resolve_entity(g, b)
    rel = holding(g, as_of)
    undirected = nx.Graph()
    for s, o, k, data in rel.edges(keys=True, data=True):
        if s == o:
            continue
        best = undirected.get_edge_data(s, o)
        if best is None or data.get("confidence", 0) > best["confidence"]:
            undirected.add_edge(s, o, confidence=data.get("confidence", 0), edge=(s, o, k, data))
    columns = ["entity", "relation", "other", "hop", "status", "date", "evidence", "sources", "basis"]
    try:
        nodes = nx.shortest_path(undirected, start, end)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return pd.DataFrame(columns=columns)
    rows = []
    for i, (x, y) in enumerate(itertools.pairwise(nodes), 1):
        s, o, k, data = undirected[x][y]["edge"]
        rows.append({
            "entity": _label(g, s), "relation": data["predicate"], "other": _label(g, o), "hop": i,
            "status": data.get("status"), "date": data.get("date"), "evidence": _first(_sentences(data)),
            "sources": _sources(data), "basis": [k],
        })  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def exposure(g: nx.MultiDiGraph, entity: str, *, as_of: str | None = None) -> pd.DataFrame:
    """What each entity that depends on ``entity`` loses if it leaves the market or
    changes sides, ranked by the share of that entity's dependencies of that kind
    (by amount where every one has an amount, else by count)."""
    _check(as_of)
    node = resolve_entity(g, entity)
    d = derive_dependencies(g, as_of)
    rows = []
    for other, _, kind, data in d.in_edges(node, keys=True, data=True):
        if data["status"] == "ended" or other == node:
            continue
        same = [w for _, _, k, w in d.out_edges(other, keys=True, data=True) if k == kind and w["status"] != "ended"]
        weights = [w["weight"] for w in same]
        if kind != "supply" and all(w is not None for w in weights) and data["weight"] is not None:
            share = data["weight"] / sum(weights) if sum(weights) else 1.0
        else:
            share = 1.0 / len(same) if same else 1.0
        rows.append({
            "entity": _label(g, other), "kind": kind, "loses": _LOSES[kind], "status": data["status"],
            "weight": data["weight"], "unit": data["unit"], "share": round(share, 3),
            "alternatives": len(same) - 1, "evidence": _first(data["evidence"]),
            "sources": "; ".join(s for s in data["sources"] if s), "basis": data["basis"],
        })  # fmt: skip
    columns = ["entity", "kind", "loses", "status", "weight", "unit", "share", "alternatives", "evidence",
               "sources", "basis"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["share", "entity"], ascending=[False, True], ignore_index=True)


MEASURE = "betweenness centrality on the dependency graph (unweighted; amounts shown per kind, never added)"


def critical(g: nx.MultiDiGraph, *, as_of: str | None = None, top: int = 20) -> pd.DataFrame:
    """Entities ranked by how much of the market's dependency flows through them; what
    they provide is shown per kind (clients supplied, capital and revenue in USD M)."""
    _check(as_of)
    d = derive_dependencies(g, as_of)
    live = [(a, b, k, w) for a, b, k, w in d.edges(keys=True, data=True) if w["status"] != "ended" and a != b]
    simple = nx.DiGraph()
    simple.add_nodes_from(d.nodes)
    simple.add_edges_from((a, b) for a, b, _, _ in live)
    between = nx.betweenness_centrality(simple, normalized=True)

    def provided(n: str, kind: str) -> float | None:
        ws = [w["weight"] for a, b, k, w in live if b == n and k == kind and w["weight"] is not None]
        return round(sum(ws), 3) if ws else None

    rows = [{
        "entity": _label(g, n), "type": g.nodes[n].get("type") if n in g else "", "measure": MEASURE,
        "betweenness": round(between.get(n, 0.0), 4), "dependents": simple.in_degree(n),
        "clients": sum(1 for _, b, k, _ in live if b == n and k == "supply"),
        "capital_usd_m": provided(n, "capital"), "revenue_usd_m": provided(n, "revenue"),
    } for n in simple.nodes if simple.degree(n)]  # fmt: skip
    columns = ["entity", "type", "measure", "betweenness", "dependents", "clients", "capital_usd_m",
               "revenue_usd_m"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["betweenness", "dependents", "entity"], ascending=[False, False, True],
                             ignore_index=True).head(top)  # fmt: skip


def _history(data: dict, day: str | None) -> tuple[str, str]:
    """The status history of a fact as text, and its status as of ``day``."""
    steps = data.get("statuses") or [[data.get("date"), data.get("status")]]
    known = [(d, s) for d, s in steps if day is None or not d or d[:10] <= day or d.split("/")[0] <= day]
    text = " > ".join(f"{s} {d}" if d else s for d, s in known)
    return text, (known[-1][1] if known else data.get("status"))


def timeline(g: nx.MultiDiGraph, entity: str, *, as_of: str | None = None) -> pd.DataFrame:
    """Every fact of ``entity`` in date order (undated last), with its status history
    (planned > reported/completed > ended), as known at ``as_of``."""
    _check(as_of)
    day = as_of_day(as_of) if as_of else None
    node = resolve_entity(g, entity)
    rows = []
    for s, o, k, data in [*g.out_edges(node, keys=True, data=True), *g.in_edges(node, keys=True, data=True)]:
        first = data.get("first_reported") or data.get("date")
        if day is not None and first and first[:10] > day:
            continue  # not reported yet
        history, status = _history(data, day)
        rows.append({
            "entity": _label(g, s), "relation": data["predicate"], "other": _label(g, o), "date": data.get("date"),
            "status": status, "history": history, "articles": data.get("articles", 1),
            "evidence": _first(_sentences(data)), "sources": _sources(data), "basis": [k],
        })  # fmt: skip
    columns = ["entity", "relation", "other", "date", "status", "history", "articles", "evidence", "sources", "basis"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["_undated"] = frame["date"].isna()
    return (
        frame.sort_values(["_undated", "date", "entity", "relation"], ignore_index=True)
        .drop(columns="_undated")
        .drop_duplicates(subset=["date", "entity", "relation", "other"], ignore_index=True)
    )


def talent(g: nx.MultiDiGraph, *, as_of: str | None = None) -> pd.DataFrame:
    """People moving between organizations: from where they left or last led/worked/founded,
    to where they joined."""
    _check(as_of)
    rel = holding(g, as_of)
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
                e = e_to or e_from
                rows.append({
                    "entity": _label(g, person), "from": _label(g, frm) if frm else None,
                    "to": _label(g, to) if to else None, "date": e.get("date"),
                    "basis": "left" if left else (e_from["predicate"] if e_from else "joined"),
                    "evidence": _first(_sentences(e)), "sources": _sources(e),
                })  # fmt: skip
    frame = pd.DataFrame(rows, columns=["entity", "from", "to", "date", "basis", "evidence", "sources"])
    return frame.drop_duplicates(subset=["entity", "from", "to"], ignore_index=True)


def rivals(g: nx.MultiDiGraph, entity: str, *, as_of: str | None = None) -> pd.DataFrame:
    """The competitors of ``entity``, and the clients each shares with it: the entities a
    fact makes a client of both (as of ``as_of``: still, or possibly, a client of both), a
    relationship that had ended on either side marked ``(ended)``."""
    _check(as_of)
    node = resolve_entity(g, entity)
    rel = holding(g, as_of)
    day = as_of_day(as_of) if as_of else None

    def clients(n: str) -> dict[str, bool]:
        """Client -> whether that relationship had ended (as of ``day``; ever, without one)."""
        out: dict[str, bool] = {}
        for s, _, e in rel.in_edges(n, data=True):
            if e["predicate"] == "customer_of" and s != n:
                out[s] = out.get(s, True) and fact_state(e, day) == "no"
        return out

    def shared(other: str) -> str:
        theirs = clients(other)
        both = [(_label(g, c), mine[c] or theirs[c]) for c in mine.keys() & theirs.keys()]
        return ", ".join(f"{name} (ended)" if ended else name for name, ended in sorted(both))

    mine = clients(node)
    found: dict[str, dict] = {}
    for s, o, e in [*rel.out_edges(node, data=True), *rel.in_edges(node, data=True)]:
        if e["predicate"] != "competitor_of" or s == o:
            continue
        other = o if s == node else s
        found.setdefault(other, e)
    rows = [{
        "entity": _label(g, other), "rival_of": _label(g, node),
        "shared_clients": shared(other),
        "evidence": _first(_sentences(e)), "sources": _sources(e),
    } for other, e in sorted(found.items(), key=lambda kv: _label(g, kv[0]))]  # fmt: skip
    return pd.DataFrame(rows, columns=["entity", "rival_of", "shared_clients", "evidence", "sources"])
