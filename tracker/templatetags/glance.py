"""Filters for the front page: figures in billions, shares reached, trade periods and dates
written as the sources write them."""

from decimal import Decimal

from django import template
from django.urls import reverse

from ..dates import display, period_label
from ..figures import QUALIFIER_WORDS, number, stated_value
from ..links import page_path
from ..models.agreements import awaits_nobody

register = template.Library()
register.filter("awaits_nobody", awaits_nobody)

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
def share(ratio: Decimal | None) -> str:
    """0.687 → "68.7 %"."""
    if ratio is None:
        return ""
    return f"{number((ratio * 100).quantize(Decimal('0.1')))} %"


register.filter("trade_period", period_label)


@register.filter
def claimed(record: dict) -> str:
    """A trade summary's claim as its source states it: "about USD 4.9 billion"."""
    names = ("value", "value_high", "qualifier", "currency", "unit")
    return stated_value(*(record[name] for name in names), qualifiers=QUALIFIER_WORDS)


@register.filter
def flow_name(flow: str) -> str:
    return FLOW_NAMES.get(flow, flow)


@register.filter
def ways_late(delivery, today) -> list[str]:
    """``{% with ways=delivery|ways_late:today %}``: how a delivery is late (``Lateness``)."""
    return delivery.ways_late(today)


@register.filter
def at_precision(day, precision: str) -> str:
    """``{{ row.target_date|at_precision:row.target_precision }}`` → "2030"."""
    return display(day, precision)


@register.simple_tag
def record_url(record_type: str, slug: str) -> str:
    """Where the front page links a record (``record_type`` as ``tracker.links`` names it):
    its public page, with its timeline and sources, which anyone may read."""
    return page_path(record_type, slug)


@register.simple_tag
def list_url(record_type: str, query: str) -> str:
    """Where the front page links the whole of one of its lists: the public list of that type,
    filtered by ``query`` (the pages' filters are the API's, under the same names)."""
    return f"{reverse(f'pages:{record_type}-list')}?{query}"
