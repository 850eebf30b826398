"""A list per record type, filtered, sorted and paged.

The filters are the API's (``tracker.pages.filters``) and the orderings the API's, under the
same names. A page is read as its rows plus one, to know whether another follows: nothing is
counted, so a page costs the same in a list of a hundred records or of a million.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from ..api import views as api_views
from ..api.filtersets import order_expressions
from ..links import api_view
from ..models import Agreement, Delivery, Issue, Source, TradeRecord
from ..selectors.agreements import agreement_parties_prefetch, steps_prefetch
from . import filters
from .access import public_page

PAGE_SIZE = 50
#: The deepest page a list goes to; narrower filters reach the rest.
MAX_PAGE = 1000


@dataclass(frozen=True)
class ListKind:
    """One record type's list: its rows, filters, orderings (the API's) and title."""

    record_type: str
    title: str
    rows: object
    filterset: type
    orderings: dict
    default_ordering: str


def agreement_rows() -> QuerySet:
    return Agreement.objects.select_related("sector").prefetch_related(
        agreement_parties_prefetch(), steps_prefetch()
    )


LISTS = {
    "agreement": ListKind(
        "agreement",
        "Agreements",
        agreement_rows,
        filters.AgreementFilters,
        api_views.AgreementViewSet.ordering_fields,
        "title",
    ),
    "delivery": ListKind(
        "delivery",
        "Deliveries",
        lambda: Delivery.objects.select_related("sector", "supplier", "recipient"),
        filters.DeliveryFilters,
        api_views.DeliveryViewSet.ordering_fields,
        "title",
    ),
    "trade_record": ListKind(
        "trade_record",
        "Trade records",
        lambda: TradeRecord.objects.select_related("reporter", "partner"),
        filters.TradeRecordFilters,
        api_views.TradeRecordViewSet.ordering_fields,
        "-period_start",
    ),
    "issue": ListKind(
        "issue",
        "Issues",
        lambda: Issue.objects.select_related("sector"),
        filters.IssueFilters,
        api_views.IssueViewSet.ordering_fields,
        "title",
    ),
    "source": ListKind(
        "source",
        "Sources",
        Source.objects.all,
        filters.SourceFilters,
        api_views.SourceViewSet.ordering_fields,
        "title",
    ),
}


class PagingForm(forms.Form):
    """The page number and the ordering, checked like any filter."""

    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)
    ordering = forms.ChoiceField(required=False)

    def __init__(self, data, orderings: dict):
        super().__init__(data)
        names = [term for name in orderings for term in (name, f"-{name}")]
        self.fields["ordering"].choices = [("", "default"), *((n, n) for n in names)]


@dataclass(frozen=True)
class Page:
    rows: list
    number: int
    has_next: bool


def page_of(queryset, number: int, size: int = PAGE_SIZE) -> Page:
    """Page ``number`` of ``queryset``, and whether another follows (read as one row more)."""
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return Page(rows[:size], number, len(rows) > size)


def list_page(request, record_type: str):
    """A list, filtered by the API's filters and ordered by its orderings; bad values give
    the form back with each error beside its field (400), and no rows."""
    kind = LISTS[record_type]
    filterset = kind.filterset(request.GET, queryset=kind.rows())
    paging = PagingForm(request.GET, kind.orderings)
    context = {
        **admin.site.each_context(request),
        "title": kind.title,
        "kind": kind,
        "filterset": filterset,
        "paging": paging,
        "today": timezone.localdate(),
        "page": None,
        "api_list": reverse(api_view(record_type, "list")),
    }
    if not (filterset.is_valid() and paging.is_valid()):
        return TemplateResponse(request, "tracker/pages/list.html", context, status=400)
    ordering = paging.cleaned_data["ordering"] or kind.default_ordering
    rows = filterset.qs.order_by(*order_expressions([ordering], kind.orderings, filterset.qs.model))
    context["page"] = page_of(rows, paging.cleaned_data["page"] or 1)
    context["query"] = query_without(request, "page")
    return TemplateResponse(request, "tracker/pages/list.html", context)


def query_without(request, *names: str) -> str:
    """The request's query string without ``names``, for links that replace them."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def list_view(record_type: str):
    @public_page
    def view(request):
        return list_page(request, record_type)

    view.__name__ = f"{record_type}_list"
    return view
