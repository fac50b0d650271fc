"""Row 1 of SECURITY.md §6: production settings pass `check --deploy` and every response carries the headers.

The production settings module is loaded in a subprocess with `ZHENGWU_DEBUG=0` and secrets in the
environment (settings are read once per process). The same subprocess reports the security settings it
ended up with; the header tests apply exactly those to this process and GET a sample of URLs over the
trusted proxy header, as a TLS-terminating nginx would send them.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from zhengwu.organization.tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[3]
SM2_ORDER = int("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123", 16)
REPORTED = [
    "DEBUG",
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_REFERRER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "ZHENGWU_API_DOCS",
    "ALLOWED_HOSTS",
]


def production_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHENGWU_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "zhengwu.config.settings",
            "ZHENGWU_DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ZHENGWU_ALLOWED_HOSTS": "zhengwu.example.gov.cn",
            "ZHENGWU_CSRF_TRUSTED_ORIGINS": "https://zhengwu.example.gov.cn",
            "ZHENGWU_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
            "ZHENGWU_CRYPTO_KEYS": f"k2026:{secrets.token_hex(16)}",
            "ZHENGWU_BLIND_INDEX_KEY": secrets.token_hex(32),
            "ZHENGWU_SIGNING_KEY": f"{secrets.randbelow(SM2_ORDER - 2) + 1:064x}",
            "ZHENGWU_VAR_DIR": str(tmp_path / "var"),
        }
    )
    return env


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """Run `check --deploy` under production settings once; return (its result, the settings it loaded)."""
    tmp = tmp_path_factory.mktemp("prod")
    env = production_env(tmp)
    check = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    dump = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, django; from django.conf import settings; django.setup(); "
            f"print(json.dumps({{k: getattr(settings, k, None) for k in {REPORTED!r}}}))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return check, json.loads(dump.stdout.strip().splitlines()[-1])


@pytest.fixture
def prod_settings(settings, production):
    _, values = production
    for name, value in values.items():
        if name == "DEBUG":
            continue
        setattr(settings, name, tuple(value) if name == "SECURE_PROXY_SSL_HEADER" else value)
    return settings


def test_production_settings_pass_check_deploy_with_no_warning(production):
    check, _ = production
    assert check.returncode == 0, check.stdout + check.stderr
    assert "no issues" in check.stdout


def test_production_settings_harden_cookies_hsts_and_the_proxy_header(production):
    _, values = production
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert values["SESSION_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["ZHENGWU_API_DOCS"] == "staff"


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY 未设置" in result.stderr


def _get(client, url: str):
    return client.get(url, HTTP_HOST="zhengwu.example.gov.cn", HTTP_X_FORWARDED_PROTO="https")


def _assert_hardened(response) -> None:
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


PUBLIC_SAMPLE = ["portal:item_list", "portal:login", "workbench:login", "bundles:list", "portal:progress"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_SAMPLE)
def test_public_pages_carry_csp_hsts_nosniff_and_referrer_policy(client, prod_settings, name):
    response = _get(client, reverse(name))
    assert response.status_code == 200
    _assert_hardened(response)


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client, prod_settings):
    response = client.get(reverse("portal:item_list"), HTTP_HOST="zhengwu.example.gov.cn")
    assert response.status_code == 301
    assert response["Location"].startswith("https://zhengwu.example.gov.cn/")


STAFF_SAMPLE = ["workbench:home", "workbench:case_list", "workbench:item_list", "workbench:dashboard"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF_SAMPLE)
def test_signed_in_pages_are_never_stored_by_caches(client, prod_settings, name):
    client.force_login(UserFactory(roles=["supervisor"]))
    response = _get(client, reverse(name))
    assert response.status_code == 200
    _assert_hardened(response)
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert "no-store" in directives  # alone, or with never_cache's max-age=0, no-cache, private


@pytest.mark.django_db
def test_login_sets_a_host_prefixed_secure_httponly_lax_session_cookie(client, prod_settings):
    user = UserFactory(roles=["window_clerk"])
    page = _get(client, reverse("workbench:login"))
    csrf = page.cookies["__Host-csrftoken"]
    assert csrf["secure"]
    response = client.post(
        reverse("workbench:login"),
        {"username": user.username, "password": "Zw!test-pass-2026", "csrfmiddlewaretoken": csrf.value},
        HTTP_HOST="zhengwu.example.gov.cn",
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert response.status_code == 302
    cookie = response.cookies["__Host-sessionid"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/" and not cookie["domain"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["api:docs", "api:schema"])
def test_api_docs_are_hidden_from_visitors_in_production(client, prod_settings, name):
    assert _get(client, reverse(name)).status_code == 404


@pytest.mark.django_db
def test_api_docs_open_for_signed_in_staff_in_production(client, prod_settings):
    client.force_login(UserFactory(roles=["window_clerk"]))
    response = _get(client, reverse("api:docs"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_api_docs_can_be_switched_off_even_for_staff(client, prod_settings):
    prod_settings.ZHENGWU_API_DOCS = "off"
    client.force_login(UserFactory(roles=["window_clerk"]))
    assert _get(client, reverse("api:docs")).status_code == 404


def test_no_template_carries_inline_script_or_event_handler():
    """CSP forbids inline script: handlers live in static files (zhengwu/static/zhengwu/*.js)."""
    import re

    templates = list((ROOT / "zhengwu").glob("**/templates/**/*.html"))
    assert templates
    offenders = []
    handler = re.compile(r"\son[a-z]+\s*=|hx-on|javascript:|<script(?![^>]*\bsrc=)", re.IGNORECASE)
    style = re.compile(r"\sstyle\s*=|<style", re.IGNORECASE)
    for path in templates:
        text = path.read_text(encoding="utf-8")
        if handler.search(text) or style.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
