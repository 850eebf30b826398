"""The admin's key columns fit a 1400 px wide window on the curated data: the deliveries list
with slippage and lateness, the agreements list with each party's steps, and a record's
citations on its change page, none of them scrolled sideways.

Screenshots are saved under artifacts/browser/<test>/.
"""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.conftest import FIXTURES
from tracker.services.curated import curated_load

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "correct horse battery staple"


def hidden_width(page, selector: str) -> int:
    """How many pixels of ``selector``'s content are scrolled out of sight sideways, in it or
    in the page."""
    return page.evaluate(
        """selector => {
            const box = document.querySelector(selector);
            const page = document.documentElement;
            return Math.max(box.scrollWidth - box.clientWidth, page.scrollWidth - page.clientWidth);
        }""",
        selector,
    )


def test_the_key_columns_fit_at_1400_px(page, screenshot, reference_data):
    curated_load(fixtures_dir=FIXTURES)
    User.objects.create_superuser("editor", password=PASSWORD)
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto("/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")

    page.goto("/admin/tracker/delivery/")
    expect(page.locator("th.column-slippage_shown")).to_be_visible()
    row = page.locator("#result_list tr", has_text="S-400 Triumf air defence regiments")
    expect(row.locator("td.field-slippage_shown")).to_contain_text("postponed")
    assert hidden_width(page, "#changelist .results") <= 0
    screenshot("deliveries")

    page.goto("/admin/tracker/agreement/")
    relos = page.locator("#result_list tr", has_text="RELOS")
    expect(relos.locator("td.field-steps_by_party")).to_contain_text("IND: ratification pending")
    assert hidden_width(page, "#changelist .results") <= 0
    screenshot("agreements")

    page.click("#result_list a:text('Reciprocal Exchange of Logistics Support (RELOS)')")
    citations = page.locator("#citations-group")
    for column in ("Source", "Quote", "Figure", "Locator"):
        expect(citations.locator("thead th", has_text=column)).to_be_visible()
    assert hidden_width(page, "#citations-group .tabular") <= 0
    screenshot("relos-citations")
