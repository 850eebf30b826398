"""The curl examples of the API consumers' guide (docs/api.md) give what the guide says, run
with curl against the development server as ``python3 dev.py run`` serves the curated data.

Each line of the guide's shell blocks runs in bash as written, but for the server's port:
``ETAG=$(curl …)`` sets ``$ETAG`` for the lines after it, and the token exchange's answer sets
``$TOKEN``. A ``# expect <status>`` line before a command gives its status (otherwise 2xx).
"""

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

GUIDE = Path(settings.BASE_DIR) / "docs" / "api.md"
HOST = "http://127.0.0.1:8000"


@dataclass
class Command:
    line: str
    expect: int | None


def commands() -> list[Command]:
    found, expect, in_block = [], None, False
    for line in GUIDE.read_text().splitlines():
        if line.startswith("```"):
            in_block = not in_block
        elif in_block and line.startswith("# expect "):
            expect = int(line.removeprefix("# expect "))
        elif in_block and (line.startswith("curl ") or line.startswith("ETAG=$(curl ")):
            found.append(Command(line, expect))
            expect = None
    return found


def test_the_guide_has_examples_of_every_kind():
    lines = " ".join(command.line for command in commands())
    parts = ("timeline/", "summary/", "changes/", "timeline.ics", "timeline.atom", "changes.atom")
    for part in (*parts, "export.csv"):
        assert part in lines
    assert "-X POST" in lines and "-X PATCH" in lines and "-X DELETE" in lines


def bash(line: str, variables: dict, directory: Path) -> str:
    """Runs ``line`` in ``directory``, where files an example downloads (``curl -o``) land."""
    result = subprocess.run(
        ["bash", "-c", line],
        env=variables,
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, (line, result.stderr)
    return result.stdout


def test_every_example_gives_what_the_guide_says(dev_server, tmp_path):
    variables = {"PATH": "/usr/bin:/bin", "TOKEN": "", "ETAG": ""}
    body = tmp_path / "body"
    for command in commands():
        line = command.line.replace(HOST, dev_server.base)
        if line.startswith("ETAG="):
            variables["ETAG"] = bash(f'{line}; printf %s "$ETAG"', variables, tmp_path)
            assert variables["ETAG"].startswith('"'), line
            continue
        status = int(bash(f"{line} -s -S -o {body} -w '%{{http_code}}'", variables, tmp_path))
        if command.expect:
            assert status == command.expect, (line, body.read_text()[:300])
        else:
            assert 200 <= status < 300, (line, body.read_text()[:300])
        if "/auth/token/" in line:
            variables["TOKEN"] = json.loads(body.read_text())["token"]
