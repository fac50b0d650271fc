"""`/api/v1/queue/…`: issue, progress, board, window actions and their permission checks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengwu.common import clock
from zhengwu.common.tests.clients import KeyedAPIClient
from zhengwu.queueing import services
from zhengwu.queueing.models import QueueTicket
from zhengwu.queueing.tests.factories import at, issue, make_hall

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _ten_oclock():
    with clock.frozen(at(10)):
        yield


@pytest.fixture
def api():
    return KeyedAPIClient()


def test_issue_by_group_returns_the_number_and_token(api, h):
    response = api.post(reverse("api:queue_issue", args=[h.hall.pk]), {"group": "b"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == "B001" and body["status"] == "waiting" and body["token"]
    assert QueueTicket.objects.get().source == "phone"


def test_issue_refuses_the_appointment_class_naming_the_field(api, h):
    response = api.post(
        reverse("api:queue_issue", args=[h.hall.pk]), {"group": "A", "priority": "appointment"}, format="json"
    )
    assert response.status_code == 400 and "priority" in response.json()["fields"]


def test_issue_without_group_or_item_is_a_chinese_400(api, h):
    response = api.post(reverse("api:queue_issue", args=[h.hall.pk]), {}, format="json")
    assert response.status_code == 400 and response.json()["message"] == "请指定窗口组或事项。"


def test_progress_by_token_gives_people_ahead_and_the_estimate(api, h):
    issue(h, when=at(9, 0))
    mine = issue(h, when=at(9, 1))
    body = api.get(reverse("api:queue_progress", args=[mine.token])).json()
    # 1 ahead, 2 open windows, 600 s: ceil(1 × 600 / 2 / 60) = 5
    assert (body["ahead"], body["wait_minutes"], body["open_windows"]) == (1, 5, 2)
    assert body["ticket"]["number"] == "A002"


def test_board_data_has_numbers_and_no_names(api, h):
    issue(h)
    services.ticket_call_next(window=h.w1, staff=h.clerk1, now=at(10))
    body = api.get(reverse("api:queue_board", args=[h.hall.pk])).json()
    assert {"window": "1", "number": "A001", "status": "called"} in body["windows"]
    assert body["recent"][0]["number"] == "A001"


def test_call_next_then_recall_skip_and_finish_by_the_window(api, h):
    issue(h)
    issue(h, when=at(9, 5))
    api.force_authenticate(h.clerk1)
    called = api.post(reverse("api:queue_call_next")).json()
    assert called["number"] == "A001" and called["status"] == "called"
    recalled = api.post(
        reverse("api:queue_recall", args=[called["id"]]), {"version": called["version"]}, format="json"
    ).json()
    assert recalled["recall_count"] == 1
    skipped = api.post(reverse("api:queue_skip", args=[called["id"]]), {}, format="json").json()
    assert skipped["status"] == "waiting"
    nxt = api.post(reverse("api:queue_call_next")).json()
    assert nxt["number"] == "A002"
    done = api.post(reverse("api:queue_finish", args=[nxt["id"]]), {}, format="json").json()
    assert done["status"] == "done"


def test_call_next_with_nobody_waiting_is_204(api, h):
    api.force_authenticate(h.clerk1)
    assert api.post(reverse("api:queue_call_next")).status_code == 204


def test_transfer_by_letter(api, h):
    issue(h)
    api.force_authenticate(h.clerk1)
    called = api.post(reverse("api:queue_call_next")).json()
    moved = api.post(
        reverse("api:queue_transfer", args=[called["id"]]), {"to_group": "B"}, format="json"
    ).json()
    assert moved["group"] == "B" and moved["status"] == "waiting"


def test_a_stale_version_is_409(api, h):
    issue(h)
    api.force_authenticate(h.clerk1)
    called = api.post(reverse("api:queue_call_next")).json()
    api.post(reverse("api:queue_recall", args=[called["id"]]), {}, format="json")
    response = api.post(
        reverse("api:queue_finish", args=[called["id"]]), {"version": called["version"]}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "conflict"


def test_a_clerk_of_another_hall_gets_404_for_a_ticket_and_the_hall_list(api, h):
    other = make_hall("430902000000")
    ticket = issue(h)
    api.force_authenticate(other.clerk1)
    assert api.post(reverse("api:queue_cancel", args=[ticket.pk]), {}, format="json").status_code == 404
    assert api.get(reverse("api:queue_hall_tickets", args=[h.hall.pk])).status_code == 404


def test_another_window_of_the_same_hall_may_not_act_on_a_ticket_it_did_not_call(api, h):
    issue(h)
    ticket = services.ticket_call_next(window=h.w1, staff=h.clerk1, now=at(10))
    api.force_authenticate(h.clerk2)
    response = api.post(reverse("api:queue_finish", args=[ticket.pk]), {}, format="json")
    assert response.status_code == 403 and "不是本窗口叫的号" in response.json()["message"]


def test_staff_without_a_window_cannot_call(api, h):
    api.force_authenticate(h.manager)
    response = api.post(reverse("api:queue_call_next"))
    assert response.status_code == 403


def test_anonymous_cannot_call(api, h):
    assert api.post(reverse("api:queue_call_next")).status_code in (401, 403)


def test_hall_list_for_a_manager_has_a_bounded_query_count(api, h, django_assert_max_num_queries):
    for m in range(20):
        issue(h, when=at(9, m))
    api.force_authenticate(h.manager)
    with django_assert_max_num_queries(8):
        response = api.get(reverse("api:queue_hall_tickets", args=[h.hall.pk]))
    assert len(response.json()) == 20


def test_the_schema_documents_the_queue_endpoints(api, h):
    schema = api.get(reverse("api:schema")).content.decode()
    assert "/api/v1/queue/call-next/" in schema and "取号叫号" in schema
