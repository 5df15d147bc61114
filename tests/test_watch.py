"""``labelgraph watch``: rounds over a feed on a loopback server add exactly what is new,
one line per round; SIGTERM stops it between two whole articles."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from loopback import Site, loopback_only, page, rss
from typer.testing import CliRunner

from graph.cli.main import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _loopback(monkeypatch):
    loopback_only(monkeypatch)


@pytest.fixture
def site():
    with Site() as s:
        for n in range(10):
            s.put(f"/news/story-{n}.html", page(n))
        s.put("/feed.xml", rss(s.base, range(8)), "application/rss+xml")
        yield s


def _count(store: Path) -> int:
    from graph.storage.stats import store_stats
    from graph.storage.store import Store

    with Store(store, read_only=True) as s:
        return store_stats(s).articles


def test_watch_rejects_a_bad_interval(tmp_path):
    result = runner.invoke(app, ["watch", "http://127.0.0.1:9/feed", "--every", "soon", "--store", str(tmp_path)])
    assert result.exit_code == 2 and "not a duration" in result.output


def test_watch_once_on_a_folder_that_is_not_a_store_exits_3(site, tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["watch", site.base + "/feed.xml", "--once", "--store", str(tmp_path)])
    assert result.exit_code == 3 and "not a labelgraph store" in result.output
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine" and site.log == []


@pytest.mark.slow
def test_watch_once_then_two_new_items_adds_exactly_those(site, tmp_path):
    store = tmp_path / "store"
    args = ["watch", site.base + "/feed.xml", "--once", "--store", str(store), "--delay", "0"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "round 1: 8 new, 0 changed, 0 unchanged, 0 failed" in first.output
    assert _count(store) == 8

    site.put("/feed.xml", rss(site.base, range(10)), "application/rss+xml")
    since = len(site.log)
    second = runner.invoke(app, args)
    assert second.exit_code == 0, second.output
    assert "round 1: 2 new, 0 changed, 8 unchanged, 0 failed" in second.output
    assert _count(store) == 10
    downloaded = sorted(path for path, status, size in site.log[since:] if status == 200 and size)
    assert downloaded == ["/feed.xml", "/news/story-8.html", "/news/story-9.html"]

    site.resources.pop("/news/story-9.html")
    third = runner.invoke(app, args)
    assert third.exit_code == 1
    assert f"skipped {site.base}/news/story-9.html: HTTP 404" in third.output
    assert "round 1: 0 new, 0 changed, 9 unchanged, 1 failed" in third.output


@pytest.mark.slow
def test_watch_stops_on_sigterm_with_whole_articles(site, tmp_path):
    store = tmp_path / "store"
    root = Path(__file__).resolve().parents[1]
    cmd = [sys.executable, "-m", "graph.cli", "watch", site.base + "/feed.xml", "--every", "1s", "--store",
           str(store), "--delay", "0"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(root)}
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()  # the first round
        assert "round 1: 8 new" in line, line + proc.stderr.read()
        site.put("/feed.xml", rss(site.base, range(10)), "application/rss+xml")
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "stopped after" in err
    from graph.storage.store import Store

    with Store(store, read_only=True) as s:
        hashes = s.article_hashes()
    assert len(hashes) in (8, 9, 10) and all(len(h) == 64 for h in hashes.values())
