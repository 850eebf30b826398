"""Users in the two roles, and API clients acting as them."""

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

API = "/api/v1/"


def member_of(group_name: str, username: str) -> User:
    """A user in a role; tokens authenticate them, so no (slow) password hashing."""
    user = User.objects.create(username=username)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def token_client(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def editor(db) -> User:
    return member_of("Editors", "editor")


@pytest.fixture
def viewer(db) -> User:
    return member_of("Viewers", "viewer")


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


@pytest.fixture
def editor_api(editor) -> APIClient:
    return token_client(editor)


@pytest.fixture
def viewer_api(viewer) -> APIClient:
    return token_client(viewer)


def etag(client: APIClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response["ETag"]


def problem(response) -> dict:
    """The body of an error answer, checked to be problem details (RFC 9457) that carry the
    request's id."""
    assert response["Content-Type"] == "application/problem+json", response.content
    body = response.json()
    assert body["status"] == response.status_code
    assert body["code"] and body["title"] and body["detail"]
    assert body["request_id"] == response["X-Request-ID"]
    return body


def field_errors(response) -> dict[str, list[str]]:
    """The messages of a problem's field errors, by dotted field name (``ordered.day``)."""
    errors = {}
    for error in problem(response).get("errors", []):
        errors.setdefault(error["field"], []).append(error["detail"])
    return errors


def fields_named(response) -> set[str]:
    """The top-level fields a problem names (``ordered`` for ``ordered.day``)."""
    return {name.split(".")[0] for name in field_errors(response)}
