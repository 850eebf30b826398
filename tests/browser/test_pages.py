"""The public pages as an anonymous visitor sees them, in headless Chromium, on the curated
data: the story of acceptance (front page → S-400 → RELOS → timeline → search), every page at
375 px and 1400 px wide without sideways scrolling, and every page through axe-core.

Screenshots of each step are saved under artifacts/browser/<test>/.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.conftest import FIXTURES
from tracker.services.curated import curated_load

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
WIDTHS = (375, 1400)
#: What axe-core may not find on any page.
BLOCKING = {"serious", "critical"}


@pytest.fixture
def curated_site(reference_data):
    """The curated data set, committed, so that the live server's thread reads it."""
    curated_load(fixtures_dir=FIXTURES)


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def at_both_widths(page, screenshot, name: str) -> None:
    """The page fits at 375 px and at 1400 px wide; a screenshot at each."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert overflow(page) <= 0, f"{name} scrolls sideways at {width} px"
        screenshot(f"{name}-{width}")


def test_a_visitor_follows_the_s400_and_relos_to_the_timeline_and_a_search(
    page, screenshot, curated_site
):
    page.goto("/")
    at_both_widths(page, screenshot, "front-page")

    page.click("#at-a-glance a:text('S-400 Triumf air defence regiments')")
    expect(page).to_have_url(re.compile(r"/deliveries/s-400-triumf/$"))
    expect(page.locator("#forecast")).to_have_text("2026")
    expect(page.locator("#slippage")).to_contain_text("postponed by an unknown span")
    expect(page.locator("#baseline")).to_contain_text("unknown")
    quotes = page.locator("#record blockquote.quote")
    assert quotes.count() >= 2
    expect(page.locator("#timeline")).to_contain_text("2026")
    expect(page.locator("#forecast-chart")).to_be_visible()
    expect(page.locator("a:text('JSON in the API')")).to_have_attribute(
        "href", "/api/v1/deliveries/s-400-triumf/"
    )
    expect(page.locator("a:text('Timeline as a calendar (iCalendar)')")).to_have_attribute(
        "href", "/api/v1/deliveries/s-400-triumf/timeline.ics"
    )
    at_both_widths(page, screenshot, "s-400")

    page.goto("/")
    page.click("#at-a-glance a:text('Reciprocal Exchange of Logistics Support (RELOS)')")
    expect(page).to_have_url(re.compile(r"/agreements/relos/$"))
    expect(page.locator("tr[data-party=IND] td[data-step=ratified]")).to_have_text("pending")
    russia = page.locator("tr[data-party=RUS] td[data-step=ratified]")
    expect(russia).to_contain_text("2025-12-01")
    expect(russia).to_contain_text("State Duma")
    at_both_widths(page, screenshot, "relos")

    page.click("nav.pages-nav a:text('Timeline')")
    page.select_option("#id_sector", "defence")
    page.fill("#id_date_from", "2025-01-01")
    page.fill("#id_date_to", "2025-12-31")
    page.click("form.filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"sector=defence"))
    dates = page.locator(".month .when").all_inner_texts()
    assert dates and all("2025" in date for date in dates), dates
    ics = page.locator("#timeline-ics").get_attribute("href")
    assert ics.startswith("/api/v1/timeline.ics?") and "sector=defence" in ics
    assert "date_from=2025-01-01" in ics and "date_to=2025-12-31" in ics
    at_both_widths(page, screenshot, "timeline-defence-2025")

    page.fill("#site-search", "Duma")
    page.press("#site-search", "Enter")
    expect(page.locator("#search")).to_contain_text("RELOS")
    expect(page.locator("#search mark").first).to_have_text(re.compile("Duma", re.I))
    at_both_widths(page, screenshot, "search-duma")


PUBLIC_PAGES = [
    "/",
    "/agreements/",
    "/agreements/relos/",
    "/deliveries/",
    "/deliveries/board/",
    "/deliveries/s-400-triumf/",
    "/trade-records/",
    "/issues/",
    "/issues/indian-nationals-in-russian-army/",
    "/sources/",
    "/sources/rebalancing-relations-2025/",
    "/timeline/",
    "/timeline/?sector=defence&date_from=2025-01-01&date_to=2025-12-31",
    "/search/?q=Duma",
]


def test_every_public_page_passes_axe_core_and_fits_both_widths(page, screenshot, curated_site):
    trade_record = "/trade-records/" + curated_trade_record_slug()
    axe = Axe()
    for path in [*PUBLIC_PAGES, trade_record]:
        page.goto(path)
        violations = axe.run(page).response["violations"]
        blocking = [
            f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
            for v in violations
            if v["impact"] in BLOCKING
        ]
        assert not blocking, f"{path}: {blocking}"
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            assert overflow(page) <= 0, f"{path} scrolls sideways at {width} px"
        page.set_viewport_size({"width": 1280, "height": 900})


def curated_trade_record_slug() -> str:
    from tracker.models import TradeRecord

    return TradeRecord.objects.filter(counts_toward_totals=True).order_by("id").first().slug + "/"
