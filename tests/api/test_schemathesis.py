"""Property-based tests of every operation against the app's own OpenAPI schema.

Schemathesis generates requests (valid and invalid) for each operation, reads and writes, as
an editor, and checks that no answer is a server error and that every answer — status code,
content type and body — is one the schema documents. Its stateful tests then chain calls
along the schema's links (create a record, read it, change it with its ETag, delete it),
anonymously and as an editor. The seed and the number of examples are fixed, so a run is
repeatable and its length bounded.
"""

import hypothesis
import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client as WSGIClient

from indoru.wsgi import application
from tests.api.conftest import member_of

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20251204,
        "generation": {"max-examples": 12, "database": "none"},
        "phases": {
            "coverage": {"enabled": False},
            # Chains of valid calls; single calls are also sent invalid data.
            "stateful": {"generation": {"mode": "positive"}},
        },
        "suppress-health-check": [
            "too_slow",
            "filter_too_much",
            "data_too_large",
        ],
    }
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CHANGE_METHODS = {"PUT", "PATCH", "DELETE"}


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests through the WSGI app must not close the connection that holds the test's
    transaction (Django's own test client disconnects this handler in the same way)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def editor_token(curated) -> str:
    return Token.objects.create(user=member_of("Editors", "fuzzing-editor")).key


schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application, config=CONFIG)


def current_etag(case, token: str) -> str | None:
    """The ETag of the object a write targets, so that most writes pass the precondition.

    Read through the WSGI app, as Schemathesis calls it: Django's test client would reconnect
    the handler that ``keep_the_test_connection`` disconnected.
    """
    headers = {"Authorization": f"Token {token}", "Host": "localhost"}
    response = WSGIClient(application).get(case.formatted_path, headers=headers)
    return response.headers.get("ETag") if response.status_code == 200 else None


@schema.parametrize()
# The data a test writes is meant to persist from one example to the next.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_keeps_to_the_schema(case, editor_token):
    # Schemathesis asks for gzip but does not unpack it when it calls a WSGI app.
    headers = {"Authorization": f"Token {editor_token}", "Accept-Encoding": "identity"}
    if case.method.upper() in CHANGE_METHODS:
        tag = current_etag(case, editor_token)
        if tag and case.headers and case.headers.get("If-Match") is not None:
            headers["If-Match"] = tag
    case.call_and_validate(headers=headers, checks=CHECKS)


#: Scenarios per role, and calls per scenario: enough for the chains to reach a change of a
#: created record among the API's many write operations (about two minutes together).
STATEFUL = hypothesis.settings(
    max_examples=60,
    stateful_step_count=6,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
#: Longer chains, for an editor's second exploration (below).
LONGER_CHAINS = hypothesis.settings(STATEFUL, stateful_step_count=10)
#: The answers of a change of a created record, made with its ETag.
CHANGED = {("PATCH", 200), ("PUT", 200), ("DELETE", 204)}


@pytest.mark.parametrize("role", ["anonymous", "editor"])
def test_chains_of_calls_keep_to_the_schema(request, curated, role):
    """Calls chained by the schema's links, e.g. a create's 201 gives the ``id`` and ``ETag``
    that the next call's path and ``If-Match`` use."""
    token = request.getfixturevalue("editor_token") if role == "editor" else None
    # Schemathesis asks for gzip but does not unpack it when it calls a WSGI app.
    headers = {"Accept-Encoding": "identity"}
    if token:
        headers["Authorization"] = f"Token {token}"
    answers = set()

    class Machine(schema.as_state_machine()):
        """Each scenario starts from the curated data with fresh throttle counters, so that
        a scenario replayed while Hypothesis shrinks it meets the same state."""

        def setup(self):
            cache.clear()
            self.savepoint = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def after_call(self, response, case):
            answers.add((case.method.upper(), response.status_code))

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, headers=headers)

    Machine.run(settings=STATEFUL)
    if role == "editor" and not answers & CHANGED:
        # The scenarios follow from the seed, but not always the same calls succeed along them:
        # in some full runs of the suite (never alone, nor with the API's tests) the first
        # exploration reached no change. A second one then runs, with longer chains (run on
        # its own, it reaches a change).
        Machine.run(settings=LONGER_CHAINS)
    if role == "editor":
        # The chains went through: a record created, then changed or deleted with its ETag.
        assert ("POST", 201) in answers
        assert answers & CHANGED, sorted(answers)
    else:
        assert ("POST", 401) in answers and ("GET", 200) in answers
