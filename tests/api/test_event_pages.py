"""Event lists are read by statements compiled once for each shape of page and set of filters
(``tracker.api.readplans.EventRows``). Page by page, forwards and back, they must give what
DRF's cursor pagination gives over the ORM's queryset.
"""

import base64
import datetime as dt
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from tracker.api import filtersets, readplans, views
from tracker.models import Citation, Delivery, Source, TimelineEvent
from tracker.selectors.api import event_list

from .conftest import API

pytestmark = pytest.mark.usefixtures("curated")


@pytest.fixture
def crowded_delivery() -> Delivery:
    """A delivery whose events share dates: at three precisions, and twice at one, so that
    cursors carry an offset past the events of a date already shown."""
    delivery = Delivery.objects.order_by("id").first()
    source = Source.objects.order_by("id").first()
    dates = [(2021, "year"), (2021, "month"), (2021, "day"), (2021, "day"), (2022, "day")]
    for number, (year, precision) in enumerate(dates * 2):
        event = TimelineEvent.objects.create(
            delivery=delivery,
            kind="announced",
            title=f"Announcement {number}",
            date=dt.date(year, 1, 1),
            precision=precision,
        )
        Citation.objects.create(event=event, source=source, quote=f"Quote {number}")
    return delivery


def pages_both_ways(client, url: str) -> list[dict]:
    """Every page from the first by its ``next`` links, then back by ``previous`` links."""
    pages = [client.get(url).json()]
    while pages[-1]["next"]:
        pages.append(client.get(pages[-1]["next"]).json())
    while pages[-1]["previous"]:
        pages.append(client.get(pages[-1]["previous"]).json())
    return pages


def cursor_of(link: str) -> dict:
    cursor = parse_qs(urlsplit(link).query)["cursor"][0]
    return parse_qs(base64.b64decode(cursor).decode())


def through_the_orm(monkeypatch) -> None:
    """Lists read from the ORM's queryset of the same events, filtered by the same filters."""

    def orm_rows(serializer_class, on_record: dict, filters=None):
        events = event_list() if filters is None else filters.events()
        return readplans.event_plan(serializer_class).rows(events.filter(**on_record))

    monkeypatch.setattr(views, "EventRows", orm_rows)


@pytest.mark.parametrize("page_size", [1, 2, 3])
@pytest.mark.parametrize("key", ["slug", "id"])
def test_record_timeline_pages_are_the_orms(anon, crowded_delivery, key, page_size, monkeypatch):
    url = f"{API}deliveries/{getattr(crowded_delivery, key)}/timeline/?page_size={page_size}"
    compiled = pages_both_ways(anon, url)
    through_the_orm(monkeypatch)

    assert compiled == pages_both_ways(anon, url)
    links = [page[name] for page in compiled for name in ("next", "previous") if page[name]]
    assert any("o" in cursor_of(link) for link in links)
    assert any(cursor_of(link).get("r") == ["1"] for link in links)


def test_merged_timeline_pages_are_the_orms(anon, crowded_delivery, monkeypatch):
    url = f"{API}timeline/?page_size=7"
    compiled = pages_both_ways(anon, url)
    through_the_orm(monkeypatch)

    assert compiled == pages_both_ways(anon, url)
    assert {event["id"] for page in compiled for event in page["results"]} == set(
        TimelineEvent.objects.values_list("id", flat=True)
    )


@pytest.mark.parametrize("position", ["2021-13-01", "not a date", "99999-01-01"])
def test_a_cursor_at_no_date_is_refused_as_the_orm_refuses_it(anon, position, monkeypatch):
    cursor = base64.b64encode(f"p={position}".encode()).decode()
    url = f"{API}timeline/?cursor={cursor}"
    compiled = anon.get(url)
    through_the_orm(monkeypatch)
    orm = anon.get(url)

    assert compiled.status_code == orm.status_code == 400
    assert compiled.json() == orm.json()


def test_one_statement_serves_every_record_of_a_shape(anon, crowded_delivery):
    readplans._event_page_query.cache_clear()
    for delivery in Delivery.objects.order_by("id")[:3]:
        assert anon.get(f"{API}deliveries/{delivery.slug}/timeline/").status_code == 200

    assert readplans._event_page_query.cache_info().misses == 1


FILTERS = [
    {"kind": "announced"},
    {"date_from": "2021-06-15"},
    {"date_from": "2021-01-01", "date_to": "2021-12-31", "kind": ["announced", "signed"]},
]


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("on_record", [True, False])
def test_filtered_pages_are_the_orms(anon, crowded_delivery, filters, on_record, monkeypatch):
    path = f"deliveries/{crowded_delivery.slug}/timeline/" if on_record else "timeline/"
    url = f"{API}{path}?{urlencode({**filters, 'page_size': 2}, doseq=True)}"
    readplans._event_page_query.cache_clear()
    compiled = pages_both_ways(anon, url)
    assert readplans._event_page_query.cache_info().misses > 0
    through_the_orm(monkeypatch)

    assert compiled == pages_both_ways(anon, url)
    assert len(compiled) > 2


def test_a_set_of_filters_is_read_and_compiled_once(anon, crowded_delivery):
    filtersets._filtered_events.cache_clear()
    readplans._event_page_query.cache_clear()
    announced = [anon.get(f"{API}timeline/", {"kind": "announced"}) for _ in range(3)]
    signed = anon.get(f"{API}timeline/", {"kind": "signed"}).json()["results"]

    assert filtersets._filtered_events.cache_info().misses == 2
    assert readplans._event_page_query.cache_info().misses == 2
    assert {e["kind"] for r in announced for e in r.json()["results"]} == {"announced"}
    assert signed and {e["kind"] for e in signed} == {"signed"}


def test_bad_filter_values_are_refused_every_time(anon):
    filtersets._filtered_events.cache_clear()
    for _ in range(2):
        response = anon.get(f"{API}timeline/", {"date_from": "2021-13-01", "kind": "signed"})
        assert response.status_code == 400
        assert list(response.json()) == ["date_from"]
    assert filtersets._filtered_events.cache_info().currsize == 0


def test_times_without_a_zone_are_read_in_the_active_zone():
    request = Request(APIRequestFactory().get("/", {"updated_since": "2021-01-01T00:00"}))
    filters = {}
    for zone in ("UTC", "Asia/Kolkata"):
        with timezone.override(zone):
            filters[zone] = filtersets.EventFilters.of(request, filtersets.EventFilterSet)
    since = {zone: found.events().query.where.children[0].rhs for zone, found in filters.items()}

    assert filters["UTC"] != filters["Asia/Kolkata"]
    assert since["UTC"] - since["Asia/Kolkata"] == dt.timedelta(hours=5, minutes=30)
