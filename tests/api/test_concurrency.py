"""Two writers with the same If-Match at the same moment: exactly one wins.

Its own module: the test commits for real (two threads, two connections), so it must not share
a module with tests that hold the curated data in an open transaction.
"""

import threading

from django.db import connection

from tests.api.conftest import API, etag, member_of, token_client
from tracker.models import Source


def test_two_concurrent_writers_with_the_same_etag(reference_data):
    """Two clients read, then write at the same moment with the same If-Match."""
    Source.objects.create(slug="race", title="Race")
    clients = [token_client(member_of("Editors", f"racer-{i}")) for i in range(2)]
    url = f"{API}sources/race/"
    tag = etag(clients[0], url)
    assert etag(clients[1], url) == tag
    start, results = threading.Barrier(2), {}

    def write(i):
        try:
            start.wait()
            results[i] = clients[i].patch(
                url, {"notes": f"writer {i}"}, format="json", HTTP_IF_MATCH=tag
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = {i: response.status_code for i, response in results.items()}
    assert sorted(statuses.values()) == [200, 412]
    winner = next(i for i, code in statuses.items() if code == 200)
    assert Source.objects.get(slug="race").notes == f"writer {winner}"
