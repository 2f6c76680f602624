"""Hadir settings. Everything comes from environment variables with safe defaults.

DATABASE_URL   default: SQLite file under ./var/ (postgresql://... in production)
REDIS_URL      unset: local-memory cache and eager tasks; set: Redis cache + Celery broker
HADIR_DEBUG    "1" only for the demo / development
SECRET_KEY     required when HADIR_DEBUG is off; the demo (HADIR_DEBUG=1) and the tests make one once in var/
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HADIR_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("HADIR_DEBUG", False)


def _secret_key() -> str:
    """SECRET_KEY from the environment. Without one, the demo (DEBUG) and the test run (pytest sets PYTEST_VERSION)
    make one once in var/secret_key and every process reuses it (sessions survive restarts and several workers);
    a server without DEBUG refuses to start."""
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    if not DEBUG and "PYTEST_VERSION" not in os.environ:
        raise ImproperlyConfigured(
            "SECRET_KEY wajib diisi bila HADIR_DEBUG mati (produksi): buat dengan "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` dan simpan di berkas lingkungan "
            "(docs/deploy.md). / SECRET_KEY is required when HADIR_DEBUG is off.")
    path = VAR_DIR / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

HADIR_INSTANSI = os.environ.get("HADIR_INSTANSI", "Pemerintah Kabupaten Contoh")
# The letterhead of generated documents (PDF letters): the agency line under the regency's name, the address line,
# and an optional logo (a PNG/JPEG path on the server).
HADIR_LETTERHEAD_AGENCY = os.environ.get("HADIR_LETTERHEAD_AGENCY",
                                         "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia")
HADIR_LETTERHEAD_ADDRESS = os.environ.get("HADIR_LETTERHEAD_ADDRESS", "Jl. Contoh No. 1, Kabupaten Contoh")
HADIR_LETTERHEAD_LOGO = os.environ.get("HADIR_LETTERHEAD_LOGO", "")
HADIR_LETTER_PLACE = os.environ.get("HADIR_LETTER_PLACE", "Kabupaten Contoh")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves Swagger UI (/api/docs) from its own static files, not a CDN: it works on an intranet
    "hadir.org",
    "hadir.schedules",
    "hadir.presence",
    "hadir.terminals",
    "hadir.approvals",
    "hadir.integrity",
    "hadir.leave",
    "hadir.discipline",
    "hadir.tpp",
    "hadir.reports",
    "hadir.audit",
    "hadir.notify",
    "hadir.web",
    "hadir.mobile",
    "hadir.demo",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hadir.middleware.HadirLocaleMiddleware",
    "hadir.middleware.RejectNulBytesMiddleware",  # \0 in any input: 400, never a 500 from PostgreSQL
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",  # a locked-out login answers 429 (hadir/org/throttle.py)
]

ROOT_URLCONF = "hadir.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "hadir" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",  # {{ csp_nonce }} for the few inline scripts
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hadir.context_processors.instansi",
            ],
        },
    },
]

WSGI_APPLICATION = "hadir.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'hadir.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL + a busy timeout let the demo server and task runner write side by side.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"].endswith("postgresql") and not env_bool("DB_PGBOUNCER", False):
    # Django's documented psycopg 3 options: parameters bound on the server, and psycopg prepares a statement
    # once it has run 5 times on a connection, so PostgreSQL stops planning it again — for the check-in's
    # context query planning cost several times running it (bench/checkin.py; docs/architecture.md).
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Password guessing (hadir/org/throttle.py): django-axes counts failed logins of the pages and of
# POST /api/auth/token per account and per address, and refuses the next ones for a while before hashing anything.
AUTHENTICATION_BACKENDS = ["hadir.org.throttle.LoginThrottleBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "hadir.org.throttle.LoginAttemptHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("HADIR_LOGIN_FAILURES_PER_ACCOUNT", "10"))
HADIR_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("HADIR_LOGIN_FAILURES_PER_ADDRESS", "50"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=float(os.environ.get("HADIR_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_CALLABLE = "hadir.org.throttle.lockout_response"
AXES_VERBOSE = False
# The client address is REMOTE_ADDR; behind nginx (HADIR_TRUST_PROXY) the address nginx appended to
# X-Forwarded-For. Never a header the client sets itself, or every guess would come from a new address.
if env_bool("HADIR_TRUST_PROXY", False):
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    AXES_IPWARE_PROXY_COUNT = 1
    NINJA_NUM_PROXIES = 1
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
    NINJA_NUM_PROXIES = 0
# API rates (django-ninja throttling, in the cache): POST /api/auth/token per address, authenticated calls per
# account ("" turns one off). The check-in and today endpoints are not rate-limited (docs/architecture.md §6).
HADIR_API_TOKEN_RATE = os.environ.get("HADIR_API_TOKEN_RATE", "30/m")
HADIR_API_USER_RATE = os.environ.get("HADIR_API_USER_RATE", "600/m")
# API tokens of the phone app: valid this many days after sign-in (0: until revoked); a password change revokes them.
HADIR_API_TOKEN_DAYS = float(os.environ.get("HADIR_API_TOKEN_DAYS", "30"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "hadir" / "locale"]
# The default display zone; each work location carries its own (WIB/WITA/WIT).
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start without it
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Private files are streamed by permission-checking views (hadir/files.py); behind nginx set this to its
# `internal` location (docs/deploy.md §6) and nginx sends the bytes (X-Accel-Redirect).
HADIR_MEDIA_ACCEL_PREFIX = os.environ.get("HADIR_MEDIA_ACCEL_PREFIX", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Short socket timeouts: a Redis that hangs or is away must not hold a request (the check-in path catches
    # the error and leaves the outbox to the periodic drain).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "django.contrib.sessions.backends.db")

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not (REDIS_URL or "CELERY_BROKER_URL" in os.environ))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "UTC"
# A worker (and beat) outlives a broker outage: it retries the connection forever, also at start-up, and tasks
# cut off by a lost connection are redelivered (every Hadir task is idempotent). Publishing from a request gives
# up after a short retry instead of holding it; what was not queued is caught up by the periodic jobs.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 10}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}
# discipline: daily absence digest to OPD heads and operators (delivered by notify), 03:30 UTC = 10:30 WIB
# (after apel/jam masuk).
CELERY_BEAT_SCHEDULE["discipline-daily-digest"] = {
    "task": "hadir.discipline.send_daily_digest",
    "schedule": crontab(
        hour=int(os.environ.get("HADIR_DIGEST_HOUR_UTC", "3")), minute=30, day_of_week="mon-sat"
    ),
}
# discipline: PP 94/2021 cases kept in step with the closed days (open at a threshold, warn one day before),
# 19:30 UTC = 02:30 WIB, after every zone's day close.
CELERY_BEAT_SCHEDULE["discipline-refresh-cases"] = {
    "task": "hadir.discipline.refresh_cases",
    "schedule": crontab(hour=19, minute=30),
}
# reports: scheduled recaps (docs/reports-schedule.md) — the previous week's every Monday, the previous month's on
# the 1st, to OPD heads (and Plt/Plh) and regency BKPSDM admins, inbox + e-mail with the Excel attached. Beat runs in
# UTC: 23:00 UTC is 06:00 WIB of the next day (the Monday / the 1st); the tasks check the local date themselves.
HADIR_RECAP_WEEKLY = env_bool("HADIR_RECAP_WEEKLY", True)
HADIR_RECAP_MONTHLY = env_bool("HADIR_RECAP_MONTHLY", True)
HADIR_RECAP_WEEKLY_TO = env_list("HADIR_RECAP_WEEKLY_TO", "heads")
HADIR_RECAP_MONTHLY_TO = env_list("HADIR_RECAP_MONTHLY_TO", "heads,bkpsdm")
_RECAP_HOUR_UTC = int(os.environ.get("HADIR_RECAP_HOUR_UTC", "23"))
CELERY_BEAT_SCHEDULE["reports-weekly-recap"] = {
    "task": "hadir.reports.send_weekly_recap",
    "schedule": crontab(hour=_RECAP_HOUR_UTC, minute=0, day_of_week="sun" if _RECAP_HOUR_UTC >= 17 else "mon"),
}
CELERY_BEAT_SCHEDULE["reports-monthly-recap"] = {
    "task": "hadir.reports.send_monthly_recap",
    "schedule": crontab(hour=_RECAP_HOUR_UTC, minute=0, day_of_month="28-31" if _RECAP_HOUR_UTC >= 17 else "1"),
}
# notify/web: enabled push channels (the in-app inbox is always on), the site address for links in
# e-mails, the dashboard map's tile server (the page works without tiles, e.g. on an offline LAN).
# Web Push to the PWA (hadir.notify.webpush): the VAPID key pair (base64url; docs/deploy.md) and a contact; with the
# keys set, "webpush" joins the default channels.
HADIR_VAPID_PUBLIC_KEY = os.environ.get("HADIR_VAPID_PUBLIC_KEY", "")
HADIR_VAPID_PRIVATE_KEY = os.environ.get("HADIR_VAPID_PRIVATE_KEY", "")
HADIR_VAPID_SUBJECT = os.environ.get("HADIR_VAPID_SUBJECT", "mailto:bkpsdm@localhost")
HADIR_NOTIFY_CHANNELS = env_list("HADIR_NOTIFY_CHANNELS",
                                 "email,webpush" if HADIR_VAPID_PUBLIC_KEY and HADIR_VAPID_PRIVATE_KEY else "email")
HADIR_BASE_URL = os.environ.get("HADIR_BASE_URL", "")
# (HADIR_TILE_URL, the mobile app's map setting, configures both when the dashboard's is not set.)
HADIR_MAP_TILE_URL = os.environ.get("HADIR_MAP_TILE_URL") or os.environ.get(
    "HADIR_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
HADIR_MAP_TILE_ATTRIBUTION = os.environ.get("HADIR_MAP_TILE_ATTRIBUTION", "© OpenStreetMap")
# approvals: pass overdue / orphaned approval items one level up, hourly.
CELERY_BEAT_SCHEDULE["approvals-escalate-overdue"] = {"task": "hadir.approvals.escalate_overdue", "schedule": 3600.0}
# presence: create today's "belum" rows and close finished days zone by zone (WIT first), every 15 minutes.
CELERY_BEAT_SCHEDULE["presence-close-days"] = {"task": "hadir.presence.close_days", "schedule": 900.0}
# terminals: hourly terminal-down days (yesterday, per zone; idempotent) + requeue/convert; offline alerts every 10 min.
CELERY_BEAT_SCHEDULE["terminals-hourly"] = {"task": "terminals.hourly", "schedule": 3600.0}
CELERY_BEAT_SCHEDULE["terminals-check-offline"] = {"task": "terminals.check_offline", "schedule": 600.0}
HADIR_TERMINAL_OFFLINE_MINUTES = int(os.environ.get("HADIR_TERMINAL_OFFLINE_MINUTES", "15"))
# terminals (ZKTeco ADMS push), all from the environment. A push counts only from an approved terminal that comes
# from its IP allow-list or shows its push key (hadir/terminals/README.md). Behind nginx the client address is
# the X-Forwarded-For entry the N trusted proxies appended (HADIR_TERMINAL_TRUSTED_PROXIES; HADIR_TRUST_PROXY
# or the older HADIR_TERMINAL_TRUST_PROXY mean one), never the first entry.
HADIR_TERMINAL_TRUSTED_PROXIES = int(os.environ.get(
    "HADIR_TERMINAL_TRUSTED_PROXIES",
    "1" if env_bool("HADIR_TERMINAL_TRUST_PROXY", False) or env_bool("HADIR_TRUST_PROXY", False) else "0"))
# discipline: employee kinds PP 94/2021 covers (levels, dismissal warnings); PPPK per the regency, TKK not.
HADIR_DISCIPLINE_KINDS = os.environ.get("HADIR_DISCIPLINE_KINDS", "pns,cpns")
HADIR_TERMINAL_REGISTER_NETWORKS = os.environ.get("HADIR_TERMINAL_REGISTER_NETWORKS", "")
HADIR_TERMINAL_REGISTER_PER_HOUR = int(os.environ.get("HADIR_TERMINAL_REGISTER_PER_HOUR", "5"))
HADIR_TERMINAL_PENDING_MAX = int(os.environ.get("HADIR_TERMINAL_PENDING_MAX", "50"))
HADIR_TERMINAL_PENDING_HELD_MAX = int(os.environ.get("HADIR_TERMINAL_PENDING_HELD_MAX", "20000"))
HADIR_TERMINAL_MAX_BODY_BYTES = int(os.environ.get("HADIR_TERMINAL_MAX_BODY_BYTES", str(1024 * 1024)))
HADIR_TERMINAL_MAX_LINES = int(os.environ.get("HADIR_TERMINAL_MAX_LINES", "5000"))
HADIR_TERMINAL_OPERLOG_KEEP = int(os.environ.get("HADIR_TERMINAL_OPERLOG_KEEP", "5000"))
HADIR_TERMINAL_SEEN_EVERY_SECONDS = int(os.environ.get("HADIR_TERMINAL_SEEN_EVERY_SECONDS", "60"))
HADIR_TERMINAL_COMMANDS_PER_POLL = int(os.environ.get("HADIR_TERMINAL_COMMANDS_PER_POLL", "20"))
HADIR_TERMINAL_NOON_SPLIT = os.environ.get("HADIR_TERMINAL_NOON_SPLIT", "12:00")
HADIR_DAY_CLOSE_GRACE_MINUTES = int(os.environ.get("HADIR_DAY_CLOSE_GRACE_MINUTES", "60"))
# approvals: which check-ins wait for the atasan when no ApprovalPolicy row exists (none|all|flagged|apel).
HADIR_APPROVAL_MODE = os.environ.get("HADIR_APPROVAL_MODE", "flagged")
HADIR_APPROVAL_ESCALATE_DAYS = int(os.environ.get("HADIR_APPROVAL_ESCALATE_DAYS", "3"))
# leave: document upload limit (bytes) and how many days after the start a request may still be filed.
HADIR_LEAVE_DOCUMENT_MAX_BYTES = int(os.environ.get("HADIR_LEAVE_DOCUMENT_MAX_BYTES", str(5 * 1024 * 1024)))
HADIR_LEAVE_BACKDATE_DAYS = int(os.environ.get("HADIR_LEAVE_BACKDATE_DAYS", "7"))
# leave: first year whose cuti tahunan usage Hadir recorded (earlier years carry nothing unless HR enters
# an opening balance); empty = the year of the earliest request on record.
HADIR_LEAVE_HISTORY_FROM_YEAR = os.environ.get("HADIR_LEAVE_HISTORY_FROM_YEAR", "")
# mobile (PWA at /m/): map tiles ({z}/{x}/{y}; the app works when they fail), GPS sampling time, and whether a
# check-in needs a bound device even before the employee's first login in the app.
HADIR_TILE_URL = os.environ.get("HADIR_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
HADIR_GEO_SAMPLE_MS = int(os.environ.get("HADIR_GEO_SAMPLE_MS", "4000"))
HADIR_DEVICE_BINDING_REQUIRED = env_bool("HADIR_DEVICE_BINDING_REQUIRED", False)

# Django 6.1 MAILERS (EMAIL_BACKEND & co. are deprecated). The environment keeps the familiar names.
_MAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
_MAIL_OPTIONS: dict[str, object] = {}
if _MAIL_BACKEND.endswith("smtp.EmailBackend"):
    _MAIL_OPTIONS = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": 20,
    }
MAILERS = {"default": {"BACKEND": _MAIL_BACKEND, "OPTIONS": _MAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "hadir@localhost")

# Privacy: how long location pings and selfies are kept (days).
HADIR_PHOTO_RETENTION_DAYS = int(os.environ.get("HADIR_PHOTO_RETENTION_DAYS", "90"))
HADIR_PING_RETENTION_DAYS = int(os.environ.get("HADIR_PING_RETENTION_DAYS", "30"))
CELERY_BEAT_SCHEDULE["presence-purge-personal-data"] = {"task": "hadir.presence.purge_personal_data",
                                                        "schedule": 86400.0}
# Check-in pipeline: offline captures older than this are refused.
HADIR_OFFLINE_MAX_AGE_DAYS = int(os.environ.get("HADIR_OFFLINE_MAX_AGE_DAYS", "7"))
# The outbox of stale daily statuses (hadir/presence/outbox.py): with a task queue a Celery task drains it this
# many seconds after a change (the morning rush shares a handful of drains); without one, every writer drains it
# right after its commit. The beat job catches up whatever a lost task left.
HADIR_STATUS_REFRESH_DELAY = float(os.environ.get("HADIR_STATUS_REFRESH_DELAY", "1"))
CELERY_BEAT_SCHEDULE["presence-drain-outbox"] = {"task": "hadir.presence.drain_outbox", "schedule": 60.0}
# Face match (docs/integrity.md): the distance above which a selfie is not the enrolled person; chosen with
# bench/face_threshold.py. A lost verification task is caught up every 5 minutes.
HADIR_FACE_MATCH_THRESHOLD = float(os.environ.get("HADIR_FACE_MATCH_THRESHOLD", "0.53"))
CELERY_BEAT_SCHEDULE["integrity-verify-missing"] = {"task": "hadir.integrity.verify_missing", "schedule": 300.0}

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)

# Security headers (docs/deploy.md §6). With TLS (SECURE_COOKIES=1) HTTPS is enforced: HSTS for a year and a
# redirect to https — except /iclock/, which ZKTeco terminals often reach over plain HTTP.
_https = not DEBUG and env_bool("SECURE_COOKIES", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if _https else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _https)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", _https)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _https)
SECURE_REDIRECT_EXEMPT = [r"^iclock/"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy for every page: scripts only from Hadir itself (the few inline ones carry the request's
# nonce), nothing framed, no plugins; images also from the map tile server. Styles allow inline style
# attributes (Leaflet, the charts' bar widths).
_tiles = urlsplit(os.environ.get("HADIR_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"))
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"] + ([f"{_tiles.scheme}://{_tiles.netloc}"] if _tiles.netloc else []),
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# A debug page (the demo) never shows a secret: settings and environment entries naming a key, password, token,
# database or URL (DATABASE_URL carries the password) are masked.
DEFAULT_EXCEPTION_REPORTER_FILTER = "hadir.errors.SecretHidingReporterFilter"
# Production behind nginx (docs/deploy.md): trust its X-Forwarded-Proto so HTTPS is recognised, and
# pgbouncer in transaction-pooling mode cannot keep the server-side cursors .iterator() uses.
if env_bool("HADIR_TRUST_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if env_bool("DB_PGBOUNCER", False):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"]["CONN_MAX_AGE"] = 0

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Recap exports made in the background (hadir.reports.exports): recaps of more employees than this run as a task
# with a progress bar; the files are deleted after HADIR_REPORT_EXPORT_DAYS days.
HADIR_REPORT_SYNC_MAX_EMPLOYEES = int(os.environ.get("HADIR_REPORT_SYNC_MAX_EMPLOYEES", "1500"))
HADIR_REPORT_EXPORT_DAYS = int(os.environ.get("HADIR_REPORT_EXPORT_DAYS", "7"))
CELERY_BEAT_SCHEDULE["reports-purge-exports"] = {"task": "hadir.reports.purge_exports",
                                                 "schedule": crontab(hour=20, minute=15)}

# Online check-ins of these kinds are refused without a selfie (comma-separated: masuk, pulang, apel_pagi,
# apel_sore). Offline check-ins send their selfie after the check-in (POST /api/presence/checkins/{uuid}/photo).
HADIR_SELFIE_REQUIRED_KINDS = os.environ.get("HADIR_SELFIE_REQUIRED_KINDS", "")

# Roll calls (hadir.integrity.rollcall, docs/integrity.md): created every 2 minutes for the units with a policy,
# within HADIR_ROLLCALL_WINDOW_HOURS of the day's start; their positions and selfies follow HADIR_PING_RETENTION_DAYS.
HADIR_ROLLCALL_WINDOW_HOURS = float(os.environ.get("HADIR_ROLLCALL_WINDOW_HOURS", "7"))
CELERY_BEAT_SCHEDULE["integrity-roll-calls"] = {"task": "hadir.integrity.roll_calls", "schedule": 120.0}
CELERY_BEAT_SCHEDULE["integrity-purge-roll-calls"] = {"task": "hadir.integrity.purge_roll_calls",
                                                      "schedule": crontab(hour=20, minute=40)}
