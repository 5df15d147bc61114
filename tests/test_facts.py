"""Facts, not sentences (issue 12 point 1): mentions reconciled into facts with their
evidence ledger, kept in their own named graph, updated incrementally and atomically, and
`labelgraph forget`."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from typer.testing import CliRunner

from graph.analytics.project import project_edges, project_facts
from graph.cli import app
from graph.facts.rdf import FACTS_GRAPH, fact_quads
from graph.facts.reconcile import Mention, reconcile
from graph.storage.store import Store
from tests.test_dependencies import ARTICLES, write_corpus

runner = CliRunner()


def _m(event, article, predicate="invested_in", amount=None, date=None, published="2025-06-13", **kw):
    values = dict(subject="meta", object="scale-ai", status="reported", confidence=0.8, evidence=f"{event}.")
    values.update(kw)
    return Mention(event, article, predicate, date=date, published=published, amount_usd=amount, **values)


# -- reconcile (pure) ---------------------------------------------------------------------------


def test_facts_same_stake_from_ten_outlets_is_one_fact():
    mentions = [_m(f"e{i}", f"a{i}", amount=14.3e9, published=f"2025-06-{13 + i:02d}") for i in range(10)]
    mentions.append(_m("e-no-amount", "a0", amount=None))
    [fact] = reconcile(mentions)
    assert fact.articles == 10 and len(fact.mentions) == 11
    assert fact.first_reported == "2025-06-13" and fact.last_reported == "2025-06-22"
    assert fact.amount_usd == 14.3e9 and not fact.conflicting
    assert fact.confidence == round(1 - 0.2**10, 3)  # noisy-or over distinct articles


def test_facts_two_valuations_are_two_facts_and_close_amounts_one_flagged():
    vals = [_m("v1", "a1", "valued_at", 14e9, object=None), _m("v2", "a2", "valued_at", 29e9, object=None),
            _m("v3", "a3", "valued_at", 14.3e9, object=None), _m("v4", "a4", "valued_at", 14.6e9, object=None)]  # fmt: skip
    facts = sorted(reconcile(vals), key=lambda f: f.amount_usd)
    assert [len(f.mentions) for f in facts] == [3, 1]
    assert facts[0].conflicting and facts[0].conflicts == ["amount_usd: 1.4e+10, 1.43e+10, 1.46e+10"]
    assert facts[0].iri != facts[1].iri
    [rounded] = reconcile(vals[:1] + vals[2:3])  # "$14 billion" is "$14.3 billion" rounded: no disagreement
    assert not rounded.conflicting


def test_facts_same_amount_in_different_years_are_two_deals():
    facts = reconcile([_m("e1", "a1", amount=1e9, date="2021"), _m("e2", "a2", amount=1e9, date="2024")])
    assert len(facts) == 2


def test_facts_one_article_counts_once_with_its_best_mention():
    [fact] = reconcile([_m("e1", "a1", confidence=0.5), _m("e2", "a1", confidence=0.9), _m("e3", "a2", confidence=0.5)])
    assert fact.articles == 2 and fact.confidence == round(1 - 0.1 * 0.5, 3)


def test_facts_status_history_and_ending_from_the_same_pair():
    mentions = [
        _m("c1", "a1", "customer_of", published="2024-05-21", object="vendor", subject="lab"),
        _m("p1", "a2", "ended_relationship_with", status="planned", published="2025-06-14", object="vendor",
           subject="lab"),
        _m("x1", "a3", "ended_relationship_with", status="ended", published="2025-06-18", object="vendor",
           subject="lab"),
    ]  # fmt: skip
    facts = {f.predicate: f for f in reconcile(mentions)}
    client = facts["customer_of"]
    assert client.start == "2024-05-21" and client.end == "2025-06-18" and client.status == "ended"
    assert client.statuses == [("2024-05-21", "reported"), ("2025-06-18", "ended")]
    assert facts["ended_relationship_with"].statuses == [("2025-06-14", "planned"), ("2025-06-18", "ended")]


def test_facts_symmetric_relations_are_one_fact_either_way_round():
    a = _m("r1", "a1", "competitor_of", subject="surge-ai", object="scale-ai")
    b = _m("r2", "a2", "competitor_of", subject="scale-ai", object="surge-ai")
    [fact] = reconcile([a, b])
    assert (fact.subject, fact.object, fact.articles) == ("scale-ai", "surge-ai", 2)


def test_facts_lead_evidence_is_the_earliest_ten_in_any_order():
    from graph.facts.rdf import LEAD_EVIDENCE, lead_mentions

    # 30 reports of one stake: undated ones last, then by date, ties by article and event
    ev = "https://w3id.org/labelgraph/event/"
    mentions = [_m(f"{ev}{i:02d}", f"a{i % 7}", amount=1e9, published=f"2025-{1 + i % 12:02d}-01") for i in range(28)]
    mentions += [
        _m(ev + "undated", "a9", amount=1e9, published=None),
        _m(ev + "stated", "a8", amount=1e9, date="2024-12"),
    ]
    [fact] = reconcile(mentions)
    lead = {str(q.object.value) for q in fact_quads([fact]) if q.predicate.value.endswith("#leadEvidence")}
    assert len(lead) == LEAD_EVIDENCE == 10
    expected = sorted(mentions, key=lambda m: (m.date or m.published or "9999", m.article, m.event))[:10]
    assert lead == {m.event for m in expected} and ev + "stated" in lead and ev + "undated" not in lead
    assert [m.event for m in lead_mentions(reversed(mentions))] == [m.event for m in expected]
    [one] = reconcile(mentions[:1])
    assert [q.object.value for q in fact_quads([one]) if q.predicate.value.endswith("#leadEvidence")] == [ev + "00"]


def test_facts_rdf_conforms_to_the_shapes():
    from graph.rdf.validate import validate_graph

    facts = reconcile([_m("https://w3id.org/labelgraph/event/1", "a1", amount=1e9, date="2025")])
    store = ox.Store()
    store.extend(fact_quads(facts))
    g = Graph()
    g.parse(data=store.dump(format=ox.RdfFormat.N_QUADS, from_graph=ox.NamedNode(FACTS_GRAPH)), format="nt")
    report = validate_graph(g)
    assert report.conforms, report.text


# -- on the bundled corpus ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_facts(corpus_store):
    from graph.analytics.project import project_facts

    with Store(corpus_store, read_only=True) as s:
        return project_facts(s.dataset)


def _facts(g, predicate, subject=None, obj=None):
    return [
        (s, o, d)
        for s, o, d in g.edges(data=True)
        if d["predicate"] == predicate and (subject is None or g.nodes[s]["label"] == subject)
        and (obj is None or g.nodes[o]["label"] == obj)
    ]  # fmt: skip


@pytest.mark.slow
def test_facts_corpus_meta_stake_is_one_fact_with_all_its_evidence(corpus_facts, corpus_store):
    [(_, _, stake)] = _facts(corpus_facts, "invested_in", "Meta", "Scale AI")
    assert stake["amount_usd"] == 14.3e9 and len(stake["evidence"]) >= 2
    assert [e["date"] for e in stake["evidence"]] == sorted(e["date"] for e in stake["evidence"])
    assert set(stake["evidence"][0]) == {"sentence", "article", "title", "date", "status", "confidence"}
    [(_, _, client)] = _facts(corpus_facts, "customer_of", "Google", "Scale AI")
    assert client["articles"] == len({e["article"] for e in client["evidence"]}) >= 4
    assert client["statuses"][0] == ["2024-05-21", "reported"] and client["statuses"][-1][1] == "ended"
    assert client["end"] and client["status"] == "ended"
    for key in ("predicate", "status", "statuses", "start", "end", "date", "confidence", "amount_usd", "articles",
                "first_reported", "last_reported", "conflicting", "evidence"):  # fmt: skip
        assert key in client
    with Store(corpus_store, read_only=True) as s:  # the mentions stay, linked with PROV-O
        rows = list(
            s.ox.query(f"""SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{FACTS_GRAPH}> {{
            ?f <http://www.w3.org/ns/prov#wasDerivedFrom> ?m }} GRAPH ?a {{ ?m ?p ?o }} }}""")
        )
        assert int(rows[0]["n"].value) > 0


@pytest.mark.slow
def test_facts_corpus_two_valuations_and_investments_one_row_per_deal(corpus_store):
    vals = runner.invoke(app, ["query", "--name", "valuations", "--store", str(corpus_store), "--format", "csv"])
    scale = [line for line in vals.stdout.splitlines() if line.startswith("Scale AI,")]
    assert {line.split(",")[1] for line in scale} == {"13800000000", "29000000000"}
    inv = runner.invoke(app, ["query", "--name", "investments", "--store", str(corpus_store), "--format", "csv"])
    rows = [line.split(",") for line in inv.stdout.splitlines()[1:]]
    deals = [(r[0], r[1], r[2]) for r in rows]
    assert len(deals) == len(set(deals)) == 2  # Meta's $14.3B stake, Accel's $1B round
    mentions = runner.invoke(app, ["query", "--name", "mentions", "--param", "entity=Meta", "--store",
                                   str(corpus_store), "--format", "csv"])  # fmt: skip
    assert mentions.exit_code == 0 and mentions.stdout.count("invested_in") >= 2  # mentions stay queryable


# -- incremental, forget ------------------------------------------------------------------------


@pytest.fixture
def mini(tmp_path):
    from graph.ingest.build import build

    articles = write_corpus(tmp_path / "articles")
    build([articles], tmp_path / "store")
    return tmp_path / "store", articles


def _ledger(store_path):
    from graph.analytics.project import project_facts

    with Store(store_path, read_only=True) as s:
        g = project_facts(s.dataset)
    return {
        (g.nodes[a]["label"], d["predicate"], g.nodes[b]["label"]): len(d["evidence"]) for a, b, d in g.edges(data=True)
    }


class _CountingStore:
    """The real Oxigraph store, counting the updates made through it."""

    def __init__(self, inner):
        self.inner, self.updates = inner, []

    def update(self, text, *args, **kw):
        self.updates.append(text)
        return self.inner.update(text, *args, **kw)

    def __getattr__(self, name):
        return getattr(self.inner, name)


@pytest.mark.slow
def test_facts_forget_removes_an_article_and_what_only_it_supported(mini):
    store_path, articles = mini
    before = _ledger(store_path)
    assert before[("Arbor Labs", "ended_relationship_with", "Quillon Data")] >= 1
    assert before[("Fenwick Capital", "invested_in", "Quillon Data")] == 2
    from graph.facts.update import find_articles, forget_articles

    with Store(store_path) as s:
        [article] = find_articles(s, articles / "a2.md")
        s.ox = _CountingStore(s.ox)
        done = forget_articles(s, [article])
        assert len(s.ox.updates) == 1  # the article graph and the facts it touched: one atomic update
        assert "DROP SILENT GRAPH" in s.ox.updates[0] and "INSERT DATA" in s.ox.updates[0]
        s.ox = s.ox.inner
        assert article not in s.graph_names()
    assert done.removed and done.weakened
    after = _ledger(store_path)
    assert ("Arbor Labs", "ended_relationship_with", "Quillon Data") not in after  # only a2 said it
    assert after[("Fenwick Capital", "invested_in", "Quillon Data")] == 1  # one piece of evidence less
    assert after[("Arbor Labs", "customer_of", "Quillon Data")] == before[("Arbor Labs", "customer_of",
                                                                           "Quillon Data")] - 1  # fmt: skip
    from graph.ingest.build import build

    build([articles], store_path)  # a re-build restores them
    assert _ledger(store_path) == before


@pytest.mark.slow
def test_facts_forget_cli(mini):
    store_path, articles = mini
    result = runner.invoke(app, ["forget", str(articles / "a3.md"), "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    assert "forgot 1 article" in result.output
    assert ("Birchway AI", "ended_relationship_with", "Quillon Data") not in _ledger(store_path)
    deps = runner.invoke(app, ["ask", "dependents", "Quillon Data", "--store", str(store_path), "--format", "json"])
    assert deps.exit_code == 0 and '"Birchway AI"' in deps.stdout  # the ending is gone, the client stays
    missing = runner.invoke(app, ["forget", str(articles / "nope.md"), "--store", str(store_path)])
    assert missing.exit_code == 1 and "no article read from it" in missing.output
    nowhere = runner.invoke(app, ["forget", str(articles / "a1.md"), "--store", str(store_path.parent / "none")])
    assert nowhere.exit_code == 3 and not (store_path.parent / "none").exists()


@pytest.mark.slow
def test_facts_changed_article_rederives_only_the_facts_it_touches(mini, monkeypatch):
    store_path, articles = mini
    import graph.ingest.build as build_module

    seen = []
    real = build_module.update_facts

    def spy(store, groups, **kw):
        seen.append(set(groups))
        return real(store, groups, **kw)

    monkeypatch.setattr(build_module, "update_facts", spy)
    before = _ledger(store_path)
    (articles / "a4.md").write_text(
        "---\ntitle: Quillon Data valuations\ndate: 2025-08-01\n---\n# Quillon Data valuations\n\n"
        "Quillon Data was valued at $300 million in 2024.\n",
        encoding="utf-8",
    )
    report = build_module.build([articles], store_path)
    assert report.replaced == 1 and report.unchanged == 3
    assert seen == [{"valued_at|quillon-data|"}]  # the valuations only
    assert _ledger(store_path) == before  # valuations are not edges; every other fact as it was
    with Store(store_path, read_only=True) as s:
        n = list(s.ox.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{FACTS_GRAPH}> {{ ?f a "
                            f"<https://w3id.org/labelgraph/ontology#Fact> ; <https://w3id.org/labelgraph/ontology#"
                            f"relationKind> <https://w3id.org/labelgraph/ontology#Valuation> }} }}"))  # fmt: skip
        assert int(n[0]["n"].value) == 1
    seen.clear()
    build_module.build([articles], store_path)
    assert seen == []  # nothing changed, nothing re-derived


def _altered_copy(store_path: Path, copy: Path, alter) -> Path:
    """A copy of the store at ``store_path``, changed by ``alter(store)``."""
    shutil.copytree(store_path, copy)
    with Store(copy) as s:
        alter(s)
    return copy


@pytest.mark.slow
def test_facts_store_without_facts_gets_them_at_the_next_build(mini, tmp_path):
    store_path, articles = mini
    copy = _altered_copy(store_path, tmp_path / "old", lambda s: s.remove_graph(FACTS_GRAPH))
    asked = runner.invoke(app, ["ask", "critical", "--store", str(copy)])
    assert asked.exit_code == 3 and "no facts yet" in asked.output
    from graph.ingest.build import build

    build([articles], copy)
    assert _ledger(copy) == _ledger(store_path)


@pytest.mark.slow
@pytest.mark.parametrize("size", [1, 3, 10_000])
def test_facts_batches_hold_whole_groups_and_give_the_same_facts(mini, size):
    from graph.facts.rdf import owned_mentions, owner_batches, read_mentions
    from graph.facts.reconcile import group_key

    def summary(facts):
        return sorted((f.iri, f.status, f.confidence, sorted(m.event for m in f.mentions)) for f in facts)

    with Store(mini[0], read_only=True) as s:
        every = read_mentions(s.ox)
        batches = [owned_mentions(s.ox, owners) for owners in owner_batches(s.ox, size)]
        counted = Counter(group_key(m.predicate, m.subject, m.object) for m in every)
        assert owner_batches(s.ox, size, counted) == owner_batches(s.ox, size)  # the groups known: no count read
    # a symmetric pair stated from its second entity, whose first is never a subject, is read too
    assert any(m.predicate == "competitor_of" and m.subject > (m.object or "") for m in every)
    assert sorted(m.event for b in batches for m in b) == sorted(m.event for m in every)  # each once
    keys = [{group_key(m.predicate, m.subject, m.object) for m in b} for b in batches]
    assert sum(len(k) for k in keys) == len(set().union(*keys))  # no group in two batches
    assert (len(batches) > 2) == (size < 10_000)
    assert summary(f for b in batches for f in reconcile(b)) == summary(reconcile(every))


@pytest.mark.slow
def test_facts_derivation_stopped_midway_is_done_again(mini, tmp_path):
    from graph.facts.rdf import PENDING
    from graph.facts.update import facts_missing

    store_path, articles = mini
    with Store(store_path, read_only=True) as s:
        assert not facts_missing(s) and not list(s.ox.quads_for_pattern(None, PENDING.predicate, None, None))
    copy = tmp_path / "stopped"
    shutil.copytree(store_path, copy)
    with Store(copy) as s:
        s.ox.add(PENDING)  # what a build stopped between two batches leaves
        assert facts_missing(s)
    asked = runner.invoke(app, ["ask", "critical", "--store", str(copy)])
    assert asked.exit_code == 3 and "no facts yet" in asked.output
    from graph.ingest.build import build

    assert build([articles], copy).facts  # nothing changed, but the facts are derived again
    assert _ledger(copy) == _ledger(store_path)
    with Store(copy, read_only=True) as s:
        assert not facts_missing(s)


@pytest.mark.slow
def test_facts_written_before_lead_evidence_are_derived_again(mini, tmp_path):
    from graph.facts.update import facts_missing
    from graph.ingest.build import build

    def without_lead(s: Store) -> None:  # a facts graph as an earlier labelgraph wrote it
        lead = ox.NamedNode("https://w3id.org/labelgraph/ontology#leadEvidence")
        for q in list(s.ox.quads_for_pattern(None, lead, None, None)):
            s.ox.remove(q)
        assert facts_missing(s)

    store_path, articles = mini
    copy = _altered_copy(store_path, tmp_path / "older", without_lead)
    assert build([articles], copy).facts
    assert _ledger(copy) == _ledger(store_path)
    with Store(copy, read_only=True) as s:
        assert not facts_missing(s)


@pytest.mark.slow
def test_facts_projection_carries_the_first_evidence_and_the_count(mini, monkeypatch):
    import graph.analytics.project as project_module
    from graph.drawing.html import _edge_text, _evidence

    def investment():
        with Store(mini[0], read_only=True) as s:
            g = project_module.project_facts(s.dataset)
        [data] = [d for _, _, d in g.edges(data=True) if d["predicate"] == "invested_in"]
        return data

    whole = investment()
    monkeypatch.setattr(project_module, "EVIDENCE_KEPT", 1)
    data = investment()
    assert whole["mentions"] == data["mentions"] == len(whole["evidence"]) == 2
    assert data["evidence"] == whole["evidence"][:1]  # the earliest
    text = _edge_text(data, "invested in", _evidence(data))
    assert "2 evidence sentences: click the edge to read the first 1" in text


def test_facts_articles_are_invented():
    assert "Quillon Data" in ARTICLES["a1.md"][2][0]


SHARED = Path("/work/shared")


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "seeds").is_dir() or not (SHARED / "eval/dev/articles").is_dir(),
                    reason="the shared seeds and dev articles are not on this machine")  # fmt: skip
def test_facts_corpus_seeds_and_dev_in_one_store(tmp_path):
    from graph.ingest.build import build, bundled_corpus

    store = tmp_path / "store"
    build([bundled_corpus(), *sorted((SHARED / "seeds").glob("*.txt")), SHARED / "eval/dev/articles"], store)
    inv = runner.invoke(app, ["query", "--name", "investments", "--store", str(store), "--format", "csv"])
    rows = [line.split(",") for line in inv.stdout.splitlines()[1:]]
    deals = [(r[0], r[1], r[2]) for r in rows]
    assert len(deals) == len(set(deals))  # one row per deal
    meta = [r for r in rows if r[:3] == ["Meta", "Scale AI", "14300000000"]]
    assert len(meta) == 1 and int(meta[0][6]) >= 3  # the stake, from several articles, is one fact
    vals = runner.invoke(app, ["query", "--name", "valuations", "--store", str(store), "--format", "csv"])
    scale = {line.split(",")[1] for line in vals.stdout.splitlines() if line.startswith("Scale AI,")}
    assert {"13800000000", "29000000000"} <= scale


def _facts_graph(store_path) -> set[str]:
    with Store(store_path, read_only=True) as s:
        return {str(q) for q in s.ox.quads_for_pattern(None, None, None, ox.NamedNode(FACTS_GRAPH))}


@pytest.mark.slow
@pytest.mark.parametrize("copy_made", [True, False])
def test_facts_derived_batch_by_batch_from_a_checkpoint_are_the_same_facts(mini, tmp_path, monkeypatch, copy_made):
    import tempfile

    import graph.facts.update as update

    ran: list[tuple] = []

    def here(fn, tasks):  # what Workers.ordered does, in this process
        for task in tasks:
            ran.append(task)
            yield fn(*task)

    def refused(*args, **kwargs):
        raise PermissionError("read-only folder")

    store_path = tmp_path / "again"
    shutil.copytree(mini[0], store_path)
    monkeypatch.setattr(update, "PARALLEL_BATCH", 3)
    with Store(store_path) as s:
        if not copy_made:
            monkeypatch.setattr(tempfile, "mkdtemp", refused)
        edges: list = []
        count = update.rebuild_facts(s, here, edges)
        assert not update.facts_missing(s)
        assert _projection(project_edges(s, edges)) == _projection(project_facts(s))  # handed over = read back
    assert _facts_graph(store_path) == _facts_graph(mini[0]) and count == len(
        [q for q in _facts_graph(store_path) if q.endswith("ontology#Fact> <https://w3id.org/labelgraph/graph/facts>")]
    )
    assert (len(ran) > 3) == copy_made  # from the copy batch by batch, else all here, from the store
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # the copy removed


def _projection(g) -> tuple[dict, dict]:
    return dict(g.nodes(data=True)), {k: (a, b, d) for a, b, k, d in g.edges(keys=True, data=True)}


@pytest.mark.slow
def test_facts_batches_whose_task_fails_elsewhere_are_derived_here(mini, tmp_path, monkeypatch):
    import graph.facts.update as update

    def failing(fn, tasks):  # the second task's worker cannot read the copy
        for n, task in enumerate(tasks):
            if n == 1:
                raise OSError("cannot open the copy")
            yield fn(*task)

    store_path = tmp_path / "again"
    shutil.copytree(mini[0], store_path)
    monkeypatch.setattr(update, "PARALLEL_BATCH", 3)
    with Store(store_path) as s:
        edges: list = []
        update.rebuild_facts(s, failing, edges)
        assert not update.facts_missing(s)
        assert _projection(project_edges(s, edges)) == _projection(project_facts(s))
    assert _facts_graph(store_path) == _facts_graph(mini[0])
