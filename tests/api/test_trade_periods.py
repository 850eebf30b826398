"""A trade record's period type and its dates agree, on the API as in the admin."""

import pytest

from tests.api.conftest import API, field_errors
from tests.api.test_records import ENDPOINTS
from tracker.models.trade import PERIOD_MESSAGE

pytestmark = pytest.mark.django_db

RECORD = next(endpoint.create for endpoint in ENDPOINTS if endpoint.path == "trade-records")


def test_a_calendar_year_that_is_not_one_is_a_400_naming_the_period_type(editor_api):
    fiscal_span = {**RECORD, "period_start": "2019-04-01", "period_end": "2020-03-31"}

    refused = editor_api.post(f"{API}trade-records/", fiscal_span, format="json")

    assert refused.status_code == 400
    assert field_errors(refused)["period_type"] == [PERIOD_MESSAGE]
    created = editor_api.post(f"{API}trade-records/", RECORD, format="json")
    assert created.status_code == 201, created.content


def test_changing_only_the_type_is_checked_against_the_stored_dates(editor_api):
    url = editor_api.post(f"{API}trade-records/", RECORD, format="json")["Location"]
    current = editor_api.get(url)

    refused = editor_api.patch(
        url, {"period_type": "quarter"}, format="json", HTTP_IF_MATCH=current["ETag"]
    )

    assert refused.status_code == 400
    assert field_errors(refused)["period_type"] == [PERIOD_MESSAGE]
