"""Write the whole store to one file, atomically (temp file, then rename)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from graph.storage.store import Store

__all__ = ["FORMATS", "export"]

FORMATS = ("ttl", "trig", "nquads", "jsonld")


def export(store: Store, path: Path, fmt: str) -> int:
    """Write the store to ``path`` as ``fmt``; return the number of statements written.

    ``ttl`` is the union of all graphs as one graph; the other formats keep each
    article's named graph.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        if fmt == "ttl":
            triples = list(store.ox.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True))
            ox.serialize(triples, tmp, ox.RdfFormat.TURTLE)
            count = len(triples)
        elif fmt in ("trig", "nquads"):
            quads = [q for q in store.ox if not isinstance(q.graph_name, ox.DefaultGraph)]
            ox.serialize(quads, tmp, ox.RdfFormat.TRIG if fmt == "trig" else ox.RdfFormat.N_QUADS)
            count = len(quads)
        else:
            dataset = Dataset()
            count = 0
            for quad in store.dataset.quads((None, None, None, None)):
                dataset.add(quad)
                count += 1
            dataset.serialize(destination=tmp, format="json-ld")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count
