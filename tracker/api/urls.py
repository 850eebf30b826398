"""Routes of the API, mounted at ``/api/v1/``."""

from django.urls import path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from . import feeds, proposals, views
from .exceptions import not_found

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

urlpatterns = [
    path("trade-records/export.csv", feeds.TradeExportView.as_view(), name="trade-export"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("timeline.ics", feeds.TimelineCalendarView.as_view(), name="timeline-ics"),
    path("changes/", feeds.ChangesView.as_view(), name="changes"),
    path("changes.atom", feeds.ChangesAtomView.as_view(), name="changes-atom"),
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("proposals/<int:pk>/accept/", proposals.AcceptView.as_view(), name="proposal-accept"),
    path("proposals/<int:pk>/reject/", proposals.RejectView.as_view(), name="proposal-reject"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    # Anything else under /api/v1/ is a JSON 404, not the site's HTML page.
    re_path(r"^[\s\S]*$", not_found),
]
