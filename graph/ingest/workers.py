"""Workers do the work: parse, extract and map articles to RDF, out of the parent process.

:func:`map_each` turns articles into :class:`Mapped` records (the N-Quads of an article
graph and of its entity descriptions, plus what the build counts) in the calling process;
:class:`Workers` does the same over ``jobs`` worker processes, each loading spaCy
once, and yields the records in input order (:func:`mapped_articles` for one call); the
same processes then derive the store's facts from a checkpoint of it
(:func:`graph.facts.update.rebuild_facts`). No spaCy doc crosses a process boundary: a
record is bytes and strings. The parent only writes (:func:`write_mapped`, one atomic
write per article). An article whose extraction or mapping fails is a :class:`Skipped`
in its place, and the others go on. The Dask path (:mod:`graph.ingest.distributed`)
runs :func:`map_each` in its tasks.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import chain, islice
from typing import TypeVar

import pyoxigraph as ox

from extractors.records import Article, Relation, Skipped

__all__ = ["Mapped", "Workers", "extract_each", "map_chunk", "map_each", "mapped_articles", "where", "write_mapped"]

T = TypeVar("T")

#: Articles per task sent to a worker (one ``nlp.pipe`` call).
CHUNK = 24


@dataclass(frozen=True)
class Mapped:
    """One article extracted and mapped to RDF, ready to be written.

    ``nquads``: its article graph; ``entities``: the descriptions of the entities it names
    (for the shared entities graph), both N-Quads; ``predicates`` and ``groups``: the
    relation name and reconciliation group of each relation kept.
    """

    iri: str
    content_hash: str
    source: str
    where: str
    nquads: bytes
    entities: bytes
    predicates: tuple[str, ...]
    groups: tuple[str, ...]


def where(article: Article) -> str:
    """The file (and line, for a JSON Lines row) an article was read from."""
    _, sep, line = article.name.rpartition("#")
    return f"{article.source}:{line}" if sep and line.isdigit() else article.source


def reason(e: BaseException) -> str:
    """A one-line reason for an exception."""
    text = str(e).splitlines()[0][:200] if str(e) else ""
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


def extract_each(
    todo: list[Article], skipped: list[Skipped], jobs: int = 1
) -> Iterator[tuple[Article, list[Relation]]]:
    """``extract_articles`` over ``todo``, where an article whose extraction fails is
    skipped with the reason and extraction goes on with the next one."""
    from extractors.pipeline import extract_articles  # spaCy only when a build runs

    rest = todo
    while rest:
        done = 0
        try:
            for pair in extract_articles(rest, n_process=jobs):
                done += 1
                yield pair
            return
        except Exception as e:  # articles are yielded in order: the failure is rest[done]
            if done >= len(rest):
                raise
            skipped.append(Skipped(where(rest[done]), f"extraction failed ({reason(e)})"))
            rest = rest[done + 1 :]


def _nquads(graph: str, triples) -> bytes:
    """``triples`` (rdflib terms) in the named graph ``graph`` as N-Quads, each once; every
    distinct term is converted once."""
    from oxrdflib._converter import to_ox

    name, terms = ox.NamedNode(graph), {}

    def term(t):
        found = terms.get(t)
        if found is None:
            found = terms[t] = to_ox(t)
        return found

    quads = dict.fromkeys(ox.Quad(term(s), term(p), term(o), name) for s, p, o in triples)
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) if quads else b""


def map_article(article: Article, relations: list[Relation], min_confidence: float = 0.0) -> Mapped:
    """The RDF of one extracted article, as a :class:`Mapped` record."""
    from graph.facts.reconcile import group_key
    from graph.rdf.mapping import article_triples, entity_triples
    from graph.rdf.vocabulary import article_iri
    from ontology import ENTITIES_GRAPH

    kept = [r for r in relations if r.confidence >= min_confidence]
    iri = str(article_iri(article.key))
    return Mapped(
        iri=iri,
        content_hash=article.content_hash,
        source=article.source,
        where=where(article),
        nquads=_nquads(iri, article_triples(article, kept)),
        entities=_nquads(str(ENTITIES_GRAPH), entity_triples(kept)),
        predicates=tuple(r.predicate for r in kept),
        groups=tuple(group_key(r.predicate, r.subject, r.object) for r in kept),
    )


def map_each(articles: Iterable[Article], min_confidence: float = 0.0) -> Iterator[Mapped | Skipped]:
    """Extract and map ``articles`` in this process, in input order; an article whose
    extraction or mapping fails is a :class:`Skipped` with the reason."""
    skipped: list[Skipped] = []
    for article, relations in extract_each(list(articles), skipped):
        while skipped:
            yield skipped.pop(0)
        try:
            yield map_article(article, relations, min_confidence)
        except Exception as e:  # this article's failure is its skip message
            yield Skipped(where(article), f"could not be stored ({reason(e)})")
    yield from skipped


def map_chunk(articles: list[Article], min_confidence: float = 0.0) -> list[Mapped | Skipped]:
    """Worker task: :func:`map_each` over one chunk of articles."""
    return list(map_each(articles, min_confidence))


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)  # the build was killed: nothing of ours is left to do


def _start_worker(parent: int) -> None:
    """Worker initializer: load spaCy once, and exit when the parent is gone."""
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    from extractors.nlp import get_nlp

    get_nlp()


def _pool(jobs: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("spawn")  # no RocksDB handle or thread is inherited
    return ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),))


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    source = iter(articles)
    while part := list(islice(source, size)):
        yield part


class Workers:
    """``jobs`` worker processes for one build, started by the first task that needs them
    (a build smaller than a chunk starts none): the articles' extraction (:meth:`mapped`),
    then other tasks such as the facts' derivation (:meth:`ordered`). A context manager."""

    def __init__(self, jobs: int = 1) -> None:
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None

    @property
    def started(self) -> bool:
        """True once worker processes run (and until :meth:`close`)."""
        return self._pool is not None

    def _running(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = _pool(self.jobs)
        return self._pool

    def _drop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def mapped(
        self,
        articles: Iterable[Article],
        min_confidence: float = 0.0,
        chunk: int = CHUNK,
        meanwhile: Callable[[], object] | None = None,
    ) -> Iterator[Mapped | Skipped]:
        """:func:`map_each` over the workers, in input order, at most ``2 × jobs`` chunks in
        flight; ``articles`` is read as the work goes (the workers start on the first chunk
        while the rest is still being read). A chunk whose worker dies is skipped with that
        reason; the workers are started again for the rest. ``meanwhile`` is called once,
        before the first record: while the workers start on the first chunks when they
        run, else at once."""
        if self.jobs <= 1:
            if meanwhile:
                meanwhile()
            yield from map_each(articles, min_confidence)
            return
        source = iter(articles)
        first = list(islice(source, chunk + 1))
        if len(first) <= chunk and not self.started:
            if meanwhile:
                meanwhile()
            yield from map_each(first, min_confidence)
            return
        chunks = _chunks(chain(first, source), chunk)
        again: deque[list[Article]] = deque()  # the chunks in flight when a worker died
        window: deque[tuple[list[Article], Future]] = deque()
        while True:
            while len(window) < 2 * self.jobs and (part := again.popleft() if again else next(chunks, None)):
                window.append((part, self._running().submit(map_chunk, part, min_confidence)))
            if meanwhile:
                meanwhile()  # the workers load spaCy and parse the first chunks
                meanwhile = None
            if not window:
                break
            part, future = window.popleft()
            try:
                records = future.result()
            except BrokenProcessPool as e:
                records = [Skipped(where(a), f"extraction failed (worker process died: {reason(e)})") for a in part]
                again.extendleft(reversed([p for p, _ in window]))
                window.clear()
                self._drop()
            yield from records

    def ordered(self, fn: Callable[..., T], tasks: Iterable[tuple]) -> Iterator[T]:
        """``fn(*task)`` for each task, in order: in the workers when they run (at most
        ``2 × jobs`` tasks in flight), else here. When a worker dies, the task it had and
        the rest run here."""
        source = iter(tasks)
        if self._pool is None:
            yield from (fn(*task) for task in source)
            return
        window: deque[tuple[tuple, Future]] = deque()
        while True:
            while len(window) < 2 * self.jobs and (task := next(source, None)) is not None:
                window.append((task, self._pool.submit(fn, *task)))
            if not window:
                return
            task, future = window.popleft()
            try:
                result = future.result()
            except BrokenProcessPool:
                rest = [task, *(t for t, _ in window)]
                window.clear()
                self._drop()
                yield from (fn(*t) for t in chain(rest, source))
                return
            yield result


def mapped_articles(
    articles: Iterable[Article], jobs: int = 1, min_confidence: float = 0.0, chunk: int = CHUNK
) -> Iterator[Mapped | Skipped]:
    """:meth:`Workers.mapped` over ``jobs`` worker processes started for these articles alone."""
    with Workers(jobs) as workers:
        yield from workers.mapped(articles, min_confidence, chunk)


def write_mapped(store, record: Mapped) -> str:
    """Write one :class:`Mapped` article into ``store`` in one transaction: ``"added"``,
    ``"replaced"`` or ``"unchanged"`` (as :meth:`Store.put_article`)."""
    quads = list(ox.parse(record.nquads, format=ox.RdfFormat.N_QUADS)) if record.nquads else []
    entities = list(ox.parse(record.entities, format=ox.RdfFormat.N_QUADS)) if record.entities else []
    return store.put_article_quads(record.iri, record.content_hash, quads, entities)
