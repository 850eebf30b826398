"""The Editors and Viewers groups, and the dashboard drawn from the database."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import (
    make_agreement,
    make_deliveries_late_and_not,
    make_delivery,
    make_event,
    make_issue,
    make_revision,
    make_trade,
)
from tracker.admin.charts import trade_chart
from tracker.choices import AgreementStatus, TradeFlow
from tracker.selectors import trade
from tracker.selectors.counts import status_counts

pytestmark = pytest.mark.django_db


def codenames(group: str) -> set[str]:
    return set(Group.objects.get(name=group).permissions.values_list("codename", flat=True))


def test_editors_change_records_and_tokens_and_viewers_only_view():
    editors, viewers = codenames("Editors"), codenames("Viewers")
    assert {"add_delivery", "change_delivery", "delete_delivery", "view_delivery"} <= editors
    assert {"add_token", "delete_token"} <= editors
    assert viewers == {name for name in editors if name.startswith("view_") and "token" not in name}


@pytest.mark.parametrize(
    ("client_name", "can_change"), [("editor_client", True), ("viewer_client", False)]
)
def test_only_editors_see_ways_to_change(request, client_name, can_change):
    client = request.getfixturevalue(client_name)
    delivery = make_delivery(1)
    listing = client.get(reverse("admin:tracker_delivery_changelist")).content.decode()
    page = client.get(reverse("admin:tracker_delivery_change", args=[delivery.pk]))
    assert ("addlink" in listing) is can_change
    assert ("/import/" in listing) is can_change
    assert ('name="_save"' in page.content.decode()) is can_change


def test_the_dashboard_counts_statuses_and_lists_late_deliveries_and_milestones(editor_client):
    late = make_delivery(1, title="S-400 Triumf")
    make_revision(late, "2023-01-01", "2026-01-01")
    make_delivery(2, title="On time", status="contracted")
    make_event(3, is_planned=True, date=dt.date(2099, 1, 1), precision="year", title="Summit")

    page = editor_client.get(reverse("admin-dashboard")).content.decode()

    assert "S-400 Triumf" in page and "+36 mo" in page
    assert "Summit" in page
    counts = {s.model.__name__: {c.value: c.count for c in s.counts} for s in status_counts()}
    assert counts["Delivery"] == {"contracted": 1, "in_progress": 1}
    assert 'id="slippage-chart"' in page


def test_the_dashboard_lists_deliveries_postponed_by_an_unknown_span_and_overdue(editor_client):
    make_deliveries_late_and_not()

    page = editor_client.get(reverse("admin-dashboard")).content.decode()
    card = page[page.index('id="late-deliveries"') : page.index('id="upcoming"')]

    rows = re.findall(r"<tr><td><a [^>]*>([^<]+)</a>", card)
    assert rows == ["Delivery 1", "Delivery 3", "Delivery 2"]  # most slipped first
    assert "+36 mo" in card
    assert card.count(">postponed</span>") == 1 and card.count(">overdue</span>") == 1
    assert 'class="more"' not in card  # all of them are listed


def test_the_dashboard_says_how_many_late_deliveries_it_leaves_out(editor_client):
    for i in range(12):
        make_revision(make_delivery(i), "2087-01-01", "2090-01-01")

    page = editor_client.get(reverse("admin-dashboard")).content.decode()
    card = page[page.index('id="late-deliveries"') : page.index('id="upcoming"')]

    assert len(re.findall(r"<tr><td><a ", card)) == 10
    changelist = reverse("admin:tracker_delivery_changelist")
    assert (
        f'The 10 most slipped are shown: <a href="{changelist}?slipped=late">'
        "all 12 late deliveries</a>"
    ) in " ".join(card.split())


def test_trade_is_charted_from_india_s_side_with_the_balance():
    for flow, value in [("import", "63.84"), ("export", "4.88")]:
        make_trade(24, slug=f"t-{flow}", flow=flow, value=Decimal(value), counts_toward_totals=True)
    make_trade(24, slug="not-counted", flow="export", value=Decimal("4.9"))

    [point] = trade.trade_by_year()
    chart = trade_chart([point])

    assert (point.imports, point.exports, point.balance) == (
        Decimal("63.84"),
        Decimal("4.88"),
        Decimal("-58.96"),
    )
    assert [bar.series for bar in chart.bars] == ["imports", "exports", "balance"]
    balance = chart.bars[-1]
    assert balance.y == pytest.approx(chart.zero)
    assert balance.height > 0


def test_the_front_page_links_a_viewer_and_anyone_else_to_the_records_pages(client, viewer):
    """The same page for both: each record links its public page (which links its history
    in the admin for a viewer), each whole list the public list with the same filter."""
    for i in range(11):  # full lists, so each links all of its records as well
        make_revision(make_delivery(i), "2087-01-01", "2090-01-01")
        make_agreement(i, status=AgreementStatus.RATIFICATION_PENDING)
        make_issue(i)
    total = make_trade(24, flow=TradeFlow.TOTAL, value=Decimal(65), counts_toward_totals=True)
    links = re.compile(
        r'<a href="(/(?:admin/tracker|api/v1|deliveries|agreements|issues|trade-records)/[^"]+)">'
    )

    anonymous = set(links.findall(client.get("/").content.decode()))
    client.force_login(viewer)
    signed_in = set(links.findall(client.get("/").content.decode()))

    assert signed_in == anonymous
    for path in (
        "/deliveries/delivery-0/",
        "/agreements/agreement-0/",
        "/issues/issue-0/",
        f"/trade-records/{total.slug}/",
        "/deliveries/?late=true&amp;ordering=-slippage",
        "/agreements/?status=ratification_pending",
        "/issues/?to_watch=true",
    ):
        assert path in anonymous, path
    records_elsewhere = re.compile(
        r"^/(admin/tracker|api/v1/(deliveries|agreements|issues|trade-records))/"
    )
    assert not [link for link in anonymous if records_elsewhere.match(link)]
    for link in anonymous:  # every link opens, for the viewer as for anyone
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link
