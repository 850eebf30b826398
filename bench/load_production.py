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
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
ENDPOINTS = ["/api/v1/deliveries/", "/api/v1/timeline/", "/healthz"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fresh_database(url: str) -> None:
    info = psycopg.conninfo.conninfo_to_dict(url)
    name = info.pop("dbname")
    with psycopg.connect(**info, dbname="postgres", autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')


def production_env(url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": url,
        "BIND": f"127.0.0.1:{port}",
        "API_THROTTLE_ANON": "",
        "API_THROTTLE_USER": "",
        "ACCESS_LOG": "0",
        "LOG_FORMAT": "json",
    }


def wait_until_up(base: str, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("The server exited; see its log.")
        try:
            with urllib.request.urlopen(f"{base}/livez", timeout=10):
                return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"The server did not answer within {timeout} s.")


def parse_wrk(output: str) -> dict:
    """Requests/s, latency percentiles and error counts from ``wrk --latency`` output."""

    def number(pattern: str) -> float:
        found = re.search(pattern, output)
        return float(found.group(1)) if found else 0.0

    def millis(text: str) -> float:
        value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", output, re.M))
    socket_errors = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "requests": int(number(r"(\d+) requests in")),
        "requests_per_second": number(r"Requests/sec:\s+([\d.]+)"),
        "latency_ms": {f"p{k}": millis(v) for k, v in latency.items()},
        "non_2xx_3xx": int(number(r"Non-2xx or 3xx responses: (\d+)")),
        "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
    }


def run_wrk(url: str, connections: int, duration: str) -> dict:
    """wrk with a 10 s response timeout: a slower response counts as an error."""
    command = ["wrk", "-t", "4", "-c", str(connections), "-d", duration, "--timeout", "10s"]
    output = subprocess.run(
        [*command, "--latency", url], capture_output=True, text=True, check=True
    ).stdout
    print(output)
    return parse_wrk(output)


def warm_up(url: str) -> None:
    """Every worker loads its URL configuration and opens its pool on its first requests."""
    subprocess.run(["wrk", "-t", "2", "-c", "16", "-d", "3s", url], capture_output=True, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/indoru_load")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", default="30s")
    args = parser.parse_args()

    port = free_port()
    env = production_env(args.database_url, port)
    fresh_database(args.database_url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "manage.py", "load_curated"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--no-migrate"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, server)
        for path in ENDPOINTS:
            warm_up(base + path)
        results = {
            path: run_wrk(base + path, args.connections, args.duration) for path in ENDPOINTS
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

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
    errors = 0
    for path, result in results.items():
        failed = result["non_2xx_3xx"] + result["socket_errors"]
        errors += failed
        latency = result["latency_ms"]
        print(
            f"{path:<22}{result['requests_per_second']:>9.0f}"
            f"{latency.get('p50', 0):>9.1f}{latency.get('p99', 0):>9.1f}{failed:>8}"
        )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
