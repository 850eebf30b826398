"""Helpers for writing many rows at once without losing what the single-row paths give.

django-simple-history records a change when a model is saved one at a time; bulk loads bypass
``save()``, so they write the history rows themselves here, in one ``INSERT … SELECT`` per
table.
"""

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model
from django.utils import timezone

HISTORY_OWN_FIELDS = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
}


def record_history(
    model: type[Model], where: str, params: Sequence, history_type: str, reason: str
) -> int:
    """Copy the rows of ``model`` matching ``where`` into its history table; return how many.

    ``where`` is SQL on the model's table (e.g. ``"id > %s"``); ``history_type`` is ``+``
    (created) or ``~`` (changed), as simple-history writes them.
    """
    historical = model.history.model
    columns = [
        field.column
        for field in historical._meta.concrete_fields
        if field.name not in HISTORY_OWN_FIELDS
    ]
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    sql = (
        f"INSERT INTO {historical._meta.db_table} "
        f"({names}, history_date, history_type, history_change_reason) "
        f"SELECT {names}, %s, %s, %s FROM {model._meta.db_table} WHERE {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), history_type, reason[:100], *params])
        return cursor.rowcount


def max_id(model: type[Model]) -> int:
    """The highest primary key of ``model`` so far (0 for an empty table)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
        return cursor.fetchone()[0]


def copy_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Stream ``rows`` into ``model``'s table with PostgreSQL ``COPY … FROM STDIN``.

    Values go to psycopg as Python objects (dates, decimals, booleans, ``None``), so no
    per-field Django preparation runs; check constraints and triggers still fire per row.
    """
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {model._meta.db_table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def advance_id_sequence(model: type[Model]) -> None:
    """After rows were written with explicit ids, move the id sequence past the highest one."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)",
            [table],
        )


def insert_select(
    model: type[Model], expressions: dict[str, str], source: str, constants: dict | None = None
) -> tuple[str, list]:
    """``INSERT INTO <model's table> (…) SELECT … FROM source`` filling every column.

    ``expressions`` maps field names to SQL over ``source`` and ``constants`` field names to
    values; every other concrete field takes its default, so a field added to the model later
    needs no change here. A primary key not given is left to the database.
    """
    constants = constants or {}
    columns, values, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.name not in expressions | constants:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.name in expressions:
            values.append(expressions[field.name])
            continue
        value = constants[field.name] if field.name in constants else field.get_default()
        values.append("%s")
        params.append(field.get_db_prep_save(value, connection))
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {source}"
    )
    return sql, params
