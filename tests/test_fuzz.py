"""Fuzzing the reader and the cleaner (Hypothesis, bounded in examples and time): whatever
bytes a file holds, reading it gives articles or skip messages, never an exception, and
what it gives is safe to hash, to name in an IRI and to store."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from extractors.clean import clean_text  # noqa: E402
from extractors.reader import SUFFIXES, read_path  # noqa: E402
from extractors.records import Article, Skipped  # noqa: E402
from graph.rdf.mapping import article_graph  # noqa: E402
from graph.storage.store import Store  # noqa: E402

#: Bounded: a fixed number of examples, each under two seconds, no example database left behind.
BOUNDED = settings(max_examples=100, deadline=2000, database=None, suppress_health_check=[HealthCheck.too_slow])
FRAGMENTS = st.sampled_from([
    "<p>", "</p>", "<script>", "<style>", "<br>", "<div>", "&nbsp;", "&#0;", "&#x110000;", "# ", "\n\n", "\r\n",
    "Published: 2025-06-14", "Acme Labs invested $5 million in Beta Data.", "\ufeff", "\u2028", "\x00", "\ud800",
    '{"text": ', '"', "[", "]", "{", "}", ",", "\\u", "\\ud800", '"url": "http://[::1"', "…", "日本語",
])  # fmt: skip
TEXTS = st.lists(st.one_of(FRAGMENTS, st.text(max_size=40)), max_size=30).map("".join)


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


@BOUNDED
@given(
    data=st.one_of(st.binary(max_size=2000), TEXTS.map(_bytes)),
    suffix=st.sampled_from(sorted(SUFFIXES)),
)
def test_fuzz_reader_never_raises_and_gives_safe_articles(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"in{suffix}"
        path.write_bytes(data)
        items = list(read_path(path, Path(folder)))
        assert items
        for item in items:
            assert isinstance(item, Article | Skipped)
            if isinstance(item, Skipped):
                assert item.reason and "\n" not in item.reason
                continue
            assert item.text.strip() and len(item.content_hash) == 64
            for value in (item.key, item.name, item.source, item.text, item.title or "", item.url or ""):
                value.encode("utf-8")  # no lone surrogates: printable and storable
            article_graph(item, [])


@settings(BOUNDED, max_examples=30)
@given(rows=st.lists(st.one_of(TEXTS, st.dictionaries(st.sampled_from(["text", "title", "url", "published"]),
                                                      st.one_of(TEXTS, st.integers(), st.none()), max_size=4)
                                .map(json.dumps)), max_size=6))  # fmt: skip
def test_fuzz_jsonl_rows_each_give_one_item_and_store(rows):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.jsonl"
        path.write_bytes(_bytes("\n".join(rows)))
        items = list(read_path(path))
        with Store(Path(folder) / "store") as store:
            for item in items:
                if isinstance(item, Article):
                    assert store.put_article(article_graph(item, []), item.content_hash) in ("added", "replaced")


@BOUNDED
@given(text=TEXTS, fmt=st.sampled_from(["txt", "md", "html"]))
def test_fuzz_cleaner_never_raises(text, fmt):
    cleaned = clean_text(text, fmt)
    assert isinstance(cleaned.text, str)
