"""Validation on the admin's pages: one page per record, rules named on their fields."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.factories import make_delivery, make_source, parties
from tracker.models import Citation, Delivery, TimelineEvent
from tracker.models.deliveries import TOO_MANY, too_many
from tracker.text import CONTROL_CHARACTER_MESSAGE

from .helpers import add_inline_rows, assert_history_change, form_data

pytestmark = pytest.mark.django_db

ADD_DELIVERY = reverse("admin:tracker_delivery_add")


def new_delivery_data(client, **fields) -> dict:
    india, russia = parties()
    data = form_data(client.get(ADD_DELIVERY))
    data.update(
        title="S-400 Triumf",
        slug="s-400",
        kind="purchase",
        status="in_progress",
        supplier=str(russia.pk),
        recipient=str(india.pk),
        ordered_on="2018-10-05",
        ordered_precision="day",
        quantity_ordered="5",
        quantity_unit="regiments",
        **fields,
    )
    return data


def tranche(sequence: int, quantity: int) -> dict:
    return {"sequence": str(sequence), "quantity": str(quantity)}


def test_a_delivery_with_events_and_citations_is_added_on_one_page(editor_client):
    source = make_source(1)
    data = new_delivery_data(editor_client)
    add_inline_rows(
        data,
        "events",
        [
            {"kind": "ordered", "date": "2018-10-05", "precision": "day", "title": "Contract"},
            {
                "kind": "postponed",
                "date": "2025-06-01",
                "precision": "month",
                "title": "Last two regiments postponed",
                "old_date": "2023-01-01",
                "old_precision": "year",
                "new_date": "2026-01-01",
                "new_precision": "year",
                "cite_source": str(source.pk),
                "cite_quote": "The remaining two regiments will arrive in 2026.",
            },
        ],
    )
    add_inline_rows(data, "citations", [{"source": str(source.pk), "quote": "A $5.43 B deal."}])

    response = editor_client.post(ADD_DELIVERY, data)

    assert response.status_code == 302, response.context["errors"]
    delivery = Delivery.objects.get(slug="s-400")
    assert delivery.events.count() == 2
    assert delivery.slippage_months == 36
    assert Citation.objects.get(delivery=delivery).quote == "A $5.43 B deal."
    event_citation = Citation.objects.get(event__delivery=delivery)
    assert event_citation.source == source
    assert event_citation.event.kind == "postponed"


def test_tranches_above_the_quantity_ordered_are_refused_on_the_quantity_field(editor_client):
    data = add_inline_rows(
        new_delivery_data(editor_client), "tranches", [tranche(1, 3), tranche(2, 3)]
    )

    response = editor_client.post(ADD_DELIVERY, data)

    assert response.status_code == 200
    assert not Delivery.objects.exists()
    formset = next(
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "tranches"
    )
    message = f"{TOO_MANY} (6 > 5)"
    assert formset.forms[1].errors["quantity"] == [message]
    assert formset.non_form_errors() == [f"Quantity: {message}"]
    assert 'class="field-quantity"' in response.content.decode()


def test_lowering_the_quantity_below_the_tranches_on_the_same_page_is_refused(editor_client):
    delivery = make_delivery(1, quantity_ordered=Decimal(10))
    url = reverse("admin:tracker_delivery_change", args=[delivery.pk])
    data = add_inline_rows(form_data(editor_client.get(url)), "tranches", [tranche(1, 4)])
    data["quantity_ordered"] = "3"

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert not delivery.tranches.exists()
    assert escape(too_many(4, 3)) in response.content.decode()


def test_a_model_rule_is_stated_on_its_field(editor_client):
    data = new_delivery_data(editor_client, value="5.43")

    response = editor_client.post(ADD_DELIVERY, data)

    errors = response.context["adminform"].form.errors
    assert errors["value_currency"] == [
        "Give the currency and unit of the value (e.g. USD, billion)."
    ]


def test_a_control_character_is_refused_on_its_field(editor_client):
    data = new_delivery_data(editor_client, summary="Two\r\nlines")
    data["title"] = "S-400\x07 Triumf"
    response = editor_client.post(ADD_DELIVERY, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert dict(errors) == {"title": [CONTROL_CHARACTER_MESSAGE]}
    assert not Delivery.objects.filter(slug="s-400").exists()


def test_a_quote_without_a_source_names_the_source_field(editor_client):
    data = add_inline_rows(
        new_delivery_data(editor_client),
        "events",
        [{"kind": "ordered", "date": "2018", "precision": "year", "title": "Ordered"}],
    )
    data["events-0-date"] = "2018-01-01"
    data["events-0-cite_quote"] = "Ordered in 2018."

    response = editor_client.post(ADD_DELIVERY, data)

    formset = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "events"
    )
    assert formset.forms[0].errors["cite_source"] == ["Name the source of this quote."]


def test_forecast_revisions_move_the_slippage_and_the_history_records_it(editor_client, editor):
    delivery = make_delivery(1)
    url = reverse("admin:tracker_delivery_change", args=[delivery.pk])
    revision = {
        "kind": "postponed",
        "date": "2025-06-01",
        "precision": "month",
        "title": "Postponed",
        "old_date": "2023-01-01",
        "old_precision": "year",
        "new_date": "2026-01-01",
        "new_precision": "year",
    }
    data = add_inline_rows(form_data(editor_client.get(url)), "events", [revision])
    assert editor_client.post(url, data).status_code == 302
    assert_history_change(delivery, "slippage_months", None, 36, user=editor)

    data = form_data(editor_client.get(url))
    data["events-0-new_date"] = "2027-01-01"
    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    delivery.refresh_from_db()
    assert (delivery.slippage_months, delivery.forecast_date) == (48, dt.date(2027, 1, 1))
    assert_history_change(delivery, "slippage_months", 36, 48, user=editor)
    assert_history_change(delivery, "forecast_date", dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    event = TimelineEvent.objects.get(delivery=delivery)
    assert_history_change(event, "new_date", dt.date(2026, 1, 1), dt.date(2027, 1, 1), user=editor)


@pytest.mark.parametrize(
    ("source_fields", "quote", "field", "message"),
    [
        ({}, "Ordered in 2018.", "cite_source", "has no archived text to check the quote"),
        (
            {"text": "The contract was signed in October 2018."},
            "Ordered in 2018.",
            "cite_quote",
            "The closest passage: “",
        ),
    ],
)
def test_an_event_rows_quote_is_verified_on_its_field(
    editor_client, source_fields, quote, field, message
):
    from tracker.services.sources import archive, pasted

    source = make_source(1, no_archived_text=False)
    if "text" in source_fields:
        archive(source, pasted(source_fields["text"]))
    data = add_inline_rows(
        new_delivery_data(editor_client),
        "events",
        [{"kind": "ordered", "date": "2018-01-01", "precision": "year", "title": "Ordered"}],
    )
    data.update({"events-0-cite_source": str(source.pk), "events-0-cite_quote": quote})

    response = editor_client.post(ADD_DELIVERY, data)

    formset = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "events"
    )
    assert message in formset.forms[0].errors[field][0]
    assert not Delivery.objects.filter(slug="s-400").exists()
