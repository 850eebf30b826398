"""Official trade statistics as published: releases and their observations.

A statistics office publishes bulk data as a release — one file, with a date, covering some
periods — which a later release revises or replaces. The release is the unit of provenance
(it cites its source once) and of change (its history is imported, revised, withdrawn); its
rows are observations, stored as published. The few headline figures sources state stay
curated claims (``TradeRecord``), each with its own citation and history.

Observations live in a table partitioned by release (PostgreSQL declarative partitioning,
created by migration ``0020_trade_releases``; Django does not model partitions): an import
fills a new table and attaches it as its release's partition, so a release's rows never mix
with another's and a failed import leaves no partition behind.
"""

from django.db import models
from django.db.models import Q

from ..choices import PeriodType, TradeFlow
from ..db import choices_check
from .base import CleanTextModel, TimeStampedModel
from .history import HistoricalRecords


class ObservationFlag(models.TextChoices):
    """What the publisher says of a figure; empty for a plain reported one."""

    REPORTED = "", "Reported"
    PROVISIONAL = "provisional", "Provisional"
    REVISED = "revised", "Revised"
    ESTIMATE = "estimate", "Estimate"


class TradePeriod(CleanTextModel):
    """A period as statistics files name it (``2024-03``, ``2024-Q1``, ``FY2024-25``), with the
    days it spans: filled with the distinct periods of each release as it is imported, so an
    observation stores the label it was published with and reads its span from here."""

    label = models.CharField(max_length=10, primary_key=True)
    period_type = models.CharField(max_length=16, choices=PeriodType.choices)
    period_start = models.DateField()
    period_end = models.DateField()

    class Meta:
        ordering = ["period_start", "period_end"]
        constraints = [
            choices_check("period_type", PeriodType, "trade_period_label_type_valid"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="trade_period_label_ordered",
                violation_error_message="A period cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class TradeRelease(TimeStampedModel):
    """One published file of trade statistics: who published which dataset when, the periods
    it covers, the file itself (name, SHA-256, rows) and the source it is cited from."""

    slug = models.SlugField(max_length=120, unique=True)
    publisher = models.CharField(max_length=200)
    dataset = models.CharField(max_length=200)
    released_on = models.DateField(help_text="The day the publisher released the file.")
    coverage_start = models.DateField(help_text="First day of the earliest period it covers.")
    coverage_end = models.DateField(help_text="Last day of the latest period it covers.")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, unique=True, help_text="Of the file as imported.")
    row_count = models.PositiveIntegerField()
    source = models.ForeignKey(
        "tracker.Source", on_delete=models.PROTECT, related_name="trade_releases"
    )
    revises = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        help_text="The earlier release whose figures this one revises.",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-released_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(coverage_end__gte=models.F("coverage_start")),
                name="trade_release_coverage_ordered",
                violation_error_message="A release's coverage cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawal_reason=""),
                name="trade_release_withdrawal_has_reason",
                violation_error_message="Say why the release is withdrawn.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publisher}: {self.dataset}, released {self.released_on}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class TradeObservation(CleanTextModel):
    """One row of a release, as published. Its table is partitioned by release and written
    only by the importer (``tracker/services/trade_releases.py``), in bulk."""

    pk = models.CompositePrimaryKey("release_id", "line")
    release = models.ForeignKey(TradeRelease, on_delete=models.DO_NOTHING, db_constraint=False)
    #: The line of the release's file the row was read from (the header is line 1).
    line = models.BigIntegerField()
    period = models.ForeignKey(
        TradePeriod, on_delete=models.DO_NOTHING, db_constraint=False, db_column="period"
    )
    reporter = models.CharField(max_length=3, help_text="Party code, e.g. IND.")
    partner = models.CharField(max_length=3, help_text="Party code, e.g. RUS.")
    flow = models.CharField(max_length=8, choices=TradeFlow.choices)
    hs_code = models.CharField(max_length=10, blank=True, help_text="Empty for all goods.")
    value = models.DecimalField(max_digits=20, decimal_places=4)
    currency = models.CharField(max_length=3)
    quantity = models.DecimalField(max_digits=20, decimal_places=4, null=True)
    unit = models.CharField(max_length=16, blank=True)
    flag = models.CharField(max_length=12, choices=ObservationFlag.choices, blank=True)

    class Meta:
        managed = False
        db_table = "tracker_tradeobservation"
        ordering = ["release", "line"]

    def __str__(self) -> str:
        return f"{self.release_id}:{self.line}"
