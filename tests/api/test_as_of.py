"""``?as_of=``: details, lists and timelines as the tracker knew them at a past time."""

import pytest
from django.utils import timezone

from tracker.models import TimelineEvent

from .conftest import API, etag, field_errors, problem

pytestmark = pytest.mark.usefixtures("curated")

S400 = f"{API}deliveries/s-400-triumf/"


@pytest.fixture
def revised(editor_api) -> dict:
    """The S-400's forecast revised at T1: the times before and after it, and both forecasts."""
    old = editor_api.get(S400).json()["forecast"]
    before = timezone.now().isoformat()
    revision = {
        "kind": "forecast_revised",
        "title": "Last two regiments pushed to 2027",
        "delivery": "s-400-triumf",
        "date": {"date": "2026-02-01", "precision": "month"},
        "old_date": {"date": old["date"], "precision": old["precision"]},
        "new_date": {"date": "2027-01-01", "precision": "year"},
    }
    response = editor_api.post(f"{API}events/", revision, format="json")
    assert response.status_code == 201, response.content
    after = timezone.now().isoformat()
    return {"before": before, "after": after, "old": old, "event": response.json()["id"]}


def test_a_delivery_as_of_before_and_after_a_forecast_revision(anon, revised):
    then = anon.get(S400, {"as_of": revised["before"]})
    now = anon.get(S400, {"as_of": revised["after"]})

    assert then.status_code == 200, then.content
    assert then.json()["forecast"] == revised["old"]
    assert revised["event"] not in [r["id"] for r in then.json()["revisions"]]
    assert now.json()["forecast"]["display"] == "2027"
    assert revised["event"] in [r["id"] for r in now.json()["revisions"]]
    assert anon.get(S400).json()["forecast"]["display"] == "2027"


def test_lists_and_timelines_as_of_a_time(anon, revised):
    for url in (f"{S400}timeline/", f"{API}timeline/", f"{API}events/"):
        ids_then = [
            e["id"]
            for e in anon.get(url, {"as_of": revised["before"], "page_size": 500}).json()["results"]
        ]
        ids_now = [
            e["id"]
            for e in anon.get(url, {"as_of": revised["after"], "page_size": 500}).json()["results"]
        ]
        assert revised["event"] not in ids_then and revised["event"] in ids_now, url
    deliveries = anon.get(f"{API}deliveries/", {"as_of": revised["before"], "page_size": 500})
    [s400] = [d for d in deliveries.json()["results"] if d["slug"] == "s-400-triumf"]
    assert s400["forecast"] == revised["old"]


def test_a_deleted_event_is_there_as_of_before_its_deletion(anon, editor_api):
    event = TimelineEvent.objects.filter(delivery__slug="s-400-triumf").order_by("id").first()
    url = f"{API}events/{event.pk}/"
    shown = anon.get(url).json()
    before = timezone.now().isoformat()
    assert editor_api.delete(url, HTTP_IF_MATCH=etag(editor_api, url)).status_code == 204

    assert anon.get(url).status_code == 404
    then = anon.get(url, {"as_of": before})
    assert then.status_code == 200
    assert then.json() == shown
    assert anon.get(url, {"as_of": timezone.now().isoformat()}).status_code == 404


def test_before_a_record_existed_it_is_404(anon):
    assert anon.get(S400, {"as_of": "2001-01-01T00:00:00Z"}).status_code == 404


def test_statements_prepared_on_the_connection_do_not_mix_past_and_present(anon, revised):
    """Read often enough for psycopg to prepare the statements (its fifth run), on a
    connection whose session already had views of the past, then read the past; and back."""
    assert anon.get(S400, {"as_of": revised["before"]}).json()["forecast"] == revised["old"]
    for _ in range(6):
        anon.get(S400)
    assert anon.get(S400, {"as_of": revised["before"]}).json()["forecast"] == revised["old"]
    for _ in range(6):
        anon.get(S400, {"as_of": revised["before"]})
    assert anon.get(S400).json()["forecast"]["display"] == "2027"


@pytest.mark.parametrize("value", ["yesterday", "2025-13-45T00:00:00Z", "0001-01-01T00:00:00Z"])
def test_a_malformed_as_of_is_400_naming_it(anon, value):
    response = anon.get(S400, {"as_of": value})
    assert response.status_code == 400
    assert list(field_errors(response)) == ["as_of"]


def test_writes_take_no_as_of(editor_api):
    response = editor_api.patch(
        f"{S400}?as_of=2025-01-01T00:00:00Z", {"summary": "x"}, format="json", HTTP_IF_MATCH="*"
    )
    assert response.status_code == 400
    # A query parameter, not a member of the body: named as a parameter, with no pointer.
    [error] = problem(response)["errors"]
    assert (error["field"], error["parameter"]) == ("as_of", "as_of")
    assert "pointer" not in error
