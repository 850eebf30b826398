"""Slippage per delivery: baseline, forecast, actual, months late and the revision history."""

import pytest
from django.utils import timezone

from tests.api.conftest import API
from tests.factories import make_deliveries_late_and_not, make_delivery, make_revision
from tracker.choices import DeliveryStatus, Lateness
from tracker.models import Delivery
from tracker.models.deliveries import LATE_CONDITIONS


def revise(client, delivery: str, announced: str, old: dict | None, new: dict):
    response = client.post(
        f"{API}events/",
        {
            "delivery": delivery,
            "kind": "postponed",
            "title": "Postponed",
            "date": {"date": announced, "precision": "day"},
            "old_date": old,
            "new_date": new,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def create_delivery(client, slug: str, status: str) -> dict:
    """A Russian delivery to India, created through the API: its representation."""
    created = client.post(
        f"{API}deliveries/",
        {
            "slug": slug,
            "title": slug.replace("-", " ").capitalize(),
            "kind": "purchase",
            "status": status,
            "supplier": "RUS",
            "recipient": "IND",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    return created.json()


@pytest.fixture
def late_delivery(curated, editor_api) -> dict:
    """Baseline 2023, revised to 2026, through the API."""
    create_delivery(editor_api, "test-frigates", "in_progress")
    year = "year"
    revise(
        editor_api,
        "test-frigates",
        "2022-03-01",
        {"date": "2023-01-01", "precision": year},
        {"date": "2024-06-01", "precision": "month"},
    )
    revise(
        editor_api,
        "test-frigates",
        "2024-02-10",
        {"date": "2024-06-01", "precision": "month"},
        {"date": "2026-01-01", "precision": year},
    )
    return editor_api.get(f"{API}deliveries/test-frigates/").json()


def test_baseline_2023_revised_to_2026_slips_36_months(late_delivery):
    assert late_delivery["baseline"]["display"] == "2023"
    assert late_delivery["forecast"] == {
        "date": "2026-01-01",
        "precision": "year",
        "display": "2026",
        "end": "2026-12-31",
    }
    assert late_delivery["actual"] is None
    assert late_delivery["slippage_months"] == 36
    assert "slipped" in late_delivery["late"]  # and overdue too, once 2026 has passed


def test_revision_history_in_order_with_announcement_dates(late_delivery):
    revisions = late_delivery["revisions"]
    assert [r["announced"]["date"] for r in revisions] == ["2022-03-01", "2024-02-10"]
    assert [(r["old_date"]["display"], r["new_date"]["display"]) for r in revisions] == [
        ("2023", "Jun 2024"),
        ("Jun 2024", "2026"),
    ]


def test_unknown_baseline_gives_null_slippage(anon, curated):
    s400 = anon.get(f"{API}deliveries/s-400-triumf/").json()
    assert s400["baseline"] is None
    assert s400["slippage_months"] is None
    # "The remaining two regiments": some came before, and no source says how many.
    assert s400["quantity_ordered"] is None and s400["quantity_delivered"] is None
    assert s400["forecast"]["display"] == "2026"
    assert s400["revisions"][0]["new_date"]["display"] == "2026"
    assert s400["revisions"][0]["citations"][0]["source"]["slug"] == "rebalancing-relations-2025"


def test_slipped_filter_and_ordering_by_slippage(anon, late_delivery, editor_api):
    create_delivery(editor_api, "test-less-late", "in_progress")
    revise(
        editor_api,
        "test-less-late",
        "2024-01-01",
        {"date": "2025-01-01", "precision": "month"},
        {"date": "2025-04-01", "precision": "month"},
    )
    response = anon.get(f"{API}deliveries/", {"slipped": "true", "ordering": "-slippage"})
    rows = [(r["slug"], r["slippage_months"]) for r in response.json()["results"]]
    assert rows == [("test-frigates", 36), ("test-less-late", 3)]
    not_late = anon.get(f"{API}deliveries/", {"slipped": "false", "page_size": 500}).json()
    assert "s-400-triumf" in [r["slug"] for r in not_late["results"]]
    assert "test-frigates" not in [r["slug"] for r in not_late["results"]]


@pytest.mark.django_db
def test_the_late_filter_adds_the_postponed_and_the_overdue_to_the_slipped(anon):
    make_deliveries_late_and_not()

    made = {"slipped", "postponed", "overdue", "completed", "only-talks", "no-schedule"}

    def slugs(late: str) -> set[str]:
        """The deliveries made here that the filter lists (other tests' data may be there)."""
        response = anon.get(f"{API}deliveries/", {"late": late, "page_size": 500})
        assert response.status_code == 200, response.content
        return made & {row["slug"] for row in response.json()["results"]}

    assert slugs("true") == {"slipped", "postponed", "overdue"}
    assert slugs("false") == {"completed", "only-talks", "no-schedule"}


def test_the_curated_s_400_and_akula_lease_are_late_though_their_baselines_are_unknown(
    anon, curated
):
    late = anon.get(f"{API}deliveries/", {"late": "true"}).json()["results"]
    assert {row["slug"] for row in late} == {"s-400-triumf", "akula-class-submarine-lease"}
    assert all(row["slippage_months"] is None for row in late)
    # Overdue as well once their forecasts (2026, 2028) have passed.
    assert all(row["late"][0] == "postponed" for row in late)


@pytest.fixture
def late_in_each_way(db) -> set[str]:
    """Deliveries late in one way, in two, and on time, whatever the day the tests run (their
    forecasts are either long past or decades ahead)."""
    slipped = make_delivery(1, slug="slipped-only")
    make_revision(slipped, "2023-01-01", "2090-01-01")
    slipped_and_overdue = make_delivery(2, slug="slipped-and-overdue")
    make_revision(slipped_and_overdue, "2023-01-01", "2025-01-01")
    postponed = make_delivery(3, slug="postponed-only", status=DeliveryStatus.CONTRACTED)
    make_revision(postponed, None, "2090-01-01")
    on_time = make_delivery(4, slug="on-time")
    make_revision(on_time, "2090-01-01", "2089-01-01", kind="forecast_revised")
    return {"slipped-only", "slipped-and-overdue", "postponed-only", "on-time"}


def test_each_delivery_says_how_it_is_late(anon, late_in_each_way):
    listed = anon.get(f"{API}deliveries/", {"page_size": 500}).json()["results"]
    late = {row["slug"]: row["late"] for row in listed if row["slug"] in late_in_each_way}
    assert late == {
        "slipped-only": ["slipped"],
        "slipped-and-overdue": ["slipped", "overdue"],
        "postponed-only": ["postponed"],
        "on-time": [],
    }
    detail = anon.get(f"{API}deliveries/slipped-and-overdue/").json()
    assert (detail["late"], detail["slippage_months"]) == (["slipped", "overdue"], 24)


def test_late_names_the_ways_the_filters_pick(anon, late_in_each_way, curated):
    """Each way listed in ``late`` is the way the admin's filter picks in SQL, and ``late=true``
    lists exactly the deliveries whose ``late`` is not empty."""
    listed = anon.get(f"{API}deliveries/", {"page_size": 500}).json()["results"]
    annotated = Delivery.objects.with_lateness(timezone.localdate())
    for way in Lateness:
        in_sql = set(annotated.filter(LATE_CONDITIONS[way]).values_list("slug", flat=True))
        assert in_sql == {row["slug"] for row in listed if way in row["late"]}, way
    filtered = anon.get(f"{API}deliveries/", {"late": "true", "page_size": 500}).json()
    assert {row["slug"] for row in filtered["results"]} == {
        row["slug"] for row in listed if row["late"]
    }


def test_a_written_delivery_answers_with_its_lateness(editor_api, curated):
    assert create_delivery(editor_api, "new-frigates", "contracted")["late"] == []
