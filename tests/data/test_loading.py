"""Loading the curated data set is idempotent, and a malformed fixture changes nothing."""

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import FIXTURES
from tracker.models import (
    Agreement,
    Citation,
    Delivery,
    Issue,
    Source,
    TimelineEvent,
    TradeRecord,
)
from tracker.services.curated import FixtureError, curated_load

from .state import snapshot

pytestmark = pytest.mark.usefixtures("curated")

# In the order that deleting them needs (citations protect their sources).
CURATED_MODELS = (Citation, TimelineEvent, Delivery, Agreement, TradeRecord, Issue, Source)


@pytest.fixture
def fixtures_copy(tmp_path) -> Path:
    return Path(shutil.copytree(FIXTURES, tmp_path / "fixtures"))


def edit(folder: Path, name: str, change: Callable[[list[dict]], None]) -> None:
    """Apply ``change`` to the items of one fixture file."""
    path = folder / name
    items = json.loads(path.read_text(encoding="utf-8"))
    change(items)
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")


def item(items: list[dict], slug: str) -> dict:
    return next(entry for entry in items if entry.get("slug") == slug)


def test_the_first_load_creates_every_row(curated, db):
    assert {outcome for _, outcome in curated.counts} == {"created"}
    for model in (Source, Agreement, Delivery, TradeRecord, Issue, TimelineEvent, Citation):
        assert curated.counts[(model._meta.verbose_name_plural, "created")] == model.objects.count()


def test_loading_again_writes_nothing_and_adds_no_history(db):
    before = snapshot()
    report = curated_load(fixtures_dir=FIXTURES)
    assert report.written == 0
    assert snapshot() == before


def test_a_changed_fixture_updates_in_place(db, fixtures_copy):
    edit(fixtures_copy, "agreements.json", lambda items: item(items, "relos").update(title="RELOS"))
    history = Agreement.history.count()
    report = curated_load(fixtures_dir=fixtures_copy)
    assert report.written == 1
    assert Agreement.objects.get(slug="relos").title == "RELOS"
    assert Agreement.objects.filter(slug="relos").count() == 1
    assert Agreement.history.count() == history + 1


def unknown_status(folder: Path) -> None:
    edit(folder, "agreements.json", lambda items: item(items, "relos").update(status="shelved"))


def impossible_date(folder: Path) -> None:
    def change(items):
        item(items, "indian-nationals-in-russian-army")["events"][0]["date"] = "2025-13-45"

    edit(folder, "issues.json", change)


def unknown_precision(folder: Path) -> None:
    def change(items):
        item(items, "indian-nationals-in-russian-army")["events"][0]["date"] = "2025-W48"

    edit(folder, "issues.json", change)


def delivered_more_than_ordered(folder: Path) -> None:
    tranches = [
        {"sequence": 1, "quantity": 1, "actual_date": "2024"},
        {"sequence": 2, "quantity": 1, "actual_date": "2025"},
    ]
    edit(
        folder,
        "deliveries.json",
        lambda items: item(items, "akula-class-submarine-lease").update(tranches=tranches),
    )


def quote_from_unknown_source(folder: Path) -> None:
    def change(items):
        item(items, "ind-exports-to-rus-fy2024-25")["citations"][0]["source"] = "a-blog"

    edit(folder, "trade_records.json", change)


def quote_without_source(folder: Path) -> None:
    def change(items):
        del item(items, "ind-exports-to-rus-fy2024-25")["citations"][0]["source"]

    edit(folder, "trade_records.json", change)


MALFORMED = [
    (unknown_status, "agreements.json › relos › status: Value 'shelved' is not a valid choice."),
    (
        impossible_date,
        "issues.json › indian-nationals-in-russian-army › events[0] › date: '2025-13-45'",
    ),
    (unknown_precision, "issues.json › indian-nationals-in-russian-army › events[0] › date:"),
    (
        delivered_more_than_ordered,
        "deliveries.json › akula-class-submarine-lease › tranches[1] › quantity: "
        "Delivered more than ordered",
    ),
    (
        quote_from_unknown_source,
        "trade_records.json › ind-exports-to-rus-fy2024-25 › citations[0] › source: "
        "there is no source with slug 'a-blog'.",
    ),
    (
        quote_without_source,
        "trade_records.json › ind-exports-to-rus-fy2024-25 › citations[0] › source: required.",
    ),
]


@pytest.mark.parametrize(
    ("break_fixture", "message"), MALFORMED, ids=[case.__name__ for case, _ in MALFORMED]
)
def test_a_malformed_fixture_is_refused_and_changes_nothing(
    db, fixtures_copy, break_fixture, message
):
    # A valid change in a file loaded earlier must be rolled back too.
    edit(fixtures_copy, "sources.json", lambda items: items[0].update(title="Renamed"))
    break_fixture(fixtures_copy)
    before = snapshot()
    with pytest.raises(FixtureError) as refused:
        curated_load(fixtures_dir=fixtures_copy)
    assert message in str(refused.value)
    assert snapshot() == before
    assert not Source.objects.filter(title="Renamed").exists()


def test_a_refused_load_into_an_empty_database_leaves_it_empty(db, fixtures_copy):
    for model in CURATED_MODELS:
        model.objects.all().delete()
    unknown_status(fixtures_copy)  # after sources.json has created every source
    before = snapshot()
    with pytest.raises(FixtureError):
        curated_load(fixtures_dir=fixtures_copy)
    assert snapshot() == before
    assert not Source.objects.exists()


def test_the_command_reports_the_record_and_field(db, fixtures_copy):
    unknown_status(fixtures_copy)
    with pytest.raises(
        CommandError, match=r"Nothing was loaded: agreements\.json › relos › status"
    ):
        call_command("load_curated", fixtures_dir=fixtures_copy)


def test_an_unknown_field_is_refused(db, fixtures_copy):
    edit(fixtures_copy, "agreements.json", lambda items: item(items, "relos").update(statu="x"))
    with pytest.raises(FixtureError, match=r"agreements\.json › relos › statu: unknown field"):
        curated_load(fixtures_dir=fixtures_copy)
