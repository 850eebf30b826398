"""The benchmark's raw app (``bench/raw_app.py``) answers the same JSON as the API.

Its requests/s are the yardstick of the API's, so it must do the same work: a field the API
gains and the raw app lacks would flatter the raw app. Each of its handlers runs here on the
test's own database connection (so it sees the test's data, uncommitted), on the curated data
and a small synthetic data set, and its JSON is compared with the API's for the same request.
"""

import json
from contextlib import contextmanager

import orjson
import pytest
from django.db import connection
from psycopg.rows import dict_row

from bench.synthetic import generate
from tests.api.conftest import API

pytestmark = pytest.mark.usefixtures("curated")

HOST = "http://testserver/api/v1"


@pytest.fixture
def raw_app(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://unused")  # read when the module loads
    from bench import raw_app

    return raw_app


@contextmanager
def dict_rows():
    """Django's psycopg connection, giving rows as dicts for as long as the raw app reads."""
    connection.ensure_connection()
    raw = connection.connection
    row_factory, raw.row_factory = raw.row_factory, dict_row
    try:
        yield raw
    finally:
        raw.row_factory = row_factory


def raw_json(raw_app, route: str, args: dict) -> dict:
    with dict_rows() as db:
        data = raw_app.ROUTES[route](db, args, HOST)
    return json.loads(orjson.dumps(data, default=raw_app.decimal_text, option=orjson.OPT_UTC_Z))


def endpoints(delivery_slug: str) -> list[tuple[str, dict, str]]:
    """(raw route, its arguments, the API's path and query) for each benchmarked endpoint."""
    window = {"date_from": "2010-01-01", "date_to": "2025-12-31", "kind": "meeting"}
    query = "&".join(f"{name}={value}" for name, value in window.items())
    return [
        ("/deliveries", {"page_size": "100"}, "deliveries/?page_size=100"),
        (
            "/delivery-timeline",
            {"slug": delivery_slug},
            f"deliveries/{delivery_slug}/timeline/?page_size=100",
        ),
        ("/timeline", window, f"timeline/?{query}&page_size=100"),
        ("/summary", {}, "trade-records/summary/"),
        ("/changes", {}, "changes/"),
    ]


def test_the_raw_app_answers_what_the_api_answers(raw_app, anon):
    generate(0.001, seed=1)
    for delivery_slug in ("s-400-triumf", "syn-delivery-1"):
        for route, args, path in endpoints(delivery_slug):
            response = anon.get(f"{API}{path}")
            assert response.status_code == 200, path
            listed = response.json().get("results") or response.json()["groups"]
            assert listed, f"{path} lists nothing: the comparison would prove little"
            assert raw_json(raw_app, route, args) == response.json(), path
