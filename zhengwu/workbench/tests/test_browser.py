"""The window clerk's journey in Debian's Chromium (Playwright): intake, material checklist, acceptance,
then the case page with its clock chart. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhengwu.cases import services
from zhengwu.cases.models import Case
from zhengwu.cases.tests.factories import at, make_county
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common import clock

SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
PASSWORD = "Zw!test-pass-2026"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_a_clerk_receives_ticks_and_accepts_a_case_then_sees_its_clocks(live_server, desk):
    page = desk
    county = make_county()
    make_item(department=county.department, name="食品经营许可", code="430903-XK-101")
    make_item(department=county.department, name="公共场所卫生许可", code="430903-XK-102")

    with clock.frozen(at("2026-06-01")):
        page.goto(f"{live_server.url}/workbench/cases/intake/")
        page.fill("input[name=username]", county.clerk.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/workbench/cases/intake/")

        page.fill("#intake-q", "食品")  # htmx narrows the list as the clerk types
        from playwright.sync_api import expect

        # a locator wait: the CSP forbids wait_for_function's string evaluation
        expect(page.locator("#intake-items li")).to_have_count(1)
        page.click("#intake-items >> text=食品经营许可")
        page.check("input[name=kind][value=person]")
        page.fill("input[name=name]", "张三")
        page.fill("input[name=id_number]", "11010519491231002X")
        page.fill("input[name=phone]", "13812345678")
        page.click("button:has-text('收件并生成办件')")
        page.wait_for_url("**/workbench/cases/430903-*/#materials")
        case = Case.objects.get()
        assert "已收件" in page.locator("main").inner_text()
        assert "张*" in page.locator(".wb-case-head").inner_text()

        for material in case.materials.all():
            page.select_option(f"select[name=status_{material.pk}]", "received")
        page.click("button:has-text('保存核验结果')")
        page.wait_for_selector("text=材料核验结果已保存。")
        page.get_by_role("button", name="受理", exact=True).click()
        page.wait_for_selector("text=“受理”已完成。")
        assert "审查中" in page.locator(".wb-case-head h1").inner_text()
        assert page.url.endswith(f"/workbench/cases/{case.number}/#materials")  # swapped in place, no reload

    case.refresh_from_db()
    assert case.status == "in_review"
    with clock.frozen(at("2026-06-03")):
        services.case_pause(
            case=case,
            actor=county.approver,
            now=clock.now(),
            reason_code="expert_review",
            reason="组织专家评审",
            expected_days=10,
        )
    with clock.frozen(at("2026-06-10")):
        page.reload()
        page.wait_for_selector(".clock-chart svg")
        assert page.locator(".clock-chart svg path").count() >= 4
        assert "已暂停" in page.locator(".wb-case-head").inner_text()
        page.screenshot(path=str(SHOTS / "workbench-case.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(300)  # the chart follows the resize
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # wide tables scroll inside
        page.screenshot(path=str(SHOTS / "workbench-case-mobile.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})

        page.locator("#clocks tr", has_text="法定时限").get_by_role("link", name="计算说明").click()
        page.wait_for_selector("h1:has-text('计算说明')")
        assert "特别程序（不计时）：组织专家评审" in page.locator("table.explain").inner_text()
        page.screenshot(path=str(SHOTS / "workbench-clock-explain.png"), full_page=True)
        page.goto(f"{live_server.url}/workbench/cases/")
        assert case.number in page.locator(".case-table").inner_text()
        page.screenshot(path=str(SHOTS / "workbench-case-list.png"), full_page=True)
