"""The dependency model: who depends on whom, derived from the facts.

- a client depends on its vendor for **supply** (``customer_of``), weighted by the
  number of client facts (a count, never dollars);
- a vendor depends on its client for **revenue** (``customer_of``), weighted by the
  stated amount in USD millions where the articles give one (else no weight);
- an investee depends on its investor for **capital** (``invested_in``), weighted by the
  sum of the distinct deals' amounts in USD millions;
- a relationship that ended (its fact's end, or an ``ended_relationship_with`` fact
  that is not merely planned) ends the supply and revenue dependencies at its end date;
  a planned ending is kept and flagged.

Dates are intervals (``graph.facts.time``): as of a day D a dependency holds when its
fact started on or before D and had not ended before D; a start or end whose interval
contains D makes it ``uncertain``. No entity depends on itself. Each derived edge records
its ``basis``: the facts it rests on.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> _ = g.add_edge("lab", "vendor", key="f1", predicate="customer_of", start="2025-01", end="2025-06",
...            status="ended", amount_usd=2e8, evidence=[], articles=1)
>>> d = derive_dependencies(g)
>>> sorted((a, b, k, v["valid_until"]) for a, b, k, v in d.edges(keys=True, data=True))
[('lab', 'vendor', 'supply', '2025-06'), ('vendor', 'lab', 'revenue', '2025-06')]
>>> d["vendor"]["lab"]["revenue"]["weight"], d["vendor"]["lab"]["revenue"]["unit"]
(200.0, 'USD M')
>>> derive_dependencies(g, as_of="2025-07-01").number_of_edges()
0
>>> derive_dependencies(g, as_of="2025-06-10")["lab"]["vendor"]["supply"]["status"]
'uncertain (may have ended)'
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

import networkx as nx
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import XSD

from graph.facts.time import Interval, as_of_day, holds, interval, show
from ontology import GRAPH_NS
from ontology.namespace import LG

__all__ = [
    "DERIVED_GRAPH",
    "UNITS",
    "after",
    "dependency_graph_rdf",
    "derive_dependencies",
    "fact_state",
    "holding",
    "write_dependencies",
]

DERIVED_GRAPH = URIRef(GRAPH_NS + "derived")
#: What each kind's weight counts: never added across kinds.
UNITS = {"supply": "facts", "revenue": "USD M", "capital": "USD M"}


def after(date: str | None, as_of: str | None) -> bool:
    """True when ``date`` (an ISO prefix) begins after ``as_of``.

    >>> after("2025-07", "2025-06-30"), after("2025", "2025-06-30"), after(None, "2025")
    (True, False, False)
    """
    if not date or not as_of:
        return False
    n = min(len(date), len(as_of))
    return date[:n] > as_of[:n]


def _is_mention(data: dict) -> bool:
    """An edge of :func:`graph.analytics.project.project` (one sentence), not a fact."""
    return "start" not in data and "end" not in data


#: The end of something reported ended without any date: it may have ended on any day.
UNKNOWN_END = Interval("0000-01-01", "9999-12-31")


def _span(data: dict) -> tuple[Interval | None, Interval | None]:
    """The start and end intervals of a fact edge (or of a mention edge, by its date)."""
    if _is_mention(data):
        when = interval(data.get("date"))
        if data.get("status") == "ended":
            return None, when or UNKNOWN_END
        return (None if data.get("status") == "planned" else when), None
    start, end = interval(data.get("start")), interval(data.get("end"))
    if start is None and end is None:  # an undated fact is known from its first report
        start = interval(data.get("first_reported") or data.get("date"))
    if end is None and data.get("status") == "ended":
        end = UNKNOWN_END
    return start, end


def fact_state(data: dict, day: str | None) -> str:
    """``"yes"``, ``"no"`` or ``"uncertain"``: whether a fact edge held on ``day``
    (``"yes"`` for every fact not ended when ``day`` is None)."""
    start, end = _span(data)
    if day is None:
        return "no" if end is not None else "yes"
    return holds(start, end, day)


def _earliest(ends: list[Interval]) -> Interval | None:
    dated = [e for e in ends if e != UNKNOWN_END]
    return min(dated) if dated else (UNKNOWN_END if ends else None)


def holding(g: nx.MultiDiGraph, as_of: str | None) -> nx.MultiDiGraph:
    """The fact edges that held (or may have held) as of ``as_of``; all when None."""
    day = as_of_day(as_of) if as_of else None
    out = nx.MultiDiGraph()
    out.add_nodes_from(g.nodes(data=True))
    for s, o, key, data in g.edges(keys=True, data=True):
        if day is None or fact_state(data, day) != "no":
            out.add_edge(s, o, key=key, **data)
    return out


def _evidence(data: dict) -> list[str]:
    ev = data.get("evidence")
    if isinstance(ev, list):
        return [e["sentence"] if isinstance(e, dict) else str(e) for e in ev]
    return [ev] if ev else []


def _sources(data: dict) -> list[str]:
    ev = data.get("evidence")
    if isinstance(ev, list):
        return [e.get("title") or e.get("article") for e in ev if isinstance(e, dict)]
    return [data.get("title") or data.get("article") or ""]


def _weight(kind: str, facts: list[dict]) -> float | None:
    if kind == "supply":
        return float(len(facts))
    known = [f["amount_usd"] for f in facts if f.get("amount_usd")]
    if not known:
        return None
    return round((sum(known) if kind == "capital" else max(known)) / 1e6, 3)


def _collect(g: nx.MultiDiGraph):
    pairs: dict[tuple[str, str, str], list[tuple[str, dict]]] = {}
    endings: dict[tuple[str, str], list[tuple[str, dict]]] = {}
    for s, o, key, data in g.edges(keys=True, data=True):
        if s == o:
            continue  # no entity depends on itself
        predicate = data.get("predicate")
        if predicate == "customer_of":
            pairs.setdefault((s, o, "supply"), []).append((key, data))
            pairs.setdefault((o, s, "revenue"), []).append((key, data))
        elif predicate == "invested_in":
            pairs.setdefault((o, s, "capital"), []).append((key, data))
        elif predicate == "ended_relationship_with":
            endings.setdefault((s, o), []).append((key, data))
            pairs.setdefault((s, o, "supply"), [])
            pairs.setdefault((o, s, "revenue"), [])
    return pairs, endings


def _state(basis, done, planned, day: str | None) -> tuple[str, Interval | None, Interval | None]:
    """The status of one dependency as of ``day`` (None: all known), its start and end."""
    starts = [st for st in (_span(d)[0] for _, d in basis) if st]
    ends = [en for en in (_span(d)[1] for _, d in basis) if en]
    ends += [_span(d)[1] or interval(d.get("date")) or UNKNOWN_END for _, d in done]
    start = min(starts) if starts else None
    end = _earliest(ends)
    if basis and not ends and all(d.get("status") == "planned" for _, d in basis):
        state, status = ("yes" if day is None else holds(start, None, day)), "planned"
    else:
        state = ("no" if end is not None else "yes") if day is None else holds(start, end, day)
        status = "active"
    if state == "no":
        return ("ended" if end is not None else "no"), start, end
    if state == "uncertain":
        may = "may have ended" if end is not None and end.lo <= day else "may not have started"
        return f"uncertain ({may})", start, end
    soon = [d for _, d in [*planned, *done] if _status_on(d, day) == "planned"]
    return ("ending planned" if soon and status == "active" else status), start, end


def _status_on(data: dict, day: str | None) -> str | None:
    """The status a fact had as of ``day`` by its status history (None: not reported yet)."""
    steps = data.get("statuses")
    if not steps:
        return data.get("status") if day is None or not after(data.get("date"), day) else None
    if day is None:
        return steps[-1][1]
    known = [status for date, status in steps if not date or date.split("/")[0] <= day]
    return known[-1] if known else None


def derive_dependencies(g: nx.MultiDiGraph, as_of: str | None = None) -> nx.MultiDiGraph:
    """Dependency edges (A → B: A depends on B), keyed by kind, as the market stood at
    ``as_of`` (everything known, ended ones included, when None)."""
    day = as_of_day(as_of) if as_of else None
    pairs, endings = _collect(g)
    d = nx.MultiDiGraph()
    d.add_nodes_from(g.nodes(data=True))
    for (a, b, kind), basis in pairs.items():
        client, vendor = (a, b) if kind == "supply" else (b, a)
        ending = endings.get((client, vendor), []) if kind != "capital" else []
        done = [(k, e) for k, e in ending if e.get("status") == "ended"]
        planned = [(k, e) for k, e in ending if e.get("status") != "ended"]
        status, start, end = _state(basis, done, planned, day)
        if status in ("no",) or (day is not None and status == "ended"):
            continue
        used = basis + done + planned
        d.add_edge(
            a,
            b,
            key=kind,
            kind=kind,
            weight=_weight(kind, [e for _, e in basis]),
            unit=UNITS[kind],
            basis=[k for k, _ in used],
            evidence=[s for _, e in used for s in _evidence(e)],
            sources=sorted({s for _, e in used for s in _sources(e) if s}),
            articles=sum(int(e.get("articles") or 1) for _, e in basis),
            valid_from=show(start),
            valid_until=("unknown" if end == UNKNOWN_END else show(end)) if end is not None else None,
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
        if data["weight"] is not None:
            out.add((node, LG.weight, Literal(Decimal(str(data["weight"])), datatype=XSD.decimal)))
        for fact in data["basis"]:
            out.add((node, LG.basis, URIRef(fact)))
        if data.get("valid_from"):  # an interval's first day: the ISO prefix the shapes ask for
            out.add((node, LG.validFrom, Literal(data["valid_from"].split("/")[0])))
        if data.get("valid_until") and data["valid_until"] != "unknown":
            out.add((node, LG.validUntil, Literal(data["valid_until"].split("/")[0])))
    return out


def write_dependencies(store, projection: nx.MultiDiGraph | None = None) -> int:
    """Derive the dependencies of the stored facts (``projection``: their projection, when
    the caller has it) and store them in ``graph/derived``; return the number of
    dependency edges."""
    from graph.analytics.project import project_facts

    d = derive_dependencies(project_facts(store.dataset) if projection is None else projection)
    store.put_graph(dependency_graph_rdf(d))
    return d.number_of_edges()
