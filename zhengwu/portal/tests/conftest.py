"""Browser fixtures shared by the portal's journeys (Playwright driving Debian's Chromium)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"


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


@pytest.fixture
def page(browser):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=1
    )
    page = context.new_page()
    yield page
    context.close()
