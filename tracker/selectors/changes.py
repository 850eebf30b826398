"""The changes history: creations, changes and deletions from the history tables, in the
order they happened. The API's feeds and the editors' dashboard both read it here."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models import Manager

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
class RecordRef:
    """The record a change is on or in: its type, id and current slug (None for an event,
    which is addressed by id, and for a record since deleted)."""

    type: str
    id: int
    slug: str | None


@dataclass(frozen=True)
class Change:
    key: ChangeKey
    source: ChangeSource
    id: int
    action: str
    title: str
    #: The changed row's current slug, for a record type addressed by slug (None once deleted).
    slug: str | None
    record: RecordRef | None
    user_id: int | None

    @property
    def type(self) -> str:
        return self.key.type


#: Every history table's foreign keys to the record a change affects, in one order: the
#: statement reads them all, null where a table has none.
PARENTS = (*EVENT_RECORDS, "event")
SOURCES_BY_TYPE = {source.type: source for source in CHANGE_SOURCES}
#: The types addressed by slug (``tracker.links``), whose current slug the statement reads.
SLUGGED = {
    "agreement": Agreement,
    "delivery": Delivery,
    "issue": Issue,
    "source": Source,
    "trade_record": TradeRecord,
}


@functools.cache
def _select(source: ChangeSource, alias: str) -> str:
    """``SELECT history id, time, action, user, id, title, type, *parents FROM`` one history
    table, its names from the model's metadata."""
    connection = connections[alias]
    history = source.history.model
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(history._meta.get_field(name).column)

    fields = ["history_id", "history_date", "history_type", "history_user", "id"]
    parents = [
        f"{column(name) if name in source.record_fields else 'NULL::bigint'} AS parent_{name}"
        for name in PARENTS
    ]
    return (
        f"SELECT {', '.join(column(name) for name in fields)}, "
        f"{column(source.title_field)}::text, '{source.type}'::text AS change_type, "
        f"{', '.join(parents)} FROM {quote(history._meta.db_table)}"
    )


def _after(source: ChangeSource, since, after: ChangeKey | None) -> tuple[str, list]:
    """The condition (SQL and its parameters) for rows of one history table after the cursor
    ``after``, or else at or after ``since``."""
    if after is None:
        return ("WHERE history_date >= %s", [since]) if since is not None else ("", [])
    if source.type > after.type:
        return "WHERE history_date >= %s", [after.at]
    if source.type == after.type:
        condition = "WHERE (history_date > %s OR (history_date = %s AND history_id > %s))"
        return condition, [after.at, after.at, after.history_id]
    return "WHERE history_date > %s", [after.at]


@functools.cache
def _slugs(alias: str) -> str:
    """The select list that adds to a page of changes the current slug of each changed record
    and of the record each part is in: a lookup by id per row, on the page's rows only."""
    quote = connections[alias].ops.quote_name

    def slug_of(record_type: str, id_column: str) -> str:
        table = quote(SLUGGED[record_type]._meta.db_table)
        return f"(SELECT slug FROM {table} WHERE id = page.{id_column})"

    own = " ".join(f"WHEN '{name}' THEN {slug_of(name, 'id')}" for name in SLUGGED)
    parents = ", ".join(slug_of(name, f"parent_{name}") for name in EVENT_RECORDS)
    return f"CASE page.change_type {own} END, COALESCE({parents})"


def _change(row: tuple) -> Change:
    history_id, at, history_type, user_id, pk, title, type_, *parents, slug, parent_slug = row
    record = next(
        (
            RecordRef(name, parent, None if name == "event" else parent_slug)
            for name, parent in zip(PARENTS, parents, strict=True)
            if parent
        ),
        None,
    )
    key = ChangeKey(at, type_, history_id)
    source = SOURCES_BY_TYPE[type_]
    return Change(key, source, pk, ACTIONS[history_type], title or "", slug, record, user_id)


def change_list(
    *,
    since: dt.datetime | None = None,
    after: ChangeKey | None = None,
    types: frozenset[str] = frozenset(),
    limit: int,
    newest_first: bool = False,
) -> list[Change]:
    """Creations, changes and deletions in the order they happened, from the history tables.

    One statement, in SQL of its own (the ORM would build and compile a query per table on
    every request): each history table's first ``limit`` rows, read from its index on
    ``history_date``, then ``UNION ALL`` ordered by (time, table, row) and cut at ``limit``,
    so it stays fast at any depth; the page's rows then get their records' current slugs.
    Continue a listing with ``after`` = the last key seen; ``newest_first`` gives the latest
    ``limit`` changes instead.
    """
    sources = [source for source in CHANGE_SOURCES if not types or source.type in types]
    alias = router.db_for_read(sources[0].history.model)
    direction = "DESC" if newest_first else "ASC"
    parts, params = [], []
    for source in sources:
        condition, condition_params = _after(source, since, after)
        parts.append(
            f"({_select(source, alias)} {condition} "
            f"ORDER BY history_date {direction}, history_id {direction} LIMIT %s)"
        )
        params += [*condition_params, limit]
    # The types differ within their first four letters, so any collation orders them as
    # ChangeKey does.
    order = f"history_date {direction}, change_type {direction}, history_id {direction}"
    sql = (
        f"SELECT page.*, {_slugs(alias)} FROM (SELECT * FROM ({' UNION ALL '.join(parts)})"
        f" AS changes ORDER BY {order} LIMIT %s) AS page ORDER BY {order}"
    )
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [_change(row) for row in cursor.fetchall()]


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
