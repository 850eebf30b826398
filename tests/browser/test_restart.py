"""An editor's work survives a restart of the app, started the README's way (``python3 dev.py
run``): the load on start keeps the curated record the editor changed, and says so.

The app runs as a real ``dev.py run`` process on the test database, twice; the editor works in
headless Chromium (Debian's package) in between.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection

from tracker.models import Delivery

from .conftest import ARTIFACTS
from .test_admin import PASSWORD, account, add_inline, autocomplete, fill_event, log_in, save

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROOT = Path(settings.BASE_DIR)
SUMMARY = "Two regiments still due; the editor's own summary."
QUOTE = "the remaining two regiments of the S-400 system have been postponed until 2026"
SOURCE = "Rebalancing Relations Between Russia and India, 2025"
KEPT = "kept 1 record changed by editors: deliveries.json › s-400-triumf"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def this_database_url() -> str:
    """``DATABASE_URL`` naming the database this test runs on."""
    url = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/x")
    return urlunsplit(url._replace(path=f"/{connection.settings_dict['NAME']}"))


class App:
    """``python3 dev.py run`` in a session of its own, its output in a file."""

    def __init__(self, port: int, log: Path):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        env = {**os.environ, "DATABASE_URL": this_database_url(), "PYTHONUNBUFFERED": "1"}
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "dev.py", "run", f"127.0.0.1:{self.port}"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait_until_serving()

    def wait_until_serving(self, seconds: int = 180) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            try:
                with urllib.request.urlopen(f"{self.url}/admin/login/", timeout=5):
                    return
            except OSError:
                time.sleep(0.5)
        pytest.fail(f"dev.py run did not start serving:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text()

    def stop(self) -> None:
        """Ctrl-C's equivalent for the whole session: dev.py, the server and its reloader."""
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=60)


@pytest.fixture
def editor(reference_data, settings):
    """An editor whose password the app's own hasher checks (the suite's is a fast one)."""
    settings.PASSWORD_HASHERS = [
        *settings.PASSWORD_HASHERS,
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    user = account("editor", "Editors")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    return user


@pytest.fixture
def screenshots(request) -> Path:
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_an_editors_changes_survive_a_restart_and_the_load_says_it_kept_them(
    chromium, editor, tmp_path, screenshots
):
    port = free_port()
    app = App(port, tmp_path / "first.log")
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, base_url=app.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        assert "Curated data set loaded" in app.output()
        s400 = Delivery.objects.get(slug="s-400-triumf")
        log_in(page, "editor")
        page.goto(f"/admin/tracker/delivery/{s400.pk}/change/")
        page.fill("#id_summary", SUMMARY)
        event = add_inline(page, "events")
        fill_event(
            page,
            event,
            kind="announced",
            date="2025-12-01",
            precision="month",
            title="Russia confirms the last two regiments for 2026",
        )
        autocomplete(page, f"id_events-{event}-cite_source", SOURCE)
        page.fill(f"#id_events-{event}-cite_quote", QUOTE)
        page.screenshot(path=str(screenshots / "01-edited.png"), full_page=True)
        save(page)
        page.wait_for_selector(".messagelist .success")
    finally:
        app.stop()

    app = App(port, tmp_path / "second.log")
    try:
        assert KEPT in app.output()
        page.goto(f"/admin/tracker/delivery/{s400.pk}/change/")
        assert page.input_value("#id_summary") == SUMMARY
        timeline = page.locator("#events-group").inner_text()
        assert "Russia confirms the last two regiments for 2026" in timeline
        assert QUOTE in timeline
        page.screenshot(path=str(screenshots / "02-after-restart.png"), full_page=True)
    finally:
        app.stop()
        context.close()

    s400.refresh_from_db()
    assert s400.summary == SUMMARY
    event = s400.events.get(title="Russia confirms the last two regiments for 2026")
    assert event.citations.get().quote == QUOTE
