"""Event lists are paged by cursor: forwards, every event of the list comes once, in the
timeline's order, also where events share a date; backwards, the pages lead to the first."""

import base64
import datetime as dt
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.http import QueryDict

from tracker.api import filtersets
from tracker.models import Citation, Delivery, Source, TimelineEvent
from tracker.selectors.timeline import event_list

from .conftest import API, field_errors

pytestmark = pytest.mark.usefixtures("curated")


@pytest.fixture
def crowded_delivery() -> Delivery:
    """A delivery whose events share dates: at three precisions, and twice at one, so that
    cursors carry an offset past the events of a date already shown."""
    delivery = Delivery.objects.order_by("id").first()
    # Made-up quotes: a source with no archived text takes them unverified.
    source = Source.objects.create(
        slug="announcements", title="Announcements", no_archived_text=True
    )
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


def pages_both_ways(client, url: str) -> tuple[list[dict], list[dict]]:
    """Every page from the first by its ``next`` links, then back by ``previous`` links."""
    forwards = [client.get(url).json()]
    while forwards[-1]["next"]:
        forwards.append(client.get(forwards[-1]["next"]).json())
    backwards = [forwards[-1]]
    while backwards[-1]["previous"]:
        backwards.append(client.get(backwards[-1]["previous"]).json())
    return forwards, backwards


def ids(pages: list[dict]) -> list[int]:
    return [event["id"] for page in pages for event in page["results"]]


def cursor_of(link: str) -> dict:
    cursor = parse_qs(urlsplit(link).query)["cursor"][0]
    return parse_qs(base64.b64decode(cursor).decode())


def assert_pages_hold(events, forwards: list[dict], backwards: list[dict]) -> None:
    expected = list(events.values_list("id", flat=True))
    assert ids(forwards) == expected
    assert set(ids(backwards)) <= set(expected)
    assert backwards[-1]["results"][0]["id"] == expected[0]


@pytest.mark.parametrize("page_size", [1, 2, 3])
@pytest.mark.parametrize("key", ["slug", "id"])
def test_record_timeline_pages_hold_every_event_once(anon, crowded_delivery, key, page_size):
    url = f"{API}deliveries/{getattr(crowded_delivery, key)}/timeline/?page_size={page_size}"
    forwards, backwards = pages_both_ways(anon, url)

    assert_pages_hold(event_list().filter(delivery=crowded_delivery), forwards, backwards)
    links = [page[name] for page in forwards + backwards for name in ("next", "previous")]
    links = [link for link in links if link]
    assert any("o" in cursor_of(link) for link in links)
    assert any(cursor_of(link).get("r") == ["1"] for link in links)


def test_merged_timeline_pages_hold_every_event_once(anon, crowded_delivery):
    forwards, backwards = pages_both_ways(anon, f"{API}timeline/?page_size=7")

    assert_pages_hold(event_list(), forwards, backwards)


@pytest.mark.parametrize("position", ["2021-13-01", "not a date", "99999-01-01"])
def test_a_cursor_at_no_date_is_refused(anon, position):
    cursor = base64.b64encode(f"p={position}".encode()).decode()
    response = anon.get(f"{API}timeline/?cursor={cursor}")

    assert response.status_code == 400


FILTERS = [
    {"kind": "announced"},
    {"date_from": "2021-06-15"},
    {"date_from": "2021-01-01", "date_to": "2021-12-31", "kind": ["announced", "signed"]},
]


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("on_record", [True, False])
def test_filtered_pages_hold_what_the_filters_select(anon, crowded_delivery, filters, on_record):
    path = f"deliveries/{crowded_delivery.slug}/timeline/" if on_record else "timeline/"
    url = f"{API}{path}?{urlencode({**filters, 'page_size': 2}, doseq=True)}"
    forwards, backwards = pages_both_ways(anon, url)

    events = event_list().filter(delivery=crowded_delivery) if on_record else event_list()
    data = QueryDict(urlencode(filters, doseq=True))
    selected = filtersets.EventFilterSet(data, events).qs
    assert len(forwards) > 2
    assert_pages_hold(selected, forwards, backwards)


def test_bad_filter_values_are_refused(anon):
    response = anon.get(f"{API}timeline/", {"date_from": "2021-13-01", "kind": "signed"})
    assert response.status_code == 400
    assert list(field_errors(response)) == ["date_from"]


def test_a_request_s_filter_set_holds_only_the_filters_it_names():
    """The filters a request does not name are left out of its filter set (they would filter
    nothing, at the cost of a copy and a form field each); a filter whose widget reads
    parameters named after it (``range_min``, ``range_max``) is kept for them."""
    given = filtersets.given_only(
        filtersets.EventFilterSet, frozenset({"kind", "date_from", "page_size", "id_max"})
    )
    assert set(given().filters) == {"kind", "date_from", "id"}
    assert len(filtersets.EventFilterSet().filters) > 10
