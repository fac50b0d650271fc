"""Follow-ups to the card rules (DOMAIN §4.2, §4.4, §5.1): the case's own pause flag, cured cards
closing, Y2 only within the limits, the pause-overrun yellow (Y2P), the 容缺 reminder (D1), responses
and their acceptance, and the reason shown for a step clock that joins an open pause."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.cases import selectors, services
from zhengwu.cases.models import Card, Case, CaseEvent, Clock, ClockSegment
from zhengwu.cases.tests.factories import accepted_case, at, make_case, make_county, receive_all
from zhengwu.cases.tests.test_services_deficiency import accepted_with_deficiency
from zhengwu.common.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db

NO_STEP_LIMIT = [{"name": "审查", "limit": None, "limit_unit": "working_day"}]
NO_WORKING_DAY_CLOCKS = {
    "legal_limit": 30,
    "legal_limit_unit": "natural_day",
    "promised_limit": 20,
    "promised_limit_unit": "natural_day",
}
EXPERT_REVIEW = "组织专家评审，书面告知申请人所需时间"


def sweep(day: str, hour: int = 1) -> dict[str, int]:
    return services.cases_sweep(now=at(day, hour))


def rules(case: Case) -> list[str]:
    return sorted(Card.objects.filter(case=case).values_list("rule", flat=True))


def card(case: Case, rule: str) -> Card:
    return Card.objects.get(case=case, rule=rule)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def pause(case, county, day: str, reason_code: str = "expert_review", expected_days: int = 5) -> Case:
    return services.case_pause(
        case=case,
        actor=county.approver,
        now=at(day),
        reason_code=reason_code,
        reason=EXPERT_REVIEW,
        expected_days=expected_days,
    )


def renotify(
    case, county, day: str, expected_days: int = 3, reason: str = "专家评审延期，再次书面告知"
) -> Case:
    return services.case_pause_renotify(
        case=case, actor=county.approver, now=at(day), expected_days=expected_days, reason=reason
    )


def example_a(county) -> Case:
    """DOMAIN §4.3 A: accepted Tue 02-10; promised 5 wd → 02-24, statutory 20 wd → 03-16."""
    return accepted_case(county, day="2026-02-10", steps=NO_STEP_LIMIT)


def clockless(county) -> Case:
    """Limits in natural days and a step without a limit: no working-day clock runs in review."""
    case = accepted_case(county, steps=NO_STEP_LIMIT, elements=NO_WORKING_DAY_CLOCKS)
    assert not case.clocks.exclude(status="stopped").exists()
    return case


# -- 1. the case's own pause flag -------------------------------------------------------------------


def test_a_pause_marks_the_case_paused_even_without_working_day_clocks(county):
    case = pause(clockless(county), county, "2026-06-03")
    assert fresh(case).paused
    services._refresh_dues(case, dt.date(2026, 6, 4))  # re-deriving the dues leaves the flag alone
    assert fresh(case).paused


def test_pauses_do_not_stack_on_a_case_without_working_day_clocks(county):
    case = pause(clockless(county), county, "2026-06-03")
    with pytest.raises(DomainError) as refused:
        pause(case, county, "2026-06-04", reason_code="hearing")
    assert refused.value.code == "already_paused"


def test_a_decision_waits_for_the_resume_on_a_case_without_working_day_clocks(county):
    case = services.case_step_pass(case=clockless(county), actor=county.approver, now=at("2026-06-02"))
    case = pause(case, county, "2026-06-03")
    with pytest.raises(DomainError) as refused:
        services.case_grant(case=case, actor=county.approver, now=at("2026-06-04"))
    assert refused.value.code == "paused"
    case = services.case_resume(case=case, actor=county.approver, now=at("2026-06-05"))
    assert not fresh(case).paused
    case = services.case_grant(case=case, actor=county.approver, now=at("2026-06-05"))
    assert fresh(case).status == "granted"


def test_withdrawing_a_paused_case_ends_its_pause(county):
    case = pause(accepted_case(county), county, "2026-06-03")
    services.case_withdraw(case=case, actor=county.clerk, now=at("2026-06-04"), reason="申请人书面撤回")
    case = fresh(case)
    assert (case.status, case.paused) == ("withdrawn", False)
    assert not ClockSegment.objects.filter(clock__case=case, end__isnull=True).exists()


# -- 2. cured cards close ------------------------------------------------------------------------------


def test_finishing_the_case_closes_its_y1_and_n1_but_keeps_the_case_warning(county):
    case = example_a(county)
    sweep("2026-02-14")
    sweep("2026-02-25")
    case = services.case_step_pass(case=fresh(case), actor=county.approver, now=at("2026-02-26"))
    services.case_grant(case=case, actor=county.approver, now=at("2026-02-26"))
    assert card(case, "Y1").closed_on == card(case, "N1").closed_on == dt.date(2026, 2, 26)
    assert fresh(case).warning == "yellow"  # history: the highest level issued and not voided
    board = selectors.card_list(user=county.supervisor, open_only=True)
    assert not board.filter(case=case).exists()
    assert selectors.card_list(user=county.supervisor).filter(case=case).count() == 2


def test_finishing_the_case_closes_its_r1(county):
    case = example_a(county)
    sweep("2026-03-17")
    case = services.case_step_pass(case=fresh(case), actor=county.approver, now=at("2026-03-18"))
    services.case_deny(case=case, actor=county.approver, now=at("2026-03-18"), reason="不符合法定条件")
    assert card(case, "R1").closed_on == dt.date(2026, 3, 18)


def test_terminating_the_case_closes_its_y1(county):
    case = example_a(county)
    sweep("2026-02-25")
    services.case_terminate(
        case=fresh(case), actor=county.approver, now=at("2026-02-27"), reason="申请人失联"
    )
    assert card(case, "Y1").closed_on == dt.date(2026, 2, 27)


def test_deciding_an_immediate_case_closes_its_y5(county):
    case = make_case(
        county,
        now=at("2026-06-01"),
        elements={"case_kind": "immediate", "promised_limit": 0, "promised_limit_unit": "immediate"},
    )
    receive_all(case, county)
    sweep("2026-06-02", 0)
    assert card(case, "Y5").closed_on is None
    services.case_decide_on_spot(case=fresh(case), actor=county.clerk, now=at("2026-06-02"))
    assert card(case, "Y5").closed_on == dt.date(2026, 6, 2)


def test_passing_a_step_closes_its_y2(county):
    case = accepted_case(county)  # 审查 3 wd → 06-04
    sweep("2026-06-05")
    assert card(case, "Y2").closed_on is None
    services.case_step_pass(case=fresh(case), actor=county.approver, now=at("2026-06-05"))
    assert card(case, "Y2").closed_on == dt.date(2026, 6, 5)
    assert fresh(case).warning == "yellow"


def test_a_y3_stays_open_when_the_case_finishes(county):
    case = make_case(county, now=at("2026-09-18"))
    sweep("2026-09-25", 0)  # deemed accepted, Y3
    services.case_terminate(case=fresh(case), actor=county.approver, now=at("2026-09-28"), reason="终止")
    assert card(case, "Y3").closed_on is None


def test_a_yellow_cured_after_its_rectify_deadline_still_turns_red(county):
    case = example_a(county)
    sweep("2026-02-25")  # Y1, rectify by 02-28
    case = services.case_step_pass(case=fresh(case), actor=county.approver, now=at("2026-03-03"))
    services.case_grant(case=case, actor=county.approver, now=at("2026-03-03"))
    assert card(case, "Y1").closed_on == dt.date(2026, 3, 3)
    sweep("2026-03-04")  # the sweep did not run in between: the yellow was still open on 03-01
    assert "R2" in rules(case)


# -- 3. Y2 only within the limits ----------------------------------------------------------------------


def test_no_y2_once_the_promised_clock_is_overdue(county):
    steps = [
        {"name": "初审", "limit": 2, "limit_unit": "working_day"},
        {"name": "复审", "limit": 3, "limit_unit": "working_day"},
    ]
    case = accepted_case(county, steps=steps)  # promised 5 wd → 06-08
    case = services.case_step_pass(case=case, actor=county.approver, now=at("2026-06-05"))  # 复审 → 06-10
    sweep("2026-06-09")
    assert rules(case) == ["Y1"]
    sweep("2026-06-11")
    assert rules(case) == ["Y1"]


def test_a_y2_while_the_case_is_within_its_limits(county):
    case = accepted_case(county, elements={"promised_limit": 15})  # 审查 3 wd → 06-04
    sweep("2026-06-05")
    assert rules(case) == ["Y2"]


# -- 4. a pause open past its notified end (Y2P) -------------------------------------------------------


def test_a_pause_open_past_its_notified_end_raises_a_y2p_once(county):
    case = pause(accepted_case(county, elements={"promised_limit": 15}), county, "2026-06-08")
    expected_end = ClockSegment.objects.filter(clock__case=case).first().expected_end
    assert expected_end == dt.date(2026, 6, 15)
    sweep("2026-06-15", 23)
    assert rules(case) == []
    sweep("2026-06-16")
    sweep("2026-06-17")
    yellow = card(case, "Y2P")
    assert (yellow.level, yellow.issued_on, yellow.due_date, yellow.closed_on) == (
        "yellow",
        dt.date(2026, 6, 16),
        expected_end,
        None,
    )
    assert yellow.rectify_due is not None
    assert fresh(case).warning == "yellow"


def test_a_pause_overrun_is_flagged_on_a_case_without_working_day_clocks(county):
    case = pause(clockless(county), county, "2026-06-08")
    sweep("2026-06-16")
    assert rules(case) == ["Y2P"]


def test_a_new_written_notice_moves_the_expected_end_and_journals_it(county):
    case = pause(accepted_case(county), county, "2026-06-08")
    case = renotify(case, county, "2026-06-12", expected_days=10)
    segments = ClockSegment.objects.filter(clock__case=case)
    assert {(s.expected_end, s.notified_on) for s in segments} == {
        (dt.date(2026, 6, 29), dt.date(2026, 6, 12))
    }
    event = CaseEvent.objects.get(case=case, action="pause_renotify")
    assert event.data == {
        "reason_code": "expert_review",
        "kind": "excluded",
        "expected_end": "2026-06-29",
        "previous_expected_end": "2026-06-15",
    }
    assert event.comment == "专家评审延期，再次书面告知"
    assert fresh(case).paused  # still paused: the notice changes no clock


def test_a_new_written_notice_closes_the_y2p_and_a_second_overrun_gets_its_own(county):
    case = pause(accepted_case(county), county, "2026-06-08")
    sweep("2026-06-16")
    case = renotify(fresh(case), county, "2026-06-17", expected_days=3)  # 06-18, (06-19 端午), 06-22, 06-23
    first = card(case, "Y2P")
    assert first.closed_on == dt.date(2026, 6, 17)
    expected_end = CaseEvent.objects.get(case=case, action="pause_renotify").data["expected_end"]
    sweep(expected_end, 23)
    assert rules(case) == ["Y2P"]
    sweep((dt.date.fromisoformat(expected_end) + dt.timedelta(days=1)).isoformat())
    sweep((dt.date.fromisoformat(expected_end) + dt.timedelta(days=2)).isoformat())
    assert rules(case) == ["Y2P", "Y2P"]
    assert Card.objects.filter(case=case, rule="Y2P", closed_on__isnull=True).count() == 1


def test_resuming_closes_the_y2p(county):
    case = pause(accepted_case(county), county, "2026-06-08")
    sweep("2026-06-16")
    services.case_resume(case=fresh(case), actor=county.approver, now=at("2026-06-17"))
    assert card(case, "Y2P").closed_on == dt.date(2026, 6, 17)
    sweep("2026-06-18")
    assert rules(case).count("Y2P") == 1


def test_an_unanswered_y2p_turns_red_like_any_yellow(county):
    case = pause(accepted_case(county), county, "2026-06-08")
    sweep("2026-06-16")
    rectify_due = card(case, "Y2P").rectify_due
    sweep((rectify_due + dt.timedelta(days=1)).isoformat())
    assert "R2" in rules(case)


def test_a_renotification_needs_an_open_pause_a_reason_and_a_sensible_length(county):
    case = accepted_case(county)
    with pytest.raises(DomainError) as refused:
        renotify(case, county, "2026-06-08")
    assert refused.value.code == "not_paused"
    case = pause(case, county, "2026-06-08")
    with pytest.raises(DomainError) as refused:
        renotify(case, county, "2026-06-09", reason=" ")
    assert refused.value.code == "required"
    with pytest.raises(DomainError) as refused:
        renotify(case, county, "2026-06-09", expected_days=0)
    assert "expected_days" in refused.value.fields


# -- 5. 容缺 materials overdue (D1) ---------------------------------------------------------------------


def test_deferred_materials_overdue_raise_a_d1_reminder_once(county):
    case = accepted_with_deficiency(county)
    due = Clock.objects.get(case=case, kind="deficiency").due_date
    sweep(due.isoformat(), 23)
    assert "D1" not in rules(case)
    later = due + dt.timedelta(days=1)
    sweep(later.isoformat())
    sweep(later.isoformat(), 9)
    reminder = card(case, "D1")
    assert (reminder.level, reminder.due_date, reminder.rectify_due) == ("reminder", due, None)
    # the handler may then terminate with a written notice
    services.case_terminate(
        case=fresh(case), actor=county.approver, now=at(later.isoformat()), reason="容缺材料逾期未补齐"
    )
    assert card(case, "D1").closed_on == later


def test_no_d1_when_the_deferred_materials_arrive_in_time(county):
    case = accepted_with_deficiency(county)
    deferred = case.materials.get(status="deferred")
    services.case_supply_deferred(
        case=case, actor=county.clerk, now=at("2026-06-03"), material_ids=[deferred.pk]
    )
    sweep("2026-07-01")
    assert "D1" not in rules(case)


def test_supplying_the_deferred_materials_late_closes_the_d1(county):
    case = accepted_with_deficiency(county)
    due = Clock.objects.get(case=case, kind="deficiency").due_date
    later = due + dt.timedelta(days=1)
    sweep(later.isoformat())
    deferred = case.materials.get(status="deferred")
    services.case_supply_deferred(
        case=fresh(case), actor=county.clerk, now=at(later.isoformat()), material_ids=[deferred.pk]
    )
    assert card(case, "D1").closed_on == later


# -- 6. responses and their acceptance -----------------------------------------------------------------


def test_a_reminder_takes_no_response(county):
    case = example_a(county)
    sweep("2026-02-14")
    with pytest.raises(DomainError) as refused:
        services.card_respond(card=card(case, "N1"), actor=county.head, response="知悉")
    assert refused.value.code == "not_rectifiable" and "提示" in refused.value.message


def test_a_voided_card_takes_no_response(county):
    case = example_a(county)
    sweep("2026-02-25")
    yellow = card(case, "Y1")
    services.card_void(card=yellow, actor=county.supervisor, reason="申诉成立", today=dt.date(2026, 2, 26))
    with pytest.raises(DomainError) as refused:
        services.card_respond(card=card(case, "Y1"), actor=county.head, response="已整改")
    assert refused.value.code == "card_voided" and "撤销" in refused.value.message


def test_a_response_may_be_rewritten_until_the_supervisor_accepts_it(county):
    case = example_a(county)
    sweep("2026-02-25")
    services.card_respond(card=card(case, "Y1"), actor=county.head, response="初稿")
    services.card_respond(card=card(case, "Y1"), actor=county.head, response="已督促经办人两日内办结")
    assert card(case, "Y1").response == "已督促经办人两日内办结"
    services.card_accept_response(card=card(case, "Y1"), actor=county.supervisor, today=dt.date(2026, 2, 26))
    with pytest.raises(DomainError) as refused:
        services.card_respond(card=card(case, "Y1"), actor=county.head, response="改写")
    assert refused.value.code == "already_accepted" and "确认" in refused.value.message
    assert card(case, "Y1").response == "已督促经办人两日内办结"


def test_accepting_a_response_closes_the_card_and_no_r2_follows(county):
    case = example_a(county)
    sweep("2026-02-25")
    services.card_respond(card=card(case, "Y1"), actor=county.head, response="已整改")
    accepted = services.card_accept_response(
        card=card(case, "Y1"), actor=county.supervisor, today=dt.date(2026, 2, 27)
    )
    assert (accepted.closed_on, accepted.accepted_by) == (dt.date(2026, 2, 27), county.supervisor)
    sweep("2026-03-01")
    assert "R2" not in rules(case)
    assert not selectors.card_list(user=county.supervisor, open_only=True).filter(case=case).exists()
    assert fresh(case).warning == "yellow"


def test_a_y3_closes_when_its_response_is_accepted(county):
    case = make_case(county, now=at("2026-09-18"))
    sweep("2026-09-25", 0)
    services.card_respond(card=card(case, "Y3"), actor=county.head, response="已补充告知流程培训")
    services.card_accept_response(card=card(case, "Y3"), actor=county.supervisor, today=dt.date(2026, 9, 28))
    assert card(case, "Y3").closed_on == dt.date(2026, 9, 28)


def test_a_response_is_accepted_only_once_and_only_when_given(county):
    case = example_a(county)
    sweep("2026-02-25")
    with pytest.raises(DomainError) as refused:
        services.card_accept_response(
            card=card(case, "Y1"), actor=county.supervisor, today=dt.date(2026, 2, 26)
        )
    assert refused.value.code == "no_response"
    services.card_respond(card=card(case, "Y1"), actor=county.head, response="已整改")
    services.card_accept_response(card=card(case, "Y1"), actor=county.supervisor, today=dt.date(2026, 2, 26))
    with pytest.raises(DomainError) as refused:
        services.card_accept_response(
            card=card(case, "Y1"), actor=county.supervisor, today=dt.date(2026, 2, 27)
        )
    assert refused.value.code == "already_accepted"


def test_only_a_supervisor_in_scope_accepts_a_response(county):
    other = make_county(code="430921000000", name="南县")
    case = example_a(county)
    sweep("2026-02-25")
    services.card_respond(card=card(case, "Y1"), actor=county.head, response="已整改")
    for actor in (county.head, other.supervisor):
        with pytest.raises(PermissionDenied):
            services.card_accept_response(card=card(case, "Y1"), actor=actor, today=dt.date(2026, 2, 26))
    assert card(case, "Y1").closed_on is None


def test_a_reminder_has_no_response_to_accept(county):
    case = example_a(county)
    sweep("2026-02-14")
    with pytest.raises(DomainError) as refused:
        services.card_accept_response(
            card=card(case, "N1"), actor=county.supervisor, today=dt.date(2026, 2, 16)
        )
    assert refused.value.code == "not_rectifiable"


# -- 8. a step entered during a §45 pause ---------------------------------------------------------------


def test_a_step_entered_during_a_section_45_pause_is_held_for_the_pause_reason(county):
    steps = [
        {"name": "初审", "limit": 2, "limit_unit": "working_day"},
        {"name": "复审", "limit": 2, "limit_unit": "working_day"},
    ]
    case = pause(accepted_case(county, steps=steps), county, "2026-06-02")
    case = services.case_step_pass(case=case, actor=county.approver, now=at("2026-06-03"))
    clock = Clock.objects.get(step=case.steps.get(name="复审"))
    segment = clock.segments.get()
    assert (segment.kind, segment.reason_code, segment.reason, segment.start) == (
        "excluded",
        "expert_review",
        EXPERT_REVIEW,
        dt.date(2026, 6, 3),
    )
    assert segment.expected_end == dt.date(2026, 6, 9)
    explanation = selectors.clock_explain(case=case, clock=clock, today=dt.date(2026, 6, 5))
    labels = {skipped.reason for skipped in explanation.skipped if skipped.date.weekday() < 5}
    assert labels == {f"特别程序（不计时）：{EXPERT_REVIEW}"}
