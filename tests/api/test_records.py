"""Every list and detail endpoint, declared once each and tested by the same cases."""

import csv
import io
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import API, etag, field_errors, problem
from tracker.models.trade import REPORTER_MESSAGE


@dataclass(frozen=True)
class Endpoint:
    path: str
    key: str  # a curated object, addressed by slug (or id for events)
    create: dict
    change: dict  # a PATCH that the curated object accepts
    filters: dict = field(default_factory=dict)  # query → a key that must be in the result
    search: str = ""
    #: An ordering that puts first a row with every relation the list prefetches, so that a
    #: page of one runs each prefetch too (Django skips prefetches for no rows).
    rich_first: str = "id"


ENDPOINTS = [
    Endpoint(
        "agreements",
        "relos",
        {"slug": "test-pact", "title": "Test pact", "kind": "pact", "status": "proposed"},
        {"summary": "Changed through the API."},
        {"status=ratification_pending": "relos", "sector=defence&party=RUS": "relos"},
        "Logistics",
    ),
    Endpoint(
        "deliveries",
        "s-400-triumf",
        {
            "slug": "test-rifles",
            "title": "Test rifles",
            "kind": "purchase",
            "status": "contracted",
            "supplier": "RUS",
            "recipient": "IND",
            "ordered": {"date": "2021-07-09", "precision": "month"},
            "value": "1.5",
            "value_currency": "USD",
            "value_unit": "billion",
        },
        {"status": "in_progress"},
        {"supplier=RUS&sector=defence": "s-400-triumf", "status=in_progress": "s-400-triumf"},
        "Triumf",
        "-forecast",
    ),
    Endpoint(
        "trade-records",
        "ind-imports-from-rus-fy2024-25",
        {
            "slug": "test-exports-2019",
            "title": "Exports 2019",
            "period_type": "calendar_year",
            "period_start": "2019-01-01",
            "period_end": "2019-12-31",
            "reporter": "IND",
            "partner": "RUS",
            "flow": "export",
            "value": "3.2",
            "currency": "USD",
            "unit": "billion",
        },
        {"is_estimate": True},
        {
            "flow=import&counts_toward_totals=true&period_from=2025-01-01": (
                "ind-imports-from-rus-fy2024-25"
            )
        },
        "imports",
    ),
    Endpoint(
        "issues",
        "indian-nationals-in-russian-army",
        {
            "slug": "test-issue",
            "title": "Test issue",
            "category": "economic",
            "severity": "low",
            "status": "watching",
            "opened": {"date": "2024-11-20", "precision": "month"},
        },
        {"severity": "high"},
        {"category=humanitarian": "indian-nationals-in-russian-army"},
        "army",
    ),
    Endpoint(
        "sources",
        "putins-india-visit-strategic-reset",
        {"slug": "test-source", "title": "A test source", "publisher": "Test press"},
        {"notes": "Read again."},
        {"published_from=2025-12-01&published_to=2025-12-15": "putins-india-visit-strategic-reset"},
        "Strategic Reset",
    ),
]
IDS = [endpoint.path for endpoint in ENDPOINTS]


def keys(response) -> list[str]:
    return [row["slug"] for row in response.json()["results"]]


@pytest.fixture(params=ENDPOINTS, ids=IDS)
def endpoint(request, curated) -> Endpoint:
    return request.param


def test_list_has_count_and_stable_order(anon, endpoint):
    response = anon.get(f"{API}{endpoint.path}/", {"page_size": 500})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["results"]) > 0
    assert endpoint.key in keys(response)
    assert response.json() == anon.get(f"{API}{endpoint.path}/", {"page_size": 500}).json()


def test_detail_by_slug_and_by_id_is_the_same(anon, endpoint):
    by_slug = anon.get(f"{API}{endpoint.path}/{endpoint.key}/")
    assert by_slug.status_code == 200
    by_id = anon.get(f"{API}{endpoint.path}/{by_slug.json()['id']}/")
    assert by_id.json() == by_slug.json()
    assert by_id["ETag"] == by_slug["ETag"]
    assert by_slug.json()["url"].endswith(f"/{endpoint.path}/{endpoint.key}/")


def test_unknown_key_is_a_json_404(anon, endpoint):
    response = anon.get(f"{API}{endpoint.path}/no-such-thing/")
    assert response.status_code == 404
    assert problem(response)["code"] == "not_found"


def test_filters(anon, endpoint):
    for query, expected in endpoint.filters.items():
        response = anon.get(f"{API}{endpoint.path}/?{query}&page_size=500")
        assert response.status_code == 200, (query, response.content)
        assert expected in keys(response), query
    everything = anon.get(f"{API}{endpoint.path}/", {"page_size": 500}).json()["count"]
    for query in endpoint.filters:
        assert anon.get(f"{API}{endpoint.path}/?{query}").json()["count"] < everything


def test_search_finds_the_record(anon, endpoint):
    response = anon.get(f"{API}{endpoint.path}/", {"search": endpoint.search, "page_size": 500})
    assert endpoint.key in keys(response)
    assert anon.get(f"{API}{endpoint.path}/", {"search": "zzzz-nothing"}).json()["count"] == 0


def test_ordering_both_ways_with_id_tie_break(anon, endpoint):
    ascending = keys(anon.get(f"{API}{endpoint.path}/", {"ordering": "title", "page_size": 500}))
    descending = keys(anon.get(f"{API}{endpoint.path}/", {"ordering": "-title", "page_size": 500}))
    assert sorted(ascending) == sorted(descending)
    titles = [
        row["title"]
        for row in anon.get(f"{API}{endpoint.path}/", {"ordering": "title"}).json()["results"]
    ]
    assert titles == sorted(titles)


def test_pagination_has_a_default_and_a_maximum(anon, endpoint):
    first = anon.get(f"{API}{endpoint.path}/", {"page_size": 1}).json()
    assert len(first["results"]) == 1 and first["next"]
    assert anon.get(f"{API}{endpoint.path}/", {"page_size": 500}).status_code == 200
    assert anon.get(f"{API}{endpoint.path}/", {"page_size": 501}).status_code == 400
    second = anon.get(first["next"]).json()
    assert second["results"][0]["id"] != first["results"][0]["id"]


def test_updated_since(anon, endpoint):
    row = anon.get(f"{API}{endpoint.path}/{endpoint.key}/").json()
    later = anon.get(f"{API}{endpoint.path}/", {"updated_since": row["updated_at"]}).json()
    assert row["id"] in [r["id"] for r in later["results"]]
    future = anon.get(f"{API}{endpoint.path}/", {"updated_since": "2999-01-01T00:00:00Z"})
    assert future.json()["count"] == 0


def test_csv_output_flattens_the_list(anon, endpoint):
    response = anon.get(f"{API}{endpoint.path}/", {"format": "csv", "page_size": 500})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert endpoint.key in [row["slug"] for row in rows]
    assert all("?format=csv" not in row["url"] for row in rows)


def test_list_queries_do_not_grow_with_the_page(anon, endpoint, django_assert_num_queries):
    query = {"ordering": endpoint.rich_first}
    with CaptureQueriesContext(connection) as full_page:
        response = anon.get(f"{API}{endpoint.path}/", {**query, "page_size": 100})
    assert len(response.json()["results"]) > 1
    with django_assert_num_queries(len(full_page.captured_queries)):
        anon.get(f"{API}{endpoint.path}/", {**query, "page_size": 1})


def test_create_read_update_delete(editor_api, endpoint):
    created = editor_api.post(f"{API}{endpoint.path}/", endpoint.create, format="json")
    assert created.status_code == 201, created.content
    url = created["Location"]
    assert created["ETag"] == etag(editor_api, url)

    changed = editor_api.patch(url, endpoint.change, format="json", HTTP_IF_MATCH=created["ETag"])
    assert changed.status_code == 200, changed.content
    for name, value in endpoint.change.items():
        assert changed.json()[name] == value

    deleted = editor_api.delete(url, HTTP_IF_MATCH=changed["ETag"])
    assert deleted.status_code == 204
    assert editor_api.get(url).status_code == 404


def test_full_update_with_put(editor_api, endpoint):
    url = f"{API}{endpoint.path}/{endpoint.key}/"
    current = editor_api.get(url)
    body = {**current.json(), **endpoint.change, "title": "Retitled through the API"}
    response = editor_api.put(url, body, format="json", HTTP_IF_MATCH=current["ETag"])
    assert response.status_code == 200, response.content
    assert response["ETag"] != current["ETag"]


def test_a_total_whose_source_names_no_reporter_is_read_and_written_with_reporter_null(
    curated, anon, editor_api
):
    china_russia = anon.get(f"{API}trade-records/china-rus-total-2024/").json()
    assert (china_russia["reporter"], china_russia["partner"]) == (None, "RUS")

    [trade] = [endpoint for endpoint in ENDPOINTS if endpoint.path == "trade-records"]
    total = {**trade.create, "slug": "test-total-2019", "flow": "total", "reporter": None}
    created = editor_api.post(f"{API}trade-records/", total, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["reporter"] is None

    exports = {**total, "slug": "test-exports-2019", "flow": "export"}
    refused = editor_api.post(f"{API}trade-records/", exports, format="json")
    assert refused.status_code == 400
    assert field_errors(refused)["reporter"] == [REPORTER_MESSAGE]
