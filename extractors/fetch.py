"""Fetching web pages and feeds politely with httpx.

One :class:`Fetcher` per run: a User-Agent naming labelgraph, timeouts, a size cap counted
while streaming, redirects followed by hand (bounded, loops named), a delay between two
requests to one host, robots.txt honoured (:mod:`urllib.robotparser`), and only HTML, text
and feed types accepted. Every failure is a :class:`FetchError` whose message is the one-line
reason a skip message shows. Nothing is fetched at import.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from extractors.cache import Cache, Entry

__all__ = ["FEED_TYPES", "PAGE_TYPES", "USER_AGENT", "FetchError", "Fetched", "Fetcher", "is_url"]

USER_AGENT = "labelgraph/0.1 (+https://w3id.org/labelgraph; knowledge-graph builder)"
#: Content types read as pages and as feeds; any other is refused ("not HTML or text").
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
                        "application/rdf+xml", "application/feed+json"})  # fmt: skip
#: A whole body may take at most this many times the timeout (a server sending a byte at a time).
_WHOLE = 4


def is_url(text: str) -> bool:
    """Whether ``text`` is an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in text


class FetchError(Exception):
    """A source that could not be fetched; ``str(e)`` is the reason."""


@dataclass(frozen=True)
class Fetched:
    """One answer: ``status`` 200 with ``body``, or 304 (not modified, no body)."""

    url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    fetched: str = ""


@dataclass
class Fetcher:
    """A polite HTTP client for one run (use as a context manager).

    Parameters
    ----------
    timeout : float
        Seconds for connecting and for each read; a whole body at most four times that.
    max_bytes : int
        A larger body is refused ("too large"), counted while streaming.
    max_redirects : int
        More redirects than this are refused.
    delay : float
        Seconds between two requests to the same host.
    """

    timeout: float = 15.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    delay: float = 1.0
    #: Where robots.txt files are kept between runs (asked for again conditionally).
    cache: Cache | None = None
    requests: int = 0
    downloaded: int = 0
    _client: httpx.Client | None = field(default=None, repr=False)
    _last: dict[str, float] = field(default_factory=dict, repr=False)
    _robots: dict[str, RobotFileParser | None] = field(default_factory=dict, repr=False)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                timeout=httpx.Timeout(self.timeout),
                follow_redirects=False,
                headers={
                    "User-Agent": USER_AGENT,
                    "Accept": "text/html, application/xhtml+xml, application/rss+xml, "
                    "application/atom+xml, application/xml;q=0.9, text/plain;q=0.8",
                },
                trust_env=False,
            )
        return self._client

    def _wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = self.delay - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)
        self._last[host] = time.monotonic()

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin + "/robots.txt")
        rules = self._robots[origin]
        return rules is None or rules.can_fetch(USER_AGENT, url)

    def _read_robots(self, url: str) -> RobotFileParser | None:
        """The robots.txt rules of a host; ``None`` (all allowed) when it has none."""
        cached = self.cache.get(url) if self.cache else None
        headers = _validators(cached[0].etag, cached[0].last_modified) if cached else {}
        try:
            answer = self._once(url, headers, (), check_type=False)
        except FetchError:
            return None
        if answer.status == 304 and cached:
            body = cached[1]
        elif answer.status == 200:
            body = answer.body
            if self.cache:
                entry = Entry(url, url, answer.fetched, answer.content_type, answer.etag, answer.last_modified, {})
                self.cache.put(entry, body)
        else:
            return None
        rules = RobotFileParser(url)
        rules.parse(body.decode("utf-8", "replace").splitlines())
        return rules

    def _once(self, url: str, headers: dict[str, str], types, *, check_type: bool = True) -> Fetched:
        """One request, no redirect followed; 3xx returned with the target in ``content_type``."""
        self._wait(urlsplit(url).netloc)
        self.requests += 1
        try:
            with self._http().stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in (301, 302, 303, 307, 308):
                    target = response.headers.get("location")
                    if not target:
                        raise FetchError(f"HTTP {status} without a Location")
                    return Fetched(url, status, content_type=urljoin(url, target))
                if status == 304:
                    return Fetched(url, 304, fetched=_now())
                if status != 200:
                    if check_type:
                        raise FetchError(f"HTTP {status} {response.reason_phrase}".rstrip())
                    return Fetched(url, status)
                kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if check_type and kind not in types:
                    raise FetchError(f"not HTML or text (content type {kind or 'missing'})")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(f"too large (over {self.max_bytes} bytes)")
                chunks, size = [], 0
                deadline = time.monotonic() + _WHOLE * self.timeout
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(f"too large (over {self.max_bytes} bytes)")
                    if time.monotonic() > deadline:
                        raise FetchError(f"timed out (the body took over {_WHOLE * self.timeout:g}s)")
                    chunks.append(chunk)
                self.downloaded += size
                return Fetched(
                    url,
                    200,
                    b"".join(chunks),
                    kind,
                    response.headers.get("etag"),
                    response.headers.get("last-modified"),
                    _now(),
                )
        except httpx.TimeoutException:
            raise FetchError(f"timed out (after {self.timeout:g}s)") from None
        except httpx.ConnectError as e:
            raise FetchError(f"unreachable host ({_first_line(e)})") from None
        except httpx.HTTPError as e:
            raise FetchError(f"HTTP error ({type(e).__name__}: {_first_line(e)})") from None

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None, types=PAGE_TYPES | FEED_TYPES
    ) -> Fetched:
        """Fetch ``url``, conditionally when validators are given, following redirects.

        Raises
        ------
        FetchError
            On a status other than 200/304, a timeout, an unreachable host, a body over
            ``max_bytes``, a redirect loop or too many redirects, a type not in ``types``,
            or a URL robots.txt disallows.
        """
        headers = _validators(etag, last_modified)
        seen = [url]
        while True:
            if not self._allowed(url):
                raise FetchError("disallowed by robots.txt")
            answer = self._once(url, headers, types)
            if answer.status not in (301, 302, 303, 307, 308):
                return answer
            url = answer.content_type
            if url in seen:
                raise FetchError(f"redirect loop ({len(seen)} hops back to {url})")
            if len(seen) > self.max_redirects:
                raise FetchError(f"too many redirects (over {self.max_redirects})")
            if not is_url(url):
                raise FetchError(f"redirected to a URL that is not http(s): {url[:80]}")
            seen.append(url)


def _validators(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """The headers of a conditional request."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _first_line(e: BaseException) -> str:
    text = str(e).splitlines()[0][:160] if str(e) else ""
    return text or type(e).__name__
