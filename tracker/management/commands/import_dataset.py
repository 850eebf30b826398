"""``manage.py import_dataset FILE``: load a backup made by export_dataset."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.services.backup import BackupError, import_dataset, read_dataset


class Command(BaseCommand):
    help = (
        "Load FILE (written by export_dataset) into an empty, migrated database, in one "
        "transaction, keeping every primary key."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the tracker's data and the users in this database first.",
        )

    def handle(self, *args, file: Path, replace: bool, **options):
        try:
            counts = import_dataset(read_dataset(file), replace=replace)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Imported {sum(counts.values())} rows into {len(counts)} tables.")
