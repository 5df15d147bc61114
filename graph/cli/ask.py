"""``labelgraph ask …``: the market questions as rich tables (or CSV/JSON)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

__all__ = ["ask_app"]

ask_app = typer.Typer(help="Who depends on whom: dependency questions answered with evidence.", no_args_is_help=True)
_out = Console(width=None if sys.stdout.isatty() or "COLUMNS" in os.environ else 200)
_err = Console(stderr=True, width=None if sys.stderr.isatty() or "COLUMNS" in os.environ else 200)

StoreOption = Annotated[Path, typer.Option("--store", help="Store directory.")]
AsOf = Annotated[str | None, typer.Option("--as-of", help="Answer as the market stood on this date (YYYY-MM-DD).")]
Format = Annotated[str, typer.Option("--format", help="table, csv or json.")]
_DEFAULT = Path(os.environ.get("LABELGRAPH_STORE", "labelgraph-store"))
_HIDDEN = {"basis", "measure"}  # event IRIs; the measure is in the title
#: A column whose cells are wider than this is "long" (evidence, sources); long columns
#: get at least ``_LONG_MIN`` characters in the table, else they are printed under it.
_LONG = 40
_LONG_MIN = 24
#: Short columns wrap (at spaces) no narrower than this.
_SHORT_MIN = 8
_CELL = 120


def _cell(value: object) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return text[:_CELL] + ("…" if len(text) > _CELL else "")


def _tables(frame: pd.DataFrame, title: str, width: int) -> list:
    """The answer as a table that fits ``width`` columns: short columns wrap at spaces, no
    narrower than their longest header word where that fits; long ones (evidence, sources)
    share the rest of the width, or, when fewer than ``_LONG_MIN`` characters each would be
    left, are printed under the table, row by row."""
    columns = [c for c in frame.columns if c not in _HIDDEN]
    rows = [[_cell(row[c]) for c in columns] for _, row in frame.iterrows()]
    natural = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]
    long = [i for i, n in enumerate(natural) if n > _LONG]
    short = [i for i in range(len(columns)) if i not in long]
    inline = sum(natural[i] for i in short) + _LONG_MIN * len(long) + 3 * len(columns) + 1 <= width
    shown = list(range(len(columns))) if inline else short
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, show_lines=inline and bool(long))
    if not inline:
        table.add_column("#", justify="right", no_wrap=True)
    headers = {i: columns[i].replace("_", " ") for i in shown}
    least = {i: min(natural[i], max(_SHORT_MIN, *map(len, headers[i].split()))) for i in shown if i not in long}
    if sum(least.values()) + 4 * (len(shown) + 1) > width:  # headers fold too, rather than a column lost
        least = {i: min(natural[i], _SHORT_MIN) for i in least}
    for i in shown:
        if i in long:
            table.add_column(headers[i], overflow="fold", ratio=1, min_width=_LONG_MIN)
        else:
            table.add_column(headers[i], overflow="fold", min_width=least[i])
    for n, row in enumerate(rows, 1):
        table.add_row(*([] if inline else [str(n)]), *(row[i] for i in shown))
    if inline or not long:
        return [table]
    notes = []
    for n, row in enumerate(rows, 1):
        note = Text(f"{n}. ")
        for i in (i for i in long if row[i]):
            note.append(f"{columns[i]}: ", style="bold").append(f"{row[i]}  ")
        notes.append(note)
    return [table, *notes]


def _graph(store: Path):
    from graph.analytics.project import project
    from graph.errors import StoreError
    from graph.storage.store import Store

    if not store.exists():
        _err.print(f"[bold red]error:[/] no store at {store}; run `labelgraph build` first or pass --store")
        raise typer.Exit(3)
    try:
        with Store(store, read_only=True) as opened:
            return project(opened.dataset)
    except StoreError as e:
        _err.print(f"[bold red]error:[/] {e}")
        raise typer.Exit(3) from None


def _show(frame: pd.DataFrame, fmt: str, title: str, store: Path) -> None:
    if fmt == "csv":
        _out.file.write(frame.to_csv(index=False))
        return
    if fmt == "json":
        _out.file.write(frame.to_json(orient="records", force_ascii=False, indent=1) + "\n")
        return
    for part in _tables(frame, title, _out.width):
        _out.print(part)
    if frame.empty:
        _err.print(f"no answer in the graph of the store {store} (is it the store you built? pass --store)")


def _run(question: Callable[..., pd.DataFrame], store: Path, fmt: str, title: str, *args, **kw) -> None:
    if fmt not in ("table", "csv", "json"):
        _err.print(f"[bold red]error:[/] unknown format {fmt!r}; use table, csv or json")
        raise typer.Exit(2)
    g = _graph(store)
    try:
        frame = question(g, *args, **kw)
    except LookupError as e:
        _err.print(f"[bold red]error:[/] {e.args[0]}")
        raise typer.Exit(2) from None
    _show(frame, fmt, title, store)


@ask_app.command("dependents")
def dependents_cmd(
    entity: str,
    store: StoreOption = _DEFAULT,
    as_of: AsOf = None,
    fmt: Format = "table",
    direct: Annotated[bool, typer.Option("--direct", help="Only direct dependents.")] = False,
) -> None:
    """Who depends on ENTITY (its clients, investees and vendors), directly and transitively."""
    from graph.analytics.questions import dependents

    _run(dependents, store, fmt, f"Who depends on {entity}", entity, as_of=as_of, transitive=not direct)


@ask_app.command("dependencies")
def dependencies_cmd(
    entity: str,
    store: StoreOption = _DEFAULT,
    as_of: AsOf = None,
    fmt: Format = "table",
    direct: Annotated[bool, typer.Option("--direct", help="Only direct dependencies.")] = False,
) -> None:
    """What ENTITY depends on: its vendors, clients and investors."""
    from graph.analytics.questions import dependencies

    _run(dependencies, store, fmt, f"What {entity} depends on", entity, as_of=as_of, transitive=not direct)


@ask_app.command("path")
def path_cmd(a: str, b: str, store: StoreOption = _DEFAULT, as_of: AsOf = None, fmt: Format = "table") -> None:
    """The shortest explained connection between A and B."""
    from graph.analytics.questions import path

    _run(path, store, fmt, f"How {a} connects to {b}", a, b, as_of=as_of)


@ask_app.command("exposure")
def exposure_cmd(entity: str, store: StoreOption = _DEFAULT, as_of: AsOf = None, fmt: Format = "table") -> None:
    """Who loses a supplier, client or investor if ENTITY leaves or changes sides, ranked."""
    from graph.analytics.questions import exposure

    _run(exposure, store, fmt, f"Exposure to {entity}", entity, as_of=as_of)


@ask_app.command("critical")
def critical_cmd(
    store: StoreOption = _DEFAULT,
    as_of: AsOf = None,
    fmt: Format = "table",
    top: Annotated[int, typer.Option("--top", min=1)] = 20,
) -> None:
    """Entities ranked by how much of the market's dependency flows through them."""
    from graph.analytics.questions import MEASURE, critical

    _run(critical, store, fmt, f"Critical entities ({MEASURE})", as_of=as_of, top=top)


@ask_app.command("timeline")
def timeline_cmd(entity: str, store: StoreOption = _DEFAULT, as_of: AsOf = None, fmt: Format = "table") -> None:
    """ENTITY's relations in date order, with their status."""
    from graph.analytics.questions import timeline

    _run(timeline, store, fmt, f"Timeline of {entity}", entity, as_of=as_of)


@ask_app.command("talent")
def talent_cmd(store: StoreOption = _DEFAULT, as_of: AsOf = None, fmt: Format = "table") -> None:
    """People moving between organizations."""
    from graph.analytics.questions import talent

    _run(talent, store, fmt, "Talent flows", as_of=as_of)


@ask_app.command("rivals")
def rivals_cmd(entity: str, store: StoreOption = _DEFAULT, as_of: AsOf = None, fmt: Format = "table") -> None:
    """ENTITY's competitors and the clients they share."""
    from graph.analytics.questions import rivals

    _run(rivals, store, fmt, f"Rivals of {entity}", entity, as_of=as_of)
