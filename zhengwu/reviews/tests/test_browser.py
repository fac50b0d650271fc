"""好差评 end to end in Debian's Chromium (Playwright): a citizen rates a finished case 非常不满意 → the
handling department verifies and rectifies it (with an evidence file) → feeds back → records the
call-back → closes it; the statistics pages then show the rectification, and the workbench table
downloads as Excel. Screenshots: test-artifacts/screenshots/review-*.png.

The second test checks the workbook's numbers against a hand-worked example without a browser."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from zhengwu.cases.tests.factories import at, make_citizen, make_county
from zhengwu.common import clock
from zhengwu.reviews import services
from zhengwu.reviews.models import Rectification, Review
from zhengwu.reviews.tests.factories import granted_case, rate

SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
CITIZEN_PASSWORD = "Zw!citizen-2026"
STAFF_PASSWORD = "Zw!test-pass-2026"
TINY_PDF = b"%PDF-1.4\n%%EOF\n"  # what the reviews service tests upload as evidence


def _column(page, table: str, header: str) -> int:
    """The index (among the row's <td> cells) of the column whose header starts with `header`."""
    headers = page.locator(f"{table} thead th").all_inner_texts()
    return next(i for i, h in enumerate(headers) if h.strip().startswith(header)) - 1


def _act(page, action: str, wait_for: str) -> None:
    page.click(f"button[data-action={action}]")
    page.wait_for_selector(f"text={wait_for}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_a_bad_review_is_verified_rectified_called_back_and_shows_in_the_statistics(
    live_server, phone, desk, tmp_path
):
    county = make_county()
    head = county.head
    head.set_password(STAFF_PASSWORD)
    head.save()
    citizen = make_citizen()
    case = granted_case(county, citizen=citizen, day="2026-04-01")  # granted Wed 04-01 10:00
    base = live_server.url

    # The citizen, on a phone, rates the case from its page: 非常不满意 with a comment.
    with clock.frozen(at("2026-04-01", 15)):
        phone.goto(f"{base}/account/login/?next=/my/cases/{case.number}/")
        phone.fill("input[name=username]", citizen.phone)
        phone.fill("input[name=password]", CITIZEN_PASSWORD)
        phone.click("form button[type=submit]")
        phone.wait_for_url(f"{base}/my/cases/{case.number}/")
        phone.click("text=评价本次服务（好差评）")
        phone.wait_for_url(f"{base}/my/cases/{case.number}/review/")
        assert phone.locator("input[name=grade]:checked").count() == 0  # no default grade
        phone.check("input[name=grade][value='1']")
        phone.fill("textarea[name=comment]", "窗口排队一个多小时，材料要求前后说法不一。")
        phone.screenshot(path=str(SHOTS / "review-01-rate.png"), full_page=True)
        phone.click("button:has-text('提交评价')")
        phone.wait_for_selector("h1:has-text('感谢您的评价')")
        assert "转交办理部门核实整改" in phone.locator("main").inner_text()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(SHOTS / "review-02-thanks.png"), full_page=True)

    review = Review.objects.get()
    assert (review.grade, review.channel, review.real_name) == (1, "web", True)
    assert review.comment == "窗口排队一个多小时，材料要求前后说法不一。"
    rectification = Rectification.objects.get(review=review)
    assert rectification.state == "received" and rectification.department == county.department
    assert rectification.due_date == dt.date(2026, 4, 23)  # DOMAIN §6: 15 wd, 04-04…04-06 off

    # The head of the handling department works the rectification from the queue.
    page = desk
    with clock.frozen(at("2026-04-02", 9)):
        page.goto(f"{base}/workbench/login/")
        page.fill("input[name=username]", head.username)
        page.fill("input[name=password]", STAFF_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/workbench/")
        page.click("header >> text=好差评")
        page.wait_for_url(f"{base}/workbench/reviews/rectifications/")
        row = page.locator("table.case-table tbody tr", has_text=review.number)
        assert "待核实" in row.inner_text() and "2026-04-23" in row.inner_text()
        page.screenshot(path=str(SHOTS / "review-03-queue.png"), full_page=True)
        row.locator("a").click()
        page.wait_for_url(f"{base}/workbench/reviews/rectifications/{rectification.pk}/")
        assert "窗口排队一个多小时" in page.locator("main").inner_text()
        assert "139****5678" in page.locator("main").inner_text()  # the reviewer's phone, masked
        _act(page, "verify", "已开始核实。")
        assert "核实中" in page.locator(".page-head").inner_text()

    with clock.frozen(at("2026-04-03", 10)):
        page.fill("textarea[name=measures]", "窗口增设引导员，统一一次性告知单，材料清单在大厅公示。")
        page.set_input_files(
            "input[name=files]", {"name": "整改佐证.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF}
        )
        _act(page, "rectify", "已整改。")
        assert "整改中" in page.locator(".page-head").inner_text()
        assert page.locator("a:has-text('整改佐证.pdf')").count() == 1
        page.screenshot(path=str(SHOTS / "review-04-rectifying.png"), full_page=True)

    with clock.frozen(at("2026-04-07", 10)):
        page.fill("textarea[name=answer]", "已增设引导员并公示材料清单，感谢您的监督。")
        _act(page, "feed_back", "已反馈评价人。")

    with clock.frozen(at("2026-04-08", 10)):
        assert page.locator("button[data-action=close]").count() == 0  # real name: call back first
        page.select_option("select[name=result]", "satisfied")
        page.fill("textarea[name=note]", "电话回访，评价人对整改表示满意。")
        _act(page, "call_back", "已记录回访。")
        assert "已回访" in page.locator(".page-head").inner_text()
        _act(page, "close", "已办结。")
        assert "已办结" in page.locator(".page-head").inner_text()
        timeline = page.locator("ol.timeline").inner_text()
        for step in ("差评转办", "开始核实", "整改", "反馈评价人", "记录回访", "办结"):
            assert step in timeline
        page.screenshot(path=str(SHOTS / "review-05-closed.png"), full_page=True)

    rectification.refresh_from_db()
    assert rectification.state == "closed" and not rectification.overdue
    assert rectification.answered_on == dt.date(2026, 4, 7)
    assert (rectification.callback_result, rectification.called_back_on) == ("satisfied", dt.date(2026, 4, 8))
    assert rectification.closed_on == dt.date(2026, 4, 8)
    assert rectification.files.get().original_name == "整改佐证.pdf"
    assert [e.action for e in rectification.events.order_by("id")] == [
        "open",
        "verify",
        "rectify",
        "feed_back",
        "call_back",
        "close",
    ]

    # The statistics: one review, one bad review, rectified on time and called back.
    with clock.frozen(at("2026-04-30", 10)):
        page.click("header >> text=好差评")
        page.click("text=好差评统计")
        page.wait_for_url(f"{base}/workbench/reviews/stats/")
        page.fill("input[name=period]", "2026-04")
        page.click("form.filters button[type=submit]")
        page.wait_for_selector("[data-review-chart=grades] svg")
        table = "table[data-review-stats]"
        row = page.locator(f"{table} tbody tr", has_text=county.department.name)
        cells = row.locator("td")
        assert cells.nth(_column(page, table, "评价数")).inner_text() == "1"
        assert cells.nth(_column(page, table, "差评数")).inner_text() == "1"
        assert cells.nth(_column(page, table, "差评整改率")).inner_text() == "100.00"
        assert cells.nth(_column(page, table, "按时整改率")).inner_text() == "100.00"
        assert cells.nth(_column(page, table, "实名差评回访率")).inner_text() == "100.00"
        assert cells.nth(_column(page, table, "好评率")).inner_text() == "0.00"
        page.screenshot(path=str(SHOTS / "review-06-stats.png"), full_page=True)

        with page.expect_download() as download:
            page.click("a:has-text('导出 Excel')")
        target = tmp_path / "reviews.xlsx"
        download.value.save_as(target)
        sheet = load_workbook(target).active
        header = [cell.value for cell in sheet[2]]
        data = dict(zip(header, [cell.value for cell in sheet[3]], strict=True))
        assert header[0] == "部门" and data["部门"] == county.department.name
        assert (data["差评数"], data["差评整改率（%）"], data["回访满意度（%）"]) == (1, 100, 100)

        phone.goto(f"{base}/reviews/?period=2026-04")
        table = "table.case-table"
        row = phone.locator(f"{table} tbody tr", has_text=county.department.name)
        cells = row.locator("td")
        assert cells.nth(_column(phone, table, "差评数")).inner_text() == "1"
        assert cells.nth(_column(phone, table, "差评整改率")).inner_text() == "100.00"
        assert cells.nth(_column(phone, table, "实名差评回访率")).inner_text() == "100.00"
        assert "139" not in phone.locator("main").inner_text()  # no personal data on the public page
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # the table scrolls inside
        phone.screenshot(path=str(SHOTS / "review-07-public-phone.png"), full_page=True)
        page.goto(f"{base}/reviews/?period=2026-04")
        page.screenshot(path=str(SHOTS / "review-08-public.png"), full_page=True)


@pytest.mark.django_db
def test_the_statistics_workbook_has_chinese_headers_and_the_hand_computed_rates(client):
    """赫山区市场监督管理局, April 2026: three finished cases, rated 5, 3 and 2 (the 2 fed back on time and
    called back 基本满意). 好评率 = 2 / 3 = 66.67 %, 差评率 = 1 / 3 = 33.33 %, 主动评价率 = 3 / 3 = 100 %,
    差评整改率 = 1 / 1 = 100 %, 回访满意度 = 1 / 1 = 100 %, 申诉成立率 has no appeal: —."""
    county = make_county()
    people = [
        make_citizen(phone=f"1390000000{i}", name=f"评价人{i}", id_number=number)
        for i, number in enumerate(("430903199001011238", "430903198805051230", "43090319750303123X"))
    ]
    for person, grade in zip(people, (5, 3, 2), strict=True):
        rate(granted_case(county, citizen=person), person, grade, day="2026-04-02")
    bad = Rectification.objects.get()
    head = county.head
    bad = services.rectification_verify(rectification=bad, actor=head, now=at("2026-04-03"))
    bad = services.rectification_rectify(rectification=bad, actor=head, now=at("2026-04-03"), measures="培训")
    bad = services.rectification_feed_back(
        rectification=bad, actor=head, now=at("2026-04-08"), answer="已整改"
    )
    services.rectification_call_back(
        rectification=bad, actor=head, now=at("2026-04-09"), result="basically_satisfied"
    )
    client.force_login(head)

    with clock.frozen(at("2026-04-30")):
        page = client.get("/workbench/reviews/stats/", {"period": "2026-04"})
        assert (
            "/workbench/reviews/stats/export.xlsx?period=2026-04&amp;by=department" in page.content.decode()
        )
        response = client.get("/workbench/reviews/stats/export.xlsx", {"period": "2026-04"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="reviews-2026-04-department.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "好差评统计"
    assert sheet["A1"].value == "好差评统计（2026-04：2026-04-01 至 2026-04-30）"
    header = [cell.value for cell in sheet[2]]
    assert header == [
        "部门",
        "评价数",
        "办结件数",
        "主动评价率（%）",
        "好评率（%）",
        "差评数",
        "差评率（%）",
        "差评整改率（%）",
        "按时整改率（%）",
        "实名差评回访率（%）",
        "回访满意度（%）",
        "申诉成立率（%）",
    ]
    unit = [cell.value for cell in sheet[3]]
    assert unit == [county.department.name, 3, 3, 100, 66.67, 1, 33.33, 100, 100, "—", 100, "—"]
    assert sheet["A4"].value == "合计" and sheet["E4"].value == 66.67
