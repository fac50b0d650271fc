"""一件事 end to end in Debian's Chromium (Playwright): a citizen on a phone answers the wizard, prints
the one notice, applies once and follows the bundle case; a window clerk at a desk accepts every
child at once. Time is frozen on a working Monday (`clock` is a module global, so the live server's
thread sees it too); the calendar seeded by `reference_data` covers it.
Screenshots: test-artifacts/screenshots/bundle-notice.png, bundle-case.png, workbench-bundle.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from zhengwu.bundles.models import BundleCase
from zhengwu.bundles.tests.factories import make_restaurant
from zhengwu.cases.tests.factories import at, make_citizen, make_county, receive_all
from zhengwu.common import clock

SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
STAFF_PASSWORD = "Zw!test-pass-2026"
CITIZEN_PASSWORD = "Zw!citizen-2026"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_citizen_applies_for_a_bundle_once_and_the_window_accepts_every_child_at_once(
    live_server, phone, desk
):
    county = make_county()
    bundle = make_restaurant(county)
    citizen = make_citizen()
    base = live_server.url
    page = phone

    with clock.frozen(at("2026-06-01")):
        # 1. the citizen signs in and opens 我要开餐馆 from the list of 一件事
        page.goto(f"{base}/account/login/?next=/bundles/")
        page.fill("input[name=username]", citizen.phone)
        page.fill("input[name=password]", CITIZEN_PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_url(f"{base}/bundles/")
        page.click("text=我要开餐馆")
        page.wait_for_url(f"{base}/bundles/{bundle.code}/")
        assert "回答全部问题后可打印告知单并申报。" in page.locator("#bundle-wizard").inner_text()

        # 2. a public venue brings in the hygiene permit: three items, one merged material list
        page.get_by_label("是（餐饮店营业面积较大）").check()  # htmx swaps the result in place
        from playwright.sync_api import expect

        # a locator wait: the CSP forbids wait_for_function's string evaluation
        expect(page.locator(".guidance-result table").first.locator("tbody tr")).to_have_count(3)
        assert f"q{bundle.questions.get().pk}=" in page.url
        members = page.locator(".guidance-result table").nth(0).inner_text()
        for name in ("个体工商户设立登记", "食品经营许可", "公共场所卫生许可", "第2阶段"):
            assert name in members
        materials = page.locator(".guidance-result table").nth(1).locator("tbody tr")
        assert materials.count() == 4  # 身份证明 is asked once for the three items
        shared = materials.filter(has_text="身份证明")
        assert shared.count() == 1
        assert "共用" in shared.inner_text()
        assert "个体工商户设立登记、食品经营许可、公共场所卫生许可" in shared.inner_text()

        # 3. the printable 一次告知单 opens in a new tab: the date, the situation, every item
        with page.expect_popup() as opened:
            page.click("a:has-text('打印一次告知单')")
        notice = opened.value
        notice.wait_for_load_state()
        assert notice.locator("h1").inner_text() == "我要开餐馆 · 一次告知单"
        text = notice.locator("article.guidance-notice").inner_text()
        for part in (
            "告知日期：2026年6月1日",
            "赫山区",
            "经营场所是否属于公共场所？ 是（餐饮店营业面积较大）",
            "个体工商户设立登记",
            "食品经营许可",
            "公共场所卫生许可",
            "卫生检测报告",
        ):
            assert part in text
        assert "尚有问题未回答" not in text
        shot(notice, "bundle-notice")
        notice.emulate_media(media="print")
        assert not notice.locator("a:has-text('打印')").is_visible()
        notice.close()

        # 4. back on the wizard the citizen applies once for every item
        page.fill("textarea[name=description]", "在赫山区龙岭路开一家中餐馆，营业面积约 200 平方米。")
        page.click("button:has-text('一次申报全部事项')")
        page.wait_for_url(f"{base}/my/bundles/YJS-430903-20260601-*/")
        bundle_case = BundleCase.objects.get()
        assert page.url == f"{base}/my/bundles/{bundle_case.number}/"
        child = bundle_case.children.get().case
        assert child.item.name == "个体工商户设立登记"
        assert page.locator("h1").inner_text() == "我要开餐馆"
        assert page.locator(".bundle-status").inner_text() == "待受理"
        rows = page.locator("table.table tbody tr")
        assert rows.count() == 3
        first = rows.filter(has_text=child.number)
        assert "个体工商户设立登记" in first.inner_text() and "已申报" in first.inner_text()
        for name in ("食品经营许可", "公共场所卫生许可"):
            assert "前一阶段准予许可后自动申报" in rows.filter(has_text=name).inner_text()
        shot(page, "bundle-case")

        # 5. the window has the paper originals in hand and ticks them (the checklist has its own test)
        receive_all(child, county, at("2026-06-01", 11))

        # 6. the clerk signs in at a desk, finds the bundle case and accepts it once
        desk.goto(f"{base}/workbench/login/")
        desk.fill("input[name=username]", county.clerk.username)
        desk.fill("input[name=password]", STAFF_PASSWORD)
        desk.click("button[type=submit]")
        desk.wait_for_url(f"{base}/workbench/")
        desk.click("header >> text=一件事")
        desk.wait_for_url(f"{base}/workbench/bundles/")
        listed = desk.locator(".bundle-table tbody tr", has_text=bundle_case.number)
        assert "待受理" in listed.inner_text() and "+2 项待启动" in listed.inner_text()
        desk.click(f"a:has-text('{bundle_case.number}')")
        desk.wait_for_url(f"{base}/workbench/bundles/{bundle_case.number}/")
        desk.click("button:has-text('一次受理全部子办件')")
        desk.wait_for_selector("text=已一次受理该一件事的全部待受理子办件。")
        assert desk.locator(".page-head .tag").inner_text() == "办理中"
        children = desk.locator("table.case-table").nth(1).locator("tbody tr")
        assert "审查中" in children.filter(has_text=child.number).inner_text()
        assert desk.locator("button:has-text('一次受理全部子办件')").count() == 0
        desk.wait_for_selector(".clock-chart svg")
        assert desk.locator(".clock-chart svg path").count() >= 2
        shot(desk, "workbench-bundle")

        # 7. the citizen sees the same on the phone
        page.reload()
        assert page.locator(".bundle-status").inner_text() == "办理中"
        assert "审查中" in page.locator("table.table tbody tr", has_text=child.number).inner_text()

    child.refresh_from_db()
    assert child.status == "in_review"
