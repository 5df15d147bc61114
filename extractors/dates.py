"""Dates in text, normalized to ISO prefixes (``2025``, ``2025-06``, ``2025-06-14``).

Relative expressions ("in June", "this year", "last year", "months ago") are resolved
against the publication date; without one they give nothing, except absolute dates.

>>> normalize_date("in June", "2025-08-30")
'2025-06'
>>> normalize_date("in November", "2025-08-30")
'2024-11'
>>> normalize_date("last year", "2025-06-14")
'2024'
>>> normalize_date("this year", None) is None
True
>>> [e for e, _, _ in find_dates("Founded in 2016, it was valued in June 2024 and again this year.")]
['in 2016', 'June 2024', 'this year']
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from email.utils import parsedate_to_datetime

__all__ = ["find_dates", "normalize_date", "parse_published"]

_MONTHS = {
    name: i
    for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
         ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"  # noqa: E501
_YEAR = r"(?:19[89]\d|20[0-4]\d)"
#: "June 12, 2025", "12 June 2025", "June 2025", "2025-06-12".
ABSOLUTE = re.compile(
    rf"\b(?:{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR}|\d{{1,2}}\s+{_MONTH}\.?,?\s+{_YEAR}"
    rf"|{_MONTH}\.?,?\s+{_YEAR}|{_YEAR}-\d{{2}}-\d{{2}}|{_YEAR}-\d{{2}})\b",
    re.IGNORECASE,
)
#: "in 2024", "since 2016", "in Q2 2025", "in June", "last year", "months ago"...
RELATIVE = re.compile(
    rf"\b(?:(?:in|since|during|by|from|early|late|mid|of)\s+(?:q[1-4]\s+)?{_YEAR}(?![\d,.-]\d)"
    rf"|(?:in|since|during|by|early|late|mid|last|this|next)[\s-]+{_MONTH}(?!\s*\d)"
    r"|(?:this|last|next|a)\s+year(?:\s+ago)?|earlier\s+this\s+year|last\s+month|this\s+month"
    r"|(?:several|a\s+few|few|two|three|six|many|\d+)\s+months\s+ago|months\s+ago|a\s+year\s+ago"
    r"|yesterday|today)\b",
    re.IGNORECASE,
)


def _parts(published: str | None) -> tuple[int | None, int | None, int | None]:
    if not published:
        return None, None, None
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", published)
    if not m:
        return None, None, None
    return tuple(int(x) if x else None for x in m.groups())  # type: ignore[return-value]


def _absolute(expr: str) -> str | None:
    text = expr.lower().replace(",", " ").replace(".", " ")
    m = re.fullmatch(r"\s*(\d{4})-(\d{2})(?:-(\d{2}))?\s*", text)
    if m:
        return "-".join(g for g in m.groups() if g)
    words = text.split()
    year = next((int(w) for w in words if re.fullmatch(_YEAR, w)), None)
    month = next((_MONTHS[w.rstrip(".")] for w in words if w.rstrip(".") in _MONTHS), None)
    day = next((int(re.sub(r"\D", "", w)) for w in words if re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", w)), None)
    if year and month and day:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if year and month:
        return f"{year:04d}-{month:02d}"
    return None


def normalize_date(expr: str, published: str | None) -> str | None:
    """An ISO prefix for the date expression ``expr``, resolved against ``published``."""
    absolute = _absolute(expr)
    if absolute:
        return absolute
    low = expr.lower().strip()
    m = re.search(_YEAR, low)
    if m and not re.search(r"\bago\b", low):
        return m.group(0)
    year, month, day = _parts(published)
    if year is None:
        return None
    if "last year" in low or "a year ago" in low:
        return str(year - 1)
    if "next year" in low:
        return str(year + 1)
    if "this year" in low or "months ago" in low:
        return str(year)
    if "last month" in low:
        if month is None:
            return None
        return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
    if "this month" in low:
        return f"{year}-{month:02d}" if month else None
    if low in ("today", "yesterday"):
        if month is None or day is None:
            return None
        when = date(year, month, day) - timedelta(days=1 if low == "yesterday" else 0)
        return when.isoformat()
    named = next((_MONTHS[w] for w in re.findall(r"[a-z]+", low) if w in _MONTHS), None)
    if named is not None:
        target_year = year
        if low.startswith("next"):
            target_year = year + 1 if month and named <= month else year
        elif month is not None and named > month:
            target_year = year - 1
        return f"{target_year}-{named:02d}"
    return None


def find_dates(text: str) -> list[tuple[str, int, int]]:
    """Date expressions in ``text`` as (expression, start, end), in order."""
    found = [(m.group(0), m.start(), m.end()) for m in ABSOLUTE.finditer(text)]
    for m in RELATIVE.finditer(text):
        if not any(s <= m.start() < e or m.start() <= s < m.end() for _, s, e in found):
            found.append((m.group(0), m.start(), m.end()))
    return sorted(found, key=lambda f: f[1])


def parse_published(value: str) -> str | None:
    """A publication date from metadata (ISO datetime, RFC 2822, "Sep 2, 2025").

    >>> parse_published("2025-07-18T09:00:00Z")
    '2025-07-18'
    >>> parse_published("Tue, 02 Sep 2025 10:00:00 +0000")
    '2025-09-02'
    """
    value = (value or "").strip()
    if not value:
        return None
    m = re.match(r"(\d{4}-\d{2}-\d{2})", value)
    if m:
        return m.group(1)
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    found = ABSOLUTE.search(value)
    return _absolute(found.group(0)) if found else None
