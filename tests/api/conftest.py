"""The curated data set, users in the two roles, and API clients acting as them."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

API = "/api/v1/"


@pytest.fixture(scope="module")
def curated_data(django_db_setup, django_db_blocker):
    """The curated data set, loaded once per module in a transaction rolled back at its end.

    Each test runs in a savepoint inside it (as Django's ``setUpTestData`` does), so tests
    can change the data freely without reloading it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_curated", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def curated(curated_data, db):
    """The curated data set, for one test."""


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
