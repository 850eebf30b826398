"""Trade figures are read through one summary: the API's, the dashboard's chart and the front
page agree on every figure, also where both countries report the same year."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from tests.factories import make_trade, parties
from tracker.admin.charts import trade_chart
from tracker.choices import TradeFlow
from tracker.selectors.trade import trade_at_a_glance, trade_by_year

pytestmark = pytest.mark.django_db


def summary_groups() -> dict[tuple[str, str], dict]:
    response = APIClient().get("/api/v1/trade-records/summary/")
    assert response.status_code == 200
    return {(g["reporter"], g["partner"]): g for g in response.json()["groups"]}


def counted(slug: str, reporter: str, flow: str, value: str) -> None:
    """A counted 2023 figure that ``reporter`` (IND or RUS) gives of its trade with the other."""
    india, russia = parties()
    sides = {"IND": (india, russia), "RUS": (russia, india)}[reporter]
    make_trade(
        23,
        slug=slug,
        reporter=sides[0],
        partner=sides[1],
        flow=flow,
        value=Decimal(value),
        counts_toward_totals=True,
    )


def test_the_chart_shows_the_figures_the_summary_shows_when_both_countries_report_a_year():
    counted("india-imports", "IND", TradeFlow.IMPORT, "7.0")
    counted("russia-exports", "RUS", TradeFlow.EXPORT, "9.0")

    [point] = trade_by_year()
    groups = summary_groups()

    assert Decimal(groups["IND", "RUS"]["imports"]) == Decimal("7.0")
    assert Decimal(groups["RUS", "IND"]["exports"]) == Decimal("9.0")
    # India's own report of the year; Russia's figure is not mixed into it.
    assert (point.imports, point.exports) == (Decimal("7.0"), None)
    assert [(bar.series, bar.value) for bar in trade_chart([point]).bars] == [
        ("imports", Decimal("7.0"))
    ]


def test_a_year_only_russia_reports_is_charted_from_india_s_side():
    counted("russia-exports", "RUS", TradeFlow.EXPORT, "9.0")
    counted("russia-imports", "RUS", TradeFlow.IMPORT, "2.5")

    [point] = trade_by_year()
    russia_side = summary_groups()["RUS", "IND"]

    assert (point.imports, point.exports) == (Decimal("9.0"), Decimal("2.5"))
    assert point.balance == -Decimal(russia_side["balance"])


def test_a_total_without_reporter_is_its_own_group_never_india_russia_trade():
    """China–Russia trade whose source does not say whose figure it is: the partner is Russia,
    the reporter unknown, and no India–Russia figure moves."""
    counted("india-total", "IND", TradeFlow.TOTAL, "65.0")
    _india, russia = parties()
    make_trade(
        23,
        slug="china-russia-total",
        reporter=None,
        partner=russia,
        flow=TradeFlow.TOTAL,
        value=Decimal("244.8"),
        counts_toward_totals=True,
    )

    groups = summary_groups()
    [point] = trade_by_year()
    glance = trade_at_a_glance()

    assert Decimal(groups["IND", "RUS"]["total"]) == Decimal("65.0")
    assert Decimal(groups[None, "RUS"]["total"]) == Decimal("244.8")
    assert groups[None, "RUS"]["balance"] is None
    assert point.total == glance.group.total == Decimal("65.0")
    assert [claim["slug"] for claim in glance.group.counted] == ["india-total"]
