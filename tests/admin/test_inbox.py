"""The inbox in the admin: a refused correction shows on its field and writes nothing; a
viewer reads the inbox but cannot handle a proposal."""

import pytest
from django.urls import reverse

from tests.proposals.inbox import article_source, make_frigates
from tracker.choices import ProposalAction, ProposalStatus
from tracker.models import TimelineEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(db):
    make_frigates()
    return article_source()


def inbox_url(source) -> str:
    return reverse("admin:tracker_source_proposals", args=[source.pk])


def posted(proposal, **fields) -> dict:
    """The proposal's form as prefilled, with ``fields`` changed."""
    values = {**proposal.change, "quote": proposal.quote, **fields}
    data = {f"proposal-{proposal.pk}-{name}": value for name, value in values.items()}
    data = {name: value for name, value in data.items() if value is not False}
    return {**data, "proposal": str(proposal.pk), "accept": "Accept"}


def test_a_refused_correction_shows_on_its_field_and_writes_nothing(editor_client, source):
    revision = source.proposals.get(action=ProposalAction.EVENT)
    response = editor_client.post(inbox_url(source), posted(revision, new_date="2027-13-01"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "value has the correct format (YYYY-MM-DD) but it is an invalid date" in html
    assert not TimelineEvent.objects.filter(delivery__isnull=False).exists()
    revision.refresh_from_db()
    assert revision.status == ProposalStatus.PENDING


def test_the_source_page_links_its_inbox_with_how_many_are_handled(editor_client, source):
    page = editor_client.get(reverse("admin:tracker_source_change", args=[source.pk]))
    assert f'href="{inbox_url(source)}"' in page.content.decode()
    assert "0 of 3 proposals handled" in page.content.decode()


def test_a_viewer_reads_the_inbox_but_cannot_handle_a_proposal(viewer_client, source):
    page = viewer_client.get(inbox_url(source))
    assert page.status_code == 200
    assert "has now been postponed to 2027" in page.content.decode()
    assert 'name="accept"' not in page.content.decode()
    revision = source.proposals.get(action=ProposalAction.EVENT)
    assert viewer_client.post(inbox_url(source), posted(revision)).status_code == 403
    revision.refresh_from_db()
    assert revision.status == ProposalStatus.PENDING
