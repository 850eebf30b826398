"""The site's front page: the relationship at a glance, and where editors and programs go."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils import timezone

from .selectors.agreements import agreements_awaiting_ratification
from .selectors.counts import first_of
from .selectors.deliveries import late_deliveries_with_sources
from .selectors.issues import issues_to_watch
from .selectors.trade import trade_at_a_glance


def home(request):
    """Public, as the API is: late deliveries, pending ratifications, the latest trade figures
    and the issues to watch, each with its sources."""
    today = timezone.localdate()
    context = {
        **admin.site.each_context(request),
        "title": "India–Russia relations tracker",
        "today": today,
        "late": first_of(late_deliveries_with_sources(today)),
        "awaiting": first_of(agreements_awaiting_ratification()),
        "trade": trade_at_a_glance(),
        "issues": first_of(issues_to_watch()),
    }
    return TemplateResponse(request, "tracker/home.html", context)
