"""The curated data set holds what the sources say, with the figures and precision they give."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.conf import settings

from tracker.admin.display import trade_value
from tracker.choices import EventKind
from tracker.models import (
    Agreement,
    Citation,
    Delivery,
    Issue,
    Source,
    TimelineEvent,
    TradeRecord,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("curated")]

AGREEMENTS = [
    "relos",
    "economic-cooperation-programme-2030",
    "labour-mobility-agreement",
    "fssai-food-safety-agreement",
    "maritime-transport-agreements",
    "arctic-class-ships",
    "chennai-vladivostok-maritime-corridor",
    "rd-191m-technology-transfer",
    "brahmos-joint-venture",
    "kudankulam-cooperation",
    "nuclear-second-site",
    "rare-earth-cooperation",
    "rupee-ruble-settlement",
    "spfs-cbdc-interoperability",
    "india-eaeu-free-trade-agreement",
    "make-in-india-spare-parts",
    "kaluga-pharmaceutical-facility",
]
DELIVERIES = {
    "s-400-triumf": "in_progress",
    "akula-class-submarine-lease": "contracted",
    "kudankulam-unit-3-first-fuel": "in_progress",
    "ak-203-rifles": "under_discussion",
    "voronezh-radar": "under_discussion",
    "s-400-further-squadrons": "under_discussion",
    "pantsir": "under_discussion",
    "verba": "under_discussion",
    "r-37m": "under_discussion",
    "su-57": "offered",
    "s-500": "under_discussion",
    "urea-dap-long-term-supply": "under_discussion",
    "gaganyaan-astronaut-training": "delivered",
}
ISSUES = [
    "defence-supply-delays",
    "trade-imbalance",
    "rupee-trap",
    "oil-discount-erosion",
    "indian-nationals-in-russian-army",
    "russia-china-alignment",
    "russia-pakistan-ties",
    "western-sanctions-corporate-exits",
    "us-tariffs-russian-oil",
    "european-ambassadors-op-ed",
]
FY2024_25 = (dt.date(2024, 4, 1), dt.date(2025, 3, 31))


def claims(**filters):
    return TradeRecord.objects.filter(**filters).order_by("value")


def test_every_listed_agreement_delivery_and_issue_is_present():
    assert set(AGREEMENTS) <= set(Agreement.objects.values_list("slug", flat=True))
    assert set(Issue.objects.values_list("slug", flat=True)) >= set(ISSUES)
    statuses = dict(Delivery.objects.values_list("slug", "status"))
    assert {slug: statuses.get(slug) for slug in DELIVERIES} == DELIVERIES


def test_the_five_sources_are_recorded_with_what_the_text_gives():
    sources = {source.archive_name: source for source in Source.objects.all()}
    assert len(sources) == 5
    dated = {name: s.precise("published_on") for name, s in sources.items() if s.published_on}
    assert {name: str(date) for name, date in dated.items()} == {
        "001_1991312d39963132.txt": "2025-12-23",
        "002_fffd5ef32fb5cfcf.txt": "2025-12-10",
    }
    verma = sources["002_fffd5ef32fb5cfcf.txt"]
    assert verma.author == "Jai Kumar Verma"
    assert verma.url.startswith("https://www.aviation-defence-universe.com/")


def test_s400_figures_status_and_unknown_baseline():
    s400 = Delivery.objects.get(slug="s-400-triumf")
    assert (s400.value, s400.value_currency, s400.value_unit) == (Decimal("5.43"), "USD", "billion")
    assert s400.status == "in_progress"
    # The sources give the two remaining regiments, not the number ordered or the first date.
    assert s400.quantity_ordered is None
    [remaining] = s400.tranches.all()
    assert (remaining.quantity, str(remaining.precise("planned_date"))) == (2, "2026")
    assert remaining.actual_date is None
    assert (s400.baseline, str(s400.forecast), s400.slippage_months) == (None, "2026", None)
    postponed = s400.events.get(kind=EventKind.POSTPONED)
    assert postponed.old_date is None and postponed.date_is_estimate


def test_akula_lease_is_pushed_back_to_2028():
    akula = Delivery.objects.get(slug="akula-class-submarine-lease")
    assert (akula.value, akula.quantity_ordered) == (Decimal("3"), Decimal("1"))
    assert str(akula.forecast) == "2028"


def test_offers_and_discussions_are_not_contracts():
    further = Delivery.objects.get(slug="s-400-further-squadrons")
    assert (further.quantity_ordered, further.quantity_unit) == (5, "squadrons")
    assert not Delivery.objects.filter(
        slug__in=["su-57", "s-500", "pantsir", "verba", "r-37m"],
        status__in=["contracted", "in_progress", "delivered"],
    ).exists()


def test_relos_ratified_by_russia_on_2025_12_01_and_pending_in_india():
    relos = Agreement.objects.get(slug="relos")
    assert relos.status == "ratification_pending"
    ratified = relos.events.get(kind=EventKind.RATIFIED)
    assert (ratified.date, ratified.precision) == (dt.date(2025, 12, 1), "day")
    assert (ratified.party.code, ratified.body) == ("RUS", "state_duma")
    india, russia = sorted(relos.party_steps(), key=lambda steps: steps.party.code)
    assert (india.party.code, india.ratified, india.pending) == ("IND", None, "ratified")
    assert (russia.ratified, russia.pending) == (ratified, "")


def test_brahmos_equity_split():
    brahmos = Agreement.objects.get(slug="brahmos-joint-venture")
    shares = dict(brahmos.agreement_parties.values_list("party__code", "share_percent"))
    assert shares == {"IND": Decimal("50.5"), "RUS": Decimal("49.5")}


def test_fy2024_25_counting_claims_are_the_official_figures():
    counting = claims(
        period_start=FY2024_25[0],
        period_end=FY2024_25[1],
        period_type="fiscal_year",
        reporter__code="IND",
        partner__code="RUS",
        metric="value",
        counts_toward_totals=True,
    )
    assert {c.flow: c.value for c in counting} == {
        "import": Decimal("63.84"),
        "export": Decimal("4.88"),
        "total": Decimal("68.7"),
    }
    assert {(c.unit, c.currency) for c in counting} == {("billion", "USD")}


def test_disagreeing_claims_are_kept_each_with_its_source():
    exports = claims(period_start=FY2024_25[0], flow="export", metric="value")
    assert [(c.value, c.qualifier, c.counts_toward_totals) for c in exports] == [
        (Decimal("4.88"), "exact", True),
        (Decimal("4.9"), "about", False),
        (Decimal("5"), "less_than", False),
    ]
    assert {c.citations.get().source.slug for c in exports} == {
        "rebalancing-relations-2025",
        "putins-india-visit-strategic-reset",
        "summit-strategic-autonomy-commentary",
    }
    imports = claims(period_start=FY2024_25[0], flow="import", metric="value")
    assert [(c.value, c.qualifier) for c in imports] == [
        (Decimal("63.84"), "exact"),
        (Decimal("64"), "about"),
    ]


def test_savings_claims_disagree_and_the_estimate_is_marked():
    savings = claims(metric="savings")
    assert [(c.value, c.value_high, c.is_estimate) for c in savings] == [
        (Decimal("12.6"), None, False),
        (Decimal("15"), Decimal("20"), True),
    ]
    assert all(c.period_is_approximate for c in savings)


@pytest.mark.parametrize(
    ("slug", "value", "qualifier", "year"),
    [
        ("ind-rus-total-2023", "65", "exact", 2023),
        ("ind-rus-total-pre-war", "12", "exact", 2021),
        ("ind-rus-trade-target-2030", "100", "exact", 2030),
        ("oil-share-before-2022", "1", "less_than", 2021),
        ("oil-share-2024", "30", "more_than", 2024),
        ("oil-discount-fy2024-25", "2.3", "about", 2024),
        ("fertiliser-share-fy2024-25", "90", "more_than", 2024),
        ("defence-import-share-2009", "76", "exact", 2009),
        ("defence-import-share-2023", "36", "exact", 2023),
        ("settlement-in-rupees-and-rubles-share", "90", "more_than", 2025),
        ("china-rus-total-2024", "244.8", "exact", 2024),
    ],
)
def test_trade_figures(slug, value, qualifier, year):
    record = TradeRecord.objects.get(slug=slug)
    assert (record.value, record.qualifier, record.period_start.year) == (
        Decimal(value),
        qualifier,
        year,
    )


def test_indian_nationals_still_serving_in_november_2025():
    issue = Issue.objects.get(slug="indian-nationals-in-russian-army")
    assert issue.people_affected == 44
    reported = issue.events.get()
    assert (str(reported.when), reported.precision) == ("Nov 2025", "month")


def test_cvmc_entered_service_in_november_2024_at_month_precision():
    event = TimelineEvent.objects.get(agreement__slug="chennai-vladivostok-maritime-corridor")
    assert (event.date, event.precision) == (dt.date(2024, 11, 1), "month")
    assert "40 to 24 days" in event.description and "5,600 nautical miles" in event.description


def test_relationship_events_keep_the_precision_of_their_source():
    summit = TimelineEvent.objects.get(key="annual-summit-23-new-delhi")
    assert (summit.date, summit.end_date, summit.precision) == (
        dt.date(2025, 12, 4),
        dt.date(2025, 12, 5),
        "day",
    )
    visits = TimelineEvent.objects.get(key="modi-visits-russia-2024")
    assert (str(visits.when), visits.record) == ("2024", None)
    druzhba = TimelineEvent.objects.get(key="druzhba-2025-exercise")
    assert str(druzhba.when) == "Sep 2025"


def test_every_record_and_event_cites_a_source():
    # Events that tranches write are cited through their delivery.
    written_by_hand = TimelineEvent.objects.filter(tranche__isnull=True)
    for records in (Agreement.objects, Delivery.objects, TradeRecord.objects, Issue.objects):
        assert not records.filter(citations__isnull=True).exists(), records.model.__name__
    assert not written_by_hand.filter(citations__isnull=True).exists()
    quotes = Citation.objects.values_list("quote", flat=True)
    assert max(len(quote.split()) for quote in quotes) <= 40


def test_rates_are_stored_as_rates_and_count_toward_nothing():
    annual = TradeRecord.objects.get(slug="oil-savings-annual-estimate")
    assert (annual.value, annual.value_high, annual.rate) == (Decimal(15), Decimal(20), "per_year")
    monthly = TradeRecord.objects.get(slug="rupee-assets-acquired-by-russia")
    assert (monthly.value, monthly.qualifier, monthly.rate) == (Decimal(1), "up_to", "per_month")
    assert not TradeRecord.objects.exclude(rate="").filter(counts_toward_totals=True).exists()
    assert [trade_value(annual), trade_value(monthly)] == [
        "USD 15–20 billion per year",
        "≤USD 1 billion per month",
    ]


def test_bounds_count_toward_nothing_whatever_the_metric():
    counted = TradeRecord.objects.filter(counts_toward_totals=True)
    assert set(counted.values_list("qualifier", flat=True)) <= {"exact", "about"}
    assert not counted.filter(slug__in=["oil-share-2024", "fertiliser-share-fy2024-25"]).exists()


def test_the_eaeu_agreement_is_with_the_bloc_under_the_sources_name():
    agreement = Agreement.objects.get(slug="india-eaeu-free-trade-agreement")
    assert set(agreement.parties.values_list("code", flat=True)) == {"IND", "EAEU"}
    assert "Free Commercial Agreement" in agreement.title


def test_named_actors_are_recorded_on_their_events():
    actors = {
        "uninterrupted-fuel-supply-commitment": ("RUS", "president_of_russia"),
        "su-57-offer-reiterated": ("RUS", ""),
        "nationals-44-still-serving-2025-11": ("IND", "ministry"),
        "modi-greets-putin-at-airport": ("IND", "prime_minister_of_india"),
        "modi-visits-russia-2024": ("IND", "prime_minister_of_india"),
        "brahmos-variants-discussed": (None, "ministry"),
    }
    for key, (party, body) in actors.items():
        event = TimelineEvent.objects.select_related("party").get(key=key)
        assert (event.party and event.party.code, event.body) == (party, body), key


def test_summit_outcomes_follow_one_rule():
    """Adopted, reached or agreed: concluded and approved; agreed to explore or work towards:
    proposed; signed: signed (docs/data.md, "Summit outcomes")."""
    kinds = {
        "programme-2030-adopted": "approved",
        "labour-mobility-agreement-unveiled": "approved",
        "fssai-agreement-reached": "approved",
        "rare-earth-cooperation-agreed": "approved",
        "nuclear-second-site-identified": "approved",
        "spfs-cbdc-exploration-agreed": "proposed",
        "spare-parts-joint-ventures-committed": "proposed",
        "kaluga-facility-plans-announced": "proposed",
        "maritime-transport-agreements-signed": "signed",
    }
    events = TimelineEvent.objects.filter(key__in=kinds).select_related("agreement")
    status = {"approved": "concluded", "proposed": "proposed", "signed": "signed"}
    for event in events:
        assert event.kind == kinds[event.key], event.key
        assert event.agreement.status == status[event.kind], event.key
    assert len(events) == len(kinds)


def test_undated_announcements_are_dated_to_their_source_as_estimates():
    """One rule (docs/data.md): the source's own date, marked as an estimate; a source whose
    own date is unknown says in its notes how its date was estimated."""
    estimated = TimelineEvent.objects.filter(date_is_estimate=True).prefetch_related(
        "citations__source"
    )
    assert estimated.count() >= 10
    for event in estimated:
        (source,) = {citation.source for citation in event.citations.all()}
        if source.published_on:
            assert (event.date, event.precision) == (
                source.published_on,
                source.published_precision,
            )
        else:
            assert "Its own date is estimated as December 2025" in source.notes, source.slug
            assert (event.date, event.precision) == (dt.date(2025, 12, 1), "month"), event.key


def test_the_docs_give_the_data_sets_counts():
    """docs/data.md's "What it covers" states the counts of the data set as loaded."""
    text = (settings.BASE_DIR / "docs" / "data.md").read_text()
    stated = re.search(
        r"(\d+) agreements, (\d+) deliveries, (\d+) trade records and (\d+) issues, with "
        r"(\d+) timeline events \((\d+) of\s+them relationship-wide\) and (\d+) citations;.*?"
        r"the (\d+) that report none",
        text,
        re.DOTALL,
    )
    uncited = (settings.BASE_DIR / "fixtures" / "uncited_paragraphs.json").read_text()
    assert [int(number) for number in stated.groups()] == [
        Agreement.objects.count(),
        Delivery.objects.count(),
        TradeRecord.objects.count(),
        Issue.objects.count(),
        TimelineEvent.objects.filter(tranche__isnull=True).count(),
        TimelineEvent.objects.filter(
            agreement=None, delivery=None, trade_record=None, issue=None
        ).count(),
        Citation.objects.count(),
        len(json.loads(uncited)),
    ]
