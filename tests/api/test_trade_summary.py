"""The trade summary on the curated data: one claim per figure, totals and balance."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.api.conftest import API, field_errors
from tests.factories import make_trade
from tracker.api.summary import ClaimSerializer, claim_value
from tracker.choices import PeriodType, Qualifier

pytestmark = pytest.mark.usefixtures("curated")


@pytest.fixture
def summary(anon) -> dict:
    response = anon.get(f"{API}trade-records/summary/")
    assert response.status_code == 200
    return response.json()


def fy2024_25(summary) -> dict:
    return next(
        g
        for g in summary["groups"]
        if g["period"] == {"type": "fiscal_year", "start": "2024-04-01", "end": "2025-03-31"}
        and (g["reporter"], g["partner"]) == ("IND", "RUS")
    )


def test_fy2024_25_imports_exports_total_and_balance(summary):
    group = fy2024_25(summary)
    assert (group["currency"], group["unit"]) == ("USD", "billion")
    assert Decimal(group["imports"]) == Decimal("63.84")
    assert Decimal(group["exports"]) == Decimal("4.88")
    assert Decimal(group["balance"]) == Decimal("-58.96")
    assert Decimal(group["total"]) == Decimal("68.7") and group["total_is_reported"]


def test_conflicting_claims_are_listed_but_not_summed(summary):
    group = fy2024_25(summary)
    counted_flows = [claim["flow"] for claim in group["claims"]]
    assert len(counted_flows) == len(set(counted_flows))
    assert "ind-exports-to-rus-about-4-9" in [c["slug"] for c in group["not_counted"]]


def test_progress_against_the_2030_target(summary):
    target = next(
        t for t in summary["targets"] if t["claim"]["slug"] == "ind-rus-trade-target-2030"
    )
    assert Decimal(target["value"]) == Decimal("100")
    assert target["target_date"]["display"] == "2030"
    assert Decimal(target["progress"]) == Decimal(target["reached"]) / Decimal(target["value"])


def test_a_range_claim_gives_both_ends(anon):
    make_trade(
        slug="imports-fy2024-25-range",
        period_type=PeriodType.FISCAL_YEAR,
        period_start=dt.date(2024, 4, 1),
        period_end=dt.date(2025, 3, 31),
        value=Decimal(60),
        value_high=Decimal("65.5"),
        qualifier=Qualifier.RANGE,
    )
    summary = anon.get(f"{API}trade-records/summary/").json()

    not_counted = {claim["slug"]: claim for claim in fy2024_25(summary)["not_counted"]}
    assert not_counted["imports-fy2024-25-range"]["value"] == "60.0000"
    assert not_counted["imports-fy2024-25-range"]["value_high"] == "65.5000"
    assert not_counted["ind-exports-to-rus-about-4-9"]["value_high"] is None


def test_summary_filters_and_bad_values(anon):
    fiscal = anon.get(f"{API}trade-records/summary/", {"period_type": "fiscal_year"}).json()
    assert {g["period"]["type"] for g in fiscal["groups"]} == {"fiscal_year"}
    bad = anon.get(f"{API}trade-records/summary/", {"period_type": "decade", "reporter": "XXX"})
    assert bad.status_code == 400
    assert set(field_errors(bad)) == {"period_type", "reporter"}


def test_summary_is_cacheable(anon):
    first = anon.get(f"{API}trade-records/summary/")
    again = anon.get(f"{API}trade-records/summary/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize(
    "value",
    [
        "4880000000.0000",
        "0.0000",
        "-58.9600",
        "63.8400",
        "9999999999999999.9999",
        "1.5",
        "1E+3",
        "1.0E+5",
        "2.12345",
        "1.2345E+10",
        "NaN",
    ],
)
def test_claim_values_are_written_as_drf_writes_them(value):
    drf_field = ClaimSerializer().fields["value"]
    assert claim_value(Decimal(value)) == drf_field.to_representation(Decimal(value))
