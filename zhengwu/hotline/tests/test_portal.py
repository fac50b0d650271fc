"""The public 12345 pages: progress by number + code, the 市长信箱, online consultation and its FAQ."""

from __future__ import annotations

import pytest

from zhengwu.catalog.tests.factories import make_item
from zhengwu.common import clock
from zhengwu.common.errors import DomainError
from zhengwu.hotline import services
from zhengwu.hotline.models import Ticket
from zhengwu.hotline.tests.factories import at, dispatched

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def _letter(hotline, **overrides):
    return {
        "region": hotline.region.pk,
        "category": "suggestion",
        "title": "建议增设公交线路",
        "content": "幸福小区到火车站没有直达公交，建议增设。",
        "caller_name": "李四光",
        "caller_phone": "13900001111",
        "publish_consent": "on",
    } | overrides


def test_progress_shows_status_unit_and_steps_but_never_the_caller(client, hotline):
    ticket = dispatched(hotline)
    page = client.post(
        "/hotline/progress/", {"number": ticket.number, "query_code": ticket.query_code.lower()}
    ).content.decode()
    assert "已派单" in page and hotline.water.name in page and "已转交承办单位" in page
    assert "张三丰" not in page and "13812345678" not in page and "坐席小王" not in page


def test_progress_gives_one_answer_for_a_wrong_code_or_number(client, hotline):
    ticket = dispatched(hotline)
    wrong_code = client.post("/hotline/progress/", {"number": ticket.number, "query_code": "XXXXXX"})
    wrong_number = client.post("/hotline/progress/", {"number": "RX-0", "query_code": ticket.query_code})
    assert "工单编号或查询码不正确" in wrong_code.content.decode()
    assert "工单编号或查询码不正确" in wrong_number.content.decode()
    assert ticket.title not in wrong_code.content.decode()


def test_progress_is_rate_limited_per_address(client, hotline, monkeypatch):
    monkeypatch.setattr("zhengwu.portal.hotline_views.PROGRESS_PER_MINUTE", 2)
    ticket = dispatched(hotline)
    data = {"number": ticket.number, "query_code": ticket.query_code}
    for _ in range(2):
        assert "已派单" in client.post("/hotline/progress/", data).content.decode()
    assert "查询过于频繁" in client.post("/hotline/progress/", data).content.decode()


def test_behind_the_trusted_proxy_each_citizen_has_an_own_progress_limit(
    client, hotline, monkeypatch, settings
):
    monkeypatch.setattr("zhengwu.portal.hotline_views.PROGRESS_PER_MINUTE", 2)
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    ticket = dispatched(hotline)
    data = {"number": ticket.number, "query_code": ticket.query_code}
    for _ in range(2):
        client.post("/hotline/progress/", data, HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert (
        "查询过于频繁"
        in client.post("/hotline/progress/", data, HTTP_X_FORWARDED_FOR="10.0.0.1").content.decode()
    )
    assert (
        "已派单" in client.post("/hotline/progress/", data, HTTP_X_FORWARDED_FOR="10.0.0.2").content.decode()
    )


def test_a_letter_becomes_a_mailbox_ticket_at_the_centre_with_the_writers_consent(client, hotline):
    with clock.frozen(at("2026-09-30 10:00")):
        response = client.post("/hotline/mailbox/write/", _letter(hotline))
    ticket = Ticket.objects.get()
    assert response.status_code == 200
    assert ticket.channel == "mailbox" and ticket.status == "received" and ticket.publish_consent
    assert ticket.number in response.content.decode() and ticket.query_code in response.content.decode()
    assert ticket.events.get().action == "create"


def test_a_letter_with_errors_names_each_field_in_chinese(client, hotline):
    response = client.post(
        "/hotline/mailbox/write/", _letter(hotline, title="", caller_phone="abc", region="")
    )
    page = response.content.decode()
    assert response.status_code == 400 and not Ticket.objects.exists()
    assert "标题：请填写标题。" in page and "来信区域：请选择来信区域。" in page and "联系电话：" in page


def test_writing_letters_is_rate_limited(client, hotline, monkeypatch):
    monkeypatch.setattr("zhengwu.portal.hotline_views.WRITES_PER_MINUTE", 1)
    assert client.post("/hotline/mailbox/write/", _letter(hotline)).status_code == 200
    response = client.post("/hotline/mailbox/write/", _letter(hotline))
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert Ticket.objects.count() == 1


def _reply(hotline, ticket, now="2026-10-08 10:00"):
    services.ticket_dispatch(ticket=ticket, actor=hotline.agent, now=at(now), department=hotline.water)
    ticket.refresh_from_db()
    ticket = services.ticket_sign(ticket=ticket, actor=hotline.water_staff, now=at(now))
    return services.ticket_reply(
        ticket=ticket, actor=hotline.water_staff, now=at(now), reply="已纳入线网规划。"
    )


def test_only_replied_letters_whose_writer_agreed_are_published_without_the_writer(client, hotline):
    with clock.frozen(at("2026-09-30 10:00")):
        client.post("/hotline/mailbox/write/", _letter(hotline, title="同意公开的来信"))
        client.post("/hotline/mailbox/write/", _letter(hotline, title="不同意公开的来信", publish_consent=""))
        client.post("/hotline/mailbox/write/", _letter(hotline, title="尚未答复的来信"))
    for ticket in Ticket.objects.exclude(title="尚未答复的来信"):
        _reply(hotline, ticket)
    page = client.get("/hotline/mailbox/").content.decode()
    assert "同意公开的来信" in page and "已纳入线网规划" in page
    assert "不同意公开的来信" not in page and "尚未答复的来信" not in page
    assert "李四光" not in page and "13900001111" not in page


def test_a_question_on_the_guide_page_is_a_consultation_dispatched_to_the_items_department(client, hotline):
    item = make_item(department=hotline.water, name="取水许可")
    guide = client.get(f"/items/{item.implementation_code}/").content.decode()
    assert f"/items/{item.implementation_code}/ask/" in guide and "我要咨询" in guide
    with clock.frozen(at("2026-09-30 15:00")):  # Wednesday before the National Day holiday
        response = client.post(
            f"/items/{item.implementation_code}/ask/",
            {
                "title": "需要哪些材料",
                "content": "个人取水需要办许可吗？",
                "caller_name": "王五",
                "caller_phone": "13700002222",
            },
        )
    ticket = Ticket.objects.get()
    assert response.status_code == 200 and ticket.number in response.content.decode()
    assert (ticket.category, ticket.channel, ticket.status) == ("consult", "web", "dispatched")
    assert ticket.item == item and ticket.department == hotline.water
    assert ticket.sign_due_at.date().isoformat() == "2026-10-08"  # 1 wd after the holiday
    assert ticket.finish_due_at.date().isoformat() == "2026-10-09"  # 2 wd
    assert list(ticket.events.values_list("action", flat=True)) == ["create", "dispatch"]


def test_a_question_with_missing_fields_is_refused_naming_them(client, hotline):
    item = make_item(department=hotline.water)
    response = client.post(f"/items/{item.implementation_code}/ask/", {"title": "", "content": ""})
    page = response.content.decode()
    assert (
        response.status_code == 400
        and "问题摘要：请填写问题摘要。" in page
        and "联系电话：请填写联系电话。" in page
    )


def test_an_answered_question_shows_on_the_guide_page_only_once_the_centre_publishes_it(client, hotline):
    item = make_item(department=hotline.water)
    ticket = services.ticket_ask_about_item(
        item=item,
        title="办理时限多久",
        content="多久能办好？",
        caller_name="赵六",
        caller_phone="13600003333",
        now=at("2026-09-30 15:00"),
    )
    ticket = services.ticket_sign(ticket=ticket, actor=hotline.water_staff, now=at("2026-10-08 09:00"))
    with pytest.raises(DomainError):
        services.ticket_publish_faq(ticket=ticket, actor=hotline.agent, now=at("2026-10-08 09:30"))
    ticket = services.ticket_reply(
        ticket=ticket, actor=hotline.water_staff, now=at("2026-10-08 10:00"), reply="承诺 5 个工作日办结。"
    )
    url = f"/items/{item.implementation_code}/faq/"
    assert "承诺 5 个工作日办结" not in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    with pytest.raises(DomainError):  # only the centre publishes
        services.ticket_publish_faq(ticket=ticket, actor=hotline.water_staff, now=at("2026-10-08 11:00"))
    ticket = services.ticket_publish_faq(ticket=ticket, actor=hotline.agent, now=at("2026-10-08 11:00"))
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "办理时限多久" in fragment and "承诺 5 个工作日办结" in fragment and "赵六" not in fragment
    assert ticket.events.filter(action="publish_faq").count() == 1
    assert "办理时限多久" in client.get(url).content.decode()  # without htmx: the full page
