"""Open311 GeoReport v2 reads: categories as services, only published non-confidential tickets, no caller."""

from __future__ import annotations

import pytest

from zhengwu.hotline import services
from zhengwu.hotline.tests.factories import at, make_ticket

pytestmark = pytest.mark.django_db


def _replied_letter(h, **kwargs):
    ticket = make_ticket(
        h,
        channel="mailbox",
        agent=None,
        category="suggestion",
        publish_consent=True,
        title="建议增设路灯",
        **kwargs,
    )
    ticket = services.ticket_dispatch(
        ticket=ticket, actor=h.agent, now=at("2026-09-30 15:00"), department=h.water
    )
    ticket = services.ticket_sign(ticket=ticket, actor=h.water_staff, now=at("2026-10-08 09:00"))
    return services.ticket_reply(
        ticket=ticket, actor=h.water_staff, now=at("2026-10-08 10:00"), reply="已安装。"
    )


def test_services_are_the_ticket_categories(api_client):
    response = api_client.get("/api/open311/v2/services.json")
    codes = {row["service_code"]: row["service_name"] for row in response.json()}
    assert response.status_code == 200 and codes["complaint"] == "投诉" and len(codes) == 7


def test_requests_list_only_published_non_confidential_tickets_without_the_caller(api_client, hotline):
    public = _replied_letter(hotline)
    _replied_letter(hotline, confidential=True)
    make_ticket(hotline, channel="mailbox", agent=None, publish_consent=True)  # not replied yet
    make_ticket(hotline)  # a phone call: never published
    response = api_client.get("/api/open311/v2/requests.json")
    rows = response.json()
    assert response.status_code == 200 and [r["service_request_id"] for r in rows] == [public.number]
    row = rows[0]
    assert row["status"] == "closed" and row["service_code"] == "suggestion" and row["address"] == "赫山区"
    assert row["agency_responsible"] == hotline.water.name and row["requested_datetime"].endswith("+08:00")
    assert "张三丰" not in response.content.decode() and "13812345678" not in response.content.decode()
    assert (
        api_client.get("/api/open311/v2/requests.json?status=open").json() == []
    )  # replied: the unit is done
    assert (
        len(api_client.get("/api/open311/v2/requests.json?status=closed&service_code=suggestion").json()) == 1
    )
    assert api_client.get("/api/open311/v2/requests.json?service_code=complaint").json() == []


def test_one_request_by_number_and_a_hidden_one_is_404(api_client, hotline):
    public = _replied_letter(hotline)
    hidden = make_ticket(hotline)
    response = api_client.get(f"/api/open311/v2/requests/{public.number}.json")
    assert response.status_code == 200 and response.json()[0]["service_notice"] == "已安装。"
    missing = api_client.get(f"/api/open311/v2/requests/{hidden.number}.json")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_bad_filters_are_400_in_chinese(api_client):
    response = api_client.get("/api/open311/v2/requests.json?status=pending&limit=999")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"status", "limit"}
    response = api_client.get(
        "/api/open311/v2/requests.json?start_date=2026-01-01T00:00:00%2B08:00&end_date=2026-06-01T00:00:00%2B08:00"
    )
    assert response.status_code == 400 and "90 天" in response.json()["message"]
