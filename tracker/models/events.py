"""The timeline: dated events on records, the heart of the product."""

import pgtrigger
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q

from ..choices import (
    AFTER_SIGNATURE_KINDS,
    DELIVERY_KINDS,
    PARTY_STEP_KINDS,
    REVISION_KINDS,
    SCHEDULE_KINDS,
    ActingBody,
    EventKind,
)
from ..dates import PreciseDate, Precision
from ..db import PeriodEnd, choices_check, period_end_sql, precise_date_checks
from .base import PreciseDatesMixin, TimeStampedModel, exactly_one_or_none, precision_field
from .history import HistoricalRecords

EVENT_RECORDS = ["agreement", "delivery", "trade_record", "issue"]

#: A party does not ratify, bring into force or denounce an agreement before it signed it, nor
#: sign after it did. ``TimelineEvent.clean`` says so on the date; ``EVENT_GUARD`` raises it for
#: any write, whichever of the two events is written last.
RATIFIED_EARLY = "A party cannot ratify, bring into force or denounce before it signed."
#: ``EVENT_GUARD``'s refusal, on the field it concerns (``tracker.integrity``).
TRIGGER_RULES = {RATIFIED_EARLY: {"timelineevent": "date"}}
_AFTER_SIGNATURE_SQL = "(" + ", ".join(f"'{kind}'" for kind in sorted(AFTER_SIGNATURE_KINDS)) + ")"

EVENT_GUARD = pgtrigger.Trigger(
    name="event_guard",
    when=pgtrigger.After,
    operation=pgtrigger.Insert | pgtrigger.Update,
    condition=pgtrigger.Q(new__agreement__isnull=False),
    func=f"""
  IF NEW.kind IN {_AFTER_SIGNATURE_SQL} AND NEW.party_id IS NOT NULL AND EXISTS (
      SELECT 1 FROM tracker_timelineevent s
       WHERE s.agreement_id = NEW.agreement_id AND s.kind = 'signed'
         AND (s.party_id = NEW.party_id OR s.party_id IS NULL)
         AND s.date > {period_end_sql("NEW.date", "NEW.precision")})
  OR NEW.kind = 'signed' AND EXISTS (
      SELECT 1 FROM tracker_timelineevent r
       WHERE r.agreement_id = NEW.agreement_id AND r.kind IN {_AFTER_SIGNATURE_SQL}
         AND (NEW.party_id IS NULL OR r.party_id = NEW.party_id)
         AND {period_end_sql("r.date", "r.precision")} < NEW.date)
  THEN
    RAISE EXCEPTION '{RATIFIED_EARLY}' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;""",
)


class TimelineEvent(TimeStampedModel, PreciseDatesMixin):
    """A dated event on one record, or on the relationship as a whole (a summit, a visit).

    Per-party steps on agreements name the party and the acting body. Forecast revisions and
    postponements of deliveries record the old and the new date; the event's own date is when
    the revision was announced. "Delivered in part" events are written by tranches.
    """

    PRECISE_DATES = (
        ("date", "precision"),
        ("old_date", "old_precision"),
        ("new_date", "new_precision"),
    )

    # Indexed with the kind and date (``event_agreement_steps_idx``), which the event guard reads.
    agreement = models.ForeignKey(
        "tracker.Agreement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        db_index=False,
    )
    delivery = models.ForeignKey(
        "tracker.Delivery", on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    trade_record = models.ForeignKey(
        "tracker.TradeRecord",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    issue = models.ForeignKey(
        "tracker.Issue", on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    tranche = models.OneToOneField(
        "tracker.Tranche",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="event",
    )
    key = models.SlugField(
        max_length=120,
        unique=True,
        null=True,
        blank=True,
        help_text="Stable identifier of a curated event (its natural key in fixtures/).",
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    date = models.DateField()
    precision = models.CharField(max_length=7, choices=Precision.choices)
    date_is_estimate = models.BooleanField(default=False)
    end_date = models.DateField(
        null=True, blank=True, help_text="Last day, for an event over several days (a summit)."
    )
    is_planned = models.BooleanField(
        default=False, help_text="A planned or expected milestone, not something that happened."
    )
    party = models.ForeignKey(
        "tracker.Party",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The party acting; empty when both act together.",
    )
    body = models.CharField(max_length=32, choices=ActingBody.choices, blank=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    old_date = models.DateField(null=True, blank=True, help_text="Revision: the date before.")
    old_precision = precision_field("old date precision")
    new_date = models.DateField(null=True, blank=True, help_text="Revision: the new date.")
    new_precision = precision_field("new date precision")
    history = HistoricalRecords(changes_feed=True)

    class Meta:
        ordering = ["date", "precision", "id"]
        triggers = [EVENT_GUARD]
        indexes = [
            models.Index(fields=["date", "precision", "id"], name="event_timeline_idx"),
            models.Index(
                fields=["kind", "date", "precision", "id"], name="event_kind_timeline_idx"
            ),
            models.Index(
                fields=["is_planned", "date", "precision", "id"], name="event_planned_idx"
            ),
            # An agreement's steps of a kind, in date order: the event guard looks up the
            # signature before a ratification (and after it) here, not among every
            # signature's dates.
            models.Index(fields=["agreement", "kind", "date"], name="event_agreement_steps_idx"),
        ]
        constraints = [
            choices_check("kind", EventKind, "event_kind_valid"),
            models.CheckConstraint(
                condition=Q(body="") | Q(body__in=ActingBody.values), name="event_body_valid"
            ),
            *precise_date_checks("date", "precision", "event", required=True),
            *precise_date_checks("old_date", "old_precision", "event"),
            *precise_date_checks("new_date", "new_precision", "event"),
            models.CheckConstraint(
                condition=exactly_one_or_none(EVENT_RECORDS, allow_none=True),
                name="event_on_at_most_one_record",
                violation_error_message="An event belongs to one record at most.",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=REVISION_KINDS)
                | Q(delivery__isnull=False, new_date__isnull=False),
                name="event_revision_has_delivery_and_new_date",
                violation_error_message=(
                    "A forecast revision belongs to a delivery and gives the new date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=REVISION_KINDS)
                | Q(old_date__isnull=True, new_date__isnull=True),
                name="event_only_revisions_have_old_and_new_dates",
                violation_error_message="Only a forecast revision has an old and a new date.",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=PARTY_STEP_KINDS) | Q(agreement__isnull=False),
                name="event_party_step_on_agreement",
                violation_error_message="Signature, approval, ratification, entry into force and "
                "denunciation are steps on an agreement.",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=AFTER_SIGNATURE_KINDS - {EventKind.ENTERED_INTO_FORCE})
                | Q(party__isnull=False),
                name="event_ratification_names_party",
                violation_error_message="A ratification or denunciation names the party acting.",
            ),
            models.CheckConstraint(
                condition=Q(tranche__isnull=True)
                | Q(kind__in=DELIVERY_KINDS, delivery__isnull=False),
                name="event_tranche_is_a_delivery",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("date")),
                name="event_ends_after_start",
                violation_error_message="An event cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.when} — {self.title}"

    @property
    def when(self) -> PreciseDate:
        return PreciseDate(self.date, self.precision)

    @property
    def record(self):
        return next(
            (getattr(self, name) for name in EVENT_RECORDS if getattr(self, f"{name}_id")), None
        )

    @property
    def record_type(self) -> str | None:
        return next((name for name in EVENT_RECORDS if getattr(self, f"{name}_id")), None)

    def save(self, *args, **kwargs):
        """Save the event and, when it is one a delivery's schedule is derived from, that
        schedule, in one transaction."""
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            self._refresh_schedule()

    def delete(self, *args, **kwargs):
        with transaction.atomic(savepoint=False):
            deleted = super().delete(*args, **kwargs)
            self._refresh_schedule()
        return deleted

    def _refresh_schedule(self) -> None:
        if self.delivery_id and self.kind in SCHEDULE_KINDS:
            self.delivery.refresh_schedule()

    def clean(self):
        super().clean()
        errors = {}
        if sum(getattr(self, f"{name}_id") is not None for name in EVENT_RECORDS) > 1:
            errors["__all__"] = "An event belongs to one record at most."
        if self.kind in REVISION_KINDS and not self.new_date:
            errors["new_date"] = "A forecast revision gives the new date."
        if self.kind not in REVISION_KINDS and (self.old_date or self.new_date):
            errors["kind"] = "Only a forecast revision or postponement has an old and a new date."
        if (
            self.kind in AFTER_SIGNATURE_KINDS - {EventKind.ENTERED_INTO_FORCE}
            and not self.party_id
        ):
            errors["party"] = "Name the party that ratified or denounced."
        if self.end_date and self.date and self.end_date < self.date:
            errors["end_date"] = "An event cannot end before it starts."
        if self.kind in DELIVERY_KINDS - {EventKind.DELIVERED} and not self.tranche_id:
            errors["kind"] = "Record a partial delivery as a tranche of the delivery."
        errors.update(self._party_step_order_errors())
        if errors:
            raise ValidationError(errors)

    def _party_step_order_errors(self) -> dict[str, str]:
        """A party cannot ratify (or let enter into force, or denounce) before it signed."""
        if not (self.agreement_id and self.date and self.precision):
            return {}
        steps = TimelineEvent.objects.filter(agreement_id=self.agreement_id).exclude(pk=self.pk)
        if self.kind in AFTER_SIGNATURE_KINDS and self.party_id:
            signed = steps.filter(kind=EventKind.SIGNED).filter(
                Q(party_id=self.party_id) | Q(party__isnull=True), date__gt=self.when.end
            )
            if signed.exists():
                return {"date": RATIFIED_EARLY}
        if self.kind == EventKind.SIGNED:
            later_steps = steps.filter(kind__in=AFTER_SIGNATURE_KINDS).annotate(
                ends=PeriodEnd(F("date"), F("precision"))
            )
            if self.party_id:
                later_steps = later_steps.filter(party_id=self.party_id)
            if later_steps.filter(ends__lt=self.date).exists():
                return {"date": RATIFIED_EARLY}
        return {}
