"""Interactive HTML pages of a graph, built with pyvis, that open offline and safely.

pyvis assembles the nodes, edges and vis-network options; the page itself comes from
our template (``templates/graph.html``) rather than pyvis's, because pyvis's pulls
Bootstrap and vis-network from CDNs and switches to ``innerHTML`` tooltips when a title
contains "href". Here:

- vis-network's script and style (shipped inside the pyvis package) are inlined, and a
  Content-Security-Policy forbids every network request and every script without the
  page's nonce (so an injected ``onerror=`` handler could not run either);
- article text reaches the page only as JSON with ``<``, ``>`` and ``&`` escaped, and
  is shown with ``textContent`` / vis-network's text tooltips, never as HTML;
- positions are computed with networkx, and physics is off above ``PHYSICS_MAX_NODES``
  nodes, so a large graph is drawn at once.
"""

from __future__ import annotations

import functools
import html
import json
import math
import re
import secrets
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path

import jinja2
import networkx as nx
import pyvis
from markupsafe import Markup
from pyvis.network import Network
from rdflib import URIRef

from graph.drawing.layout import place
from graph.drawing.view import View, centrality, day_after, interval
from graph.rdf.vocabulary import relation_table
from graph.sparql.query import QueryResult
from graph.storage.export import write_atomic

__all__ = [
    "PHYSICS_MAX_NODES",
    "ZOOM_LABELS",
    "graph_from_result",
    "notebook_html",
    "render_html",
    "show",
    "to_network",
    "write_html",
]

#: Above this many nodes edges are hidden while the view is dragged.
PHYSICS_MAX_NODES = 300
_VIS = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
#: From this zoom on, every edge shows its label (below it, only the hovered one).
ZOOM_LABELS = 1.6
_TOOLTIP_CHARS = 200
_DASHED = ("planned", "ended", "ending planned")
_SCRIPT_END = re.compile(r"</(script)", re.IGNORECASE)
_STYLE_END = re.compile(r"</(style)", re.IGNORECASE)
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@functools.cache
def style() -> dict:
    """Colours, shapes and legend labels (``style.json``)."""
    return json.loads((files(__package__) / "style.json").read_text(encoding="utf-8"))


@functools.cache
def _template() -> jinja2.Template:
    source = (files(__package__) / "templates" / "graph.html").read_text(encoding="utf-8")
    return jinja2.Environment(autoescape=True).from_string(source)


@functools.cache
def _vis_assets() -> tuple[str, str]:
    script = (_VIS / "vis-network.min.js").read_text(encoding="utf-8")
    css = (_VIS / "vis-network.css").read_text(encoding="utf-8")
    # Only "</script" and "</style" end the element early; anything else must stay as it is
    # (vis-network holds regular expressions such as /</).
    return _SCRIPT_END.sub(r"<\\/\1", script), _STYLE_END.sub(r"<\\/\1", css)


def _script_json(value: object) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``</script>``, no ``<!--``."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _JSON_ESCAPES.items():
        text = text.replace(char, escaped)
    return text


def _line(*parts: object) -> str:
    return " · ".join(str(p) for p in parts if p not in (None, ""))


def _evidence(data: Mapping) -> list[dict]:
    """Every evidence item of an edge as ``{sentence, title, article, date, status}``: a
    fact's ledger as it is, a mention's one sentence, a dependency's sentences."""
    items = data.get("evidence")
    if isinstance(items, str):  # a mention edge (``project``)
        items = [
            {
                "sentence": items,
                "title": data.get("title"),
                "article": data.get("article"),
                "date": data.get("date"),
                "status": data.get("status"),
            }
        ]
    out = []
    for item in items or []:
        if isinstance(item, Mapping):
            out.append(
                {
                    k: (None if item.get(k) is None else str(item.get(k)))
                    for k in ("sentence", "title", "article", "date", "status")
                }
            )
        elif item:
            out.append({"sentence": str(item), "title": None, "article": None, "date": None, "status": None})
    return out


def _mentions(data: Mapping, evidence: list[dict]) -> int:
    """How many sentences support an edge: a fact's count (its projection carries the first
    ones), else the evidence it carries."""
    count = data.get("mentions")
    return count if isinstance(count, int) and not isinstance(count, bool) else len(evidence)


def _money(amount: object) -> str | None:
    if not isinstance(amount, int | float) or not amount:
        return None
    return f"${amount / 1e9:,.1f}B" if amount >= 1e9 else f"${amount / 1e6:,.1f}M"


def _edge_text(data: Mapping, relation_label: str, evidence: list[dict]) -> str:
    """The tooltip of an edge, as plain text: what it is, how well supported, one sentence."""
    articles = data.get("articles")
    support = f"{articles} article{'s' * (articles != 1)}" if isinstance(articles, int) else None
    confidence = data.get("confidence")
    lines = [
        relation_label,
        _line(
            data.get("status"),
            _money(data.get("amount_usd")),
            support,
            f"confidence {confidence:.2f}" if isinstance(confidence, float) else None,
        ),
    ]
    if evidence and evidence[0]["sentence"]:
        sentence = evidence[0]["sentence"]
        lines.append(f"“{sentence[:_TOOLTIP_CHARS]}{'…' if len(sentence) > _TOOLTIP_CHARS else ''}”")
    total = _mentions(data, evidence)
    if total > len(evidence):
        lines.append(f"{total} evidence sentences: click the edge to read the first {len(evidence)}")
    elif len(evidence) > 1:
        lines.append(f"{len(evidence)} evidence sentences: click the edge to read them all")
    return "\n".join(line for line in lines if line)


def _node_text(g: nx.MultiDiGraph, node: str, type_label: str) -> str:
    """The tooltip of a node: name, type and how many facts, as plain text."""
    data = g.nodes[node]
    return "\n".join([str(data.get("label", node)), type_label, f"{g.degree(node)} facts · click for the evidence"])


def _timing(data: Mapping) -> dict:
    """When an edge holds, as days the page compares as strings: ``since`` (first day of
    its start, else of its first report), ``until`` (last day of its end) and the
    status ``history`` as ``[day, status, date as reported]``, one per change."""
    begun = interval(data.get("start") or data.get("valid_from") or data.get("first_reported") or data.get("date"))
    ended = interval(data.get("end") or data.get("valid_until"))
    since = begun[0] if begun else None
    dated = []
    for date, status in data.get("statuses") or []:
        day = interval(date)
        dated.append([day[0] if day else since, str(status), date])
    dated.sort(key=lambda h: h[0] or "")
    history = [h for i, h in enumerate(dated) if i == 0 or h[1] != dated[i - 1][1]]  # changes only
    return {"since": since, "until": ended[1] if ended else None, "history": history}


def _timeline(edges: list[dict]) -> list[str]:
    """The days on which what holds changes: starts, the day after each end, status changes."""
    days = set()
    for edge in edges:
        days.update(d for d in (edge["since"], *(h[0] for h in edge["history"])) if d)
        if edge["until"]:
            days.add(day_after(edge["until"]))
    return sorted(days)


def _curves(g: nx.MultiDiGraph) -> dict:
    """Edge key -> vis-network ``smooth`` option: parallel edges between two nodes bend
    apart, single ones stay straight."""
    between: dict[frozenset, list] = {}
    for s, o, key in g.edges(keys=True):
        between.setdefault(frozenset((s, o)), []).append(key)
    smooth: dict = {}
    for keys in between.values():
        for i, key in enumerate(keys):
            bend = 0.18 * (i - (len(keys) - 1) / 2)
            smooth[key] = {"enabled": True, "type": "curvedCW" if bend >= 0 else "curvedCCW", "roundness": abs(bend)}
            if len(keys) == 1 or bend == 0:
                smooth[key] = {"enabled": False}
    return smooth


def _width(data: Mapping, kind: str) -> float:
    """Line width: by the number of articles (a fact), by the weight (a dependency)."""
    if kind == "dependencies":
        return 1 + min(float(data.get("weight") or 1.0), 500.0) ** 0.25
    articles = data.get("articles")
    return round(1.5 + 1.6 * math.log2(articles), 2) if isinstance(articles, int) and articles > 1 else 1.5


def to_network(view: View, *, heading: str = "") -> Network:
    """The pyvis network of ``view``: nodes coloured and shaped by type, sized by
    centrality, placed so that none overlap (:func:`graph.drawing.layout.place`); one
    edge per fact (or mention, or dependency), as wide as it has articles, dashed when
    planned or ended, carrying its whole evidence ledger for the details panel."""
    g = view.graph
    types, relations, fallback = style()["types"], style()["relations"], style()["fallback"]
    symmetric = {name for name, term in relation_table().items() if term.symmetric}
    net = Network(height="100%", width="100%", directed=True, heading=heading, cdn_resources="in_line")
    score = centrality(g)
    top = max(score.values(), default=1.0) or 1.0
    sizes = {n: round(10 + 25 * score.get(n, 0.0) / top, 2) for n in g.nodes}
    labels = {n: str(d.get("label", n)) for n, d in g.nodes(data=True)}
    pos = place(g, sizes, labels)
    for node, data in g.nodes(data=True):
        kind = str(data.get("type", "Organization"))
        look = types.get(kind, fallback)
        x, y = pos.get(node, (0.0, 0.0))
        net.add_node(
            node,
            label=labels[node],
            title=_node_text(g, node, look.get("label", kind)),
            color=look["color"],
            shape=look["shape"],
            size=sizes[node],
            x=x,
            y=y,
            typeLabel=look.get("label", kind),
        )
    smooth = _curves(g)
    for s, o, key, data in g.edges(keys=True, data=True):
        relation = str(data.get("kind") or data.get("predicate") or "related")
        look = relations.get(relation, {"label": relation.replace("_", " "), **fallback})
        evidence = _evidence(data)
        confidence = data.get("confidence")
        net.add_edge(
            s,
            o,
            id=str(key) if view.kind == "relations" else f"{s}|{o}|{key}",
            title=_edge_text(data, look["label"], evidence),
            relationLabel=look["label"],
            color=look["color"],
            relation=relation,
            status=str(data.get("status") or ""),
            dashes=data.get("status") in _DASHED,
            width=_width(data, view.kind),
            smooth=smooth[key],
            arrows={"to": {"enabled": relation not in symmetric, "scaleFactor": 0.5}},
            articles=data.get("articles") if isinstance(data.get("articles"), int) else None,
            confidence=float(confidence) if isinstance(confidence, int | float) else None,
            amount=_money(data.get("amount_usd")),
            start=data.get("start") or data.get("valid_from"),
            end=data.get("end") or data.get("valid_until"),
            conflicting=bool(data.get("conflicting")),
            sources=[str(x) for x in data.get("sources") or []],
            evidence=evidence,
            mentions=_mentions(data, evidence),
            **_timing(data),
        )
    frozen = g.number_of_nodes() > PHYSICS_MAX_NODES
    net.set_options(
        json.dumps(
            {
                "physics": {"enabled": False},  # the positions are final: moving them would bring overlaps back
                "layout": {"improvedLayout": False},
                "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": frozen},
                "edges": {
                    "smooth": False,
                    "font": {"size": 11, "align": "middle", "strokeWidth": 3, "strokeColor": "#ffffff"},
                },
                "nodes": {"font": {"size": 14, "strokeWidth": 4, "strokeColor": "#ffffff"}},
            }
        )
    )
    return net


def _legend(view: View) -> tuple[list[dict], list[dict]]:
    types, relations = style()["types"], style()["relations"]
    used_types = {str(d.get("type", "Organization")) for _, d in view.graph.nodes(data=True)}
    used_relations = {str(d.get("kind") or d.get("predicate") or "related") for *_, d in view.graph.edges(data=True)}
    node_items = [{"label": v["label"], "color": v["color"]} for k, v in types.items() if k in used_types]
    fallback = style()["fallback"]
    edge_items = [
        {"relation": k, "label": relations.get(k, {}).get("label", k), "color": relations.get(k, fallback)["color"]}
        for k in sorted(used_relations)
    ]
    return node_items, edge_items


def render_html(view: View | nx.MultiDiGraph, *, title: str = "labelgraph") -> str:
    """The whole page, self-contained: open it from disk, offline, in any browser.

    Parameters
    ----------
    view : View or nx.MultiDiGraph
        What to draw (a bare graph is drawn as relations, as it is).
    title : str
        The page title and heading (shown as text).
    """
    if not isinstance(view, View):
        view = View(view)
    net = to_network(view, heading=title)
    nodes, edges, _, _, _, options = net.get_network_data()
    script, css = _vis_assets()
    node_items, edge_items = _legend(view)
    note = f"{view.dropped} less central nodes left out" if view.dropped else ""
    return _template().render(
        title=title,
        nonce=secrets.token_urlsafe(16),
        vis_css=Markup(css),
        vis_js=Markup(script),
        data=Markup(
            _script_json(
                {
                    "nodes": nodes,
                    "edges": edges,
                    "options": json.loads(options),
                    "kind": view.kind,
                    "dates": _timeline(edges),
                    "zoomLabels": ZOOM_LABELS,
                }
            )
        ),
        node_items=node_items,
        edge_items=edge_items,
        counts=f"{len(nodes)} nodes · {len(edges)} edges",
        note=note,
    )


def write_html(view: View | nx.MultiDiGraph, path: str | Path, *, title: str = "labelgraph") -> Path:
    """Write the page to ``path`` atomically (temp file, then rename), readable as the
    umask allows."""
    page = render_html(view, title=title)
    return write_atomic(Path(path), lambda tmp: Path(tmp).write_text(page, encoding="utf-8"))


def notebook_html(view: View | nx.MultiDiGraph, *, title: str = "labelgraph", height: int = 600) -> str:
    """The page inside an ``<iframe srcdoc>``, for inline display in Jupyter: its
    scripts run in their own document, isolated from the notebook's."""
    page = render_html(view, title=title)
    return (
        f'<iframe srcdoc="{html.escape(page, quote=True)}" style="width:100%;height:{int(height)}px;border:0" '
        'sandbox="allow-scripts"></iframe>'
    )


def show(view: View | nx.MultiDiGraph, *, title: str = "labelgraph", height: int = 600):
    """Display the interactive graph inline in a notebook (an ``IPython.display.HTML``)."""
    from IPython.display import HTML

    return HTML(notebook_html(view, title=title, height=height))


def _local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def graph_from_result(
    result: QueryResult,
    *,
    source: str = "s",
    target: str = "o",
    relation: str | None = "p",
    labels: Mapping[str, str] | None = None,
) -> nx.MultiDiGraph:
    """A drawable graph from a SPARQL answer.

    A CONSTRUCT answer gives one edge per triple whose object is an IRI; a SELECT
    answer one edge per row, from column ``source`` to column ``target``, named by
    column ``relation`` when the query projects it. ``labels`` maps IRIs to names
    (otherwise the IRI's last segment is shown).
    """
    labels = labels or {}
    g = nx.MultiDiGraph()

    def add(s: str, p: str, o: str, i: int) -> None:
        for n in (s, o):
            if n not in g:
                g.add_node(n, label=labels.get(n, _local_name(n)), type="Organization")
        g.add_edge(s, o, key=f"r{i}", predicate=_local_name(p), evidence=None)

    if result.kind == "CONSTRUCT" and result.graph is not None:
        for i, (s, p, o) in enumerate(result.graph):
            if isinstance(o, URIRef):
                add(str(s), str(p), str(o), i)
        return g
    if result.kind != "SELECT":
        raise ValueError("only a SELECT or CONSTRUCT answer can be drawn")
    if source not in result.variables or target not in result.variables:
        raise ValueError(f"the query must project ?{source} and ?{target}")
    si, ti = result.variables.index(source), result.variables.index(target)
    ri = result.variables.index(relation) if relation in result.variables else None
    for i, row in enumerate(result.rows):
        if row[si] is not None and row[ti] is not None:
            add(str(row[si]), str(row[ri]) if ri is not None and row[ri] is not None else "related", str(row[ti]), i)
    return g
