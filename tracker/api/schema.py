"""The OpenAPI schema says what the API really answers, errors and preconditions included."""

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from .renderers import ProblemRenderer

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CHANGE_METHODS = {"PUT", "PATCH", "DELETE"}
BODY_METHODS = {"POST", "PUT", "PATCH"}

FIELD_ERROR = {
    "type": "object",
    "properties": {
        "field": {"type": "string", "description": "Dotted name (``ordered.day``)."},
        "pointer": {"type": "string", "description": "JSON pointer into the body."},
        "parameter": {"type": "string", "description": "The query parameter."},
        "code": {"type": "string"},
        "detail": {"type": "string"},
    },
    "required": ["field", "code", "detail"],
}
PROBLEM = {
    "type": "object",
    "description": "A problem details object (RFC 9457); ``code`` is stable.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {"type": "array", "items": FIELD_ERROR},
    },
    "required": ["type", "title", "status", "detail", "code", "request_id"],
}
ERRORS = {
    "400": "Bad input: ``errors`` names each bad field or parameter.",
    "401": "Writes need a token (Authorization: Token …) or a session.",
    "403": "Not allowed: the user lacks the model permission, or CSRF failed.",
    "404": "No such object or page.",
    "409": "Conflicts with stored data (e.g. a source still cited).",
    "412": "If-Match does not match the current ETag: nothing was changed.",
    "415": "The body is not JSON (send Content-Type: application/json).",
    "422": "This Idempotency-Key was first sent with another request.",
    "428": "If-Match is missing: send the ETag of the version you read.",
    "429": "Too many requests: wait as long as Retry-After says.",
}

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the record as you last read it. Without it: 428; when the record "
    "changed since: 412, and nothing is written. '*' accepts any current version.",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="An ETag from an earlier response: 304 Not Modified when it is still current.",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    pattern=r"^[\x21-\x7e]{1,255}$",
    description="Any new value (a UUID) per create: a retry with the same key and body gets "
    "the first answer again instead of a second record; with another body, 422.",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=["200", "201"],
    description="Version tag of this representation; send it in If-None-Match or If-Match.",
)


class AutoSchema(openapi.AutoSchema):
    """Adds the conditional-request headers and the error answers to every operation."""

    def get_override_parameters(self):
        parameters = [*super().get_override_parameters(), ETAG]
        if self.method in CHANGE_METHODS:
            parameters.append(IF_MATCH)
        if self.method == "GET":
            parameters.append(IF_NONE_MATCH)
        if self.method == "POST" and hasattr(self.view, "create_once"):
            parameters.append(IDEMPOTENCY_KEY)
        return parameters

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            add_answers(self.method, operation)
        return operation


def add_answers(method: str, operation: dict) -> None:
    """An operation's 304 (for reads) and error answers, each a problem in JSON whatever the
    format asked for (``exceptions.ProblemResponse``)."""
    responses = operation["responses"]
    if method == "GET":
        responses.setdefault("304", {"description": "Not modified since the ETag given."})
    content = {ProblemRenderer.media_type: {"schema": PROBLEM}}
    for code in error_codes(method, operation):
        responses.setdefault(code, {"description": ERRORS[code], "content": content})


def error_codes(method: str, operation: dict) -> list[str]:
    codes = ["404", "429"]
    has_query = any(p["in"] == "query" for p in operation.get("parameters", []))
    if method in BODY_METHODS or has_query:
        codes.append("400")
    if method in WRITE_METHODS:
        codes += ["401", "403", "409"]
    if method in BODY_METHODS:
        codes.append("415")
    if any(p["name"] == IDEMPOTENCY_KEY.name for p in operation.get("parameters", [])):
        codes.append("422")
    if method in CHANGE_METHODS:
        codes += ["412", "428"]
    return codes


def strict_composites(result, generator, request, public):
    """drf-spectacular's postprocessing hook: composite schemas as a strict validator reads
    them (OpenAPI 3.0).

    A nullable reference (``allOf: [$ref], nullable: true``) would refuse null, since the
    schema referred to is not nullable itself: it becomes "the reference, or null". A string
    that may be blank (``oneOf: [a pattern, maxLength 0]``) would refuse "", which both
    match: it becomes ``anyOf``. A CSV answer is text (its columns are the JSON's fields,
    flattened: ``CSVRenderer``).
    """
    _make_strict(result)
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for response in operation.get("responses", {}).values():
                if CSV in response.get("content", {}):
                    response["content"][CSV] = {"schema": {"type": "string"}}
    return result


CSV = "text/csv"


NULL = {"enum": [None], "nullable": True}


def _make_strict(node) -> None:
    if isinstance(node, list):
        for item in node:
            _make_strict(item)
        return
    if not isinstance(node, dict):
        return
    if node.get("nullable") and len(node.get("allOf", ())) == 1:
        node["anyOf"] = [node.pop("allOf")[0], NULL]
    alternatives = node.get("oneOf", ())
    if any(alternative.get("maxLength") == 0 for alternative in alternatives):
        node["anyOf"] = node.pop("oneOf")
    for value in node.values():
        _make_strict(value)
