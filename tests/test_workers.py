"""Workers do the work (issue 14, point 1): with ``--jobs N`` the worker processes parse,
extract and map to RDF; the parent only writes, in input order, one transaction per article,
and the stored result is the one ``--jobs 1`` gives."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from extractors.records import Article, Skipped
from graph.ingest.build import build
from graph.ingest.workers import Mapped, Workers, map_chunk, map_each, mapped_articles, write_mapped
from graph.rdf.mapping import article_graph, entity_graph
from graph.storage.store import Store

ROOT = Path(__file__).resolve().parents[1]
GOOD = "Accel invested $5 million in Labelbox, the company said on Monday.\n"


def _bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "bench" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _quads(path: Path) -> set[str]:
    """Every quad of a store, but for those of the ontology's blank nodes (named anew by
    each parse of the Turtle), which are counted instead."""
    with Store(path, read_only=True) as s:
        quads = [str(q) for q in s.ox.quads_for_pattern(None, None, None, None)]
    blank = [q for q in quads if "_:" in q and q.endswith("<https://w3id.org/labelgraph/graph/ontology>")]
    return {q for q in quads if q not in blank} | {f"{len(blank)} ontology quads with a blank node"}


def _article(key: str, text: str) -> Article:
    return Article(key, f"{key}.txt", f"/in/{key}.txt", text, content_hash=f"h-{key}")


@pytest.mark.slow
def test_workers_jobs_2_stores_exactly_the_quads_of_jobs_1(tmp_path, monkeypatch):
    import graph.facts.update as update

    tasks: list[int] = []
    ordered = Workers.ordered

    def counted(self, fn, work):
        tasks.append(len(work))
        return ordered(self, fn, work)

    monkeypatch.setattr(update, "PARALLEL_BATCH", 40)  # many small batches of facts for the workers
    monkeypatch.setattr(Workers, "ordered", counted)
    corpus = tmp_path / "corpus"
    _bench().make_corpus(corpus, 90)
    one = build([corpus], tmp_path / "one", jobs=1)
    assert tasks == []  # one job: the facts are derived here
    two = build([corpus], tmp_path / "two", jobs=2)
    assert len(tasks) == 2 and tasks[0] > 5  # the facts derived by the workers, batch by batch,
    assert tasks[1] == 1  # then the closing counts, read by one of them from a checkpoint
    assert (one.added, two.added, one.skipped, two.skipped) == (90, 90, [], [])
    assert one.relations == two.relations and one.facts == two.facts and one.stats == two.stats
    assert _quads(tmp_path / "one") == _quads(tmp_path / "two")


def _pid_or_die(parent: int) -> int:
    """Worker task of the test below: a worker process dies; the parent gives its pid."""
    if os.getpid() != parent:
        os._exit(3)
    return parent


@pytest.mark.slow
def test_workers_tasks_whose_worker_dies_run_here_in_order():
    with Workers(2) as workers:
        assert list(workers.ordered(pow, [(2, 3), (3, 2)])) == [8, 9]  # not started: run here
        list(workers.mapped([_article(f"a{i}", GOOD) for i in range(30)], chunk=10))
        assert workers.started
        assert list(workers.ordered(pow, [(2, i) for i in range(8)])) == [2**i for i in range(8)]
        me = os.getpid()
        assert list(workers.ordered(_pid_or_die, [(me,)] * 5)) == [me] * 5
        assert not workers.started


@pytest.mark.slow
def test_workers_parent_of_a_jobs_2_build_never_loads_spacy(tmp_path):
    corpus = tmp_path / "corpus"
    _bench().make_corpus(corpus, 60)
    script = (
        "import sys; from pathlib import Path; from graph.ingest.build import build; "
        f"r = build([Path({str(corpus)!r})], Path({str(tmp_path / 's')!r}), jobs=2); "
        "print(r.added, 'spacy' in sys.modules, 'thinc' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["60", "False", "False"]


def test_workers_a_failing_article_is_its_skip_message_in_place(monkeypatch):
    """The function every worker runs: an article whose extraction fails is a Skipped in its
    place, and the articles after it are still mapped."""
    from extractors import pipeline

    real = pipeline.relations_from_doc

    def fragile(doc, article, offset=0):
        if "Explode" in article.text:
            raise RuntimeError("injected fault")
        return real(doc, article, offset)

    monkeypatch.setattr(pipeline, "relations_from_doc", fragile)
    articles = [_article("a", GOOD), _article("b", "Explode Corp hired Labelbox.\n"), _article("c", GOOD)]
    records = map_chunk(articles)
    assert [type(r) for r in records] == [Mapped, Skipped, Mapped]
    assert records[1] == Skipped("/in/b.txt", "extraction failed (RuntimeError: injected fault)")
    assert records[0].predicates == ("invested_in",) and records[0].nquads and records[0].entities


@pytest.mark.slow
def test_workers_read_the_articles_as_the_work_goes():
    read: list[str] = []

    def articles():
        for i in range(30):
            read.append(f"a{i}")
            yield _article(f"a{i}", GOOD)

    records = mapped_articles(articles(), jobs=2, chunk=2)
    first = next(records)
    assert first.source == "/in/a0.txt" and len(read) <= 2 * 2 * 2 + 3  # the chunks in flight, not all 30
    rest = list(records)
    assert [r.source for r in [first, *rest]] == [f"/in/a{i}.txt" for i in range(30)] and len(read) == 30


@pytest.mark.slow
@pytest.mark.parametrize("jobs, count", [(1, 3), (2, 3), (2, 30)])
def test_workers_meanwhile_runs_once_before_the_first_record(jobs, count):
    calls: list[str] = []

    def articles():
        for i in range(count):
            calls.append("read")
            yield _article(f"a{i}", GOOD)

    with Workers(jobs) as workers:
        records = workers.mapped(articles(), chunk=10, meanwhile=lambda: calls.append("meanwhile"))
        first = next(records)
        assert calls.count("meanwhile") == 1 and first.source == "/in/a0.txt"
        assert [r.source for r in records] == [f"/in/a{i}.txt" for i in range(1, count)]
        assert calls.count("meanwhile") == 1 and workers.started == (count > 10)


def test_workers_one_job_runs_in_this_process_in_input_order():
    articles = [_article(k, GOOD.replace("Accel", name)) for k, name in (("x", "Sequoia"), ("y", "Index Ventures"))]
    records = list(mapped_articles(articles, jobs=4))  # fewer articles than a chunk: no pool
    assert [r.where for r in records] == ["/in/x.txt", "/in/y.txt"]


def test_workers_quads_are_stored_as_put_article_stores_the_rdflib_graph(tmp_path):
    from extractors.pipeline import extract_articles

    article = _article("a", GOOD)
    (_, relations), = extract_articles([article])  # fmt: skip
    (record,) = map_each([article])
    with Store(tmp_path / "rdflib") as s:
        assert (
            s.put_article(article_graph(article, relations), article.content_hash, entity_graph(relations)) == "added"
        )
    with Store(tmp_path / "quads") as s:
        assert write_mapped(s, record) == "added"
        assert write_mapped(s, record) == "unchanged"
    assert _quads(tmp_path / "rdflib") == _quads(tmp_path / "quads")


def test_workers_quads_replace_an_article_in_one_step(tmp_path):
    first, second = map_each([_article("a", GOOD)]), map_each([_article("a", GOOD.replace("$5", "$9"))])
    (old,), (new,) = list(first), list(second)
    new = Mapped(**{**new.__dict__, "content_hash": "h-changed"})
    with Store(tmp_path / "s") as s:
        write_mapped(s, old)
        assert write_mapped(s, new) == "replaced"
        names = s.graph_names()
    assert not any("/staging/" in n for n in names)
    quads = _quads(tmp_path / "s")
    assert any('"9000000"' in q for q in quads) and not any('"5000000"' in q for q in quads)


def test_workers_quads_outside_the_article_graph_are_refused(tmp_path):
    from graph.errors import StoreError

    stray = ox.Quad(ox.NamedNode("https://x.example/a"), ox.NamedNode("https://x.example/p"), ox.Literal("v"))
    with Store(tmp_path / "s") as s, pytest.raises(StoreError):
        s.put_article_quads("https://w3id.org/labelgraph/article/0123456789abcdef", "h", [stray])


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, dead but not yet reaped, counts as gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _articles_stored(path: Path) -> dict[str, int]:
    with Store(path, read_only=True) as s:
        rows = s.ox.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g a ?t . ?s ?p ?o } } GROUP BY ?g")
        return {r["g"].value: int(r["n"].value) for r in rows if "/article/" in r["g"].value}


@pytest.mark.slow
def test_workers_sigkill_mid_build_leaves_whole_articles_and_no_worker_behind(tmp_path):
    import os
    import signal
    import time

    corpus = tmp_path / "corpus"
    _bench().make_corpus(corpus, 150)
    build([corpus], tmp_path / "full")
    killed = tmp_path / "killed"
    cmd = [sys.executable, "-m", "graph.cli", "build", str(corpus), "--store", str(killed), "--jobs", "2"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline, workers = time.monotonic() + 180, []
    while time.monotonic() < deadline:
        time.sleep(0.3)
        workers = _children(proc.pid) or workers
        try:
            if 5 <= len(_articles_stored(killed)) < 150:
                break
        except Exception:
            continue
    workers = _children(proc.pid) or workers
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert workers, "no worker process was seen"
    gone_by = time.monotonic() + 20
    while time.monotonic() < gone_by and any(_alive(w) for w in workers):
        time.sleep(0.2)
    assert not [w for w in workers if _alive(w)], "a worker outlived the killed build"
    full, partial = _articles_stored(tmp_path / "full"), _articles_stored(killed)
    assert 0 < len(partial) < len(full)
    assert all(partial[name] == full[name] for name in partial)
    assert subprocess.run(cmd, cwd=ROOT, capture_output=True).returncode == 0
    assert _quads(killed) == _quads(tmp_path / "full")


@pytest.mark.slow
def test_workers_flushing_the_write_buffers_mid_build_stores_the_same(tmp_path, monkeypatch):
    import graph.ingest.build as build_module

    corpus = tmp_path / "corpus"
    _bench().make_corpus(corpus, 30)
    build([corpus], tmp_path / "once")
    monkeypatch.setattr(build_module, "FLUSH_EVERY", 4)
    build([corpus], tmp_path / "often")
    assert _quads(tmp_path / "once") == _quads(tmp_path / "often")


def test_workers_renewing_the_store_mid_build_stores_the_same(tmp_path, monkeypatch):
    import graph.ingest.build as build_module

    corpus = tmp_path / "corpus"
    _bench().make_corpus(corpus, 30)
    build([corpus], tmp_path / "once")
    renewed = []
    monkeypatch.setattr(build_module, "RENEW_EVERY", 7)
    monkeypatch.setattr(Store, "renew", lambda self, real=Store.renew: renewed.append(1) or real(self))
    build([corpus], tmp_path / "often")
    assert len(renewed) == 30 // 7  # in the loop only: 30 articles are fewer than a flush's 200
    assert _quads(tmp_path / "once") == _quads(tmp_path / "often")


def test_workers_a_renewed_store_keeps_its_writes_and_its_lock(tmp_path):
    from graph.errors import StoreLockedError

    quad = ox.Quad(ox.NamedNode("https://w3id.org/labelgraph/entity/acme"), ox.NamedNode("http://x/p"),
                   ox.Literal("v"), ox.NamedNode("https://w3id.org/labelgraph/graph/entities"))  # fmt: skip
    with Store(tmp_path / "s") as s:
        s.ox.add(quad)
        s.renew()
        assert list(s.ox) == [quad]
        with pytest.raises(StoreLockedError):
            Store(tmp_path / "s")  # still this process's
        s.ox.remove(quad)
    with Store(tmp_path / "s", read_only=True) as s:
        assert len(s.ox) == 0
