"""Deliveries with their schedules: revisions, tranches, and which are late."""

import datetime as dt

from django.db.models import F, Prefetch, Q, QuerySet

from ..choices import REVISION_KINDS
from ..models import Delivery, TimelineEvent
from .citations import TIMESTAMPS, citations_prefetch, own_fields


def revisions_prefetch() -> Prefetch:
    """A delivery's forecast revisions, oldest first, with their citations (``revisions``)."""
    return Prefetch(
        "events",
        queryset=TimelineEvent.objects.filter(kind__in=REVISION_KINDS)
        .only(*own_fields(TimelineEvent, TIMESTAMPS))
        .prefetch_related(citations_prefetch())
        .order_by("date", "precision", "id"),
        to_attr="revisions",
    )


def delivery_list() -> QuerySet[Delivery]:
    """Deliveries with the related records their representation reads; the API reads their
    citations, revisions and tranches for a whole page at once (``DeliverySerializer``)."""
    return Delivery.objects.select_related("sector", "agreement", "supplier", "recipient").only(
        *own_fields(Delivery),
        "sector__slug",
        "agreement__slug",
        "supplier__code",
        "recipient__code",
    )


def late_deliveries(today: dt.date) -> QuerySet[Delivery]:
    """Deliveries known to be late (``DeliveryQuerySet.late``), the most slipped first."""
    return (
        Delivery.objects.late(today)
        .select_related("supplier", "recipient")
        .order_by(F("slippage_months").desc(nulls_last=True), "title")
    )


def late_deliveries_with_sources(today: dt.date) -> QuerySet[Delivery]:
    """``late_deliveries``, each with its forecast revisions and their citations."""
    return late_deliveries(today).prefetch_related(revisions_prefetch())


def delivery_schedules(limit: int = 15) -> QuerySet[Delivery]:
    """Deliveries with a known baseline, forecast or actual date, most slipped first."""
    known = Q(baseline_date__isnull=False) | Q(forecast_date__isnull=False)
    return Delivery.objects.filter(known | Q(actual_date__isnull=False)).order_by(
        F("slippage_months").desc(nulls_last=True), "title"
    )[:limit]


def forecast_revisions(delivery: Delivery) -> list[TimelineEvent]:
    """A delivery's postponements and forecast revisions, in the order the schedule reads
    them (``derive_schedule``): by date, then precision, then id."""
    return list(
        TimelineEvent.objects.filter(delivery=delivery, kind__in=REVISION_KINDS).order_by(
            "date", "precision", "id"
        )
    )
