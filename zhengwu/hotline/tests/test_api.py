"""The tickets API: scoped list, create, actions by POST, and the public progress query."""

from __future__ import annotations

import pytest

from zhengwu.common import clock
from zhengwu.hotline.tests.factories import at, dispatched

pytestmark = pytest.mark.django_db


def test_a_unit_lists_only_its_own_tickets_with_a_pinned_query_count(
    api_client, hotline, django_assert_max_num_queries
):
    mine = [dispatched(hotline) for _ in range(3)]
    dispatched(hotline, department=hotline.market)
    api_client.force_authenticate(hotline.water_staff)
    with django_assert_max_num_queries(8):
        response = api_client.get("/api/v1/tickets/")
    assert response.status_code == 200
    assert {row["number"] for row in response.json()["results"]} == {t.number for t in mine}


def test_the_agent_creates_and_dispatches_and_the_unit_signs_through_the_api(api_client, hotline):
    api_client.force_authenticate(hotline.agent)
    with clock.frozen(at("2026-09-30 15:00")):
        created = api_client.post(
            "/api/v1/tickets/",
            {
                "channel": "phone",
                "category": "complaint",
                "region": hotline.region.code,
                "title": "停水",
                "content": "停水三天",
                "caller_phone": "13812345678",
            },
            format="json",
        )
        assert created.status_code == 201, created.json()
        number = created.json()["number"]
        response = api_client.post(
            f"/api/v1/tickets/{number}/actions/dispatch/", {"department": hotline.water.pk}, format="json"
        )
        assert response.json()["status"] == "dispatched"
    api_client.force_authenticate(hotline.water_staff)
    with clock.frozen(at("2026-10-08 09:00")):
        detail = api_client.get(f"/api/v1/tickets/{number}/").json()
        assert detail["caller"]["phone"] == "138****5678" and detail["allowed_actions"] == ["sign", "return"]
        assert (
            api_client.post(f"/api/v1/tickets/{number}/actions/sign/", {}, format="json").json()["status"]
            == "signed"
        )
        again = api_client.post(f"/api/v1/tickets/{number}/actions/sign/", {}, format="json")
    assert again.status_code == 400 and "已签收" in again.json()["message"]


def test_the_public_progress_needs_the_right_query_code_and_shows_no_caller(api_client, hotline):
    ticket = dispatched(hotline)
    wrong = api_client.get("/api/v1/tickets/progress/", {"number": ticket.number, "query_code": "XXXXXX"})
    assert wrong.status_code == 404
    body = api_client.get(
        "/api/v1/tickets/progress/", {"number": ticket.number, "query_code": ticket.query_code}
    ).json()
    assert body["status"] == "dispatched" and "caller" not in body and "13812345678" not in str(body)
