"""A delivery is late when it slipped past its baseline, was postponed from a date the
sources do not give, or is still owed after its forecast has passed."""

import datetime as dt

import pytest

from tests.factories import make_deliveries_late_and_not
from tracker.choices import Lateness
from tracker.models import Delivery
from tracker.models.deliveries import KNOWN_LATE, LATE_CONDITIONS, LATENESS_COLUMNS, ways_late

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def deliveries():
    make_deliveries_late_and_not()
    return {d.slug: d for d in Delivery.objects.with_lateness(TODAY)}


def test_late_deliveries_are_the_slipped_the_postponed_and_the_overdue(deliveries):
    late = set(Delivery.objects.late(TODAY).values_list("slug", flat=True))
    assert late == {"slipped", "postponed", "overdue"}


def test_each_delivery_says_how_it_is_late(deliveries):
    assert deliveries["slipped"].slippage_months == 36
    assert deliveries["postponed"].slippage_months is None
    assert deliveries["postponed"].postponed_from_unknown
    assert not deliveries["slipped"].postponed_from_unknown
    assert deliveries["overdue"].overdue and deliveries["overdue"].slippage_months == 0
    # A forecast that passed does not make a delivery late once it is complete, nor one
    # that is only being discussed.
    assert not deliveries["completed"].overdue
    assert not deliveries["only-talks"].overdue


def test_a_forecast_is_overdue_only_once_its_whole_period_has_passed(deliveries):
    # The tranche is planned for "2025": on the last day of 2025 it is not yet overdue.
    on_time = Delivery.objects.late(dt.date(2025, 12, 31)).values_list("slug", flat=True)
    assert set(on_time) == {"slipped", "postponed"}


def test_not_late_is_every_other_delivery_including_those_without_a_forecast(deliveries):
    not_late = Delivery.objects.with_lateness(TODAY).exclude(KNOWN_LATE)
    assert set(not_late.values_list("slug", flat=True)) == {
        "completed",
        "only-talks",
        "no-schedule",
    }


@pytest.mark.parametrize("today", [dt.date(2025, 12, 31), dt.date(2026, 1, 1), TODAY])
def test_the_ways_worked_out_from_a_row_are_the_ways_the_sql_picks(deliveries, today):
    """``ways_late`` (lists) and ``LATE_CONDITIONS`` (filters) agree, on the last day of a
    forecast's period ("2025") and on the day after it."""
    annotated = Delivery.objects.with_lateness(today)
    from_rows = {}
    for delivery in annotated:
        in_sql = [
            way.value
            for way in Lateness
            if annotated.filter(LATE_CONDITIONS[way], pk=delivery.pk).exists()
        ]
        values = (getattr(delivery, column) for column in LATENESS_COLUMNS)
        from_rows[delivery.slug] = ways_late(today, *values)
        assert from_rows[delivery.slug] == in_sql, delivery.slug
    overdue_from = dt.date(2026, 1, 1)
    assert from_rows["overdue"] == (["overdue"] if today >= overdue_from else [])
    assert from_rows["postponed"] == ["postponed"]
