"""The front page at ``/``: the relationship at a glance, with sources, and where to go next
(the admin's "View site" link and the README's first address)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.admin.factories import (
    make_agreement_ratified_by_russia_only,
    make_citation,
    make_deliveries_late_and_not,
    make_delivery,
    make_revision,
    make_source,
)
from tracker.models import Delivery

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a [^>]*href="([^"]+)"')


def links(page: str) -> list[str]:
    return [href for href in LINK.findall(page) if href.startswith("/")]


def test_the_front_page_links_the_dashboard_the_admin_and_the_api(client):
    response = client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    for name in ("admin-dashboard", "admin:index", "api:api-root", "api:docs", "api:schema"):
        assert reverse(name) in links(page), name
    assert "ask you to log in" in page


def test_every_link_on_the_front_page_leads_somewhere(client):
    for href in links(client.get("/").content.decode()):
        response = client.get(href)
        login = reverse("admin:login")
        assert response.status_code == 200 or response.url.startswith(login), href


def test_the_admin_s_view_site_link_opens_the_front_page(admin_client):
    admin_page = admin_client.get(reverse("admin:index")).content.decode()
    assert '<a href="/">View site</a>' in admin_page
    page = admin_client.get("/").content.decode()
    assert "ask you to log in" not in page
    assert "Log out" in page


def glance(client) -> str:
    """The "At a glance" section, with its runs of white space made single spaces."""
    page = " ".join(client.get("/").content.decode().split())
    return page[page.index('id="at-a-glance"') : page.index('id="for-editors"')]


def test_the_late_deliveries_are_at_a_glance_with_the_quote_behind_each(client):
    make_deliveries_late_and_not()
    postponed = Delivery.objects.get(slug="postponed")
    source = make_source(1, title="Rebalancing Relations, 2025")
    make_citation(event=postponed.events.get(), source=source, quote="pushed back to 2090")

    section = glance(client)

    listed = re.findall(r'<a href="/api/v1/deliveries/([-\w]+)/">', section)
    assert listed == ["slipped", "overdue", "postponed"]
    assert "+36 months</span>, from 2087 to 2090" in section
    assert "postponed</span> to 2090; the sources give no first date" in section
    assert "overdue</span>: its forecast, 2025, has passed" in section
    assert "“pushed back to 2090” <cite>Rebalancing Relations, 2025</cite>" in section


def test_a_delivery_late_in_two_ways_says_both(client):
    slipped_and_overdue = make_delivery(1)
    make_revision(slipped_and_overdue, "2023-01-01", "2025-01-01")

    section = glance(client)

    assert "+24 months</span>, from 2023 to 2025; <span" in section
    assert "overdue</span>: its forecast, 2025, has passed" in section


def test_a_pending_ratification_names_who_ratified_when_and_who_has_not(client):
    agreement, ratified = make_agreement_ratified_by_russia_only()
    make_citation(event=ratified, source=make_source(2, title="MEA"), quote="Duma ratified")

    section = glance(client)

    assert f'<a href="/api/v1/agreements/{agreement.slug}/">' in section
    assert "India <strong>pending</strong>" in section
    assert "Russia ratified 2025-12-01 by the State Duma (Russia)" in section
    assert "“Duma ratified” <cite>MEA</cite>" in section


def test_the_front_page_reads_the_same_number_of_statements_for_more_late_deliveries(client):
    def statements() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        return len(queries)

    def postponed(i: int) -> None:
        revision = make_revision(make_delivery(i), None, "2028-01-01")
        make_citation(event=revision, source=make_source(i), quote=f"Postponed, says source {i}.")

    make_agreement_ratified_by_russia_only()
    postponed(1)
    one = statements()
    for i in range(2, 6):
        postponed(i)
    assert statements() == one
    assert glance(client).count("Postponed, says source") == 5
