"""``Idempotency-Key`` on POST: a retried create gets the first answer, never a duplicate."""

import datetime as dt
import json

import pytest
from rest_framework.authtoken.models import Token

from tests.api.conftest import API, field_errors, member_of, problem, token_client
from tests.api.test_wsgi import call
from tracker.models import IdempotencyKey, TimelineEvent

pytestmark = pytest.mark.django_db

EVENT = {
    "kind": "escalated",
    "title": "Talks broke down",
    "date": {"date": "2025-11-01", "precision": "month"},
}


def post_event(client, key: str | None, body: dict = EVENT):
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return client.post(f"{API}events/", body, format="json", **headers)


def test_a_retried_create_through_a_wsgi_server_gets_the_first_answer(editor):
    """Without a key the same POST twice makes two events; with one, one event."""
    token = f"Token {Token.objects.create(user=editor).key}"
    first = call("POST", f"{API}events/", EVENT, AUTHORIZATION=token, IDEMPOTENCY_KEY="k-1")
    again = call("POST", f"{API}events/", EVENT, AUTHORIZATION=token, IDEMPOTENCY_KEY="k-1")

    (status, headers, content), (status_again, headers_again, content_again) = first, again
    assert status.startswith("201") and status_again.startswith("201")
    assert content_again == content
    assert headers_again["Location"] == headers["Location"]
    assert headers_again["ETag"] == headers["ETag"]
    assert headers_again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in headers
    assert TimelineEvent.objects.filter(title=EVENT["title"]).count() == 1

    call("POST", f"{API}events/", EVENT, AUTHORIZATION=token)
    assert TimelineEvent.objects.filter(title=EVENT["title"]).count() == 2


def test_the_same_key_with_another_body_is_refused(editor_api):
    assert post_event(editor_api, "k-2").status_code == 201
    response = post_event(editor_api, "k-2", {**EVENT, "title": "Another"})
    assert response.status_code == 422
    assert problem(response)["code"] == "idempotency_key_reused"
    assert not TimelineEvent.objects.filter(title="Another").exists()


def test_the_same_body_with_its_keys_in_another_order_is_the_same_request(editor_api):
    first = post_event(editor_api, "k-3")
    again = post_event(editor_api, "k-3", dict(reversed(EVENT.items())))
    assert again.status_code == 201 and again.json() == first.json()


def test_keys_belong_to_their_user(editor_api):
    other = token_client(member_of("Editors", "other-editor"))
    mine, theirs = post_event(editor_api, "shared"), post_event(other, "shared")
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]


def test_a_key_is_kept_for_a_day(editor_api):
    first = post_event(editor_api, "k-4")
    IdempotencyKey.objects.update(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=25))
    later = post_event(editor_api, "k-4")
    assert later.status_code == 201 and later.json()["id"] != first.json()["id"]
    assert IdempotencyKey.objects.count() == 1


def test_a_refused_create_keeps_nothing_and_its_retry_runs_anew(editor_api):
    refused = post_event(editor_api, "k-5", {**EVENT, "kind": "bogus"})
    assert refused.status_code == 400
    assert not IdempotencyKey.objects.exists()
    assert post_event(editor_api, "k-5").status_code == 201


@pytest.mark.parametrize("key", ["", "x" * 256, "two words", "ключ"])
def test_an_unusable_key_is_refused_naming_the_header(editor_api, key):
    response = post_event(editor_api, key.encode().decode("latin-1"))
    assert response.status_code == 400
    assert list(field_errors(response)) == ["Idempotency-Key"]
    assert not TimelineEvent.objects.exists()


def test_a_replayed_answer_reads_as_json(editor_api):
    first = post_event(editor_api, "k-6")
    again = post_event(editor_api, "k-6")
    assert json.loads(again.content) == first.json()
