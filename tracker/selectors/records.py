"""One record read for its page: the record, its timeline with each event's citations, what
it relates to, and how often it changed — a fixed number of queries whatever the data's size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from ..models import (
    Agreement,
    AgreementRelation,
    Citation,
    Delivery,
    Issue,
    Source,
    TimelineEvent,
    TradeRecord,
)
from ..models.agreements import step_events
from ..models.events import EVENT_RECORDS
from ..models.trade import FIGURE_IDENTITY
from .agreements import agreement_parties_prefetch, steps_prefetch
from .citations import citations_prefetch
from .deliveries import revisions_prefetch

#: The most events a record's page lists; the API and the feeds carry the whole timeline.
EVENTS_SHOWN = 200
#: The most citations a source's page lists and highlights.
CITATIONS_SHOWN = 500
#: The most related records of one kind a page lists.
RELATED_SHOWN = 50


def record_events(record_type: str, record) -> list[TimelineEvent]:
    """The first ``EVENTS_SHOWN`` events on a record, oldest first, each with its party and
    citations (two queries)."""
    return list(
        TimelineEvent.objects.filter(**{record_type: record})
        .select_related("party")
        .prefetch_related(citations_prefetch())
        .order_by("date", "precision", "id")[:EVENTS_SHOWN]
    )


@dataclass(frozen=True)
class ChangeHistory:
    """How often a record was changed after it was created, and when last."""

    changes: int
    last: dt.datetime | None


def change_history(record) -> ChangeHistory:
    """From the record's history table (``django-simple-history``), in one query."""
    found = record.history.aggregate(
        changes=Count("pk", filter=Q(history_type="~")), last=Max("history_date")
    )
    return ChangeHistory(found["changes"], found["last"])


def agreement_page(key: str) -> Agreement:
    """An agreement with its parties, each party's steps (with their citations), its own
    citations, its deliveries and the agreements it relates to."""
    steps = step_events().prefetch_related(citations_prefetch())
    relations = AgreementRelation.objects.select_related("to_agreement").only(
        "kind", "from_agreement_id", "to_agreement__slug", "to_agreement__title"
    )
    inverse = AgreementRelation.objects.select_related("from_agreement").only(
        "kind", "to_agreement_id", "from_agreement__slug", "from_agreement__title"
    )
    return get_object_or_404(
        Agreement.objects.select_related("sector").prefetch_related(
            citations_prefetch(),
            agreement_parties_prefetch(),
            steps_prefetch(steps),
            Prefetch("relations", relations),
            Prefetch("inverse_relations", inverse),
        ),
        slug=key,
    )


def agreement_deliveries(agreement: Agreement) -> list[Delivery]:
    """The deliveries made under an agreement, by title."""
    return list(
        Delivery.objects.filter(agreement=agreement).only("slug", "title", "status")[:RELATED_SHOWN]
    )


def delivery_page(key: str) -> Delivery:
    """A delivery with its parties, agreement, tranches, citations and forecast revisions."""
    return get_object_or_404(
        Delivery.objects.select_related(
            "sector", "agreement", "supplier", "recipient"
        ).prefetch_related(citations_prefetch(), "tranches", revisions_prefetch()),
        slug=key,
    )


def trade_record_page(key: str) -> TradeRecord:
    return get_object_or_404(
        TradeRecord.objects.select_related("sector", "reporter", "partner").prefetch_related(
            citations_prefetch()
        ),
        slug=key,
    )


def other_claims(record: TradeRecord) -> list[TradeRecord]:
    """Other sources' claims of the same figure (``FIGURE_IDENTITY``)."""
    same = {name: getattr(record, name) for name in FIGURE_IDENTITY}
    return list(
        TradeRecord.objects.filter(**same, sector_id=record.sector_id)
        .exclude(pk=record.pk)
        .order_by("-counts_toward_totals", "id")[:RELATED_SHOWN]
    )


def issue_page(key: str) -> Issue:
    return get_object_or_404(
        Issue.objects.select_related("sector").prefetch_related(citations_prefetch()), slug=key
    )


#: What a source's citation reads of what it supports: enough to name it and link its page.
SUPPORTED = [*EVENT_RECORDS, "event", *(f"event__{name}" for name in EVENT_RECORDS)]


def source_page(key: str) -> Source:
    return get_object_or_404(Source, slug=key)


def source_citations(source: Source) -> QuerySet[Citation]:
    """The first ``CITATIONS_SHOWN`` citations of a source, with what each supports."""
    return (
        Citation.objects.filter(source=source)
        .select_related(*SUPPORTED)
        .order_by("id")[:CITATIONS_SHOWN]
    )
