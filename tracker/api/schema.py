"""The OpenAPI schema says what the API really answers, errors and preconditions included.

Set once here for every view (``DEFAULT_SCHEMA_CLASS`` and the postprocessing hooks), so an
endpoint added later is described the same way without decorating it: who may call it, a
summary, an operation id a code generator accepts, its errors, and links from a created or
read record to the operations on it.
"""

import re

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from .fields import KnownFieldsMixin
from .parameters import KnownParametersMixin
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
    "401": (
        "The token sent is not valid, or a write came without one (Authorization: Token …) "
        "or a session."
    ),
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


#: Summaries of a viewset's standard actions, from the model's name.
ACTION_SUMMARIES = {
    "list": "List {plural}",
    "create": "Create {one}",
    "retrieve": "Read {one}",
    "update": "Replace {one}",
    "partial_update": "Change some fields of {one}",
    "destroy": "Delete {one}",
}


class AutoSchema(openapi.AutoSchema):
    """Adds who may call, a summary, the conditional-request headers and the error answers
    to every operation, and keeps operation ids to letters, digits and underscores."""

    def get_auth(self):
        """The token and session schemes, and no scheme at all (``{}``) where an anonymous
        client is let through: asked of the view's own permission classes, so a read of a
        record or a feed says it needs no token, and a write says it does."""
        auths = super().get_auth()
        if {} not in auths and self.anyone_may_call():
            auths.append({})
        return auths

    def anyone_may_call(self) -> bool:
        request = Request(RequestFactory().generic(self.method, self.path))
        request.user = AnonymousUser()
        return all(
            permission.has_permission(request, self.view)
            for permission in self.view.get_permissions()
        )

    def get_summary(self):
        """A standard action's summary from the model's name ("List deliveries", "Read a
        delivery"); any other operation's, the first sentence of its docstring."""
        action = getattr(self.view, "action", None)
        if action in ACTION_SUMMARIES:
            names = self.view.get_queryset().model._meta
            one = f"{'an' if names.verbose_name[0] in 'aeiou' else 'a'} {names.verbose_name}"
            return ACTION_SUMMARIES[action].format(one=one, plural=names.verbose_name_plural)
        first = re.split(r"(?<=[.:;])\s", self.get_description().strip(), maxsplit=1)[0]
        return first.rstrip(".:;") or None

    def get_operation_id(self):
        """drf-spectacular's id with any character other than a letter, digit or underscore
        (the dot of ``changes.atom``) made an underscore: generated clients name functions
        after it."""
        return re.sub(r"\W", "_", super().get_operation_id())

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
            checks_query = isinstance(self.view, KnownParametersMixin)
            add_answers(self.method, operation, checks_query)
        return operation


def add_answers(method: str, operation: dict, checks_query: bool) -> None:
    """An operation's 304 (for reads) and error answers, each a problem in JSON whatever the
    format asked for (``exceptions.ProblemResponse``).

    A view that refuses unknown query parameters (``KnownParametersMixin``) can answer 400
    to any request, whether or not it documents parameters of its own.
    """
    responses = operation["responses"]
    if method == "GET":
        responses.setdefault("304", {"description": "Not modified since the ETag given."})
    content = {ProblemRenderer.media_type: {"schema": PROBLEM}}
    for code in error_codes(method, operation, checks_query):
        responses.setdefault(code, {"description": ERRORS[code], "content": content})


def error_codes(method: str, operation: dict, checks_query: bool) -> list[str]:
    # A read needs no token, but one that is sent must be valid.
    codes = ["401", "404", "429"]
    has_query = any(p["in"] == "query" for p in operation.get("parameters", []))
    if method in BODY_METHODS or has_query or checks_query:
        codes.append("400")
    if method in WRITE_METHODS:
        codes += ["403", "409"]
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
    match: it becomes ``anyOf``, with null among its alternatives when the field is nullable
    too (``nullable`` qualifies a type, and alternatives have none). A CSV answer is text
    (its columns are the JSON's keys, flattened: ``CSVRenderer``).
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
    # "nullable" beside alternatives has no type to qualify: null must be one of them.
    if node.get("nullable") and "anyOf" in node and NULL not in node["anyOf"]:
        node["anyOf"].append(NULL)
    for value in node.values():
        _make_strict(value)


DETAIL = re.compile(r"^(?P<collection>.*/)\{(?P<key>\w+)\}/$")
#: Answers that carry a record, by the method of the operation that gives them.
RECORD_ANSWERS = {"post": "201", "get": "200", "put": "200", "patch": "200"}


def link_operations(result, generator, request, public):
    """drf-spectacular's postprocessing hook: OpenAPI links from an answer that carries a
    record to the operations on that record.

    A create's 201, and a read's or change's 200 at ``…/{key}/``, link each operation at
    ``…/{key}/`` and below (its timeline), with ``key`` from the body's ``id`` and, for a
    change or a delete, ``If-Match`` from the answer's ``ETag``. Generated clients and
    Schemathesis's stateful tests follow them from one call to the next.
    """
    paths = result.get("paths", {})
    for path in paths:
        match = DETAIL.match(path)
        if not match:
            continue
        targets = {
            operation["operationId"]: method
            for target, operations in paths.items()
            if target.startswith(path)
            for method, operation in operations.items()
        }
        sources = [(match["collection"], "post"), *((path, m) for m in ("get", "put", "patch"))]
        for source_path, method in sources:
            operation = paths.get(source_path, {}).get(method)
            answer = operation and operation["responses"].get(RECORD_ANSWERS[method])
            if answer:
                answer["links"] = {
                    name: record_link(name, target_method, match["key"])
                    for name, target_method in targets.items()
                }
    return result


def record_link(operation_id: str, method: str, key: str) -> dict:
    parameters = {f"path.{key}": "$response.body#/id"}
    if method.upper() in CHANGE_METHODS:
        parameters["header.If-Match"] = "$response.header.ETag"
    return {"operationId": operation_id, "parameters": parameters}


def refuse_unknown_fields(result, generator, request, public):
    """drf-spectacular's postprocessing hook: the body of a write says that a key which is
    none of its fields is refused (``KnownFieldsMixin`` answers 400 naming it), so that a
    client, or a generator of valid examples, does not send one.

    Read-only fields are fields too: a record can be written back as it was read. So the
    body lists them, marked read-only, from the representation it is the request of
    (``SourceRequest`` and ``PatchedSourceRequest`` of ``Source``).
    """
    components = result.get("components", {}).get("schemas", {})
    for name, schema in components.items():
        if name.endswith("Request") and refuses_unknown_keys(generator, name):
            read = components.get(name.removeprefix("Patched").removesuffix("Request"), {})
            for field, definition in read.get("properties", {}).items():
                schema["properties"].setdefault(field, definition)
            schema["additionalProperties"] = False
    return result


def refuses_unknown_keys(generator, name: str) -> bool:
    """Whether the component ``name`` is of a serializer with ``KnownFieldsMixin``."""
    serializer = generator.registry[(name, "schemas")].object
    kind = serializer if isinstance(serializer, type) else type(serializer)
    return issubclass(kind, KnownFieldsMixin)


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
