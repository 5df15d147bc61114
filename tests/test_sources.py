"""Sources beyond files: page and feed URLs, feed files and URL lists, fetched from a
news site the test starts on 127.0.0.1 (tests/loopback.py), with the fetch cache."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from loopback import CHROME_SENTENCES, Site, closed_port, loopback_only, page, rss, story
from typer.testing import CliRunner

from extractors.fetch import USER_AGENT, Fetcher
from extractors.records import Article, Skipped
from extractors.sources import read_sources
from graph.cli.main import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _loopback(monkeypatch):
    loopback_only(monkeypatch)


@pytest.fixture
def site():
    with Site() as s:
        for n in range(12):
            s.put(f"/news/story-{n}.html", page(n))
        s.put("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
        s.put("/feed.xml", rss(s.base, range(10)), "application/rss+xml")
        yield s


def _read(sources, **kw):
    with Fetcher(delay=0, timeout=kw.pop("timeout", 5)) as fetcher:
        return list(read_sources(sources, fetcher=fetcher, **kw))


def _articles(store: Path) -> dict[str, tuple[str, str]]:
    """Stored articles: URL -> (title, date)."""
    from graph.storage.store import Store

    q = """PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX schema: <https://schema.org/>
    PREFIX lg: <https://w3id.org/labelgraph/ontology#>
    SELECT ?u ?t ?d WHERE { ?a a lg:Article ; schema:url ?u ; dcterms:title ?t ; dcterms:date ?d }"""
    with Store(store, read_only=True) as s:
        return {str(u): (str(t), str(d)) for u, t, d in s.dataset.query(q)}


def test_sources_feed_items_read_with_titles_dates_and_canonical_keys(site):
    items = _read([site.base + "/feed.xml"])
    assert all(isinstance(i, Article) for i in items) and len(items) == 10
    first = items[0]
    assert first.key == first.url == site.base + "/news/story-0.html"
    assert first.title == story(0)["title"] and first.published == "2026-03-01"
    assert all(s in first.text for s in story(0)["sentences"])
    assert not any(c in first.text for c in CHROME_SENTENCES)
    assert site.user_agents == {USER_AGENT} and "labelgraph" in USER_AGENT


def test_sources_one_story_by_two_links_is_one_article(site, tmp_path):
    canonical = site.base + "/news/story-2.html"
    site.put("/news/story-2.html?utm_source=mail", page(2, canonical=canonical))
    site.put("/r/2", b"", status=302, headers={"Location": "/news/story-2.html?ref=feed"})
    site.put("/news/story-2.html?ref=feed", page(2))  # no rel=canonical: the feed GUID is the key
    site.put("/tracked.xml", rss(site.base, [2], link=lambda base, n: f"{base}/r/{n}"), "application/rss+xml")
    listing = tmp_path / "reading.urls"
    listing.write_text(f"# my list\n{canonical}\n{site.base}/news/story-2.html?utm_source=mail\n\n", encoding="utf-8")
    items = _read([listing, site.base + "/tracked.xml"])
    assert [i.key for i in items] == [canonical]


def test_sources_local_feed_file_and_files_together(site, tmp_path):
    feed = tmp_path / "alerts.rss"
    feed.write_text(rss(site.base, [4, 5]), encoding="utf-8")
    note = tmp_path / "note.txt"
    note.write_text("Quorvex Data hired Ilsa Marrow as chief executive.\n", encoding="utf-8")
    items = _read([feed, note])
    assert [i.key for i in items] == [site.base + "/news/story-4.html", site.base + "/news/story-5.html", "note.txt"]


def test_sources_cache_rebuild_reads_cache_and_refresh_is_conditional(site, tmp_path):
    cache = tmp_path / "cache"
    first = _read([site.base + "/feed.xml"], cache=cache)
    entries = [json.loads(p.read_text()) for p in cache.glob("*.json")]
    assert len(entries) == 12  # robots.txt, the feed, its 10 pages
    seen = len(site.log)
    again = _read([site.base + "/feed.xml"], cache=cache)
    assert [a.content_hash for a in again] == [a.content_hash for a in first]
    assert len(site.log) == seen  # a re-build reads the cache: no request at all
    refreshed = _read([site.base + "/feed.xml"], cache=cache, refresh=True)
    assert [a.content_hash for a in refreshed] == [a.content_hash for a in first]
    assert site.bodies(seen) == []  # every page and the feed answered 304
    assert {status for _, status, _ in site.log[seen:]} == {304} and len(site.log) == seen + 12
    page_entry = next(e for e in entries if e["url"].endswith("story-3.html"))
    assert page_entry["etag"] and page_entry["last_modified"] and page_entry["fetched"].startswith("20")


def test_sources_bad_sources_named_one_line_each_rest_lands(site, tmp_path):
    site.put("/error", "<h1>oops</h1>", status=500)
    site.put("/slow", page(1), sleep=2.0)
    site.put("/big", b"<html><body><p>" + b"x" * (6 * 1024 * 1024) + b"</p></body></html>", no_length=True)
    site.put("/loop-a", b"", status=302, headers={"Location": "/loop-b"})
    site.put("/loop-b", b"", status=302, headers={"Location": "/loop-a"})
    site.put("/logo.png", b"\x89PNG\r\n\x1a\n", "image/png")
    site.put("/broken.xml", "<?xml version='1.0'?><rss><channel><item><title>x</item>", "application/rss+xml")
    site.put("/private/memo.html", page(6))
    dead = f"http://127.0.0.1:{closed_port()}/news"
    bad = {
        "/missing": "HTTP 404",
        "/error": "HTTP 500",
        "/slow": "timed out",
        "/big": "too large",
        "/loop-a": "redirect loop",
        "/logo.png": "not HTML or text (content type image/png)",
        "/broken.xml": "malformed feed",
        "/private/memo.html": "disallowed by robots.txt",
    }
    urls = [site.base + "/news/story-7.html", *(site.base + p for p in bad), dead]
    items = _read(urls, timeout=0.5)
    skipped = {i.source: i.reason for i in items if isinstance(i, Skipped)}
    assert [i.key for i in items if isinstance(i, Article)] == [site.base + "/news/story-7.html"]
    assert set(skipped) == {site.base + p for p in bad} | {dead}
    for path, reason in bad.items():
        assert reason in skipped[site.base + path]
    assert skipped[dead].startswith("unreachable host")


def test_sources_feed_title_and_date_fill_what_the_page_lacks(site):
    bare = "<html><body><article>" + "".join(f"<p>{x}</p>" for x in story(11)["sentences"]) + "</article></body></html>"
    site.put("/news/story-11.html", bare)
    site.put("/late.xml", rss(site.base, [11]), "application/rss+xml")
    (article,) = _read([site.base + "/late.xml"])
    assert article.title == story(11)["title"] and article.published == "2026-03-12"


def test_sources_atom_file_with_content_and_a_malformed_feed_file(tmp_path):
    atom = tmp_path / "alerts.atom"
    atom.write_text(
        """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Alerts</title>
<id>urn:uuid:feed-1</id><updated>2026-03-05T10:00:00Z</updated>
<entry><title>Taskwell Annotate hires a chief executive</title><id>urn:uuid:item-7</id>
<updated>2026-03-05T10:00:00Z</updated><content type="html">&lt;p&gt;Taskwell Annotate hired Ilsa Marrow as chief
executive, the company said on Thursday.&lt;/p&gt;</content></entry></feed>""",
        encoding="utf-8",
    )
    broken = tmp_path / "broken.xml"
    broken.write_text("<rss><channel><item><title>half", encoding="utf-8")
    article, skipped = list(read_sources([atom, broken]))
    assert article.key == f"{atom}#urn:uuid:item-7" and article.url is None
    assert article.title == "Taskwell Annotate hires a chief executive" and article.published == "2026-03-05"
    assert "Taskwell Annotate hired Ilsa Marrow" in article.text
    assert skipped.source == str(broken) and skipped.reason.startswith("malformed feed")


def test_sources_files_and_folders_use_no_network(tmp_path, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("network used for local files")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.html").write_text((Path(__file__).with_name("pages") / "newsroom.html").read_text(), "utf-8")
    (folder / "b.md").write_text("# Deal\n\nQuorvex Data bought Saltmere Vision.\n", "utf-8")
    items = list(read_sources([folder], cache=tmp_path / "cache"))
    assert [i.key for i in items] == ["a.html", "b.md"] and not (tmp_path / "cache").exists()


def test_sources_redirects_are_bounded_and_followed(site):
    for hop in range(8):
        site.put(f"/hop/{hop}", b"", status=301, headers={"Location": f"/hop/{hop + 1}"})
    site.put("/hop/8", page(9))
    site.put("/short", b"", status=307, headers={"Location": "/hop/6"})
    (long, short) = _read([site.base + "/hop/0", site.base + "/short"])
    assert isinstance(long, Skipped) and long.reason == "too many redirects (over 5)"
    assert isinstance(short, Article) and short.key == site.base + "/hop/8" and short.source == site.base + "/short"


def test_sources_delay_between_requests_to_one_host(site):
    started = time.monotonic()
    with Fetcher(delay=0.3) as fetcher:
        list(read_sources([site.base + f"/news/story-{n}.html" for n in range(3)], fetcher=fetcher))
    assert time.monotonic() - started >= 0.9  # robots.txt, then three pages, 0.3 s apart


def test_sources_nothing_fetched_at_import_or_extraction():
    """trafilatura, htmldate and feedparser open no connection when imported or reading a
    page whose links, canonical, images and feed point elsewhere."""
    code = """
import socket
def refuse(*a, **k):
    raise SystemExit("network used: %r" % (a,))
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
import extractors.sources, extractors.pages, trafilatura, htmldate, feedparser
from extractors.pages import read_page
from extractors.feeds import read_feed
html = '<html><head><link rel="canonical" href="https://news.example.org/a"><link rel="alternate" type="application/rss+xml" href="https://news.example.org/feed"></head><body><article><p>Ferncove Systems bought Pellmark Robotics for $80 million in cash, the two companies said on Friday.</p><img src="https://cdn.example.org/x.png"></article></body></html>'
page = read_page(html, "https://news.example.org/a?x=1")
assert page.canonical == "https://news.example.org/a", page
read_feed(b'<rss version="2.0"><channel><item><link>https://news.example.org/a</link></item></channel></rss>')
print("ok")
"""
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


@pytest.mark.slow
def test_sources_build_feed_then_rebuild_refresh_and_change(site, tmp_path):
    store = tmp_path / "store"
    feed = site.base + "/feed.xml"
    result = runner.invoke(app, ["build", feed, "--store", str(store), "--delay", "0"])
    assert result.exit_code == 0, result.output
    assert "10 added, 0 replaced, 0 unchanged, 0 skipped" in result.output
    stored = _articles(store)
    assert len(stored) == 10
    for n in range(10):
        assert stored[f"{site.base}/news/story-{n}.html"] == (story(n)["title"], story(n)["date"])
    assert (store / "cache").is_dir()

    seen = len(site.log)
    result = runner.invoke(app, ["build", feed, "--store", str(store), "--delay", "0"])
    assert "0 added, 0 replaced, 10 unchanged" in result.output and len(site.log) == seen
    result = runner.invoke(app, ["build", feed, "--store", str(store), "--delay", "0", "--refresh"])
    assert "0 added, 0 replaced, 10 unchanged" in result.output and site.bodies(seen) == []

    site.put("/news/story-3.html", page(3, version=2))
    result = runner.invoke(app, ["build", feed, "--store", str(store), "--delay", "0", "--refresh"])
    assert result.exit_code == 0, result.output
    assert "0 added, 1 replaced, 9 unchanged" in result.output
    assert [p for p, status, _ in site.bodies(seen)] == ["/news/story-3.html"]
    assert _articles(store)[f"{site.base}/news/story-3.html"][0] == story(3, version=2)["title"]


@pytest.mark.slow
def test_sources_extract_reads_a_page_url(site):
    result = runner.invoke(app, ["extract", site.base + "/news/story-1.html"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert rows and {row["article"] for row in rows} == {"story-1.html"}


@pytest.mark.slow
def test_sources_build_with_bad_sources_exits_1_and_the_rest_lands(site, tmp_path):
    site.put("/error", "<h1>oops</h1>", status=500)
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{site.base}/news/story-8.html\n{site.base}/error\n{site.base}/missing\n", encoding="utf-8")
    result = runner.invoke(app, ["build", str(listing), "--store", str(tmp_path / "store"), "--delay", "0"])
    assert result.exit_code == 1
    assert f"skipped {site.base}/error: HTTP 500" in result.output
    assert f"skipped {site.base}/missing: HTTP 404" in result.output
    assert "1 added, 0 replaced, 0 unchanged, 2 skipped" in result.output
    assert list(_articles(tmp_path / "store")) == [f"{site.base}/news/story-8.html"]
