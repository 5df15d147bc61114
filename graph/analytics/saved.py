"""The fact projection saved next to the store, so that an answer does not re-project it.

``build`` (and ``forget``, ``load``) write :func:`graph.analytics.project.project_facts` of
the store as JSON node-link data (never a pickle) to :data:`SAVED_NAME` in the store's
folder, keyed by the store's generation (:func:`graph.storage.store.store_generation`:
the names, sizes and modification times of its database files, which any write
changes). :func:`fact_projection` loads it when its generation is the store's, and
otherwise projects the store (and saves that, when the folder can be written). A
missing, stale, damaged or foreign file is never trusted: it is projected again.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from pathlib import Path

import networkx as nx

from graph.analytics.project import project_facts
from graph.errors import StoreError
from graph.storage.store import SAVED_NAME, Store, store_generation

__all__ = ["SAVED_NAME", "fact_projection", "load_saved", "save_projection", "write_projection"]

_FORMAT, _VERSION = "labelgraph-fact-projection", 1
#: A saved projection larger than this is not read (a store's is a few MB per 10k articles).
_MAX_BYTES = 2 * 1024**3


def _node_link(g: nx.MultiDiGraph) -> dict:
    return nx.node_link_data(g, edges="edges")


def save_projection(folder: Path, generation: str, g: nx.MultiDiGraph) -> bool:
    """Write ``g`` as the projection of the store in ``folder`` at ``generation``
    (atomically); False when the folder cannot be written."""
    target = Path(folder) / SAVED_NAME
    scratch = target.with_name(f"{SAVED_NAME}.{secrets.token_hex(4)}.tmp")
    document = {"format": _FORMAT, "version": _VERSION, "generation": generation, "graph": _node_link(g)}
    try:
        with open(scratch, "w", encoding="utf-8") as f:
            f.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")))  # the C encoder
        os.replace(scratch, target)
    except OSError:
        with contextlib.suppress(OSError):
            scratch.unlink()
        return False
    return True


def load_saved(folder: Path, generation: str | None) -> nx.MultiDiGraph | None:
    """The projection saved in ``folder`` if it was made at ``generation``; else None."""
    if generation is None:
        return None
    path = Path(folder) / SAVED_NAME
    try:
        if path.is_symlink() or path.stat().st_size > _MAX_BYTES:
            return None
        document = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(document, dict) or (document.get("format"), document.get("version")) != (
            _FORMAT,
            _VERSION,
        ):
            return None
        if document.get("generation") != generation:
            return None
        g = nx.node_link_graph(document["graph"], directed=True, multigraph=True, edges="edges")
    except (OSError, ValueError, TypeError, KeyError, AttributeError, nx.NetworkXError):
        return None  # missing, unreadable or not ours: projected again
    return g if isinstance(g, nx.MultiDiGraph) else None


def fact_projection(store: Store) -> nx.MultiDiGraph:
    """The fact graph of an open store: the saved projection when it is current, else
    :func:`project_facts` of the store (saved for next time, when it can be)."""
    generation = getattr(store, "generation", None)
    saved = load_saved(store.path, generation)
    if saved is not None:
        return saved
    g = project_facts(store.dataset)
    if generation is not None:
        save_projection(store.path, generation, g)
    return g


def write_projection(store_path: str | Path, projection: nx.MultiDiGraph | None = None) -> bool:
    """Project the (closed) store at ``store_path`` and save it; False when it cannot
    be (no store, no facts, the folder not writable). Called after every write.
    ``projection``: the store's facts already projected (by the writer that derived its
    dependencies from them), saved at the store's generation as it is now."""
    if projection is not None:
        try:
            return save_projection(Path(store_path), store_generation(store_path), projection)
        except OSError:
            return False
    try:
        with Store(store_path, read_only=True) as store:
            if store.generation is None:
                return False
            g = project_facts(store.dataset)
            return save_projection(store.path, store.generation, g)
    except (StoreError, OSError):
        return False
