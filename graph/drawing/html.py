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
import itertools
import json
import os
import re
import secrets
import tempfile
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path

import jinja2
import networkx as nx
import pyvis
from markupsafe import Markup
from pyvis.network import Network
from rdflib import URIRef

from graph.drawing.layout import positions
from graph.drawing.view import View, centrality
from graph.sparql.query import QueryResult

__all__ = [
    "PHYSICS_MAX_NODES",
    "graph_from_result",
    "notebook_html",
    "render_html",
    "show",
    "to_network",
    "write_html",
]

#: Above this many nodes the layout is frozen (physics off).
PHYSICS_MAX_NODES = 300
_VIS = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
_MAX_EVIDENCE = 5
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


def _edge_text(data: Mapping, relation_label: str) -> str:
    """The tooltip of an edge, as plain text."""
    lines = [relation_label]
    if "kind" in data:  # a dependency
        lines.append(_line(data.get("status"), f"from {data['valid_from']}" if data.get("valid_from") else None,
                           f"until {data['valid_until']}" if data.get("valid_until") else None))  # fmt: skip
        evidence = [e for e in data.get("evidence") or [] if e]
        lines += [f"“{e}”" for e in evidence[:_MAX_EVIDENCE]]
        if len(evidence) > _MAX_EVIDENCE:
            lines.append(f"… and {len(evidence) - _MAX_EVIDENCE} more")
        if data.get("sources"):
            lines.append("Sources: " + "; ".join(str(s) for s in data["sources"]))
        return "\n".join(line for line in lines if line)
    confidence = data.get("confidence")
    lines.append(_line(data.get("status"), data.get("date"),
                       f"confidence {confidence:.2f}" if isinstance(confidence, float) else None))  # fmt: skip
    if data.get("evidence"):
        lines.append(f"“{data['evidence']}”")
    if data.get("title") or data.get("article"):
        lines.append("Source: " + str(data.get("title") or data.get("article")))
    return "\n".join(line for line in lines if line)


def _node_text(g: nx.MultiDiGraph, node: str, type_label: str) -> str:
    """The tooltip of a node: name, type and its relations, as plain text."""
    data = g.nodes[node]
    lines = [str(data.get("label", node)), type_label, f"{g.degree(node)} relations"]
    edges = itertools.chain(g.out_edges(node, data=True), g.in_edges(node, data=True))
    sources = sorted({str(d.get("title") or d.get("article")) for *_, d in edges if d.get("title") or d.get("article")})
    if sources:
        lines.append("Articles: " + "; ".join(sources[:_MAX_EVIDENCE]) + (" …" if len(sources) > _MAX_EVIDENCE else ""))
    return "\n".join(lines)


def _layout(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Positions in pixels, spread with the number of nodes."""
    scale = 250 + 40 * g.number_of_nodes() ** 0.5
    return {n: (x * scale, y * scale) for n, (x, y) in positions(g).items()}


def to_network(view: View, *, heading: str = "") -> Network:
    """The pyvis network of ``view``: nodes coloured and shaped by type, sized by
    centrality, placed by networkx; one edge per relation event (or dependency)."""
    g = view.graph
    types, relations, fallback = style()["types"], style()["relations"], style()["fallback"]
    net = Network(height="100%", width="100%", directed=True, heading=heading, cdn_resources="in_line")
    score = centrality(g)
    top = max(score.values(), default=1.0) or 1.0
    pos = _layout(g)
    frozen = g.number_of_nodes() > PHYSICS_MAX_NODES
    for node, data in g.nodes(data=True):
        kind = str(data.get("type", "Organization"))
        look = types.get(kind, fallback)
        x, y = pos.get(node, (0.0, 0.0))
        net.add_node(
            node,
            label=str(data.get("label", node)),
            title=_node_text(g, node, look.get("label", kind)),
            color=look["color"],
            shape=look["shape"],
            size=10 + 25 * score.get(node, 0.0) / top,
            x=x,
            y=y,
        )
    for s, o, key, data in g.edges(keys=True, data=True):
        relation = str(data.get("kind") or data.get("predicate") or "related")
        look = relations.get(relation, {"label": relation.replace("_", " "), **fallback})
        net.add_edge(
            s,
            o,
            id=str(key) if view.kind == "relations" else f"{s}|{o}|{key}",
            label=look["label"],
            title=_edge_text(data, look["label"]),
            color=look["color"],
            relation=relation,
            dashes=data.get("status") in ("planned", "ended", "ending planned"),
            width=1 + min(float(data.get("weight") or 1.0), 500.0) ** 0.25 if view.kind == "dependencies" else 1.5,
        )
    net.set_options(
        json.dumps(
            {
                "physics": {"enabled": not frozen, "stabilization": {"iterations": 150}},
                "layout": {"improvedLayout": False},
                "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": frozen},
                "edges": {
                    "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                    "smooth": not frozen,
                    "font": {"size": 10, "align": "middle"},
                },
                "nodes": {"font": {"size": 14}},
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
        data=Markup(_script_json({"nodes": nodes, "edges": edges, "options": json.loads(options), "kind": view.kind})),
        node_items=node_items,
        edge_items=edge_items,
        counts=f"{len(nodes)} nodes · {len(edges)} edges",
        note=note,
    )


def write_html(view: View | nx.MultiDiGraph, path: str | Path, *, title: str = "labelgraph") -> Path:
    """Write the page to ``path`` atomically (temp file, then rename)."""
    path = Path(path)
    page = render_html(view, title=title)
    fd, tmp = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(page)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


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
