"""The OpenAPI schema says what the API really answers, errors and preconditions included."""

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CHANGE_METHODS = {"PUT", "PATCH", "DELETE"}
BODY_METHODS = {"POST", "PUT", "PATCH"}

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "One list of messages per bad field or parameter (``non_field_errors`` for "
    "the record as a whole); a nested object for a bad part of a date object.",
    "additionalProperties": {},
}
ERRORS = {
    "400": ("Bad input: the body names each bad field or parameter.", VALIDATION_ERROR),
    "401": ("Writes need a token (Authorization: Token …) or a session.", ERROR),
    "403": ("Not allowed: the user lacks the model permission, or CSRF failed.", ERROR),
    "404": ("No such object or page.", ERROR),
    "409": ("Conflicts with stored data (e.g. a source still cited).", ERROR),
    "412": ("If-Match does not match the current ETag: nothing was changed.", ERROR),
    "415": ("The body is not JSON (send Content-Type: application/json).", ERROR),
    "428": ("If-Match is missing: send the ETag of the version you read.", ERROR),
    "429": ("Too many requests: wait as long as Retry-After says.", ERROR),
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
        return parameters

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            # An error comes in the format asked for (?format=csv gives a CSV of the
            # messages), or as JSON from a feed (``TextRenderer``).
            media_types = dict.fromkeys(
                getattr(renderer, "error_media_type", renderer.media_type)
                for renderer in self.view.get_renderers()
            )
            add_answers(self.method, operation, list(media_types))
        return operation


def add_answers(method: str, operation: dict, media_types: list[str]) -> None:
    """An operation's 304 (for reads) and error answers, each error in ``media_types``."""
    responses = operation["responses"]
    if method == "GET":
        responses.setdefault("304", {"description": "Not modified since the ETag given."})
    for code in error_codes(method, operation):
        description, schema = ERRORS[code]
        content = {media_type: {"schema": schema} for media_type in media_types}
        responses.setdefault(code, {"description": description, "content": content})


def error_codes(method: str, operation: dict) -> list[str]:
    codes = ["404", "429"]
    has_query = any(p["in"] == "query" for p in operation.get("parameters", []))
    if method in BODY_METHODS or has_query:
        codes.append("400")
    if method in WRITE_METHODS:
        codes += ["401", "403", "409"]
    if method in BODY_METHODS:
        codes.append("415")
    if method in CHANGE_METHODS:
        codes += ["412", "428"]
    return codes


def strict_composites(result, generator, request, public):
    """drf-spectacular's postprocessing hook: composite schemas as a strict validator reads
    them (OpenAPI 3.0).

    A nullable reference (``allOf: [$ref], nullable: true``) would refuse null, since the
    schema referred to is not nullable itself: it becomes "the reference, or null". A string
    that may be blank (``oneOf: [a pattern, maxLength 0]``) would refuse "", which both
    match: it becomes ``anyOf``. A CSV answer is text (its columns are the JSON's keys,
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


class SourceKeyFieldExtension(OpenApiSerializerFieldExtension):
    """A citation's ``source``: read as the source's brief, written as its slug (or that
    brief as read)."""

    target_class = "tracker.api.serializers.SourceKeyField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "response":
            from .serializers import SourceBriefSerializer

            return auto_schema.resolve_serializer(SourceBriefSerializer, direction).ref
        return {
            "type": "string",
            "description": "The source's slug (the source object a read gives is taken too).",
        }
