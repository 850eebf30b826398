"""A record's page shows what each timeline event cites, read with one query for all events."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import make_citation, make_delivery, make_event, make_source

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
