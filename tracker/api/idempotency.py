"""``Idempotency-Key`` on ``POST``: a retried create gets the first answer, not a duplicate.

A client that sent a create and lost the answer (a timeout, a dropped connection) cannot know
whether the record was made. Sent with the same ``Idempotency-Key`` (any visible ASCII, up to
255 characters, e.g. a UUID), the retry gets the first answer again — status, body, ``Location``
and ``ETag``, marked ``Idempotent-Replayed: true`` — and nothing is created twice. The same key
with another body (or address) is a 422 problem. Keys belong to the user who sent them and are
kept for ``KEPT_FOR``.

The key's row is inserted in the create's own transaction: a retry sent while the first request
is still running waits on the row's unique index until the first ends, then replays its answer;
when the first failed, its row went with it and the retry runs anew. No library does this for
DRF that the project could pin (the ones published keep answers in the cache, which would lose
them between workers and at a restart), hence this module.
"""

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable

import orjson
from django.db import transaction
from django.utils import timezone
from rest_framework import exceptions, status
from rest_framework.response import Response

from ..models import IdempotencyKey
from .renderers import JSONRenderer

KEY_HEADER = "Idempotency-Key"
KEPT_FOR = dt.timedelta(hours=24)
#: Visible ASCII, as the header's specification (an RFC 8941 string) allows.
KEY = re.compile(r"[\x21-\x7e]{1,255}")


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = (
        "This Idempotency-Key was first sent with another request. Use a new key for a new "
        "request, and the same key only to retry the same request."
    )
    default_code = "idempotency_key_reused"


def idempotent(request, answer: Callable[[], Response]) -> Response:
    """``answer()``, or when the request carries a key already answered, that answer again."""
    key = request.headers.get(KEY_HEADER)
    if key is None or not request.user.is_authenticated:
        return answer()
    if not KEY.fullmatch(key):
        message = "Give 1 to 255 visible ASCII characters, such as a UUID."
        raise exceptions.ValidationError({KEY_HEADER: [message]})
    fingerprint = fingerprint_of(request)
    with transaction.atomic():
        IdempotencyKey.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
        stored, created = IdempotencyKey.objects.get_or_create(
            user=request.user, key=key, defaults={"fingerprint": fingerprint, "status": 0}
        )
        if not created:
            if stored.fingerprint != fingerprint:
                raise KeyReused()
            return replay(stored)
        response = answer()
        keep(stored, response)
    return response


def fingerprint_of(request) -> str:
    """A hash of what the request asks: its method, path and body (keys in any order)."""
    text = json.dumps([request.method, request.path, request.data], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def keep(stored: IdempotencyKey, response: Response) -> None:
    stored.status = response.status_code
    stored.body = JSONRenderer.compact(response.data).decode()
    stored.location = response.get("Location", "")
    stored.etag = response.get("ETag", "")
    stored.save(update_fields=["status", "body", "location", "etag"])


def replay(stored: IdempotencyKey) -> Response:
    headers = {"Idempotent-Replayed": "true", "Location": stored.location, "ETag": stored.etag}
    return Response(
        orjson.loads(stored.body),
        status=stored.status,
        headers={name: value for name, value in headers.items() if value},
    )
