"""``labelgraph serve``: a read-only SPARQL 1.1 Protocol endpoint over a store (Starlette + Uvicorn).

Routes: ``/sparql`` (also ``/query``) answers queries sent by GET ``?query=``, by POST
``application/sparql-query`` and by POST form-encoded ``query=``; ``/health`` says the
server is up and how many triples it serves; ``/`` is a page with a query box.

Read-only: an update (form ``update=`` or ``application/sparql-update``), ``LOAD`` and
``SERVICE`` are refused with 403 before anything is evaluated. Queries are evaluated by
pyoxigraph in worker processes (:mod:`graph.http.worker`) on the store opened read-only, the
default graph being the union of all graphs and each graph available to ``GRAPH``. A
query that runs past the timeout is stopped (its worker is killed and replaced) and
answered with 503; an answer holds at most ``max_rows`` rows, and a cut answer carries
the header ``X-Labelgraph-Truncated: true``.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import html
import multiprocessing
import socket
from collections.abc import AsyncIterator, Callable
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.parse import parse_qs

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from graph.errors import QuerySyntaxError, ReadOnlyError, StoreError
from graph.http.results import parse_accept
from graph.http.worker import Answer, QueryRequest, serve_queries
from graph.sparql.query import check_read_only
from graph.storage.store import Store

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "TRUNCATED_HEADER", "bind", "create_app", "serve"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
TRUNCATED_HEADER = "X-Labelgraph-Truncated"
#: The largest request body accepted (a query text), in bytes.
MAX_BODY = 1024 * 1024
#: How long a new worker may take to open the store (not counted in a query's timeout).
STARTUP_SECONDS = 120.0


class QueryTimeoutError(Exception):
    """A query ran past its timeout; its worker was stopped."""


class WorkerFailedError(Exception):
    """A worker could not open the store, or died while answering."""


class _Worker:
    """One evaluation process and the pipe to it."""

    def __init__(self, store_path: Path, max_rows: int) -> None:
        context = multiprocessing.get_context("spawn")  # no fork of a process holding threads and RocksDB
        self._conn, child = context.Pipe()
        self.process = context.Process(
            target=serve_queries, args=(child, str(store_path), max_rows), name="labelgraph-query", daemon=True
        )
        self.process.start()
        child.close()
        self._ready = False

    def wait_ready(self) -> None:
        """Block until the worker has opened the store."""
        if self._ready:
            return
        message = _receive(self._conn, STARTUP_SECONDS)
        if message is None or message[0] != "ready":
            raise WorkerFailedError(message[1] if message else "the query worker did not start")
        self._ready = True

    def ask(self, request: QueryRequest, timeout: float) -> Answer:
        """Evaluate one request (blocking; run in a thread)."""
        self.wait_ready()
        try:
            self._conn.send(request)
        except OSError as e:
            raise WorkerFailedError(f"the query worker is gone ({e})") from None
        if not self._conn.poll(timeout):
            raise QueryTimeoutError
        answer = _receive(self._conn, 0)
        if answer is None:
            raise WorkerFailedError("the query worker stopped while answering")
        return answer

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self._conn.close()


def _receive(conn: Connection, timeout: float) -> object | None:
    try:
        return conn.recv() if conn.poll(timeout) else None
    except (EOFError, OSError):
        return None


class _Workers:
    """A fixed number of workers; a request waits for a free one."""

    def __init__(self, store_path: Path, max_rows: int, size: int) -> None:
        self.store_path, self.max_rows, self.size = store_path, max_rows, size
        self._free: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._closed = False

    def _start(self) -> _Worker:
        worker = _Worker(self.store_path, self.max_rows)
        self._all.add(worker)
        return worker

    async def start(self) -> None:
        workers = [self._start() for _ in range(self.size)]
        for worker in workers:
            await run_in_threadpool(worker.wait_ready)
            self._free.put_nowait(worker)

    async def run(self, request: QueryRequest, timeout: float) -> Answer:
        worker = await self._free.get()
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(None, worker.ask, request, timeout)
        future.add_done_callback(lambda done: self._release(worker, done))
        # Shielded: should the request be cancelled, the worker is only handed on
        # once its answer (or timeout) is in.
        return await asyncio.shield(future)

    def _release(self, worker: _Worker, done: asyncio.Future) -> None:
        if self._closed:
            worker.stop()
            return
        if done.cancelled() or done.exception() is not None:
            worker.stop()
            self._all.discard(worker)
            worker = self._start()
        self._free.put_nowait(worker)

    def stop(self) -> None:
        self._closed = True
        for worker in list(self._all):
            worker.stop()
        self._all.clear()


def create_app(
    store_path: str | Path, *, timeout: float = 30.0, max_rows: int = 10_000, cors: bool = False, workers: int = 1
) -> Starlette:
    """The endpoint as a Starlette application.

    Parameters
    ----------
    store_path : str or Path
        A labelgraph store directory; it is only ever opened read-only.
    timeout : float
        Seconds a query may run; then it is stopped and answered with 503.
    max_rows : int
        The most rows (SELECT) or triples (CONSTRUCT, DESCRIBE) in one answer.
    cors : bool
        Allow cross-origin requests from any origin (GET and POST).
    workers : int
        How many queries may run at once (one process each).

    Returns
    -------
    Starlette
        Its lifespan starts the worker processes and stops them.

    Raises
    ------
    graph.errors.StoreError
        When ``store_path`` is not a readable labelgraph store.
    ValueError
        For a timeout, row cap or worker count below its minimum.
    """
    if timeout <= 0 or max_rows < 1 or workers < 1:
        raise ValueError("timeout must be positive, max_rows and workers at least 1")
    path = Path(store_path)
    with Store(path, read_only=True) as store:
        triples = store.triple_count()
    pool = _Workers(path, max_rows, workers)
    page = _page(triples, timeout, max_rows)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await pool.start()
        try:
            yield
        finally:
            pool.stop()

    async def index(_request: Request) -> Response:
        return HTMLResponse(page.text, headers={"Content-Security-Policy": page.policy})

    async def health(_request: Request) -> Response:
        return JSONResponse({"status": "ok", "triples": triples})

    async def sparql(request: Request) -> Response:
        fields = await _fields(request)
        if isinstance(fields, Response):
            return fields
        if "update" in fields or "using-graph-uri" in fields or "using-named-graph-uri" in fields:
            return _refuse_update()
        texts = fields.get("query", [])
        if len(texts) != 1 or not texts[0].strip():
            return _text(400, "give exactly one SPARQL query (GET ?query=, or POST application/sparql-query, "
                              "or POST form-encoded query=)")  # fmt: skip
        try:
            await run_in_threadpool(check_read_only, texts[0])
        except ReadOnlyError as e:
            return _text(403, f"{e}; this endpoint is read-only")
        except QuerySyntaxError as e:
            return _text(400, str(e))
        preferences = tuple(fields.get("format", [])) + tuple(parse_accept(request.headers.get("accept")))
        query = QueryRequest(
            texts[0], preferences, tuple(fields.get("default-graph-uri", [])), tuple(fields.get("named-graph-uri", []))
        )
        try:
            answer = await pool.run(query, timeout)
        except QueryTimeoutError:
            return _text(503, f"query cancelled: it ran longer than the {timeout:g} s limit of this endpoint "
                              "(labelgraph serve --timeout)")  # fmt: skip
        except WorkerFailedError as e:
            return _text(500, f"query failed: {e}; the query worker was restarted")
        headers = {"Vary": "Accept"}
        if answer.truncated:
            headers[TRUNCATED_HEADER] = "true"
        return Response(answer.body, status_code=answer.status, media_type=answer.media_type, headers=headers)

    middleware = []
    if cors:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST"],
                allow_headers=["Accept", "Content-Type"],
                expose_headers=[TRUNCATED_HEADER],
            )
        )
    routes = [
        Route("/", index, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/query", sparql, methods=["GET", "POST"]),
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan, max_body_size=MAX_BODY)


async def _fields(request: Request) -> dict[str, list[str]] | Response:
    """The protocol parameters of a request: from the URL, and from a POST body."""
    fields = {key: request.query_params.getlist(key) for key in request.query_params}
    if request.method != "POST":
        return fields
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/sparql-update":
        return _refuse_update()
    if content_type not in ("application/sparql-query", "application/x-www-form-urlencoded"):
        return _text(415, "send a query as application/sparql-query, or form-encoded (query=...) as "
                          "application/x-www-form-urlencoded")  # fmt: skip
    try:
        body = (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        return _text(400, "the request body is not UTF-8")
    if content_type == "application/sparql-query":
        if "query" in fields:
            return _text(400, "give the query either in the body or as ?query=, not both")
        fields["query"] = [body]
        return fields
    for key, values in parse_qs(body, keep_blank_values=True).items():
        fields.setdefault(key, []).extend(values)
    return fields


def _text(status: int, message: str) -> Response:
    return PlainTextResponse(message + "\n", status_code=status)


def _refuse_update() -> Response:
    return _text(403, "[E201] SPARQL Update is not allowed: this endpoint is read-only")


class _Page:
    def __init__(self, text: str, policy: str) -> None:
        self.text, self.policy = text, policy


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
textarea { width: 100%; font-family: ui-monospace, monospace; font-size: 0.9rem; }
pre { background: #f4f4f4; padding: 0.75rem; overflow: auto; max-height: 60vh; white-space: pre-wrap; }
.note { color: #666; font-size: 0.9rem; }
"""

_SCRIPT = """
document.getElementById("form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const out = document.getElementById("out");
  const body = new URLSearchParams({query: document.getElementById("query").value});
  out.textContent = "running...";
  try {
    const response = await fetch("sparql", {
      method: "POST", body: body,
      headers: {"Content-Type": "application/x-www-form-urlencoded",
                "Accept": document.getElementById("format").value}});
    const text = await response.text();
    const cut = response.headers.get("X-Labelgraph-Truncated") === "true" ? "\\n(answer cut at the row cap)" : "";
    out.textContent = (response.ok ? "" : "HTTP " + response.status + ": ") + text + cut;
  } catch (error) {
    out.textContent = String(error);
  }
});
"""

_EXAMPLE = """PREFIX lg: <https://w3id.org/labelgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?investor ?company ?amount WHERE {
  ?e a lg:Investment ; lg:hasSubject ?i ; lg:hasObject ?o .
  OPTIONAL { ?e lg:amountUSD ?amount }
  ?i rdfs:label ?investor . ?o rdfs:label ?company .
} ORDER BY ?company ?investor LIMIT 100"""

_FORMATS = (
    ("application/sparql-results+json", "SPARQL results JSON"),
    ("application/sparql-results+xml", "SPARQL results XML"),
    ("text/csv", "CSV"),
    ("text/tab-separated-values", "TSV"),
    ("text/turtle", "Turtle (CONSTRUCT, DESCRIBE)"),
    ("application/n-triples", "N-Triples (CONSTRUCT, DESCRIBE)"),
)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _page(triples: int, timeout: float, max_rows: int) -> _Page:
    """The query page: self-contained, its script and style allowed by hash only."""
    options = "".join(f'<option value="{html.escape(v)}">{html.escape(label)}</option>' for v, label in _FORMATS)
    text = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>labelgraph SPARQL</title>
<style>{_STYLE}</style></head>
<body>
<h1>labelgraph SPARQL endpoint</h1>
<p class="note">{triples} triples, read-only; the default graph is the union of all graphs, each article is
also a named graph. Queries stop after {timeout:g} s and answers hold at most {max_rows} rows.
Endpoint: <code>sparql</code> (GET <code>?query=</code> or POST).</p>
<form id="form" method="post" action="sparql">
<textarea id="query" name="query" rows="14" spellcheck="false">{html.escape(_EXAMPLE)}</textarea>
<p><label>Answer as <select id="format" name="format">{options}</select></label>
<button type="submit">Run query</button></p>
</form>
<pre id="out"></pre>
<script>{_SCRIPT}</script>
</body></html>
"""
    policy = (
        f"default-src 'none'; script-src {_sha256(_SCRIPT)}; style-src {_sha256(_STYLE)}; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
    return _Page(text, policy)


def bind(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: any free port).

    Raises
    ------
    OSError
        When the address is in use or cannot be bound.
    """
    info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _name, address = info[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def serve(
    store_path: str | Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout: float = 30.0,
    max_rows: int = 10_000,
    cors: bool = False,
    announce: Callable[[str], None] | None = None,
    log_level: str = "info",
) -> None:
    """Serve the store until interrupted (Ctrl-C or SIGTERM).

    Parameters
    ----------
    store_path : str or Path
        The store directory.
    host, port : str, int
        Where to listen; loopback by default. Port 0 picks a free port.
    timeout, max_rows, cors
        As for :func:`create_app`.
    announce : callable, optional
        Called with one line naming the endpoint's URL once the socket is bound.
    log_level : str
        Uvicorn's log level.

    Raises
    ------
    graph.errors.StoreError
        When the store cannot be opened, or the server does not start.
    OSError
        When the address cannot be bound.
    """
    app = create_app(store_path, timeout=timeout, max_rows=max_rows, cors=cors)
    sock = bind(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    if announce is not None:
        announce(
            f"SPARQL endpoint http://{shown}:{bound_port}/sparql over {Path(store_path).resolve()} "
            f"(timeout {timeout:g} s, at most {max_rows} rows{', CORS on' if cors else ''}); Ctrl-C stops it"
        )
    config = uvicorn.Config(app, log_level=log_level, timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    if not server.started:
        raise StoreError("the SPARQL endpoint did not start (see the messages above)")
