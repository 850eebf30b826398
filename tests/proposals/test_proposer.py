"""What the proposer makes of sentences: the records they concern, found by name and alias in
one query for a whole text, and the event, figure, trade figure or citation each reports."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import make_agreement, make_delivery, make_issue, make_trade
from tracker.choices import ActingBody, EventKind, PeriodType, TradeFlow, TradeKind, Unit
from tracker.dates import PreciseDate, Precision
from tracker.proposals.matching import match_records
from tracker.proposals.proposer import Action, propose

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 12, 10)


def year(n: int) -> PreciseDate:
    return PreciseDate(dt.date(n, 1, 1), Precision.YEAR)


@pytest.fixture
def records():
    return {
        "relos": make_agreement(
            1,
            slug="relos",
            title="Reciprocal Exchange of Logistics Support",
            short_name="RELOS",
        ),
        "s-400": make_delivery(
            2,
            slug="s-400",
            title="S-400 air defence regiments",
            designation="S-400",
            aliases=["Triumf"],
        ),
        "akula": make_delivery(
            3,
            slug="akula",
            title="Nuclear submarine lease",
            designation="Akula-class",
            value=Decimal(3),
            quantity_ordered=Decimal(1),
        ),
        "nationals": make_issue(4, slug="nationals", title="Indian nationals in the Russian army"),
        "tariffs": make_issue(5, slug="tariffs", title="US tariffs on Indian goods"),
    }


def slugs(matches) -> list[str]:
    return [match.slug for match in matches]


def test_records_are_matched_by_title_short_name_designation_and_alias(records):
    found = match_records(
        [
            "Russia's State Duma ratified the Reciprocal Exchange of Logistic Support pact",
            "The RELOS pact awaits India",
            "The remaining Triumf regiments are late",
            "The Akula-class boat is delayed",
            "Cricket scores were high on Sunday",
        ]
    )
    assert [slugs(matches)[:1] for matches in found] == [
        ["relos"],
        ["relos"],
        ["s-400"],
        ["akula"],
        [],
    ]
    assert found[2][0].name == "Triumf"
    assert all(0 < match.score <= 1 for matches in found for match in matches)


def test_a_name_is_matched_only_where_the_text_has_all_its_words(records):
    (found,) = match_records(["Indians serving in the Russian army were sent home"])
    assert "nationals" not in slugs(found)
    (found,) = match_records(["Indian nationals serving in the Russian army were sent home"])
    assert slugs(found)[:1] == ["nationals"]


def test_an_alias_an_editor_adds_is_matched_at_once(records):
    assert "relos" not in slugs(match_records(["The logistics pact of 2025"])[0])
    relos = records["relos"]
    relos.aliases = ["logistics pact"]
    relos.save()
    assert slugs(match_records(["The logistics pact of 2025"])[0])[:1] == ["relos"]


def test_the_closest_name_ranks_first(records):
    make_delivery(6, slug="s-400-more", title="Five more S-400 squadrons", designation="")
    (found,) = match_records(["Five more S-400 squadrons were discussed"])
    assert slugs(found)[0] == "s-400-more"
    assert "s-400" in slugs(found)
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


def test_a_whole_article_is_matched_in_two_queries(records, django_assert_num_queries):
    paragraph = (
        "Russia's State Duma ratified RELOS on December 1, 2025. "
        "The $3 billion Akula-class lease was pushed back to 2028. "
        "Bilateral trade reached $68.7 billion in FY2024-25. "
    )
    with django_assert_num_queries(2):
        proposals = propose(paragraph * 40, TODAY)
    assert len(proposals) >= 120


def only(proposals, action):
    (proposal,) = [p for p in proposals if p.action == action]
    return proposal


def test_a_ratification_names_the_party_body_date_and_agreement(records):
    event = only(
        propose("Russia's State Duma ratified the RELOS pact on December 1, 2025.", TODAY),
        Action.EVENT,
    )
    assert (event.kind, event.party, event.body) == (
        EventKind.RATIFIED,
        "RUS",
        ActingBody.STATE_DUMA,
    )
    assert event.date.date == PreciseDate(dt.date(2025, 12, 1), Precision.DAY)
    assert slugs(event.records)[0] == "relos"


def test_a_forecast_revision_gives_the_old_and_the_new_date(records):
    event = only(
        propose("The Akula-class lease, originally due by end-2023, is now due in 2026.", TODAY),
        Action.EVENT,
    )
    assert event.kind == EventKind.FORECAST_REVISED
    assert (event.old_date.date, event.new_date.date) == (year(2023), year(2026))
    assert event.date is None
    assert slugs(event.records)[0] == "akula"


def test_a_postponement_of_the_remaining_units_is_a_tranche_with_its_planned_date(records):
    proposals = propose(
        "The leasing of the $3 billion Akula-class submarine has been pushed back to 2028, "
        "and the remaining two regiments of the S-400 system have been postponed until 2026.",
        TODAY,
    )
    events = [p for p in proposals if p.action == Action.EVENT]
    assert [(e.kind, e.new_date.date, slugs(e.records)[0]) for e in events] == [
        (EventKind.POSTPONED, year(2028), "akula"),
        (EventKind.POSTPONED, year(2026), "s-400"),
    ]
    tranche = next(p for p in proposals if p.figure == "tranche")
    assert (tranche.quantity.value, tranche.quantity.unit) == (2, "regiments")
    assert tranche.date.date == year(2026)
    assert slugs(tranche.records)[0] == "s-400"


def test_a_figure_the_record_holds_is_cited_and_a_new_one_proposed(records):
    cited = only(propose("The Akula-class lease is worth $3 billion.", TODAY), Action.CITATION)
    assert (cited.figure, slugs(cited.records)) == ("value", ["akula"])
    figure = only(propose("The Akula-class lease is worth $3.5 billion.", TODAY), Action.FIGURE)
    assert (figure.figure, figure.amount.value, figure.amount.unit) == (
        "value",
        Decimal("3.5"),
        Unit.BILLION,
    )


def test_a_count_of_people_is_the_issues(records):
    proposal = next(
        p
        for p in propose("44 Indian nationals were still serving in the Russian army.", TODAY)
        if p.quantity
    )
    assert (proposal.action, proposal.figure, proposal.quantity.value) == (
        Action.CITATION,
        "people_affected",
        44,
    )
    assert slugs(proposal.records)[0] == "nationals"


def test_trade_figures_have_their_flow_period_and_kind(records):
    proposals = propose(
        "India's imports from Russia totalled USD 63.84 billion in FY2024-25. "
        "The target is to increase trade to USD 100 billion by 2030.",
        TODAY,
    )
    imports, target = [p for p in proposals if p.action == Action.TRADE_FIGURE]
    assert (imports.flow, imports.trade_kind, imports.date.fiscal_year) == (
        TradeFlow.IMPORT,
        TradeKind.REPORTED,
        2024,
    )
    assert (target.flow, target.trade_kind, target.date.date, target.date.by) == (
        TradeFlow.TOTAL,
        TradeKind.TARGET,
        year(2030),
        True,
    )


def test_a_flow_is_the_word_nearest_its_figure(records):
    proposals = propose(
        "India’s imports totalled USD 63.84 billion in FY25, compared to just USD 4.88 billion "
        "in exports.",
        TODAY,
    )
    flows = [(p.amount.value, p.flow) for p in proposals if p.action == Action.TRADE_FIGURE]
    assert flows == [(Decimal("63.84"), TradeFlow.IMPORT), (Decimal("4.88"), TradeFlow.EXPORT)]


def test_a_trade_figure_already_recorded_is_cited(records):
    make_trade(
        7,
        slug="imports-fy25",
        period_type=PeriodType.FISCAL_YEAR,
        period_start=dt.date(2024, 4, 1),
        period_end=dt.date(2025, 3, 31),
        value=Decimal("63.84"),
    )
    make_trade(8, slug="other-figure", value=Decimal("63.85"))
    cited = only(propose("Imports came to USD 63.84 billion in FY25.", TODAY), Action.CITATION)
    assert slugs(cited.records) == ["imports-fy25"]


def test_a_share_of_nothing_the_tracker_keeps_is_not_proposed(records):
    assert propose("The corridor cut the transit time by 40 %.", TODAY) == []


def test_a_share_in_a_joint_venture_names_its_holder(records):
    make_agreement(9, slug="brahmos", title="BrahMos joint venture", short_name="BrahMos")
    shares = propose(
        "BrahMos is a joint venture with a 50.5 percent Indian and 49.5 percent Russian equity "
        "split, which lets India export the missile.",
        TODAY,
    )
    assert [(p.figure, p.amount.value, p.party, slugs(p.records)) for p in shares if p.amount] == [
        ("share_percent", Decimal("50.5"), "IND", ["brahmos"]),
        ("share_percent", Decimal("49.5"), "RUS", ["brahmos"]),
    ]
