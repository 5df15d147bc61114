"""The persistent store: atomic article writes, idempotence, reopening, refusal of non-stores."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import make_article, make_relation

from graph.errors import NotAStoreError
from graph.rdf.mapping import article_graph
from graph.storage.store import Store

QUERY = """PREFIX lg: <https://w3id.org/labelgraph/ontology#>
SELECT ?amount WHERE { ?e a lg:Investment ; lg:amountUSD ?amount }"""


def test_store_put_article_is_idempotent(store):
    article = make_article()
    graph = article_graph(article, [make_relation()])
    assert store.put_article(graph, article.content_hash) == "added"
    count = store.triple_count()
    assert store.put_article(graph, article.content_hash) == "unchanged"
    assert store.triple_count() == count


def test_store_changed_article_replaces_only_its_graph(store):
    store.put_article(article_graph(make_article("a.txt", content_hash="a1"), [make_relation(article="a.txt")]), "a1")
    other = article_graph(make_article("b.txt", content_hash="b1"), [make_relation(article="b.txt")])
    store.put_article(other, "b1")
    changed = article_graph(make_article("a.txt", text="Nothing happened.", content_hash="a2"), [])
    assert store.put_article(changed, "a2") == "replaced"
    hashes = store.article_hashes()
    assert sorted(hashes.values()) == ["a2", "b1"]
    assert len(list(store.dataset.query(QUERY))) == 1  # only b.txt's investment is left


def test_store_persists_across_processes(tmp_path):
    path = tmp_path / "s"
    with Store(path) as s:
        s.put_article(article_graph(make_article(), [make_relation()]), "h1")
    code = (
        "from graph.storage.store import Store; from graph.sparql.query import run_query;"
        f"s = Store({str(path)!r}, read_only=True);"
        f"print(run_query(s, {QUERY!r}).rows[0][0])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert float(out) == 5e6


@pytest.mark.parametrize("make", ["file", "foreign_dir"])
def test_store_refuses_a_non_store(tmp_path, make):
    path = tmp_path / "x"
    if make == "file":
        path.write_text("hello")
    else:
        path.mkdir()
        (path / "data.csv").write_text("a,b")
    with pytest.raises(NotAStoreError, match=r"not a labelgraph store|is a file"):
        Store(path)


def test_store_read_only_missing_path_is_not_a_store(tmp_path):
    with pytest.raises(NotAStoreError):
        Store(tmp_path / "missing", read_only=True)


def test_store_checkpoint_is_a_copy_of_now_readable_while_the_store_writes(tmp_path):
    import pyoxigraph as ox

    first = make_article(key="first")
    with Store(tmp_path / "s") as s:
        s.put_article(article_graph(first, [make_relation()]), first.content_hash)
        before = s.quad_count()
        with s.checkpoint() as copy:
            assert copy is not None and copy.parent.parent == tmp_path and copy.parent.name.startswith(".s-")
            second = make_article(key="second", text="Other text.")
            s.put_article(article_graph(second, [make_relation()]), second.content_hash)
            reader = ox.Store.read_only(str(copy))
            assert len(reader) == before < s.quad_count()  # as it was, whatever the store writes since
            del reader
        assert not copy.parent.exists()  # removed afterwards
        assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]


def test_store_checkpoint_is_none_where_no_copy_can_be_made(tmp_path, monkeypatch):
    import tempfile

    def refused(*args, **kwargs):
        raise PermissionError("read-only folder")  # what a folder we may not write in gives (even as root)

    with Store(tmp_path / "s") as s:
        monkeypatch.setattr(tempfile, "mkdtemp", refused)
        with s.checkpoint() as copy:
            assert copy is None
