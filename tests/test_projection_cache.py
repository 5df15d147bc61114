"""Answers without re-projection (issue 14, point 4): the fact projection is saved at build
time, loaded by ``ask`` and ``export``, and never trusted once the store has changed."""

from __future__ import annotations

import json
import pickle
import shutil

import pytest
from typer.testing import CliRunner

from graph.analytics.project import project_facts
from graph.analytics.saved import SAVED_NAME, fact_projection, load_saved, write_projection
from graph.cli import app
from graph.storage.store import Store, store_generation

runner = CliRunner()


@pytest.fixture
def built(corpus_store, tmp_path):
    """A private copy of the corpus store (built by ``build``, so with its saved projection)."""
    copy = tmp_path / "store"
    shutil.copytree(corpus_store, copy)
    return copy


def _same(a, b) -> bool:
    return list(a.nodes(data=True)) == list(b.nodes(data=True)) and list(a.edges(keys=True, data=True)) == list(
        b.edges(keys=True, data=True)
    )


def _tamper(path, label: str) -> None:
    """Rename one entity inside the saved file (its generation kept): shows whether it is read."""
    saved = path / SAVED_NAME
    document = json.loads(saved.read_text(encoding="utf-8"))
    document["graph"]["nodes"][0]["label"] = label
    saved.write_text(json.dumps(document), encoding="utf-8")


def test_build_saves_the_projection_and_it_equals_projecting(built):
    assert (built / SAVED_NAME).is_file()
    with Store(built, read_only=True) as s:
        saved = load_saved(s.path, s.generation)
        assert saved is not None
        assert _same(saved, project_facts(s.dataset))  # the same nodes, facts, attributes and order


def test_ask_and_export_load_the_saved_projection(built, tmp_path):
    _tamper(built, "Tampered Label Ltd")
    critical = runner.invoke(app, ["ask", "critical", "--store", str(built), "--format", "csv", "--top", "500"])
    assert critical.exit_code == 0, critical.output
    assert "Tampered Label Ltd" in critical.stdout  # read from the file, not projected again
    out = tmp_path / "facts.graphml"
    exported = runner.invoke(app, ["export", "--format", "graphml", "--out", str(out), "--store", str(built)])
    assert exported.exit_code == 0, exported.output
    assert "Tampered Label Ltd" in out.read_text(encoding="utf-8")


def test_answers_are_the_same_with_and_without_the_saved_projection(built):
    command = ["ask", "dependents", "Scale AI", "--store", str(built), "--format", "json"]
    with_saved = runner.invoke(app, command)
    (built / SAVED_NAME).unlink()
    without = runner.invoke(app, command)
    assert with_saved.exit_code == without.exit_code == 0
    assert with_saved.stdout == without.stdout and json.loads(without.stdout)
    assert (built / SAVED_NAME).is_file()  # projected once, saved for the next answer


def test_any_write_makes_the_saved_projection_stale(built):
    _tamper(built, "Tampered Label Ltd")
    with Store(built) as s:  # a write that saves no projection
        s.remove_graph("https://w3id.org/labelgraph/graph/catalogue")
    with Store(built, read_only=True) as s:
        assert load_saved(s.path, s.generation) is None
        g = fact_projection(s)
        assert "Tampered Label Ltd" not in {d["label"] for _, d in g.nodes(data=True)}
        assert _same(g, project_facts(s.dataset))


def test_reading_leaves_the_generation_unchanged(built):
    before = store_generation(built)
    with Store(built, read_only=True) as s:
        list(s.ox.query("SELECT * WHERE { ?s ?p ?o } LIMIT 5"))
        fact_projection(s)
    assert store_generation(built) == before


@pytest.mark.slow
def test_forget_saves_a_new_projection(built, tmp_path):
    from graph.ingest.build import bundled_corpus

    one = sorted(p for p in bundled_corpus().iterdir() if p.suffix in (".txt", ".md", ".html"))[0]
    with Store(built, read_only=True) as s:
        before = fact_projection(s)
    result = runner.invoke(app, ["forget", str(one), "--store", str(built)])
    assert result.exit_code == 0, result.output
    with Store(built, read_only=True) as s:
        saved = load_saved(s.path, s.generation)
        assert saved is not None and _same(saved, project_facts(s.dataset))
    assert not _same(saved, before)


@pytest.mark.parametrize(
    "content",
    [
        b"not json at all",
        b'{"format": "labelgraph-fact-projection", "version": 1, "generation": "x", "graph": {}}',
        b"[1, 2, 3]",
        pickle.dumps({"format": "labelgraph-fact-projection"}),
        b'{"format": "labelgraph-fact-projection", "version": 1, "generation": null, "graph": {"nodes": 5}}',
    ],
    ids=["garbage", "other-generation", "list", "pickle", "broken-graph"],
)
def test_a_damaged_or_foreign_file_is_projected_again(built, content):
    (built / SAVED_NAME).write_bytes(content)
    with Store(built, read_only=True) as s:
        if b"null" in content:  # the right generation, a graph that is not one
            document = json.loads(content)
            document["generation"] = s.generation
            (built / SAVED_NAME).write_text(json.dumps(document), encoding="utf-8")
        assert load_saved(s.path, s.generation) is None
        assert _same(fact_projection(s), project_facts(s.dataset))
    with Store(built, read_only=True) as s:
        assert load_saved(s.path, s.generation) is not None  # written again, now current


def test_write_projection_on_a_missing_store_is_false(tmp_path):
    assert write_projection(tmp_path / "none") is False
    assert not (tmp_path / "none").exists()
