"""Where the default store is, for code that may run from any folder (the notebook)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["STORE_NAME", "default_store"]

STORE_NAME = "labelgraph-store"


def default_store(start: Path | None = None) -> Path:
    """The store ``labelgraph`` commands use by default, seen from ``start`` (the current folder).

    ``$LABELGRAPH_STORE`` when set; else ``./labelgraph-store`` in ``start`` or the nearest
    folder above it that holds one, up to the project root (the folder with
    ``pyproject.toml``); else ``labelgraph-store`` in the project root, or in ``start``
    outside a project. So a notebook run from ``notebooks/`` opens the store that
    ``labelgraph build`` made at the root instead of building a second one.
    """
    if os.environ.get("LABELGRAPH_STORE"):
        return Path(os.environ["LABELGRAPH_STORE"])
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / STORE_NAME).exists():
            return folder / STORE_NAME
        if (folder / "pyproject.toml").exists():
            return folder / STORE_NAME
    return here / STORE_NAME
