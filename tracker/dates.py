"""Dates that carry their precision.

Sources say "2026", "November 2024", "Q3 2025" or "December 4, 2025". We store the first day of
the period the source names together with its precision, show it at that precision, and never
invent a day (or month) that no source gave.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models


class Precision(models.TextChoices):
    # Alphabetical order happens to be finest-first; timeline ordering relies on it
    # (``ORDER BY date, precision`` puts "2025-01-01" before "Jan 2025" before "2025").
    DAY = "day", "Day"
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"
    YEAR = "year", "Year"


MONTHS_IN = {Precision.YEAR: 12, Precision.QUARTER: 3, Precision.MONTH: 1, Precision.DAY: 1}
COARSENESS = {Precision.DAY: 0, Precision.MONTH: 1, Precision.QUARTER: 2, Precision.YEAR: 3}


def period_start(day: dt.date, precision: str) -> dt.date:
    """The first day of the period of ``precision`` that contains ``day``."""
    if precision == Precision.YEAR:
        return day.replace(month=1, day=1)
    if precision == Precision.QUARTER:
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    if precision == Precision.MONTH:
        return day.replace(day=1)
    return day


def period_end(day: dt.date, precision: str) -> dt.date:
    """The last day of the period of ``precision`` that contains ``day``."""
    start = period_start(day, precision)
    months = MONTHS_IN[precision] if precision != Precision.DAY else 0
    if not months:
        return start
    month_index = start.month - 1 + months
    next_start = dt.date(start.year + month_index // 12, month_index % 12 + 1, 1)
    return next_start - dt.timedelta(days=1)


def display(day: dt.date | None, precision: str | None) -> str:
    """Show a date at its precision: "2025-12-01", "Nov 2024", "Q3 2025" or "2026"."""
    if day is None:
        return "unknown"
    if precision == Precision.YEAR:
        return f"{day.year}"
    if precision == Precision.QUARTER:
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    if precision == Precision.MONTH:
        return day.strftime("%b %Y")
    return day.isoformat()


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def months_between(
    start: dt.date | None,
    start_precision: str | None,
    end: dt.date | None,
    end_precision: str | None,
) -> int | None:
    """Signed months from ``start`` to ``end``, at the coarser of the two precisions.

    Comparing "2023" with "2026-03-15" at month level would invent a month for the first date,
    so both are compared as whole years (36 months). Unknown dates give ``None``, never zero.
    """
    if start is None or end is None or start_precision is None or end_precision is None:
        return None
    coarser = max(start_precision, end_precision, key=lambda p: COARSENESS[Precision(p)])
    step = MONTHS_IN[Precision(coarser)]
    first = _month_index(period_start(start, coarser)) // step
    last = _month_index(period_start(end, coarser)) // step
    return (last - first) * step


@dataclass(frozen=True)
class PreciseDate:
    """A date with its precision, as the API and the admin show it."""

    date: dt.date
    precision: str

    @classmethod
    def of(cls, day: dt.date | None, precision: str | None) -> PreciseDate | None:
        return None if day is None or precision is None else cls(day, precision)

    @property
    def display(self) -> str:
        return display(self.date, self.precision)

    @property
    def end(self) -> dt.date:
        return period_end(self.date, self.precision)

    def __str__(self) -> str:
        return self.display
