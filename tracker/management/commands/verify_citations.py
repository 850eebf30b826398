"""``manage.py verify_citations [--sources-dir DIR]``: every quote occurs in its source's text."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.services.citations import SOURCES_DIR, citations_verify


class Command(BaseCommand):
    help = (
        "Check that every citation's quote occurs in the archived text of its source "
        "(whitespace and typographic quotes normalised)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sources-dir",
            type=Path,
            default=SOURCES_DIR,
            help=(
                "Folder holding the archived texts, named as each source's archive_name "
                "(default: fixtures/sources)."
            ),
        )

    def handle(self, *args, sources_dir: Path, **options):
        if not sources_dir.is_dir():
            raise CommandError(f"No folder of archived sources at {sources_dir}.")
        result = citations_verify(sources_dir=sources_dir)
        for failure in result.failures:
            self.stderr.write(str(failure))
        if not result.ok:
            missing = len(result.failures)
            raise CommandError(
                f"{missing} of {result.checked} quotes were not found in their sources."
            )
        self.stdout.write(
            self.style.SUCCESS(f"All {result.checked} quotes were found in their sources.")
        )
