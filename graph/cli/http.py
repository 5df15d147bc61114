"""The HTTP commands of ``labelgraph``: ``serve`` (a SPARQL endpoint) and ``push`` (to a
remote triple store), and the remote side of ``query --endpoint``.

Exit codes as in :mod:`graph.cli`: 2 usage error (also an address that cannot be
bound); 3 store error (the store, or a remote store that cannot be reached or fails);
4 query refused or invalid (also by a remote endpoint).
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from graph.errors import RemoteError, RemoteQueryError, StoreError

__all__ = ["push", "register", "remote_answer", "serve"]

EXIT_USAGE, EXIT_STORE, EXIT_QUERY = 2, 3, 4
DEFAULT_STORE = Path(os.environ.get("LABELGRAPH_STORE", "labelgraph-store"))

out = Console(width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 200)

StoreOption = Annotated[
    Path, typer.Option("--store", help="Store directory (default: $LABELGRAPH_STORE or ./labelgraph-store).")
]


def _fail(message: str, code: int) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    store: StoreOption = DEFAULT_STORE,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback unless told otherwise).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port (0: any free port).")] = 7878,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.001, help="Seconds a query may run before it is cancelled.")
    ] = 30.0,
    max_rows: Annotated[int, typer.Option("--max-rows", min=1, help="The most rows (or triples) in an answer.")] = (
        10_000
    ),
    cors: Annotated[
        bool, typer.Option("--cors/--no-cors", help="Allow cross-origin requests from any origin.")
    ] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Queries run at once, one process each (default: the cores).")
    ] = None,
    max_memory: Annotated[
        int,
        typer.Option(
            "--max-memory", min=0, help="MiB a query worker may use; a query over it answers 503 (0: no cap)."
        ),
    ] = 2048,
    max_query_bytes: Annotated[
        int, typer.Option("--max-query-bytes", min=1, help="The longest query text taken; a longer one answers 413.")
    ] = 100_000,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            help="A Host name clients may use besides the bound address (repeatable; '*': any). Stops DNS rebinding.",
        ),
    ] = None,
    base_iri: Annotated[
        str, typer.Option("--base-iri", help="Base IRI for relative IRIs in queries.")
    ] = "https://w3id.org/labelgraph/",
) -> None:
    """Serve the store as a read-only SPARQL 1.1 endpoint at /sparql, with a query page at / and /health."""
    import pyoxigraph as ox

    from graph.http.server import serve as run_server

    try:
        ox.NamedNode(base_iri)
    except ValueError:
        raise _fail(f"--base-iri {base_iri!r} is not an absolute IRI", EXIT_USAGE) from None

    if not store.exists():
        raise _fail(f"no store at {store}; run `labelgraph build` first or pass --store", EXIT_STORE)
    if not _is_loopback(host):
        err.print(
            f"[yellow]warning[/] listening on {host}: anyone who can reach this address can query the store",
            highlight=False,
        )
    try:
        run_server(
            store,
            host=host,
            port=port,
            timeout=timeout,
            max_rows=max_rows,
            cors=cors,
            workers=workers,
            max_memory_mb=max_memory,
            max_query_bytes=max_query_bytes,
            allow_hosts=allow_host or (),
            base_iri=base_iri,
            announce=lambda line: out.print(line, highlight=False, soft_wrap=True),
        )
    except StoreError as e:
        raise _fail(str(e), EXIT_STORE) from None
    except OSError as e:
        raise _fail(f"cannot listen on {host}:{port}: {e.strerror or e}", EXIT_USAGE) from None


def push(
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint", help="The remote SPARQL endpoint (it takes the updates when there is no graph store)."
        ),
    ],
    store: StoreOption = DEFAULT_STORE,
    graph_store: Annotated[
        str | None, typer.Option("--graph-store", help="The remote Graph Store HTTP Protocol URL.")
    ] = None,
    user: Annotated[str | None, typer.Option("--user", help="User name for the remote store.")] = None,
    password: Annotated[
        str | None, typer.Option("--password", envvar="LABELGRAPH_PASSWORD", help="Password (or $LABELGRAPH_PASSWORD).")
    ] = None,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune",
            help="Also remove remote labelgraph graphs (https://w3id.org/labelgraph/...) "
            "that the local store no longer has.",
        ),
    ] = False,
    atomic: Annotated[
        bool,
        typer.Option(
            "--atomic",
            help="Send the whole push as one SPARQL Update request to --endpoint "
            "(one transaction on Oxigraph, Fuseki/TDB2, GraphDB).",
        ),
    ] = False,
    query_endpoint: Annotated[
        str | None,
        typer.Option(
            "--query-endpoint",
            help="The remote query URL, to list graphs (--prune) and check a graph "
            "whose answer was lost (default: --endpoint).",
        ),
    ] = None,
) -> None:
    """Copy every graph of the store (articles, entities, derived, reference) to a remote SPARQL 1.1 store,
    replacing each graph there, one by one."""
    from graph.http.remote import PushError
    from graph.http.remote import push as run_push
    from graph.storage.store import Store

    if user is not None and password is None:
        if not sys.stdin.isatty():
            raise _fail("--user needs --password or LABELGRAPH_PASSWORD", EXIT_USAGE)
        password = typer.prompt(f"password for {user}", hide_input=True)
    if not store.exists():
        raise _fail(f"no store at {store}; run `labelgraph build` first or pass --store", EXIT_STORE)
    stop = threading.Event()
    try:
        with Store(store, read_only=True) as opened, _stop_on_signals(stop), _progress() as progress:
            report = run_push(opened, endpoint, graph_store, user, password, prune=prune, atomic=atomic,
                              query_endpoint=query_endpoint, progress=progress, stop=stop)  # fmt: skip
    except PushError as e:
        _print_push(e.report)
        _print_unfinished(e.report)
        raise _fail(str(e), EXIT_STORE) from None
    except StoreError as e:  # also RemoteError
        raise _fail(str(e), EXIT_STORE) from None
    _print_push(report)


@contextlib.contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """First Ctrl-C or SIGTERM: stop after the graph being sent; the second: at once."""

    def handler(signum: int, _frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        # Not through rich: the signal may land inside a print, whose buffer would be written twice.
        os.write(2, b"stopping after the graph being sent (again to stop at once)\n")

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, old in previous.items():
            signal.signal(s, old)


@contextlib.contextmanager
def _progress() -> Iterator[Callable]:
    """A progress bar on a terminal; one line per graph written otherwise (a record even if killed)."""
    if not err.is_terminal:

        def line(graph, position: int, total: int) -> None:
            err.print(f"written {position}/{total}: {graph.iri} ({graph.triples} triples, {graph.method})",
                      highlight=False, soft_wrap=True)  # fmt: skip

        yield line
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("push"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err) as bar:
        task = bar.add_task("push", total=None)

        def advance(_graph, position: int, total: int) -> None:
            bar.update(task, completed=position, total=total)

        yield advance


def _print_push(report) -> None:
    articles = [g for g in report.graphs if "/article/" in g.iri]
    table = Table("graph", "triples", "sent by", show_edge=False)
    if articles:
        methods = ", ".join(sorted({g.method for g in articles}))
        table.add_row(f"{len(articles)} article graphs", str(sum(g.triples for g in articles)), methods)
    for g in report.graphs:
        if g not in articles:
            table.add_row(g.iri, str(g.triples), g.method)
    if report.fallback:
        err.print(f"[yellow]note[/] {report.fallback}", highlight=False)
    if report.graphs:
        out.print(table)
    where = report.graph_store if report.count("graph store") else report.endpoint
    how = f"({report.count('graph store')} by graph store PUT, {report.count('update')} by SPARQL Update)"
    if report.atomic:
        how = "in one SPARQL Update request"
    out.print(
        f"{len(report.graphs)} graphs, {report.triples} triples sent to {where} in {report.seconds:.1f}s {how}"
        + (f"; {len(report.pruned)} stale graphs removed" if report.pruned else ""),
        highlight=False,
        soft_wrap=True,
    )


def _print_unfinished(report) -> None:
    """Name, on stderr, every graph not written (and the one whose outcome is unknown)."""
    err.print(f"written: {len(report.graphs)} of {report.total} graphs (listed above); "
              f"removed: {len(report.pruned)}; not written: {len(report.unsent)}", highlight=False)  # fmt: skip
    if report.uncertain:
        err.print(f"  unknown (sent, no answer): {report.uncertain}", highlight=False, soft_wrap=True)
    for iri in report.unsent:
        err.print(f"  not written: {iri}", highlight=False, soft_wrap=True)
    err.print("push again to finish: each graph is replaced whole, so graphs already written are not doubled",
              highlight=False)  # fmt: skip


def remote_answer(endpoint: str, sparql: str, params: list[str] | None = None):
    """``labelgraph query --endpoint``: the query's answer from a remote endpoint.

    Parameters
    ----------
    endpoint : str
        The endpoint's URL (credentials may be given in it).
    sparql : str
        The query, already checked read-only.
    params : list of str, optional
        ``--param`` values; refused, since they are bound against a local store.

    Returns
    -------
    graph.sparql.query.QueryResult

    Raises
    ------
    typer.Exit
        2 for ``--param``, 3 when the endpoint cannot be reached or fails, 4 when it
        refuses the query.
    """
    from graph.http.remote import remote_query

    if params:
        raise _fail("--param binds entities against a local store; it cannot be used with --endpoint", EXIT_USAGE)
    try:
        return remote_query(endpoint, sparql)
    except RemoteQueryError as e:
        raise _fail(str(e), EXIT_QUERY) from None
    except RemoteError as e:
        raise _fail(str(e), EXIT_STORE) from None
    except StoreError as e:  # refused before anything was sent
        raise _fail(str(e), EXIT_QUERY) from None


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``push`` to the ``labelgraph`` command line."""
    app.command("serve")(serve)
    app.command("push")(push)
