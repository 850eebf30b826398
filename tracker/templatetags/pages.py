"""Filters and tags for the public pages: links to records' pages and feeds, statuses as
badges, figures with their estimate marks, and how a delivery is late in words."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from ..admin.display import badge, step_summary, trade_value
from ..choices import Lateness
from ..dates import display
from ..figures import number
from ..links import admin_path, api_path, page_path, record_feed_path
from ..models.agreements import STEP_ORDER
from ..models.events import EVENT_RECORDS

register = template.Library()
register.filter("trade_value", trade_value)
register.filter("step_summary", step_summary)


@register.filter
def steps_in_order(party_steps) -> list[tuple[str, object]]:
    """A party's steps as (kind, event or ``None``), in the order a party takes them."""
    return [(kind, getattr(party_steps, kind)) for kind in STEP_ORDER]


@register.filter
def words(name: str) -> str:
    """A field's name as words: "quantity_ordered" → "quantity ordered"."""
    return name.replace("_", " ")


@register.simple_tag
def page_url(record_type: str, key) -> str:
    """``{% page_url "delivery" delivery.slug %}``: the record's page."""
    return page_path(record_type, key)


@register.simple_tag
def api_url(record_type: str, key) -> str:
    return api_path(record_type, key)


@register.simple_tag
def feed_url(record_type: str, key, extension: str) -> str:
    """The record's timeline as an iCalendar (``ics``) or Atom (``atom``) feed."""
    return record_feed_path(record_type, key, extension)


@register.simple_tag(takes_context=True)
def history_url(context, record) -> str:
    """The record's change history in the admin, for a user who may view the record there;
    empty for anyone else."""
    user = context["request"].user
    model = record._meta.model_name
    if user.is_active and user.is_staff and user.has_perm(f"tracker.view_{model}"):
        return admin_path(record, record.pk, "history")
    return ""


@register.filter
def status_badge(record, field: str = "status"):
    """A record's status (or another choice field) as a coloured badge."""
    return badge(getattr(record, field), getattr(record, f"get_{field}_display")())


@register.filter
def estimate(is_estimate: bool):
    """The mark of an estimated figure or date."""
    if not is_estimate:
        return ""
    return format_html(' <abbr class="estimate" title="{}">est.</abbr>', "an estimate")


@register.filter
def precise(day, precision: str) -> str:
    """A date at its precision; a dash when unknown."""
    return display(day, precision) if day else "—"


@register.filter
def lateness(delivery, today) -> list[str]:
    """How a delivery is late on ``today``, in words: "slipped by 24 months", "postponed by an
    unknown span", "overdue: its forecast, 2024, has passed"."""
    words = {
        Lateness.SLIPPED: lambda: f"slipped by {delivery.slippage_months} months",
        Lateness.POSTPONED: lambda: "postponed by an unknown span",
        Lateness.OVERDUE: lambda: f"overdue: its forecast, {delivery.forecast}, has passed",
    }
    return [words[way]() for way in delivery.ways_late(today)]


@register.filter
def quantity(value, unit: str = "") -> str:
    return f"{number(value)} {unit}".strip() if value is not None else "—"


@register.simple_tag
def supported_url(citation) -> str:
    """The page of what a citation supports: the record's, or for an event its record's page
    at the event (an event on no record has no page: the timeline, at its month)."""
    event = citation.event
    if event is None:
        record_type = next(name for name in EVENT_RECORDS if getattr(citation, f"{name}_id"))
        return page_path(record_type, getattr(citation, record_type).slug)
    if event.record_type:
        return f"{page_path(event.record_type, event.record.slug)}#event-{event.pk}"
    return f"{reverse('pages:timeline')}#month-{event.date:%Y-%m}"


@register.filter
def supported_label(citation) -> str:
    """What a citation supports, as its page names it: the record's title, or an event's."""
    event = citation.event
    if event is None:
        return str(citation.target)
    owner = event.record
    return f"{event.title} ({owner.title})" if owner else event.title
