"""Request bodies: JSON, bounded in size and in depth.

DRF's JSON parser reads the request stream itself, so Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``
(which guards ``request.body`` and forms) never applies to it, and Python's ``json`` recurses
once per level of nesting, so 1,000 nested ``[`` end in a ``RecursionError``. No record nests
more than a few levels (a date object inside a record), so both are refused before any work.
"""

from django.conf import settings
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError

#: The deepest nesting of arrays and objects a body may have.
MAX_DEPTH = 32
TOO_DEEP = f"JSON parse error - nested deeper than {MAX_DEPTH} levels."


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = (
        f"The body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes, "
        "the most the API takes."
    )
    default_code = "request_too_large"


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413) or nested
    deeper than ``MAX_DEPTH`` (400)."""

    def parse(self, stream, media_type=None, context=None):
        """``context`` is the third argument DRF documents for ``parse()`` (the request's
        parser context, which DRF passes by position)."""
        request = (context or {}).get("request")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request is not None and limit is not None and content_length(request) > limit:
            raise RequestTooLarge()
        try:
            data = super().parse(stream, media_type, context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if depth_over(data, MAX_DEPTH):
            raise ParseError(TOO_DEEP)
        return data


def content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def depth_over(data, limit: int) -> bool:
    """Whether ``data`` nests lists and dicts deeper than ``limit`` (without recursing)."""
    pending = [(data, 1)]
    while pending:
        value, level = pending.pop()
        if isinstance(value, dict | list):
            if level > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, level + 1) for child in children)
    return False
