"""Saving an admin page unchanged writes nothing: no history entry, no change listed."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.api.conftest import API
from tests.api.test_unchanged_writes import latest_cursor
from tracker.models import Delivery

from .helpers import form_data

pytestmark = pytest.mark.usefixtures("curated")


def test_saving_an_admin_page_unchanged_changes_nothing(editor_client):
    anon = APIClient()
    delivery = Delivery.objects.get(slug="s-400-triumf")
    entries, updated_at = delivery.history.count(), delivery.updated_at
    cursor = latest_cursor(anon)
    url = reverse("admin:tracker_delivery_change", args=[delivery.pk])

    response = editor_client.post(url, form_data(editor_client.get(url)))

    assert response.status_code == 302, response.content
    delivery.refresh_from_db()
    assert (delivery.history.count(), delivery.updated_at) == (entries, updated_at)
    assert anon.get(f"{API}changes/", {"cursor": cursor}).json()["results"] == []
