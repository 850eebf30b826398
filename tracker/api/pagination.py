"""Pagination: a default and a maximum page size, and stable order on every page.

Records and sources are paged by number (``?page=``, with a total ``count``). Events and the
timeline, which grow without bound, are paged by cursor (``?cursor=`` from the ``next`` and
``previous`` links), so a deep page costs what the first page does.
"""

from rest_framework import pagination

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    page_size_query_description = (
        f"Number of results per page (default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE})."
    )
    max_page_size = MAX_PAGE_SIZE


class TimelineCursorPagination(pagination.CursorPagination):
    """Chronological by default, finest precision first within a date; ties broken by id."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    page_size_query_description = PageNumberPagination.page_size_query_description
    max_page_size = MAX_PAGE_SIZE
    ordering = ("date", "precision", "id")
