"""Import of official trade statistics, one release (one published file) at a time.

The file is CSV with a header naming these columns, in any order::

    period, reporter, partner, flow, hs_code, value, currency, quantity, unit, flag

- ``period``: ``2024`` (calendar year), ``2024-03`` (month), ``2024-Q1`` or ``FY2024-25``
  (India's fiscal year, April–March);
- ``reporter`` / ``partner``: party codes (``IND``, ``RUS``); ``flow``: export, import, total;
- ``hs_code``: 2 to 10 digits, empty for all goods;
- ``value``: in currency units (not thousands), at most four decimals, never negative;
- ``quantity`` and ``unit``: the physical quantity and its unit (``t``, ``kg``, ``bbl``);
- ``flag``: empty for a reported figure, or provisional, revised, estimate.

The release is written in one transaction, set-based, in PostgreSQL: the file streams through
``COPY`` straight into a new table that becomes the release's partition of the observations.
Rules that cost a comparison are checks on that table, and lengths its column types, both
evaluated by ``COPY`` row by row. The rules on text (formats, known parties) run once per
distinct value, far cheaper than a pattern matched on every row: a second session copies the
file's text into a temporary table and finds those values while the first loads the partition,
so on two cores they cost no time (``ValueCheck``). Then the one index the reads use is built
and the table attached. A bad row anywhere imports nothing — no release, no partition, no
period — and the error names the line and the column. History is kept per release
(imported, withdrawn), not per row.
"""

import csv
import hashlib
import re
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import psycopg
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ..dates import statistics_period
from ..models import Party, Source, TradePeriod, TradeRelease
from ..text import CONTROL_CHARACTER_MESSAGE, has_control_characters

COLUMNS = (
    "period",
    "reporter",
    "partner",
    "flow",
    "hs_code",
    "value",
    "currency",
    "quantity",
    "unit",
    "flag",
)
NUMBER_COLUMNS = ("value", "quantity")
TEXT_COLUMNS = [name for name in COLUMNS if name not in NUMBER_COLUMNS]
OBSERVATIONS = "tracker_tradeobservation"
CHUNK_BYTES = 1 << 20

Progress = Callable[[int], None]


class TradeImportError(Exception):
    """A file that cannot be imported; nothing was written."""

    def __init__(self, line: int | None, column: str | None, message: str):
        self.line, self.column, self.message = line, column, message
        where = ", ".join(
            part for part in (line and f"line {line}", column and f"column '{column}'") if part
        )
        super().__init__(f"{where}: {message}" if where else message)


# --- the rules, each with the column it names and its one wording -----------------------------

PERIOD_MESSAGE = (
    "Give the period as 2024, 2024-03, 2024-Q1 or FY2024-25 (a fiscal year runs over two "
    "consecutive years)."
)
PARTY_MESSAGE = "Unknown party code (use a code such as IND or RUS)."
HS_CODE_MESSAGE = "An HS code is 2 to 10 digits (empty for all goods)."
CURRENCY_MESSAGE = "Give the ISO 4217 currency code, e.g. USD."
UNIT_MESSAGE = "A unit has at most 16 characters, e.g. t, kg or bbl."


@dataclass(frozen=True)
class ValueRule:
    """A check of one text column's value on its own, run once per distinct value."""

    column: str
    message: str
    is_bad: Callable[[str, frozenset[str]], bool]


def matches(column: str, pattern: str, message: str) -> ValueRule:
    return ValueRule(column, message, lambda value, parties: re.fullmatch(pattern, value) is None)


def known_party(column: str) -> ValueRule:
    return ValueRule(column, PARTY_MESSAGE, lambda value, parties: value not in parties)


VALUE_RULES = [
    ValueRule("period", PERIOD_MESSAGE, lambda value, parties: statistics_period(value) is None),
    known_party("reporter"),
    known_party("partner"),
    matches("hs_code", r"(\d{2,10})?", HS_CODE_MESSAGE),
    matches("currency", "[A-Z]{3}", CURRENCY_MESSAGE),
    ValueRule(
        "unit", CONTROL_CHARACTER_MESSAGE, lambda value, parties: has_control_characters(value)
    ),
]
CHECKED_COLUMNS = sorted({rule.column for rule in VALUE_RULES}, key=COLUMNS.index)

#: The observations' check constraints (migration 0020), by name: the column and the wording.
CHECK_RULES = {
    "observation_flow_valid": ("flow", "The flow is one of export, import, total."),
    "observation_flag_valid": (
        "flag",
        "The flag is empty (reported) or one of provisional, revised, estimate.",
    ),
    "observation_value_not_negative": ("value", "A value cannot be negative."),
    "observation_quantity_not_negative": ("quantity", "A quantity cannot be negative."),
    "observation_quantity_has_unit": (
        "unit",
        "Give the unit of a quantity (and only of a quantity), e.g. t, kg or bbl.",
    ),
    "observation_partner_not_reporter": (
        "partner",
        "The partner is a different party from the reporter.",
    ),
}
#: What COPY's own refusals mean, by column: a number it cannot read, a text too long.
COPY_MESSAGES = {
    "value": "A value is a number, e.g. 1234.5, below 10^16.",
    "quantity": "A quantity is a number, e.g. 1200, or empty.",
    "period": PERIOD_MESSAGE,
    "reporter": PARTY_MESSAGE,
    "partner": PARTY_MESSAGE,
    "hs_code": HS_CODE_MESSAGE,
    "currency": CURRENCY_MESSAGE,
    "unit": UNIT_MESSAGE,
    "flow": CHECK_RULES["observation_flow_valid"][1],
    "flag": CHECK_RULES["observation_flag_valid"][1],
}
DUPLICATE_MESSAGE = "Line {first} gives the same figure (period, flow, reporter, partner, HS code)."


# --- what a release is and what its import did ------------------------------------------------


@dataclass(frozen=True)
class ReleaseDescription:
    """What the publisher says of the file: everything of a release but what the file holds."""

    slug: str
    publisher: str
    dataset: str
    released_on: date
    source: Source
    revises: TradeRelease | None = None


@dataclass
class ImportResult:
    release: TradeRelease
    #: Seconds spent in each step, in order (for benchmarks and profiles).
    steps: dict[str, float] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return self.release.row_count


class Stopwatch:
    """Times the steps of an import: ``with watch("copy"): …``."""

    def __init__(self):
        self.steps: dict[str, float] = {}

    @contextmanager
    def __call__(self, step: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.steps[step] = self.steps.get(step, 0.0) + time.perf_counter() - started


def import_release(
    path: str | Path, description: ReleaseDescription, progress: Progress | None = None
) -> ImportResult:
    """Import the file at ``path`` as a new release in one transaction, or raise
    ``TradeImportError`` having written nothing."""
    path, watch = Path(path), Stopwatch()
    with path.open("rb") as stream:
        header = read_header(stream)
        with transaction.atomic():
            release = ReleaseImport(path, header, description, watch).run(stream, progress)
            committing = time.perf_counter()
    watch.steps["commit"] = time.perf_counter() - committing
    return ImportResult(release, watch.steps)


def chunks(stream):
    """The rest of a file, a chunk at a time, for ``COPY``."""
    return iter(lambda: stream.read(CHUNK_BYTES), b"")


def read_header(stream) -> list[str]:
    """The column names of the first line, checked against ``COLUMNS``."""
    line = stream.readline().decode("utf-8-sig")
    names = [name.strip().lower().replace(" ", "_") for name in next(csv.reader([line]), [])]
    for name in names:
        if name not in COLUMNS:
            raise TradeImportError(
                1, name, f"Unknown column; the columns are {', '.join(COLUMNS)}."
            )
    for name in COLUMNS:
        if name not in names:
            raise TradeImportError(1, name, "This column is missing from the header.")
    return names


class ReleaseImport:
    """One release's import; everything happens inside the caller's transaction."""

    def __init__(self, path: Path, header: list[str], description: ReleaseDescription, watch):
        self.path, self.header, self.description, self.watch = path, header, description, watch
        self.file_name = path.name
        self.digest = hashlib.sha256()

    def run(self, stream, progress: Progress | None) -> TradeRelease:
        watch = self.watch
        parties = frozenset(Party.objects.values_list("code", flat=True))
        with connection.cursor() as cursor, ValueCheck(self.path, self.header, parties) as check:
            self.cursor = cursor
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute("SET LOCAL work_mem = '64MB'")
            self.release_id = self.reserve_id()
            self.partition = f"{OBSERVATIONS}_r{self.release_id}"
            self.create_partition()
            with watch("copy"):
                rows = self.copy(stream, progress)
            with watch("check distinct values"):
                periods = check.periods()
            with watch("index and attach"):
                self.index_and_attach()
        with watch("release and history"):
            return self.save_release(rows, periods)

    def reserve_id(self) -> int:
        self.cursor.execute("SELECT nextval(pg_get_serial_sequence('tracker_traderelease', 'id'))")
        return self.cursor.fetchone()[0]

    def create_partition(self) -> None:
        """A table like the observations', numbering lines from 2 (the header is line 1).

        Its check that every row belongs to the release lets ``ATTACH PARTITION`` trust the
        rows without scanning them again."""
        table, sequence = self.partition, f"{self.partition}_line"
        self.cursor.execute(f"CREATE SEQUENCE {sequence} START 2 CACHE 1000")
        self.cursor.execute(
            f"CREATE TABLE {table} (LIKE {OBSERVATIONS} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        )
        self.cursor.execute(
            f"ALTER TABLE {table} ALTER release_id SET DEFAULT {self.release_id}, "
            f"ALTER line SET DEFAULT nextval('{sequence}'), "
            f"ADD CONSTRAINT {table}_release CHECK (release_id = {self.release_id})"
        )

    def copy(self, stream, progress: Progress | None) -> int:
        columns = ", ".join(self.header)
        sql = (
            f"COPY {self.partition} ({columns}) FROM STDIN "
            f"(FORMAT csv, FREEZE, FORCE_NOT_NULL ({', '.join(TEXT_COLUMNS)}))"
        )
        stream.seek(0)
        header = stream.readline()
        self.digest.update(header)
        try:
            with self.cursor.cursor.copy(sql) as copy:
                for chunk in chunks(stream):
                    copy.write(chunk)
                    self.digest.update(chunk)
                    if progress:
                        progress(len(chunk))
        except (psycopg.errors.DataError, psycopg.errors.IntegrityError) as error:
            raise copy_error(error) from None
        return self.cursor.rowcount

    def index_and_attach(self) -> None:
        """Build the index the reads use (it refuses a whole-goods figure given twice) and
        attach the table as the release's partition."""
        table = self.partition
        self.cursor.execute(
            f"ALTER TABLE {table} ALTER release_id DROP DEFAULT, ALTER line DROP DEFAULT"
        )
        self.cursor.execute(f"DROP SEQUENCE {table}_line")
        try:
            with transaction.atomic():
                self.cursor.execute(
                    f"CREATE UNIQUE INDEX {table}_whole_goods ON {table} "
                    "(period, flow, reporter, partner, currency, release_id) WHERE hs_code = ''"
                )
        except IntegrityError:
            raise self.duplicate_error() from None
        self.cursor.execute(
            f"ALTER TABLE {OBSERVATIONS} ATTACH PARTITION {table} FOR VALUES IN ({self.release_id})"
        )
        self.cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_release")

    def duplicate_error(self) -> TradeImportError:
        """Name the second line of the first whole-goods figure the file gives twice."""
        self.cursor.execute(
            f"SELECT min(line), (array_agg(line ORDER BY line))[2] FROM {self.partition} "
            "WHERE hs_code = '' GROUP BY period, flow, reporter, partner, currency "
            "HAVING count(*) > 1 ORDER BY 2 LIMIT 1"
        )
        first, second = self.cursor.fetchone()
        return TradeImportError(second, "period", DUPLICATE_MESSAGE.format(first=first))

    def save_release(self, rows: int, periods: dict[str, tuple[str, date, date]]) -> TradeRelease:
        TradePeriod.objects.bulk_create(
            [TradePeriod(label, *span) for label, span in periods.items()],
            ignore_conflicts=True,
        )
        spans = list(periods.values())
        described = self.description
        release = TradeRelease(
            pk=self.release_id,
            slug=described.slug,
            publisher=described.publisher,
            dataset=described.dataset,
            released_on=described.released_on,
            source=described.source,
            revises=described.revises,
            coverage_start=min((span[1] for span in spans), default=described.released_on),
            coverage_end=max((span[2] for span in spans), default=described.released_on),
            file_name=self.file_name,
            sha256=self.digest.hexdigest(),
            row_count=rows,
        )
        release._change_reason = f"Imported from {self.file_name}"
        same_file = TradeRelease.objects.filter(sha256=release.sha256).first()
        if same_file:
            raise TradeImportError(None, None, f"This file was already imported as {same_file}.")
        if TradeRelease.objects.filter(slug=release.slug).exists():
            raise TradeImportError(None, None, f"A release named {release.slug} exists already.")
        release.save(force_insert=True)
        return release


class ValueCheck:
    """The value rules, checked beside the load: a second session copies the file's text into
    a temporary table and finds the distinct values of the checked columns (the combinations
    of the few-valued columns, and the HS codes apart) while the release's own session copies
    it into the partition, so on two cores the checks add nothing to an import's time.

    ``periods()`` waits for it: it raises for the earliest bad line of the value rules, or
    returns the file's periods. The session writes nothing but its temporary table.
    """

    def __init__(self, path: Path, header: list[str], parties: frozenset[str]):
        self.path, self.header, self.parties = path, header, parties
        self.result: dict[str, tuple[str, date, date]] | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self.run, name="trade-value-check")

    def __enter__(self) -> "ValueCheck":
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.thread.join()

    def periods(self) -> dict[str, tuple[str, date, date]]:
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.result

    def run(self) -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                self.result = self.check(cursor)
        except BaseException as error:  # raised again in the release's own thread
            self.error = error
        finally:
            connection.close()

    def check(self, cursor) -> dict[str, tuple[str, date, date]]:
        columns = ", ".join(f"{name} text" for name in self.header)
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(f"CREATE TEMPORARY TABLE trade_file ({columns}) ON COMMIT DROP")
        copy = (
            f"COPY trade_file ({', '.join(self.header)}) FROM STDIN "
            f"(FORMAT csv, HEADER true, FREEZE, FORCE_NOT_NULL ({', '.join(CHECKED_COLUMNS)}))"
        )
        try:
            with self.path.open("rb") as stream, cursor.cursor.copy(copy) as writer:
                for chunk in chunks(stream):
                    writer.write(chunk)
        except psycopg.errors.DataError as error:
            raise copy_error(error) from None
        found = distinct_values(cursor)
        errors = []
        for rule in VALUE_RULES:
            bad = [value for value in found[rule.column] if rule.is_bad(value, self.parties)]
            if bad:
                errors.append((first_line(cursor, rule.column, bad), rule.column, rule.message))
        if errors:
            line, column, message = min(errors, key=lambda e: (e[0], COLUMNS.index(e[1])))
            raise TradeImportError(line, column, message)
        return {label: statistics_period(label) for label in found["period"]}


def distinct_values(cursor) -> dict[str, set[str]]:
    """The distinct values of each checked column of ``trade_file``, in one statement."""
    few = [name for name in CHECKED_COLUMNS if name != "hs_code"]
    blanks = ", ".join("NULL" for _ in few)
    cursor.execute(
        f"SELECT {', '.join(few)}, NULL FROM trade_file GROUP BY {', '.join(few)} "
        f"UNION ALL SELECT {blanks}, hs_code FROM trade_file GROUP BY hs_code"
    )
    found: dict[str, set[str]] = {name: set() for name in CHECKED_COLUMNS}
    for *values, hs_code in cursor.fetchall():
        pairs = [("hs_code", hs_code)] if hs_code is not None else zip(few, values, strict=True)
        for name, value in pairs:
            found[name].add(value)
    return found


def first_line(cursor, column: str, values: list[str]) -> int:
    """The first line of the file giving one of ``values`` in ``column``.

    ``trade_file`` holds the file's rows in the file's order (one ``COPY`` into a new table
    of this session, never changed), so a row's line is its rank in the table's physical
    order (``ctid``), after the header: numbering every row as it was copied cost a fifth
    of the copy, for the few lines an error names."""
    cursor.execute(
        "SELECT count(*) + 2 FROM trade_file WHERE ctid < "
        f"(SELECT min(ctid) FROM trade_file WHERE {column} = ANY(%s))",
        [values],
    )
    return cursor.fetchone()[0]


def copy_error(error: psycopg.Error) -> TradeImportError:
    """Map a refusal of COPY ("line N, column x", a check's name) to the file's line."""
    context = error.diag.context or ""
    found = re.search(r"line (\d+)(?:, column (\w+))?", context)
    line = int(found[1]) + 1 if found else None
    if isinstance(error, psycopg.errors.BadCopyFileFormat):
        return TradeImportError(line, None, f"A line has the {len(COLUMNS)} fields of the header.")
    if error.diag.constraint_name in CHECK_RULES:
        column, message = CHECK_RULES[error.diag.constraint_name]
        return TradeImportError(line, column, message)
    column = found and found[2]
    message = COPY_MESSAGES.get(column) or error.diag.message_primary or str(error)
    return TradeImportError(line, column, message)


def withdraw_release(release: TradeRelease, reason: str) -> TradeRelease:
    """Withdraw a release: its figures stop being current, those it replaced are again."""
    release.withdrawn_at = timezone.now()
    release.withdrawal_reason = reason
    release._change_reason = f"Withdrawn: {reason}"[:100]
    release.full_clean()
    release.save(update_fields=["withdrawn_at", "withdrawal_reason", "updated_at"])
    return release
