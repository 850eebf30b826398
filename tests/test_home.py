"""The front page at ``/``: the relationship at a glance, with sources, and where to go next
(the admin's "View site" link and the README's first address)."""

import ast
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    make_agreement,
    make_agreement_ratified_by_russia_only,
    make_citation,
    make_deliveries_late_and_not,
    make_delivery,
    make_event,
    make_issue,
    make_revision,
    make_source,
    make_trade,
    make_tranche,
)
from tracker.choices import (
    AgreementStatus,
    EventKind,
    IssueStatus,
    Qualifier,
    Severity,
    TradeFlow,
    TradeKind,
)
from tracker.models import Delivery, Party
from tracker.templatetags import glance as glance_tags

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
    return page[page.index('id="at-a-glance"') : page.index('id="for-teams"')]


def test_the_late_deliveries_are_at_a_glance_with_the_quote_behind_each(client):
    make_deliveries_late_and_not()
    postponed = Delivery.objects.get(slug="postponed")
    source = make_source(
        1,
        title="Rebalancing Relations, 2025",
        publisher="",
        published_on=None,
        published_precision=None,
        url="",
    )
    make_citation(event=postponed.events.get(), source=source, quote="pushed back to 2090")

    section = glance(client)

    listed = re.findall(r'<a href="/deliveries/([-\w]+)/">', section)
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
    mea = make_source(2, title="MEA", author="Spokesperson", published_precision="month")
    make_citation(event=ratified, source=mea, quote="Duma ratified")

    section = glance(client)

    assert f'<a href="/agreements/{agreement.slug}/">' in section
    assert "India <strong>pending</strong>" in section
    assert "Russia ratified 2025-12-01 by the State Duma (Russia)" in section
    assert (
        '“Duma ratified” <cite><a href="https://example.org/2" rel="external">MEA</a>, '
        "Spokesperson, The Hindu, Dec 2025</cite>"
    ) in section  # the source as far as it is known, linked to its address
    assert "out of date" not in section


def test_a_status_behind_its_timeline_is_pointed_out(client):
    agreement, _ = make_agreement_ratified_by_russia_only()
    make_event(
        2,
        agreement=agreement,
        kind=EventKind.RATIFIED,
        party=Party.objects.get(code="IND"),
        date=dt.date(2026, 3, 1),
        precision="month",
    )

    section = glance(client)

    assert "<strong>pending</strong>" not in section
    assert "India ratified Mar 2026; Russia ratified 2025-12-01" in section
    assert ": every party has ratified, so its status is out of date" in section


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


def test_the_latest_trade_total_is_at_a_glance_with_each_claim_and_the_target_reached(client):
    source = make_source(1, title="Official figures")
    for year in (21, 22, 23):  # earlier totals: the newest two are shown
        total = make_trade(
            year,
            slug=f"total-20{year}",
            flow=TradeFlow.TOTAL,
            value=year * 3,
            counts_toward_totals=True,
        )
        make_citation(trade_record=total, source=source, quote=f"total-20{year} quoted")
    figures = {
        "imports-2024": (TradeFlow.IMPORT, "63.84", Qualifier.EXACT, True),
        "exports-2024": (TradeFlow.EXPORT, "4.88", Qualifier.EXACT, True),
        "exports-2024-about": (TradeFlow.EXPORT, "4.9", Qualifier.ABOUT, False),
        "imports-2024-range": (TradeFlow.IMPORT, "60", Qualifier.RANGE, False),
    }
    for slug, (flow, value, qualifier, counted) in figures.items():
        record = make_trade(
            24,
            slug=slug,
            flow=flow,
            value=Decimal(value),
            value_high=Decimal(65) if qualifier == Qualifier.RANGE else None,
            qualifier=qualifier,
            kind=TradeKind.ESTIMATE if qualifier == Qualifier.RANGE else TradeKind.REPORTED,
            counts_toward_totals=counted,
        )
        make_citation(trade_record=record, source=source, quote=f"{slug} was {value} billion")
    target = make_trade(
        30,
        slug="target-2030",
        flow=TradeFlow.TOTAL,
        kind=TradeKind.TARGET,
        value=100,
        target_date=dt.date(2030, 1, 1),
        target_precision="year",
    )
    make_citation(trade_record=target, source=source, quote="USD 100 billion by 2030")

    section = glance(client)

    assert '<h3 id="trade">Trade, 2024</h3>' in section  # the latest period, not 2023
    assert (
        "India's trade with Russia, as India reports it: total <strong>USD 68.72 billion</strong>;"
        " imports 63.84, exports 4.88; balance -58.96, a deficit for India."
    ) in section
    earlier = "Earlier, 2023: total USD 69 billion <blockquote"
    assert earlier in section and "“total-2023 quoted”" in section
    assert "Earlier, 2022: total USD 66 billion <blockquote" in section
    assert "2021" not in section
    assert section.index(earlier) < section.index("Target:")
    assert "Target: USD 100 billion (total) by 2030: <strong>68.7 %</strong> reached in 2024" in (
        section
    )
    assert '“USD 100 billion by 2030” <cite><a href="https://example.org/1"' in section
    for slug, (_, value, *_) in figures.items():
        assert f"“{slug} was {value} billion”" in section
    counted, others = section.split('<details id="other-claims">')
    claim = re.compile(r'<a href="/trade-records/([-\w]+)/">(\w+)</a>:')
    assert claim.findall(counted) == [("exports-2024", "Exports"), ("imports-2024", "Imports")]
    assert "<summary>Other sources' claims, not counted (2)</summary>" in others
    assert claim.findall(others) == [
        ("exports-2024-about", "Exports"),
        ("imports-2024-range", "Imports"),
    ]
    # Each claim's figure as its source states it, beside the quote that supports it.
    assert "Exports</a>: USD 4.88 billion <blockquote" in counted
    assert "Imports</a>: USD 63.84 billion <blockquote" in counted
    assert "Exports</a>: about USD 4.9 billion <blockquote" in others
    assert "Imports</a>: USD 60–65 billion (estimate) <blockquote" in others


def test_without_a_trade_total_the_front_page_says_so(client):
    make_trade(24, flow=TradeFlow.IMPORT, counts_toward_totals=False)  # no counted figure
    assert "No trade total between India and Russia is recorded." in glance(client)


def test_issues_to_watch_are_the_escalating_and_the_severe_active_with_the_latest_quote(client):
    detained = make_issue(1, title="Nationals in the army", severity=Severity.HIGH)
    make_citation(1, event=make_event(1, issue=detained, title="Older report"), quote="Older.")
    newest = make_event(2, issue=detained, title="MEA: 44 still serving", date=dt.date(2025, 12, 1))
    make_citation(2, event=newest, quote="44 Indians were still serving.")
    discount = make_issue(
        2, title="Oil discount", severity=Severity.MEDIUM, status=IssueStatus.ESCALATING
    )
    make_citation(3, issue=discount, quote="The discount is narrowing.")
    make_issue(3, title="Minor irritant", severity=Severity.LOW)
    make_issue(4, title="Watched only", severity=Severity.CRITICAL, status=IssueStatus.WATCHING)

    section = glance(client)
    issues = section[section.index('id="issues"') :]

    listed = re.findall(r'<a href="/issues/[-\w]+/">([^<]+)</a>', issues)
    assert listed == ["Nationals in the army", "Oil discount"]  # the most severe first
    assert "high severity, active; 44 people affected; latest: MEA: 44 still serving" in issues
    assert "“44 Indians were still serving.”" in issues and "Older." not in issues
    assert "medium severity, escalating; 44 people affected <blockquote" in issues
    assert "“The discount is narrowing.”" in issues  # the issue's own, as it has no event


def test_the_front_page_reads_the_same_number_of_statements_for_more_issues_and_claims(client):
    def statements() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        return len(queries)

    def issue_and_claim(i: int) -> None:
        issue = make_issue(i, status=IssueStatus.ESCALATING)
        make_citation(i, event=make_event(i, issue=issue), quote=f"Issue {i} escalates.")
        flow = [TradeFlow.TOTAL, TradeFlow.IMPORT, TradeFlow.EXPORT][(i - 1) % 3]
        claim = make_trade(24, slug=f"claim-{i}", flow=flow, counts_toward_totals=i <= 3)
        make_citation(100 + i, trade_record=claim, quote=f"Claim {i}.")

    issue_and_claim(1)
    one = statements()
    for i in range(2, 7):
        issue_and_claim(i)
    assert statements() == one
    section = glance(client)
    assert section.count("escalates.") == 6 and section.count("Claim ") == 6


def test_a_long_list_says_how_many_it_leaves_out_and_links_them_all(client):
    not_delivered = {"actual_date": None, "actual_precision": None}
    for i in range(11):
        overdue = make_delivery(i)
        make_tranche(delivery=overdue, planned_date=dt.date(2025, 1, 1), **not_delivered)
        make_agreement(i, status=AgreementStatus.RATIFICATION_PENDING)
        make_issue(i)

    section = glance(client)

    assert section.count('<li class="more">') == 3
    assert (
        'The 10 most slipped are shown: <a href="/deliveries/?late=true&amp;'
        'ordering=-slippage">all 11 late deliveries</a>'
    ) in section
    assert (
        'The first 10 by title are shown: <a href="/agreements/?status='
        'ratification_pending">all 11 agreements awaiting ratification</a>'
    ) in section
    assert (
        'The 10 most severe are shown: <a href="/issues/?to_watch=true">all 11 issues to watch</a>'
    ) in section


def test_a_short_list_is_not_counted_again(client):
    make_issue(1)
    with CaptureQueriesContext(connection) as statements:
        assert '<li class="more">' not in glance(client)
    assert not [q for q in statements.captured_queries if "COUNT(" in q["sql"]]


def test_the_api_lists_the_issues_to_watch_as_the_front_page_does(client):
    make_issue(1, title="Nationals in the army", severity=Severity.HIGH)
    make_issue(2, title="Oil discount", severity=Severity.MEDIUM, status=IssueStatus.ESCALATING)
    make_issue(3, title="Minor irritant", severity=Severity.LOW)
    make_issue(4, title="Watched only", severity=Severity.CRITICAL, status=IssueStatus.WATCHING)

    def titles(to_watch: str) -> set[str]:
        response = client.get("/api/v1/issues/", {"to_watch": to_watch})
        return {issue["title"] for issue in response.json()["results"]}

    shown = re.findall(r'<a href="/issues/[-\w]+/">([^<]+)</a>', glance(client))
    assert titles("true") == set(shown) == {"Nationals in the army", "Oil discount"}
    assert titles("false") == {"Minor irritant", "Watched only"}


def test_the_front_pages_tags_import_no_admin_or_api_module():
    """The front page reads the domain (dates, figures, links, models), not the admin's or
    the API's modules."""
    tree = ast.parse(Path(glance_tags.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name and name.split(".")[0] in {"admin", "api"}}
    assert "links" in imported
