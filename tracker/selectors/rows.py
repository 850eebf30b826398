"""What a page shows of its rows, read in one statement of its own per shape.

A list page is chosen by the ORM (its filters, order and cursor), reading only the rows' keys;
what it shows of each row (its own columns and a column or two of each record it links to,
``agreement__slug``) is then read by a statement written once per shape from the models'
metadata and run with the page's ids as one array parameter. The ORM would build and compile
that statement, with its joins, on every request, for the same text each time.

Written by hand because the ORM has no public way to keep a compiled statement: the names
``.values()`` gives (``relation__field``, one level of relation) are all it needs to read.
"""

import functools

from django.db import connections, router


@functools.cache
def _rows_sql(model, columns: tuple[str, ...], key: str, alias: str) -> str:
    """``SELECT columns FROM model`` (a ``LEFT JOIN`` per relation named) ``WHERE key =
    ANY(array)``, ordered by the model's primary key."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    joins: dict[str, str] = {}

    def column(name: str) -> str:
        relation, _, field_name = name.rpartition("__")
        if not relation:
            return f"{table}.{quote(model._meta.get_field(name).column)}"
        link = model._meta.get_field(relation)
        related = link.related_model._meta
        joined = quote(relation)
        joins[relation] = (
            f"LEFT JOIN {quote(related.db_table)} AS {joined} "
            f"ON {joined}.{quote(related.pk.column)} = {table}.{quote(link.column)}"
        )
        return f"{joined}.{quote(related.get_field(field_name).column)}"

    select = ", ".join(column(name) for name in columns)
    key_field = model._meta.get_field(key)
    return (
        f"SELECT {select} FROM {table} {' '.join(joins.values())} "
        f"WHERE {table}.{quote(key_field.column)} = ANY(%s::{key_field.db_type(connection)}[]) "
        f"ORDER BY {table}.{quote(model._meta.pk.column)}"
    )


def rows_where(model, columns: tuple[str, ...], key: str, values: list) -> list[dict]:
    """The rows of ``model`` whose ``key`` is one of ``values``, as ``.values(*columns)``
    would give them, in the order of their primary key."""
    if not values:
        return []
    alias = router.db_for_read(model)
    with connections[alias].cursor() as cursor:
        cursor.execute(_rows_sql(model, columns, key, alias), [values])
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def rows_by_id(model, columns: tuple[str, ...], ids: list[int]) -> list[dict]:
    """The rows of ``model`` with these ids (``columns`` holding ``id``), in the ids' order."""
    by_id = {row["id"]: row for row in rows_where(model, columns, "id", ids)}
    return [by_id[pk] for pk in ids if pk in by_id]
