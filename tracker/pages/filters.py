"""The pages' filters: the API's filter sets (same parameter names, same rules, same errors),
with a year and a party for every list, and with pickers a browser can show.

A list's query string is the API's where the two share a parameter, so a page's filters carry
over to the API's list and the timeline's to its feeds.
"""

import datetime as dt

import django_filters as filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django_filters.constants import EMPTY_VALUES

from ..api import filtersets
from ..choices import EventKind
from ..models import Party, Sector, TimelineEvent

BOOLEAN_CHOICES = [("", "any"), ("true", "yes"), ("false", "no")]
#: Labels of the API's filters, whose own are derived from field names ("Sector slug") or
#: missing; the pages' own filters carry theirs.
LABELS = {
    "date_from": "From",
    "date_to": "To",
    "record_type": "Record type",
    "sector": "Sector",
    "party": "Party",
    "kind": "Kind",
    "is_planned": "Planned",
    "late": "Late",
    "slipped": "Slipped past the baseline",
    "to_watch": "To watch",
    "supplier": "Supplier",
    "recipient": "Recipient",
    "agreement": "Agreement",
    "reporter": "Reporter",
    "partner": "Partner",
    "period_from": "Periods ending from",
    "period_to": "Periods starting by",
    "commodity": "Goods",
    "publisher": "Publisher",
    "published_from": "Published from",
    "published_to": "Published by",
}


def sector_choices() -> list[tuple[str, str]]:
    return list(Sector.objects.order_by("name").values_list("slug", "name"))


def party_choices() -> list[tuple[str, str]]:
    return list(Party.objects.order_by("name").values_list("code", "name"))


def year_span(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


class YearFilter(filters.NumberFilter):
    """A calendar year, 1000 to 9998."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1000)
        kwargs.setdefault("max_value", 9998)
        super().__init__(**kwargs)


class EitherPartyFilter(filters.CharFilter):
    """A party code on either side of a record: supplier or recipient, reporter or partner."""

    def __init__(self, first: str, second: str, **kwargs):
        super().__init__(label=f"Party ({first} or {second})", **kwargs)
        self.sides = (first, second)

    def filter(self, queryset, value):
        if value in EMPTY_VALUES:
            return queryset
        first, second = self.sides
        return queryset.filter(Q(**{f"{first}__code": value}) | Q(**{f"{second}__code": value}))


class PageFilters:
    """Shows the filters as a browser form: sectors and parties as pickers, true/false as
    yes/no, dates as date inputs. Mixed into a filter set of the API."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("id", "updated_since", "slug"):
            self.filters.pop(name, None)
        for name, filter_ in self.filters.items():
            if name in LABELS and not isinstance(filter_, EitherPartyFilter):
                filter_.label = LABELS[name]
            if isinstance(filter_, filtersets.BooleanParameterFilter):
                filter_.extra["widget"] = forms.Select(choices=BOOLEAN_CHOICES)
            elif isinstance(filter_, filters.DateFilter):
                filter_.extra["widget"] = forms.DateInput(attrs={"type": "date"})
        if "sector" in self.filters:
            self.filters["sector"].extra["widget"] = forms.Select(
                choices=[("", "any"), *sector_choices()]
            )
        if "party" in self.filters:
            self.filters["party"].extra["widget"] = forms.Select(
                choices=[("", "any"), *party_choices()]
            )


def with_event_in_year(record_type: str, year: int) -> Exists:
    """Records with a timeline event dated in ``year`` (an event of "2025" counts)."""
    return Exists(
        TimelineEvent.objects.filter(**{record_type: OuterRef("pk")}, date__range=year_span(year))
    )


class AgreementFilters(PageFilters, filtersets.AgreementFilterSet):
    year = YearFilter(method="filter_year", label="Year of a step or event")

    def filter_year(self, queryset, name, value):
        return queryset.filter(with_event_in_year("agreement", value))


class DeliveryFilters(PageFilters, filtersets.DeliveryFilterSet):
    party = EitherPartyFilter("supplier", "recipient")
    year = YearFilter(method="filter_year", label="Year of an event")

    class Meta(filtersets.DeliveryFilterSet.Meta):
        fields = ["kind", "status"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(with_event_in_year("delivery", value))


class TradeRecordFilters(PageFilters, filtersets.TradeRecordFilterSet):
    party = EitherPartyFilter("reporter", "partner")
    year = YearFilter(method="filter_year", label="Year of the period")

    class Meta(filtersets.TradeRecordFilterSet.Meta):
        fields = ["kind", "flow", "metric", "counts_toward_totals"]

    def filter_year(self, queryset, name, value):
        first, last = year_span(value)
        return queryset.filter(period_start__lte=last, period_end__gte=first)


class IssueFilters(PageFilters, filtersets.IssueFilterSet):
    party = filters.CharFilter(method="filter_party", label="Party acting in an event")
    year = YearFilter(method="filter_year", label="Year of an event")

    def filter_party(self, queryset, name, value):
        events = TimelineEvent.objects.filter(issue=OuterRef("pk"), party__code=value)
        return queryset.filter(Exists(events))

    def filter_year(self, queryset, name, value):
        return queryset.filter(with_event_in_year("issue", value))


class SourceFilters(PageFilters, filtersets.SourceFilterSet):
    year = YearFilter(method="filter_year", label="Year published")

    def filter_year(self, queryset, name, value):
        return queryset.filter(published_on__range=year_span(value))


class TimelineFilters(PageFilters, filtersets.EventFilterSet):
    """The API timeline's filters, under the same names."""

    kind = filters.MultipleChoiceFilter(
        choices=EventKind.choices, distinct=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )

    class Meta(filtersets.EventFilterSet.Meta):
        fields = ["is_planned"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("agreement", "delivery", "trade_record", "issue"):
            self.filters[name].extra["widget"] = forms.HiddenInput
