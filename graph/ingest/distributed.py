"""Extraction as Dask tasks over article paths; the results are stored locally.

Each worker process loads the spaCy model once (``get_nlp`` is cached per process)
and turns one file into N-Quads of its article graphs; the client puts them into the
store, one atomic write per article. ``dask.distributed`` is imported only here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from graph.ingest.shards import LoadReport, graphs_from_nquads, load_graphs, to_nquads
from graph.storage.store import Store

__all__ = ["build_on_dask", "extract_file_to_nquads"]


def extract_file_to_nquads(path: str, root: str | None = None) -> tuple[str, list[str]]:
    """Worker task: the N-Quads of the article graphs in one file (found in the input
    folder ``root``, which the article keys are relative to), and the problems met."""
    from extractors.pipeline import extract_articles
    from extractors.reader import read_path
    from extractors.records import Skipped
    from graph.rdf.mapping import article_graph, entity_graph

    items = list(read_path(Path(path), Path(root) if root else None))
    problems = [f"{i.source}: {i.reason}" for i in items if isinstance(i, Skipped)]
    articles = [i for i in items if not isinstance(i, Skipped)]
    results = list(extract_articles(articles))
    graphs = [article_graph(a, rels) for a, rels in results]
    graphs.append(entity_graph(r for _, rels in results for r in rels))
    return to_nquads(graphs), problems


def _files(paths: Iterable[Path]) -> tuple[list[str], list[str | None]]:
    """The files to read and the input folder each was found in (as the local build reads them)."""
    from extractors.reader import SUFFIXES, walk

    found = [(str(f), str(root) if root else None) for f, root in walk(paths)]
    wanted = [(f, root) for f, root in found if root is None or Path(f).suffix.lower() in SUFFIXES]
    return [f for f, _ in wanted], [root for _, root in wanted]


def build_on_dask(
    paths: Iterable[Path], store_path: Path, *, scheduler: str | None = None, local_workers: int = 2
) -> LoadReport:
    """Extract every file under ``paths`` as Dask tasks and store the results.

    ``scheduler``: the address of a running scheduler (``tcp://host:8786``); without
    it a ``LocalCluster`` of ``local_workers`` single-threaded processes is started.
    """
    from dask.distributed import Client, LocalCluster, as_completed

    from graph.analytics.dependency import write_dependencies
    from graph.facts.update import rebuild_facts
    from graph.ingest.build import load_reference_graphs

    files, roots = _files(paths)
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=local_workers, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(scheduler or cluster)
    report = LoadReport()
    try:
        with Store(store_path) as store:
            load_reference_graphs(store)
            futures = client.map(extract_file_to_nquads, files, roots, pure=False)
            for future in as_completed(futures):
                nquads, problems = future.result()
                report.problems += problems
                load_graphs(store, graphs_from_nquads(nquads), report, "dask")
            rebuild_facts(store)
            write_dependencies(store)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return report
