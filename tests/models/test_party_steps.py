"""Each party's steps on an agreement, read from the timeline, and the step still awaited."""

import datetime as dt

import pytest

from tests.factories import make_agreement
from tracker.choices import AgreementStatus, EventKind
from tracker.models import Party, TimelineEvent

pytestmark = pytest.mark.django_db


def step(agreement, kind, day: dt.date, party: Party | None = None) -> TimelineEvent:
    return TimelineEvent.objects.create(
        agreement=agreement, kind=kind, date=day, precision="day", title=kind, party=party
    )


def by_code(agreement) -> dict:
    return {steps.party.code: steps for steps in agreement.party_steps()}


def test_russia_ratified_and_india_s_ratification_is_pending():
    relos = make_agreement(1, status=AgreementStatus.RATIFICATION_PENDING)
    russia = Party.objects.get(code="RUS")
    ratified = step(relos, EventKind.RATIFIED, dt.date(2025, 12, 1), russia)

    steps = by_code(relos)

    assert (steps["RUS"].ratified, steps["RUS"].pending) == (ratified, "")
    assert (steps["IND"].ratified, steps["IND"].pending) == (None, "ratified")
    assert steps["RUS"].latest == ratified


def test_a_joint_signature_counts_for_each_party_and_the_latest_step_of_a_kind_wins():
    agreement = make_agreement(1)  # signed jointly on 2025-02-18
    india = Party.objects.get(code="IND")
    step(agreement, EventKind.APPROVED, dt.date(2025, 3, 1), india)
    later = step(agreement, EventKind.APPROVED, dt.date(2025, 4, 1), india)

    steps = by_code(agreement)

    assert steps["IND"].signed.date == dt.date(2025, 2, 18)
    assert steps["RUS"].signed == steps["IND"].signed
    assert steps["IND"].approved == later and steps["RUS"].approved is None
    assert steps["IND"].latest == later
    assert steps["IND"].pending == steps["RUS"].pending == ""  # not awaiting ratification


def test_a_party_that_took_a_step_is_listed_after_the_agreement_s_parties():
    agreement = make_agreement(1)
    ukraine = Party.objects.get(code="UKR")
    step(agreement, EventKind.DENOUNCED, dt.date(2025, 5, 1), ukraine)

    codes = [steps.party.code for steps in agreement.party_steps()]

    assert codes[-1] == "UKR" and sorted(codes[:-1]) == ["IND", "RUS"]
