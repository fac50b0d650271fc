"""Settings, read from the environment with safe development defaults.

DATABASE_URL          default sqlite:///var/zhengwu.sqlite3 (embedded); production uses postgres://…
SECRET_KEY            required when ZHENGWU_DEBUG is off
ZHENGWU_DEBUG         1 (default in development) / 0
ZHENGWU_ALLOWED_HOSTS comma-separated, default 127.0.0.1,localhost
ZHENGWU_REDIS_URL     redis://127.0.0.1:6379/0 enables the shared Redis cache; empty = per-process memory
ZHENGWU_VAR_DIR       where the SQLite file, uploads and exports live (default ./var)
ZHENGWU_CRYPTO_*      crypto backend and keys (ZHENGWU_BLIND_INDEX_KEY, ZHENGWU_SIGNING_KEY too); see .env.example
ZHENGWU_PRIVATE_FILES where case material files are kept (default $ZHENGWU_VAR_DIR/private); never served
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(os.environ.get("ZHENGWU_VAR_DIR", BASE_DIR / "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("ZHENGWU_DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY 未设置：生产模式必须通过环境变量提供 SECRET_KEY。")
    SECRET_KEY = "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"

ALLOWED_HOSTS = env_list("ZHENGWU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("ZHENGWU_CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_filters",
    "drf_spectacular",
    "zhengwu.common",
    "zhengwu.audit",
    "zhengwu.organization",
    "zhengwu.accounts",
    "zhengwu.workdays",
    "zhengwu.catalog",
    "zhengwu.cases",
    "zhengwu.guidance",
    "zhengwu.bundles",
    "zhengwu.metrics",
    "zhengwu.assessment",
    "zhengwu.reviews",
    "zhengwu.hotline",
    "zhengwu.budget",
    "zhengwu.queueing",
    "zhengwu.appointments",
    "zhengwu.hall_figures",
    "zhengwu.portal",
    "zhengwu.workbench",
    "zhengwu.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zhengwu.common.security_headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "zhengwu.accounts.middleware.SessionSecurityMiddleware",
    "zhengwu.audit.middleware.AuditMiddleware",
    "zhengwu.workbench.access.AdminConfinementMiddleware",  # 三员: each administrator on own screens
    "zhengwu.common.input_guard.NulCharacterGuardMiddleware",  # form posts with NUL → 400, not a DB error
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last (django-axes): turns a lockout into the 429 answer
]

ROOT_URLCONF = "zhengwu.config.urls"
WSGI_APPLICATION = "zhengwu.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
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

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhengwu.sqlite3'}"),
        conn_max_age=int(os.environ.get("ZHENGWU_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tuned for a multi-process server: WAL lets readers run beside the writer, the busy timeout
    # waits for the lock instead of failing, IMMEDIATE takes the write lock at BEGIN so two writers
    # never deadlock on a lock upgrade. See docs/adr/0002-sqlite-tuning.md.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;PRAGMA cache_size=-32000;"
        ),
    }
    DATABASES["default"].pop("CONN_HEALTH_CHECKS", None)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organization.User"

# Accounts (SECURITY.md §4-5, docs/adr/0010-accounts.md, zhengwu/accounts). Password profile: dengbao | asvs.
ZHENGWU_PASSWORD_PROFILE = os.environ.get("ZHENGWU_PASSWORD_PROFILE", "dengbao")
ZHENGWU_BREACHED_PASSWORDS_FILE = os.environ.get("ZHENGWU_BREACHED_PASSWORDS_FILE", "")  # one a line, .gz ok
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "zhengwu.accounts.validators.ProfilePasswordValidator"},
    {"NAME": "zhengwu.accounts.validators.PasswordHistoryValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out username before any password check
    # Citizens sign in with their mobile number, found by its blind index (their username is opaque).
    "zhengwu.accounts.identity.MobileNumberBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# django-axes: lockout keyed on the username alone, so rotating addresses does not help and one NAT'd office
# is not locked out together. 3-10 tries and 10-60 minutes are the documented range.
AXES_FAILURE_LIMIT = int(os.environ.get("ZHENGWU_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("ZHENGWU_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
# The lockout key of a typed mobile number is its blind index: both spellings of one number share one lock,
# and the axes tables never hold the plaintext number (zhengwu/accounts/identity.py).
AXES_USERNAME_CALLABLE = "zhengwu.accounts.identity.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "zhengwu.accounts.lockout.locked_out"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password"]
AXES_ENABLE_ADMIN = False  # lock records are not edited by hand; the audit log shows failures and locks
AXES_VERBOSE = False
# axes.W006 asks for "ip_address" in AXES_LOCKOUT_PARAMETERS: deliberately not (one NAT'd office would be locked
# out together); addresses are throttled separately below (ZHENGWU_LOGIN_IP_*, zhengwu/accounts/services.py).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# One client address failing over many usernames (credential stuffing): refused after this many failures
# in this many seconds, counted on the shared counter of zhengwu.common.ratelimit.
ZHENGWU_LOGIN_IP_FAILURES = int(os.environ.get("ZHENGWU_LOGIN_IP_FAILURES", "20"))
ZHENGWU_LOGIN_IP_WINDOW = int(os.environ.get("ZHENGWU_LOGIN_IP_WINDOW", "600"))
# MFA (TOTP, django-otp): "admins" (superusers and the three administrator roles) or "staff" (every staff account).
ZHENGWU_MFA_REQUIRED = os.environ.get("ZHENGWU_MFA_REQUIRED", "admins")
OTP_TOTP_ISSUER = "政务服务平台"
# Sessions: idle limits (minutes) and the absolute lifetime SESSION_COOKIE_AGE (12 h), counted from sign-in.
ZHENGWU_SESSION_IDLE_MINUTES = int(os.environ.get("ZHENGWU_SESSION_IDLE_MINUTES", "30"))
ZHENGWU_SESSION_IDLE_MINUTES_ADMIN = int(os.environ.get("ZHENGWU_SESSION_IDLE_MINUTES_ADMIN", "15"))
# API tokens (zhengwu.accounts.models.ApiToken): days until a new token expires.
ZHENGWU_API_TOKEN_DAYS = int(os.environ.get("ZHENGWU_API_TOKEN_DAYS", "30"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end libraries come from the npm registry (package.json) and are served from node_modules.
for _prefix, _sub in (("vendor/htmx", "htmx.org/dist"), ("vendor/echarts", "echarts/dist")):
    if (NODE_MODULES / _sub).is_dir():
        STATICFILES_DIRS.append((_prefix, NODE_MODULES / _sub))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "files"  # never served directly: downloads go through permission-checked views
# Case material blobs (zhengwu.common.filestore): outside STATIC_ROOT and MEDIA_ROOT, never served.
ZHENGWU_PRIVATE_FILES = Path(os.environ.get("ZHENGWU_PRIVATE_FILES") or VAR_DIR / "private").resolve()

REDIS_URL = os.environ.get("ZHENGWU_REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rate limits count in Redis when configured, else in the common_ratecounter table: never in CACHES
# (zhengwu/common/ratelimit.py). Idempotency keys of API create operations (zhengwu/common/idempotency.py).
ZHENGWU_SUBMIT_RATE_ACCOUNT = os.environ.get("ZHENGWU_SUBMIT_RATE_ACCOUNT", "10/min")
ZHENGWU_SUBMIT_RATE_IP = os.environ.get("ZHENGWU_SUBMIT_RATE_IP", "60/min")
ZHENGWU_IDEMPOTENCY_TTL = int(os.environ.get("ZHENGWU_IDEMPOTENCY_TTL", "86400"))  # seconds a key is kept
ZHENGWU_IDEMPOTENCY_WAIT = float(os.environ.get("ZHENGWU_IDEMPOTENCY_WAIT", "10"))  # a repeat waits this long
ZHENGWU_IDEMPOTENCY_STALE = int(os.environ.get("ZHENGWU_IDEMPOTENCY_STALE", "300"))  # abandoned claim after

LOGIN_URL = "workbench:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "workbench:login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("ZHENGWU_SESSION_AGE", str(12 * 3600)))  # absolute: zhengwu.accounts
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Hardening (docs/adr/0012-hardening-and-backup.md, docs/deployment.md). CSP and Cache-Control: no-store come
# from zhengwu.common.security_headers; ZHENGWU_CSP = {directive: [sources]} replaces its default policy.
# ZHENGWU_API_DOCS: public | staff | off — who may read /api/docs/ and /api/schema/.
ZHENGWU_API_DOCS = os.environ.get("ZHENGWU_API_DOCS", "public" if DEBUG else "staff")
# Behind a TLS-terminating reverse proxy: ZHENGWU_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https" (the proxy
# must overwrite that header on every request). Unset = trust no proxy header.
if os.environ.get("ZHENGWU_PROXY_SSL_HEADER"):
    _header, _, _value = os.environ["ZHENGWU_PROXY_SSL_HEADER"].partition(",")
    SECURE_PROXY_SSL_HEADER = (_header.strip(), _value.strip() or "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("ZHENGWU_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = max(int(os.environ.get("ZHENGWU_HSTS_SECONDS", "31536000")), 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # __Host- prefix: the browser keeps the cookie only if Secure, Path=/ and without Domain.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

REST_FRAMEWORK = {
    # Throttles key on REMOTE_ADDR unless a trusted proxy count is set: never on a client-sent X-Forwarded-For.
    "NUM_PROXIES": int(os.environ.get("ZHENGWU_NUM_PROXIES", "0")),
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "zhengwu.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "zhengwu.common.api.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "zhengwu.common.api.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "政务 Zhengwu API",
    "DESCRIPTION": "政务服务事项目录、组织机构与行政区划的 REST 接口。错误统一为 {code, message, fields}。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZHENGWU_LOG_LEVEL", "WARNING")},
}

# Cryptography (SECURITY.md §3, zhengwu/common/crypto.py). Keys come from the environment, never the database;
# they are parsed and checked at first use, and a missing one raises ImproperlyConfigured in production.
ZHENGWU_CRYPTO_BACKEND = os.environ.get("ZHENGWU_CRYPTO_BACKEND", "sm")  # sm | intl | dotted path (HSM)
ZHENGWU_CRYPTO_KEYS = os.environ.get("ZHENGWU_CRYPTO_KEYS", "")  # kid:hexkey,kid2:hexkey — first encrypts
ZHENGWU_BLIND_INDEX_KEY = os.environ.get("ZHENGWU_BLIND_INDEX_KEY", "")  # hex, >= 16 bytes
ZHENGWU_SIGNING_KEY = os.environ.get("ZHENGWU_SIGNING_KEY", "")  # SM2 hex / ECDSA PEM or hex
ZHENGWU_AUDIT_KEY = os.environ.get("ZHENGWU_AUDIT_KEY", "")  # hex, >= 16 bytes: HMAC key of the audit chain

# Audit log (docs/adr/0009-audit-log.md). Retention in days, default 365; 网络安全法 Art. 21 sets the floor of
# 180 days (six months), below which neither this setting nor the purge goes.
ZHENGWU_AUDIT_RETENTION_DAYS = max(int(os.environ.get("ZHENGWU_AUDIT_RETENTION_DAYS", "365")), 180)
# `flush` (and so TransactionTestCase) may wipe the audit table only in development and tests.
ZHENGWU_AUDIT_ALLOW_FLUSH = env_bool("ZHENGWU_AUDIT_ALLOW_FLUSH", DEBUG)
# Development keys derived from SECRET_KEY stand in for unset ones, only when ZHENGWU_DEBUG=1. Kept apart
# from DEBUG because the test runner switches DEBUG off.
ZHENGWU_CRYPTO_DEV_KEYS = DEBUG

# Domain settings
ZHENGWU_CALENDAR_WARN_DAYS = int(os.environ.get("ZHENGWU_CALENDAR_WARN_DAYS", "60"))
# 好差评 (DOMAIN §6): working days to rectify a bad review (some provinces use 5), and natural days after
# the SMS invitation before the one reminder to an applicant who has not rated yet.
ZHENGWU_RECTIFY_DAYS = int(os.environ.get("ZHENGWU_RECTIFY_DAYS", "15"))
ZHENGWU_REVIEW_REMINDER_DAYS = int(os.environ.get("ZHENGWU_REVIEW_REMINDER_DAYS", "3"))
# Appointments (预约, docs/adr/0007-appointments.md): N no-shows within D days block online booking for
# B days; an appointment not checked in becomes a no-show this many minutes after its slot ends.
ZHENGWU_APPOINTMENT_NO_SHOW_COUNT = int(os.environ.get("ZHENGWU_APPOINTMENT_NO_SHOW_COUNT", "3"))
ZHENGWU_APPOINTMENT_NO_SHOW_DAYS = int(os.environ.get("ZHENGWU_APPOINTMENT_NO_SHOW_DAYS", "30"))
ZHENGWU_APPOINTMENT_BLOCK_DAYS = int(os.environ.get("ZHENGWU_APPOINTMENT_BLOCK_DAYS", "30"))
ZHENGWU_APPOINTMENT_NO_SHOW_GRACE_MINUTES = int(
    os.environ.get("ZHENGWU_APPOINTMENT_NO_SHOW_GRACE_MINUTES", "30")
)
# Hall queue (取号叫号, docs/adr/0006-hall-queue.md): priority order (commas rank, "|" joins equal ranks),
# at most N priority calls in a row before a waiting normal ticket (0 = off), recalls before a skip is a
# no-show, and the service time (seconds) assumed until a group has enough finished tickets to average.
ZHENGWU_QUEUE_PRIORITY_ORDER = os.environ.get(
    "ZHENGWU_QUEUE_PRIORITY_ORDER", "appointment,elderly|disabled,normal"
)
ZHENGWU_QUEUE_MAX_STREAK = int(os.environ.get("ZHENGWU_QUEUE_MAX_STREAK", "3"))
ZHENGWU_QUEUE_MAX_RECALLS = int(os.environ.get("ZHENGWU_QUEUE_MAX_RECALLS", "2"))
ZHENGWU_QUEUE_DEFAULT_SERVICE_SECONDS = int(os.environ.get("ZHENGWU_QUEUE_DEFAULT_SERVICE_SECONDS", "600"))
