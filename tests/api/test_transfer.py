"""How answers travel: gzip for the API's data (and only for it), and a page's links in a
``Link`` header (RFC 8288) as well as in its body."""

import gzip
import json
import re

import pytest
from django.contrib.auth.models import User

from tests.api.conftest import API, problem
from tests.api.test_wsgi import call

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate"}


def body_of(response) -> bytes:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return gzip.decompress(content) if response.get("Content-Encoding") == "gzip" else content


@pytest.mark.usefixtures("curated")
@pytest.mark.parametrize(
    "path", ["events/?page_size=100", "deliveries/?format=csv", "trade-records/export.csv"]
)
def test_data_is_compressed_when_the_client_accepts_gzip(anon, path):
    plain = anon.get(f"{API}{path}")
    packed = anon.get(f"{API}{path}", **GZIP)

    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert body_of(packed) == body_of(plain)
    assert "Content-Encoding" not in plain


@pytest.mark.usefixtures("curated")
def test_a_compressed_answers_weak_etag_still_matches(anon):
    packed = anon.get(f"{API}events/", **GZIP)
    assert packed["ETag"].startswith('W/"')
    assert anon.get(f"{API}events/", HTTP_IF_NONE_MATCH=packed["ETag"]).status_code == 304


@pytest.mark.usefixtures("curated")
def test_a_problem_is_compressed_too(anon):
    response = anon.get(f"{API}deliveries/", {"colour": "red"}, **GZIP)
    assert response["Content-Encoding"] == "gzip"
    assert json.loads(body_of(response))["code"] == "validation_error"


@pytest.mark.django_db
def test_pages_and_tokens_are_never_compressed(client, anon):
    """BREACH: an answer holding a secret (a CSRF token, an API token) is sent as it is."""
    User.objects.create_user("editor", password="a long passphrase")
    assert "Content-Encoding" not in client.get("/admin/login/", **GZIP)
    token = anon.post(
        f"{API}auth/token/",
        {"username": "editor", "password": "a long passphrase"},
        format="json",
        **GZIP,
    )
    assert token.status_code == 200 and "token" in token.json()
    assert "Content-Encoding" not in token
    assert "no-store" in token["Cache-Control"]


@pytest.mark.usefixtures("curated")
def test_compressed_answers_keep_to_wsgi():
    status, headers, content = call("GET", f"{API}events/", ACCEPT_ENCODING="gzip")
    assert status.startswith("200") and headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(content))["results"]


def links(response) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]*)>; rel="([a-z]+)"', response["Link"])}


@pytest.mark.usefixtures("curated")
def test_numbered_pages_link_first_prev_next_and_last(anon):
    first = anon.get(f"{API}sources/", {"page_size": 2, "ordering": "title"})
    body = first.json()
    found = links(first)
    assert found["next"] == body["next"] and "prev" not in found
    last = anon.get(found["last"])
    assert last.status_code == 200 and last.json()["next"] is None
    assert set(links(last)) == {"first", "prev", "last"}
    assert anon.get(links(last)["first"]).json() == body
    assert "page=" not in links(last)["first"] and "page_size=2" in links(last)["first"]


@pytest.mark.usefixtures("curated")
@pytest.mark.parametrize("path", ["timeline/", "events/", "agreements/relos/timeline/"])
def test_cursor_pages_link_first_prev_and_next(anon, path):
    first = anon.get(f"{API}{path}", {"page_size": 1})
    second = anon.get(links(first)["next"])
    assert second.status_code == 200
    assert links(second)["prev"] == second.json()["previous"]
    assert anon.get(links(second)["first"]).json() == first.json()


@pytest.mark.usefixtures("curated")
def test_the_changes_feed_links_its_next_page(anon):
    response = anon.get(f"{API}changes/", {"page_size": 1})
    assert links(response) == {"next": response.json()["next"]}


@pytest.mark.usefixtures("curated")
def test_link_headers_keep_to_wsgi():
    status, headers, _ = call("GET", f"{API}timeline/", query="page_size=1")
    assert status.startswith("200") and 'rel="next"' in headers["Link"]


@pytest.mark.django_db
def test_an_error_has_no_link(anon):
    response = anon.get(f"{API}sources/", {"page": 9})
    assert problem(response)["code"] == "not_found" and "Link" not in response
