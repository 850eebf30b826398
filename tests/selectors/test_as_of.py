"""``as_of``: reads inside see the tables as the change history had them at a time."""

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from tracker.models import Issue
from tracker.selectors.as_of import as_of

pytestmark = pytest.mark.usefixtures("curated")

SLUG = "indian-nationals-in-russian-army"
TITLE = "SELECT title FROM tracker_issue WHERE slug = %s"


def read_prepared(sql: str, params: list):
    """One row, through a statement psycopg prepares on the server (as it does on a
    statement's fifth run on a connection)."""
    return connection.connection.execute(sql, params, prepare=True).fetchone()


def test_statements_prepared_on_the_connection_read_the_past_inside(db):
    issue = Issue.objects.get(slug=SLUG)
    old_title, before = issue.title, timezone.now()
    with as_of(before):  # the session's temporary schema exists from now on
        pass
    issue.title = "Renamed"
    issue.save()
    connection.ensure_connection()
    assert read_prepared(TITLE, [SLUG]) == ("Renamed",)

    with as_of(before):
        assert read_prepared(TITLE, [SLUG]) == (old_title,)
        assert Issue.objects.get(slug=SLUG).title == old_title

    assert read_prepared(TITLE, [SLUG]) == ("Renamed",)


def test_nothing_can_be_written_and_nothing_is_left_behind(db):
    with pytest.raises(OperationalError, match="cannot update view"), as_of(timezone.now()):
        Issue.objects.update(title="x")
    assert not Issue.objects.filter(title="x").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_views WHERE schemaname LIKE 'pg_temp%%'")
        assert cursor.fetchone() == (0,)
