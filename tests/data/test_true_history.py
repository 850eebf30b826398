"""Loading the curated data set into an empty database records only true states: every
delivery's history holds its final schedule, and the changes feed lists each delivery once."""

import pytest

from tracker.models import Delivery

pytestmark = pytest.mark.usefixtures("curated")

SCHEDULE = (
    "quantity_delivered",
    "baseline_date",
    "baseline_precision",
    "forecast_date",
    "forecast_precision",
    "actual_date",
    "actual_precision",
    "slippage_months",
    "postponed_from_unknown",
)


def schedule(row) -> dict:
    return {name: getattr(row, name) for name in SCHEDULE}


def test_every_history_row_of_every_delivery_holds_its_final_schedule(db):
    deliveries = {delivery.pk: delivery for delivery in Delivery.objects.all()}
    rows = list(Delivery.history.order_by("history_date", "history_id"))
    assert {row.id for row in rows} == set(deliveries)
    for row in rows:
        final = deliveries[row.id]
        assert schedule(row) == schedule(final), (final.slug, row.history_id)
        if row.slippage_months == 0:
            assert final.slippage_months == 0, final.slug
        assert row.baseline_date == final.baseline_date, final.slug
    # One row each: the delivery as it was created, schedule and all.
    assert [row.history_type for row in rows] == ["+"] * len(deliveries)


def test_the_s400_never_shows_a_slippage_or_a_baseline(db):
    """The sources give no baseline: it was never 2026, and its slippage never 0."""
    s400 = Delivery.objects.get(slug="s-400-triumf")
    assert (s400.baseline, s400.slippage_months, s400.postponed_from_unknown) == (None, None, True)
    for row in s400.history.all():
        assert (row.baseline_date, row.slippage_months) == (None, None)


def test_the_changes_feed_lists_each_delivery_once_as_created(client, db):
    entries, url = [], "/api/v1/changes/?type=delivery&page_size=100"
    while url:
        page = client.get(url).json()
        entries += page["results"]
        url = page["next"]
    assert sorted(entry["id"] for entry in entries) == sorted(
        Delivery.objects.values_list("pk", flat=True)
    )
    assert {entry["action"] for entry in entries} == {"created"}


def test_a_delivery_is_created_before_its_tranches_and_events_in_the_feed(client, db):
    """A mirror that applies the feed in order meets each delivery before its parts."""
    entries, url = [], "/api/v1/changes/?type=delivery&type=tranche&type=event&page_size=100"
    while url:
        page = client.get(url).json()
        entries += page["results"]
        url = page["next"]
    seen = set()
    for entry in entries:
        if entry["type"] == "delivery":
            seen.add(entry["id"])
        elif entry["record"] and entry["record"]["type"] == "delivery":
            assert entry["record"]["id"] in seen, entry
