"""The persistent store: an Oxigraph (RocksDB) directory, used through rdflib (oxrdflib).

One article is one named graph, written in one transaction: a new article with one
``extend``; a changed one is staged in a scratch graph and moved over the old one with
one SPARQL ``MOVE`` (Oxigraph applies an update atomically); an unchanged one (same
``lg:contentHash``) is not touched. A marker file says a directory is a labelgraph store.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from graph.errors import NotAStoreError, StoreError, StoreLockedError
from ontology import GRAPH_NS, LG_NS

if TYPE_CHECKING:  # rdflib loads when a graph is written or the rdflib view is asked for
    from rdflib import Dataset, Graph

__all__ = ["MARKER", "SAVED_NAME", "Store", "settle", "store_generation"]

MARKER = "labelgraph-store.json"
#: The fact projection saved in the store's folder (``graph.analytics.saved``).
SAVED_NAME = "labelgraph-facts.json"
#: Files of the folder no write of data changes: RocksDB's info log and lock, and our own files.
_NOT_DATA = re.compile(r"LOG(\.old\..*)?|LOCK|" + re.escape(MARKER) + "|" + re.escape(SAVED_NAME) + r"(\..*\.tmp)?")
_STAGING = GRAPH_NS + "staging/"
#: The only IRIs ever written into an update string: our own, hex-suffixed graph names.
_OWN_GRAPH = re.compile(r"https://w3id\.org/labelgraph/(article|graph)/[0-9a-z/-]+")
_CONTENT_HASH = ox.NamedNode(LG_NS + "contentHash")


class Store:
    """A labelgraph store in the directory ``path``.

    >>> import tempfile
    >>> with Store(tempfile.mkdtemp() + "/s") as s:
    ...     s.triple_count()
    0
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        marker = self.path / MARKER
        if self.path.exists() and not self.path.is_dir():
            raise NotAStoreError(f"{self.path} is a file, not a labelgraph store directory")
        if not marker.exists():
            if read_only or (self.path.exists() and any(self.path.iterdir())):
                raise NotAStoreError(f"{self.path} is not a labelgraph store (no {MARKER})")
            self.path.mkdir(parents=True, exist_ok=True)
            marker.write_text(json.dumps({"format": "labelgraph-store", "version": 1}) + "\n", encoding="utf-8")
        #: Taken before the snapshot is opened, so that the snapshot is never older than it (None: writable).
        self.generation = store_generation(self.path) if read_only else None
        self.ox = self._open_read_only() if read_only else self._open_read_write()
        self._dataset: Dataset | None = None
        if not read_only:
            for name in list(self.ox.named_graphs()):
                if isinstance(name, ox.NamedNode) and name.value.startswith(_STAGING):
                    self.ox.remove_graph(name)  # left over by an interrupted write

    def _open_read_write(self) -> ox.Store:
        try:
            return ox.Store(str(self.path))
        except (OSError, RuntimeError) as e:  # RocksDB reports a damaged store as RuntimeError
            if "lock" in str(e).lower():
                raise StoreLockedError(f"{self.path} is in use by another labelgraph process ({e})") from None
            raise StoreError(f"cannot open the store at {self.path}: {e}") from None

    def _open_read_only(self, attempts: int = 8) -> ox.Store:
        """A read-only snapshot. While another process writes, RocksDB may remove a file
        between listing and opening it; the open is then retried on the new file set."""
        for attempt in range(attempts):
            try:
                return ox.Store.read_only(str(self.path))
            except (OSError, RuntimeError) as e:
                if attempt == attempts - 1:
                    raise StoreError(f"cannot open the store at {self.path} for reading: {e}") from None
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    # -- access -------------------------------------------------------------------
    @property
    def dataset(self) -> Dataset:
        """An rdflib Dataset over the same Oxigraph store; its default graph is the union."""
        if self._dataset is None:
            from oxrdflib import OxigraphStore
            from rdflib import Dataset

            self._dataset = Dataset(store=OxigraphStore(store=self.ox), default_union=True)
        return self._dataset

    def graph_names(self) -> list[str]:
        return sorted(n.value for n in self.ox.named_graphs() if isinstance(n, ox.NamedNode))

    def article_hashes(self) -> dict[str, str]:
        """Article graph IRI -> the content hash stored with it."""
        return {
            q.graph_name.value: q.object.value
            for q in self.ox.quads_for_pattern(None, _CONTENT_HASH, None, None)
            if isinstance(q.graph_name, ox.NamedNode) and q.subject == q.graph_name
        }

    def triple_count(self) -> int:
        """Distinct triples in the union of all graphs."""
        result = self.ox.query(
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
            use_default_graph_as_union=True,
        )
        return int(next(iter(result))["n"].value)

    def quad_count(self) -> int:
        return len(self.ox)

    # -- writing ------------------------------------------------------------------
    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path} was opened read-only")

    def _replace(self, graph: Graph, extra: Graph | None = None) -> None:
        """Put ``graph`` in place of its named graph in one atomic step; ``extra`` triples
        (entity descriptions) are added to their own graph in the same transaction."""
        from oxrdflib._converter import to_ox

        name = str(graph.identifier)
        additions = [to_ox(t, extra) for t in extra] if extra is not None else []
        self._replace_quads(name, [to_ox(t, graph) for t in graph], additions)

    def _replace_quads(self, name: str, quads: list[ox.Quad], additions: list[ox.Quad]) -> None:
        """Put ``quads`` (all in the graph ``name``) in place of that named graph in one
        atomic step, with ``additions`` (quads of other graphs) in the same transaction."""
        target = ox.NamedNode(name)
        if not any(True for _ in self.ox.quads_for_pattern(None, None, None, target)):
            self.ox.extend([*quads, *additions])
            return
        staging = _STAGING + secrets.token_hex(8)
        into = ox.NamedNode(staging)
        self.ox.extend([*(ox.Quad(q.subject, q.predicate, q.object, into) for q in quads), *additions])
        # Both IRIs are our own (checked below), never text from an article.
        if not (_OWN_GRAPH.fullmatch(name) and _OWN_GRAPH.fullmatch(staging)):
            raise StoreError(f"refusing to move a graph with a foreign name: {name}")
        self.ox.update(f"MOVE SILENT GRAPH <{staging}> TO GRAPH <{name}>")

    def put_article(self, graph: Graph, content_hash: str, entities: Graph | None = None) -> str:
        """Store an article graph, and add the descriptions of its ``entities`` to the
        shared entities graph in the same transaction: ``"added"``, ``"replaced"`` or
        ``"unchanged"``."""
        self._check_writable()
        stored = self.stored_hash(str(graph.identifier))
        if stored == content_hash:
            return "unchanged"
        self._replace(graph, entities)
        return "added" if stored is None else "replaced"

    def put_article_quads(
        self, article: str, content_hash: str, quads: list[ox.Quad], entities: list[ox.Quad] = ()
    ) -> str:
        """:meth:`put_article` for an article graph already in Oxigraph terms (as a worker
        process sends it): ``quads`` all in the graph ``article``, ``entities`` in the
        shared entities graph; one transaction, the same stored result, no rdflib."""
        self._check_writable()
        node = ox.NamedNode(article)
        if any(q.graph_name != node for q in quads):
            raise StoreError(f"an article's quads must all be in its own graph {article}")
        stored = self.stored_hash(article)
        if stored == content_hash:
            return "unchanged"
        self._replace_quads(article, quads, list(entities))
        return "added" if stored is None else "replaced"

    def stored_hash(self, article: str) -> str | None:
        """The content hash stored with one article graph, if any."""
        node = ox.NamedNode(article)
        for quad in self.ox.quads_for_pattern(node, _CONTENT_HASH, None, node):
            return quad.object.value
        return None

    def add_to_graph(self, graph: Graph) -> None:
        """Add triples to a named graph (additive; for the shared entities graph)."""
        from oxrdflib._converter import to_ox

        self._check_writable()
        self.ox.extend(to_ox(t, graph) for t in graph)

    def put_graph(self, graph: Graph) -> None:
        """Replace a whole named graph (the ontology, the catalogue, the derived graph)."""
        self._check_writable()
        self._replace(graph)

    def remove_graph(self, iri: str) -> None:
        self._check_writable()
        self.ox.remove_graph(ox.NamedNode(iri))

    def bulk_load(self, quads: Iterable[ox.Quad]) -> None:
        """Add ``quads`` with Oxigraph's bulk loader: new table files, no write buffers, not
        one transaction (a caller that needs atomicity marks its work, as the facts'
        derivation does); the memory its threads used given back."""
        self._check_writable()
        self.ox.bulk_extend(quads)
        _give_back_freed_memory()

    def flush(self) -> None:
        """Write what RocksDB holds in memory (its write buffers) to disk; nothing changes for
        a reader (each write was already durable in the write-ahead log)."""
        self._check_writable()
        self.ox.flush()
        _give_back_freed_memory()  # the write buffers just written out

    def optimize(self) -> None:
        """Compact the database files (after a large write the flushes leave many small ones,
        which every read then consults)."""
        self._check_writable()
        self.ox.optimize()

    @contextlib.contextmanager
    def checkpoint(self) -> Iterator[Path | None]:
        """A copy of the store as it is now, for other processes to read while this one
        writes (RocksDB's checkpoint: hard links to the table files, so instant and
        small), in a hidden folder beside the store, removed afterwards; it opens as a store
        (``Store(copy, read_only=True)``). ``None`` when no copy can be made there (a
        read-only parent folder, another file system)."""
        self._check_writable()
        try:
            folder = Path(tempfile.mkdtemp(prefix=f".{self.path.name}-checkpoint-", dir=self.path.parent))
        except OSError:
            yield None
            return
        try:
            try:
                self.ox.backup(str(folder / "store"))
                copy: Path | None = folder / "store"
                shutil.copyfile(self.path / MARKER, folder / "store" / MARKER)  # a store to open read-only
            except OSError:
                copy = None
            yield copy
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    # -- lifecycle ----------------------------------------------------------------
    def renew(self) -> None:
        """Close the database and open it again, its writes kept (flushed first): what
        RocksDB holds for reading is let go. Its block caches (32 MB, and 128 MB for the
        string table: sized by Oxigraph, which pyoxigraph does not let us change) fill with
        the blocks that each write's existence checks read, so a long build renews its
        handle now and then and its memory does not grow with the corpus."""
        self._check_writable()
        self.close()
        _give_back_freed_memory()
        self.ox = self._open_read_write()

    def close(self) -> None:
        """Flush and release the directory (another process may open it afterwards)."""
        if self.ox is None:
            return
        if not self.read_only:
            self.ox.flush()
        self._dataset = None
        self.ox = None  # the RocksDB lock goes with the last reference
        gc.collect()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _give_back_freed_memory() -> None:
    """Return the memory the C allocator holds free to the system (glibc's ``malloc_trim``;
    nothing elsewhere): RocksDB's caches, once let go, would otherwise stay in this process's
    resident memory, and what is allocated next (by other threads, in other arenas) adds to it."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def store_generation(path: str | Path) -> str:
    """A digest of the store's database files (name, size, modification time): any write
    changes it (RocksDB appends to its log or writes new files); opening for reading does not."""
    entries = []
    with os.scandir(path) as found:
        for entry in found:
            if _NOT_DATA.fullmatch(entry.name):
                continue
            info = entry.stat(follow_symlinks=False)
            entries.append(f"{entry.name}\x1f{info.st_size}\x1f{info.st_mtime_ns}")
    return hashlib.sha256("\x1e".join(sorted(entries)).encode()).hexdigest()


def _triple(t: tuple) -> tuple:
    from oxrdflib._converter import to_ox

    return to_ox(t[0]), to_ox(t[1]), to_ox(t[2])


def settle(path: str | Path) -> bool:
    """Open the store at ``path`` once more and close it, after a large write: RocksDB then
    writes what its write-ahead log still holds into table files and deletes the log (a
    fresh 2,000-article build leaves a log of about twice the size of the data, which
    ``flush`` and ``optimize`` within the writing session do not remove). False, and
    nothing done, when another process holds the store."""
    try:
        ox.Store(str(path))
    except (OSError, RuntimeError):
        return False
    gc.collect()
    return True
