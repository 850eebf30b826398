"""``?format=csv`` has the documented, fixed, flat columns of each record type, whatever the
rows hold, with the values the JSON has."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.api.conftest import API
from tracker.api import serializers
from tracker.api.columns import csv_columns

pytestmark = pytest.mark.usefixtures("curated")

GUIDE = Path(settings.BASE_DIR) / "docs" / "api.md"
SERIALIZERS = {
    "agreements/": serializers.AgreementSerializer,
    "deliveries/": serializers.DeliverySerializer,
    "trade-records/": serializers.TradeRecordSerializer,
    "issues/": serializers.IssueSerializer,
    "sources/": serializers.SourceSerializer,
    "events/": serializers.EventSerializer,
    "timeline/": serializers.EventSerializer,
}


def documented_columns() -> dict[str, list[str]]:
    """The columns that docs/api.md lists for each address."""
    section = GUIDE.read_text().split("## CSV columns", 1)[1].split("\n## ", 1)[0]
    columns = {}
    for line in section.splitlines():
        if line.startswith("| `"):
            addresses, names = line.strip("| ").split(" | ")
            for address in re.findall(r"`([^`]+)`", addresses):
                columns[address] = re.findall(r"`([^`]+)`", names)
    return columns


def read_csv(client, path: str, **query) -> tuple[list[str], list[dict]]:
    query = {"format": "csv", "page_size": 500, **query}
    response = client.get(f"{API}{path}", {k: v for k, v in query.items() if v is not None})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    reader = csv.DictReader(io.StringIO(response.content.decode()))
    return list(reader.fieldnames or []), list(reader)


def read_json(client, path: str, **query) -> list[dict]:
    return client.get(f"{API}{path}", {"page_size": 500, **query}).json()["results"]


def test_the_columns_are_documented_and_each_named_once():
    documented = documented_columns()
    assert set(documented) == set(SERIALIZERS)
    for path, serializer_class in SERIALIZERS.items():
        names = [column.name for column in csv_columns(serializer_class)]
        assert names == documented[path], path
        assert len(set(names)) == len(names), path


@pytest.mark.parametrize("path", SERIALIZERS)
def test_every_page_has_the_documented_columns_an_empty_one_too(anon, path):
    header, rows = read_csv(anon, path)
    assert rows and header == documented_columns()[path]
    empty_header, empty_rows = read_csv(anon, path, id=2**63 - 1)
    assert (empty_header, empty_rows) == (header, [])


def cell(value) -> str:
    """A JSON value as the CSV writes it."""
    return "" if value is None else str(value)


def test_every_delivery_date_is_in_its_three_columns(anon):
    """The S-400's forecast (2026) is there whatever the first row's forecast is."""
    _, rows = read_csv(anon, "deliveries/", ordering="-slippage")
    records = read_json(anon, "deliveries/", ordering="-slippage")
    assert [row["slug"] for row in rows] == [record["slug"] for record in records]
    assert records[0]["forecast"] is None or records[-1]["forecast"] is None
    for row, record in zip(rows, records, strict=True):
        for name in ("ordered", "baseline", "forecast", "actual"):
            date = record[name] or {}
            for part in ("date", "precision", "display"):
                assert row[f"{name}_{part}"] == cell(date.get(part)), (record["slug"], name)
    s400 = next(row for row in rows if row["slug"] == "s-400-triumf")
    assert (s400["forecast_date"], s400["forecast_display"]) == ("2026-01-01", "2026")


def test_lists_are_counted_and_values_joined(anon):
    _, rows = read_csv(anon, "deliveries/")
    records = read_json(anon, "deliveries/")
    for row, record in zip(rows, records, strict=True):
        assert int(row["citations_count"]) == len(record["citations"])
        assert int(row["revisions_count"]) == len(record["revisions"])
        assert int(row["tranches_count"]) == len(record["tranches"])
        assert row["late"] == ";".join(record["late"])
    assert any(int(row["revisions_count"]) for row in rows)


def test_the_timeline_keeps_the_old_and_new_dates_of_a_revision(anon):
    query = {"kind": ["postponed", "forecast_revised"]}
    _, rows = read_csv(anon, "timeline/", **query)
    events = read_json(anon, "timeline/", **query)
    assert rows and len(rows) == len(events)
    for row, event in zip(rows, events, strict=True):
        assert row["old_date"] == cell((event["old_date"] or {}).get("date"))
        assert row["new_precision"] == cell((event["new_date"] or {}).get("precision"))
        assert row["display"] == event["date"]["display"]
        assert row["record_slug"] == event["record"]["slug"]
    assert any(row["new_date"] for row in rows)


def test_one_record_as_csv_has_the_same_columns(anon):
    header, rows = read_csv(anon, "deliveries/s-400-triumf/", page_size=None)
    assert header == documented_columns()["deliveries/"]
    assert [row["slug"] for row in rows] == ["s-400-triumf"]
