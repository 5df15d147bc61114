"""Dates as intervals: ``2025`` is the whole year, ``2025-06`` the month, ``2025-06-14`` a day.

>>> interval("2025-02")
Interval(lo='2025-02-01', hi='2025-02-28')
>>> holds(interval("2025"), None, "2024-12-31"), holds(interval("2025"), None, "2025-03-01")
('no', 'uncertain')
>>> holds(interval("2024"), interval("2025-06"), "2025-07-01")
'no'
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

__all__ = ["AS_OF", "Interval", "as_of_day", "holds", "interval", "merge", "show"]

#: What ``--as-of`` accepts.
AS_OF = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True, order=True)
class Interval:
    """A closed interval of days, both ends ISO ``YYYY-MM-DD``."""

    lo: str
    hi: str

    def contains(self, day: str) -> bool:
        return self.lo <= day <= self.hi


def interval(date: str | None) -> Interval | None:
    """The days an ISO prefix (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) or ``lo/hi`` spans;
    ``None`` for no date or one that is not a valid calendar date."""
    if not date:
        return None
    if "/" in date:
        lo, _, hi = date.partition("/")
        a, b = interval(lo), interval(hi)
        return Interval(a.lo, b.hi) if a and b and a.lo <= b.hi else None
    m = AS_OF.fullmatch(date.strip())
    if not m:
        return None
    year, month, day = int(m[1]), m[2], m[3]
    if month is None:
        return Interval(f"{year:04d}-01-01", f"{year:04d}-12-31")
    mon = int(month)
    if not 1 <= mon <= 12:
        return None
    last = calendar.monthrange(year, mon)[1]
    if day is None:
        return Interval(f"{year:04d}-{mon:02d}-01", f"{year:04d}-{mon:02d}-{last:02d}")
    if not 1 <= int(day) <= last:
        return None
    text = f"{year:04d}-{mon:02d}-{int(day):02d}"
    return Interval(text, text)


def as_of_day(text: str) -> str:
    """The day an ``--as-of`` value names: a year or month means its last day (the market
    as it stood at the end of it). ``ValueError`` for anything but YYYY, YYYY-MM, YYYY-MM-DD.

    >>> as_of_day("2025-06"), as_of_day("2025")
    ('2025-06-30', '2025-12-31')
    """
    span = interval(text) if AS_OF.fullmatch(text or "") else None
    if span is None:
        raise ValueError(f"--as-of {text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return span.hi


def show(span: Interval | None) -> str | None:
    """An interval as the shortest ISO string: ``2025``, ``2025-06``, a day, or ``lo/hi``.

    >>> show(Interval("2025-01-01", "2025-12-31")), show(Interval("2025-01-01", "2025-06-14"))
    ('2025', '2025-01-01/2025-06-14')
    """
    if span is None:
        return None
    if span.lo == span.hi:
        return span.lo
    for prefix in (span.lo[:4], span.lo[:7]):
        whole = interval(prefix)
        if whole == span:
            return prefix
    return f"{span.lo}/{span.hi}"


def merge(spans: list[Interval]) -> Interval | None:
    """What several reports of one date say together: their intersection when they agree
    (``2025`` and ``2025-06`` give June), else the earliest of them."""
    if not spans:
        return None
    lo, hi = max(s.lo for s in spans), min(s.hi for s in spans)
    return Interval(lo, hi) if lo <= hi else min(spans)


def holds(start: Interval | None, end: Interval | None, day: str) -> str:
    """Whether something that started in ``start`` and ended in ``end`` held on ``day``:
    ``"yes"``, ``"no"`` or ``"uncertain"`` (``day`` falls inside the start or the end)."""
    if start is not None and day < start.lo:
        return "no"
    if end is not None and day > end.hi:
        return "no"
    if (start is not None and start.lo <= day < start.hi) or (end is not None and end.lo <= day):
        return "uncertain"
    return "yes"
