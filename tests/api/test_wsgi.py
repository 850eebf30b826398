"""The API under ``wsgiref.validate``: what a WSGI server checks of every answer (header names
and values of type ``str``, a status line, an iterable body), which Django's test client does
not. The development server refused a ``Location`` that was not a plain ``str``."""

import io
import json
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from rest_framework.authtoken.models import Token

from tests.api.conftest import API


def call(method: str, path: str, body: dict | None = None, query: str = "", **headers: str):
    """One request (its query in ``path`` or in ``query``) through the validated WSGI
    application: (status, headers, body)."""
    payload = json.dumps(body).encode() if body is not None else b""
    path, _, in_path = path.partition("?")
    query = query or in_path
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(payload)),
        "wsgi.input": io.BytesIO(payload),
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }
    setup_testing_defaults(environ)
    answered = {}

    def start_response(status, response_headers, exc_info=None):
        answered.update(status=status, headers=dict(response_headers))
        return lambda data: None

    # As Django's test client does: the request runs inside the test's transaction, so its
    # connection is not closed at the start and the end of the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = validator(get_wsgi_application())(environ, start_response)
        try:
            content = b"".join(result)
        finally:
            result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answered["status"], answered["headers"], content


@pytest.mark.django_db
def test_a_create_answers_201_with_its_location_through_a_wsgi_server(editor):
    token = Token.objects.create(user=editor).key
    status, headers, content = call(
        "POST",
        f"{API}sources/",
        {"slug": "wsgi-source", "title": "A source"},
        AUTHORIZATION=f"Token {token}",
    )
    assert status.startswith("201"), content
    assert headers["Location"] == f"http://127.0.0.1{API}sources/wsgi-source/"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["", "sources/", "timeline/", "changes/", "timeline.ics"])
def test_reads_keep_to_wsgi(path):
    status, _, _ = call("GET", f"{API}{path}")
    assert status.startswith("200")


FEEDS = [
    "timeline.ics?sector=defence&date_from=2026-01-01",
    "timeline.atom?sector=defence&kind=postponed&kind=signed",
    "deliveries/s-400-triumf/timeline.ics",
    "deliveries/s-400-triumf/timeline.atom",
    "trade-records/ind-rus-trade-target-2030/timeline.ics",
    "agreements/relos/timeline.atom",
    "changes.atom",
]


@pytest.mark.usefixtures("curated")
@pytest.mark.parametrize("path", FEEDS)
def test_feeds_keep_to_wsgi(path):
    status, headers, content = call("GET", f"{API}{path}")
    assert status.startswith("200"), content
    assert headers["Content-Type"].split(";")[0] in {"text/calendar", "application/atom+xml"}
    assert content.startswith((b"BEGIN:VCALENDAR", b"<?xml"))
    status, headers, _ = call("GET", f"{API}{path}", IF_NONE_MATCH=headers["ETag"])
    assert status.startswith("304")


@pytest.mark.usefixtures("curated")
@pytest.mark.parametrize("path", ["timeline.ics?kind=none", "issues/none/timeline.atom"])
def test_feed_errors_keep_to_wsgi(path):
    status, headers, content = call("GET", f"{API}{path}")
    assert status.startswith(("400", "404"))
    assert headers["Content-Type"] == "application/problem+json"
    assert json.loads(content)["status"] == int(status[:3])
