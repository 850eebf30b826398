"""Agreements: treaties, pacts, MoUs, contracts, programmes, payment mechanisms, joint ventures."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from ..choices import PARTY_STEP_KINDS, AgreementKind, AgreementStatus, RelationKind
from ..db import choices_check
from .base import Record
from .history import HistoricalRecords


class Agreement(Record):
    """An agreement and the steps each party took on it (as timeline events).

    Per-party steps — signature, approval, ratification, entry into force, denunciation — are
    ``TimelineEvent`` rows naming the party and the acting body, so the timeline is the one
    place they are kept. RELOS: Russia's State Duma ratified on 2025-12-01; India's
    ratification is pending (no such event yet).
    """

    short_name = models.CharField(max_length=60, blank=True, help_text="e.g. RELOS")
    kind = models.CharField(max_length=20, choices=AgreementKind.choices)
    status = models.CharField(max_length=24, choices=AgreementStatus.choices)
    is_binding = models.BooleanField(
        null=True, blank=True, help_text="Legally binding? Empty when the sources do not say."
    )
    parties = models.ManyToManyField(
        "tracker.Party", through="AgreementParty", related_name="agreements", blank=True
    )
    history = HistoricalRecords(changes_feed=True)

    class Meta:
        ordering = ["title"]
        # The default order of its lists: a page is read from the index, not sorted.
        indexes = [models.Index(fields=["title", "id"], name="agreement_title_idx")]
        constraints = [
            choices_check("kind", AgreementKind, "agreement_kind_valid"),
            choices_check("status", AgreementStatus, "agreement_status_valid"),
        ]

    def party_steps(self) -> dict[str, dict[str, object]]:
        """For each party of the agreement, its latest step of each kind (from the timeline).

        Works on prefetched ``events`` and ``agreement_parties`` without further queries.
        """
        steps: dict[str, dict[str, object]] = {
            link.party.code: {} for link in self.agreement_parties.all()
        }
        for event in sorted(self.events.all(), key=lambda e: (e.date, e.precision, e.pk)):
            if event.party_id and event.kind in PARTY_STEP_KINDS:
                steps.setdefault(event.party.code, {})[event.kind] = event
        return steps


class AgreementParty(models.Model):
    """A party to an agreement, with its share where the agreement has one (a joint venture)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="agreement_parties"
    )
    party = models.ForeignKey("tracker.Party", on_delete=models.PROTECT, related_name="+")
    share_percent = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="e.g. 50.5 for BrahMos"
    )
    role = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "party__name"]
        verbose_name_plural = "agreement parties"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], name="agreement_party_unique"),
            models.CheckConstraint(
                condition=Q(share_percent__isnull=True)
                | Q(share_percent__gte=0, share_percent__lte=100),
                name="agreement_party_share_is_a_percentage",
                violation_error_message="A share is between 0 and 100 per cent.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} in {self.agreement}"


class AgreementRelation(models.Model):
    """One agreement implements, amends, replaces or relates to another."""

    from_agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="relations"
    )
    to_agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="inverse_relations"
    )
    kind = models.CharField(max_length=12, choices=RelationKind.choices)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_agreement", "to_agreement", "kind"], name="agreement_relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_agreement=F("to_agreement")),
                name="agreement_relation_not_to_itself",
                violation_error_message="An agreement cannot relate to itself.",
            ),
            choices_check("kind", RelationKind, "agreement_relation_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.from_agreement} {self.get_kind_display().lower()} {self.to_agreement}"

    def clean(self):
        super().clean()
        if self.from_agreement_id and self.from_agreement_id == self.to_agreement_id:
            raise ValidationError({"to_agreement": "An agreement cannot relate to itself."})
