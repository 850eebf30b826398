"""``manage.py import_trade FILE.csv --source SLUG``: one release of official trade statistics
(see ``tracker/services/trade_releases.py``)."""

import datetime as dt
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from tracker.management.progress import ProgressBar
from tracker.models import Source, TradeRelease
from tracker.services.trade_releases import (
    COLUMNS,
    ReleaseDescription,
    TradeImportError,
    import_release,
)


class Command(BaseCommand):
    help = (
        "Import one release of trade statistics from a CSV file with the columns "
        f"{', '.join(COLUMNS)}. A bad row anywhere imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source", required=True, help="Slug of the source (the publication) it cites."
        )
        parser.add_argument("--slug", help="The release's name (default: from the file name).")
        parser.add_argument("--publisher", help="Default: the source's publisher.")
        parser.add_argument("--dataset", help="Default: the source's title.")
        parser.add_argument(
            "--released-on",
            type=dt.date.fromisoformat,
            help="YYYY-MM-DD (default: the source's publication date).",
        )
        parser.add_argument("--revises", help="Slug of the earlier release this one revises.")

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        description = self.describe(file, options)
        bar = ProgressBar(file.stat().st_size, f"Importing {file.name}", sys.stderr)
        started = time.perf_counter()
        try:
            result = import_release(file, description, progress=bar.advance)
        except TradeImportError as error:
            raise CommandError(f"{file.name}, {error}") from None
        finally:
            bar.close()
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported release {result.release.slug}: {result.rows} observations from "
                f"{file.name} in {seconds:.1f} s ({result.rows / max(seconds, 1e-9):,.0f} rows/s)."
            )
        )

    def describe(self, file: Path, options: dict) -> ReleaseDescription:
        source = Source.objects.filter(slug=options["source"]).first()
        if source is None:
            raise CommandError(f"--source: no source {options['source']!r}; add it first.")
        revises = None
        if options["revises"]:
            revises = TradeRelease.objects.filter(slug=options["revises"]).first()
            if revises is None:
                raise CommandError(f"--revises: no release {options['revises']!r}.")
        released_on = options["released_on"] or source.published_on
        if released_on is None:
            raise CommandError("--released-on: the source has no date; give the release's.")
        publisher = options["publisher"] or source.publisher
        if not publisher:
            raise CommandError("--publisher: the source names no publisher; give it.")
        return ReleaseDescription(
            slug=options["slug"] or slugify(file.stem),
            publisher=publisher,
            dataset=options["dataset"] or source.title,
            released_on=released_on,
            source=source,
            revises=revises,
        )
