"""Read-side queries behind the API: the merged timeline, the trade summary, the changes feed.

Each function returns plain data (querysets or dicts); the API serialises it, the feeds
render it. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache
from itertools import islice
from operator import itemgetter

from django.db.models import DateTimeField, IntegerField, Manager, Prefetch, Q, QuerySet

from ..choices import REVISION_KINDS, TradeFlow, TradeKind, TradeMetric, Unit
from ..compiled import Bound, CompiledQuery
from ..dates import Precision, period_start
from ..models import (
    Agreement,
    AgreementParty,
    Citation,
    Delivery,
    Issue,
    Source,
    TimelineEvent,
    TradeRecord,
    Tranche,
)
from ..models.agreements import step_events
from ..models.events import EVENT_RECORDS

# --- citations and the timeline ----------------------------------------------------------


def citations_prefetch(lookup: str = "citations") -> Prefetch:
    """Citations with their source, in one query for a whole page of rows."""
    return Prefetch(lookup, queryset=Citation.objects.select_related("source").order_by("id"))


def event_list() -> QuerySet[TimelineEvent]:
    """Events with everything their representation reads, in chronological order.

    Order is (date, precision, id): precisions sort finest-first, so "2025-01-01" comes
    before "Jan 2025", which comes before "2025" (see ``tracker.dates.Precision``).
    """
    return (
        TimelineEvent.objects.select_related(*EVENT_RECORDS, "party")
        .prefetch_related(citations_prefetch())
        .order_by("date", "precision", "id")
    )


def ending_on_or_after(day: dt.date) -> Q:
    """Events whose period ends on or after ``day`` ("2025" counts for 2025-06-01).

    A date is stored as the start of its period, so at each precision that means stored on or
    after the start of the period of that precision holding ``day``. Plain comparisons of the
    date column, bounded below by the earliest of them, so an index on the date serves them.
    Precisions whose periods start on the same day share one comparison. On the first day of
    a year all do, and the condition is one comparison (the database admits no other
    precision): the timeline's query, filtered from 2010-01-01, then takes the ORM 1.05 ms to
    build and compile rather than 1.45 ms with a comparison per precision.
    """
    precisions_from: dict[dt.date, list[str]] = {}
    for precision in Precision:
        precisions_from.setdefault(period_start(day, precision), []).append(precision)
    earliest = min(precisions_from)
    if len(precisions_from) == 1:
        return Q(date__gte=earliest)
    at_each_start = Q()
    for start, precisions in precisions_from.items():
        at_each_start |= Q(precision__in=precisions, date__gte=start)
    return Q(date__gte=earliest) & at_each_start


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


def revisions_prefetch() -> Prefetch:
    """A delivery's forecast revisions, oldest first, with their citations (``revisions``)."""
    return Prefetch(
        "events",
        queryset=TimelineEvent.objects.filter(kind__in=REVISION_KINDS)
        .prefetch_related(citations_prefetch())
        .order_by("date", "precision", "id"),
        to_attr="revisions",
    )


def agreement_parties_prefetch() -> Prefetch:
    """An agreement's parties, each with its party (code and name)."""
    return Prefetch("agreement_parties", AgreementParty.objects.select_related("party"))


def steps_prefetch() -> Prefetch:
    """An agreement's party steps (``step_events``), for ``Agreement.party_steps``."""
    return Prefetch("events", queryset=step_events(), to_attr="step_events")


# --- the trade summary -------------------------------------------------------------------

BILLION = Decimal(10) ** 9
#: Progress towards a target is a ratio given to four places (0.687 = 68.7 %).
PLACES = Decimal("0.0001")
#: How many billions one unit of each scale is.
IN_BILLIONS = {
    Unit.ONE: 1 / BILLION,
    Unit.THOUSAND: Decimal(10) ** 3 / BILLION,
    Unit.MILLION: Decimal(10) ** 6 / BILLION,
    Unit.BILLION: Decimal(1),
}


#: What the summary reads of each trade record (rows, not model instances: there are many).
SUMMARY_COLUMNS = [
    "id",
    "slug",
    "period_type",
    "period_start",
    "period_end",
    "reporter__code",
    "partner__code",
    "currency",
    "flow",
    "value",
    "value_high",
    "unit",
    "kind",
    "qualifier",
    "counts_toward_totals",
    "target_date",
    "target_precision",
]


def in_billions(record: dict) -> Decimal:
    return record["value"] * IN_BILLIONS[record["unit"]]


@lru_cache(maxsize=8)
def _summary_query(filter_names: frozenset[str]) -> CompiledQuery:
    """Whole-trade value figures (no commodity) in a money scale, compiled once for each set
    of filters (reporter, partner, period type) that a request gives."""
    bound = {name: Bound(name, TradeRecord._meta.get_field(name)) for name in filter_names}
    return CompiledQuery(
        lambda: (
            TradeRecord.objects.filter(
                metric=TradeMetric.VALUE,
                commodity="",
                hs_code="",
                unit__in=list(IN_BILLIONS),
                **bound,
            )
            .exclude(currency="")
            .order_by("-period_start", "period_end", "flow", "id")
            .values(*SUMMARY_COLUMNS)
        )
    )


def _summary_records(filters: dict) -> list[dict]:
    """The figures for these filters (a party is given as a Party or by its id)."""
    values = {name: getattr(value, "pk", value) for name, value in filters.items()}
    return _summary_query(frozenset(values)).rows(**values)


@dataclass
class SummaryGroup:
    """One period of trade between a reporter and a partner, in one currency."""

    period_type: str
    period_start: dt.date
    period_end: dt.date
    reporter: str
    partner: str
    currency: str
    figures: dict
    counted: list
    not_counted: list

    @property
    def imports(self) -> Decimal | None:
        return self.figures.get(TradeFlow.IMPORT)

    @property
    def exports(self) -> Decimal | None:
        return self.figures.get(TradeFlow.EXPORT)

    @property
    def total_is_reported(self) -> bool:
        return TradeFlow.TOTAL in self.figures

    @property
    def total(self) -> Decimal | None:
        if self.total_is_reported:
            return self.figures[TradeFlow.TOTAL]
        if self.imports is None or self.exports is None:
            return None
        return self.imports + self.exports

    @property
    def balance(self) -> Decimal | None:
        """Exports minus imports, from the reporter's side: negative is a deficit."""
        if self.imports is None or self.exports is None:
            return None
        return self.exports - self.imports


def trade_summary(filters: dict | None = None) -> tuple[list[SummaryGroup], list[dict]]:
    """Trade by period and flow, and progress against targets, in billions.

    Only the claim of each figure that ``counts_toward_totals`` is used, so a figure that two
    sources state differently ("$4.88 B" and "about $4.9 B") is never added twice; the other
    claims are listed with each group as ``not_counted``. The total is the reported total where
    a source gives one, otherwise imports plus exports.
    """
    groups: dict[tuple, SummaryGroup] = {}
    targets = []
    for record in _summary_records(filters or {}):
        if record["kind"] == TradeKind.TARGET:
            targets.append(record)
            continue
        key = (
            record["period_type"],
            record["period_start"],
            record["period_end"],
            record["reporter__code"],
            record["partner__code"],
            record["currency"],
        )
        group = groups.get(key) or groups.setdefault(key, SummaryGroup(*key, {}, [], []))
        if record["counts_toward_totals"]:
            group.figures[record["flow"]] = in_billions(record)
            group.counted.append(record)
        else:
            group.not_counted.append(record)
    ordered = list(groups.values())
    return ordered, [_target_progress(target, ordered) for target in targets]


def _target_progress(target: dict, groups: list[SummaryGroup]) -> dict:
    """A target with the latest matching figure and the share of the target it reaches."""
    pair = {target["reporter__code"], target["partner__code"]}
    candidates = [
        g
        for g in groups
        if {g.reporter, g.partner} == pair
        and g.currency == target["currency"]
        and _flow_value(g, target["flow"]) is not None
    ]
    latest = max(candidates, key=lambda g: (g.period_end, g.period_start), default=None)
    value = in_billions(target)
    reached = _flow_value(latest, target["flow"]) if latest else None
    progress = None if reached is None or not value else (reached / value).quantize(PLACES)
    return {
        "target": target,
        "value": value,
        "latest": latest,
        "reached": reached,
        "progress": progress,
    }


def _flow_value(group: SummaryGroup, flow: str) -> Decimal | None:
    return {
        TradeFlow.TOTAL: group.total,
        TradeFlow.IMPORT: group.imports,
        TradeFlow.EXPORT: group.exports,
    }[flow]


# --- the changes feed --------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeSource:
    """A history table that the changes feed reads.

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
    """Where a change sits in the feed: ordered by time, then history table, then row."""

    at: dt.datetime
    type: str
    history_id: int


@dataclass(frozen=True)
class Change:
    key: ChangeKey
    id: int
    action: str
    title: str
    record: tuple[str, int] | None

    @property
    def type(self) -> str:
        return self.key.type


SINCE = Bound("since", DateTimeField())
AFTER_TIME = Bound("after_time", DateTimeField())
AFTER_HISTORY_ID = Bound("after_history_id", IntegerField())


def _after(source: ChangeSource, since: bool, after_type: str | None) -> Q:
    """Rows of one history table after the cursor (a change in the table ``after_type``), or
    else at or after ``since``, if given.

    The values are placeholders, bound when the query runs; only their shape is decided here.
    """
    if after_type is None:
        return Q(history_date__gte=SINCE) if since else Q()
    later = Q(history_date__gt=AFTER_TIME)
    if source.type > after_type:
        return later | Q(history_date=AFTER_TIME)
    if source.type == after_type:
        return later | Q(history_date=AFTER_TIME, history_id__gt=AFTER_HISTORY_ID)
    return later


@lru_cache(maxsize=1024)
def _changes_query(
    source: ChangeSource, since: bool, after_type: str | None, limit: int, newest_first: bool
) -> CompiledQuery:
    """The rows of one history table for one shape of request, compiled once.

    A shape is: with or without ``since``, the cursor's table (only how it sorts against this
    one matters), the page size and the direction. Feeds are read in a handful of shapes;
    the cache bounds the rest.
    """
    fields = ["history_id", "history_date", "history_type", "id", source.title_field]
    order = ["-history_date", "-history_id"] if newest_first else ["history_date", "history_id"]
    return CompiledQuery(
        lambda: (
            source.history.filter(_after(source, since, after_type))
            .order_by(*order)
            .values_list(*fields, *(f"{name}_id" for name in source.record_fields))[:limit]
        )
    )


def _changes_of(source, since, after, types, limit, newest_first) -> list[tuple]:
    """The rows of one history table, each as ((time, type, history id), source, row)."""
    if types and source.type not in types:
        return []
    query = _changes_query(source, since is not None, after and after.type, limit, newest_first)
    rows = query.rows(
        since=since,
        after_time=after and after.at,
        after_history_id=after and after.history_id,
    )
    return [((row[1], source.type, row[0]), source, row) for row in rows]


def _change(source: ChangeSource, row: tuple) -> Change:
    history_id, at, history_type, pk, title, *parents = row
    record = next(
        (
            (name, parent)
            for name, parent in zip(source.record_fields, parents, strict=True)
            if parent
        ),
        None,
    )
    return Change(
        ChangeKey(at, source.type, history_id), pk, ACTIONS[history_type], title or "", record
    )


def change_list(
    *,
    since: dt.datetime | None = None,
    after: ChangeKey | None = None,
    types: frozenset[str] = frozenset(),
    limit: int,
    newest_first: bool = False,
) -> list[Change]:
    """Creations, changes and deletions in the order they happened, from the history tables.

    One query per history table, each bounded by ``limit``, merged by (time, table, row):
    a constant number of queries that stays fast at any depth, since every table is read
    from an index on ``history_date``. Continue a listing with ``after`` = the last key seen;
    ``newest_first`` gives the latest ``limit`` changes instead (for the Atom feed).
    """
    streams = [
        _changes_of(source, since, after, types, limit, newest_first) for source in CHANGE_SOURCES
    ]
    # Merged on plain (time, type, history id) tuples, ordered as ChangeKey orders; only the
    # rows that make the page become Change objects.
    merged = heapq.merge(*streams, key=itemgetter(0), reverse=newest_first)
    return [_change(source, row) for _key, source, row in islice(merged, limit)]
