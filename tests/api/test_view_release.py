"""An API view and its response are freed when the request ends, not by the cyclic collector."""

import gc
import io

import pytest
from django.test.client import ClientHandler
from rest_framework.response import Response
from rest_framework.views import APIView

from tests.api.conftest import API

pytestmark = pytest.mark.usefixtures("curated")

PAGES = [
    f"{API}timeline/?kind=signed&page_size=100",
    f"{API}deliveries/s-400-triumf/timeline/",
    f"{API}deliveries/?page_size=100",
    f"{API}trade-records/summary/",
]


def serve(path: str) -> None:
    """One request through Django's handler and middleware, closed as a server closes it.
    (The test client keeps each response and ties it to itself in a cycle.)"""
    route, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": route,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    }
    assert ClientHandler(enforce_csrf_checks=False)(environ).status_code == 200


def cyclic_garbage_of(path: str) -> list[type]:
    """The types of the views, responses and records' representations (objects with a
    "url") that serving ``path`` left for the cyclic collector."""
    serve(path)  # first use compiles plans and statements, which are kept
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        serve(path)
        gc.collect()
        return [
            type(o)
            for o in gc.garbage
            if issubclass(type(o), (APIView, Response)) or (type(o) is dict and "url" in o)
        ]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


@pytest.mark.parametrize("path", PAGES)
def test_views_and_responses_are_freed_as_the_request_ends(path):
    assert cyclic_garbage_of(path) == []


def test_without_the_release_views_and_responses_wait_for_the_collector(settings):
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if name != "indoru.middleware.ReleaseViewMiddleware"
    ]
    left = cyclic_garbage_of(PAGES[0])
    assert Response in left
    assert dict in left
    assert any(issubclass(kind, APIView) for kind in left)
