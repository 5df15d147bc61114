"""Extraction as Dask tasks over article paths; the results are stored locally.

Each worker process loads the spaCy model once (``get_nlp`` is cached per process)
and turns one file into mapped articles (N-Quads, :func:`graph.ingest.workers.map_each`,
the function the local ``--jobs`` workers run); the client puts them into the store, one
atomic write per article. ``dask.distributed`` is imported only here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from graph.ingest.shards import LoadReport
from graph.ingest.workers import Mapped, map_each, write_mapped
from graph.storage.store import Store, settle

__all__ = ["build_on_dask", "extract_file"]


def extract_file(path: str, root: str | None = None) -> tuple[list[Mapped], list[str]]:
    """Worker task: the mapped articles of one file (found in the input folder ``root``,
    which the article keys are relative to), and the problems met (one line each)."""
    from extractors.reader import read_path
    from extractors.records import Skipped

    items = list(read_path(Path(path), Path(root) if root else None))
    problems = [f"{i.source}: {i.reason}" for i in items if isinstance(i, Skipped)]
    mapped = []
    for record in map_each(i for i in items if not isinstance(i, Skipped)):
        if isinstance(record, Skipped):
            problems.append(f"{record.source}: {record.reason}")
        else:
            mapped.append(record)
    return mapped, problems


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
            futures = client.map(extract_file, files, roots, pure=False)
            for future in as_completed(futures):
                mapped, problems = future.result()
                report.problems += problems
                for record in mapped:
                    outcome = write_mapped(store, record)
                    setattr(report, outcome, getattr(report, outcome) + 1)
            rebuild_facts(store)
            write_dependencies(store)
        settle(store_path)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return report
