"""效能监督 and 考核 in Debian's Chromium (Playwright), the journey of issue 6: the city supervisor opens the
dashboard, sees the ranking chart, drills from a county's overdue count to the overdue case, downloads the
table as Excel, then runs the 益阳 2020 assessment over the same data and downloads the 考核计分表.
Screenshots: test-artifacts/screenshots/dashboard.png, dashboard-drill.png, dashboard-assessment.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from zhengwu.cases import services
from zhengwu.cases.tests.factories import accepted_case, at, make_county
from zhengwu.common import clock
from zhengwu.organization.choices import RegionLevel, Role
from zhengwu.organization.models import Region
from zhengwu.organization.tests.factories import UserFactory

SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
PASSWORD = "Zw!test-pass-2026"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_the_supervisor_drills_from_an_overdue_count_to_the_case_then_runs_the_assessment_and_downloads_both(
    live_server, desk, tmp_path
):
    city = Region.objects.create(code="430900000000", name="益阳市", level=RegionLevel.CITY)
    heshan, nanxian = make_county("430903000000", "赫山区"), make_county("430921000000", "南县")
    for county in (heshan, nanxian):
        county.region.parent = city
        county.region.save()
    late = accepted_case(heshan, day="2026-06-01")
    accepted_case(nanxian, day="2026-06-01")
    services.cases_sweep(now=at("2026-07-20", 1))  # long past the limits: R1 for both
    services.case_grant(
        case=services.case_step_pass(case=late, actor=heshan.approver, now=at("2026-07-20")),
        actor=heshan.approver,
        now=at("2026-07-20", 11),
    )
    supervisor = UserFactory(roles=[Role.SUPERVISOR], scope=[city], department=heshan.department)
    supervisor.set_password(PASSWORD)
    supervisor.save()
    base = live_server.url
    page = desk
    with clock.frozen(at("2026-07-21")):
        page.goto(f"{base}/workbench/login/")
        page.fill("input[name=username]", supervisor.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/workbench/")
        page.click("header >> text=效能监督")
        page.wait_for_url(f"{base}/workbench/dashboard/")
        page.fill("input[name=period]", "2026")
        page.select_option("select[name=metric]", "overdue")
        page.click("form.filters button[type=submit]")
        page.wait_for_selector("[data-dash-chart=ranking] svg")
        assert page.locator("[data-dash-chart=ranking] svg text", has_text="赫山区").count() >= 1
        row = page.locator("table.metrics-table tbody tr", has_text="赫山区")
        headers = page.locator("table.metrics-table thead th").all_inner_texts()
        column = next(i for i, h in enumerate(headers) if h.startswith("超期件数"))
        cell = row.locator("td").nth(column - 1)
        assert cell.inner_text() == "1"
        page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)

        cell.locator("a").click()
        page.wait_for_url("**/workbench/dashboard/drill/**")
        assert "赫山区 · 超期件数" in page.locator("h1").inner_text()
        assert page.locator("table.case-table tbody tr").count() == 1
        assert late.number in page.locator("table.case-table tbody").inner_text()
        page.screenshot(path=str(SHOTS / "dashboard-drill.png"), full_page=True)
        page.click(f"a:has-text('{late.number}')")
        page.wait_for_url(f"{base}/workbench/cases/{late.number}/")

        page.goto(f"{base}/workbench/dashboard/?period=2026")
        with page.expect_download() as download:
            page.click("a:has-text('导出 Excel')")
        target = tmp_path / "metrics.xlsx"
        download.value.save_as(target)
        sheet = load_workbook(target).active
        assert sheet["A2"].value == "区划"
        names = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
        assert names == ["赫山区", "南县"]

        # The same figures feed the assessment: 赫山区's overdue case costs it points, traced to the case.
        page.click("header >> text=考核")
        page.wait_for_url(f"{base}/workbench/assessment/")
        page.select_option("select[name=scheme]", "yiyang-2020")
        page.fill("input[name=period]", "2026")
        page.select_option("select[name=units]", "region")
        page.click("button:has-text('计算')")
        page.wait_for_url("**/workbench/assessment/evaluations/*/")
        ranking = page.locator(".ranking-table").inner_text()
        assert "赫山区" in ranking and "南县" in ranking
        page.click("summary:has-text('赫山区')")
        assert page.locator(f"a[href='/workbench/cases/{late.number}/']").count() >= 1
        page.screenshot(path=str(SHOTS / "dashboard-assessment.png"), full_page=True)
        with page.expect_download() as scoresheet:
            page.click("a:has-text('下载计分表')")
        target = tmp_path / "scoresheet.xlsx"
        scoresheet.value.save_as(target)
        sheet = load_workbook(target).worksheets[0]
        assert [c.value for c in sheet[3]][:3] == ["排名", "单位", "单位类型"]
        assert {sheet.cell(row=r, column=2).value for r in (4, 5)} == {"赫山区", "南县"}
