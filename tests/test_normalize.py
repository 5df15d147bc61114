"""Money, percent and relative-date normalization."""

from __future__ import annotations

import pytest

from extractors.dates import find_dates, normalize_date
from extractors.money import find_money, parse_money, parse_percent


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$14.3B", 14.3e9, "USD"),
        ("$14.3 billion", 14.3e9, "USD"),
        ("US$ 2bn", 2e9, "USD"),
        ("$200 million", 200e6, "USD"),
        ("$7.3bn", 7.3e9, "USD"),
        ("£700m", 700e6, "GBP"),
        ("€1.2 billion", 1.2e9, "EUR"),
        ("14.3 billion dollars", 14.3e9, "USD"),
        ("$500,000", 5e5, "USD"),
        ("$1.5 trillion", 1.5e12, "USD"),
    ],
)
def test_normalize_money(text, amount, currency):
    money = parse_money(text)
    assert money.amount == pytest.approx(amount) and money.currency == currency


@pytest.mark.parametrize("text", ["hundreds of millions", "billions of dollars", "a multi-billion-dollar deal", "$"])
def test_normalize_vague_money_is_not_a_number(text):
    assert find_money(text) == []


def test_normalize_money_range_gives_both_ends():
    assert [m.amount for m in find_money("$35 billion to $41 billion")] == [35e9, 41e9]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("49%", 49),
        ("49 %", 49),
        ("49 per cent", 49),
        ("49 percent", 49),
        ("49-percent", 49),
        ("forty-nine percent", 49),
    ],
)
def test_normalize_percent(text, value):
    assert parse_percent(text) == value


@pytest.mark.parametrize(
    ("expr", "published", "iso"),
    [
        ("in June", "2025-08-30", "2025-06"),
        ("in November", "2025-08-30", "2024-11"),
        ("this year", "2025-06-14", "2025"),
        ("last year", "2025-06-14", "2024"),
        ("next year", "2025-06-14", "2026"),
        ("in 2024", None, "2024"),
        ("months ago", "2025-06-14", "2025"),
        ("last month", "2025-01-10", "2024-12"),
        ("June 12, 2025", None, "2025-06-12"),
        ("12 June 2025", None, "2025-06-12"),
        ("yesterday", "2025-06-14", "2025-06-13"),
        ("this year", None, None),
        ("in June", None, None),
        ("in March this year", "2025-10-02", "2025-03"),
        ("April last year", "2025-10-02", "2024-04"),
        ("last week", "2025-10", "2025-10"),
        ("last week", "2025-10-20", "2025-10"),
        ("next week", "2025-10", None),
    ],
)
def test_normalize_relative_dates(expr, published, iso):
    assert normalize_date(expr, published) == iso


def test_normalize_find_dates_month_with_relative_year_is_one_expression():
    assert [e for e, _, _ in find_dates("It closed a round in March this year.")] == ["in March this year"]


def test_normalize_find_dates_ignores_plain_numbers():
    assert find_dates("It sold 2016 units for $2,024 million.") == []
