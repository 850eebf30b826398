"""JSON logs with request ids, and the health endpoints."""

import datetime as dt
import json
import logging
import runpy
import sys
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import OperationalError, connections
from gunicorn.config import Config

from indoru.logging import JsonFormatter, RequestIdFilter, request_id


def formatted(record: logging.LogRecord) -> dict:
    RequestIdFilter().filter(record)
    return json.loads(JsonFormatter().format(record))


def test_a_log_line_is_json_with_the_request_id_and_extras():
    token = request_id.set("req-42")
    try:
        record = logging.makeLogRecord(
            {"name": "tracker", "levelname": "WARNING", "msg": "slow %s", "args": ("query",)}
        )
        record.duration_ms = 812
        entry = formatted(record)
    finally:
        request_id.reset(token)
    assert entry["message"] == "slow query"
    assert entry["level"] == "WARNING" and entry["logger"] == "tracker"
    assert entry["request_id"] == "req-42"
    assert entry["duration_ms"] == 812
    assert entry["time"].endswith("+00:00")


def test_exceptions_are_kept_in_the_line():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "failed", (), exc_info=sys.exc_info()
        )
    assert "ValueError: boom" in formatted(record)["exception"]


def test_records_logged_during_a_request_carry_its_id(client, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    response = client.post("/livez")
    assert response.status_code == 405
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.request_id == response["X-Request-ID"]


@pytest.mark.django_db
def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["databases"]["default"]["ok"] is True
    assert response.json()["databases"]["default"]["in_recovery"] is False
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_a_database_fails(client, monkeypatch):
    def fail():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", fail)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "databases": {"default": {"ok": False, "error": "OperationalError"}},
    }


def test_livez_does_not_touch_the_database(client):
    # No django_db mark: any query would fail the test.
    assert client.get("/livez").json() == {"status": "ok"}


def test_gunicorn_access_lines_are_json_with_the_request_id(monkeypatch, capsys):
    monkeypatch.setenv("LOG_FORMAT", "json")
    config = runpy.run_path(str(settings.BASE_DIR / "indoru" / "gunicorn.conf.py"))
    gunicorn_config = Config()
    gunicorn_config.set("accesslog", "-")
    logger = config["StructuredLogger"](gunicorn_config)
    response = SimpleNamespace(headers=[("X-Request-ID", "abc123")], status_code=201, sent=17)
    request = SimpleNamespace(method="POST", path="/api/v1/sources/", query="")
    logger.access(response, request, {"REMOTE_ADDR": "10.0.0.7"}, dt.timedelta(milliseconds=12))
    entry = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert entry["request_id"] == "abc123"
    assert (entry["method"], entry["path"], entry["status"]) == ("POST", "/api/v1/sources/", 201)
    assert entry["duration_ms"] == 12.0 and entry["remote"] == "10.0.0.7"
