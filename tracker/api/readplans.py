"""The read path of lists and timelines: rows from ``.values()``, no model instances.

The serializers stay the contract: they define every representation, the schema and every
write. Building a page of 100 deliveries through them, though, costs more than the database
does (model instances for every row and prefetched child, then per-field calls in DRF). A
``ReadPlan`` is compiled once from a serializer's fields: it knows which columns each field
reads, fetches them with ``.values()`` (nested lists with one query per level, as the
prefetches did) and builds the same dicts. ``tests/api/test_read_plans.py`` checks that every
list gives exactly what the serializer gives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property, lru_cache
from typing import Any, NamedTuple

import orjson
from django.conf import settings
from django.db.models import Field, Model, Prefetch, QuerySet
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from rest_framework import ISO_8601, relations, serializers
from rest_framework.settings import api_settings

from ..compiled import Bound, CompiledQuery
from ..links import BASENAMES
from ..models import AgreementParty, TimelineEvent
from ..models.agreements import STEP_ORDER, PartySteps, party_steps, step_events
from ..models.events import EVENT_RECORDS
from ..selectors.api import event_list
from .fields import LatenessField, PreciseDateField, date_data
from .filtersets import EventFilters
from .serializers import LinkField

#: Stands for a record's key while a URL pattern is reversed.
KEY_PLACEHOLDER = "9876543210"
Row = dict[str, Any]


class Links:
    """What rows are built with that holds for one request: absolute URLs, each a view's path
    with the key filled in per row, the time zone times are shown in, and the day (in that
    zone) that derived values such as a delivery's lateness hold for."""

    def __init__(self, request):
        #: The scheme and host that absolute URLs start with (none without a request).
        self.origin = f"{request.scheme}://{request.get_host()}" if request else ""
        self._templates: dict[str, tuple[str, str]] = {}
        self.zone = display_zone()
        self.today = timezone.localdate()

    def url(self, view_name: str, key) -> str:
        if view_name not in self._templates:
            head, tail = path_template(view_name, get_script_prefix(), get_urlconf())
            self._templates[view_name] = (f"{self.origin}{head}", tail)
        head, tail = self._templates[view_name]
        return f"{head}{key}{tail}"


@lru_cache(maxsize=256)
def path_template(view_name: str, script_prefix: str, urlconf) -> tuple[str, str]:
    """A view's path around its ``key``, as (before, after), reversed once per script prefix
    and URL configuration: ``reverse`` took 25 µs a view, two to three views a request."""
    path = reverse(view_name, kwargs={"key": KEY_PLACEHOLDER}, urlconf=urlconf)
    return tuple(path.split(KEY_PLACEHOLDER, 1))


@dataclass
class Output:
    """One key of a representation: the columns it reads and how it is built from them."""

    name: str
    columns: tuple[str, ...]
    #: None for a nested list, which ``ReadPlan.build`` fills from its children.
    build: Callable[[Row, Links], Any] | None
    #: Set when the value is the column's as it is: copied without a call (most fields).
    column: str | None = None


@dataclass
class Nested:
    """A list of child rows (citations, tranches, revisions), fetched for a page at once by
    ``query``, compiled once: the children of the rows whose ids are bound as ``parent_ids``."""

    name: str
    plan: ReadPlan
    query: CompiledQuery
    parent_column: str


@dataclass
class PageList:
    """A list that the model works out rather than reads (an agreement's steps by party),
    for a page of rows at once: ``of_page(rows, links)`` gives each row id's list."""

    name: str
    of_page: Callable[[list[Row], Links], dict[int, list]]


@dataclass
class ReadPlan:
    outputs: list[Output]
    nested: list[Nested] = field(default_factory=list)
    page_lists: list[PageList] = field(default_factory=list)

    @cached_property
    def columns(self) -> list[str]:
        """Every column the outputs read, once each, and ``id``: worked out once per plan."""
        names = {"id": None}  # the key that nested lists hang on
        for output in self.outputs:
            names.update(dict.fromkeys(output.columns))
        return list(names)

    def rows(self, queryset: QuerySet, *extra_columns: str) -> QuerySet:
        """The queryset (filtered, ordered) as the plain rows this plan builds from."""
        plain = queryset.select_related(None).prefetch_related(None)
        return plain.values(*extra_columns, *self.columns)

    def build(self, rows: Iterable[Row], links: Links) -> list[Row]:
        rows = list(rows)
        children = {nested.name: self._children(nested, rows, links) for nested in self.nested}
        if rows:
            children.update({page.name: page.of_page(rows, links) for page in self.page_lists})
        representations = []
        for row in rows:
            item = {}
            for output in self.outputs:
                if output.column is not None:
                    item[output.name] = row[output.column]
                elif output.name in children:
                    item[output.name] = children[output.name].get(row["id"], [])
                else:
                    item[output.name] = output.build(row, links)
            representations.append(item)
        return representations

    @staticmethod
    def _children(nested: Nested, rows: list[Row], links: Links) -> dict[int, list[Row]]:
        if not rows:
            return {}
        child_rows = nested.query.rows(parent_ids=[row["id"] for row in rows])
        grouped: dict[int, list[Row]] = {}
        for child_row, child in zip(child_rows, nested.plan.build(child_rows, links), strict=True):
            grouped.setdefault(child_row[nested.parent_column], []).append(child)
        return grouped


class CountedRows:
    """A plan's rows as a paginator takes them, counted on the records they come from.

    ``COUNT(*)`` over the rows' own query keeps the joins that only fetch columns (a
    delivery's supplier, a trade record's partner): on 1,000,000 trade records 0.2–0.3 s,
    against 0.04–0.05 s for the records alone. Everything else is the rows' queryset's.
    """

    def __init__(self, rows: QuerySet, records: QuerySet):
        self.rows = rows
        self.records = records

    def count(self) -> int:
        return self.records.count()

    def __getitem__(self, index):
        return self.rows[index]

    def __getattr__(self, name: str):
        return getattr(self.rows, name)


class EventRows:
    """The rows of an event list, read by DRF's cursor pagination as it reads a queryset:
    ``order_by``, ``filter`` on the cursor's position, then a slice. Each shape of page (the
    record's lookup, the direction, a position or none) and set of filters is a statement
    compiled once and run with the request's values.

    A delivery's timeline of 21 events at scale 1 took the ORM 1.7–2.0 ms to build, compile
    and fetch, and its compiled statement 0.27 ms to run and fetch (thread time, 1,000 runs).
    """

    def __init__(
        self,
        serializer_class,
        on_record: dict,
        ordering=(),
        position=None,
        filters: EventFilters | None = None,
    ):
        self.serializer_class = serializer_class
        #: Lookups of the record whose events these are (``{"delivery__slug": …}``); or none.
        self.on_record = on_record
        self.ordering = tuple(ordering)
        #: The cursor's position as a lookup and its value (``("date__gt", "2025-01-01")``).
        self.position = position
        self.filters = filters

    def order_by(self, *ordering: str) -> EventRows:
        return EventRows(
            self.serializer_class, self.on_record, ordering, self.position, self.filters
        )

    def filter(self, **position) -> EventRows:
        ((lookup, value),) = position.items()
        return EventRows(
            self.serializer_class, self.on_record, self.ordering, (lookup, value), self.filters
        )

    def __getitem__(self, page: slice) -> list[Row]:
        lookup, value = self.position or (None, None)
        query = _event_page_query(
            self.serializer_class, tuple(self.on_record), self.ordering, lookup, self.filters
        )
        bounds = {"limit": page.stop - page.start, "offset": page.start}
        return query.rows(**self.on_record, position=value, **bounds)


@lru_cache(maxsize=512)
def _event_page_query(
    serializer_class,
    record_lookups: tuple[str, ...],
    ordering: tuple[str, ...],
    position: str | None,
    filters: EventFilters | None,
) -> CompiledQuery:
    def build() -> QuerySet:
        events = event_list() if filters is None else filters.events()
        events = events.filter(
            **{lookup: Bound(lookup, _field_of(lookup)) for lookup in record_lookups}
        )
        if position:
            events = events.filter(**{position: Bound("position", _field_of(position))})
        return event_plan(serializer_class).rows(events.order_by(*ordering))

    return CompiledQuery(build, paged=True)


@cache
def event_plan(serializer_class) -> ReadPlan:
    return plan_for(serializer_class, event_list())


def _field_of(lookup: str) -> Field:
    """The field an event lookup compares: ``delivery__slug`` → ``Delivery.slug``, ``date__gt``
    → ``TimelineEvent.date``."""
    model, field = TimelineEvent, None
    for name in lookup.split("__"):
        if field is not None:
            if not field.is_relation:
                break  # the rest names the comparison
            model = field.related_model
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    return field


# --- compiling a serializer into a plan ----------------------------------------------------


def compile_plan(serializer: serializers.Serializer, queryset: QuerySet) -> ReadPlan:
    """The plan of a serializer whose rows come from ``queryset`` (for its prefetches)."""
    outputs, nested, page_lists = [], [], []
    for name, serializer_field in serializer.fields.items():
        if serializer_field.write_only:
            continue
        if serializer_field.source in PAGE_LISTS:
            page_lists.append(PageList(name, PAGE_LISTS[serializer_field.source]))
            outputs.append(Output(name, (), None))
        elif isinstance(serializer_field, serializers.ListSerializer):
            nested.append(_nested(name, serializer_field, queryset))
            outputs.append(Output(name, (), None))
        else:
            outputs.append(_output(name, serializer_field, serializer))
    return ReadPlan(outputs, nested, page_lists)


def _output(name: str, serializer_field, serializer) -> Output:
    if isinstance(serializer_field, PreciseDateField):
        return _precise_date(name, *serializer_field.model_fields)
    if isinstance(serializer_field, LinkField):
        return _link(name, serializer_field.view_name, serializer_field.lookup_field)
    if isinstance(serializer_field, LatenessField):
        return _derived(name, serializer_field.columns, serializer_field.derive)
    if isinstance(serializer_field, serializers.SerializerMethodField):
        return METHOD_FIELDS[name](name, serializer)
    column = "__".join(serializer_field.source_attrs)
    if isinstance(serializer_field, relations.SlugRelatedField):
        return _plain(name, f"{column}__{serializer_field.slug_field}")
    if isinstance(serializer_field, serializers.Serializer):
        return _single(name, serializer_field, column)
    if _is_iso_datetime(serializer_field):
        return _iso_datetime(name, column)
    if isinstance(serializer_field, serializers.DecimalField):
        return _converted(name, column, decimal_text(serializer_field))
    if isinstance(serializer_field, serializers.DateTimeField | serializers.DateField):
        return _converted(name, column, serializer_field.to_representation)
    if type(serializer_field) in PLAIN_FIELDS:
        return _plain(name, column)
    raise TypeError(f"No read plan for {name!r} ({type(serializer_field).__name__}).")


#: Fields whose representation is the database value itself.
PLAIN_FIELDS = {
    serializers.CharField,
    serializers.ChoiceField,
    serializers.IntegerField,
    serializers.BigIntegerField,
    serializers.BooleanField,
    serializers.URLField,
    serializers.SlugField,
}


def _plain(name: str, column: str) -> Output:
    return Output(name, (column,), lambda row, links: row[column], column)


def _converted(name: str, column: str, convert: Callable) -> Output:
    def build(row: Row, links: Links):
        value = row[column]
        return None if value is None else convert(value)

    return Output(name, (column,), build)


def decimal_text(serializer_field: serializers.DecimalField) -> Callable[[Decimal], Any]:
    """``serializer_field.to_representation``, faster for stored values.

    A value from the database already has the field's decimal places ("4880000000.0000"), so
    DRF's text is the value's own: reading it costs 0.35 µs, DRF's decimal context 2.0.
    Any other value, and fields that localize, normalize or give numbers, go to DRF.
    """
    places = serializer_field.decimal_places
    coerce = getattr(serializer_field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    if not places or not coerce or serializer_field.localize or serializer_field.normalize_output:
        return serializer_field.to_representation

    def text(value: Decimal) -> str:
        written = str(value)
        if written[-places - 1 : -places] == "." and written[-places:].isdigit():
            return written
        return serializer_field.to_representation(value)

    return text


def _is_iso_datetime(serializer_field) -> bool:
    output_format = getattr(serializer_field, "format", api_settings.DATETIME_FORMAT)
    return (
        isinstance(serializer_field, serializers.DateTimeField)
        and not hasattr(serializer_field, "timezone")
        and settings.USE_TZ
        and (output_format or "").lower() == ISO_8601
    )


def display_zone() -> dt.tzinfo:
    """The zone times are shown in (the request's), looked up once per request: it is a
    context-local. UTC is ``datetime.UTC``, which ``iso_datetime`` writes fastest."""
    zone = timezone.get_current_timezone()
    return dt.UTC if str(zone) == "UTC" else zone


def iso_datetime(value, zone) -> str:
    """DRF's ISO 8601 rendering of an aware time, in ``zone`` ("Z" for UTC).

    ``DateTimeField.to_representation`` took 4.2 µs a value, as it looks the zone and the
    settings up again for each; ``isoformat`` 1.5 µs. In UTC, orjson writes the same text in
    0.56 µs (compared equal on 300,000 random times in four zones).
    """
    if zone is dt.UTC:
        return orjson.dumps(value.astimezone(dt.UTC), option=orjson.OPT_UTC_Z)[1:-1].decode()
    text = value.astimezone(zone).isoformat()
    return f"{text[:-6]}Z" if text.endswith("+00:00") else text


def _iso_datetime(name: str, column: str) -> Output:
    """A time from the database (always aware, with USE_TZ) in the request's time zone."""

    def build(row: Row, links: Links) -> str | None:
        value = row[column]
        return None if value is None else iso_datetime(value, links.zone)

    return Output(name, (column,), build)


def _precise_date(name: str, date_column: str, precision_column: str) -> Output:
    def build(row: Row, links: Links):
        return date_data(row[date_column], row[precision_column])

    return Output(name, (date_column, precision_column), build)


def _derived(name: str, columns: tuple[str, ...], derive: Callable) -> Output:
    """A value worked out from several columns on the request's day: ``derive(today, *values)``,
    the values in the order of ``columns``."""

    def build(row: Row, links: Links):
        return derive(links.today, *(row[column] for column in columns))

    return Output(name, columns, build)


def _link(name: str, view_name: str, lookup_column: str) -> Output:
    column = "id" if lookup_column == "pk" else lookup_column
    return Output(name, (column,), lambda row, links: links.url(view_name, row[column]))


def _single(name: str, serializer: serializers.Serializer, relation: str) -> Output:
    """A nested object on a foreign key (a citation's source): its columns, prefixed."""
    inner = compile_plan(serializer, serializer.Meta.model.objects.none())
    prefix = f"{relation}__"
    # Per inner key: its prefixed column when copied as is, else how to un-prefix its columns.
    parts = [
        (
            output.name,
            output.column and prefix + output.column,
            output.build,
            tuple((prefix + column, column) for column in output.columns),
        )
        for output in inner.outputs
    ]

    def build(row: Row, links: Links) -> Row:
        item = {}
        for key, column, build_value, columns in parts:
            if column is not None:
                item[key] = row[column]
            else:
                item[key] = build_value({inner: row[outer] for outer, inner in columns}, links)
        return item

    columns = tuple(prefix + column for output in inner.outputs for column in output.columns)
    return Output(name, columns, build)


def _nested(name: str, serializer_field, queryset: QuerySet) -> Nested:
    """A list field: the reverse relation it reads and the rows' queryset (a prefetch's)."""
    source = serializer_field.source
    relation, children = source, None
    for lookup in queryset._prefetch_related_lookups:
        if isinstance(lookup, Prefetch) and source in (lookup.to_attr, lookup.prefetch_to):
            relation, children = lookup.prefetch_through, lookup.queryset
        elif lookup == source:
            relation = lookup
    foreign_key = queryset.model._meta.get_field(relation).field
    if children is None:
        children = foreign_key.model._default_manager.all()
    plan = compile_plan(serializer_field.child, children)
    parent_column = foreign_key.attname

    def children_of_parents() -> QuerySet:
        of_parents = children.filter(**{f"{parent_column}__any": Bound("parent_ids")})
        return plan.rows(of_parents, parent_column)

    return Nested(name, plan, CompiledQuery(children_of_parents), parent_column)


# --- fields computed by a serializer method ---------------------------------------------


def _timeline_link(name: str, serializer) -> Output:
    view_name = f"api:{BASENAMES[serializer.record_type]}-timeline"
    return Output(name, ("slug",), lambda row, links: links.url(view_name, row["slug"]))


def _event_record(name: str, serializer) -> Output:
    """The record an event is on (its type, id, slug, title and URL), or null."""
    columns = tuple(
        f"{record}{suffix}" for record in EVENT_RECORDS for suffix in ("_id", "__slug", "__title")
    )

    def build(row: Row, links: Links) -> Row | None:
        for record in EVENT_RECORDS:
            if row[f"{record}_id"] is not None:
                slug = row[f"{record}__slug"]
                return {
                    "type": record,
                    "id": row[f"{record}_id"],
                    "slug": slug,
                    "title": row[f"{record}__title"],
                    "url": links.url(f"api:{BASENAMES[record]}-detail", slug),
                }
        return None

    return Output(name, columns, build)


class StepParty(NamedTuple):
    code: str
    name: str


class StepRow(NamedTuple):
    """A step event as ``party_steps`` and ``_steps_data`` read it."""

    pk: int
    party_id: int | None
    party: StepParty | None
    kind: str
    date: dt.date
    precision: str
    body: str


def _party_steps(rows: list[Row], links: Links) -> dict[int, list]:
    """Agreements' ``steps`` by ``party_steps`` from their status (a column of the page's
    rows), parties and step events: two compiled queries for the page, plain rows."""
    ids = [row["id"] for row in rows]
    parties, events = _parties_of(ids), _step_events_of(ids)
    return {
        row["id"]: [
            _steps_data(steps, links)
            for steps in party_steps(row["status"], parties[row["id"]], events[row["id"]])
        ]
        for row in rows
    }


#: An agreement's parties, by agreement, in their default order (by name).
PARTIES_OF = CompiledQuery(
    lambda: AgreementParty.objects.filter(agreement_id__any=Bound("ids")).values_list(
        "agreement_id", "party_id", "party__code", "party__name"
    )
)
#: An agreement's step events, oldest first: the agreement, then ``StepRow``'s columns.
STEP_EVENTS_OF = CompiledQuery(
    lambda: (
        step_events()
        .filter(agreement_id__any=Bound("ids"))
        .values_list(
            "agreement_id", "id", "party_id", "party__code", "party__name", *StepRow._fields[3:]
        )
    )
)


def _parties_of(ids: list[int]) -> dict[int, dict[int, StepParty]]:
    parties: dict[int, dict[int, StepParty]] = {agreement_id: {} for agreement_id in ids}
    for agreement_id, party_id, code, name in PARTIES_OF.rows(ids=ids):
        parties[agreement_id][party_id] = StepParty(code, name)
    return parties


def _step_events_of(ids: list[int]) -> dict[int, list[StepRow]]:
    events: dict[int, list[StepRow]] = {agreement_id: [] for agreement_id in ids}
    for agreement_id, pk, party_id, code, name, *rest in STEP_EVENTS_OF.rows(ids=ids):
        party = StepParty(code, name) if party_id else None
        events[agreement_id].append(StepRow(pk, party_id, party, *rest))
    return events


def _steps_data(steps: PartySteps, links: Links) -> Row:
    """What ``PartyStepsSerializer`` gives, built directly: through the serializer and model
    instances, a page of 100 agreements took 89 ms (the serializers set up anew for each)."""

    def step(event) -> Row | None:
        if event is None:
            return None
        url = links.url(f"api:{BASENAMES['event']}-detail", event.pk)
        return {"url": url, "date": date_data(event.date, event.precision), "body": event.body}

    return {
        "party": steps.party.code,
        "name": steps.party.name,
        **{kind: step(getattr(steps, kind)) for kind in STEP_ORDER},
        "pending": steps.pending,
    }


#: Lists built by ``PageList``, by the serializer field's source.
PAGE_LISTS: dict[str, Callable[[list[Row], Links], dict[int, list]]] = {
    "party_steps": _party_steps,
}


METHOD_FIELDS: dict[str, Callable[[str, Any], Output]] = {
    "timeline": _timeline_link,
    "record": _event_record,
}


def plan_for(serializer_class: type[serializers.Serializer], queryset: QuerySet) -> ReadPlan:
    """The plan of a serializer class over a queryset, compiled once per pair of them."""
    key = (serializer_class, queryset.model, _lookup_names(queryset))
    if key not in _PLANS:
        _PLANS[key] = compile_plan(serializer_class(), queryset)
    return _PLANS[key]


def _lookup_names(queryset: QuerySet) -> tuple[str, ...]:
    return tuple(
        lookup.prefetch_to if isinstance(lookup, Prefetch) else lookup
        for lookup in queryset._prefetch_related_lookups
    )


_PLANS: dict[tuple[type, type[Model], tuple[str, ...]], ReadPlan] = {}
