"""A newcomer's first hour: user mistakes are one-line errors (no traceback, nothing
created), counts read right, tables fit 80 columns, the notebook finds the project's store."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.ingest.build import bundled_corpus
from graph.storage.locate import default_store

ROOT = Path(__file__).resolve().parents[1]
GOOD = "Accel invested $5 million in Labelbox, the company said on Monday.\n"
runner = CliRunner()


def _no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


@pytest.mark.parametrize("command", ["build", "extract"])
def test_newcomer_missing_input_path_is_named_and_creates_no_store(tmp_path, command):
    missing = tmp_path / "my-articles"
    args = (
        [command, str(missing), "--store", str(tmp_path / "store")] if command == "build" else [command, str(missing)]
    )
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and f"no such file or folder: {missing}" in result.output
    assert not (tmp_path / "store").exists()
    _no_traceback(result)


@pytest.mark.parametrize("option", [["--dask-local", "2"], ["--dask-scheduler", "tcp://127.0.0.1:1"]])
def test_newcomer_dask_without_the_extra_names_the_install_command(tmp_path, monkeypatch, option):
    monkeypatch.setitem(sys.modules, "dask", None)  # as if the dask extra were not installed
    monkeypatch.setitem(sys.modules, "distributed", None)
    (tmp_path / "a.txt").write_text(GOOD)
    result = runner.invoke(app, ["build", str(tmp_path / "a.txt"), "--store", str(tmp_path / "store"), *option])
    assert result.exit_code == 2 and "pip install '.[dask]'" in result.output
    assert not (tmp_path / "store").exists()
    _no_traceback(result)


def test_newcomer_param_given_twice_is_an_error(tmp_path):
    result = runner.invoke(app, ["query", "--name", "dependents", "--param", "entity=Scale AI", "--param",
                                 "entity=Meta", "--store", str(tmp_path / "none")])  # fmt: skip
    assert result.exit_code == 2 and "--param entity given more than once" in result.output


@pytest.mark.slow
def test_newcomer_one_article_is_singular(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    result = runner.invoke(app, ["build", str(tmp_path / "a.txt"), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert "1 article read" in result.output and "1 article, " in result.output
    assert "1 relation statement," in result.output
    stats = runner.invoke(app, ["stats", "--store", str(tmp_path / "store")])
    assert "1 article, 2 entities, 1 relation statement, " in stats.output
    extract = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "--out", str(tmp_path / "r.jsonl")])
    assert "1 relation (1 relation statement) from 1 article written" in extract.output
    assert not re.search(r"\b1 (articles|relations|entities|triples)\b", result.output + stats.output + extract.output)


@pytest.mark.slow
def test_newcomer_extract_and_build_count_relation_statements_the_same_way(tmp_path):
    built = runner.invoke(app, ["build", "--store", str(tmp_path / "store")])
    extracted = runner.invoke(app, ["extract", str(bundled_corpus()), "--out", str(tmp_path / "r.jsonl")])
    assert built.exit_code == 0 and extracted.exit_code == 0
    total = int(re.search(r"total\s*│\s*(\d+)", built.output).group(1))
    rows, statements = map(int, re.search(r"(\d+) relations \((\d+) relation statements\)", extracted.output).groups())
    assert statements == total  # the same sentences counted
    assert f"{total} relation statements" in built.output
    assert rows == len((tmp_path / "r.jsonl").read_text().splitlines()) <= statements  # repeats merged into one row
    assert "a relation statement is one sentence stating a relation" in built.output + extracted.output


def _ask(store: Path, columns: int, *args: str) -> str:
    env = {**os.environ, "COLUMNS": str(columns)}
    result = subprocess.run([sys.executable, "-m", "graph.cli", "ask", *args, "--store", str(store)],
                            capture_output=True, text=True, env=env, timeout=120, check=True)  # fmt: skip
    return result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("question", [["dependents", "Scale AI"], ["critical"], ["exposure", "Scale AI"],
                                      ["timeline", "Google"], ["path", "Google", "Meta"]])  # fmt: skip
def test_newcomer_ask_tables_fit_80_columns_without_narrow_wrapping(corpus_store, question):
    text = _ask(corpus_store, 80, *question)
    lines = text.splitlines()
    assert lines and max(len(line) for line in lines) <= 80, text
    frame = json.loads(_ask(corpus_store, 80, *question, "--format", "json"))
    for row in frame[:5]:  # every short value is shown whole
        for key in ("entity", "depends_on", "relation", "status", "date"):
            if isinstance(row.get(key), str) and " " not in row[key]:
                assert row[key] in text, (key, row[key])
    if any("evidence" in row for row in frame):  # evidence readable as a sentence, not in 10-character strips
        evidence = frame[0]["evidence"]
        assert " ".join(evidence.split()[:4]) in " ".join(text.split())


@pytest.mark.slow
def test_newcomer_ask_wide_terminal_keeps_evidence_in_the_table(corpus_store):
    text = _ask(corpus_store, 200, "rivals", "Scale AI")
    assert "evidence" in text.splitlines()[2] and "1. evidence:" not in text


def test_newcomer_notebook_extra_installs_what_the_notebook_needs():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    names = {re.split(r"[<>=\[ ]", req)[0] for req in extras["notebook"]}
    assert {"jupyterlab", "ipykernel", "nbclient", "nbformat", "matplotlib"} <= names
    assert "hypothesis" in {re.split(r"[<>=\[ ]", req)[0] for req in extras["test"]}


def test_newcomer_default_store_from_notebooks_is_the_projects(tmp_path, monkeypatch):
    monkeypatch.delenv("LABELGRAPH_STORE", raising=False)
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "notebooks").mkdir()
    assert default_store(tmp_path / "notebooks") == tmp_path / "labelgraph-store"
    assert default_store(tmp_path) == tmp_path / "labelgraph-store"
    (tmp_path / "notebooks" / "labelgraph-store").mkdir()  # one made there on purpose is used
    assert default_store(tmp_path / "notebooks") == tmp_path / "notebooks" / "labelgraph-store"
    monkeypatch.setenv("LABELGRAPH_STORE", str(tmp_path / "market"))
    assert default_store(tmp_path / "notebooks") == tmp_path / "market"


def test_newcomer_notebook_uses_the_default_store():
    nb = json.loads((ROOT / "notebooks" / "explore.ipynb").read_text())
    code = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "STORE = default_store()" in code and '"labelgraph-store"' not in code


def _tour() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme.split("## A short tour", 1)[1].split("\n## ", 1)[0]


def test_newcomer_readme_tour_names_one_store_throughout():
    commands = [line for line in _tour().splitlines() if line.startswith("labelgraph ")]
    reads_store = [c for c in commands if not c.startswith(("labelgraph extract", "labelgraph --help"))]
    assert reads_store and all("--store market" in c for c in reads_store), reads_store
    assert any(c.startswith("labelgraph ask ") for c in reads_store)
    assert "LABELGRAPH_STORE" in _tour()


def test_newcomer_readme_states_the_bad_input_rules():
    readme = (ROOT / "README.md").read_text()
    scale = readme.split("## Scale and robustness", 1)[1].split("\n## ", 1)[0]
    assert "### Bad input" in scale and "100,000 characters" in scale and "regular file" in scale
