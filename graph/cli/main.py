"""The ``labelgraph`` command line: a thin shell over plain functions.

Exit codes: 0 done; 1 done, but some inputs were skipped; 2 usage error; 3 store
error (not a labelgraph store, locked, unreadable); 4 query refused or invalid;
5 validation failed or score below a threshold.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from graph.cli.ask import ask_app
from graph.errors import StoreError

__all__ = ["app"]

app = typer.Typer(
    name="labelgraph",
    help="A knowledge graph of the AI data-labeling market, built from news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 200)
app.add_typer(ask_app, name="ask")

EXIT_SKIPPED, EXIT_STORE, EXIT_QUERY, EXIT_INVALID = 1, 3, 4, 5
DEFAULT_STORE = Path(os.environ.get("LABELGRAPH_STORE", "labelgraph-store"))

StoreOption = Annotated[
    Path, typer.Option("--store", help="Store directory (default: $LABELGRAPH_STORE or ./labelgraph-store).")
]
MinConfidence = Annotated[
    float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Drop relations below this confidence.")
]
NoCatalogue = Annotated[
    bool,
    typer.Option(
        "--no-catalogue",
        help="Find entities without the catalogue's names, aliases and descriptors (to measure how much it helps).",
    ),
]


def _catalogue_off(off: bool) -> None:
    """Switch the catalogue's entities off for this process, before the model is loaded."""
    if off:
        os.environ["LABELGRAPH_NO_CATALOGUE"] = "1"


class _RateColumn(ProgressColumn):
    """Articles per second."""

    def render(self, task) -> Text:
        return Text(f"{task.speed or 0:.1f} articles/s")


def _fail(message: str, code: int) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    return typer.Exit(code)


def counted(n: int, word: str, plural: str | None = None) -> str:
    """``1 article``, ``2 articles``, ``0 entities``."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _check_inputs(paths: list) -> None:
    """A usage error for an input path that does not exist (before any store is created);
    an http(s) URL is checked when it is fetched."""
    from extractors.fetch import is_url

    for path in paths:
        if not is_url(str(path)) and not os.path.lexists(path):
            raise _fail(f"no such file or folder: {path}", 2)


def _check_dask() -> None:
    if importlib.util.find_spec("dask") is None or importlib.util.find_spec("distributed") is None:
        raise _fail("--dask-local and --dask-scheduler need Dask; install it with: pip install '.[dask]'", 2)


def _report_skipped(skipped) -> None:
    for item in skipped:
        err.print(f"[yellow]skipped[/] {escape(item.source)}: {escape(item.reason)}", highlight=False)


def _save_projection(store: Path) -> None:
    """Save the fact projection of the store just written, for ``ask`` and ``export`` (issue 14)."""
    from graph.analytics.saved import write_projection

    write_projection(store)


def _open_store(path: Path, *, read_only: bool = True):
    from graph.storage.store import Store

    if read_only and not path.exists():
        raise _fail(f"no store at {path}; run `labelgraph build` first or pass --store", EXIT_STORE)
    try:
        return Store(path, read_only=read_only)
    except StoreError as e:
        raise _fail(str(e), EXIT_STORE) from None
    except OSError as e:
        raise _fail(f"cannot open the store at {path}: {e}", EXIT_STORE) from None


Sources = Annotated[
    list[str],
    typer.Argument(help="Article files or folders, page or feed URLs, feed files, files listing URLs."),
]
Refresh = Annotated[bool, typer.Option("--refresh", help="Ask servers again for cached pages (conditional requests).")]
Delay = Annotated[float, typer.Option("--delay", min=0.0, help="Seconds between two requests to one host.")]
Timeout = Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a server.")]


def _source_reader(store: Path | None, refresh: bool, delay: float, timeout: float):
    """The reader of files, folders, URLs and feeds a build runs (pages cached in STORE/cache)."""
    from extractors.fetch import Fetcher
    from extractors.sources import read_sources

    def read(paths):
        with Fetcher(timeout=timeout, delay=delay) as fetcher:
            yield from read_sources(paths, cache=store / "cache" if store else None, refresh=refresh, fetcher=fetcher)

    return read


@app.command()
def build(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Article files or folders, page or feed URLs, feed files, files listing URLs "
            "(default: bundled corpus)."
        ),
    ] = None,
    store: StoreOption = DEFAULT_STORE,
    min_confidence: MinConfidence = 0.0,
    jobs: Annotated[int, typer.Option("--jobs", min=1, help="Parse with this many processes.")] = 1,
    dask_scheduler: Annotated[
        str | None, typer.Option("--dask-scheduler", help="Run extraction on this Dask scheduler (tcp://host:8786).")
    ] = None,
    dask_local: Annotated[
        int | None, typer.Option("--dask-local", min=1, help="Run extraction on a local Dask cluster of N workers.")
    ] = None,
    refresh: Refresh = False,
    delay: Delay = 1.0,
    timeout: Timeout = 15.0,
) -> None:
    """Extract relations from articles and store them as RDF (one named graph per article)."""
    from extractors.sources import uses_network
    from graph.ingest.build import build as run_build
    from graph.ingest.build import bundled_corpus

    sources = list(paths) if paths else [bundled_corpus()]
    _check_inputs(sources)
    if dask_scheduler or dask_local:
        _check_dask()
        if any(uses_network(str(s)) for s in sources):
            raise _fail("URLs, feeds and URL lists are read by a local build; leave out --dask-*", 2)
        _build_on_dask([Path(s) for s in sources], store, dask_scheduler, dask_local or 2)
        return
    try:
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            _RateColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as progress:
            task = progress.add_task("articles", total=None)
            report = run_build(
                sources,
                store,
                min_confidence=min_confidence,
                jobs=jobs,
                on_article=lambda _s: progress.advance(task),
                reader=_source_reader(store, refresh, delay, timeout),
            )
    except StoreError as e:
        raise _fail(str(e), EXIT_STORE) from None
    _report_skipped(report.skipped)
    for warning in report.warnings:
        err.print(f"[yellow]warning[/] {escape(warning)}", highlight=False)
    stats = report.stats
    out.print(
        f"[bold]{counted(report.articles, 'article')}[/] read in {report.seconds:.1f}s: "
        f"{report.added} added, {report.replaced} replaced, {report.unchanged} unchanged, "
        f"{len(report.skipped)} skipped"
    )
    table = Table(title=escape(f"Store {store.resolve()}"), show_edge=False)
    table.add_column("relation")
    table.add_column("statements", justify="right")
    for name, n in stats.relations.items():
        table.add_row(name, str(n))
    table.add_row("[bold]total[/]", f"[bold]{stats.relation_total}[/]")
    out.print(table)
    out.print(f"{_summary(stats)} in {escape(str(store.resolve()))}", highlight=False)
    out.print(STATEMENTS_NOTE, highlight=False)
    if report.skipped:
        raise typer.Exit(EXIT_SKIPPED)


#: What ``build``, ``stats`` and ``extract`` count as a relation statement.
STATEMENTS_NOTE = (
    "(a relation statement is one sentence stating a relation; `extract` writes a relation stated "
    "in several sentences of one article as one row)"
)


def _summary(stats) -> str:
    return (
        f"{counted(stats.articles, 'article')}, {counted(stats.entities, 'entity', 'entities')}, "
        f"{counted(stats.relation_total, 'relation statement')}, {counted(stats.quads, 'quad')}"
    )


def _build_on_dask(sources: list[Path], store: Path, scheduler: str | None, workers: int) -> None:
    from graph.ingest.distributed import build_on_dask
    from graph.storage.stats import store_stats

    try:
        report = build_on_dask(sources, store, scheduler=scheduler, local_workers=workers)
    except StoreError as e:
        raise _fail(str(e), EXIT_STORE) from None
    except OSError as e:
        raise _fail(f"cannot reach the Dask scheduler {scheduler}: {e}", EXIT_STORE) from None
    for problem in report.problems:
        err.print(f"[yellow]skipped[/] {escape(problem)}", highlight=False)
    _save_projection(store)
    with _open_store(store) as opened:
        stats = store_stats(opened)
    out.print(
        f"dask: {report.added} added, {report.replaced} replaced, {report.unchanged} unchanged; "
        f"{_summary(stats)} in {store.resolve()}"
    )
    if report.problems:
        raise typer.Exit(EXIT_SKIPPED)


@app.command()
def load(
    paths: Annotated[list[Path], typer.Argument(help="N-Quads shard files or folders of them.")],
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Bulk-load shard files written by `extract --format nquads` into the store."""
    from graph.analytics.dependency import write_dependencies
    from graph.facts.update import rebuild_facts
    from graph.ingest.build import load_reference_graphs
    from graph.ingest.shards import load_shards
    from graph.storage.store import Store

    try:
        with Store(store) as opened:
            load_reference_graphs(opened)
            report = load_shards(opened, paths)
            rebuild_facts(opened)
            write_dependencies(opened)
    except StoreError as e:
        raise _fail(str(e), EXIT_STORE) from None
    _save_projection(store)
    for problem in report.problems:
        err.print(f"[yellow]skipped[/] {escape(problem)}", highlight=False)
    out.print(f"{report.added} added, {report.replaced} replaced, {report.unchanged} unchanged in {store.resolve()}")
    if report.problems:
        raise typer.Exit(EXIT_SKIPPED)


@app.command()
def extract(
    paths: Sources,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write here (default: stdout); a folder with --format nquads.")
    ] = None,
    min_confidence: MinConfidence = 0.0,
    fmt: Annotated[
        str, typer.Option("--format", help="jsonl (evaluation format) or nquads (article graphs).")
    ] = "jsonl",
    shard: Annotated[str | None, typer.Option("--shard", help="i/N: only the articles of shard i of N.")] = None,
    no_catalogue: NoCatalogue = False,
) -> None:
    """Print relations as JSON Lines in the evaluation's format, without touching a store;
    or, with --format nquads --shard i/N --out DIR, write one shard file of article graphs."""
    _catalogue_off(no_catalogue)
    from extractors.pipeline import merge_duplicates, to_prediction
    from extractors.records import Skipped
    from graph.ingest.build import extract_each

    if fmt not in ("jsonl", "nquads"):
        raise _fail(f"unknown format {fmt!r}; use jsonl or nquads", 2)
    if fmt == "nquads" and out_file is None:
        raise _fail("--format nquads needs --out DIR", 2)
    _check_inputs(paths)
    index, total = 0, 1
    if shard is not None:
        from graph.ingest.shards import parse_shard

        try:
            index, total = parse_shard(shard)
        except ValueError as e:
            raise _fail(str(e), 2) from None
    articles, skipped = [], []
    for item in _source_reader(None, True, 1.0, 15.0)(paths):
        (skipped if isinstance(item, Skipped) else articles).append(item)
    if total > 1:
        from graph.ingest.shards import shard_of

        articles = [a for a in articles if shard_of(a.key, total) == index]
    results = list(extract_each(articles, skipped))  # an article whose extraction fails is skipped
    _report_skipped(skipped)
    if fmt == "nquads":
        from graph.ingest.shards import write_shard

        target = out_file / f"shard-{index:04d}-of-{total:04d}.nq"
        results = [(a, [r for r in rels if r.confidence >= min_confidence]) for a, rels in results]
        n = write_shard(results, target)
        err.print(f"{counted(n, 'article')} written to {target}")
        if skipped:
            raise typer.Exit(EXIT_SKIPPED)
        return
    lines, statements = [], 0
    for article, relations in results:
        statements += sum(r.confidence >= min_confidence for r in relations)
        kept = [r for r in merge_duplicates(relations) if r.confidence >= min_confidence]
        lines += [json.dumps(to_prediction(article, r), ensure_ascii=False) for r in kept]
    text = "".join(line + "\n" for line in lines)
    if out_file is None:
        sys.stdout.write(text)
    else:
        tmp = out_file.with_name(out_file.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out_file)
        err.print(
            f"{counted(len(lines), 'relation')} ({counted(statements, 'relation statement')}) "
            f"from {counted(len(results), 'article')} written to {out_file}",
            highlight=False,
        )
        err.print(STATEMENTS_NOTE, highlight=False)
    if skipped:
        raise typer.Exit(EXIT_SKIPPED)


@app.command()
def query(
    sparql: Annotated[str | None, typer.Argument(help="A SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE).")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Read the query from this file.")] = None,
    store: StoreOption = DEFAULT_STORE,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    name: Annotated[str | None, typer.Option("--name", help="Run a named query (see --list).")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", help="key=value for a named query.")] = None,
    list_names: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
    endpoint: Annotated[
        str | None, typer.Option("--endpoint", help="Run the query on this remote SPARQL endpoint instead.")
    ] = None,
) -> None:
    """Run a read-only SPARQL query; updates, LOAD and SERVICE are refused."""
    from graph.sparql.named import bind_params, list_queries

    if list_names:
        for query_name, text in sorted(list_queries().items()):
            out.print(f"[bold]{query_name}[/]  {text.splitlines()[0].lstrip('# ')}")
        return
    bindings = None
    keys = [p.partition("=")[0] for p in param or []]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise _fail(f"--param {', '.join(twice)} given more than once; give each parameter once", 2)
    if name is not None:
        queries = list_queries()
        if name not in queries:
            raise _fail(f"no named query {name!r}; known: {', '.join(sorted(queries))}", 2)
        sparql = queries[name]
    from graph.errors import QuerySyntaxError, ReadOnlyError
    from graph.sparql.query import check_read_only, format_result, run_isolated, to_rows

    if fmt not in ("table", "csv", "json"):
        raise _fail(f"unknown format {fmt!r}; use table, csv or json", 2)
    if name is None and (sparql is None) == (file is None):
        raise _fail("give a query, --file or --name (one of them)", 2)
    if file is not None:
        try:
            sparql = file.read_text(encoding="utf-8")
        except OSError as e:
            raise _fail(f"cannot read {file}: {e.strerror}", 2) from None
    try:
        check_read_only(sparql, parse=endpoint is None)  # a remote endpoint parses it itself
    except (ReadOnlyError, QuerySyntaxError) as e:
        raise _fail(str(e), EXIT_QUERY) from None
    if endpoint is not None:
        from graph.cli.http import remote_answer

        result = remote_answer(endpoint, sparql, param)
    else:
        with _open_store(store) as opened:
            try:
                if name is not None:
                    bindings = bind_params(opened, param or [])
                result = run_isolated(store, sparql, bindings, checked=True)  # a crash of the engine is an error
            except LookupError as e:
                raise _fail(e.args[0], 2) from None
            except (SyntaxError, ValueError, QuerySyntaxError) as e:
                raise _fail(f"query failed: {e}", EXIT_QUERY) from None
    if fmt != "table":
        sys.stdout.write(format_result(result, fmt))
        return
    header, rows = to_rows(result)
    table = Table(*header, show_edge=False)
    for row in rows:
        table.add_row(*row)
    out.print(table)
    if result.kind == "SELECT":
        err.print(counted(len(rows), "row"))


@app.command()
def export(
    out_file: Annotated[Path, typer.Option("--out", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", help="ttl, trig, nquads, jsonld, graphml, gexf or html.")] = "trig",
    store: StoreOption = DEFAULT_STORE,
    focus: Annotated[str | None, typer.Option("--focus", help="html: only this entity's neighbourhood.")] = None,
    depth: Annotated[int | None, typer.Option("--depth", min=1, help="html: hops around --focus [default: 2].")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="html: the market as it stood on this date.")] = None,
    predicates: Annotated[
        list[str] | None, typer.Option("--predicates", help="html: only these relations (repeat or comma-separate).")
    ] = None,
    min_confidence: MinConfidence = 0.0,
    max_nodes: Annotated[
        int | None, typer.Option("--max-nodes", min=1, help="html: keep the most central nodes [default: 500].")
    ] = None,
    dependencies: Annotated[
        bool, typer.Option("--dependencies", help="html: draw who depends on whom instead of the relations.")
    ] = False,
    title: Annotated[str | None, typer.Option("--title", help="html: the page title.")] = None,
) -> None:
    """Write the whole graph to a file (RDF; the fact graph as GraphML or GEXF), or an
    interactive HTML page of it; atomically, readable as the umask allows."""
    from graph.storage.export import FORMATS, GRAPH_FORMATS
    from graph.storage.export import export as run_export

    if fmt not in (*FORMATS, *GRAPH_FORMATS, "html"):
        raise _fail(f"unknown format {fmt!r}; use ttl, trig, nquads, jsonld, graphml, gexf or html", 2)
    if fmt != "html":
        drawing = (focus, depth, as_of, predicates, max_nodes, title)
        if any(v is not None for v in drawing) or min_confidence or dependencies:
            raise _fail("--focus, --depth, --as-of, --predicates, --min-confidence, --max-nodes, --dependencies "
                        "and --title apply to --format html", 2)  # fmt: skip
        if fmt in GRAPH_FORMATS:
            _export_fact_graph(out_file, store, fmt)
            return
        with _open_store(store) as opened:
            n = run_export(opened, out_file, fmt)
        out.print(f"{n} statements written to {out_file}")
        return
    _export_html(out_file, store, focus, depth, as_of, predicates, min_confidence, max_nodes, dependencies, title)


def _export_fact_graph(out_file: Path, store: Path, fmt: str) -> None:
    from graph.analytics.saved import fact_projection
    from graph.storage.export import export_graph

    with _open_store(store) as opened:
        g = fact_projection(opened)
    try:
        nodes, edges = export_graph(g, out_file, fmt)
    except OSError as e:
        raise _fail(f"cannot write {out_file}: {e}", EXIT_STORE) from None
    out.print(f"{nodes} entities and {edges} facts written to {out_file}", highlight=False)


def _export_html(out_file, store, focus, depth, as_of, predicates, min_confidence, max_nodes, dependencies, title):
    from graph.analytics.project import project
    from graph.analytics.saved import fact_projection
    from graph.drawing.html import write_html
    from graph.drawing.view import DEFAULT_MAX_NODES, select_view
    from graph.rdf.vocabulary import relation_table

    wanted = [p.strip() for item in predicates or [] for p in item.split(",") if p.strip()]
    unknown = sorted(set(wanted) - set(relation_table()))
    if unknown:
        raise _fail(f"unknown relation {', '.join(unknown)}; use {', '.join(sorted(relation_table()))}", 2)
    if as_of and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", as_of):
        raise _fail(f"--as-of {as_of!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", 2)
    _check_as_of(as_of)  # and a real one: not 2025-13-45
    with _open_store(store) as opened:
        g = project(opened.dataset) if dependencies else fact_projection(opened)
    try:
        view = select_view(g, focus=focus, depth=depth or 2, as_of=as_of, predicates=wanted or None,
                           min_confidence=min_confidence, max_nodes=max_nodes or DEFAULT_MAX_NODES,
                           dependencies=dependencies)  # fmt: skip
    except LookupError as e:
        raise _fail(str(e).strip("'\""), 2) from None
    what = "dependencies" if dependencies else "relations"
    heading = title or f"labelgraph: {what}" + (f" around {focus}" if focus else "")
    try:
        write_html(view, out_file, title=heading)
    except OSError as e:
        raise _fail(f"cannot write {out_file}: {e}", EXIT_STORE) from None
    note = f" ({view.dropped} less central nodes left out)" if view.dropped else ""
    out.print(
        f"{view.graph.number_of_nodes()} nodes and {view.graph.number_of_edges()} edges drawn to {out_file}{note}",
        highlight=False,
    )


def _check_as_of(as_of: str | None) -> None:
    """A usage error (exit 2) for an ``--as-of`` that is not YYYY, YYYY-MM or YYYY-MM-DD."""
    from graph.facts.time import as_of_day

    if as_of is not None:
        try:
            as_of_day(as_of)
        except ValueError as e:
            raise _fail(str(e), 2) from None


@app.command()
def forget(
    paths: Annotated[list[Path], typer.Argument(help="Article files (or folders) built into the store before.")],
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Remove articles from the store, and the facts only they supported (one atomic write);
    facts other articles also support stay, with one piece of evidence less."""
    from graph.analytics.dependency import write_dependencies
    from graph.facts.update import find_articles, forget_articles

    if not store.exists():
        raise _fail(f"no store at {store}; pass --store", EXIT_STORE)
    with _open_store(store, read_only=False) as opened:
        found: list[str] = []
        missing = []
        for path in paths:
            hits = find_articles(opened, path)
            found += hits
            if not hits:
                missing.append(path)
        try:
            done = forget_articles(opened, found) if found else None
            if done is not None:
                write_dependencies(opened)
        except StoreError as e:
            raise _fail(str(e), EXIT_STORE) from None
    if done is not None:
        _save_projection(store)
    for path in missing:
        err.print(f"[yellow]skipped[/] {escape(str(path))}: no article read from it is in the store", highlight=False)
    if done is not None:
        out.print(
            f"forgot {counted(len(done.articles), 'article')}: {counted(len(done.removed), 'fact')} removed, "
            f"{counted(len(done.weakened), 'fact')} with less evidence, {done.unchanged} others of the same keys kept",
            highlight=False,
        )
    if missing:
        raise typer.Exit(EXIT_SKIPPED)


@app.command()
def stats(store: StoreOption = DEFAULT_STORE) -> None:
    """Count articles, entities and relations in the store."""
    from graph.storage.stats import store_stats

    with _open_store(store) as opened:
        s = store_stats(opened)
    table = Table("relation", "statements", show_edge=False)
    for name, n in s.relations.items():
        table.add_row(name, str(n))
    out.print(table)
    out.print(_summary(s))


@app.command()
def validate(store: StoreOption = DEFAULT_STORE) -> None:
    """Check every stored event against the SHACL shapes (ontology/shapes.ttl)."""
    from graph.rdf.validate import validate as run_validate

    with _open_store(store) as opened:
        report = run_validate(opened)
    if report.conforms:
        out.print("[green]valid[/]: every event satisfies the shapes")
        return
    lines = report.text.splitlines()
    err.print("\n".join(lines[:60]) + ("\n…" if len(lines) > 60 else ""), highlight=False)
    raise _fail(f"{report.results} violations", EXIT_INVALID)


@app.command("eval")
def evaluate(
    paths: Annotated[list[Path], typer.Argument(help="The articles the gold file annotates.")],
    gold: Annotated[Path, typer.Option("--gold", help="Gold relations (JSON, as ../shared/eval).")],
    errors: Annotated[bool, typer.Option("--errors", help="List every miss and false positive.")] = False,
    min_confidence: MinConfidence = 0.0,
    min_f1: Annotated[float, typer.Option("--min-f1", help="Exit 5 when overall F1 is below this.")] = 0.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    no_catalogue: NoCatalogue = False,
) -> None:
    """Score extraction against gold relations: precision, recall, F1 per predicate."""
    _catalogue_off(no_catalogue)
    from extractors.evaluation import score
    from extractors.pipeline import extract_articles, merge_duplicates, to_prediction
    from extractors.reader import read_paths
    from extractors.records import Skipped

    try:
        gold_data = json.loads(gold.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise _fail(f"cannot read gold file {gold}: {e}", 2) from None
    articles = [a for a in read_paths(paths) if not isinstance(a, Skipped)]
    predictions = [
        to_prediction(article, r)
        for article, relations in extract_articles(articles)
        for r in merge_duplicates(relations)
        if r.confidence >= min_confidence
    ]
    result = score(gold_data, predictions)
    p, r, f = result.overall()
    qa = result.qualifier_accuracy()
    if as_json:
        out.print_json(
            data={
                "precision": round(p, 3),
                "recall": round(r, 3),
                "f1": round(f, 3),
                "qualifier_accuracy": None if qa is None else round(qa, 3),
                "per_predicate": {
                    k: dict(zip(("precision", "recall", "f1", "tp", "fp", "fn"), v, strict=True))
                    for k, v in result.per_predicate().items()
                },
            }
        )
    else:
        table = Table("predicate", "P", "R", "F1", "tp", "fp", "fn", show_edge=False)
        for name, (pp, rr, ff, tp, fp, fn) in result.per_predicate().items():
            table.add_row(name, f"{pp:.3f}", f"{rr:.3f}", f"{ff:.3f}", str(tp), str(fp), str(fn))
        out.print(table)
        if errors:
            for title, rows in (("missed", result.missed), ("false positives", result.false_positives)):
                out.print(f"\n[bold]{title}[/]")
                for row in rows:
                    out.print("  " + row, highlight=False)
        checked = sum(result.qualifiers.values())
        qa_text = "n/a" if qa is None else f"{qa:.3f} ({result.qualifiers[True]}/{checked})"
        out.print(f"\nqualifier accuracy {qa_text}")
        out.print(f"overall precision {p:.3f} recall {r:.3f} F1 {f:.3f}")
    if f < min_f1:
        raise _fail(f"F1 {f:.3f} is below --min-f1 {min_f1}", EXIT_INVALID)


_EVERY = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)")
_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def _round_line(number: int, report) -> str:
    return (
        f"round {number}: {report.added} new, {report.replaced} changed, {report.unchanged} unchanged, "
        f"{len(report.skipped)} failed"
    )


@app.command()
def watch(
    sources: Sources,
    store: StoreOption = DEFAULT_STORE,
    every: Annotated[str, typer.Option("--every", help="Time between two rounds: 90s, 30m, 2h, 1d.")] = "30m",
    once: Annotated[bool, typer.Option("--once", help="One round, then exit (for cron).")] = False,
    min_confidence: MinConfidence = 0.0,
    delay: Delay = 1.0,
    timeout: Timeout = 15.0,
) -> None:
    """Poll the sources and add what is new to the store, one line per round (new, changed,
    unchanged, failed); cached pages are asked for with conditional requests."""
    import signal
    import time
    from datetime import UTC, datetime

    from graph.ingest.build import build as run_build

    m = _EVERY.fullmatch(every.strip())
    if not m or float(m.group(1)) <= 0:
        raise _fail(f"--every {every!r} is not a duration (e.g. 90s, 30m, 2h)", 2)
    pause = float(m.group(1)) * _SECONDS[m.group(2)]
    _check_inputs(sources)

    def stop(_signum, _frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    number, failed = 0, False
    try:
        while True:
            number += 1
            try:
                report = run_build(sources, store, min_confidence=min_confidence,
                                   reader=_source_reader(store, True, delay, timeout))  # fmt: skip
            except StoreError as e:
                if once:
                    raise _fail(str(e), EXIT_STORE) from None
                err.print(f"round {number}: store problem, retried next round: {escape(str(e))}", highlight=False)
                report = None
            stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            if report is not None:
                _report_skipped(report.skipped)
                failed = bool(report.skipped)
                out.print(f"{stamp} {_round_line(number, report)}", highlight=False)
            if once:
                break
            until = time.monotonic() + pause
            while time.monotonic() < until:
                time.sleep(min(1.0, until - time.monotonic()))
    except KeyboardInterrupt:
        err.print(f"stopped after {counted(number, 'round')}; every stored article is whole", highlight=False)
        raise typer.Exit(0) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    if failed:
        raise typer.Exit(EXIT_SKIPPED)


from graph.cli.http import register  # noqa: E402 - the serve and push commands

register(app)


def main() -> None:  # pragma: no cover - console script entry
    app()


if __name__ == "__main__":  # pragma: no cover - `python -m graph.cli.main`
    app()
