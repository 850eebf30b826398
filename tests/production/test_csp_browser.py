"""The admin and the API docs work in a real browser under the Content Security Policy."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize(
    ("path", "ready"),
    [
        ("/admin/login/", "#id_username"),
        # Swagger UI fetches the schema and renders its title only if all its scripts ran.
        ("/api/v1/docs/", ".swagger-ui .info .title"),
    ],
)
def test_page_renders_without_policy_violations(chromium, live_server, path, ready):
    page = chromium.new_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    response = page.goto(f"{live_server.url}{path}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(ready, timeout=20_000)
    assert violations == []
