"""``manage.py import_trade FILE.csv``: bulk import of trade statistics (see the service)."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.management.progress import ProgressBar
from tracker.services.trade_import import COLUMNS, TradeImportError, import_trade_csv


class Command(BaseCommand):
    help = (
        "Import trade statistics from a CSV file with the columns "
        f"{', '.join(COLUMNS)}. A bad row anywhere imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        bar = ProgressBar(file.stat().st_size, f"Importing {file.name}", sys.stderr)
        started = time.perf_counter()
        try:
            result = import_trade_csv(file, progress=bar.advance)
        except TradeImportError as error:
            raise CommandError(f"{file.name}, {error}") from None
        finally:
            bar.close()
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.rows} trade records from {file.name} in {seconds:.1f} s "
                f"({result.rows / max(seconds, 1e-9):,.0f} rows/s); "
                f"{result.superseded} stored figures superseded."
            )
        )
