"""Where a record is found: its address in the API and its page in the admin.

Events, citations, the changes feed and the front page name a record by its type
("trade_record") and its key (a slug, or an id for events); the admin names a model by Django's
name for it ("traderecord"). Every URL of a record is built from the view names here.
"""

import functools

from django.urls import get_script_prefix, get_urlconf, reverse

#: Router basename of each type's API endpoints, by the name events and citations use for it.
BASENAMES = {
    "agreement": "agreement",
    "delivery": "delivery",
    "trade_record": "trade-record",
    "issue": "issue",
    "source": "source",
    "event": "event",
    "trade_release": "trade-release",
    "citation": "citation",
}


def api_view(record_type: str, action: str = "detail") -> str:
    """The API's view name for ``action`` ("detail", "list", "timeline") of a record type."""
    return f"api:{BASENAMES[record_type]}-{action}"


def key_path(view_name: str, key) -> str:
    """The path of a view that takes a record's ``key``, from its pattern reversed once: a page
    links every row two or three times, and ``reverse`` is slow beside string formatting."""
    head, tail = path_around_key(view_name)
    return f"{head}{key}{tail}"


def path_around_key(view_name: str) -> tuple[str, str]:
    """A view's path before and after its ``key``, for the current script prefix and URL
    configuration."""
    return _path_around_key(view_name, get_script_prefix(), get_urlconf())


#: Stands for a record's key while a URL pattern is reversed.
_KEY_PLACEHOLDER = "9876543210"


@functools.lru_cache(maxsize=256)
def _path_around_key(view_name: str, script_prefix: str, urlconf) -> tuple[str, str]:
    """A view's path before and after its ``key``, for one script prefix and URL configuration."""
    path = reverse(view_name, kwargs={"key": _KEY_PLACEHOLDER}, urlconf=urlconf)
    head, tail = path.split(_KEY_PLACEHOLDER, 1)
    return head, tail


def api_path(record_type: str, key) -> str:
    """The path of a record's representation in the API."""
    return key_path(api_view(record_type), key)


def admin_view(model_name: str, action: str = "change") -> str:
    """The admin's view name for ``action`` ("change", "changelist", "history") of a model,
    named as Django does ("traderecord") or as a record type ("trade_record")."""
    return f"admin:tracker_{model_name.replace('_', '')}_{action}"


def admin_path(model, pk, action: str = "change") -> str:
    """The path of a row's page in the admin; ``model`` is the model or one of its rows."""
    return reverse(admin_view(model._meta.model_name, action), args=[pk])


# --- identifiers in feeds ------------------------------------------------------------------
# A feed reader or calendar keeps an entry by its identifier: the same entry reached through
# another address of the site (a proxy, a port, a new domain) must keep it, or subscribers see
# every entry twice. So identifiers name the tracker, never the host serving the request, and
# name a record by its id, which never changes (a slug can be renamed).

#: The tagging entity of the Atom feeds' ``tag:`` URIs (RFC 4151): a name and the year from
#: which it mints them.
TAG_AUTHORITY = "indoru,2025"
#: The right-hand side of the calendars' UIDs (RFC 5545 suggests ``id@domain``).
UID_DOMAIN = "indoru"


def identifier_part(record_type: str) -> str:
    """A record type as identifiers and addresses spell it: "trade-record"."""
    return record_type.replace("_", "-")


def tag_uri(*parts) -> str:
    """A ``tag:`` URI (RFC 4151) from path segments: ``tag:indoru,2025:delivery/12/event/42``."""
    return f"tag:{TAG_AUTHORITY}:{'/'.join(str(part) for part in parts)}"


def calendar_uid(*parts) -> str:
    """A calendar entry's UID from its parts: ``delivery-12-forecast@indoru``."""
    return f"{'-'.join(str(part) for part in parts)}@{UID_DOMAIN}"


#: Where each record type's public pages live: ``/deliveries/`` and ``/deliveries/<key>/``,
#: named ``pages:delivery-list`` and ``pages:delivery``.
PAGE_SEGMENTS = {
    "agreement": "agreements",
    "delivery": "deliveries",
    "trade_record": "trade-records",
    "issue": "issues",
    "source": "sources",
}


def page_path(record_type: str, key) -> str:
    """The path of a record's public page (``tracker.pages``)."""
    return key_path(f"pages:{record_type}", key)


def record_feed_path(record_type: str, key, extension: str) -> str:
    """A record's timeline as a feed: ``/api/v1/deliveries/<key>/timeline.ics`` (or
    ``.atom``), beside its timeline in the API (``…/timeline/``)."""
    return key_path(api_view(record_type, f"timeline-{extension}"), key)


def timeline_feed_path(extension: str, query: str = "") -> str:
    """The merged timeline as a feed, with the API timeline's filters in ``query``:
    ``/api/v1/timeline.ics?sector=defence``."""
    path = reverse(f"api:timeline-{extension}")
    return f"{path}?{query}" if query else path
