"""Dates at their precision: display, period bounds and month arithmetic."""

import datetime as dt

import pytest
from django.db import connection

from tracker.dates import (
    PreciseDate,
    display,
    fiscal_year_label,
    months_between,
    period_end,
    period_start,
    statistics_period,
)
from tracker.db import period_end_sql


@pytest.mark.parametrize(
    ("day", "precision", "shown"),
    [
        ("2025-12-01", "day", "2025-12-01"),
        ("2024-11-01", "month", "Nov 2024"),
        ("2025-07-01", "quarter", "Q3 2025"),
        ("2026-01-01", "year", "2026"),
    ],
)
def test_display_shows_only_what_the_source_gave(day, precision, shown):
    assert display(dt.date.fromisoformat(day), precision) == shown


def test_unknown_date_is_shown_as_unknown_not_as_a_default_day():
    assert display(None, None) == "unknown"
    assert PreciseDate.of(None, "year") is None


@pytest.mark.parametrize(
    ("day", "precision", "start", "end"),
    [
        ("2024-11-17", "month", "2024-11-01", "2024-11-30"),
        ("2024-02-10", "month", "2024-02-01", "2024-02-29"),
        ("2025-08-20", "quarter", "2025-07-01", "2025-09-30"),
        ("2025-12-31", "quarter", "2025-10-01", "2025-12-31"),
        ("2026-06-30", "year", "2026-01-01", "2026-12-31"),
        ("2025-12-04", "day", "2025-12-04", "2025-12-04"),
    ],
)
def test_period_bounds(day, precision, start, end):
    given = dt.date.fromisoformat(day)
    assert period_start(given, precision).isoformat() == start
    assert period_end(given, precision).isoformat() == end


@pytest.mark.parametrize(
    ("start", "start_precision", "end", "end_precision", "months"),
    [
        ("2023-01-01", "year", "2026-01-01", "year", 36),
        ("2023-01-01", "year", "2026-03-15", "day", 36),  # compared as years
        ("2024-11-01", "month", "2025-02-01", "month", 3),
        ("2025-02-01", "month", "2024-11-01", "month", -3),  # early: negative
        ("2025-01-01", "quarter", "2025-11-20", "day", 9),  # Q1 → Q4
        ("2025-12-04", "day", "2025-12-31", "day", 0),
    ],
)
def test_months_between_is_signed_and_at_the_coarser_precision(
    start, start_precision, end, end_precision, months
):
    result = months_between(
        dt.date.fromisoformat(start), start_precision, dt.date.fromisoformat(end), end_precision
    )
    assert result == months


@pytest.mark.parametrize("missing", ["start", "end"])
def test_months_between_unknown_is_none_never_zero(missing):
    known = (dt.date(2026, 1, 1), "year")
    args = (None, None, *known) if missing == "start" else (*known, None, None)
    assert months_between(*args) is None


# --- one rule for where a period ends, in Python and in SQL ------------------------------


def sql_value(sql: str):
    """The value of one SQL expression, run without parameters (a ``%`` stays a ``%``)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}")
        return cursor.fetchone()[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "precision", "end"),
    [
        ("2024-11-01", "month", "2024-11-30"),
        ("2024-02-01", "month", "2024-02-29"),
        ("2025-12-01", "month", "2025-12-31"),
        ("2025-07-01", "quarter", "2025-09-30"),
        ("2025-10-01", "quarter", "2025-12-31"),
        ("2026-01-01", "year", "2026-12-31"),
        ("2025-12-04", "day", "2025-12-04"),
    ],
)
def test_period_end_is_the_same_in_python_and_in_sql(start, precision, end):
    """``PeriodEnd`` (check constraints, triggers, lateness filters) and ``period_end``
    (validation, display) give the same last day."""
    in_sql = sql_value(period_end_sql(f"DATE '{start}'", f"'{precision}'"))
    assert in_sql.isoformat() == period_end(dt.date.fromisoformat(start), precision).isoformat()
    assert in_sql.isoformat() == end


@pytest.mark.parametrize(
    ("period", "period_type", "start", "end"),
    [
        ("FY2024-25", "fiscal_year", "2024-04-01", "2025-03-31"),
        ("FY1999-00", "fiscal_year", "1999-04-01", "2000-03-31"),
        ("2023", "calendar_year", "2023-01-01", "2023-12-31"),
        ("2024-Q1", "quarter", "2024-01-01", "2024-03-31"),
        ("2024-Q4", "quarter", "2024-10-01", "2024-12-31"),
        ("2024-02", "month", "2024-02-01", "2024-02-29"),
        ("2024-12", "month", "2024-12-01", "2024-12-31"),
    ],
)
def test_statistics_periods_span_their_days(period, period_type, start, end):
    """A statistics release names its periods so; each spans these days."""
    expected = (period_type, dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    assert statistics_period(period) == expected
    if period_type == "fiscal_year":
        assert fiscal_year_label(expected[1].year) == period


@pytest.mark.parametrize("label", ["2024-13", "2024-Q5", "FY2024-26", "24", "2024-3", ""])
def test_anything_else_is_not_a_statistics_period(label):
    assert statistics_period(label) is None
