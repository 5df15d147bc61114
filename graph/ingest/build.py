"""Build or update a store from article files: read -> extract -> map to RDF -> store.

:func:`build` is what ``labelgraph build`` runs; a notebook or a test can call it
directly. Unchanged articles (same content hash as stored) are not parsed again.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from rdflib import Graph, URIRef

from extractors.reader import read_paths
from extractors.records import Article, Skipped
from graph.analytics.dependency import write_dependencies
from graph.analytics.project import project_edges, project_facts
from graph.analytics.saved import write_projection
from graph.errors import StoreError
from graph.facts.update import article_groups, facts_missing, rebuild_facts, update_facts
from graph.ingest.workers import Mapped, Workers, extract_each, reason, where, write_mapped
from graph.rdf.vocabulary import article_iri
from graph.storage.stats import stats_at, store_stats
from graph.storage.store import Store, settle
from ontology import CATALOGUE, GRAPH_NS, ONTOLOGY

__all__ = ["BuildReport", "build", "bundled_corpus", "extract_each", "load_reference_graphs", "where"]

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
    facts: int | None = None
    fact_seconds: float = 0.0
    stats: object | None = None
    seconds: float = 0.0

    @property
    def articles(self) -> int:
        return self.added + self.replaced + self.unchanged


#: Articles written between two flushes of the store's write buffers (a 2,000-article build
#: peaks at 290 MB with it, 490 MB without, and writes faster).
FLUSH_EVERY = 200
#: Articles written between two renewals of the store's handle (:meth:`Store.renew`): what
#: RocksDB caches for the writes' reads is let go (a 10,000-article build peaks 27 MB lower).
RENEW_EVERY = 1000


def load_reference_graphs(store: Store) -> None:
    """Store the ontology and the entity catalogue in their own named graphs."""
    for name, source in ((ONTOLOGY_GRAPH, ONTOLOGY), (CATALOGUE_GRAPH, CATALOGUE)):
        graph = Graph(identifier=name)
        graph.parse(source=str(source), format="turtle")
        store.put_graph(graph)


def _write_facts(
    store: Store, touched: set[str], workers: Workers | None = None, every: Counter | None = None
) -> tuple[int | None, list | None]:
    """Re-derive the facts of the groups the changed articles touch (all of them for a
    store built before facts existed, in the ``workers`` when they run; ``every``: the
    mentions of each group of the store, when this build wrote them all): the number of
    facts written (None when none) and, when all were derived, their projection edges
    (:func:`graph.analytics.project.fact_edge`; None otherwise)."""
    if facts_missing(store):
        edges: list = []
        ordered = workers.ordered if workers is not None and workers.started else None
        return rebuild_facts(store, ordered, edges, every), edges
    return (len(update_facts(store, touched)) if touched else None), None


def _stats(store: Store, workers: Workers) -> object:
    """The store's counts (:func:`graph.storage.stats.store_stats`): read by a worker from a
    checkpoint when they run, else here."""
    if workers.started:
        with store.checkpoint() as copy:
            if copy is not None:
                with contextlib.suppress(Exception):  # the copy unreadable over there, ...: counted here
                    return next(workers.ordered(stats_at, [(str(copy),)]))
    return store_stats(store)


def _write_one(store: Store, record: Mapped, stored: dict[str, str], report: BuildReport) -> set[str]:
    """Write one mapped article (one transaction) and count it; the reconciliation groups
    it touches (its new ones, and the stored ones of an article it replaces)."""
    touched: set[str] = set()
    try:
        if record.iri in stored:
            looked = time.perf_counter()
            touched |= article_groups(store, record.iri)
            report.fact_seconds += time.perf_counter() - looked
        outcome = write_mapped(store, record)
    except StoreError:
        raise
    except Exception as e:  # this article's failure is its skip message; the others are stored
        report.skipped.append(Skipped(record.where, f"could not be stored ({reason(e)})"))
        return set()
    if outcome == "replaced":
        report.replaced += 1
    elif outcome == "added":
        report.added += 1
    else:
        report.unchanged += 1
    report.relations.update(record.predicates)
    return touched | set(record.groups)


def build(
    paths: Iterable[Path],
    store_path: Path,
    *,
    min_confidence: float = 0.0,
    jobs: int = 1,
    on_article: Callable[[str], None] | None = None,
    reader: Callable[[Iterable[Path]], Iterable[Article | Skipped]] = read_paths,
) -> BuildReport:
    """Read, extract and store every article under ``paths`` into the store at ``store_path``.

    Each article is written atomically in its own named graph; one that cannot be
    read is reported in ``BuildReport.skipped`` and the others are still stored. Then the
    facts whose keys the added or changed articles touch are re-derived in one atomic
    update (``BuildReport.facts``; the time it took in ``fact_seconds``), and the
    dependencies are derived from the facts.
    ``jobs`` > 1 runs the parse, the extraction and the RDF mapping in that many worker
    processes (:mod:`graph.ingest.workers`), and the facts of a fresh store are derived
    there too; this process only writes, in input order;
    ``on_article`` is called with each article's source (for progress display);
    ``reader`` reads ``paths`` (``extractors.sources.read_sources`` for URLs and feeds).
    """
    started = time.perf_counter()
    report = BuildReport(store=Path(store_path))
    with Store(store_path) as store, Workers(jobs) as workers:
        stored = store.article_hashes()
        changed = 0

        def todo() -> Iterator[Article]:  # read as the work goes: the workers start on the first chunk
            nonlocal changed
            for item in reader(paths):
                if isinstance(item, Skipped):
                    report.skipped.append(item)
                    continue
                report.warnings += [f"{where(item)}: {w}" for w in item.warnings]
                if stored.get(str(article_iri(item.key))) == item.content_hash:
                    report.unchanged += 1
                    if on_article:
                        on_article(item.source)
                    continue
                changed += 1
                yield item

        touched: set[str] = set()
        groups: Counter = Counter()  # the mentions of each group written: all the store has, when it was empty
        written = 0
        for record in workers.mapped(todo(), min_confidence, meanwhile=lambda: load_reference_graphs(store)):
            if isinstance(record, Skipped):
                report.skipped.append(record)
                continue
            if kept := _write_one(store, record, stored, report):
                touched |= kept
                groups.update(record.groups)
            written += 1
            if written % RENEW_EVERY == 0:
                store.renew()  # flushed, and its read caches let go
            elif written % FLUSH_EVERY == 0:
                store.flush()  # RocksDB's write buffers to disk: they do not grow with the build
            if on_article:
                on_article(record.source)
        if written >= FLUSH_EVERY:
            store.optimize()  # the flushes' small files into few: the facts' and later queries read fewer
            store.renew()  # and the facts start with empty caches
        facts_started = time.perf_counter()
        report.facts, edges = _write_facts(store, touched, workers, groups if not stored else None)
        report.fact_seconds += time.perf_counter() - facts_started
        if written >= FLUSH_EVERY:
            store.renew()  # what the facts' loads held let go
        projection = None
        if changed or report.replaced or report.facts is not None:  # once, for the dependencies and for ask
            projection = project_facts(store) if edges is None else project_edges(store, edges)
            report.dependencies = write_dependencies(store, projection)
        report.stats = _stats(store, workers)
        workers.close()  # nothing more for them to do
    if report.added or report.replaced:
        settle(store_path)  # the write-ahead log into table files: the store's size is its data's
    write_projection(store_path, projection)  # the fact projection ask and export load (graph.analytics.saved)
    report.seconds = time.perf_counter() - started
    return report
