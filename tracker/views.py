"""The site's front page: the relationship at a glance, and where editors and programs go."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils import timezone

from .selectors import dashboard as selectors


def home(request):
    """Public, as the API is: late deliveries, pending ratifications, the latest trade figures
    and the issues to watch, each with its sources."""
    today = timezone.localdate()
    context = {
        **admin.site.each_context(request),
        "title": "India–Russia relations tracker",
        "today": today,
        "late": selectors.first_of(selectors.late_deliveries_with_sources(today)),
        "awaiting": selectors.first_of(selectors.agreements_awaiting_ratification()),
        "trade": selectors.trade_at_a_glance(),
        "issues": selectors.first_of(selectors.issues_to_watch()),
    }
    return TemplateResponse(request, "tracker/home.html", context)
