"""Request ids on every log record, read-your-writes pinning for the replica router, the
Content-Security-Policy header, and API views let go of as soon as they have answered."""

import functools
import re
import time
import uuid

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core import signing
from django.core.signals import setting_changed
from django.dispatch import receiver

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


class ReleaseViewMiddleware:
    """Lets go of an API view and what it holds once its response is rendered, so that they
    are freed then rather than by the cyclic garbage collector.

    DRF and Django leave every view in reference cycles: the handler stored on the instance is
    a method bound to it (``self.get = self.list``, ``self.head = self.get``), the request's
    parser context names the view, and the response's renderer context names the view and
    the response itself. Everything they hold — the request, the page's rows, the response's
    data — then outlives the request until a collection, and a page of 100 events filled
    the youngest generation about once a request. Measured in-process over 1,000 requests
    (``gc.callbacks``), time in collections fell from 233–252 to 28 µs a request on a
    delivery's timeline and from 860–930 to 258 µs on the filtered timeline; the raw app
    needs none.

    Outermost, so every other middleware has handled the response first; rendering is done by
    then (Django renders a template response before the middleware sees it).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        context = getattr(response, "renderer_context", None)
        if context and getattr(response, "is_rendered", False):
            view, api_request = context.get("view"), context.get("request")
            if view is not None:
                vars(view).clear()
            if api_request is not None:
                api_request.parser_context = None
            context.clear()
        return response


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


class SitePolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the site's policy built once.

    django-csp builds the header from ``CONTENT_SECURITY_POLICY`` on every response: 3.7 % of
    the instructions of a record's timeline. A response that no view gave a policy of its own
    (django-csp's decorators) and that used no nonce gets the site's, built on first use. Any
    other response, every response in debug mode, and a site with a report-only policy or
    excluded paths go to django-csp.
    """

    #: What django-csp's decorators set on a response to change or drop its policy.
    PER_RESPONSE = tuple(
        f"_csp_{change}{mode}"
        for change in ("config", "update", "replace", "exempt")
        for mode in ("", "_ro")
    )

    def process_response(self, request, response):
        policy = site_policy()
        if policy is None or settings.DEBUG or not self._takes_site_policy(request, response):
            return super().process_response(request, response)
        if HEADER not in response:
            response[HEADER] = policy
        # As django-csp does: a nonce asked for once the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def _takes_site_policy(self, request, response) -> bool:
        return getattr(request, "_csp_nonce", None) is None and not any(
            hasattr(response, name) for name in self.PER_RESPONSE
        )


@functools.cache
def site_policy() -> str | None:
    """The header of ``CONTENT_SECURITY_POLICY``; None when django-csp must decide per
    response (a report-only policy, or paths excluded from the policy)."""
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
    report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
    if not policy or report_only or policy.get("EXCLUDE_URL_PREFIXES"):
        return None
    return build_policy()


@receiver(setting_changed)
def _forget_site_policy(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        site_policy.cache_clear()
