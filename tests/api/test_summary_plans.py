"""The trade summary's statements are planned once per connection, not on every run.

psycopg prepares a statement on its fifth run; PostgreSQL then keeps one plan for it (its
generic plan) when that plan is as good as one made for the values given. The summary reads
whole-goods figures through partial indexes (``WHERE hs_code = ''``): a generic plan can use
them only when the empty string is written into the statement (``hs_code__blank``), not sent
as a parameter. Each test asks PostgreSQL for the plan it would keep, with scans of whole
tables ruled out, so that only an index the plan can use appears in it.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection

from tracker.models import TradeRecord
from tracker.selectors.trade import official_figures, summary_records

from ..factories import import_release_file, make_trade


def kept_plan(statement, table: str) -> str:
    """The generic plan of ``statement`` (a queryset) once psycopg has prepared it, planned
    with scans of whole tables ruled out (a plan is kept from its first generic planning)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute("SET LOCAL enable_seqscan = off")
    for _ in range(settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"] + 1):
        list(statement.all())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, cardinality(parameter_types) FROM pg_prepared_statements "
            "WHERE statement LIKE %s",
            [f'%FROM "{table}"%'],
        )
        [(name, parameters)] = cursor.fetchall()
        arguments = f"({', '.join(['NULL'] * parameters)})" if parameters else ""
        cursor.execute(f'EXPLAIN EXECUTE "{name}"{arguments}')
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_trade_records_of_the_summary_are_read_through_the_whole_goods_index(db):
    for i in range(3):
        make_trade(i)
        make_trade(100 + i, slug=f"oil-{i}", commodity="crude oil", hs_code="2709")

    plan = kept_plan(summary_records({}), TradeRecord._meta.db_table)

    assert "trade_whole_goods_idx" in plan, plan


def test_the_official_figures_are_read_through_the_whole_goods_index(db, tmp_path):
    lines = [
        "2024-03,IND,RUS,import,,4000000000,USD,,,",
        "2024-03,IND,RUS,import,2709,3000000000,USD,9000000,t,",
    ]
    import_release_file(tmp_path, "march-2024", lines, dt.date(2024, 5, 15))

    plan = kept_plan(official_figures({}), "tracker_tradeobservation")

    assert "_whole_goods" in plan, plan


@pytest.mark.usefixtures("curated")
def test_blank_finds_what_the_empty_string_finds():
    records = TradeRecord.objects.order_by("id")
    assert records.filter(commodity="").exists() and records.exclude(commodity="").exists()

    assert list(records.filter(commodity__blank=True)) == list(records.filter(commodity=""))
    assert list(records.filter(commodity__blank=False)) == list(records.exclude(commodity=""))


def test_blank_takes_true_or_false_only(db):
    with pytest.raises(ValueError, match="blank lookup takes True or False"):
        list(TradeRecord.objects.filter(commodity__blank="no"))
