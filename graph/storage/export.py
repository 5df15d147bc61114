"""Write the store, or the fact graph, to one file, atomically (temp file, then rename).

RDF goes out as Turtle, TriG, N-Quads or JSON-LD (Turtle and TriG with the project's
prefixes bound, so ``lg:investedIn`` rather than the full IRI); the fact graph as GraphML
or GEXF for Gephi and yEd. Every file is readable as the umask allows (``mkstemp`` alone
would leave it 0600).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import Dataset

from graph.storage.store import Store
from ontology import ARTICLE_NS, ENTITY_NS, EVENT_NS, GRAPH_NS, LG_NS

__all__ = ["FORMATS", "GRAPH_FORMATS", "PREFIXES", "export", "export_graph", "flat_graph", "write_atomic"]

FORMATS = ("ttl", "trig", "nquads", "jsonld")
GRAPH_FORMATS = ("graphml", "gexf")
#: Prefixes bound in Turtle and TriG output.
PREFIXES = {
    "lg": LG_NS,
    "id": ENTITY_NS,
    "ev": EVENT_NS,
    "art": ARTICLE_NS,
    "fact": "https://w3id.org/labelgraph/fact/",
    "lgg": GRAPH_NS,
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}
_EVIDENCE_SEPARATOR = " | "


def _umask() -> int:
    """The process umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, write: Callable[[str], None]) -> Path:
    """Call ``write(tmp)`` on a temp file beside ``path``, make it readable as the umask
    allows (0o666 & ~umask), then rename it over ``path``; nothing is left on failure."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def export(store: Store, path: Path, fmt: str) -> int:
    """Write the store to ``path`` as ``fmt``; return the number of statements written.

    ``ttl`` is the union of all graphs as one graph; the other formats keep each
    article's named graph.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    count = 0

    def write(tmp: str) -> None:
        nonlocal count
        if fmt == "ttl":
            triples = list(store.ox.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True))
            ox.serialize(triples, tmp, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
            count = len(triples)
        elif fmt == "trig":
            quads = [q for q in store.ox if not isinstance(q.graph_name, ox.DefaultGraph)]
            ox.serialize(quads, tmp, ox.RdfFormat.TRIG, prefixes=PREFIXES)
            count = len(quads)
        elif fmt == "nquads":
            quads = [q for q in store.ox if not isinstance(q.graph_name, ox.DefaultGraph)]
            ox.serialize(quads, tmp, ox.RdfFormat.N_QUADS)
            count = len(quads)
        else:
            dataset = Dataset()
            for quad in store.dataset.quads((None, None, None, None)):
                dataset.add(quad)
                count += 1
            dataset.serialize(destination=tmp, format="json-ld")

    write_atomic(path, write)
    return count


def _scalar(value: object) -> str | int | float | bool | None:
    """A value GraphML and GEXF can hold: lists become one string, None stays None."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return "; ".join(" ".join("undated" if x is None else str(x) for x in v) if isinstance(v, list | tuple)
                         else str(v) for v in value)  # fmt: skip
    return str(value)


def _flat_edge(data: Mapping) -> dict:
    """One fact's attributes as scalars: the evidence sentences joined, and counted."""
    out: dict = {}
    for name, value in data.items():
        if name == "evidence":
            items = value if isinstance(value, list) else [value] if value else []
            sentences = [str(e.get("sentence", "")) if isinstance(e, Mapping) else str(e) for e in items]
            out["evidence"] = _EVIDENCE_SEPARATOR.join(s for s in sentences if s)
            out["evidence_count"] = len(sentences)
            continue
        flat = _scalar(value)
        if flat is not None:  # the writers cannot write None; a missing key says it
            out[name] = flat
    return out


def flat_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``g`` whose node and edge attributes are all scalars (strings, numbers,
    booleans); edges keep their keys (the fact IRIs) and get a ``label`` (the relation)."""
    out = nx.MultiDiGraph()
    for node, data in g.nodes(data=True):
        attrs = {k: v for k, v in ((k, _scalar(v)) for k, v in data.items()) if v is not None}
        attrs.setdefault("label", str(node).rsplit("/", 1)[-1])
        out.add_node(node, **attrs)
    for s, o, key, data in g.edges(keys=True, data=True):
        attrs = _flat_edge(data)
        attrs.setdefault("label", str(data.get("predicate", "related")).replace("_", " "))
        out.add_edge(s, o, key=str(key), **attrs)
    return out


def export_graph(g: nx.MultiDiGraph, path: Path, fmt: str) -> tuple[int, int]:
    """Write the fact graph ``g`` to ``path`` as GraphML or GEXF; return (nodes, edges)."""
    if fmt not in GRAPH_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(GRAPH_FORMATS)}")
    flat = flat_graph(g)
    if fmt == "graphml":
        write_atomic(path, lambda tmp: nx.write_graphml(flat, tmp, named_key_ids=True))
    else:
        for *_, key, data in flat.edges(keys=True, data=True):
            data["id"] = key  # GEXF's edge id (the writer numbers edges otherwise)
        write_atomic(path, lambda tmp: nx.write_gexf(flat, tmp))
    return flat.number_of_nodes(), flat.number_of_edges()
