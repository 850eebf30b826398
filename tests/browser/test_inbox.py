"""#28's second acceptance: an editor pastes a new article as a source, accepts the proposed
forecast revision and the value, and the delivery's slippage and history change; a rejected
proposal stays rejected after a reload."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.proposals.inbox import ARTICLE, REVISION_QUOTE, make_frigates
from tracker.models import Source

from .test_admin import account, log_in, save

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_editor_turns_a_pasted_article_into_a_revision_and_a_value(page, screenshot):
    account("editor", "Editors")
    frigates = make_frigates()
    log_in(page, "editor")

    page.goto("/admin/tracker/source/add/")
    page.fill("#id_title", "Frigate deliveries slip again")
    page.fill("#id_published_on", "2026-03-03")
    page.select_option("#id_published_precision", "day")
    page.fill("#id_paste_text", ARTICLE)
    save(page)
    page.wait_for_selector(".messagelist .success")
    source = Source.objects.get(title="Frigate deliveries slip again")

    page.goto(f"/admin/tracker/source/{source.pk}/change/")
    inbox = page.locator("a.proposal-inbox")
    expect(inbox).to_have_text("0 of 3 proposals handled")
    inbox.click()
    revision = page.locator("section.proposal[data-action=event]")
    expect(revision.locator("mark")).to_contain_text("has now been postponed to 2027")
    expect(revision.locator(".records")).to_contain_text("Talwar-class frigates")
    expect(revision.locator("dl.values")).to_contain_text("2027")
    expect(revision.locator("select[name$='-kind']")).to_have_value("forecast_revised")
    expect(revision.locator("input[name$='-old_date']")).to_have_value("2026-01-01")
    screenshot("inbox")

    revision.locator("textarea[name$='-quote']").fill(REVISION_QUOTE)
    revision.locator("input[name=accept]").click()
    page.wait_for_selector(".messagelist .success")
    expect(page.locator("#proposal-progress")).to_have_text("1 of 3 proposals handled")

    value = page.locator("section.proposal").filter(has=page.locator("dd", has_text="1.2"))
    expect(value.locator("input[name$='-value_currency']")).to_have_value("USD")
    value.locator("input[name=accept]").click()
    page.wait_for_selector(".messagelist .success")

    tranche = page.locator("section.proposal").filter(
        has=page.locator("input[name$='-figure'][value=tranche]")
    )
    tranche.locator("input[name$='-reason']").fill("The two frigates are the whole order.")
    tranche.locator("input[name=reject]").click()
    page.wait_for_selector(".messagelist .success")
    page.reload()
    rejected = page.locator("section.proposal-rejected")
    expect(rejected).to_have_count(1)
    expect(rejected.locator(".reason")).to_have_text("The two frigates are the whole order.")
    expect(page.locator("section.proposal-accepted")).to_have_count(2)
    expect(page.locator("#proposal-progress")).to_have_text("3 of 3 proposals handled")
    screenshot("inbox-handled")

    frigates.refresh_from_db()
    assert (frigates.baseline_date, frigates.forecast_date) == (
        dt.date(2026, 1, 1),
        dt.date(2027, 1, 1),
    )
    assert frigates.slippage_months == 12
    assert (frigates.value, frigates.value_currency) == (Decimal("1.2"), "USD")
    page.goto("/admin/tracker/delivery/")
    expect(page.locator("tr:has-text('Talwar-class') .slippage[data-months]")).to_have_text(
        "+12 mo"
    )
    page.goto(f"/admin/tracker/delivery/{frigates.pk}/history/")
    changes = page.locator("#change-history tbody").inner_text()
    assert "editor" in changes and "2027" in changes and "1.2" in changes
    screenshot("delivery-history")
