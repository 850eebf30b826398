"""Errors as JSON, never a 500 for something a client sent.

Bodies are ``{"detail": "…"}``, or for bad input an object with one list of messages per
field (``{"status": ["\"x\" is not a valid choice."]}``, ``non_field_errors`` for the record
as a whole). Rules the database enforces but validation could not see in advance (a race on a
unique slug, a source still cited by a record) answer 409.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


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
    return exc


def exception_handler(exc, context):
    return drf_exception_handler(translate(exc), context)


@csrf_exempt
def not_found(request, *args, **kwargs):
    """JSON 404 for any address under the API that names no endpoint."""
    return JsonResponse({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
