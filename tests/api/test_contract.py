"""Real answers of every operation keep to the OpenAPI schema, as a strict validator reads it.

Every operation of the schema is called: each read on the curated data, with real keys in its
path; each write (create, replace, change, delete) of each record type as an editor; and the
errors each can answer (400, 401, 403, 404, 409, 412, 415, 428) and 304. ``openapi-core``
checks the status, the content type and the body of each answer against the operation's
documented responses; CSV, Atom and iCalendar bodies by their media type.
"""

import importlib
import json
import sys

import pytest
from drf_spectacular.generators import SchemaGenerator
from openapi_core import Config, OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from rest_framework.test import APIClient

from tracker.models import (
    Agreement,
    Citation,
    Delivery,
    Issue,
    Source,
    TimelineEvent,
    TradeRecord,
    TradeRelease,
)

from ..factories import import_release_file
from .conftest import API, etag
from .test_citations import SOURCE as CITED
from .test_citations import verbatim_quote
from .test_records import ENDPOINTS, Endpoint

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
        "trade-releases": TradeRelease.objects.order_by("id").first().slug,
        "citations": str(Citation.objects.order_by("id").first().pk),
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


@pytest.fixture
def release(db, tmp_path) -> TradeRelease:
    """The curated data has no official statistics: one small release."""
    lines = ["2024-03,IND,RUS,import,,4000000000,USD,,,", "2024-03,IND,RUS,import,27,1,USD,2,t,"]
    return import_release_file(tmp_path, "may-2024", lines)


def test_every_read_answers_as_the_schema_says(schema, openapi, anon, release):
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
        "timeline.ics?sector=defence&date_from=2026-01-01",
        "deliveries/s-400-triumf/timeline.atom?kind=postponed",
    ],
)
def test_filtered_and_formatted_reads_answer_as_the_schema_says(openapi, anon, path):
    response = anon.get(f"{API}{path}")
    assert response.status_code == 200
    check(openapi, response)


EVENT = Endpoint(
    "events",
    "",
    {
        "delivery": "s-400-triumf",
        "kind": "postponed",
        "title": "Postponed again",
        "date": {"date": "2026-01-10", "precision": "day"},
        "new_date": {"date": "2027-01-01", "precision": "year"},
    },
    {"title": "Postponed once more"},
)
WRITES = {endpoint.path: endpoint for endpoint in [*ENDPOINTS, EVENT]}


#: Writes called by their own tests below rather than from ``WRITES``.
PROPOSALS_TEST = (
    "tests.api.test_proposals::test_the_list_an_acceptance_and_a_refusal_answer_as_the_schema_says"
)
OWN_TESTS = {
    f"{API}auth/token/": "test_the_token_exchange_answers_as_the_schema_says",
    f"{API}trade-releases/{{key}}/withdraw/": "test_a_withdrawal_answers_as_the_schema_says",
    f"{API}citations/": "test_citation_writes_answer_as_the_schema_says",
    f"{API}citations/{{key}}/": "test_citation_writes_answer_as_the_schema_says",
    f"{API}sources/{{key}}/text/": "test_a_source_text_upload_answers_as_the_schema_says",
    f"{API}proposals/{{id}}/accept/": PROPOSALS_TEST,
    f"{API}proposals/{{id}}/reject/": PROPOSALS_TEST,
}


def test_every_operation_of_the_schema_is_called_here(schema):
    """Reads come from the schema itself; writes of a record's list and detail from
    ``WRITES``, and the others from their own tests (``OWN_TESTS``): an operation added to the
    API without a case here fails this, an address under a record type's too."""
    written = {f"{API}{path}/" for path in WRITES} | {f"{API}{path}/{{key}}/" for path in WRITES}
    uncalled = [
        (method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method != "get" and path not in written and path not in OWN_TESTS
    ]
    assert not uncalled
    for name in OWN_TESTS.values():
        module, _, test = name.rpartition("::")
        assert hasattr(importlib.import_module(module) if module else sys.modules[__name__], test)


@pytest.mark.parametrize("endpoint", WRITES.values(), ids=list(WRITES))
def test_every_write_answers_as_the_schema_says(openapi, editor_api, endpoint):
    created = editor_api.post(f"{API}{endpoint.path}/", endpoint.create, format="json")
    assert created.status_code == 201, created.content
    check(openapi, created)
    url = f"{API}{endpoint.path}/{created.json()['id']}/"
    replaced = editor_api.put(
        url, {**created.json(), **endpoint.change}, format="json", HTTP_IF_MATCH=created["ETag"]
    )
    assert replaced.status_code == 200, replaced.content
    check(openapi, replaced)
    changed = editor_api.patch(url, endpoint.change, format="json", HTTP_IF_MATCH=replaced["ETag"])
    assert changed.status_code == 200, changed.content
    check(openapi, changed)
    deleted = editor_api.delete(url, HTTP_IF_MATCH=changed["ETag"])
    assert deleted.status_code == 204
    check(openapi, deleted)


def test_the_token_exchange_answers_as_the_schema_says(openapi, editor):
    editor.set_password("a long passphrase")
    editor.save()
    for password, status in (("a long passphrase", 200), ("wrong", 400)):
        response = APIClient().post(
            f"{API}auth/token/", {"username": "editor", "password": password}, format="json"
        )
        assert response.status_code == status
        check(openapi, response)


def test_a_withdrawal_answers_as_the_schema_says(openapi, editor_api, release):
    url = f"{API}trade-releases/{release.slug}/withdraw/"
    withdrawn = editor_api.post(url, {"reason": "Published in error."}, format="json")
    assert withdrawn.status_code == 200, withdrawn.content
    check(openapi, withdrawn)
    again = editor_api.post(url, {"reason": "Twice."}, format="json")
    assert again.status_code == 400
    check(openapi, again)


def test_citation_writes_answer_as_the_schema_says(openapi, editor_api):
    body = {"source": CITED, "quote": verbatim_quote(), "issue": "rupee-trap"}
    created = editor_api.post(f"{API}citations/", body, format="json")
    assert created.status_code == 201, created.content
    check(openapi, created)
    url = created.json()["url"]
    replaced = editor_api.put(
        url, {**body, "locator": "p. 1"}, format="json", HTTP_IF_MATCH=created["ETag"]
    )
    assert replaced.status_code == 200, replaced.content
    check(openapi, replaced)
    changed = editor_api.patch(
        url, {"locator": "p. 2"}, format="json", HTTP_IF_MATCH=replaced["ETag"]
    )
    assert changed.status_code == 200, changed.content
    check(openapi, changed)
    refused = editor_api.post(
        f"{API}citations/", {**body, "quote": "Not a quote of the text."}, format="json"
    )
    assert refused.status_code == 400
    check(openapi, refused)
    deleted = editor_api.delete(url, HTTP_IF_MATCH=changed["ETag"])
    assert deleted.status_code == 204
    check(openapi, deleted)


def test_a_source_text_upload_answers_as_the_schema_says(openapi, editor_api, anon):
    url = f"{API}sources/{CITED}/text/"
    text = anon.get(url).json()["text"]
    uploaded = editor_api.post(url, {"text": f"{text}\nA correction."}, format="json")
    assert uploaded.status_code == 201, uploaded.content
    check(openapi, uploaded)
    refused = editor_api.post(url, {"text": "A text that drops every quote."}, format="json")
    assert refused.status_code == 400
    check(openapi, refused)


SOURCE = f"{API}sources/putins-india-visit-strategic-reset/"


@pytest.mark.parametrize(
    ("role", "method", "path", "body", "headers", "status"),
    [
        ("anon", "get", f"{API}timeline/?date_from=2021-13-01", None, {}, 400),
        ("anon", "get", f"{API}timeline.ics?colour=red", None, {}, 400),
        ("anon", "get", f"{API}changes/?cursor=nonsense", None, {}, 400),
        ("anon", "get", f"{API}deliveries/?format=csv&late=maybe", None, {}, 400),
        ("anon", "get", f"{API}deliveries/", None, {"HTTP_AUTHORIZATION": "Token nope"}, 401),
        ("anon", "post", f"{API}sources/", {"slug": "x", "title": "X"}, {}, 401),
        ("viewer_api", "post", f"{API}sources/", {"slug": "x", "title": "X"}, {}, 403),
        ("anon", "get", f"{API}deliveries/no-such-delivery/", None, {}, 404),
        ("anon", "get", f"{API}events/99999999/", None, {}, 404),
        ("editor_api", "post", f"{API}sources/", {"slug": ""}, {}, 400),
        ("editor_api", "delete", SOURCE, None, {"HTTP_IF_MATCH": "*"}, 409),
        ("editor_api", "patch", SOURCE, {"notes": "x"}, {"HTTP_IF_MATCH": '"old"'}, 412),
        ("editor_api", "patch", SOURCE, {"notes": "x"}, {}, 428),
    ],
)
def test_errors_answer_as_the_schema_says(
    request, openapi, role, method, path, body, headers, status
):
    client = request.getfixturevalue(role)
    response = getattr(client, method)(path, body, format="json", **headers)
    assert response.status_code == status, response.content
    check(openapi, response)


def test_a_body_that_is_not_json_answers_as_the_schema_says(openapi, editor_api):
    response = editor_api.post(f"{API}sources/", "slug=x", content_type="text/plain")
    assert response.status_code == 415
    check(openapi, response)


def test_not_modified_answers_as_the_schema_says(openapi, anon):
    for path in (f"{API}deliveries/s-400-triumf/", f"{API}timeline.ics", f"{API}changes/"):
        response = anon.get(path, HTTP_IF_NONE_MATCH=etag(anon, path))
        assert response.status_code == 304
        check(openapi, response)
