"""A source's proposals, as the inbox lists them, and how many are handled."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from ..choices import ProposalStatus
from ..models import Proposal, Source


@dataclass(frozen=True)
class Progress:
    handled: int
    total: int

    def __str__(self) -> str:
        return f"{self.handled} of {self.total} proposals handled"


def progress(source: Source) -> Progress:
    """How many of the source's proposals were accepted or rejected, of how many: one query."""
    counts = source.proposals.aggregate(
        total=Count("pk"), handled=Count("pk", filter=~Q(status=ProposalStatus.PENDING))
    )
    return Progress(counts["handled"], counts["total"])


def inbox(source: Source) -> QuerySet[Proposal]:
    """The source's proposals in reading order, with who handled them and what they created
    (not the texts they were read from: one text serves them all)."""
    return source.proposals.select_related("handled_by", "event", "citation").order_by(
        "position", "part_start", "id"
    )
