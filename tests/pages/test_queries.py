"""Every public page runs as many queries with a few records as with several times as many,
and as many for a record with a short timeline as for one with a long one."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    make_agreement,
    make_agreement_ratified_by_russia_only,
    make_citation,
    make_delivery,
    make_event,
    make_issue,
    make_revision,
    make_source,
    make_trade,
    make_tranche,
)
from tracker.choices import AgreementStatus, RelationKind
from tracker.models import Agreement, AgreementRelation, Delivery, Issue, Party, Source, TradeRecord

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/agreements/",
    "/agreements/?status=ratification_pending&party=RUS&year=2025&ordering=-title",
    "/deliveries/",
    "/deliveries/?late=true&ordering=-slippage&party=IND",
    "/deliveries/board/",
    "/trade-records/",
    "/trade-records/?year=2020&party=RUS",
    "/issues/",
    "/issues/?to_watch=true&party=IND&year=2025",
    "/sources/",
    "/timeline/",
    "/timeline/?sector=defence&date_from=2025-01-01&date_to=2025-12-31&kind=escalated",
    "/search/?q=regiments",
    "/agreements/agreement-1/",
    "/deliveries/delivery-0/",
    "/trade-records/trade-0/",
    "/issues/issue-0/",
    "/sources/source-0/",
]


def grow(start: int, count: int) -> None:
    """Records ``start`` to ``start + count``, each cited, and a longer timeline (with
    citations, tranches, relations) on the first record of each type."""
    if start == 0:
        make_source(0)
        make_agreement_ratified_by_russia_only()
        make_delivery(0, quantity_ordered=None)
        make_trade(0)
        make_issue(0)
    source = Source.objects.get(slug="source-0")
    agreement = Agreement.objects.get(slug="agreement-1")
    delivery = Delivery.objects.get(slug="delivery-0")
    trade = TradeRecord.objects.get(slug="trade-0")
    issue = Issue.objects.get(slug="issue-0")
    russia = Party.objects.get(code="RUS")
    for i in range(start + 1, start + count + 1):
        other = make_agreement(100 + i, status=AgreementStatus.RATIFICATION_PENDING)
        AgreementRelation.objects.create(
            from_agreement=agreement, to_agreement=other, kind=RelationKind.RELATED
        )
        make_citation(agreement=other, source=source, quote=f"agreement {i} on regiments")
        late = make_delivery(i, agreement=agreement)
        make_revision(late, "2020-01-01", "2022-01-01")
        make_citation(delivery=late, source=source, quote=f"delivery {i} of regiments")
        make_revision(delivery, f"{2020 + i}-01-01", f"{2021 + i}-01-01", date=dt.date(2025, i, 1))
        make_tranche(
            delivery=delivery,
            sequence=i,
            quantity=Decimal(1),
            actual_date=None,
            actual_precision=None,
        )
        make_trade(i, value=Decimal(i))
        make_citation(trade_record=trade, source=source, quote=f"trade {i}")
        watched = make_issue(i)
        event = make_event(i, issue=issue, party=russia)
        make_event(100 + i, issue=watched)
        make_citation(event=event, source=source, quote=f"event {i} of regiments")
        make_citation(issue=watched, source=source, quote=f"issue {i}")


def statements(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured.captured_queries)


def test_every_page_runs_as_many_queries_whatever_the_size_of_the_data(client):
    grow(0, 2)
    few = {path: statements(client, path) for path in PAGES}
    grow(2, 5)
    many = {path: statements(client, path) for path in PAGES}
    assert many == few
