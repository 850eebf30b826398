"""The synthetic data set (``bench/synthetic.py``): deterministic, proportional to its scale,
consistent with the rules."""

import hashlib

import pytest
from django.db import transaction

from bench.synthetic import Generator, Loader, Sizes, SyntheticDataExists, generate
from tracker.models import (
    Agreement,
    Citation,
    Delivery,
    Issue,
    TimelineEvent,
    TradeObservation,
    TradeRecord,
    TradeRelease,
)

SCALE = 0.001


class Rollback(Exception):
    pass


def checksum() -> str:
    """A digest of the data set that ignores ids and timestamps (they depend on the database)."""
    parts = [
        Delivery.objects.order_by("slug").values_list(
            "slug",
            "status",
            "quantity_ordered",
            "quantity_delivered",
            "baseline_date",
            "forecast_date",
            "actual_date",
            "slippage_months",
        ),
        TimelineEvent.objects.order_by("date", "kind", "title").values_list(
            "kind",
            "date",
            "precision",
            "title",
            "delivery__slug",
            "agreement__slug",
            "issue__slug",
            "old_date",
            "new_date",
        ),
        TradeRecord.objects.order_by("slug").values_list("slug", "value", "counts_toward_totals"),
        Citation.objects.order_by("quote", "source__slug").values_list("quote", "source__slug"),
        TradeObservation.objects.order_by("release__slug", "line").values_list(
            "release__slug", "line", "period", "hs_code", "value"
        ),
    ]
    return hashlib.sha256(repr([list(part) for part in parts]).encode()).hexdigest()


def generated(seed: int) -> str:
    """Generate, take the checksum, and undo, so the next generation starts from the same state."""
    try:
        with transaction.atomic():
            generate(SCALE, seed)
            digest = checksum()
            raise Rollback
    except Rollback:
        return digest


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(db):
    assert generated(7) == generated(7)
    assert generated(7) != generated(8)


def test_counts_follow_the_scale(db):
    generate(SCALE, 1)

    sizes = Sizes.at(SCALE)
    assert Agreement.objects.count() == sizes.agreements
    assert Delivery.objects.count() == sizes.deliveries
    assert Issue.objects.count() == sizes.issues
    assert TimelineEvent.objects.count() == sizes.events == 500
    assert 0.8 < TradeRecord.objects.count() / sizes.trade_records < 1.3
    # Every event and every record has a citation.
    assert Citation.objects.filter(event__isnull=False).count() == 500
    assert (
        Citation.objects.filter(trade_record__isnull=False).count() == TradeRecord.objects.count()
    )
    # The official statistics: a release and one revising part of it.
    assert 0.8 < TradeObservation.objects.count() / sizes.observations < 1.3
    revision = TradeRelease.objects.get(revises__isnull=False)
    assert TradeObservation.objects.filter(release=revision, flag="revised").exists()


def test_cached_schedules_match_the_tranches_and_revisions(db):
    generate(SCALE, 3)

    deliveries = Delivery.objects.all()
    assert deliveries.exclude(slippage_months=None).exists()
    assert deliveries.filter(events__kind__in=["postponed", "forecast_revised"]).exists()
    for delivery in deliveries:
        stored = {name: getattr(delivery, name) for name in delivery.compute_schedule()}
        assert delivery.compute_schedule() == stored, delivery.slug


def test_an_agreement_s_status_agrees_with_its_ratifications(db):
    """In force only once both parties ratified; awaiting ratification only while one has not.
    Generated on their own, so that enough agreements take every path."""
    generator = Generator(Sizes(60, 1, 1, 3, 1, 1), seed=5, loader=Loader(progress=None))
    generator.sources()
    generator.agreements()
    generator.loader.finish(reason="test")

    by_status: dict[str, list[bool]] = {}
    for agreement in Agreement.objects.all():
        ratified_by_all = all(steps.ratified for steps in agreement.party_steps())
        by_status.setdefault(agreement.status, []).append(ratified_by_all)
    assert set(by_status) == {"in_force", "ratification_pending", "signed"}
    assert all(by_status["in_force"])
    assert not any(by_status["ratification_pending"])
    assert not any(by_status["signed"])


def test_every_row_has_its_created_history_entry(db):
    generate(SCALE, 1)

    assert Delivery.history.filter(history_type="+").count() == Delivery.objects.count()
    assert TimelineEvent.history.count() == TimelineEvent.objects.count()
    assert TradeRecord.history.count() == TradeRecord.objects.count()


def test_a_second_run_on_the_same_database_is_refused(db):
    generate(SCALE, 1)
    with pytest.raises(SyntheticDataExists, match="already loaded"):
        generate(SCALE, 2)
