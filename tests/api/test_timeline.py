"""The merged timeline, each record's timeline, and the iCalendar feed of milestones."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import API
from tracker.models import Agreement, Citation, Delivery, Source, TimelineEvent, TradeRecord

pytestmark = pytest.mark.usefixtures("curated")


def dates(response) -> list[tuple[str, str]]:
    return [(e["date"]["date"], e["date"]["precision"]) for e in response.json()["results"]]


@pytest.fixture
def same_start(db) -> list[TimelineEvent]:
    """Three events that all start on 2030-01-01, at day, month and year precision."""
    agreement = Agreement.objects.get(slug="relos")
    return [
        TimelineEvent.objects.create(
            agreement=agreement, kind="announced", date="2030-01-01", precision=p, title=p
        )
        for p in ("year", "day", "month")
    ]


def test_timeline_is_chronological_finest_precision_first(anon, same_start):
    response = anon.get(f"{API}timeline/", {"date_from": "2030-01-01", "page_size": 500})
    assert dates(response) == [
        ("2030-01-01", "day"),
        ("2030-01-01", "month"),
        ("2030-01-01", "year"),
    ]
    everything = anon.get(f"{API}timeline/", {"page_size": 500})
    keys = [(d, {"day": 0, "month": 1, "quarter": 2, "year": 3}[p]) for d, p in dates(everything)]
    assert keys == sorted(keys)


def test_cursor_pages_cover_the_timeline_once(anon):
    seen, url = [], f"{API}timeline/?page_size=4"
    while url:
        body = anon.get(url).json()
        seen += [event["id"] for event in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == TimelineEvent.objects.count()


def test_events_carry_citations_and_a_link_to_their_record(anon):
    response = anon.get(f"{API}timeline/", {"record_type": "delivery", "kind": "postponed"})
    events = response.json()["results"]
    assert events and all(e["record"]["type"] == "delivery" for e in events)
    s400 = next(e for e in events if e["record"]["slug"] == "s-400-triumf")
    assert s400["citations"][0]["quote"] and s400["citations"][0]["source"]["slug"]
    assert anon.get(s400["record"]["url"]).json()["slug"] == "s-400-triumf"


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ({"record_type": "agreement"}, lambda e: e["record"]["type"] == "agreement"),
        ({"record_type": "relationship"}, lambda e: e["record"] is None),
        ({"kind": "ratified"}, lambda e: e["kind"] == "ratified"),
        ({"party": "RUS", "kind": "ratified"}, lambda e: e["party"] == "RUS"),
        ({"date_to": "2024-12-31"}, lambda e: e["date"]["date"] <= "2024-12-31"),
    ],
)
def test_timeline_filters(anon, query, check):
    events = anon.get(f"{API}timeline/", {**query, "page_size": 500}).json()["results"]
    assert events and all(check(event) for event in events)
    assert len(events) < TimelineEvent.objects.count()


def test_date_range_is_precision_aware(anon):
    """An event dated "2025" overlaps a range that starts in June 2025."""
    events = anon.get(f"{API}timeline/", {"date_from": "2025-06-01", "page_size": 500}).json()
    assert ("2025-01-01", "year") in [
        (e["date"]["date"], e["date"]["precision"]) for e in events["results"]
    ]


def test_sector_filter_spans_record_types(anon):
    events = anon.get(f"{API}timeline/", {"sector": "defence", "page_size": 500}).json()["results"]
    types = {event["record"]["type"] for event in events}
    assert {"agreement", "delivery"} <= types


def test_record_timeline(anon):
    response = anon.get(f"{API}agreements/relos/timeline/")
    assert response.status_code == 200
    events = response.json()["results"]
    assert events and {e["record"]["slug"] for e in events} == {"relos"}
    assert anon.get(f"{API}agreements/relos/")["ETag"]
    assert (
        anon.get(f"{API}agreements/relos/")
        .json()["timeline"]
        .endswith("/agreements/relos/timeline/")
    )


def test_calendar_of_planned_milestones(anon, same_start):
    TimelineEvent.objects.filter(pk=same_start[0].pk).update(is_planned=True)
    response = anon.get(f"{API}timeline.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert text.count("UID:event-") == TimelineEvent.objects.filter(is_planned=True).count()
    # A year-precision milestone spans the whole year, and says so.
    assert "DTSTART;VALUE=DATE:20300101\r\nDTEND;VALUE=DATE:20310101" in text
    assert "SUMMARY:year (2030)" in text


@pytest.fixture
def one_per_precision_2030(db) -> list[TimelineEvent]:
    """ "2030", "Q2 2030", "May 2030" and "2030-05-15", on the relationship."""
    return [
        TimelineEvent.objects.create(kind="announced", date=day, precision=precision, title=label)
        for day, precision, label in [
            ("2030-01-01", "year", "2030"),
            ("2030-04-01", "quarter", "Q2 2030"),
            ("2030-05-01", "month", "May 2030"),
            ("2030-05-15", "day", "2030-05-15"),
        ]
    ]


@pytest.mark.parametrize(
    ("date_from", "expected"),
    [
        ("2029-12-31", ["2030-05-15", "May 2030", "Q2 2030", "2030"]),
        ("2030-01-01", ["2030-05-15", "May 2030", "Q2 2030", "2030"]),
        ("2030-05-15", ["2030-05-15", "May 2030", "Q2 2030", "2030"]),
        ("2030-05-16", ["May 2030", "Q2 2030", "2030"]),
        ("2030-06-30", ["Q2 2030", "2030"]),
        ("2030-07-01", ["2030"]),
        ("2030-12-31", ["2030"]),
        ("2031-01-01", []),
    ],
)
def test_date_from_counts_every_event_whose_period_ends_on_or_after_it(
    anon, one_per_precision_2030, date_from, expected
):
    response = anon.get(
        f"{API}timeline/", {"date_from": date_from, "date_to": "2030-12-31", "page_size": 500}
    )
    titles = {event["title"] for event in response.json()["results"]}
    assert titles & {e.title for e in one_per_precision_2030} == set(expected)


@pytest.fixture
def eventful_delivery() -> Delivery:
    """A delivery with three cited announcements on its timeline (curated ones have one)."""
    delivery = Delivery.objects.order_by("id").first()
    # Made-up quotes: a source with no archived text takes them unverified.
    source = Source.objects.create(
        slug="announcements", title="Announcements", no_archived_text=True
    )
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


@pytest.mark.parametrize("key", ["slug", "id"])
def test_an_empty_record_timeline_is_an_empty_page(anon, key):
    quiet = TradeRecord.objects.filter(events__isnull=True).order_by("id").first()

    response = anon.get(f"{API}trade-records/{getattr(quiet, key)}/timeline/")

    assert response.status_code == 200 and response.json()["results"] == []


@pytest.mark.parametrize("key", ["no-such-record", "0", "1000000000", "9" * 30])
def test_the_timeline_of_an_unknown_record_is_not_found(anon, key):
    assert anon.get(f"{API}trade-records/{key}/timeline/").status_code == 404
