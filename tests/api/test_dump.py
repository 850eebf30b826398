"""``/api/v1/dump.ndjson``: every record with its events and citations, one JSON object a
line after a header with the licence and how to cite, streamed in batches."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator

from tracker import licence
from tracker.api import dump
from tracker.models import Agreement, Delivery, Issue, Source, TimelineEvent, TradeRecord

from .conftest import API

pytestmark = pytest.mark.usefixtures("curated")


def read_dump(client) -> list[dict]:
    response = client.get(f"{API}dump.ndjson")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/x-ndjson"
    text = b"".join(response.streaming_content).decode()
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_the_first_line_gives_the_licence_and_how_to_cite(anon):
    first = read_dump(anon)[0]
    assert first["type"] == "header"
    assert first["licence"]["name"] == "CC BY 4.0"
    assert "indoru" in first["how_to_cite"]


def test_every_record_once_with_its_events_as_the_api_shows_them(anon):
    lines = read_dump(anon)[1:]
    by_type = {}
    for line in lines:
        by_type.setdefault(line["type"], []).append(line)
    counts = {kind: len(found) for kind, found in by_type.items()}
    on_no_record = TimelineEvent.objects.filter(
        agreement=None, delivery=None, trade_record=None, issue=None
    ).count()
    assert counts == {
        "agreement": Agreement.objects.count(),
        "delivery": Delivery.objects.count(),
        "trade_record": TradeRecord.objects.count(),
        "issue": Issue.objects.count(),
        "source": Source.objects.count(),
        **({"event": on_no_record} if on_no_record else {}),
    }
    events = [e["id"] for line in lines for e in line.get("events", [])]
    events += [line["record"]["id"] for line in by_type.get("event", [])]
    assert sorted(events) == sorted(TimelineEvent.objects.values_list("id", flat=True))

    [s400] = [line for line in by_type["delivery"] if line["record"]["slug"] == "s-400-triumf"]
    assert s400["record"] == anon.get(f"{API}deliveries/s-400-triumf/").json()
    timeline = anon.get(f"{API}deliveries/s-400-triumf/timeline/", {"page_size": 500}).json()
    assert s400["events"] == timeline["results"]
    assert any(event["citations"] for event in s400["events"])


def dump_queries(client) -> int:
    """The queries that streaming the dump runs (after the view has answered)."""
    response = client.get(f"{API}dump.ndjson")
    with CaptureQueriesContext(connection) as queries:
        b"".join(response.streaming_content)
    return len(queries)


def test_queries_grow_with_batches_not_with_records(anon):
    one_batch_each = dump_queries(anon)
    delivery = Delivery.objects.get(slug="s-400-triumf")
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            delivery=delivery, kind="other", title=f"E{n}", date="2020-01-01", precision="day"
        )
        for n in range(30)
    )
    Source.objects.bulk_create(Source(slug=f"s{n}", title="S", publisher="P") for n in range(30))

    assert dump_queries(anon) == one_batch_each


def test_small_batches_give_the_same_lines(anon, monkeypatch):
    whole = read_dump(anon)[1:]
    monkeypatch.setattr(dump, "BATCH", 2)
    assert read_dump(anon)[1:] == whole


def test_the_schema_gives_the_licence_and_how_to_cite():
    info = SchemaGenerator().get_schema(request=None, public=True)["info"]
    assert info["license"] == licence.LICENCE
    assert licence.HOW_TO_CITE in info["description"]


def test_the_readme_gives_the_licence_and_how_to_cite():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    assert " ".join(licence.LICENCE_TEXT.split()) in " ".join(readme.split())
    assert licence.HOW_TO_CITE in readme
