"""Malformed values of every query parameter of every API list: never a 5xx.

The parameters come from the OpenAPI schema (drf-spectacular), so a parameter added to a list
is fuzzed without a change here. A record's own lists (its timeline) are asked of a record of
each type.
"""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.factories import make_agreement, make_delivery, make_issue, make_source, make_trade

pytestmark = pytest.mark.django_db

VALUES = ["a\x00b", "abc", "99999999999999999999", "-99999", "10000-01-01", "2025-13-45", "1e999"]


def list_parameters(keys: dict[str, str]) -> dict[str, list[str]]:
    """Every GET path with query parameters (``{key}`` made a record of the path's type),
    with its parameters' names."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    lists = {}
    for path, operations in schema["paths"].items():
        get = operations.get("get") or {}
        names = [p["name"] for p in get.get("parameters", []) if p["in"] == "query"]
        collection = path.removeprefix("/api/v1/").split("/")[0]
        if names and ("{key}" not in path or collection in keys):
            lists[path.replace("{key}", keys.get(collection, ""))] = names
    return lists


def records() -> dict[str, str]:
    """A record of each type, by the collection that holds it."""
    return {
        "agreements": make_agreement(1).slug,
        "deliveries": make_delivery(1).slug,
        "trade-records": make_trade(1).slug,
        "issues": make_issue(1).slug,
        "sources": make_source(1).slug,
    }


def test_no_list_parameter_gets_a_server_error(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }
    client = APIClient(raise_request_exception=False)
    lists = list_parameters(records())
    failed, tried = [], 0
    for path, names in lists.items():
        for name in names:
            for value in VALUES:
                tried += 1
                response = client.get(path, {name: value})
                if response.status_code >= 500:
                    failed.append((path, name, value, response.status_code))
    assert any("timeline" in path and "{" not in path for path in lists)
    assert len(lists) >= 10 and tried > 300
    assert failed == []
