"""The app rides through a PostgreSQL restart under load, without being restarted itself.

A throwaway cluster serves a production app server (gunicorn, psycopg pool with health
checks). Reader and writer threads keep it busy while the cluster restarts. Then: requests
failed only around the restart, the app answered within 5 s of the database being back, and
every write it acknowledged is in the database.
"""

import time

import pytest

from .load import Load

pytestmark = pytest.mark.cluster

RECOVERY_LIMIT = 5.0


def test_app_rides_through_a_postgresql_restart(clusters, app_servers):
    primary = clusters.primary()
    app = app_servers(primary.url(), "--no-collectstatic", DATABASE_POOL_TIMEOUT="10")
    load = Load(app.base, app.editor_token())
    load.start()
    try:
        time.sleep(3)
        down = time.monotonic()
        primary.restart()  # pg_ctl -w: returns once the server accepts connections again
        back = time.monotonic()
        time.sleep(RECOVERY_LIMIT + 3)
    finally:
        load.stop()

    outcomes = load.outcomes
    failed = [o for o in outcomes if not o.ok]
    recovered_at = min(o.ended for o in outcomes if o.ok and o.ended >= back)
    print(
        f"\nrequests: {len(outcomes)} ({sum(o.ok for o in outcomes)} ok, {len(failed)} failed); "
        f"restart took {back - down:.2f} s; app answered {recovered_at - back:.2f} s after the "
        f"database was back; {len(load.acknowledged_writes())} writes acknowledged; "
        f"failures (kind, HTTP status, seconds after the restart began): "
        f"{[(o.kind, o.status, round(o.ended - down, 2)) for o in failed]}"
    )
    assert all(o.ended >= down and o.started <= back + RECOVERY_LIMIT for o in failed), (
        "a request failed outside the restart window"
    )
    assert recovered_at - back <= RECOVERY_LIMIT
    after = [o for o in outcomes if o.started > back + RECOVERY_LIMIT]
    assert {o.kind for o in after if o.ok} == {"read", "write"}, "reads and writes work again"

    with primary.connect() as connection:
        stored = {
            row[0]
            for row in connection.execute(
                "SELECT slug FROM tracker_source WHERE slug = ANY(%s)",
                [list(load.acknowledged_writes())],
            )
        }
    assert stored == load.acknowledged_writes(), "an acknowledged write was lost"
