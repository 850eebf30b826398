"""The statements behind a page: the same text whatever the page size or the ids it asks for.

On PostgreSQL a page's size and offset are parameters, not literals, and a page's children
are fetched with one array of parent ids (``parent_id__any``). Statements then repeat
exactly, so the prepared ones are reused, and PostgreSQL can settle on one plan for them.
"""

import pytest
from django.db import connection

from tracker.models import Citation, TimelineEvent

from .conftest import API

pytestmark = pytest.mark.usefixtures("curated")


def cited_event_ids() -> list[int]:
    return sorted(set(Citation.objects.filter(event__isnull=False).values_list("event", flat=True)))


def test_any_finds_what_in_finds():
    ids = [*cited_event_ids()[::3], 10**9]  # and an id that does not exist
    assert len(ids) > 5

    found = Citation.objects.filter(event_id__any=ids).order_by("id")

    assert list(found) == list(Citation.objects.filter(event_id__in=ids).order_by("id"))


def test_any_of_nothing_finds_nothing():
    assert not Citation.objects.filter(event_id__any=[]).exists()


def test_any_is_one_array_parameter_on_postgresql():
    sql, params = Citation.objects.filter(event_id__any=[3, 1, 2]).query.sql_with_params()

    assert 'WHERE "tracker_citation"."event_id" = ANY(%s::bigint[])' in sql
    assert params == ([3, 1, 2],)


@pytest.mark.parametrize(
    ("page", "placeholders", "values"),
    [
        (slice(None, 7), "LIMIT %s", (7,)),
        (slice(5, 12), "LIMIT %s OFFSET %s", (7, 5)),
        (slice(5, None), "OFFSET %s", (5,)),
    ],
)
def test_limit_and_offset_are_parameters_on_postgresql(page, placeholders, values):
    events = TimelineEvent.objects.order_by("date", "precision", "id")
    sql, params = events[page].query.sql_with_params()

    assert sql.endswith(f" {placeholders}")
    assert params[-len(values) :] == values
    assert [e.pk for e in events[page]] == [e.pk for e in list(events)[page]]


def test_a_locking_page_keeps_its_literal_limit():
    """``FOR UPDATE`` follows the limit; such statements are left as Django writes them."""
    sql, _ = TimelineEvent.objects.select_for_update()[:3].query.sql_with_params()

    assert "LIMIT 3 FOR UPDATE" in sql


@pytest.mark.parametrize(
    ("query", "page_bounds"),
    [
        ({}, " LIMIT $1"),  # compiled once (EventRows); first pages have no offset
        ({"updated_since": "2000-01-01T00:00:00Z"}, " LIMIT $2"),  # and filtered
    ],
)
def test_pages_of_any_size_reuse_one_prepared_statement_per_query(client, query, page_bounds):
    """psycopg prepares a statement on its fifth run: six pages of six sizes get there only
    if their statements are the same text."""
    for size in range(2, 8):
        response = client.get(f"{API}timeline/", {**query, "page_size": size})
        assert len(response.json()["results"]) == size

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]

    events = [sql for sql in prepared if sql.startswith('SELECT "tracker_timelineevent"."id"')]
    citations = [sql for sql in prepared if 'FROM "tracker_citation"' in sql]
    assert len(events) == 1 and events[0].endswith(page_bounds)
    assert len(citations) == 1 and "= ANY($1::bigint[])" in citations[0]
