"""The public pages' addresses, mounted at the site's root beside the front page."""

from django.urls import path

from ..links import PAGE_SEGMENTS
from . import board, lists, records, search, timeline

app_name = "pages"

urlpatterns = [
    path("deliveries/board/", board.board, name="board"),
    path("timeline/", timeline.timeline, name="timeline"),
    path("search/", search.search_page, name="search"),
]
for record_type, segment in PAGE_SEGMENTS.items():
    urlpatterns += [
        path(f"{segment}/", lists.list_view(record_type), name=f"{record_type}-list"),
        path(f"{segment}/<slug:key>/", getattr(records, record_type), name=record_type),
    ]
