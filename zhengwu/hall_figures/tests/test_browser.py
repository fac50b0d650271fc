"""The hall journey of issue 8 in Debian's Chromium (Playwright): a citizen books a slot on a phone, checks
in at the hall kiosk and gets a number; the clerk's window console calls it; the display board shows the
call; the clerk opens the window intake from the ticket and the case is linked to it; the hall manager's
board shows the visit. Screenshots go to test-artifacts/screenshots/hall-*.png."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from zhengwu.appointments.models import Appointment
from zhengwu.cases.models import Case
from zhengwu.cases.tests.factories import at, make_citizen, make_county
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common import clock
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import HallFactory, UserFactory, WindowFactory
from zhengwu.queueing.models import QueueTicket, WindowGroup

SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
PASSWORD = "Zw!test-pass-2026"
CITIZEN_PASSWORD = "Zw!citizen-2026"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"hall-{name}.png"), full_page=True)


def sign_in_staff(page, base: str, user, next_url: str) -> None:
    page.goto(f"{base}/workbench/login/?next={next_url}")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}{next_url}")


def test_a_booked_citizen_checks_in_is_called_shown_on_the_board_and_the_clerk_opens_the_linked_case(
    live_server, phone, desk, browser
):
    county = make_county()
    hall = HallFactory(department=county.department, name="赫山区政务服务中心")
    window = WindowFactory(hall=hall, number="3", name="综合受理")
    window.departments.add(county.department)
    clerk = UserFactory(
        department=county.department, roles=[Role.WINDOW_CLERK], scope=[county.region], window=window
    )
    kiosk_account = UserFactory(
        department=county.department, roles=[Role.WINDOW_CLERK], scope=[county.region]
    )
    group = WindowGroup.objects.create(hall=hall, code="A", name="综合受理区")
    group.windows.set([window])
    group.departments.set([county.department])
    item = make_item(
        department=county.department,
        name="食品经营许可",
        code="430903-XK-201",
        elements={"appointment_supported": True, "appointment_daily_quota": 20},
    )
    citizen = make_citizen()
    base = live_server.url

    # 1. Monday: the citizen books Tuesday 09:30 on a phone
    with clock.frozen(at("2026-11-02", 10)):
        phone.goto(f"{base}/account/login/?next=/appointments/")
        phone.fill("input[name=username]", citizen.phone)
        phone.fill("input[name=password]", CITIZEN_PASSWORD)
        phone.click("form button[type=submit]")
        phone.wait_for_url(f"{base}/appointments/")
        phone.click("text=食品经营许可")
        phone.click(f"text={hall.name}")
        phone.click("a[href='?date=2026-11-03']")
        phone.wait_for_url("**date=2026-11-03")
        shot(phone, "1-slots")
        phone.click("a[href*='slot=09:30']")
        phone.click("button:has-text('确认预约')")
        phone.wait_for_url(f"{base}/my/appointments/**")
        number = phone.locator("[data-testid=appointment-number]").inner_text().strip()
        assert "预约成功" in phone.locator("h1").inner_text()
        shot(phone, "2-booked")
    appointment = Appointment.objects.get(number=number)
    assert (appointment.date, appointment.slot_start, appointment.status) == (
        dt.date(2026, 11, 3),
        dt.time(9, 30),
        "booked",
    )

    screen_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    kiosk = screen_context.new_page()
    board_context = browser.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080})
    board = board_context.new_page()
    try:
        with clock.frozen(at("2026-11-03", 9) + dt.timedelta(minutes=20)):
            # 2. Tuesday 09:20: check-in at the hall kiosk gives an appointment number
            sign_in_staff(kiosk, base, kiosk_account, f"/hall/{hall.pk}/checkin/")
            kiosk.fill("input[name=number]", number)
            kiosk.click("button:has-text('签到取号')")
            ticket_number = kiosk.locator("[data-testid=ticket-number]").inner_text().strip()
            assert ticket_number.startswith("A")
            shot(kiosk, "3-check-in")
            ticket = QueueTicket.objects.get(number=ticket_number, hall=hall)
            assert (ticket.priority, ticket.source, ticket.appointment_ref) == (
                "appointment",
                "appointment",
                number,
            )

            board.goto(f"{base}/hall/{hall.pk}/board/")
            assert ticket_number in board.locator(".queue-next-numbers").inner_text()

            # 3. the clerk's window console calls the next number: it is the citizen's
            sign_in_staff(desk, base, clerk, "/workbench/queue/")
            assert ticket_number in desk.locator("#queue-line").inner_text()
            desk.click("button:has-text('叫下一号')")
            desk.wait_for_selector(".queue-number")
            assert desk.locator(".queue-number").inner_text().strip() == ticket_number
            shot(desk, "4-console-called")

            # 4. the display board (polling every 3 s) shows the call to window 3
            # (a locator wait: the page's CSP forbids the string evaluation of wait_for_function)
            board.locator(".queue-latest", has_text=ticket_number).wait_for(timeout=15_000)
            latest = board.locator(".queue-latest").inner_text()
            assert ticket_number in latest and "3" in latest
            shot(board, "5-board")

            # 5. 开始受理 opens the window intake with the booked item; the new case is linked to the ticket
            desk.click("button:has-text('开始受理')")
            desk.wait_for_url("**/workbench/cases/intake/?ticket=*")
            assert "食品经营许可" in desk.locator("main").inner_text()
            desk.check("input[name=kind][value=person]")
            desk.fill("input[name=name]", "李四")
            desk.fill("input[name=id_number]", "430903199001011238")
            desk.fill("input[name=phone]", "13912345678")
            shot(desk, "6-intake")
            desk.click("button:has-text('收件并生成办件')")
            desk.wait_for_url("**/workbench/cases/430903-*/#materials")
            case = Case.objects.get()
            ticket.refresh_from_db()
            assert ticket.case_id == case.pk and ticket.status == "serving"
            assert (case.channel, case.window_id, case.item_id) == ("window", window.pk, item.pk)

            # the console shows the linked case and opens it
            desk.goto(f"{base}/workbench/queue/")
            desk.click(f"a:has-text('{case.number}')")
            desk.wait_for_url(f"**/workbench/cases/{case.number}/")
            assert case.number in desk.locator("main").inner_text()
            shot(desk, "7-linked-case")
            appointment.refresh_from_db()
            assert appointment.status in ("checked_in", "served") and appointment.queue_ticket_id == ticket.pk
    finally:
        screen_context.close()
        board_context.close()

    # 6. the hall manager's board counts the visit: one number, its wait, the kept appointment
    manager_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    manager = manager_context.new_page()
    try:
        with clock.frozen(at("2026-11-03", 12)):
            sign_in_staff(manager, base, county.head, "/workbench/hall/?period=2026-11")
            body = manager.locator("main").inner_text()
            assert hall.name in body and "预约履约率" in body and "100.00%" in body
            manager.wait_for_selector("[data-hall-chart=heat] svg")
            shot(manager, "8-manager-board")
    finally:
        manager_context.close()
