"""Security settings at work: headers, deploy checks, throttling, lockout, token revocation."""

import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tracker.models import Source

pytestmark = pytest.mark.django_db

PAGES = ["/admin/login/", "/api/v1/sources/", "/api/v1/docs/"]


def directives(header: str) -> dict[str, str]:
    return dict(directive.strip().split(" ", 1) for directive in header.split(";"))


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_the_security_headers(client, settings, path):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(path, secure=True)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_no_hsts_unless_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 0
    assert "Strict-Transport-Security" not in client.get("/admin/login/", secure=True)


def test_the_docs_page_runs_only_same_origin_scripts(client):
    """Under ``script-src 'self'`` an inline script would not run: Swagger UI's start-up code
    must come from a URL of the site, as must its bundles."""
    html = client.get("/api/v1/docs/").content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts, "the page loads Swagger UI"
    for attributes in scripts:
        source = re.search(r'src="([^"]+)"', attributes)
        assert source, "an inline script would be blocked by the policy"
        assert source.group(1).startswith("/"), f"{source.group(1)} is not same-origin"
    for stylesheet in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html):
        assert stylesheet.startswith("/")


def test_the_request_id_of_the_caller_is_kept(client):
    response = client.get("/livez", headers={"X-Request-ID": "lb-1234"})
    assert response["X-Request-ID"] == "lb-1234"
    forged = client.get("/livez", headers={"X-Request-ID": 'x" injected'})
    assert forged["X-Request-ID"] != 'x" injected'


def test_check_deploy_is_clean_in_production_settings():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "indoru.example.org",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def manage_check(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_production_refuses_to_throttle_without_a_shared_store():
    """Each gunicorn worker would count on its own: the limit would be one per worker."""
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "REDIS_URL": ""}
    refused = manage_check(env)
    assert refused.returncode != 0
    assert "REDIS_URL must be set" in refused.stderr
    unthrottled = manage_check({**env, "API_THROTTLE_ANON": "", "API_THROTTLE_USER": ""})
    assert unthrottled.returncode == 0, unthrottled.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage_check({**os.environ, "DEBUG": "0", "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def rate_limit(scope: str) -> int:
    return int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope].split("/")[0])


def test_anonymous_clients_get_429_after_the_configured_rate():
    client = APIClient()
    for _ in range(rate_limit("anon")):
        assert client.get("/api/v1/").status_code == 200
    refused = client.get("/api/v1/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="a-long-editor-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_authenticated_clients_have_their_own_rate(editor, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    client = APIClient()
    client.force_authenticate(editor)
    assert [client.get("/api/v1/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert int(client.get("/api/v1/")["Retry-After"]) > 0
    # Anonymous clients are counted apart.
    assert APIClient().get("/api/v1/").status_code == 200


def login(client, username: str, password: str):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def test_admin_login_locks_out_after_repeated_failures(client, editor, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        failed = login(client, "editor", "wrong")
        assert failed.status_code == 200 and b"correct username and password" in failed.content
    assert login(client, "editor", "wrong").status_code == 429  # the third failure locks
    locked = login(client, "editor", "a-long-editor-password")
    assert locked.status_code == 429, "even the right password is refused while locked out"
    assert b"locked" in locked.content.lower()
    # Another account from the same address is not affected, and a reset lifts the lockout.
    User.objects.create_user("other", password="another-long-password", is_staff=True)
    assert login(client, "other", "another-long-password").status_code == 302
    call_command("axes_reset_username", "editor")
    assert login(client, "editor", "a-long-editor-password").status_code == 302


def test_editors_create_and_revoke_tokens_and_a_revoked_token_is_refused(client, editor):
    client.force_login(editor)
    created = client.post("/admin/authtoken/tokenproxy/add/", {"user": editor.pk})
    assert created.status_code == 302, created.content
    token = Token.objects.get(user=editor).key
    api = APIClient(headers={"Authorization": f"Token {token}"})
    assert (
        api.post("/api/v1/sources/", {"slug": "s1", "title": "T"}, format="json").status_code == 201
    )

    revoked = client.post(f"/admin/authtoken/tokenproxy/{editor.pk}/delete/", {"post": "yes"})
    assert revoked.status_code == 302
    assert not Token.objects.filter(key=token).exists()
    refused = api.post("/api/v1/sources/", {"slug": "s2", "title": "T"}, format="json")
    assert refused.status_code == 401
    assert api.get("/api/v1/sources/").status_code == 401
    assert not Source.objects.filter(slug="s2").exists()


def test_editors_cannot_issue_or_see_tokens_of_other_users(client, editor):
    """A token acts as its user: an editor must not be able to write under another name."""
    other = User.objects.create_user("other", is_staff=True)
    other_token = Token.objects.create(user=other)
    client.force_login(editor)

    refused = client.post("/admin/authtoken/tokenproxy/add/", {"user": other.pk})

    assert refused.status_code == 200  # the form comes back with an error
    assert "user" in refused.context["adminform"].form.errors
    assert list(Token.objects.filter(user=other)) == [other_token]
    listing = client.get("/admin/authtoken/tokenproxy/")
    assert other_token.key not in listing.content.decode()


def ask_token(api: APIClient, username: str, password: str):
    return api.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )


def test_a_locked_out_user_gets_429_and_no_api_token_either(client, editor, settings):
    """The token endpoint locks out as the admin does, and says so: 429 with Retry-After."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = 0.5  # hours
    api = APIClient()
    for _ in range(2):
        failed = ask_token(api, "editor", "wrong")
        assert failed.status_code == 400 and "token" not in failed.json()
    assert ask_token(api, "editor", "wrong").status_code == 429  # the third failure locks

    refused = ask_token(api, "editor", "a-long-editor-password")

    assert refused.status_code == 429, "even the right password is refused while locked out"
    assert refused["Content-Type"] == "application/problem+json"
    assert int(refused["Retry-After"]) == 30 * 60
    assert "token" not in refused.json() and "locked" in refused.json()["detail"].lower()
    assert login(client, "editor", "a-long-editor-password").status_code == 429
    # Another account from the same address is not affected; a reset lifts the lockout.
    User.objects.create_user("other", password="another-long-password")
    assert ask_token(api, "other", "another-long-password").status_code == 200
    call_command("axes_reset_username", "editor")
    assert "token" in ask_token(api, "editor", "a-long-editor-password").json()


def test_lockout_and_throttling_see_the_same_client_behind_the_proxy(editor, settings):
    """Forged first hops neither escape the lockout nor the throttle: both take the hop the
    trusted proxy appended (indoru.middleware.client_ip)."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXIES = 1
    rates = {"anon": "2/minute", "user": None}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    hops = [f"198.51.100.{i}, 203.0.113.7" for i in range(4)]

    tries = [
        ask_token(APIClient(headers={"X-Forwarded-For": hop}), "editor", "wrong").status_code
        for hop in hops[:3]
    ]
    reads = [
        APIClient(headers={"X-Forwarded-For": hop}).get("/api/v1/").status_code for hop in hops
    ]

    assert tries == [400, 400, 429]
    assert reads == [200, 200, 429, 429]
