"""Geometry of the dashboard's charts, drawn as inline SVG by the dashboard template.

Charts are computed from the database at request time and need nothing from the internet: this
module turns selector results into shapes (positions in pixels), the template writes the SVG.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

from ..dates import PreciseDate
from .display import period_label

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
    axis_start = dt.date(first, 1, 1)
    days = (dt.date(last, 1, 1) - axis_start).days

    def x(day: dt.date) -> float:
        return chart.left + (day - axis_start).days / days * (chart.right - chart.left)

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
