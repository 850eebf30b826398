"""The OpenAPI schema describes the API as it is, for strict tools and code generators alike:
who may call each operation, a summary and a plain operation id for each, the media types
answered, no ambiguous alternatives, and links from a record's answers to its operations."""

import json
import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from .conftest import API, field_errors

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema() -> dict:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(generated, default=str))


def operations(schema: dict) -> list[tuple[str, str, dict]]:
    return [
        (method.upper(), path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def test_the_schema_is_valid_openapi_3_0(schema):
    validate(schema)


def test_every_operation_has_a_summary_and_an_id_without_dots(schema):
    found = operations(schema)
    assert len(found) >= 47
    assert not [(m, p) for m, p, operation in found if not operation.get("summary")]
    ids = [operation["operationId"] for _, _, operation in found]
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", id_) for id_ in ids), ids
    assert len(set(ids)) == len(ids)
    summaries = {operation["operationId"]: operation["summary"] for _, _, operation in found}
    assert summaries["deliveries_list"] == "List deliveries"
    assert summaries["events_partial_update"] == "Change some fields of a timeline event"


def test_reads_need_no_token_and_writes_do(schema):
    """``{}`` among the alternatives means "no credentials"; a token still may be sent."""
    anyone = {(m, p) for m, p, operation in operations(schema) if {} in operation["security"]}
    reads = {(m, p) for m, p, _ in operations(schema) if m == "GET"}
    assert anyone == reads | {("POST", f"{API}auth/token/")}
    for _, _, operation in operations(schema):
        assert {"tokenAuth": []} in operation["security"]


def test_anonymous_writes_are_refused_as_the_schema_says(anon, schema):
    """The security the schema gives a write is what the API does: 401 without a token."""
    response = anon.post(f"{API}sources/", {"slug": "x", "title": "x"}, format="json")
    assert response.status_code == 401
    assert "401" in schema["paths"][f"{API}sources/"]["post"]["responses"]


def media_types(schema: dict, path: str, status: str = "200") -> set[str]:
    return set(schema["paths"][f"{API}{path}"]["get"]["responses"][status]["content"])


def test_feeds_and_csv_are_declared_with_their_own_media_types(schema, anon):
    assert media_types(schema, "changes.atom") == {"application/atom+xml"}
    assert media_types(schema, "timeline.ics") == {"text/calendar"}
    assert media_types(schema, "trade-records/export.csv") == {"text/csv"}
    assert media_types(schema, "deliveries/") == {"application/json", "text/csv"}
    # A feed's error is problem details, whatever the feed's own type; any address refuses a
    # query parameter it does not take.
    assert media_types(schema, "timeline.ics", "400") == {"application/problem+json"}
    response = anon.get(f"{API}timeline.ics?colour=red")
    assert (response.status_code, response["Content-Type"]) == (400, "application/problem+json")


def validator(schema: dict, node: dict) -> OAS30Validator:
    """A strict OpenAPI 3.0 validator of ``node``, its references read in ``schema``."""
    return OAS30Validator({**node, "components": schema["components"]})


def objects(node, path=""):
    """Every object in the schema, with its JSON pointer."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from objects(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from objects(value, f"{path}/{index}")


def test_no_one_of_lets_a_value_match_two_alternatives(schema):
    """``oneOf`` refuses a value that two alternatives accept: a blank string where both a
    pattern allowing blanks and ``maxLength: 0`` would, or null where a nullable reference
    and a null would. Such alternatives are ``anyOf``."""
    ambiguous = [
        (path, value)
        for path, node in objects(schema)
        for value in ("", None)
        if len([alt for alt in node.get("oneOf", ()) if validator(schema, alt).is_valid(value)]) > 1
    ]
    assert not ambiguous


def test_whatever_is_nullable_accepts_null(schema):
    """A strict OpenAPI 3.0 validator reads ``nullable`` as qualifying ``type`` only: a
    nullable reference or set of alternatives must list null itself (an event created through
    the API has no ``key``: null, where "a slug or blank" was all the schema allowed)."""
    refused = [
        path
        for path, node in objects(schema)
        if node.get("nullable") and not validator(schema, node).is_valid(None)
    ]
    assert not refused
    forecast = schema["components"]["schemas"]["Delivery"]["properties"]["forecast"]
    assert not validator(schema, forecast).is_valid("2026")


def test_a_created_record_links_the_operations_on_it(schema):
    links = schema["paths"][f"{API}sources/"]["post"]["responses"]["201"]["links"]
    assert links["sources_partial_update"] == {
        "operationId": "sources_partial_update",
        "parameters": {
            "path.key": "$response.body#/id",
            "header.If-Match": "$response.header.ETag",
        },
    }
    assert links["sources_retrieve"]["parameters"] == {"path.key": "$response.body#/id"}
    read = schema["paths"][f"{API}deliveries/{{key}}/"]["get"]["responses"]["200"]["links"]
    assert {"deliveries_destroy", "deliveries_timeline_list"} <= set(read)


def test_write_bodies_refuse_unknown_fields_as_the_api_does(schema, editor_api):
    components = schema["components"]["schemas"]
    assert components["SourceRequest"]["additionalProperties"] is False
    assert components["PatchedDeliveryRequest"]["additionalProperties"] is False
    # A record can be written back as it was read: read-only fields are fields too.
    assert components["SourceRequest"]["properties"]["url"]["readOnly"] is True
    # DRF's token serializer ignores other keys, and its body says nothing of them.
    assert "additionalProperties" not in components["AuthTokenRequest"]
    response = editor_api.post(
        f"{API}sources/", {"slug": "a", "title": "A", "colour": "red"}, format="json"
    )
    assert response.status_code == 400
    assert "colour" in field_errors(response)
