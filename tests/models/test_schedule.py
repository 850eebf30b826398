"""A delivery's baseline, forecast, actual and slippage follow from tranches and revisions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tracker.choices import EventKind
from tracker.models import Delivery, TimelineEvent, Tranche, deliveries
from tracker.models.deliveries import derive_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery(india, russia, defence):
    return Delivery.objects.create(
        slug="s-400",
        title="S-400 Triumf",
        kind="purchase",
        status="in_progress",
        supplier=russia,
        recipient=india,
        sector=defence,
        quantity_ordered=5,
        quantity_unit="regiments",
        ordered_on=dt.date(2018, 10, 1),
        ordered_precision="month",
    )


def revise(delivery, announced, old, new, kind=EventKind.FORECAST_REVISED):
    return TimelineEvent.objects.create(
        delivery=delivery,
        kind=kind,
        title="Schedule revised",
        date=announced[0],
        precision=announced[1],
        old_date=old and old[0],
        old_precision=old and old[1],
        new_date=new[0],
        new_precision=new[1],
    )


def test_baseline_2023_revised_to_2026_slips_36_months(delivery):
    revise(
        delivery,
        (dt.date(2024, 1, 1), "year"),
        (dt.date(2023, 1, 1), "year"),
        (dt.date(2026, 1, 1), "year"),
    )
    delivery.refresh_from_db()
    assert delivery.baseline.display == "2023"
    assert delivery.forecast.display == "2026"
    assert delivery.slippage_months == 36


def test_unknown_baseline_gives_unknown_slippage_and_a_postponement_by_an_unknown_span(delivery):
    revise(
        delivery,
        (dt.date(2025, 1, 1), "year"),
        None,
        (dt.date(2026, 1, 1), "year"),
        EventKind.POSTPONED,
    )
    delivery.refresh_from_db()
    assert delivery.baseline is None
    assert delivery.forecast.display == "2026"
    assert delivery.slippage_months is None
    assert delivery.postponed_from_unknown
    # An earlier revision that gives the first date makes the slippage known.
    revise(
        delivery,
        (dt.date(2020, 1, 1), "year"),
        (dt.date(2023, 1, 1), "year"),
        (dt.date(2024, 1, 1), "year"),
    )
    delivery.refresh_from_db()
    assert (delivery.slippage_months, delivery.postponed_from_unknown) == (36, False)
    assert delivery.history.first().postponed_from_unknown is False  # the change is recorded


def test_the_database_refuses_a_postponement_by_an_unknown_span_with_a_known_slippage(delivery):
    revise(
        delivery,
        (dt.date(2024, 1, 1), "year"),
        (dt.date(2023, 1, 1), "year"),
        (dt.date(2026, 1, 1), "year"),
    )
    refused = pytest.raises(IntegrityError, match="delivery_postponed_from_unknown_has_no_slippage")
    with refused, transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(postponed_from_unknown=True)


def test_later_revisions_move_the_forecast_not_the_baseline(delivery):
    revise(
        delivery,
        (dt.date(2022, 6, 1), "month"),
        (dt.date(2023, 1, 1), "year"),
        (dt.date(2024, 1, 1), "year"),
    )
    revise(
        delivery,
        (dt.date(2024, 3, 1), "month"),
        (dt.date(2024, 1, 1), "year"),
        (dt.date(2026, 1, 1), "year"),
    )
    delivery.refresh_from_db()
    assert (delivery.baseline.display, delivery.forecast.display) == ("2023", "2026")
    assert delivery.slippage_months == 36


def test_without_revisions_the_plan_is_both_baseline_and_forecast(delivery):
    Tranche.objects.create(
        delivery=delivery,
        sequence=1,
        quantity=3,
        planned_date=dt.date(2023, 1, 1),
        planned_precision="year",
    )
    Tranche.objects.create(
        delivery=delivery,
        sequence=2,
        quantity=2,
        planned_date=dt.date(2024, 4, 1),
        planned_precision="quarter",
    )
    delivery.refresh_from_db()
    assert delivery.baseline.display == delivery.forecast.display == "Q2 2024"
    assert delivery.slippage_months == 0


def test_tranches_count_deliveries_and_write_timeline_events(delivery):
    for sequence, month in enumerate([12, 4, 2], start=1):
        year = 2021 if sequence == 1 else 2022 + (sequence == 3)
        Tranche.objects.create(
            delivery=delivery,
            sequence=sequence,
            quantity=1,
            actual_date=dt.date(year, month, 1),
            actual_precision="month",
        )
    delivery.refresh_from_db()
    assert delivery.quantity_delivered == Decimal(3)
    assert delivery.actual is None  # two regiments still to come
    events = TimelineEvent.objects.filter(delivery=delivery, kind=EventKind.DELIVERED_IN_PART)
    assert [e.when.display for e in events] == ["Dec 2021", "Apr 2022", "Feb 2023"]


def deliver(delivery, sequence: int, quantity: int, month: int) -> Tranche:
    return Tranche.objects.create(
        delivery=delivery,
        sequence=sequence,
        quantity=quantity,
        actual_date=dt.date(2024, month, 1),
        actual_precision="month",
    )


def test_without_the_quantity_ordered_the_quantity_delivered_is_unknown(delivery):
    """As for the S-400: "the remaining two regiments" say others came, not how many."""
    Delivery.objects.filter(pk=delivery.pk).update(quantity_ordered=None)
    delivery.refresh_from_db()
    deliver(delivery, 1, 2, month=3)
    delivery.refresh_from_db()
    assert delivery.quantity_delivered is None

    delivery.quantity_ordered = 5  # a source gives the order
    delivery.save()
    delivery.refresh_from_db()
    assert delivery.quantity_delivered == 2
    assert delivery.history.first().quantity_delivered == 2  # the change is in the history


def test_an_order_corrected_to_what_arrived_completes_the_delivery(delivery):
    deliver(delivery, 1, 2, month=3)
    deliver(delivery, 2, 1, month=9)
    delivery.refresh_from_db()
    assert delivery.actual is None  # 3 of 5

    delivery.quantity_ordered = 3
    delivery.save()
    delivery.refresh_from_db()
    assert (delivery.quantity_delivered, delivery.actual.display) == (3, "Sep 2024")


def test_completion_is_the_last_tranche_once_everything_arrived(delivery):
    revise(
        delivery,
        (dt.date(2020, 1, 1), "year"),
        (dt.date(2023, 1, 1), "year"),
        (dt.date(2026, 1, 1), "year"),
    )
    Tranche.objects.create(
        delivery=delivery,
        sequence=1,
        quantity=3,
        actual_date=dt.date(2023, 2, 1),
        actual_precision="month",
    )
    last = Tranche.objects.create(
        delivery=delivery,
        sequence=2,
        quantity=2,
        actual_date=dt.date(2025, 11, 1),
        actual_precision="month",
    )
    delivery.refresh_from_db()
    assert delivery.actual.display == "Nov 2025"
    assert delivery.slippage_months == 24  # 2025 − 2023, compared as years

    last_pk = last.pk
    last.delete()
    delivery.refresh_from_db()
    assert delivery.actual is None
    assert delivery.quantity_delivered == 3
    assert delivery.slippage_months == 36  # back to the forecast
    assert not TimelineEvent.objects.filter(tranche_id=last_pk).exists()


def test_deleting_a_revision_recomputes_the_schedule(delivery):
    revision = revise(
        delivery,
        (dt.date(2024, 1, 1), "year"),
        (dt.date(2023, 1, 1), "year"),
        (dt.date(2026, 1, 1), "year"),
    )
    revision.delete()
    delivery.refresh_from_db()
    assert (delivery.baseline, delivery.forecast, delivery.slippage_months) == (None, None, None)


def test_cached_schedule_equals_a_fresh_computation(delivery):
    revise(
        delivery,
        (dt.date(2024, 1, 1), "year"),
        (dt.date(2023, 1, 1), "year"),
        (dt.date(2026, 1, 1), "year"),
    )
    Tranche.objects.create(
        delivery=delivery,
        sequence=1,
        quantity=3,
        actual_date=dt.date(2023, 2, 1),
        actual_precision="month",
    )
    delivery.refresh_from_db()
    stored = {name: getattr(delivery, name) for name in delivery.compute_schedule()}
    assert stored == delivery.compute_schedule()


@pytest.fixture
def schedule_calls(monkeypatch):
    """How many times a delivery's schedule is worked out."""
    calls = []

    def counted(**inputs):
        calls.append(inputs)
        return derive_schedule(**inputs)

    monkeypatch.setattr(deliveries, "derive_schedule", counted)
    return calls


def test_saving_a_delivered_tranche_works_out_the_schedule_once(
    delivery, schedule_calls, django_assert_num_queries
):
    tranche = Tranche.objects.create(
        delivery=delivery,
        sequence=1,
        quantity=2,
        planned_date=dt.date(2024, 1, 1),
        planned_precision="month",
    )
    tranche = Tranche.objects.get(pk=tranche.pk)  # as an edit loads it
    tranche.actual_date, tranche.actual_precision = dt.date(2024, 3, 1), "month"
    schedule_calls.clear()
    # The tranche and its history row (2); its delivery (1); its event looked up, inserted and
    # its history row (3); the schedule's tranches and events (2); the stored delivery (1),
    # updated with its history row (2).
    with django_assert_num_queries(11):
        tranche.save()
    assert len(schedule_calls) == 1
    delivery.refresh_from_db()
    assert (delivery.quantity_delivered, delivery.history.count()) == (2, 3)


def test_deleting_a_delivered_tranche_works_out_the_schedule_once(delivery, schedule_calls):
    tranche = deliver(delivery, 1, 2, month=3)
    schedule_calls.clear()
    tranche.delete()
    assert len(schedule_calls) == 1
    delivery.refresh_from_db()
    assert delivery.quantity_delivered == 0


def test_a_delivered_in_part_event_leaves_the_schedule_alone(delivery, schedule_calls):
    """The tranche that writes it is what the schedule counts."""
    deliver(delivery, 1, 2, month=3)
    event = TimelineEvent.objects.get(tranche__delivery=delivery)
    schedule_calls.clear()
    event.title = "First regiment delivered"
    event.save()
    assert schedule_calls == []
