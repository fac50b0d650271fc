"""预算绩效 in Debian's Chromium (Playwright): a department head creates a project, adds indicators (one
bound to 受理率), records spending below the plan, runs monitoring on 31 July and sees the red warning,
self-evaluates and submits; a supervisor approves; the head's Excel opens with the seed layout.
Screenshots go to test-artifacts/screenshots/budget-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from zhengwu.budget.models import EvaluationStatus, Indicator, Project
from zhengwu.cases.tests.factories import accepted_case, at, make_county
from zhengwu.common import clock

SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
PASSWORD = "Zw!test-pass-2026"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def sign_in(page, base: str, user, path: str) -> None:
    page.goto(f"{base}/workbench/login/?next={path}")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{path}")


def add_indicator(page, level2: str, name: str, target: str, metric: str = "") -> None:
    form = page.locator("#indicator-form")
    form.locator("input[name=level1]").fill("产出指标")
    form.locator("input[name=level2]").fill(level2)
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=target]").fill(target)
    if metric:
        form.locator("select[name=metric_code]").select_option(metric)
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f".target-table td:text-is('{name}')")


def test_a_head_plans_records_monitors_and_self_evaluates_a_project(live_server, desk, tmp_path):
    page, base = desk, live_server.url
    with clock.frozen(at("2026-07-31")):
        county = make_county()
        accepted_case(county, day="2026-03-02")
        sign_in(page, base, county.head, "/workbench/budget/")

        form = page.locator("#new-project")
        form.locator("input[name=code]").fill("13020522P00B8J810002R")
        form.locator("input[name=name]").fill("平台运维费用本级")
        form.locator("input[name=fiscal_funds]").fill("368800")
        form.locator("textarea[name=purpose]").fill("政务服务平台运维")
        form.locator("textarea[name=goal]").fill("保障平台全年稳定运行")
        form.locator("button[type=submit]").click()
        page.wait_for_url("**/workbench/budget/*/")
        project = Project.objects.get(code="13020522P00B8J810002R")
        assert page.locator(".plan-table tbody tr").count() == 4

        add_indicator(page, "数量指标", "审批业务受理率（%）", "≥95%", "acceptance_rate")
        add_indicator(page, "时效指标", "办公自动化覆盖率（%）", "≥90%")
        assert "受理率（部门）" in page.locator(".target-table").inner_text()

        spending = page.locator("#spending-form")
        spending.locator("input[name=date]").fill("2026-05-10")
        spending.locator("input[name=amount]").fill("50000")
        spending.locator("input[name=voucher]").fill("记-05-001")
        spending.locator("button[type=submit]").click()
        page.wait_for_selector(".spending-table td:text-is('记-05-001')")

        monitor = page.locator("#monitoring-form")
        monitor.locator("input[name=date]").fill("2026-07-31")
        monitor.locator("textarea[name=cause]").fill("运维合同签订推迟")
        monitor.locator("textarea[name=measures]").fill("8月完成合同签订并支付首期款")
        monitor.locator("button[type=submit]").click()
        page.wait_for_selector("#monitoring-result")
        assert page.locator(".spending-alert").inner_text().strip() == "红色预警"
        actuals = page.locator(".actual-table").inner_text()
        assert "100" in actuals and "平台计算" in actuals
        page.locator("#monitoring").screenshot(path=str(SHOTS / "budget-monitoring.png"))

        office = Indicator.objects.get(project=project, name="办公自动化覆盖率（%）")
        evaluation = page.locator("#evaluation-form")
        evaluation.locator(f"input[name=actual_{office.pk}]").fill("92")
        evaluation.locator(f"input[name=evidence_{office.pk}]").fill("系统覆盖统计表")
        evaluation.locator("textarea[name=explanation]").fill("运维合同签订推迟，下半年集中支付")
        evaluation.locator("button:has-text('保存并评分')").click()
        page.wait_for_selector(".evaluation-total")
        page.click("button:has-text('提交自评')")
        page.wait_for_selector(".evaluation-status:text-is('已提交')")
        page.screenshot(path=str(SHOTS / "budget-project.png"), full_page=True)

        page.click("form.inline-form button")
        page.wait_for_url("**/workbench/login/**")
        sign_in(page, base, county.supervisor, f"/workbench/budget/{project.pk}/")
        page.locator("#review-form textarea[name=note]").fill("同意")
        page.click("#review-form button:has-text('审核通过')")
        page.wait_for_selector(".evaluation-status:text-is('已审核')")
        project.self_evaluation.refresh_from_db()
        assert project.self_evaluation.status == EvaluationStatus.FINAL
        page.locator("#evaluation").screenshot(path=str(SHOTS / "budget-evaluation.png"))

        with page.expect_download() as download_info:
            page.click("a:has-text('下载绩效目标表')")
        target = tmp_path / "budget.xlsx"
        download_info.value.save_as(target)
        book = load_workbook(target)
        sheet = book["绩效目标表"]
        assert sheet["A1"].value == "平台运维费用本级绩效目标表"
        assert (sheet["A3"].value, sheet["B3"].value) == ("项目编码", "13020522P00B8J810002R")
        header = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "一级指标")
        assert header[:6] == ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")

        page.click("a:has-text('打印')")
        page.wait_for_url("**/print/")
        page.emulate_media(media="print")
        assert page.locator(".no-print").first.is_hidden()
        page.screenshot(path=str(SHOTS / "budget-print.png"), full_page=True)
