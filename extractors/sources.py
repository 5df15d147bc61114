"""Reading every kind of source: files and folders, page URLs, feeds (by URL or as a local
file) and text files listing URLs.

:func:`read_sources` is :func:`extractors.reader.read_paths` widened to the web. Files and
folders are read as before, without any network. A URL is fetched through the
:class:`~extractors.fetch.Fetcher` and kept in the :class:`~extractors.cache.Cache`: a feed
gives its items' pages, a page gives one article keyed by its canonical URL
(``rel=canonical``, else the feed GUID when it is a URL, else the URL answered), so one story
reached by two links is read once. Every failure is a :class:`~extractors.records.Skipped`
naming the URL and the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from extractors.cache import Cache, Entry
from extractors.clean import Cleaned, clean_text
from extractors.feeds import FeedError, FeedItem, looks_like_feed, read_feed
from extractors.fetch import FEED_TYPES, PAGE_TYPES, Fetcher, FetchError, is_url
from extractors.reader import MAX_BYTES, make_article, read_paths, shown
from extractors.records import Article, Skipped

__all__ = ["FEED_SUFFIXES", "LIST_SUFFIXES", "SourceReader", "read_sources", "uses_network"]

#: Local files given by name that are read as feeds, and as lists of URLs (``.txt`` too,
#: when every line that is not blank or a ``#`` comment is an http(s) URL).
FEED_SUFFIXES = (".rss", ".atom", ".xml")
LIST_SUFFIXES = (".urls", ".txt")
_LIST_MAX_BYTES = 1024 * 1024


def _list_urls(path: Path) -> list[str] | None:
    """The URLs of a list file, or ``None`` when it is not one."""
    if path.suffix.lower() not in LIST_SUFFIXES or not path.is_file():
        return None
    try:
        with path.open("rb") as f:
            data = f.read(_LIST_MAX_BYTES + 1)
    except OSError:
        return None
    if len(data) > _LIST_MAX_BYTES:
        return None
    lines = [line.strip() for line in data.decode("utf-8", "replace").splitlines()]
    urls = [line for line in lines if line and not line.startswith("#")]
    return urls if urls and all(is_url(u) for u in urls) else None


def uses_network(source: str) -> bool:
    """Whether reading ``source`` (as given on the command line) may use the network."""
    if is_url(source):
        return True
    path = Path(source)
    return (path.suffix.lower() in FEED_SUFFIXES and path.is_file()) or _list_urls(path) is not None


def _name(url: str) -> str:
    parts = urlsplit(url)
    last = parts.path.rstrip("/").rpartition("/")[2]
    return last or parts.netloc


def _key(url: str) -> str:
    return urldefrag(url)[0]


@dataclass
class SourceReader:
    """Reads sources with one fetcher and cache; counts what it fetched.

    Parameters
    ----------
    fetcher : Fetcher
        The HTTP client.
    cache : Cache, optional
        Where fetched bodies are kept; without one every URL is fetched.
    refresh : bool
        Ask the server again for cached URLs (a conditional request); else a cached URL is
        read from the cache alone.
    """

    fetcher: Fetcher
    cache: Cache | None = None
    refresh: bool = False
    seen: set[str] = field(default_factory=set)
    not_modified: int = 0

    def _fetch(self, url: str) -> tuple[Entry, bytes]:
        cached = self.cache.get(url) if self.cache else None
        if cached is not None and not self.refresh:
            return cached
        old = cached[0] if cached else None
        answer = self.fetcher.get(url, etag=old and old.etag, last_modified=old and old.last_modified)
        if answer.status == 304 and cached is not None:
            self.not_modified += 1
            old.fetched = answer.fetched
            self.cache.put(old)
            return cached
        if answer.status == 304:  # a 304 to an unconditional request
            raise FetchError("HTTP 304 to a request without validators")
        entry = Entry(url, answer.url, answer.fetched, answer.content_type, answer.etag, answer.last_modified)
        if self.cache:
            self.cache.put(entry, answer.body)
        return entry, answer.body

    def _save(self, entry: Entry) -> None:
        if self.cache:
            self.cache.put(entry)

    def read(self, sources: Iterable[str | Path]) -> Iterator[Article | Skipped]:
        """Read each source in turn (see :func:`read_sources`)."""
        for source in sources:
            text = str(source)
            try:
                if is_url(text):
                    yield from self._url(text)
                    continue
                path = Path(source)
                urls = _list_urls(path)
                if urls is not None:
                    for url in urls:
                        yield from self._url(url)
                elif path.suffix.lower() in FEED_SUFFIXES and path.is_file():
                    yield from self._local_feed(path)
                else:
                    yield from self._unique(read_paths([path]))
            except Exception as e:  # one source's failure is that source's message
                yield Skipped(shown(text), f"could not be read ({type(e).__name__}: {e})")

    def _unique(self, items: Iterable[Article | Skipped]) -> Iterator[Article | Skipped]:
        for item in items:
            if isinstance(item, Article):
                if item.key in self.seen:
                    continue
                self.seen.add(item.key)
            yield item

    def _url(self, url: str) -> Iterator[Article | Skipped]:
        try:
            entry, body = self._fetch(url)
        except FetchError as e:
            yield Skipped(url, str(e))
            return
        if entry.content_type in FEED_TYPES or (entry.content_type not in PAGE_TYPES and looks_like_feed(body)):
            yield from self._feed(url, entry, body)
            return
        yield from self._unique([self._page(url, entry, body)])

    def _feed(self, where: str, entry: Entry | None, body: bytes) -> Iterator[Article | Skipped]:
        try:
            if entry is not None and entry.extracted and "items" in entry.extracted:
                items = [FeedItem(**item) for item in entry.extracted["items"]]
            else:
                items = read_feed(body)
                if entry is not None:
                    entry.extracted = {"items": [asdict(item) for item in items]}
                    self._save(entry)
        except FeedError as e:
            yield Skipped(where, str(e))
            return
        for number, item in enumerate(items, 1):
            if item.link and is_url(item.link):
                yield from self._item(item)
            elif item.content:
                key = item.guid if item.permalink else f"{where}#{item.guid or number}"
                cleaned = _with_hints(_read_markup(item.content, None)[0], item)
                url = key if item.permalink else None
                yield from self._unique([make_article(cleaned, key=key, name=_name(key), source=key, url=url)])
            else:
                yield Skipped(f"{where}#{number}", "feed item without a link or content")

    def _local_feed(self, path: Path) -> Iterator[Article | Skipped]:
        try:
            with path.open("rb") as f:
                body = f.read(MAX_BYTES + 1)
        except OSError as e:
            yield Skipped(shown(path), e.strerror or str(e))
            return
        if len(body) > MAX_BYTES:
            yield Skipped(shown(path), f"file too large (over {MAX_BYTES} bytes)")
            return
        yield from self._feed(shown(path), None, body)

    def _item(self, item: FeedItem) -> Iterator[Article | Skipped]:
        try:
            entry, body = self._fetch(item.link)
        except FetchError as e:
            yield Skipped(item.link, str(e))
            return
        if entry.content_type not in PAGE_TYPES:
            yield Skipped(item.link, f"not HTML or text (content type {entry.content_type or 'missing'})")
            return
        yield from self._unique([self._page(item.link, entry, body, item)])

    def _page(self, url: str, entry: Entry, body: bytes, item: FeedItem | None = None) -> Article | Skipped:
        """The article of a fetched page, extracting it only when the cache has no extraction."""
        page = (entry.extracted or {}).get("page")
        if page is None:
            cleaned, canonical, site = _read_markup(_decode(body), entry.final_url, entry.content_type)
            page = {"cleaned": asdict(cleaned), "canonical": canonical, "site": site}
            entry.extracted = {"page": page}
            self._save(entry)
        cleaned = _with_hints(Cleaned(**page["cleaned"]), item)
        guid = item.guid if item is not None and item.permalink else None
        key = _key(page["canonical"] or guid or entry.final_url)
        return make_article(cleaned, key=key, name=_name(key), source=url, url=key)


def _decode(body: bytes) -> str:
    from extractors.pages import decode_page

    return decode_page(body)


def _read_markup(raw: str, url: str | None, content_type: str = "text/html") -> tuple[Cleaned, str | None, str | None]:
    if content_type == "text/plain":
        return clean_text(raw, "txt"), None, None
    from extractors.pages import read_page

    page = read_page(raw, url)
    return page.cleaned, page.canonical, page.site


def _with_hints(cleaned: Cleaned, item: FeedItem | None) -> Cleaned:
    """The feed item's title and date where the page has none."""
    if item is None:
        return cleaned
    return Cleaned(cleaned.text, cleaned.title or item.title, cleaned.published or item.published)


def read_sources(
    sources: Iterable[str | Path], *, cache: Path | None = None, refresh: bool = False, fetcher: Fetcher | None = None
) -> Iterator[Article | Skipped]:
    """Read the articles of files, folders, page and feed URLs, feed files and URL lists.

    Parameters
    ----------
    sources : iterable of str or Path
        As given on the command line; only URLs, feeds and URL lists use the network.
    cache : Path, optional
        The cache folder (``STORE/cache``); without it nothing is kept.
    refresh : bool
        Revalidate cached URLs with conditional requests instead of reading the cache alone.
    fetcher : Fetcher, optional
        The HTTP client (default settings when not given; closed at the end when made here).

    Yields
    ------
    Article or Skipped
        Each article once (by key), or a skip naming the file, line or URL with the reason.
    """
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    store = Cache(cache) if cache else None
    if fetcher.cache is None:
        fetcher.cache = store
    try:
        yield from SourceReader(fetcher, store, refresh).read(sources)
    finally:
        if own:
            fetcher.close()
