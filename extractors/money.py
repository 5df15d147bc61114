"""Money and percentages in text, normalized to numbers.

Only stated amounts are numbers: "$14.3B", "£700m", "14.3 billion dollars". Vague sizes
("hundreds of millions", "billions", "a multi-billion-dollar deal") are not returned.

Examples
--------
>>> [(m.amount, m.currency) for m in find_money("Meta paid $14.3B, not £700m.")]
[(14300000000.0, 'USD'), (700000000.0, 'GBP')]
>>> [p for p, _, _ in find_percent("a 35 per cent holding, then 12.5%")]
[35.0, 12.5]
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

__all__ = [
    "MONEY_RANGE",
    "MONEY_WITH_SYMBOL",
    "MONEY_WITH_WORD",
    "PERCENT_NUMBER",
    "PERCENT_WORDS",
    "Money",
    "find_money",
    "find_percent",
    "parse_money",
    "parse_percent",
    "usd_equivalent",
]

_SCALE = {
    "k": 1e3, "thousand": 1e3,
    "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6, "millions": 1e6,
    "b": 1e9, "bn": 1e9, "bln": 1e9, "billion": 1e9, "billions": 1e9,
    "t": 1e12, "tn": 1e12, "trillion": 1e12,
}  # fmt: skip
_SYMBOLS = {
    "$": "USD", "us$": "USD", "$us": "USD", "usd": "USD", "a$": "AUD", "$a": "AUD", "aud": "AUD",
    "c$": "CAD", "$c": "CAD", "cad": "CAD",
    "hk$": "HKD", "s$": "SGD", "nz$": "NZD", "£": "GBP", "gbp": "GBP", "€": "EUR", "eur": "EUR",
    "¥": "JPY", "jpy": "JPY", "cn¥": "CNY", "rmb": "CNY", "cny": "CNY", "₹": "INR", "inr": "INR",
}  # fmt: skip
_WORDS = {
    "dollar": "USD", "dollars": "USD", "pound": "GBP", "pounds": "GBP", "euro": "EUR", "euros": "EUR",
    "yen": "JPY", "yuan": "CNY", "rupee": "INR", "rupees": "INR",
}  # fmt: skip
_DOLLAR_COUNTRIES = {"us": "USD", "u.s.": "USD", "american": "USD", "australian": "AUD", "canadian": "CAD",
                     "singapore": "SGD", "hong kong": "HKD", "new zealand": "NZD"}  # fmt: skip

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE_WORD = r"thousand|millions?|billions?|trillion|mln|bln|mn|bn|tn|[kmbt]"
_CURRENCY_SIGN = r"US\s?\$|\$US|\$A|\$C|A\$|C\$|HK\$|S\$|NZ\$|CN¥|USD|AUD|CAD|GBP|EUR|JPY|CNY|INR|RMB|\$|£|€|¥|₹"

#: An amount after a currency sign or code: "$14.3 billion", "US$ 2bn", "£700m", "€1.2 billion".
MONEY_WITH_SYMBOL = re.compile(
    rf"(?<![\w$])(?P<cur>{_CURRENCY_SIGN})\s?(?P<num>{_NUMBER})(?:\s?(?P<scale>{_SCALE_WORD})\b)?",
    re.IGNORECASE,
)
#: A range whose first end borrows the scale of the second: "$64 to $72 billion", "$64-72 billion".
MONEY_RANGE = re.compile(
    rf"(?P<between>\bbetween\s+)?(?<![\w$])(?P<cur>{_CURRENCY_SIGN})\s?(?P<num1>{_NUMBER})\s*(?P<sep>-|–|—|to|and)\s*"
    rf"(?P<second>(?:(?P=cur)\s?)?(?P<num2>{_NUMBER})\s?(?P<scale>{_SCALE_WORD})\b)",
    re.IGNORECASE,
)
#: An amount followed by a currency word or code: "14.3 billion dollars", "700 million pounds",
#: "2 billion Australian dollars", "5 million USD".
MONEY_WITH_WORD = re.compile(
    rf"(?<![\w$£€¥₹.,])(?P<num>{_NUMBER})\s?(?P<scale>{_SCALE_WORD})\s+"
    r"(?:(?P<country>US|U\.S\.|American|Australian|Canadian|Singapore|Hong\s+Kong|New\s+Zealand)\s+)?"
    r"(?P<word>dollars?|pounds?|euros?|yen|yuan|rupees?|USD|AUD|CAD|GBP|EUR|JPY|CNY|INR)\b",
    re.IGNORECASE,
)

_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_WORD_VALUES = {w: i for i, w in enumerate(_UNITS, 1)} | {w: i for i, w in enumerate(_TEENS, 10)} | _TENS
_PERCENT_SIGN = r"(?:\s?%|\s?-?\s?per\s?-?\s?cent\b|\s?-?\s?pct\b\.?)"
#: A number with a percent sign or word: "49%", "49 %", "49 per cent", "49 percent", "49-percent".
PERCENT_NUMBER = re.compile(rf"(?<![\w.,])(?P<num>{_NUMBER}){_PERCENT_SIGN}", re.IGNORECASE)
#: A percentage in words from one to ninety-nine: "forty-nine percent", "twelve per cent".
PERCENT_WORDS = re.compile(
    rf"\b(?P<words>(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_UNITS)}))?|{'|'.join(_TEENS + _UNITS)})"
    rf"{_PERCENT_SIGN}",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Money:
    """An amount of money found in text.

    Attributes
    ----------
    amount : float
        The number, scale applied (``14.3e9`` for "$14.3 billion").
    currency : str
        ISO 4217 code (``USD``, ``GBP``, ``EUR``, …).
    text : str
        The matched text.
    start, end : int
        Offsets of ``text`` in the text searched.
    """

    amount: float
    currency: str
    text: str
    start: int
    end: int


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _scale(word: str | None) -> float:
    return _SCALE.get((word or "").lower(), 1.0)


def _currency_of_word(country: str | None, word: str) -> str:
    word = word.lower()
    if word.startswith("dollar") and country:
        return _DOLLAR_COUNTRIES[" ".join(country.lower().split())]
    return _WORDS.get(word) or _SYMBOLS[word]


def _sign(sign: str) -> str:
    """The ISO code of a currency sign ("US $" and "US$" alike)."""
    return _SYMBOLS["".join(sign.lower().split())]


def find_money(text: str) -> list[Money]:
    """Find amounts of money in text.

    Parameters
    ----------
    text : str
        Any text, such as one sentence.

    Returns
    -------
    list of Money
        The amounts in order of appearance. A range gives both ends.

    Examples
    --------
    >>> [m.amount for m in find_money("annual revenue of $35 billion to $41 billion")]
    [35000000000.0, 41000000000.0]
    >>> [m.amount for m in find_money("between $35 and $41 billion")]
    [35000000000.0, 41000000000.0]
    >>> find_money("hundreds of millions of dollars in a multi-billion-dollar market")
    []
    """
    return list(_money_in(text))


@functools.lru_cache(maxsize=4096)
def _money_in(text: str) -> tuple[Money, ...]:
    """What :func:`find_money` finds, kept for the latest texts searched: several rules
    search the same clause of a sentence."""
    found: list[Money] = []

    def free(start: int, end: int) -> bool:
        return not any(f.start < end and start < f.end for f in found)

    for m in MONEY_RANGE.finditer(text):
        if m.group("sep").lower() == "and" and not m.group("between"):
            continue
        scale = _scale(m.group("scale"))
        currency = _sign(m.group("cur"))
        first, second = m.span("cur")[0], m.start("second")
        found.append(Money(_number(m.group("num1")) * scale, currency, text[first : m.end("num1")], first,
                           m.end("num1")))  # fmt: skip
        found.append(Money(_number(m.group("num2")) * scale, currency, m.group("second"), second, m.end()))
    for m in MONEY_WITH_SYMBOL.finditer(text):
        if free(m.start(), m.end()):
            amount = _number(m.group("num")) * _scale(m.group("scale"))
            found.append(Money(amount, _sign(m.group("cur")), m.group(0), m.start(), m.end()))
    for m in MONEY_WITH_WORD.finditer(text):
        if free(m.start(), m.end()):
            amount = _number(m.group("num")) * _scale(m.group("scale"))
            currency = _currency_of_word(m.group("country"), m.group("word"))
            found.append(Money(amount, currency, m.group(0), m.start(), m.end()))
    return tuple(sorted(found, key=lambda f: f.start))


def parse_money(text: str) -> Money | None:
    """Read the first amount of money in a string.

    Parameters
    ----------
    text : str
        A string such as ``"US$ 2bn"``.

    Returns
    -------
    Money or None
        The first amount, or ``None`` when the string states none.

    Examples
    --------
    >>> parse_money("US$ 2bn").amount
    2000000000.0
    >>> parse_money("€1.2 billion").currency
    'EUR'
    >>> [(m.amount, m.currency) for m in find_money("$US175 million, $A249 million, US $2 billion")]
    [(175000000.0, 'USD'), (249000000.0, 'AUD'), (2000000000.0, 'USD')]
    >>> parse_money("billions") is None
    True
    """
    found = find_money(text)
    return found[0] if found else None


def _words_to_number(words: str) -> float:
    return float(sum(_WORD_VALUES.get(part, 0) for part in re.split(r"[- ]", words.lower())))


def find_percent(text: str) -> list[tuple[float, int, int]]:
    """Find percentages in text.

    Parameters
    ----------
    text : str
        Any text, such as one sentence.

    Returns
    -------
    list of (float, int, int)
        Each value with its start and end offsets, in order.

    Examples
    --------
    >>> find_percent("Meta bought a 49% stake; staff fell by fourteen percent.")
    [(49.0, 14, 17), (14.0, 39, 55)]
    """
    found = [(_number(m.group("num")), m.start(), m.end()) for m in PERCENT_NUMBER.finditer(text)]
    found += [(_words_to_number(m.group("words")), m.start(), m.end()) for m in PERCENT_WORDS.finditer(text)]
    return sorted(found, key=lambda f: f[1])


def parse_percent(text: str) -> float | None:
    """Read the first percentage in a string.

    Parameters
    ----------
    text : str
        A string such as ``"49 per cent"``.

    Returns
    -------
    float or None
        The value (``49.0``), or ``None`` when the string states none.

    Examples
    --------
    >>> parse_percent("forty-nine percent")
    49.0
    >>> parse_percent("a percentage point") is None
    True
    """
    found = find_percent(text)
    return found[0][0] if found else None


def usd_equivalent(text: str, amounts: list[Money], index: int = 0) -> float | None:
    """The US-dollar amount the text gives for ``amounts[index]``: its own when in dollars,
    else the dollar amount in brackets right after it ("€50 million ($58 million)").

    >>> text = "raised €50 million ($58 million) in a round"
    >>> usd_equivalent(text, find_money(text))
    58000000.0
    """
    money = amounts[index]
    if money.currency == "USD":
        return money.amount
    following = amounts[index + 1] if index + 1 < len(amounts) else None
    if following is None or following.currency != "USD":
        return None
    between = text[money.end : following.start].strip().lower()
    return following.amount if between in ("(", "(about", "(around", "(roughly", "(some", "(or") else None
