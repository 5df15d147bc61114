"""Reading files: every bad input named with its reason, the good ones still read."""

from __future__ import annotations

import hashlib
import json
from importlib.resources import files
from pathlib import Path

import pytest

from extractors import reader
from extractors.reader import read_path, read_paths
from extractors.records import Article, Skipped

GOOD = "Acme Labs invested $5 million in Beta Data, the labeling startup said on Monday.\n"
CORPUS = Path(str(files("extractors.corpus")))


def _read(*paths: Path) -> tuple[list[Article], list[Skipped]]:
    items = list(read_paths(paths))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Skipped)]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\n\t \r\n", "empty file"),
        ("bom-only.txt", b"\xef\xbb\xbf\n ", "empty file"),
        ("blob.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("late-nul.html", b"<p>" + b"x" * 100 + b"\x00</p>", "binary file"),
        ("sheet.xlsx", b"PK\x03\x04", "unsupported file type .xlsx; expected .txt, .md, .html or .jsonl"),
        ("README", b"Acme Labs invested in Beta Data.", "unsupported file type (none)"),
        ("chrome-only.txt", b"Share\n\nSubscribe\n\nAdvertise with Us\n", "no article text left"),
    ],
)
def test_reader_skips_bad_input_with_reason(tmp_path, name, content, reason):
    (tmp_path / name).write_bytes(content)
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    articles, skipped = _read(tmp_path / name, tmp_path / "good.txt")
    assert [a.name for a in articles] == ["good.txt"]
    assert [s.source for s in skipped] == [str(tmp_path / name)]
    assert reason in skipped[0].reason


@pytest.mark.parametrize("name", ["nope.txt", "gone/away.md"])
def test_reader_missing_file_is_skipped_with_the_os_reason(tmp_path, name):
    articles, skipped = _read(tmp_path / name)
    assert not articles
    assert skipped == [Skipped(str(tmp_path / name), "No such file or directory")]


def test_reader_too_large_file_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_BYTES", 50)
    (tmp_path / "big.txt").write_text(GOOD * 3, encoding="utf-8")
    (skipped,) = read_path(tmp_path / "big.txt")
    assert isinstance(skipped, Skipped) and "file too large" in skipped.reason


def test_reader_invalid_utf8_is_replaced_with_a_warning(tmp_path):
    (tmp_path / "latin.txt").write_bytes("Acme Labs bought a café chain from Beta Data.\n".encode("latin-1"))
    (article,) = read_path(tmp_path / "latin.txt")
    assert "caf\ufffd chain" in article.text
    assert len(article.warnings) == 1 and "invalid UTF-8" in article.warnings[0]


def test_reader_removes_a_byte_order_mark(tmp_path):
    (tmp_path / "bom.md").write_bytes(b"\xef\xbb\xbf# Beta Data raises money\n\n" + GOOD.encode())
    (article,) = read_path(tmp_path / "bom.md")
    assert article.title == "Beta Data raises money" and not article.warnings
    assert "\ufeff" not in article.text


def test_reader_article_fields_and_content_hash(tmp_path):
    (tmp_path / "story.md").write_text("# Acme backs Beta\n\nPublished: 2025-06-14\n\n" + GOOD, encoding="utf-8")
    (article,) = read_path(tmp_path / "story.md")
    assert (article.key, article.name, article.source) == ("story.md", "story.md", str(tmp_path / "story.md"))
    assert (article.title, article.published, article.url) == ("Acme backs Beta", "2025-06-14", None)
    assert article.text == GOOD.strip()
    expected = hashlib.sha256(f"Acme backs Beta\n{GOOD.strip()}\n2025-06-14".encode()).hexdigest()
    assert article.content_hash == expected


def test_reader_jsonl_skips_bad_rows_by_line_and_keeps_the_good(tmp_path):
    rows = [
        json.dumps({"title": "One", "text": GOOD, "url": "https://news.example/one", "published": "2025-05-01T10:00Z"}),
        "{not json",
        json.dumps({"title": "No text here"}),
        "",
        json.dumps({"text": "Beta Data hired Acme Labs to label images, the firm said."}),
        json.dumps(["a", "list"]),
        json.dumps({"text": "   "}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    articles, skipped = _read(tmp_path / "feed.jsonl")
    assert [a.key for a in articles] == ["https://news.example/one", "feed.jsonl#5"]
    assert [a.name for a in articles] == ["feed.jsonl#1", "feed.jsonl#5"]
    assert articles[0].title == "One" and articles[0].published == "2025-05-01"
    assert articles[1].title is None and articles[1].url is None
    assert all(a.source == str(tmp_path / "feed.jsonl") for a in articles)
    assert [s.source for s in skipped] == [f"{tmp_path / 'feed.jsonl'}:{n}" for n in (2, 3, 6, 7)]
    assert "not valid JSON" in skipped[0].reason and '"text"' in skipped[1].reason


def test_reader_html_drops_scripts_styles_and_navigation(tmp_path):
    page = (
        "<html><head><title>Deal news</title><style>p {color: red}</style>"
        '<meta property="article:published_time" content="2025-07-01T08:00:00Z"></head>'
        "<body><nav>Home | Tech</nav><p>Acme Labs invested $5 million in Beta&nbsp;Data.</p>"
        "<script>alert('x')</script><noscript>Enable JavaScript</noscript></body></html>"
    )
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    (article,) = read_path(tmp_path / "page.html")
    assert article.title == "Deal news" and article.published == "2025-07-01"
    assert article.text == "Acme Labs invested $5 million in Beta Data."


def test_reader_walks_folders_sorted_and_recursively(tmp_path):
    (tmp_path / "b.md").write_text("# Title B\n\n" + GOOD, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(GOOD.replace("Beta", "Gamma"), encoding="utf-8")
    (tmp_path / "a.htm").write_text(f"<p>{GOOD}</p>", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(GOOD, encoding="utf-8")
    articles, skipped = _read(tmp_path)
    assert [a.name for a in articles] == ["a.htm", "b.md", "a.txt"] and not skipped
    assert articles[1].title == "Title B"
    assert len({a.content_hash for a in articles}) == 3


@pytest.mark.parametrize("path", sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".md", ".html", ".jsonl")))
def test_reader_corpus_file_gives_titled_dated_articles(path):
    items = list(read_path(CORPUS / path))
    assert items and all(isinstance(i, Article) for i in items), items
    for article in items:
        assert article.title and article.published and article.published[:4] in ("2024", "2025")
        assert 50 <= len(article.text.split()) <= 400


def test_a_file_is_read_in_pieces_its_size_and_never_past_the_limit():
    import io

    from extractors.reader import _read_at_most

    class Recording(io.BytesIO):
        def __init__(self, data):
            super().__init__(data)
            self.asked = []

        def read(self, n=-1):
            self.asked.append(n)
            return super().read(n)

    small = Recording(b"x" * 300)
    assert _read_at_most(small, 50_000_001, 300) == b"x" * 300
    assert small.asked[0] == 301  # not a 50 MB buffer for a 300-byte file
    for size in (0, 10, 300, 5000):  # what the file system says, right or wrong
        assert _read_at_most(Recording(b"y" * 3000), 1001, size) == b"y" * 1001  # MAX_BYTES + 1: too large
        assert _read_at_most(Recording(b"y" * 3000), 10_000, size) == b"y" * 3000
