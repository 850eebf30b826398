"""Every API error is a problem details object (RFC 9457) in JSON: bad input, unknown
addresses, wrong methods and formats, throttling, oversized or too deeply nested bodies, and
failures of the server itself, inside DRF's views and outside them."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from indoru.middleware import ReadYourWritesMiddleware
from tests.api.conftest import API, problem
from tests.api.test_wsgi import call
from tracker.api import views
from tracker.api.exceptions import PROBLEMS
from tracker.api.parsers import MAX_DEPTH

pytestmark = pytest.mark.django_db

SOURCE = {"slug": "a-source", "title": "A source"}


def test_bad_input_names_each_field_by_pointer_with_a_stable_code(editor_api, anon):
    body = {"slug": "x", "title": "X", "published": {"date": "2025-01-01", "precision": "week"}}
    response = editor_api.post(f"{API}sources/", body, format="json")

    assert response.status_code == 400
    found = problem(response)
    assert found["code"] == "validation_error" and found["title"] == "Bad Request"
    assert found["errors"] == [
        {
            "field": "published.precision",
            "pointer": "/published/precision",
            "code": "invalid_choice",
            "detail": '"week" is not a valid choice.',
        }
    ]
    assert "published.precision" in found["detail"]
    # The type is an address that says what the code means.
    described = anon.get(found["type"])
    assert described.status_code == 200
    assert described.json()["code"] == "validation_error"
    assert described.json()["status"] == 400


def test_a_bad_query_parameter_is_named_as_a_parameter(anon):
    response = anon.get(f"{API}agreements/", {"staus": "signed"}, HTTP_X_REQUEST_ID="trace-42")

    found = problem(response)
    assert found["request_id"] == "trace-42"
    [error] = found["errors"]
    assert (error["field"], error["parameter"]) == ("staus", "staus")
    assert "pointer" not in error


def test_a_whole_record_error_points_at_the_whole_body(editor_api):
    body = {"slug": "x", "title": "X", "category": "economic", "severity": "low"}
    body |= {"status": "resolved", "opened": {"date": "2025-01-01", "precision": "year"}}
    errors = problem(editor_api.post(f"{API}issues/", body, format="json"))["errors"]
    assert {error["pointer"] for error in errors} <= {"", "/resolved"}


@pytest.mark.parametrize(
    ("method", "path", "headers", "status", "code"),
    [
        ("get", "nowhere/", {}, 404, "not_found"),
        ("get", "sources/no-such-source/", {}, 404, "not_found"),
        ("get", "sources/", {"HTTP_ACCEPT": "application/xml"}, 406, "not_acceptable"),
        ("post", "sources/", {}, 401, "not_authenticated"),
        ("get", "sources/?format=csv&page=9", {}, 404, "not_found"),
        ("get", "timeline.ics?x=1", {}, 400, "validation_error"),
        ("get", "changes.atom?x=1", {}, 400, "validation_error"),
        ("get", "trade-records/export.csv?flow=sideways", {}, 400, "validation_error"),
    ],
)
def test_client_errors_are_problems_in_json_whatever_the_format(
    anon, method, path, headers, status, code
):
    response = getattr(anon, method)(f"{API}{path}", **headers)
    assert response.status_code == status
    assert problem(response)["code"] == code


def test_a_form_body_is_415_and_a_wrong_method_405(editor_api):
    response = editor_api.post(f"{API}sources/", SOURCE)
    assert response.status_code == 415
    assert problem(response)["code"] == "unsupported_media_type"
    response = editor_api.post(f"{API}timeline/", SOURCE, format="json")
    assert response.status_code == 405
    assert problem(response)["code"] == "method_not_allowed"


def test_throttled_is_a_problem_with_retry_after(anon, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "1/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    assert anon.get(f"{API}sources/").status_code == 200
    response = anon.get(f"{API}sources/")
    assert response.status_code == 429
    assert problem(response)["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    assert response["Retry-After"] == response["RateLimit-Reset"]
    assert (response["RateLimit-Limit"], response["RateLimit-Remaining"]) == ("1", "0")


def failing(*args, **kwargs):
    raise RuntimeError("a secret detail of the failure")


def test_a_failing_view_answers_a_json_500_without_the_failure(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setattr(views.SourceViewSet, "list", failing)
    response = APIClient(raise_request_exception=False).get(f"{API}sources/?format=csv")

    assert response.status_code == 500
    found = problem(response)
    assert found["code"] == "server_error"
    assert "secret" not in response.content.decode()


def test_a_failure_outside_the_views_is_a_json_500_under_the_api_only(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setattr(ReadYourWritesMiddleware, "__call__", failing)
    client = APIClient(raise_request_exception=False)

    response = client.get(f"{API}sources/")
    assert response.status_code == 500 and problem(response)["code"] == "server_error"
    assert client.get("/").headers["Content-Type"].startswith("text/html")
    # Through a WSGI server's checks as well.
    status, headers, content = call("GET", f"{API}sources/")
    assert status.startswith("500")
    assert headers["Content-Type"] == "application/problem+json"
    assert json.loads(content)["request_id"] == headers["X-Request-ID"]


def test_a_host_not_allowed_is_a_json_400_under_the_api(anon):
    response = anon.get(f"{API}sources/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert problem(response)["code"] == "bad_request"


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 1000, 100_000])
def test_a_body_nested_too_deeply_is_a_400(editor_api, levels):
    body = '{"slug": "deep", "title": "Deep", "notes": ' + nested(levels - 1) + "}"
    response = editor_api.generic("POST", f"{API}sources/", body, "application/json")
    assert response.status_code == 400
    assert problem(response)["code"] == "parse_error"
    assert str(MAX_DEPTH) in problem(response)["detail"]


def test_a_body_nested_to_the_limit_is_parsed(editor_api):
    body = '{"slug": "deep", "title": "Deep", "notes": ' + nested(MAX_DEPTH - 1) + "}"
    response = editor_api.generic("POST", f"{API}sources/", body, "application/json")
    assert response.status_code == 400
    assert [error["field"] for error in problem(response)["errors"]] == ["notes"]


def test_a_body_over_the_upload_limit_is_a_413(editor, editor_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({**SOURCE, "notes": "x" * 2000})
    response = editor_api.generic("POST", f"{API}sources/", body, "application/json")
    assert response.status_code == 413
    assert problem(response)["code"] == "request_too_large"
    # Through a WSGI server's checks as well.
    token = f"Token {Token.objects.get(user=editor).key}"
    body = {**SOURCE, "notes": "x" * 2000}
    status, _, content = call("POST", f"{API}sources/", body, AUTHORIZATION=token)
    assert status.startswith("413")
    assert json.loads(content)["code"] == "request_too_large"


def test_every_problem_code_is_documented_and_described(anon):
    guide = (Path(settings.BASE_DIR) / "docs" / "api.md").read_text()
    errors = guide.split("## Errors", 1)[1]
    for code, (status, _) in PROBLEMS.items():
        assert f"`{code}`" in errors, code
        described = anon.get(f"{API}problems/{code}/").json()
        assert (described["code"], described["status"]) == (code, status)
    assert problem(anon.get(f"{API}problems/no-such-code/"))["code"] == "not_found"
