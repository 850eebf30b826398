"""Request ids on every log record, read-your-writes pinning for the replica router,
malformed admin requests answered with 400, and gzip for the API's data."""

import re
import time
import uuid

from django.conf import settings
from django.core import signing
from django.db import DataError
from django.http import HttpResponseBadRequest
from django.middleware.gzip import GZipMiddleware

from . import routers
from .logging import request_id

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's id is kept only if it is short and plain, so it cannot forge log lines.
_ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def client_ip(request) -> str:
    """The client's address, for throttling and lockout alike.

    Behind ``TRUSTED_PROXIES`` proxies, the ``X-Forwarded-For`` hop the outermost of them
    appended (earlier entries come from the client and can be forged); with none, the
    connection's own address. A header with fewer hops than there are proxies gives its
    first (as DRF's ``NUM_PROXIES`` does).
    """
    proxies = settings.TRUSTED_PROXIES
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if proxies and any(hops):
        return hops[-min(proxies, len(hops))]
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


class MalformedAdminInputMiddleware:
    """A malformed admin request is a 400, never a 500, for every model's admin (the app's
    and the libraries').

    The admin sends its filters, search terms, ids and autocomplete terms to PostgreSQL as they
    came: a NUL character (which no PostgreSQL text can hold), a number beyond its column's
    range, a year beyond the calendar's. A NUL in the address or a parameter is refused
    before any view runs; a value the database or Python's dates cannot hold (``DataError``,
    ``OverflowError``) is answered 400 once the view fails on it. The API checks its own
    parameters and answers in JSON.
    """

    prefix = "/admin/"
    message = "Malformed request: a value in the address is not one this page can use."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.prefix) and self.has_nul(request):
            return HttpResponseBadRequest(self.message)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path.startswith(self.prefix) and isinstance(
            exception, DataError | OverflowError
        ):
            return HttpResponseBadRequest(self.message)
        return None

    @staticmethod
    def has_nul(request) -> bool:
        parameters = (item for pair in request.GET.lists() for item in (pair[0], *pair[1]))
        return "\x00" in request.path or any("\x00" in text for text in parameters)


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
