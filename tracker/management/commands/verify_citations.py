"""``manage.py verify_citations [--sources-dir DIR] [--uncited FILE]``: every quote occurs in its
source's text, and every paragraph of every source is cited or listed as reporting no fact."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.services.citations import (
    SOURCES_DIR,
    UNCITED_FILE,
    citations_verify,
    paragraph_coverage,
    uncited_paragraphs,
)


class Command(BaseCommand):
    help = (
        "Check that every citation's quote occurs in the archived text of its source "
        "(whitespace and typographic quotes normalised), and that every paragraph of every "
        "source is cited or listed as reporting no fact."
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

        parser.add_argument(
            "--uncited",
            type=Path,
            default=UNCITED_FILE,
            help="The paragraphs that report no fact (default: fixtures/uncited_paragraphs.json).",
        )

    def handle(self, *args, sources_dir: Path, uncited: Path, **options):
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
        if not uncited.is_file():
            raise CommandError(f"No list of uncited paragraphs at {uncited}.")
        coverage = paragraph_coverage(uncited_paragraphs(uncited), sources_dir=sources_dir)
        for problem in coverage.problems:
            self.stderr.write(problem)
        if coverage.problems:
            raise CommandError(
                f"Paragraphs not accounted for: {len(coverage.problems)} of {coverage.paragraphs}."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"All {coverage.paragraphs} paragraphs are accounted for: {len(coverage.cited)} "
                f"cited, {len(coverage.listed)} listed as reporting no fact."
            )
        )
