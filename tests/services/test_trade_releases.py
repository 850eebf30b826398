"""``import_trade``: a release imports every row into its own partition; a bad row anywhere
imports nothing, names its line and column, and leaves no partition behind."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tracker.models import Source, TradeObservation, TradePeriod, TradeRelease

HEADER = "period,reporter,partner,flow,hs_code,value,currency,quantity,unit,flag"
GOOD = [
    "2024-03,IND,RUS,import,2709,123456.78,USD,1000,t,",
    "2024-Q1,IND,RUS,export,30,5000,USD,,,provisional",
    "FY2024-25,IND,RUS,total,,68700000000,USD,,,",
    "2024,RUS,IND,export,2709,1.5,USD,,,estimate",
    "2024-03,IND,RUS,import,,4000000000,USD,,,",
]


@pytest.fixture
def source(db):
    return Source.objects.create(
        slug="commerce-statistics",
        title="Export Import Data Bank",
        publisher="Ministry of Commerce",
        published_on=dt.date(2025, 5, 15),
        published_precision="day",
    )


def write(tmp_path, lines, name="release.csv", header=HEADER):
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n")
    return path


def partitions() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT inhrelid::regclass::text FROM pg_inherits "
            "WHERE inhparent = 'tracker_tradeobservation'::regclass"
        )
        return [row[0] for row in cursor.fetchall()]


def stray_tables() -> list[str]:
    """Tables named like a release's partition, attached or not."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' "
            "AND relname LIKE 'tracker_tradeobservation_r%'"
        )
        return [row[0] for row in cursor.fetchall()]


def test_a_release_imports_every_row_into_its_own_partition(tmp_path, source):
    call_command("import_trade", write(tmp_path, GOOD), "--source", source.slug)

    release = TradeRelease.objects.get()
    assert (release.slug, release.publisher, release.dataset) == (
        "release",
        "Ministry of Commerce",
        "Export Import Data Bank",
    )
    assert release.row_count == 5 and release.file_name == "release.csv"
    assert len(release.sha256) == 64
    assert (release.coverage_start, release.coverage_end) == (
        dt.date(2024, 1, 1),
        dt.date(2025, 3, 31),
    )
    assert partitions() == [f"tracker_tradeobservation_r{release.id}"]
    march = TradeObservation.objects.get(period="2024-03", hs_code="2709")
    assert (march.line, march.value, march.quantity, march.unit) == (
        2,
        Decimal("123456.78"),
        1000,
        "t",
    )
    assert TradePeriod.objects.get(label="FY2024-25").period_end == dt.date(2025, 3, 31)
    assert TradePeriod.objects.get(label="2024-Q1").period_type == "quarter"
    assert list(release.history.values_list("history_type", "history_change_reason")) == [
        ("+", "Imported from release.csv")
    ]


def test_the_columns_may_come_in_any_order(tmp_path, source):
    header = "flag,period,reporter,partner,flow,hs_code,value,currency,quantity,unit"
    call_command(
        "import_trade",
        write(tmp_path, [",2024-03,IND,RUS,import,2709,12,USD,,"], header=header),
        "--source",
        source.slug,
    )
    assert TradeObservation.objects.get().value == 12


BAD_ROWS = [
    ("2024-03,IND,RUS,imp,2709,1,USD,,,", "flow"),
    ("2024-03,IND,RUS,import,2709,abc,USD,,,", "value"),
    ("2024-03,IND,RUS,import,2709,-5,USD,,,", "value"),
    ("2024-03,IND,RUS,import,27AB,1,USD,,,", "hs_code"),
    ("2024-03,IND,RUS,import,27090000000,1,USD,,,", "hs_code"),
    ("2024-13,IND,RUS,import,2709,1,USD,,,", "period"),
    ("FY2024-26,IND,RUS,import,2709,1,USD,,,", "period"),
    ("2024-03,XYZ,RUS,import,2709,1,USD,,,", "reporter"),
    ("2024,,RUS,total,,1,USD,,,", "reporter"),
    ("2024-03,IND,IND,import,2709,1,USD,,,", "partner"),
    ("2024-03,IND,RUS,import,2709,1,usd,,,", "currency"),
    ("2024-03,IND,RUS,import,2709,1,USD,12,,", "unit"),
    ("2024-03,IND,RUS,import,2709,1,USD,-1,t,", "quantity"),
    ("2024-03,IND,RUS,import,2709,1,USD,1,t\x07,", "unit"),
    ("2024-03,IND,RUS,import,2709,1,USD,,,target", "flag"),
]


@pytest.mark.parametrize(("row", "column"), BAD_ROWS, ids=[column for _, column in BAD_ROWS])
def test_a_bad_row_imports_nothing_and_names_its_line_and_column(tmp_path, source, row, column):
    path = write(tmp_path, [*GOOD[:3], row, *GOOD[3:]])

    with pytest.raises(CommandError, match=f"line 5, column '{column}'"):
        call_command("import_trade", path, "--source", source.slug)

    assert not TradeRelease.objects.exists()
    assert not TradePeriod.objects.exists()
    assert stray_tables() == []


def test_the_earliest_bad_line_is_the_one_reported(tmp_path, source):
    rows = [*GOOD, "2024-03,XYZ,RUS,import,2709,1,USD,,,", "1999-99,IND,RUS,import,1,1,U,,,"]
    with pytest.raises(CommandError, match="line 7, column 'reporter'"):
        call_command("import_trade", write(tmp_path, rows), "--source", source.slug)


def test_a_line_with_missing_fields_is_refused(tmp_path, source):
    with pytest.raises(CommandError, match="line 3: A line has the 10 fields"):
        call_command(
            "import_trade", write(tmp_path, [GOOD[0], "2024-03,IND,RUS"]), "--source", source.slug
        )
    assert stray_tables() == []


def test_a_whole_goods_figure_given_twice_is_refused(tmp_path, source):
    with pytest.raises(CommandError, match="line 4, column 'period': Line 2 gives the same"):
        call_command(
            "import_trade",
            write(tmp_path, [GOOD[4], GOOD[0], GOOD[4]]),
            "--source",
            source.slug,
        )
    assert stray_tables() == []


def test_a_file_imported_twice_is_refused_the_second_time(tmp_path, source):
    call_command("import_trade", write(tmp_path, GOOD), "--source", source.slug)
    with pytest.raises(CommandError, match="already imported"):
        call_command("import_trade", write(tmp_path, GOOD, "again.csv"), "--source", source.slug)
    assert TradeRelease.objects.count() == 1
    assert len(stray_tables()) == 1


def test_a_header_without_a_column_is_refused(tmp_path, source):
    path = write(tmp_path, [], header=HEADER.replace(",flag", ""))
    with pytest.raises(CommandError, match="line 1, column 'flag': This column is missing"):
        call_command("import_trade", path, "--source", source.slug)


def test_a_bad_row_near_the_end_of_a_large_file_names_its_line(tmp_path, source):
    """A bad row at line 900,001 of a million: nothing of the file stays in the database."""
    path = tmp_path / "large.csv"
    good = "2024-03,IND,RUS,import,{:06d},1.5,USD,,,\n"
    with path.open("w") as stream:
        stream.write(HEADER + "\n")
        stream.writelines(good.format(n % 1_000_000) for n in range(899_999))
        stream.write("2024-03,IND,RUS,import,2709,-1,USD,,,\n")
        stream.writelines(good.format(n) for n in range(100_000))

    with pytest.raises(CommandError, match="line 900001, column 'value'"):
        call_command("import_trade", path, "--source", source.slug)

    assert not TradeRelease.objects.exists()
    assert stray_tables() == []
