"""``export_curated`` writes the database back as the fixtures: the freshly loaded data set
exports as the shipped files, and export → load into an empty database → export is the same."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import FIXTURES
from tracker.models import Delivery, Source, TimelineEvent
from tracker.services.curated import FILES, NATURAL_KEYS, SPECS, curated_load
from tracker.services.curated_export import curated_export

from .test_editors_work import revise_to_2027
from .test_loading import CURATED_MODELS

pytestmark = pytest.mark.usefixtures("curated")

NAMES = [name for name, _ in FILES]


def files(folder: Path) -> dict[str, str]:
    """Every file under ``folder``, by its path there, with its text."""
    return {
        str(path.relative_to(folder)): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def shipped() -> dict[str, str]:
    texts = {
        name: text for name, text in files(FIXTURES).items() if name != "uncited_paragraphs.json"
    }
    assert set(NAMES) <= set(texts)
    return texts


def empty_the_database() -> None:
    """No curated row, and no history of one (the load's history rows are its stamps)."""
    for model in CURATED_MODELS:
        model.objects.all().delete()
    for model in {*SPECS, *NATURAL_KEYS}:
        model.history.all().delete()


def test_the_loaded_data_set_exports_as_the_shipped_fixtures(db, tmp_path):
    curated_export(to=tmp_path)
    assert files(tmp_path) == shipped()


def test_an_export_loaded_into_an_empty_database_exports_the_same(db, tmp_path):
    """With an editor's work in it: a changed summary, an event without a key, a citation."""
    s400 = Delivery.objects.get(slug="s-400-triumf")
    s400.summary = "Edited by an editor."
    s400.save()
    event = revise_to_2027(s400)
    source = Source.objects.get(slug="rebalancing-relations-2025")
    event.citations.create(source=source, quote="the remaining two regiments", figure="date")
    first, second = tmp_path / "first", tmp_path / "second"
    curated_export(to=first)

    empty_the_database()
    curated_load(fixtures_dir=first)
    curated_export(to=second)

    assert files(second) == files(first)
    s400 = Delivery.objects.get(slug="s-400-triumf")
    assert s400.summary == "Edited by an editor."
    assert s400.forecast.display == "2027"
    assert s400.events.get(title="Now expected in 2027").citations.get().quote == (
        "the remaining two regiments"
    )


def test_an_event_without_a_key_is_given_one_that_loads_back_onto_it(db, tmp_path):
    s400 = Delivery.objects.get(slug="s-400-triumf")
    event = TimelineEvent.objects.create(
        delivery=s400, kind="other", date=dt.date(2026, 1, 1), precision="year", title="A note"
    )

    curated_export(to=tmp_path)
    report = curated_load(fixtures_dir=tmp_path)

    event.refresh_from_db()
    assert event.key == "s-400-triumf-a-note"
    assert report.written == 0
    assert TimelineEvent.objects.filter(title="A note").count() == 1


def test_the_export_writes_fields_in_order_and_leaves_empty_defaults_out(db, tmp_path):
    curated_export(to=tmp_path)
    (s400,) = [
        item
        for item in json.loads((tmp_path / "deliveries.json").read_text())
        if item["slug"] == "s-400-triumf"
    ]
    assert list(s400)[:5] == ["slug", "title", "designation", "kind", "status"]
    assert "quantity_ordered" not in s400  # unknown: null, left out
    assert s400["value"] == 5.43  # stored as 5.4300
    assert s400["tranches"] == [
        {
            "sequence": 1,
            "quantity": 2,
            "planned_date": "2026",
            "note": s400["tranches"][0]["note"],
        }
    ]


def test_the_command_writes_to_the_folder_given(db, tmp_path):
    call_command("export_curated", to=tmp_path)
    assert files(tmp_path) == shipped()
