"""``<type>/<key>/history/``: who changed what, when and why, old and new values, paged."""

import pytest

from tests.factories import make_revision
from tracker.models import Delivery, Issue

from .conftest import API, etag

pytestmark = pytest.mark.usefixtures("curated")

ISSUE = f"{API}issues/indian-nationals-in-russian-army/"


def test_a_change_is_listed_with_its_user_its_fields_old_and_new_values(anon, editor_api, editor):
    old = editor_api.get(ISSUE).json()
    new_severity = "critical" if old["severity"] != "critical" else "high"
    editor_api.patch(
        ISSUE,
        {"severity": new_severity, "summary": "Changed."},
        format="json",
        HTTP_IF_MATCH=etag(editor_api, ISSUE),
    )

    body = anon.get(f"{ISSUE}history/").json()

    latest = body["results"][0]
    assert (latest["action"], latest["user"]) == ("changed", "editor")
    assert {c["field"]: (c["old"], c["new"]) for c in latest["changes"]} == {
        "severity": (old["severity"], new_severity),
        "summary": (old["summary"], "Changed."),
    }
    assert body["results"][-1]["action"] == "created"
    assert (
        body["count"] == Issue.objects.get(slug="indian-nationals-in-russian-army").history.count()
    )


@pytest.fixture
def postponed(curated) -> None:
    """The S-400 postponed by an event stored outside any request (as an import stores it),
    so its schedule is recomputed by no user. The curated load writes each delivery once."""
    s400 = Delivery.objects.get(slug="s-400-triumf")
    make_revision(s400, s400.forecast_date.isoformat(), "2028-01-01", s400.forecast_precision)


@pytest.mark.usefixtures("postponed")
def test_a_delivery_s_history_gives_why_its_schedule_changed(anon):
    body = anon.get(f"{API}deliveries/s-400-triumf/history/").json()
    recomputed = [e for e in body["results"] if e["reason"].startswith("Schedule recomputed")]
    assert recomputed
    assert all(e["user"] is None for e in recomputed)


@pytest.mark.usefixtures("postponed")
def test_pages_are_complete_and_cost_the_same_queries(anon, django_assert_num_queries):
    url = f"{API}deliveries/s-400-triumf/history/"
    whole = anon.get(url, {"page_size": 500}).json()["results"]
    paged, page = [], f"{url}?page_size=1"
    while page:
        body = anon.get(page).json()
        paged += body["results"]
        page = body["next"]
    assert paged == whole and len(whole) > 1
    with django_assert_num_queries(4):  # the record, the count, the page, the one before it
        anon.get(url, {"page_size": 1})
    with django_assert_num_queries(4):
        anon.get(url, {"page_size": 500})


def test_a_deleted_record_s_history_is_found_by_its_id(anon, editor_api):
    issue = Issue.objects.get(slug="indian-nationals-in-russian-army")
    editor_api.delete(ISSUE, HTTP_IF_MATCH=etag(editor_api, ISSUE))

    body = anon.get(f"{API}issues/{issue.pk}/history/").json()

    assert body["results"][0]["action"] == "deleted"
    assert anon.get(f"{ISSUE}history/").status_code == 404


def test_an_event_has_a_history_too(anon):
    event = anon.get(f"{API}events/", {"page_size": 1}).json()["results"][0]
    assert anon.get(f"{API}events/{event['id']}/history/").json()["results"]
