"""User journeys in Debian's Chromium driven by Playwright; screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhengwu.catalog.tests.factories import make_item
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import DepartmentFactory, RegionFactory, UserFactory

SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


@pytest.fixture
def catalogue():
    county = RegionFactory(code="430903000000", name="赫山区")
    market = DepartmentFactory(region=county, name="赫山区市场监督管理局")
    health = DepartmentFactory(region=county, name="赫山区卫生健康局")
    food = make_item(department=market, name="食品经营许可", code="430903-XK-001")
    make_item(
        department=health,
        name="公共场所卫生许可",
        code="430903-XK-002",
        elements={"online_depth": 4, "onsite_visits": 0, "onsite_reason": ""},
    )
    return {"county": county, "market": market, "food": food}


def test_a_citizen_filters_the_item_list_and_opens_a_printable_guide(live_server, page, catalogue):
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "政务服务事项"
    assert page.locator(".item-list li").count() == 2
    page.screenshot(path=str(SHOTS / "portal-item-list.png"), full_page=True)

    page.select_option("select[name=visits]", "zero")  # htmx swaps the results in place
    from playwright.sync_api import expect

    # a locator wait: the CSP forbids wait_for_function's string evaluation
    expect(page.locator(".item-list li")).to_have_count(1)
    assert "公共场所卫生许可" in page.locator(".item-list").inner_text()
    assert "visits=zero" in page.url

    page.select_option("select[name=visits]", "")
    expect(page.locator(".item-list li")).to_have_count(2)
    page.click("text=食品经营许可")
    page.wait_for_url(f"**/items/{catalogue['food'].implementation_code}/")
    assert page.locator("h1").inner_text() == "食品经营许可"
    body = page.locator("article").inner_text()
    for text in ("申请材料", "营业执照", "5个工作日", "咨询电话"):
        assert text in body
    page.screenshot(path=str(SHOTS / "portal-guide.png"), full_page=True)
    page.emulate_media(media="print")
    assert not page.locator("header.topbar").is_visible()


def test_a_department_head_logs_in_and_publishes_a_draft(live_server, page, catalogue):
    head = UserFactory(
        username="heshan_head",
        roles=[Role.DEPT_HEAD],
        scope=[catalogue["county"]],
        department=catalogue["market"],
    )
    draft = make_item(
        department=catalogue["market"], name="药品零售企业许可", code="430903-XK-003", publish=False
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/workbench/")
    page.fill("input[name=username]", head.username)
    page.fill("input[name=password]", "Zw!test-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/workbench/")
    assert "部门负责人" in page.locator("main").inner_text()
    page.click("header >> text=事项目录")
    page.click("text=药品零售企业许可")
    page.fill("input[name=approving_document]", "益审改〔2026〕12号")
    page.click("button:has-text('发布')")
    page.wait_for_selector("text=第1版已发布。")
    page.screenshot(path=str(SHOTS / "workbench-item.png"), full_page=True)
    draft.refresh_from_db()
    assert draft.current_version is not None
