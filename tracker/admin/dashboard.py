"""The editors' dashboard: statuses, late deliveries, milestones, recent changes and charts."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from ..links import admin_path, admin_view
from ..selectors.changes import recent_changes
from ..selectors.counts import FirstOf, first_of, status_counts
from ..selectors.deliveries import delivery_schedules, late_deliveries
from ..selectors.timeline import upcoming_milestones
from ..selectors.trade import trade_by_year
from .charts import slippage_chart, trade_chart


def change_url(obj) -> str:
    return admin_path(obj, obj.pk)


def dashboard_view(request):
    """Everything is read from the database for this request; the charts are inline SVG."""
    today = timezone.localdate()
    changes = [
        (change, admin_path(change.model, change.object_id, "history"))
        for change in recent_changes()
    ]
    late = first_of(late_deliveries(today))
    context = {
        **admin.site.each_context(request),
        "title": "Dashboard",
        "statuses": [
            (summary, reverse(admin_view(summary.model._meta.model_name, "changelist")))
            for summary in status_counts()
        ],
        "late": FirstOf([(d, change_url(d), d.ways_late(today)) for d in late.rows], late.total),
        "milestones": [
            (m, change_url(m.record) if m.record else None) for m in upcoming_milestones(today)
        ],
        "changes": changes,
        "trade": trade_chart(trade_by_year()),
        "schedule": slippage_chart(delivery_schedules(), change_url),
        "today": today,
    }
    return TemplateResponse(request, "admin/tracker/dashboard.html", context)
