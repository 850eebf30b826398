"""The timeline's feeds for subscribers: iCalendar and Atom, merged and per record, filtered as
the timeline is, with identifiers that do not depend on the host; and the changes' Atom feed."""

import datetime as dt
import re

import feedparser
import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator

from tests.api.conftest import API, field_errors, problem
from tests.factories import make_delivery, make_event, make_revision, make_trade, make_tranche
from tracker.choices import EventKind, TradeKind
from tracker.models import Delivery, TimelineEvent, TradeRecord, Tranche

pytestmark = pytest.mark.usefixtures("curated")

#: RFC 4151: ``tag:`` a DNS name or e-mail address, a date, ``:``, then URI path characters.
DNS_NAME = (
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
)
TAG_URI = re.compile(
    rf"tag:{DNS_NAME},\d{{4}}(?:-\d{{2}}(?:-\d{{2}})?)?:"
    r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*"
)
TARGET = "ind-rus-trade-target-2030"
#: A few records of each type that has a timeline, with their addresses' prefixes.
RECORDS = [
    "deliveries/s-400-triumf",
    "deliveries/akula-class-submarine-lease",
    "agreements/relos",
    f"trade-records/{TARGET}",
    "issues/russia-pakistan-ties",
]


def calendar(client, path: str, **headers) -> list[icalendar.Event]:
    response = client.get(f"{API}{path}", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def atom(client, path: str, **headers) -> feedparser.FeedParserDict:
    response = client.get(f"{API}{path}", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(
        response.content, response_headers={"content-type": "application/atom+xml; charset=utf-8"}
    )
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def span(event: icalendar.Event) -> tuple[dt.date, dt.date]:
    return event.decoded("dtstart"), event.decoded("dtend")


def by_summary(events) -> dict[str, icalendar.Event]:
    return {str(event["summary"]): event for event in events}


# --- what the calendar carries -------------------------------------------------------------


def test_the_calendar_holds_the_curated_milestones_each_over_its_year(anon):
    events = by_summary(calendar(anon, "timeline.ics"))

    s400 = events["S-400 Triumf air defence regiments: forecast completion (2026)"]
    tranche = events["S-400 Triumf air defence regiments: tranche 1 due, 2 regiments (2026)"]
    akula = events["Akula-class nuclear submarine lease: forecast completion (2028)"]
    target = events["Target: $100 billion of bilateral trade by 2030 (2030)"]
    assert span(s400) == span(tranche) == (dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    assert span(akula) == (dt.date(2028, 1, 1), dt.date(2029, 1, 1))
    assert span(target) == (dt.date(2030, 1, 1), dt.date(2031, 1, 1))
    s400_id = Delivery.objects.get(slug="s-400-triumf").pk
    assert str(s400["uid"]) == f"delivery-{s400_id}-forecast@indoru"
    assert str(s400["url"]).endswith(f"{API}deliveries/s-400-triumf/")
    assert str(target["url"]).endswith(f"{API}trade-records/{TARGET}/")
    assert "unknown span" in str(akula["description"])


def test_what_is_done_is_no_longer_a_milestone(anon):
    """A tranche that arrived, and the forecast of a delivery complete, leave the calendar."""
    delivery = make_delivery(1, quantity_ordered=1)
    tranche = make_tranche(1, delivery=delivery, actual_date=None, actual_precision=None)
    uids = {str(event["uid"]) for event in calendar(anon, "timeline.ics")}
    assert {f"delivery-{delivery.pk}-tranche-{tranche.pk}@indoru"} <= uids
    assert f"delivery-{delivery.pk}-forecast@indoru" in uids

    tranche.actual_date, tranche.actual_precision = dt.date(2021, 12, 1), "month"
    tranche.save()
    uids = {str(event["uid"]) for event in calendar(anon, "timeline.ics")}
    assert not {uid for uid in uids if uid.startswith(f"delivery-{delivery.pk}-")}


@pytest.mark.parametrize(
    ("day", "precision", "end_date", "expected"),
    [
        ("2031-01-01", "year", None, ("2031-01-01", "2032-01-01")),
        ("2031-04-01", "quarter", None, ("2031-04-01", "2031-07-01")),
        ("2031-05-01", "month", None, ("2031-05-01", "2031-06-01")),
        ("2031-02-01", "month", None, ("2031-02-01", "2031-03-01")),
        ("2031-05-15", "day", None, ("2031-05-15", "2031-05-16")),
        ("2031-12-04", "day", "2031-12-05", ("2031-12-04", "2031-12-06")),
    ],
)
def test_a_planned_event_spans_the_period_of_its_precision_or_to_its_end(
    anon, day, precision, end_date, expected
):
    event = TimelineEvent.objects.create(
        kind=EventKind.MEETING,
        date=day,
        precision=precision,
        end_date=end_date,
        is_planned=True,
        title="Summit",
    )
    [entry] = [e for e in calendar(anon, "timeline.ics") if e["uid"] == f"event-{event.pk}@indoru"]
    assert span(entry) == tuple(dt.date.fromisoformat(d) for d in expected)
    assert str(entry["url"]).endswith(f"{API}events/{event.pk}/")


def test_a_record_calendar_holds_the_record_milestones_only(anon):
    events = by_summary(calendar(anon, "deliveries/s-400-triumf/timeline.ics"))
    assert set(events) == {
        "S-400 Triumf air defence regiments: forecast completion (2026)",
        "S-400 Triumf air defence regiments: tranche 1 due, 2 regiments (2026)",
    }
    by_id = calendar(
        anon, f"deliveries/{Delivery.objects.get(slug='s-400-triumf').pk}/timeline.ics"
    )
    assert set(by_summary(by_id)) == set(events)
    [target] = calendar(anon, f"trade-records/{TARGET}/timeline.ics")
    assert str(target["summary"]) == "Target: $100 billion of bilateral trade by 2030 (2030)"


# --- filters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"S-400 forecast", "S-400 tranche", "Akula forecast", "target"}),
        ("sector=defence", {"S-400 forecast", "S-400 tranche", "Akula forecast"}),
        ("sector=trade", {"target"}),
        ("record_type=trade_record", {"target"}),
        ("record_type=agreement", set()),
        ("delivery=akula-class-submarine-lease", {"Akula forecast"}),
        ("date_from=2027-06-01", {"Akula forecast", "target"}),
        ("date_to=2027-12-31", {"S-400 forecast", "S-400 tranche"}),
        ("date_from=2028-12-31&date_to=2029-12-31", {"Akula forecast"}),
        ("kind=postponed", set()),
        ("party=RUS", set()),
        ("is_planned=false", set()),
        (
            "is_planned=true&date_is_estimate=false",
            {"S-400 forecast", "S-400 tranche", "Akula forecast", "target"},
        ),
        ("updated_since=2999-01-01T00:00:00Z", set()),
    ],
)
def test_the_timeline_filters_narrow_the_calendar(anon, query, expected):
    names = {
        "S-400 Triumf air defence regiments: forecast completion (2026)": "S-400 forecast",
        "S-400 Triumf air defence regiments: tranche 1 due, 2 regiments (2026)": "S-400 tranche",
        "Akula-class nuclear submarine lease: forecast completion (2028)": "Akula forecast",
        "Target: $100 billion of bilateral trade by 2030 (2030)": "target",
    }
    events = calendar(anon, f"timeline.ics?{query}")
    assert {names.get(str(event["summary"]), str(event["summary"])) for event in events} == expected


def test_filters_on_what_only_events_have_keep_the_matching_planned_events(anon):
    event = make_event(1, is_planned=True, kind=EventKind.MEETING, date=dt.date(2027, 3, 1))
    [entry] = calendar(anon, f"timeline.ics?kind=meeting&party=IND&id={event.pk}")
    assert str(entry["uid"]) == f"event-{event.pk}@indoru"


def test_the_timeline_filters_narrow_the_atom_feed(anon):
    everything = atom(anon, "timeline.atom")
    defence = atom(anon, "timeline.atom?sector=defence")
    postponed = atom(anon, "timeline.atom?kind=postponed&record_type=delivery")

    assert 0 < len(postponed.entries) < len(defence.entries) < len(everything.entries)
    assert {entry.title for entry in postponed.entries} == {
        "Remaining two S-400 regiments postponed until 2026 (Dec 2025)",
        "Akula-class submarine lease pushed back to 2028 (Dec 2025)",
    }
    assert everything.feed.id == "tag:indoru,2025:timeline"
    assert postponed.feed.id == "tag:indoru,2025:timeline?kind=postponed&record_type=delivery"
    assert atom(anon, "timeline.atom?record_type=delivery&kind=postponed").feed.id == (
        postponed.feed.id
    )


def test_a_record_atom_feed_holds_its_events_newest_first(anon):
    feed = atom(anon, "agreements/relos/timeline.atom")
    relos = TimelineEvent.objects.filter(agreement__slug="relos").order_by("-updated_at", "-id")
    agreement_id = relos[0].agreement_id
    assert [entry.id for entry in feed.entries] == [
        f"tag:indoru,2025:agreement/{agreement_id}/event/{event.pk}" for event in relos
    ]
    assert feed.feed.id == f"tag:indoru,2025:agreement/{agreement_id}/timeline"
    assert feed.entries[0].link.endswith(f"{API}agreements/relos/")
    assert feed.feed.link.endswith(f"{API}agreements/relos/timeline/")


@pytest.mark.parametrize("suffix", ["ics", "atom"])
def test_bad_filters_unknown_parameters_and_records_are_json_errors(anon, suffix):
    bad = anon.get(f"{API}timeline.{suffix}", {"date_from": "soon", "colour": "red"})
    assert bad.status_code == 400
    assert set(field_errors(bad)) == {"colour"}  # unknown parameters are refused first
    bad = anon.get(f"{API}deliveries/s-400-triumf/timeline.{suffix}", {"date_from": "soon"})
    assert bad.status_code == 400 and list(field_errors(bad)) == ["date_from"]
    missing = anon.get(f"{API}issues/no-such-issue/timeline.{suffix}")
    assert missing.status_code == 404 and problem(missing)["code"] == "not_found"
    beyond_ids = anon.get(f"{API}issues/{2**64}/timeline.{suffix}")
    assert beyond_ids.status_code == 404


# --- every feed parses; identifiers stay put -----------------------------------------------

FEEDS = [
    "timeline.ics",
    "timeline.ics?sector=defence&date_from=2026-01-01",
    *(f"{record}/timeline.ics" for record in RECORDS),
    "deliveries/s-400-triumf/timeline.ics?date_to=2025-12-31",
    "timeline.atom",
    "timeline.atom?sector=defence&kind=postponed&kind=signed",
    *(f"{record}/timeline.atom" for record in RECORDS),
    "changes.atom",
]


@pytest.mark.parametrize("path", FEEDS)
def test_every_feed_parses(anon, path):
    if ".ics" in path:
        response = anon.get(f"{API}{path}")
        parsed = icalendar.Calendar.from_ical(response.content)
        assert parsed["version"] == "2.0" and str(parsed["x-wr-calname"]).startswith("indoru: ")
        for event in parsed.walk("VEVENT"):
            assert event.decoded("dtend") > event.decoded("dtstart")
            assert {"uid", "dtstamp", "summary", "url"} <= {key.lower() for key in event}
    else:
        feed = atom(anon, path)
        assert TAG_URI.fullmatch(feed.feed.id)
        assert all(TAG_URI.fullmatch(entry.id) for entry in feed.entries)
        assert all(entry.title and entry.link and entry.updated for entry in feed.entries)


def test_identifiers_are_the_same_from_every_host(anon, settings):
    settings.ALLOWED_HOSTS = ["tracker.example.org", "127.0.0.1"]
    hosts = [{"HTTP_HOST": "tracker.example.org"}, {"HTTP_HOST": "127.0.0.1:8000"}]

    calendars = [calendar(anon, "timeline.ics", **host) for host in hosts]
    assert [str(e["uid"]) for e in calendars[0]] == [str(e["uid"]) for e in calendars[1]]
    assert [str(e["url"]) for e in calendars[0]] != [str(e["url"]) for e in calendars[1]]
    for path in ("timeline.atom", "deliveries/s-400-triumf/timeline.atom", "changes.atom"):
        feeds = [atom(anon, path, **host) for host in hosts]
        assert feeds[0].feed.id == feeds[1].feed.id
        assert [e.id for e in feeds[0].entries] == [e.id for e in feeds[1].entries]
        assert all("example" not in e.id and "8000" not in e.id for e in feeds[1].entries)


def test_an_empty_feed_keeps_its_etag(anon):
    url = f"{API}timeline.atom?sector=no-such-sector"
    first = anon.get(url)
    assert atom(anon, "timeline.atom?sector=no-such-sector").entries == []
    assert anon.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_feeds_leave_out_stored_control_characters(anon):
    delivery = make_delivery(3, quantity_ordered=None)
    tranche = make_tranche(3, delivery=delivery, actual_date=None, actual_precision=None)
    event = make_event(3, delivery=delivery)
    Delivery.objects.filter(pk=delivery.pk).update(title="Bell\x07 rung")
    Tranche.objects.filter(pk=tranche.pk).update(note="Form\x0cfeed")
    TimelineEvent.objects.filter(pk=event.pk).update(description="Escape\x1b <b>")

    entries = by_summary(calendar(anon, f"deliveries/{delivery.slug}/timeline.ics"))
    assert set(entries) == {
        "Bell rung: tranche 1 due, 1 regiments (2021)",
        "Bell rung: forecast completion (2021)",
    }
    assert str(entries["Bell rung: tranche 1 due, 1 regiments (2021)"]["description"]) == (
        "Formfeed"
    )
    [item] = atom(anon, f"deliveries/{delivery.slug}/timeline.atom").entries
    # The summary is HTML: the description's text in it is escaped, shown as written.
    assert item.summary == "Escalated · Bell rung. Escape &lt;b&gt;"


# --- cost and documentation ----------------------------------------------------------------


def add_milestones(i: int) -> None:
    """A delivery with a planned tranche and a forecast, a trade target, and a planned tranche
    and event on the S-400."""
    delivery = make_delivery(100 + i, quantity_ordered=None)
    make_tranche(100 + i, delivery=delivery, actual_date=None, actual_precision=None)
    make_revision(delivery, None, "2029-01-01")
    make_trade(
        100 + i, kind=TradeKind.TARGET, target_date=dt.date(2031, 1, 1), target_precision="year"
    )
    s400 = Delivery.objects.get(slug="s-400-triumf")
    make_tranche(100 + i, delivery=s400, sequence=10 + i, actual_date=None, actual_precision=None)
    make_event(100 + i, delivery=s400, is_planned=True)


@pytest.mark.parametrize(
    "path",
    [
        "timeline.ics",
        "timeline.ics?sector=defence&date_from=2025-01-01",
        "deliveries/s-400-triumf/timeline.ics",
        "timeline.atom",
        "timeline.atom?sector=defence",
        "deliveries/s-400-triumf/timeline.atom",
    ],
)
def test_feeds_run_as_many_queries_whatever_the_number_of_milestones(anon, path):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert anon.get(f"{API}{path}").status_code == 200
        return len(captured.captured_queries)

    add_milestones(0)
    few = queries()
    for i in range(1, 6):
        add_milestones(i)
    assert TradeRecord.objects.filter(kind=TradeKind.TARGET).count() >= 7
    assert queries() == few <= 5


def test_the_schema_documents_the_feeds_media_types_and_filters():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path, media_type in [
        (f"{API}timeline.ics", "text/calendar"),
        (f"{API}timeline.atom", "application/atom+xml"),
        (f"{API}deliveries/{{key}}/timeline.ics", "text/calendar"),
        (f"{API}issues/{{key}}/timeline.atom", "application/atom+xml"),
        (f"{API}changes.atom", "application/atom+xml"),
    ]:
        operation = paths[path]["get"]
        assert list(operation["responses"]["200"]["content"]) == [media_type]
        assert operation["responses"]["200"]["content"][media_type]["schema"] == {"type": "string"}
        assert list(operation["responses"]["404"]["content"]) == ["application/problem+json"]
        if "timeline" in path:
            names = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
            assert {"sector", "kind", "date_from", "date_to", "record_type"} <= names
