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
    TradeRelease,
    Tranche,
)
from tracker.services.trade_releases import ReleaseDescription, import_release


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
def make_release(i: int = 0, **fields) -> TradeRelease:
    """A release as the importer records it (without observations: the admin lists releases)."""
    defaults = {
        "slug": f"release-{i}",
        "publisher": "Ministry of Commerce",
        "dataset": "Monthly trade",
        "released_on": dt.date(2025, 1, 1) + dt.timedelta(days=i),
        "coverage_start": dt.date(2024, 1, 1),
        "coverage_end": dt.date(2024, 12, 31),
        "file_name": f"release-{i}.csv",
        "sha256": f"{i:064x}",
        "row_count": 1000,
        "source": fields.pop("source", None) or make_source(1000 + i),
    }
    return TradeRelease.objects.create(**{**defaults, **fields})


RELEASE_HEADER = "period,reporter,partner,flow,hs_code,value,currency,quantity,unit,flag"


def import_release_file(
    folder, slug: str, lines: list[str], released_on=dt.date(2024, 5, 15), **described
) -> TradeRelease:
    """A release imported as ``import_trade`` imports it, from a file of ``lines``."""
    path = folder / f"{slug}.csv"
    path.write_text("\n".join([RELEASE_HEADER, *lines]) + "\n")
    source = (
        described.pop("source", None)
        or Source.objects.get_or_create(
            slug="commerce-data-bank", defaults={"title": "Export Import Data Bank"}
        )[0]
    )
    description = ReleaseDescription(
        slug=slug,
        publisher="Ministry of Commerce",
        dataset="Monthly trade",
        released_on=released_on,
        source=source,
        **described,
    )
    return import_release(path, description).release


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
    TradeRelease: make_release,
    Tranche: make_tranche,
}
