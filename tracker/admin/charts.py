"""Geometry of the dashboard's charts, drawn as inline SVG by the dashboard template.

Charts are computed from the database at request time and need nothing from the internet: this
module turns selector results into shapes (positions in pixels), the template writes the SVG.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

from ..dates import PreciseDate, period_label

TRADE_SERIES = [
    ("imports", "Imports from Russia"),
    ("exports", "Exports to Russia"),
    ("balance", "Balance (exports − imports)"),
    ("total", "Total trade"),
]


@dataclass
class Bar:
    series: str
    label: str
    value: Decimal
    x: float
    y: float
    width: float
    height: float


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class Chart:
    width: int
    height: int
    left: int
    top: int
    bottom: float
    right: float
    ticks: list[Tick] = field(default_factory=list)
    categories: list[Tick] = field(default_factory=list)


@dataclass
class TradeChart(Chart):
    bars: list[Bar] = field(default_factory=list)
    zero: float = 0
    series: list[tuple[str, str]] = field(default_factory=lambda: TRADE_SERIES)


def nice_step(span: float, count: int = 5) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about ``count`` ticks."""
    raw = max(span, 1e-9) / count
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def trade_chart(points, width: int = 760, height: int = 320) -> TradeChart:
    """Grouped bars per period: imports, exports, balance and total, in billions of USD."""
    chart = TradeChart(width, height, left=56, top=16, bottom=height - 44, right=width - 12)
    values = [
        float(getattr(p, name)) for p in points for name, _ in TRADE_SERIES if getattr(p, name)
    ]
    low, high = min([0.0, *values]), max([0.0, *values])
    step = nice_step(high - low)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step or step

    def y(value: float) -> float:
        return chart.bottom - (value - low) / (high - low) * (chart.bottom - chart.top)

    chart.zero = y(0)
    chart.ticks = [
        Tick(y(low + i * step), f"{low + i * step:g}")
        for i in range(round((high - low) / step) + 1)
    ]
    group = (chart.right - chart.left) / max(len(points), 1)
    bar_width = group * 0.8 / len(TRADE_SERIES)
    for index, point in enumerate(points):
        start = chart.left + index * group + group * 0.1
        chart.categories.append(Tick(start + group * 0.4, period_label(point.period)))
        for offset, (name, label) in enumerate(TRADE_SERIES):
            value = getattr(point, name)
            if value is None:
                continue
            top, base = y(max(float(value), 0)), y(min(float(value), 0))
            chart.bars.append(
                Bar(name, label, value, start + offset * bar_width, top, bar_width, base - top)
            )
    return chart


@dataclass
class Marker:
    kind: str
    label: str
    x: float
    span_x: float
    span_width: float


@dataclass
class ScheduleRow:
    title: str
    url: str
    y: float
    slippage: int | None
    markers: list[Marker]
    line: tuple[float, float] | None


@dataclass
class SlippageChart(Chart):
    rows: list[ScheduleRow] = field(default_factory=list)


def _dates(delivery) -> dict[str, PreciseDate]:
    shown = {
        "baseline": delivery.baseline,
        "forecast": delivery.forecast,
        "actual": delivery.actual,
    }
    return {kind: when for kind, when in shown.items() if when}


def _slip_line(markers: list[Marker]) -> tuple[float, float] | None:
    """From the baseline to the actual date, or to the forecast while not delivered."""
    at = {marker.kind: marker.x for marker in markers}
    latest = at.get("actual", at.get("forecast"))
    return (at["baseline"], latest) if "baseline" in at and latest is not None else None


def slippage_chart(deliveries, url_for, width: int = 760, row_height: int = 28) -> SlippageChart:
    """One row per delivery: baseline, forecast and actual dates on a shared time axis.

    Each marker sits in the middle of the period its precision names ("2026" spans the year,
    drawn as a faint band) so a year-precise date is never shown as a particular day.
    """
    rows = [(d, _dates(d)) for d in deliveries]
    periods = [when for _, dates in rows for when in dates.values()]
    first = min((p.date.year for p in periods), default=dt.date.today().year)
    last = max((p.end.year for p in periods), default=first) + 1
    height = 36 + row_height * max(len(rows), 1)
    chart = SlippageChart(width, height, left=230, top=8, bottom=height - 28, right=width - 24)

    def x(day: dt.date) -> float:
        return _scale(day, first, last, chart.left, chart.right)

    chart.ticks = [Tick(x(dt.date(year, 1, 1)), str(year)) for year in range(first, last + 1)]
    for index, (delivery, dates) in enumerate(rows):
        markers = [
            Marker(
                kind,
                f"{kind}: {when.display}",
                (x(when.date) + x(when.end + dt.timedelta(days=1))) / 2,
                x(when.date),
                x(when.end + dt.timedelta(days=1)) - x(when.date),
            )
            for kind, when in dates.items()
        ]
        chart.rows.append(
            ScheduleRow(
                delivery.title,
                url_for(delivery),
                chart.top + row_height * (index + 0.5),
                delivery.slippage_months,
                markers,
                _slip_line(markers),
            )
        )
    return chart


@dataclass
class Point:
    x: float
    y: float
    label: str


@dataclass
class ForecastChart(Chart):
    """``ticks`` are the years of the forecast (y), ``categories`` the years announced (x)."""

    line: list[tuple[float, float]] = field(default_factory=list)
    revisions: list[Point] = field(default_factory=list)
    baseline: float | None = None
    actual: Point | None = None

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.line)


def middle(when: PreciseDate) -> dt.date:
    """The middle of the period a precise date names: "2026" is drawn at 2 July 2026."""
    return when.date + (when.end - when.date) / 2


def year_ticks(first: int, last: int, place) -> list[Tick]:
    step = max(1, int(nice_step(last - first, 6)))
    return [Tick(place(dt.date(year, 1, 1)), str(year)) for year in range(first, last + 1, step)]


def forecast_chart(delivery, revisions, today: dt.date, width=600, height=260) -> ForecastChart:
    """How a delivery's forecast moved: each revision at the date it was announced (x) and
    the date it gave (y), joined as steps from the baseline (dashed) to today or the actual
    date. Dates sit in the middle of the period their precision names."""
    announced = [PreciseDate(r.date, r.precision) for r in revisions]
    given = [PreciseDate(r.new_date, r.new_precision) for r in revisions]
    baseline, actual = delivery.baseline, delivery.actual
    ordered = [delivery.ordered_on] if delivery.ordered_on else []
    start = min([middle(when) for when in announced] + ordered)
    end = middle(actual) if actual else max(today, *(middle(when) for when in announced))
    levels = [when for when in (baseline, actual, *given) if when]
    chart = ForecastChart(width, height, left=56, top=24, bottom=height - 40, right=width - 16)
    x_first, x_last = start.year, end.year + 1
    y_first = min(when.date.year for when in levels)
    y_last = max(when.end.year for when in levels) + 1

    def x(day: dt.date) -> float:
        return _scale(day, x_first, x_last, chart.left, chart.right)

    def y(day: dt.date) -> float:
        return _scale(day, y_first, y_last, chart.bottom, chart.top)

    chart.categories = year_ticks(x_first, x_last, x)
    chart.ticks = year_ticks(y_first, y_last, y)
    level = middle(baseline) if baseline else None
    chart.line = [(x(start), y(level))] if level is not None else []
    for revision, when, new in zip(revisions, announced, given, strict=True):
        if level is not None:
            chart.line.append((x(middle(when)), y(level)))
        level = middle(new)
        chart.line.append((x(middle(when)), y(level)))
        label = f"{when.display}: {revision.get_kind_display().lower()} to {new.display}"
        chart.revisions.append(Point(x(middle(when)), y(level), label))
    chart.line.append((x(end), y(level)))
    chart.baseline = y(middle(baseline)) if baseline else None
    if actual:
        chart.actual = Point(x(middle(actual)), y(middle(actual)), f"Delivered {actual.display}")
    return chart


def _scale(day: dt.date, first_year: int, last_year: int, low: float, high: float) -> float:
    """Where ``day`` falls between 1 January of two years, from ``low`` to ``high``."""
    start = dt.date(first_year, 1, 1)
    span = (dt.date(last_year, 1, 1) - start).days
    return low + (day - start).days / span * (high - low)
