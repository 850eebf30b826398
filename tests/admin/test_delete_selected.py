"""Deleting tranches and events from their lists keeps each delivery's schedule in step."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import make_delivery, make_revision
from tracker.models import Tranche

pytestmark = pytest.mark.django_db


def delete_selected(client, model_name: str, pks: list[int]):
    url = reverse(f"admin:tracker_{model_name}_changelist")
    data = {"action": "delete_selected", "_selected_action": pks, "post": "yes"}
    return client.post(url, data)


def test_deleting_selected_tranches_recomputes_the_schedule(editor_client):
    delivery = make_delivery(1)
    tranches = [
        Tranche.objects.create(
            delivery=delivery,
            sequence=n,
            quantity=1,
            planned_date=dt.date(2026, n, 1),
            planned_precision="month",
        )
        for n in (1, 2)
    ]
    delivery.refresh_from_db()
    assert delivery.forecast.display == "Feb 2026"  # the plan's last tranche

    response = delete_selected(editor_client, "tranche", [t.pk for t in tranches])

    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.baseline, delivery.forecast) == (None, None)


def test_deleting_selected_revisions_recomputes_the_schedule(editor_client):
    delivery = make_delivery(1)
    revision = make_revision(delivery, "2023-01-01", "2026-01-01")
    delivery.refresh_from_db()
    assert delivery.slippage_months == 36

    response = delete_selected(editor_client, "timelineevent", [revision.pk])

    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.forecast, delivery.slippage_months) == (None, None)
