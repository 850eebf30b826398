"""Routes of the API, mounted at ``/api/v1/``."""

from django.urls import path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from ..links import BASENAMES
from . import dump, feeds, proposals, releases, timeline_feeds, views
from .exceptions import not_found, problem_description

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("deliveries", views.DeliveryViewSet, basename="delivery")
router.register("trade-records", views.TradeRecordViewSet, basename="trade-record")
router.register("issues", views.IssueViewSet, basename="issue")
router.register("sources", views.SourceViewSet, basename="source")
router.register("events", views.EventViewSet, basename="event")
router.register("citations", views.CitationViewSet, basename="citation")
router.register("trade-releases", releases.TradeReleaseViewSet, basename="trade-release")
router.register("trade-observations", releases.ObservationViewSet, basename="trade-observation")

#: Records with a timeline, by the prefix of their addresses.
TIMELINE_RECORDS = {
    "agreements": "agreement",
    "deliveries": "delivery",
    "trade-records": "trade_record",
    "issues": "issue",
}
#: The timeline's feeds, by the suffix of their addresses: the merged timeline's view, and
#: a record's.
TIMELINE_FEEDS = {
    "ics": (timeline_feeds.TimelineCalendarView, timeline_feeds.RecordCalendarView),
    "atom": (timeline_feeds.TimelineAtomView, timeline_feeds.RecordAtomView),
}


def record_feeds() -> list:
    """``<prefix>/<key>/timeline.<suffix>``, named ``<basename>-timeline-<suffix>``."""
    return [
        path(
            f"{prefix}/<str:key>/timeline.{suffix}",
            record_view.as_view(record_type=record_type),
            name=f"{BASENAMES[record_type]}-timeline-{suffix}",
        )
        for prefix, record_type in TIMELINE_RECORDS.items()
        for suffix, (_, record_view) in TIMELINE_FEEDS.items()
    ]


urlpatterns = [
    path("trade-records/export.csv", feeds.TradeExportView.as_view(), name="trade-export"),
    path(
        "trade-observations/export.csv",
        releases.ObservationExportView.as_view(),
        name="trade-observation-export",
    ),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    *(
        path(f"timeline.{suffix}", view.as_view(), name=f"timeline-{suffix}")
        for suffix, (view, _) in TIMELINE_FEEDS.items()
    ),
    *record_feeds(),
    path("changes/", feeds.ChangesView.as_view(), name="changes"),
    path("changes.atom", feeds.ChangesAtomView.as_view(), name="changes-atom"),
    path("dump.ndjson", dump.DumpView.as_view(), name="dump"),
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("problems/<slug:code>/", problem_description, name="problem"),
    path("proposals/<int:pk>/accept/", proposals.AcceptView.as_view(), name="proposal-accept"),
    path("proposals/<int:pk>/reject/", proposals.RejectView.as_view(), name="proposal-reject"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    # Anything else under /api/v1/ is a JSON 404, not the site's HTML page.
    re_path(r"^[\s\S]*$", not_found),
]
