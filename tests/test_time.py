"""Dates as intervals (issue 12 point 2): a year is the whole year, a month the month;
``--as-of`` accepts YYYY, YYYY-MM and YYYY-MM-DD only."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.facts.time import Interval, as_of_day, holds, interval, merge, show

runner = CliRunner()


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [("2025", "2025-01-01", "2025-12-31"), ("2025-06", "2025-06-01", "2025-06-30"), ("2024-02", "2024-02-01",
      "2024-02-29"), ("2025-06-14", "2025-06-14", "2025-06-14"), ("2025-01-01/2025-03-20", "2025-01-01", "2025-03-20")],
)  # fmt: skip
def test_time_a_date_is_an_interval(text, lo, hi):
    assert interval(text) == Interval(lo, hi)
    assert interval(show(Interval(lo, hi))) == Interval(lo, hi)


@pytest.mark.parametrize("bad", ["June", "2025-13-45", "2025-02-30", "25", "2025/06", "", "2025-6"])
def test_time_bad_dates_are_not_intervals(bad):
    assert interval(bad) is None or bad == ""
    with pytest.raises(ValueError, match="YYYY"):
        as_of_day(bad)


def test_time_as_of_a_year_or_month_is_its_last_day():
    assert as_of_day("2025") == "2025-12-31" and as_of_day("2025-06") == "2025-06-30"
    assert as_of_day("2025-06-10") == "2025-06-10"


def test_time_holds_is_uncertain_inside_a_start_or_an_end():
    year = interval("2025")
    assert holds(interval("2024-03-10"), year, "2024-12-31") == "yes"
    assert holds(interval("2024-03-10"), year, "2025-01-15") == "uncertain"  # the ending is only dated "2025"
    assert holds(interval("2024-03-10"), year, "2026-01-01") == "no"
    assert holds(year, None, "2024-12-31") == "no"
    assert holds(year, None, "2025-03-01") == "uncertain"
    assert holds(year, None, "2025-12-31") == "yes"
    assert holds(None, interval("2025-06"), "2025-05-31") == "yes"


def test_time_reports_of_one_date_narrow_it():
    assert merge([interval("2025"), interval("2025-06")]) == interval("2025-06")
    assert merge([interval("2024"), interval("2025")]) == interval("2024")  # disagree: the earliest


@pytest.mark.parametrize("bad", ["June", "2025-13-45", "yesterday"])
@pytest.mark.parametrize(
    "command",
    [["ask", "dependents", "Scale AI"], ["ask", "critical"], ["ask", "timeline", "Google"], ["ask", "rivals", "X"],
     ["ask", "path", "A", "B"], ["ask", "talent"], ["ask", "exposure", "X"], ["ask", "dependencies", "Meta"]],
)  # fmt: skip
def test_time_ask_rejects_a_bad_as_of_with_exit_2(tmp_path, command, bad):
    result = runner.invoke(app, [*command, "--as-of", bad, "--store", str(tmp_path / "none")])
    assert result.exit_code == 2, result.output
    assert "is not a date" in result.output and "Traceback" not in result.output


def test_time_export_rejects_an_impossible_date(tmp_path):
    result = runner.invoke(app, ["export", "--format", "html", "--out", str(tmp_path / "x.html"), "--as-of",
                                 "2025-13-45", "--store", str(tmp_path / "none")])  # fmt: skip
    assert result.exit_code == 2 and "is not a date" in result.output
