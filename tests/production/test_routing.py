"""The replica router and the read-your-writes pin, without a replica (see test_replica.py
for the same against a real streaming replica)."""

import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import signing
from django.http import HttpResponse
from django.test import RequestFactory

from indoru import routers
from indoru.middleware import ReadYourWritesMiddleware
from tracker.models import Delivery

router = routers.PrimaryReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setitem(settings.DATABASES, "replica1", {"REPLICA": True})


def in_request(use_primary=False, wrote=False):
    return routers.request_state.set(routers.RequestState(use_primary, wrote))


def test_without_replicas_everything_goes_to_the_primary():
    assert router.db_for_read(Delivery) == "default"
    assert router.db_for_write(Delivery) == "default"


def test_reads_go_to_a_replica_and_writes_to_the_primary(with_replica):
    assert router.db_for_read(Delivery) == "replica1"
    assert router.db_for_write(Delivery) == "default"
    assert router.allow_migrate("default", "tracker")
    assert not router.allow_migrate("replica1", "tracker")


def test_a_pinned_request_reads_the_primary(with_replica):
    token = in_request(use_primary=True)
    try:
        assert router.db_for_read(Delivery) == "default"
    finally:
        routers.request_state.reset(token)


def test_reads_after_a_write_in_the_same_request_go_to_the_primary(with_replica):
    token = in_request()
    try:
        assert router.db_for_read(Delivery) == "replica1"
        router.db_for_write(Delivery)
        assert router.db_for_read(Delivery) == "default"
    finally:
        routers.request_state.reset(token)


def test_security_state_is_always_read_from_the_primary(with_replica):
    assert router.db_for_read(Session) == "default"


def run(request, writes=False):
    """Pass ``request`` through the middleware; return the response and the router state
    the view saw."""
    seen = {}

    def view(request):
        if writes:
            router.db_for_write(Delivery)
        seen["use_primary"] = routers.request_state.get().use_primary
        return HttpResponse()

    response = ReadYourWritesMiddleware(view)(request)
    return response, seen["use_primary"]


def test_a_writing_client_is_pinned_to_the_primary_for_a_while(with_replica, settings):
    factory = RequestFactory()
    response, pinned = run(factory.post("/api/v1/sources/"))
    assert pinned
    cookie = response.cookies[ReadYourWritesMiddleware.cookie_name]
    assert cookie["max-age"] == settings.READ_YOUR_WRITES_SECONDS and cookie["httponly"]

    factory.cookies[cookie.key] = cookie.value
    assert run(factory.get("/api/v1/sources/"))[1], "the next read goes to the primary"
    assert not run(RequestFactory().get("/api/v1/sources/"))[1], "other clients read replicas"


def test_a_get_that_writes_pins_the_client_too(with_replica):
    response, _ = run(RequestFactory().get("/admin/"), writes=True)
    assert ReadYourWritesMiddleware.cookie_name in response.cookies


@pytest.mark.parametrize(
    "make_value",
    [
        lambda: signing.get_cookie_signer(salt=ReadYourWritesMiddleware.salt).sign(
            f"{time.time() - 1}"
        ),
        lambda: f"{time.time() + 60}",  # unsigned
        lambda: "garbage",
    ],
    ids=["expired", "unsigned", "garbage"],
)
def test_expired_or_forged_pins_are_ignored(with_replica, make_value):
    value = make_value()
    factory = RequestFactory()
    factory.cookies[ReadYourWritesMiddleware.cookie_name] = value
    assert not run(factory.get("/api/v1/sources/"))[1]


def test_no_pin_cookie_without_replicas():
    response, _ = run(RequestFactory().post("/api/v1/sources/"))
    assert ReadYourWritesMiddleware.cookie_name not in response.cookies
