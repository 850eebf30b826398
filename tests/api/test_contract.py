"""Real answers of every operation keep to the OpenAPI schema, as a strict validator reads it.

Each read of the schema is made on the curated data, with real keys in its path, and a write
of each kind (create, change, delete) as an editor; ``openapi-core`` checks the status, the
content type and the body of each answer against the operation's documented responses.
"""

import json

import pytest
from drf_spectacular.generators import SchemaGenerator
from openapi_core import Config, OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from tracker.models import Agreement, Delivery, Issue, Source, TimelineEvent, TradeRecord

from .conftest import API

PROBLEM = "application/problem+json"

pytestmark = pytest.mark.usefixtures("curated")


@pytest.fixture(scope="module")
def schema() -> dict:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(generated, default=str))


@pytest.fixture(scope="module")
def openapi(schema) -> OpenAPI:
    """The validator, reading errors (``application/problem+json``) as the JSON they are."""
    config = Config(extra_media_type_deserializers={PROBLEM: json.loads})
    return OpenAPI.from_dict(schema, config=config)


def keys() -> dict[str, str]:
    """A real key for each path parameter ``{key}``, by the path's first segment."""
    return {
        "agreements": Agreement.objects.order_by("id").first().slug,
        "deliveries": Delivery.objects.order_by("id").first().slug,
        "trade-records": TradeRecord.objects.order_by("id").first().slug,
        "issues": Issue.objects.order_by("id").first().slug,
        "sources": Source.objects.order_by("id").first().slug,
        "events": str(TimelineEvent.objects.order_by("id").first().pk),
    }


def reads(schema: dict) -> list[tuple[str, bool]]:
    """Each GET operation's path, with real keys, and whether it is paged."""
    found = []
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        segment = path.removeprefix(API).split("/", 1)[0]
        parameters = {p["name"] for p in operations["get"].get("parameters", [])}
        found.append((path.replace("{key}", keys().get(segment, "")), "page_size" in parameters))
    return found


class TextResponse(DjangoOpenAPIResponse):
    """A response whose body is text other than JSON (CSV, Atom, iCalendar), read as text
    (a streamed export of the curated data is short)."""

    def __init__(self, response):
        super().__init__(response)
        body = response.streaming_content if response.streaming else [response.content]
        self.text = b"".join(body).decode()

    @property
    def data(self):
        return self.text


def check(openapi: OpenAPI, response) -> None:
    request = DjangoOpenAPIRequest(response.wsgi_request)
    media_type = response.get("Content-Type", "").partition(";")[0]
    json_body = media_type in {"application/json", PROBLEM}
    empty = not response.streaming and not response.content
    wrapper = DjangoOpenAPIResponse if json_body or empty else TextResponse
    openapi.validate_response(request, wrapper(response))


def test_every_read_answers_as_the_schema_says(schema, openapi, anon):
    paths = reads(schema)
    assert len(paths) > 15
    for path, paged in paths:
        for query in ({}, {"page_size": 100}) if paged else ({},):
            response = anon.get(path, query)
            assert response.status_code == 200, (path, response.content[:300])
            check(openapi, response)


@pytest.mark.parametrize(
    "path",
    [
        "deliveries/?format=csv",
        "timeline/?kind=signed&record_type=agreement",
        "deliveries/?late=true&ordering=-slippage",
        "trade-records/summary/?reporter=IND",
        "changes/?type=delivery&page_size=5",
    ],
)
def test_filtered_and_formatted_reads_answer_as_the_schema_says(openapi, anon, path):
    response = anon.get(f"{API}{path}")
    assert response.status_code == 200
    check(openapi, response)


def test_errors_answer_as_the_schema_says(openapi, anon):
    for path in (f"{API}deliveries/no-such-delivery/", f"{API}timeline/?date_from=2021-13-01"):
        response = anon.get(path)
        assert response.status_code in (400, 404)
        check(openapi, response)


def test_writes_answer_as_the_schema_says(openapi, editor_api):
    created = editor_api.post(
        f"{API}sources/",
        {"slug": "contract-source", "title": "A source", "publisher": "PIB"},
        format="json",
    )
    assert created.status_code == 201, created.content
    check(openapi, created)
    url = f"{API}sources/contract-source/"
    changed = editor_api.patch(
        url, {"title": "Another title"}, format="json", HTTP_IF_MATCH=created["ETag"]
    )
    assert changed.status_code == 200, changed.content
    check(openapi, changed)
    deleted = editor_api.delete(url, HTTP_IF_MATCH=changed["ETag"])
    assert deleted.status_code == 204
    check(openapi, deleted)
