"""Trade figures are read through one summary: the API's, the dashboard's chart and the front
page agree on every figure, also where both countries report the same year."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from tests.factories import make_trade, parties
from tracker.admin.charts import trade_chart
from tracker.choices import TradeFlow
from tracker.selectors.trade import trade_by_year

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
