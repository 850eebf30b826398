"""The changes feed: created, changed and deleted records in order, and its Atom version."""

import datetime as dt
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from tests.api.conftest import API, etag, field_errors
from tracker.api.feeds import encode_cursor
from tracker.selectors.changes import ChangeKey

pytestmark = pytest.mark.usefixtures("curated")

ATOM = "{http://www.w3.org/2005/Atom}"


def all_changes(client, url: str) -> list[dict]:
    results = []
    while url:
        body = client.get(url).json()
        results += body["results"]
        url = body["next"]
    return results


def test_mirror_sees_creation_change_and_deletion_in_order(anon, editor_api):
    start = timezone.now() - dt.timedelta(microseconds=1)
    create = {
        "slug": "test-issue",
        "title": "T",
        "category": "economic",
        "severity": "low",
        "status": "watching",
    }
    url = editor_api.post(f"{API}issues/", create, format="json")["Location"]
    editor_api.patch(url, {"severity": "high"}, format="json", HTTP_IF_MATCH=etag(editor_api, url))
    issue_id = editor_api.get(url).json()["id"]
    editor_api.delete(url, HTTP_IF_MATCH=etag(editor_api, url))

    changes = all_changes(anon, f"{API}changes/?since={start.isoformat().replace('+', '%2B')}")
    mine = [(c["type"], c["id"], c["action"]) for c in changes if c["type"] == "issue"]
    assert mine == [
        ("issue", issue_id, "created"),
        ("issue", issue_id, "changed"),
        ("issue", issue_id, "deleted"),
    ]
    deleted = next(c for c in changes if c["action"] == "deleted")
    assert deleted["url"] is None


def test_paging_by_cursor_is_complete_and_ordered(anon):
    one_page = anon.get(f"{API}changes/", {"page_size": 500}).json()["results"]
    paged = all_changes(anon, f"{API}changes/?page_size=7")
    assert [c["cursor"] for c in paged] == [c["cursor"] for c in one_page]
    assert [c["at"] for c in paged] == sorted(c["at"] for c in paged)


def test_polling_with_the_last_cursor_returns_only_new_changes(anon, editor_api):
    body = anon.get(f"{API}changes/", {"page_size": 500}).json()
    assert body["next"] is None
    cursor = body["cursor"]
    assert anon.get(f"{API}changes/", {"cursor": cursor}).json()["results"] == []
    url = f"{API}sources/rebalancing-relations-2025/"
    editor_api.patch(url, {"notes": "x"}, format="json", HTTP_IF_MATCH=etag(editor_api, url))
    new = anon.get(f"{API}changes/", {"cursor": cursor}).json()["results"]
    assert [(c["type"], c["action"]) for c in new] == [("source", "changed")]


def test_parts_link_to_their_record(anon):
    citations = anon.get(f"{API}changes/", {"type": "citation", "page_size": 5}).json()["results"]
    assert citations and all(c["record"]["url"] for c in citations)


def test_bad_cursor_and_since_are_400(anon):
    response = anon.get(f"{API}changes/", {"cursor": "bm9wZQ", "since": "yesterday"})
    assert response.status_code == 400
    assert set(field_errors(response)) == {"cursor", "since"}


@pytest.mark.parametrize("history_id", [2**63, 0])
def test_a_cursor_with_an_id_outside_the_range_of_ids_is_400(anon, history_id):
    key = ChangeKey(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), "source", history_id)
    response = anon.get(f"{API}changes/", {"cursor": encode_cursor(key)})
    assert response.status_code == 400
    assert list(field_errors(response)) == ["cursor"]


def test_updated_since_rejects_malformed_times(anon):
    response = anon.get(f"{API}agreements/", {"updated_since": "2025-13-45"})
    assert response.status_code == 400 and "updated_since" in field_errors(response)


def test_atom_feed(anon, editor_api):
    url = f"{API}sources/rebalancing-relations-2025/"
    editor_api.patch(url, {"notes": "Atom"}, format="json", HTTP_IF_MATCH=etag(editor_api, url))
    response = anon.get(f"{API}changes.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    # Newest first: the change just made comes before the records created when loading.
    assert len(titles) > 1 and titles[0].startswith("Source changed")
    assert any(" created: " in title for title in titles[1:])
