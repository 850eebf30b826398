"""Request ids on every log record, read-your-writes pinning for the replica router, and gzip
for the API's data."""

import re
import time
import uuid

from django.conf import settings
from django.core import signing
from django.middleware.gzip import GZipMiddleware

from . import routers
from .logging import request_id

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's id is kept only if it is short and plain, so it cannot forge log lines.
_ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def client_ip(request) -> str:
    """The client's address: behind the TLS proxy, the one the proxy appended last to
    ``X-Forwarded-For`` (earlier entries come from the client and can be forged)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.SECURE_PROXY_SSL_HEADER and forwarded:
        return forwarded.rsplit(",", 1)[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


class RequestIdMiddleware:
    """Takes the caller's ``X-Request-ID`` (or makes one) and returns it on the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(REQUEST_ID_HEADER, "")
        rid = given if _ACCEPTABLE_ID.fullmatch(given) else uuid.uuid4().hex
        request.id = rid
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[REQUEST_ID_HEADER] = rid
        return response


class ReadYourWritesMiddleware:
    """Keeps a client's reads on the primary for a while after it wrote.

    A request that writes (an unsafe method, or any query the router sends to the primary
    for writing) gets a signed cookie holding the time until which that client's reads stay
    on the primary; replicas may lag, and nobody should miss their own change. Requests
    with a valid, unexpired cookie, and every unsafe request, read from the primary.
    """

    cookie_name = "indoru_primary_until"
    salt = "indoru.read-your-writes"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pinned = request.method in UNSAFE_METHODS or self._pinned_by_cookie(request)
        state = routers.RequestState(use_primary=pinned)
        token = routers.request_state.set(state)
        try:
            response = self.get_response(request)
        finally:
            routers.request_state.reset(token)
        if routers.replica_aliases() and (state.wrote or request.method in UNSAFE_METHODS):
            self._pin(response)
        return response

    def _pinned_by_cookie(self, request) -> bool:
        try:
            until = signing.get_cookie_signer(salt=self.salt).unsign(
                request.COOKIES.get(self.cookie_name, "")
            )
            return time.time() < float(until)
        except (signing.BadSignature, ValueError):
            return False

    def _pin(self, response) -> None:
        seconds = settings.READ_YOUR_WRITES_SECONDS
        until = signing.get_cookie_signer(salt=self.salt).sign(f"{time.time() + seconds:.3f}")
        response.set_cookie(
            self.cookie_name,
            until,
            max_age=seconds,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


#: The media types compressed: the API's data, in JSON, CSV and NDJSON.
COMPRESSED_TYPES = frozenset(
    {
        "application/json",
        "application/problem+json",
        "text/csv",
        "application/x-ndjson",
        "application/ndjson",
    }
)


class DataGZipMiddleware(GZipMiddleware):
    """Django's gzip, for the API's data only: JSON, CSV and NDJSON.

    BREACH: when an answer holds a secret beside text an attacker can make the client send
    (reflected from the request), the compressed length tells how well a guess of the
    secret matches. HTML pages (the admin's CSRF tokens and session-bound data) are never
    compressed. The API's data holds no secret, except the token that ``auth/token/`` hands
    out: that answer, as every answer marked ``Cache-Control: no-store``, is not compressed
    either. Django adds random bytes to each gzip stream as well ("Heal The Breach").

    A compressed answer's ETag becomes weak (``W/"…"``), as RFC 9110 asks; the API compares
    ``If-Match`` and ``If-None-Match`` ignoring weakness, so either form can be sent back.
    """

    def process_response(self, request, response):
        media_type = response.get("Content-Type", "").partition(";")[0].strip()
        holds_secret = "no-store" in response.get("Cache-Control", "")
        if media_type not in COMPRESSED_TYPES or holds_secret:
            return response
        return super().process_response(request, response)
