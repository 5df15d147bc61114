"""RSS and Atom feeds, read with feedparser from bytes already fetched or read (feedparser
never fetches here: it is given the document, not a URL)."""

from __future__ import annotations

from dataclasses import dataclass

from extractors.dates import parse_published
from extractors.fetch import is_url

__all__ = ["FeedError", "FeedItem", "looks_like_feed", "read_feed"]


class FeedError(ValueError):
    """A document that is not a readable feed; ``str(e)`` is the reason."""


@dataclass(frozen=True)
class FeedItem:
    """One entry: where its page is, its GUID (``permalink`` when the GUID is the page's
    URL), title, publication date (ISO prefix) and any content the feed carries."""

    link: str | None
    guid: str | None
    permalink: bool
    title: str | None
    published: str | None
    content: str | None = None


def looks_like_feed(body: bytes) -> bool:
    """Whether a document starts like RSS, Atom or RDF (after an XML declaration)."""
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml"):
        head = head[head.find(b"?>") + 2 :].lstrip()
        while head.startswith((b"<!--", b"<?")):
            end = head.find(b"-->" if head.startswith(b"<!--") else b"?>")
            head = head[end + 3 :].lstrip() if end != -1 else b""
    return head.startswith((b"<rss", b"<feed", b"<rdf:rdf", b"<rdf"))


def _date(entry) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"
    for key in ("published", "updated"):
        if entry.get(key):
            return parse_published(entry[key])
    return None


def _content(entry) -> str | None:
    for part in entry.get("content") or []:
        if part.get("value", "").strip():
            return part["value"]
    return None


def read_feed(body: bytes) -> list[FeedItem]:
    """The items of a feed, in the feed's order.

    Raises
    ------
    FeedError
        When the document is not well-formed XML of a feed, or holds no feed at all.
    """
    import feedparser

    parsed = feedparser.parse(body, sanitize_html=True, resolve_relative_uris=True)
    usable = [e for e in parsed.entries if e.get("link") or _content(e)]
    if parsed.get("bozo") and not usable:
        problem = parsed.get("bozo_exception")
        raise FeedError(f"malformed feed ({_first_line(problem)})")
    if not parsed.get("version") and not usable:
        raise FeedError("malformed feed (no RSS or Atom channel)")
    items = []
    for entry in usable:
        guid = entry.get("id") or None
        items.append(
            FeedItem(
                link=entry.get("link") or None,
                guid=guid,
                permalink=bool(guid) and is_url(guid),
                title=" ".join((entry.get("title") or "").split()) or None,
                published=_date(entry),
                content=_content(entry),
            )
        )
    return items


def _first_line(e: object) -> str:
    text = str(e).splitlines()[0][:160] if e is not None and str(e) else ""
    return text or "unreadable"
