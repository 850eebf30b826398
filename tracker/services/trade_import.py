"""Bulk import of trade statistics as a statistics office publishes them.

The file is CSV with a header naming these columns, in any order::

    period, reporter, partner, flow, hs_code, value, currency, quantity, unit, kind, source

- ``period``: ``2024`` (calendar year), ``2024-03`` (month), ``2024-Q1`` or ``FY2024-25``
  (India's fiscal year, April–March);
- ``reporter`` / ``partner``: party codes (``IND``, ``RUS``); ``flow``: export, import, total;
- ``hs_code``: 2 to 10 digits, empty for all goods;
- ``value``: in currency units (not thousands), at most four decimals, never negative;
- ``quantity`` and ``unit``: the physical quantity and its unit (``t``, ``kg``, ``bbl``);
  kept verbatim in the citation's quote until the model has fields for them;
- ``kind``: reported (the default), provisional, revised or estimate;
- ``source``: the slug of the ``Source`` (the release) the figures come from.

Each row becomes a ``TradeRecord`` with a ``Citation`` of its source quoting the row, and a
"created" history entry. Within a file the last row of a figure counts toward totals, and it
takes over from a counting row already stored for that figure (a revision supersedes).

A bad row anywhere imports nothing: the error names the line and the column. The file streams
through ``COPY`` into a temporary staging table, is checked against ``VALUE_RULES`` and
``ROW_RULES`` and inserted with ``INSERT … SELECT``, in one transaction.
"""

import csv
import re
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import psycopg
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ..choices import PeriodType
from ..dates import (
    FISCAL_YEAR_FIRST_MONTH,
    TRADE_PERIOD_MONTHS,
    fiscal_year_label,
    fiscal_year_start,
    quarter_start,
    span_end_sql,
    trade_period_end,
)
from ..models import Citation, Party, Source, TradeRecord
from ..models.sources import no_text_message, not_found_message
from ..quotes import locate
from .bulk import insert_select, max_id, record_history

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
    "kind",
    "source",
)
#: What statistics offices publish is a figure in currency units, never thousands or a share.
VALUE_UNIT = "one"
DEFAULT_KIND = "reported"
FLOW_PHRASES = {"export": "exports to", "import": "imports from", "total": "total trade with"}
#: Staging columns that are not text; everything else arrives as the file spells it.
STAGING_TYPES = {"value": "numeric(20, 4)", "quantity": "numeric(20, 4)"}
TEXT_COLUMNS = [name for name in COLUMNS if name not in STAGING_TYPES]
CHUNK_BYTES = 1 << 20
BATCH_ROWS = 5000

Progress = Callable[[int], None]


class TradeImportError(Exception):
    """A file that cannot be imported; nothing was written."""

    def __init__(self, line: int | None, column: str | None, message: str):
        self.line, self.column, self.message = line, column, message
        where = ", ".join(
            part for part in (line and f"line {line}", column and f"column '{column}'") if part
        )
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class Known:
    party_codes: frozenset[str]
    source_slugs: frozenset[str]

    @classmethod
    def load(cls) -> "Known":
        return cls(
            frozenset(Party.objects.values_list("code", flat=True)),
            frozenset(Source.objects.values_list("slug", flat=True)),
        )


@dataclass(frozen=True)
class ValueRule:
    """A check of one column's value on its own.

    Columns other than the numbers take few distinct values (periods, codes, releases), so on
    PostgreSQL these run in Python on each distinct value rather than in SQL on each row.
    """

    column: str
    message: str
    is_bad: Callable[[str, Known], bool]


@dataclass(frozen=True)
class RowRule:
    """A check that needs the row: ``sql`` over the staging table, true when the row is bad."""

    column: str
    message: str
    sql: str


def matches(column: str, pattern: str, message: str) -> ValueRule:
    return ValueRule(column, message, lambda value, known: re.fullmatch(pattern, value) is None)


def known_party(column: str) -> ValueRule:
    return ValueRule(
        column,
        "Unknown party code (use a code such as IND or RUS).",
        lambda value, known: value not in known.party_codes,
    )


def fiscal_year_mismatch(value: str, known: Known) -> bool:
    return value.startswith("FY") and value != fiscal_year_label(int(value[2:6]))


def number(text: str) -> Decimal | None:
    """The number PostgreSQL's ``numeric(20, 4)`` would accept, or ``None``."""
    try:
        value = Decimal(text)
    except ArithmeticError:
        return None
    return value if value.is_finite() and abs(value) < MAX_NUMBER else None


MAX_NUMBER = Decimal(10) ** 16
#: Numbers are typed in the staging table: PostgreSQL's COPY refuses a bad one, naming the line
#: and the column, and the import reports it with this message.
NUMBER_MESSAGES = {
    "value": "A value is a number, e.g. 1234.5, below 10^16.",
    "quantity": "A quantity is a number, e.g. 1200, or empty.",
}
VALUE_RULES = [
    matches(
        "period",
        r"\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?|FY\d{4}-\d{2}",
        "Give the period as 2024, 2024-03, 2024-Q1 or FY2024-25.",
    ),
    ValueRule(
        "period",
        "A fiscal year runs over two consecutive years, e.g. FY2024-25.",
        fiscal_year_mismatch,
    ),
    known_party("reporter"),
    known_party("partner"),
    matches("flow", "|".join(FLOW_PHRASES), f"The flow is one of {', '.join(FLOW_PHRASES)}."),
    matches("hs_code", r"(\d{2,10})?", "An HS code is 2 to 10 digits (empty for all goods)."),
    matches("currency", "[A-Z]{3}", "Give the ISO 4217 currency code, e.g. USD."),
    ValueRule(
        "unit",
        "A unit has at most 16 characters, e.g. t, kg or bbl.",
        lambda value, known: len(value) > 16,
    ),
    matches(
        "kind",
        "(reported|provisional|revised|estimate)?",
        "The kind is reported, provisional, revised or estimate.",
    ),
    ValueRule(
        "source",
        "Unknown source: give the slug of a source already recorded.",
        lambda value, known: value not in known.source_slugs,
    ),
]
ROW_RULES = [
    RowRule(
        "partner",
        "The partner is a different party from the reporter.",
        "partner = reporter",
    ),
    RowRule("value", "A value cannot be negative.", "value < 0"),
    RowRule("quantity", "A quantity cannot be negative.", "quantity < 0"),
    RowRule(
        "unit",
        "Give the unit of a quantity (and only of a quantity), e.g. t, kg or bbl.",
        "(quantity IS NULL) <> (unit = '')",
    ),
]


def first_error(errors: list[tuple[int, str, str]]) -> TradeImportError | None:
    """The error on the earliest line, and in it on the leftmost column (of ``COLUMNS``)."""
    if not errors:
        return None
    line, column, message = min(errors, key=lambda e: (e[0], COLUMNS.index(e[1])))
    return TradeImportError(line, column, message)


@dataclass
class ImportResult:
    rows: int
    superseded: int
    #: Seconds spent in each step, in order (for benchmarks and profiles).
    steps: dict[str, float] = field(default_factory=dict)


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


def import_trade_csv(path: str | Path, progress: Progress | None = None) -> ImportResult:
    """Import the file at ``path`` in one transaction, or raise ``TradeImportError``."""
    path, watch = Path(path), Stopwatch()
    with path.open("rb") as stream:
        header = read_header(stream)
        if progress:
            progress(stream.tell())
        with transaction.atomic():
            result = PostgresImport(path.name, header, watch).run(stream, progress)
            committing = time.perf_counter()
    watch.steps["commit (deferred foreign-key checks)"] = time.perf_counter() - committing
    result.steps = watch.steps
    return result


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


def wrong_width_error(line: int) -> TradeImportError:
    return TradeImportError(line, None, f"A line has the {len(COLUMNS)} fields of the header.")


# --- the parts both paths share --------------------------------------------------------------


def period_bounds(text: str) -> tuple[str, date, date]:
    """(period type, first day, last day) of a period that passed the ``period`` rules."""
    year = int(text[2:6] if text.startswith("FY") else text[:4])
    if text.startswith("FY"):
        kind, start = PeriodType.FISCAL_YEAR, fiscal_year_start(year)
    elif len(text) == 4:
        kind, start = PeriodType.CALENDAR_YEAR, date(year, 1, 1)
    elif text[5] == "Q":
        kind, start = PeriodType.QUARTER, quarter_start(year, int(text[6]))
    else:
        kind, start = PeriodType.MONTH, date(year, int(text[5:7]), 1)
    return kind.value, start, trade_period_end(kind, start)


def slug_of(row: dict, source_id: int) -> str:
    """Stable and unique per figure, kind and release: a re-import of a file is refused."""
    hs_code = row["hs_code"] or "all"
    kind = row["kind"] or DEFAULT_KIND
    return (
        f"{row['reporter']}-{row['partner']}-{row['flow']}-{hs_code}-{row['period']}-{kind}"
        f"-s{source_id}"
    ).lower()


def title_of(row: dict) -> str:
    goods = f"HS {row['hs_code']}" if row["hs_code"] else "all goods"
    return (
        f"{row['reporter']} {FLOW_PHRASES[row['flow']]} {row['partner']}, {goods}, "
        f"{row['period']} ({row['kind'] or DEFAULT_KIND})"
    )


QUOTED = [name for name in COLUMNS if name != "source"]


def plain(text: str) -> str:
    """A number as the quote shows it: without trailing zeros (PostgreSQL's ``trim_scale``)."""
    return f"{number(text).quantize(Decimal('0.0001')).normalize():f}" if text else ""


def quote_of(row: dict) -> str:
    """The row as published (without its source), the verbatim support of the figure."""
    return ", ".join(plain(row[name]) if name in STAGING_TYPES else row[name] for name in QUOTED)


def duplicate_error(lines: list[int]) -> TradeImportError:
    if len(lines) > 1:
        return TradeImportError(
            lines[1], "kind", f"Line {lines[0]} gives the same figure, kind and source."
        )
    return TradeImportError(lines[0], "kind", "This figure, kind and source was already imported.")


# --- PostgreSQL: COPY into staging, check in SQL, INSERT … SELECT ----------------------------


# These run without parameters, so '%' is a plain LIKE wildcard here.
PERIOD_TYPE_SQL = (
    "CASE WHEN s.period LIKE 'FY%' THEN 'fiscal_year' WHEN length(s.period) = 4 "
    "THEN 'calendar_year' WHEN s.period LIKE '%Q%' THEN 'quarter' ELSE 'month' END"
)
PERIOD_START_SQL = (
    "CASE WHEN s.period LIKE 'FY%' THEN "
    f"make_date(substr(s.period, 3, 4)::int, {FISCAL_YEAR_FIRST_MONTH}, 1) "
    "WHEN length(s.period) = 4 THEN make_date(s.period::int, 1, 1) "
    "WHEN s.period LIKE '%Q%' THEN make_date(left(s.period, 4)::int, "
    "(right(s.period, 1)::int - 1) * 3 + 1, 1) "
    "ELSE make_date(left(s.period, 4)::int, right(s.period, 2)::int, 1) END"
)
PERIOD_END_SQL = span_end_sql("p.period_start", "p.period_type", TRADE_PERIOD_MONTHS)
KIND_SQL = f"COALESCE(NULLIF(s.kind, ''), '{DEFAULT_KIND}')"
SLUG_SQL = (
    "lower(concat_ws('-', s.reporter, s.partner, s.flow, COALESCE(NULLIF(s.hs_code, ''), 'all'), "
    f"s.period, {KIND_SQL}, 's' || src.id))"
)
FLOW_PHRASE_SQL = (
    "CASE s.flow "
    + " ".join(f"WHEN '{flow}' THEN '{phrase}'" for flow, phrase in FLOW_PHRASES.items())
    + " END"
)
TITLE_SQL = (
    f"s.reporter || ' ' || {FLOW_PHRASE_SQL} || ' ' || s.partner || ', ' || "
    "CASE WHEN s.hs_code = '' THEN 'all goods' ELSE 'HS ' || s.hs_code END || ', ' || "
    f"s.period || ' (' || {KIND_SQL} || ')'"
)
QUOTE_SQL = "concat_ws(', ', {})".format(
    ", ".join(
        f"COALESCE(trim_scale(s.{name})::text, '')" if name in STAGING_TYPES else f"s.{name}"
        for name in QUOTED
    )
)

TEMP_TABLES = ["trade_staging", "trade_last_lines", "trade_prepared"]
#: The last line of each figure in the file: the claim that counts toward totals.
LAST_LINES_SQL = """
CREATE TEMP TABLE trade_last_lines ON COMMIT DROP AS
SELECT max(line) AS line FROM trade_staging GROUP BY reporter, partner, flow, hs_code, period
"""
#: One row per line with its target values, in slug order: the slug indexes then grow at their
#: right edge instead of splitting pages all over, and ids (given after the sort) follow. Slugs
#: are ASCII, so byte order ("C") is their order in any collation, and much faster to sort.
PREPARED_SQL = f"""
CREATE TEMP TABLE trade_prepared ON COMMIT DROP AS
SELECT nextval(pg_get_serial_sequence('tracker_traderecord', 'id')) AS id, p.*,
       {PERIOD_END_SQL} AS period_end
FROM (
  SELECT s.line, {PERIOD_TYPE_SQL} AS period_type, {PERIOD_START_SQL} AS period_start,
         r.id AS reporter_id, pa.id AS partner_id, src.id AS source_id, s.flow, s.hs_code,
         s.value, s.currency, {KIND_SQL} AS kind, l.line IS NOT NULL AS counts,
         {SLUG_SQL} AS slug, {TITLE_SQL} AS title, {QUOTE_SQL} AS quote
  FROM trade_staging s
  JOIN tracker_party r ON r.code = s.reporter
  JOIN tracker_party pa ON pa.code = s.partner
  JOIN tracker_source src ON src.slug = s.source
  LEFT JOIN trade_last_lines l ON l.line = s.line
  ORDER BY slug COLLATE "C"
) p
"""

SUPERSEDE_SQL = """
UPDATE tracker_traderecord t SET counts_toward_totals = false, updated_at = %s
FROM trade_prepared n
WHERE n.counts AND t.counts_toward_totals AND t.id < %s AND t.sector_id IS NULL
  AND t.metric = 'value' AND t.commodity = '' AND t.reporter_id = n.reporter_id
  AND t.partner_id = n.partner_id AND t.flow = n.flow AND t.hs_code = n.hs_code
  AND t.period_start = n.period_start AND t.period_end = n.period_end
RETURNING t.id
"""

#: Target columns of the trade records and their citations, as SQL over ``trade_prepared``.
RECORD_EXPRESSIONS = {
    "id": "id",
    "slug": "slug",
    "title": "title",
    "period_type": "period_type",
    "period_start": "period_start",
    "period_end": "period_end",
    "flow": "flow",
    "hs_code": "hs_code",
    "value": "value",
    "currency": "currency",
    "unit": f"'{VALUE_UNIT}'",
    "kind": "kind",
    "is_estimate": "kind = 'estimate'",
    "counts_toward_totals": "counts",
    "partner": "partner_id",
    "reporter": "reporter_id",
}
CITATION_EXPRESSIONS = {
    "quote": "quote",
    "figure": "'value'",
    "locator": "'line ' || line",
    "source": "source_id",
    "trade_record": "id",
}


class PostgresImport:
    """One import on PostgreSQL; everything happens inside the caller's transaction."""

    def __init__(self, filename: str, header: list[str], watch: Stopwatch):
        self.filename, self.header, self.watch = filename, header, watch

    def run(self, stream, progress: Progress | None) -> ImportResult:
        watch = self.watch
        with connection.cursor() as cursor:
            self.cursor = cursor
            cursor.execute("SET LOCAL work_mem = '256MB'")
            # Writers wait until the import commits: ids and supersessions stay consistent.
            cursor.execute("LOCK TABLE tracker_traderecord IN SHARE ROW EXCLUSIVE MODE")
            self.create_staging()
            with watch("copy into staging"):
                self.copy(stream, progress)
            with watch("check rows"):
                self.check_rows()
            with watch("prepare (periods, ids, counting claims)"):
                first_new_id = self.prepare()
                superseded = self.supersede(first_new_id)
            with watch("insert records and citations"):
                rows = self.insert()
            with watch("verify quotes"):
                self.verify_quotes(first_new_id)
        with watch("history"):
            self.record_history(first_new_id, superseded)
        with connection.cursor() as cursor:
            # ON COMMIT DROP waits for the outermost commit; a caller may import twice before.
            cursor.execute(f"DROP TABLE {', '.join(TEMP_TABLES)}")
        return ImportResult(rows=rows, superseded=len(superseded))

    def create_staging(self) -> None:
        columns = ", ".join(f"{name} {STAGING_TYPES.get(name, 'text')}" for name in COLUMNS)
        self.cursor.execute(
            "CREATE TEMP TABLE trade_staging (line bigint GENERATED ALWAYS AS IDENTITY "
            f"(START WITH 2), {columns}) ON COMMIT DROP"
        )

    def copy(self, stream, progress: Progress | None) -> None:
        columns = ", ".join(self.header)
        sql = (
            f"COPY trade_staging ({columns}) FROM STDIN "
            f"(FORMAT csv, FORCE_NOT_NULL ({', '.join(TEXT_COLUMNS)}))"
        )
        try:
            with self.cursor.cursor.copy(sql) as copy:
                for chunk in iter(lambda: stream.read(CHUNK_BYTES), b""):
                    copy.write(chunk)
                    if progress:
                        progress(len(chunk))
        except psycopg.errors.DataError as error:
            raise copy_error(error) from None

    def check_rows(self) -> None:
        """Raise for the first bad line: value rules on distinct values, row rules in SQL."""
        error = first_error(self.value_errors() + self.row_errors())
        if error:
            raise error

    def value_errors(self) -> list[tuple[int, str, str]]:
        columns = sorted({rule.column for rule in VALUE_RULES}, key=COLUMNS.index)
        sets = ", ".join(f"({name})" for name in columns)
        self.cursor.execute(
            f"SELECT {', '.join(columns)} FROM trade_staging GROUP BY GROUPING SETS ({sets})"
        )
        distinct: dict[str, set[str]] = {name: set() for name in columns}
        for values in self.cursor.fetchall():
            for name, value in zip(columns, values, strict=True):
                if value is not None:
                    distinct[name].add(value)
        known, errors = Known.load(), []
        for rule in VALUE_RULES:
            bad = [value for value in distinct[rule.column] if rule.is_bad(value, known)]
            if bad:
                self.cursor.execute(
                    f"SELECT min(line) FROM trade_staging WHERE {rule.column} = ANY(%s)", [bad]
                )
                errors.append((self.cursor.fetchone()[0], rule.column, rule.message))
        return errors

    def row_errors(self) -> list[tuple[int, str, str]]:
        cases = " ".join(f"WHEN {rule.sql} THEN {i}" for i, rule in enumerate(ROW_RULES))
        self.cursor.execute(
            f"SELECT line, CASE {cases} END FROM trade_staging "
            f"WHERE {' OR '.join(f'({rule.sql})' for rule in ROW_RULES)} ORDER BY line LIMIT 1"
        )
        found = self.cursor.fetchone()
        return (
            [(found[0], ROW_RULES[found[1]].column, ROW_RULES[found[1]].message)] if found else []
        )

    def prepare(self) -> int:
        self.cursor.execute(LAST_LINES_SQL)
        self.cursor.execute(PREPARED_SQL)
        return max_id(TradeRecord) + 1

    def supersede(self, first_new_id: int) -> list[int]:
        self.cursor.execute(SUPERSEDE_SQL, [timezone.now(), first_new_id])
        return [row[0] for row in self.cursor.fetchall()]

    def insert(self) -> int:
        now = timezone.now()
        timestamps = {"created_at": now, "updated_at": now}
        try:
            with transaction.atomic():
                self.cursor.execute(
                    *insert_select(TradeRecord, RECORD_EXPRESSIONS, "trade_prepared", timestamps)
                )
        except IntegrityError as error:
            raise self.integrity_error(error) from None
        rows = self.cursor.rowcount
        self.cursor.execute(
            *insert_select(Citation, CITATION_EXPRESSIONS, "trade_prepared", timestamps)
        )
        return rows

    def verify_quotes(self, first_new_id: int) -> None:
        """The rule of every citation (``Citation.verify_quote``) for the rows' citations: a
        source marked as having no archived text (a statistics release usually is) takes them
        unverified; in a source with a text, each row's quote is found and located."""
        self.cursor.execute(
            "SELECT DISTINCT c.source_id FROM tracker_citation c JOIN tracker_source s "
            "ON s.id = c.source_id WHERE c.trade_record_id >= %s AND NOT s.no_archived_text",
            [first_new_id],
        )
        for source in Source.objects.filter(pk__in=[row[0] for row in self.cursor.fetchall()]):
            citations = Citation.objects.filter(
                source=source, trade_record_id__gte=first_new_id
            ).order_by("pk")
            located = []
            for citation in citations.only("pk", "quote", "locator"):
                if source.current_text is None:
                    raise TradeImportError(line_of(citation), "source", no_text_message(source))
                found = locate(citation.quote, source.current_text.text)
                if found is None:
                    message = not_found_message(citation.quote, source.current_text)
                    raise TradeImportError(line_of(citation), None, message)
                located.append(
                    (source.current_text_id, found.start, found.end, found.paragraph, citation.pk)
                )
            self.cursor.executemany(
                "UPDATE tracker_citation SET text_id = %s, quote_start = %s, quote_end = %s, "
                "paragraph = %s WHERE id = %s",
                located,
            )

    def integrity_error(self, error: IntegrityError) -> TradeImportError:
        """Name the line behind a unique violation (a figure, kind and source given twice)."""
        detail = getattr(error.__cause__, "diag", None)
        found = re.search(r"\(slug\)=\((.*)\)", (detail and detail.message_detail) or "")
        if not found:
            return TradeImportError(None, None, str(error))
        self.cursor.execute(
            "SELECT line FROM trade_prepared WHERE slug = %s ORDER BY line", [found[1]]
        )
        return duplicate_error([row[0] for row in self.cursor.fetchall()])

    def record_history(self, first_new_id: int, superseded: list[int]) -> None:
        reason = f"Imported from {self.filename}"
        record_history(TradeRecord, "id >= %s", [first_new_id], "+", reason)
        if superseded:
            record_history(TradeRecord, "id = ANY(%s)", [superseded], "~", reason)
        record_history(Citation, "trade_record_id >= %s", [first_new_id], "+", reason)


def line_of(citation: Citation) -> int:
    """The file's line a row's citation quotes (its locator, ``line N``)."""
    return int(citation.locator.removeprefix("line "))


def copy_error(error: psycopg.errors.DataError) -> TradeImportError:
    """Map COPY's "line N, column x" (counted from the first data line) to the file's line."""
    context = error.diag.context or ""
    found = re.search(r"line (\d+)(?:, column (\w+))?", context)
    if not found:
        return TradeImportError(None, None, error.diag.message_primary or str(error))
    line = int(found[1]) + 1
    if isinstance(error, psycopg.errors.BadCopyFileFormat):
        return wrong_width_error(line)
    message = NUMBER_MESSAGES.get(found[2]) or error.diag.message_primary or str(error)
    return TradeImportError(line, found[2], message)


def record_of(row: dict, pk: int, parties: dict, sources: dict) -> TradeRecord:
    period_type, start, end = period_bounds(row["period"])
    now = timezone.now()
    kind = row["kind"] or DEFAULT_KIND
    return TradeRecord(
        pk=pk,
        created_at=now,
        updated_at=now,
        slug=slug_of(row, sources[row["source"]]),
        title=title_of(row),
        period_type=period_type,
        period_start=start,
        period_end=end,
        reporter_id=parties[row["reporter"]],
        partner_id=parties[row["partner"]],
        flow=row["flow"],
        hs_code=row["hs_code"],
        value=number(row["value"]).quantize(Decimal("0.0001")),
        currency=row["currency"],
        unit=VALUE_UNIT,
        kind=kind,
        is_estimate=kind == "estimate",
    )
