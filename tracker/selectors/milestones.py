"""Milestones: what a calendar of the relationship carries, each over the period of its date.

- planned events of the timeline;
- tranches planned and not yet arrived (the S-400's remaining two regiments, 2026);
- the current forecast of every delivery not yet complete (the Akula lease, 2028);
- trade targets at their target date ($100 billion of trade by 2030).

Only events are rows of the timeline; the others are read from their own tables, one query
each. The timeline's filters (``EventFilterSet``, whose cleaned values ``calendar_entries``
takes) apply to all of them: by record, record type, sector, date range and time of change.
A filter on what only events have — an event id, a kind, the party acting, an estimated date
— keeps only the events that match it, as the timeline leaves out events without a party
when asked for a party's. Every milestone counts as planned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import DateField, F, Q, QuerySet, Value

from ..choices import TradeKind
from ..dates import PreciseDate
from ..db import DaysApart
from ..figures import number
from ..models import Delivery, TimelineEvent, TradeRecord, Tranche
from ..models.events import EVENT_RECORDS
from .timeline import FORECAST_AWAITED, ending_on_or_after, event_list


@dataclass(frozen=True)
class CalendarEntry:
    """One milestone as a calendar shows it: all day, from ``when`` to ``last_day``."""

    #: What its identifier is made of, stable whatever the host: ("delivery", 12, "forecast").
    parts: tuple
    when: PreciseDate
    last_day: dt.date
    title: str
    description: str
    category: str
    #: The record it links to: its type and key (a slug, or an event's id on no record).
    record: tuple[str, str | int]
    updated_at: dt.datetime


@dataclass(frozen=True)
class MilestoneSource:
    """Milestones kept outside the timeline: which rows, where their date is, and the record
    they belong to (``record``: the path from a row to it; empty when the row is the record)."""

    record_type: str
    record: str
    date: str
    precision: str
    rows: Callable[[], QuerySet]
    entry: Callable[[object], CalendarEntry]

    def on(self, field: str) -> str:
        """The lookup of a field of the record from a row of this source."""
        return f"{self.record}__{field}" if self.record else field


def planned_events() -> QuerySet[TimelineEvent]:
    """Events marked planned, with their records, in chronological order."""
    return event_list().filter(is_planned=True)


def event_entry(event: TimelineEvent) -> CalendarEntry:
    """A planned event over its period, or to its last day if it lasts longer (a summit)."""
    record_type = event.record_type
    record = (record_type, event.record.slug) if record_type else ("event", event.pk)
    return CalendarEntry(
        parts=("event", event.pk),
        when=event.when,
        last_day=max(event.when.end, event.end_date or event.when.end),
        title=event.title,
        description=event.description,
        category=f"Planned: {event.get_kind_display()}",
        record=record,
        updated_at=event.updated_at,
    )


def tranche_entry(tranche: Tranche) -> CalendarEntry:
    delivery = tranche.delivery
    unit = delivery.quantity_unit or "units"
    return CalendarEntry(
        parts=("delivery", delivery.pk, "tranche", tranche.pk),
        when=tranche.precise("planned_date"),
        last_day=tranche.precise("planned_date").end,
        title=f"{delivery.title}: tranche {tranche.sequence} due, "
        f"{number(tranche.quantity)} {unit}",
        description=tranche.note,
        category="Planned tranche",
        record=("delivery", delivery.slug),
        updated_at=tranche.updated_at,
    )


def forecast_entry(delivery: Delivery) -> CalendarEntry:
    return CalendarEntry(
        parts=("delivery", delivery.pk, "forecast"),
        when=delivery.forecast,
        last_day=delivery.forecast.end,
        title=f"{delivery.title}: forecast completion",
        description=forecast_note(delivery),
        category="Delivery forecast",
        record=("delivery", delivery.slug),
        updated_at=delivery.updated_at,
    )


def forecast_note(delivery: Delivery) -> str:
    """What the sources say of the forecast against the first promised date."""
    if delivery.postponed_from_unknown:
        return "Postponed by an unknown span: the sources do not give the first date."
    if delivery.baseline is None:
        return "The sources do not give the first date."
    if delivery.slippage_months:
        return f"Baseline {delivery.baseline}; slipped by {delivery.slippage_months} months."
    return f"Baseline {delivery.baseline}."


def target_entry(record: TradeRecord) -> CalendarEntry:
    when = record.precise("target_date")
    return CalendarEntry(
        parts=("trade-record", record.pk, "target"),
        when=when,
        last_day=when.end,
        title=record.title,
        description=record.summary,
        category="Trade target",
        record=("trade_record", record.slug),
        updated_at=record.updated_at,
    )


MILESTONE_SOURCES = (
    MilestoneSource(
        "delivery",
        "delivery",
        "planned_date",
        "planned_precision",
        lambda: (
            Tranche.objects.filter(planned_date__isnull=False, actual_date__isnull=True)
            .select_related("delivery")
            .only(
                "sequence",
                "quantity",
                "planned_date",
                "planned_precision",
                "note",
                "updated_at",
                "delivery__slug",
                "delivery__title",
                "delivery__quantity_unit",
            )
        ),
        tranche_entry,
    ),
    MilestoneSource(
        "delivery",
        "",
        "forecast_date",
        "forecast_precision",
        lambda: Delivery.objects.filter(FORECAST_AWAITED),
        forecast_entry,
    ),
    MilestoneSource(
        "trade_record",
        "",
        "target_date",
        "target_precision",
        lambda: TradeRecord.objects.filter(kind=TradeKind.TARGET, target_date__isnull=False),
        target_entry,
    ),
)

#: Filters of the timeline on what only events have: given any value, they keep events only.
EVENT_ONLY_FILTERS = ("id", "kind", "party")


def source_condition(
    source: MilestoneSource, filters: dict, record: tuple[str, int] | None
) -> Q | None:
    """The rows of ``source`` that the timeline's ``filters`` keep, on ``record`` (a type and
    an id) if given; ``None`` when they keep none of them."""
    given = {name: value for name, value in filters.items() if value not in (None, "", [])}
    if (
        any(name in given for name in EVENT_ONLY_FILTERS)
        or given.get("is_planned") is False
        or given.get("date_is_estimate") is True
        or given.get("record_type", source.record_type) != source.record_type
        or any(name in given for name in EVENT_RECORDS if name != source.record_type)
        or (record and record[0] != source.record_type)
    ):
        return None
    condition = Q()
    if record:
        condition &= Q(**{source.on("pk"): record[1]})
    if source.record_type in given:
        condition &= Q(**{source.on("slug"): given[source.record_type]})
    if "sector" in given:
        condition &= Q(**{source.on("sector__slug"): given["sector"]})
    if "updated_since" in given:
        condition &= Q(updated_at__gte=given["updated_since"])
    if "date_from" in given:
        condition &= ending_on_or_after(given["date_from"], source.date, source.precision)
    if "date_to" in given:
        condition &= Q(**{f"{source.date}__lte": given["date_to"]})
    return condition


#: The most milestones a calendar holds: those dated nearest to the day it is read.
CALENDAR_ENTRIES = 1000


def nearest(rows: QuerySet, date: str, today: dt.date, limit: int) -> QuerySet:
    """The ``limit`` rows whose ``date`` is nearest to ``today``, before or after it."""
    distance = DaysApart(F(date), Value(today, output_field=DateField()))
    return rows.annotate(days_away=distance).order_by("days_away", "pk")[:limit]


def calendar_entries(
    events: QuerySet[TimelineEvent],
    filters: dict,
    record: tuple[str, int] | None = None,
    *,
    today: dt.date,
    limit: int = CALENDAR_ENTRIES,
) -> list[CalendarEntry]:
    """The milestones that the timeline's ``filters`` keep, on ``record`` if given, in the
    order of their dates: ``events`` (planned events the filters kept already) and the
    milestones of ``MILESTONE_SOURCES``. One query per source, whatever their number.

    A calendar of every milestone at scale (20,000 deliveries) would take a minute to write
    and be too big for a calendar application to read: it holds the ``limit`` dated nearest
    to ``today``, and filters narrow it to others.
    """
    if record:
        events = events.filter(**{f"{record[0]}_id": record[1]})
    entries = [event_entry(event) for event in nearest(events, "date", today, limit)]
    for source in MILESTONE_SOURCES:
        condition = source_condition(source, filters, record)
        if condition is not None:
            rows = nearest(source.rows().filter(condition), source.date, today, limit)
            entries += [source.entry(row) for row in rows]
    kept = sorted(entries, key=lambda e: (abs((e.when.date - today).days), e.parts))[:limit]
    return sorted(kept, key=lambda e: (e.when.date, e.last_day, e.parts))
