"""``labelgraph serve``: a read-only SPARQL 1.1 Protocol endpoint over a store (Starlette + Uvicorn).

Routes: ``/sparql`` (also ``/query``) answers queries sent by GET ``?query=``, by POST
``application/sparql-query`` and by POST form-encoded ``query=``; ``/health`` says the
server is up and how many triples it serves; ``/`` is a page with a query box.

Read-only: an update (form ``update=`` or ``application/sparql-update``) is refused with
403 here; everything about a query text (the read-only check, SERVICE, nesting, parsing,
evaluation) happens in worker processes (:mod:`graph.http.worker`) on the store opened
read-only, under the query's timeout. The default graph is the union of all graphs
unless the query says ``FROM`` or the request names graphs. A query that runs past the
timeout, whose worker grows past the memory cap, or whose client disconnects is stopped
(its worker is killed and replaced); the first two are answered with 503. A query longer
than the size limit gets 413; a ``Host`` header not allowed gets 403 (DNS rebinding). An
answer holds at most ``max_rows`` rows, and a cut answer carries the header
``X-Labelgraph-Truncated: true``. Waiting queries are admitted first come, first served;
one running past :data:`graph.http.worker.SLOW_AFTER` lends its place (see :class:`_Workers`).
"""

from __future__ import annotations

import asyncio
import base64
import collections
import contextlib
import hashlib
import html
import ipaddress
import multiprocessing
import os
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
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

from graph.errors import StoreError
from graph.http.results import parse_accept
from graph.http.worker import SLOW_AFTER, Answer, QueryRequest, serve_queries
from graph.sparql.query import DEFAULT_BASE_IRI
from graph.storage.store import Store

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_MAX_MEMORY_MB",
    "DEFAULT_MAX_QUERY_BYTES",
    "DEFAULT_PORT",
    "TRUNCATED_HEADER",
    "allowed_hosts_for",
    "bind",
    "create_app",
    "default_workers",
    "serve",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
TRUNCATED_HEADER = "X-Labelgraph-Truncated"
#: The largest request body accepted (a query text), in bytes.
MAX_BODY = 1024 * 1024
#: How long a new worker may take to open the store (not counted in a query's timeout).
STARTUP_SECONDS = 120.0
#: Resident memory a worker may reach while answering, in MiB.
DEFAULT_MAX_MEMORY_MB = 2048
#: The longest query text accepted, in UTF-8 bytes.
DEFAULT_MAX_QUERY_BYTES = 100_000
#: ``Host`` names always accepted by an endpoint on a loopback address.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


class QueryTimeoutError(Exception):
    """A query ran past its timeout; its worker was stopped."""


class QueryCancelledError(Exception):
    """The client of a query went away; its worker was stopped."""


class MemoryCapError(Exception):
    """A worker grew past its memory cap while answering; it was stopped."""


class WorkerFailedError(Exception):
    """A worker could not open the store, or died while answering."""


#: How often a running query is looked at (client gone, memory, timeout), in seconds.
_POLL = 0.05


def _resident_bytes(pid: int) -> int:
    """The resident memory of process ``pid`` (0 when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


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

    def ask(self, request: QueryRequest, limits: _Limits, cancel: threading.Event, slow: Callable[[], None]) -> Answer:
        """Evaluate one request (blocking; run in a thread).

        Raises
        ------
        QueryTimeoutError, QueryCancelledError, MemoryCapError, WorkerFailedError
            The worker must then be stopped.
        """
        self.wait_ready()
        try:
            self._conn.send(request)
        except OSError as e:
            raise WorkerFailedError(f"the query worker is gone ({e})") from None
        started = time.monotonic()
        told_slow = False
        while not self._conn.poll(_POLL):
            elapsed = time.monotonic() - started
            if cancel.is_set():
                raise QueryCancelledError
            if elapsed > limits.timeout:
                raise QueryTimeoutError
            if limits.memory and _resident_bytes(self.process.pid) > limits.memory:
                raise MemoryCapError
            if not told_slow and elapsed > SLOW_AFTER:
                told_slow = True
                slow()
        answer = _receive(self._conn, 0)
        if answer is None:
            self.process.join(1)
            code = self.process.exitcode
            why = f" (signal {-code})" if code is not None and code < 0 else ""
            raise WorkerFailedError(f"the query worker stopped while answering{why}")
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


@dataclass(frozen=True)
class _Limits:
    """What one query may cost: seconds, and resident bytes of its worker (0: no cap)."""

    timeout: float
    memory: int


class _Workers:
    """Worker processes and the queue of queries waiting for one.

    ``size`` queries run at once; a query running past :data:`SLOW_AFTER` seconds
    lends its place to the next one waiting (up to ``size`` such loans, so at most
    ``2 * size`` processes), so that clients looping slow queries do not hold every
    worker. Waiting queries are admitted in turn by client address (round robin), each
    client's own first come, first served: a client sending many queries at once waits
    behind the others' next query, not in front of it.
    """

    def __init__(self, store_path: Path, max_rows: int, size: int) -> None:
        self.store_path, self.max_rows, self.size = store_path, max_rows, size
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._waiting: dict[str, collections.deque[asyncio.Future]] = {}
        self._turns: collections.deque[str] = collections.deque()  # clients with queries waiting, in turn
        self._running = 0
        self._slow = 0
        self._closed = False

    def _start(self) -> _Worker:
        worker = _Worker(self.store_path, self.max_rows)
        self._all.add(worker)
        return worker

    async def start(self) -> None:
        workers = [self._start() for _ in range(self.size)]
        for worker in workers:
            await run_in_threadpool(worker.wait_ready)
            self._idle.append(worker)

    def _capacity(self) -> int:
        return self.size + min(self._slow, self.size)

    def _admit(self) -> None:
        while self._turns and self._running < self._capacity():
            client = self._turns.popleft()
            queue = self._waiting[client]
            while queue and queue[0].done():  # given up while waiting
                queue.popleft()
            if queue:
                self._running += 1
                queue.popleft().set_result(None)
            if queue:
                self._turns.append(client)
            else:
                del self._waiting[client]

    async def _acquire(self, client: str) -> None:
        if self._running < self._capacity() and not self._turns:
            self._running += 1
            return
        waiter = asyncio.get_running_loop().create_future()
        if client not in self._waiting:
            self._waiting[client] = collections.deque()
            self._turns.append(client)
        self._waiting[client].append(waiter)
        self._admit()  # there may be room, behind waiters that gave up
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._running -= 1  # admitted, but its client went away at that moment
                self._admit()
            raise

    async def run(self, request: QueryRequest, limits: _Limits, cancel: threading.Event, client: str = "") -> Answer:
        await self._acquire(client)
        worker = self._idle.pop() if self._idle else self._start()
        loop = asyncio.get_running_loop()
        turned_slow: list[bool] = []

        def slow() -> None:
            loop.call_soon_threadsafe(self._lend, turned_slow)

        future = loop.run_in_executor(None, worker.ask, request, limits, cancel, slow)
        future.add_done_callback(lambda done: self._release(worker, done, turned_slow))
        # Shielded: should the request be cancelled, the worker is only handed on
        # once its answer (or its stop) is in.
        return await asyncio.shield(future)

    def _lend(self, turned_slow: list[bool]) -> None:
        turned_slow.append(True)
        self._slow += 1
        self._admit()

    def _release(self, worker: _Worker, done: asyncio.Future, turned_slow: list[bool]) -> None:
        self._running -= 1
        if turned_slow:
            self._slow -= 1
        if self._closed:
            worker.stop()
            return
        if done.cancelled() or done.exception() is not None:
            worker.stop()
            self._all.discard(worker)
            worker = self._start()
        self._idle.append(worker)
        self._admit()

    def stop(self) -> None:
        self._closed = True
        for worker in list(self._all):
            worker.stop()
        self._all.clear()


def default_workers() -> int:
    """The default number of workers: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def create_app(
    store_path: str | Path,
    *,
    timeout: float = 30.0,
    max_rows: int = 10_000,
    cors: bool = False,
    workers: int | None = None,
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB,
    max_query_bytes: int = DEFAULT_MAX_QUERY_BYTES,
    allowed_hosts: Iterable[str] | None = LOOPBACK_NAMES,
    base_iri: str = DEFAULT_BASE_IRI,
) -> Starlette:
    """The endpoint as a Starlette application.

    Parameters
    ----------
    store_path : str or Path
        A labelgraph store directory; it is only ever opened read-only.
    timeout : float
        Seconds a query may run (read-only check and parsing included); then it is
        stopped and answered with 503.
    max_rows : int
        The most rows (SELECT) or triples (CONSTRUCT, DESCRIBE) in one answer.
    cors : bool
        Allow cross-origin requests from any origin (GET and POST).
    workers : int, optional
        How many queries may run at once (one process each); by default the cores.
    max_memory_mb : int
        Resident memory a worker may reach while answering, in MiB (0: no cap); a query
        over it is answered with 503 and its worker is replaced.
    max_query_bytes : int
        The longest query text accepted (UTF-8 bytes); a longer one is answered with 413.
    allowed_hosts : iterable of str, optional
        The names a request's ``Host`` header may give (port left aside), against DNS
        rebinding; ``None`` or ``"*"`` among them: any.
    base_iri : str
        The base IRI against which relative IRIs in a query are resolved.

    Returns
    -------
    Starlette
        Its lifespan starts the worker processes and stops them.

    Raises
    ------
    graph.errors.StoreError
        When ``store_path`` is not a readable labelgraph store.
    ValueError
        For a timeout, row cap, worker count or limit below its minimum.
    """
    workers = default_workers() if workers is None else workers
    if timeout <= 0 or max_rows < 1 or workers < 1 or max_memory_mb < 0 or max_query_bytes < 1:
        raise ValueError("timeout must be positive, max_rows, workers and max_query_bytes at least 1, "
                         "max_memory_mb at least 0")  # fmt: skip
    path = Path(store_path)
    with Store(path, read_only=True) as store:
        triples = store.triple_count()
    pool = _Workers(path, max_rows, workers)
    limits = _Limits(timeout, max_memory_mb * 1024 * 1024)
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
        if len(texts[0].encode("utf-8")) > max_query_bytes:
            return _text(413, f"the query is longer than the {max_query_bytes} bytes this endpoint takes "
                              "(labelgraph serve --max-query-bytes)")  # fmt: skip
        preferences = tuple(fields.get("format", [])) + tuple(parse_accept(request.headers.get("accept")))
        query = QueryRequest(
            texts[0],
            preferences,
            tuple(fields.get("default-graph-uri", [])),
            tuple(fields.get("named-graph-uri", [])),
            base_iri,
        )
        try:
            answer = await _run_watched(request, pool, query, limits)
        except QueryCancelledError:
            return _text(499, "query cancelled: the client went away")
        except QueryTimeoutError:
            return _text(503, f"query cancelled: it ran longer than the {timeout:g} s limit of this endpoint "
                              "(labelgraph serve --timeout)")  # fmt: skip
        except MemoryCapError:
            return _text(503, f"query stopped: its worker grew past the {max_memory_mb} MiB memory cap of this "
                              "endpoint (labelgraph serve --max-memory); the worker was replaced")  # fmt: skip
        except WorkerFailedError as e:
            return _text(500, f"query failed: {e}; the query worker was restarted")
        headers = {"Vary": "Accept"}
        if answer.truncated:
            headers[TRUNCATED_HEADER] = "true"
        return Response(answer.body, status_code=answer.status, media_type=answer.media_type, headers=headers)

    middleware = []
    if allowed_hosts is not None and "*" not in set(allowed_hosts):
        middleware.append(Middleware(_HostCheck, allowed=frozenset(_host_key(h) for h in allowed_hosts)))
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
    # A form-encoded body may spell each byte of the query as %XX.
    body_limit = 3 * max_query_bytes + 64 * 1024
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan, max_body_size=body_limit)


async def _run_watched(request: Request, pool: _Workers, query: QueryRequest, limits: _Limits) -> Answer:
    """Run ``query``, stopping it (waiting or running) as soon as its client disconnects."""
    cancel = threading.Event()
    client = request.client.host if request.client else ""
    task = asyncio.ensure_future(pool.run(query, limits, cancel, client))
    while True:
        done, _pending = await asyncio.wait({task}, timeout=_POLL * 2)
        if done:
            return task.result()
        if await request.is_disconnected():
            cancel.set()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, QueryCancelledError):
                await task
            raise QueryCancelledError


def _host_key(host: str) -> str:
    """A host name or address as compared: lower case, an IPv6 address without brackets."""
    host = host.strip().lower().rstrip(".")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host


def _header_host(value: str) -> str:
    """The host of a ``Host`` header, without its port."""
    value = value.strip()
    if value.startswith("["):
        return _host_key(value.split("]", 1)[0] + "]")
    return _host_key(value.rsplit(":", 1)[0] if value.count(":") == 1 else value)


class _HostCheck:
    """Refuse (403) a request whose ``Host`` is not one of ``allowed``: a page that rebinds a
    DNS name to this address cannot then read the endpoint."""

    def __init__(self, app, allowed: frozenset[str]) -> None:
        self.app, self.allowed = app, allowed

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            host = dict(scope.get("headers") or []).get(b"host")
            if host is not None and _header_host(host.decode("latin-1")) not in self.allowed:
                refusal = _text(403, "this Host is not served here (labelgraph serve --allow-host names the "
                                     "host names it answers to)")  # fmt: skip
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


def allowed_hosts_for(host: str, extra: Iterable[str] = ()) -> tuple[str, ...] | None:
    """The ``Host`` names to accept when listening on ``host``, plus ``extra``.

    Loopback: ``localhost``, ``127.0.0.1``, ``::1`` and ``host``. A wildcard address
    (``0.0.0.0``, ``::``) without ``extra``: ``None`` (any host; the machine's names are
    not known). Otherwise ``host`` and ``extra``.
    """
    extra = tuple(extra)
    try:
        address = ipaddress.ip_address(_host_key(host))
    except ValueError:
        address = None
    if host == "localhost" or (address is not None and address.is_loopback):
        return (*LOOPBACK_NAMES, host, *extra)
    if address is not None and address.is_unspecified:
        return (*LOOPBACK_NAMES, *extra) if extra else None
    return (host, *extra)


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
    workers: int | None = None,
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB,
    max_query_bytes: int = DEFAULT_MAX_QUERY_BYTES,
    allow_hosts: Iterable[str] = (),
    base_iri: str = DEFAULT_BASE_IRI,
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
    timeout, max_rows, cors, workers, max_memory_mb, max_query_bytes, base_iri
        As for :func:`create_app`.
    allow_hosts : iterable of str
        ``Host`` names accepted besides those of the bound address (see
        :func:`allowed_hosts_for`); ``"*"``: any.
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
    workers = default_workers() if workers is None else workers
    app = create_app(
        store_path,
        timeout=timeout,
        max_rows=max_rows,
        cors=cors,
        workers=workers,
        max_memory_mb=max_memory_mb,
        max_query_bytes=max_query_bytes,
        allowed_hosts=allowed_hosts_for(host, allow_hosts),
        base_iri=base_iri,
    )
    sock = bind(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    if announce is not None:
        plural = "s" if workers != 1 else ""
        announce(
            f"SPARQL endpoint http://{shown}:{bound_port}/sparql over {Path(store_path).resolve()} "
            f"({workers} worker{plural}, timeout {timeout:g} s, at most {max_rows} rows, {max_memory_mb} MiB a worker"
            f"{', CORS on' if cors else ''}); Ctrl-C stops it"
        )
    config = uvicorn.Config(app, log_level=log_level, timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    if not server.started:
        raise StoreError("the SPARQL endpoint did not start (see the messages above)")
