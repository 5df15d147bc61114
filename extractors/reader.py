"""Reading article files: ``.txt``, ``.md``, ``.html`` and ``.jsonl`` (one article a line).

Every input gives either an :class:`~extractors.records.Article` or a
:class:`~extractors.records.Skipped` naming the file (and line) with the reason, so one
bad file never stops a batch.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from extractors.clean import clean_text
from extractors.dates import parse_published
from extractors.records import Article, Skipped

__all__ = ["BINARY_SNIFF_BYTES", "MAX_BYTES", "SUFFIXES", "content_hash", "read_path", "read_paths"]

#: File suffix -> the format ``clean_text`` reads.
SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
#: Larger files are skipped ("file too large").
MAX_BYTES = 50 * 1024 * 1024
#: A NUL byte in this many leading bytes marks a binary file.
BINARY_SNIFF_BYTES = 8192
_UTF8_BOM = b"\xef\xbb\xbf"
_HTML_HINTS = ("<p", "<div", "<br", "<article", "<html", "<body")


def content_hash(title: str | None, text: str, published: str | None) -> str:
    """The SHA-256 hex digest of an article's title, cleaned text and date.

    Parameters
    ----------
    title, text, published : str or None
        What the article says; a missing title or date counts as empty.

    Returns
    -------
    str
        64 hex digits; equal for articles that read the same.
    """
    return hashlib.sha256(f"{title or ''}\n{text}\n{published or ''}".encode()).hexdigest()


def _article(
    raw: str,
    fmt: str,
    *,
    key: str,
    name: str,
    source: str,
    title: str | None = None,
    published: str | None = None,
    url: str | None = None,
    warnings: tuple[str, ...] = (),
) -> Article | Skipped:
    cleaned = clean_text(raw, fmt, published_hint=published, title_hint=title)
    if not cleaned.text.strip():
        return Skipped(source, "no article text left after removing page chrome")
    return Article(
        key=url or key,
        name=name,
        source=source,
        text=cleaned.text,
        title=cleaned.title,
        published=cleaned.published,
        url=url,
        content_hash=content_hash(cleaned.title, cleaned.text, cleaned.published),
        warnings=warnings,
    )


def _decode(data: bytes) -> tuple[str, tuple[str, ...]]:
    """UTF-8 text (BOM removed); invalid bytes replaced, with a warning saying where."""
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError as e:
        return data.decode("utf-8", errors="replace"), (f"invalid UTF-8 at byte {e.start}: bad bytes replaced",)


def _string(row: dict[str, Any], field: str) -> str | None:
    value = row.get(field)
    return value.strip() or None if isinstance(value, str) else None


def _jsonl(path: Path, text: str, warnings: tuple[str, ...]) -> Iterator[Article | Skipped]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            yield Skipped(where, f"not valid JSON ({e.msg} at column {e.colno})")
            continue
        if not isinstance(row, dict):
            yield Skipped(where, f'expected a JSON object with a "text" field, got {type(row).__name__}')
            continue
        body = _string(row, "text")
        if body is None:
            yield Skipped(where, 'no "text" field with article text')
            continue
        fmt = "html" if any(hint in body.lower() for hint in _HTML_HINTS) else "txt"
        published = _string(row, "published")
        name = f"{path.name}#{number}"
        yield _article(
            body,
            fmt,
            key=name,
            name=name,
            source=str(path),
            title=_string(row, "title"),
            published=parse_published(published) if published else None,
            url=_string(row, "url"),
            warnings=warnings,
        )


def read_path(path: Path) -> Iterator[Article | Skipped]:
    """Read the article(s) in one file.

    Parameters
    ----------
    path : Path
        A ``.txt``, ``.md``/``.markdown``, ``.html``/``.htm`` or ``.jsonl`` file.

    Yields
    ------
    Article or Skipped
        One article (a ``.jsonl`` file: one per good line), or the reason the file (or a
        line of it, named ``file.jsonl:LINE``) could not be read: unsupported type,
        missing or unreadable, too large, binary, empty, malformed JSON, no text.
    """
    path = Path(path)
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        suffix = path.suffix or "(none)"
        yield Skipped(str(path), f"unsupported file type {suffix}; expected .txt, .md, .html or .jsonl")
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
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        yield Skipped(str(path), "binary file")
        return
    text, warnings = _decode(data)
    if not text.strip():
        yield Skipped(str(path), "empty file")
        return
    if fmt == "jsonl":
        yield from _jsonl(path, text, warnings)
        return
    yield _article(text, fmt, key=path.name, name=path.name, source=str(path), warnings=warnings)


def _expand(path: Path) -> list[Path]:
    """The files under ``path``, sorted. Every file is read or reported (an unknown type is
    named with the reason); hidden files and Python package files beside a corpus are
    passed over."""
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
    """Read the articles of files and folders.

    Parameters
    ----------
    paths : iterable of Path
        Files, and folders walked recursively (in sorted order).

    Yields
    ------
    Article or Skipped
        As :func:`read_path`, for every file in turn.
    """
    for path in paths:
        for file in _expand(Path(path)):
            yield from read_path(file)
