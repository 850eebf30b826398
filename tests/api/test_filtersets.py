"""Filter sets bound to a request hold only the filters it gives, and filter as the whole set."""

import django_filters as filters
import pytest
from django.http import QueryDict

from tracker.api import filtersets
from tracker.models import TimelineEvent

pytestmark = pytest.mark.django_db


def with_every_filter(filter_set: type[filtersets.BaseFilterSet]):
    """The filter set as django-filter builds it: every filter, whatever the request gives."""

    class Whole(filter_set):
        def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
            filters.FilterSet.__init__(self, data, queryset, request=request, prefix=prefix)

    return Whole


CASES = [
    (filtersets.EventFilterSet, "date_from=2010-01-01&date_to=2014-12-31&kind=meeting"),
    (filtersets.EventFilterSet, "kind=meeting&kind=signed&record_type=delivery&page_size=5"),
    (filtersets.EventFilterSet, "sector=defence&is_planned=true&updated_since=2025-01-01T00:00Z"),
    (filtersets.EventFilterSet, "date_from=20x&kind=nonsense&is_planned=maybe"),
    (filtersets.DeliveryFilterSet, "slipped=true&supplier=RUS&status=delivered"),
    (filtersets.DeliveryFilterSet, "slipped=perhaps&id=x"),
    (filtersets.TradeRecordFilterSet, "period_from=2020-01-01&flow=import&commodity=oil"),
    (filtersets.AgreementFilterSet, "party=IND&is_binding=false&ordering=title"),
    (filtersets.SourceFilterSet, ""),
]


@pytest.mark.parametrize(("filter_set", "query"), CASES)
def test_given_filters_filter_and_report_as_every_filter_does(filter_set, query):
    data = QueryDict(query)
    given, whole = filter_set(data), with_every_filter(filter_set)(data)
    assert given.is_valid() == whole.is_valid()
    assert given.errors == whole.errors
    if given.is_valid():
        assert str(given.qs.query) == str(whole.qs.query)


def test_only_the_filters_given_are_built():
    given = filtersets.EventFilterSet(QueryDict("date_from=2010-01-01&kind=meeting&page_size=5"))
    assert list(given.filters) == ["date_from", "kind"]
    assert list(given.form.fields) == ["date_from", "kind"]
    unbound = filtersets.EventFilterSet()
    assert list(unbound.filters) == list(filtersets.EventFilterSet.base_filters)
    assert list(unbound.form.fields) == list(unbound.filters)


def test_a_form_class_serves_every_request_with_the_same_filters():
    first = filtersets.EventFilterSet(QueryDict("kind=meeting&date_to=2020-01-01"))
    second = filtersets.EventFilterSet(QueryDict("date_to=2001-05-05&kind=signed"))
    other = filtersets.EventFilterSet(QueryDict("kind=signed"))
    assert type(first.form) is type(second.form)
    assert type(other.form) is not type(first.form)


class RangeFilterSet(filtersets.BaseFilterSet):
    """A filter read from parameters named after it (``span_min``), and a required one."""

    span = filters.RangeFilter(field_name="id")
    kind = filters.CharFilter(required=True)

    class Meta:
        model = TimelineEvent
        fields = []


def test_parameters_named_after_a_filter_and_required_filters_are_kept():
    given = RangeFilterSet(QueryDict("span_min=3"))
    assert set(given.filters) == {"span", "kind"}
    assert not given.is_valid()
    assert given.errors == {"kind": ["This field is required."]}
    given = RangeFilterSet(QueryDict("span_min=3&span_max=9&kind=meeting"))
    assert given.is_valid()
    assert list(given.qs) == list(TimelineEvent.objects.filter(id__range=(3, 9), kind="meeting"))
