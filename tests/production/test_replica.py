"""Reads go to a real streaming replica, writes to the primary, and writers read their writes.

The replica is made with ``pg_basebackup -R`` from a throwaway primary. To tell which server
answered a read, replay on the replica is paused: a row written since then exists on the
primary only, so a client that finds it read the primary and one that does not read the
replica.
"""

import time

import pytest
import requests

from .load import SOURCES

pytestmark = pytest.mark.cluster

PIN_SECONDS = 3


def wait_for(condition, timeout: float = 20, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out: {message}")
        time.sleep(0.1)


def has_source(connection, slug: str) -> bool:
    row = connection.execute("SELECT count(*) FROM tracker_source WHERE slug = %s", [slug])
    return row.fetchone()[0] == 1


class Client:
    """An API client with its own cookie jar, as two separate browsers or scripts would be."""

    def __init__(self, base: str, token: str):
        self.base = base
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Token {token}"

    def write(self, slug: str) -> requests.Response:
        return self.session.post(
            f"{self.base}{SOURCES}", json={"slug": slug, "title": slug}, timeout=20
        )

    def sees(self, slug: str) -> bool:
        status = self.session.get(f"{self.base}{SOURCES}{slug}/", timeout=20).status_code
        assert status in (200, 404)
        return status == 200


def test_reads_go_to_the_replica_writes_to_the_primary(clusters, app_servers):
    primary = clusters.primary()
    replica = clusters.replica_of(primary)
    app = app_servers(
        primary.url(),
        "--no-collectstatic",
        DATABASE_REPLICA_URLS=replica.url(),
        READ_YOUR_WRITES_SECONDS=str(PIN_SECONDS),
    )
    health = requests.get(f"{app.base}/healthz", timeout=10).json()["databases"]
    assert health["default"]["in_recovery"] is False
    assert health["replica1"]["in_recovery"] is True

    token = app.editor_token()
    writer, reader = Client(app.base, token), Client(app.base, token)
    with primary.connect() as on_primary, replica.connect() as on_replica:
        wait_for(lambda: has_token(on_replica, token), message="replica catches up")
        on_replica.execute("SELECT pg_wal_replay_pause()")

        assert writer.write("written-while-paused").status_code == 201
        assert has_source(on_primary, "written-while-paused"), "the write went to the primary"
        assert not has_source(on_replica, "written-while-paused")
        assert writer.sees("written-while-paused"), "the writer reads its own write"
        assert not reader.sees("written-while-paused"), "other clients read the replica"

        time.sleep(PIN_SECONDS + 0.5)
        assert not writer.sees("written-while-paused"), "the writer is back on the replica"

        on_replica.execute("SELECT pg_wal_replay_resume()")
        wait_for(lambda: reader.sees("written-while-paused"), message="replica replays the write")
        writer.session.close()
        reader.session.close()
        print(
            "\nreplica: writes on the primary; the writer read its write at once; another "
            "client read the paused replica and saw it after replay resumed"
        )


def has_token(connection, key: str) -> bool:
    row = connection.execute("SELECT count(*) FROM authtoken_token WHERE key = %s", [key])
    return row.fetchone()[0] == 1
