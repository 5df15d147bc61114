"""The command line, end to end on the bundled corpus (real store on disk)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from graph.cli import app

pytestmark = pytest.mark.slow
runner = CliRunner()

META_IN_SCALE = """PREFIX lg: <https://w3id.org/labelgraph/ontology#>
SELECT DISTINCT ?amount WHERE {
  ?e a lg:Investment ; lg:hasSubject ?m ; lg:hasObject ?s ; lg:amountUSD ?amount .
  ?m rdfs:label "Meta" . ?s rdfs:label "Scale AI" }"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    store = tmp_path_factory.mktemp("cli") / "store"
    result = runner.invoke(app, ["build", "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store, result.output


def _count(store) -> int:
    out = runner.invoke(app, ["query", "--store", str(store), "--format", "json",
                              "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"])  # fmt: skip
    return int(json.loads(out.stdout)["results"]["bindings"][0]["n"]["value"])


def test_cli_build_prints_a_summary(built):
    store, output = built
    assert "12" in output or "13" in output  # articles read
    assert "invested_in" in output and "customer_of" in output and str(store.resolve()) in output.replace("\n", "")


def test_cli_build_again_changes_nothing(built):
    store, _ = built
    before = _count(store)
    result = runner.invoke(app, ["build", "--store", str(store)])
    assert result.exit_code == 0 and "0 added" in result.output
    assert _count(store) == before


def test_cli_query_in_a_new_process_finds_meta_investment(built):
    store, _ = built
    out = subprocess.run(
        [sys.executable, "-m", "graph.cli", "query", "--store", str(store), "--format", "json", META_IN_SCALE],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    amounts = {float(b["amount"]["value"]) for b in json.loads(out.stdout)["results"]["bindings"]}
    assert 14.3e9 in amounts


@pytest.mark.parametrize(
    "sparql", ["DELETE WHERE { ?s ?p ?o }", "SELECT * WHERE { SERVICE <http://example.org/q> { ?s ?p ?o } }"]
)
def test_cli_query_refuses_and_keeps_the_store(built, sparql):
    store, _ = built
    before = _count(store)
    result = runner.invoke(app, ["query", "--store", str(store), sparql])
    assert result.exit_code == 4 and "not allowed" in result.output
    assert _count(store) == before


def test_cli_validate_passes(built):
    store, _ = built
    result = runner.invoke(app, ["validate", "--store", str(store)])
    assert result.exit_code == 0, result.output


def test_cli_export_and_stats(built, tmp_path):
    store, _ = built
    out = tmp_path / "g.trig"
    assert runner.invoke(app, ["export", "--store", str(store), "--format", "trig", "--out", str(out)]).exit_code == 0
    assert out.stat().st_size > 1000
    stats = runner.invoke(app, ["stats", "--store", str(store)])
    assert stats.exit_code == 0 and "articles" in stats.output


def test_cli_query_without_store_exits_3(tmp_path):
    result = runner.invoke(app, ["query", "--store", str(tmp_path / "none"), "ASK { ?s ?p ?o }"])
    assert result.exit_code == 3 and "no store" in result.output


def test_cli_extract_writes_evaluation_format(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Accel invested $5 million in Labelbox in March, the company said.\n")
    bad = tmp_path / "b.bin"
    bad.write_bytes(b"\x00\x01")
    out = tmp_path / "pred.jsonl"
    result = runner.invoke(app, ["extract", str(article), str(bad), "--out", str(out)])
    assert result.exit_code == 1 and "b.bin" in result.output  # skipped input named, exit 1
    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert row["article"] == "a.txt" and row["subject"] == "Accel" and row["predicate"] == "invested_in"
    assert row["qualifiers"]["amount_usd"] == 5e6 and 0 < row["confidence"] <= 1


def test_cli_eval_scores_against_gold(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Accel invested $5 million in Labelbox. Mercor competes with Turing.\n")
    gold = [{"file": "a.txt", "entities": [], "relations": [
        {"subject": "Accel", "predicate": "invested_in", "object": "Labelbox", "evidence": "x"},
        {"subject": "Google", "predicate": "customer_of", "object": "Appen", "evidence": "y"}]}]  # fmt: skip
    (tmp_path / "gold.json").write_text(json.dumps(gold))
    result = runner.invoke(app, ["eval", str(article), "--gold", str(tmp_path / "gold.json"), "--json"])
    data = json.loads(result.stdout)
    assert data["per_predicate"]["invested_in"]["tp"] == 1
    assert data["per_predicate"]["customer_of"]["fn"] == 1
    assert data["per_predicate"]["competitor_of"]["fp"] == 1
    low = runner.invoke(app, ["eval", str(article), "--gold", str(tmp_path / "gold.json"), "--min-f1", "0.9"])
    assert low.exit_code == 5
