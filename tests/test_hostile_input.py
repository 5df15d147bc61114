"""Hostile input, one file at a time: each bad file or row is named with its reason and the
rest is read; names and URLs of any bytes are safe in IRIs, hashes and the store."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from extractors import reader
from extractors.reader import read_path, read_paths
from extractors.records import Article, Skipped
from graph.rdf.mapping import article_graph
from graph.rdf.vocabulary import article_iri

GOOD = "Acme Labs invested $5 million in Beta Data, the labeling startup said on Monday.\n"


@pytest.fixture(autouse=True)
def _never_hang():
    """A read that blocks (a FIFO opened for reading) fails the test instead of hanging it."""
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("the reader blocked"))
    signal.alarm(20)
    yield
    signal.alarm(0)


def _read(*paths: Path) -> tuple[list[Article], list[Skipped]]:
    items = list(read_paths(paths))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Skipped)]


def _stored(store, article: Article) -> str:
    """Store one article graph (no relations): what the store says."""
    return store.put_article(article_graph(article, []), article.content_hash)


def test_hostile_file_name_with_a_byte_that_is_not_utf8_is_read_and_stored(tmp_path, store):
    name = os.fsdecode(b"caf\xe9-story.txt")
    (tmp_path / name).write_text(GOOD, encoding="utf-8")
    (article,) = read_path(tmp_path / name)
    assert article.name == "caf\\xe9-story.txt" and article.key == "caf\\xe9-story.txt"
    assert article.source.endswith("caf\\xe9-story.txt")
    assert _stored(store, article) == "added"
    assert str(article_iri(article.key)) in store.article_hashes()


def test_hostile_jsonl_row_of_deeply_nested_brackets_is_that_row_skipped(tmp_path):
    rows = ["[" * 100_000, json.dumps({"text": GOOD}), '{"a": ' * 50_000]
    (tmp_path / "feed.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    articles, skipped = _read(tmp_path / "feed.jsonl")
    assert [a.name for a in articles] == ["feed.jsonl#2"]
    assert [s.source for s in skipped] == [f"{tmp_path / 'feed.jsonl'}:1", f"{tmp_path / 'feed.jsonl'}:3"]
    assert all("nested too deeply" in s.reason for s in skipped)


@pytest.mark.parametrize("url", ['https://news.example/<>"{}|^', "http://[::1", "http://host:port/x", "ftp://a/b"])
def test_hostile_jsonl_url_that_is_no_iri_is_ignored_with_a_warning(tmp_path, store, url):
    rows = [json.dumps({"text": GOOD, "url": url}), json.dumps({"text": GOOD, "url": "https://news.example/ok"})]
    (tmp_path / "feed.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    articles, skipped = _read(tmp_path / "feed.jsonl")
    assert not skipped and articles[0].url is None and articles[0].key == "feed.jsonl#1"
    assert any('"url" ignored' in w for w in articles[0].warnings)
    assert articles[1].url == articles[1].key == "https://news.example/ok"
    assert [_stored(store, a) for a in articles] == ["added", "added"]


def test_hostile_url_that_is_no_iri_is_never_written_as_one(store):
    article = Article("https://a/<b>", "x.jsonl#1", "x.jsonl", GOOD, url='https://a/<b>"{}', content_hash="h")
    assert _stored(store, article) == "added"  # the key is hashed; the bad URL is left out


@pytest.mark.parametrize("field", ["title", "text"])
def test_hostile_lone_surrogate_is_replaced_with_a_warning(tmp_path, store, field):
    row = {"title": "Acme backs Beta", "text": GOOD}
    row[field] = row[field].replace("Beta", "Beta\ud800")
    (tmp_path / "feed.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")  # "\ud800" as an escape
    (article,) = read_path(tmp_path / "feed.jsonl")
    assert "Beta\ufffd" in getattr(article, field)
    assert any("lone surrogate" in w and field in w for w in article.warnings)
    assert len(article.content_hash) == 64 and _stored(store, article) == "added"


def test_hostile_content_hash_of_any_string():
    assert len(reader.content_hash("\ud800", "\udfff text", None)) == 64


def test_hostile_symlink_to_dev_zero_in_a_folder_is_named_not_read(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "zero.txt").symlink_to("/dev/zero")
    articles, skipped = _read(folder)
    assert [a.name for a in articles] == ["good.txt"]
    assert skipped == [Skipped(str(folder / "zero.txt"), "not a regular file (a character device)")]


def test_hostile_fifo_given_or_found_is_named_not_read(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    os.mkfifo(folder / "pipe")  # no suffix: still named
    (folder / "good.md").write_text(GOOD, encoding="utf-8")
    articles, skipped = _read(folder / "pipe.txt", folder)
    assert [a.name for a in articles] == ["good.md"]
    assert [(Path(s.source).name, s.reason) for s in skipped] == [
        ("pipe.txt", "not a regular file (a FIFO)"),
        ("pipe", "not a regular file (a FIFO)"),
        ("pipe.txt", "not a regular file (a FIFO)"),
    ]


def test_hostile_size_is_counted_while_reading_not_taken_from_the_file_system(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_BYTES", 50)
    proc = Path("/proc/self/status")  # a regular file whose st_size is 0
    assert proc.stat().st_size == 0 and len(proc.read_bytes()) > 50
    (tmp_path / "status.txt").symlink_to(proc)
    (skipped,) = read_path(tmp_path / "status.txt")
    assert skipped.reason == "file too large (over 50 bytes)"


def test_hostile_link_to_a_folder_is_named(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "elsewhere").symlink_to(tmp_path / "real")
    _, skipped = _read(tmp_path / "in")
    assert skipped == [Skipped(str(tmp_path / "in" / "elsewhere"), "not a regular file (a folder)")]


def test_hostile_same_file_name_in_two_folders_is_two_articles(tmp_path):
    for sub, company in (("a", "Beta Data"), ("b", "Gamma Vision")):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "story.md").write_text(GOOD.replace("Beta Data", company), encoding="utf-8")
        (tmp_path / sub / "feed.jsonl").write_text(json.dumps({"text": GOOD}) + "\n", encoding="utf-8")
    articles, _ = _read(tmp_path)
    assert [a.key for a in articles] == ["a/feed.jsonl#1", "a/story.md", "b/feed.jsonl#1", "b/story.md"]
    assert len({article_iri(a.key) for a in articles}) == 4
    assert {a.name for a in articles} == {"story.md", "feed.jsonl#1"}  # what the evaluation calls the article


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_hostile_utf16_and_utf32_with_a_bom_are_decoded(tmp_path, encoding):
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-32-le": b"\xff\xfe\x00\x00",
           "utf-32-be": b"\x00\x00\xfe\xff"}[encoding]  # fmt: skip
    (tmp_path / "story.md").write_bytes(bom + ("# Café deal\n\n" + GOOD).encode(encoding))
    (article,) = read_path(tmp_path / "story.md")
    assert article.title == "Café deal" and article.text == GOOD.strip() and not article.warnings


def test_hostile_utf16_without_a_bom_is_still_binary(tmp_path):
    (tmp_path / "story.txt").write_bytes(GOOD.encode("utf-16-le"))
    (skipped,) = read_path(tmp_path / "story.txt")
    assert skipped.reason == "binary file"


def test_hostile_line_separator_inside_a_json_string_is_not_a_new_row(tmp_path):
    rows = [json.dumps({"text": GOOD + "\u2028More text.\x85"}, ensure_ascii=False), json.dumps({"text": GOOD})]
    (tmp_path / "feed.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    articles, skipped = _read(tmp_path / "feed.jsonl")
    assert not skipped and [a.name for a in articles] == ["feed.jsonl#1", "feed.jsonl#2"]


def test_hostile_long_article_is_cut_at_a_paragraph_break_with_a_warning(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_CHARS", 300)
    paragraphs = [f"Paragraph {n}: " + GOOD.strip() for n in range(10)]
    (tmp_path / "long.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")
    (article,) = read_path(tmp_path / "long.txt")
    assert article.text == "\n\n".join(paragraphs[:3])  # whole paragraphs, under 300 characters
    (warning,) = article.warnings
    assert warning.startswith(f"article cut to its first {len(article.text)} of ") and "(the limit is 300)" in warning


def test_hostile_the_cap_is_stated_in_characters():
    assert reader.MAX_CHARS == 100_000 and reader.MAX_BYTES == 50 * 1024 * 1024
