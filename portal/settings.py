"""Whistle settings: every knob is an environment variable, read here and nowhere else.

With no environment at all the portal runs on SQLite with an embedded Celery broker
(SQLAlchemy transport on a SQLite file), so `make run` needs no services.
`DATABASE_URL` and `CELERY_BROKER_URL` switch to PostgreSQL and Redis.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from portal.map_tiles import map_tile_origins

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# `make run` on this machine: plain http on 127.0.0.1, and a key generated once into
# var/secret_key (never committed) when DJANGO_SECRET_KEY is not given.
LOCAL_SERVE = env.bool("WHISTLE_LOCAL", default=False)
LOCAL_SECRET_KEY_FILE = VAR_DIR / "secret_key"
# Production refuses to start without a real key; development gets an obvious dummy.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY and LOCAL_SERVE and LOCAL_SECRET_KEY_FILE.is_file():
    SECRET_KEY = LOCAL_SECRET_KEY_FILE.read_text().strip()
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105 - debug only, never production
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for development; `make run` makes var/secret_key)."
    )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "rest_framework",
    "knox",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "portal",
    "complaints",
    "dispatch",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside WhiteNoise, so static files carry the same policy headers as pages.
    "csp.middleware.CSPMiddleware",
    "portal.headers.BrowserPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "portal.outage.DatabaseOutageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.middleware.RefuseForeignCharsetMiddleware",
    "portal.middleware.RefuseNulBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.ReplicaReadsMiddleware",
    "portal.limits.AbuseLimitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in after the view has run.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dispatch.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the worker and beat share one file: wait for locks, do not fail.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
# A streaming read replica of the primary: reports and exports read from it (portal/db_router.py).
# Unset, everything reads and writes `default`.
if DATABASE_REPLICA_URL := env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"].update(
        ATOMIC_REQUESTS=False, CONN_MAX_AGE=DATABASES["default"]["CONN_MAX_AGE"], TEST={"MIRROR": "default"}
    )
DATABASE_ROUTERS = ["portal.db_router.ReplicaRouter"]
# PgBouncer in transaction pooling hands each transaction any server connection, so
# a server-side cursor (a named cursor, as `.iterator()` opens) would be lost between
# them: set WHISTLE_PGBOUNCER=1 when DATABASE_URL points at one (and
# WHISTLE_REPLICA_PGBOUNCER=1 when DATABASE_REPLICA_URL does). docs/SCALING.md.
for _alias, _pooled in (("default", "WHISTLE_PGBOUNCER"), ("replica", "WHISTLE_REPLICA_PGBOUNCER")):
    if _alias in DATABASES and env.bool(_pooled, default=False):
        DATABASES[_alias]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"

# Sign-in lockout (django-axes): after WHISTLE_LOGIN_FAILURES wrong passwords for one
# username from one address, that pair waits WHISTLE_LOGIN_COOLOFF_MINUTES; a
# centre administrator can lift it sooner in the admin (Axes → access attempts).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.int("WHISTLE_LOGIN_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("WHISTLE_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.lockout.locked_out"
AXES_VERBOSE = False

# Limits on guessing and flooding (portal/limits.py), as django-ratelimit rates:
# "<count>/<period>", period s, m, h or d, optionally with a number ("10/5m").
# An empty value turns that limit off.
WHISTLE_LIMITS = {
    "track_per_ip": env.str("WHISTLE_LIMIT_TRACK_PER_IP", default="30/h"),
    "track_per_number": env.str("WHISTLE_LIMIT_TRACK_PER_NUMBER", default="10/h"),
    "file_per_ip": env.str("WHISTLE_LIMIT_FILE_PER_IP", default="30/h"),
    "file_per_phone": env.str("WHISTLE_LIMIT_FILE_PER_PHONE", default="10/d"),
}
# The counts live in the cache: set CACHE_URL (redis://…) so every web worker
# shares them; the default, per-process memory, suits one process and the tests.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Django's own, but one redis-py client per pool rather than one per call (portal/cache.py).
    CACHES["default"]["BACKEND"] = "portal.cache.ReusedClientRedisCache"
LOGIN_REDIRECT_URL = "dispatch:home"
LOGOUT_REDIRECT_URL = "complaints:home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Uploaded photos. Never served from MEDIA_URL: views that check who asks stream them.
# An S3-compatible store is a settings override of STORAGES["default"] (README, "Photos").
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="whistle@localhost")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# https only, except in debug and on the local plain-http serve.
HTTPS_ONLY = not (DEBUG or LOCAL_SERVE)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=HTTPS_ONLY)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=HTTPS_ONLY)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Browsers' preload lists take a site only with a year's max-age and subdomains;
# preload with less would be a promise the header does not keep.
HSTS_YEAR = 365 * 24 * 3600
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=HSTS_YEAR if HTTPS_ONLY else 0)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=HTTPS_ONLY)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY or SECURE_HSTS_PRELOAD
if SECURE_HSTS_PRELOAD and SECURE_HSTS_SECONDS < HSTS_YEAR:
    raise ImproperlyConfigured(
        f"DJANGO_HSTS_PRELOAD is on but DJANGO_HSTS_SECONDS is {SECURE_HSTS_SECONDS}: preload needs at least "
        f"{HSTS_YEAR} (a year). Raise it, or set DJANGO_HSTS_PRELOAD=0."
    )
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# --- The API ----------------------------------------------------------------------
# Browsers use their session (and its CSRF check); other systems a personal token
# (`Authorization: Token …`, django-rest-knox: stored hashed, revocable in the admin).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "open311": env.str("WHISTLE_OPEN311_RATE", default="120/minute"),
        "api_anon": env.str("WHISTLE_API_ANON_RATE", default="60/minute"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
REST_KNOX = {
    # Personal tokens for systems: no expiry by default; revoke one by deleting it.
    "TOKEN_TTL": None,
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Whistle API",
    "DESCRIPTION": "File, follow and work 12345 orders without the browser. Open311 GeoReport v2 is at /open311/v2/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Tags and operation ids come from the path after the version: `orders`, not `v1`.
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Swagger UI and ReDoc from drf-spectacular-sidecar's files: the docs work offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.schema.every_operation_may_refuse_bad_input",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `status` or a `kind`: name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "ComplaintStatusEnum": "complaints.models.ComplaintStatus",
        "EventKindEnum": "complaints.models.EventKind",
        "AssignmentStatusEnum": "dispatch.models.AssignmentStatus",
        "ExtensionStatusEnum": "dispatch.models.ExtensionStatus",
        "UnitKindEnum": "dispatch.models.UnitKind",
        "TriageReasonEnum": "dispatch.models.TriageReason",
        "ReturnReasonEnum": "dispatch.models.ReturnReason",
        "AlertKindEnum": "dispatch.models.AlertKind",
        "PhotoKindEnum": "complaints.models.PhotoKind",
    },
}
# Open311 GeoReport v2: when set, a request's `jurisdiction_id` must be this one.
WHISTLE_OPEN311_JURISDICTION = env.str("WHISTLE_OPEN311_JURISDICTION", default="")

# Words that mark a demand on any intake as an emergency: urgent, first in triage,
# and the resident is shown the 110/119/120 notice. Matched case-insensitively
# anywhere in the description and address (see complaints.emergency).
WHISTLE_EMERGENCY_WORDS = env.list(
    "WHISTLE_EMERGENCY_WORDS",
    default=[
        "火灾",
        "着火",
        "起火",
        "冒烟",
        "煤气泄漏",
        "燃气泄漏",
        "煤气味",
        "自杀",
        "轻生",
        "跳楼",
        "暴力",
        "打人",
        "持刀",
        "爆炸",
        "触电",
        "溺水",
        "被困",
        "fire",
        "gas leak",
        "suicide",
        "violence",
        "explosion",
    ],
)
# While the database cannot be reached, requests get a 503 asking to retry after this many seconds.
WHISTLE_OUTAGE_RETRY_AFTER = env.int("WHISTLE_OUTAGE_RETRY_AFTER_SECONDS", default=30)
# Request bodies larger than this are refused (Django's own default, named).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)

# --- Celery -------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=f"sqla+sqlite:///{VAR_DIR / 'broker.sqlite3'}")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Sending a task makes one quick attempt to reach the broker, not kombu's default
# of retries with pauses (about 6 s): intake sends routing after its commit, and a
# broker that is down must not hold the resident's request. What could not be sent
# waits in the routing backlog. Workers and beat reconnect by their own settings.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A broker host that does not answer at all (no refusal) gives up this soon.
    CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"] = env.float("CELERY_BROKER_CONNECT_TIMEOUT", default=0.5)
    # A message a worker took and never acknowledged (the worker died: acks_late) goes
    # back to the queue this many seconds after delivery; kombu's default is an hour.
    # Keep it above the longest task, or that task runs twice (harmless: tasks are
    # idempotent, but wasted). Workers then look for such messages every half of it.
    if visibility_timeout := env.int("CELERY_VISIBILITY_TIMEOUT", default=0):
        CELERY_BROKER_TRANSPORT_OPTIONS.update(
            visibility_timeout=visibility_timeout,
            unacked_restore_interval=max(1, visibility_timeout // 2),
            unacked_restore_throttle=1,
        )
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "send-routing-backlog": {
        "task": "dispatch.tasks.drain_routing_backlog",
        "schedule": timedelta(seconds=env.int("WHISTLE_ROUTING_BACKLOG_EVERY_SECONDS", default=5)),
    },
    "reroute-stale-submissions": {
        "task": "dispatch.tasks.sweep_unrouted",
        "schedule": timedelta(seconds=30),
    },
    "close-unrated": {
        "task": "complaints.tasks.sweep_unrated",
        "schedule": timedelta(minutes=10),
    },
    "deadline-alerts": {
        "task": "dispatch.tasks.sweep_deadlines",
        "schedule": timedelta(seconds=60),
    },
    "resident-notices": {
        "task": "complaints.tasks.sweep_resident_notices",
        "schedule": timedelta(minutes=5),
    },
    "report-rollup": {
        "task": "dispatch.reports.rollup.tasks.refresh_report_rollup",
        "schedule": timedelta(seconds=60),
    },
}

# --- Whistle ------------------------------------------------------------------------
# The routing worker routes up to this many waiting complaints in one transaction (at least 1).
WHISTLE_ROUTE_BATCH = max(1, env.int("WHISTLE_ROUTE_BATCH", default=100))
# A complaint still `submitted` and unrouted after this long is routed again by the sweep.
WHISTLE_REROUTE_AFTER = timedelta(seconds=env.int("WHISTLE_REROUTE_AFTER_SECONDS", default=60))
# Fixed deadlines of the core loop; the deadline-policy engine replaces them.
WHISTLE_CONTACT_WITHIN = timedelta(hours=env.int("WHISTLE_CONTACT_WITHIN_HOURS", default=24))
WHISTLE_RESOLVE_WITHIN = timedelta(days=env.int("WHISTLE_RESOLVE_WITHIN_DAYS", default=7))
# An assignment whose next due time is this close is marked "due soon" in queues.
WHISTLE_DUE_SOON = timedelta(hours=env.int("WHISTLE_DUE_SOON_HOURS", default=4))
# A resolved complaint the resident never rates closes itself after this long.
WHISTLE_RATING_WINDOW = timedelta(days=env.int("WHISTLE_RATING_WINDOW_DAYS", default=7))
# The 12345 centre's callbacks (回访): a resolved order the resident has not rated
# joins the callback queue this long after it was resolved; a callback nobody answers
# brings it back after WHISTLE_CALLBACK_RETRY_AFTER; after WHISTLE_CALLBACK_ATTEMPTS
# unanswered calls it closes as "resident unreachable" (counted in no rate). Keep the
# three inside the rating window, or the order closes unrated first.
WHISTLE_CALLBACK_DELAY = timedelta(hours=env.int("WHISTLE_CALLBACK_DELAY_HOURS", default=24))
WHISTLE_CALLBACK_RETRY_AFTER = timedelta(hours=env.int("WHISTLE_CALLBACK_RETRY_AFTER_HOURS", default=4))
WHISTLE_CALLBACK_ATTEMPTS = env.int("WHISTLE_CALLBACK_ATTEMPTS", default=3)
# A unit may return (退单) an order it cannot own only before signing for it and this soon after assignment.
WHISTLE_RETURN_WINDOW = timedelta(minutes=env.int("WHISTLE_RETURN_WINDOW_MINUTES", default=120))
# Where people reach the portal; e-mails link to it.
WHISTLE_SITE_URL = env.str("WHISTLE_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Text messages to residents: the dotted path of a gateway class (complaints.notices.sms);
# the default only logs each message, with the number masked.
WHISTLE_SMS_BACKEND = env.str("WHISTLE_SMS_BACKEND", default="complaints.notices.sms.LoggingBackend")
WHISTLE_PAGE_SIZE = env.int("WHISTLE_PAGE_SIZE", default=25)
# Photos: each upload at most this many bytes and pixels (a larger one, or a
# decompression bomb claiming more, is refused before it is decoded).
WHISTLE_PHOTO_MAX_BYTES = env.int("WHISTLE_PHOTO_MAX_BYTES", default=8 * 1024 * 1024)
WHISTLE_PHOTO_MAX_PIXELS = env.int("WHISTLE_PHOTO_MAX_PIXELS", default=40_000_000)
# The stored copy's longest side, and the thumbnail's.
WHISTLE_PHOTO_MAX_SIDE = env.int("WHISTLE_PHOTO_MAX_SIDE", default=2560)
WHISTLE_PHOTO_THUMB_SIDE = env.int("WHISTLE_PHOTO_THUMB_SIDE", default=320)
# The maps' background tiles ({z}/{x}/{y}), drawn under our own district outlines; empty = no
# tiles. Points and outlines are WGS-84, which OpenStreetMap's tiles match. Chinese providers'
# tiles (AMap, Tencent, Baidu) are in GCJ-02 and would sit some hundreds of metres off the pins.
WHISTLE_MAP_TILES = env.str("WHISTLE_MAP_TILES", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
WHISTLE_MAP_ATTRIBUTION = env.str("WHISTLE_MAP_ATTRIBUTION", default="© OpenStreetMap contributors")

# Content-Security-Policy (django-csp): scripts only from the portal's own static
# files, never inline; images also from the map's tile server; nothing may frame
# the portal. Styles allow inline: Leaflet and the self-contained error pages set
# them, and a style cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:", *map_tile_origins(WHISTLE_MAP_TILES)],
        "connect-src": [SELF],
        "font-src": [SELF, "data:"],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Rankings -----------------------------------------------------------------------
# The monthly rankings' weights (README "Reports and their formulas"). Official 12345
# formulas are not public, so they are explicit and configurable, ";"-separated:
#   WHISTLE_SATISFACTION_WEIGHTS="satisfied=1.0;basically=0.8"
#   WHISTLE_RANKING_WEIGHTS="response=0.2;resolution=0.4;satisfaction=0.4"
# A key left out keeps its default; a misspelt key or a negative weight stops the start.


def _weights(name: str, default: dict[str, float]) -> dict[str, float]:
    from django.core.exceptions import ImproperlyConfigured

    given = env.dict(name, cast={"value": float}, default={})
    unknown = set(given) - set(default)
    if unknown or any(value < 0 for value in given.values()):
        raise ImproperlyConfigured(f"{name}: use only {', '.join(default)}, each a weight of 0 or more.")
    return {**default, **given}


WHISTLE_SATISFACTION_WEIGHTS = _weights("WHISTLE_SATISFACTION_WEIGHTS", {"satisfied": 1.0, "basically": 0.8})
WHISTLE_RANKING_WEIGHTS = _weights("WHISTLE_RANKING_WEIGHTS", {"response": 0.2, "resolution": 0.4, "satisfaction": 0.4})
# The trends report refuses longer ranges: one row per day must stay readable and cheap.
WHISTLE_TRENDS_MAX_DAYS = env.int("WHISTLE_TRENDS_MAX_DAYS", default=366)
