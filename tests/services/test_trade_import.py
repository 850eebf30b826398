"""``import_trade``: a good file imports every row; a bad row anywhere imports nothing."""

import pytest
from django.core.management import CommandError, call_command

from tracker.models import Citation, Source, TradeRecord

HEADER = "period,reporter,partner,flow,hs_code,value,currency,quantity,unit,kind,source"
GOOD = [
    "2024-03,IND,RUS,import,2709,123456.78,USD,1000,t,,release-may",
    "2024-Q1,IND,RUS,export,30,5000,USD,,,provisional,release-may",
    "FY2024-25,IND,RUS,total,,68700000000,USD,,,reported,release-may",
    "2024,RUS,IND,export,2709,1.5,USD,,,estimate,release-may",
    "2024-03,IND,RUS,import,2709,123999,USD,1000,t,revised,release-june",
]


@pytest.fixture
def releases(db):
    """Statistics releases: data files, not archived texts, so their rows are cited
    unverified."""
    for slug in ("release-may", "release-june"):
        Source.objects.create(slug=slug, title=f"Trade statistics, {slug}", no_archived_text=True)


def write(tmp_path, lines, name="trade.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n")
    return path


def test_a_good_file_imports_every_row_with_its_citation_and_history(tmp_path, releases):
    call_command("import_trade", write(tmp_path, GOOD))

    assert TradeRecord.objects.count() == 5
    march = TradeRecord.objects.get(period_type="month", kind="reported")
    assert (str(march.period_start), str(march.period_end)) == ("2024-03-01", "2024-03-31")
    assert march.title == "IND imports from RUS, HS 2709, 2024-03 (reported)"
    fiscal = TradeRecord.objects.get(period_type="fiscal_year")
    assert (str(fiscal.period_start), str(fiscal.period_end)) == ("2024-04-01", "2025-03-31")
    assert fiscal.hs_code == "" and fiscal.unit == "one"
    assert TradeRecord.objects.get(kind="estimate").is_estimate
    citation = Citation.objects.get(trade_record=march)
    assert citation.source.slug == "release-may"
    assert citation.quote == "2024-03, IND, RUS, import, 2709, 123456.78, USD, 1000, t, "
    assert citation.locator == "line 2"
    assert TradeRecord.history.filter(history_type="+").count() == 5


def test_the_last_claim_of_a_figure_counts_and_supersedes_a_stored_one(tmp_path, releases):
    call_command("import_trade", write(tmp_path, GOOD))
    counting = TradeRecord.objects.filter(counts_toward_totals=True, hs_code="2709", flow="import")
    assert list(counting.values_list("kind", flat=True)) == ["revised"]

    Source.objects.create(slug="release-july", title="July", no_archived_text=True)
    call_command(
        "import_trade",
        write(tmp_path, ["2024-03,IND,RUS,import,2709,124000,USD,1000,t,revised,release-july"]),
    )
    assert list(counting.values_list("value", flat=True)) == [124000]
    assert TradeRecord.history.filter(history_type="~").count() == 1


BAD_ROWS = [
    ("2024-03,IND,RUS,imp,2709,1,USD,,,,release-may", "flow"),
    ("2024-03,IND,RUS,import,2709,abc,USD,,,,release-may", "value"),
    ("2024-03,IND,RUS,import,2709,-5,USD,,,,release-may", "value"),
    ("2024-03,IND,RUS,import,27AB,1,USD,,,,release-may", "hs_code"),
    ("2024-13,IND,RUS,import,2709,1,USD,,,,release-may", "period"),
    ("FY2024-26,IND,RUS,import,2709,1,USD,,,,release-may", "period"),
    ("2024-03,XYZ,RUS,import,2709,1,USD,,,,release-may", "reporter"),
    ("2024,,RUS,total,,1,USD,,,,release-may", "reporter"),
    ("2024-03,IND,IND,import,2709,1,USD,,,,release-may", "partner"),
    ("2024-03,IND,RUS,import,2709,1,usd,,,,release-may", "currency"),
    ("2024-03,IND,RUS,import,2709,1,USD,12,,,release-may", "unit"),
    ("2024-03,IND,RUS,import,2709,1,USD,,,target,release-may", "kind"),
    ("2024-03,IND,RUS,import,2709,1,USD,,,,no-such-release", "source"),
]


@pytest.mark.parametrize(("row", "column"), BAD_ROWS, ids=[column for _, column in BAD_ROWS])
def test_a_bad_row_imports_nothing_and_names_its_line_and_column(tmp_path, releases, row, column):
    path = write(tmp_path, [*GOOD[:3], row, *GOOD[3:]])

    with pytest.raises(CommandError, match=f"line 5, column '{column}'"):
        call_command("import_trade", path)

    assert not TradeRecord.objects.exists()
    assert not Citation.objects.exists()


def test_the_earliest_bad_line_is_the_one_reported(tmp_path, releases):
    rows = [*GOOD, "2024-03,IND,RUS,imp,2709,1,USD,,,,release-may", "1999-99,IND,RUS,x,1,1,U,,,,q"]
    with pytest.raises(CommandError, match="line 7, column 'flow'"):
        call_command("import_trade", write(tmp_path, rows))


def test_a_line_with_missing_fields_is_refused(tmp_path, releases):
    with pytest.raises(CommandError, match="line 3: A line has the 11 fields"):
        call_command("import_trade", write(tmp_path, [GOOD[0], "2024-03,IND,RUS"]))
    assert not TradeRecord.objects.exists()


def test_a_figure_given_twice_by_the_same_release_is_refused(tmp_path, releases):
    with pytest.raises(CommandError, match="line 3, column 'kind': Line 2 gives the same"):
        call_command("import_trade", write(tmp_path, [GOOD[0], GOOD[0]]))
    assert not TradeRecord.objects.exists()


def test_a_file_imported_twice_is_refused_the_second_time(tmp_path, releases):
    call_command("import_trade", write(tmp_path, GOOD))
    with pytest.raises(CommandError, match="already imported"):
        call_command("import_trade", write(tmp_path, GOOD, "again.csv"))
    assert TradeRecord.objects.count() == 5


def test_a_header_without_a_column_is_refused(tmp_path, releases):
    path = tmp_path / "trade.csv"
    path.write_text(HEADER.replace(",source", "") + "\n")
    with pytest.raises(CommandError, match="line 1, column 'source': This column is missing"):
        call_command("import_trade", path)


def test_a_release_with_an_archived_text_has_each_quote_found_and_located(tmp_path, db):
    from tracker.services.sources import archive, pasted

    release = Source.objects.create(slug="release-july", title="July")
    row = "2024-03,IND,RUS,import,2709,124000,USD,1000,t,revised,release-july"
    with pytest.raises(CommandError, match="line 2, column 'source': “July” has no archived"):
        call_command("import_trade", write(tmp_path, [row]))
    archive(release, pasted("Crude oil:\n2024-03, IND, RUS, import, 2709, 124000, USD, 1000, t,"))
    with pytest.raises(CommandError, match="line 2: The quote is not in the archived text"):
        call_command("import_trade", write(tmp_path, [row]))
    assert not TradeRecord.objects.exists()
    archive(release, pasted(f"Crude oil:\n{row.rsplit(',', 1)[0].replace(',', ', ')}"))
    call_command("import_trade", write(tmp_path, [row]))
    citation = Citation.objects.get()
    assert (citation.text.version, citation.paragraph) == (2, 2)
