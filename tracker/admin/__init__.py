"""The editors' admin: every tracker model, with history, import/export and a dashboard."""

from django.contrib import admin

from . import records, releases, support, tokens

admin.site.site_header = "indoru — India–Russia tracker"
admin.site.site_title = "indoru admin"
admin.site.index_title = "Records"
admin.site.index_template = "admin/tracker/index.html"
# Unknown reads the same in every column and form, whether Django or the tracker writes it.
admin.site.empty_value_display = "—"

__all__ = ["records", "releases", "support", "tokens"]
