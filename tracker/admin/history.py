"""Showing the changes of derived fields (a delivery's schedule) on the history page."""

import itertools

from simple_history.models import ModelChange, ModelDelta

#: Bookkeeping columns that change on every save and tell an editor nothing.
BOOKKEEPING = {"created_at", "updated_at"}


def derived_changes(newer, older) -> list[ModelChange]:
    """Changes to the fields that editors do not edit (a delivery's derived schedule).

    ``diff_against`` compares editable fields only; these are the rest of what was stored.
    """
    return [
        ModelChange(field.name, getattr(older, field.attname), getattr(newer, field.attname))
        for field in newer.tracked_fields
        if not (field.editable or field.primary_key or field.name in BOOKKEEPING)
        and getattr(older, field.attname) != getattr(newer, field.attname)
    ]


def add_derived_changes(helper_for, records) -> None:
    """Append derived-field changes to the ``history_delta_changes`` the admin shows."""
    for newer, older in itertools.pairwise(records):
        changes = derived_changes(newer, older)
        if changes:
            delta = ModelDelta(changes, [c.field for c in changes], older, newer)
            shown = helper_for(newer).context_for_delta_changes(delta)
            newer.history_delta_changes = [*getattr(newer, "history_delta_changes", []), *shown]
