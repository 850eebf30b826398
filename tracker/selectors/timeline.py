"""The timeline: events in chronological order, the filters over them, and what is ahead."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from ..dates import PreciseDate, Precision, period_start
from ..db import PeriodEnd
from ..models import Delivery, TimelineEvent
from ..models.events import EVENT_RECORDS
from .citations import own_fields


def event_list() -> QuerySet[TimelineEvent]:
    """Events with the records and party their representation reads, in chronological order;
    the API reads their citations for a whole page at once (``EventSerializer``).

    Order is (date, precision, id): precisions sort finest-first, so "2025-01-01" comes
    before "Jan 2025", which comes before "2025" (see ``tracker.dates.Precision``).
    """
    records = [f"{name}__{field}" for name in EVENT_RECORDS for field in ("slug", "title")]
    return (
        TimelineEvent.objects.select_related(*EVENT_RECORDS, "party")
        .only(*own_fields(TimelineEvent), *records, "party__code")
        .order_by("date", "precision", "id")
    )


def event_pages() -> QuerySet[TimelineEvent]:
    """Events as a page of them is chosen, its filters, order and cursor applied: no related
    rows, which the page reads by id afterwards (``tracker.selectors.rows``), so that each step
    of the query's building copies only what the choice needs."""
    return TimelineEvent.objects.all()


def ending_on_or_after(day: dt.date, date: str = "date", precision: str = "precision") -> Q:
    """Rows whose period ends on or after ``day`` ("2025" counts for 2025-06-01), the period
    being the one of the columns ``date`` and ``precision`` (an event's by default).

    A date is stored as the start of its period, so at each precision that means stored on or
    after the start of the period of that precision holding ``day``. Plain comparisons of the
    date column, bounded below by the earliest of them, so an index on the date serves them.
    Precisions whose periods start on the same day share one comparison; on the first day of
    a year all do, and the condition is one comparison.
    """
    precisions_from: dict[dt.date, list[str]] = {}
    for each in Precision:
        precisions_from.setdefault(period_start(day, each), []).append(each)
    earliest = Q(**{f"{date}__gte": min(precisions_from)})
    if len(precisions_from) == 1:
        return earliest
    at_each_start = Q()
    for start, precisions in precisions_from.items():
        at_each_start |= Q(**{f"{precision}__in": precisions, f"{date}__gte": start})
    return earliest & at_each_start


def sector_condition(sector_slug: str) -> Q:
    """Events whose record (of any type) is in the sector."""
    condition = Q()
    for name in EVENT_RECORDS:
        condition |= Q(**{f"{name}__sector__slug": sector_slug})
    return condition


def record_type_condition(record_type: str) -> Q:
    """Events on a record of this type; ``relationship`` means events on no record."""
    if record_type == "relationship":
        return Q(**{f"{name}__isnull": True for name in EVENT_RECORDS})
    return Q(**{f"{record_type}__isnull": False})


#: Deliveries whose current forecast is still a milestone: forecast, and not complete.
FORECAST_AWAITED = Q(forecast_date__isnull=False, actual_date__isnull=True)


@dataclass(frozen=True)
class Milestone:
    when: PreciseDate
    title: str
    record: object
    kind: str


def upcoming_milestones(today: dt.date, limit: int = 10) -> list[Milestone]:
    """Planned events and delivery forecasts whose period has not ended yet, soonest first."""
    events = (
        TimelineEvent.objects.filter(is_planned=True)
        .annotate(ends=PeriodEnd(F("date"), F("precision")))
        .filter(ends__gte=today)
        .select_related(*EVENT_RECORDS)
        .order_by("date", "precision")[:limit]
    )
    forecasts = (
        Delivery.objects.filter(FORECAST_AWAITED)
        .annotate(ends=PeriodEnd(F("forecast_date"), F("forecast_precision")))
        .filter(ends__gte=today)
        .order_by("forecast_date")[:limit]
    )
    milestones = [Milestone(e.when, e.title, e.record, e.get_kind_display()) for e in events]
    milestones += [Milestone(d.forecast, d.title, d, "Delivery forecast") for d in forecasts]
    return sorted(milestones, key=lambda m: (m.when.date, m.when.end))[:limit]
