"""Filters, search and ordering for every list.

Each list takes ``updated_since`` (records changed at or after an ISO 8601 time) and ``id``,
plus the fields that matter for its type. Bad values (an unknown status, a malformed date, a
NUL byte) are refused with 400 and the name of the parameter.
"""

import datetime as dt
import functools

import django_filters as filters
from django import forms
from django.db.models import BooleanField, F, Q
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter, SearchFilter

from ..choices import EventKind, Lateness
from ..models import Agreement, Citation, Delivery, Issue, Source, TimelineEvent, TradeRecord
from ..models.deliveries import KNOWN_LATE, LATE_CONDITIONS
from ..models.events import EVENT_RECORDS
from ..models.issues import TO_WATCH
from ..selectors.timeline import (
    ending_on_or_after,
    record_type_condition,
    sector_condition,
)

#: The largest id a 64-bit column holds; a larger number names no row.
MAX_ID = 2**63 - 1
EARLIEST = timezone.make_aware(dt.datetime(1000, 1, 2))
LATEST = timezone.make_aware(dt.datetime(9998, 12, 30))
RECORD_TYPES = [*EVENT_RECORDS, "relationship"]


class BoundedDateTimeField(filters.fields.IsoDateTimeField):
    """An ISO 8601 time within years 1000–9998, in UTC.

    The bounds keep time-zone shifts from overflowing; UTC, because PostgreSQL refuses offsets
    that Python accepts (``+19:32``).
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError("Give a time between the years 1000 and 9998.")
        return value and value.astimezone(dt.UTC)


class BoundedDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = BoundedDateTimeField


class IdField(forms.IntegerField):
    """A row's id: a whole number from 1 to ``MAX_ID``. Anything else is refused (400) rather
    than sent to the database, which cannot compare a number beyond 64 bits with an id."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class IdFilter(filters.NumberFilter):
    field_class = IdField


class BooleanParameterField(forms.Field):
    """``true`` or ``false`` (or 1 and 0, in any case). django-filter reads anything else as
    no value, so ``?late=yes`` would have answered with every delivery, late or not."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.VALUES[str(value).lower()]
        except KeyError:
            raise forms.ValidationError("Give true or false.", code="invalid") from None


class BooleanParameterFilter(filters.BooleanFilter):
    field_class = BooleanParameterField


class BaseFilterSet(filters.FilterSet):
    """Every list's filters: by id and by the time of the last change."""

    FILTER_DEFAULTS = {
        **filters.FilterSet.FILTER_DEFAULTS,
        BooleanField: {"filter_class": BooleanParameterFilter},
    }

    id = IdFilter(field_name="id", help_text="The numeric id.")
    updated_since = BoundedDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only what was created or changed at or after this ISO 8601 time.",
    )


class RecordFilterSet(BaseFilterSet):
    sector = filters.CharFilter(field_name="sector__slug", help_text="Sector slug.")


def party_filter(field_name: str) -> filters.CharFilter:
    return filters.CharFilter(field_name=f"{field_name}__code", help_text="Party code, e.g. RUS.")


class AgreementFilterSet(RecordFilterSet):
    party = filters.CharFilter(method="filter_party", help_text="Party code, e.g. RUS.")

    class Meta:
        model = Agreement
        fields = ["slug", "kind", "status", "is_binding"]

    def filter_party(self, queryset, name, value):
        return queryset.filter(agreement_parties__party__code=value).distinct()


class DeliveryFilterSet(RecordFilterSet):
    supplier = party_filter("supplier")
    recipient = party_filter("recipient")
    agreement = filters.CharFilter(field_name="agreement__slug", help_text="Agreement slug.")
    slipped = BooleanParameterFilter(
        method="filter_slipped",
        help_text=(
            "true: slipped past a known baseline (slippage above zero); false: not slipped, "
            "or slippage unknown. See late= for postponements without a baseline and overdue "
            "deliveries."
        ),
    )

    late = BooleanParameterFilter(
        method="filter_late",
        help_text=(
            "true: known to be late: slipped past the baseline, postponed by an unknown span "
            "(no baseline in the sources), or contracted or in progress with its forecast "
            "passed and not complete; false: not known to be late."
        ),
    )

    class Meta:
        model = Delivery
        fields = ["slug", "kind", "status"]

    def filter_slipped(self, queryset, name, value):
        late = LATE_CONDITIONS[Lateness.SLIPPED]
        return queryset.filter(late if value else ~late | Q(slippage_months__isnull=True))

    def filter_late(self, queryset, name, value):
        queryset = queryset.with_lateness(timezone.localdate())
        return queryset.filter(KNOWN_LATE if value else ~KNOWN_LATE)


class TradeRecordFilterSet(RecordFilterSet):
    reporter = party_filter("reporter")
    partner = party_filter("partner")
    period_from = filters.DateFilter(
        field_name="period_end", lookup_expr="gte", help_text="Periods ending on or after."
    )
    period_to = filters.DateFilter(
        field_name="period_start", lookup_expr="lte", help_text="Periods starting on or before."
    )
    commodity = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = TradeRecord
        fields = [
            "slug",
            "period_type",
            "flow",
            "metric",
            "kind",
            "qualifier",
            "unit",
            "currency",
            "is_estimate",
            "counts_toward_totals",
        ]


class IssueFilterSet(RecordFilterSet):
    to_watch = BooleanParameterFilter(
        method="filter_to_watch",
        help_text=(
            "true: worth a look, as the front page lists them: escalating at any severity, or "
            "active at high or critical severity; false: the others."
        ),
    )

    class Meta:
        model = Issue
        fields = ["slug", "category", "severity", "status"]

    def filter_to_watch(self, queryset, name, value):
        return queryset.filter(TO_WATCH if value else ~TO_WATCH)


class SourceFilterSet(BaseFilterSet):
    publisher = filters.CharFilter(lookup_expr="icontains")
    published_from = filters.DateFilter(field_name="published_on", lookup_expr="gte")
    published_to = filters.DateFilter(field_name="published_on", lookup_expr="lte")

    class Meta:
        model = Source
        fields = ["slug"]


class CitationFilterSet(BaseFilterSet):
    source = filters.CharFilter(field_name="source__slug", help_text="The source's slug.")
    verified = BooleanParameterFilter(
        field_name="paragraph",
        lookup_expr="isnull",
        exclude=True,
        help_text="true: found in the source's archived text; false: the source has none.",
    )

    class Meta:
        model = Citation
        fields = []


class EventFilterSet(BaseFilterSet):
    """Events by date range (precision-aware), record type, kind, party and sector."""

    date_from = filters.DateFilter(
        method="filter_date_from",
        help_text="Events whose period ends on or after this day: '2025' counts from 2025-06-01.",
    )
    date_to = filters.DateFilter(
        field_name="date", lookup_expr="lte", help_text="Events whose period starts by this day."
    )
    # Not distinct: the filter joins nothing, and DISTINCT would sort every match instead
    # of reading one page from the (date, precision, id) index.
    kind = filters.MultipleChoiceFilter(
        choices=EventKind.choices, distinct=False, help_text="Event kind; repeat for several."
    )
    record_type = filters.ChoiceFilter(
        choices=[(name, name) for name in RECORD_TYPES],
        method="filter_record_type",
        help_text="Type of the record the event is on; 'relationship' for events on none.",
    )
    party = party_filter("party")
    sector = filters.CharFilter(method="filter_sector", help_text="Sector slug of the record.")
    agreement = filters.CharFilter(field_name="agreement__slug")
    delivery = filters.CharFilter(field_name="delivery__slug")
    trade_record = filters.CharFilter(field_name="trade_record__slug")
    issue = filters.CharFilter(field_name="issue__slug")

    class Meta:
        model = TimelineEvent
        fields = ["is_planned", "date_is_estimate"]

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(ending_on_or_after(value))

    def filter_record_type(self, queryset, name, value):
        return queryset.filter(record_type_condition(value))

    def filter_sector(self, queryset, name, value):
        return queryset.filter(sector_condition(value))


#: Query parameters that page, sort, search or format a list rather than filter it.
NON_FILTER_PARAMETERS = frozenset({"page", "page_size", "cursor", "ordering", "search", "format"})


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, with only the filters a request gives.

    A filter set copies every filter it declares and builds a form field for each on every
    request, a few milliseconds for the timeline's fifteen; a filter given no value filters
    nothing, so the filter set of a request holds only the filters it names (``given_only``),
    and a request that names none skips it. The schema documents the whole filter set.
    """

    def get_filterset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        given = given_only(filterset_class, frozenset(request.query_params.keys()))
        return given(**self.get_filterset_kwargs(request, queryset, view))

    def filter_queryset(self, request, queryset, view):
        if not filters_given(request):
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        """The filter set's parameters, as DRF's other backends give theirs (the OpenAPI
        schema itself is drf-spectacular's, which reads the filter set on its own)."""
        return [
            {
                "name": name,
                "required": bool(filter_.extra.get("required")),
                "in": "query",
                "schema": {"type": "array" if takes_several(filter_) else "string"},
            }
            for name, filter_ in view.filterset_class().filters.items()
        ]


@functools.lru_cache(maxsize=512)
def given_only(filterset_class: type[filters.FilterSet], given: frozenset[str]) -> type:
    """``filterset_class`` with only its filters named in ``given`` (a request's parameters).

    A filter whose widget reads several parameters names them after itself (a range's
    ``price_min``, ``price_max``): those keep it too."""

    def named(name: str) -> bool:
        return name in given or any(parameter.startswith(f"{name}_") for parameter in given)

    class GivenOnly(filterset_class):
        @classmethod
        def get_filters(cls):
            return {name: f for name, f in super().get_filters().items() if named(name)}

    return GivenOnly


def takes_several(filter_: filters.Filter) -> bool:
    """Whether a filter takes several values, each its own parameter (``?kind=a&kind=b``)."""
    return issubclass(filter_.field_class, forms.MultipleChoiceField)


def filters_given(request) -> bool:
    """Whether the request has a parameter other than those that page, sort, search or format."""
    return not request.query_params.keys() <= NON_FILTER_PARAMETERS


class SafeSearchFilter(SearchFilter):
    """``?search=`` over the view's ``search_fields``; refuses what no database can match."""

    def get_search_terms(self, request):
        if "\x00" in request.query_params.get(self.search_param, ""):
            raise ValidationError({self.search_param: ["Null characters are not allowed."]})
        return super().get_search_terms(request)


class StableOrderingFilter(OrderingFilter):
    """``?ordering=a,-b`` over the view's ``ordering_fields``, always ending with the id.

    ``ordering_fields`` maps each public name to a model field (``slippage`` →
    ``slippage_months``). Unknown values in the date or number sort last in both directions.
    """

    def get_valid_fields(self, queryset, view, context=None):
        return [(name, name) for name in view.ordering_fields]

    def remove_invalid_fields(self, queryset, fields, view, request):
        """The terms asked for; an unknown one is refused (400), not dropped unseen."""
        terms = [term for term in fields if term]
        unknown = [term for term in terms if term.removeprefix("-") not in view.ordering_fields]
        if unknown:
            raise ValidationError(
                {
                    self.ordering_param: [
                        f"Unknown field: {', '.join(unknown)}. Order by any of "
                        f"{', '.join(view.ordering_fields)}; '-' before one sorts it descending."
                    ]
                }
            )
        return terms

    def filter_queryset(self, request, queryset, view):
        terms = self.get_ordering(request, queryset, view) or []
        return queryset.order_by(*order_expressions(terms, view.ordering_fields, queryset.model))

    def get_schema_operation_parameters(self, view):
        terms = [term for name in view.ordering_fields for term in (name, f"-{name}")]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Fields to order by, comma-separated, each ascending or with '-' "
                "descending; ties are broken by id. A record without the value (a delivery with no "
                "baseline yet) sorts last either way.",
                "schema": {"type": "array", "items": {"type": "string", "enum": terms}},
                "style": "form",
                "explode": False,
            }
        ]


def order_expressions(terms, aliases: dict, model) -> list:
    """The ordering, with NULLS LAST only on fields that can be null: an index in the same
    order then serves the others (PostgreSQL matches ``DESC`` to no ``DESC NULLS LAST``)."""
    expressions = []
    for term in terms:
        name = aliases.get(term.removeprefix("-"), term.removeprefix("-"))
        nulls_last = True if model._meta.get_field(name).null else None
        field = F(name)
        descending = term.startswith("-")
        expressions.append(
            field.desc(nulls_last=nulls_last) if descending else field.asc(nulls_last=nulls_last)
        )
    if not any(term.removeprefix("-") in {"id", "pk"} for term in terms):
        expressions.append(F("id").asc())
    return expressions
