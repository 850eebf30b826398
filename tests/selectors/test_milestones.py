"""A calendar's milestones: at most a limit of them, those dated nearest to the day it is read,
in the order of their dates."""

import datetime as dt

import pytest

from tracker.selectors.milestones import calendar_entries, planned_events

pytestmark = pytest.mark.usefixtures("curated")


def titles(today: dt.date, limit: int) -> list[str]:
    entries = calendar_entries(planned_events(), {}, today=today, limit=limit)
    return [f"{entry.title} ({entry.when})" for entry in entries]


def test_a_calendar_over_its_limit_keeps_the_milestones_nearest_to_today():
    assert titles(dt.date(2027, 6, 1), limit=2) == [
        "S-400 Triumf air defence regiments: forecast completion (2026)",
        "Akula-class nuclear submarine lease: forecast completion (2028)",
    ]
    assert titles(dt.date(2031, 6, 1), limit=1) == [
        "Target: $100 billion of bilateral trade by 2030 (2030)"
    ]


def test_within_its_limit_a_calendar_holds_every_milestone_in_date_order():
    assert titles(dt.date(2040, 1, 1), limit=1000) == [
        "S-400 Triumf air defence regiments: forecast completion (2026)",
        "S-400 Triumf air defence regiments: tranche 1 due, 2 regiments (2026)",
        "Akula-class nuclear submarine lease: forecast completion (2028)",
        "Target: $100 billion of bilateral trade by 2030 (2030)",
    ]
