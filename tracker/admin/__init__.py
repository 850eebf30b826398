"""The editors' admin: every tracker model, with history, import/export and a dashboard."""

from django.contrib import admin

from . import records, releases, support, tokens

admin.site.site_header = "indoru — India–Russia tracker"
admin.site.site_title = "indoru admin"
admin.site.index_title = "Records"
admin.site.index_template = "admin/tracker/index.html"
# Unknown reads the same in every column and form, whether Django or the tracker writes it.
admin.site.empty_value_display = "—"
# The sidebar of every model took 280 px of a 1400 px window from the lists, which then hid
# their key columns (a delivery's slippage, an agreement's steps by party) off to the side;
# the breadcrumbs and the index lead to the other models.
admin.site.enable_nav_sidebar = False

__all__ = ["records", "releases", "support", "tokens"]
