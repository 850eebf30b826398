"""Loading the curated data set into an empty database records only true states: every
delivery's history holds its final schedule, and the changes feed lists each delivery once."""

import pytest

from tests.api.test_changes import all_changes
from tracker.models import Delivery

pytestmark = pytest.mark.usefixtures("curated")


def schedule(row) -> dict:
    """The derived columns: ``compute_schedule``'s, on an unsaved delivery without a query."""
    return {name: getattr(row, name) for name in Delivery().compute_schedule()}


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
    entries = all_changes(client, "/api/v1/changes/?type=delivery&page_size=100")
    assert sorted(entry["id"] for entry in entries) == sorted(
        Delivery.objects.values_list("pk", flat=True)
    )
    assert {entry["action"] for entry in entries} == {"created"}


def test_a_delivery_is_created_before_its_tranches_and_events_in_the_all_changes(client, db):
    """A mirror that applies the feed in order meets each delivery before its parts."""
    entries = all_changes(
        client, "/api/v1/changes/?type=delivery&type=tranche&type=event&page_size=100"
    )
    seen = set()
    for entry in entries:
        if entry["type"] == "delivery":
            seen.add(entry["id"])
        elif entry["record"] and entry["record"]["type"] == "delivery":
            assert entry["record"]["id"] in seen, entry
