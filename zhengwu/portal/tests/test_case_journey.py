"""One online application end to end in Debian's Chromium: the citizen (a phone) and the staff (a desk).

citizen applies with an upload → clerk issues the one-time supplement notice → citizen supplements →
clerk ticks the materials and accepts → approver passes the review step and grants → clerk issues
the certificate → the public verification page says 有效. Real time runs (`clock.frozen` does not
reach the live server's thread); the calendar seeded by `reference_data` covers the dates used.
Screenshots: test-artifacts/screenshots/journey-NN-*.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from zhengwu.cases.models import Case, Certificate
from zhengwu.cases.tests.factories import make_county
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common.tests.test_uploads import make_png

SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
STAFF_PASSWORD = "Zw!test-pass-2026"
CITIZEN = {"phone": "13912345678", "name": "李四", "id_number": "430903199001011238"}
CITIZEN_PASSWORD = "Zw!citizen-2026"


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"journey-{name}.png"), full_page=True)


@pytest.fixture
def desk(browser, live_server):
    """Sign a staff member in at the workbench login, at a desk: a wide window with its own cookies."""
    contexts = []

    def sign_in(user):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/workbench/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", STAFF_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/workbench/")
        return page

    yield sign_in
    for context in contexts:
        context.close()


def act(page, action: str, label: str, done: str = "") -> None:
    """Press an action button of the workbench case page and wait for htmx to swap the panel in."""
    page.click(f"form[data-action={action}] button:has-text('{label}')")
    page.wait_for_selector(f"#case-panel .banner.ok:has-text('{done or f'“{label}”已完成'}')")


def test_an_online_application_from_upload_to_a_verified_certificate(live_server, page, desk, browser):
    county = make_county()
    item = make_item(department=county.department, name="食品经营许可", code="430903-XK-101")
    base = live_server.url

    # 1. the citizen registers on a phone, finds the guide and applies online with one file
    page.goto(f"{base}/account/register/")
    for name, value in CITIZEN.items():
        page.fill(f"input[name={name}]", value)
    page.fill("input[name=password]", CITIZEN_PASSWORD)
    page.fill("input[name=password_again]", CITIZEN_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/my/cases/")
    page.goto(f"{base}/items/{item.implementation_code}/")
    page.click("a.button:has-text('在线申办')")
    page.wait_for_url(f"{base}/apply/{item.implementation_code}/")
    assert "支持 PDF、JPG、PNG、OFD、DOCX、XLSX" in page.locator("form.application").inner_text()
    page.fill("textarea[name=description]", "在赫山区龙岭路开办便利店，经营预包装食品。")
    page.fill("input[name=address]", "益阳市赫山区龙岭路 8 号")
    form_material = item.current_version.materials.get(name="申请书")
    page.set_input_files(
        f"input[name=file_{form_material.pk}]",
        files=[{"name": "申请书.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    shot(page, "01-apply")
    page.click("button:has-text('提交申请')")
    page.wait_for_selector("text=申请已提交")
    case = Case.objects.get()
    assert page.url == f"{base}/my/cases/{case.number}/"
    assert "已申报" in page.locator(".case-head").inner_text()
    shot(page, "02-submitted")

    # 2. the clerk issues the one-time supplement notice for the missing business licence
    clerk = desk(county.clerk)
    clerk.goto(f"{base}/workbench/cases/{case.number}/")
    licence = case.materials.get(name="营业执照")
    notice = clerk.locator("form[data-action=request_supplement]")
    notice.locator(f"input[name=material][value='{licence.pk}']").check()
    notice.locator(f"input[name=note_{licence.pk}]").fill("请上传营业执照副本的清晰扫描件")
    act(clerk, "request_supplement", "一次性告知补正")
    assert "待补正" in clerk.locator("#case-panel .wb-case-head").inner_text()
    shot(clerk, "03-clerk-supplement-notice")

    # 3. the citizen reads the notice and supplies the licence
    page.reload()
    notice_text = page.locator("#supplement").inner_text()
    assert "一次性告知书" in notice_text and "营业执照" in notice_text and "清晰扫描件" in notice_text
    shot(page, "04-citizen-notice")
    page.set_input_files(
        f"input[name=file_{licence.pk}]",
        files=[{"name": "营业执照.png", "mimeType": "image/png", "buffer": make_png()}],
    )
    page.click("button:has-text('提交补正')")
    page.wait_for_selector("text=补正材料已提交")
    assert "已补正" in page.locator(".case-head").inner_text()
    shot(page, "05-supplemented")

    # 4. the clerk ticks every material as received and accepts
    clerk.goto(f"{base}/workbench/cases/{case.number}/")
    for material in case.materials.all():
        clerk.select_option(f"select[name=status_{material.pk}]", "received")
    clerk.click("#materials button:has-text('保存核验结果')")
    clerk.wait_for_selector("#case-panel .banner.ok:has-text('材料核验结果已保存')")
    act(clerk, "accept", "受理")
    assert "审查中" in clerk.locator("#case-panel .wb-case-head").inner_text()
    shot(clerk, "06-clerk-accepted")

    # 5. the approver passes the review step and grants
    approver = desk(county.approver)
    approver.goto(f"{base}/workbench/cases/{case.number}/")
    act(approver, "step_pass", "审查通过")
    assert "待决定" in approver.locator("#case-panel .wb-case-head").inner_text()
    act(approver, "grant", "准予许可")
    assert "准予许可" in approver.locator("#case-panel .wb-case-head").inner_text()
    shot(approver, "07-approver-granted")

    # 6. the clerk issues the electronic certificate
    clerk.goto(f"{base}/workbench/cases/{case.number}/")
    act(clerk, "issue_certificate", "制证", done="已制证")
    certificate = Certificate.objects.get()
    assert certificate.verification_code in clerk.locator("#case-panel").inner_text()
    shot(clerk, "08-clerk-certified")

    # 7. the citizen follows the case to the certificate; its QR code points at the verification page
    page.goto(f"{base}/my/cases/{case.number}/")
    timeline = page.locator("ol.timeline").inner_text()
    for step in ("提交申请", "一次性告知补正", "补正材料", "受理", "审查环节通过", "准予许可", "制证"):
        assert step in timeline
    assert county.clerk.full_name not in timeline and county.approver.full_name not in timeline
    page.click(f"a:has-text('{certificate.number}')")
    page.wait_for_url(f"{base}/my/certificates/{certificate.number}/")
    assert page.locator(".qr svg").count() == 1
    assert "有效" in page.locator(".cert").inner_text()
    shot(page, "09-citizen-certificate")

    # 8. anyone who scans the code sees 有效, with the holder's ID number masked
    public = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    try:
        scan = public.new_page()
        scan.goto(f"{base}/verify/{certificate.verification_code}/")
        banner = scan.locator(".verify-banner").inner_text()
        assert "有效" in banner and "注销" not in banner
        body = scan.locator("article.cert").inner_text()
        assert certificate.number in body and "4309**********1238" in body
        shot(scan, "10-public-verify")
    finally:
        public.close()
