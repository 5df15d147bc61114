"""Who depends on whom: the dependency model and the questions, on hand-made graphs and
on the bundled corpus; SPARQL over the derived graph agrees with networkx."""

from __future__ import annotations

import networkx as nx
import pytest
from typer.testing import CliRunner

from graph.analytics import questions as q
from graph.analytics.dependency import derive_dependencies
from graph.cli import app
from graph.sparql.named import bind_params, list_queries
from graph.sparql.query import run_query
from graph.storage.store import Store

EXITS = ("Google", "Microsoft", "OpenAI", "xAI")


@pytest.fixture(scope="module")
def corpus_facts(corpus_store):
    """The corpus store's facts projected to networkx (what `ask` answers from)."""
    from graph.analytics.project import project_facts

    with Store(corpus_store, read_only=True) as s:
        return project_facts(s.dataset)


def _market() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for node, kind in [("acme", "AILab"), ("beta", "AILab"), ("datamark", "DataVendor"), ("capitalis", "Investor")]:
        g.add_node(node, label=node.title(), type=kind)

    def rel(s, o, key, predicate, date, status="reported", amount=None):
        g.add_edge(
            s,
            o,
            key=key,
            predicate=predicate,
            date=date,
            status=status,
            amount_usd=amount,
            evidence=f"{s} {predicate} {o}.",
            title=f"story {key}",
            article=f"art-{key}",
            confidence=0.9,
        )

    rel("acme", "datamark", "e1", "customer_of", "2025-01", amount=3e8)
    rel("beta", "datamark", "e2", "customer_of", "2025-02", amount=1e8)
    rel("capitalis", "datamark", "e3", "invested_in", "2024-05", amount=5e7)
    rel("acme", "datamark", "e4", "ended_relationship_with", "2025-06", status="ended")
    rel("beta", "datamark", "e5", "ended_relationship_with", "2025-07", status="planned")
    return g


def test_analytics_model_kinds_and_weights():
    d = derive_dependencies(_market())
    kinds = {(a, b, k) for a, b, k in d.edges(keys=True)}
    assert ("acme", "datamark", "supply") in kinds and ("datamark", "acme", "revenue") in kinds
    assert ("datamark", "capitalis", "capital") in kinds
    assert d["datamark"]["acme"]["revenue"]["weight"] == 300.0
    assert d["acme"]["datamark"]["supply"]["basis"] == ["e1", "e4"]


@pytest.mark.parametrize(("as_of", "expected"), [("2025-03-01", {"Acme", "Beta"}), ("2025-08-01", {"Beta"})])
def test_analytics_as_of_drops_ended_dependencies(as_of, expected):
    frame = q.dependents(_market(), "Datamark", as_of=as_of, transitive=False)
    assert set(frame[frame.kind == "supply"].entity) == expected


def test_analytics_planned_ending_is_flagged_not_ended():
    frame = q.dependents(_market(), "Datamark", transitive=False)
    assert frame.set_index("entity").loc["Beta", "status"] == "ending planned"


def test_analytics_exposure_ranks_by_share():
    g = _market()
    g.add_node("other", label="Other", type="DataVendor")
    g.add_edge(
        "beta",
        "other",
        key="e6",
        predicate="customer_of",
        date="2025-03",
        status="reported",
        amount_usd=None,
        evidence="Beta uses Other.",
        title="t",
        article="a",
        confidence=0.8,
    )
    frame = q.exposure(g, "Datamark", as_of="2025-05-01")
    supply = frame[frame.kind == "supply"]
    assert list(supply.entity) == ["Acme", "Beta"]  # Acme has no alternative, Beta has one
    assert supply.iloc[0].share == 1.0 and supply.iloc[1].share == 0.5


def test_analytics_critical_names_its_measure():
    frame = q.critical(_market())
    assert frame.iloc[0].entity == "Datamark" and "betweenness" in frame.iloc[0].measure


def test_analytics_unknown_entity_suggests():
    with pytest.raises(LookupError, match="Datamark"):
        q.dependents(_market(), "Datamrk")


# -- on the bundled corpus ------------------------------------------------------------


@pytest.mark.slow
def test_analytics_corpus_scale_clients_and_exits(corpus_facts):
    direct = q.dependents(corpus_facts, "Scale AI", transitive=False)
    supply = set(direct[direct.kind == "supply"].entity)
    assert {"Google", "OpenAI", "Microsoft", "xAI", "Meta"} <= supply
    assert direct.evidence.str.len().min() > 20 and direct.sources.str.len().min() > 5
    later = q.dependents(corpus_facts, "Scale AI", as_of="2025-08-01", transitive=False)
    assert not set(later.entity) & set(EXITS)
    assert "Meta" in set(later.entity)


@pytest.mark.slow
def test_analytics_corpus_path_google_meta_through_scale(corpus_facts):
    frame = q.path(corpus_facts, "Google", "Meta")
    assert len(frame) == 2
    assert set(frame.entity) | set(frame.other) == {"Google", "Scale AI", "Meta"}
    assert frame.evidence.notna().all() and frame.sources.notna().all()


@pytest.mark.slow
def test_analytics_corpus_other_questions(corpus_facts):
    assert not q.exposure(corpus_facts, "Scale AI").empty
    assert not q.critical(corpus_facts).empty
    talent = q.talent(corpus_facts)
    assert ((talent.entity == "Alexandr Wang") & (talent.to == "Meta")).any()
    rivals = q.rivals(corpus_facts, "Scale AI")
    assert {"Labelbox", "Surge AI"} <= set(rivals.entity)
    timeline = q.timeline(corpus_facts, "Google")
    assert list(timeline.date.dropna()) == sorted(timeline.date.dropna())


@pytest.mark.slow
def test_analytics_sparql_dependents_agrees_with_networkx(corpus_store, corpus_facts):
    with Store(corpus_store, read_only=True) as store:
        bindings = bind_params(store, ["entity=Scale AI"])
        rows = run_query(store, list_queries()["dependents"], bindings).rows
    sparql = {(str(r[2]), str(r[3])) for r in rows}
    frame = q.dependents(corpus_facts, "Scale AI", transitive=False)
    assert sparql == set(zip(frame.entity, frame.kind, strict=True))


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["dependents", "Scale AI"],
        ["path", "Google", "Meta"],
        ["exposure", "Scale AI"],
        ["critical"],
        ["timeline", "Scale AI"],
        ["talent"],
        ["rivals", "Scale AI"],
        ["dependencies", "Scale AI", "--as-of", "2025-08-01"],
    ],
)
def test_analytics_ask_cli(corpus_store, args):
    result = CliRunner().invoke(app, ["ask", *args, "--store", str(corpus_store), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().startswith("[")


@pytest.mark.slow
def test_analytics_ask_unknown_entity_exits_2(corpus_store):
    result = CliRunner().invoke(app, ["ask", "dependents", "Nobody Inc", "--store", str(corpus_store)])
    assert result.exit_code == 2 and "no entity" in result.output
