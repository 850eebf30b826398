"""Gunicorn settings used by ``manage.py serve``; each can be changed from the environment.

Threaded workers (``gthread``): a worker keeps its own psycopg pool, and its threads share it
while they wait on the database. Access and error logs go to stderr, as JSON when
``LOG_FORMAT=json``, with the request id the app put on the response.
"""

import gc
import os

from gunicorn.glogging import Logger

from indoru.logging import JsonFormatter

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A worker takes a connection only when one of its threads is free, and closes it after the
# response: waiting connections stay in the kernel's queue, shared fairly by all workers,
# instead of piling up behind one busy worker (measured: p99 at 64 connections 5 s instead of
# over 10 s). The proxy in front keeps the clients' connections alive.
worker_connections = threads
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "0"))
# Room for bursts of new connections (64 clients at once) before the kernel refuses any.
backlog = int(os.environ.get("GUNICORN_BACKLOG", "2048"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
accesslog = "-" if os.environ.get("ACCESS_LOG", "1") != "0" else None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Gunicorn's control socket defaults to one path per user, which two servers on one host
# would share; it is not needed to run or stop the server.
control_socket_disable = True


def post_worker_init(worker):
    """Leave the objects a worker loaded at start out of its garbage collections.

    Django, DRF and the app's modules and settings (about 82,000 objects by then) live as
    long as the worker, yet every full collection walked them all again, with what the
    first requests load (about 110,000 objects in all): about 65 ms each, twice in 300
    requests for pages of 100 deliveries. Frozen, they are skipped: a page of 100
    deliveries under load took the server 13.6–15.9 ms of CPU, against 16.5–17.1 without
    (``bench/run.py`` reports this figure for each endpoint).
    """
    gc.freeze()


class StructuredLogger(Logger):
    """Gunicorn's logger, writing one JSON object a line when ``LOG_FORMAT=json``."""

    def setup(self, cfg):
        super().setup(cfg)
        if os.environ.get("LOG_FORMAT") == "json":
            for log in (self.error_log, self.access_log):
                for handler in log.handlers:
                    handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time):
        if not self.cfg.accesslog or os.environ.get("LOG_FORMAT") != "json":
            return super().access(resp, req, environ, request_time)
        headers = {name.lower(): value for name, value in resp.headers}
        self.access_log.info(
            "%s %s %s",
            req.method,
            req.path,
            resp.status_code,
            extra={
                "request_id": headers.get("x-request-id", "-"),
                "method": req.method,
                "path": req.path,
                "query": req.query,
                "status": resp.status_code,
                "bytes": getattr(resp, "sent", None),
                "duration_ms": round(request_time.total_seconds() * 1000, 1),
                "remote": environ.get("REMOTE_ADDR"),
                "user_agent": environ.get("HTTP_USER_AGENT"),
            },
        )


logger_class = StructuredLogger
