"""Pages of the hall queue: kiosk, phone take-a-number and progress, board, window console, intake link."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengwu.catalog.tests.factories import make_item
from zhengwu.common import clock
from zhengwu.queueing import services
from zhengwu.queueing.models import QueueTicket
from zhengwu.queueing.tests.factories import at, issue, make_hall

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _ten_oclock():
    with clock.frozen(at(10)):
        yield


def test_kiosk_shows_a_big_button_per_group_and_the_take_qr(client, h):
    page = client.get(reverse("portal:queue_kiosk", args=[h.hall.pk])).content.decode()
    assert "综合受理区" in page and "证照联办专区" in page and "<svg" in page
    assert "老年人优先" in page and 'value="appointment"' not in page
    assert 'value="normal" checked' in page  # 普通 is the default; a priority class is a deliberate choice


def test_kiosk_issues_and_prints_a_slip_with_people_ahead_and_estimate(client, h):
    issue(h, when=at(9))
    response = client.post(
        reverse("portal:queue_kiosk", args=[h.hall.pk]), {"group": "A", "priority": "normal"}
    )
    ticket = QueueTicket.objects.get(number="A002")
    assert response.status_code == 302 and response.url == reverse("portal:queue_slip", args=[ticket.token])
    slip = client.get(response.url).content.decode()
    # 1 ahead, 2 staffed windows, default 600 s: ceil(1 × 600 / 2 / 60) = 5
    assert "A002" in slip and "前面还有 1 人" in slip and "预计等候约 5 分钟" in slip and "<svg" in slip
    assert ticket.source == "kiosk"


def test_kiosk_without_a_group_says_which_field_is_missing(client, h):
    response = client.post(reverse("portal:queue_kiosk", args=[h.hall.pk]), {"priority": "normal"})
    assert response.status_code == 400 and "请选择办理业务" in response.content.decode()


def test_a_phone_cannot_claim_an_appointment_number(client, h):
    response = client.post(
        reverse("portal:queue_take", args=[h.hall.pk]), {"group": "A", "priority": "appointment"}
    )
    assert response.status_code == 400 and not QueueTicket.objects.exists()


def test_phone_take_is_rate_limited_per_address(client, h):
    url = reverse("portal:queue_take", args=[h.hall.pk])
    codes = [client.post(url, {"group": "A"}).status_code for _ in range(6)]
    assert codes == [302] * 5 + [429]
    assert QueueTicket.objects.count() == 5


def test_phone_progress_shows_the_window_once_called(client, h):
    ticket = issue(h)
    services.ticket_call_next(window=h.w2, staff=h.clerk2, now=at(10))
    page = client.get(reverse("portal:queue_ticket", args=[ticket.token])).content.decode()
    assert "请到 2 号窗口办理" in page


def test_phone_progress_fragment_is_served_to_htmx_polling(client, h):
    ticket = issue(h)
    response = client.get(reverse("portal:queue_ticket", args=[ticket.token]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="queue-progress"' in body and "<html" not in body and "前面还有 <strong>0</strong> 人" in body


def test_an_unknown_token_is_404(client, h):
    assert client.get(reverse("portal:queue_ticket", args=["nope"])).status_code == 404


def test_the_holder_may_cancel_by_token(client, h):
    ticket = issue(h)
    client.post(reverse("portal:queue_cancel", args=[ticket.token]))
    assert QueueTicket.objects.get(pk=ticket.pk).status == "cancelled"


def test_board_shows_the_call_and_next_numbers_and_polls_every_3_seconds(
    client, h, django_assert_max_num_queries
):
    for m in range(3):
        issue(h, when=at(9, m))
    services.ticket_call_next(window=h.w1, staff=h.clerk1, now=at(10))
    with django_assert_max_num_queries(9):
        page = client.get(reverse("portal:queue_board", args=[h.hall.pk])).content.decode()
    assert 'hx-trigger="every 3s"' in page and "A001" in page and "A002" in page and "A003" in page
    assert "queue-screen" in page


def test_board_query_count_does_not_grow_with_tickets(client, h, django_assert_max_num_queries):
    for m in range(30):
        issue(h, group=h.a if m % 2 else h.b, when=at(9, m))
    with django_assert_max_num_queries(9):
        client.get(reverse("portal:queue_board", args=[h.hall.pk]), HTTP_HX_REQUEST="true")


# -- the window console ---------------------------------------------------------------------------


def test_console_calls_the_next_number_and_shows_it(client, h):
    issue(h)
    client.force_login(h.clerk1)
    response = client.post(reverse("workbench:queue_call_next"))
    assert response.status_code == 302
    page = client.get(reverse("workbench:queue_console")).content.decode()
    assert "A001" in page and "开始受理" in page and "重呼" in page and "过号" in page


def test_console_line_query_count_is_bounded(client, h, django_assert_max_num_queries):
    for m in range(25):
        issue(h, when=at(9, m))
    client.force_login(h.clerk1)
    client.get(reverse("workbench:queue_console"))  # warm the session and role caches
    with django_assert_max_num_queries(16):
        page = client.get(reverse("workbench:queue_console")).content.decode()
    assert "A025" in page


def test_console_without_a_window_is_refused_in_chinese(client, h):
    from zhengwu.organization.tests.factories import UserFactory

    client.force_login(UserFactory(department=h.bureau))
    response = client.get(reverse("workbench:queue_console"))
    assert response.status_code == 403 and "未被分配到启用的窗口" in response.content.decode()


def test_a_hall_manager_without_a_window_sees_the_halls_and_their_tickets(client, h):
    issue(h)
    client.force_login(h.manager)
    assert h.hall.name in client.get(reverse("workbench:queue_console")).content.decode()
    page = client.get(reverse("workbench:queue_hall", args=[h.hall.pk])).content.decode()
    assert "A001" in page and "转出" in page


def test_a_clerk_of_another_hall_gets_404_for_this_halls_ticket_and_hall(client, h):
    other = make_hall("430902000000")
    ticket = issue(h)
    client.force_login(other.clerk1)
    url = reverse("workbench:queue_ticket_action", args=[ticket.pk, "cancel"])
    assert client.post(url).status_code == 404
    assert client.get(reverse("workbench:queue_hall", args=[h.hall.pk])).status_code == 404
    assert QueueTicket.objects.get(pk=ticket.pk).status == "waiting"


def test_a_stale_console_click_conflicts_with_409(client, h):
    issue(h)
    ticket = services.ticket_call_next(window=h.w1, staff=h.clerk1, now=at(10))
    services.ticket_recall(ticket=ticket, staff=h.clerk1, now=at(10, 1))
    client.force_login(h.clerk1)
    url = reverse("workbench:queue_ticket_action", args=[ticket.pk, "finish"])
    response = client.post(url, {"version": ticket.version - 1})
    assert response.status_code == 409 and "已被其他窗口或他人处理" in response.content.decode()


def test_transfer_from_the_console_moves_the_ticket(client, h):
    issue(h)
    ticket = services.ticket_call_next(window=h.w1, staff=h.clerk1, now=at(10))
    client.force_login(h.clerk1)
    url = reverse("workbench:queue_ticket_action", args=[ticket.pk, "transfer"])
    client.post(url, {"version": ticket.version, "to_group": h.b.pk})
    assert QueueTicket.objects.get(pk=ticket.pk).group == h.b


def test_start_opens_the_intake_and_the_created_case_is_linked_to_the_ticket(client, h):
    item = make_item(department=h.department)
    h.clerk1.scopes.all().delete()
    from zhengwu.organization.services import user_set_scope

    user_set_scope(user=h.clerk1, regions=[h.department.region], departments=[])
    services.ticket_issue(hall=h.hall, item=item, priority="normal", source="kiosk", now=at(9))
    ticket = services.ticket_call_next(window=h.w1, staff=h.clerk1, now=at(10))
    client.force_login(h.clerk1)
    start = client.post(
        reverse("workbench:queue_ticket_action", args=[ticket.pk, "start"]), {"version": ticket.version}
    )
    assert start.status_code == 302 and f"ticket={ticket.pk}" in start.url and "item=" in start.url
    form = client.get(start.url).content.decode()
    assert f'name="ticket" value="{ticket.pk}"' in form and item.name in form
    created = client.post(
        reverse("workbench:case_intake"),
        {
            "ticket": ticket.pk,
            "item": item.implementation_code,
            "kind": "person",
            "name": "张三",
            "id_number": "11010519491231002X",
            "phone": "13812345678",
        },
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    stored = QueueTicket.objects.select_related("case").get(pk=ticket.pk)
    assert stored.status == "serving" and stored.case is not None
    page = client.get(reverse("workbench:queue_console")).content.decode()
    assert stored.case.number in page
    client.post(
        reverse("workbench:queue_ticket_action", args=[ticket.pk, "finish"]), {"version": stored.version}
    )
    after = client.get(reverse("workbench:queue_console")).content.decode()
    assert reverse("portal:review_pad", args=[h.w1.pk]) in after and "一次一评" in after


def test_intake_refuses_a_ticket_of_another_window(client, h):
    issue(h)
    ticket = services.ticket_call_next(window=h.w1, staff=h.clerk1, now=at(10))
    client.force_login(h.clerk2)
    assert client.get(reverse("workbench:case_intake") + f"?ticket={ticket.pk}").status_code == 404
