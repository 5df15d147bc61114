"""Dependencies that make sense (issue 12 points 2 and 3), on a small invented corpus with
dated endings, one of them dated by the year only:

- Arbor Labs, Birchway AI and Cobalt Systems are clients of Quillon Data from March 2024;
- Arbor's ending is dated "2025" (reported 2025-03-20), Birchway's "June 2025";
- Fenwick Capital invested $40 million in Quillon Data (reported twice: one deal);
- Halden Data competes with Quillon Data and also serves Cobalt Systems (a shared client).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from graph.analytics import questions as q
from graph.analytics.dependency import derive_dependencies
from graph.cli import app

runner = CliRunner()

ARTICLES = {
    "a1.md": ("Quillon Data lands three lab clients", "2024-03-10", [
        "Arbor Labs, Birchway AI and Cobalt Systems all use Quillon Data for training data, according to people "
        "familiar with the company.",
        "Fenwick Capital invested $40 million in Quillon Data, the company said."]),
    "a2.md": ("Arbor Labs ends its Quillon Data contract", "2025-03-20", [
        "Arbor Labs ended its relationship with Quillon Data in 2025, the lab said.",
        "Fenwick Capital invested $40 million in Quillon Data last year."]),
    "a3.md": ("Birchway AI drops Quillon Data", "2025-07-02", [
        "Birchway AI ended its relationship with Quillon Data in June 2025, the lab said.",
        "Quillon Data competes with Halden Data for work from frontier labs.",
        "Cobalt Systems is a customer of Halden Data."]),
    "a4.md": ("Quillon Data valuations", "2025-08-01", [
        "Quillon Data was valued at $300 million in 2024.",
        "Quillon Data was valued at $900 million in 2025."]),
}  # fmt: skip


def write_corpus(folder, articles=ARTICLES):
    folder.mkdir(parents=True, exist_ok=True)
    for name, (title, date, paragraphs) in articles.items():
        body = "\n\n".join(paragraphs)
        (folder / name).write_text(f"---\ntitle: {title}\ndate: {date}\n---\n# {title}\n\n{body}\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def mini_store(tmp_path_factory):
    from graph.ingest.build import build

    root = tmp_path_factory.mktemp("mini")
    report = build([write_corpus(root / "articles")], root / "store")
    assert report.added == 4 and not report.skipped
    return root / "store"


@pytest.fixture(scope="module")
def mini_facts(mini_store):
    from graph.analytics.project import project_facts
    from graph.storage.store import Store

    with Store(mini_store, read_only=True) as s:
        return project_facts(s.dataset)


def _clients(g, as_of):
    frame = q.dependents(g, "Quillon Data", as_of=as_of, transitive=False)
    supply = frame[frame.kind == "supply"]
    return dict(zip(supply.entity, supply.status, strict=True))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2024-01-15", {}),  # nothing reported yet
        ("2024-06-01", {"Arbor Labs": "active", "Birchway AI": "active", "Cobalt Systems": "active"}),
        ("2024", {"Arbor Labs": "active", "Birchway AI": "active", "Cobalt Systems": "active"}),
        # Arbor's ending is dated only "2025": in February it may or may not have happened
        (
            "2025-02-01",
            {"Arbor Labs": "uncertain (may have ended)", "Birchway AI": "active", "Cobalt Systems": "active"},
        ),
        # reported ended on 2025-03-20; Birchway ended some day in June
        ("2025-06-15", {"Birchway AI": "uncertain (may have ended)", "Cobalt Systems": "active"}),
        ("2025-08-01", {"Cobalt Systems": "active"}),
        ("2025", {"Cobalt Systems": "active"}),
    ],
)
def test_dependencies_dependents_as_of_before_during_and_after_the_exits(mini_facts, as_of, expected):
    assert _clients(mini_facts, as_of) == expected


@pytest.mark.slow
def test_dependencies_ask_cli_as_of(mini_store):
    def ask(as_of):
        result = runner.invoke(app, ["ask", "dependents", "Quillon Data", "--direct", "--as-of", as_of, "--store",
                                     str(mini_store), "--format", "json"])  # fmt: skip
        assert result.exit_code == 0, result.output
        return {r["entity"] for r in json.loads(result.stdout) if r["kind"] == "supply"}

    assert ask("2024-06-01") == {"Arbor Labs", "Birchway AI", "Cobalt Systems"}
    assert ask("2025-08-01") == {"Cobalt Systems"}
    bad = runner.invoke(app, ["ask", "dependents", "Quillon Data", "--as-of", "June", "--store", str(mini_store)])
    assert bad.exit_code == 2


@pytest.mark.slow
def test_dependencies_no_entity_depends_on_itself(mini_facts, corpus_store):
    from graph.analytics.project import project_facts
    from graph.storage.store import Store

    with Store(corpus_store, read_only=True) as s:
        corpus = project_facts(s.dataset)
    for g in (mini_facts, corpus):
        d = derive_dependencies(g)
        assert not any(a == b for a, b in d.edges())
        for node in g.nodes:
            label = g.nodes[node]["label"]
            for question in (q.dependents, q.dependencies):
                frame = question(g, node)
                rows = frame[frame.depends_on == label] if question is q.dependents else frame[frame.entity == label]
                assert label not in set(rows.entity if question is q.dependents else rows.depends_on), label
                for via, entity, other in zip(frame.via, frame.entity, frame.depends_on, strict=True):
                    chain = [label, *[p for p in via.split(" > ") if p]]
                    assert len(set(chain)) == len(chain)  # a simple path
                    assert entity != other


@pytest.mark.slow
def test_dependencies_scale_ai_on_the_corpus_has_no_self_dependency(corpus_store):
    result = runner.invoke(app, ["ask", "dependents", "Scale AI", "--store", str(corpus_store), "--format", "json"])
    rows = json.loads(result.stdout)
    assert rows and all(r["entity"] != "Scale AI" for r in rows)
    deps = json.loads(runner.invoke(app, ["ask", "dependencies", "Meta", "--store", str(corpus_store), "--format",
                                          "json"]).stdout)  # fmt: skip
    assert deps and all(r["depends_on"] != "Meta" for r in deps)
    assert all(isinstance(r["basis"], list) and r["basis"] for r in rows + deps)  # the chain of facts


@pytest.mark.slow
def test_dependencies_tables_share_one_column_order(mini_facts):
    a = q.dependents(mini_facts, "Quillon Data")
    b = q.dependencies(mini_facts, "Cobalt Systems")
    assert list(a.columns) == list(b.columns) == q.DEPENDENCY_COLUMNS
    frames = [a, b, q.exposure(mini_facts, "Quillon Data"), q.critical(mini_facts), q.timeline(mini_facts, "Arbor Labs"),
              q.rivals(mini_facts, "Quillon Data"), q.path(mini_facts, "Arbor Labs", "Cobalt Systems"), q.talent(mini_facts)]  # fmt: skip
    assert all(f.columns[0] == "entity" for f in frames)


@pytest.mark.slow
def test_dependencies_weights_keep_capital_supply_and_revenue_apart(mini_facts):
    d = derive_dependencies(mini_facts)
    units = {k: data["unit"] for _, _, k, data in d.edges(keys=True, data=True)}
    assert units == {"supply": "facts", "revenue": "USD M", "capital": "USD M"} or set(units) <= {"supply", "revenue",
                                                                                                   "capital"}  # fmt: skip
    capital = [data for _, _, k, data in d.edges(keys=True, data=True) if k == "capital"]
    assert [c["weight"] for c in capital] == [40.0]  # one deal of $40M, reported twice, not $80M
    top = q.critical(mini_facts).set_index("entity")
    assert top.loc["Fenwick Capital", "capital_usd_m"] == 40.0
    assert top.loc["Quillon Data", "clients"] >= 1
    assert "weighted_dependents" not in top.columns  # no sum across kinds


@pytest.mark.slow
def test_dependencies_rivals_show_shared_clients(mini_facts):
    frame = q.rivals(mini_facts, "Quillon Data").set_index("entity")
    assert frame.loc["Halden Data", "shared_clients"] == "Cobalt Systems"


@pytest.mark.slow
def test_dependencies_timeline_shows_each_facts_status_history(mini_facts):
    frame = q.timeline(mini_facts, "Arbor Labs").set_index("relation")
    assert frame.loc["customer_of", "history"] == "reported 2024-03-10 > ended 2025"
    early = q.timeline(mini_facts, "Arbor Labs", as_of="2024-12-31").set_index("relation")
    assert early.loc["customer_of", "status"] == "reported" and "ended_relationship_with" not in early.index


def _ask(store, *args):
    env = {**os.environ, "COLUMNS": "80"}
    return subprocess.run([sys.executable, "-m", "graph.cli", "ask", *args, "--store", str(store)], env=env,
                          capture_output=True, text=True, timeout=120, check=True).stdout  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("question", [["dependents", "Quillon Data"], ["dependencies", "Cobalt Systems"],
                                      ["timeline", "Arbor Labs"], ["rivals", "Quillon Data"], ["critical"]])  # fmt: skip
def test_dependencies_tables_fit_80_columns_and_evidence_can_be_seen_whole(mini_store, question):
    text = _ask(mini_store, *question)
    assert text and max(len(line) for line in text.splitlines()) <= 80, text
    whole = _ask(mini_store, *question, "--evidence")
    frame = json.loads(_ask(mini_store, *question, "--format", "json"))
    for row in frame:
        if row.get("evidence"):
            assert " ".join(row["evidence"].split()) in " ".join(whole.split())


@pytest.mark.slow
def test_dependencies_scale_ai_clients_before_during_and_after_the_exits(corpus_store):
    from graph.analytics.project import project_facts
    from graph.storage.store import Store

    with Store(corpus_store, read_only=True) as s:
        g = project_facts(s.dataset)

    def clients(as_of):
        frame = q.dependents(g, "Scale AI", as_of=as_of, transitive=False)
        return dict(zip(frame.entity, frame.status, strict=True))

    before = clients("2025-05-31")
    assert {"Google", "Microsoft", "OpenAI", "xAI", "Meta"} <= set(before)
    assert set(before.values()) == {"active"}
    during = clients("2025-06-15")
    assert during["Google"] == "ending planned" and "Microsoft" not in during and "xAI" not in during
    assert set(clients("2025-08-01")) == {"Meta", "U.S. Department of Defense"}


def _fact_graph():
    import networkx as nx

    g = nx.MultiDiGraph()
    for node, kind in [("a", "DataVendor"), ("b", "DataVendor"), ("c", "AILab"), ("d", "AILab")]:
        g.add_node(node, label=node.upper(), type=kind)

    def fact(s, o, key, predicate, start=None, end=None, status="reported", first="2024-01-10"):
        ev = [{"sentence": f"{s} {predicate} {o}.", "article": "art", "title": "t", "date": first, "status": status,
               "confidence": 0.8}]  # fmt: skip
        g.add_edge(s, o, key=key, predicate=predicate, start=start, end=end, status=status, first_reported=first,
                   statuses=[[first, status]], evidence=ev, articles=1, amount_usd=None, confidence=0.8)  # fmt: skip

    fact("a", "b", "f1", "competitor_of")
    fact("c", "a", "f2", "customer_of", start="2024-01-10", end="2025-03")
    fact("c", "b", "f3", "customer_of", start="2024-01-10")
    fact("d", "a", "f4", "customer_of", status="ended")  # ended, no date given
    return g


def test_dependencies_rivals_mark_a_shared_client_that_left():
    g = _fact_graph()
    assert q.rivals(g, "A").set_index("entity").loc["B", "shared_clients"] == "C (ended)"
    assert q.rivals(g, "A", as_of="2024-12-31").set_index("entity").loc["B", "shared_clients"] == "C"


def test_dependencies_an_ending_without_a_date_is_uncertain_as_of_any_day():
    g = _fact_graph()
    assert dict(zip(*[q.dependents(g, "A", transitive=False)[c] for c in ("entity", "status")], strict=True)) == {
        "C": "ended", "D": "ended"}  # fmt: skip
    frame = q.dependents(g, "A", as_of="2024-06-01", transitive=False)
    assert dict(zip(frame.entity, frame.status, strict=True)) == {"C": "active", "D": "uncertain (may have ended)"}
    assert set(q.dependents(g, "A", as_of="2025-04-01", transitive=False).entity) == {"D"}
