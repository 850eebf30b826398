"""What the database refuses reaches clients as the rule's own message on its field.

A race (two editors taking one slug, two counted claims of one figure) is only seen by the
database: one client's write waits on the other's uncommitted row, which validation could not
see, and fails once it commits. The answer is the 400 validation would have given, never the
database's text (constraint names, ids, PL/pgSQL context, SQL).

Its own module: the races commit for real (two connections).
"""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from tests.api.conftest import API, field_errors, member_of, token_client
from tests.api.test_records import ENDPOINTS
from tests.factories import make_delivery, make_trade, make_tranche
from tracker.models import Delivery, Party, Source, TradeRecord
from tracker.models.deliveries import TOO_EARLY

LEAKS = ("constraint", "tracker_", "CONTEXT", "PL/pgSQL", "DETAIL", "Key (", "SQL")

TRADE = {
    **next(endpoint.create for endpoint in ENDPOINTS if endpoint.path == "trade-records"),
    "counts_toward_totals": True,
}


def assert_no_leak(body: str) -> None:
    assert not [leak for leak in LEAKS if leak in body], body


def post_while_a_row_is_uncommitted(client, url: str, payload: dict, hold) -> object:
    """POST ``payload`` while another transaction holds, uncommitted, the row that ``hold``
    writes; commit it once the POST waits on it. Validation cannot see the row; the database
    refuses the POST once it is committed."""
    answers = []

    def post():
        try:
            answers.append(client.post(url, payload, format="json"))
        finally:
            connection.close()

    with transaction.atomic():
        hold()
        writer = threading.Thread(target=post)
        writer.start()
        wait_until_blocked(writer)
    writer.join()
    return answers[0]


def wait_until_blocked(writer: threading.Thread) -> None:
    """Until the writer's statement waits for a lock (on the row held uncommitted): a lock not
    granted to a session of this database (the server serves others too)."""
    with connection.cursor() as cursor:
        for _ in range(600):
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_locks JOIN pg_stat_activity USING (pid)"
                " WHERE NOT granted AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            writer.join(0.05)
    pytest.fail("the write never waited on the uncommitted row")


@pytest.fixture
def editor_api(reference_data):
    return token_client(member_of("Editors", "editor"))


def test_a_slug_taken_at_the_same_moment_is_a_400_on_the_slug(editor_api):
    refused = post_while_a_row_is_uncommitted(
        editor_api,
        f"{API}sources/",
        {"slug": "race", "title": "Second"},
        lambda: Source.objects.create(slug="race", title="First"),
    )

    assert refused.status_code == 400, refused.content
    assert field_errors(refused)["slug"] == ["Source with this Slug already exists."]
    assert_no_leak(refused.content.decode())
    assert Source.objects.get(slug="race").title == "First"


def test_a_second_counted_claim_at_the_same_moment_is_a_400_on_counts_toward_totals(
    editor_api,
):
    def first_claim():
        make_trade(
            1,
            period_start=dt.date(2019, 1, 1),
            period_end=dt.date(2019, 12, 31),
            flow="export",
            counts_toward_totals=True,
        )

    refused = post_while_a_row_is_uncommitted(
        editor_api, f"{API}trade-records/", TRADE, first_claim
    )

    assert refused.status_code == 400, refused.content
    assert field_errors(refused)["counts_toward_totals"] == [
        "Another claim of this figure already counts toward totals."
    ]
    assert_no_leak(refused.content.decode())
    assert not TradeRecord.objects.filter(slug=TRADE["slug"]).exists()


def test_an_order_date_after_a_delivered_tranche_is_a_400_on_the_order_date(editor_api):
    """The trigger's rule, said by validation as the admin says it, not as a 409."""
    delivery = make_delivery(1, ordered_on=dt.date(2018, 10, 5), ordered_precision="day")
    make_tranche(1, delivery=delivery, actual_date=dt.date(2019, 6, 1), actual_precision="month")
    url = f"{API}deliveries/{delivery.slug}/"
    tag = editor_api.get(url)["ETag"]

    refused = editor_api.patch(
        url, {"ordered": {"date": "2020-01-01", "precision": "day"}}, format="json",
        HTTP_IF_MATCH=tag,
    )  # fmt: skip

    assert refused.status_code == 400, refused.content
    assert field_errors(refused)["ordered"] == [TOO_EARLY]
    assert_no_leak(refused.content.decode())
    assert Delivery.objects.get(pk=delivery.pk).ordered_on == dt.date(2018, 10, 5)


def test_the_admin_shows_a_race_for_a_unique_code_on_its_field(reference_data, client):
    """The same race in the admin: the form again with the rule's message, not a 500."""
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("admin", password="a-long-password-9"))
    answers = []

    def add():
        try:
            answers.append(
                client.post("/admin/tracker/party/add/", {"code": "ZZZ", "name": "Second"})
            )
        finally:
            connection.close()

    with transaction.atomic():
        Party.objects.create(code="ZZZ", name="First")
        writer = threading.Thread(target=add)
        writer.start()
        wait_until_blocked(writer)
    writer.join()

    [refused] = answers
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors == {
        "code": ["Party with this Code already exists."]
    }
    assert Party.objects.get(code="ZZZ").name == "First"
