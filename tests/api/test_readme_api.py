"""The curl examples of the API consumers' guide (docs/api.md) work against the curated data.

Each ``curl`` line of the guide's code blocks is run through Django's test client: its method,
headers, body and URL. ``$TOKEN`` is an editor's token and ``$ETAG`` the current ETag of the
URL; a ``# expect <status>`` line before a command gives its status (otherwise 2xx).
"""

import shlex
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

GUIDE = Path(settings.BASE_DIR) / "docs" / "api.md"
HOST = "http://127.0.0.1:8000"


@dataclass
class Command:
    method: str
    url: str
    headers: dict
    body: str | None
    expect: int | None


def parse(line: str, expect: int | None) -> Command:
    words = shlex.split(line)[1:]
    method, headers, body, url = "GET", {}, None, None
    while words:
        word = words.pop(0)
        if word == "-X":
            method = words.pop(0)
        elif word == "-H":
            name, _, value = words.pop(0).partition(":")
            headers[name.strip()] = value.strip()
        elif word == "-d":
            body = words.pop(0)
            method = "POST" if method == "GET" else method
        elif not word.startswith("-"):
            url = word
    return Command(method, url, headers, body, expect)


def commands() -> list[Command]:
    found, expect, in_block = [], None, False
    for line in GUIDE.read_text().splitlines():
        if line.startswith("```"):
            in_block = not in_block
        elif in_block and line.startswith("# expect "):
            expect = int(line.removeprefix("# expect "))
        elif in_block and line.startswith("curl "):
            found.append(parse(line, expect))
            expect = None
    return found


def test_the_guide_has_examples_of_every_kind():
    urls = " ".join(command.url for command in commands())
    parts = ("timeline/", "summary/", "changes/", "timeline.ics", "timeline.atom", "changes.atom")
    for part in (*parts, "export.csv"):
        assert part in urls


def run(client, command: Command, token: str):
    path = command.url.removeprefix(HOST)
    assert urlsplit(command.url).netloc == "127.0.0.1:8000"
    headers = {}
    for name, value in command.headers.items():
        value = value.replace("$TOKEN", token)
        if "$ETAG" in value:
            value = value.replace("$ETAG", client.get(path).get("ETag", ""))
        headers[f"HTTP_{name.upper().replace('-', '_')}"] = value
    content_type = headers.pop("HTTP_CONTENT_TYPE", "application/octet-stream")
    return client.generic(command.method, path, command.body or "", content_type, **headers)


def test_every_example_works(client, curated, editor):
    editor.set_password("a long passphrase")
    editor.save()
    token = Token.objects.create(user=editor).key
    for command in commands():
        response = run(client, command, token)
        if command.expect:
            assert response.status_code == command.expect, (command, response.content)
        else:
            assert 200 <= response.status_code < 300, (command, response.content[:300])


@pytest.mark.parametrize("line", ["curl -X DELETE -H 'If-Match: \"x\"' http://127.0.0.1:8000/a/"])
def test_parser(line):
    command = parse(line, 412)
    assert (command.method, command.headers, command.url) == (
        "DELETE",
        {"If-Match": '"x"'},
        "http://127.0.0.1:8000/a/",
    )
