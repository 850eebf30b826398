"""Two writers with the same If-Match at the same moment: exactly one wins, the other gets 412.

Its own module: the test commits for real (two threads, two connections), so it must not share
a module with tests that hold the curated data in an open transaction.
"""

import threading

import pytest
from django.db import connection

from tests.api.conftest import API, etag, member_of, token_client
from tests.factories import make_delivery, make_event, make_issue, make_trade
from tracker.models import Source

TRIALS = 20


def race(clients, url: str, changes: list[dict]) -> list[int]:
    """Both clients read ``url``, then send their change at the same moment with that ETag;
    the statuses in the clients' order."""
    tag = etag(clients[0], url)
    assert etag(clients[1], url) == tag
    start, results = threading.Barrier(len(clients)), {}

    def write(i):
        try:
            start.wait()
            results[i] = clients[i].patch(url, changes[i], format="json", HTTP_IF_MATCH=tag)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [results[i].status_code for i in range(len(clients))]


@pytest.fixture
def racers(reference_data):
    return [token_client(member_of("Editors", f"racer-{i}")) for i in range(2)]


def test_two_concurrent_writers_with_the_same_etag(racers):
    """Two clients read, then write at the same moment with the same If-Match."""
    Source.objects.create(slug="race", title="Race")

    statuses = race(racers, f"{API}sources/race/", [{"notes": f"writer {i}"} for i in range(2)])

    assert sorted(statuses) == [200, 412]
    winner = statuses.index(200)
    assert Source.objects.get(slug="race").notes == f"writer {winner}"


def delivery_race():
    make_delivery(1)
    moves = [{"supplier": "USA"}, {"supplier": "FRA"}]
    return f"{API}deliveries/delivery-1/", moves, "summary"


def trade_race():
    make_trade(1)
    moves = [{"partner": "CHN"}, {"partner": "USA"}]
    return f"{API}trade-records/trade-1/", moves, "summary"


def event_race():
    """The event moves to another kind of record, and to another party."""
    event = make_event(1, issue=make_issue(12))
    moves = [
        {"issue": None, "delivery": make_delivery(10).slug, "party": "RUS"},
        {"delivery": None, "issue": make_issue(11).slug, "party": "CHN"},
    ]
    return f"{API}events/{event.pk}/", moves, "description"


@pytest.mark.parametrize("setup", [delivery_race, trade_race, event_race])
def test_a_foreign_key_change_racing_a_text_change_ends_in_one_200_and_one_412(racers, setup):
    """Each writer moves the record's foreign keys and changes its text. The row lock must
    not depend on the related rows the read joins: when the other writer moved a foreign key,
    the loser still finds its record, whole, and is told it changed."""
    url, moves, text = setup()
    outcomes = []
    for trial in range(TRIALS):
        changes = [{**moves[i], text: f"writer {i}, trial {trial}"} for i in range(2)]
        outcomes.append(sorted(race(racers, url, changes)))
    assert outcomes == [[200, 412]] * TRIALS
