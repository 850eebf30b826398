#!/usr/bin/env python3
"""One-command entry points for a fresh machine that has only Python 3.11+ and pip.

    python3 dev.py run     # virtualenv, pinned deps, migrate, load the curated data, serve :8000
    python3 dev.py test    # the whole test suite (SQLite by default; DATABASE_URL for PostgreSQL)

Everything else is plain Django: ``.venv/bin/python manage.py …``.
"""

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".installed-lock"


def sh(*args: str, **kwargs) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run(args, check=True, cwd=ROOT, **kwargs)


def ensure_environment() -> None:
    """Create .venv and install the pinned dependencies, once per change of the lock file."""
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    lock = LOCK.read_text()
    if not STAMP.exists() or STAMP.read_text() != lock:
        sh(str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        sh(str(PYTHON), "-m", "pip", "install", "--quiet", "-r", str(LOCK))
        STAMP.write_text(lock)


def manage(*args: str) -> None:
    sh(str(PYTHON), "manage.py", *args)


def run(argv: list[str]) -> None:
    ensure_environment()
    manage("migrate", "--noinput")
    manage("load_curated")
    address = argv[0] if argv else "127.0.0.1:8000"
    print(
        f"\nindoru is starting on http://{address}/ — admin at /admin/, API docs at /api/v1/docs/"
    )
    os.execv(str(PYTHON), [str(PYTHON), "manage.py", "runserver", address])


def test(argv: list[str]) -> None:
    ensure_environment()
    os.execv(str(PYTHON), [str(PYTHON), "-m", "pytest", *argv])


COMMANDS = {"run": run, "test": test}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])
