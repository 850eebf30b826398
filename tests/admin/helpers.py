"""Assertions on the change history, shared by the admin, API and command tests."""

from django.db import models


def history_changes(obj: models.Model, index: int = 0) -> dict[str, tuple]:
    """Field → (old, new) of the ``index``-th latest history entry of ``obj`` (0 = latest)."""
    entries = list(obj.history.order_by("-history_date", "-history_id")[index : index + 2])
    assert len(entries) == 2, f"{obj!r} has no earlier history entry to compare with"
    newer, older = entries
    return {
        field.name: (getattr(older, field.attname), getattr(newer, field.attname))
        for field in newer.tracked_fields
        if getattr(older, field.attname) != getattr(newer, field.attname)
    }


def assert_history_change(obj: models.Model, field: str, old, new, user=None, index: int = 0):
    """The history of ``obj`` records that ``field`` went from ``old`` to ``new`` (by ``user``).

    ``user=None`` does not check who made the change; pass ``False`` to require that no user
    is recorded (a script or a command made it).
    """
    changes = history_changes(obj, index)
    assert field in changes, f"{field} did not change; changed: {sorted(changes)}"
    assert changes[field] == (old, new), f"{field}: {changes[field]} != {(old, new)}"
    entry = obj.history.order_by("-history_date", "-history_id")[index]
    if user is False:
        assert entry.history_user is None, f"made by {entry.history_user}, expected no user"
    elif user is not None:
        assert entry.history_user == user, f"made by {entry.history_user}, expected {user}"
    return entry


def _field_value(value):
    if value is True:
        return "on"
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def form_data(response) -> dict:
    """The POST data an unchanged submission of an admin add or change page would send."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        forms += formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value not in (None, False, ""):
                data[form.add_prefix(name)] = _field_value(value)
    return data


def add_inline_rows(data: dict, prefix: str, rows: list[dict]) -> dict:
    """``data`` with ``rows`` appended to the inline formset ``prefix``."""
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        data.update({f"{prefix}-{start + offset}-{key}": value for key, value in row.items()})
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(rows))
    return data
