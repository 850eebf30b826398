"""The deliveries board: the late ones first, with how they are late, then every status with
its first deliveries, and the chart of each delivery's slippage."""

from django.contrib import admin
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils import timezone

from ..admin.charts import slippage_chart
from ..choices import DeliveryStatus
from ..links import page_path
from ..models import Delivery
from ..selectors.counts import first_of
from ..selectors.deliveries import delivery_schedules, late_deliveries
from .access import public_page

#: How many deliveries of each status the board lists; the list of that status has them all.
PER_STATUS = 25


def by_status() -> list[tuple[DeliveryStatus, int, list[Delivery]]]:
    """Each status with deliveries: its count and its first ``PER_STATUS`` deliveries by title,
    read from the index on (status, title, id): a query for the counts and one per status
    present, however many deliveries each holds."""
    counts = dict(Delivery.objects.order_by().values_list("status").annotate(n=Count("pk")))
    first = Delivery.objects.select_related("supplier", "recipient").order_by("title", "id")
    return [
        (status, counts[status], list(first.filter(status=status)[:PER_STATUS]))
        for status in DeliveryStatus
        if counts.get(status)
    ]


@public_page
def board(request):
    today = timezone.localdate()
    context = {
        **admin.site.each_context(request),
        "title": "Deliveries",
        "today": today,
        "late": first_of(late_deliveries(today), limit=50),
        "statuses": by_status(),
        "schedule": slippage_chart(delivery_schedules(), lambda d: page_path("delivery", d.slug)),
    }
    return TemplateResponse(request, "tracker/pages/board.html", context)
