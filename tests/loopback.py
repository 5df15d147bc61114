"""A news site on 127.0.0.1 for the source tests: pages, feeds and bad cases written here,
about invented companies and people. Started by a test, stopped at its end."""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COMPANIES = ["Quorvex Data", "Lumtrail Labs", "Brindlemark AI", "Taskwell Annotate", "Ferncove Systems",
             "Ostrava Signals", "Pellmark Robotics", "Virelle Health", "Conbright Audio", "Nimbrook Logistics",
             "Saltmere Vision", "Hollowfen Labs"]  # fmt: skip
INVESTORS = ["Garnet Peak Capital", "Ironleaf Ventures", "Bluequay Partners", "Mossgate Fund", "Redcliff Growth",
             "Amberlane Capital", "Tidewell Ventures", "Northhollow Capital", "Silverbirch Fund", "Oakmere Partners",
             "Greyfield Ventures", "Copperfen Capital"]  # fmt: skip
CHROME_HEAD = """<header><nav class="site-nav"><a href="/">Home</a> <a href="/markets">Markets</a>
<a href="/deals">Deals</a> <a href="/about">About Datawire Daily</a></nav></header>
<div class="cookie-banner" role="dialog"><p>We use cookies to give you the best experience on Datawire Daily.</p>
<button>Accept all cookies</button></div>"""
CHROME_TAIL = """<aside class="related-stories"><h3>Related stories</h3><ul>
<li><a href="/x1">Harbourline Data opens an office in Porto after a record quarter</a></li>
<li><a href="/x2">Why annotation vendors are hiring linguists again this spring</a></li></ul></aside>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>Great reporting, I always wondered who funds these labelling shops.</p></div>
<div class="comment"><p>This will not end well for the contractors doing the actual work.</p></div></section>
<div class="newsletter-box"><h3>Get the Datawire briefing</h3>
<p>Sign up for our free newsletter and get the top data-labelling stories every morning.</p>
<form><input type="email" placeholder="you@example.com"><button>Subscribe</button></form></div>
<footer><p>Copyright 2026 Datawire Daily Media. All rights reserved.</p></footer>"""
#: Sentences of the chrome above: none may reach an article's text.
CHROME_SENTENCES = [
    "We use cookies to give you the best experience on Datawire Daily.",
    "Accept all cookies",
    "Harbourline Data opens an office in Porto after a record quarter",
    "Why annotation vendors are hiring linguists again this spring",
    "Great reporting, I always wondered who funds these labelling shops.",
    "This will not end well for the contractors doing the actual work.",
    "Sign up for our free newsletter and get the top data-labelling stories every morning.",
    "Copyright 2026 Datawire Daily Media. All rights reserved.",
    "About Datawire Daily",
]


def story(n: int, version: int = 1) -> dict[str, str]:
    """The title, date and body sentences of story ``n`` (``version`` 2: a corrected amount)."""
    company, investor = COMPANIES[n % len(COMPANIES)], INVESTORS[n % len(INVESTORS)]
    amount = 10 + n * 5 + (100 if version > 1 else 0)
    return {
        "title": f"{company} raises ${amount} million from {investor}",
        "date": f"2026-03-{n + 1:02d}",
        "sentences": [
            f"{company} raised ${amount} million from {investor} in a round announced on Monday.",
            f"The money will pay for new annotation teams in Lisbon and Nairobi, {company} said.",
            f"{investor} has backed several labelling vendors over the past two years.",
        ],
    }


def page(n: int, version: int = 1, *, canonical: str | None = None) -> str:
    """Story ``n`` as a page with realistic chrome around it."""
    s = story(n, version)
    body = "".join(f"<p>{sentence}</p>\n" for sentence in s["sentences"])
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{s["title"]} | Datawire Daily</title>{link}
<meta property="og:site_name" content="Datawire Daily">
<meta property="article:published_time" content="{s["date"]}T09:00:00Z">
<script>window.dataLayer = [];</script></head><body>
{CHROME_HEAD}
<main><article><h1>{s["title"]}</h1><p class="byline">By Tamsin Orell, markets reporter</p>
{body}</article></main>
{CHROME_TAIL}
</body></html>"""


def rss(base: str, numbers, *, link=lambda base, n: f"{base}/news/story-{n}.html") -> str:
    items = "".join(
        f"""<item><title>{story(n)["title"]}</title><link>{link(base, n)}</link>
<guid isPermaLink="true">{base}/news/story-{n}.html</guid>
<pubDate>{formatdate(time.mktime((2026, 3, n + 1, 9, 0, 0, 0, 0, 0)), usegmt=True)}</pubDate></item>"""
        for n in numbers
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Datawire Daily: deals</title><link>{base}/</link>
<description>Funding news</description>{items}</channel></rss>"""


@dataclass
class Resource:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    validators: bool = True
    sleep: float = 0.0
    #: Send no Content-Length (the body ends when the connection closes).
    no_length: bool = False


class Site:
    """The server: ``site.resources[path]`` is what a GET of ``path`` answers; ``site.log``
    lists ``(path, status, body bytes sent)`` for every request."""

    def __init__(self) -> None:
        self.resources: dict[str, Resource] = {}
        self.log: list[tuple[str, int, int]] = []
        self.user_agents: set[str] = set()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.serve(self)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def put(self, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8", **kw) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.resources[path] = Resource(data, content_type, **kw)

    def serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        self.user_agents.add(handler.headers.get("User-Agent", ""))
        resource = self.resources.get(path)
        if resource is None:
            self._answer(handler, path, 404, b"<h1>Not found</h1>", "text/html")
            return
        if resource.sleep:
            time.sleep(resource.sleep)
        headers = dict(resource.headers)
        if resource.status == 200 and resource.validators:
            etag = '"' + hashlib.sha256(resource.body).hexdigest()[:16] + '"'
            headers["ETag"] = etag
            headers["Last-Modified"] = "Mon, 02 Mar 2026 09:00:00 GMT"
            if handler.headers.get("If-None-Match") == etag:
                self._answer(handler, path, 304, b"", None, headers)
                return
        self._answer(handler, path, resource.status, resource.body, resource.content_type, headers, resource.no_length)

    def _answer(self, handler, path, status, body, content_type, headers=None, no_length=False) -> None:
        self.log.append((path, status, len(body)))
        try:
            handler.send_response(status)
            if content_type:
                handler.send_header("Content-Type", content_type)
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            if not no_length:
                handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            for start in range(0, len(body), 65536):
                handler.wfile.write(body[start : start + 65536])
        except (BrokenPipeError, ConnectionResetError):
            pass

    def bodies(self, since: int = 0) -> list[tuple[str, int, int]]:
        """Requests after the first ``since`` that sent a body."""
        return [row for row in self.log[since:] if row[2] and row[1] == 200]


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loopback_only(monkeypatch) -> None:
    """Make any connection to a host other than 127.0.0.1 fail loudly."""
    real = socket.socket.connect

    def connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "::1", "localhost") and not isinstance(address, str | bytes):
            raise AssertionError(f"network use outside loopback: {address!r}")
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
