"""Cross-origin access: a page of any origin reads the API; only the configured origins write
(a browser asks first, with a preflight ``OPTIONS``, and refuses what the answer does not
allow)."""

import pytest
from django.test import override_settings
from rest_framework.authtoken.models import Token

from tests.api.conftest import API
from tests.api.test_wsgi import call

pytestmark = pytest.mark.django_db

DASHBOARD = "https://dashboard.example.org"
WRITER = "https://editors.example.org"
EXPOSED = {"etag", "link", "location", "retry-after", "x-request-id"}


def preflight(client, path: str, method: str, origin: str, headers: str = ""):
    return client.options(
        f"{API}{path}",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=headers,
    )


def exposed(response) -> set[str]:
    return {name.strip().lower() for name in response["Access-Control-Expose-Headers"].split(",")}


def test_any_origin_reads_and_sees_the_useful_headers(anon):
    allowed = preflight(anon, "deliveries/", "GET", DASHBOARD, "if-none-match")
    assert allowed.status_code == 200
    assert allowed["Access-Control-Allow-Origin"] == DASHBOARD
    assert "if-none-match" in allowed["Access-Control-Allow-Headers"]

    response = anon.get(f"{API}sources/", HTTP_ORIGIN=DASHBOARD)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == DASHBOARD
    assert exposed(response) >= EXPOSED
    assert "origin" in response["Vary"].lower()


@override_settings(CORS_ALLOWED_ORIGINS=[WRITER])
def test_only_the_configured_origins_write(anon, editor_api):
    refused = preflight(anon, "sources/", "POST", DASHBOARD, "authorization, content-type")
    assert "Access-Control-Allow-Origin" not in refused
    refused = preflight(anon, "sources/s/", "DELETE", DASHBOARD, "authorization, if-match")
    assert "Access-Control-Allow-Origin" not in refused

    allowed = preflight(anon, "sources/", "POST", WRITER, "authorization, idempotency-key")
    assert allowed["Access-Control-Allow-Origin"] == WRITER
    assert "POST" in allowed["Access-Control-Allow-Methods"]
    assert "idempotency-key" in allowed["Access-Control-Allow-Headers"]

    body = {"slug": "cors-source", "title": "A source"}
    created = editor_api.post(f"{API}sources/", body, format="json", HTTP_ORIGIN=WRITER)
    assert created.status_code == 201
    assert created["Access-Control-Allow-Origin"] == WRITER
    assert "location" in exposed(created)
    other = editor_api.post(
        f"{API}sources/", {**body, "slug": "other"}, format="json", HTTP_ORIGIN=DASHBOARD
    )
    assert "Access-Control-Allow-Origin" not in other


def test_pages_outside_the_api_are_not_shared(client):
    response = client.get("/", HTTP_ORIGIN=DASHBOARD)
    assert "Access-Control-Allow-Origin" not in response


@override_settings(CORS_ALLOWED_ORIGINS=[WRITER])
def test_cors_answers_keep_to_wsgi(editor):
    token = Token.objects.create(user=editor).key
    status, headers, _ = call(
        "OPTIONS", f"{API}sources/", ORIGIN=WRITER, ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert status.startswith("200") and headers["access-control-allow-origin"] == WRITER
    status, headers, _ = call(
        "POST",
        f"{API}sources/",
        {"slug": "wsgi-cors", "title": "A source"},
        AUTHORIZATION=f"Token {token}",
        ORIGIN=WRITER,
    )
    assert status.startswith("201") and headers["access-control-allow-origin"] == WRITER
