"""The changes history: creations, changes and deletions from the history tables, in the
order they happened. The API's feeds and the editors' dashboard both read it here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth import get_user_model
from django.db.models import BigIntegerField, CharField, F, Manager, Q, Value

from ..models import (
    Agreement,
    Citation,
    Delivery,
    Issue,
    Source,
    TimelineEvent,
    TradeRecord,
    Tranche,
)
from ..models.events import EVENT_RECORDS


@dataclass(frozen=True)
class ChangeSource:
    """A history table that the changes history reads.

    ``record_fields`` (for rows that live inside another record, such as citations) name the
    foreign keys to the record whose representation the change affects.
    """

    type: str
    model: type
    title_field: str
    record_fields: tuple[str, ...] = ()

    @cached_property
    def history(self) -> Manager:
        """The history table's plain manager (``Model.history`` builds a new one per access)."""
        return self.model.history.model._default_manager


CHANGE_SOURCES = (
    ChangeSource("agreement", Agreement, "title"),
    ChangeSource("citation", Citation, "quote", (*EVENT_RECORDS, "event")),
    ChangeSource("delivery", Delivery, "title"),
    ChangeSource("event", TimelineEvent, "title", tuple(EVENT_RECORDS)),
    ChangeSource("issue", Issue, "title"),
    ChangeSource("source", Source, "title"),
    ChangeSource("trade_record", TradeRecord, "title"),
    ChangeSource("tranche", Tranche, "note", ("delivery",)),
)
CHANGE_TYPES = [source.type for source in CHANGE_SOURCES]
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True, order=True)
class ChangeKey:
    """Where a change sits in the history: ordered by time, then history table, then row."""

    at: dt.datetime
    type: str
    history_id: int


@dataclass(frozen=True)
class Change:
    key: ChangeKey
    source: ChangeSource
    id: int
    action: str
    title: str
    record: tuple[str, int] | None
    user_id: int | None

    @property
    def type(self) -> str:
        return self.key.type


def _after(source: ChangeSource, since: dt.datetime | None, after: ChangeKey | None) -> Q:
    """Rows of one history table after the cursor ``after`` or else at or after ``since``."""
    if after is None:
        return Q(history_date__gte=since) if since is not None else Q()
    later = Q(history_date__gt=after.at)
    if source.type > after.type:
        return later | Q(history_date=after.at)
    if source.type == after.type:
        return later | Q(history_date=after.at, history_id__gt=after.history_id)
    return later


#: Every history table's foreign keys to the record a change affects, in one order: the
#: statement reads them all, null where a table has none.
PARENTS = (*EVENT_RECORDS, "event")
SOURCES_BY_TYPE = {source.type: source for source in CHANGE_SOURCES}


def _changes_of(source, since, after, limit, newest_first):
    """The rows of one history table: (history id, time, action, user, id, title, type,
    *parents), the first ``limit`` in the page's order."""
    parents = {
        f"parent_{name}": F(f"{name}_id")
        if name in source.record_fields
        else Value(None, output_field=BigIntegerField())
        for name in PARENTS
    }
    order = ["-history_date", "-history_id"] if newest_first else ["history_date", "history_id"]
    return (
        source.history.filter(_after(source, since, after))
        .annotate(
            change_title=F(source.title_field),
            change_type=Value(source.type, output_field=CharField()),
            **parents,
        )
        .order_by(*order)
        .values_list(
            "history_id",
            "history_date",
            "history_type",
            "history_user_id",
            "id",
            "change_title",
            "change_type",
            *parents,
        )[:limit]
    )


def _change(row: tuple) -> Change:
    history_id, at, history_type, user_id, pk, title, type_, *parents = row
    record = next(
        ((name, parent) for name, parent in zip(PARENTS, parents, strict=True) if parent),
        None,
    )
    key = ChangeKey(at, type_, history_id)
    source = SOURCES_BY_TYPE[type_]
    return Change(key, source, pk, ACTIONS[history_type], title or "", record, user_id)


def change_list(
    *,
    since: dt.datetime | None = None,
    after: ChangeKey | None = None,
    types: frozenset[str] = frozenset(),
    limit: int,
    newest_first: bool = False,
) -> list[Change]:
    """Creations, changes and deletions in the order they happened, from the history tables.

    One statement: each history table's first ``limit`` rows, read from its index on
    ``history_date``, then ``UNION ALL`` ordered by (time, table, row) and cut at ``limit``,
    so it stays fast at any depth. Continue a listing with ``after`` = the last key seen;
    ``newest_first`` gives the latest ``limit`` changes instead.
    """
    first, *others = [
        _changes_of(source, since, after, limit, newest_first)
        for source in CHANGE_SOURCES
        if not types or source.type in types
    ]
    rows = first
    if others:
        # The types differ within their first four letters, so any collation orders them
        # as ChangeKey does.
        order = ["history_date", "change_type", "history_id"]
        if newest_first:
            order = [f"-{name}" for name in order]
        rows = first.union(*others, all=True).order_by(*order)[:limit]
    return [_change(row) for row in rows]


# --- the dashboard's list ------------------------------------------------------------------


@dataclass(frozen=True)
class RecentChange:
    """A change as the dashboard lists it: what, when, by whom."""

    model: type
    object_id: int
    label: str
    when: dt.datetime
    user: object
    action: str

    @property
    def kind(self) -> str:
        return str(self.model._meta.verbose_name)


def _label(change: Change) -> str:
    """A readable name: the change's title, else the record type and id."""
    text = change.title
    if not text:
        return f"{change.source.model._meta.verbose_name} #{change.id}"
    return text if len(text) <= 80 else f"{text[:77]}…"


def recent_changes(limit: int = 12) -> list[RecentChange]:
    """The latest changes to any record, whatever made them, with the users who made them."""
    changes = change_list(limit=limit, newest_first=True)
    user_ids = {change.user_id for change in changes if change.user_id is not None}
    users = get_user_model().objects.in_bulk(user_ids) if user_ids else {}
    return [
        RecentChange(
            change.source.model,
            change.id,
            _label(change),
            change.key.at,
            users.get(change.user_id),
            change.action.capitalize(),
        )
        for change in changes
    ]
