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
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "zhengwu.common",
    "zhengwu.organization",
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
    "zhengwu.portal",
    "zhengwu.workbench",
    "zhengwu.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;PRAGMA cache_size=-32000;"
        ),
    }
    DATABASES["default"].pop("CONN_HEALTH_CHECKS", None)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organization.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

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

LOGIN_URL = "workbench:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "workbench:login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("ZHENGWU_SESSION_AGE", str(8 * 3600)))
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("ZHENGWU_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("ZHENGWU_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

REST_FRAMEWORK = {
    # Throttles key on REMOTE_ADDR unless a trusted proxy count is set: never on a client-sent X-Forwarded-For.
    "NUM_PROXIES": int(os.environ.get("ZHENGWU_NUM_PROXIES", "0")),
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
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
# Development keys derived from SECRET_KEY stand in for unset ones, only when ZHENGWU_DEBUG=1. Kept apart
# from DEBUG because the test runner switches DEBUG off.
ZHENGWU_CRYPTO_DEV_KEYS = DEBUG

# Domain settings
ZHENGWU_CALENDAR_WARN_DAYS = int(os.environ.get("ZHENGWU_CALENDAR_WARN_DAYS", "60"))
# 好差评 (DOMAIN §6): working days to rectify a bad review (some provinces use 5), and natural days after
# the SMS invitation before the one reminder to an applicant who has not rated yet.
ZHENGWU_RECTIFY_DAYS = int(os.environ.get("ZHENGWU_RECTIFY_DAYS", "15"))
ZHENGWU_REVIEW_REMINDER_DAYS = int(os.environ.get("ZHENGWU_REVIEW_REMINDER_DAYS", "3"))
