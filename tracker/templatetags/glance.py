"""Filters for the front page: figures in billions, shares reached, trade periods and dates
written as the sources write them."""

from decimal import Decimal

from django import template
from django.urls import reverse

from ..admin.display import QUALIFIER_WORDS, number, period_label, stated_value
from ..api.serializers import BASENAMES
from ..dates import display
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


def _admin_model(context, record_type: str) -> str | None:
    """The admin's name of the record type ("traderecord") when the page's user may view its
    records in the admin (editors and viewers), else None."""
    user = context["request"].user
    model_name = record_type.replace("_", "")
    if user.is_active and user.is_staff and user.has_perm(f"tracker.view_{model_name}"):
        return model_name
    return None


@register.simple_tag(takes_context=True)
def record_url(context, record_type: str, pk: int, slug: str) -> str:
    """Where the front page links a record (``record_type`` as ``BASENAMES`` names it): its
    page in the admin, with its timeline and sources, for someone who may view it there; else
    its representation in the API, which anyone may read."""
    model_name = _admin_model(context, record_type)
    if model_name:
        return reverse(f"admin:tracker_{model_name}_change", args=[pk])
    return reverse(f"api:{BASENAMES[record_type]}-detail", kwargs={"key": slug})


@register.simple_tag(takes_context=True)
def list_url(context, record_type: str, api_query: str, admin_query: str) -> str:
    """Where the front page links the whole of one of its lists: the admin's list with the
    same filter (``admin_query``) or the API's (``api_query``), as ``record_url`` chooses."""
    model_name = _admin_model(context, record_type)
    if model_name:
        return f"{reverse(f'admin:tracker_{model_name}_changelist')}?{admin_query}"
    return f"{reverse(f'api:{BASENAMES[record_type]}-list')}?{api_query}"
