"""Shared fixtures: the spaCy pipeline is loaded once for the whole session."""

from __future__ import annotations

import pytest

from extractors.records import Article


@pytest.fixture(scope="session")
def extract():
    """Extract relations from a text, as one article."""
    from extractors.pipeline import extract_article

    def run(text: str, published: str | None = None):
        return extract_article(Article("test", "test.txt", "test.txt", text, published=published))

    return run


def make_article(key: str = "acme.txt", text: str = "Acme Labs invested $5 million in Beta Data.", **kw) -> Article:
    """A small article record built by hand."""
    kw.setdefault("content_hash", f"hash-{key}-{len(text)}")
    return Article(key, key, key, text, **kw)


def make_relation(predicate: str = "invested_in", **kw):
    from extractors.records import Relation

    values = dict(
        article="acme.txt", subject="acme-labs", subject_label="Acme Labs", subject_type="Investor",
        predicate=predicate, object="beta-data", object_label="Beta Data", object_type="DataVendor",
        evidence="Acme Labs invested $5 million in Beta Data.", start=0, end=44, status="reported",
        confidence=0.9, qualifiers={"amount": 5e6, "currency": "USD", "amount_usd": 5e6},
    )  # fmt: skip
    values.update(kw)
    return Relation(**values)


@pytest.fixture
def store(tmp_path):
    """An empty store in a temporary directory."""
    from graph.storage.store import Store

    with Store(tmp_path / "store") as s:
        yield s


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory):
    """The bundled corpus built once into a store on disk; returns its path."""
    from graph.ingest.build import build, bundled_corpus

    path = tmp_path_factory.mktemp("corpus") / "store"
    report = build([bundled_corpus()], path)
    assert report.added >= 12 and not report.skipped
    return path


@pytest.fixture(scope="session")
def corpus_graph(corpus_store):
    """The corpus store projected to networkx."""
    from graph.analytics.project import project
    from graph.storage.store import Store

    with Store(corpus_store, read_only=True) as s:
        return project(s.dataset)


@pytest.fixture(scope="module")
def corpus_copy(corpus_store, tmp_path_factory):
    """A private copy of the corpus store for one test module (a server or a push reads it)."""
    import shutil

    copy = tmp_path_factory.mktemp("copy") / "store"
    shutil.copytree(corpus_store, copy)
    return copy


@pytest.fixture(scope="module")
def local(corpus_copy):
    """``corpus_copy`` opened read-only: the local answers remote ones are compared with."""
    from graph.storage.store import Store

    with Store(corpus_copy, read_only=True) as store:
        yield store
