"""Agreements with their parties and each party's steps, read for a page at once."""

from django.db.models import Prefetch, QuerySet

from ..choices import AgreementStatus
from ..models import Agreement, AgreementParty
from ..models.agreements import step_events
from .citations import citations_prefetch


def agreement_parties_prefetch() -> Prefetch:
    """An agreement's parties, each with its party (code and name)."""
    return Prefetch("agreement_parties", AgreementParty.objects.select_related("party"))


def steps_prefetch(steps: QuerySet | None = None) -> Prefetch:
    """An agreement's party steps (``step_events``), for ``Agreement.party_steps``."""
    return Prefetch(
        "events", queryset=step_events() if steps is None else steps, to_attr="step_events"
    )


def agreement_list() -> QuerySet[Agreement]:
    """Agreements with everything their representation reads."""
    return Agreement.objects.select_related("sector").prefetch_related(
        citations_prefetch(), agreement_parties_prefetch(), steps_prefetch()
    )


def agreements_awaiting_ratification() -> QuerySet[Agreement]:
    """Agreements whose ratification is pending, with each party's steps and their citations
    (for ``Agreement.party_steps``)."""
    cited_steps = step_events().prefetch_related(citations_prefetch())
    return (
        Agreement.objects.filter(status=AgreementStatus.RATIFICATION_PENDING)
        .prefetch_related(agreement_parties_prefetch(), steps_prefetch(cited_steps))
        .order_by("title")
    )
