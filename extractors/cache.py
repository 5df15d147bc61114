"""The fetch cache: every fetched page and feed kept raw in the store's folder.

``CACHE/<sha256 of the URL>.json`` holds the URL asked for, the URL answered, the fetch
time, the content type, the HTTP validators (``ETag``, ``Last-Modified``) and what was
extracted from the body; ``.body`` beside it holds the body as fetched. Both are written
to a temporary file and renamed, so a stopped run never leaves half an entry. A re-build
reads the cache; a refresh sends the validators, and an unchanged page (304) costs
neither a download nor a parse.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Cache", "Entry"]


@dataclass
class Entry:
    """One cached answer."""

    url: str
    final_url: str
    fetched: str
    content_type: str
    etag: str | None = None
    last_modified: str | None = None
    extracted: dict[str, Any] | None = field(default=None)


class Cache:
    """The cache folder (created on the first write)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _stem(self, url: str) -> Path:
        return self.folder / hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()

    def get(self, url: str) -> tuple[Entry, bytes] | None:
        """The entry and body cached for ``url``, or ``None`` (none, or unreadable)."""
        stem = self._stem(url)
        try:
            meta = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
            body = stem.with_suffix(".body").read_bytes()
            return Entry(**meta), body
        except (OSError, ValueError, TypeError):
            return None

    def put(self, entry: Entry, body: bytes | None = None) -> None:
        """Write ``entry`` (and ``body`` when given: the body first, then the entry)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = self._stem(entry.url)
        if body is not None:
            _write(stem.with_suffix(".body"), body)
        _write(stem.with_suffix(".json"), json.dumps(asdict(entry), ensure_ascii=False, indent=1).encode())


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
