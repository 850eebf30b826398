"""The tracker as it stood at a past time, rebuilt from the change history.

Every table of the tracker keeps its history (django-simple-history): a row per creation,
change and deletion, stamped with its time. Inside ``as_of(moment)`` each of those tables is
hidden behind a temporary view of the same name that holds each row as it last stood at
``moment``, rows deleted by then left out; a row that has no history at all (the parties and
sectors that migrations seed) is taken as it stands. Every read made inside (the selectors, the one
serializer of each record type, its related rows, the derived schedule of a delivery) then
answers as the tracker knew it at that time, and no second representation of the past has to
be kept in step with the present one.

Hand-written because no library serves it: simple-history rebuilds one model's rows at a time
(``as_of`` on its manager) and not the joins and prefetches of a representation.

- PostgreSQL looks an unqualified table name up in the session's temporary schema first, so the
  views take the tables' place without a change to any query.
- The views live in a transaction that is always rolled back: nothing is left behind on a
  pooled connection, and nothing can be written through them.
- ``search_path`` is set for that transaction: a statement prepared earlier on the connection,
  which named the tables, is then parsed again (PostgreSQL re-parses a prepared statement when
  the search path changes), and one prepared inside is parsed again afterwards.
"""

import contextlib
import datetime as dt
import functools

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction


@functools.cache
def historied_models() -> tuple[type, ...]:
    """The tracker's models that keep a history table."""
    models = apps.get_app_config("tracker").get_models()
    return tuple(model for model in models if hasattr(model, "history"))


def view_sql(model, moment: dt.datetime, schema: str, quote) -> str:
    """``CREATE TEMPORARY VIEW <table>``: its rows as they stood at ``moment``, and those
    without history as they stand (in the table, named with its ``schema``)."""
    history = quote(model.history.model._meta.db_table)
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in model._meta.concrete_fields)
    pk = quote(model._meta.pk.column)
    # A literal: a view's definition takes no parameters. An aware datetime's isoformat.
    at = f"'{moment.isoformat()}'::timestamptz"
    return (
        f"CREATE TEMPORARY VIEW {table} AS SELECT {columns} FROM ("
        f"SELECT DISTINCT ON ({pk}) * FROM {history} WHERE history_date <= {at}"
        f" ORDER BY {pk}, history_date DESC, history_id DESC) AS latest"
        " WHERE history_type <> '-'"
        f" UNION ALL SELECT {columns} FROM {quote(schema)}.{table} AS live"
        f" WHERE NOT EXISTS (SELECT FROM {history} AS h WHERE h.{pk} = live.{pk})"
    )


@contextlib.contextmanager
def as_of(moment: dt.datetime, using: str = DEFAULT_DB_ALIAS):
    """Reads inside see the tracker as it stood at ``moment`` (an aware datetime).

    On the primary (the router sends the reads of an open transaction there): a replica in
    recovery cannot create the views.
    """
    if moment.tzinfo is None:
        raise ValueError("as_of needs an aware datetime.")
    connection = connections[using]
    quote = connection.ops.quote_name
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_schema(), current_setting('search_path')")
            schema, path = cursor.fetchone()
            cursor.execute("SELECT set_config('search_path', %s, true)", [f"pg_temp, {path}"])
            for model in historied_models():
                cursor.execute(view_sql(model, moment, schema, quote))
        try:
            yield
        finally:
            transaction.set_rollback(True, using=using)
