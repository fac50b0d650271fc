"""拆单: an appeal concerning several departments becomes one child ticket per department, each with its
own clocks; the parent stays the caller's single point (one combined reply, one call-back)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.common import clock
from zhengwu.common.errors import DomainError, PermissionDenied
from zhengwu.hotline import selectors, services
from zhengwu.hotline.models import Ticket, TicketEvent
from zhengwu.hotline.tests.factories import at, dispatched, make_hotline, make_ticket

pytestmark = pytest.mark.django_db

WATER_PART = "幸福小区3栋停水三天，请尽快恢复供水。"
MARKET_PART = "小区门口超市出售过期食品。"


def _split(h, *, now="2026-09-30 15:00", ticket=None):
    ticket = ticket or make_ticket(h, now="2026-09-30 09:00")
    return services.ticket_split(
        ticket=ticket, actor=h.agent, now=at(now), parts=[(h.water, WATER_PART), (h.market, MARKET_PART)]
    )


def _children(parent):
    return list(parent.split_children.select_related("department").order_by("pk"))


def _reply(h, child, staff, *, now, text):
    child = services.ticket_sign(ticket=child, actor=staff, now=at(now))
    return services.ticket_reply(ticket=child, actor=staff, now=at(now), reply=text)


def test_a_split_creates_one_dispatched_child_per_department_each_with_its_own_clocks(hotline):
    parent = _split(hotline)
    assert parent.status == "split" and parent.department is None
    assert parent.sign_due_at is None and parent.finish_due_at is None
    water, market = _children(parent)
    assert [water.number, market.number] == [f"{parent.number}-1", f"{parent.number}-2"]
    assert (water.department, water.content) == (hotline.water, WATER_PART)
    assert (market.department, market.content) == (hotline.market, MARKET_PART)
    for child in (water, market):
        # complaint dispatched Wed 2026-09-30 → sign by Thu 10-08, finish by Thu 10-15 (DOMAIN §7)
        assert child.status == "dispatched" and child.first_dispatched_at == at("2026-09-30 15:00")
        assert child.sign_due_at == at("2026-10-08 23:59:59")
        assert child.finish_due_at == at("2026-10-15 23:59:59")
        assert child.caller_phone == parent.caller_phone and child.parent is None
        assert list(child.events.values_list("action", flat=True)) == ["create", "dispatch"]
    event = parent.events.get(action="split")
    assert event.from_status == "received" and event.data["children"] == [water.number, market.number]


def test_a_returned_ticket_can_be_split_and_the_returning_unit_keeps_only_its_child(hotline):
    ticket = dispatched(hotline)
    ticket = services.ticket_return(
        ticket=ticket, actor=hotline.water_staff, now=at("2026-10-08 09:00"), reason="incomplete"
    )
    parent = _split(hotline, ticket=ticket, now="2026-10-08 10:00")
    assert parent.status == "split" and parent.return_count == 1
    water, _market = _children(parent)
    assert water.sign_due_at == at("2026-10-09 23:59:59")
    assert list(selectors.ticket_list(user=hotline.water_staff)) == [water]


def test_only_a_received_or_returned_ticket_can_be_split(hotline):
    ticket = dispatched(hotline)
    with pytest.raises(DomainError, match="不能执行“拆单”"):
        services.ticket_split(
            ticket=ticket,
            actor=hotline.agent,
            now=at("2026-10-08 10:00"),
            parts=[(hotline.water, "甲"), (hotline.market, "乙")],
        )


def test_a_child_cannot_be_split_merged_or_called_back_on_its_own(hotline):
    water, market = _children(_split(hotline))
    water = services.ticket_return(
        ticket=water, actor=hotline.water_staff, now=at("2026-10-08 09:00"), reason="incomplete"
    )
    with pytest.raises(DomainError) as refused:
        services.ticket_split(
            ticket=water,
            actor=hotline.agent,
            now=at("2026-10-08 10:00"),
            parts=[(hotline.water, "甲"), (hotline.market, "乙")],
        )
    assert "parts" in refused.value.fields
    with pytest.raises(DomainError, match="子单不能并单"):
        services.ticket_merge(ticket=water, master=market, actor=hotline.agent, now=at("2026-10-08 10:00"))
    assert "split" not in [a.value for a in services.ticket_actions_for(hotline.agent, water)]


@pytest.mark.parametrize(
    "parts, field, message",
    [
        (lambda h: [(h.water, "甲")], "parts", "至少需要两个"),
        (
            lambda h: [(h.water, "甲"), (h.water, "乙")],
            "parts[1].department",
            "第 2 项：承办单位与第 1 项重复",
        ),
        (lambda h: [(h.water, "甲"), (None, "乙")], "parts[1].department", "第 2 项：请选择承办单位"),
        (lambda h: [(h.water, "甲"), (h.market, "  ")], "parts[1].content", "第 2 项：请填写"),
        (
            lambda h: [(h.water, "甲"), (make_hotline("430902000000", "资阳区").water, "乙")],
            "parts[1].department",
            "第 2 项：承办单位不在诉求区划的上下级范围内",
        ),
    ],
    ids=["one-part", "same-department", "no-department", "no-content", "outside-region-chain"],
)
def test_a_bad_split_is_refused_in_chinese_naming_the_part_and_field(hotline, parts, field, message):
    ticket = make_ticket(hotline)
    with pytest.raises(DomainError) as refused:
        services.ticket_split(
            ticket=ticket, actor=hotline.agent, now=at("2026-09-30 15:00"), parts=parts(hotline)
        )
    assert field in refused.value.fields and message in refused.value.message
    ticket.refresh_from_db()
    assert ticket.status == "received" and not Ticket.objects.filter(split_parent=ticket).exists()


def test_only_the_centre_may_split(hotline):
    with pytest.raises(PermissionDenied):
        services.ticket_split(
            ticket=make_ticket(hotline),
            actor=hotline.water_staff,
            now=at("2026-09-30 15:00"),
            parts=[(hotline.water, "甲"), (hotline.market, "乙")],
        )


def test_the_parent_is_replied_only_when_every_child_is_and_closes_with_one_combined_reply(hotline):
    parent = _split(hotline)
    water, market = _children(parent)
    _reply(hotline, water, hotline.water_staff, now="2026-10-08 09:00", text="已恢复供水。")
    parent.refresh_from_db()
    assert parent.status == "split" and parent.reply == ""
    with pytest.raises(DomainError, match="不能执行“办结”"):
        services.ticket_close(ticket=parent, actor=hotline.agent, now=at("2026-10-08 10:00"))
    _reply(hotline, market, hotline.market_staff, now="2026-10-09 09:00", text="已查处过期食品。")
    parent.refresh_from_db()
    assert parent.status == "replied" and parent.replied_at == at("2026-10-09 09:00")
    assert parent.reply == (
        f"【{hotline.water.name}】已恢复供水。\n【{hotline.market.name}】已查处过期食品。"
    )
    parent = services.ticket_close(ticket=parent, actor=hotline.agent, now=at("2026-10-09 10:00"))
    assert parent.status == "closed"
    assert {child.status for child in _children(parent)} == {"closed"}
    parent = services.ticket_call_back(
        ticket=parent,
        actor=hotline.agent,
        now=at("2026-10-10 10:00"),
        satisfaction="satisfied",
        resolved=True,
    )
    assert parent.status == "called_back"
    water = Ticket.objects.get(pk=water.pk)
    with pytest.raises(DomainError, match="不单独回访"):
        services.ticket_call_back(
            ticket=water,
            actor=hotline.agent,
            now=at("2026-10-10 10:00"),
            satisfaction="satisfied",
            resolved=True,
        )
    assert TicketEvent.objects.filter(action="call_back").count() == 1


def test_a_child_closed_by_the_centre_counts_as_done_for_its_parent(hotline):
    parent = _split(hotline)
    water, market = _children(parent)
    water = _reply(hotline, water, hotline.water_staff, now="2026-10-08 09:00", text="已恢复供水。")
    services.ticket_close(ticket=water, actor=hotline.agent, now=at("2026-10-08 10:00"))
    _reply(hotline, market, hotline.market_staff, now="2026-10-09 09:00", text="已查处。")
    parent.refresh_from_db()
    assert parent.status == "replied"


def test_each_department_sees_only_its_own_child_and_never_the_parent(hotline, client, api_client):
    parent = _split(hotline)
    water, market = _children(parent)
    assert list(selectors.ticket_list(user=hotline.water_staff)) == [water]
    assert list(selectors.ticket_list(user=hotline.market_staff)) == [market]
    client.force_login(hotline.water_staff)
    assert client.get(f"/workbench/hotline/{parent.number}/").status_code == 404
    assert client.get(f"/workbench/hotline/{market.number}/").status_code == 404
    page = client.get(f"/workbench/hotline/{water.number}/").content.decode()
    assert WATER_PART in page and MARKET_PART not in page and "拆自主单" in page
    api_client.force_authenticate(hotline.market_staff)
    assert api_client.get(f"/api/v1/tickets/{parent.number}/").status_code == 404
    detail = api_client.get(f"/api/v1/tickets/{market.number}/").json()
    assert detail["split_parent"] == parent.number and detail["split_children"] == []


def test_the_agent_splits_from_the_ticket_page_and_sees_the_children(hotline, client):
    ticket = make_ticket(hotline)
    client.force_login(hotline.agent)
    with clock.frozen(at("2026-09-30 15:00")):
        page = client.get(f"/workbench/hotline/{ticket.number}/").content.decode()
        assert 'class="card action-split"' in page
        refused = client.post(
            f"/workbench/hotline/{ticket.number}/actions/split/",
            {"part_department": [hotline.water.pk, ""], "part_content": [WATER_PART, ""]},
        )
        assert refused.status_code == 400 and "拆单至少需要两个承办单位" in refused.content.decode()
        response = client.post(
            f"/workbench/hotline/{ticket.number}/actions/split/",
            {
                "part_department": [hotline.water.pk, hotline.market.pk, "", ""],
                "part_content": [WATER_PART, MARKET_PART, "", ""],
            },
        )
    assert response.status_code == 302
    page = client.get(f"/workbench/hotline/{ticket.number}/").content.decode()
    assert "拆分子单" in page and f"{ticket.number}-1" in page and hotline.market.name in page
    client.force_login(hotline.water_staff)
    water_page = client.get(f"/workbench/hotline/{ticket.number}-1/").content.decode()
    assert "action-split" not in water_page and "拆分子单" not in water_page


def test_the_split_action_through_the_api(hotline, api_client):
    ticket = make_ticket(hotline)
    api_client.force_authenticate(hotline.agent)
    url = f"/api/v1/tickets/{ticket.number}/actions/split/"
    with clock.frozen(at("2026-09-30 15:00")):
        refused = api_client.post(
            url,
            {
                "parts": [
                    {"department": hotline.water.pk, "content": "甲"},
                    {"department": 0, "content": "乙"},
                ]
            },
            format="json",
        )
        assert refused.status_code == 400 and "parts[1].department" in refused.json()["fields"]
        response = api_client.post(
            url,
            {
                "parts": [
                    {"department": hotline.water.pk, "content": WATER_PART},
                    {"department": hotline.market.pk, "content": MARKET_PART},
                ]
            },
            format="json",
        )
    body = response.json()
    assert response.status_code == 200 and body["status"] == "split"
    assert [(c["number"], c["department"], c["status"]) for c in body["split_children"]] == [
        (f"{ticket.number}-1", hotline.water.name, "dispatched"),
        (f"{ticket.number}-2", hotline.market.name, "dispatched"),
    ]


def test_the_region_counts_the_appeal_once_and_each_department_its_child(hotline):
    parent = _split(hotline)
    water, market = _children(parent)
    _reply(hotline, water, hotline.water_staff, now="2026-10-08 09:00", text="好")
    _reply(hotline, market, hotline.market_staff, now="2026-10-09 09:00", text="好")
    parent.refresh_from_db()
    services.ticket_close(ticket=parent, actor=hotline.agent, now=at("2026-10-09 10:00"))
    start, end = dt.date(2026, 9, 1), dt.date(2026, 10, 31)
    region = selectors.ticket_kpis(start=start, end=end, region=hotline.region)
    assert region.received == 1 and region.counts["finish_ontime"] == (2, 2)
    assert region.counts["called_back"] == (0, 1)  # the parent is owed the one call-back
    water_kpis = selectors.ticket_kpis(start=start, end=end, department=hotline.water)
    assert water_kpis.received == 1 and water_kpis.counts["called_back"] == (0, 0)
