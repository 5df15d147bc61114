"""Reading article files: ``.txt``, ``.md``, ``.html`` and ``.jsonl`` (one article a line).

Every input gives either an :class:`Article` or a :class:`Skipped` naming the file
(and line) and the reason, so one bad file never stops a batch.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from extractors.clean import clean_text
from extractors.dates import parse_published
from extractors.records import Article, Skipped

__all__ = ["MAX_BYTES", "SUFFIXES", "read_path", "read_paths"]

SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
MAX_BYTES = 50_000_000


def _hash(title: str | None, published: str | None, text: str) -> str:
    return hashlib.sha256(f"{title or ''}\n{published or ''}\n{text}".encode()).hexdigest()


def _article(key: str, name: str, source: str, raw: str, fmt: str, *, title=None, published=None, url=None,
             warnings: tuple[str, ...] = ()) -> Article | Skipped:  # fmt: skip
    cleaned = clean_text(raw, fmt, published_hint=published, title_hint=title)
    if not cleaned.text.strip():
        return Skipped(source, "no article text left after removing page chrome")
    return Article(
        key=url or key, name=name, source=source, text=cleaned.text, title=cleaned.title,
        published=cleaned.published, url=url, content_hash=_hash(cleaned.title, cleaned.published, cleaned.text),
        warnings=warnings,
    )  # fmt: skip


def _decode(data: bytes) -> tuple[str, tuple[str, ...]]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError as e:
        return data.decode("utf-8", errors="replace"), (f"invalid UTF-8 at byte {e.start} replaced",)


def _jsonl(path: Path, text: str, warnings: tuple[str, ...]) -> Iterator[Article | Skipped]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            yield Skipped(where, f"not valid JSON ({e.msg})")
            continue
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"].strip():
            yield Skipped(where, 'no "text" field with article text')
            continue
        fmt = "html" if "<p" in row["text"] or "<div" in row["text"] else "txt"
        title = row.get("title") if isinstance(row.get("title"), str) else None
        url = row.get("url") if isinstance(row.get("url"), str) else None
        published = parse_published(row["published"]) if isinstance(row.get("published"), str) else None
        name = f"{path.name}#{number}"
        yield _article(name, name, where, row["text"], fmt, title=title, published=published, url=url,
                       warnings=warnings)  # fmt: skip


def read_path(path: Path) -> Iterator[Article | Skipped]:
    """The article(s) in one file."""
    path = Path(path)
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        yield Skipped(
            str(path), f"unsupported file type {path.suffix or '(none)'}; expected .txt, .md, .html or .jsonl"
        )
        return
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            yield Skipped(str(path), f"file too large ({size} bytes; the limit is {MAX_BYTES})")
            return
        data = path.read_bytes()
    except OSError as e:
        yield Skipped(str(path), e.strerror or str(e))
        return
    if b"\x00" in data[:8192]:
        yield Skipped(str(path), "binary file")
        return
    text, warnings = _decode(data)
    if not text.strip():
        yield Skipped(str(path), "empty file")
        return
    if fmt == "jsonl":
        yield from _jsonl(path, text, warnings)
        return
    yield _article(path.name, path.name, str(path), text, fmt, warnings=warnings)


def _expand(path: Path) -> list[Path]:
    """The files under ``path``: every one is read or reported (an unknown type is named
    with the reason); hidden files and Python package files beside a corpus are passed over."""
    if not path.is_dir():
        return [path]
    return sorted(
        p
        for p in path.rglob("*")
        if (p.is_file() or p.is_symlink())
        and not any(part.startswith((".", "__")) for part in p.relative_to(path).parts)
        and p.suffix.lower() not in (".py", ".pyc")
    )


def read_paths(paths: Iterable[Path]) -> Iterator[Article | Skipped]:
    """The articles of files and folders (folders walked for known file types)."""
    for path in paths:
        for file in _expand(Path(path)):
            yield from read_path(file)
