"""Servers and load for the benchmarks: gunicorn on loopback ports, wrk, process memory."""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fresh_database(url: str) -> None:
    """The database that ``url`` names, dropped if it exists and created empty."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    name = info.pop("dbname")
    with psycopg.connect(**info, dbname="postgres", autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')


def production_env(database_url: str, port: int, root: Path = ROOT) -> dict[str, str]:
    """The app as deployed (DEBUG off), without throttling: one client sends all the load."""
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "BIND": f"127.0.0.1:{port}",
        "API_THROTTLE_ANON": "",
        "API_THROTTLE_USER": "",
        "ACCESS_LOG": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(root),
    }


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"The server exited before answering {url}.")
        try:
            with urllib.request.urlopen(url, timeout=10):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"No answer from {url} within {timeout} s.")


@contextmanager
def serving(command: list[str], env: dict, ready_url: str, root: Path = ROOT):
    """Run a server from the checkout ``root`` in its own process group; stop the whole group
    afterwards."""
    server = subprocess.Popen(
        command, cwd=root, env=env, stdout=subprocess.DEVNULL, start_new_session=True
    )
    try:
        wait_until_up(ready_url, server)
        yield server
    finally:
        stop(server)


def stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def app_server(database_url: str, workers: int, root: Path = ROOT):
    """The app of the checkout ``root`` (by default this one), with this checkout's Python."""
    port = free_port()
    env = production_env(database_url, port, root) | {"WEB_CONCURRENCY": str(workers)}
    command = [str(BIN / "python"), "manage.py", "serve", "--no-migrate"]
    base = f"http://127.0.0.1:{port}"
    return serving(command, env, f"{base}/livez", root), base


def raw_server(database_url: str, workers: int):
    port = free_port()
    env = production_env(database_url, port) | {"WEB_CONCURRENCY": str(workers)}
    # The app's own gunicorn settings (workers, threads, keep-alive): only the app differs.
    command = [str(BIN / "gunicorn"), "-c", "indoru/gunicorn.conf.py", "bench.raw_app:application"]
    base = f"http://127.0.0.1:{port}"
    return serving(command, env, f"{base}/changes"), base


def ensure_wrk() -> str:
    """wrk from Debian's packages, installed on first use."""
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        stdout=subprocess.DEVNULL,
    )
    return shutil.which("wrk")


def wrk(url: str, connections: int, seconds: float) -> dict:
    """Requests/s and latency percentiles (ms) of a bounded wrk run against ``url``."""
    threads = min(2, connections)
    command = [
        *("wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout=30s"),
        *("--latency", url),
    ]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    return parse_wrk(output)


def parse_wrk(output: str) -> dict:
    def millis(text: str) -> float:
        value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.M))
    found = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    requests = re.search(r"(\d+) requests in", output)
    return {
        "requests": int(requests[1]) if requests else 0,
        "requests_per_second": float(found[1]) if found else 0.0,
        "p50_ms": millis(latency["50"]) if "50" in latency else None,
        "p99_ms": millis(latency["99"]) if "99" in latency else None,
        "errors": (int(errors[1]) if errors else 0)
        + (sum(map(int, sockets.groups())) if sockets else 0),
    }


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (gunicorn's master and workers)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        children = Path(f"/proc/{current}/task/{current}/children")
        if children.exists():
            queue += [int(child) for child in children.read_text().split()]
    return found


def cpu_seconds(pids: list[int]) -> float:
    """CPU time, user and system, of these processes and of the children each has reaped:
    a gunicorn master's count takes in the workers it recycled. A process gone counts 0."""
    total_ticks = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            continue
        # After the command's name: utime, stime, cutime and cstime are fields 11 to 14.
        fields = stat.rsplit(")", 1)[1].split()
        total_ticks += sum(int(ticks) for ticks in fields[11:15])
    return total_ticks / os.sysconf("SC_CLK_TCK")


def postgres_pids() -> list[int]:
    """Every PostgreSQL process on the machine: the server and its backends."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == "postgres":
                pids.append(int(entry.name))
        except (FileNotFoundError, ProcessLookupError):
            continue
    return pids


def rss_mb(pid: int) -> float:
    """Resident memory of one process, in MB (0 once it has gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0.0
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found[1]) / 1024 if found else 0.0
