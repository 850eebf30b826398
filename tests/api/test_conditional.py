"""ETags, 304, and If-Match: no editor's change is silently overwritten."""

import pytest

from tests.api.conftest import API, etag, member_of, token_client
from tracker.api.conditional import etag_of_json
from tracker.api.renderers import JSONRenderer
from tracker.models import Source

URL = f"{API}sources/rebalancing-relations-2025/"


@pytest.fixture
def source(curated) -> str:
    return URL


def test_if_none_match_gives_304_on_details_and_lists(anon, source):
    for url in (source, f"{API}sources/", f"{API}timeline/", f"{API}changes/"):
        first = anon.get(url)
        assert first["ETag"]
        assert anon.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        assert anon.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_etag_changes_with_the_record(anon, editor_api, source):
    before = etag(anon, source)
    editor_api.patch(source, {"notes": "New"}, format="json", HTTP_IF_MATCH=before)
    assert etag(anon, source) != before
    assert anon.get(source, HTTP_IF_NONE_MATCH=before).status_code == 200


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_write_without_if_match_is_428(editor_api, source, method):
    response = getattr(editor_api, method)(source, {"title": "X"}, format="json")
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert Source.objects.get(slug="rebalancing-relations-2025").title != "X"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_write_with_stale_if_match_is_412_and_changes_nothing(editor_api, source, method):
    before = editor_api.get(source).json()
    response = getattr(editor_api, method)(
        source, {**before, "title": "X"}, format="json", HTTP_IF_MATCH='"stale"'
    )
    assert response.status_code == 412
    assert editor_api.get(source).json() == before


def test_wildcard_if_match_accepts_the_current_version(editor_api, source):
    response = editor_api.patch(source, {"notes": "Any"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 200


def test_second_writer_with_the_same_etag_gets_412(editor_api, editor, source):
    other = token_client(member_of("Editors", "other-editor"))
    tag = etag(editor_api, source)
    first = editor_api.patch(source, {"notes": "first"}, format="json", HTTP_IF_MATCH=tag)
    second = other.patch(source, {"notes": "second"}, format="json", HTTP_IF_MATCH=tag)
    assert (first.status_code, second.status_code) == (200, 412)
    assert Source.objects.get(slug="rebalancing-relations-2025").notes == "first"


def test_a_list_is_written_once_and_its_etag_is_its_json_bodys(anon, source, monkeypatch):
    writes = []
    compact = JSONRenderer.compact.__func__

    def counted(cls, data):
        writes.append(data)
        return compact(cls, data)

    monkeypatch.setattr(JSONRenderer, "compact", classmethod(counted))
    for url in (f"{API}timeline/", f"{API}sources/", f"{API}timeline/?kind=signed"):
        writes.clear()
        response = anon.get(url)
        assert len(writes) == 1
        assert response["ETag"] == etag_of_json(response.content)
