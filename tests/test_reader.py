"""Reading files: every bad input named with its reason, the good ones still read."""

from __future__ import annotations

import json

import pytest

from extractors.reader import read_paths
from extractors.records import Article, Skipped

GOOD = "Acme Labs invested $5 million in Beta Data, the company said on Monday.\n"


def _read(*paths):
    items = list(read_paths(paths))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Skipped)]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\n\t", "empty file"),
        ("blob.txt", b"\x00\x01\x02binary\x00", "binary file"),
        ("sheet.xlsx", b"PK\x03\x04", "unsupported file type .xlsx"),
    ],
)
def test_reader_skips_bad_input_with_reason(tmp_path, name, content, reason):
    (tmp_path / name).write_bytes(content)
    (tmp_path / "good.txt").write_text(GOOD)
    articles, skipped = _read(tmp_path / name, tmp_path / "good.txt")
    assert [a.name for a in articles] == ["good.txt"]
    assert len(skipped) == 1 and name in skipped[0].source and reason in skipped[0].reason


def test_reader_missing_file_is_skipped(tmp_path):
    articles, skipped = _read(tmp_path / "nope.txt")
    assert not articles and "nope.txt" in skipped[0].source


def test_reader_invalid_utf8_is_replaced_with_a_warning(tmp_path):
    (tmp_path / "latin.txt").write_bytes("Acme Labs invested in Beta Data for caf\xe9 money.\n".encode("latin-1"))
    (article,), _ = _read(tmp_path / "latin.txt")
    assert "\ufffd" in article.text
    assert any("UTF-8" in w for w in article.warnings)


def test_reader_jsonl_skips_bad_rows_by_line(tmp_path):
    rows = [
        json.dumps({"title": "One", "text": GOOD, "url": "https://news.example/one", "published": "2025-05-01"}),
        "{not json",
        json.dumps({"title": "No text"}),
        json.dumps({"text": "Beta Data hired Acme Labs to label images, the firm said."}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(rows) + "\n")
    articles, skipped = _read(tmp_path / "feed.jsonl")
    assert [a.key for a in articles] == ["https://news.example/one", "feed.jsonl#4"]
    assert articles[0].published == "2025-05-01"
    assert sorted(s.source.rsplit(":", 1)[1] for s in skipped) == ["2", "3"]


def test_reader_html_drops_scripts_and_styles(tmp_path):
    page = (
        "<html><head><title>Deal news</title><style>p {color: red}</style>"
        '<meta property="article:published_time" content="2025-07-01T08:00:00Z"></head>'
        "<body><nav>Home | Tech</nav><p>Acme Labs invested $5 million in Beta Data.</p>"
        "<script>alert('x')</script></body></html>"
    )
    (tmp_path / "page.html").write_text(page)
    (article,), _ = _read(tmp_path / "page.html")
    assert article.title == "Deal news" and article.published == "2025-07-01"
    assert "alert" not in article.text and "color" not in article.text and "Home" not in article.text
    assert "Acme Labs invested" in article.text


def test_reader_walks_folders_and_hashes_content(tmp_path):
    (tmp_path / "a.md").write_text("# Title A\n\n" + GOOD)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text(GOOD)
    articles, skipped = _read(tmp_path)
    assert [a.name for a in articles] == ["a.md", "b.txt"] and not skipped
    assert articles[0].title == "Title A"
    assert len({a.content_hash for a in articles}) == 2
