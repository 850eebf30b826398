"""API throttling: a fixed-window counter per client, atomic in the cache, with RateLimit headers.

DRF's ``SimpleRateThrottle`` reads a client's history from the cache and writes it back, so
parallel requests all read the same history and all pass. Here each request adds one to a
counter in a single atomic step: ``cache.add`` creates the window's counter with its expiry
(``SET … NX EX`` in Redis) and ``cache.incr`` increments it (``INCRBY``; under a lock in the
per-process memory cache), and the value it returns is the request's place in the window.
Each window has a key of its own, living at least as long as the window, so a counter never
expires while it is counted.

A fixed window lets a client make up to twice its rate across the boundary of two windows, in
exchange for one counter and no history per client.

Clients are told where they stand, as the IETF draft "RateLimit header fields for HTTP"
(draft-ietf-httpapi-ratelimit-headers) names it: ``RateLimit-Limit``,
``RateLimit-Remaining`` and ``RateLimit-Reset`` (seconds until the window ends) on every
throttled endpoint's answer, and ``Retry-After`` on a 429.
"""

import math
import time

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from indoru.middleware import client_ip


class ClientRateThrottle(SimpleRateThrottle):
    """The ``user`` rate per signed-in user, the ``anon`` rate per client address."""

    scope = "anon"
    timer = time.time

    def __init__(self):
        """The rate depends on who asks, so it is read per request (``allow_request``)."""
        self.rate = None
        self.reset = 0

    def get_rate(self):
        """The scope's rate as configured now (DRF's class attribute is read once, at import)."""
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_ip(request)

    def get_cache_key(self, request, view):
        user = request.user
        if user and user.is_authenticated:
            return f"user:{user.pk}"
        return f"anon:{self.get_ident(request)}"

    def allow_request(self, request, view):
        user = request.user
        self.scope = "user" if user and user.is_authenticated else "anon"
        self.rate = self.get_rate()
        if not self.rate:
            return True
        limit, duration = self.parse_rate(self.rate)
        now = self.timer()
        window = int(now // duration)
        key = f"ratelimit:{self.get_cache_key(request, view)}:{duration}:{window}"
        cache.add(key, 0, timeout=duration)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted from a full memory cache in between: start it again
            cache.add(key, 0, timeout=duration)
            count = cache.incr(key)
        self.reset = max(1, math.ceil((window + 1) * duration - now))
        view.headers.update(
            {
                "RateLimit-Limit": str(limit),
                "RateLimit-Remaining": str(max(0, limit - count)),
                "RateLimit-Reset": str(self.reset),
            }
        )
        return count <= limit

    def wait(self):
        """Seconds until the window ends: DRF sends them as ``Retry-After``."""
        return self.reset
