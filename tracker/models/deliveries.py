"""Deliveries: what one side owes the other on a schedule, and how that schedule slipped."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_

import pgtrigger
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object

from ..choices import (
    REVISION_KINDS,
    SCHEDULE_KINDS,
    DeliveryKind,
    DeliveryStatus,
    EventKind,
    Lateness,
    Unit,
)
from ..dates import PreciseDate, months_between
from ..db import (
    PeriodEnd,
    choices_check,
    non_negative,
    not_before,
    period_end_sql,
    precise_date_checks,
)
from ..figures import number
from .base import (
    NamedRecord,
    PreciseDatesMixin,
    TimeStampedModel,
    precision_field,
    search_index,
)
from .history import HistoricalRecords
from .slugs import keeps_former_slugs

DELIVERY_DATES = (
    ("ordered_on", "ordered_precision"),
    ("baseline_date", "baseline_precision"),
    ("forecast_date", "forecast_precision"),
    ("actual_date", "actual_precision"),
)


SCHEDULE_CHANGE_REASON = "Schedule recomputed from tranches and forecast revisions"

# --- the rules of tranches, in one wording each ---------------------------------------------
# The database holds them too: the check constraint ``delivery_not_more_than_ordered`` below
# and the triggers ``tranche_guard`` and ``delivery_guard``, which raise these messages, so no
# path (ORM, raw SQL, bulk load) can store a tranche that breaks them.

#: The tranches of a delivery add up to no more than the quantity ordered.
TOO_MANY = "Delivered more than ordered: the tranches add up to more than the quantity ordered."
#: No tranche arrives before its delivery was ordered (compared at the tranche's precision).
TOO_EARLY = "A tranche cannot arrive before its delivery was ordered."
#: The triggers' refusals (``tracker.integrity``): each rule, and the field it concerns on the
#: model being saved.
TRIGGER_RULES = {
    TOO_MANY: {"delivery": "quantity_ordered", "tranche": "quantity"},
    TOO_EARLY: {"delivery": "ordered_on", "tranche": "actual_date"},
}


def more_than_ordered(total, ordered) -> bool:
    """``TOO_MANY``'s rule: tranches adding up to ``total`` exceed the ``ordered`` quantity.
    An unknown order limits nothing. In SQL: ``NOT_MORE_THAN_ORDERED`` and the trigger."""
    return ordered is not None and total is not None and total > ordered


def too_many(total, ordered) -> str:
    """``TOO_MANY`` with its figures, as the trigger words it: "… (6 > 5)"."""
    return f"{TOO_MANY} ({number(total)} > {number(ordered)})"


def arrived_before_order(arrived: PreciseDate | None, ordered_on: dt.date | None) -> bool:
    """``TOO_EARLY``'s rule: the period of the arrival ended before the order's day."""
    return arrived is not None and ordered_on is not None and arrived.end < ordered_on


def _tranche_rules_sql(delivery_id: str) -> str:
    """PL/pgSQL for ``more_than_ordered`` and ``arrived_before_order`` over the stored tranches
    of delivery ``delivery_id`` (an SQL expression), raising their messages."""
    arrived = period_end_sql("t.actual_date", "t.actual_precision")
    return f"""
  SELECT quantity_ordered, ordered_on INTO ordered, ordered_day
    FROM tracker_delivery WHERE id = {delivery_id};
  SELECT COALESCE(SUM(quantity), 0) INTO total
    FROM tracker_tranche WHERE delivery_id = {delivery_id};
  IF ordered IS NOT NULL AND total > ordered THEN
    RAISE EXCEPTION '{TOO_MANY} (% > %)', total, ordered USING ERRCODE = 'check_violation';
  END IF;
  IF ordered_day IS NOT NULL AND EXISTS (
      SELECT 1 FROM tracker_tranche t
       WHERE t.delivery_id = {delivery_id} AND t.actual_date IS NOT NULL
         AND {arrived} < ordered_day)
  THEN
    RAISE EXCEPTION '{TOO_EARLY}' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;"""


_TRANCHE_RULES_VARIABLES = [("ordered", "numeric"), ("ordered_day", "date"), ("total", "numeric")]

#: On ``tracker_tranche``: a new or changed tranche keeps its delivery's rules.
TRANCHE_GUARD = pgtrigger.Trigger(
    name="tranche_guard",
    when=pgtrigger.After,
    operation=pgtrigger.Insert | pgtrigger.Update,
    declare=_TRANCHE_RULES_VARIABLES,
    func=_tranche_rules_sql("NEW.delivery_id"),
)
#: On ``tracker_delivery``: a changed order (quantity or date) keeps its tranches valid.
DELIVERY_GUARD = pgtrigger.Trigger(
    name="delivery_guard",
    when=pgtrigger.After,
    operation=pgtrigger.UpdateOf("quantity_ordered", "ordered_on"),
    declare=_TRANCHE_RULES_VARIABLES,
    func=_tranche_rules_sql("NEW.id"),
)

#: ``more_than_ordered`` on a delivery's stored quantity delivered, as a check constraint.
NOT_MORE_THAN_ORDERED = Q(quantity_ordered__isnull=True) | Q(
    quantity_delivered__lte=F("quantity_ordered")
)
#: Statuses of a delivery that is owed and not finished: only these can be overdue.
UNDER_WAY = (DeliveryStatus.CONTRACTED, DeliveryStatus.IN_PROGRESS)


def derive_schedule(
    *, quantity_ordered, tranches: list, revisions: list, completion: PreciseDate | None
) -> dict:
    """Baseline, forecast, actual, quantity delivered and slippage of a delivery.

    - baseline: the old date of the first forecast revision (unknown when the sources do
      not give it, as for the S-400); without revisions, the latest planned tranche date;
    - forecast: the new date of the latest revision; without revisions, the baseline;
    - quantity delivered: what the delivered tranches add up to, known only with the quantity
      ordered. Without it, the tranches recorded need not be all that came: the S-400's
      "remaining two regiments" say that others arrived before, not how many;
    - actual: ``completion`` (the latest ``delivered`` event); otherwise, once every ordered
      unit has arrived, the latest tranche delivery;
    - slippage: (actual or forecast) − baseline in months, at the coarser precision;
    - postponed from unknown: postponed, but no source gives the baseline, so the slippage
      is unknown (the S-400's last two regiments, "postponed until 2026").

    A pure function of its arguments, so bulk loaders compute exactly what the model stores.
    """
    revisions = sorted(revisions, key=lambda e: (e.date, e.precision, e.pk or 0))
    planned = [PreciseDate(t.planned_date, t.planned_precision) for t in tranches if t.planned_date]
    plan_end = max(planned, key=lambda d: d.end, default=None)
    if revisions:
        baseline = PreciseDate.of(revisions[0].old_date, revisions[0].old_precision)
        forecast = PreciseDate.of(revisions[-1].new_date, revisions[-1].new_precision)
    else:
        baseline = forecast = plan_end

    delivered = [t for t in tranches if t.actual_date]
    quantity_delivered = None
    if quantity_ordered is not None:
        quantity_delivered = sum((t.quantity for t in delivered), Decimal(0))
    actual = completion
    if actual is None and delivered and quantity_ordered and quantity_delivered >= quantity_ordered:
        last = max(delivered, key=lambda t: PreciseDate(t.actual_date, t.actual_precision).end)
        actual = PreciseDate(last.actual_date, last.actual_precision)

    latest = actual or forecast
    slippage_months = months_between(
        baseline and baseline.date,
        baseline and baseline.precision,
        latest and latest.date,
        latest and latest.precision,
    )
    postponed = any(revision.kind == EventKind.POSTPONED for revision in revisions)
    return {
        "quantity_delivered": quantity_delivered,
        "baseline_date": baseline and baseline.date,
        "baseline_precision": baseline and baseline.precision,
        "forecast_date": forecast and forecast.date,
        "forecast_precision": forecast and forecast.precision,
        "actual_date": actual and actual.date,
        "actual_precision": actual and actual.precision,
        "slippage_months": slippage_months,
        "postponed_from_unknown": postponed and slippage_months is None,
    }


#: Each way a delivery is late, on a queryset ``with_lateness``.
LATE_CONDITIONS = {
    Lateness.SLIPPED: Q(slippage_months__gt=0),
    Lateness.POSTPONED: Q(postponed_from_unknown=True),
    Lateness.OVERDUE: Q(overdue=True),
}
#: Late in any of the three ways, on a queryset ``with_lateness``.
KNOWN_LATE = reduce(or_, LATE_CONDITIONS.values())
#: The columns of a delivery that ``ways_late`` reads, in its order (after ``today``).
LATENESS_COLUMNS = (
    "slippage_months",
    "postponed_from_unknown",
    "forecast_date",
    "forecast_precision",
    "actual_date",
    "status",
)


def ways_late(
    today: dt.date,
    slippage_months: int | None,
    postponed_from_unknown: bool,
    forecast_date: dt.date | None,
    forecast_precision: str | None,
    actual_date: dt.date | None,
    status: str,
) -> list[str]:
    """The ways a delivery is late on ``today``, in ``Lateness`` order, from its stored
    columns: the conditions of ``LATE_CONDITIONS`` on one row's values, without the SQL that
    ``with_lateness`` adds to a query (lists show this for every row; filters use the SQL)."""
    forecast = PreciseDate.of(forecast_date, forecast_precision)
    flags = {
        Lateness.SLIPPED: slippage_months is not None and slippage_months > 0,
        Lateness.POSTPONED: postponed_from_unknown,
        Lateness.OVERDUE: forecast is not None
        and forecast.end < today
        and actual_date is None
        and status in UNDER_WAY,
    }
    return [way.value for way in Lateness if flags[way]]


def _flag(condition) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


class DeliveryQuerySet(models.QuerySet):
    def with_lateness(self, today: dt.date) -> "DeliveryQuerySet":
        """Annotate ``overdue``, the way of being late that depends on the day (the other two,
        a slippage above zero and ``postponed_from_unknown``, are stored): contracted or in
        progress, nothing recorded as complete, and the period of its current forecast ended
        before ``today``.
        """
        # Never NULL, so that "not late" (``~KNOWN_LATE``) keeps deliveries with no forecast.
        forecast_ended = Q(forecast_ends__isnull=False, forecast_ends__lt=today)
        return self.annotate(
            forecast_ends=PeriodEnd(F("forecast_date"), F("forecast_precision"))
        ).annotate(
            overdue=_flag(forecast_ended & Q(actual_date__isnull=True, status__in=UNDER_WAY)),
        )

    def late(self, today: dt.date) -> "DeliveryQuerySet":
        """Deliveries known to be late: slipped, postponed from an unknown date, or overdue."""
        return self.with_lateness(today).filter(KNOWN_LATE)


class Delivery(NamedRecord):
    """An arms transfer, lease, licensed production, fuel or commodity supply, or training.

    Baseline, forecast, actual and slippage are *derived* from the tranches and the forecast
    revisions on the timeline (see ``compute_schedule``) and cached in the ``schedule`` columns
    by ``refresh_schedule``, which the saves and deletes of tranches and events call, so lists
    can filter and sort by slippage in SQL. Nothing else writes those columns. A delivery saved
    with its tranches and events (the admin's pages, imports, the curated loader) is one unit
    of work (``one_write_per_delivery``): written once, with its final schedule.
    """

    PRECISE_DATES = DELIVERY_DATES

    designation = models.CharField(max_length=120, blank=True, help_text="e.g. S-400 Triumf")
    kind = models.CharField(max_length=24, choices=DeliveryKind.choices)
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices)
    agreement = models.ForeignKey(
        "tracker.Agreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    supplier = models.ForeignKey("tracker.Party", on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey("tracker.Party", on_delete=models.PROTECT, related_name="+")
    ordered_on = models.DateField(null=True, blank=True)
    ordered_precision = precision_field("order date precision")
    quantity_ordered = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    quantity_unit = models.CharField(max_length=40, blank=True, help_text="e.g. regiments, rifles")
    quantity_is_estimate = models.BooleanField(default=False)
    value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    value_currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217, e.g. USD")
    value_unit = models.CharField(max_length=16, choices=Unit.choices, blank=True)
    value_is_estimate = models.BooleanField(default=False)

    # Derived schedule, kept in step by refresh_schedule(); never edited directly.
    quantity_delivered = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        help_text="What the delivered tranches add up to; unknown when the quantity ordered is.",
    )
    baseline_date = models.DateField(null=True, blank=True, editable=False)
    baseline_precision = precision_field("baseline precision", editable=False)
    forecast_date = models.DateField(null=True, blank=True, editable=False)
    forecast_precision = precision_field("forecast precision", editable=False)
    actual_date = models.DateField(null=True, blank=True, editable=False)
    actual_precision = precision_field("actual completion precision", editable=False)
    slippage_months = models.IntegerField(null=True, blank=True, editable=False, db_index=True)
    postponed_from_unknown = models.BooleanField(
        "postponed by an unknown span",
        default=False,
        db_default=False,
        editable=False,
        help_text="Postponed, but no source gives the first date, so the slippage is unknown.",
    )

    history = HistoricalRecords(changes_feed=True)
    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "deliveries"
        triggers = [DELIVERY_GUARD, keeps_former_slugs("delivery")]
        # The default order of its lists: a page is read from the index, not sorted.
        indexes = [
            models.Index(fields=["title", "id"], name="delivery_title_idx"),
            search_index("delivery_search_idx", "title", "summary"),
            # The deliveries board's first rows of each status, read from the index.
            models.Index(fields=["status", "title", "id"], name="delivery_status_title_idx"),
            # The most slipped first (the board, its chart, the late list by slippage): the
            # field's own index, read backwards, puts the deliveries without slippage first.
            models.Index(F("slippage_months").desc(nulls_last=True), name="delivery_slipped_idx"),
        ]
        constraints = [
            choices_check("kind", DeliveryKind, "delivery_kind_valid"),
            choices_check("status", DeliveryStatus, "delivery_status_valid"),
            models.CheckConstraint(
                condition=Q(postponed_from_unknown=False) | Q(slippage_months__isnull=True),
                name="delivery_postponed_from_unknown_has_no_slippage",
                violation_error_message="A delivery postponed by an unknown span has no slippage.",
            ),
            models.CheckConstraint(
                condition=Q(value_unit="") | Q(value_unit__in=Unit.values),
                name="delivery_value_unit_valid",
            ),
            non_negative("quantity_ordered", "delivery_quantity_ordered_not_negative"),
            non_negative("value", "delivery_value_not_negative"),
            models.CheckConstraint(
                condition=NOT_MORE_THAN_ORDERED,
                name="delivery_not_more_than_ordered",
                violation_error_message=TOO_MANY,
            ),
            not_before(
                "actual_date",
                "actual_precision",
                "ordered_on",
                "delivery_actual_not_before_order",
                "A delivery cannot be completed before it was ordered.",
            ),
            *precise_date_checks(*DELIVERY_DATES[0], "delivery"),
            *precise_date_checks(*DELIVERY_DATES[1], "delivery"),
            *precise_date_checks(*DELIVERY_DATES[2], "delivery"),
            *precise_date_checks(*DELIVERY_DATES[3], "delivery"),
        ]

    # --- the schedule -------------------------------------------------------------------

    def save(self, *args, **kwargs):
        """A whole row is saved with its schedule worked out again, in the same write: the
        quantity ordered is one of its inputs (without it the quantity delivered is unknown,
        and with it the delivery may now be complete). A save of named fields
        (``refresh_schedule``'s) writes what it is given.

        Within ``one_write_per_delivery`` the row is written without a history row: the unit
        of work writes the one history row when it ends, with the final schedule."""
        if kwargs.get("update_fields") is None:
            self.set_schedule(self.compute_schedule())
        unit = _unit_of_work.get()
        if unit is None:
            super().save(*args, **kwargs)
            return
        created = self.pk is None
        if self.changes_nothing(kwargs.get("update_fields")):
            return  # as ``SavesChangesOnly`` does: nothing for the unit of work to record
        self.skip_history_when_saving = True
        try:
            super().save(*args, **kwargs)
        finally:
            del self.skip_history_when_saving
        unit.saved(self, created=created)

    def set_schedule(self, schedule: dict) -> None:
        for name, value in schedule.items():
            setattr(self, name, value)

    def compute_schedule(self) -> dict:
        """The derived schedule of this delivery from its stored tranches and events (none
        before it is first saved)."""
        if self.pk is None:
            return derive_schedule(
                quantity_ordered=self.quantity_ordered, tranches=[], revisions=[], completion=None
            )
        events = list(
            self.events.filter(kind__in=SCHEDULE_KINDS).order_by("date", "precision", "pk")
        )
        completions = [event for event in events if event.kind == EventKind.DELIVERED]
        return derive_schedule(
            quantity_ordered=self.quantity_ordered,
            tranches=list(self.tranches.all()),
            revisions=[event for event in events if event.kind in REVISION_KINDS],
            completion=completions[-1].when if completions else None,
        )

    def refresh_schedule(self) -> None:
        """Recompute the derived schedule columns and store them when they changed.

        The one step that keeps the schedule in step with its inputs: ``Tranche.save`` and
        ``delete`` and ``TimelineEvent.save`` and ``delete`` call it once each, after their own
        write, whichever path made it (admin, API, import, curated loader or command). The
        change is saved like any other, so the history shows it (old and new forecast,
        slippage …). Within ``one_write_per_delivery`` it is put off to the end of the unit
        of work, and done once there however many tranches and events changed.
        """
        unit = _unit_of_work.get()
        if unit is not None:
            unit.affected(self.pk)
            return
        schedule = self.compute_schedule()
        self.set_schedule(schedule)
        stored = Delivery.objects.filter(pk=self.pk).first()
        if stored is None or all(getattr(stored, n) == v for n, v in schedule.items()):
            return
        stored.set_schedule(schedule)
        stored._change_reason = SCHEDULE_CHANGE_REASON
        stored.save(update_fields=[*schedule, "updated_at"])

    def ways_late(self, today: dt.date) -> list[str]:
        """The ways this delivery is late on ``today`` (``ways_late`` on its columns)."""
        return ways_late(today, *(getattr(self, column) for column in LATENESS_COLUMNS))

    @property
    def baseline(self) -> PreciseDate | None:
        return PreciseDate.of(self.baseline_date, self.baseline_precision)

    @property
    def forecast(self) -> PreciseDate | None:
        return PreciseDate.of(self.forecast_date, self.forecast_precision)

    @property
    def actual(self) -> PreciseDate | None:
        return PreciseDate.of(self.actual_date, self.actual_precision)

    def clean(self):
        super().clean()
        errors = {}
        if self.quantity_ordered is not None and self.quantity_ordered < 0:
            errors["quantity_ordered"] = "A quantity cannot be negative."
        if self.value is not None and self.value < 0:
            errors["value"] = "A value cannot be negative."
        if self.value is not None and not (self.value_currency and self.value_unit):
            errors["value_currency"] = (
                "Give the currency and unit of the value (e.g. USD, billion)."
            )
        if self.supplier_id and self.supplier_id == self.recipient_id:
            errors["recipient"] = "The recipient is a different party from the supplier."
        if self.pk and self.quantity_ordered is not None and "quantity_ordered" not in errors:
            scheduled = self.tranches.aggregate(total=Sum("quantity"))["total"] or 0
            if more_than_ordered(scheduled, self.quantity_ordered):
                errors["quantity_ordered"] = too_many(scheduled, self.quantity_ordered)
        if self.pk and self.ordered_on and self.any_tranche_arrived_before_the_order():
            errors["ordered_on"] = TOO_EARLY
        if errors:
            raise ValidationError(errors)

    def any_tranche_arrived_before_the_order(self) -> bool:
        """``TOO_EARLY``'s rule over the stored tranches, for an order date being changed."""
        arrivals = self.tranches.exclude(actual_date=None).values_list(
            "actual_date", "actual_precision"
        )
        return any(
            arrived_before_order(PreciseDate.of(day, precision), self.ordered_on)
            for day, precision in arrivals
        )


class Tranche(TimeStampedModel, PreciseDatesMixin):
    """Part of a delivery: how many units were planned for when, and when they arrived."""

    PRECISE_DATES = (("planned_date", "planned_precision"), ("actual_date", "actual_precision"))

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tranches")
    sequence = models.PositiveSmallIntegerField()
    quantity = models.DecimalField(max_digits=14, decimal_places=2)
    quantity_is_estimate = models.BooleanField(default=False)
    planned_date = models.DateField(null=True, blank=True)
    planned_precision = precision_field("planned date precision")
    actual_date = models.DateField(null=True, blank=True, help_text="Empty until delivered.")
    actual_precision = precision_field("actual date precision")
    note = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords(changes_feed=True)

    class Meta:
        ordering = ["delivery", "sequence"]
        triggers = [TRANCHE_GUARD]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "sequence"], name="tranche_sequence_unique"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="tranche_quantity_positive",
                violation_error_message="A tranche has a positive quantity.",
            ),
            *precise_date_checks("planned_date", "planned_precision", "tranche"),
            *precise_date_checks("actual_date", "actual_precision", "tranche"),
        ]

    def __str__(self) -> str:
        return f"{self.delivery} — tranche {self.sequence}"

    def clean(self):
        super().clean()
        errors = {}
        if self.quantity is not None and self.quantity <= 0:
            errors["quantity"] = "A tranche has a positive quantity."
        # On an admin add page the delivery is not saved yet: the inline formset checks the
        # total of its rows itself, and the database trigger has the last word.
        delivery = self.delivery if self.delivery_id else None
        if delivery and delivery.quantity_ordered is not None and self.quantity is not None:
            others = delivery.tranches.exclude(pk=self.pk).aggregate(total=Sum("quantity"))["total"]
            total = (others or 0) + self.quantity
            if more_than_ordered(total, delivery.quantity_ordered):
                errors["quantity"] = too_many(total, delivery.quantity_ordered)
        arrived = PreciseDate.of(self.actual_date, self.actual_precision)
        if delivery and arrived_before_order(arrived, delivery.ordered_on):
            errors["actual_date"] = TOO_EARLY
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        """Save the tranche, its "delivered in part" event and its delivery's schedule, in one
        transaction: the schedule is recomputed once, here, not by signals."""
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            self.sync_delivery_event()
            self.delivery.refresh_schedule()

    def delete(self, *args, **kwargs):
        """Delete the tranche (and its event) and recompute its delivery's schedule once."""
        delivery = self.delivery
        with transaction.atomic(savepoint=False):
            deleted = super().delete(*args, **kwargs)
            delivery.refresh_schedule()
        return deleted

    def delivered_title(self, unit: str) -> str:
        """The title of its "delivered in part" event: "Tranche 2 delivered: 1 regiments"."""
        return f"Tranche {self.sequence} delivered: {number(self.quantity)} {unit or 'units'}"

    def sync_delivery_event(self) -> None:
        """Keep the timeline's "delivered in part" event in step with this tranche. That event
        is not one the schedule is derived from (``SCHEDULE_KINDS``), so saving it leaves the
        schedule alone."""
        from .events import TimelineEvent

        if not self.actual_date:
            TimelineEvent.objects.filter(tranche=self).delete()
            return
        event = TimelineEvent.objects.filter(tranche=self).first() or TimelineEvent(tranche=self)
        event.delivery_id = self.delivery_id
        event.kind = EventKind.DELIVERED_IN_PART
        event.date, event.precision = self.actual_date, self.actual_precision
        event.is_planned = False
        event.title = self.delivered_title(self.delivery.quantity_unit)
        event.save()


# --- one write per delivery ----------------------------------------------------------------


@dataclass
class _Touched:
    """A delivery saved or affected (through its tranches and events) in a unit of work."""

    since: dt.datetime
    created: bool = False
    saved: bool = False
    reason: str | None = None


class _UnitOfWork:
    """The deliveries a unit of work wrote or affected, by id, in the order first touched."""

    def __init__(self) -> None:
        self.touched: dict[int, _Touched] = {}

    def touch(self, pk: int) -> _Touched:
        return self.touched.setdefault(pk, _Touched(since=timezone.now()))

    def saved(self, delivery: Delivery, *, created: bool) -> None:
        entry = self.touch(delivery.pk)
        entry.created = entry.created or created
        entry.saved = True
        entry.reason = get_change_reason_from_object(delivery)

    def affected(self, pk: int) -> None:
        self.touch(pk)

    def settle(self) -> None:
        """Work out each touched delivery's schedule once and write the delivery's one history
        row: "created" or "changed", dated when the unit first touched it, with the final
        schedule. A delivery only affected, whose schedule came out the same, gets none."""
        for pk, entry in self.touched.items():
            delivery = Delivery.objects.filter(pk=pk).first()
            if delivery is None:  # deleted in the same unit of work
                continue
            schedule = delivery.compute_schedule()
            changed = any(getattr(delivery, name) != value for name, value in schedule.items())
            if changed:
                delivery.set_schedule(schedule)
                delivery.skip_history_when_saving = True
                delivery.save(update_fields=[*schedule, "updated_at"])
                del delivery.skip_history_when_saving
            if changed or entry.saved:
                Delivery.history.bulk_history_create(
                    [delivery],
                    update=not entry.created,
                    default_date=entry.since,
                    default_change_reason=entry.reason if entry.saved else SCHEDULE_CHANGE_REASON,
                )


_unit_of_work: ContextVar[_UnitOfWork | None] = ContextVar("delivery_unit_of_work", default=None)


@contextmanager
def one_write_per_delivery() -> Iterator[None]:
    """A unit of work, in one transaction, at whose end each delivery it touched holds its
    derived schedule, written with one history row.

    Without it, a delivery saved with its tranches and events (an admin form with inlines, a
    curated record with its timeline, an import of tranches) is written once for its own row
    and once more for each tranche or event that changes its schedule, and the history keeps
    every step between: a baseline of 2026 and a slippage of 0 that no source ever said, on
    the way to "postponed, by an unknown span". Within it the delivery's own saves skip the
    history, each tranche and event only marks its delivery, and at the end the schedule is
    worked out once and the delivery's single history row written with it, in the same
    transaction as the change that caused it, so no reader, history row or changes-feed entry
    sees a state between. Nested, the outermost one settles.
    """
    if _unit_of_work.get() is not None:
        yield
        return
    unit = _UnitOfWork()
    with transaction.atomic():
        token = _unit_of_work.set(unit)
        try:
            yield
        finally:
            _unit_of_work.reset(token)
        unit.settle()
