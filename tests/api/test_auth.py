"""Anyone reads; only editors (token, or session with CSRF) write."""

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import API, etag

pytestmark = pytest.mark.usefixtures("curated")
NEW = {"slug": "test-source", "title": "A source"}
ISSUE = f"{API}issues/rupee-trap/"


def test_anonymous_reads(anon):
    assert anon.get(f"{API}sources/").status_code == 200


def test_anonymous_writes_are_401(anon):
    assert anon.post(f"{API}sources/", NEW, format="json").status_code == 401
    response = anon.patch(ISSUE, {"severity": "low"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 401
    assert anon.delete(ISSUE, HTTP_IF_MATCH="*").status_code == 401


def test_viewers_read_but_cannot_write(viewer_api):
    assert viewer_api.get(ISSUE).status_code == 200
    assert viewer_api.post(f"{API}sources/", NEW, format="json").status_code == 403
    tag = etag(viewer_api, ISSUE)
    assert (
        viewer_api.patch(ISSUE, {"severity": "low"}, format="json", HTTP_IF_MATCH=tag).status_code
        == 403
    )
    assert viewer_api.delete(ISSUE, HTTP_IF_MATCH=tag).status_code == 403


def test_bad_token_is_401(curated):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.post(f"{API}sources/", NEW, format="json").status_code == 401


def test_editor_session_needs_csrf(editor):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(f"{API}sources/", NEW, format="json").status_code == 403
    client.get("/admin/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(f"{API}sources/", NEW, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_token_endpoint(editor):
    editor.set_password("a long passphrase")
    editor.save()
    response = APIClient().post(
        f"{API}auth/token/", {"username": "editor", "password": "a long passphrase"}, format="json"
    )
    assert response.status_code == 200 and response.json()["token"]
    wrong = APIClient().post(
        f"{API}auth/token/", {"username": "editor", "password": "wrong"}, format="json"
    )
    assert wrong.status_code == 400
