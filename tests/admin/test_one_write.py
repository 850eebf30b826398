"""A delivery saved with its tranches and events, on any path, is written once: one history row
holding its final schedule, never a state between."""

import datetime as dt

import pytest
import tablib
from django.urls import reverse

from tests.factories import make_delivery, make_tranche
from tracker.models import Delivery, Tranche
from tracker.models.deliveries import one_write_per_delivery
from tracker.resources import TrancheResource

from .helpers import add_inline_rows, form_data
from .test_forms import ADD_DELIVERY, new_delivery_data

pytestmark = pytest.mark.django_db

SCHEDULE = ("baseline_date", "forecast_date", "slippage_months", "postponed_from_unknown")
UNDELIVERED = {"actual_date": None, "actual_precision": None}
REVISION = {
    "kind": "postponed",
    "date": "2025-06-01",
    "precision": "month",
    "title": "Postponed",
    "old_date": "2024-01-01",
    "old_precision": "year",
    "new_date": "2026-01-01",
    "new_precision": "year",
}


def planned(sequence: int, year: int) -> dict:
    return {
        "sequence": str(sequence),
        "quantity": "1",
        "planned_date": f"{year}-01-01",
        "planned_precision": "year",
    }


def schedule(row) -> tuple:
    return tuple(getattr(row, name) for name in SCHEDULE)


def new_rows(delivery: Delivery, before: int) -> list:
    return list(delivery.history.order_by("history_date", "history_id"))[before:]


def test_an_admin_page_with_tranches_and_a_revision_writes_one_true_history_row(
    editor_client, editor
):
    delivery = make_delivery(1)
    before = delivery.history.count()
    url = reverse("admin:tracker_delivery_change", args=[delivery.pk])
    data = add_inline_rows(form_data(editor_client.get(url)), "tranches", [planned(1, 2023)])
    add_inline_rows(data, "events", [REVISION])
    data["summary"] = "Two regiments postponed."

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    delivery.refresh_from_db()
    assert schedule(delivery) == (dt.date(2024, 1, 1), dt.date(2026, 1, 1), 24, False)
    (row,) = new_rows(delivery, before)
    assert (row.history_type, row.history_user, row.summary) == ("~", editor, delivery.summary)
    assert schedule(row) == schedule(delivery)


def test_an_admin_add_page_writes_the_delivery_created_with_its_schedule(editor_client):
    data = add_inline_rows(
        new_delivery_data(editor_client), "tranches", [planned(1, 2025), planned(2, 2026)]
    )

    response = editor_client.post(ADD_DELIVERY, data)

    assert response.status_code == 302, response.context["errors"]
    delivery = Delivery.objects.get(slug="s-400")
    (row,) = delivery.history.all()
    assert row.history_type == "+"
    assert schedule(row) == schedule(delivery) == (dt.date(2026, 1, 1),) * 2 + (0, False)


def test_deleting_several_tranches_in_the_admin_writes_the_delivery_once(editor_client):
    delivery = make_delivery(1)
    # Deleted in sequence order: alone, each deletion would change the schedule.
    make_tranche(delivery=delivery, sequence=1, planned_date=dt.date(2027, 1, 1), **UNDELIVERED)
    make_tranche(delivery=delivery, sequence=2, planned_date=dt.date(2025, 1, 1), **UNDELIVERED)
    before = delivery.history.count()

    response = editor_client.post(
        reverse("admin:tracker_tranche_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [str(pk) for pk in delivery.tranches.values_list("pk", flat=True)],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    delivery.refresh_from_db()
    (row,) = new_rows(delivery, before)
    assert schedule(row) == schedule(delivery) == (None, None, None, False)


def test_an_import_of_tranches_writes_each_delivery_once():
    delivery = make_delivery(1)
    before = delivery.history.count()
    rows = [
        {
            "delivery": delivery.slug,
            "sequence": sequence,
            "quantity": 1,
            "planned_date": f"{2023 + sequence}-01-01",
            "planned_precision": "year",
        }
        for sequence in (1, 2, 3)
    ]
    dataset = tablib.Dataset()
    dataset.dict = rows

    result = TrancheResource().import_data(dataset)

    assert not result.has_errors() and not result.has_validation_errors()
    assert Tranche.objects.filter(delivery=delivery).count() == 3
    delivery.refresh_from_db()
    (row,) = new_rows(delivery, before)
    assert schedule(row) == schedule(delivery) == (dt.date(2026, 1, 1),) * 2 + (0, False)


def test_a_dry_run_import_writes_nothing():
    delivery = make_delivery(1)
    before = delivery.history.count()
    dataset = tablib.Dataset()
    dataset.dict = [{"delivery": delivery.slug, "sequence": 1, "quantity": 1}]

    TrancheResource().import_data(dataset, dry_run=True)

    assert (delivery.tranches.count(), delivery.history.count()) == (0, before)


def test_a_failed_unit_of_work_leaves_no_trace():
    delivery = make_delivery(1)
    before = delivery.history.count()
    with pytest.raises(RuntimeError), one_write_per_delivery():
        make_tranche(delivery=delivery, sequence=1, planned_date=dt.date(2025, 1, 1), **UNDELIVERED)
        raise RuntimeError
    assert (delivery.tranches.count(), delivery.history.count()) == (0, before)


def test_an_affected_delivery_whose_schedule_stays_gets_no_history_row():
    delivery = make_delivery(1)
    make_tranche(delivery=delivery, sequence=1, planned_date=dt.date(2025, 1, 1), **UNDELIVERED)
    before = delivery.history.count()
    with one_write_per_delivery():
        Tranche.objects.filter(delivery=delivery).get().save()
    assert delivery.history.count() == before
