"""Timeline events, tranches, citations, sources and the lookup tables."""

from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.defaultfilters import truncatewords
from django.utils.html import format_html

from .. import resources
from ..figures import number
from ..links import admin_path
from ..models import (
    AgreementParty,
    AgreementRelation,
    Citation,
    Party,
    Sector,
    Source,
    TimelineEvent,
    Tranche,
)
from ..models.events import EVENT_RECORDS
from ..models.sources import CITATION_TARGETS
from ..services.sources import archive
from .base import RECORD_TIMESTAMPS, DeleteEachMixin, TrackerAdmin, date_column
from .display import archived_text, quote_in_text
from .filters import party_filter, source_filter, year_filter
from .forms import SourceForm
from .inlines import CitationInline
from .proposals import ProposalInboxMixin

#: The fields of a source's form that take a new version of its text.
TEXT_INPUTS = ("paste_text", "upload")


def admin_link(obj):
    """A link to the admin page of ``obj`` (loaded with the row, so no extra query)."""
    if obj is None:
        return "—"
    return format_html('<a href="{}">{}</a>', admin_path(obj, obj.pk), obj)


@admin.register(Party)
class PartyAdmin(TrackerAdmin):
    resource_classes = [resources.PartyResource]
    list_display = ("code", "name", "is_bloc")
    list_filter = ("is_bloc",)
    search_fields = ("code", "name")
    ordering = ("name",)


@admin.register(Sector)
class SectorAdmin(TrackerAdmin):
    resource_classes = [resources.SectorResource]
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("name",)


@admin.register(Source)
class SourceAdmin(ProposalInboxMixin, TrackerAdmin):
    resource_classes = [resources.SourceResource]
    published = date_column("published_on", "published_precision", "published")
    list_display = ("title", "publisher", "published", "link", "citation_count")
    list_filter = ("publisher",)
    search_fields = ("title", "slug", "publisher", "author", "url", "citations__quote")
    search_help_text = "Searches titles, publishers, authors, addresses and quotes."
    date_hierarchy = "published_on"
    ordering = ("-published_on", "title")
    prepopulated_fields = {"slug": ("title",)}
    form = SourceForm
    fieldsets = (
        (None, {"fields": ("title", "slug", "publisher", "author", "url")}),
        ("Published", {"fields": ("published_on", "published_precision")}),
        (
            "Archived text",
            {
                "fields": (
                    "archived",
                    "proposal_inbox",
                    *TEXT_INPUTS,
                    "no_archived_text",
                    "archive_name",
                )
            },
        ),
        (None, {"fields": ("notes",)}),
        ("Record", {"fields": RECORD_TIMESTAMPS, "classes": ("collapse",)}),
    )
    readonly_fields = ("archived", "proposal_inbox", *RECORD_TIMESTAMPS)

    def get_fieldsets(self, request, obj=None):
        """Without the right to change, no inputs for a new text (they would show empty)."""
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj) or obj is None:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in TEXT_INPUTS]})
            for name, options in fieldsets
        ]

    def save_model(self, request, obj, form, change):
        """The source, then the text given with it as its new current version (in the same
        transaction: the admin saves a change form in one)."""
        super().save_model(request, obj, form, change)
        if form.extracted is not None:
            archive(obj, form.extracted)

    @admin.display(description="archived text")
    def archived(self, obj):
        return archived_text(obj)

    def get_queryset(self, request):
        """Each source's citations counted by a subquery, which PostgreSQL runs only for the
        rows of the page; a grouped join counted every citation, and the date hierarchy's
        queries carried it too (1.7 s a page at scale 1)."""
        citations = (
            Citation.objects.filter(source=OuterRef("pk"))
            .order_by()
            .values("source")
            .annotate(total=Count("pk"))
            .values("total")
        )
        total = Coalesce(Subquery(citations), 0)
        return super().get_queryset(request).annotate(citation_total=total)

    @admin.display(description="address")
    def link(self, obj):
        return format_html('<a href="{0}">{0}</a>', obj.url) if obj.url else "—"

    @admin.display(description="citations", ordering="citation_total")
    def citation_count(self, obj):
        return obj.citation_total


class VerifiedFilter(admin.SimpleListFilter):
    """Citations found in their source's archived text, or unverified (its source has none)."""

    title = "verified"
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [("yes", "found in the source's text"), ("no", "unverified: no archived text")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(paragraph__isnull=self.value() == "no")
        return queryset


@admin.register(Citation)
class CitationAdmin(TrackerAdmin):
    resource_classes = [resources.CitationResource]
    list_display = ("short_quote", "source", "cites", "figure", "where")
    list_filter = (source_filter("source"), VerifiedFilter)
    list_select_related = ("source", *CITATION_TARGETS)
    search_fields = ("quote", "figure", "source__title", "source__publisher")
    autocomplete_fields = ("source", *CITATION_TARGETS)
    ordering = ("-id",)
    readonly_fields = ("in_text", *RECORD_TIMESTAMPS)

    @admin.display(description="in its source's text")
    def in_text(self, obj):
        return quote_in_text(obj)

    @admin.display(description="where", ordering="paragraph")
    def where(self, obj):
        return "unverified" if obj.paragraph is None else f"¶{obj.paragraph}"

    @admin.display(description="quote")
    def short_quote(self, obj):
        return f"“{truncatewords(obj.quote, 14)}”"

    @admin.display(description="supports")
    def cites(self, obj):
        return admin_link(obj.target)


@admin.register(TimelineEvent)
class TimelineEventAdmin(DeleteEachMixin, TrackerAdmin):
    """The merged timeline. Events that tranches wrote are read-only here."""

    resource_classes = [resources.TimelineEventResource]
    when = date_column("date", "precision", "date")
    list_display = ("when", "kind", "title", "record", "party", "is_planned")
    list_display_links = ("when", "title")
    list_filter = (
        "kind",
        "is_planned",
        party_filter("party"),
        source_filter("citations__source"),
    )
    list_select_related = ("party", *EVENT_RECORDS)
    search_fields = ("title", "description", "citations__quote")
    search_help_text = "Searches titles, descriptions and the quotes of citations."
    date_hierarchy = "date"
    ordering = ("-date", "-id")
    autocomplete_fields = ("party", *EVENT_RECORDS)
    readonly_fields = ("tranche", *RECORD_TIMESTAMPS)
    fieldsets = (
        (None, {"fields": ("kind", "title", "description", "is_planned", "key")}),
        ("When", {"fields": ("date", "precision", "date_is_estimate", "end_date")}),
        ("On the record", {"fields": (*EVENT_RECORDS, "tranche")}),
        ("Party step", {"fields": ("party", "body")}),
        (
            "Forecast revision",
            {"fields": ("old_date", "old_precision", "new_date", "new_precision")},
        ),
        ("Record", {"fields": RECORD_TIMESTAMPS, "classes": ("collapse",)}),
    )
    inlines = (CitationInline,)

    @admin.display(description="record")
    def record(self, obj):
        return admin_link(obj.record)

    def has_change_permission(self, request, obj=None):
        written_by_tranche = obj is not None and obj.tranche_id is not None
        return not written_by_tranche and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        written_by_tranche = obj is not None and obj.tranche_id is not None
        return not written_by_tranche and super().has_delete_permission(request, obj)


@admin.register(Tranche)
class TrancheAdmin(DeleteEachMixin, TrackerAdmin):
    resource_classes = [resources.TrancheResource]
    planned = date_column("planned_date", "planned_precision", "planned")
    actual = date_column("actual_date", "actual_precision", "delivered")
    list_display = ("__str__", "delivery", "sequence", "quantity_shown", "planned", "actual")
    list_filter = (year_filter("planned_date", "year planned"),)
    list_select_related = ("delivery",)
    search_fields = ("delivery__title", "delivery__designation", "note")
    autocomplete_fields = ("delivery",)
    ordering = ("delivery__title", "sequence")
    readonly_fields = RECORD_TIMESTAMPS

    @admin.display(description="quantity", ordering="quantity")
    def quantity_shown(self, obj):
        return f"{number(obj.quantity)} {obj.delivery.quantity_unit}".strip()


@admin.register(AgreementParty)
class AgreementPartyAdmin(TrackerAdmin):
    resource_classes = [resources.AgreementPartyResource]
    list_display = ("agreement", "party", "share_percent", "role")
    list_filter = (party_filter("party"),)
    list_select_related = ("agreement", "party")
    search_fields = ("agreement__title", "agreement__short_name", "party__name", "role")
    autocomplete_fields = ("agreement", "party")
    ordering = ("agreement__title", "party__name")


@admin.register(AgreementRelation)
class AgreementRelationAdmin(TrackerAdmin):
    resource_classes = [resources.AgreementRelationResource]
    list_display = ("from_agreement", "kind", "to_agreement")
    list_filter = ("kind",)
    list_select_related = ("from_agreement", "to_agreement")
    search_fields = ("from_agreement__title", "to_agreement__title")
    autocomplete_fields = ("from_agreement", "to_agreement")
    ordering = ("from_agreement__title",)
