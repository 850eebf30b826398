"""A client generated from the schema by ``openapi-python-client`` answers the questions the
API is for, against the development server with the curated data.

The client is generated at test time from the schema the server serves, into a temporary
folder, without the network and without the generator's post-generation hooks (formatters):
what it parses, and how its models read the server's answers, is the schema's doing. Reads
go without credentials, as the schema says they may.
"""

import importlib
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import requests

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
CONFIG = """\
project_name_override: indoru-client
package_name_override: indoru_client
post_hooks: []
content_type_overrides:
  application/atom+xml: text/plain
"""


@pytest.fixture(scope="module")
def indoru_client(dev_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    schema = requests.get(f"{dev_server.base}/api/v1/schema/?format=json", timeout=30)
    assert schema.status_code == 200
    (folder / "schema.json").write_bytes(schema.content)
    (folder / "config.yaml").write_text(CONFIG)
    result = subprocess.run(
        [GENERATOR, "generate", "--path", "schema.json", "--config", "config.yaml",
         "--output-path", "indoru_client", "--meta", "none"],
        cwd=folder, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    # Every operation was generated: the generator leaves out what it cannot parse, and warns.
    assert "Warning" not in result.stdout, result.stdout
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("indoru_client")
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.startswith("indoru_client")]:
            del sys.modules[name]


@pytest.fixture
def client(indoru_client, dev_server):
    with indoru_client.Client(base_url=dev_server.base, raise_on_unexpected_status=True) as client:
        yield client


def test_the_s_400_is_forecast_for_2026_postponed_by_an_unknown_span(indoru_client, client):
    retrieve = importlib.import_module("indoru_client.api.deliveries.deliveries_retrieve")
    s400 = retrieve.sync("s-400-triumf", client=client)
    assert isinstance(s400, indoru_client.models.Delivery)
    assert (s400.forecast.display, s400.forecast.precision.value) == ("2026", "year")
    # Its baseline is unknown, so is its slippage; it is late by postponement.
    assert s400.baseline is None and s400.slippage_months is None
    assert "postponed" in [way.value for way in s400.late]
    assert s400.revisions[-1].new_date.display == "2026"


def test_fy2024_25_trade_totals_68_7_billion_dollars(indoru_client, client):
    summary_retrieve = importlib.import_module(
        "indoru_client.api.trade_records.trade_records_summary_retrieve"
    )
    period_type = indoru_client.models.TradeRecordsSummaryRetrievePeriodType("fiscal_year")
    summary = summary_retrieve.sync(client=client, period_type=period_type, reporter="IND")
    assert isinstance(summary, indoru_client.models.TradeSummary)
    fy2024_25 = next(
        group
        for group in summary.groups
        if (group.period.start.isoformat(), group.partner) == ("2024-04-01", "RUS")
    )
    assert (fy2024_25.currency, fy2024_25.unit) == ("USD", "billion")
    assert Decimal(fy2024_25.total) == Decimal("68.7") and fy2024_25.total_is_reported
    assert (Decimal(fy2024_25.imports), Decimal(fy2024_25.exports)) == (
        Decimal("63.84"),
        Decimal("4.88"),
    )
