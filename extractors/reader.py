"""Reading article files: ``.txt``, ``.md``, ``.html`` and ``.jsonl`` (one article a line).

Every input gives either an :class:`~extractors.records.Article` or a
:class:`~extractors.records.Skipped` naming the file (and line) with the reason, so one
bad file never stops a batch. Only regular files are read, at most ``MAX_BYTES`` of them
(counted while reading); an article longer than ``MAX_CHARS`` is cut at a paragraph
break, with a warning, so that one article's cost stays bounded.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from extractors.clean import Cleaned, clean_text
from extractors.dates import parse_published
from extractors.records import Article, Skipped

__all__ = [
    "BINARY_SNIFF_BYTES",
    "MAX_BYTES",
    "MAX_CHARS",
    "SUFFIXES",
    "content_hash",
    "make_article",
    "read_path",
    "read_paths",
    "shown",
    "walk",
]

#: File suffix -> the format ``clean_text`` reads.
SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
#: Larger files are skipped ("file too large"); counted while reading, not taken from the file system.
MAX_BYTES = 50 * 1024 * 1024
#: A longer cleaned article is cut at the last paragraph break before this many characters
#: (extraction time grows faster than the length in repetitive text: see README, "Bad input").
MAX_CHARS = 100_000
#: A NUL byte in this many leading bytes marks a binary file.
BINARY_SNIFF_BYTES = 8192
#: Byte order marks, longest first (the UTF-32-LE mark begins with the UTF-16-LE one).
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
_HTML_HINTS = ("<p", "<div", "<br", "<article", "<html", "<body")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: Characters an IRI may not hold (RFC 3987), besides controls and spaces.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def content_hash(title: str | None, text: str, published: str | None) -> str:
    """The SHA-256 hex digest of an article's title, cleaned text and date.

    Parameters
    ----------
    title, text, published : str or None
        What the article says; a missing title or date counts as empty. Any string
        can be hashed, lone surrogates included.

    Returns
    -------
    str
        64 hex digits; equal for articles that read the same.
    """
    return hashlib.sha256(f"{title or ''}\n{text}\n{published or ''}".encode("utf-8", "surrogatepass")).hexdigest()


def shown(path: Path | str) -> str:
    """A path as printable text: bytes of the name that are not UTF-8 become ``\\xNN``.

    >>> shown(os.fsdecode(b"caf\\xe9.txt"))
    'caf\\\\xe9.txt'
    """
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def _no_surrogates(value: str, field: str, warnings: list[str]) -> str:
    if not _SURROGATE.search(value):
        return value
    warnings.append(f'lone surrogate in "{field}" replaced with U+FFFD')
    return _SURROGATE.sub("\ufffd", value)


def _iri_or_none(url: str | None, warnings: list[str]) -> str | None:
    """The URL if it is an absolute http(s) IRI, else ``None`` with a warning."""
    if url is None:
        return None
    try:
        parts = urlsplit(url)
        ok = parts.scheme in ("http", "https") and bool(parts.netloc) and not _NOT_IN_IRI.search(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        ok = False
    if not ok:
        warnings.append(f'"url" ignored: {url[:80]!r} is not an http(s) IRI')
        return None
    return url


def _cut(text: str, warnings: list[str]) -> str:
    """``text`` cut at the last paragraph break (else line break, else space) before ``MAX_CHARS``."""
    if len(text) <= MAX_CHARS:
        return text
    end = MAX_CHARS
    for sep in ("\n\n", "\n", " "):
        at = text.rfind(sep, MAX_CHARS // 2, MAX_CHARS)
        if at != -1:
            end = at
            break
    warnings.append(f"article cut to its first {end:,} of {len(text):,} characters (the limit is {MAX_CHARS:,})")
    return text[:end].rstrip()


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
    if fmt == "html":
        from extractors.pages import read_page  # trafilatura only when a page is read

        cleaned = read_page(raw, url, title_hint=title, published_hint=published).cleaned
    else:
        cleaned = clean_text(raw, fmt, published_hint=published, title_hint=title)
    return make_article(cleaned, key=key, name=name, source=source, url=url, warnings=warnings)


def make_article(
    cleaned: Cleaned, *, key: str, name: str, source: str, url: str | None = None, warnings: tuple[str, ...] = ()
) -> Article | Skipped:
    """The article of a cleaned text (cut at ``MAX_CHARS``), or a skip when no text is left.

    Parameters
    ----------
    cleaned : Cleaned
        Body, title and date.
    key, name, source : str
        As :class:`~extractors.records.Article`; ``url``, when given, is the key.
    url : str, optional
        The article's (canonical) URL.
    warnings : tuple of str
        Notes so far; a cut adds one.
    """
    if not cleaned.text.strip():
        return Skipped(source, "no article text left after removing page chrome")
    notes = list(warnings)
    text = _cut(cleaned.text, notes)
    return Article(
        key=url or key,
        name=name,
        source=source,
        text=text,
        title=cleaned.title,
        published=cleaned.published,
        url=url,
        content_hash=content_hash(cleaned.title, text, cleaned.published),
        warnings=tuple(notes),
    )


def _decode(data: bytes) -> tuple[str | None, tuple[str, ...]]:
    """Text from bytes: UTF-8, or UTF-16/32 when a byte order mark says so (the mark
    removed); invalid bytes replaced, with a warning saying where. ``None``: binary."""
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding, data = name, data[len(bom) :]
            break
    else:
        if b"\x00" in data[:BINARY_SNIFF_BYTES]:
            return None, ()
    try:
        text, warnings = data.decode(encoding), ()
    except UnicodeDecodeError as e:
        label = "UTF-8" if encoding == "utf-8" else encoding.upper()
        text = data.decode(encoding, errors="replace")
        warnings = (f"invalid {label} at byte {e.start}: bad bytes replaced",)
    if "\x00" in text[:BINARY_SNIFF_BYTES]:
        return None, ()
    return text, warnings


def _string(row: dict[str, Any], field: str, warnings: list[str]) -> str | None:
    value = row.get(field)
    if not isinstance(value, str) or not value.strip():
        return None
    return _no_surrogates(value.strip(), field, warnings)


def _row(row: Any, path: Path, where: str, number: int, key: str, warnings: tuple[str, ...]) -> Article | Skipped:
    if not isinstance(row, dict):
        return Skipped(where, f'expected a JSON object with a "text" field, got {type(row).__name__}')
    notes = list(warnings)
    body = _string(row, "text", notes)
    if body is None:
        return Skipped(where, 'no "text" field with article text')
    fmt = "html" if any(hint in body.lower() for hint in _HTML_HINTS) else "txt"
    published = _string(row, "published", notes)
    name = f"{shown(path.name)}#{number}"
    item = _article(
        body,
        fmt,
        key=f"{key}#{number}",
        name=name,
        source=shown(path),
        title=_string(row, "title", notes),
        published=parse_published(published) if published else None,
        url=_iri_or_none(_string(row, "url", notes), notes),
        warnings=tuple(notes),
    )
    return Skipped(where, item.reason) if isinstance(item, Skipped) else item


def _jsonl(path: Path, key: str, text: str, warnings: tuple[str, ...]) -> Iterator[Article | Skipped]:
    # Split on line feeds only: a JSON string may hold U+2028 and other line separators.
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{shown(path)}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            yield Skipped(where, f"not valid JSON ({e.msg} at column {e.colno})")
            continue
        except RecursionError:
            yield Skipped(where, "JSON nested too deeply")
            continue
        except ValueError as e:
            yield Skipped(where, f"not valid JSON ({e})")
            continue
        try:
            yield _row(row, path, where, number, key, warnings)
        except Exception as e:  # one row's failure is that row's message
            yield Skipped(where, f"could not be read ({type(e).__name__}: {e})")


def _kind(mode: int) -> str | None:
    """What a file system entry is, when it is not a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _read_bytes(path: Path) -> bytes | str:
    """The bytes of a regular file, or the reason it is not read. The size is counted
    while reading (``/proc`` files and devices report 0); FIFOs and devices are never opened
    for a blocking read."""
    try:
        kind = _kind(os.stat(path).st_mode)
        if kind is not None:
            return f"not a regular file ({kind})"
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as f:
            kind = _kind(os.fstat(f.fileno()).st_mode)  # replaced between stat and open
            if kind is not None:
                return f"not a regular file ({kind})"
            data = _read_at_most(f, MAX_BYTES + 1, os.fstat(f.fileno()).st_size)
    except OSError as e:
        return e.strerror or str(e)
    if len(data) > MAX_BYTES:
        return f"file too large (over {MAX_BYTES} bytes)"
    return data


def _read_at_most(f, limit: int, size: int) -> bytes:
    """Up to ``limit`` bytes of ``f``, read in pieces the size of the file as it says it is
    (a single ``read(limit)`` would allocate ``limit`` bytes for every small file), then in
    1 MB pieces for what it did not say (``/proc`` files report 0)."""
    chunks: list[bytes] = []
    total, want = 0, (size + 1 if size else 1 << 16)
    while total < limit:
        chunk = f.read(min(want, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = 1 << 20
    return b"".join(chunks)


def _key(path: Path, root: Path | None) -> str:
    """The article key of a file: its path relative to the input root given, else its name."""
    if root is not None and path != root:
        try:
            return shown(path.relative_to(root).as_posix())
        except ValueError:
            pass
    return shown(path.name)


def read_path(path: Path, root: Path | None = None) -> Iterator[Article | Skipped]:
    """Read the article(s) in one file.

    Parameters
    ----------
    path : Path
        A ``.txt``, ``.md``/``.markdown``, ``.html``/``.htm`` or ``.jsonl`` file.
    root : Path, optional
        The folder it was found in, given as input: the article key is the path relative
        to it (``a/story.md``), so equal file names in two folders are two articles.
        Without it the key is the file name.

    Yields
    ------
    Article or Skipped
        One article (a ``.jsonl`` file: one per good line), or the reason the file (or a
        line of it, named ``file.jsonl:LINE``) could not be read: missing or unreadable,
        not a regular file, unsupported type, too large, binary, empty, malformed JSON,
        no text.
    """
    path = Path(path)
    source = shown(path)
    data = _read_bytes(path)
    if isinstance(data, str):
        yield Skipped(source, data)
        return
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        suffix = shown(path.suffix) or "(none)"
        yield Skipped(source, f"unsupported file type {suffix}; expected .txt, .md, .html or .jsonl")
        return
    text, warnings = _decode(data)
    if text is None:
        yield Skipped(source, "binary file")
        return
    if not text.strip():
        yield Skipped(source, "empty file")
        return
    key = _key(path, root)
    if fmt == "jsonl":
        yield from _jsonl(path, key, text, warnings)
        return
    yield _article(text, fmt, key=key, name=shown(path.name), source=source, warnings=warnings)


def walk(paths: Iterable[Path]) -> Iterator[tuple[Path, Path | None]]:
    """Each file under ``paths`` with the input folder it was found in (``None`` for a file
    given itself), folders in sorted order. Every entry that is not a folder is listed, so
    a FIFO or a link is named, not passed over in silence; hidden files and Python package
    files beside a corpus are passed over."""
    for path in map(Path, paths):
        if not path.is_dir():
            yield path, None
            continue
        for p in sorted(path.rglob("*")):
            parts = p.relative_to(path).parts
            if p.is_dir() and not p.is_symlink():
                continue
            if any(part.startswith((".", "__")) for part in parts) or p.suffix.lower() in (".py", ".pyc"):
                continue
            yield p, path


def read_paths(paths: Iterable[Path]) -> Iterator[Article | Skipped]:
    """Read the articles of files and folders.

    Parameters
    ----------
    paths : iterable of Path
        Files, and folders walked recursively (in sorted order).

    Yields
    ------
    Article or Skipped
        As :func:`read_path`, for every file in turn; a file whose reading fails in any
        other way is skipped with that reason, and the next one is read.
    """
    for file, root in walk(paths):
        try:
            yield from read_path(file, root)
        except Exception as e:  # one file's failure is that file's message
            yield Skipped(shown(file), f"could not be read ({type(e).__name__}: {e})")
