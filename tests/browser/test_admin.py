"""An editor and a viewer at work in the real admin, in headless Chromium.

One story, step by step, with a screenshot of each step in artifacts/browser/.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from tests.factories import (
    make_agreement_ratified_by_russia_only,
    make_citation,
    make_delivery,
    make_revision,
    make_source,
    make_trade,
)
from tracker.models import Delivery

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "correct horse battery staple"


def account(username: str, group: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(page, username: str) -> None:
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


def log_out(page) -> None:
    page.click("#logout-form button")
    page.wait_for_selector("text=Logged out")


def autocomplete(page, field_id: str, text: str) -> None:
    """Pick ``text`` in an autocomplete (select2) field, as an editor would."""
    page.click(f"#{field_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def add_inline(page, group: str) -> int:
    """Click "Add another" in an inline group; returns the index of the new row."""
    index = page.locator(f"#{group}-group .dynamic-{group}").count()
    page.click(f"#{group}-group .add-row a")
    return index


def fill_event(page, index: int, **fields) -> None:
    for name, value in fields.items():
        selector = f"#id_events-{index}-{name}"
        if page.locator(selector).evaluate("e => e.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)


def save(page) -> None:
    page.click("input[name=_save]")
    page.wait_for_load_state()


def trade_figures() -> None:
    for year, flow, value in [
        (2023, "import", "60.0"),
        (2023, "export", "4.3"),
        (2024, "import", "63.84"),
        (2024, "export", "4.88"),
    ]:
        make_trade(
            year,
            slug=f"trade-{year}-{flow}",
            flow=flow,
            value=Decimal(value),
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            counts_toward_totals=True,
        )


def test_editor_and_viewer_in_the_admin(page, screenshot):
    account("editor", "Editors")
    account("viewer", "Viewers")
    source = make_source(1, title="The Hindu, 4 Dec 2025")
    trade_figures()

    # 1. An editor logs in and adds a delivery with two events and a citation on one page.
    log_in(page, "editor")
    screenshot("editor-logged-in")
    page.goto("/admin/tracker/delivery/add/")
    page.fill("#id_title", "S-400 Triumf")
    page.select_option("#id_kind", "purchase")
    page.select_option("#id_status", "in_progress")
    autocomplete(page, "id_supplier", "Russia")
    autocomplete(page, "id_recipient", "India")
    page.fill("#id_ordered_on", "2018-10-05")
    page.select_option("#id_ordered_precision", "day")
    page.fill("#id_quantity_ordered", "5")
    page.fill("#id_quantity_unit", "regiments")
    first = add_inline(page, "events")
    fill_event(page, first, kind="ordered", date="2018-10-05", precision="day", title="Contract")
    second = add_inline(page, "events")
    fill_event(
        page,
        second,
        kind="postponed",
        date="2025-06-01",
        precision="month",
        title="Last two regiments postponed",
        old_date="2023-01-01",
        old_precision="year",
        new_date="2026-01-01",
        new_precision="year",
    )
    citation = add_inline(page, "citations")
    autocomplete(page, f"id_citations-{citation}-source", source.title)
    page.fill(f"#id_citations-{citation}-quote", "Two regiments will arrive in 2026.")
    screenshot("delivery-filled-in")
    save(page)
    page.wait_for_selector(".messagelist .success")
    delivery = Delivery.objects.get(slug="s-400-triumf")
    assert delivery.events.count() == 2
    assert delivery.citations.count() == 1
    assert delivery.slippage_months == 36
    screenshot("delivery-saved")

    # 2. Tranches adding up to more than was ordered are refused on the quantity field.
    change_url = f"/admin/tracker/delivery/{delivery.pk}/change/"
    page.goto(change_url)
    for sequence, quantity in [("1", "3"), ("2", "3")]:
        row = add_inline(page, "tranches")
        page.fill(f"#id_tranches-{row}-sequence", sequence)
        page.fill(f"#id_tranches-{row}-quantity", quantity)
    save(page)
    error = page.locator("#tranches-group td.field-quantity .errorlist").first
    assert "Delivered more than ordered" in error.inner_text()
    assert "Quantity:" in page.locator("#tranches-group .errorlist.nonform").inner_text()
    assert not delivery.tranches.exists()
    screenshot("more-than-ordered-refused")

    # 3. Moving the forecast changes the slippage and the history records the change.
    page.goto(change_url)
    revision = page.locator("#events-group .dynamic-events").filter(
        has=page.locator("option[value=postponed][selected]")
    )
    revision.locator("input[name$='-new_date']").fill("2027-01-01")
    save(page)
    page.wait_for_selector(".messagelist .success")
    page.goto("/admin/tracker/delivery/")
    # The slippage badge; an "overdue" one joins it once 2027 has passed.
    slippage = page.locator("tr:has-text('S-400 Triumf') .slippage[data-months]")
    assert slippage.inner_text() == "+48 mo"
    screenshot("slippage-moved")
    page.goto(f"/admin/tracker/delivery/{delivery.pk}/history/")
    latest = page.locator("#change-history tbody tr").first
    assert "editor" in latest.inner_text()
    assert "36" in latest.inner_text() and "48" in latest.inner_text()
    screenshot("history")
    log_out(page)

    # 4. A viewer finds no way to change anything.
    log_in(page, "viewer")
    page.goto("/admin/tracker/delivery/")
    assert page.locator("a.addlink, a.import_link, .object-tools a[href$='/import/']").count() == 0
    page.goto(change_url)
    assert page.locator("input[name=_save], #id_title, a.deletelink").count() == 0
    screenshot("viewer-read-only")
    first_version = delivery.history.earliest().history_id
    page.goto(f"/admin/tracker/delivery/{delivery.pk}/history/{first_version}/")
    assert page.locator("input[type=submit][name=_save]").count() == 0
    screenshot("viewer-sees-earlier-version")

    # 5. The dashboard draws both charts from the data.
    page.goto("/admin/")
    page.click("#open-dashboard")
    assert page.locator("#trade-chart rect.bar").count() >= 6
    assert page.locator("#slippage-chart circle.marker").count() >= 2
    assert page.locator("#late-deliveries").inner_text().count("S-400 Triumf") == 1
    screenshot("dashboard")


def test_a_list_is_filtered_by_a_source_picked_by_typing(page, screenshot):
    """The source filter offers sources as the viewer types, not as a list of every one."""
    account("viewer", "Viewers")
    cited = make_source(1, title="SIPRI Arms Transfers Database")
    make_source(2, title="Annual report")
    make_citation(1, source=cited, delivery=make_delivery(1, title="S-400 Triumf"))
    make_delivery(2, title="Kudankulam fuel")
    log_in(page, "viewer")
    page.goto("/admin/tracker/delivery/")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 2

    page.click("[data-filter-parameter=source] + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", "sipri")
    expect(page.locator(".select2-results__option")).to_have_text([cited.title])
    page.click(f".select2-results__option:has-text('{cited.title}')")
    page.wait_for_url(lambda url: f"source={cited.pk}" in url)
    assert rows.count() == 1 and "S-400 Triumf" in rows.inner_text()
    screenshot("filtered-by-source")

    page.click("[data-filter-parameter=source] + .select2 .select2-selection__clear")
    page.wait_for_url(lambda url: "source=" not in url)
    assert rows.count() == 2


def test_the_front_page_and_a_delivery_s_forecast_chart_render(page, screenshot):
    """At a glance without logging in; the forecast chart drawn on the delivery's page; no
    Content-Security-Policy violation on either."""
    violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and violations.append(message.text)
        ),
    )
    account("viewer", "Viewers")
    late = make_delivery(1, title="Frigates")
    make_revision(late, "2023-01-01", "2025-01-01", date=dt.date(2022, 6, 1))
    make_revision(late, "2025-01-01", "2026-01-01", date=dt.date(2024, 3, 1))
    make_agreement_ratified_by_russia_only()

    page.goto("/")
    glance = page.locator("#at-a-glance")
    expect(glance).to_contain_text("Frigates: +36 months, from 2023 to 2026")
    expect(glance).to_contain_text("India pending; Russia ratified 2025-12-01")
    screenshot("front-page")

    log_in(page, "viewer")
    page.goto(f"/admin/tracker/delivery/{late.pk}/change/")
    line = page.locator("#forecast-chart .forecast-line")
    assert line.bounding_box()["width"] > 200
    expect(page.locator("#forecast-chart circle[data-kind=revision]")).to_have_count(2)
    # A viewer sees what each event cites, and no empty fields to add a citation.
    expect(page.locator("#events-group .field-cited").first).to_contain_text("none yet")
    expect(page.locator("#events-group")).not_to_contain_text("Cite source")
    screenshot("forecast-chart")
    assert violations == []
