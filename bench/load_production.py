#!/usr/bin/env python3
"""Load run against the production server: wrk, 64 connections, 30 s per endpoint.

    .venv/bin/python bench/load_production.py [--database-url URL] [--duration 30s]

Creates (or empties) the PostgreSQL database, loads the curated data set, starts
``manage.py serve`` on a loopback port in production mode and runs ``wrk`` against a few read
endpoints, one after the other. Prints requests/s, latency and every kind of error, writes
them to ``bench/results/load_production.json`` and exits 1 if any request failed. API
throttling is turned off for the run: a load test from one address would otherwise be held
to the anonymous rate.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import servers  # noqa: E402

ENDPOINTS = ["/api/v1/deliveries/", "/api/v1/timeline/", "/healthz"]


def run_wrk(url: str, connections: int, duration: str) -> dict:
    """wrk with a 10 s response timeout: a slower response counts as an error."""
    command = ["wrk", "-t", "4", "-c", str(connections), "-d", duration, "--timeout", "10s"]
    output = subprocess.run(
        [*command, "--latency", url], capture_output=True, text=True, check=True
    ).stdout
    print(output)
    return servers.parse_wrk(output)


def warm_up(url: str) -> None:
    """Every worker loads its URL configuration and opens its pool on its first requests."""
    subprocess.run(["wrk", "-t", "2", "-c", "16", "-d", "3s", url], capture_output=True, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/indoru_load")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", default="30s")
    args = parser.parse_args()

    port = servers.free_port()
    env = servers.production_env(args.database_url, port) | {"LOG_FORMAT": "json"}
    servers.fresh_database(args.database_url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "manage.py", "load_curated"], cwd=ROOT, env=env, check=True)
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "manage.py", "serve", "--no-migrate"]
    with servers.serving(command, env, f"{base}/livez"):
        for path in ENDPOINTS:
            warm_up(base + path)
        results = {
            path: run_wrk(base + path, args.connections, args.duration) for path in ENDPOINTS
        }

    report = {
        "connections": args.connections,
        "duration": args.duration,
        "cores": os.cpu_count(),
        # Other work on the machine skews the figures; the 1-minute load average tells.
        "load_average_after": os.getloadavg()[0],
        "results": results,
    }
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "results" / "load_production.json").write_text(json.dumps(report, indent=2))
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} after the run")
    print(f"{'endpoint':<22}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for path, result in results.items():
        print(
            f"{path:<22}{result['requests_per_second']:>9.0f}"
            f"{result['p50_ms'] or 0:>9.1f}{result['p99_ms'] or 0:>9.1f}{result['errors']:>8}"
        )
    errors = sum(result["errors"] for result in results.values())
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
