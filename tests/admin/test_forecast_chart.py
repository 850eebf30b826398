"""A delivery's page charts how its forecast moved: each revision at the date announced."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import make_delivery, make_revision
from tracker.admin.charts import forecast_chart
from tracker.choices import EventKind
from tracker.models import Delivery, TimelineEvent

TODAY = dt.date(2026, 12, 1)


def revision(announced: str, new: str, precision: str = "year", old: str | None = None):
    """An unsaved postponement: the chart reads only its dates."""
    return TimelineEvent(
        kind=EventKind.POSTPONED,
        date=dt.date.fromisoformat(announced),
        precision="month",
        old_date=old and dt.date.fromisoformat(old),
        old_precision=old and precision,
        new_date=dt.date.fromisoformat(new),
        new_precision=precision,
    )


def delivery(baseline: str | None = None, actual: str | None = None) -> Delivery:
    return Delivery(
        title="Frigates",
        ordered_on=dt.date(2018, 10, 1),
        baseline_date=baseline and dt.date.fromisoformat(baseline),
        baseline_precision=baseline and "year",
        actual_date=actual and dt.date.fromisoformat(actual),
        actual_precision=actual and "month",
    )


def test_the_forecast_steps_from_the_baseline_to_each_revision_and_on_to_today():
    revisions = [
        revision("2021-06-01", "2025-01-01", old="2023-01-01"),
        revision("2024-03-01", "2026-01-01"),
    ]

    chart = forecast_chart(delivery(baseline="2023-01-01"), revisions, TODAY)

    xs = [x for x, _ in chart.line]
    ys = [y for _, y in chart.line]
    # Order date at the baseline, a step up at each announcement, flat on to today.
    assert xs == sorted(xs) and chart.left < xs[0] < xs[2] and xs[-1] < chart.right
    assert ys[0] == ys[1] == chart.baseline
    assert ys[1] > ys[2] == ys[3] > ys[4] == ys[5]  # later dates are drawn higher
    assert [p.label for p in chart.revisions] == [
        "Jun 2021: postponed to 2025",
        "Mar 2024: postponed to 2026",
    ]
    assert [(p.x, p.y) for p in chart.revisions] == [chart.line[2], chart.line[4]]
    assert [t.label for t in chart.categories] == ["2018", "2020", "2022", "2024", "2026"]
    assert chart.actual is None


def test_without_a_baseline_the_forecast_starts_at_the_first_revision():
    chart = forecast_chart(delivery(), [revision("2025-01-01", "2026-01-01")], TODAY)

    assert chart.baseline is None
    assert len(chart.line) == 2 and chart.line[0] == (chart.revisions[0].x, chart.revisions[0].y)


def test_a_delivered_forecast_ends_at_the_actual_date():
    revisions = [revision("2021-06-01", "2025-01-01", old="2023-01-01")]

    chart = forecast_chart(delivery("2023-01-01", actual="2025-03-01"), revisions, TODAY)

    assert chart.actual.label == "Delivered Mar 2025"
    assert chart.line[-1][0] == chart.actual.x


@pytest.mark.django_db
def test_a_delivery_s_page_draws_the_chart_or_says_there_is_no_revision(editor_client):
    revised, unrevised = make_delivery(1), make_delivery(2)
    make_revision(revised, "2023-01-01", "2026-01-01")

    def page(target) -> str:
        url = reverse("admin:tracker_delivery_change", args=[target.pk])
        return editor_client.get(url).content.decode()

    drawn = page(revised)
    assert 'id="forecast-chart"' in drawn and 'data-revisions="1"' in drawn
    assert "<title>Jun 2025: postponed to 2026</title>" in drawn
    assert 'class="baseline"' in drawn
    assert 'id="forecast-chart-empty"' in page(unrevised)
