"""Two identical creates with one ``Idempotency-Key`` at the same moment make one record.

Its own module: the test commits for real (two threads, two connections), so it must not share
a module with tests that hold the curated data in an open transaction.
"""

import threading

from django.db import connection

from tests.api.conftest import API, member_of, token_client
from tracker.models import TimelineEvent

EVENT = {"kind": "raised", "title": "Raced", "date": {"date": "2025-11-01", "precision": "month"}}


def test_two_concurrent_creates_with_one_key_make_one_record(reference_data):
    client = token_client(member_of("Editors", "racer"))
    start, results = threading.Barrier(2), {}

    def create(i):
        try:
            start.wait()
            results[i] = client.post(
                f"{API}events/", EVENT, format="json", HTTP_IDEMPOTENCY_KEY="race"
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [results[i].status_code for i in range(2)] == [201, 201]
    assert results[0].json() == results[1].json()
    assert TimelineEvent.objects.filter(title="Raced").count() == 1
