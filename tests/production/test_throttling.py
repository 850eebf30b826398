"""API throttling against a real server: parallel clients, forged X-Forwarded-For, both stores.

Many threads send requests at once to the live server (a threaded WSGI server), each with a
forged first hop in ``X-Forwarded-For`` after which the trusted proxy appended the one real
client address: the 200s must be exactly the configured limit, whatever the forged hops, and
every other answer a 429 that says when to come back. Counted once in the per-process memory
cache and once in Redis. The window is a day long, so a run does not straddle two windows.
"""

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

LIMIT = 40
REQUESTS = 200


@pytest.fixture(params=["memory", "redis"])
def throttled(request, settings):
    """The anonymous rate set to LIMIT a day, behind one trusted proxy, counted in the store."""
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": request.getfixturevalue("redis_url"),
                # Keys of this run only; they expire with their window.
                "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            }
        }
    settings.TRUSTED_PROXIES = 1
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": f"{LIMIT}/day", "user": None},
    }


def fire(url: str, hops: list[str]) -> list[requests.Response]:
    """One GET per X-Forwarded-For value, from 16 threads at once."""
    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(lambda hop: requests.get(url, headers={"X-Forwarded-For": hop}), hops))


def test_parallel_requests_with_forged_hops_get_exactly_the_limit(throttled, live_server):
    forged = [f"198.51.100.{i % 250}, 203.0.113.7" for i in range(REQUESTS)]

    answers = fire(f"{live_server.url}/api/v1/", forged)

    statuses = [answer.status_code for answer in answers]
    assert statuses.count(200) == LIMIT
    assert statuses.count(429) == REQUESTS - LIMIT
    for answer in answers:
        assert int(answer.headers["RateLimit-Limit"]) == LIMIT
        assert 0 < int(answer.headers["RateLimit-Reset"]) <= 86400
        if answer.status_code == 429:
            assert answer.headers["RateLimit-Remaining"] == "0"
            assert answer.headers["Retry-After"] == answer.headers["RateLimit-Reset"]
    remaining = sorted(int(a.headers["RateLimit-Remaining"]) for a in answers if a.ok)
    assert remaining == list(range(LIMIT))
    # Another client behind the same proxy has a count of its own.
    other = requests.get(f"{live_server.url}/api/v1/", headers={"X-Forwarded-For": "203.0.113.8"})
    assert other.status_code == 200


def test_without_a_trusted_proxy_the_header_is_ignored(throttled, live_server, settings):
    """Every request comes from the live server's loopback address, whatever it claims."""
    settings.TRUSTED_PROXIES = 0
    hops = [f"203.0.113.{i}" for i in range(LIMIT + 5)]

    statuses = [answer.status_code for answer in fire(f"{live_server.url}/api/v1/", hops)]

    assert statuses.count(200) == LIMIT
