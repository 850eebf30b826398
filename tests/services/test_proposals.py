"""Stored proposals: saving a text stores them; accepting writes exactly what one proposes,
in one transaction, through the models' validation; rejecting keeps why; a new version of
the text keeps what was handled."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from tests.factories import make_agreement, make_source
from tests.proposals.inbox import ARTICLE, REVISION_QUOTE, article_source, make_frigates
from tracker.choices import EventKind, ProposalAction, ProposalStatus
from tracker.models import Citation, Delivery, Proposal, TimelineEvent, TradeRecord
from tracker.selectors.proposals import inbox, progress
from tracker.services.proposals import accept, reject
from tracker.services.sources import archive, pasted

pytestmark = pytest.mark.django_db


@pytest.fixture
def frigates(db) -> Delivery:
    return make_frigates()


@pytest.fixture
def source(frigates):
    return article_source()


@pytest.fixture
def editor(db) -> User:
    return User.objects.create_user("editor")


def proposal(source, action, **change) -> Proposal:
    return next(
        p
        for p in inbox(source)
        if p.action == action and all(p.change.get(k) == v for k, v in change.items())
    )


def test_saving_a_text_stores_its_proposals_in_reading_order(source, frigates):
    stored = list(inbox(source))
    assert [(p.position, p.action) for p in stored] == [
        (2, ProposalAction.EVENT),
        (2, ProposalAction.FIGURE),
        (3, ProposalAction.FIGURE),
    ]
    revision = stored[0]
    assert revision.change | {"title": ""} == {
        "record": f"delivery:{frigates.pk}",
        "kind": EventKind.FORECAST_REVISED,
        "date": "2026-03-03",
        "precision": "day",
        "date_is_estimate": False,
        "party": "",
        "body": "",
        "title": "",
        "old_date": "2026-01-01",
        "old_precision": "year",
        "new_date": "2027-01-01",
        "new_precision": "year",
    }
    assert revision.values["new_date"]["text"] == "2027"
    assert revision.records[0]["slug"] == frigates.slug
    text = source.current_text.text
    assert text[revision.sentence_start : revision.sentence_end] == revision.sentence
    assert revision.sentence in text[revision.paragraph_start : revision.paragraph_end]
    assert str(progress(source)) == "0 of 3 proposals handled"


def test_storing_the_proposals_of_a_text_takes_a_fixed_number_of_queries(
    frigates, django_assert_max_num_queries
):
    source = make_source(2, no_archived_text=False)
    # Source text version, the source, its citations, the proposals: few, whatever the length.
    with django_assert_max_num_queries(14):
        archive(source, pasted(ARTICLE * 20))
    assert source.proposals.count() == 60


def test_accepting_a_revision_writes_one_event_and_its_citation_and_moves_the_schedule(
    source, frigates, editor
):
    revision = proposal(source, ProposalAction.EVENT)
    events, citations = TimelineEvent.objects.count(), Citation.objects.count()
    accepted = accept(revision, editor, quote=REVISION_QUOTE)
    assert (TimelineEvent.objects.count(), Citation.objects.count()) == (events + 1, citations + 1)
    event = TimelineEvent.objects.get(proposal=accepted)
    assert (event.kind, event.delivery, event.new_date) == (
        EventKind.FORECAST_REVISED,
        frigates,
        dt.date(2027, 1, 1),
    )
    assert event.citations.get().quote == REVISION_QUOTE
    assert accepted.citation.event == event
    frigates.refresh_from_db()
    assert (frigates.baseline_date, frigates.forecast_date) == (
        dt.date(2026, 1, 1),
        dt.date(2027, 1, 1),
    )
    assert frigates.slippage_months == 12
    assert (accepted.status, accepted.handled_by) == (ProposalStatus.ACCEPTED, editor)
    assert str(progress(source)) == "1 of 3 proposals handled"


def test_accepting_a_value_sets_the_figure_and_cites_it(source, frigates, editor):
    value = proposal(source, ProposalAction.FIGURE, figure="value")
    accepted = accept(value, editor)
    frigates.refresh_from_db()
    assert (frigates.value, frigates.value_currency, frigates.value_unit) == (
        Decimal("1.2"),
        "USD",
        "billion",
    )
    citation = Citation.objects.get(proposal=accepted)
    assert (citation.delivery, citation.figure, citation.paragraph) == (frigates, "value", 4)
    assert citation.quote == value.sentence


def test_a_correction_is_written_as_corrected(source, frigates, editor):
    revision = proposal(source, ProposalAction.EVENT)
    accept(revision, editor, change={"new_date": "2028-06-01", "new_precision": "month"})
    frigates.refresh_from_db()
    assert frigates.forecast_date == dt.date(2028, 6, 1)
    assert frigates.slippage_months == 24  # counted in years, the coarser precision


@pytest.mark.parametrize(
    ("change", "quote", "field"),
    [
        ({"new_date": "next year"}, None, "new_date"),
        ({"new_date": ""}, None, "new_date"),
        ({"record": "delivery:999999"}, None, "record"),
        ({"colour": "red"}, None, "colour"),
        ({}, "postponed to 2029", "quote"),
        ({}, " ".join(["word"] * 41), "quote"),
        # The event is valid and written first: the quote's refusal undoes it.
        ({"new_date": "2028-01-01"}, "not in the article", "quote"),
    ],
)
def test_an_invalid_correction_is_refused_by_field_and_nothing_is_written(
    source, frigates, editor, change, quote, field
):
    revision = proposal(source, ProposalAction.EVENT)
    events, citations = TimelineEvent.objects.count(), Citation.objects.count()
    with pytest.raises(ValidationError) as refused:
        accept(revision, editor, change=change, quote=quote)
    assert field in refused.value.message_dict
    assert (TimelineEvent.objects.count(), Citation.objects.count()) == (events, citations)
    revision.refresh_from_db()
    assert revision.status == ProposalStatus.PENDING
    frigates.refresh_from_db()
    assert frigates.forecast_date is None


def test_a_rejection_keeps_why_and_cannot_be_accepted_after(source, editor):
    value = proposal(source, ProposalAction.FIGURE, figure="value")
    with pytest.raises(ValidationError) as refused:
        reject(value, editor, "  ")
    assert "reason" in refused.value.message_dict
    reject(value, editor, "The value is of the whole contract.")
    value.refresh_from_db()
    assert (value.status, value.reason, value.handled_by) == (
        ProposalStatus.REJECTED,
        "The value is of the whole contract.",
        editor,
    )
    with pytest.raises(ValidationError) as refused:
        accept(value, editor)
    assert refused.value.message_dict == {"status": ["This proposal was rejected already."]}


def test_a_new_version_of_the_text_keeps_the_handled_proposals(source, frigates, editor):
    revision = proposal(source, ProposalAction.EVENT)
    value = proposal(source, ProposalAction.FIGURE, figure="value")
    accept(revision, editor, quote=REVISION_QUOTE)
    reject(value, editor, "Not the contract's value.")
    pending = proposal(source, ProposalAction.FIGURE, figure="tranche")
    added = "The first Talwar-class frigates were delivered in 2024."
    archive(source, pasted(ARTICLE + "\n" + added))
    kept = {p.pk: p.status for p in source.proposals.all()}
    assert kept[revision.pk] == ProposalStatus.ACCEPTED
    assert kept[value.pk] == ProposalStatus.REJECTED
    assert pending.pk not in kept
    fresh = source.proposals.filter(status=ProposalStatus.PENDING)
    assert [p.sentence for p in fresh] == [pending.sentence, added]
    assert all(p.text == source.current_text for p in fresh)
    assert str(progress(source)) == "2 of 4 proposals handled"


def test_accepting_a_trade_figure_adds_one_trade_record_with_its_citation(editor):
    source = make_source(3, no_archived_text=False)
    archive(source, pasted("Bilateral trade reached $68.7 billion in FY2024-25, officials said."))
    figure = source.proposals.get(action=ProposalAction.TRADE_FIGURE)
    records = TradeRecord.objects.count()
    accepted = accept(figure, editor)
    assert TradeRecord.objects.count() == records + 1
    record = accepted.citation.trade_record
    assert (record.value, record.currency, record.period_type, record.period_start) == (
        Decimal("68.7"),
        "USD",
        "fiscal_year",
        dt.date(2024, 4, 1),
    )
    assert (record.reporter.code, record.partner.code) == ("IND", "RUS")


def test_accepting_a_share_names_a_party_to_the_agreement(editor):
    agreement = make_agreement(1, title="Kudankulam fuel agreement")
    source = make_source(4, no_archived_text=False)
    archive(source, pasted("The Kudankulam fuel agreement gives a 51% share to India."))
    share = source.proposals.get(action=ProposalAction.FIGURE)
    assert share.change == {
        "record": f"agreement:{agreement.pk}",
        "figure": "share_percent",
        "party": "IND",
        "share_percent": "51",
    }
    with pytest.raises(ValidationError) as refused:
        accept(share, editor, change={"party": "CHN"})
    assert list(refused.value.message_dict) == ["party"]
    accept(share, editor)
    assert agreement.agreement_parties.get(party__code="IND").share_percent == Decimal(51)
