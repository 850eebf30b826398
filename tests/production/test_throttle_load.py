"""A short form of the throttling load run (bench/throttle.py): wrk against gunicorn.

The production server (``manage.py serve``: gunicorn's workers, ``DEBUG=0``, counters in
Redis, one trusted proxy) on the test database, loaded for a few seconds by wrk with a forged
first hop on every request: the 200s stay within the limit, every other answer is a 429 with
``Retry-After`` and the RateLimit fields, and no request fails.
"""

import shutil
import sys

import pytest
from django.conf import settings
from django.db import connection

from bench import servers, throttle
from tests.devserver import database_url

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("wrk"), reason="needs wrk (apt-get install wrk)"),
]
LIMIT = 30


def test_under_load_the_200s_stay_within_the_limit_and_nothing_fails(redis_url):
    port = servers.free_port()
    test_database = database_url(connection.settings_dict["NAME"])
    env = throttle.throttled_env(test_database, port, LIMIT, redis_url)
    env["WEB_CONCURRENCY"] = "2"
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "manage.py", "serve", "--no-migrate", "--no-collectstatic"]

    with servers.serving(command, env, f"{base}/livez", root=settings.BASE_DIR):
        run = throttle.load(base + throttle.PATH, connections=16, seconds=4)

    assert throttle.verdict(run, LIMIT) == []
    assert run["statuses"][200] >= LIMIT  # the server kept up: the limit was reached
    assert run["statuses"][429] > 0
