"""A record's change history as the API lists it: who changed what, when and why, each
changed field's old and new value, newest first, a page at a time."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from .changes import ACTIONS

#: Bookkeeping columns that change on every save and tell a reader nothing.
BOOKKEEPING = frozenset({"id", "updated_at"})


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    action: str
    user: str | None
    reason: str
    changes: list[FieldChange]


def history_of(model, pk: int) -> QuerySet:
    """The history rows of one row of ``model``, newest first, with their users."""
    return (
        model.history.model._default_manager.filter(id=pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def entries(rows: list, history: QuerySet) -> list[HistoryEntry]:
    """A page of ``history`` rows (newest first) as entries, each compared with the row
    before it: the rows of the page and one more, so two queries for any page size."""
    if not rows:
        return []
    last = rows[-1]
    before = history.filter(
        Q(history_date__lt=last.history_date)
        | Q(history_date=last.history_date, history_id__lt=last.history_id)
    ).first()
    return [entry(newer, older) for newer, older in itertools.pairwise([*rows, before])]


def entry(newer, older) -> HistoryEntry:
    user = newer.history_user
    return HistoryEntry(
        at=newer.history_date,
        action=ACTIONS[newer.history_type],
        user=None if user is None else user.get_username(),
        reason=newer.history_change_reason or "",
        changes=[] if newer.history_type == "-" else field_changes(newer, older),
    )


def field_changes(newer, older) -> list[FieldChange]:
    """The stored fields that differ between two history rows (every field that is set, for
    a creation), by column name (a foreign key is its id: ``sector_id``)."""
    changes = []
    for field in newer.tracked_fields:
        if field.name in BOOKKEEPING:
            continue
        new = getattr(newer, field.attname)
        old = None if older is None else getattr(older, field.attname)
        if old != new and not (older is None and new in (None, "", [])):
            changes.append(FieldChange(field.attname, plain(old), plain(new)))
    return changes


def plain(value):
    """A stored value as JSON holds it: decimals as their text (never floats), dates and
    times in ISO 8601."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value
