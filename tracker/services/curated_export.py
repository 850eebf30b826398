"""Write the database back in the format of the curated data set (``manage.py export_curated``),
so that editors' work can be reviewed and versioned like the fixtures it started from.

The files are the ones ``curated_load`` reads (``FILES``), written as the shipped ones are
(``json.dumps`` with an indent of 2, characters as they are, a final newline):

- items in the order their rows were created, which is the order of the file a fresh load
  read; so loading an export into an empty database and exporting again gives the same files,
  and a record an editor added comes last, where a diff shows it;
- fields in ``SPECS`` order, each left out where it holds its empty default (``missing``:
  ``""``, ``false``, ``[]``, ``null``), since the loader gives a left-out field its default;
- references by natural key (a source's slug, a party's code), dates at their precision
  (``"2026"``, ``"2025-Q4"``, ``"2024-11"``, ``"2025-12-01"``), decimals as JSON numbers;
- nested lists in ``NESTED`` order: parties, related agreements, citations, tranches, events.

A "delivered in part" event is not written: its tranche is, and writes it again on load. An
event needs a ``key`` to be found again by the next load; one an editor added without a key is
given one here (from its record and title) and saved, so that the exported files load back
onto the rows they came from. Each source's archived text, as ``source_text`` reads it, is
written to ``sources/<archive_name>``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils.text import slugify

from ..models import (
    Agreement,
    AgreementParty,
    AgreementRelation,
    Citation,
    Party,
    Sector,
    Source,
    TimelineEvent,
    Tranche,
)
from ..models.events import EVENT_RECORDS
from .citations import source_text
from .curated import (
    DAY,
    FILES,
    NESTED,
    PLAIN,
    PRECISE,
    SPECS,
    TARGET_FIELD,
    Ref,
    missing,
    precise_text,
)

KEY_REASON = "Key given for export_curated"
#: The longest key made for an event (the field holds 120 characters, with room for "-2").
KEY_LENGTH = 110


def curated_export(*, to: Path) -> dict[str, int]:
    """Write every fixture file and archived text to ``to``; returns the items per file."""
    with transaction.atomic():
        give_event_keys()
        writer = _Writer()
        files = {name: writer.items(model) for name, model in FILES}
    to.mkdir(parents=True, exist_ok=True)
    for name, items in files.items():
        (to / name).write_text(dumps(items), encoding="utf-8")
    texts = to / "sources"
    for source in Source.objects.exclude(archive_name="").order_by("pk"):
        text = source_text(source)
        if text is not None:
            texts.mkdir(exist_ok=True)
            (texts / source.archive_name).write_text(text, encoding="utf-8")
    return {name: len(items) for name, items in files.items()}


def dumps(items: list[dict]) -> str:
    """A fixture file's text, formatted as the shipped files are."""
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def give_event_keys() -> None:
    """Give each event an editor added without a key one made from its record and title
    ("s-400-triumf-remaining-regiments-delivered"), unique, and save it."""
    keyless = TimelineEvent.objects.filter(key__isnull=True, tranche__isnull=True).order_by("pk")
    taken = set(TimelineEvent.objects.exclude(key=None).values_list("key", flat=True))
    for event in keyless.select_related(*EVENT_RECORDS):
        owner = event.record
        base = slugify(f"{owner.slug if owner else ''} {event.title}")[:KEY_LENGTH].strip("-")
        key, number = base or "event", 1
        while key in taken:
            number += 1
            key = f"{base}-{number}"
        taken.add(key)
        event.key = key
        event._change_reason = KEY_REASON
        event.save(update_fields=["key", "updated_at"])


class _Writer:
    """Turns rows into fixture items; reads each table once."""

    def __init__(self) -> None:
        self.keys: dict[type[models.Model], dict[int, str]] = {
            Party: dict(Party.objects.values_list("pk", "code")),
            Sector: dict(Sector.objects.values_list("pk", "slug")),
            Source: dict(Source.objects.values_list("pk", "slug")),
            Agreement: dict(Agreement.objects.values_list("pk", "slug")),
        }
        self.citations = _grouped(Citation.objects.all(), TARGET_FIELD.values())
        self.events = _grouped(TimelineEvent.objects.filter(tranche__isnull=True), EVENT_RECORDS)
        self.tranches = _grouped(Tranche.objects.all(), ["delivery"])
        self.parties = _grouped(AgreementParty.objects.all(), ["agreement"])
        self.related = _grouped(AgreementRelation.objects.all(), ["from_agreement"])

    def items(self, model) -> list[dict]:
        if model is TimelineEvent:
            return [self.item(event) for event in self.events[("", None)]]
        return [self.item(row) for row in model.objects.order_by("pk")]

    def item(self, row: models.Model) -> dict[str, Any]:
        model = type(row)
        item = {}
        for name, kind in SPECS[model].items():
            value = self.value(row, name, kind)
            if not _left_out(model, name, value):
                item[name] = value
        for name, value in self.nested(row).items():
            if value:
                item[name] = value
        return item

    def nested(self, row: models.Model) -> dict[str, list]:
        """The lists nested in a record's or an event's item, by fixture key."""
        model = type(row)
        target = TARGET_FIELD.get(model)
        lists = {
            "parties": (self.parties, "agreement", self.item),
            "related": (self.related, "from_agreement", self.relation),
            "citations": (self.citations, target, self.item),
            "tranches": (self.tranches, "delivery", self.item),
            "events": (self.events, target, self.item),
        }
        return {
            name: [write(child) for child in grouped.get((parent, row.pk), [])]
            for name, (grouped, parent, write) in lists.items()
            if model in NESTED[name]
        }

    def relation(self, relation: AgreementRelation) -> dict:
        return {"to": self.keys[Agreement][relation.to_agreement_id], "kind": relation.kind}

    def value(self, row: models.Model, name: str, kind) -> Any:
        if isinstance(kind, Ref):
            pk = getattr(row, f"{name}_id")
            return None if pk is None else self.keys[kind.model][pk]
        value = getattr(row, name)
        if value is None:
            return None
        if kind == PRECISE:
            return precise_text(value, row.precise(name).precision)
        if kind == DAY:
            return value.isoformat()
        return _number(value) if isinstance(value, Decimal) else value


def _grouped(rows, parents) -> dict[tuple[str, int | None], list]:
    """Rows by (parent, parent's id) for the first of ``parents`` each row has set, each list
    in the order the rows were created; rows with none under (``""``, None)."""
    grouped = defaultdict(list)
    for row in rows.order_by("pk"):
        parent = next((name for name in parents if getattr(row, f"{name}_id") is not None), "")
        grouped[(parent, getattr(row, f"{parent}_id") if parent else None)].append(row)
    return grouped


def _left_out(model, name: str, value: Any) -> bool:
    """A field is left out of its item where it holds an empty value that is its default."""
    empty = value is None or value is False or (isinstance(value, str | list) and not value)
    return empty and (SPECS[model][name] != PLAIN or value == missing(model, name))


def _number(value: Decimal) -> int | float | str:
    """A decimal as JSON writes a number: ``Decimal("5.4300")`` as 5.43. A value a float
    cannot carry exactly stays a string, which the loader reads as the same decimal."""
    value = value.normalize()
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else str(value)
