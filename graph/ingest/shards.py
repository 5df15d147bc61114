"""Extraction split into shards, and shard files bulk-loaded into a store.

``labelgraph extract --shard i/N --format nquads --out DIR`` writes the article graphs
of every article whose key falls in shard ``i`` of ``N`` to one N-Quads file; any
machine can run any shard, and re-running a shard rewrites the same file.
``labelgraph load DIR…`` puts every article graph of the shard files into a store,
one atomic write per article, skipping articles already stored unchanged.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from extractors.records import Article, Relation
from graph.rdf.mapping import article_graph, entity_graph
from graph.storage.store import Store
from ontology import ENTITIES_GRAPH
from ontology.namespace import LG

__all__ = ["LoadReport", "load_shards", "parse_shard", "shard_of", "write_shard"]


def parse_shard(spec: str) -> tuple[int, int]:
    """``"2/8"`` -> ``(2, 8)``: shard 2 of 8, counted from 0.

    >>> parse_shard("0/4")
    (0, 4)
    """
    try:
        index, total = (int(part) for part in spec.split("/"))
    except ValueError:
        raise ValueError(f"--shard takes i/N with whole numbers, e.g. 0/4, not {spec!r}") from None
    if total < 1 or not 0 <= index < total:
        raise ValueError(f"--shard {spec}: i must be from 0 to N-1")
    return index, total


def shard_of(key: str, total: int) -> int:
    """The shard an article key belongs to (stable across machines and runs)."""
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:12], 16) % total


def to_nquads(graphs: Iterable[Graph]) -> str:
    """N-Quads text of the given named graphs."""
    dataset = Dataset()
    for g in graphs:
        target = dataset.graph(g.identifier)
        for triple in g:
            target.add(triple)
    return dataset.serialize(format="nquads")


def write_shard(results: Iterable[tuple[Article, list[Relation]]], path: Path) -> int:
    """Write the article graphs of ``results`` to ``path`` as N-Quads, atomically.
    Returns the number of articles written."""
    results = list(results)
    graphs = [article_graph(article, relations) for article, relations in results]
    graphs.append(entity_graph(r for _, relations in results for r in relations))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(to_nquads(graphs), encoding="utf-8")
    os.replace(tmp, path)
    return len(results)


@dataclass
class LoadReport:
    """What ``load_shards`` did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)


def graphs_from_nquads(text: str) -> list[Graph]:
    """The named graphs of an N-Quads text, each as its own rdflib Graph."""
    dataset = Dataset()
    dataset.parse(data=text, format="nquads")
    out = []
    for context in dataset.graphs():
        if context.identifier == dataset.default_context.identifier or not len(context):
            continue
        g = Graph(identifier=context.identifier)
        for triple in context:
            g.add(triple)
        out.append(g)
    return out


def _content_hash(g: Graph) -> str | None:
    value = g.value(URIRef(str(g.identifier)), LG.contentHash)
    return str(value) if value is not None else None


def load_graphs(store: Store, graphs: Iterable[Graph], report: LoadReport, source: str) -> None:
    """Put article graphs into ``store``, one atomic write each; entity descriptions are
    added to the shared entities graph."""
    for g in graphs:
        if str(g.identifier) == ENTITIES_GRAPH:
            store.add_to_graph(g)
            continue
        content_hash = _content_hash(g)
        if content_hash is None:
            report.problems.append(f"{source}: graph {g.identifier} has no lg:contentHash; not an article graph")
            continue
        outcome = store.put_article(g, content_hash)
        setattr(report, outcome, getattr(report, outcome) + 1)


def load_shards(store: Store, paths: Iterable[Path]) -> LoadReport:
    """Load every ``*.nq`` file under ``paths`` (files or folders) into ``store``."""
    report = LoadReport()
    files: list[Path] = []
    for p in paths:
        files += sorted(p.rglob("*.nq")) if p.is_dir() else [p]
    for f in files:
        try:
            graphs = graphs_from_nquads(f.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, SyntaxError) as e:
            report.problems.append(f"{f}: {e}")
            continue
        load_graphs(store, graphs, report, str(f))
    return report
