"""Pagination: a default and a maximum page size, and stable order on every page.

Records and sources are paged by number (``?page=``, with a total ``count``). Events and the
timeline, which grow without bound, are paged by cursor (``?cursor=`` from the ``next`` and
``previous`` links), so a deep page costs what the first page does.

Every page also gives its links in a ``Link`` header (RFC 8288: ``first``, ``prev``, ``next``,
and ``last`` when pages are numbered), for clients that follow links without reading bodies.
"""

from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import remove_query_param, replace_query_param

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class PageSizeMixin:
    """``?page_size=`` from 1 to ``MAX_PAGE_SIZE``, or a 400 naming it: DRF reads a size it
    cannot use as the default, or as the maximum, and says nothing."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    page_size_query_description = (
        f"Number of results per page (default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE})."
    )
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        text = request.query_params.get(self.page_size_query_param)
        if text is None:
            return self.page_size
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= self.max_page_size):
            message = f"Give a whole number from 1 to {self.max_page_size}."
            raise ValidationError({self.page_size_query_param: [message]})
        return int(text)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


def link_header(links: dict[str, str | None]) -> str:
    """A ``Link`` header value (RFC 8288) of the links given, by relation (None: left out)."""
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)


class LinkHeaderMixin:
    """The page's links in a ``Link`` header as well as in its body."""

    #: The query parameter that says which page; without it, the first.
    position_param = ""

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response["Link"] = link_header(self.page_links())
        return response

    def page_links(self) -> dict[str, str | None]:
        first = remove_query_param(self.request.build_absolute_uri(), self.position_param)
        return {"first": first, "prev": self.get_previous_link(), "next": self.get_next_link()}


class PageNumberPagination(LinkHeaderMixin, PageSizeMixin, pagination.PageNumberPagination):
    invalid_page_message = "Invalid page {page_number}: {message}."
    position_param = pagination.PageNumberPagination.page_query_param

    def page_links(self) -> dict[str, str | None]:
        last = self.page.paginator.num_pages
        url = self.request.build_absolute_uri()
        return {**super().page_links(), "last": replace_query_param(url, self.position_param, last)}


class TimelineCursorPagination(LinkHeaderMixin, PageSizeMixin, pagination.CursorPagination):
    """Chronological by default, finest precision first within a date; ties broken by id."""

    ordering = ("date", "precision", "id")
    position_param = pagination.CursorPagination.cursor_query_param
