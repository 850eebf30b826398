"""The trade export streams every matching record as CSV, unpaged."""

import csv
import io
from decimal import Decimal

import pytest

from tests.factories import make_trade
from tracker.api.renderers import csv_rows
from tracker.csvcells import safe_cell
from tracker.models import TradeRecord

from .conftest import API

EXPORT = f"{API}trade-records/export.csv"


def exported_rows(response) -> list[dict]:
    assert response.streaming, "the export must stream, not build the file in memory"
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_every_record_is_exported_in_id_order_without_paging(curated, anon):
    response = anon.get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = exported_rows(response)
    assert [int(row["id"]) for row in rows] == list(
        TradeRecord.objects.order_by("id").values_list("id", flat=True)
    )
    imports = next(row for row in rows if row["slug"] == "ind-imports-from-rus-fy2024-25")
    assert (imports["reporter"], imports["flow"], imports["value"]) == ("IND", "import", "63.8400")


def test_the_list_filters_apply(curated, anon):
    rows = exported_rows(anon.get(EXPORT, {"flow": "import"}))

    assert rows
    assert {row["flow"] for row in rows} == {"import"}
    assert len(rows) == TradeRecord.objects.filter(flow="import").count()


def test_a_bad_filter_is_a_400_naming_it(curated, anon):
    response = anon.get(EXPORT, {"flow": "sideways"})

    assert response.status_code == 400
    assert "flow" in response.content.decode()


def test_a_large_export_is_sent_in_batches():
    chunks = list(csv_rows(["n"], ((i,) for i in range(2500)), batch=1000))
    assert len(chunks) == 3
    assert sum(chunk.count("\n") for chunk in chunks) == 2501


FORMULA = "=cmd|' /C calc'!A0"


def test_a_formula_title_is_written_as_text_in_every_api_csv(db, anon):
    """A title a spreadsheet would run (OWASP "CSV Injection") gets a leading quote."""
    make_trade(1, title=FORMULA)
    make_trade(2, title="@SUM(A1:A2)")

    streamed = exported_rows(anon.get(EXPORT))
    listed = anon.get(f"{API}trade-records/", {"format": "csv", "ordering": "id"})
    paged = list(csv.DictReader(io.StringIO(listed.content.decode())))

    for rows in (streamed, paged):
        assert [row["title"] for row in rows] == [f"'{FORMULA}", "'@SUM(A1:A2)"]
        assert [row["value"] for row in rows] == ["63.8400", "63.8400"]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+1+2", "'+1+2"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("1=1", "1=1"),
        ("-1.5", "-1.5"),
        ("+2", "+2"),
        (Decimal("-1.5"), Decimal("-1.5")),
        (-3, -3),
    ],
)
def test_only_text_that_starts_a_formula_is_quoted_and_numbers_stay_numbers(value, written):
    assert safe_cell(value) == written
