"""``manage.py load_curated``: load the curated data set, all or nothing, idempotently, never
over an editor's change (``tracker.services.curated``)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tracker.services.curated import FixtureError, curated_load


class Command(BaseCommand):
    help = (
        "Load the curated, sourced data set from fixtures/: adds what is missing, updates what "
        "no one changed since it was loaded, keeps and names what editors changed (all or "
        "nothing; safe to repeat)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures-dir",
            type=Path,
            default=Path(settings.BASE_DIR) / "fixtures",
            help="Folder of the fixture files (default: fixtures/ in the project).",
        )

    def handle(self, *args, fixtures_dir: Path, **options):
        if not fixtures_dir.is_dir():
            raise CommandError(f"No fixtures folder at {fixtures_dir}.")
        try:
            report = curated_load(fixtures_dir=fixtures_dir)
        except FixtureError as exc:
            raise CommandError(f"Nothing was loaded: {exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
        verdict = f"{report.written} rows written." if report.written else "Already up to date."
        self.stdout.write(self.style.SUCCESS(f"Curated data set loaded: {verdict}"))
