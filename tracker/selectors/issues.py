"""Issues, and which of them are worth a look."""

from django.db.models import Case, IntegerField, Prefetch, QuerySet, When

from ..choices import Severity
from ..models import Issue, TimelineEvent
from ..models.issues import TO_WATCH
from .citations import citations_prefetch


def issue_list() -> QuerySet[Issue]:
    """Issues with everything their representation reads."""
    return Issue.objects.select_related("sector").prefetch_related(citations_prefetch())


def issues_to_watch() -> QuerySet[Issue]:
    """Issues ``TO_WATCH``, the most severe first, each with its citations and its latest
    event (``latest_events``, one or none) with the event's: four queries, whatever the length
    of the timelines."""
    severity_rank = Case(
        *(When(severity=value, then=rank) for rank, value in enumerate(Severity.values)),
        output_field=IntegerField(),
    )
    newest_first = TimelineEvent.objects.order_by("-date", "precision", "-id")
    return (
        Issue.objects.filter(TO_WATCH)
        .prefetch_related(
            citations_prefetch(),
            Prefetch(
                "events",
                queryset=newest_first.prefetch_related(citations_prefetch())[:1],
                to_attr="latest_events",
            ),
        )
        .order_by(severity_rank.desc(), "title")
    )
