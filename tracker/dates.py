"""Dates that carry their precision.

Sources say "2026", "November 2024", "Q3 2025" or "December 4, 2025". We store the first day of
the period the source names together with its precision, show it at that precision, and never
invent a day (or month) that no source gave.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import models

from .choices import PeriodType


class Precision(models.TextChoices):
    # Alphabetical order happens to be finest-first; timeline ordering relies on it
    # (``ORDER BY date, precision`` puts "2025-01-01" before "Jan 2025" before "2025").
    DAY = "day", "Day"
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"
    YEAR = "year", "Year"


MONTHS_IN = {Precision.YEAR: 12, Precision.QUARTER: 3, Precision.MONTH: 1, Precision.DAY: 1}
COARSENESS = {Precision.DAY: 0, Precision.MONTH: 1, Precision.QUARTER: 2, Precision.YEAR: 3}
#: How many months the period of each precision spans; a day-precise date is one day.
PERIOD_MONTHS = {Precision.YEAR: 12, Precision.QUARTER: 3, Precision.MONTH: 1}

#: India's fiscal year runs from April to March: "FY2024-25" is 2024-04-01 to 2025-03-31.
FISCAL_YEAR_FIRST_MONTH = 4
#: How many months a trade period of each type spans.
TRADE_PERIOD_MONTHS = {
    PeriodType.CALENDAR_YEAR: 12,
    PeriodType.FISCAL_YEAR: 12,
    PeriodType.QUARTER: 3,
    PeriodType.MONTH: 1,
}
#: The months in which a trade period of each type begins (on their first day).
TRADE_PERIOD_FIRST_MONTHS = {
    PeriodType.CALENDAR_YEAR: (1,),
    PeriodType.FISCAL_YEAR: (FISCAL_YEAR_FIRST_MONTH,),
    PeriodType.QUARTER: (1, 4, 7, 10),
    PeriodType.MONTH: tuple(range(1, 13)),
}


def quarter_of(day: dt.date) -> int:
    """The quarter (1 to 4) that ``day`` falls in."""
    return (day.month - 1) // 3 + 1


def period_start(day: dt.date, precision: str) -> dt.date:
    """The first day of the period of ``precision`` that contains ``day``."""
    if precision == Precision.YEAR:
        return day.replace(month=1, day=1)
    if precision == Precision.QUARTER:
        return quarter_start(day.year, quarter_of(day))
    if precision == Precision.MONTH:
        return day.replace(day=1)
    return day


def quarter_start(year: int, quarter: int) -> dt.date:
    """The first day of quarter ``quarter`` (1 to 4) of ``year``."""
    return dt.date(year, (quarter - 1) * 3 + 1, 1)


def period_end(day: dt.date, precision: str) -> dt.date:
    """The last day of the period of ``precision`` that contains ``day``."""
    return span_end(period_start(day, precision), PERIOD_MONTHS.get(precision, 0))


def months_after(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` months after the month of ``day``."""
    index = _month_index(day) + months
    return dt.date(index // 12, index % 12 + 1, 1)


def span_end(start: dt.date, months: int) -> dt.date:
    """The last day of the ``months`` months that begin on ``start`` (the first of a month);
    ``start`` itself for no months (a single day).

    The one rule for where a period ends: ``period_end`` for a date at its precision, trade
    periods (``trade_period_end``) and, in SQL, ``span_end_sql``.
    """
    if not months:
        return start
    return months_after(start, months) - dt.timedelta(days=1)


def span_end_sql(start_sql: str, kind_sql: str, months: Mapping[str, int]) -> str:
    """``span_end`` in PostgreSQL: the last day of the span that begins on ``start_sql`` and
    lasts ``months[kind]`` months, where ``kind_sql`` gives the kind (a precision or a trade
    period type); one day for a kind ``months`` does not list."""
    cases = " ".join(f"WHEN '{kind}' THEN INTERVAL '{n} months'" for kind, n in months.items())
    return (
        f"(({start_sql}) + (CASE {kind_sql} {cases} ELSE INTERVAL '1 day' END)"
        f" - INTERVAL '1 day')::date"
    )


def trade_period_end(period_type: str, start: dt.date) -> dt.date:
    """The last day of a trade period of ``period_type`` that begins on ``start``."""
    return span_end(start, TRADE_PERIOD_MONTHS[period_type])


def trade_period_fits(period_type: str, start: dt.date, end: dt.date) -> bool:
    """Whether ``start`` to ``end`` is one whole period of ``period_type``: a calendar year
    from 1 January to 31 December, India's fiscal year from 1 April to 31 March, a quarter
    or a month from its first day to its last. Any span fits an "other period" (a range).
    The database checks the same (``tracker.db.trade_period_fits``)."""
    if period_type not in TRADE_PERIOD_MONTHS:
        return True
    return (
        start.day == 1
        and start.month in TRADE_PERIOD_FIRST_MONTHS[period_type]
        and end == trade_period_end(period_type, start)
    )


def fiscal_year_start(first_year: int) -> dt.date:
    """The first day of India's fiscal year that begins in ``first_year``."""
    return dt.date(first_year, FISCAL_YEAR_FIRST_MONTH, 1)


def fiscal_year_label(first_year: int) -> str:
    """India's fiscal year as sources name it: "FY2024-25"."""
    return f"FY{first_year}-{(first_year + 1) % 100:02d}"


#: A period as statistics files name it: 2024 (calendar year), 2024-03, 2024-Q1, FY2024-25.
STATISTICS_PERIOD = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?|FY(\d{4})-\d{2}")


def statistics_period(label: str) -> tuple[str, dt.date, dt.date] | None:
    """(period type, first day, last day) of a period as statistics files name it, or None
    when ``label`` is not one (a fiscal year runs over two consecutive years: FY2024-25)."""
    found = STATISTICS_PERIOD.fullmatch(label)
    if not found:
        return None
    year, month, quarter, fiscal_year = found.groups()
    if fiscal_year:
        if fiscal_year_label(int(fiscal_year)) != label:
            return None
        kind, start = PeriodType.FISCAL_YEAR, fiscal_year_start(int(fiscal_year))
    elif month:
        kind, start = PeriodType.MONTH, dt.date(int(year), int(month), 1)
    elif quarter:
        kind, start = PeriodType.QUARTER, quarter_start(int(year), int(quarter))
    else:
        kind, start = PeriodType.CALENDAR_YEAR, dt.date(int(year), 1, 1)
    return kind.value, start, trade_period_end(kind, start)


def period_label(period) -> str:
    """A trade period (anything with ``period_type``, ``period_start`` and ``period_end``, a
    record or a group of them) as sources name it: "FY2024-25", "2023", "Q3 2025", "Nov 2024"."""
    period_type, start, end = period.period_type, period.period_start, period.period_end
    if period_type == PeriodType.FISCAL_YEAR:
        return fiscal_year_label(start.year)
    if period_type == PeriodType.CALENDAR_YEAR:
        return str(start.year)
    if period_type in (PeriodType.QUARTER, PeriodType.MONTH):
        return display(start, period_type)
    return f"{start.isoformat()} – {end.isoformat()}"


def display(day: dt.date | None, precision: str | None) -> str:
    """Show a date at its precision: "2025-12-01", "Nov 2024", "Q3 2025" or "2026"."""
    if day is None:
        return "unknown"
    if precision == Precision.YEAR:
        return f"{day.year}"
    if precision == Precision.QUARTER:
        return f"Q{quarter_of(day)} {day.year}"
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
