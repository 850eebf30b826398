"""``manage.py export_dataset FILE``: the whole database as one versioned JSON file."""

from pathlib import Path

from django.core.management.base import BaseCommand

from tracker.services.backup import write_dataset


class Command(BaseCommand):
    help = (
        "Write every tracker table (records, timelines, citations, change history), the users "
        "and the groups to FILE as versioned JSON; import_dataset loads it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        counts = write_dataset(file)
        self.stdout.write(
            f"Exported {sum(counts.values())} rows from {len(counts)} tables to {file}."
        )
