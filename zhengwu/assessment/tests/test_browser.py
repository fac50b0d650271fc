"""The assessor's journey in Debian's Chromium (Playwright): run the 益阳 2020 scheme for the year, read
the ranking and its bar chart, publish, and download the 考核计分表. Screenshots go to
test-artifacts/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from zhengwu.assessment.models import Evaluation
from zhengwu.assessment.tests.conftest import card
from zhengwu.cases.tests.factories import at
from zhengwu.common import clock

SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
PASSWORD = "Zw!test-pass-2026"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_an_assessor_runs_an_assessment_publishes_it_and_downloads_the_scoresheet(
    live_server, desk, heshan, ziyang, assessors, tmp_path
):
    page = desk
    with clock.frozen(at("2026-12-20")):
        card(heshan, rule="R1", level="red", day="2026-04-10")
        card(heshan, rule="Y1", level="yellow", day="2026-05-11")

        page.goto(f"{live_server.url}/workbench/assessment/")
        page.fill("input[name=username]", assessors.first.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/workbench/assessment/")

        page.select_option("select[name=scheme]", "yiyang-2020")
        page.fill("input[name=period]", "2026")
        page.select_option("select[name=units]", "region")
        page.click("button:has-text('计算')")
        page.wait_for_url("**/workbench/assessment/evaluations/*/")
        evaluation = Evaluation.objects.get()
        ranking = page.locator(".ranking-table").inner_text()
        # 赫山区: R1 → items 8 and 12 −0.5 each, Y1 → item 12 −0.5: 82.5 of 84 → 98.21.
        assert ranking.index("资阳区") < ranking.index("赫山区") and "98.21" in ranking
        page.wait_for_selector(".assess-chart svg")
        assert page.locator(".assess-chart svg path").count() >= 2
        page.click("summary:has-text('赫山区')")
        # Case numbers are evidence text for an assessor (case screens are not theirs), not links.
        assert page.locator("#unit-430903000000 a[href^='/workbench/cases/']").count() == 0
        assert len(re.findall(r"430903-\d{8}-\d{6}", page.locator("#unit-430903000000").inner_text())) >= 2
        page.screenshot(path=str(SHOTS / "workbench-assessment.png"), full_page=True)

        page.once("dialog", lambda dialog: dialog.accept())
        page.click("button:has-text('发布')")
        page.wait_for_selector("text=考核结果已发布")
        evaluation.refresh_from_db()
        assert evaluation.status == "published"

        with page.expect_download() as download_info:
            page.click("a:has-text('下载计分表')")
        download = download_info.value
        target = tmp_path / "scoresheet.xlsx"
        download.save_as(target)
        assert download.suggested_filename == "考核计分表-yiyang-2020-2026.xlsx"
        sheet = load_workbook(target).worksheets[0]
        assert [c.value for c in sheet[3]][:3] == ["排名", "单位", "单位类型"]
        assert [sheet.cell(row=r, column=2).value for r in (4, 5)] == ["资阳区", "赫山区"]

        page.click("a:has-text('打印')")
        page.wait_for_url("**/print/")
        page.emulate_media(media="print")
        page.screenshot(path=str(SHOTS / "workbench-assessment-print.png"), full_page=True)
        assert "三、加减分明细" in page.locator("main").inner_text()
