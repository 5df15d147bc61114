"""Money and percentages in text, normalized to numbers.

>>> [(m.amount, m.currency) for m in find_money("Meta paid $14.3B, not £700m.")]
[(14300000000.0, 'USD'), (700000000.0, 'GBP')]
>>> find_money("hundreds of millions of dollars")
[]
>>> [p for p, _, _ in find_percent("a 49 per cent stake, then 12.5%")]
[49.0, 12.5]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Money", "find_money", "find_percent", "parse_money", "parse_percent"]

_SCALE = {
    "k": 1e3, "thousand": 1e3,
    "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6, "millions": 1e6,
    "b": 1e9, "bn": 1e9, "bln": 1e9, "billion": 1e9, "billions": 1e9,
    "t": 1e12, "tn": 1e12, "trillion": 1e12,
}  # fmt: skip
_SYMBOLS = {"$": "USD", "us$": "USD", "usd": "USD", "£": "GBP", "gbp": "GBP", "€": "EUR", "eur": "EUR",
            "a$": "AUD", "c$": "CAD", "¥": "JPY", "₹": "INR"}  # fmt: skip
_WORD_CURRENCY = {"dollars": "USD", "dollar": "USD", "pounds": "GBP", "euros": "EUR", "euro": "EUR"}
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE_WORD = r"thousand|millions?|billions?|trillion|mln|bln|mn|bn|tn|[kmbt]"
#: "$14.3 billion", "US$ 2bn", "£700m", "€1.2 billion", "A$5 million".
MONEY_WITH_SYMBOL = re.compile(
    rf"(?<![\w$])(?P<cur>US\$|A\$|C\$|USD|GBP|EUR|\$|£|€|¥|₹)\s?(?P<num>{_NUMBER})(?:\s?(?P<scale>{_SCALE_WORD})\b)?",
    re.IGNORECASE,
)
#: "14.3 billion dollars", "700 million pounds".
MONEY_WITH_WORD = re.compile(
    rf"(?<![\w$£€.])(?P<num>{_NUMBER})\s?(?P<scale>{_SCALE_WORD})\s+(?P<word>dollars|dollar|pounds|euros|euro)\b",
    re.IGNORECASE,
)
_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_PERCENT_WORD = r"(?:%|\s?per\s?cent\b|\s?percent\b|-percent\b|\s%)"
#: "49%", "49 per cent", "49-percent".
PERCENT_NUMBER = re.compile(rf"(?<![\w.])(?P<num>\d+(?:\.\d+)?){_PERCENT_WORD}", re.IGNORECASE)
#: "forty-nine percent".
PERCENT_WORDS = re.compile(
    rf"\b(?P<words>(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(list(_WORD_NUMBERS)[1:10])}))?|"
    rf"{'|'.join(_WORD_NUMBERS)}){_PERCENT_WORD}",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Money:
    """An amount of money found in text; ``start``/``end`` are offsets in that text."""

    amount: float
    currency: str
    text: str
    start: int
    end: int


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def find_money(text: str) -> list[Money]:
    """Amounts of money in ``text``, in order. Vague amounts ("hundreds of millions",
    "multi-billion-dollar") are not numbers and are not returned."""
    found: list[Money] = []
    for m in MONEY_WITH_SYMBOL.finditer(text):
        scale = _SCALE.get((m.group("scale") or "").lower(), 1.0)
        found.append(Money(_number(m.group("num")) * scale, _SYMBOLS[m.group("cur").lower()], m.group(0),
                           m.start(), m.end()))  # fmt: skip
    for m in MONEY_WITH_WORD.finditer(text):
        if any(f.start <= m.start() < f.end for f in found):
            continue
        scale = _SCALE[m.group("scale").lower()]
        found.append(Money(_number(m.group("num")) * scale, _WORD_CURRENCY[m.group("word").lower()], m.group(0),
                           m.start(), m.end()))  # fmt: skip
    return sorted(found, key=lambda f: f.start)


def parse_money(text: str) -> Money | None:
    """The first amount in ``text``, if any.

    >>> parse_money("US$ 2bn").amount
    2000000000.0
    """
    found = find_money(text)
    return found[0] if found else None


def _words_to_number(words: str) -> float:
    parts = re.split(r"[- ]", words.lower())
    total = 0
    for part in parts:
        total += _TENS.get(part, _WORD_NUMBERS.get(part, 0))
    return float(total)


def find_percent(text: str) -> list[tuple[float, int, int]]:
    """Percentages in ``text`` as (value, start, end), in order."""
    found = [(float(m.group("num")), m.start(), m.end()) for m in PERCENT_NUMBER.finditer(text)]
    found += [(_words_to_number(m.group("words")), m.start(), m.end()) for m in PERCENT_WORDS.finditer(text)]
    return sorted(found, key=lambda f: f[1])


def parse_percent(text: str) -> float | None:
    """The first percentage in ``text``.

    >>> parse_percent("forty-nine percent")
    49.0
    """
    found = find_percent(text)
    return found[0][0] if found else None
