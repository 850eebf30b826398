"""The merged timeline, filtered as the API's is (same parameters), grouped by month; each
date at its precision, planned milestones marked, and the feeds of the same selection."""

import itertools

from django.contrib import admin
from django.template.response import TemplateResponse

from ..dates import COARSENESS, Precision, display
from ..links import timeline_feed_path
from ..selectors.citations import citations_prefetch
from ..selectors.timeline import event_list
from .access import public_page
from .filters import TimelineFilters
from .lists import PagingForm, page_of, query_without

#: Events per page of the timeline.
EVENTS_PER_PAGE = 100


def group_label(event) -> str:
    """The month an event falls in ("Dec 2025"); an event known only to a quarter or a year
    is grouped under that period ("Q3 2025", "2026"), never under a month it did not give."""
    coarser = COARSENESS[Precision(event.precision)] > COARSENESS[Precision.MONTH]
    return display(event.date, event.precision if coarser else Precision.MONTH)


def by_month(events) -> list[tuple[str, list]]:
    """Consecutive events under their ``group_label``, in the timeline's order."""
    return [(label, list(group)) for label, group in itertools.groupby(events, key=group_label)]


@public_page
def timeline(request):
    filterset = TimelineFilters(request.GET, queryset=event_list())
    paging = PagingForm(request.GET, {})
    query = query_without(request, "page")
    api_query = query_without(request, "page", "ordering")
    context = {
        **admin.site.each_context(request),
        "title": "Timeline",
        "filterset": filterset,
        "paging": paging,
        "page": None,
        "query": query,
        "ics": timeline_feed_path("ics", api_query),
        "atom": timeline_feed_path("atom", api_query),
    }
    if not (filterset.is_valid() and paging.is_valid()):
        return TemplateResponse(request, "tracker/pages/timeline.html", context, status=400)
    events = filterset.qs.prefetch_related(citations_prefetch())
    page = page_of(events, paging.cleaned_data["page"] or 1, EVENTS_PER_PAGE)
    context.update(page=page, months=by_month(page.rows))
    return TemplateResponse(request, "tracker/pages/timeline.html", context)
