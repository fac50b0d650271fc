"""Shared fixtures. Time is injected, the network is off, files go to a temporary folder.

Browser tests (marked `browser`) get Debian's Chromium through Playwright: `browser` (one per module),
`phone` (390 × 844, also as `page`) and `desk` (1280 × 900) pages in zh-CN, and `reference_data`, which
seeds again the data-migration rows a live-server test's flush removes. Screenshots go to
test-artifacts/screenshots/ (`SHOTS`).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parent / "test-artifacts" / "screenshots"


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ZHENGWU_PRIVATE_FILES = tmp_path / "private"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 costs ~0.3 s a hash by design; tests don't need that protection."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api_client():
    from zhengwu.common.tests.clients import KeyedAPIClient  # POSTs carry a fresh Idempotency-Key

    return KeyedAPIClient()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The in-process cache holds built calendars: every test starts empty. (Rate-limit counters live in
    Redis or the database — common.ratelimit — and are cleared with the test database.)"""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reference_data():
    """live_server tests flush the database after each test, data-migration rows included: seed again."""
    from importlib import import_module

    from django.apps import apps

    from zhengwu.catalog.models import ItemType
    from zhengwu.workdays.models import CalendarYear

    seeds = {
        "zhengwu.catalog.migrations.0003_seed_item_types": ItemType,
        "zhengwu.workdays.migrations.0002_seed_official_calendar": CalendarYear,
    }
    for module, model in seeds.items():
        if not model.objects.exists():
            import_module(module).seed(apps, None)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI 需要 Debian 的 Chromium（apt-get install chromium fonts-wqy-microhei）")
        pytest.skip("本机未安装 /usr/bin/chromium")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def _page(browser, width: int, height: int):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": width, "height": height}, device_scale_factor=1
    )
    page = context.new_page()
    # The Content-Security-Policy (zhengwu/common/security_headers.py) must block nothing the pages need.
    page.csp_violations = []
    page.on(
        "console",
        lambda msg: page.csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return context, page


def _close(context, page) -> None:
    violations = list(page.csp_violations)
    context.close()
    assert violations == [], f"CSP violations in the browser console: {violations}"


@pytest.fixture
def phone(browser):
    context, page = _page(browser, 390, 844)
    yield page
    _close(context, page)


@pytest.fixture
def page(phone):
    return phone


@pytest.fixture
def desk(browser):
    context, page = _page(browser, 1280, 900)
    yield page
    _close(context, page)
