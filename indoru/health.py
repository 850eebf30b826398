"""Health checks for load balancers and orchestrators.

``/healthz`` runs a query on every configured database (primary and replicas) and answers
503 when one of them fails, so a load balancer stops sending traffic the app cannot serve; it
also tells, per database, whether it is a replica in recovery, which shows where the router's
reads and writes go. ``/livez`` answers 200 while the process is up, without touching a
database: a liveness probe that restarted app servers whenever PostgreSQL restarts would turn
a short database outage into a longer app outage.
"""

import time

from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def _check(alias: str) -> dict:
    started = time.perf_counter()
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            in_recovery = cursor.fetchone()[0]
    except DatabaseError as error:
        return {"ok": False, "error": type(error).__name__}
    return {
        "ok": True,
        "in_recovery": in_recovery,
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }


@never_cache
@require_safe
def livez(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def healthz(request):
    databases = {alias: _check(alias) for alias in connections}
    ok = all(result["ok"] for result in databases.values())
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", "databases": databases},
        status=200 if ok else 503,
    )
