"""Bad input, crashes and scale: every bad file named, good ones stored; a build killed
with SIGKILL leaves whole articles only; Dask and shards give the local build's triples."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.ingest.build import build, bundled_corpus
from graph.storage.store import Store

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
GOOD = "Accel invested $5 million in Labelbox, the company said on Monday.\n"


def _bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "bench" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _bad_batch(folder: Path) -> dict[str, str]:
    """Write one file of each kind of bad input; return name -> expected reason fragment."""
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (folder / "latin1.txt").write_bytes("Mercor competes with Turing, caf\xe9 owners said.\n".encode("latin-1"))
    (folder / "long.txt").write_text(("Accel invested $5 million in Labelbox. " * 40 + "\n\n") * 30)
    rows = [json.dumps({"text": GOOD}), "{broken", json.dumps({"title": "no text"})]
    (folder / "feed.jsonl").write_text("\n".join(rows) + "\n")
    (folder / "page.html").write_text("<html><script>evil()</script><style>x{}</style><p>" + GOOD + "</p></html>")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    (folder / "gone.txt").symlink_to(folder / "does-not-exist.txt")
    return {"empty.txt": "empty", "binary.txt": "binary", "feed.jsonl:2": "JSON", "feed.jsonl:3": "text",
            "notes.docx": "unsupported", "gone.txt": "No such file"}  # fmt: skip


def test_robustness_bad_batch_stores_the_good_and_names_the_bad(tmp_path, monkeypatch):
    from extractors.nlp import get_nlp

    expected = _bad_batch(tmp_path / "in")
    monkeypatch.setattr(get_nlp(), "max_length", 20_000)  # long.txt is parsed in pieces
    report = build([tmp_path / "in"], tmp_path / "store")
    reasons = {Path(s.source).name: s.reason for s in report.skipped}
    for name, fragment in expected.items():
        assert fragment in reasons[name], (name, reasons)
    assert report.added == 5  # good.txt, latin1.txt, long.txt, feed.jsonl#1, page.html
    assert any("UTF-8" in w for w in report.warnings)
    with Store(tmp_path / "store", read_only=True) as s:
        files = {v for v in s.article_hashes()}
        assert len(files) == 5


def test_robustness_bad_batch_cli_exit_code_and_messages(tmp_path):
    _bad_batch(tmp_path / "in")
    result = CliRunner().invoke(app, ["build", str(tmp_path / "in"), "--store", str(tmp_path / "store")])
    assert result.exit_code == 1
    for name in ("empty.txt", "binary.txt", "feed.jsonl:2", "notes.docx", "gone.txt"):
        assert name in result.output


def test_robustness_store_dir_that_is_not_a_store(tmp_path):
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "precious.db").write_text("keep me")
    result = CliRunner().invoke(app, ["build", str(bundled_corpus()), "--store", str(tmp_path / "other")])
    assert result.exit_code == 3 and "not a labelgraph store" in result.output
    assert (tmp_path / "other" / "precious.db").read_text() == "keep me"


def _statements(path: Path) -> tuple[int, set]:
    """The quad count and the set of quads without blank nodes (the ontology's blank
    nodes get new labels each time it is loaded)."""
    import pyoxigraph as ox

    with Store(path, read_only=True) as s:
        quads = list(s.ox)
        return len(quads), {
            q for q in quads if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
        }


def _article_sizes(path: Path) -> dict[str, int]:
    with Store(path, read_only=True) as s:
        return {
            name: int(
                next(iter(s.ox.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")))["n"].value
            )
            for name in s.article_hashes()
        }


def test_robustness_sigkill_leaves_whole_articles_and_rerun_completes(tmp_path):
    corpus = tmp_path / "corpus"
    _bench().make_corpus(corpus, 150)
    full = tmp_path / "full"
    subprocess.run([sys.executable, "-m", "graph.cli", "build", str(corpus), "--store", str(full)], check=True,
                   capture_output=True)  # fmt: skip
    killed = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-m", "graph.cli", "build", str(corpus), "--store", str(killed)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until some articles are stored, then kill
        time.sleep(0.3)
        try:
            if 5 <= len(_article_sizes(killed)) < 150:
                break
        except Exception:
            continue
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    complete = _article_sizes(full)
    partial = _article_sizes(killed)
    assert 0 < len(partial) < len(complete)
    for name, size in partial.items():
        assert size == complete[name], f"{name} is incomplete"
    subprocess.run([sys.executable, "-m", "graph.cli", "build", str(corpus), "--store", str(killed)], check=True,
                   capture_output=True)  # fmt: skip
    with Store(full, read_only=True) as a, Store(killed, read_only=True) as b:
        assert a.triple_count() == b.triple_count()


def test_robustness_query_while_a_build_runs(tmp_path):
    corpus = tmp_path / "corpus"
    _bench().make_corpus(corpus, 150)
    store = tmp_path / "store"
    subprocess.run([sys.executable, "-m", "graph.cli", "build", str(bundled_corpus()), "--store", str(store)],
                   check=True, capture_output=True)  # fmt: skip
    errors = tmp_path / "build.err"
    with errors.open("w") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "graph.cli", "build", str(corpus), "--store", str(store)],
                                stdout=subprocess.DEVNULL, stderr=sink)  # fmt: skip
        try:
            time.sleep(3)
            assert proc.poll() is None, "the build finished before the query could overlap it"
            query = subprocess.run(
                [sys.executable, "-m", "graph.cli", "query", "--store", str(store), "--format", "json",
                 "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a <https://w3id.org/labelgraph/ontology#Article> }"],
                capture_output=True, text=True, timeout=60,
            )  # fmt: skip
            assert query.returncode == 0, query.stderr
            assert int(json.loads(query.stdout)["results"]["bindings"][0]["n"]["value"]) >= 13
        finally:
            proc.wait(timeout=300)
    assert proc.returncode == 0, errors.read_text()[-2000:]


def test_robustness_dask_local_cluster_matches_local_build(tmp_path):
    pytest.importorskip("dask.distributed")
    from graph.ingest.distributed import build_on_dask

    local, dask = tmp_path / "local", tmp_path / "dask"
    build([bundled_corpus()], local)
    build_on_dask([bundled_corpus()], dask, local_workers=2)
    assert _statements(local) == _statements(dask), _difference(local, dask)


def test_robustness_shards_then_load_match_local_build(tmp_path):
    runner = CliRunner()
    for i in range(3):
        result = runner.invoke(app, ["extract", str(bundled_corpus()), "--shard", f"{i}/3", "--format", "nquads",
                                     "--out", str(tmp_path / "shards")])  # fmt: skip
        assert result.exit_code == 0, result.output
    rerun = runner.invoke(app, ["extract", str(bundled_corpus()), "--shard", "1/3", "--format", "nquads",
                                "--out", str(tmp_path / "shards")])  # fmt: skip
    assert rerun.exit_code == 0 and len(list((tmp_path / "shards").glob("*.nq"))) == 3
    assert runner.invoke(app, ["load", str(tmp_path / "shards"), "--store", str(tmp_path / "loaded")]).exit_code == 0
    build([bundled_corpus()], tmp_path / "local")
    assert _statements(tmp_path / "local") == _statements(tmp_path / "loaded")


def _difference(a: Path, b: Path) -> str:
    """A few statements in one store and not the other, to show when two builds differ."""
    _, sa = _statements(a)
    _, sb = _statements(b)
    return "\n".join(sorted(str(q) for q in sa ^ sb)[:6])
