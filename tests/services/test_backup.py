"""export_dataset → import_dataset into a new, empty database gives the same data set."""

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import orjson
import psycopg
import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tracker.models import (
    Agreement,
    AgreementParty,
    Citation,
    Delivery,
    Source,
    TimelineEvent,
    Tranche,
)
from tracker.services.backup import BackupError, import_dataset, read_dataset
from tracker.services.sources import archive, pasted

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def dataset(india, russia, defence):
    """A small data set with the awkward parts: decimals, precise dates, a tranche that
    writes a timeline event, a revised schedule cached on the delivery, citations, and history
    rows that name the editor who made the change."""
    editor = User.objects.create_user("editor", password="x" * 12)
    editor.groups.add(Group.objects.get_or_create(name="Backup testers")[0])
    source = Source.objects.create(
        slug="backup-tass",
        title="TASS",
        published_on=dt.date(2025, 12, 1),
        published_precision="day",
    )
    relos = Agreement.objects.create(
        slug="backup-relos", title="RELOS", kind="agreement", status="signed"
    )
    AgreementParty.objects.create(agreement=relos, party=russia, share_percent="50.50")
    TimelineEvent.objects.create(
        agreement=relos, kind="signed", date=dt.date(2025, 2, 1), precision="month", title="Signed"
    )
    s400 = Delivery.objects.create(
        slug="backup-s-400", title="S-400", kind="purchase", status="in_progress", supplier=russia,
        recipient=india, sector=defence, quantity_ordered=5, quantity_unit="regiments",
        value="5430000000.0000", value_currency="USD",
        ordered_on=dt.date(2018, 10, 1), ordered_precision="month",
    )  # fmt: skip
    Tranche.objects.create(
        delivery=s400, sequence=1, quantity=3, actual_date=dt.date(2023, 1, 1),
        actual_precision="year",
    )  # fmt: skip
    revision = TimelineEvent.objects.create(
        delivery=s400, kind="forecast_revised", date=dt.date(2024, 1, 1), precision="year",
        title="Postponed", old_date=dt.date(2023, 1, 1), old_precision="year",
        new_date=dt.date(2026, 1, 1), new_precision="year",
    )  # fmt: skip
    archive(source, pasted("The remaining regiments were\npushed to 2026, TASS reported."))
    Citation.objects.create(source=source, event=revision, quote="pushed to 2026")
    s400.refresh_from_db()
    s400.summary = "Two regiments remain."
    s400._history_user = editor
    s400.save()
    return s400


def export(path: Path) -> dict:
    call_command("export_dataset", str(path), stdout=io.StringIO())
    return read_dataset(path)


def assert_same_data(expected: dict, actual: dict) -> None:
    assert actual["groups"] == expected["groups"]
    assert actual["tables"].keys() == expected["tables"].keys()
    for label, table in expected["tables"].items():
        assert actual["tables"][label] == table, f"{label} differs"


def test_the_data_set_has_what_a_backup_must_keep(dataset, tmp_path):
    tables = export(tmp_path / "backup.json")["tables"]
    deliveries = tables["tracker.delivery"]
    schedule = next(
        dict(zip(deliveries["columns"], row, strict=True))
        for row in deliveries["rows"]
        if row[deliveries["columns"].index("slug")] == "backup-s-400"
    )
    assert schedule["slippage_months"] == 36 and schedule["quantity_delivered"] == "3.00"
    history = tables["tracker.historicaldelivery"]
    users = [row[history["columns"].index("history_user_id")] for row in history["rows"]]
    assert User.objects.get(username="editor").pk in users


def test_import_refuses_a_database_that_holds_data(dataset, tmp_path):
    backup = export(tmp_path / "backup.json")
    with pytest.raises(BackupError, match="not empty"):
        import_dataset(backup)


def test_import_refuses_a_file_of_another_format(tmp_path):
    path = tmp_path / "other.json"
    path.write_bytes(orjson.dumps({"format": "indoru-dataset", "version": 99}))
    with pytest.raises(CommandError, match="version 99"):
        call_command("import_dataset", str(path))


def test_replace_restores_the_same_rows_and_ids(dataset, tmp_path):
    before = export(tmp_path / "before.json")
    Delivery.objects.all().delete()
    import_dataset(before, replace=True)
    assert_same_data(before, export(tmp_path / "after.json"))
    # Sequences continue after the restored ids.
    assert Source.objects.create(slug="new", title="New").pk > max(
        row[0] for row in before["tables"]["tracker.source"]["rows"]
    )


@pytest.fixture
def empty_database(tmp_path):
    """The URL of a new database with the schema and nothing else, dropped afterwards."""
    params = connection.get_connection_params()
    params.pop("pool", None)
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = {**params, "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**admin) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')
        server.execute(f'CREATE DATABASE "{name}"')
    user, password = params.get("user", ""), params.get("password", "")
    host = quote(params.get("host", ""), safe="")  # a socket's folder is a path
    url = f"postgres://{user}:{password}@{host}:{params.get('port', '')}/{name}"
    try:
        manage("migrate", url=url)
        yield url
    finally:
        with psycopg.connect(**admin) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args: str, url: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_REPLICA_URLS": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_export_then_import_into_an_empty_database_gives_the_same_data_set(
    dataset, tmp_path, empty_database
):
    call_command("load_curated", stdout=io.StringIO())
    original = export(tmp_path / "original.json")
    manage("import_dataset", str(tmp_path / "original.json"), url=empty_database)
    manage("export_dataset", str(tmp_path / "restored.json"), url=empty_database)
    restored = read_dataset(tmp_path / "restored.json")
    assert len(restored["tables"]["tracker.citation"]["rows"]) > 100, "the curated data set"
    assert_same_data(original, restored)


def test_import_refuses_a_quote_that_is_not_in_its_source_text(dataset, tmp_path):
    backup = export(tmp_path / "backup.json")
    citations = backup["tables"]["tracker.citation"]
    quote = citations["columns"].index("quote")
    citations["rows"][0][quote] = "pushed to 2027"
    with pytest.raises(BackupError, match=r"1 of 1 citations quote words that are not in"):
        import_dataset(backup, replace=True)
    assert Citation.objects.get().quote == "pushed to 2026"
