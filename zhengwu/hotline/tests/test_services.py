"""The 12345 services: intake, dispatch with SLA clocks, return and re-dispatch, extension, reply, close,
call-back, redo, merge, the sweep — each guarded, journalled and scoped."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.common.errors import DomainError, PermissionDenied
from zhengwu.hotline import services
from zhengwu.hotline.models import Ticket, TicketEvent
from zhengwu.hotline.tests.factories import at, dispatched, make_ticket

pytestmark = pytest.mark.django_db


def test_a_call_gets_a_region_dated_number_and_a_query_code(hotline):
    ticket = make_ticket(hotline)
    assert ticket.number == "RX-430903-20260930-000001"
    assert len(ticket.query_code) == 6 and ticket.status == "received"
    assert make_ticket(hotline).number.endswith("-000002")


def test_only_an_agent_may_register_a_phone_call(hotline):
    with pytest.raises(PermissionDenied):
        make_ticket(hotline, agent=hotline.water_staff)


def test_a_web_appeal_without_a_phone_is_refused_naming_the_field(hotline):
    with pytest.raises(DomainError) as refused:
        make_ticket(hotline, channel="web", agent=None, caller_phone="")
    assert "caller_phone" in refused.value.fields


def test_the_catalogue_suggests_the_department_by_topic_then_by_keyword(hotline):
    assert services.dispatch_suggest(region=hotline.region, topic="供水") == hotline.water
    assert services.dispatch_suggest(region=hotline.region, text="餐馆卖过期食品") == hotline.market
    assert services.dispatch_suggest(region=hotline.region, text="路灯不亮") is None


def test_dispatching_the_domain_example_sets_sign_by_1008_and_finish_by_1015(hotline):
    ticket = dispatched(hotline, now="2026-09-30 15:00")
    assert ticket.status == "dispatched" and ticket.department == hotline.water
    assert ticket.sign_due_at == at("2026-10-08 23:59:59")
    assert ticket.finish_due_at == at("2026-10-15 23:59:59")


def test_a_complex_flag_needs_a_reason_and_gives_15_working_days(hotline):
    ticket = make_ticket(hotline)
    with pytest.raises(DomainError) as refused:
        services.ticket_dispatch(
            ticket=ticket,
            actor=hotline.agent,
            now=at("2026-09-30 15:00"),
            department=hotline.water,
            is_complex=True,
        )
    assert "complex_reason" in refused.value.fields
    ticket = services.ticket_dispatch(
        ticket=ticket,
        actor=hotline.agent,
        now=at("2026-09-30 15:00"),
        department=hotline.water,
        is_complex=True,
        complex_reason="涉及多个部门",
    )
    assert ticket.finish_due_at == at("2026-10-27 23:59:59")


def test_a_critical_ticket_must_be_signed_within_30_minutes(hotline):
    ticket = dispatched(hotline, now="2026-10-01 23:50", urgency="critical")
    assert ticket.sign_due_at == at("2026-10-02 00:20") and ticket.finish_due_at == at("2026-10-02 01:50")
    ticket = services.ticket_sign(ticket=ticket, actor=hotline.water_staff, now=at("2026-10-02 00:30"))
    assert ticket.sign_overdue


def test_the_agent_answers_directly_from_the_knowledge_base_and_the_ticket_closes(hotline):
    ticket = make_ticket(hotline, category="consult", topic="")
    ticket = services.ticket_answer_directly(
        ticket=ticket, actor=hotline.agent, now=at("2026-09-30 09:05"), reply="到大厅补办。"
    )
    assert (
        ticket.status == "direct" and ticket.closed_at == at("2026-09-30 09:05") and ticket.department is None
    )


def test_a_unit_cannot_sign_a_ticket_dispatched_to_another_unit(hotline):
    ticket = dispatched(hotline)
    with pytest.raises(PermissionDenied):
        services.ticket_sign(ticket=ticket, actor=hotline.market_staff, now=at("2026-10-08 09:00"))


def test_a_return_needs_a_reason_from_the_list_and_a_basis_when_not_our_duty(hotline):
    ticket = dispatched(hotline)
    with pytest.raises(DomainError) as refused:
        services.ticket_return(
            ticket=ticket, actor=hotline.water_staff, now=at("2026-10-08 09:00"), reason="太忙"
        )
    assert "reason" in refused.value.fields
    with pytest.raises(DomainError) as refused:
        services.ticket_return(
            ticket=ticket, actor=hotline.water_staff, now=at("2026-10-08 09:00"), reason="not_our_duty"
        )
    assert "note" in refused.value.fields


def test_a_return_after_the_sign_for_window_is_refused(hotline):
    ticket = dispatched(hotline)
    with pytest.raises(DomainError, match="签收时限"):
        services.ticket_return(
            ticket=ticket, actor=hotline.water_staff, now=at("2026-10-09 00:00"), reason="incomplete"
        )


def test_an_accepted_return_re_dispatches_with_new_clocks_and_a_rejected_one_keeps_them(hotline):
    ticket = dispatched(hotline)
    ticket = services.ticket_return(
        ticket=ticket,
        actor=hotline.water_staff,
        now=at("2026-10-08 10:00"),
        reason="not_our_duty",
        note="三定规定食品归市监",
    )
    assert ticket.status == "returned" and ticket.return_count == 1
    ticket = services.ticket_accept_return(
        ticket=ticket, actor=hotline.agent, now=at("2026-10-08 11:00"), department=hotline.market
    )
    assert ticket.status == "reassigned" and ticket.department == hotline.market
    assert ticket.sign_due_at == at("2026-10-09 23:59:59") and ticket.finish_due_at == at(
        "2026-10-16 23:59:59"
    )
    ticket = services.ticket_return(
        ticket=ticket, actor=hotline.market_staff, now=at("2026-10-09 10:00"), reason="incomplete"
    )
    ticket = services.ticket_reject_return(
        ticket=ticket, actor=hotline.agent, now=at("2026-10-09 11:00"), comment="信息已足够"
    )
    assert ticket.status == "dispatched" and ticket.department == hotline.market
    assert ticket.finish_due_at == at("2026-10-16 23:59:59") and ticket.return_count == 2


def test_a_unit_cannot_decide_on_its_own_return(hotline):
    ticket = dispatched(hotline)
    ticket = services.ticket_return(
        ticket=ticket, actor=hotline.water_staff, now=at("2026-10-08 10:00"), reason="duplicate"
    )
    with pytest.raises(PermissionDenied):
        services.ticket_accept_return(
            ticket=ticket, actor=hotline.water_staff, now=at("2026-10-08 11:00"), department=hotline.market
        )


def _signed(hotline):
    ticket = dispatched(hotline)
    return services.ticket_sign(ticket=ticket, actor=hotline.water_staff, now=at("2026-10-08 09:00"))


def test_one_extension_of_at_most_the_original_limit_moves_the_finish_due(hotline):
    ticket = _signed(hotline)
    with pytest.raises(DomainError) as refused:
        services.ticket_request_extension(
            ticket=ticket,
            actor=hotline.water_staff,
            now=at("2026-10-09 09:00"),
            amount=8,
            reason="需现场勘查",
        )
    assert "amount" in refused.value.fields
    ticket = services.ticket_request_extension(
        ticket=ticket, actor=hotline.water_staff, now=at("2026-10-09 09:00"), amount=7, reason="需现场勘查"
    )
    assert ticket.status == "signed" and ticket.extension_state == "requested"
    ticket = services.ticket_approve_extension(ticket=ticket, actor=hotline.agent, now=at("2026-10-09 10:00"))
    assert ticket.status == "extended" and ticket.finish_due_at == at("2026-10-26 23:59:59")


def test_a_second_extension_request_is_refused(hotline):
    ticket = _signed(hotline)
    ticket = services.ticket_request_extension(
        ticket=ticket, actor=hotline.water_staff, now=at("2026-10-09 09:00"), amount=2, reason="等待检测"
    )
    ticket = services.ticket_reject_extension(
        ticket=ticket, actor=hotline.agent, now=at("2026-10-09 10:00"), comment="时间足够"
    )
    with pytest.raises(DomainError, match="只能申请一次"):
        services.ticket_request_extension(
            ticket=ticket, actor=hotline.water_staff, now=at("2026-10-09 11:00"), amount=2, reason="再等等"
        )


def test_an_extension_requested_after_the_due_moment_is_refused(hotline):
    ticket = _signed(hotline)
    with pytest.raises(DomainError, match="已超过办结时限"):
        services.ticket_request_extension(
            ticket=ticket, actor=hotline.water_staff, now=at("2026-10-16 09:00"), amount=2, reason="晚了"
        )


def _closed(hotline):
    ticket = services.ticket_start(
        ticket=_signed(hotline), actor=hotline.water_staff, now=at("2026-10-08 10:00")
    )
    ticket = services.ticket_reply(
        ticket=ticket, actor=hotline.water_staff, now=at("2026-10-12 10:00"), reply="已恢复供水。"
    )
    return services.ticket_close(ticket=ticket, actor=hotline.agent, now=at("2026-10-12 11:00"))


def test_the_loop_closes_with_a_call_back_and_an_evaluation(hotline):
    ticket = _closed(hotline)
    assert ticket.status == "closed" and not ticket.finish_overdue
    ticket = services.ticket_call_back(
        ticket=ticket,
        actor=hotline.agent,
        now=at("2026-10-13 10:00"),
        satisfaction="satisfied",
        resolved=True,
    )
    ticket = services.ticket_evaluate(
        ticket=ticket, actor=hotline.agent, now=at("2026-10-13 11:00"), evaluation="办理及时"
    )
    assert ticket.status == "evaluated"
    actions = list(TicketEvent.objects.filter(ticket=ticket).values_list("action", flat=True))
    assert actions == ["create", "dispatch", "sign", "start", "reply", "close", "call_back", "evaluate"]


def test_a_reply_after_the_finish_due_is_marked_overdue(hotline):
    ticket = _signed(hotline)
    ticket = services.ticket_reply(
        ticket=ticket, actor=hotline.water_staff, now=at("2026-10-16 08:00"), reply="已处理"
    )
    assert ticket.finish_overdue


def test_an_unresolved_call_back_confirmed_by_the_centre_reopens_with_a_new_finish_clock(hotline):
    ticket = services.ticket_call_back(
        ticket=_closed(hotline),
        actor=hotline.agent,
        now=at("2026-10-13 10:00"),
        satisfaction="basically",
        resolved=False,
    )
    ticket = services.ticket_reopen(
        ticket=ticket, actor=hotline.agent, now=at("2026-10-13 11:00"), comment="仍然停水"
    )
    assert ticket.status == "redo" and ticket.redo_count == 1
    assert ticket.finish_due_at == at("2026-10-22 23:59:59")  # 7 wd from Tue 10-13
    assert ticket.satisfaction == "" and ticket.closed_at is None


def test_a_satisfied_resolved_ticket_cannot_be_reopened(hotline):
    ticket = services.ticket_call_back(
        ticket=_closed(hotline),
        actor=hotline.agent,
        now=at("2026-10-13 10:00"),
        satisfaction="satisfied",
        resolved=True,
    )
    with pytest.raises(DomainError, match="未解决"):
        services.ticket_reopen(ticket=ticket, actor=hotline.agent, now=at("2026-10-13 11:00"), comment="再查")


def test_a_merged_duplicate_copies_the_masters_outcome_and_its_caller_is_still_called_back(hotline):
    master = dispatched(hotline)
    duplicate = make_ticket(hotline, now="2026-09-30 16:00", caller_name="李四", caller_phone="13900001111")
    duplicate = services.ticket_merge(
        ticket=duplicate, master=master, actor=hotline.agent, now=at("2026-09-30 16:05")
    )
    assert duplicate.status == "merged" and duplicate.parent == master
    with pytest.raises(DomainError, match="主单办结后"):
        services.ticket_call_back(
            ticket=duplicate,
            actor=hotline.agent,
            now=at("2026-10-01 10:00"),
            satisfaction="satisfied",
            resolved=True,
        )
    master = services.ticket_sign(ticket=master, actor=hotline.water_staff, now=at("2026-10-08 09:00"))
    master = services.ticket_reply(
        ticket=master, actor=hotline.water_staff, now=at("2026-10-09 09:00"), reply="已修复管道。"
    )
    services.ticket_close(ticket=master, actor=hotline.agent, now=at("2026-10-09 10:00"))
    duplicate.refresh_from_db()
    assert duplicate.reply == "已修复管道。" and duplicate.closed_at == at("2026-10-09 10:00")
    duplicate = services.ticket_call_back(
        ticket=duplicate,
        actor=hotline.agent,
        now=at("2026-10-10 10:00"),
        satisfaction="satisfied",
        resolved=True,
    )
    assert duplicate.status == "called_back"


def test_a_ticket_cannot_be_merged_into_itself_or_into_a_merged_ticket(hotline):
    master, other = make_ticket(hotline), make_ticket(hotline)
    with pytest.raises(DomainError, match="它自己"):
        services.ticket_merge(ticket=master, master=master, actor=hotline.agent, now=at("2026-09-30 10:00"))
    services.ticket_merge(ticket=other, master=master, actor=hotline.agent, now=at("2026-09-30 10:00"))
    third = make_ticket(hotline)
    with pytest.raises(DomainError, match="已被并单"):
        services.ticket_merge(
            ticket=third,
            master=Ticket.objects.get(pk=other.pk),
            actor=hotline.agent,
            now=at("2026-09-30 10:00"),
        )


def test_a_stale_copy_conflicts_and_the_second_signature_loses(hotline):
    ticket = dispatched(hotline)
    stale = Ticket.objects.get(pk=ticket.pk)
    services.ticket_sign(ticket=ticket, actor=hotline.water_staff, now=at("2026-10-08 09:00"))
    with pytest.raises(services.Conflict):
        services.ticket_sign(ticket=stale, actor=hotline.water_staff, now=at("2026-10-08 09:01"))


def test_an_action_the_table_refuses_names_the_status_and_the_action(hotline):
    ticket = make_ticket(hotline)
    with pytest.raises(DomainError, match=r"已受理.*签收"):
        services.ticket_sign(ticket=ticket, actor=hotline.water_staff, now=at("2026-10-08 09:00"))


def test_the_sweep_marks_overdue_chases_once_then_in_writing_and_is_idempotent(hotline):
    ticket = dispatched(hotline)
    first = services.tickets_sweep(now=at("2026-10-16 00:30"))
    assert first == {"sign_overdue": 1, "finish_overdue": 1, "chased": 1}
    assert services.tickets_sweep(now=at("2026-10-16 00:40")) == {
        "sign_overdue": 0,
        "finish_overdue": 0,
        "chased": 0,
    }
    ticket.refresh_from_db()
    assert ticket.chase_level == "automatic" and ticket.sign_overdue and ticket.finish_overdue
    # the day after the due date is 10-16; 5 wd later: 10-23
    assert services.tickets_sweep(now=at("2026-10-23 00:30"))["chased"] == 1
    ticket.refresh_from_db()
    assert ticket.chase_level == "written"
    assert TicketEvent.objects.filter(ticket=ticket, action="chase").count() == 2


def test_the_actions_offered_follow_the_role_and_the_state(hotline):
    ticket = dispatched(hotline)
    assert [a.value for a in services.ticket_actions_for(hotline.water_staff, ticket)] == ["sign", "return"]
    assert [a.value for a in services.ticket_actions_for(hotline.agent, ticket)] == ["merge"]
    assert services.ticket_actions_for(hotline.market_staff, ticket) == []


def test_events_are_immutable(hotline):
    event = TicketEvent.objects.filter(ticket=make_ticket(hotline)).get()
    event.comment = "改"
    with pytest.raises(ValueError):
        event.save()


def test_due_moments_are_stored_as_aware_utc(hotline):
    ticket = Ticket.objects.get(pk=dispatched(hotline).pk)
    assert ticket.finish_due_at.utcoffset() == dt.timedelta(0)
