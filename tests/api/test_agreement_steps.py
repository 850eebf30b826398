"""An agreement's steps by party: RELOS ratified by Russia on 2025-12-01, India's pending."""

from tests.api.conftest import API

RELOS = f"{API}agreements/relos/"


def steps_by_party(response) -> dict:
    return {steps["party"]: steps for steps in response.json()["steps"]}


def test_relos_shows_russia_s_ratification_and_india_s_pending(anon, curated):
    steps = steps_by_party(anon.get(RELOS))

    ratified = steps["RUS"]["ratified"]
    assert ratified["date"]["display"] == "2025-12-01"
    assert ratified["body"] == "state_duma"
    assert anon.get(ratified["url"]).json()["kind"] == "ratified"
    assert (steps["RUS"]["pending"], steps["RUS"]["signed"]) == ("", None)
    assert (steps["IND"]["ratified"], steps["IND"]["pending"]) == (None, "ratified")


def test_india_s_ratification_on_the_timeline_changes_the_agreement_and_its_etag(
    anon, editor_api, curated
):
    before = anon.get(RELOS)
    created = editor_api.post(
        f"{API}events/",
        {
            "agreement": "relos",
            "kind": "ratified",
            "party": "IND",
            "title": "India ratifies RELOS",
            "date": {"date": "2026-03-01", "precision": "month"},
        },
        format="json",
    )
    assert created.status_code == 201, created.content

    after = anon.get(RELOS, HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    india = steps_by_party(after)["IND"]
    assert (india["ratified"]["date"]["display"], india["pending"]) == ("Mar 2026", "")
