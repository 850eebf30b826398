"""Valid rows of every tracker model, numbered so that many can be made at once."""

import datetime as dt
from decimal import Decimal

from tracker.choices import (
    AgreementKind,
    AgreementStatus,
    DeliveryKind,
    DeliveryStatus,
    EventKind,
    IssueCategory,
    IssueStatus,
    PeriodType,
    RelationKind,
    Severity,
    TradeFlow,
    Unit,
)
from tracker.models import (
    Agreement,
    AgreementParty,
    AgreementRelation,
    Citation,
    Delivery,
    Issue,
    Party,
    Sector,
    Source,
    TimelineEvent,
    TradeRecord,
    Tranche,
)


def parties() -> tuple[Party, Party]:
    return Party.objects.get(code="IND"), Party.objects.get(code="RUS")


def make_source(i: int = 0, **fields) -> Source:
    """A made-up source: it has no archived text, so the made-up quotes of ``make_citation``
    are accepted, unverified."""
    defaults = {
        "no_archived_text": True,
        "slug": f"source-{i}",
        "title": f"Report number {i}",
        "publisher": "The Hindu",
        "published_on": dt.date(2025, 12, 1),
        "published_precision": "day",
        "url": f"https://example.org/{i}",
    }
    return Source.objects.create(**{**defaults, **fields})


def make_agreement(i: int = 0, **fields) -> Agreement:
    india, russia = parties()
    defaults = {
        "slug": f"agreement-{i}",
        "title": f"Agreement {i}",
        "kind": AgreementKind.AGREEMENT,
        "status": AgreementStatus.SIGNED,
        "sector": Sector.objects.get(slug="defence"),
    }
    agreement = Agreement.objects.create(**{**defaults, **fields})
    for party in (india, russia):
        AgreementParty.objects.create(agreement=agreement, party=party)
    TimelineEvent.objects.create(
        agreement=agreement,
        kind=EventKind.SIGNED,
        date=dt.date(2025, 2, 18),
        precision="day",
        title="Signed",
    )
    return agreement


def make_delivery(i: int = 0, **fields) -> Delivery:
    india, russia = parties()
    defaults = {
        "slug": f"delivery-{i}",
        "title": f"Delivery {i}",
        "designation": f"System {i}",
        "kind": DeliveryKind.PURCHASE,
        "status": DeliveryStatus.IN_PROGRESS,
        "supplier": russia,
        "recipient": india,
        "sector": Sector.objects.get(slug="defence"),
        "ordered_on": dt.date(2018, 10, 5),
        "ordered_precision": "day",
        "quantity_ordered": Decimal(5),
        "quantity_unit": "regiments",
        "value": Decimal("5.43"),
        "value_currency": "USD",
        "value_unit": Unit.BILLION,
    }
    return Delivery.objects.create(**{**defaults, **fields})


def make_revision(delivery: Delivery, old: str | None, new: str, precision: str = "year", **fields):
    """A forecast revision moving the delivery from ``old`` (``None``: a date the sources do
    not give) to ``new`` (ISO dates)."""
    defaults = {
        "kind": EventKind.POSTPONED,
        "date": dt.date(2025, 6, 1),
        "precision": "month",
        "title": "Delivery postponed",
        "old_date": old and dt.date.fromisoformat(old),
        "old_precision": old and precision,
        "new_date": dt.date.fromisoformat(new),
        "new_precision": precision,
    }
    return TimelineEvent.objects.create(delivery=delivery, **{**defaults, **fields})


def make_trade(i: int = 0, **fields) -> TradeRecord:
    india, russia = parties()
    defaults = {
        "slug": f"trade-{i}",
        "title": f"Trade figure {i}",
        "period_type": PeriodType.CALENDAR_YEAR,
        "period_start": dt.date(2000 + i % 25, 1, 1),
        "period_end": dt.date(2000 + i % 25, 12, 31),
        "reporter": india,
        "partner": russia,
        "flow": TradeFlow.IMPORT,
        "value": Decimal("63.84"),
        "currency": "USD",
        "unit": Unit.BILLION,
    }
    return TradeRecord.objects.create(**{**defaults, **fields})


def make_issue(i: int = 0, **fields) -> Issue:
    defaults = {
        "slug": f"issue-{i}",
        "title": f"Issue {i}",
        "category": IssueCategory.HUMANITARIAN,
        "severity": Severity.HIGH,
        "status": IssueStatus.ACTIVE,
        "opened_on": dt.date(2024, 11, 1),
        "opened_precision": "month",
        "people_affected": 44,
    }
    return Issue.objects.create(**{**defaults, **fields})


def make_event(i: int = 0, **fields) -> TimelineEvent:
    if not any(fields.get(name) for name in ("agreement", "delivery", "trade_record", "issue")):
        fields["issue"] = make_issue(i)
    defaults = {
        "kind": EventKind.ESCALATED,
        "date": dt.date(2025, 11, 1),
        "precision": "month",
        "title": f"Event {i}",
        "party": Party.objects.get(code="IND"),
    }
    return TimelineEvent.objects.create(**{**defaults, **fields})


def make_tranche(i: int = 0, **fields) -> Tranche:
    defaults = {
        "delivery": fields.get("delivery") or make_delivery(i),
        "sequence": 1,
        "quantity": Decimal(1),
        "planned_date": dt.date(2021, 1, 1),
        "planned_precision": "year",
        "actual_date": dt.date(2021, 12, 1),
        "actual_precision": "month",
    }
    return Tranche.objects.create(**{**defaults, **fields})


def make_deliveries_late_and_not() -> None:
    """Late in each way (slugs "slipped", "postponed", "overdue" once 2025 has passed) and
    not ("completed", "only-talks", "no-schedule"). The slipped and the postponed are due in
    2090, so that they are not overdue as well on whatever day the tests run."""
    not_delivered = {"actual_date": None, "actual_precision": None}
    slipped = make_delivery(1, slug="slipped")
    make_revision(slipped, "2087-01-01", "2090-01-01")
    postponed = make_delivery(2, slug="postponed", status=DeliveryStatus.CONTRACTED)
    make_revision(postponed, None, "2090-01-01")
    overdue = make_delivery(3, slug="overdue")
    make_tranche(delivery=overdue, planned_date=dt.date(2025, 1, 1), **not_delivered)
    completed = make_delivery(
        4, slug="completed", quantity_ordered=1, status=DeliveryStatus.DELIVERED
    )
    make_tranche(delivery=completed, planned_date=dt.date(2025, 1, 1))
    talks = make_delivery(5, slug="only-talks", status=DeliveryStatus.UNDER_DISCUSSION)
    make_tranche(delivery=talks, planned_date=dt.date(2025, 1, 1), **not_delivered)
    make_delivery(6, slug="no-schedule")


def make_agreement_ratified_by_russia_only() -> tuple[Agreement, TimelineEvent]:
    """An agreement like RELOS: signed jointly, ratified by Russia, India's step awaited."""
    agreement = make_agreement(1, status=AgreementStatus.RATIFICATION_PENDING)
    ratified = TimelineEvent.objects.create(
        agreement=agreement,
        kind=EventKind.RATIFIED,
        date=dt.date(2025, 12, 1),
        precision="day",
        title="Duma ratifies",
        party=Party.objects.get(code="RUS"),
        body="state_duma",
    )
    return agreement, ratified


def make_citation(i: int = 0, **fields) -> Citation:
    if not any(
        fields.get(name) for name in ("agreement", "delivery", "issue", "event", "trade_record")
    ):
        fields["delivery"] = make_delivery(i)
    defaults = {
        "source": fields.get("source") or make_source(i),
        "quote": "Russia will deliver the remaining two regiments in 2026.",
    }
    return Citation.objects.create(**{**defaults, **fields})


def make_party(i: int = 0, **fields) -> Party:
    return Party.objects.create(**{"code": f"Q{i:02d}", "name": f"Country {i}", **fields})


def make_sector(i: int = 0, **fields) -> Sector:
    return Sector.objects.create(**{"slug": f"sector-{i}", "name": f"Sector {i}", **fields})


def make_agreement_party(i: int = 0, **fields) -> AgreementParty:
    agreement = Agreement.objects.create(
        slug=f"jv-{i}", title=f"Joint venture {i}", kind="joint_venture", status="in_operation"
    )
    return AgreementParty.objects.create(
        **{"agreement": agreement, "party": make_party(i), "share_percent": 50, **fields}
    )


def make_agreement_relation(i: int = 0, **fields) -> AgreementRelation:
    first, second = make_agreement(2 * i), make_agreement(2 * i + 1)
    return AgreementRelation.objects.create(
        **{"from_agreement": first, "to_agreement": second, "kind": RelationKind.IMPLEMENTS}
        | fields
    )


#: One maker per model, for tests that run over every model in the admin.
MAKERS = {
    Agreement: make_agreement,
    AgreementParty: make_agreement_party,
    AgreementRelation: make_agreement_relation,
    Citation: make_citation,
    Delivery: make_delivery,
    Issue: make_issue,
    Party: make_party,
    Sector: make_sector,
    Source: make_source,
    TimelineEvent: make_event,
    TradeRecord: make_trade,
    Tranche: make_tranche,
}
