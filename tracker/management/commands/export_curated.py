"""``manage.py export_curated [--to DIR]``: the database in the format of the curated data set."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from tracker.services.curated_export import curated_export


class Command(BaseCommand):
    help = (
        "Write the records, timelines, citations and sources in the database as the fixture "
        "files of the curated data set, and the sources' archived texts in sources/, so that "
        "editors' work can be reviewed and versioned (load_curated reads them back)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            type=Path,
            default=Path(settings.BASE_DIR) / "fixtures",
            help="Folder to write to (default: fixtures/ in the project).",
        )

    def handle(self, *args, to: Path, **options):
        counts = curated_export(to=to)
        written = ", ".join(f"{name} ({count})" for name, count in counts.items())
        self.stdout.write(f"Exported to {to}: {written}.")
