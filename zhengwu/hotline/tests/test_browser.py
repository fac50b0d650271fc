"""12345 in Debian's Chromium (Playwright): the agent takes a complaint and dispatches it → the department
returns it with a reason → the agent accepts the return and re-dispatches → the other department signs,
handles and replies → the agent closes it and records the call-back (满意, resolved).
Screenshots: test-artifacts/screenshots/hotline-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhengwu.common import clock
from zhengwu.hotline.models import Ticket
from zhengwu.hotline.tests.factories import at, make_hotline

SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
PASSWORD = "Zw!test-pass-2026"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def _sign_in(page, base: str, user) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/workbench/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/workbench/")


def _act(page, action: str) -> None:
    page.click(f"form.action-{action} button[type=submit]")
    page.wait_for_load_state("load")


def _status(page) -> str:
    return page.locator(".page-head .tag").first.inner_text()


def test_dispatch_return_redispatch_handle_close_and_call_back(live_server, desk):
    h = make_hotline()
    for user in (h.agent, h.water_staff, h.market_staff):
        user.set_password(PASSWORD)
        user.save()
    base, page = live_server.url, desk

    with clock.frozen(at("2026-09-30 15:00")):  # a Wednesday: sign by Thu 10-08, finish by 10-15
        _sign_in(page, base, h.agent)
        page.goto(f"{base}/workbench/hotline/")
        page.select_option("#intake select[name=region]", str(h.region.pk))
        page.select_option("#intake select[name=category]", "complaint")
        page.fill("#intake input[name=topic]", "供水")
        page.fill("#intake input[name=title]", "小区停水三天无人管")
        page.fill("#intake textarea[name=content]", "幸福小区3栋从周一起停水，物业说不清原因。")
        page.fill("#intake input[name=caller_name]", "张三丰")
        page.fill("#intake input[name=caller_phone]", "13812345678")
        page.screenshot(path=str(SHOTS / "hotline-console.png"), full_page=True)
        page.click("#intake button[type=submit]")
        page.wait_for_url(f"{base}/workbench/hotline/RX-*/")
        ticket = Ticket.objects.get()
        assert _status(page) == "已受理" and "派单目录建议" in page.content()
        # The agent picks the wrong unit on purpose: the market regulator.
        page.select_option("form.action-dispatch select[name=department]", str(h.market.pk))
        _act(page, "dispatch")
        assert _status(page) == "已派单" and h.market.name in page.content()
        page.screenshot(path=str(SHOTS / "hotline-dispatched.png"), full_page=True)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.department) == ("dispatched", h.market)
    assert ticket.sign_due_at.date().isoformat() == "2026-10-08"

    with clock.frozen(at("2026-10-08 09:30")):
        _sign_in(page, base, h.market_staff)
        page.goto(f"{base}/workbench/hotline/queue/")
        assert ticket.number in page.locator("table").inner_text()
        assert "13812345678" not in page.content()
        page.click(f"a:has-text('{ticket.number}')")
        page.wait_for_url(f"{base}/workbench/hotline/{ticket.number}/")
        assert "138****5678" in page.content()
        page.select_option("form.action-return select[name=reason]", "not_our_duty")
        page.fill("form.action-return input[name=note]", "供水属水务局职责（三定方案第三条）。")
        _act(page, "return")
        page.screenshot(path=str(SHOTS / "hotline-returned.png"), full_page=True)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.return_count, ticket.return_reason) == ("returned", 1, "not_our_duty")

    with clock.frozen(at("2026-10-08 10:00")):
        _sign_in(page, base, h.agent)
        page.goto(f"{base}/workbench/hotline/board/?show=returned")
        assert ticket.number in page.content()
        page.goto(f"{base}/workbench/hotline/{ticket.number}/")
        assert _status(page) == "已退单" and "供水属水务局职责" in page.content()
        page.select_option("form.action-accept_return select[name=department]", str(h.water.pk))
        _act(page, "accept_return")
        assert _status(page) == "已改派" and h.water.name in page.content()
    ticket.refresh_from_db()
    assert (ticket.status, ticket.department) == ("reassigned", h.water)
    assert (
        ticket.finish_due_at.date().isoformat() == "2026-10-16"
    )  # new clocks: 7 wd from 10-08 (Sat 10-10 is a workday)

    with clock.frozen(at("2026-10-09 10:00")):
        _sign_in(page, base, h.water_staff)
        page.goto(f"{base}/workbench/hotline/queue/")
        page.click(f"a:has-text('{ticket.number}')")
        page.wait_for_url(f"{base}/workbench/hotline/{ticket.number}/")
        _act(page, "sign")
        assert _status(page) == "已签收"
        _act(page, "start")
        assert _status(page) == "办理中"
        page.fill(
            "form.action-reply textarea[name=reply]",
            "已抢修主管道，10月9日下午恢复供水，并督促物业张贴停水公告。",
        )
        _act(page, "reply")
        assert _status(page) == "已答复"
        page.screenshot(path=str(SHOTS / "hotline-replied.png"), full_page=True)

    with clock.frozen(at("2026-10-10 09:00")):
        _sign_in(page, base, h.agent)
        page.goto(f"{base}/workbench/hotline/{ticket.number}/")
        _act(page, "close")
        assert _status(page) == "已办结"
        page.select_option("form.action-call_back select[name=satisfaction]", "satisfied")
        page.select_option("form.action-call_back select[name=resolved]", "yes")
        page.fill("form.action-call_back input[name=note]", "来电人表示已恢复供水，满意。")
        _act(page, "call_back")
        assert _status(page) == "已回访" and "满意" in page.content()
        page.screenshot(path=str(SHOTS / "hotline-called-back.png"), full_page=True)

    ticket.refresh_from_db()
    assert (ticket.status, ticket.satisfaction, ticket.resolved) == ("called_back", "satisfied", True)
    assert not ticket.sign_overdue and not ticket.finish_overdue
    assert list(ticket.events.values_list("action", flat=True)) == [
        "create",
        "dispatch",
        "return",
        "accept_return",
        "sign",
        "start",
        "reply",
        "close",
        "call_back",
    ]
