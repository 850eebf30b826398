"""Slippage per delivery: baseline, forecast, actual, months late and the revision history."""

import pytest

from tests.admin.factories import make_deliveries_late_and_not
from tests.api.conftest import API


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


@pytest.fixture
def late_delivery(curated, editor_api) -> dict:
    """Baseline 2023, revised to 2026, through the API."""
    created = editor_api.post(
        f"{API}deliveries/",
        {
            "slug": "test-frigates",
            "title": "Test frigates",
            "kind": "purchase",
            "status": "in_progress",
            "supplier": "RUS",
            "recipient": "IND",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
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
    assert s400["forecast"]["display"] == "2026"
    assert s400["revisions"][0]["new_date"]["display"] == "2026"
    assert s400["revisions"][0]["citations"][0]["source"]["slug"] == "rebalancing-relations-2025"


def test_slipped_filter_and_ordering_by_slippage(anon, late_delivery, editor_api):
    editor_api.post(
        f"{API}deliveries/",
        {
            "slug": "test-less-late",
            "title": "Less late",
            "kind": "purchase",
            "status": "in_progress",
            "supplier": "RUS",
            "recipient": "IND",
        },
        format="json",
    )
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
