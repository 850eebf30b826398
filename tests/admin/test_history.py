"""Who changed what and when, whatever path made the change, visible from the record's page."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import make_delivery, make_revision
from tracker.models import Delivery
from tracker.resources import DeliveryResource

from .helpers import assert_history_change, form_data

pytestmark = pytest.mark.django_db


def rename_in_admin(client, delivery, title):
    url = reverse("admin:tracker_delivery_change", args=[delivery.pk])
    data = form_data(client.get(url))
    data["title"] = title
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]


def test_the_history_page_shows_who_changed_which_field_from_what_to_what(editor_client, editor):
    delivery = make_delivery(1, title="S-400")
    rename_in_admin(editor_client, delivery, "S-400 Triumf")

    page = editor_client.get(reverse("admin:tracker_delivery_history", args=[delivery.pk]))

    assert_history_change(delivery, "title", "S-400", "S-400 Triumf", user=editor)
    html = page.content.decode()
    assert "editor" in html
    assert "<strong>title:</strong>" in html.replace("Title", "title")
    assert "S-400\n" in html or "S-400 " in html
    assert "S-400 Triumf" in html


def test_derived_schedule_changes_are_listed_on_the_history_page(editor_client):
    delivery = make_delivery(1)
    rename_in_admin(editor_client, delivery, "Renamed")
    make_revision(delivery, "2023-01-01", "2026-01-01")
    rename_in_admin(editor_client, delivery, "Renamed again")

    html = editor_client.get(
        reverse("admin:tracker_delivery_history", args=[delivery.pk])
    ).content.decode()

    assert "slippage months" in html.lower()


def test_a_record_can_be_seen_as_it_was(editor_client):
    delivery = make_delivery(1, title="Old title")
    first = delivery.history.earliest()
    rename_in_admin(editor_client, delivery, "New title")

    url = reverse("admin:tracker_delivery_simple_history", args=[delivery.pk, first.history_id])
    html = editor_client.get(url).content.decode()

    assert 'value="Old title"' in html


def test_a_viewer_sees_an_earlier_version_read_only_and_cannot_revert_to_it(viewer_client):
    delivery = make_delivery(1, title="Old title")
    first = delivery.history.earliest()
    Delivery.objects.filter(pk=delivery.pk).update(title="New title")
    url = reverse("admin:tracker_delivery_simple_history", args=[delivery.pk, first.history_id])

    page = viewer_client.get(url)
    refused = viewer_client.post(url, {"title": "Old title"})

    html = page.content.decode()
    assert page.status_code == 200
    assert "Old title" in html
    assert 'name="title"' not in html
    assert "Revert" not in html
    assert 'name="_save"' not in html
    assert refused.status_code == 403
    assert Delivery.objects.get(pk=delivery.pk).title == "New title"


def test_changes_made_by_a_management_command_are_in_the_history(tmp_path):
    delivery = make_delivery(1, title="S-400")
    dataset = DeliveryResource().export()
    dataset.dict = [{**row, "title": "S-400 Triumf"} for row in dataset.dict]
    path = tmp_path / "deliveries.csv"
    path.write_text(dataset.csv)

    call_command("import", "tracker.resources.DeliveryResource", str(path), "--no-input")

    assert_history_change(delivery, "title", "S-400", "S-400 Triumf", user=False)
