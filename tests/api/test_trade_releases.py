"""Official statistics releases through the API: the summary shows the latest release's figure
of each period, a revision replaces what it covers, withdrawing it restores what it replaced,
and every release stays readable."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from tracker.models import Source, TradeRelease
from tracker.selectors.trade import official_figures

from ..factories import import_release_file
from .conftest import API, field_errors

FIRST = [
    "2024-03,IND,RUS,import,,4000000000,USD,,,provisional",
    "2024-03,IND,RUS,export,,500000000,USD,,,provisional",
    "2024-04,IND,RUS,import,,4200000000,USD,,,provisional",
    "2024-03,IND,RUS,import,2709,3000000000,USD,9000000,t,provisional",
]
REVISION = ["2024-03,IND,RUS,import,,4100000000,USD,,,revised"]


@pytest.fixture
def source(db):
    return Source.objects.create(slug="commerce-data-bank", title="Export Import Data Bank")


def release(tmp_path, source, slug, lines, released_on, revises=None) -> TradeRelease:
    return import_release_file(tmp_path, slug, lines, released_on, source=source, revises=revises)


def official_march_imports(client) -> tuple[str, list[str]]:
    groups = client.get(f"{API}trade-records/summary/?period_type=month").json()["groups"]
    march = [
        g for g in groups if g["series"] == "official" and g["period"]["start"] == "2024-03-01"
    ]
    assert len(march) == 1, groups
    return march[0]["imports"], sorted(r["slug"] for r in march[0]["releases"])


def test_a_revision_replaces_what_it_covers_and_withdrawing_it_restores_it(
    tmp_path, source, anon, editor_api
):
    first = release(tmp_path, source, "may-2024", FIRST, dt.date(2024, 5, 15))
    assert official_march_imports(anon) == ("4", ["may-2024"])

    release(tmp_path, source, "june-2024", REVISION, dt.date(2024, 6, 15), revises=first)
    # March's exports are not in the revision: they stay the first release's.
    assert official_march_imports(anon) == ("4.1", ["june-2024", "may-2024"])
    # The earlier release's figure stays readable, and the figures the revision does not
    # cover are still the earlier release's.
    earlier = anon.get(f"{API}trade-observations/?release=may-2024&period=2024-03&all_goods=true")
    assert [row["value"] for row in earlier.json()["results"] if row["flow"] == "import"] == [
        "4000000000.0000"
    ]
    april = official_figures({"period_type": "month"}).filter(period_id="2024-04").get()
    assert (april["value"], april["release__slug"]) == (Decimal("4200000000"), "may-2024")

    refused = anon.post(f"{API}trade-releases/june-2024/withdraw/", {"reason": "x"})
    assert refused.status_code in (401, 403)
    withdrawn = editor_api.post(
        f"{API}trade-releases/june-2024/withdraw/", {"reason": "Published in error."}, format="json"
    )
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["withdrawal_reason"] == "Published in error."
    assert official_march_imports(anon) == ("4", ["may-2024"])
    history = TradeRelease.objects.get(slug="june-2024").history.order_by("history_id")
    assert [h.history_type for h in history] == ["+", "~"]

    again = editor_api.post(
        f"{API}trade-releases/june-2024/withdraw/", {"reason": "Twice."}, format="json"
    )
    assert again.status_code == 400
    assert field_errors(again) == {"reason": ["The release is withdrawn already."]}


def test_releases_are_listed_with_what_they_cite_and_revise(tmp_path, source, anon):
    first = release(tmp_path, source, "may-2024", FIRST, dt.date(2024, 5, 15))
    release(tmp_path, source, "june-2024", REVISION, dt.date(2024, 6, 15), revises=first)

    listed = anon.get(f"{API}trade-releases/").json()["results"]
    assert [(r["slug"], r["revises"], r["source"], r["row_count"]) for r in listed] == [
        ("june-2024", "may-2024", "commerce-data-bank", 1),
        ("may-2024", None, "commerce-data-bank", 4),
    ]
    detail = anon.get(f"{API}trade-releases/may-2024/").json()
    assert (detail["coverage_start"], detail["coverage_end"]) == ("2024-03-01", "2024-04-30")


def test_observations_filter_by_hs_code_prefix_and_stream_as_csv(tmp_path, source, anon):
    release(tmp_path, source, "may-2024", FIRST, dt.date(2024, 5, 15))

    crude = anon.get(f"{API}trade-observations/?hs_code=27").json()["results"]
    assert [(row["hs_code"], row["quantity"], row["unit"]) for row in crude] == [
        ("2709", "9000000.0000", "t")
    ]
    exported = anon.get(f"{API}trade-observations/export.csv?flow=import")
    assert exported.status_code == 200
    lines = b"".join(exported.streaming_content).decode().splitlines()
    assert lines[0].startswith("release,line,period,period_type")
    assert len(lines) == 1 + 3


def test_the_summary_reads_observations_through_the_index_not_a_scan(tmp_path, source):
    """The whole-goods figures are a few among many: an index scan, never a scan of all."""
    codes = [f"{n:06d}" for n in range(2000)]
    lines = [
        f"2024-{month:02d},IND,RUS,{flow},{code},1.5,USD,,,"
        for month in range(1, 13)
        for flow in ("import", "export")
        for code in ["", *codes]
    ]
    release(tmp_path, source, "year-2024", lines, dt.date(2025, 2, 1))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tracker_tradeobservation")
    plan = official_figures({}).explain()
    assert "tracker_tradeobservation_r" in plan
    assert "Seq Scan on tracker_tradeobservation" not in plan, plan
