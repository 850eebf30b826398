"""A record's page: what each timeline event cites (one query for all events), and an
agreement's steps by party."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    make_agreement_ratified_by_russia_only,
    make_citation,
    make_delivery,
    make_event,
    make_source,
)

pytestmark = pytest.mark.django_db


def change_page(client, delivery) -> tuple[int, str]:
    url = reverse("admin:tracker_delivery_change", args=[delivery.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def cited_events(delivery, count: int) -> None:
    source = make_source(delivery.pk)
    for i in range(count):
        event = make_event(100 * delivery.pk + i, delivery=delivery, title=f"Event {i}")
        make_citation(event=event, source=source, quote=f"Quote number {i} of the event.")


def test_each_event_lists_its_citations_linked_to_their_pages(editor_client):
    delivery = make_delivery(1)
    cited_events(delivery, 1)
    make_event(2, delivery=delivery, title="Uncited event")

    _, page = change_page(editor_client, delivery)

    event = delivery.events.get(title="Event 0")
    citation = event.citations.get()
    link = reverse("admin:tracker_citation_change", args=[citation.pk])
    assert f'<a href="{link}">{citation.source.title}</a>: “Quote number 0 of the event.”' in page
    assert "none yet" in page  # the uncited event says so


def test_the_citations_of_all_events_are_read_at_once(editor_client):
    one, many = make_delivery(1), make_delivery(2)
    cited_events(one, 1)
    cited_events(many, 8)

    one_event, _ = change_page(editor_client, one)
    eight_events, page = change_page(editor_client, many)

    assert page.count("Quote number") == 8
    assert eight_events == one_event


def test_an_agreement_s_page_tabulates_each_party_s_steps(editor_client):
    agreement, ratified = make_agreement_ratified_by_russia_only()
    url = reverse("admin:tracker_agreement_change", args=[agreement.pk])

    page = editor_client.get(url).content.decode()

    table = page[page.index('<table class="party-steps">') :]
    table = table[: table.index("</table>")]
    rows = dict(re.findall(r"<tr><td>(India|Russia)</td>(.*?)</tr>", table))
    cells = {party: re.findall(r"<td>(.*?)</td>", row) for party, row in rows.items()}
    link = reverse("admin:tracker_timelineevent_change", args=[ratified.pk])
    # Signed, approved, ratified, entered into force, denounced.
    assert cells["Russia"][2] == f'<a href="{link}">2025-12-01</a>, State Duma (Russia)'
    assert cells["India"][2] == "pending"
    assert cells["India"][0] == cells["Russia"][0] != "—"  # the joint signature


def test_the_agreements_list_gives_each_party_s_latest_step_or_what_is_awaited(editor_client):
    make_agreement_ratified_by_russia_only()

    page = editor_client.get(reverse("admin:tracker_agreement_changelist")).content.decode()

    assert "IND: signed 2025-02-18; ratification pending<br>RUS: ratified 2025-12-01" in page


def test_only_editors_get_the_fields_that_add_a_citation_to_an_event(client, editor, viewer):
    delivery = make_delivery(1)
    cited_events(delivery, 1)

    client.force_login(editor)
    _, for_editor = change_page(client, delivery)
    client.force_login(viewer)
    _, for_viewer = change_page(client, delivery)

    assert "Add a source" in for_editor
    assert "Quote number 0 of the event." in for_viewer
    assert "Cite source" not in for_viewer and "Add a source" not in for_viewer
