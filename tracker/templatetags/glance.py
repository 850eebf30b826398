"""Filters for the front page: figures in billions, shares reached, trade periods and dates
written as the sources write them."""

from decimal import Decimal

from django import template

from ..admin.display import QUALIFIER_WORDS, number, period_label, stated_value
from ..dates import display

register = template.Library()

#: How the front page names a trade flow, seen from the reporter.
FLOW_NAMES = {"import": "imports", "export": "exports", "total": "total"}


@register.filter
def billions(value: Decimal | None) -> str:
    """68.7000 → "68.7"; a balance keeps its sign."""
    return number(value)


@register.filter
def thousands(count: int) -> str:
    """8123 → "8,123"."""
    return f"{count:,}"


@register.filter
def awaits_nobody(all_steps) -> bool:
    """Every party has ratified, though the agreement's status still awaits ratification: its
    status is behind its timeline (``Agreement.party_steps``)."""
    return bool(all_steps) and not any(steps.pending for steps in all_steps)


@register.filter
def share(ratio: Decimal | None) -> str:
    """0.687 → "68.7 %"."""
    if ratio is None:
        return ""
    return f"{number((ratio * 100).quantize(Decimal('0.1')))} %"


@register.filter
def trade_period(group) -> str:
    """A summary group's period: "FY2024-25", "2023"."""
    return period_label(group)


@register.filter
def claimed(record: dict) -> str:
    """A trade summary's claim as its source states it: "about USD 4.9 billion"."""
    names = ("value", "value_high", "qualifier", "currency", "unit")
    return stated_value(*(record[name] for name in names), qualifiers=QUALIFIER_WORDS)


@register.filter
def flow_name(flow: str) -> str:
    return FLOW_NAMES.get(flow, flow)


@register.filter
def at_precision(day, precision: str) -> str:
    """``{{ row.target_date|at_precision:row.target_precision }}`` → "2030"."""
    return display(day, precision)
