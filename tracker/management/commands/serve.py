"""The production entry point: prepare the database and static files, then run gunicorn."""

import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections

GUNICORN_CONFIG = Path(settings.BASE_DIR) / "indoru" / "gunicorn.conf.py"


class Command(BaseCommand):
    help = (
        "Apply migrations, collect static files, then replace this "
        "process with gunicorn serving indoru (settings in indoru/gunicorn.conf.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind", default=os.environ.get("BIND", "127.0.0.1:8000"), help="host:port"
        )
        parser.add_argument(
            "--no-migrate",
            action="store_true",
            help="Skip migrations (when another host, or a release step, applies them).",
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="Skip collecting static files (when STATIC_ROOT is already up to date).",
        )

    def handle(self, *args, bind, no_migrate, no_collectstatic, **options):
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=1)
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        connections.close_all()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(GUNICORN_CONFIG),
            "--bind",
            bind,
            "indoru.wsgi:application",
        ]
        self.stdout.write(f"Serving on http://{bind}/ with gunicorn.")
        self.stdout.flush()
        os.execv(sys.executable, command)
