"""Dates in text, normalized to ISO prefixes (``2025``, ``2025-06``, ``2025-06-14``).

Absolute dates ("June 12, 2025", "in 2024") stand on their own. Relative ones ("in
June", "last year", "on Monday") are resolved against the article's publication date
and give ``None`` without one: a guessed year is worse than none. The precision of the
result is the precision of the text: a quarter gives a year, "recently" gives a year.

Examples
--------
>>> normalize_date("in June", "2025-08-30")
'2025-06'
>>> normalize_date("in November", "2025-08-30")
'2024-11'
>>> [expr for expr, _, _ in find_dates("Founded in 2016, it was valued in June 2024 and again this year.")]
['in 2016', 'June 2024', 'this year']
"""

from __future__ import annotations

import functools
import re
from datetime import date, timedelta
from email.utils import parsedate_to_datetime

__all__ = ["ABSOLUTE", "ANAPHORIC", "RELATIVE", "anaphoric_date", "find_dates", "normalize_date", "parse_published"]

_MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
         ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for name in names
}  # fmt: skip
_WEEKDAYS = {name: i for i, name in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                              "sunday"])}  # fmt: skip
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18}  # fmt: skip

# Month names are matched with their capital ("May", not the verb "may").
_MONTH = (
    r"(?-i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_WEEKDAY = r"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:19[89]\d|20[0-4]\d)"
_MM = r"(?:0[1-9]|1[0-2])"
_DD = r"(?:0[1-9]|[12]\d|3[01])"
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"

#: Dates that need no publication date: "June 12, 2025", "12 June 2025", "June 2025",
#: "2025-06-12", "2025/06/12", "2025-06".
ABSOLUTE = re.compile(
    rf"(?<![\w-])(?:{_MONTH}\.?\s+{_ORDINAL},?\s+{_YEAR}"
    rf"|{_ORDINAL}\s+(?:of\s+)?{_MONTH}\.?,?\s+{_YEAR}"
    rf"|{_MONTH}\.?,?\s+{_YEAR}"
    rf"|{_YEAR}[-/]{_MM}[-/]{_DD}"
    rf"|{_YEAR}-{_MM})(?![\w-])"
)
#: Expressions resolved against the publication date: "in 2024", "in Q2 2025", "in June",
#: "on June 12", "last year", "earlier this year", "six months ago", "recently", "on Monday".
RELATIVE = re.compile(
    rf"\b(?:(?:(?:in|since|during|by|until|before|after|from)\s+)?{_MONTH}\.?\s+(?:this|last|next)\s+year"
    rf"|(?:(?:in|since|during|by|from|until|before|after|of|throughout|fiscal)\s+(?:(?:early|late|mid)[\s-]+)?"
    rf"(?:q[1-4]\s+|h[12]\s+)?|(?:early|late|mid)[\s-]+|(?:q[1-4]|h[12])\s+){_YEAR}(?![,.]?\d|-\d)"
    rf"|(?:(?:in|on|since|during|by|until|before|after|from|last|this|next)\s+(?:(?:early|late|mid)[\s-]+)?"
    rf"|(?:early|late|mid)[\s-]+){_MONTH}\.?(?:\s+{_ORDINAL}\b)?(?!\.?,?\s*\d)"
    rf"|{_MONTH}\.?\s+{_ORDINAL}\b(?!,?\s*\d)"
    r"|(?:earlier|later)\s+this\s+(?:year|month|week)"
    r"|(?:this|last|next)\s+(?:year|month|week|quarter)"
    r"|(?:by\s+)?the\s+end\s+of\s+(?:the|this)\s+year"
    rf"|(?:in\s+)?(?:the\s+)?(?:first|second|third|fourth)\s+(?:quarter|half)(?:\s+of\s+(?:(?:the|this)\s+year|{_YEAR}))?"
    r"|(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|several|a\s+few|few|many)"
    r"\s+(?:years?|months?|weeks?|days?)\s+ago"
    r"|(?:years|months|weeks|days)\s+ago"
    r"|in\s+recent\s+(?:weeks|months)|recently|yesterday|today"
    rf"|(?:(?:on|last|next|this)\s+)?{_WEEKDAY})\b",
    re.IGNORECASE,
)
_ABSOLUTE_ANY_CASE = re.compile(ABSOLUTE.pattern.replace("(?-i:", "(?:"), re.IGNORECASE)
_ISO_DATE = re.compile(rf"({_YEAR})[-/]({_MM})[-/]({_DD})")
_ISO_MONTH = re.compile(rf"({_YEAR})-({_MM})")
_YEAR_IN = re.compile(rf"(?<!\d){_YEAR}(?!\d)")
_MONTH_WORD = re.compile(r"[a-z]+")
_DAY = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?(?!\d)")
_AGO = re.compile(r"(\d+|[a-z]+)\s+(year|month|week|day)s?\s+ago")


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _parts(published: str | None) -> tuple[int | None, int | None, int | None]:
    """Year, month and day of an ISO prefix (missing parts are ``None``)."""
    m = re.match(rf"\s*({_YEAR})(?:-({_MM})(?:-({_DD}))?)?", published or "")
    if not m:
        return None, None, None
    year, month, day = (int(g) if g else None for g in m.groups())
    return year, month, day


def _month_of(text: str) -> int | None:
    return next((_MONTHS[w] for w in _MONTH_WORD.findall(text) if w in _MONTHS), None)


def _absolute(expr: str) -> str | None:
    """An ISO prefix for a date that names its year ("June 12, 2025", "2025-06")."""
    m = _ISO_DATE.search(expr)
    if m:
        found = _date(*(int(g) for g in m.groups()))
        return found.isoformat() if found else None
    m = _ABSOLUTE_ANY_CASE.search(expr)
    if not m:
        return None
    text = m.group(0).lower()
    iso = _ISO_MONTH.fullmatch(text)
    if iso:
        return f"{iso.group(1)}-{iso.group(2)}"
    year = int(_YEAR_IN.search(text).group(0))
    month = _month_of(text)
    if month is None:
        return None
    day = _DAY.search(_YEAR_IN.sub(" ", text))
    if day and _date(year, month, int(day.group(1))):
        return f"{year:04d}-{month:02d}-{int(day.group(1)):02d}"
    return f"{year:04d}-{month:02d}"


def _shift_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _ago(low: str, year: int, month: int | None, day: int | None) -> str | None:
    m = _AGO.search(low)
    unit = m.group(2) if m else re.search(r"(year|month|week|day)s?\s+ago", low).group(1)
    word = m.group(1) if m else ""
    count = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
    if count is None:  # "months ago", "several weeks ago": only the year is honest
        return None if unit == "year" else str(year)
    if unit == "year":
        return str(year - count)
    if unit == "month":
        if month is None:
            return None
        y, mo = _shift_months(year, month, -count)
        return f"{y:04d}-{mo:02d}"
    if month is None or day is None:
        return None
    when = date(year, month, day) - timedelta(days=count * (7 if unit == "week" else 1))
    return when.isoformat() if unit == "day" else when.isoformat()[:7]


def _weekday(low: str, published: date) -> str:
    target = next(_WEEKDAYS[w] for w in _WEEKDAYS if w in low)
    if low.startswith("next"):
        delta = (target - published.weekday()) % 7 or 7
        return (published + timedelta(days=delta)).isoformat()
    delta = (published.weekday() - target) % 7
    if low.startswith("last") and delta == 0:
        delta = 7
    return (published - timedelta(days=delta)).isoformat()


def _named_month(low: str, named: int, year: int, month: int | None, day: int | None, forward: bool = False) -> str:
    target_year = year
    if month is not None:
        if forward and not low.startswith(("last", "this")):  # a plan: "will step down in June"
            target_year = year if named >= month else year + 1
        elif low.startswith("next"):
            target_year = year if named > month else year + 1
        elif low.startswith(("by", "until")):  # a deadline ("by March") points forward
            target_year = year if named >= month else year + 1
        elif low.startswith("last"):
            target_year = year if named < month else year - 1
        elif not low.startswith("this") and named > month:
            target_year = year - 1
    words = _MONTH_WORD.sub(" ", low)
    day_match = _DAY.search(words)
    if day_match and _date(target_year, named, int(day_match.group(1))):
        return f"{target_year:04d}-{named:02d}-{int(day_match.group(1)):02d}"
    return f"{target_year:04d}-{named:02d}"


def _relative(low: str, year: int, month: int | None, day: int | None, forward: bool = False) -> str | None:
    """The ISO prefix of a relative expression (no year in it) given the publication date."""
    full = _date(year, month, day) if month and day else None
    if re.search(r"\bago\b", low):
        return _ago(low, year, month, day)
    if "recent" in low:
        return str(year)
    if "quarter" in low or "half" in low:
        if low.startswith("last") and month is not None:
            return str(_shift_months(year, month, -3)[0])
        return str(year + 1) if low.startswith("next") else str(year)
    named = _month_of(low)
    which = re.search(r"\b(this|last|next) year\b", low)
    if named is not None and which:  # "in May this year", "March last year"
        shift = {"this": 0, "last": -1, "next": 1}[which.group(1)]
        return f"{year + shift:04d}-{named:02d}"
    if re.search(r"\byear\b", low):
        if low.startswith("last"):
            return str(year - 1)
        return str(year + 1) if low.startswith("next") else str(year)
    if re.search(r"\bmonth\b", low):
        if month is None:
            return None
        delta = -1 if low.startswith("last") else 1 if low.startswith("next") else 0
        y, mo = _shift_months(year, month, delta)
        return f"{y:04d}-{mo:02d}"
    if re.search(r"\bweek\b", low):
        if full is None:  # a month-only publication: the week most likely falls in it
            return f"{year:04d}-{month:02d}" if month and not low.startswith("next") else None
        delta = -7 if low.startswith("last") else 7 if low.startswith("next") else 0
        return (full + timedelta(days=delta)).isoformat()[:7]
    if low in ("today", "yesterday"):
        if full is None:
            return None
        return (full - timedelta(days=1 if low == "yesterday" else 0)).isoformat()
    if any(w in low for w in _WEEKDAYS):
        return _weekday(low, full) if full else None
    if named is not None:
        return _named_month(low, named, year, month, day, forward)
    return None


def normalize_date(expr: str, published: str | None, *, forward: bool = False) -> str | None:
    """Resolve a date expression to an ISO prefix.

    Parameters
    ----------
    expr : str
        A date expression as found in text ("in June", "June 12, 2025", "last year").
    published : str or None
        The publication date as an ISO prefix (``2025``, ``2025-06`` or ``2025-06-14``).
    forward : bool
        The expression dates a plan ("will step down in June"): a month alone is the next
        such month, not the last.

    Returns
    -------
    str or None
        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``None`` when the expression is relative and
        the publication date is unknown (or too coarse for it).

    Notes
    -----
    A month alone is the latest such month not after publication ("in November" in an
    article of August 2025 is November 2024). A weekday ("on Monday") is the latest such day
    on or before publication. Quarters, "recently", "months ago" and "earlier this year" give
    only a year.

    Examples
    --------
    >>> normalize_date("12 June 2025", None)
    '2025-06-12'
    >>> normalize_date("last year", "2025-06-14")
    '2024'
    >>> normalize_date("last month", "2025-01-10")
    '2024-12'
    >>> normalize_date("on Monday", "2025-06-19")
    '2025-06-16'
    >>> normalize_date("in Q2 2025", None)
    '2025'
    >>> normalize_date("this year", None) is None
    True
    >>> normalize_date("in May this year", "2024-09-10")
    '2024-05'
    >>> normalize_date("last week", "2024-05")
    '2024-05'
    >>> normalize_date("by March", "2024-02-05")
    '2024-03'
    >>> normalize_date("in June", "2025-03-04"), normalize_date("in June", "2025-03-04", forward=True)
    ('2024-06', '2025-06')
    """
    absolute = _absolute(expr)
    if absolute:
        return absolute
    low = " ".join(expr.lower().split())
    explicit_year = _YEAR_IN.search(low)
    if explicit_year and "ago" not in low:
        return explicit_year.group(0)
    year, month, day = _parts(published)
    if year is None:
        return None
    return _relative(low, year, month, day, forward)


def find_dates(text: str) -> list[tuple[str, int, int]]:
    """Find date expressions in text.

    Parameters
    ----------
    text : str
        Any text, such as one sentence.

    Returns
    -------
    list of (str, int, int)
        Each expression with its start and end offsets, in order; absolute dates win over
        relative expressions that overlap them.

    Examples
    --------
    >>> find_dates("Scale was valued at $13.8 billion in May 2024.")
    [('May 2024', 37, 45)]
    >>> [e for e, _, _ in find_dates("OpenAI said on Wednesday it had cut work months ago.")]
    ['on Wednesday', 'months ago']
    >>> find_dates("Regulators may 2x their scrutiny.")
    []
    """
    return list(_dates_in(text))


@functools.lru_cache(maxsize=4096)
def _dates_in(text: str) -> tuple[tuple[str, int, int], ...]:
    """What :func:`find_dates` finds, kept for the latest texts searched: several rules
    search the same clause of a sentence."""
    found = [(m.group(0), m.start(), m.end()) for m in ABSOLUTE.finditer(text)]
    for m in RELATIVE.finditer(text):
        if not any(s < m.end() and m.start() < e for _, s, e in found):
            found.append((m.group(0), m.start(), m.end()))
    return tuple(sorted(found, key=lambda f: f[1]))


def parse_published(value: str) -> str | None:
    """Read a publication date from metadata.

    Parameters
    ----------
    value : str
        An ISO date or datetime, an RFC 2822 date (RSS), or a written date ("Sep 2, 2025").

    Returns
    -------
    str or None
        The date as an ISO prefix; ``None`` when no date can be read. A datetime keeps the
        calendar date it states (its own time zone).

    Examples
    --------
    >>> parse_published("2025-07-18T09:00:00Z")
    '2025-07-18'
    >>> parse_published("Tue, 02 Sep 2025 10:00:00 +0000")
    '2025-09-02'
    >>> parse_published("SEPTEMBER 2, 2025")
    '2025-09-02'
    >>> parse_published("soon") is None
    True
    """
    value = " ".join((value or "").split())
    if not value:
        return None
    m = _ISO_DATE.match(value)
    if m:
        found = _date(*(int(g) for g in m.groups()))
        return found.isoformat() if found else None
    if re.fullmatch(rf"{_YEAR}(?:-{_MM})?", value):
        return value
    found_text = _absolute(value)
    if found_text:
        return found_text
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


#: Times given by reference to a time already stated: "that same year", "later that month",
#: "two weeks after that decision", "three months later".
ANAPHORIC = re.compile(
    r"\b(?:later\s+)?(?:that\s+same|the\s+same|that)\s+(?P<unit>year|month)\b(?!'s)"
    r"|\b(?P<count>\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+few)\s+"
    r"(?P<step>days?|weeks?|months?)\s+(?:after\s+(?:that|this|the)\b|later\b)",
    re.IGNORECASE,
)


def anaphoric_date(text: str, antecedent: str | None) -> str | None:
    """The time an anaphoric expression in ``text`` gives, from the time it refers back to.

    ``antecedent`` is the ISO prefix of the latest time stated before ``text``. The answer is
    never more precise than what is certain: two weeks after a month may fall in the next
    month, so only the year is given (and nothing when the year itself could change).

    >>> anaphoric_date("That same year, she left the company.", "2018")
    '2018'
    >>> anaphoric_date("Later that month it signed a deal.", "2024-03-10")
    '2024-03'
    >>> anaphoric_date("Two weeks after that decision, the CEO left.", "2024-01")
    '2024'
    >>> anaphoric_date("Two weeks after that decision, the CEO left.", "2024-01-05")
    '2024-01'
    >>> anaphoric_date("Three months later it was sold.", "2023-11")
    '2024-02'
    >>> anaphoric_date("That month it was sold.", "2023") is None
    True
    """
    found = ANAPHORIC.search(text)
    if found is None or antecedent is None:
        return None
    year, month, day = _parts(antecedent)
    if year is None:
        return None
    if found.group("unit"):
        if found.group("unit").lower() == "year":
            return str(year)
        return f"{year:04d}-{month:02d}" if month else None
    count = found.group("count").lower()
    n = int(count) if count.isdigit() else _NUMBER_WORDS.get(count.split()[-1], 2 if "few" in count else 1)
    step = found.group("step").lower().rstrip("s")
    if month is None:
        return None
    if step == "month":
        y, mo = _shift_months(year, month, n)
        return f"{y:04d}-{mo:02d}"
    days = n * (7 if step == "week" else 1)
    if day is not None:
        return (date(year, month, day) + timedelta(days=days)).isoformat()[:7]
    months_ahead = -(-days // 28)  # the latest month it may fall in
    return str(year) if _shift_months(year, month, months_ahead)[0] == year else None
