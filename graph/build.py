"""Build or update a store from article files: read -> extract -> map to RDF -> store.

:func:`build` is what ``labelgraph build`` runs; a notebook or a test can call it
directly. Unchanged articles (same content hash as stored) are not parsed again.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from rdflib import Graph, URIRef

from extractors.reader import read_paths
from extractors.records import Article, Relation, Skipped
from graph.dependency import write_dependencies
from graph.rdf import article_graph, entity_graph
from graph.stats import store_stats
from graph.store import Store
from graph.vocabulary import article_iri
from ontology import CATALOGUE, GRAPH_NS, ONTOLOGY

__all__ = ["BuildReport", "build", "bundled_corpus", "load_reference_graphs"]

#: Named graphs holding the vocabulary and the entity catalogue inside the store.
ONTOLOGY_GRAPH = URIRef(GRAPH_NS + "ontology")
CATALOGUE_GRAPH = URIRef(GRAPH_NS + "catalogue")


def bundled_corpus() -> Path:
    """The sample articles shipped inside the package."""
    return Path(str(files("extractors.corpus")))


@dataclass
class BuildReport:
    """What one build did."""

    store: Path
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    relations: Counter = field(default_factory=Counter)
    dependencies: int | None = None
    stats: object | None = None
    seconds: float = 0.0

    @property
    def articles(self) -> int:
        return self.added + self.replaced + self.unchanged


def load_reference_graphs(store: Store) -> None:
    """Store the ontology and the entity catalogue in their own named graphs."""
    for name, source in ((ONTOLOGY_GRAPH, ONTOLOGY), (CATALOGUE_GRAPH, CATALOGUE)):
        graph = Graph(identifier=name)
        graph.parse(source=str(source), format="turtle")
        store.put_graph(graph)


def _filtered(relations: Iterable[Relation], min_confidence: float) -> list[Relation]:
    return [r for r in relations if r.confidence >= min_confidence]


def build(
    paths: Iterable[Path],
    store_path: Path,
    *,
    min_confidence: float = 0.0,
    jobs: int = 1,
    on_article: Callable[[str], None] | None = None,
) -> BuildReport:
    """Read, extract and store every article under ``paths`` into the store at ``store_path``.

    Each article is written atomically in its own named graph; one that cannot be
    read is reported in ``BuildReport.skipped`` and the others are still stored.
    ``jobs`` parses over that many processes (``nlp.pipe(n_process=jobs)``);
    ``on_article`` is called with each article's source (for progress display).
    """
    from extractors.pipeline import extract_articles  # spaCy only when a build runs

    started = time.perf_counter()
    report = BuildReport(store=Path(store_path))
    with Store(store_path) as store:
        load_reference_graphs(store)
        stored = store.article_hashes()
        todo: list[Article] = []
        for item in read_paths(paths):
            if isinstance(item, Skipped):
                report.skipped.append(item)
                continue
            report.warnings += [f"{item.source}: {w}" for w in item.warnings]
            if stored.get(str(article_iri(item.key))) == item.content_hash:
                report.unchanged += 1
                if on_article:
                    on_article(item.source)
                continue
            todo.append(item)
        for article, relations in extract_articles(todo, n_process=jobs):
            kept = _filtered(relations, min_confidence)
            outcome = store.put_article(article_graph(article, kept), article.content_hash, entity_graph(kept))
            if outcome == "replaced":
                report.replaced += 1
            elif outcome == "added":
                report.added += 1
            else:
                report.unchanged += 1
            report.relations.update(r.predicate for r in kept)
            if on_article:
                on_article(article.source)
        if todo or report.replaced:
            report.dependencies = write_dependencies(store)
        report.stats = store_stats(store)
    report.seconds = time.perf_counter() - started
    return report
