"""Filters for the front page: figures in billions, shares reached, trade periods and dates
written as the sources write them."""

from decimal import Decimal

from django import template
from django.urls import reverse

from ..dates import display, period_label
from ..figures import QUALIFIER_WORDS, number, stated_value
from ..links import admin_view, api_path, api_view
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


def _in_admin(context, record_type: str) -> bool:
    """Whether the page's user may view records of this type in the admin (editors and
    viewers)."""
    user = context["request"].user
    model_name = record_type.replace("_", "")
    return user.is_active and user.is_staff and user.has_perm(f"tracker.view_{model_name}")


@register.simple_tag(takes_context=True)
def record_url(context, record_type: str, pk: int, slug: str) -> str:
    """Where the front page links a record (``record_type`` as ``tracker.links`` names it):
    its page in the admin, with its timeline and sources, for someone who may view it there;
    else its representation in the API, which anyone may read."""
    if _in_admin(context, record_type):
        return reverse(admin_view(record_type), args=[pk])
    return api_path(record_type, slug)


@register.simple_tag(takes_context=True)
def list_url(context, record_type: str, api_query: str, admin_query: str) -> str:
    """Where the front page links the whole of one of its lists: the admin's list with the
    same filter (``admin_query``) or the API's (``api_query``), as ``record_url`` chooses."""
    if _in_admin(context, record_type):
        return f"{reverse(admin_view(record_type, 'changelist'))}?{admin_query}"
    return f"{reverse(api_view(record_type, 'list'))}?{api_query}"
