"""How many records there are: by status, and beyond the first rows a page shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from ..choices import COLOURS
from ..models import Agreement, Delivery, Issue

#: Record types whose status the dashboard counts, with the field that holds it.
STATUS_FIELDS = [(Agreement, "status"), (Delivery, "status"), (Issue, "status")]


@dataclass(frozen=True)
class StatusCount:
    value: str
    label: str
    colour: str
    count: int


@dataclass(frozen=True)
class StatusSummary:
    model: type
    counts: list[StatusCount]

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural).capitalize()

    @property
    def total(self) -> int:
        return sum(c.count for c in self.counts)


def status_counts() -> list[StatusSummary]:
    """For each record type, how many records have each status (one query per type)."""
    summaries = []
    for model, field in STATUS_FIELDS:
        found = dict(model.objects.order_by().values_list(field).annotate(n=Count("pk")))
        choices = model._meta.get_field(field).choices
        counts = [
            StatusCount(value, label, COLOURS.get(value, "grey"), found[value])
            for value, label in choices
            if found.get(value)
        ]
        summaries.append(StatusSummary(model, counts))
    return summaries


@dataclass(frozen=True)
class FirstOf:
    """The first rows of a list that a page shows, and how many the whole list holds."""

    rows: list
    total: int

    @property
    def more(self) -> int:
        """How many the page leaves out."""
        return self.total - len(self.rows)


def first_of(queryset, limit: int = 10) -> FirstOf:
    """The first ``limit`` rows of ``queryset`` and its length; counted by the database only
    when the rows fill the limit, so a short list costs no extra statement."""
    rows = list(queryset[:limit])
    return FirstOf(rows, len(rows) if len(rows) < limit else queryset.count())
