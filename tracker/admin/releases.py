"""Official trade statistics releases: read as imported, withdrawn with a reason.

A release comes in through ``manage.py import_trade`` (a file of up to millions of rows is
no admin upload); here editors read it, follow what it revises, and withdraw it.
"""

from django.contrib import admin

from ..models import TradeRelease
from ..services.trade_releases import withdraw_release
from .base import KnownKeysHistoryAdmin
from .support import admin_link


@admin.register(TradeRelease)
class TradeReleaseAdmin(KnownKeysHistoryAdmin):
    list_display = ("slug", "publisher", "dataset", "released_on", "row_count", "withdrawn")
    list_filter = ("publisher", "withdrawn_at")
    search_fields = ("slug", "publisher", "dataset", "file_name")
    list_select_related = ("source", "revises")
    fields = (
        "slug",
        "publisher",
        "dataset",
        "released_on",
        ("coverage_start", "coverage_end"),
        ("file_name", "row_count"),
        "sha256",
        "source_link",
        "revises_link",
        "withdrawn_at",
        "withdrawal_reason",
    )
    readonly_fields = [
        "slug",
        "publisher",
        "dataset",
        "released_on",
        "coverage_start",
        "coverage_end",
        "file_name",
        "row_count",
        "sha256",
        "source_link",
        "revises_link",
        "withdrawn_at",
    ]

    @admin.display(boolean=True, description="withdrawn", ordering="withdrawn_at")
    def withdrawn(self, obj) -> bool:
        return obj.is_withdrawn

    @admin.display(description="source")
    def source_link(self, obj):
        return admin_link(obj.source)

    @admin.display(description="revises")
    def revises_link(self, obj):
        return admin_link(obj.revises)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        """A withdrawn release is read only; its reason is given once."""
        if obj is not None and obj.is_withdrawn:
            return [*self.readonly_fields, "withdrawal_reason"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        """Giving a reason withdraws the release."""
        if obj.withdrawal_reason and not obj.is_withdrawn:
            withdraw_release(obj, obj.withdrawal_reason)
