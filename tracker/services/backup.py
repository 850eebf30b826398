"""Whole-database backups as one versioned JSON file.

The file holds every table of the tracker app (records, timelines, tranches, sources,
citations and their change history), the users that history names, and the groups with
their permissions (by natural key, since permission ids differ between databases)::

    {"format": "indoru-dataset", "version": 1, "exported_at": "…",
     "migrations": {"tracker": "0005_…", …},
     "groups": [{"name": "Editors", "permissions": ["tracker.add_delivery", …]}, …],
     "tables": {"auth.user": {"columns": [...], "rows": [[...], …]}, "tracker.party": …}}

Rows keep their primary keys. Import writes them with plain INSERTs in dependency order: no
``save()``, so nothing is recomputed and ``auto_now`` columns keep their values; the
cached schedule columns of deliveries are restored as they were. The database's own
constraints and triggers still check every row. API tokens are not exported: they are
credentials, and editors issue new ones.
"""

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from pathlib import Path

import orjson
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .bulk import copy_rows
from .citations import citations_verify

FORMAT = "indoru-dataset"
VERSION = 1
#: Filled by migrations in a new database; replaced by the backup's rows on import.
SEEDED_BY_MIGRATIONS = frozenset({"tracker.party", "tracker.sector"})


class BackupError(Exception):
    """The file cannot be imported into this database; the message says why."""


def backed_up_models() -> list[type[models.Model]]:
    """Users, then every tracker table, each after the tables its foreign keys point to."""
    user_model = apps.get_model("auth", "User")
    tracker = list(apps.get_app_config("tracker").get_models(include_auto_created=True))
    return [user_model, *_dependency_order(tracker)]


def _dependency_order(candidates: list[type[models.Model]]) -> list[type[models.Model]]:
    """Each table after those it points to; where two point at each other (a source and its
    current text), the one whose pointer may be empty comes first: Django's foreign keys are
    checked at the end of the transaction, so the other table's rows may follow it."""

    def dependencies(model, required_only=False):
        return {
            field.related_model
            for field in model._meta.concrete_fields
            if field.is_relation
            and field.db_constraint
            and field.related_model is not model
            and not (required_only and field.null)
        } & set(candidates)

    ordered: list[type[models.Model]] = []
    pending = sorted(candidates, key=lambda m: m._meta.label_lower)
    while pending:
        ready = [m for m in pending if dependencies(m) <= set(ordered)] or [
            m for m in pending if dependencies(m, required_only=True) <= set(ordered)
        ][:1]
        if not ready:
            raise BackupError(f"Circular foreign keys between {pending}.")
        ordered.extend(ready)
        pending = [m for m in pending if m not in ready]
    return ordered


def _jsonable(value):
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def _export_table(model) -> dict:
    fields = model._meta.concrete_fields
    rows = model._base_manager.order_by("pk").values_list(*(f.attname for f in fields))
    return {
        "columns": [f.attname for f in fields],
        "rows": [[_jsonable(value) for value in row] for row in rows.iterator(chunk_size=2000)],
    }


def _export_groups() -> list[dict]:
    groups = Group.objects.order_by("name").prefetch_related("permissions__content_type")
    return [
        {
            "name": group.name,
            "permissions": sorted(
                f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
            ),
            "members": sorted(group.user_set.values_list("pk", flat=True)),
        }
        for group in groups
    ]


def applied_migrations() -> dict[str, str]:
    """The latest migration applied per app: the schema the rows fit."""
    latest: dict[str, str] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        latest[app] = max(latest.get(app, name), name)
    return latest


def export_dataset() -> dict:
    with transaction.atomic():  # one consistent snapshot on PostgreSQL
        return {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": timezone.now().isoformat(),
            "migrations": applied_migrations(),
            "groups": _export_groups(),
            "tables": {m._meta.label_lower: _export_table(m) for m in backed_up_models()},
        }


def write_dataset(path: Path) -> dict[str, int]:
    """Export to ``path``; returns the number of rows per table."""
    dataset = export_dataset()
    path.write_bytes(orjson.dumps(dataset))
    return {label: len(table["rows"]) for label, table in dataset["tables"].items()}


def read_dataset(path: Path) -> dict:
    try:
        dataset = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as error:
        raise BackupError(f"{path} is not JSON: {error}") from error
    if not isinstance(dataset, dict) or dataset.get("format") != FORMAT:
        raise BackupError(f"{path} is not an {FORMAT} file.")
    if dataset.get("version") != VERSION:
        raise BackupError(
            f"{path} is version {dataset.get('version')}; this release reads version {VERSION}."
        )
    return dataset


def _check_target(dataset: dict, replace: bool) -> None:
    if dataset["migrations"] != applied_migrations():
        raise BackupError(
            "The backup was taken at another schema version: run the same release's "
            "migrations first (manage.py migrate), then import."
        )
    if replace:
        return
    filled = [
        m._meta.label_lower
        for m in backed_up_models()
        if m._meta.label_lower not in SEEDED_BY_MIGRATIONS and m._base_manager.exists()
    ]
    if filled:
        raise BackupError(
            f"The database is not empty: {len(filled)} tables hold rows ({', '.join(filled[:3])}"
            f"{', …' if len(filled) > 3 else ''}). Import into a new database, or pass "
            "--replace to delete its data first."
        )


def _insert_rows(model, columns: list[str], rows: Iterable[list]) -> None:
    """``COPY`` of the rows: no model ``save()``, signals or ``auto_now`` stamping."""
    fields = [model._meta.get_field(name) for name in _field_names(model, columns)]
    prepared = (
        [
            f.get_db_prep_save(f.to_python(value), connection)
            for f, value in zip(fields, row, strict=True)
        ]
        for row in rows
    )
    copy_rows(model, [f.column for f in fields], prepared)


def _field_names(model, columns: list[str]) -> list[str]:
    by_attname = {f.attname: f.name for f in model._meta.concrete_fields}
    unknown = [c for c in columns if c not in by_attname]
    if unknown:
        raise BackupError(f"{model._meta.label_lower} has no column {', '.join(unknown)}.")
    return [by_attname[c] for c in columns]


def _import_groups(groups: list[dict]) -> None:
    permissions = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    for entry in groups:
        missing = set(entry["permissions"]) - permissions.keys()
        if missing:
            raise BackupError(f"Group {entry['name']}: unknown permissions {sorted(missing)}.")
        group, _ = Group.objects.get_or_create(name=entry["name"])
        group.permissions.set([permissions[name] for name in entry["permissions"]])
        group.user_set.set(entry["members"])


def _delete_all(ordered: list[type[models.Model]]) -> None:
    """Empty the backed-up tables: the tracker's without signals, children first; then the
    users through the ORM, which also removes what other apps hold for them (tokens, the
    admin's log)."""
    user_model, *tracker = ordered
    with connection.cursor() as cursor:
        for model in reversed(tracker):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    user_model._base_manager.all().delete()


def _check_citations() -> None:
    """Every imported quote is in its source's archived text, as when a citation is saved."""
    check = citations_verify()
    if not check.ok:
        failures = "; ".join(str(failure) for failure in check.failures[:10])
        raise BackupError(
            f"{len(check.failures)} of {check.checked} citations quote words that are not in "
            f"their source's archived text: {failures}"
        )


def import_dataset(dataset: dict, *, replace: bool = False) -> dict[str, int]:
    """Load a backup into this database in one transaction; returns rows per table."""
    ordered = backed_up_models()
    tables = dataset["tables"]
    unknown = set(tables) - {m._meta.label_lower for m in ordered}
    if unknown:
        raise BackupError(f"The backup has tables this release does not know: {sorted(unknown)}.")
    with transaction.atomic():
        _check_target(dataset, replace)
        _delete_all(ordered)
        for model in ordered:
            table = tables.get(model._meta.label_lower)
            if table:
                _insert_rows(model, table["columns"], table["rows"])
        _import_groups(dataset["groups"])
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), ordered):
                cursor.execute(statement)
        _check_citations()
    return {label: len(table["rows"]) for label, table in tables.items()}
