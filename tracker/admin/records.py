"""The four record types: agreements, deliveries, trade records and issues."""

from django.contrib import admin
from django.db.models import F, OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from .. import resources
from ..choices import EventKind
from ..dates import period_label
from ..figures import number
from ..models import Agreement, Delivery, Issue, TimelineEvent, TradeRecord
from ..selectors.agreements import agreement_parties_prefetch, steps_prefetch
from ..selectors.deliveries import forecast_revisions
from .base import RECORD_TIMESTAMPS, RecordAdmin, date_column
from .charts import forecast_chart
from .display import (
    amount,
    badge,
    party_steps_table,
    slippage_and_lateness,
    step_summary,
    trade_value,
)
from .filters import LateFilter, ToWatchFilter, party_filter
from .inlines import (
    AgreementEventInline,
    AgreementPartyInline,
    AgreementRelationInline,
    CitationInline,
    DeliveryEventInline,
    EventInline,
    TrancheEventInline,
    TrancheInline,
)

RECORD_FIELDSET = (None, {"fields": ("title", "slug", "summary", "sector")})
TIMESTAMPS_FIELDSET = ("Record", {"fields": RECORD_TIMESTAMPS, "classes": ("collapse",)})


@admin.register(Agreement)
class AgreementAdmin(RecordAdmin):
    resource_classes = [resources.AgreementResource]
    list_display = (
        "title",
        "short_name",
        "kind",
        "status_badge",
        "sector",
        "steps_by_party",
        "first_signed",
    )
    list_filter = (
        "status",
        "kind",
        "sector",
        party_filter("parties"),
        "is_binding",
        RecordAdmin.source_filter,
    )
    list_select_related = ("sector",)
    search_fields = (*RecordAdmin.search_fields, "short_name")
    fieldsets = (
        (None, {"fields": ("title", "short_name", "slug", "kind", "status", "is_binding")}),
        ("Other names", {"fields": ("aliases",)}),
        ("About", {"fields": ("summary", "sector")}),
        ("Steps by party", {"fields": ("steps_table",)}),
        TIMESTAMPS_FIELDSET,
    )
    readonly_fields = ("steps_table", *RECORD_TIMESTAMPS)
    inlines = (AgreementPartyInline, AgreementEventInline, CitationInline, AgreementRelationInline)

    def get_queryset(self, request):
        signed = TimelineEvent.objects.filter(
            agreement=OuterRef("pk"), kind=EventKind.SIGNED
        ).order_by("date", "precision")
        return (
            super()
            .get_queryset(request)
            .annotate(
                signed_date=Subquery(signed.values("date")[:1]),
                signed_precision=Subquery(signed.values("precision")[:1]),
            )
            .prefetch_related(agreement_parties_prefetch(), steps_prefetch())
        )

    @admin.display(description="steps by party")
    def steps_by_party(self, obj):
        lines = ((step_summary(steps),) for steps in obj.party_steps())
        return format_html_join(mark_safe("<br>"), "{}", lines) or "—"

    @admin.display(description="steps")
    def steps_table(self, obj):
        """Signature, approval, ratification … of each party, as the timeline records them."""
        if obj is None or obj.pk is None:
            return "Recorded as timeline events below, once the agreement is saved."
        return party_steps_table(obj.party_steps())

    first_signed = date_column("signed_date", "signed_precision", "signed")


@admin.register(Delivery)
class DeliveryAdmin(RecordAdmin):
    """Deliveries and their schedule; baseline, forecast, actual and slippage are derived.

    Editors change the schedule through tranches and forecast revisions on the timeline; the
    derived columns are shown read-only; the model records each change of them in the history.
    """

    resource_classes = [resources.DeliveryResource]
    baseline = date_column("baseline_date", "baseline_precision", "baseline")
    forecast = date_column("forecast_date", "forecast_precision", "forecast")
    actual = date_column("actual_date", "actual_precision", "actual")
    ordered = date_column("ordered_on", "ordered_precision", "ordered")
    list_display = (
        "title",
        "status_badge",
        "supplier",
        "recipient",
        "quantity",
        "value_shown",
        "ordered",
        "baseline",
        "forecast",
        "actual",
        "slippage_shown",
    )
    list_filter = (
        "status",
        LateFilter,
        "kind",
        "sector",
        party_filter("supplier", "recipient"),
        RecordAdmin.source_filter,
    )
    list_select_related = ("supplier", "recipient", "sector")
    search_fields = (*RecordAdmin.search_fields, "designation")
    date_hierarchy = "ordered_on"
    ordering = (F("slippage_months").desc(nulls_last=True), "title")
    autocomplete_fields = ("sector", "agreement", "supplier", "recipient")
    #: Derived from the tranches and the forecast revisions: shown, never edited.
    schedule_fields = (
        "quantity_delivered",
        "baseline",
        "forecast",
        "actual",
        "slippage_shown",
        "forecast_history",
    )
    readonly_fields = (*schedule_fields, *RECORD_TIMESTAMPS)
    fieldsets = (
        (None, {"fields": ("title", "designation", "slug", "kind", "status", "agreement")}),
        ("Other names", {"fields": ("aliases",)}),
        (
            "Parties and order",
            {"fields": ("supplier", "recipient", "ordered_on", "ordered_precision")},
        ),
        ("Quantity", {"fields": ("quantity_ordered", "quantity_unit", "quantity_is_estimate")}),
        ("Value", {"fields": ("value", "value_currency", "value_unit", "value_is_estimate")}),
        (
            "Schedule (derived from tranches and forecast revisions)",
            {"fields": schedule_fields},
        ),
        ("About", {"fields": ("summary", "sector")}),
        TIMESTAMPS_FIELDSET,
    )
    inlines = (TrancheInline, DeliveryEventInline, TrancheEventInline, CitationInline)

    @admin.display(description="quantity")
    def quantity(self, obj):
        if obj.quantity_ordered is None:
            return "—"
        unit = obj.quantity_unit or "units"
        return f"{number(obj.quantity_delivered)} / {number(obj.quantity_ordered)} {unit}"

    @admin.display(description="value", ordering="value")
    def value_shown(self, obj):
        return amount(obj.value, obj.value_currency, obj.get_value_unit_display())

    @admin.display(description="slippage", ordering="slippage_months")
    def slippage_shown(self, obj):
        return slippage_and_lateness(obj)

    @admin.display(description="how the forecast moved")
    def forecast_history(self, obj):
        """A chart of the forecast revisions: when each was announced, and the date it gave."""
        revisions = forecast_revisions(obj) if obj and obj.pk else []
        chart = forecast_chart(obj, revisions, timezone.localdate()) if revisions else None
        context = {"chart": chart, "title": obj and obj.title}
        return render_to_string("admin/tracker/charts/forecast.svg.html", context)


@admin.register(TradeRecord)
class TradeRecordAdmin(RecordAdmin):
    resource_classes = [resources.TradeRecordResource]
    list_display = (
        "title",
        "period",
        "flow",
        "metric",
        "value_shown",
        "kind_badge",
        "counts_toward_totals",
        "reporter",
        "partner",
    )
    list_filter = (
        "kind",
        "flow",
        "metric",
        "counts_toward_totals",
        "is_estimate",
        "sector",
        party_filter("reporter", "partner"),
        RecordAdmin.source_filter,
    )
    list_select_related = ("reporter", "partner", "sector")
    search_fields = (*RecordAdmin.search_fields, "commodity", "hs_code")
    date_hierarchy = "period_start"
    ordering = ("-period_start", "flow", "title")
    autocomplete_fields = ("sector", "reporter", "partner")
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "counts_toward_totals", "is_estimate")}),
        (
            "Period",
            {
                "fields": (
                    "period_type",
                    "period_start",
                    "period_end",
                    "period_is_approximate",
                    "period_note",
                )
            },
        ),
        ("Figure", {"fields": ("reporter", "partner", "flow", "metric", "commodity", "hs_code")}),
        ("Value", {"fields": ("qualifier", "value", "value_high", "currency", "unit", "rate")}),
        ("Target", {"fields": ("target_date", "target_precision")}),
        ("About", {"fields": ("summary", "sector")}),
        TIMESTAMPS_FIELDSET,
    )
    inlines = (EventInline, CitationInline)

    @admin.display(description="period", ordering="period_start")
    def period(self, obj):
        return period_label(obj)

    @admin.display(description="value", ordering="value")
    def value_shown(self, obj):
        return trade_value(obj)

    @admin.display(description="claim", ordering="kind")
    def kind_badge(self, obj):
        return badge(obj.kind, obj.get_kind_display())


@admin.register(Issue)
class IssueAdmin(RecordAdmin):
    resource_classes = [resources.IssueResource]
    opened = date_column("opened_on", "opened_precision", "opened")
    resolved = date_column("resolved_on", "resolved_precision", "resolved")
    list_display = (
        "title",
        "category",
        "severity_badge",
        "status_badge",
        "opened",
        "resolved",
        "people_affected",
    )
    list_filter = (
        ToWatchFilter,
        "status",
        "severity",
        "category",
        "sector",
        party_filter("events__party"),
        RecordAdmin.source_filter,
    )
    list_select_related = ("sector",)
    date_hierarchy = "opened_on"
    ordering = ("-updated_at",)
    fieldsets = (
        RECORD_FIELDSET,
        ("Other names", {"fields": ("aliases",)}),
        (None, {"fields": ("category", "severity", "status")}),
        (
            "Dates",
            {"fields": ("opened_on", "opened_precision", "resolved_on", "resolved_precision")},
        ),
        ("People", {"fields": ("people_affected", "people_affected_is_estimate")}),
        TIMESTAMPS_FIELDSET,
    )
    inlines = (EventInline, CitationInline)

    @admin.display(description="severity", ordering="severity")
    def severity_badge(self, obj):
        return badge(obj.severity, obj.get_severity_display())
