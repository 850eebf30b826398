"""``manage.py verify_citations [--sources-dir DIR] [--uncited FILE]``: every quote occurs in its
source's archived text (in the database, or in a folder of files), and every paragraph of every
source is cited or listed as reporting no fact."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.services.citations import (
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
            default=None,
            help=(
                "Check against the files of this folder, named as each source's archive_name "
                "(e.g. fixtures/sources), instead of the texts archived in the database."
            ),
        )

        parser.add_argument(
            "--uncited",
            type=Path,
            default=UNCITED_FILE,
            help="The paragraphs that report no fact (default: fixtures/uncited_paragraphs.json).",
        )

    def handle(self, *args, sources_dir: Path | None, uncited: Path, **options):
        if sources_dir is not None and not sources_dir.is_dir():
            raise CommandError(f"No folder of archived sources at {sources_dir}.")
        result = citations_verify(sources_dir=sources_dir)
        for failure in result.failures:
            self.stderr.write(str(failure))
        if not result.ok:
            missing = len(result.failures)
            raise CommandError(
                f"{missing} of {result.checked} quotes were not found in their sources."
            )
        verified = result.checked - len(result.unverified)
        self.stdout.write(self.style.SUCCESS(f"All {verified} quotes were found in their sources."))
        for citation in result.unverified:
            self.stdout.write(f"Unverified (the source has no archived text): {citation}")
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
