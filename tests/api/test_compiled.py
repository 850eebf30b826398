"""Queries compiled once and run with each request's values (``tracker.compiled``) give what
the ORM gives, and times load as Django loads them.

Run on PostgreSQL and on SQLite: on SQLite every date, time and decimal goes through the
fields' converters, so the rows also show those are applied.
"""

import datetime as dt
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.db.models import DateField
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import serializers

from indoru.postgresql.base import UTCTimestamptzLoader
from tracker.api.readplans import display_zone, iso_datetime
from tracker.compiled import Bound, CompiledQuery
from tracker.models import Citation, TimelineEvent, Tranche

pytestmark = pytest.mark.usefixtures("curated")

EVENT_ORDER = ("date", "precision", "id")
EVENT_COLUMNS = ("id", "date", "title", "created_at", "delivery__slug")


def events_after(day) -> list[dict]:
    events = TimelineEvent.objects.filter(date__gt=day).order_by(*EVENT_ORDER)
    return list(events.values(*EVENT_COLUMNS))


def compiled_events_after() -> CompiledQuery:
    return CompiledQuery(
        lambda: (
            TimelineEvent.objects.filter(date__gt=Bound("day", DateField()))
            .order_by(*EVENT_ORDER)
            .values(*EVENT_COLUMNS)
        )
    )


@pytest.mark.parametrize("day", [dt.date(1990, 1, 1), dt.date(2022, 2, 24), dt.date(2100, 1, 1)])
def test_rows_are_the_orms_for_each_value(day):
    assert compiled_events_after().rows(day=day) == events_after(day)


def test_one_build_one_statement_many_values():
    builds = []

    def build():
        builds.append(1)
        return compiled_events_after().build()

    query = CompiledQuery(build)
    days = [dt.date(2000, 1, 1), dt.date(2015, 6, 1), dt.date(2025, 1, 1)]
    with CaptureQueriesContext(connection) as queries:
        found = [query.rows(day=day) for day in days]

    assert found == [events_after(day) for day in days]
    assert len(builds) == 1
    assert len(queries) == 3


def test_a_bound_list_of_parent_ids_gives_tuples_as_values_list_does():
    ids = sorted(set(Citation.objects.filter(event__isnull=False).values_list("event", flat=True)))
    query = CompiledQuery(
        lambda: (
            Citation.objects.filter(event_id__any=Bound("ids"))
            .order_by("id")
            .values_list("id", "event_id", "source__title")
        )
    )
    in_orm = Citation.objects.filter(event_id__in=ids[::2]).order_by("id")

    assert query.rows(ids=ids[::2]) == list(in_orm.values_list("id", "event_id", "source__title"))
    assert query.rows(ids=[]) == []


@pytest.mark.parametrize(("limit", "offset"), [(5, 0), (3, 4), (1, 10_000), (100, 1)])
def test_a_paged_query_gives_each_page_from_one_statement(limit, offset):
    query = CompiledQuery(
        lambda: TimelineEvent.objects.order_by(*EVENT_ORDER).values(*EVENT_COLUMNS), paged=True
    )
    in_orm = TimelineEvent.objects.order_by(*EVENT_ORDER).values(*EVENT_COLUMNS)

    assert query.rows(limit=limit, offset=offset) == list(in_orm[offset : offset + limit])
    assert query.rows(limit=2, offset=0) == list(in_orm[:2])


def test_a_page_from_the_start_is_read_without_an_offset():
    query = CompiledQuery(lambda: TimelineEvent.objects.values("id").order_by("id"), paged=True)
    with CaptureQueriesContext(connection) as captured:
        query.rows(limit=2, offset=0)
        query.rows(limit=2, offset=3)
    first, later = (executed["sql"] for executed in captured.captured_queries)

    assert "OFFSET" not in first
    assert "OFFSET" in later


def test_a_paged_query_is_not_sliced():
    with pytest.raises(TypeError, match="slice"):
        CompiledQuery(lambda: TimelineEvent.objects.values("id")[:5], paged=True).rows()


def test_only_rows_of_values_can_be_compiled():
    with pytest.raises(TypeError, match="values"):
        CompiledQuery(lambda: TimelineEvent.objects.all()).rows()


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "Europe/Moscow"])
def test_times_are_written_as_drf_writes_them(zone):
    drf = serializers.DateTimeField()
    times = [*TimelineEvent.objects.values_list("created_at", flat=True)[:20]]
    times.append(dt.datetime(2025, 12, 1, 0, 0, tzinfo=dt.UTC))
    times.append(dt.datetime(1999, 2, 3, 4, 5, 6, 7, tzinfo=dt.timezone(dt.timedelta(hours=-3))))
    with timezone.override(zone):
        shown_in = display_zone()
        assert (shown_in is dt.UTC) == (zone == "UTC")  # the path that orjson writes
        assert [iso_datetime(t, shown_in) for t in times] == [
            drf.to_representation(t) for t in times
        ]


def test_times_load_as_djangos_loader_loads_them():
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    sql = "SELECT created_at, updated_at, %s::timestamptz FROM tracker_timelineevent ORDER BY id"
    params = ["2025-12-01 10:00:00.123456+03"]
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        cursor.execute(sql, params)
        ours = cursor.fetchall()
    with connection.cursor() as cursor:
        register_tzloader(dt.UTC, cursor.cursor)  # Django's own, on this cursor only
        cursor.execute(sql, params)
        djangos = cursor.fetchall()

    assert loader is UTCTimestamptzLoader
    assert ours == djangos
    assert ours[0][2] == dt.datetime(2025, 12, 1, 7, 0, 0, 123456, tzinfo=dt.UTC)
    assert {value.tzinfo for row in ours for value in row} == {dt.UTC}


def tranche_ids() -> CompiledQuery:
    """Ordered by delivery (``Tranche.Meta``), that is by the delivery's title: a join."""
    return CompiledQuery(lambda: Tranche.objects.values("id"))


def test_threads_compiling_one_query_at_once_each_get_the_whole_statement():
    """gunicorn's threads compile a query together on their first requests. Compiling adds the
    joins that an ordering across a relation needs and takes them back at the end: on a
    shared query, one thread took them back under another, whose statement then lacked the
    join ("missing FROM-clause entry")."""
    threads = 4
    expected = tranche_ids().statement(connection.alias).sql
    assert 'JOIN "tracker_delivery"' in expected  # the join that the race lost
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to meet the race
    try:
        for _round in range(50):
            query, start = tranche_ids(), threading.Barrier(threads)

            def compile_at_once(query=query, start=start) -> str:
                start.wait()
                return query.statement(connection.alias).sql

            with ThreadPoolExecutor(threads) as pool:
                found = [pool.submit(compile_at_once) for _ in range(threads)]
            assert {future.result() for future in found} == {expected}
    finally:
        sys.setswitchinterval(switch_interval)
