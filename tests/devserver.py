"""The development server as the README starts it, for tests of what a client sees over HTTP.

``python3 dev.py run`` migrates, loads the curated data and runs ``manage.py runserver``; here
the same three commands run on a database of their own beside the test database (the test
database's data lives in a transaction that the server's connections cannot see). The server
is Django's own WSGI server, which refuses what a WSGI server refuses (a header that is not a
plain ``str``), unlike the test client. Every wait is bounded.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
from django.db import connection

from tests.production.cluster import free_port_outside_clusters, stop_process_group, wait_until_live

ROOT = Path(__file__).resolve().parents[1]
EDITOR = ("editor", "a long passphrase")
#: An editor in the Editors group, with the password the API guide uses.
CREATE_EDITOR = f"""
from django.contrib.auth.models import Group, User
user = User.objects.create_user({EDITOR[0]!r}, password={EDITOR[1]!r})
user.groups.add(Group.objects.get(name="Editors"))
"""


def database_url(name: str) -> str:
    """The database ``name`` on the tests' server, which may be a Unix socket's folder (the
    embedded server's), percent-encoded as ``indoru.embedded`` writes it."""
    settings = connection.settings_dict
    credentials = quote(settings["USER"], safe="")
    if settings["PASSWORD"]:
        credentials += f":{quote(settings['PASSWORD'], safe='')}"
    host = quote(settings["HOST"] or "", safe="")
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{name}"


def recreate_database(name: str) -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class DevServer:
    """``manage.py runserver`` on a free loopback port, with the curated data loaded."""

    def __init__(self, log: Path):
        self.name = f"{connection.settings_dict['NAME']}_devserver"
        self.port = free_port_outside_clusters()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = {**os.environ, "DATABASE_URL": database_url(self.name), "DEBUG": "1"}
        self.process: subprocess.Popen | None = None

    def manage(self, *args: str, timeout: float = 300) -> None:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True,
            text=True, timeout=timeout,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]

    def start(self, timeout: float = 90) -> None:
        recreate_database(self.name)
        self.manage("migrate", "--noinput")
        self.manage("load_curated")
        self.manage("shell", "-c", CREATE_EDITOR)
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        wait_until_live(self.process, f"{self.base}/livez", self.log, timeout)

    def stop(self) -> None:
        stop_process_group(self.process)
        drop_database(self.name)
