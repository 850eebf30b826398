"""The main filters use indexes: no sequential scan of the events or the trade records.

The synthetic data set is generated once for the module and analysed, so the planner sees
realistic sizes and selectivity; the querysets are the ones the API runs.
"""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from bench.synthetic import generate
from tracker.api.filtersets import EventFilterSet
from tracker.selectors.deliveries import delivery_schedules, late_deliveries
from tracker.selectors.search import CANDIDATES, search
from tracker.selectors.timeline import event_list
from tracker.selectors.trade import summary_records

from ..api.conftest import API

#: 10,000 events and 20,000 trade records: enough for the planner to prefer an index.
SCALE = 0.02


@pytest.fixture(scope="module")
def dataset(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        generate(SCALE, 1)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        yield
        transaction.set_rollback(True)


def plan(queryset) -> str:
    return queryset.explain()


def sql_plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(line for (line,) in cursor.fetchall())


def test_the_timeline_filtered_by_dates_and_kind_reads_an_index(dataset, db):
    data = {"date_from": "2010-01-01", "date_to": "2011-12-31", "kind": ["meeting"]}
    events = EventFilterSet(data, queryset=event_list()).qs[:101]

    assert events.count() > 0
    assert "Seq Scan on tracker_timelineevent" not in plan(events)


def test_the_trade_summary_reads_an_index(dataset, db):
    records = summary_records({})  # the one the API reads

    assert records.exists()
    assert "Seq Scan on tracker_traderecord" not in plan(records)


@pytest.mark.parametrize(
    ("path", "index"),
    [("trade-records/", "trade_list_idx"), ("deliveries/", "delivery_title_idx")],
)
def test_a_list_in_its_default_order_is_read_from_an_index_and_counted_alone(
    dataset, db, path, index
):
    with CaptureQueriesContext(connection) as queries:
        response = APIClient().get(f"{API}{path}?page_size=100")

    assert response.status_code == 200
    count, page = queries.captured_queries[:2]
    assert count["sql"].startswith("SELECT COUNT(*)")
    assert "JOIN" not in count["sql"]
    page_plan = sql_plan(page["sql"])
    assert index in page_plan
    assert "Sort" not in page_plan


@pytest.mark.parametrize("ordering", ["-value", "value"])
def test_trade_records_in_order_of_value_are_read_from_its_index(dataset, db, ordering):
    """The largest (or smallest) figures first: the value index read in its order, ties sorted
    by id within a value, instead of a sort of every record."""
    with CaptureQueriesContext(connection) as queries:
        response = APIClient().get(f"{API}trade-records/?ordering={ordering}&page_size=100")

    assert response.status_code == 200
    values = [Decimal(record["value"]) for record in response.json()["results"]]
    assert values == sorted(values, reverse=ordering.startswith("-"))
    page_plan = sql_plan(queries.captured_queries[1]["sql"])
    assert "trade_value_idx" in page_plan
    assert "Seq Scan on tracker_traderecord" not in page_plan


@pytest.mark.parametrize(
    ("path", "link"),
    [("trade-records/", "trade_record"), ("deliveries/", "delivery"), ("events/", "event")],
)
def test_the_citations_of_a_page_are_read_from_the_index_of_set_links(dataset, db, path, link):
    """Each citation link is indexed only where set; a page's citations still use it."""
    with CaptureQueriesContext(connection) as queries:
        response = APIClient().get(f"{API}{path}?page_size=100")

    assert response.status_code == 200
    by_link = f'WHERE "tracker_citation"."{link}_id"'
    (citations,) = [q["sql"] for q in queries.captured_queries if by_link in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    citation_plan = sql_plan(citations)
    assert f"citation_{link}_idx" in citation_plan


def rows_read(node: dict, table: str) -> int:
    """Rows a plan (``EXPLAIN (ANALYZE, FORMAT JSON)``) read from ``table``, over all loops."""
    own = node["Actual Rows"] * node["Actual Loops"] if node.get("Relation Name") == table else 0
    return own + sum(rows_read(child, table) for child in node.get("Plans", []))


def test_a_search_ranks_only_its_candidates_not_every_quote(dataset, db):
    """A common word's quotes are ranked among the first ``CANDIDATES`` matches: the ranking
    statement reads those rows by id, however many quotes the table holds."""
    with CaptureQueriesContext(connection) as queries:
        search("missile")
    statements = [query["sql"] for query in queries.captured_queries]
    ranking = [sql for sql in statements if "ts_rank" in sql and "tracker_citation" in sql][-1]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {ranking}")
        [[plan_json]] = cursor.fetchall()
        cursor.execute("SELECT count(*) FROM tracker_citation")
        [[quotes]] = cursor.fetchall()
    assert quotes > 10 * CANDIDATES
    assert rows_read(plan_json[0]["Plan"], "tracker_citation") <= CANDIDATES


def test_the_most_slipped_deliveries_are_read_from_an_index(dataset, db):
    """The board's late deliveries and its chart, most slipped first: read in that order from
    an index and cut, not every delivery sorted."""
    today = timezone.localdate()
    for queryset in (late_deliveries(today)[:50], delivery_schedules()):
        assert "delivery_slipped_idx" in plan(queryset)
