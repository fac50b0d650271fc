"""Clocks through the services: §45 pauses and 中止, the one extension (§42), and what a pause blocks."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.cases import services
from zhengwu.cases.models import Case, CaseEvent, Clock, ClockSegment
from zhengwu.cases.tests.factories import accepted_case, at
from zhengwu.common.errors import DomainError

pytestmark = pytest.mark.django_db

JOINT = {"case_kind": "joint", "legal_limit": 45, "promised_limit": 30}


def pause(case, county, day: str, reason_code: str = "expert_review", expected_days: int = 15, **kw) -> Case:
    return services.case_pause(
        case=case,
        actor=county.approver,
        now=at(day),
        reason_code=reason_code,
        reason=kw.pop("reason", "组织专家评审，书面告知申请人所需时间"),
        expected_days=expected_days,
    )


def resume(case, county, day: str) -> Case:
    return services.case_resume(case=case, actor=county.approver, now=at(day))


def extend(case, county, day: str, days: int = 10, reason: str = "情况复杂，需延长") -> Case:
    return services.case_extend(case=case, actor=county.head, now=at(day), days=days, reason=reason)


def statutory(case) -> Clock:
    return Clock.objects.get(case=case, kind="statutory")


# -- example D -----------------------------------------------------------------------------------


def test_example_d_accepted_0601_is_due_0630(county):
    case = accepted_case(county, day="2026-06-01", elements={"promised_limit": 15})
    case.refresh_from_db()
    assert case.statutory_due == dt.date(2026, 6, 30)


def test_example_d_an_expert_review_pause_leaves_the_due_date_open(county):
    case = accepted_case(county, day="2026-06-01", elements={"promised_limit": 15})
    case = pause(case, county, "2026-06-08")
    case.refresh_from_db()
    assert case.paused and case.statutory_due is None and case.promised_due is None
    for clock in Clock.objects.filter(case=case, kind__in=["statutory", "promised"]):
        assert (clock.status, clock.due_date) == ("paused", None)


def test_example_d_resuming_on_0626_moves_the_statutory_due_date_to_0717(county):
    case = accepted_case(county, day="2026-06-01", elements={"promised_limit": 15})
    case = pause(case, county, "2026-06-08")
    case = resume(case, county, "2026-06-26")
    case.refresh_from_db()
    assert not case.paused
    assert case.statutory_due == dt.date(2026, 7, 17)
    segment = ClockSegment.objects.get(clock=statutory(case))
    assert (segment.kind, segment.start, segment.end) == (
        "excluded",
        dt.date(2026, 6, 8),
        dt.date(2026, 6, 26),
    )


def test_example_d_an_extension_of_ten_on_0715_moves_the_due_date_to_0731(county):
    case = accepted_case(county, day="2026-06-01", elements={"promised_limit": 15})
    case = resume(pause(case, county, "2026-06-08"), county, "2026-06-26")
    case = extend(case, county, "2026-07-15")
    case.refresh_from_db()
    assert case.statutory_due == dt.date(2026, 7, 31)
    segment = ClockSegment.objects.get(clock=statutory(case), kind="extension")
    assert (segment.days, segment.approved_by, segment.notified_on) == (10, county.head, dt.date(2026, 7, 15))
    event = CaseEvent.objects.get(case=case, action="extend")
    assert (event.data, event.comment, event.actor_role) == ({"days": 10}, "情况复杂，需延长", "部门负责人")


def test_an_extension_does_not_extend_the_promise(county):
    case = accepted_case(county, day="2026-06-01", elements={"promised_limit": 15})
    before = Clock.objects.get(case=case, kind="promised").due_date
    extend(case, county, "2026-06-05")
    assert Clock.objects.get(case=case, kind="promised").due_date == before


# -- the extension's guards ----------------------------------------------------------------------


def test_the_statutory_limit_is_extended_only_once(county):
    case = extend(accepted_case(county), county, "2026-06-05", days=5)
    with pytest.raises(DomainError) as refused:
        extend(case, county, "2026-06-08", days=5)
    assert refused.value.code == "already_extended"


def test_an_extension_of_more_than_ten_days_is_refused(county):
    case = accepted_case(county)
    with pytest.raises(DomainError) as refused:
        extend(case, county, "2026-06-05", days=11)
    assert refused.value.code == "invalid" and "1–10" in refused.value.message


def test_an_extension_of_zero_days_is_refused(county):
    case = accepted_case(county)
    with pytest.raises(DomainError):
        extend(case, county, "2026-06-05", days=0)


def test_an_extension_needs_a_reason(county):
    case = accepted_case(county)
    with pytest.raises(DomainError) as refused:
        extend(case, county, "2026-06-05", reason="")
    assert refused.value.code == "required"


def test_a_joint_case_of_45_days_is_due_0508_and_may_be_extended_by_15_to_0528_example_f(county):
    case = accepted_case(county, day="2026-03-02", elements=JOINT)
    case.refresh_from_db()
    assert case.statutory_due == dt.date(2026, 5, 8)
    case = extend(case, county, "2026-05-06", days=15)
    case.refresh_from_db()
    assert case.statutory_due == dt.date(2026, 5, 28)


def test_a_joint_case_extension_beyond_fifteen_days_is_refused(county):
    case = accepted_case(county, day="2026-03-02", elements=JOINT)
    with pytest.raises(DomainError) as refused:
        extend(case, county, "2026-05-06", days=16)
    assert "1–15" in refused.value.message


def test_an_extension_on_the_due_date_itself_is_still_in_time(county):
    case = extend(accepted_case(county), county, "2026-06-30")
    case.refresh_from_db()
    assert case.statutory_due == dt.date(2026, 7, 14)


def test_an_extension_after_the_due_date_is_refused(county):
    case = accepted_case(county)
    with pytest.raises(DomainError) as refused:
        extend(case, county, "2026-07-01")
    assert refused.value.code == "too_late" and "2026-06-30" in refused.value.message


def test_an_extension_while_paused_is_refused(county):
    case = pause(accepted_case(county), county, "2026-06-08")
    with pytest.raises(DomainError) as refused:
        extend(case, county, "2026-06-09")
    assert refused.value.code == "paused"


# -- pauses ----------------------------------------------------------------------------------------


def test_a_pause_reason_outside_the_list_is_refused(county):
    case = accepted_case(county)
    with pytest.raises(DomainError) as refused:
        pause(case, county, "2026-06-08", reason_code="holiday")
    assert refused.value.code == "invalid" and "reason_code" in refused.value.fields


def test_a_pause_needs_the_written_explanation(county):
    case = accepted_case(county)
    with pytest.raises(DomainError) as refused:
        pause(case, county, "2026-06-08", reason=" ")
    assert refused.value.code == "required"


@pytest.mark.parametrize("days", [0, 251])
def test_a_pause_needs_a_sensible_expected_length(county, days):
    case = accepted_case(county)
    with pytest.raises(DomainError) as refused:
        pause(case, county, "2026-06-08", expected_days=days)
    assert "expected_days" in refused.value.fields


def test_a_section_45_procedure_is_an_excluded_segment(county):
    case = pause(accepted_case(county), county, "2026-06-08", reason_code="testing", expected_days=5)
    segment = ClockSegment.objects.get(clock=statutory(case))
    assert (segment.kind, segment.reason_code, segment.notified_on) == (
        "excluded",
        "testing",
        dt.date(2026, 6, 8),
    )
    assert segment.expected_end == dt.date(2026, 6, 15)
    event = CaseEvent.objects.get(case=case, action="pause")
    assert event.data == {"reason_code": "testing", "expected_end": "2026-06-15", "kind": "excluded"}


def test_a_written_request_of_the_applicant_is_a_suspension(county):
    case = pause(accepted_case(county), county, "2026-06-08", reason_code="applicant_request")
    assert ClockSegment.objects.get(clock=statutory(case)).kind == "suspended"
    assert CaseEvent.objects.get(case=case, action="pause").data["kind"] == "suspended"


def test_a_suspension_counts_like_an_exclusion(county):
    case = pause(accepted_case(county), county, "2026-06-08", reason_code="litigation")
    case = resume(case, county, "2026-06-26")
    case.refresh_from_db()
    assert case.statutory_due == dt.date(2026, 7, 17)


def test_a_pause_stops_the_step_clock_too(county):
    case = pause(accepted_case(county), county, "2026-06-02")
    step_clock = Clock.objects.get(case=case, kind="step")
    assert (step_clock.status, step_clock.due_date) == ("paused", None)
    resume(case, county, "2026-06-05")
    step_clock.refresh_from_db()
    # 3 wd from 06-01, 06-02 counted, 06-03…06-05 held out: 06-08, 06-09
    assert (step_clock.status, step_clock.due_date) == ("running", dt.date(2026, 6, 9))


def test_pausing_twice_is_refused(county):
    case = pause(accepted_case(county), county, "2026-06-08")
    with pytest.raises(DomainError) as refused:
        pause(case, county, "2026-06-09", reason_code="hearing")
    assert refused.value.code == "already_paused"


def test_resuming_a_running_case_is_refused(county):
    case = accepted_case(county)
    with pytest.raises(DomainError) as refused:
        resume(case, county, "2026-06-08")
    assert refused.value.code == "not_paused"


def test_a_decision_while_paused_is_refused(county):
    case = accepted_case(county)
    case = services.case_step_pass(case=case, actor=county.approver, now=at("2026-06-02"))
    case = pause(case, county, "2026-06-03", reason_code="hearing")
    with pytest.raises(DomainError) as refused:
        services.case_grant(case=case, actor=county.approver, now=at("2026-06-04"))
    assert refused.value.code == "paused"
    with pytest.raises(DomainError):
        services.case_deny(case=case, actor=county.approver, now=at("2026-06-04"), reason="不符合")
    case.refresh_from_db()
    assert case.status == "pending_decision"


def test_a_step_entered_while_paused_waits_for_the_resume(county):
    steps = [
        {"name": "初审", "limit": 2, "limit_unit": "working_day"},
        {"name": "复审", "limit": 2, "limit_unit": "working_day"},
    ]
    case = accepted_case(county, steps=steps)
    case = pause(case, county, "2026-06-02")
    case = services.case_step_pass(case=case, actor=county.approver, now=at("2026-06-03"))
    second = case.steps.get(name="复审")
    clock = Clock.objects.get(step=second)
    assert (clock.status, clock.due_date) == ("paused", None)
    resume(case, county, "2026-06-10")
    clock.refresh_from_db()
    assert (clock.status, clock.due_date) == ("running", dt.date(2026, 6, 12))
