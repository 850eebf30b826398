#!/usr/bin/env python3
"""Throttling under load: wrk from one client address against the production server.

    .venv/bin/python bench/throttle.py [--connections 64] [--duration 30] [--limit 120]

Creates (or empties) a PostgreSQL database, starts ``manage.py serve`` on a loopback port in
production mode (gunicorn, ``DEBUG=0``) with the anonymous rate at ``--limit`` a minute,
counted in Redis (``REDIS_URL``, by default ``redis://127.0.0.1:6379/0``), one trusted proxy,
and runs ``wrk`` with ``bench/throttle.lua``: every request is the same client behind that
proxy, with a forged first ``X-Forwarded-For`` hop that changes from request to request.

Prints the answers by status and checks that the 200s stay within the limit of each
one-minute window the run touched, every other answer is a 429 carrying ``Retry-After`` and
the ``RateLimit-*`` fields, and no request failed (no 5xx, no socket error). Exits 1 if not.
"""

import argparse
import math
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import servers  # noqa: E402

SCRIPT = ROOT / "bench" / "throttle.lua"
PATH = "/api/v1/deliveries/"
WINDOW = 60


def throttled_env(database_url: str, port: int, limit: int, redis_url: str) -> dict[str, str]:
    """The production environment with throttling on, counted in Redis, behind one proxy."""
    return servers.production_env(database_url, port) | {
        "API_THROTTLE_ANON": f"{limit}/minute",
        "API_THROTTLE_USER": f"{limit}/minute",
        "REDIS_URL": redis_url,
        # This run's counters only, whatever else the Redis server holds.
        "REDIS_KEY_PREFIX": f"throttle-bench-{uuid.uuid4().hex}",
        "TRUSTED_PROXIES": "1",
    }


def load(url: str, connections: int, seconds: int) -> dict:
    """A wrk run with the counting script: statuses, incomplete 429s, socket errors, and the
    one-minute windows it touched."""
    started = time.time()
    output = subprocess.run(
        [
            *("wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s"),
            *("--timeout", "30s", "-s", str(SCRIPT), url),
        ],
        capture_output=True, text=True, check=True, timeout=seconds + 60,
    ).stdout  # fmt: skip
    ended = time.time()
    statuses = {int(code): int(n) for code, n in re.findall(r"^status (\d+) (\d+)$", output, re.M)}
    return {
        "statuses": statuses,
        "incomplete_429": int(re.search(r"^incomplete-429 (\d+)$", output, re.M)[1]),
        "socket_errors": int(re.search(r"^socket-errors (\d+)", output, re.M)[1]),
        "socket_errors_by_kind": re.search(r"^socket-errors \d+ \((.*)\)$", output, re.M)[1],
        "windows": math.floor(ended / WINDOW) - math.floor(started / WINDOW) + 1,
    }


def verdict(run: dict, limit: int) -> list[str]:
    """What went wrong, if anything."""
    statuses = run["statuses"]
    allowed = limit * run["windows"]
    problems = []
    if statuses.get(200, 0) > allowed:
        problems.append(f"{statuses[200]} × 200 above the limit of {allowed}")
    others = {code: n for code, n in statuses.items() if code not in (200, 429)}
    if others:
        problems.append(f"answers other than 200 and 429: {others}")
    if run["incomplete_429"]:
        problems.append(f"{run['incomplete_429']} × 429 without Retry-After or RateLimit fields")
    if run["socket_errors"]:
        problems.append(f"{run['socket_errors']} socket errors")
    return problems


def report(run: dict, limit: int) -> str:
    statuses = run["statuses"]
    total = sum(statuses.values())
    return (
        f"{total} answers: {statuses.get(200, 0)} × 200, {statuses.get(429, 0)} × 429, "
        f"other {total - statuses.get(200, 0) - statuses.get(429, 0)}; limit {limit} a minute "
        f"× {run['windows']} window(s) touched = {limit * run['windows']} allowed; "
        f"429 without the headers: {run['incomplete_429']}; "
        f"socket errors: {run['socket_errors']} ({run['socket_errors_by_kind']})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/indoru_throttle"
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    )
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=30, help="seconds")
    parser.add_argument("--limit", type=int, default=120, help="requests a minute")
    args = parser.parse_args()

    servers.ensure_wrk()
    servers.fresh_database(args.database_url)
    port = servers.free_port()
    env = throttled_env(args.database_url, port, args.limit, args.redis_url)
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "manage.py", "serve"]
    with servers.serving(command, env, f"{base}/livez"):
        run = load(base + PATH, args.connections, args.duration)
    print(f"wrk -c {args.connections} -d {args.duration}s {PATH}: {report(run, args.limit)}")
    problems = verdict(run, args.limit)
    for problem in problems:
        print(f"FAILED: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
