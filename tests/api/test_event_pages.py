"""Event lists that a request does not filter are read by statements compiled once for each
shape of page (``tracker.api.readplans.EventRows``). Page by page, forwards and back, they
must give what the ORM's queryset gives, which is what the lists give when a filter is set.
"""

import base64
import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from tracker.api import filtersets, readplans
from tracker.models import Citation, Delivery, Source, TimelineEvent

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
    """Lists as a filtered request reads them: the filter set, then the ORM's queryset."""
    monkeypatch.setattr(filtersets, "filters_given", lambda request: True)


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
