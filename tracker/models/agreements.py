"""Agreements: treaties, pacts, MoUs, contracts, programmes, payment mechanisms, joint ventures."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from ..choices import PARTY_STEP_KINDS, AgreementKind, AgreementStatus, EventKind, RelationKind
from ..db import choices_check
from .base import CleanTextModel, NamedRecord, search_index
from .events import TimelineEvent
from .history import HistoricalRecords
from .slugs import keeps_former_slugs
from .vocab import Party


class Agreement(NamedRecord):
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
        indexes = [
            models.Index(fields=["title", "id"], name="agreement_title_idx"),
            search_index("agreement_search_idx", "title", "summary"),
        ]
        triggers = [keeps_former_slugs("agreement")]
        constraints = [
            choices_check("kind", AgreementKind, "agreement_kind_valid"),
            choices_check("status", AgreementStatus, "agreement_status_valid"),
        ]

    def party_steps(self) -> list["PartySteps"]:
        """Each party's latest step of each kind, and the step the agreement awaits from it
        (``party_steps``). Reads ``step_events`` where a list prefetched them
        (``selectors.agreements.steps_prefetch``), so a page of agreements adds one query in all.
        """
        events = getattr(self, "step_events", None)
        if events is None:
            events = list(step_events().filter(agreement=self))
        parties = {link.party_id: link.party for link in self.agreement_parties.all()}
        return party_steps(self.status, parties, events)


def party_steps(status: str, parties: dict, events: list) -> list["PartySteps"]:
    """Each party's latest step of each kind, and the step awaited from it.

    ``parties`` are the agreement's, by id; ``events`` its steps, oldest first, each with
    ``party_id``, ``party`` and ``kind`` (model instances, or the API's plain rows). A step
    taken with no party named (both signed together) counts for every party. The parties are
    the agreement's, then any other that took a step. While ratification is pending, it is
    awaited from each party that has not ratified.
    """
    parties = dict(parties)
    for event in events:
        if event.party_id:
            parties.setdefault(event.party_id, event.party)
    awaited = EventKind.RATIFIED if status == AgreementStatus.RATIFICATION_PENDING else ""
    steps = []
    for party_id, party in parties.items():
        taken = {e.kind: e for e in events if e.party_id in (None, party_id)}
        pending = "" if awaited in taken else awaited
        steps.append(PartySteps(party, pending=pending, **taken))
    return steps


def awaits_nobody(all_steps: list["PartySteps"]) -> bool:
    """No party owes the step that the agreement's status awaits, though it has parties: a
    status of "ratification pending" over a timeline where every party ratified is behind it."""
    return bool(all_steps) and not any(steps.pending for steps in all_steps)


def step_events():
    """Signatures, approvals, ratifications, entries into force and denunciations, oldest
    first (so that, read in order, the latest of each kind wins)."""
    return (
        TimelineEvent.objects.filter(kind__in=PARTY_STEP_KINDS)
        .select_related("party")
        .order_by("date", "precision", "id")
    )


#: The steps of ``PartySteps``, in the order a party usually takes them.
STEP_ORDER = ("signed", "approved", "ratified", "entered_into_force", "denounced")


@dataclass(frozen=True)
class PartySteps:
    """One party's steps on an agreement (each its latest event of that kind, or ``None``),
    and ``pending``: the step kind the agreement awaits from it ("ratified"), if any."""

    party: Party
    signed: TimelineEvent | None = None
    approved: TimelineEvent | None = None
    ratified: TimelineEvent | None = None
    entered_into_force: TimelineEvent | None = None
    denounced: TimelineEvent | None = None
    pending: str = ""

    @property
    def latest(self) -> TimelineEvent | None:
        """The step taken last (by date), or ``None``."""
        taken = [getattr(self, kind) for kind in STEP_ORDER if getattr(self, kind)]
        return max(taken, key=lambda e: (e.date, e.precision, e.pk), default=None)


class AgreementParty(CleanTextModel):
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


class AgreementRelation(CleanTextModel):
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
