#!/usr/bin/env python3
"""One-command entry points for a fresh machine that has only Python 3.11+ and pip.

    python3 dev.py run [ADDRESS]   # virtualenv, pinned deps, migrate, load the curated data, serve
    python3 dev.py test [ARGS]     # the whole test suite (pytest ARGS), in parallel
    python3 dev.py manage ARGS     # any manage.py command, on the same database

With DATABASE_URL unset they use the embedded PostgreSQL server (``indoru/embedded.py``): started
if it is not running and stopped when the command ends; one that was already running is reused
and left running. With DATABASE_URL set, that server is used and nothing is started.
"""

import json
import os
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
RUNTIME_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"


def sh(*args: str, **kwargs) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run(args, check=True, cwd=ROOT, **kwargs)


def pins(lock: Path) -> str:
    """What a lock file installs: its own pins and, for the dev lock, the runtime ones too."""
    return lock.read_text() + (RUNTIME_LOCK.read_text() if lock != RUNTIME_LOCK else "")


def installed(lock: Path) -> bool:
    stamp = VENV / f".installed-{lock.name}"
    return stamp.exists() and stamp.read_text() == pins(lock)


def ensure_environment(lock: Path) -> None:
    """Create .venv and install a lock file's pins, once per change of that file. The dev lock
    includes the runtime one, so once ``test`` has installed it, ``run`` installs nothing."""
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    if installed(lock) or (lock == RUNTIME_LOCK and installed(DEV_LOCK)):
        return
    sh(str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sh(str(PYTHON), "-m", "pip", "install", "--quiet", "-r", str(lock))
    (VENV / f".installed-{lock.name}").write_text(pins(lock))


def database() -> tuple[dict, bool]:
    """The environment for the commands, and whether this call started the embedded server."""
    if os.environ.get("DATABASE_URL"):
        return dict(os.environ), False
    started = subprocess.run(
        [str(PYTHON), "-m", "indoru.embedded", "start"],
        check=True, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    answer = json.loads(started.stdout)
    print(f"+ embedded PostgreSQL in .pgdata/ ({'started' if answer['started'] else 'reused'})")
    return {**os.environ, "DATABASE_URL": answer["url"]}, answer["started"]


def stop_on_terminate(signum, frame):
    raise SystemExit(128 + signum)


def session(lock: Path, commands) -> int:
    """Run ``commands(env)`` against the database; stop the embedded server after it if this
    session started it, on every way out (end, error, Ctrl-C, SIGTERM)."""
    ensure_environment(lock)
    signal.signal(signal.SIGTERM, stop_on_terminate)
    env, started = database()
    try:
        return commands(env)
    except KeyboardInterrupt:
        return 130
    finally:
        if started:
            print("+ stopping the embedded PostgreSQL", flush=True)
            subprocess.run([str(PYTHON), "-m", "indoru.embedded", "stop"], cwd=ROOT, check=False)


def child(args: list[str], env: dict) -> int:
    """Run a child process to its end; on SIGTERM or Ctrl-C, end it first."""
    process = subprocess.Popen(args, cwd=ROOT, env=env)
    try:
        return process.wait()
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait()


def run(argv: list[str]) -> int:
    address = argv[0] if argv else "127.0.0.1:8000"

    def serve(env: dict) -> int:
        manage = [str(PYTHON), "manage.py"]
        sh(*manage, "migrate", "--noinput", env=env)
        sh(*manage, "load_curated", env=env)
        print(f"\nindoru is starting on http://{address}/ — admin at /admin/, API at /api/v1/docs/")
        return child([*manage, "runserver", address], env)

    return session(RUNTIME_LOCK, serve)


def test(argv: list[str]) -> int:
    return session(DEV_LOCK, lambda env: child([str(PYTHON), "-m", "pytest", *argv], env))


def manage(argv: list[str]) -> int:
    return session(DEV_LOCK, lambda env: child([str(PYTHON), "manage.py", *argv], env))


COMMANDS = {"run": run, "test": test, "manage": manage}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    sys.exit(COMMANDS[sys.argv[1]](sys.argv[2:]))
