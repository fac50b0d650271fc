"""The workbench pages: the agent registers and dispatches, the unit sees only its own tickets and acts."""

from __future__ import annotations

import pytest

from zhengwu.common import clock
from zhengwu.hotline.models import Ticket
from zhengwu.hotline.tests.factories import at, dispatched, make_ticket

pytestmark = pytest.mark.django_db


def test_a_unit_queue_lists_only_tickets_dispatched_to_it_with_a_pinned_query_count(
    client, hotline, django_assert_max_num_queries
):
    for _ in range(3):
        dispatched(hotline)
    other = dispatched(hotline, department=hotline.market)
    make_ticket(hotline)  # still at the centre
    client.force_login(hotline.water_staff)
    with django_assert_max_num_queries(12):
        response = client.get("/workbench/hotline/queue/")
    page = response.content.decode()
    assert response.status_code == 200 and "共 3 件" in page and other.number not in page
    assert client.get(f"/workbench/hotline/{other.number}/").status_code == 404


def test_the_unit_sees_the_caller_masked_and_a_confidential_caller_not_at_all(client, hotline):
    plain = dispatched(hotline)
    secret = dispatched(hotline, confidential=True, caller_name="王秘密")
    client.force_login(hotline.water_staff)
    page = client.get(f"/workbench/hotline/{plain.number}/").content.decode()
    assert "13812345678" not in page and "138****5678" in page
    page = client.get(f"/workbench/hotline/{secret.number}/").content.decode()
    assert "王秘密" not in page and "来电人要求保密" in page


def test_the_agent_registers_a_call_and_dispatches_it_to_the_suggested_department(client, hotline):
    client.force_login(hotline.agent)
    with clock.frozen(at("2026-09-30 15:00")):
        response = client.post(
            "/workbench/hotline/",
            {
                "region": hotline.region.pk,
                "category": "complaint",
                "urgency": "normal",
                "topic": "供水",
                "title": "停水",
                "content": "小区停水",
                "caller_name": "张三",
                "caller_phone": "13812345678",
            },
        )
        ticket = Ticket.objects.get()
        assert response.status_code == 302
        page = client.get(f"/workbench/hotline/{ticket.number}/").content.decode()
        # The centre sees the caller masked too; the full number is one audited reveal away.
        assert "派单目录建议" in page and "138****5678" in page and "13812345678" not in page
        client.post(f"/workbench/hotline/{ticket.number}/actions/dispatch/", {"department": hotline.water.pk})
    ticket.refresh_from_db()
    assert ticket.status == "dispatched" and ticket.department == hotline.water


def test_a_refused_action_is_shown_inline_with_its_chinese_message(client, hotline):
    ticket = dispatched(hotline)
    client.force_login(hotline.water_staff)
    with clock.frozen(at("2026-10-08 09:00")):
        response = client.post(
            f"/workbench/hotline/{ticket.number}/actions/return/", {"reason": "not_our_duty"}
        )
    assert response.status_code == 400 and "须注明依据" in response.content.decode()


def test_a_unit_staff_member_cannot_open_the_agent_console(client, hotline):
    client.force_login(hotline.water_staff)
    assert client.get("/workbench/hotline/").status_code == 403


def test_the_board_lists_returned_tickets_for_the_centre(client, hotline):
    from zhengwu.hotline import services

    ticket = services.ticket_return(
        ticket=dispatched(hotline), actor=hotline.water_staff, now=at("2026-10-08 09:00"), reason="duplicate"
    )
    client.force_login(hotline.agent)
    page = client.get("/workbench/hotline/board/?show=returned").content.decode()
    assert ticket.number in page
