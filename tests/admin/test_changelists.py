"""Every changelist runs the same number of queries for 1 row as for 100 rows on the page."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import MAKERS

TRACKER_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "tracker"),
    key=lambda model: model.__name__,
)


def test_every_tracker_model_is_in_the_admin():
    assert set(TRACKER_MODELS) == set(MAKERS)


def changelist_queries(client, model) -> tuple[int, str]:
    url = reverse(f"admin:tracker_{model._meta.model_name}_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("model", TRACKER_MODELS, ids=lambda model: model.__name__)
def test_changelist_queries_do_not_grow_with_the_page(editor_client, monkeypatch, model):
    """Parties and sectors start with the vocabulary rows; the others start empty."""
    monkeypatch.setattr(admin.site._registry[model], "list_per_page", 100)
    MAKERS[model](0)
    one_row, _ = changelist_queries(editor_client, model)
    for i in range(1, 100):
        MAKERS[model](i)
    many_rows, page = changelist_queries(editor_client, model)
    assert page.count('class="action-select"') == 100
    assert many_rows == one_row, f"{model.__name__}: {one_row} queries for 1 row, {many_rows}"


@pytest.mark.django_db
def test_delivery_list_shows_badge_dates_at_precision_and_slippage(editor_client):
    from .factories import make_delivery, make_revision

    late = make_delivery(1, title="S-400 Triumf")
    make_revision(late, "2023-01-01", "2026-01-01")
    make_delivery(2, title="Kudankulam fuel")
    page = editor_client.get(reverse("admin:tracker_delivery_changelist")).content.decode()
    assert 'class="badge badge-orange" data-status="in_progress"' in page
    assert '<td class="field-baseline">2023</td>' in page
    assert 'data-months="36">+36 mo' in page
    assert "slippage-unknown" in page
    assert "USD 5.43 billion" in page
    assert page.index("S-400 Triumf") < page.index("Kudankulam fuel")
