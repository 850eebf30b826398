"""Import benchmarks: the same trade file loaded five ways into a fresh PostgreSQL database.

    .venv/bin/python bench/imports.py --database-url URL --rows N --loaddata-rows M --output F

1. raw ``COPY`` of the file into a bare table of text columns (no index, no constraint);
2. ``import_trade`` (COPY into staging, checks, INSERT … SELECT, citations, history);
3. ``records_copy``: binary ``COPY`` of the records that ``import_trade`` wrote back into the
   emptied records table, with its indexes, constraints and foreign keys and nothing else (no
   parsing, checks, citations or history): what storing the rows costs any importer at least;
4. ``bulk_create`` of the same rows as ``TradeRecord`` objects (no checks, citations or history);
5. ``loaddata`` of the first M rows as a JSON fixture (it saves one object at a time, so it
   runs on fewer rows; its rows/s is comparable, its total time is not).

Writes a JSON object with rows, seconds and rows/s for each, and the steps of ``import_trade``.
"""

import argparse
import csv
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

TRADE_TABLES = "tracker_traderecord, tracker_historicaltraderecord, tracker_historicalcitation"


def timed(rows: int, work) -> dict:
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": round(seconds, 3), "rows_per_second": round(rows / seconds)}


def release_sources() -> dict:
    from bench.synthetic import SLUG_PREFIX
    from tracker.models import Source

    slugs = {
        (code, year, month): f"{SLUG_PREFIX}-{code.lower()}-release-{year}-{month:02d}"
        for code in ("IND", "RUS")
        for year in range(2015, 2026)
        for month in range(1, 13)
    }
    # Data releases: their rows are cited unverified.
    Source.objects.bulk_create(
        Source(slug=slug, title=slug, no_archived_text=True) for slug in slugs.values()
    )
    return slugs


def raw_copy(path: Path) -> None:
    from django.db import connection

    columns = ", ".join(f"c{i} text" for i in range(11))
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_bare ({columns})")
        with (
            path.open("rb") as stream,
            cursor.cursor.copy("COPY bench_bare FROM STDIN (FORMAT csv, HEADER true)") as copy,
        ):
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                copy.write(chunk)
        cursor.execute("DROP TABLE bench_bare")


def dump_records(path: Path) -> None:
    from django.db import connection

    with (
        connection.cursor() as cursor,
        path.open("wb") as stream,
        cursor.cursor.copy("COPY tracker_traderecord TO STDOUT (FORMAT binary)") as copy,
    ):
        for chunk in copy:
            stream.write(chunk)


def copy_records(path: Path) -> None:
    """The dumped records back into their table in one transaction, whose commit runs the
    deferred foreign-key checks."""
    from django.db import connection, transaction

    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        path.open("rb") as stream,
        cursor.cursor.copy("COPY tracker_traderecord FROM STDIN (FORMAT binary)") as copy,
    ):
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            copy.write(chunk)


def empty_trade_tables() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TRADE_TABLES}, tracker_citation, tracker_timelineevent")


def bulk_create(path: Path) -> None:
    from django.db import transaction

    from tracker.models import Party, Source, TradeRecord
    from tracker.services.trade_import import record_of

    parties = dict(Party.objects.values_list("code", "id"))
    sources = dict(Source.objects.values_list("slug", "id"))
    with path.open(newline="") as stream, transaction.atomic():
        reader = csv.DictReader(stream)
        records = (record_of(row, None, parties, sources) for row in reader)
        TradeRecord.objects.bulk_create(records, batch_size=5000)


def dump_fixture(path: Path, rows: int) -> None:
    from django.core import serializers

    from tracker.models import TradeRecord

    with path.open("w") as stream:
        serializers.serialize("json", TradeRecord.objects.order_by("id")[:rows], stream=stream)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--loaddata-rows", type=int, required=True)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()

    fresh_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "indoru.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.synthetic import write_trade_csv
    from tracker.services.trade_import import import_trade_csv

    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as folder:
        path, fixture = Path(folder) / "trade.csv", Path(folder) / "trade.json"
        records = Path(folder) / "records.bin"
        rows = write_trade_csv(path, args.rows, random.Random(1), release_sources())
        results = {"raw_copy": timed(rows, lambda: raw_copy(path))}
        steps = {}

        def run_import():
            steps.update(import_trade_csv(path).steps)

        results["import_trade"] = timed(rows, run_import) | {"steps": steps}
        loaddata_rows = min(args.loaddata_rows, rows)
        dump_fixture(fixture, loaddata_rows)
        dump_records(records)
        empty_trade_tables()
        results["records_copy"] = timed(rows, lambda: copy_records(records))
        empty_trade_tables()
        results["bulk_create"] = timed(rows, lambda: bulk_create(path))
        empty_trade_tables()
        results["loaddata"] = timed(
            loaddata_rows, lambda: call_command("loaddata", str(fixture), verbosity=0)
        )
    args.output.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
