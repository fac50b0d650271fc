"""Review steps: copied from the item's process, passed, returned, transferred, claimed, and joint."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.cases import services
from zhengwu.cases.models import Case, CaseEvent, Clock
from zhengwu.cases.tests.factories import accepted_case, at, make_county
from zhengwu.common.errors import DomainError, PermissionDenied
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

STEPS = [
    {"name": "受理", "limit": 1, "limit_unit": "working_day"},
    {"name": "初审", "limit": 2, "limit_unit": "working_day"},
    {"name": "现场核查", "limit": 3, "limit_unit": "working_day"},
    {"name": "复审", "limit": 1, "limit_unit": "working_day"},
    {"name": "决定", "limit": 1, "limit_unit": "working_day"},
]


def reviewed_case(county, day: str = "2026-06-01") -> Case:
    return accepted_case(county, day=day, steps=STEPS, elements={"promised_limit": 10})


def step_pass(case, county, day: str, actor=None) -> Case:
    return services.case_step_pass(case=case, actor=actor or county.approver, now=at(day))


def active(case: Case):
    return case.steps.get(status="active")


def joint_approver(county, name: str):
    department = DepartmentFactory(region=county.region, name=name)
    return UserFactory(department=department, roles=[Role.APPROVER], scope=[department])


# -- steps from the catalogue ----------------------------------------------------------------------


def test_the_intake_and_decision_steps_of_the_process_are_not_review_steps(county):
    case = reviewed_case(county)
    assert list(case.steps.values_list("name", flat=True)) == ["初审", "现场核查", "复审"]


def test_an_item_without_steps_gets_one_review_step_without_a_limit(county):
    case = accepted_case(county, steps=[])
    step = active(case)
    assert (step.name, step.limit) == ("审查", None)
    assert not Clock.objects.filter(case=case, kind="step").exists()


def test_acceptance_enters_the_first_review_step_with_a_clock_of_its_limit(county):
    case = reviewed_case(county)
    step = active(case)
    assert step.name == "初审" and case.current_step == step
    clock = Clock.objects.get(case=case, step=step)
    assert (clock.budget, clock.start_date, clock.due_date) == (2, dt.date(2026, 6, 1), dt.date(2026, 6, 3))


def test_passing_a_step_finishes_it_and_enters_the_next_with_its_own_clock(county):
    case = reviewed_case(county)
    first = active(case)
    case = step_pass(case, county, "2026-06-02")
    first.refresh_from_db()
    assert (first.status, first.finished_on) == ("passed", dt.date(2026, 6, 2))
    assert Clock.objects.get(step=first).status == "stopped"
    second = active(case)
    assert (second.name, second.entered_on) == ("现场核查", dt.date(2026, 6, 2))
    assert Clock.objects.get(step=second).due_date == dt.date(2026, 6, 5)
    event = CaseEvent.objects.filter(case=case, action="step_pass").get()
    assert (event.data, event.from_status, event.to_status) == ({"step": "初审"}, "in_review", "in_review")


def test_passing_every_step_brings_the_case_to_the_decision(county):
    case = reviewed_case(county)
    for day in ("2026-06-02", "2026-06-03", "2026-06-04"):
        case = step_pass(case, county, day)
    assert case.status == "pending_decision"
    assert not case.steps.filter(status="active").exists()
    assert list(case.steps.values_list("status", flat=True)) == ["passed"] * 3
    assert not Clock.objects.filter(case=case, kind="step").exclude(status="stopped").exists()


# -- returning ------------------------------------------------------------------------------------


def test_returning_needs_a_reason(county):
    case = step_pass(reviewed_case(county), county, "2026-06-02")
    with pytest.raises(DomainError) as refused:
        services.case_step_return(case=case, actor=county.approver, now=at("2026-06-03"), comment=" ")
    assert refused.value.code == "required" and "原因" in refused.value.message


def test_returning_sends_the_case_back_to_the_previous_step_with_a_fresh_clock(county):
    case = step_pass(reviewed_case(county), county, "2026-06-02")
    second = active(case)
    case = services.case_step_return(
        case=case, actor=county.approver, now=at("2026-06-03"), comment="核查依据不足"
    )
    second.refresh_from_db()
    assert second.status == "waiting"
    first = active(case)
    assert (first.name, first.entered_on) == ("初审", dt.date(2026, 6, 3))
    running = Clock.objects.get(step=first, status="running")
    assert (running.start_date, running.due_date) == (dt.date(2026, 6, 3), dt.date(2026, 6, 5))
    event = CaseEvent.objects.get(case=case, action="step_return")
    assert (event.comment, event.data) == ("核查依据不足", {"to_step": "初审"})


def test_the_first_step_cannot_be_returned(county):
    case = reviewed_case(county)
    with pytest.raises(DomainError) as refused:
        services.case_step_return(case=case, actor=county.approver, now=at("2026-06-02"), comment="退回")
    assert refused.value.code == "first_step"


def test_returning_from_the_decision_reopens_the_last_step(county):
    case = reviewed_case(county)
    for day in ("2026-06-02", "2026-06-03", "2026-06-04"):
        case = step_pass(case, county, day)
    case = services.case_step_return(
        case=case, actor=county.head, now=at("2026-06-05"), comment="请补充复审意见"
    )
    assert case.status == "in_review"
    assert active(case).name == "复审"
    event = CaseEvent.objects.get(case=case, action="step_return")
    assert (event.from_status, event.to_status) == ("pending_decision", "in_review")


# -- transfer and claim ---------------------------------------------------------------------------


def test_transferring_hands_the_step_to_another_approver_in_scope(county):
    colleague = UserFactory(department=county.department, roles=[Role.APPROVER], scope=[county.department])
    case = reviewed_case(county)
    case = services.case_step_transfer(
        case=case, actor=county.approver, to_user=colleague, now=at("2026-06-02")
    )
    assert active(case).assignee == colleague
    case.refresh_from_db()
    assert case.assignee == colleague
    event = CaseEvent.objects.get(case=case, action="step_transfer")
    assert event.data == {"step": "初审", "to": str(colleague)}


def test_transferring_to_an_approver_outside_the_scope_is_refused(county):
    other = make_county(code="430921000000", name="南县")
    case = reviewed_case(county)
    with pytest.raises(DomainError) as refused:
        services.case_step_transfer(
            case=case, actor=county.approver, to_user=other.approver, now=at("2026-06-02")
        )
    assert refused.value.code == "invalid" and "to_user" in refused.value.fields
    assert active(case).assignee is None


def test_transferring_to_a_window_clerk_is_refused(county):
    case = reviewed_case(county)
    with pytest.raises(DomainError) as refused:
        services.case_step_transfer(
            case=case, actor=county.approver, to_user=county.clerk, now=at("2026-06-02")
        )
    assert refused.value.code == "invalid"


def test_a_step_assigned_to_a_colleague_cannot_be_passed_by_another_approver(county):
    colleague = UserFactory(department=county.department, roles=[Role.APPROVER], scope=[county.department])
    case = reviewed_case(county)
    case = services.case_step_transfer(
        case=case, actor=county.approver, to_user=colleague, now=at("2026-06-02")
    )
    with pytest.raises(PermissionDenied):
        step_pass(case, county, "2026-06-02")
    case = step_pass(case, county, "2026-06-02", actor=county.head)
    assert active(case).name == "现场核查"


def test_claiming_an_unassigned_step_takes_it(county):
    case = reviewed_case(county)
    case = services.case_step_claim(case=case, actor=county.approver, now=at("2026-06-02"))
    assert active(case).assignee == county.approver
    assert CaseEvent.objects.get(case=case, action="step_transfer").comment == "认领"


def test_claiming_a_step_someone_else_holds_is_a_conflict(county):
    colleague = UserFactory(department=county.department, roles=[Role.APPROVER], scope=[county.department])
    case = reviewed_case(county)
    case = services.case_step_claim(case=case, actor=colleague, now=at("2026-06-02"))
    with pytest.raises(DomainError) as refused:
        services.case_step_claim(case=case, actor=county.approver, now=at("2026-06-02"))
    assert refused.value.code == "conflict"
    assert active(case).assignee == colleague


# -- joint steps ------------------------------------------------------------------------------------


def joint_case(county):
    fire = joint_approver(county, "赫山区消防救援大队")
    planning = joint_approver(county, "赫山区自然资源局")
    case = reviewed_case(county)
    services.step_joint_departments_set(
        case=case, actor=county.approver, department_ids=[fire.department_id, planning.department_id]
    )
    return case, fire, planning


def test_a_joint_step_cannot_pass_before_every_department_gives_an_opinion(county):
    case, fire, _planning = joint_case(county)
    services.case_step_opinion(
        case=case, actor=fire, now=at("2026-06-02"), agrees=True, opinion="符合消防要求"
    )
    case.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        step_pass(case, county, "2026-06-02")
    assert refused.value.code == "opinions_missing"
    assert "赫山区自然资源局" in refused.value.message and "消防" not in refused.value.message


def test_a_joint_step_passes_once_every_department_has_given_an_opinion(county):
    case, fire, planning = joint_case(county)
    services.case_step_opinion(
        case=case, actor=fire, now=at("2026-06-02"), agrees=True, opinion="符合消防要求"
    )
    case.refresh_from_db()
    services.case_step_opinion(
        case=case, actor=planning, now=at("2026-06-02"), agrees=False, opinion="需调整红线"
    )
    case.refresh_from_db()
    case = step_pass(case, county, "2026-06-03")
    assert active(case).name == "现场核查"
    first = case.steps.get(name="初审")
    assert {(o.department.name, o.agrees) for o in first.opinions.all()} == {
        ("赫山区消防救援大队", True),
        ("赫山区自然资源局", False),
    }


def test_a_department_gives_only_one_opinion_per_joint_step(county):
    case, fire, _planning = joint_case(county)
    services.case_step_opinion(case=case, actor=fire, now=at("2026-06-02"), agrees=True, opinion="同意")
    case.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        services.case_step_opinion(
            case=case, actor=fire, now=at("2026-06-02"), agrees=False, opinion="改为不同意"
        )
    assert refused.value.code == "duplicate"
    assert case.steps.get(name="初审").opinions.count() == 1


def test_a_department_outside_the_joint_step_cannot_give_an_opinion(county):
    case, _fire, _planning = joint_case(county)
    outsider = joint_approver(county, "赫山区住房和城乡建设局")
    with pytest.raises(PermissionDenied):
        services.case_step_opinion(
            case=case, actor=outsider, now=at("2026-06-02"), agrees=True, opinion="同意"
        )


def test_an_opinion_must_have_text(county):
    case, fire, _planning = joint_case(county)
    with pytest.raises(DomainError) as refused:
        services.case_step_opinion(case=case, actor=fire, now=at("2026-06-02"), agrees=True, opinion=" ")
    assert refused.value.code == "required"


def test_a_step_limited_in_hours_gets_no_working_day_clock(county):
    steps = [
        {"name": "初审", "limit": 4, "limit_unit": "hour"},
        {"name": "复审", "limit": 2, "limit_unit": "working_day"},
    ]
    case = accepted_case(county, steps=steps)
    first = active(case)
    assert (first.name, first.limit) == ("初审", None)
    assert not Clock.objects.filter(case=case, kind="step").exists()
    case = step_pass(case, county, "2026-06-01")
    assert Clock.objects.get(step=active(case)).budget == 2
