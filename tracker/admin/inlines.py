"""Inlines: a record's timeline, tranches, parties and citations, edited on the record's page."""

from django.contrib import admin
from django.db.models import Prefetch

from ..models import AgreementParty, AgreementRelation, Citation, TimelineEvent, Tranche
from .display import cited_list, precise
from .forms import EventForm, TrancheFormSet

EVENT_FIELDS = ("kind", "date", "precision", "date_is_estimate", "title", "is_planned")
CITE_FIELDS = ("cite_source", "cite_quote")


class CitationInline(admin.TabularInline):
    model = Citation
    fields = ("source", "quote", "figure", "locator")
    autocomplete_fields = ("source",)
    extra = 0
    classes = ("citations",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


class EventInline(admin.StackedInline):
    """Timeline events of a record: each shows what it cites and takes one more source and
    quote."""

    model = TimelineEvent
    form = EventForm
    fields = (*EVENT_FIELDS, "description", "party", "cited", *CITE_FIELDS)
    readonly_fields = ("cited",)
    autocomplete_fields = ("party",)
    extra = 0
    classes = ("timeline",)
    verbose_name_plural = "timeline events"

    def get_queryset(self, request):
        citations = Citation.objects.select_related("source").order_by("pk")
        return (
            super()
            .get_queryset(request)
            .select_related("party")
            .prefetch_related(Prefetch("citations", queryset=citations))
        )

    def get_fields(self, request, obj=None):
        """Without the right to change, no fields to add a citation (they would show empty)."""
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        return [name for name in fields if name not in CITE_FIELDS]

    @admin.display(description="cited")
    def cited(self, event: TimelineEvent):
        """The event's citations, each linked to its own page (where it is changed)."""
        if event.pk is None:
            return "—"
        return cited_list(event.citations.all())


class AgreementEventInline(EventInline):
    """Per-party steps: the party acting and the body (e.g. State Duma) are named."""

    fields = (*EVENT_FIELDS, "party", "body", "description", "cited", *CITE_FIELDS)


class DeliveryEventInline(EventInline):
    """Delivery events entered by editors, with the old and new date of forecast revisions.

    "Delivered in part" events are written by tranches and listed read-only below.
    """

    fields = (
        *EVENT_FIELDS,
        ("old_date", "old_precision"),
        ("new_date", "new_precision"),
        "description",
        "cited",
        *CITE_FIELDS,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).filter(tranche__isnull=True)


class TrancheEventInline(admin.TabularInline):
    """The timeline events that tranches wrote; change the tranche to change them."""

    model = TimelineEvent
    fields = ("kind", "when", "title")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "delivery recorded by a tranche"
    verbose_name_plural = "deliveries recorded by tranches"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(tranche__isnull=False)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="date")
    def when(self, obj):
        return precise(obj, "date", "precision")


class TrancheInline(admin.TabularInline):
    model = Tranche
    formset = TrancheFormSet
    fields = (
        "sequence",
        "quantity",
        "quantity_is_estimate",
        "planned_date",
        "planned_precision",
        "actual_date",
        "actual_precision",
        "note",
    )
    extra = 0
    classes = ("tranches",)


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    fields = ("party", "share_percent", "role")
    autocomplete_fields = ("party",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("party")


class AgreementRelationInline(admin.TabularInline):
    model = AgreementRelation
    fk_name = "from_agreement"
    fields = ("kind", "to_agreement")
    autocomplete_fields = ("to_agreement",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("to_agreement")
