"""Lists are built from plain rows by read plans: they must give what the serializers give.

Every list and timeline of the API, on the curated data (records with citations, revisions,
tranches, parties and events on every record type), is compared row by row, key by key and
in order with the serializer's representation of the same objects.
"""

import datetime as dt
from decimal import Decimal

import orjson
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers as drf_serializers
from rest_framework.test import APIRequestFactory

from tracker.api import serializers, views
from tracker.api.readplans import compile_plan, decimal_text
from tracker.models import (
    Agreement,
    Citation,
    Delivery,
    Issue,
    Source,
    TimelineEvent,
    TradeRecord,
)
from tracker.selectors.api import event_list

from .conftest import API

pytestmark = pytest.mark.usefixtures("curated")

LISTS = {
    "agreements/": (views.AgreementViewSet().get_queryset(), serializers.AgreementSerializer),
    "deliveries/": (views.DeliveryViewSet().get_queryset(), serializers.DeliverySerializer),
    "trade-records/": (
        views.TradeRecordViewSet().get_queryset(),
        serializers.TradeRecordSerializer,
    ),
    "issues/": (views.IssueViewSet().get_queryset(), serializers.IssueSerializer),
    "sources/": (views.SourceViewSet().get_queryset(), serializers.SourceSerializer),
    "events/": (event_list(), serializers.EventSerializer),
    "timeline/": (event_list(), serializers.EventSerializer),
    "timeline/?record_type=relationship": (event_list(), serializers.EventSerializer),
    "deliveries/?ordering=-forecast&search=regiment": (
        views.DeliveryViewSet().get_queryset(),
        serializers.DeliverySerializer,
    ),
}


def serialized(queryset, serializer_class, ids: list[int]) -> list[dict]:
    """What the serializer gives for these objects, in this order, as JSON would carry it."""
    request = APIRequestFactory().get(API)
    objects = queryset.in_bulk(ids)
    data = serializer_class(
        [objects[pk] for pk in ids], many=True, context={"request": request}
    ).data
    return orjson.loads(orjson.dumps(data))


def assert_same_representations(listed: list[dict], expected: list[dict]) -> None:
    assert [row["id"] for row in listed] == [row["id"] for row in expected]
    for row, want in zip(listed, expected, strict=True):
        assert list(row) == list(want), f"keys of {row['id']}"
        assert row == want, f"row {row['id']}"


@pytest.mark.parametrize("path", list(LISTS))
def test_each_list_gives_what_the_serializer_gives(anon, path):
    queryset, serializer_class = LISTS[path]
    separator = "&" if "?" in path else "?"
    listed = anon.get(f"{API}{path}{separator}page_size=500").json()["results"]
    assert listed, f"{path} lists nothing: the comparison would prove nothing"
    ids = [row["id"] for row in listed]
    assert_same_representations(listed, serialized(queryset, serializer_class, ids))


RECORD_TIMELINES = {
    "agreements": Agreement,
    "deliveries": Delivery,
    "trade-records": TradeRecord,
    "issues": Issue,
}


def test_each_record_timeline_gives_what_the_serializer_gives(anon):
    types_with_events = set()
    for path, model in RECORD_TIMELINES.items():
        for slug in model.objects.values_list("slug", flat=True):
            listed = anon.get(f"{API}{path}/{slug}/timeline/?page_size=500").json()["results"]
            ids = [row["id"] for row in listed]
            assert_same_representations(
                listed, serialized(event_list(), serializers.EventSerializer, ids)
            )
            if listed:
                types_with_events.add(path)
    # The curated data has no events on trade records; the other three types have them.
    assert types_with_events >= {"agreements", "deliveries", "issues"}


def test_nested_lists_are_fetched_a_page_at_a_time(anon, django_assert_max_num_queries):
    """The plan fetches each nested level for the whole page (as the prefetches did)."""
    with django_assert_max_num_queries(6):
        response = anon.get(f"{API}deliveries/?page_size=500")
    revisions = [r for row in response.json()["results"] for r in row["revisions"]]
    assert any(revision["citations"] for revision in revisions)


def test_a_field_type_without_a_plan_is_refused_at_compile_time():
    class Unplannable(serializers.SourceSerializer):
        odd = serializers.serializers.ListField(source="title", read_only=True)

        class Meta(serializers.SourceSerializer.Meta):
            fields = [*serializers.SourceSerializer.Meta.fields, "odd"]

    with pytest.raises(TypeError, match="odd"):
        compile_plan(Unplannable(), views.SourceViewSet().get_queryset())


@pytest.fixture
def eventful_delivery() -> Delivery:
    """A delivery with three cited announcements on its timeline (curated ones have one)."""
    delivery = Delivery.objects.order_by("id").first()
    source = Source.objects.order_by("id").first()
    for day in (1, 2, 3):
        event = TimelineEvent.objects.create(
            delivery=delivery,
            kind="announced",
            title=f"Announcement {day}",
            date=dt.date(2024, 5, day),
            precision="day",
        )
        Citation.objects.create(event=event, source=source, quote=f"Quote {day}")
    return delivery


@pytest.mark.parametrize("path", ["timeline/", "events/", "deliveries/{}/timeline/"])
def test_timeline_queries_do_not_grow_with_the_page(
    anon, eventful_delivery, path, django_assert_num_queries
):
    url = f"{API}{path.format(eventful_delivery.slug)}"
    with CaptureQueriesContext(connection) as full_page:
        response = anon.get(url, {"page_size": 100})
    assert len(response.json()["results"]) > 1
    with django_assert_num_queries(len(full_page.captured_queries)):
        anon.get(url, {"page_size": 1})


def test_a_record_timeline_costs_two_queries(anon, eventful_delivery, django_assert_num_queries):
    """Its events (by the record's key), their citations with their sources."""
    url = f"{API}deliveries/{eventful_delivery.slug}/timeline/"
    events = eventful_delivery.events.count()
    with django_assert_num_queries(2):
        response = anon.get(url, {"page_size": 100})
    assert len(response.json()["results"]) == events


@pytest.mark.parametrize("key", ["slug", "id"])
def test_an_empty_record_timeline_is_an_empty_page(anon, key):
    quiet = TradeRecord.objects.filter(events__isnull=True).order_by("id").first()

    response = anon.get(f"{API}trade-records/{getattr(quiet, key)}/timeline/")

    assert response.status_code == 200 and response.json()["results"] == []


@pytest.mark.parametrize("key", ["no-such-record", "0", "1000000000", "9" * 30])
def test_the_timeline_of_an_unknown_record_is_not_found(anon, key):
    assert anon.get(f"{API}trade-records/{key}/timeline/").status_code == 404


DECIMALS = ["0", "1.5", "-1.5", "12.3456", "1E+3", "1.0E+5", "2.12345", "0E-4", "-0.0100", "NaN"]


@pytest.mark.parametrize(
    "options",
    [
        {"decimal_places": 4},
        {"decimal_places": 2},
        {"decimal_places": 0},
        {"decimal_places": 2, "coerce_to_string": False},
        {"decimal_places": 2, "normalize_output": True},
    ],
)
def test_decimals_are_written_as_drf_writes_them(options):
    drf_field = drf_serializers.DecimalField(max_digits=20, **options)
    write = decimal_text(drf_field)
    for text in DECIMALS:
        value = Decimal(text)
        # Stored values carry the field's places: the ones read from their own text.
        stored = value.quantize(Decimal(1).scaleb(-options["decimal_places"]))
        for given in (value, stored) if value.is_finite() else (value,):
            # repr: the same text and the same type (a number where DRF gives numbers).
            assert repr(write(given)) == repr(drf_field.to_representation(given)), given
