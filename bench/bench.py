"""labelgraph benchmark: every number it prints is measured in this one run.

    python bench/bench.py [--articles 2000] [--workdir DIR]
    python bench/bench.py --only extraction [--texts DIR]
    python bench/bench.py --only facts [--articles 2000]

It writes a synthetic corpus from templates written for the benchmark, then measures
extraction against spaCy's bare ``nlp.pipe`` on the same texts, builds at 1 and 2 jobs,
a re-run over the unchanged corpus, the store's size, named-query latency on the store
against the same query on an in-memory rdflib graph, and peak memory. ``--only
extraction`` measures only the extraction ratio, on the synthetic corpus or on the
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
import resource
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


def bench_extraction(corpus: Path) -> dict:
    import spacy

    from extractors.nlp import get_nlp, model_name
    from extractors.pipeline import extract_articles
    from extractors.reader import read_paths

    articles = [a for a in read_paths([corpus]) if hasattr(a, "text")]
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    bare = spacy.load(model_name())
    nlp = get_nlp()
    # Warm both pipelines on a few texts so model loading is not timed.
    list(bare.pipe(texts[:20]))
    list(extract_articles(articles[:20]))
    t_bare, _ = _timed(lambda: sum(1 for _ in bare.pipe(texts, batch_size=32)))
    t_ours, results = _timed(lambda: list(extract_articles(articles, batch_size=32)))
    del nlp
    return {
        "articles": len(articles),
        "words": words,
        "relations": sum(len(r) for _, r in results),
        "bare_spacy_s": t_bare,
        "labelgraph_s": t_ours,
        "ratio": t_ours / t_bare,
        "words_per_s": words / t_ours,
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
        f"extraction: {ext['words_per_s']:.0f} words/s; labelgraph {ext['labelgraph_s']:.1f}s vs bare spaCy "
        f"nlp.pipe {ext['bare_spacy_s']:.1f}s on the same texts: ratio {ext['ratio']:.2f} "
        f"({ext['articles']} articles, {ext['relations']} relations)"
    )


def _build(corpus: Path, store: Path, jobs: int) -> float:
    """One `labelgraph build` in a fresh process (as a user runs it), timed."""
    cmd = [sys.executable, "-m", "graph.cli", "build", str(corpus), "--store", str(store), "--jobs", str(jobs)]
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _queries() -> dict[str, str]:
    """Three queries every synthetic corpus answers, and the named queries without parameters."""
    lg = "PREFIX lg: <https://w3id.org/labelgraph/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    queries = {
        "customers": lg + "SELECT DISTINCT ?client ?vendor WHERE { ?e a lg:CustomerRelationship ; lg:hasSubject ?c ; "
        "lg:hasObject ?v . ?c rdfs:label ?client . ?v rdfs:label ?vendor }",
        "relations_by_kind": lg + "SELECT ?c (COUNT(?e) AS ?n) WHERE { ?e a ?c ; lg:hasSubject ?s } GROUP BY ?c",
    }
    from graph.sparql.named import list_queries

    for name, text in list_queries().items():
        if "params: none" in text.split("\n", 1)[0]:
            queries[name] = text
    return queries


def bench_queries(store_path: Path, repeat: int = 5) -> dict:
    import rdflib

    from graph.storage.store import Store

    results = {}
    with Store(store_path, read_only=True) as store:
        memory = rdflib.Dataset(default_union=True)
        for quad in store.dataset.quads((None, None, None, None)):
            memory.add(quad)
        for name, sparql in _queries().items():
            rows = len(list(store.dataset.query(sparql)))
            on_store = statistics.median(
                _timed(lambda q=sparql: list(store.dataset.query(q)))[0] for _ in range(repeat)
            )
            in_memory = statistics.median(_timed(lambda q=sparql: list(memory.query(q)))[0] for _ in range(repeat))
            results[name] = {
                "store_ms": on_store * 1e3,
                "rdflib_memory_ms": in_memory * 1e3,
                "ratio": in_memory / on_store,
                "rows": rows,
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
    corpus = work / "corpus"
    if args.only == "facts":
        shutil.rmtree(work / "store-facts", ignore_errors=True)
        make_corpus(corpus, args.articles)
        _print_facts(bench_facts(corpus, work / "store-facts"))
        return 0
    shutil.rmtree(work / "store1", ignore_errors=True)
    shutil.rmtree(work / "store2", ignore_errors=True)
    started = time.perf_counter()
    words = make_corpus(corpus, args.articles)
    print(f"corpus: {args.articles} articles, {words} words in {corpus}")

    ext = bench_extraction(corpus)
    _print_extraction(ext)
    t1 = _build(corpus, work / "store1", 1)
    t2 = _build(corpus, work / "store2", 2)
    rerun = _build(corpus, work / "store1", 1)
    n = ext["articles"]
    print(
        f"build: {n / t1:.1f} articles/s with --jobs 1 ({t1:.1f}s), {n / t2:.1f} articles/s with --jobs 2 "
        f"({t2:.1f}s): speed-up {t1 / t2:.2f}x on {os.cpu_count()} cores"
    )
    print(f"re-run over the unchanged corpus: {rerun:.1f}s = {100 * rerun / t1:.1f}% of the first build")
    print(f"store size: {_du(work / 'store1') / 1e6:.1f} MB")
    for name, q in bench_queries(work / "store1").items():
        print(
            f"query {name} ({q['rows']} rows): store {q['store_ms']:.1f} ms, "
            f"in-memory rdflib {q['rdflib_memory_ms']:.1f} ms (store {q['ratio']:.1f}x faster)"
        )
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: {peak_self:.0f} MB in this process, {peak_children:.0f} MB in the largest build process")
    print(f"total benchmark time: {time.perf_counter() - started:.0f}s")
    print(json.dumps({"extraction": ext}, default=float), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
