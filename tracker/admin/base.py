"""What every tracker admin shares: history, import/export, permissions and list columns."""

import copy
from contextlib import nullcontext

import tablib
from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, JSON
from simple_history.admin import SimpleHistoryAdmin

from .. import imports
from ..csvcells import safe_cell
from ..integrity import rule_error
from ..models.deliveries import one_write_per_delivery
from .display import badge, precise
from .filters import autocomplete_filter_media, source_filter
from .history import add_derived_changes
from .search import SubquerySearchMixin

RECORD_TIMESTAMPS = ("created_at", "updated_at")


class ExportCSV(CSV):
    """CSV whose cells that would start a spreadsheet formula are defused, as in every CSV
    the app writes. django-import-export's own option (``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT``)
    only deletes a leading "=", which leaves "+", "-" and "@" formulas and alters the text."""

    def export_data(self, dataset, **kwargs):
        rows = ([safe_cell(cell) for cell in row] for row in dataset)
        safe = tablib.Dataset(*rows, headers=dataset.headers, title=dataset.title)
        return super().export_data(safe, **kwargs)


def unit_of_work(request):
    """A form post saves a record with its inlines (or deletes, or edits a list) as one
    unit of work, so a delivery's derived schedule is written once with the change that
    causes it (``one_write_per_delivery``); a page that is only shown opens no transaction."""
    return one_write_per_delivery() if request.method == "POST" else nullcontext()


def date_column(date_field: str, precision_field: str, description: str):
    """An admin method (assign it in the class body) showing a stored date at its precision."""

    @admin.display(description=description, ordering=date_field)
    def column(model_admin, obj):
        return precise(obj, date_field, precision_field)

    column.__name__ = f"{date_field}_shown"
    return column


class KnownKeysHistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's pages, answering 404 for an id or a version that cannot be one
    (``abc``): its views send them to the database as they came, which fails with a 500."""

    def history_view(self, request, object_id, extra_context=None):
        self.known_key(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.known_key(object_id)
        if not version_id.isdigit():
            raise Http404
        return self.shown_history_form_view(request, object_id, version_id, extra_context)

    def shown_history_form_view(self, request, object_id, version_id, extra_context=None):
        return super().history_form_view(request, object_id, version_id, extra_context)

    def known_key(self, object_id: str) -> None:
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None


class TrackerAdmin(SubquerySearchMixin, ImportExportModelAdmin, KnownKeysHistoryAdmin):
    """Change history (with old and new values), CSV/JSON import and export, read-only views,
    and search across the quotes of citations without a join (``search``).

    Import needs the add and change permissions (Editors); export and the history need only
    view (Viewers). A viewer who opens a record "as it was" sees it read-only and cannot
    revert it.
    """

    import_form_class = imports.BoundedImportForm
    confirm_form_class = imports.KnownUploadConfirmForm
    import_formats = [CSV, JSON]
    export_formats = [ExportCSV, JSON]
    import_error_display = ("message", "row")
    import_template_name = "admin/tracker/import.html"
    show_full_result_count = False
    list_per_page = 50

    @property
    def media(self):
        media = super().media + forms.Media(css={"all": ("tracker/admin.css",)})
        if any(hasattr(spec, "autocomplete_key") for spec in self.list_filter):
            media += autocomplete_filter_media()
        return media

    def import_action(self, request, **kwargs):
        """The preview; the upload is kept for the confirmation only if it can be confirmed."""
        response = None
        try:
            response = super().import_action(request, **kwargs)
            return response
        finally:
            name = getattr(request.FILES.get("import_file"), "tmp_storage_name", None)
            context = getattr(response, "context_data", None) or {}
            if name and "confirm_form" not in context:
                imports.UploadStorage(name=name).remove()

    def process_import(self, request, **kwargs):
        """The confirmed import; its upload is removed whatever the outcome."""
        try:
            return super().process_import(request, **kwargs)
        finally:
            name = request.POST.get("import_file_name", "")
            if imports.FILE_NAME.fullmatch(name):
                imports.UploadStorage(name=name).remove()

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A save that the database refuses (a rule across rows that a trigger checks, or
        another editor who took the slug a moment ago) is answered as validation would: the
        form again, with the rule's own message on its field, and nothing saved. Django's
        view ran in a transaction, rolled back; it runs once more with the refusal as an
        error of the form (``get_form``), so the form is shown and saves nothing. A post is one
        unit of work (``unit_of_work``)."""
        try:
            with unit_of_work(request):
                return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError as error:
            if request.method != "POST":
                raise
            request.database_refusal = rule_error(error, self.model)
            with unit_of_work(request):
                return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, *args, **kwargs):
        with unit_of_work(request):
            return super().changelist_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        with unit_of_work(request):
            return super().delete_view(request, *args, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "database_refusal", None)
        if refusal is None:
            return form

        class Refused(form):
            def clean(self):
                cleaned = super().clean()
                for field, messages in refusal.message_dict.items():
                    on_form = field if field != NON_FIELD_ERRORS and field in self.fields else None
                    self.add_error(on_form, messages)
                return cleaned

        return Refused

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if obj is None or self.has_change_permission(request, obj):
            return readonly
        fields = self.model._meta.concrete_fields
        editable = (f.name for f in fields if f.editable and not f.primary_key)
        return readonly + tuple(name for name in editable if name not in readonly)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        add_derived_changes(
            lambda record: self.get_historical_record_context_helper(request, record),
            historical_records,
        )

    def shown_history_form_view(self, request, object_id, version_id, extra_context=None):
        """Shows a record as it was; only those who may change it can revert to it.

        A read-only form has no slug input for ``prepopulated_fields`` to fill, and the
        history view reads that attribute directly, so a read-only copy goes without it.
        """
        if self.has_change_permission(request):
            return super().shown_history_form_view(request, object_id, version_id, extra_context)
        if request.method == "POST":
            raise PermissionDenied
        read_only = copy.copy(self)
        read_only.prepopulated_fields = {}
        return SimpleHistoryAdmin.history_form_view(
            read_only, request, object_id, version_id, extra_context
        )


class DeleteEachMixin:
    """The "delete selected" action deletes row by row through the model's ``delete()``,
    which recomputes what depends on the row (a tranche's or an event's delivery schedule);
    a queryset's ``delete()`` would skip it."""

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            obj.delete()


class RecordAdmin(TrackerAdmin):
    """Agreements, deliveries, trade records and issues: titled, summarised, cited records."""

    search_fields = ("title", "slug", "summary", "citations__quote")
    search_help_text = "Searches titles, summaries and the quotes of citations."
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = RECORD_TIMESTAMPS
    autocomplete_fields = ("sector",)
    source_filter = source_filter("citations__source", "events__citations__source")

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj):
        return badge(obj.status, obj.get_status_display())
