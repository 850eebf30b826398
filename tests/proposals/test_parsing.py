"""Each form of date, sum, share and count the proposer reads, with the precision and unit it
keeps: a day is never invented, a fiscal year runs April to March, a crore is ten million."""

import datetime as dt
from decimal import Decimal

import pytest

from tracker.choices import Qualifier, Rate, Unit
from tracker.dates import PreciseDate, Precision
from tracker.proposals.parsing import (
    parse_dates,
    parse_facts,
    parse_money,
    parse_percentages,
    parse_quantities,
    scaled,
)

TODAY = dt.date(2025, 12, 10)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def only_date(text: str):
    (mention,) = parse_dates(text, TODAY)
    return mention


@pytest.mark.parametrize(
    ("text", "start", "precision", "words"),
    [
        ("signed on 26 June 2025 in Moscow", "2025-06-26", Precision.DAY, "26 June 2025"),
        ("on December 4, 2025, during", "2025-12-04", Precision.DAY, "December 4, 2025"),
        ("on Dec. 4, 2025", "2025-12-04", Precision.DAY, "Dec. 4, 2025"),
        ("ratified on 2025-12-01", "2025-12-01", Precision.DAY, "2025-12-01"),
        ("in June 2025 talks", "2025-06-01", Precision.MONTH, "June 2025"),
        ("as of November 2025, according", "2025-11-01", Precision.MONTH, "November 2025"),
        ("in Q3 2025", "2025-07-01", Precision.QUARTER, "Q3 2025"),
        ("in the fourth quarter of 2024", "2024-10-01", Precision.QUARTER, None),
        ("the target for 2030", "2030-01-01", Precision.YEAR, "2030"),
    ],
)
def test_a_date_keeps_the_precision_its_words_give(text, start, precision, words):
    mention = only_date(text)
    assert mention.date == PreciseDate(day(start), precision)
    assert not mention.is_estimate
    assert mention.text == (words or mention.text)
    assert text[mention.start : mention.end] == mention.text


def test_a_span_of_days_keeps_its_last_day():
    mention = only_date("Putin's December 4–5, 2025 state visit")
    assert mention.date == PreciseDate(day("2025-12-04"), Precision.DAY)
    assert mention.until == PreciseDate(day("2025-12-05"), Precision.DAY)


@pytest.mark.parametrize("text", ["FY2024-25", "FY 2024-25", "FY25", "in 2024-25 the"])
def test_a_fiscal_year_runs_from_april_to_march(text):
    mention = only_date(text)
    assert mention.fiscal_year == 2024
    assert mention.date == PreciseDate(day("2024-04-01"), Precision.MONTH)
    assert mention.until == PreciseDate(day("2025-03-01"), Precision.MONTH)


def test_by_a_fiscal_year_is_a_deadline_over_a_range_of_months():
    mention = only_date("to be completed by 2026-27")
    assert mention.by
    assert (mention.date.display, mention.until.display) == ("Apr 2026", "Mar 2027")
    assert mention.until.end == day("2027-03-31")


def test_two_digits_that_do_not_follow_the_year_are_no_fiscal_year():
    assert parse_dates("a score of 2024-31", TODAY) == []


def test_a_range_of_calendar_years():
    mention = only_date("its lowest point in 2024–2025, when")
    assert mention.date == PreciseDate(day("2024-01-01"), Precision.YEAR)
    assert mention.until == PreciseDate(day("2025-01-01"), Precision.YEAR)
    assert mention.fiscal_year is None


@pytest.mark.parametrize("text", ["in early 2026", "by mid-2026", "in late 2026"])
def test_a_loosely_placed_date_is_its_year_and_an_estimate(text):
    mention = only_date(text)
    assert mention.date == PreciseDate(day("2026-01-01"), Precision.YEAR)
    assert mention.is_estimate


@pytest.mark.parametrize("text", ["by the end of 2023", "originally due by end-2023"])
def test_by_the_end_of_a_year_is_that_year_as_a_deadline(text):
    mention = only_date(text)
    assert mention.date == PreciseDate(day("2023-01-01"), Precision.YEAR)
    assert mention.by
    assert not mention.is_estimate


def test_the_end_of_the_decade_is_placed_by_the_day_of_the_source():
    mention = only_date("by the end of the decade")
    assert mention.date == PreciseDate(day("2030-01-01"), Precision.YEAR)
    assert mention.is_estimate and mention.by
    assert parse_dates("by the end of the decade", dt.date(2012, 5, 1))[0].date.date.year == 2020


def test_the_by_of_an_agent_is_no_deadline():
    assert not only_date("as seen by the 2025 agreement").by
    assert only_date("postponed until 2026").by


def test_no_date_is_read_in_a_number_that_is_not_one():
    assert parse_dates("6000-km range, 100 GW and S-2030", TODAY) == []
    assert parse_dates("on 31 February 2025", TODAY) == []


def money(text: str):
    (amount,) = parse_money(text)
    return (amount.value, amount.currency, amount.unit, amount.qualifier)


@pytest.mark.parametrize(
    ("text", "value", "currency", "unit"),
    [
        ("valued $5.43 billion", "5.43", "USD", Unit.BILLION),
        ("a $3 B lease", "3", "USD", Unit.BILLION),
        ("trade of USD 68.7 bn", "68.7", "USD", Unit.BILLION),
        ("modest US$ 4.9 billion.", "4.9", "USD", Unit.BILLION),
        ("saved 12.6 billion dollars over", "12.6", "USD", Unit.BILLION),
        ("Rs 40,000 crore", "400", "INR", Unit.BILLION),
        ("₹21,700 crore", "217", "INR", Unit.BILLION),
        ("Rs 50 crore", "500", "INR", Unit.MILLION),
        ("Rs. 1.5 lakh each", "150", "INR", Unit.THOUSAND),
        ("Rs 25 lakh", "2.5", "INR", Unit.MILLION),
        ("₹500", "500", "INR", Unit.ONE),
        ("a $2 trillion economy", "2000", "USD", Unit.BILLION),
        ("€1.2 million", "1.2", "EUR", Unit.MILLION),
    ],
)
def test_money_has_its_currency_and_unit(text, value, currency, unit):
    assert money(text) == (Decimal(value), currency, unit, Qualifier.EXACT)


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("nearly $64 billion", Qualifier.ABOUT),
        ("approximately $68.7 billion", Qualifier.ABOUT),
        ("less than $5 billion worth", Qualifier.LESS_THAN),
        ("up to $1 billion in rupee assets", Qualifier.UP_TO),
        ("over $10 billion", Qualifier.MORE_THAN),
    ],
)
def test_money_keeps_how_exact_the_source_is(text, qualifier):
    assert money(text)[3] == qualifier


def test_a_range_of_money():
    (amount,) = parse_money("annual savings between $15–20 billion through")
    assert (amount.value, amount.value_high, amount.qualifier) == (
        Decimal(15),
        Decimal(20),
        Qualifier.RANGE,
    )
    assert amount.unit == Unit.BILLION


def test_money_per_barrel():
    assert money("only about 2.3 dollars per barrel less") == (
        Decimal("2.3"),
        "USD",
        Unit.PER_BARREL,
        Qualifier.ABOUT,
    )


def test_scale_words_in_the_trackers_units():
    assert scaled(Decimal("40000"), "crore") == (Decimal(400), Unit.BILLION)
    assert scaled(Decimal("1"), "lakh") == (Decimal(100), Unit.THOUSAND)
    assert scaled(Decimal("5.43"), "bn") == (Decimal("5.43"), Unit.BILLION)
    assert scaled(Decimal("7"), "") == (Decimal(7), Unit.ONE)


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("over 90 % of imports", "90", Qualifier.MORE_THAN),
        ("Over 90% of India’s imports", "90", Qualifier.MORE_THAN),
        ("a 50.5 per cent stake", "50.5", Qualifier.EXACT),
        ("less than one percent prior to 2022", "1", Qualifier.LESS_THAN),
        ("surpassing 30% by 2024", "30", Qualifier.MORE_THAN),
        ("tariffs of 50 %", "50", Qualifier.EXACT),
    ],
)
def test_percentages(text, value, qualifier):
    (share,) = parse_percentages(text)
    assert (share.value, share.unit, share.currency, share.qualifier) == (
        Decimal(value),
        Unit.PERCENT,
        "",
        qualifier,
    )


def test_a_percentage_after_a_year_is_not_a_range_from_it():
    shares = parse_percentages("dropped from 76% in 2009 to 36% in 2023")
    assert [(s.value, s.qualifier) for s in shares] == [
        (Decimal(76), Qualifier.EXACT),
        (Decimal(36), Qualifier.EXACT),
    ]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("three squadrons", 3, "squadrons"),
        ("the remaining two regiments of the S-400", 2, "regiments"),
        ("44 Indian nationals", 44, "Indian nationals"),
        ("44 Indians were still serving", 44, "Indians"),
        ("procure another five squadrons of", 5, "squadrons"),
        ("twenty-five rifles", 25, "rifles"),
        ("1,200 engines", 1200, "engines"),
    ],
)
def test_counts_with_what_they_count(text, value, unit):
    (quantity,) = parse_quantities(text)
    assert (quantity.value, quantity.unit) == (Decimal(value), unit)


def test_a_year_a_distance_or_a_duration_is_no_count():
    facts = parse_facts("in 2025 three new ships sailed 5,600 nautical miles in 24 days", TODAY)
    assert [(q.value, q.unit) for q in facts.quantities] == [(Decimal(3), "new ships")]
    assert [d.text for d in facts.dates] == ["2025"]


def test_each_span_of_a_sentence_is_read_once():
    facts = parse_facts(
        "India imports nearly $64 billion in FY2024-25, over 90% of it from 2 suppliers", TODAY
    )
    assert [a.text for a in facts.amounts] == ["nearly $64 billion", "over 90%"]
    assert [d.text for d in facts.dates] == ["FY2024-25"]
    assert [q.text for q in facts.quantities] == ["2 suppliers"]


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("annual savings between $15–20 billion through", Rate.PER_YEAR),
        ("acquiring up to $1 billion in rupee assets per month", Rate.PER_MONTH),
        ("$2 billion a year in exports", Rate.PER_YEAR),
        ("trade reached $68.7 billion in FY2024-25", Rate.NONE),
    ],
)
def test_a_sum_given_per_month_or_year_is_a_rate(text, rate):
    (amount,) = parse_money(text)
    assert amount.rate == rate
