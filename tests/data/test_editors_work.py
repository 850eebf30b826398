"""Once loaded, the database is the truth: loading the curated data set again adds what is
missing and updates what no one changed, and keeps what editors changed, saying so."""

import datetime as dt
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import FIXTURES
from tracker.models import Citation, Delivery, Source, TimelineEvent
from tracker.services.curated import NATURAL_KEYS, SPECS, curated_load

from .state import snapshot
from .test_loading import edit, item

pytestmark = pytest.mark.usefixtures("curated")

S400 = "deliveries.json › s-400-triumf"


@pytest.fixture
def fixtures_copy(tmp_path) -> Path:
    return Path(shutil.copytree(FIXTURES, tmp_path / "fixtures"))


def change_summary(slug: str, summary: str) -> None:
    delivery = Delivery.objects.get(slug=slug)
    delivery.summary = summary
    delivery.save()


def revise_to_2027(delivery: Delivery) -> TimelineEvent:
    """An editor's forecast revision: the delivery is now expected in 2027."""
    return TimelineEvent.objects.create(
        delivery=delivery,
        kind="forecast_revised",
        date=dt.date(2026, 1, 1),
        precision="month",
        title="Now expected in 2027",
        new_date=dt.date(2027, 1, 1),
        new_precision="year",
    )


def test_a_record_an_editor_changed_is_kept_and_named(db):
    change_summary("s-400-triumf", "Edited by an editor.")
    before = snapshot()

    report = curated_load(fixtures_dir=FIXTURES)

    assert Delivery.objects.get(slug="s-400-triumf").summary == "Edited by an editor."
    assert report.kept == [S400]
    assert report.lines()[-1] == f"kept 1 record changed by editors: {S400}"
    assert report.written == 0
    assert snapshot() == before


def test_a_fixture_change_updates_records_no_one_changed_and_keeps_the_others(db, fixtures_copy):
    change_summary("s-400-triumf", "Edited by an editor.")

    def change(items):
        item(items, "s-400-triumf").update(summary="The fixture's new summary.")
        item(items, "akula-class-submarine-lease").update(summary="Another new summary.")

    edit(fixtures_copy, "deliveries.json", change)

    report = curated_load(fixtures_dir=fixtures_copy)

    assert Delivery.objects.get(slug="s-400-triumf").summary == "Edited by an editor."
    assert Delivery.objects.get(slug="akula-class-submarine-lease").summary == (
        "Another new summary."
    )
    assert (report.kept, report.written) == ([S400], 1)


def test_a_change_put_back_by_hand_is_no_change(db, fixtures_copy):
    original = Delivery.objects.get(slug="s-400-triumf").summary
    change_summary("s-400-triumf", "Edited by an editor.")
    change_summary("s-400-triumf", original)
    edit(
        fixtures_copy,
        "deliveries.json",
        lambda items: item(items, "s-400-triumf").update(summary="The fixture's new summary."),
    )

    report = curated_load(fixtures_dir=fixtures_copy)

    assert Delivery.objects.get(slug="s-400-triumf").summary == "The fixture's new summary."
    assert report.kept == []


def test_an_event_an_editor_adds_does_not_hide_the_record_from_the_load(db, fixtures_copy):
    """Its schedule changes, its own fields do not: the fixture still updates them."""
    s400 = Delivery.objects.get(slug="s-400-triumf")
    revise_to_2027(s400)
    edit(
        fixtures_copy,
        "deliveries.json",
        lambda items: item(items, "s-400-triumf").update(summary="The fixture's new summary."),
    )

    report = curated_load(fixtures_dir=fixtures_copy)

    s400.refresh_from_db()
    assert s400.summary == "The fixture's new summary."
    assert s400.forecast.display == "2027"
    assert report.kept == []


def test_a_row_an_editor_deleted_is_not_brought_back(db):
    event = TimelineEvent.objects.get(key="s-400-remaining-regiments-postponed-2026")
    event.delete()

    report = curated_load(fixtures_dir=FIXTURES)

    assert not TimelineEvent.objects.filter(key=event.key).exists()
    assert report.kept == [f"{S400} › events[0] (deleted)"]


def test_a_quote_an_editor_corrected_is_not_added_again(db):
    citation = Citation.objects.filter(delivery__slug="s-400-triumf").order_by("pk").first()
    original = citation.quote
    # Narrowed to a shorter passage: a quote is saved only if the source's text holds it.
    citation.quote = original.removeprefix("the continuous ")
    assert citation.quote != original
    citation.save()

    report = curated_load(fixtures_dir=FIXTURES)

    assert not Citation.objects.filter(quote=original, delivery=citation.delivery).exists()
    assert report.kept == [f"{S400} › citations[0]"]


def test_a_record_an_editor_made_before_the_fixture_named_it_is_kept(db, fixtures_copy):
    source = Source.objects.create(slug="a-new-report", title="The editor's title")
    new = {"slug": "a-new-report", "title": "The fixture's title", "archive_name": ""}
    edit(fixtures_copy, "sources.json", lambda items: items.append(new))

    report = curated_load(fixtures_dir=fixtures_copy)

    source.refresh_from_db()
    assert source.title == "The editor's title"
    assert report.kept == ["sources.json › a-new-report"]


def test_what_each_row_was_loaded_with_is_read_once_per_model(db):
    with CaptureQueriesContext(connection) as queries:
        curated_load(fixtures_dir=FIXTURES)
    read = [
        re.match(r'SELECT DISTINCT ON \("(\w+)"', q["sql"]).group(1)
        for q in queries
        if q["sql"].startswith("SELECT DISTINCT ON")
    ]
    models = {*SPECS, *NATURAL_KEYS}  # every model a fixture holds
    assert sorted(read) == sorted(model.history.model._meta.db_table for model in models)


def test_the_command_prints_what_it_kept(db):
    change_summary("s-400-triumf", "Edited by an editor.")
    out = StringIO()
    call_command("load_curated", stdout=out)
    assert f"kept 1 record changed by editors: {S400}" in out.getvalue()
