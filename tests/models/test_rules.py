"""Contradictions are refused by the database itself, and model validation names the field.

Each rule is shown twice: a write that bypasses validation (``objects.create`` / ``update`` /
raw SQL) raises IntegrityError, and ``full_clean()`` reports the same rule against the field.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from tracker.dates import PreciseDate
from tracker.integrity import rule_error
from tracker.models import (
    Agreement,
    AgreementParty,
    Delivery,
    Issue,
    Party,
    TimelineEvent,
    TradeRecord,
    Tranche,
)
from tracker.models.deliveries import (
    TOO_EARLY,
    TOO_MANY,
    arrived_before_order,
    more_than_ordered,
    too_many,
)
from tracker.models.events import RATIFIED_EARLY
from tracker.models.trade import PERIOD_MESSAGE, REPORTER_MESSAGE

pytestmark = pytest.mark.django_db


def refused(write) -> str:
    """Run a write that must be refused; return the database's message."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write()
    return str(caught.value)


def clean_errors(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


@pytest.fixture
def delivery(india, russia):
    return Delivery.objects.create(
        slug="ak-203",
        title="AK-203 rifles",
        kind="licensed_production",
        status="in_progress",
        supplier=russia,
        recipient=india,
        quantity_ordered=5,
        quantity_unit="regiments",
        ordered_on=dt.date(2019, 3, 1),
        ordered_precision="month",
    )


@pytest.fixture
def agreement(india, russia):
    relos = Agreement.objects.create(
        slug="relos", title="RELOS", kind="agreement", status="ratification_pending"
    )
    TimelineEvent.objects.create(
        agreement=relos,
        kind="signed",
        party=russia,
        date=dt.date(2025, 2, 1),
        precision="month",
        title="Signed by Russia",
    )
    return relos


def trade_record(india, russia, **changes):
    fields = dict(
        slug="fy2024-25-imports",
        title="Imports FY2024-25",
        period_type="fiscal_year",
        period_start=dt.date(2024, 4, 1),
        period_end=dt.date(2025, 3, 31),
        reporter=india,
        partner=russia,
        flow="import",
        value=Decimal("63.84"),
        currency="USD",
        unit="billion",
    )
    return TradeRecord(**{**fields, **changes})


# --- negative quantities and values -----------------------------------------------------


def test_negative_quantity_ordered(delivery):
    message = refused(lambda: Delivery.objects.filter(pk=delivery.pk).update(quantity_ordered=-1))
    assert "not_negative" in message or "not_more_than_ordered" in message
    delivery.quantity_ordered = Decimal(-1)
    assert "cannot be negative" in clean_errors(delivery)["quantity_ordered"][0]


def test_negative_value(delivery):
    assert "delivery_value_not_negative" in refused(
        lambda: Delivery.objects.filter(pk=delivery.pk).update(value=-5)
    )
    delivery.value, delivery.value_currency, delivery.value_unit = Decimal(-5), "USD", "billion"
    assert "cannot be negative" in clean_errors(delivery)["value"][0]


def test_negative_trade_value(india, russia):
    assert "trade_value_not_negative" in refused(
        lambda: trade_record(india, russia, value=Decimal(-1)).save()
    )
    assert (
        "cannot be negative"
        in clean_errors(trade_record(india, russia, value=Decimal(-1)))["value"][0]
    )


def test_tranche_quantity_must_be_positive(delivery):
    assert "tranche_quantity_positive" in refused(
        lambda: Tranche.objects.create(delivery=delivery, sequence=1, quantity=0)
    )
    errors = clean_errors(Tranche(delivery=delivery, sequence=1, quantity=Decimal(-2)))
    assert "positive quantity" in errors["quantity"][0]


# --- delivered more than ordered -------------------------------------------------------


def test_tranches_above_the_quantity_ordered(delivery):
    Tranche.objects.create(delivery=delivery, sequence=1, quantity=3)
    message = refused(lambda: Tranche.objects.create(delivery=delivery, sequence=2, quantity=3))
    assert "Delivered more than ordered" in message
    errors = clean_errors(Tranche(delivery=delivery, sequence=2, quantity=Decimal(3)))
    assert "Delivered more than ordered" in errors["quantity"][0]


def test_tranches_above_the_quantity_ordered_by_raw_sql(delivery):
    sql = (
        "INSERT INTO tracker_tranche (delivery_id, sequence, quantity, quantity_is_estimate, note,"
        " created_at, updated_at) VALUES (%s, 1, 9, false, '', %s, %s)"
    )
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with connection.cursor() as cursor:
        assert "Delivered more than ordered" in refused(
            lambda: cursor.execute(sql, [delivery.pk, now, now])
        )


def test_reducing_the_order_below_the_tranches(delivery):
    Tranche.objects.create(
        delivery=delivery,
        sequence=1,
        quantity=4,
        actual_date=dt.date(2021, 1, 1),
        actual_precision="year",
    )
    refused(lambda: Delivery.objects.filter(pk=delivery.pk).update(quantity_ordered=3))
    delivery.refresh_from_db()
    delivery.quantity_ordered = Decimal(3)
    assert clean_errors(delivery)["quantity_ordered"] == [too_many(4, 3)]


#: (tranche quantities, quantity ordered): each rule's cases, fed to its Python form and to
#: its SQL forms, which must agree.
TRANCHE_TOTALS = [
    ([3, 2], 5),
    ([3, 3], 5),
    ([Decimal("2.5"), Decimal("2.5")], 5),
    ([Decimal("2.5"), Decimal("2.51")], 5),
    ([9], None),
    ([1], 0),
]


@pytest.mark.parametrize(("quantities", "ordered"), TRANCHE_TOTALS)
def test_more_than_ordered_is_one_rule_in_python_and_in_sql(delivery, quantities, ordered):
    """``more_than_ordered`` (clean, the admin's formset), the trigger on tranches and the
    check constraint on the stored quantity delivered refuse the same totals."""
    Delivery.objects.filter(pk=delivery.pk).update(quantity_ordered=ordered)
    total = sum(quantities, Decimal(0))
    expected = more_than_ordered(total, ordered)
    tranches = [
        Tranche(delivery=delivery, sequence=n, quantity=q) for n, q in enumerate(quantities, 1)
    ]

    def insert_tranches():
        Tranche.objects.bulk_create(tranches)  # no save(): only the trigger checks them

    def store_total():
        Delivery.objects.filter(pk=delivery.pk).update(quantity_delivered=total)

    for write in (insert_tranches, store_total):
        if expected:
            message = refused(write)
            assert TOO_MANY in message or "delivery_not_more_than_ordered" in message
        else:
            with transaction.atomic():
                write()
            Tranche.objects.filter(delivery=delivery).delete()


@pytest.mark.parametrize(
    ("arrived", "precision", "ordered_on"),
    [
        ("2019-02-28", "day", "2019-03-01"),
        ("2019-03-01", "day", "2019-03-01"),
        ("2019-02-01", "month", "2019-03-01"),
        ("2019-03-01", "month", "2019-03-31"),
        ("2019-01-01", "quarter", "2019-03-31"),
        ("2019-01-01", "quarter", "2019-04-01"),
        ("2018-01-01", "year", "2019-01-01"),
    ],
)
def test_arrived_before_order_is_one_rule_in_python_and_in_sql(
    delivery, arrived, precision, ordered_on
):
    Delivery.objects.filter(pk=delivery.pk).update(ordered_on=dt.date.fromisoformat(ordered_on))
    day = dt.date.fromisoformat(arrived)
    expected = arrived_before_order(PreciseDate(day, precision), dt.date.fromisoformat(ordered_on))
    tranche = Tranche(
        delivery=delivery, sequence=1, quantity=1, actual_date=day, actual_precision=precision
    )

    def insert():
        Tranche.objects.bulk_create([tranche])

    if expected:
        assert TOO_EARLY in refused(insert)
    else:
        with transaction.atomic():
            insert()


# --- unknown status or precision --------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "constraint"),
    [
        ("status", "lost", "delivery_status_valid"),
        ("kind", "gift", "delivery_kind_valid"),
        ("ordered_precision", "decade", "delivery_ordered_on_precision_valid"),
    ],
)
def test_unknown_vocabulary(delivery, field, value, constraint):
    assert constraint in refused(
        lambda: Delivery.objects.filter(pk=delivery.pk).update(**{field: value})
    )
    setattr(delivery, field, value)
    assert "not a valid choice" in clean_errors(delivery)[field][0]


def test_date_without_precision_is_refused(delivery):
    assert "delivery_ordered_on_precision_valid" in refused(
        lambda: Delivery.objects.filter(pk=delivery.pk).update(ordered_precision=None)
    )
    delivery.ordered_precision = None
    assert "precision" in clean_errors(delivery)["ordered_precision"][0]


# --- actual date before the order -------------------------------------------------------


def test_tranche_delivered_before_the_order(delivery):
    message = refused(
        lambda: Tranche.objects.create(
            delivery=delivery,
            sequence=1,
            quantity=1,
            actual_date=dt.date(2018, 5, 1),
            actual_precision="month",
        )
    )
    assert "before its delivery was ordered" in message
    early = Tranche(
        delivery=delivery,
        sequence=1,
        quantity=Decimal(1),
        actual_date=dt.date(2018, 5, 1),
        actual_precision="month",
    )
    assert clean_errors(early)["actual_date"] == [TOO_EARLY]


def test_same_year_as_the_order_is_not_before_it(delivery):
    """A tranche "delivered in 2019" may well have come after an order of March 2019."""
    tranche = Tranche(
        delivery=delivery,
        sequence=1,
        quantity=Decimal(1),
        actual_date=dt.date(2019, 1, 1),
        actual_precision="year",
    )
    tranche.full_clean()
    tranche.save()


def test_moving_the_order_after_a_delivery(delivery):
    Tranche.objects.create(
        delivery=delivery,
        sequence=1,
        quantity=1,
        actual_date=dt.date(2021, 1, 1),
        actual_precision="month",
    )
    assert "before its delivery was ordered" in refused(
        lambda: Delivery.objects.filter(pk=delivery.pk).update(ordered_on=dt.date(2022, 1, 1))
    )


def test_completion_before_the_order(delivery):
    assert "delivery_actual_not_before_order" in refused(
        lambda: Delivery.objects.filter(pk=delivery.pk).update(
            actual_date=dt.date(2018, 1, 1), actual_precision="day"
        )
    )


# --- resolution before the issue was opened ---------------------------------------------


def test_issue_resolved_before_it_was_opened():
    issue = Issue(
        slug="rupee-trap",
        title="Rupee trap",
        category="financial",
        severity="high",
        status="resolved",
        opened_on=dt.date(2023, 5, 1),
        opened_precision="month",
        resolved_on=dt.date(2022, 1, 1),
        resolved_precision="year",
    )
    assert "issue_resolved_not_before_opened" in refused(issue.save)
    assert "before it was opened" in clean_errors(issue)["resolved_on"][0]


def test_resolved_issue_needs_a_resolution_date():
    issue = Issue(slug="x", title="X", category="energy", severity="low", status="resolved")
    assert "issue_resolved_has_date" in refused(issue.save)
    assert "resolution date" in clean_errors(issue)["resolved_on"][0]


# --- ratification before the same party signed ------------------------------------------


def test_ratification_before_signature_of_the_same_party(agreement, russia):
    early = dict(
        agreement=agreement,
        kind="ratified",
        party=russia,
        title="Ratified",
        date=dt.date(2024, 12, 1),
        precision="day",
    )
    assert "before it signed" in refused(lambda: TimelineEvent.objects.create(**early))
    assert clean_errors(TimelineEvent(**early))["date"] == [RATIFIED_EARLY]


def test_another_partys_ratification_is_not_held_to_that_signature(agreement, india):
    event = TimelineEvent(
        agreement=agreement,
        kind="ratified",
        party=india,
        title="Ratified",
        date=dt.date(2024, 12, 1),
        precision="day",
    )
    event.full_clean()
    event.save()


def test_signature_moved_after_the_ratification(agreement, russia):
    TimelineEvent.objects.create(
        agreement=agreement,
        kind="ratified",
        party=russia,
        title="Duma",
        body="state_duma",
        date=dt.date(2025, 12, 1),
        precision="day",
    )
    signed = agreement.events.get(kind="signed")
    assert "before it signed" in refused(
        lambda: TimelineEvent.objects.filter(pk=signed.pk).update(date=dt.date(2026, 1, 1))
    )
    signed.date = dt.date(2026, 1, 1)
    assert clean_errors(signed)["date"] == [RATIFIED_EARLY]


# --- provenance and shape ---------------------------------------------------------------


def test_citation_needs_exactly_one_target_and_a_short_quote(agreement):
    from tracker.models import Citation, Source

    source = Source.objects.create(slug="s", title="S", no_archived_text=True)
    assert "citation_cites_exactly_one_thing" in refused(
        lambda: Citation.objects.create(source=source, quote="Quoted words")
    )
    long_quote = " ".join(["word"] * 60)
    errors = clean_errors(Citation(source=source, quote=long_quote, agreement=agreement))
    assert "at most about 40 words" in errors["quote"][0]


def test_only_one_claim_of_a_figure_counts_toward_totals(india, russia):
    trade_record(india, russia, counts_toward_totals=True).save()
    second = trade_record(
        india,
        russia,
        slug="other-claim",
        value=Decimal("64"),
        qualifier="about",
        counts_toward_totals=True,
    )
    assert "trade_one_counting_claim_per_figure" in refused(second.save)
    second.counts_toward_totals = False
    second.save()  # the disagreeing claim is kept beside the counted one
    assert TradeRecord.objects.count() == 2


def test_range_needs_its_upper_bound(india, russia):
    record = trade_record(india, russia, qualifier="range")
    assert "trade_range_has_upper_bound" in refused(record.save)
    assert "upper value" in clean_errors(record)["value_high"][0]


@pytest.mark.parametrize("qualifier", ["less_than", "more_than", "up_to", "range"])
def test_a_counted_value_is_exact_or_about_never_a_bound_or_a_range(india, russia, qualifier):
    high = Decimal(70) if qualifier == "range" else None
    record = trade_record(
        india, russia, qualifier=qualifier, value_high=high, counts_toward_totals=True
    )
    assert "trade_counted_claim_is_summable" in refused(record.save)
    assert "cannot be added up" in clean_errors(record)["counts_toward_totals"][0]
    record.counts_toward_totals = False
    record.save()  # kept, beside the claim that counts


@pytest.mark.parametrize("metric", ["share", "price", "savings", "volume", "assets"])
def test_the_counting_rule_holds_for_every_metric(india, russia, metric):
    """ "Surpassing 30 %" is a bound whatever it measures: it counts toward nothing."""
    unit = "percent" if metric == "share" else "billion"
    bound = trade_record(
        india, russia, metric=metric, unit=unit, qualifier="more_than", counts_toward_totals=True
    )
    assert "trade_counted_claim_is_summable" in refused(bound.save)
    assert "cannot be added up" in clean_errors(bound)["counts_toward_totals"][0]
    bound.counts_toward_totals = False
    bound.save()
    about = trade_record(india, russia, slug="about", metric=metric, unit=unit, qualifier="about")
    about.counts_toward_totals = True
    about.full_clean()
    about.save()


@pytest.mark.parametrize("rate", ["per_year", "per_month"])
def test_a_rate_is_stored_and_never_counts_toward_totals(india, russia, rate):
    """ "Annual savings of $15–20 billion" over 2022–2024 is not $15–20 billion for the three
    years: a rate is kept as one, and summaries, which add counted claims, never see it."""
    record = trade_record(india, russia, rate=rate, counts_toward_totals=True)
    assert "trade_counted_claim_is_summable" in refused(record.save)
    assert "a rate" in clean_errors(record)["counts_toward_totals"][0]
    record.counts_toward_totals = False
    record.save()
    assert TradeRecord.objects.get(pk=record.pk).get_rate_display() == rate.replace("_", " ")


@pytest.mark.parametrize("flow", ["export", "import"])
def test_only_a_total_may_leave_its_reporter_empty(india, russia, flow):
    """ "China-Russian commerce reached $244.8 billion": a total, whoever counted it. An
    export or an import is someone's, and that someone is its reporter."""
    record = trade_record(india, russia, flow=flow, reporter=None)
    assert "trade_reporter_unless_total" in refused(record.save)
    assert clean_errors(record)["reporter"] == [REPORTER_MESSAGE]
    record.flow = "total"
    record.full_clean()
    record.save()
    assert TradeRecord.objects.get(pk=record.pk).reporter is None


def test_two_counted_claims_of_a_total_without_reporter_are_one_figure(india, russia):
    trade_record(india, russia, flow="total", reporter=None, counts_toward_totals=True).save()
    second = trade_record(
        india, russia, slug="other", flow="total", reporter=None, counts_toward_totals=True
    )
    assert "trade_one_counting_claim_per_figure" in refused(second.save)
    # India's own total of the same period is another figure.
    second.reporter = india
    second.save()


def test_a_rate_outside_the_vocabulary_is_refused(india, russia):
    record = trade_record(india, russia)
    record.save()
    message = refused(lambda: TradeRecord.objects.filter(pk=record.pk).update(rate="per_week"))
    assert "trade_rate_valid" in message
    assert "rate" in clean_errors(trade_record(india, russia, slug="x", rate="per_week"))


def test_a_bloc_is_a_party_to_an_agreement(india):
    """The India–EAEU agreement is between India and the Eurasian Economic Union, not Russia."""
    blocs = Party.objects.filter(is_bloc=True).values_list("code", flat=True)
    assert sorted(blocs) == ["BRICS", "EAEU", "EU", "SCO"]
    assert not Party.objects.get(code="RUS").is_bloc
    agreement = Agreement.objects.create(
        slug="india-eaeu",
        title="India–EAEU Free Commercial Agreement",
        kind="agreement",
        status="proposed",
    )
    eaeu = Party.objects.get(code="EAEU")
    AgreementParty.objects.create(agreement=agreement, party=india)
    AgreementParty.objects.create(agreement=agreement, party=eaeu)
    assert set(agreement.parties.values_list("code", flat=True)) == {"IND", "EAEU"}


def test_dates_are_stored_at_the_start_of_their_period(india, russia):
    """Validation never keeps a day the precision says the source did not give."""
    event = TimelineEvent(kind="meeting", title="Visit", date=dt.date(2024, 7, 9), precision="year")
    event.full_clean()
    assert event.date == dt.date(2024, 1, 1)


def test_every_trigger_the_models_declare_is_installed_as_declared(db):
    """The migrations hold each trigger's SQL as generated: a change to a declared trigger
    without its migration leaves the database enforcing the old rule (or keeping no former
    slugs)."""
    import pgtrigger

    declared = list(pgtrigger.registered())
    assert {trigger.name for _, trigger in declared} == {
        "delivery_guard",
        "tranche_guard",
        "event_guard",
        *(f"{name}_former_slug" for name in ("agreement", "delivery", "issue", "source")),
        "traderecord_former_slug",
        "archived_text_unchanged",
    }
    for model, trigger in declared:
        assert trigger.get_installation_status(model)[0] == "INSTALLED", trigger.name


#: Periods whose type and span agree, and the same types with spans that do not.
FITTING_PERIODS = [
    ("calendar_year", "2018-01-01", "2018-12-31"),
    ("fiscal_year", "2024-04-01", "2025-03-31"),
    ("quarter", "2025-07-01", "2025-09-30"),
    ("month", "2024-02-01", "2024-02-29"),
    ("range", "2018-03-15", "2021-06-30"),
]
MISFITTING_PERIODS = [
    ("calendar_year", "2018-04-01", "2019-03-31"),
    ("calendar_year", "2018-01-01", "2018-06-30"),
    ("calendar_year", "2018-01-01", "2019-12-31"),
    ("fiscal_year", "2024-01-01", "2024-12-31"),
    ("quarter", "2025-02-01", "2025-04-30"),
    ("quarter", "2025-07-01", "2025-12-31"),
    ("month", "2024-02-01", "2024-02-28"),
    ("month", "2024-02-15", "2024-03-14"),
]


def period(period_type: str, start: str, end: str) -> dict:
    return {
        "period_type": period_type,
        "period_start": dt.date.fromisoformat(start),
        "period_end": dt.date.fromisoformat(end),
    }


@pytest.mark.parametrize("fitting", FITTING_PERIODS)
def test_a_period_that_spans_its_type_is_stored(india, russia, fitting):
    record = trade_record(india, russia, **period(*fitting))
    record.full_clean()
    record.save()


@pytest.mark.parametrize("misfitting", MISFITTING_PERIODS)
def test_a_period_whose_type_and_span_disagree_is_refused(india, russia, misfitting):
    """Four "calendar year 2018" figures with four spans were all counted, and "2018" drawn
    twice: the type says which span the dates must have, in Python and in the database."""
    record = trade_record(india, russia, **period(*misfitting))
    assert clean_errors(record) == {"period_type": [PERIOD_MESSAGE]}
    assert "trade_period_fits_its_type" in refused(record.save)


def test_the_databases_refusals_read_as_the_rules_on_their_fields(delivery, india, russia):
    """What a trigger or a constraint refuses is told with the rule's message, on the field
    of the model being saved (tracker.integrity), never in the database's words."""
    Tranche.objects.create(
        delivery=delivery, sequence=1, quantity=1, actual_date=dt.date(2020, 1, 1),
        actual_precision="month",
    )  # fmt: skip
    with pytest.raises(IntegrityError) as trigger, transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(ordered_on=dt.date(2021, 1, 1))
    with pytest.raises(IntegrityError) as check, transaction.atomic():
        trade_record(india, russia, period_type="calendar_year").save()

    assert rule_error(trigger.value, Delivery).message_dict == {"ordered_on": [TOO_EARLY]}
    assert rule_error(trigger.value, Tranche).message_dict == {"actual_date": [TOO_EARLY]}
    assert rule_error(check.value, TradeRecord).message_dict == {"period_type": [PERIOD_MESSAGE]}
