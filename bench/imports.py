"""Import benchmark: one release of trade statistics loaded two ways into a fresh database.

    .venv/bin/python bench/imports.py --database-url URL --rows N --output F

1. raw ``COPY`` of the file into a bare table of text columns (no index, no constraint);
2. ``import_trade`` of the same file as a release: COPY into a new partition with the row
   checks, the distinct-value checks, the index the reads use, the attachment, the release and
   its history, in one transaction.

The two take turns (raw, import, raw, import, …) ``--repeat`` times, each import as a new
release of the same rows, and the fastest of each is kept. Writes a JSON object with rows,
seconds and rows/s for each, and the steps of the fastest import.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.servers import fresh_database  # noqa: E402


def timed(rows: int, work) -> dict:
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": round(seconds, 3), "rows_per_second": round(rows / seconds)}


def raw_copy(path: Path) -> None:
    from django.db import connection

    from tracker.services.trade_releases import COLUMNS, chunks

    columns = ", ".join(f"c{i} text" for i in range(len(COLUMNS)))
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_bare ({columns})")
        with (
            path.open("rb") as stream,
            cursor.cursor.copy("COPY bench_bare FROM STDIN (FORMAT csv, HEADER true)") as copy,
        ):
            for chunk in chunks(stream):
                copy.write(chunk)
        cursor.execute("DROP TABLE bench_bare")


def remove_releases() -> None:
    """Drop the releases imported so far, so the same file imports again as a new one."""
    from django.db import connection

    from tracker.models import TradeRelease

    with connection.cursor() as cursor:
        for release_id in TradeRelease.objects.values_list("id", flat=True):
            cursor.execute(f"DROP TABLE tracker_tradeobservation_r{release_id}")
    TradeRelease.history.all().delete()
    TradeRelease.objects.all().delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()

    fresh_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "indoru.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.synthetic import release_description, write_trade_csv
    from tracker.models import Source
    from tracker.services.trade_releases import import_release

    call_command("migrate", verbosity=0)
    source = Source.objects.create(slug="bench-release", title="Trade statistics")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "trade.csv"
        rows = write_trade_csv(path, args.rows, random.Random(1))
        raw_runs, import_runs = [], []
        for turn in range(args.repeat):  # the two take turns
            raw_runs.append(timed(rows, lambda: raw_copy(path)))
            steps = {}

            def run_import(turn=turn, steps=steps):
                description = release_description(f"bench-{turn}", source)
                steps.update(import_release(path, description).steps)

            import_runs.append(timed(rows, run_import) | {"steps": steps})
            remove_releases()
    fastest = {
        "raw_copy": min(raw_runs, key=lambda run: run["seconds"]),
        "import_trade": min(import_runs, key=lambda run: run["seconds"]),
    }
    args.output.write_text(json.dumps(fastest, indent=2))


if __name__ == "__main__":
    main()
