"""A write that changes nothing writes nothing: same ETag, same ``updated_at``, no history
entry and nothing new in the changes feed."""

import pytest

from tracker.models import Issue

from .conftest import API, etag

pytestmark = pytest.mark.usefixtures("curated")

ISSUE = f"{API}issues/indian-nationals-in-russian-army/"


def latest_cursor(client) -> str:
    body = client.get(f"{API}changes/", {"page_size": 500}).json()
    assert body["next"] is None
    return body["cursor"]


@pytest.mark.parametrize("method", ["put", "patch"])
def test_writing_a_record_back_as_it_was_read_changes_nothing(anon, editor_api, method):
    issue = Issue.objects.get(slug="indian-nationals-in-russian-army")
    entries = issue.history.count()
    cursor = latest_cursor(anon)
    read = editor_api.get(ISSUE)
    body = read.json() if method == "put" else {"severity": read.json()["severity"]}

    response = getattr(editor_api, method)(ISSUE, body, format="json", HTTP_IF_MATCH=read["ETag"])

    assert response.status_code == 200, response.content
    assert response["ETag"] == read["ETag"]
    assert response.json()["updated_at"] == read.json()["updated_at"]
    assert issue.history.count() == entries
    assert anon.get(f"{API}changes/", {"cursor": cursor}).json()["results"] == []


def test_a_real_change_still_moves_the_etag_and_the_history(anon, editor_api):
    entries = Issue.objects.get(slug="indian-nationals-in-russian-army").history.count()
    tag = etag(editor_api, ISSUE)

    response = editor_api.patch(ISSUE, {"summary": "Changed."}, format="json", HTTP_IF_MATCH=tag)

    assert response["ETag"] != tag
    assert Issue.objects.get(slug="indian-nationals-in-russian-army").history.count() == entries + 1
