"""The CSV columns of each representation: flat, fixed, derived from its serializer's fields.

A spreadsheet or a data frame wants the same columns on every page, whatever the rows hold,
and one value a cell. So the columns come from the fields the JSON has, never from the data:

- a date object (``forecast``) gives ``forecast_date``, ``forecast_precision`` and
  ``forecast_display``, empty when the date is unknown (an event's ``old_date`` gives
  ``old_date``, ``old_precision`` and ``old_display``);
- a list of objects (``citations``, ``revisions``, ``tranches``) gives ``citations_count``;
  the objects themselves are at their own addresses (a delivery's revisions are the forecast
  revisions on its timeline);
- a list of values (``late``) gives one cell, the values joined by ``;``;
- an object (an event's ``record``) gives a column per field of it: ``record_type``, …;
- any other field, a column of its own name.

A method field whose value is an object names the serializer of that object in its
serializer's ``csv_shapes``. docs/api.md lists the columns (a test compares them).
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rest_framework import serializers

from .fields import PreciseDateField

#: The parts of a date object that become columns, in order.
DATE_PARTS = ("date", "precision", "display")
#: Between the values of a list of values in one cell.
VALUE_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    name: str
    #: The cell's value, from a row as the JSON has it.
    cell: Callable[[dict], object]


@functools.cache
def csv_columns(serializer_class: type[serializers.BaseSerializer]) -> tuple[Column, ...]:
    """The columns of a serializer's representation (worked out once per class)."""
    return tuple(columns_of(serializer_class()))


def columns_of(serializer: serializers.BaseSerializer) -> list[Column]:
    shapes = getattr(serializer, "csv_shapes", {})
    found = []
    for name, field in serializer.fields.items():
        shape = shapes.get(name)
        found += field_columns(name, shape() if shape else field)
    return found


def field_columns(name: str, field) -> list[Column]:
    if isinstance(field, PreciseDateField):
        return date_columns(name)
    if isinstance(field, serializers.ListSerializer):
        return [Column(f"{name}_count", lambda row: len(row.get(name) or ()))]
    if isinstance(field, serializers.ListField):
        return [Column(name, lambda row: VALUE_SEPARATOR.join(map(str, row.get(name) or ())))]
    if isinstance(field, serializers.BaseSerializer):
        return [
            Column(f"{name}_{inner.name}", within(name, inner.cell)) for inner in columns_of(field)
        ]
    return [Column(name, lambda row: row.get(name))]


def date_columns(name: str) -> list[Column]:
    """``forecast_date``, ``forecast_precision``, ``forecast_display``; a field already named
    for a date keeps its name: ``old_date`` gives ``old_date``, ``old_precision``, … and
    ``date`` gives ``date``, ``precision``, ``display``, as the model's columns are named."""
    stem = name.removesuffix("date").removesuffix("_")
    prefix = f"{stem}_" if stem else ""
    return [Column(f"{prefix}{part}", part_of(name, part)) for part in DATE_PARTS]


def part_of(name: str, part: str) -> Callable[[dict], object]:
    return lambda row: (row.get(name) or {}).get(part)


def within(name: str, cell: Callable[[dict], object]) -> Callable[[dict], object]:
    """A cell of the object under ``name`` (empty when it is null)."""
    return lambda row: None if row.get(name) is None else cell(row[name])


def table(columns: Iterable[Column], rows: Iterable[dict]) -> tuple[list[str], Iterable[list]]:
    """The header and the value rows of ``rows`` in ``columns``."""
    columns = list(columns)
    return [column.name for column in columns], (
        [column.cell(row) for column in columns] for row in rows
    )
