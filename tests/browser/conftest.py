"""Headless Chromium (Debian's package, never a downloaded browser) against a live server.

The browser itself comes from the ``chromium`` fixture in tests/conftest.py.
"""

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"


@pytest.fixture
def page(chromium, live_server, reference_data):
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request):
    """``screenshot("name")`` saves the page as artifacts/browser/<test>/<nn>-<name>.png."""
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    taken = []

    def take(name: str) -> Path:
        taken.append(name)
        path = folder / f"{len(taken):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
