"""Reads that run on every request: compiled to SQL once, then run with each request's values.

Building a queryset and compiling it costs the ORM 0.2–0.5 ms a query, about what PostgreSQL
takes to run a small prepared statement (the citations of 100 events: 0.36 ms). For reads
such as a page's children or one history table of the changes feed, the shape never
changes, only the values do. A ``CompiledQuery`` builds its queryset once, with a ``Bound``
placeholder wherever a value goes, compiles it once per database, and binds the values by
name on each run. The rows are the ones ``.values()`` or ``.values_list()`` would give (the
fields' converters are applied), and the query goes through Django's cursor like any other:
the router picks the database, and query logging and counting see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from django.db import connections
from django.db.models import Expression, Field, QuerySet
from django.db.models.query import ValuesIterable, ValuesListIterable

Adapt = Callable[[Any, Any], Any]


@dataclass(frozen=True)
class Slot:
    """A parameter of compiled SQL that each run fills in: ``adapt(value, connection)``."""

    name: str
    adapt: Adapt


class Bound(Expression):
    """A value given when a ``CompiledQuery`` runs, e.g.
    ``filter(history_date__gt=Bound("after", DateTimeField()))``; adapted as the field adapts
    its own values for the database."""

    def __init__(self, name: str, output_field: Field | None = None):
        super().__init__(output_field=output_field)
        self.name = name

    def slot(self, adapt: Adapt | None = None) -> Slot:
        if adapt is None:
            field = self.output_field

            def adapt(value, connection):
                return field.get_db_prep_value(value, connection)

        return Slot(self.name, adapt)

    def as_sql(self, compiler, connection):
        return "%s", [self.slot()]


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple
    #: What each column of a row is, for its converters.
    columns: list[Expression]
    #: Keys of each row for ``.values()``; None for ``.values_list()`` (tuples).
    names: list[str] | None


def _whole_number(value, connection) -> int:
    return int(value)


#: The bounds of a ``paged`` query's page, given on each run.
LIMIT, OFFSET = Slot("limit", _whole_number), Slot("offset", _whole_number)


class CompiledQuery:
    """A ``.values()`` or ``.values_list()`` queryset, built by ``build`` on first use.

    A ``paged`` query ends in ``LIMIT %s``, and ``OFFSET %s`` when the offset is not 0, filled
    in on each run from ``limit`` and ``offset``: one statement for every first page, and one
    for every page after an offset, where a sliced queryset would write its bounds into the
    SQL. A parameter for an offset of 0 is not free: PostgreSQL then costs the generic plan
    of the filtered timeline's page above a plan made for each run's values, and planned it
    again on every run (2.9 ms a run, against 1.1 ms without ``OFFSET``; scale-1 data set).
    """

    def __init__(self, build: Callable[[], QuerySet], *, paged: bool = False):
        self.build = build
        self.paged = paged
        self._queryset: QuerySet | None = None
        #: By database alias, and whether the page starts after an offset.
        self._statements: dict[tuple[str, bool], _Statement] = {}
        #: Each connection's converters of the columns, looked up on its first run.
        self._converters: WeakKeyDictionary = WeakKeyDictionary()

    def rows(self, **values) -> list:
        """The rows for these values of the query's ``Bound`` placeholders."""
        queryset = self.queryset
        alias = queryset.db  # asks the router on every run, as a queryset would
        statement = self.statement(alias, after_offset=self.paged and values["offset"] != 0)
        connection = connections[alias]
        params = [
            param.adapt(values[param.name], connection) if isinstance(param, Slot) else param
            for param in statement.params
        ]
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, params)
            rows = cursor.fetchall()
        rows = _converted(rows, self._converters_on(connection, statement), connection)
        if statement.names is None:
            return [tuple(row) for row in rows]
        names = statement.names
        return [dict(zip(names, row, strict=True)) for row in rows]

    @property
    def queryset(self) -> QuerySet:
        if self._queryset is None:
            queryset = self.build()
            if queryset._iterable_class not in (ValuesIterable, ValuesListIterable):
                raise TypeError("A CompiledQuery reads .values() or .values_list() rows.")
            if self.paged and queryset.query.is_sliced:
                raise TypeError("A paged CompiledQuery is given its page on each run, not a slice.")
            self._queryset = queryset
        return self._queryset

    def _converters_on(self, connection, statement: _Statement) -> list:
        """The converters of the statement's columns on ``connection``, which they are bound
        to (each thread has its own). Looking them up took 19 µs for the 30 columns of a page
        of events, on every run."""
        converters = self._converters.get(connection)
        if converters is None:
            converters = self._converters[connection] = _converters(statement.columns, connection)
        return converters

    def statement(self, alias: str, after_offset: bool = False) -> _Statement:
        """The SQL for database ``alias``, compiled on first use."""
        return self._statements.get((alias, after_offset)) or self._compile(alias, after_offset)

    def _compile(self, alias: str, after_offset: bool) -> _Statement:
        """Compile a copy of the query. Compiling adds the joins that an ordering across a
        relation needs and takes them back at the end; threads compile at once on their first
        requests, and on one shared query a thread took the joins back under another."""
        query = self.queryset.query.clone()
        compiler = query.get_compiler(alias)
        sql, params = compiler.as_sql(with_limits=not self.paged)
        if self.paged:
            sql, params = f"{sql} LIMIT %s", (*params, LIMIT)
        if after_offset:
            sql, params = f"{sql} OFFSET %s", (*params, OFFSET)
        columns = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        names = None
        if self.queryset._iterable_class is ValuesIterable:
            names = list(query.selected or [])
            names = names or [*query.extra_select, *query.values_select, *query.annotation_select]
        statement = _Statement(sql, tuple(params), columns, names)
        self._statements[alias, after_offset] = statement
        return statement


def _converters(columns: list[Expression], connection) -> list:
    """(index, converters, column) for each column that has converters on ``connection``,
    as the compiler would apply them (SQLite, for one, gives dates and decimals as text)."""
    return [
        (index, converters, column)
        for index, column in enumerate(columns)
        if (
            converters := connection.ops.get_db_converters(column)
            + column.get_db_converters(connection)
        )
    ]


def _converted(rows: list, converters: list, connection) -> list:
    """The rows with each column's converters applied."""
    if not converters:
        return rows
    converted = []
    for row in map(list, rows):
        for index, functions, column in converters:
            for convert in functions:
                row[index] = convert(row[index], column, connection)
        converted.append(row)
    return converted
