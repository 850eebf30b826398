"""A source's proposals through the API: listed for anyone, accepted and rejected with an
Editor's token, refused field by field with nothing written."""

import pytest

from tests.proposals.inbox import REVISION_QUOTE, article_source, make_frigates
from tracker.choices import ProposalAction, ProposalStatus
from tracker.models import Citation, Proposal, TimelineEvent

from .conftest import API, field_errors, problem
from .test_contract import check, openapi, schema  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def frigates(db):
    return make_frigates()


@pytest.fixture
def source(frigates):
    return article_source()


def revision(source) -> Proposal:
    return source.proposals.get(action=ProposalAction.EVENT)


def test_anyone_lists_a_sources_proposals_with_values_and_records(
    anon, source, frigates, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = anon.get(f"{API}sources/{source.slug}/proposals/")
    assert response.status_code == 200
    body = response.json()
    assert (body["source"], body["handled"], body["total"]) == (source.slug, 0, 3)
    first = body["proposals"][0]
    assert first["action"] == "event"
    assert first["values"]["new_date"]["shown"] == "2027"
    assert first["records"][0]["key"] == f"delivery:{frigates.pk}"
    assert first["change"]["new_date"] == "2027-01-01"
    assert first["accept_url"].endswith(f"/api/v1/proposals/{first['id']}/accept/")
    by_id = anon.get(f"{API}sources/{source.pk}/proposals/")
    assert by_id.json() == body


def test_an_editor_accepts_a_revision_with_a_shorter_quote(editor_api, source, frigates):
    proposal = revision(source)
    response = editor_api.post(
        f"{API}proposals/{proposal.pk}/accept/", {"quote": REVISION_QUOTE}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "accepted"
    event = TimelineEvent.objects.get(pk=body["event"])
    assert Citation.objects.get(pk=body["citation"]).event == event
    frigates.refresh_from_db()
    assert frigates.slippage_months == 12
    delivery = editor_api.get(f"{API}deliveries/{frigates.slug}/").json()
    assert delivery["slippage_months"] == 12


def test_invalid_corrections_answer_400_naming_the_fields_and_write_nothing(editor_api, source):
    proposal = revision(source)
    response = editor_api.post(
        f"{API}proposals/{proposal.pk}/accept/",
        {"change": {"new_date": "someday", "colour": "red"}, "quote": "not in it"},
        format="json",
    )
    assert response.status_code == 400
    assert set(field_errors(response)) == {"colour"}
    response = editor_api.post(
        f"{API}proposals/{proposal.pk}/accept/",
        {"change": {"new_date": "someday"}, "quote": "not in it"},
        format="json",
    )
    assert response.status_code == 400
    errors = field_errors(response)
    assert set(errors) == {"new_date", "quote"}
    assert "“someday” value has an invalid date format" in errors["new_date"][0]
    assert not TimelineEvent.objects.filter(delivery__isnull=False).exists()
    unknown = editor_api.post(
        f"{API}proposals/{proposal.pk}/accept/", {"quotes": "x"}, format="json"
    )
    assert unknown.status_code == 400 and "quotes" in field_errors(unknown)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


def test_a_rejection_needs_a_reason_and_is_kept(editor_api, anon, source):
    proposal = revision(source)
    url = f"{API}proposals/{proposal.pk}/reject/"
    blank = editor_api.post(url, {"reason": " "}, format="json")
    assert blank.status_code == 400
    assert field_errors(blank) == {"reason": ["Say why the proposal is rejected."]}
    assert editor_api.post(url, {"reason": "Wrong delivery."}, format="json").status_code == 200
    listed = anon.get(f"{API}sources/{source.slug}/proposals/").json()
    assert listed["handled"] == 1
    assert (listed["proposals"][0]["status"], listed["proposals"][0]["reason"]) == (
        "rejected",
        "Wrong delivery.",
    )
    again = editor_api.post(f"{API}proposals/{proposal.pk}/accept/", {}, format="json")
    assert again.status_code == 400
    assert field_errors(again) == {"status": ["This proposal was rejected already."]}


def test_only_an_editor_handles_proposals(anon, viewer_api, source):
    proposal = revision(source)
    for client, expected in ((anon, 401), (viewer_api, 403)):
        for verb in ("accept", "reject"):
            response = client.post(
                f"{API}proposals/{proposal.pk}/{verb}/", {"reason": "no"}, format="json"
            )
            assert response.status_code == expected, (verb, response.content)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


def test_an_unknown_proposal_is_a_json_404(editor_api):
    response = editor_api.post(f"{API}proposals/999999/accept/", {}, format="json")
    assert response.status_code == 404
    assert problem(response)["code"] == "not_found"


def test_the_list_an_acceptance_and_a_refusal_answer_as_the_schema_says(
    openapi,  # noqa: F811 (the contract's fixture)
    editor_api,
    source,
):
    listed = editor_api.get(f"{API}sources/{source.slug}/proposals/")
    check(openapi, listed)
    proposal = revision(source)
    refused = editor_api.post(
        f"{API}proposals/{proposal.pk}/accept/", {"change": {"date": "soon"}}, format="json"
    )
    assert refused.status_code == 400
    check(openapi, refused)
    accepted = editor_api.post(f"{API}proposals/{proposal.pk}/accept/", {}, format="json")
    assert accepted.status_code == 200, accepted.content
    check(openapi, accepted)
