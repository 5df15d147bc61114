"""``labelgraph ask …``: the market questions as rich tables (or CSV/JSON)."""

from __future__ import annotations

import io
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # pandas loads only when a question is answered (a fast --help)
    import pandas as pd

__all__ = ["ask_app"]

ask_app = typer.Typer(help="Who depends on whom: dependency questions answered with evidence.", no_args_is_help=True)
_out = Console(width=None if sys.stdout.isatty() or "COLUMNS" in os.environ else 200)
_err = Console(stderr=True, width=None if sys.stderr.isatty() or "COLUMNS" in os.environ else 200)

StoreOption = Annotated[Path, typer.Option("--store", help="Store directory.")]


def _valid_as_of(value: str | None) -> str | None:
    """``--as-of`` is YYYY, YYYY-MM or YYYY-MM-DD (a real date); else a usage error (exit 2)."""
    from graph.facts.time import as_of_day

    if value is not None:
        try:
            as_of_day(value)
        except ValueError as e:
            raise typer.BadParameter(str(e).removeprefix("--as-of ")) from None
    return value


AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        callback=_valid_as_of,
        help="Answer as the market stood on this day: YYYY-MM-DD, or YYYY-MM / YYYY (the end of that month or year).",
    ),
]
Format = Annotated[str, typer.Option("--format", help="table, csv or json (json and csv carry whole evidence).")]
Evidence = Annotated[
    bool, typer.Option("--evidence", help="Print each row's whole evidence and sources under the table.")
]
_DEFAULT = Path(os.environ.get("LABELGRAPH_STORE", "labelgraph-store"))
_HIDDEN = {"basis", "measure", "sources"}  # fact IRIs; the measure is in the title; sources: --evidence
#: Evidence in a table is cut to this many characters (whole with --evidence or --format json).
_SHORT_EVIDENCE = 60
#: The evidence column is at least this wide, else evidence is printed under the table.
_EVIDENCE_MIN = 28
#: Short columns wrap (at spaces) no narrower than this.
_SHORT_MIN = 8
#: A single word up to this long is never folded inside a short column.
_WORD_MAX = 24
_CELL = 120


def _cell(value: object) -> str:
    text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    return text[:_CELL] + ("…" if len(text) > _CELL else "")


def _money(value: object, unit: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if unit == "facts":
        return f"{value:g} fact" + ("" if value == 1 else "s")
    return f"${value:,.0f}M" if unit == "USD M" else f"{value:g}"


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns a table shows: weight with its unit, no empty columns, no start dates
    (in ``--format json``), depth only for a transitive answer."""
    shown = frame.drop(columns=[c for c in frame.columns if c in _HIDDEN])
    if "weight" in shown and "unit" in shown:
        shown["weight"] = [_money(w, u) for w, u in zip(shown["weight"], shown["unit"], strict=True)]
        shown = shown.drop(columns=["unit", *(["since"] if "since" in shown else [])])
    if "history" in shown and "status" in shown:  # the status as of then is the history's last step
        shown = shown.drop(columns="status")
    if "depth" in shown and (shown["depth"] == 1).all():
        shown = shown.drop(columns="depth")
    empty = [c for c in shown.columns if c != "entity" and shown[c].map(lambda v: _cell(v) == "").all()]
    return shown.drop(columns=empty)


def _table(title: str, columns: list[str], rows: list[dict], numbered: bool, least: dict[str, int]) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    if numbered:
        table.add_column("#", justify="right", no_wrap=True)
    for column in columns:
        header = column.replace("_", " ")
        if column == "evidence":
            table.add_column(header, overflow="fold", min_width=_EVIDENCE_MIN, ratio=1)
        else:
            table.add_column(header, overflow="fold", min_width=least[column])
    for n, row in enumerate(rows, 1):
        table.add_row(*([str(n)] if numbered else []), *(row[c] for c in columns))
    return table


def _too_wide(table: Table, width: int) -> bool:
    """True when rich would crop ``table`` at ``width`` (its columns' minimum widths do not fit)."""
    console = Console(width=width, file=io.StringIO())
    widths = table._calculate_column_widths(console, console.options.update_width(width - table._extra_width))
    return sum(widths) + table._extra_width > width


def _tables(frame: pd.DataFrame, title: str, width: int) -> list:
    """The answer as one table no wider than ``width``. A value that cannot wrap (a relation
    name, a date) stays whole where that fits; the (shortened) evidence gets a column of at
    least ``_EVIDENCE_MIN`` characters, else a numbered line under the table; when even the
    short columns do not fit, the last ones go under the table too (nothing is cut off)."""
    shown = _compact(frame) if not frame.empty else frame.drop(columns=[c for c in frame if c in _HIDDEN])
    rows = [{c: _cell(row[c]) for c in shown.columns} for _, row in shown.iterrows()]
    natural = {c: max([len(c)] + [cell_len(r[c]) for r in rows]) for c in shown.columns}
    least = {}
    for column in shown.columns:
        least[column] = min(_SHORT_MIN, max(map(len, column.replace("_", " ").split())), natural[column])
        words = [w for r in rows for w in r[column].split()]
        if words and column != "evidence":
            least[column] = max(least[column], min(_WORD_MAX, max(map(len, words))))
    columns = [c for c in shown.columns if c != "evidence"]
    under = []
    if "evidence" in shown:
        columns.append("evidence")
    while True:
        numbered = bool(under) and any(r[c] for r in rows for c in under)
        table = _table(title, columns, rows, numbered, least)
        needed = sum(natural[c] for c in columns) + (len(str(len(rows))) if numbered else 0) + table._extra_width
        if len(columns) <= 2 or needed <= width or not _too_wide(table, width):  # measuring every cell is slow
            break
        moved = "evidence" if "evidence" in columns else columns[-1]
        columns.remove(moved)
        under.insert(0, moved) if moved != "evidence" else under.append(moved)
    if not under:
        return [table]
    notes = []
    for n, r in enumerate(rows, 1):
        parts = [(c, r[c]) for c in under if r[c]]
        if not parts:
            continue
        note = Text(f"{n}. ")
        for c, value in parts:
            if c != "evidence" or len(parts) > 1:
                note.append(f"{c.replace('_', ' ')}: ", style="bold")
            note.append(f"{value}  ")
        notes.append(note)
    return [table, *notes]


def _graph(store: Path):
    from graph.analytics.saved import fact_projection
    from graph.errors import StoreError
    from graph.facts.update import facts_missing
    from graph.storage.store import Store

    if not store.exists():
        _err.print(f"[bold red]error:[/] no store at {store}; run `labelgraph build` first or pass --store")
        raise typer.Exit(3)
    try:
        with Store(store, read_only=True) as opened:
            if facts_missing(opened):
                _err.print(
                    f"[bold red]error:[/] the store {store} has no facts yet; run `labelgraph build` on it again"
                )
                raise typer.Exit(3)
            return fact_projection(opened)  # the one saved at build time while it is current
    except StoreError as e:
        _err.print(f"[bold red]error:[/] {e}")
        raise typer.Exit(3) from None


def _short(text: object) -> object:
    if not isinstance(text, str) or len(text) <= _SHORT_EVIDENCE:
        return text
    return text[: _SHORT_EVIDENCE - 1].rstrip() + "…"


def _show(frame: pd.DataFrame, fmt: str, title: str, store: Path, evidence: bool = False) -> None:
    if fmt == "csv":
        _out.file.write(frame.to_csv(index=False))
        return
    if fmt == "json":
        _out.file.write(frame.to_json(orient="records", force_ascii=False, indent=1) + "\n")
        return
    shown = frame.copy()
    if "evidence" in shown:
        shown["evidence"] = shown["evidence"].map(_short)
    if evidence and not frame.empty:
        shown = shown.drop(columns="evidence", errors="ignore")
        shown.insert(0, "#", range(1, len(shown) + 1))
    for part in _tables(shown, title, _out.width):
        _out.print(part)
    if evidence:
        for n, (_, row) in enumerate(frame.iterrows(), 1):
            note = Text(f"{n}. ")
            for column in ("evidence", "sources"):
                if column in frame and isinstance(row[column], str) and row[column]:
                    note.append(f"{column}: ", style="bold").append(f"{row[column]}  ")
            _out.print(note)
    if frame.empty:
        _err.print(f"no answer in the graph of the store {store} (is it the store you built? pass --store)")


def _run(
    question: Callable[..., pd.DataFrame], store: Path, fmt: str, title: str, *args, evidence: bool = False, **kw
) -> None:
    if fmt not in ("table", "csv", "json"):
        _err.print(f"[bold red]error:[/] unknown format {fmt!r}; use table, csv or json")
        raise typer.Exit(2)
    g = _graph(store)
    try:
        frame = question(g, *args, **kw)
    except (LookupError, ValueError) as e:
        _err.print(f"[bold red]error:[/] {e.args[0]}")
        raise typer.Exit(2) from None
    _show(frame, fmt, title, store, evidence)


@ask_app.command("dependents")
def dependents_cmd(
    entity: str,
    store: StoreOption = _DEFAULT,
    as_of: AsOf = None,
    fmt: Format = "table",
    evidence: Evidence = False,
    direct: Annotated[bool, typer.Option("--direct", help="Only direct dependents.")] = False,
) -> None:
    """Who depends on ENTITY (its clients, investees and vendors), directly and transitively."""
    from graph.analytics.questions import dependents

    _run(
        dependents,
        store,
        fmt,
        f"Who depends on {entity}",
        entity,
        as_of=as_of,
        transitive=not direct,
        evidence=evidence,
    )


@ask_app.command("dependencies")
def dependencies_cmd(
    entity: str,
    store: StoreOption = _DEFAULT,
    as_of: AsOf = None,
    fmt: Format = "table",
    evidence: Evidence = False,
    direct: Annotated[bool, typer.Option("--direct", help="Only direct dependencies.")] = False,
) -> None:
    """What ENTITY depends on: its vendors, clients and investors."""
    from graph.analytics.questions import dependencies

    _run(
        dependencies,
        store,
        fmt,
        f"What {entity} depends on",
        entity,
        as_of=as_of,
        transitive=not direct,
        evidence=evidence,
    )


@ask_app.command("path")
def path_cmd(
    a: str, b: str, store: StoreOption = _DEFAULT, as_of: AsOf = None, fmt: Format = "table", evidence: Evidence = False
) -> None:
    """The shortest explained connection between A and B."""
    from graph.analytics.questions import path

    _run(path, store, fmt, f"How {a} connects to {b}", a, b, as_of=as_of, evidence=evidence)


@ask_app.command("exposure")
def exposure_cmd(
    entity: str, store: StoreOption = _DEFAULT, as_of: AsOf = None, fmt: Format = "table", evidence: Evidence = False
) -> None:
    """Who loses a supplier, client or investor if ENTITY leaves or changes sides, ranked."""
    from graph.analytics.questions import exposure

    _run(exposure, store, fmt, f"Exposure to {entity}", entity, as_of=as_of, evidence=evidence)


@ask_app.command("critical")
def critical_cmd(
    store: StoreOption = _DEFAULT,
    as_of: AsOf = None,
    fmt: Format = "table",
    evidence: Evidence = False,
    top: Annotated[int, typer.Option("--top", min=1)] = 20,
) -> None:
    """Entities ranked by how much of the market's dependency flows through them."""
    from graph.analytics.questions import critical

    _run(
        critical,
        store,
        fmt,
        "Critical entities (betweenness on the dependency graph)",
        as_of=as_of,
        top=top,
        evidence=evidence,
    )


@ask_app.command("timeline")
def timeline_cmd(
    entity: str, store: StoreOption = _DEFAULT, as_of: AsOf = None, fmt: Format = "table", evidence: Evidence = False
) -> None:
    """ENTITY's facts in date order, each with its status history (planned > completed > ended)."""
    from graph.analytics.questions import timeline

    _run(timeline, store, fmt, f"Timeline of {entity}", entity, as_of=as_of, evidence=evidence)


@ask_app.command("talent")
def talent_cmd(
    store: StoreOption = _DEFAULT, as_of: AsOf = None, fmt: Format = "table", evidence: Evidence = False
) -> None:
    """People moving between organizations."""
    from graph.analytics.questions import talent

    _run(talent, store, fmt, "Talent flows", as_of=as_of, evidence=evidence)


@ask_app.command("rivals")
def rivals_cmd(
    entity: str, store: StoreOption = _DEFAULT, as_of: AsOf = None, fmt: Format = "table", evidence: Evidence = False
) -> None:
    """ENTITY's competitors and the clients they share."""
    from graph.analytics.questions import rivals

    _run(rivals, store, fmt, f"Rivals of {entity}", entity, as_of=as_of, evidence=evidence)
