"""Errors as problem details (RFC 9457), never a 500 for something a client sent.

Every error under ``/api/`` answers ``application/problem+json``, whatever format was asked
for (a ``?format=csv`` error is JSON too)::

    {"type": "http://…/api/v1/problems/validation_error/", "title": "Bad Request",
     "status": 400, "detail": "status: \"x\" is not a valid choice.",
     "code": "validation_error", "request_id": "…",
     "errors": [{"field": "status", "pointer": "/status", "code": "invalid_choice",
                 "detail": "\"x\" is not a valid choice."}]}

``code`` is stable (``PROBLEMS`` lists them all, and ``type`` is the address that describes
it); ``request_id`` is the ``X-Request-ID`` of the answer and of every log line of the request.
Field errors name the field as dotted ``field`` and as a JSON ``pointer`` into the body, or as
the query ``parameter`` for a read and for a bad query parameter of a write.

drf-standardized-errors runs DRF's side: it flattens nested field errors, turns Django's 404
and 403 into DRF's, answers an unexpected exception with a 500 in this format when ``DEBUG``
is off (on, the traceback page is more use to a developer), and still reports it to Django's
``got_request_exception`` and error log. ``ProblemFormatter`` gives its answers the shape
above. Errors that happen outside a DRF view (an address that names no endpoint, a request
Django refuses before any view, an exception in a middleware) get the same shape from the
handlers at the end of this module.

Rules the database enforces but validation could not see in advance (a race on a unique slug,
a source still cited by a record) answer 409.
"""

from http import HTTPStatus

from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.urls import reverse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from drf_standardized_errors.formatter import ExceptionFormatter
from drf_standardized_errors.handler import ExceptionHandler
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings

from indoru.logging import request_id

from .parameters import ParameterError
from .parsers import RequestTooLarge
from .renderers import ProblemRenderer

PROBLEM_MEDIA_TYPE = ProblemRenderer.media_type

#: Every problem the API answers, by its stable ``code``: its status and what it means.
PROBLEMS = {
    "validation_error": (400, "Bad input: `errors` names each bad field or parameter."),
    "parse_error": (400, "The body is not JSON, or nests deeper than the parser takes."),
    "bad_request": (400, "The request was refused before it reached the API."),
    "not_authenticated": (401, "Writes need a token (Authorization: Token …) or a session."),
    "authentication_failed": (401, "The token or session given is not valid."),
    "permission_denied": (403, "The user lacks the permission, or CSRF failed."),
    "not_found": (404, "No such address, object or page."),
    "method_not_allowed": (405, "This address does not take this method."),
    "not_acceptable": (406, "None of the formats the Accept header asks for is available."),
    "conflict": (409, "The change conflicts with stored data (e.g. a source still cited)."),
    "precondition_failed": (412, "If-Match does not match the current ETag: nothing changed."),
    "request_too_large": (413, "The body is larger than the API takes."),
    "unsupported_media_type": (415, "The body is not JSON (send Content-Type: application/json)."),
    "idempotency_key_reused": (422, "This Idempotency-Key was used with another request."),
    "precondition_required": (428, "If-Match is missing: send the ETag of the version you read."),
    "throttled": (429, "Too many requests: wait as long as Retry-After says."),
    "server_error": (500, "The server failed; the request id helps find out why."),
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This change conflicts with other data."
    default_code = "conflict"


def translate(exc: Exception) -> Exception:
    """Database and model errors as the API errors they stand for."""
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return exceptions.ValidationError(detail)
    if isinstance(exc, ProtectedError | RestrictedError):
        names = sorted({str(obj._meta.verbose_name) for obj in exc.protected_objects})
        return Conflict(f"Still referred to by: {', '.join(names)}. Remove those links first.")
    # Never the database's own text: it names constraints and ids, and quotes SQL. Writes
    # through serializers report the rule itself (ModelCleanSerializer.save).
    if isinstance(exc, IntegrityError):
        return Conflict()
    if isinstance(exc, DataError):
        return exceptions.ValidationError({"non_field_errors": ["A value is out of range."]})
    if isinstance(exc, RequestDataTooBig):  # a body read before the parser saw it
        return RequestTooLarge()
    return exc


# --- The problem document ---------------------------------------------------------------


def problem(request, status_code: int, code: str, detail: str, **extensions) -> dict:
    """A problem details object (RFC 9457) with the request's id."""
    return {
        "type": problem_type(request, code),
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
        "code": code,
        "request_id": request_id.get(),
        **extensions,
    }


def problem_type(request, code: str) -> str:
    """The address describing a problem code (``about:blank`` for one not listed)."""
    if code not in PROBLEMS:
        return "about:blank"
    path = reverse("api:problem", kwargs={"code": code})
    try:
        return request.build_absolute_uri(path)
    except DisallowedHost:  # the very error being answered
        return path


def field_error(error, in_body: bool) -> dict:
    """One flattened field error (``attr`` dotted, e.g. ``ordered.day``), located by a JSON
    pointer into the body, or by the query parameter it names."""
    name = error.attr or api_settings.NON_FIELD_ERRORS_KEY
    whole = name == api_settings.NON_FIELD_ERRORS_KEY
    if in_body:
        location = {"pointer": "" if whole else "/" + name.replace(".", "/")}
    else:
        location = {"parameter": name}
    code = error.code or exceptions.ValidationError.default_code  # DRF leaves some unset
    return {"field": name, **location, "code": code, "detail": error.detail}


class ProblemFormatter(ExceptionFormatter):
    """drf-standardized-errors' errors as problem details."""

    def run(self) -> dict:
        request = self.context.get("request")
        if isinstance(self.exc, exceptions.ValidationError):
            in_body = (
                request is not None
                and request.method in {"POST", "PUT", "PATCH"}
                and not isinstance(self.exc, ParameterError)
            )
            errors = [field_error(error, in_body) for error in self.get_errors()]
            detail = " ".join(f"{error['field']}: {error['detail']}" for error in errors)
            return problem(request, self.exc.status_code, "validation_error", detail, errors=errors)
        code = self.exc.get_codes()
        if not isinstance(code, str) or code == exceptions.APIException.default_code:
            code = "server_error" if self.exc.status_code >= 500 else "bad_request"
        return problem(request, self.exc.status_code, code, str(self.exc.detail))


class ProblemResponse(Response):
    """An error's answer: written as ``application/problem+json`` whatever format the request
    negotiated (DRF sets the negotiated renderer on every response it finalises)."""

    @property
    def rendered_content(self):
        self.accepted_renderer = ProblemRenderer()
        self.accepted_media_type = PROBLEM_MEDIA_TYPE
        return super().rendered_content


class ProblemHandler(ExceptionHandler):
    """drf-standardized-errors' handler, after ``translate``, answering a ``ProblemResponse``."""

    def convert_known_exceptions(self, exc: Exception) -> Exception:
        return super().convert_known_exceptions(translate(exc))

    def format_exception(self, exc) -> dict:
        return ProblemFormatter(exc, self.context, self.exc).run()

    def get_response(self, exc, data) -> Response:
        return ProblemResponse(data, status=exc.status_code, headers=self.get_headers(exc))


def exception_handler(exc, context):
    """DRF's ``EXCEPTION_HANDLER``."""
    return ProblemHandler(exc, context).run()


# --- Outside DRF's views ----------------------------------------------------------------


def problem_response(request, status_code: int, code: str, detail: str) -> JsonResponse:
    data = problem(request, status_code, code, detail)
    return JsonResponse(data, status=status_code, content_type=PROBLEM_MEDIA_TYPE)


def is_api(request) -> bool:
    return request.path.startswith("/api/")


@csrf_exempt
def not_found(request, *args, **kwargs):
    """A problem 404 for any address under the API that names no endpoint."""
    return problem_response(request, 404, "not_found", "No endpoint at this address.")


def bad_request(request, exception, *args, **kwargs):
    """Django's ``handler400``: a request Django refuses before any view (a Host not
    allowed) is a problem under the API, and Django's page elsewhere."""
    if not is_api(request):
        return defaults.bad_request(request, exception, *args, **kwargs)
    return problem_response(request, 400, "bad_request", "The request was refused.")


def server_error(request, *args, **kwargs):
    """Django's ``handler500``: a problem under the API (the failure's detail stays in the
    log, under the request id), and Django's page elsewhere."""
    if not is_api(request):
        return defaults.server_error(request, *args, **kwargs)
    return problem_response(request, 500, "server_error", "Server Error (500)")


def problem_description(request, code: str):
    """What a problem ``type`` address shows: the code's status and meaning."""
    if code not in PROBLEMS:
        return not_found(request)
    status_code, meaning = PROBLEMS[code]
    data = {"type": problem_type(request, code), "code": code, "status": status_code}
    return JsonResponse({**data, "title": HTTPStatus(status_code).phrase, "description": meaning})
