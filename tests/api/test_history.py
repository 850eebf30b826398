"""Changes made through the API appear in the change history, with the user who made them."""

import datetime as dt

import pytest

from tests.admin.helpers import assert_history_change
from tracker.models import Delivery, Issue

from .conftest import API, etag

pytestmark = pytest.mark.django_db


def test_an_api_edit_is_recorded_with_its_user_and_old_value(curated, editor_api, editor):
    url = f"{API}issues/indian-nationals-in-russian-army/"
    issue = Issue.objects.get(slug="indian-nationals-in-russian-army")
    old_severity = issue.severity
    new_severity = "critical" if old_severity != "critical" else "high"

    response = editor_api.patch(
        url, {"severity": new_severity}, format="json", HTTP_IF_MATCH=etag(editor_api, url)
    )

    assert response.status_code == 200, response.content
    assert_history_change(issue, "severity", old_severity, new_severity, user=editor)


def test_a_forecast_revision_posted_to_the_api_records_the_slippage_change(
    curated, editor_api, editor
):
    delivery = Delivery.objects.get(slug="akula-class-submarine-lease")
    revision = {
        "kind": "forecast_revised",
        "title": "Lease pushed back again",
        "delivery": delivery.slug,
        "date": {"date": "2026-06-01", "precision": "month"},
        "old_date": {"date": "2025-01-01", "precision": "year"},
        "new_date": {"date": "2029-01-01", "precision": "year"},
    }

    response = editor_api.post(f"{API}events/", revision, format="json")

    assert response.status_code == 201, response.content
    delivery.refresh_from_db()
    assert delivery.forecast_date == dt.date(2029, 1, 1)
    old_forecast = delivery.history.order_by("-history_date", "-history_id")[1].forecast_date
    assert_history_change(delivery, "forecast_date", old_forecast, dt.date(2029, 1, 1), user=editor)
    entry = delivery.history.order_by("-history_date", "-history_id")[0]
    assert entry.history_change_reason == "Schedule recomputed from tranches and forecast revisions"
