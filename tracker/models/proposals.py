"""Proposals: what a source's text reports, kept for an editor to accept or reject.

Each is read from one version of the source's archived text (``tracker.proposals`` finds
them when the text is saved, ``services.proposals`` stores them). An accepted proposal links
to the event and the citation it created (``event``, ``citation``; their reverse name is
``proposal``), so an accepted fact shows where it came from; a rejected one keeps why.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from ..choices import ProposalAction, ProposalStatus
from ..db import choices_check
from .base import CleanTextModel

REASON_REQUIRED = "Say why the proposal is rejected."


class Proposal(CleanTextModel):
    """One thing a sentence of a source reports, and the change that would record it.

    ``sentence_start``/``end`` and ``paragraph_start``/``end`` are offsets into the text
    version (``text``) it was read from; ``part_start``/``end`` those of the clause it
    reads, within the sentence. ``records`` are the records matched, best first; ``values``
    what was parsed (dates, amounts, counts, with the words they were read from); ``change``
    the proposed change as field values an editor may correct before accepting; ``quote``
    the words of the sentence the citation would quote.
    """

    source = models.ForeignKey("tracker.Source", on_delete=models.CASCADE, related_name="proposals")
    text = models.ForeignKey(
        "tracker.SourceText", on_delete=models.CASCADE, related_name="proposals"
    )
    position = models.PositiveIntegerField(help_text="The sentence's place in reading order.")
    sentence = models.TextField()
    sentence_start = models.PositiveIntegerField()
    sentence_end = models.PositiveIntegerField()
    paragraph_start = models.PositiveIntegerField()
    paragraph_end = models.PositiveIntegerField()
    part_start = models.PositiveIntegerField()
    part_end = models.PositiveIntegerField()
    action = models.CharField(max_length=16, choices=ProposalAction.choices)
    records = models.JSONField(default=list, blank=True)
    values = models.JSONField(default=dict, blank=True)
    change = models.JSONField(default=dict, blank=True)
    quote = models.TextField()
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    reason = models.TextField(blank=True, help_text="Why it was rejected.")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    event = models.OneToOneField(
        "tracker.TimelineEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
    )
    citation = models.OneToOneField(
        "tracker.Citation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source", "position", "part_start", "id"]
        indexes = [
            models.Index(fields=["source", "position", "part_start", "id"], name="proposal_order")
        ]
        constraints = [
            choices_check("action", ProposalAction, "proposal_action_valid"),
            choices_check("status", ProposalStatus, "proposal_status_valid"),
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.PENDING, handled_at__isnull=True)
                | ~Q(status=ProposalStatus.PENDING) & Q(handled_at__isnull=False),
                name="proposal_handled_when_not_pending",
                violation_error_message="A proposal is handled at a time once accepted or "
                "rejected, and only then.",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.REJECTED) | ~Q(reason=""),
                name="proposal_rejected_with_reason",
                violation_error_message=REASON_REQUIRED,
            ),
            models.CheckConstraint(
                condition=Q(sentence_start__lt=models.F("sentence_end"))
                & Q(paragraph_start__lte=models.F("sentence_start"))
                & Q(sentence_end__lte=models.F("paragraph_end"))
                & Q(part_start__lt=models.F("part_end")),
                name="proposal_offsets_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: “{self.sentence[:60]}”"

    @property
    def is_pending(self) -> bool:
        return self.status == ProposalStatus.PENDING
