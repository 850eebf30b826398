"""Where a record is found: its address in the API and its page in the admin.

Events, citations, the changes feed and the front page name a record by its type
("trade_record") and its key (a slug, or an id for events); the admin names a model by Django's
name for it ("traderecord"). Every URL of a record is built from the view names here.
"""

from django.urls import reverse

#: Router basename of each type's API endpoints, by the name events and citations use for it.
BASENAMES = {
    "agreement": "agreement",
    "delivery": "delivery",
    "trade_record": "trade-record",
    "issue": "issue",
    "source": "source",
    "event": "event",
}


def api_view(record_type: str, action: str = "detail") -> str:
    """The API's view name for ``action`` ("detail", "list", "timeline") of a record type."""
    return f"api:{BASENAMES[record_type]}-{action}"


def api_path(record_type: str, key) -> str:
    """The path of a record's representation in the API."""
    return reverse(api_view(record_type), kwargs={"key": key})


def admin_view(model_name: str, action: str = "change") -> str:
    """The admin's view name for ``action`` ("change", "changelist", "history") of a model,
    named as Django does ("traderecord") or as a record type ("trade_record")."""
    return f"admin:tracker_{model_name.replace('_', '')}_{action}"


def admin_path(model, pk, action: str = "change") -> str:
    """The path of a row's page in the admin; ``model`` is the model or one of its rows."""
    return reverse(admin_view(model._meta.model_name, action), args=[pk])
