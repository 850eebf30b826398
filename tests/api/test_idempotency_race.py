"""Two identical creates with one ``Idempotency-Key`` at the same moment make one record.

Its own module: the test commits for real (two threads, two connections), so it must not share
a module with tests that hold the curated data in an open transaction.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection

from tests.api.conftest import API, member_of, token_client
from tracker.models import TimelineEvent

EVENT = {"kind": "raised", "title": "Raced", "date": {"date": "2025-11-01", "precision": "month"}}


def test_two_concurrent_creates_with_one_key_make_one_record(reference_data):
    client = token_client(member_of("Editors", "racer"))
    start = threading.Barrier(2)

    def create(_):
        start.wait()
        try:
            return client.post(f"{API}events/", EVENT, format="json", HTTP_IDEMPOTENCY_KEY="race")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(create, range(2))
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert TimelineEvent.objects.filter(title="Raced").count() == 1
