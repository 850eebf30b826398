"""Times read through psycopg's loader are the values Django's own loader gives."""

import datetime as dt

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg.pq import Format

from tracker.loaders import TIMESTAMPTZ_OID, UtcTimestamptzLoader

TIMES = """
    SELECT t FROM (VALUES
        ('2025-12-04 10:20:30.123456+00'::timestamptz),
        ('2025-12-04 10:20:30+05:30'::timestamptz),
        ('0001-01-01 00:00:00+00'::timestamptz),
        ('9999-12-31 23:59:59.999999+00'::timestamptz),
        ('2024-02-29 23:59:59.5-11:00'::timestamptz),
        (NULL)
    ) AS times (t)
"""


@pytest.mark.django_db
def test_times_equal_djangos():
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        assert loader is UtcTimestamptzLoader
        cursor.execute(TIMES)
        ours = [t for (t,) in cursor.fetchall()]
    with connection.cursor() as cursor:
        register_tzloader(connection.timezone, cursor.cursor)
        cursor.execute(TIMES)
        djangos = [t for (t,) in cursor.fetchall()]
    assert ours == djangos
    assert [t and (t.isoformat(), t.utcoffset()) for t in ours] == [
        t and (t.isoformat(), t.utcoffset()) for t in djangos
    ]
    assert ours[1] == dt.datetime(2025, 12, 4, 4, 50, 30, tzinfo=dt.UTC)
    assert all(t.tzinfo is dt.UTC for t in ours[:-1])
