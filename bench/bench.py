"""labelgraph benchmark: every number it prints is measured in this one run.

    python bench/bench.py [--articles 2000] [--pairs 3] [--workdir DIR] [--json FILE]
    python bench/bench.py --pairs 3 --scale 1000,2000,5000,10000   # the full run the README quotes
    python bench/bench.py --only extraction [--texts DIR]
    python bench/bench.py --only facts [--articles 2000]

It writes a synthetic corpus from templates written for the benchmark, then measures, with
the load average at the start and the end (figures from a loaded machine are noisy):
extraction against spaCy's four trained components alone (tok2vec, tagger, parser, ner: the
ceiling) and the whole bare model's ``nlp.pipe`` on the same texts; ``labelgraph build``
with ``--jobs 1`` and ``--jobs 2`` in fresh processes, alternated ``--pairs`` times
(medians, their ratio, each against the extraction speed and the ceiling, the build process's own CPU per
1,000 articles: with ``--jobs 2`` the workers parse, extract and map, the parent writes);
the store's size right after the first fresh build; a re-run over the unchanged corpus;
every named query (with its parameters) through labelgraph (``run_query``), through
pyoxigraph's own ``Store.query`` on the same store and on an in-memory rdflib copy; and
``--help``, ``stats``, ``ask`` and ``export`` end to end, each against ``stats``. It
prints ratios and writes them all to a JSON file (``--json``, default
``WORKDIR/bench.json``). ``--scale`` then builds fresh corpora of those sizes with ``--jobs 2``
in the same run and prints the time per article, the peak memory and the store's size per
article, and how much each varies over the sizes.
``--only extraction`` measures only the extraction ratio, on the synthetic corpus or on the
articles of ``--texts`` (real news reads differently from templates), and how time
grows with the length of one article (1, 4, 16 and 48 articles joined into one).
``--only facts`` builds the corpus once in this process and prints what deriving the facts
(reconciliation, the facts graph, the touched keys of changed articles) adds to the build,
then the same for a re-build after one article changed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LABS = ["OpenAI", "Anthropic", "Google", "Microsoft", "Meta", "xAI", "Amazon", "Apple", "Cohere", "Mistral AI"]
VENDORS = ["Scale AI", "Surge AI", "Mercor", "Labelbox", "Turing", "Handshake", "Appen", "Sama", "Snorkel AI", "Toloka"]
INVESTORS = ["Accel", "Founders Fund", "Index Ventures", "Thrive Capital", "Sequoia Capital", "General Catalyst"]
PEOPLE = ["Edwin Chen", "Brendan Foody", "Manu Sharma", "Jonathan Siddharth", "Garrett Lord", "Jason Droege"]
PLACES = ["San Francisco", "New York", "London", "Sydney", "Nairobi", "Palo Alto"]
TEMPLATES = [
    "{investor} invested ${m} million in {vendor} last year.",
    "{lab} relies on {vendor} for expert feedback on its newest models.",
    "{lab} is winding down its contract with {vendor}, according to people familiar with the matter.",
    "{vendor}, a {place}-based startup, competes with {vendor2} for work from frontier labs.",
    "{person}, the chief executive of {vendor}, said demand had doubled since spring.",
    "{vendor} was valued at ${b} billion after its latest round.",
    "Analysts expect prices for expert annotation to keep rising through the year.",
    "{lab} and {lab2} have both asked vendors for tighter data security terms.",
    "The company did not disclose how many contractors it employs.",
    "{vendor} counts {lab} and {lab2} among its customers.",
    "Rivals like {vendor2} and {vendor3} are hiring reviewers with graduate degrees.",
    "{lab} has not decided whether to renew its agreement with {vendor}.",
    "Will other labs follow {lab} and bring the work in-house?",
    "Several engineers left for competing firms over the summer.",
]


def make_corpus(directory: Path, n: int, seed: int = 7) -> int:
    """Write ``n`` Markdown articles; return the number of words."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    words = 0
    for i in range(n):
        lab, lab2 = rng.sample(LABS, 2)
        vendor, vendor2, vendor3 = rng.sample(VENDORS, 3)
        fill = {
            "lab": lab,
            "lab2": lab2,
            "vendor": vendor,
            "vendor2": vendor2,
            "vendor3": vendor3,
            "investor": rng.choice(INVESTORS),
            "person": rng.choice(PEOPLE),
            "place": rng.choice(PLACES),
            "m": rng.randint(5, 900),
            "b": rng.randint(1, 30),
        }
        paragraphs = [
            " ".join(rng.choice(TEMPLATES).format(**fill) for _ in range(rng.randint(3, 5))) for _ in range(4)
        ]
        body = "\n\n".join(paragraphs)
        month = rng.randint(1, 12)
        text = (
            f"# Market note {i}: {vendor} and {lab}\n\nPublished: 2025-{month:02d}-{rng.randint(1, 28):02d}\n\n{body}\n"
        )
        (directory / f"note-{i:05d}.md").write_text(text, encoding="utf-8")
        words += len(body.split())
    return words


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


#: The model's four trained components: what spaCy alone costs (the ceiling).
CEILING = ("tok2vec", "tagger", "parser", "ner")


def bench_extraction(corpus: Path) -> dict:
    import spacy

    from extractors.nlp import get_nlp, model_name
    from extractors.pipeline import extract_articles
    from extractors.reader import read_paths

    articles = [a for a in read_paths([corpus]) if hasattr(a, "text")]
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    bare = spacy.load(model_name())
    four = spacy.load(model_name())
    four.select_pipes(enable=list(CEILING))
    nlp = get_nlp()
    # Warm the pipelines on a few texts so model loading is not timed.
    list(bare.pipe(texts[:20]))
    list(four.pipe(texts[:20]))
    list(extract_articles(articles[:20]))
    t_bare, _ = _timed(lambda: sum(1 for _ in bare.pipe(texts, batch_size=32)))
    t_four, _ = _timed(lambda: sum(1 for _ in four.pipe(texts, batch_size=32)))
    t_ours, results = _timed(lambda: list(extract_articles(articles, batch_size=32)))
    del nlp
    return {
        "articles": len(articles),
        "words": words,
        "relations": sum(len(r) for _, r in results),
        "bare_spacy_s": t_bare,
        "four_components_s": t_four,
        "labelgraph_s": t_ours,
        "ratio": t_ours / t_bare,
        "of_ceiling": t_four / t_ours,
        "words_per_s": words / t_ours,
        "ceiling_words_per_s": words / t_four,
    }


def bench_length(corpus: Path, sizes: tuple[int, ...] = (1, 4, 16, 48)) -> list[dict]:
    """Extraction time of one article made of the first 1, 4, 16, 48 articles of ``corpus``
    joined (distinct text, so no repetition helps): linear growth keeps seconds per
    thousand words flat."""
    from extractors.pipeline import extract_articles
    from extractors.reader import read_paths
    from extractors.records import Article

    texts = [a.text for a in read_paths([corpus]) if hasattr(a, "text")]
    rows = []
    for n in sizes:
        if n > len(texts):
            break
        text = "\n\n".join(texts[:n])
        article = Article(f"joined-{n}", f"joined-{n}.txt", "bench", text)
        t, _ = _timed(lambda a=article: list(extract_articles([a])))
        words = len(text.split())
        rows.append({"articles": n, "words": words, "s": t, "ms_per_1k_words": 1e6 * t / words})
    return rows


def _print_extraction(ext: dict) -> None:
    print(
        f"extraction: {ext['words_per_s']:.0f} words/s = {100 * ext['of_ceiling']:.0f}% of the ceiling, spaCy's "
        f"four components alone ({', '.join(CEILING)}: {ext['ceiling_words_per_s']:.0f} words/s); labelgraph "
        f"{ext['labelgraph_s']:.1f}s vs {ext['four_components_s']:.1f}s, and vs the whole bare model's nlp.pipe "
        f"{ext['bare_spacy_s']:.1f}s: ratio {ext['ratio']:.2f} "
        f"({ext['articles']} articles, {ext['relations']} relations)"
    )


#: Runs ``labelgraph`` in this process and, at exit, writes its resource use to argv[1].
RUN_CLI = """import atexit, json, os, resource, runpy, sys
def _peak_mb(me):  # this process's own high-water mark (ru_maxrss keeps the forking parent's)
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return me.ru_maxrss / 1024
def _report(path=sys.argv[1]):
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(path, "w") as f:
        json.dump({"cpu_s": me.ru_utime + me.ru_stime, "children_cpu_s": kids.ru_utime + kids.ru_stime,
                   "peak_mb": _peak_mb(me), "children_peak_mb": kids.ru_maxrss / 1024}, f)
if __name__ == "__main__":
    sys.path[0] = os.getcwd()  # the checkout the benchmark runs from, not an installed copy
    atexit.register(_report)
    sys.argv = ["labelgraph", *sys.argv[2:]]
    runpy.run_module("graph.cli", run_name="__main__")
"""


def _cli(args: list[str], work: Path) -> dict:
    """One ``labelgraph`` command in a fresh process (as a user runs it): wall time, and
    the CPU time and peak memory of that process (``cpu_s``, ``peak_mb``) and of the
    processes it started (``children_cpu_s``, ``children_peak_mb``, the largest one)."""
    runner, usage = work / "run_cli.py", work / "usage.json"
    runner.write_text(RUN_CLI, encoding="utf-8")
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, str(runner), str(usage), *args],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return {"s": time.perf_counter() - start, **json.loads(usage.read_text())}


def _build(corpus: Path, store: Path, jobs: int, work: Path) -> dict:
    """One fresh ``labelgraph build`` with ``--jobs``, timed; the store's size after it."""
    shutil.rmtree(store, ignore_errors=True)
    run = _cli(["build", str(corpus), "--store", str(store), "--jobs", str(jobs)], work)
    return {**run, "jobs": jobs, "store_bytes": _du(store), "log_bytes": _du(store, "*.log")}


def bench_builds(corpus: Path, work: Path, pairs: int, ext: dict) -> dict:
    """``--jobs 1`` and ``--jobs 2`` builds alternated ``pairs`` times (which goes first
    alternates too): medians, their ratio, each against the extraction speed and the
    ceiling of :func:`bench_extraction` (in one process; twice that for two jobs), the
    build process's own CPU per 1,000 articles."""
    articles, words = ext["articles"], ext["words"]
    runs: dict[int, list[dict]] = {1: [], 2: []}
    for i in range(pairs):
        for jobs in (1, 2) if i % 2 == 0 else (2, 1):
            runs[jobs].append(_build(corpus, work / f"store{jobs}", jobs, work))
    out = {"pairs": pairs, "first_build": runs[1][0]}
    for jobs, rows in runs.items():
        median = statistics.median(r["s"] for r in rows)
        out[f"jobs{jobs}"] = {
            "runs_s": [r["s"] for r in rows],
            "median_s": median,
            "articles_per_s": articles / median,
            "words_per_s": words / median,
            "of_extraction": words / median / (ext["words_per_s"] * jobs),
            "of_ceiling": words / median / (ext["ceiling_words_per_s"] * jobs),
            "parent_cpu_s_per_1k": 1000 * statistics.median(r["cpu_s"] for r in rows) / articles,
            "workers_cpu_s_per_1k": 1000 * statistics.median(r["children_cpu_s"] for r in rows) / articles,
            "cores_used": statistics.median((r["cpu_s"] + r["children_cpu_s"]) / r["s"] for r in rows),
            "peak_mb": max(r["peak_mb"] for r in rows),
            "worker_peak_mb": max(r["children_peak_mb"] for r in rows),
        }
    out["speedup"] = out["jobs1"]["median_s"] / out["jobs2"]["median_s"]
    out["pair_ratios"] = [a["s"] / b["s"] for a, b in zip(runs[1], runs[2], strict=True)]
    return out


def _print_builds(b: dict) -> None:
    for jobs in (1, 2):
        j = b[f"jobs{jobs}"]
        runs = ", ".join(f"{t:.1f}" for t in j["runs_s"])
        print(
            f"build --jobs {jobs}: median {j['median_s']:.1f}s of [{runs}] = {j['articles_per_s']:.1f} articles/s, "
            f"{j['words_per_s']:.0f} words/s = {100 * j['of_extraction']:.0f}% of the extraction speed and "
            f"{100 * j['of_ceiling']:.0f}% of the ceiling ({jobs}x each); "
            f"build process CPU {j['parent_cpu_s_per_1k']:.1f}s per 1,000 articles, its workers "
            f"{j['workers_cpu_s_per_1k']:.1f}s; {j['cores_used']:.2f} cores busy on average; "
            f"peak {j['peak_mb']:.0f} MB "
            f"(largest worker {j['worker_peak_mb']:.0f} MB)"
        )
    ratios = ", ".join(f"{r:.2f}" for r in b["pair_ratios"])
    print(
        f"build --jobs 2 vs --jobs 1: speed-up {b['speedup']:.2f}x (medians; pairs {ratios}) on {os.cpu_count()} cores"
    )
    first = b["first_build"]
    print(
        f"store size right after the first fresh build: {first['store_bytes'] / 1e6:.1f} MB "
        f"(write-ahead log {first['log_bytes'] / 1e6:.1f} MB)"
    )


def bench_cli(store: Path, work: Path, repeat: int = 3) -> dict:
    """``--help``, ``stats``, ``ask`` and ``export`` end to end (fresh processes), medians."""
    commands = {
        "--help": ["--help"],
        "stats": ["stats", "--store", str(store)],
        "ask dependents": ["ask", "dependents", "Scale AI", "--store", str(store)],
        "ask dependencies": ["ask", "dependencies", "OpenAI", "--store", str(store)],
        "ask critical": ["ask", "critical", "--store", str(store)],
        "export html": ["export", "--format", "html", "--out", str(work / "x.html"), "--store", str(store)],
        "export trig": ["export", "--format", "trig", "--out", str(work / "x.trig"), "--store", str(store)],
    }
    out = {name: statistics.median(_cli(args, work)["s"] for _ in range(repeat)) for name, args in commands.items()}
    return {name: {"s": t, "of_stats": t / out["stats"]} for name, t in out.items()}


def _du(path: Path, pattern: str = "*") -> int:
    return sum(f.stat().st_size for f in path.rglob(pattern) if f.is_file())


#: Values for the parameters of the named queries (the synthetic corpus names them).
PARAMS = {"entity": "Scale AI", "as_of": "2025-07-01"}


def _queries() -> dict[str, tuple[str, list[str]]]:
    """Two ad-hoc queries every synthetic corpus answers, and every named query with its
    parameters (name -> (text, ["key=value", ...]))."""
    lg = "PREFIX lg: <https://w3id.org/labelgraph/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    queries = {
        "customers": (
            lg + "SELECT DISTINCT ?client ?vendor WHERE { ?e a lg:CustomerRelationship ; lg:hasSubject ?c ; "
            "lg:hasObject ?v . ?c rdfs:label ?client . ?v rdfs:label ?vendor }",
            [],
        ),
        "relations_by_kind": (lg + "SELECT ?c (COUNT(?e) AS ?n) WHERE { ?e a ?c ; lg:hasSubject ?s } GROUP BY ?c", []),
    }
    from graph.sparql.named import list_queries

    for name, text in sorted(list_queries().items()):
        header = re.sub(r"\(.*?\)", "", text.split("\n", 1)[0].removeprefix("# params:")).strip()
        keys = [] if header.startswith("none") else [k.split()[0] for k in header.split(",")]
        queries[name] = (text, [f"{k}={PARAMS[k]}" for k in keys])
    return queries


def _ox_term(value):
    """A binding as a pyoxigraph term."""
    import pyoxigraph as ox
    from oxrdflib._converter import to_ox

    return value if isinstance(value, ox.NamedNode | ox.Literal) else to_ox(value)


def _rdflib_term(value):
    """A binding as an rdflib term."""
    import pyoxigraph as ox
    import rdflib

    if isinstance(value, ox.NamedNode):
        return rdflib.URIRef(value.value)
    if isinstance(value, ox.Literal):
        return rdflib.Literal(value.value, datatype=rdflib.URIRef(value.datatype.value))
    return value


#: Seconds an in-memory rdflib query may run in the bench before it is stopped (and shown as "over").
RDFLIB_LIMIT = 60.0


def _timed_in_child(fn, limit: float) -> float:
    """Seconds ``fn()`` takes in a forked child (this process's memory, copied on write),
    or inf when it runs over ``limit`` seconds (the child is then killed)."""
    import select
    import signal

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: time it, say it, leave without cleaning up the parent's state
        os.close(read)
        seconds, _ = _timed(fn)
        os.write(write, f"{seconds}".encode())
        os._exit(0)
    os.close(write)
    try:
        ready, _, _ = select.select([read], [], [], limit)
        answer = os.read(read, 64) if ready else b""
    finally:
        os.close(read)
        if not ready:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    return float(answer) if answer else float("inf")


def bench_queries(store_path: Path, repeat: int = 5) -> dict:
    """Each query through labelgraph's ``run_query``, through pyoxigraph's own
    ``Store.query`` on the same store (same bindings, rows materialised) and on an
    in-memory rdflib copy of the same graphs: medians and ratios."""
    import pyoxigraph as ox
    import rdflib

    from graph.sparql.named import bind_params
    from graph.sparql.query import run_query
    from graph.storage.store import Store

    def median_ms(fn, limit: float | None = None) -> float:
        """Median of ``repeat`` runs after a first one that warms caches; a first run over 2 s
        is the figure; with ``limit``, the first run is made in a forked child and stopped
        after ``limit`` seconds (in-memory rdflib can take many minutes): then inf."""
        first = _timed_in_child(fn, limit) if limit else _timed(fn)[0]
        if first > 2:
            return 1e3 * first
        return 1e3 * statistics.median(_timed(fn)[0] for _ in range(repeat))

    #: The prefixes rdflib declares by itself (pyoxigraph needs them spelt out).
    known = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in rdflib.Graph().namespaces() if p)
    results = {}
    with Store(store_path, read_only=True) as store:
        memory = rdflib.Dataset(default_union=True)
        for quad in store.dataset.quads((None, None, None, None)):
            memory.add(quad)
        for name, (sparql, params) in _queries().items():
            bindings = bind_params(store, params)
            # bind_params gives pyoxigraph terms; rdflib needs its own
            subs = {ox.Variable(k): _ox_term(v) for k, v in bindings.items()}
            rdf_bindings = {k: _rdflib_term(v) for k, v in bindings.items()}
            rows = len(run_query(store, sparql, bindings).rows)
            ours = median_ms(lambda q=sparql, b=bindings: run_query(store, q, b))
            native = median_ms(
                lambda q=sparql, b=subs: [
                    tuple(r) for r in store.ox.query(known + q, substitutions=b, use_default_graph_as_union=True)
                ]
            )
            in_memory = median_ms(lambda q=sparql, b=rdf_bindings: list(memory.query(q, initBindings=b)), RDFLIB_LIMIT)
            results[name] = {
                "params": params,
                "rows": rows,
                "labelgraph_ms": ours,
                "pyoxigraph_ms": native,
                "rdflib_memory_ms": in_memory,
                "of_pyoxigraph": ours / native,
                "of_rdflib_memory": ours / in_memory,
            }
    return results


def bench_facts(corpus: Path, store: Path) -> dict:
    """One build in this process: its time and the part of it spent deriving facts; then one
    article changed and the build run again."""
    from graph.ingest.build import build

    report = build([corpus], store)
    first = next(iter(sorted(corpus.glob("*.md"))))
    first.write_text(first.read_text(encoding="utf-8") + "\nScale AI was valued at $31 billion.\n", encoding="utf-8")
    again = build([corpus], store)
    return {
        "articles": report.articles,
        "facts": report.facts,
        "build_s": report.seconds,
        "facts_s": report.fact_seconds,
        "ratio": report.fact_seconds / (report.seconds - report.fact_seconds),
        "rebuild_s": again.seconds,
        "rebuild_facts_s": again.fact_seconds,
        "rebuild_ratio": again.fact_seconds / (again.seconds - again.fact_seconds),
    }


def _print_facts(f: dict) -> None:
    print(
        f"facts: {f['facts']} facts from {f['articles']} articles; build {f['build_s']:.1f}s of which facts "
        f"{f['facts_s']:.2f}s: facts add {100 * f['ratio']:.1f}% to the build (ratio {f['ratio']:.3f})"
    )
    print(
        f"facts after one article changed: build {f['rebuild_s']:.1f}s of which facts {f['rebuild_facts_s']:.2f}s "
        f"(ratio {f['rebuild_ratio']:.3f})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--only", choices=["extraction", "facts"], default=None, help="Measure only this.")
    parser.add_argument("--texts", type=Path, default=None, help="With --only extraction: these articles.")
    parser.add_argument("--pairs", type=int, default=3, help="Alternated --jobs 1 / --jobs 2 build pairs.")
    parser.add_argument("--json", type=Path, default=None, help="Write the figures here (default WORKDIR/bench.json).")
    parser.add_argument(
        "--scale", default=None, help="Then corpus sizes (comma-separated), a fresh --jobs 2 build of each."
    )
    args = parser.parse_args()
    if args.only == "extraction":
        corpus = args.texts
        if corpus is None:
            corpus = Path(tempfile.mkdtemp(prefix="labelgraph-bench-")) / "corpus"
            make_corpus(corpus, args.articles)
        _print_extraction(bench_extraction(corpus))
        for row in bench_length(corpus):
            print(
                f"one article of {row['articles']} joined ({row['words']} words): {row['s']:.2f}s, "
                f"{row['ms_per_1k_words']:.0f} ms per 1,000 words"
            )
        return 0
    work = args.workdir or Path(tempfile.mkdtemp(prefix="labelgraph-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus"
    if args.only == "facts":
        shutil.rmtree(work / "store-facts", ignore_errors=True)
        make_corpus(corpus, args.articles)
        _print_facts(bench_facts(corpus, work / "store-facts"))
        return 0
    sizes = [int(n) for n in args.scale.split(",")] if args.scale else []
    started = time.perf_counter()
    result: dict = {"load_start": os.getloadavg(), "cores": os.cpu_count()}
    print(f"load average at start: {_load()} on {os.cpu_count()} cores")
    shutil.rmtree(corpus, ignore_errors=True)
    words = make_corpus(corpus, args.articles)
    print(f"corpus: {args.articles} articles, {words} words in {corpus}")
    ext = result["extraction"] = bench_extraction(corpus)
    _print_extraction(ext)
    builds = result["build"] = bench_builds(corpus, work, args.pairs, ext)
    _print_builds(builds)
    t1 = builds["jobs1"]["median_s"]
    rerun = result["rerun_s"] = _cli(["build", str(corpus), "--store", str(work / "store1")], work)["s"]
    print(f"re-run over the unchanged corpus: {rerun:.1f}s = {100 * rerun / t1:.1f}% of the first build")
    queries = result["queries"] = bench_queries(work / "store1")
    for name, q in queries.items():
        params = f" {' '.join(q['params'])}" if q["params"] else ""
        rdflib_ms = (
            f"over {RDFLIB_LIMIT:.0f} s (stopped)"
            if q["rdflib_memory_ms"] == float("inf")
            else f"{q['rdflib_memory_ms']:.1f} ms"
        )
        print(
            f"query {name}{params} ({q['rows']} rows): labelgraph {q['labelgraph_ms']:.1f} ms, pyoxigraph "
            f"{q['pyoxigraph_ms']:.1f} ms ({q['of_pyoxigraph']:.2f}x), in-memory rdflib {rdflib_ms} "
            f"({q['of_rdflib_memory']:.2f}x)"
        )
    commands = result["commands"] = bench_cli(work / "store1", work)
    for name, c in commands.items():
        print(f"labelgraph {name}: {c['s']:.2f}s = {c['of_stats']:.2f}x `labelgraph stats`")
    if sizes:
        result["scale"] = bench_scale(work, sizes)
    result["load_end"] = os.getloadavg()
    result["seconds"] = time.perf_counter() - started
    print(f"load average at the end: {_load()}")
    print(f"total benchmark time: {result['seconds']:.0f}s")
    target = args.json or work / "bench.json"
    target.write_text(json.dumps(result, indent=1, default=float) + "\n", encoding="utf-8")
    print(f"all figures in {target}")
    return 0


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def bench_scale(work: Path, sizes: list[int]) -> dict:
    """Fresh ``--jobs 2`` builds of corpora of ``sizes`` articles: time per article, peak
    memory (the build process and its largest worker) and store size per article, and how
    much each varies over the sizes (max / min - 1; flat is 0)."""
    rows = []
    for n in sizes:
        corpus = work / f"corpus-{n}"
        shutil.rmtree(corpus, ignore_errors=True)
        make_corpus(corpus, n)
        run = _build(corpus, work / f"store-{n}", 2, work)
        shutil.rmtree(work / f"store-{n}", ignore_errors=True)
        shutil.rmtree(corpus, ignore_errors=True)
        row = {"articles": n, **run, "ms_per_article": 1e3 * run["s"] / n}
        row["store_kb_per_article"] = run["store_bytes"] / 1e3 / n
        rows.append(row)
        print(
            f"scale {n}: {run['s']:.1f}s = {row['ms_per_article']:.1f} ms per article; peak {run['peak_mb']:.0f} MB "
            f"(largest worker {run['children_peak_mb']:.0f} MB); store {row['store_kb_per_article']:.1f} KB per article"
        )

    def spread(key: str) -> float:
        values = [r[key] for r in rows]
        return max(values) / min(values) - 1

    out = {"rows": rows, **{f"{k}_spread": spread(k) for k in ("ms_per_article", "peak_mb", "children_peak_mb")}}
    line = (
        f"scale: time per article varies by {100 * out['ms_per_article_spread']:.0f}%, the build process's peak "
        f"memory by {100 * out['peak_mb_spread']:.0f}%, the largest worker's by "
        f"{100 * out['children_peak_mb_spread']:.0f}% from {sizes[0]} to {sizes[-1]} articles"
    )
    if len(rows) > 1:  # the cost of one more article, without the fixed start (interpreter, model, store)
        first, last = rows[0], rows[-1]
        out["marginal_ms_per_article"] = 1e3 * (last["s"] - first["s"]) / (last["articles"] - first["articles"])
        out["fixed_s"] = first["s"] - first["articles"] * out["marginal_ms_per_article"] / 1e3
        line += f"; each article costs {out['marginal_ms_per_article']:.1f} ms on top of a fixed {out['fixed_s']:.1f}s"
    print(line)
    return out


if __name__ == "__main__":
    sys.exit(main())
