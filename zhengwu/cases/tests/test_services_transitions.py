"""Every case service transition: the happy path, a refusal in a wrong status, and who may act."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.cases import services
from zhengwu.cases.models import Case, CaseEvent, Clock
from zhengwu.cases.tests.factories import accepted_case, at, make_case, make_citizen, make_county, receive_all
from zhengwu.common.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db


# -- cases in each status ------------------------------------------------------------------------


def pending_decision(county, day: str = "2026-06-01") -> Case:
    case = accepted_case(county, day=day)
    return services.case_step_pass(case=case, actor=county.approver, now=at(day, 11))


def granted(county) -> Case:
    case = pending_decision(county)
    return services.case_grant(case=case, actor=county.approver, now=at("2026-06-02"))


def certified(county) -> Case:
    case = granted(county)
    services.case_issue_certificate(case=case, actor=county.clerk, now=at("2026-06-03"))
    return Case.objects.get(pk=case.pk)


def delivered(county) -> Case:
    case = certified(county)
    return services.case_deliver(case=case, actor=county.clerk, now=at("2026-06-04"), mode="window")


def last_event(case: Case) -> CaseEvent:
    return CaseEvent.objects.filter(case=case).order_by("-id").first()


def clock_status(case: Case, kind: str) -> str:
    return Clock.objects.get(case=case, kind=kind, step__isnull=True).status


def citizen_draft(county, citizen):
    return services.case_create(
        item=make_item_for(county),
        applicant=citizen.applicant,
        channel="online",
        now=at("2026-06-01"),
        actor=citizen,
        draft=True,
    )


def make_item_for(county):
    from zhengwu.catalog.tests.factories import make_item

    return make_item(department=county.department)


# -- happy paths ---------------------------------------------------------------------------------


def test_submitting_a_draft_receives_it_today_and_starts_the_intake_clock(county):
    citizen = make_citizen()
    case = citizen_draft(county, citizen)
    case = services.case_submit(case=case, actor=citizen, now=at("2026-06-01"))
    assert case.status == "submitted"
    assert case.received_on == dt.date(2026, 6, 1)
    event = last_event(case)
    assert (event.action, event.actor, event.actor_role) == ("submit", citizen, "申请人")
    assert (event.from_status, event.to_status) == ("draft", "submitted")
    intake = Clock.objects.get(case=case, kind="intake")
    assert intake.status == "running" and intake.budget == 5


def test_accepting_records_the_clerk_and_starts_the_review_clocks_while_stopping_intake(county):
    case = make_case(county, now=at("2026-06-01"))
    receive_all(case, county)
    case = services.case_accept(case=case, actor=county.clerk, now=at("2026-06-01"))
    event = last_event(case)
    assert (event.action, event.actor, event.actor_role) == ("accept", county.clerk, "窗口受理员")
    assert (event.from_status, event.to_status) == ("submitted", "in_review")
    assert clock_status(case, "intake") == "stopped"
    assert clock_status(case, "statutory") == "running"
    assert clock_status(case, "promised") == "running"
    assert case.accepted_on == dt.date(2026, 6, 1)


def test_accepting_enters_the_first_review_step_with_its_own_clock(county):
    case = accepted_case(county)
    step = case.steps.get(status="active")
    assert step.name == "审查" and step.entered_on == dt.date(2026, 6, 1)
    assert Clock.objects.get(case=case, step=step).budget == 3


def test_refusing_at_intake_records_the_reason_and_stops_every_clock(county):
    case = make_case(county)
    case = services.case_refuse_intake(
        case=case, actor=county.clerk, now=at("2026-06-02"), reason="不属于本机关职权范围"
    )
    assert case.status == "not_accepted" and case.refusal_reason == "不属于本机关职权范围"
    event = last_event(case)
    assert (event.from_status, event.to_status, event.comment) == (
        "submitted",
        "not_accepted",
        "不属于本机关职权范围",
    )
    assert not Clock.objects.filter(case=case).exclude(status="stopped").exists()


def test_a_supplement_notice_moves_the_case_to_awaiting_supplement_and_stops_intake(county):
    case = make_case(county)
    material = case.materials.first()
    case = services.case_request_supplement(
        case=case, actor=county.clerk, now=at("2026-06-02"), items={material.pk: "缺少签字"}
    )
    event = last_event(case)
    assert (event.action, event.from_status, event.to_status) == (
        "request_supplement",
        "submitted",
        "supplement_requested",
    )
    assert clock_status(case, "intake") == "stopped"


def test_the_applicant_supplementing_moves_the_case_to_supplemented(county):
    citizen = make_citizen()
    case = services.case_submit(case=citizen_draft(county, citizen), actor=citizen, now=at("2026-06-01"))
    material = case.materials.first()
    case = services.case_request_supplement(
        case=case, actor=county.clerk, now=at("2026-06-02"), items={material.pk: ""}
    )
    services.case_file_add(
        case=case,
        material=material,
        name="申请书.pdf",
        data=b"%PDF-1.4\n%%EOF\n",
        actor=citizen,
        now=at("2026-06-03"),
    )
    case = services.case_supplement(case=case, actor=citizen, now=at("2026-06-03"))
    event = last_event(case)
    assert (event.action, event.actor, event.actor_role) == ("supplement", citizen, "申请人")
    assert (event.from_status, event.to_status) == ("supplement_requested", "supplemented")


def test_passing_the_last_step_awaits_the_decision_and_stops_the_step_clock(county):
    case = accepted_case(county)
    case = services.case_step_pass(case=case, actor=county.approver, now=at("2026-06-02"), comment="材料真实")
    assert case.status == "pending_decision" and case.current_step is None
    event = last_event(case)
    assert (event.action, event.actor, event.actor_role) == ("step_pass", county.approver, "审批人员")
    assert (event.from_status, event.to_status) == ("in_review", "pending_decision")
    assert Clock.objects.get(case=case, kind="step").status == "stopped"


def test_granting_stops_the_legal_clocks_and_starts_the_certificate_clock(county):
    case = pending_decision(county)
    case = services.case_grant(case=case, actor=county.approver, now=at("2026-06-02"))
    assert case.status == "granted" and case.decided_on == dt.date(2026, 6, 2)
    event = last_event(case)
    assert (event.action, event.from_status, event.to_status) == ("grant", "pending_decision", "granted")
    assert clock_status(case, "statutory") == "stopped"
    assert clock_status(case, "promised") == "stopped"
    certificate = Clock.objects.get(case=case, kind="certificate")
    assert certificate.status == "running" and certificate.due_date == dt.date(2026, 6, 16)


def test_denying_records_the_reason_and_stops_the_legal_clocks(county):
    case = pending_decision(county)
    case = services.case_deny(case=case, actor=county.approver, now=at("2026-06-02"), reason="不符合法定条件")
    assert case.status == "denied" and case.decision_reason == "不符合法定条件"
    event = last_event(case)
    assert (event.action, event.from_status, event.to_status) == ("deny", "pending_decision", "denied")
    assert clock_status(case, "statutory") == "stopped"
    assert not Clock.objects.filter(case=case, kind="certificate").exists()


def test_denying_without_a_reason_is_refused(county):
    case = pending_decision(county)
    with pytest.raises(DomainError) as refused:
        services.case_deny(case=case, actor=county.approver, now=at("2026-06-02"), reason="  ")
    assert refused.value.code == "required"
    assert "复议" in refused.value.message


def test_issuing_the_certificate_moves_the_case_to_certified(county):
    case = granted(county)
    certificate = services.case_issue_certificate(case=case, actor=county.clerk, now=at("2026-06-03"))
    case.refresh_from_db()
    assert case.status == "certified" and certificate.case == case
    event = last_event(case)
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "issue_certificate",
        county.clerk,
        "granted",
        "certified",
    )


def test_delivering_stops_the_certificate_clock(county):
    case = certified(county)
    case = services.case_deliver(
        case=case, actor=county.clerk, now=at("2026-06-04"), mode="mail", address="益阳市赫山区龙岭路1号"
    )
    assert case.status == "delivered" and case.delivery_mode == "mail"
    event = last_event(case)
    assert (event.action, event.from_status, event.to_status) == ("deliver", "certified", "delivered")
    assert clock_status(case, "certificate") == "stopped"


def test_delivering_by_mail_requires_an_address(county):
    case = certified(county)
    with pytest.raises(DomainError) as refused:
        services.case_deliver(case=case, actor=county.clerk, now=at("2026-06-04"), mode="mail")
    assert refused.value.code == "required"


def test_a_denial_can_be_delivered(county):
    case = pending_decision(county)
    case = services.case_deny(case=case, actor=county.approver, now=at("2026-06-02"), reason="不符合条件")
    case = services.case_deliver(case=case, actor=county.clerk, now=at("2026-06-03"), mode="electronic")
    assert case.status == "delivered"


def test_the_applicant_withdrawing_in_review_stops_every_clock(county):
    citizen = make_citizen()
    case = services.case_submit(case=citizen_draft(county, citizen), actor=citizen, now=at("2026-06-01"))
    receive_all(case, county)
    case = services.case_accept(case=case, actor=county.clerk, now=at("2026-06-01"))
    case = services.case_withdraw(case=case, actor=citizen, now=at("2026-06-03"), reason="不再需要")
    assert case.status == "withdrawn" and case.finished_at == at("2026-06-03")
    event = last_event(case)
    assert (event.action, event.actor_role, event.from_status, event.to_status) == (
        "withdraw",
        "申请人",
        "in_review",
        "withdrawn",
    )
    assert not Clock.objects.filter(case=case).exclude(status="stopped").exists()


def test_terminating_requires_a_reason_and_stops_every_clock(county):
    case = accepted_case(county)
    with pytest.raises(DomainError):
        services.case_terminate(case=case, actor=county.approver, now=at("2026-06-05"), reason="")
    case = services.case_terminate(
        case=case, actor=county.approver, now=at("2026-06-05"), reason="容缺材料逾期未补齐"
    )
    assert case.status == "terminated"
    assert (last_event(case).from_status, last_event(case).to_status) == ("in_review", "terminated")
    assert not Clock.objects.filter(case=case).exclude(status="stopped").exists()


def test_archiving_a_delivered_case(county):
    case = delivered(county)
    case = services.case_archive(case=case, actor=county.clerk, now=at("2026-06-05"))
    assert case.status == "archived"
    assert (last_event(case).from_status, last_event(case).to_status) == ("delivered", "archived")


def test_the_system_deeming_acceptance_is_journalled_without_an_actor(county):
    case = make_case(county, now=at("2026-06-01"))
    case = services.case_deem_accepted(case=case, now=at("2026-06-09"))
    event = last_event(case)
    assert (event.action, event.actor, event.actor_name, event.actor_role) == (
        "deem_accepted",
        None,
        "系统",
        "系统",
    )
    assert (event.from_status, event.to_status) == ("submitted", "in_review")


# -- refusals in a wrong status -------------------------------------------------------------------


def _refusal_cases():
    """(builder of the case, the call that must be refused, status label, action label)."""
    a = at("2026-06-05")
    return [
        ("submitted", lambda c, k: services.case_submit(case=c, actor=k.clerk, now=a), "已申报", "提交申请"),
        # 受理 of an accepted case is a 409 conflict ("该件已被他人受理"): test_accept_conflict.py
        ("in_review", lambda c, k: services.case_deem_accepted(case=c, now=a), "审查中", "视为受理"),
        (
            "in_review",
            lambda c, k: services.case_refuse_intake(case=c, actor=k.clerk, now=a, reason="理由"),
            "审查中",
            "不予受理",
        ),
        (
            "in_review",
            lambda c, k: services.case_request_supplement(
                case=c, actor=k.clerk, now=at("2026-06-02"), items={c.materials.first().pk: "缺"}
            ),
            "审查中",
            "一次性告知补正",
        ),
        (
            "submitted",
            lambda c, k: services.case_supplement(case=c, actor=k.clerk, now=a),
            "已申报",
            "补正材料",
        ),
        (
            "submitted",
            lambda c, k: services.case_step_pass(case=c, actor=k.approver, now=a),
            "已申报",
            "审查通过",
        ),
        (
            "submitted",
            lambda c, k: services.case_step_return(case=c, actor=k.approver, now=a, comment="退回"),
            "已申报",
            "退回",
        ),
        (
            "submitted",
            lambda c, k: services.case_step_transfer(case=c, actor=k.approver, to_user=k.head, now=a),
            "已申报",
            "转办",
        ),
        (
            "submitted",
            lambda c, k: services.case_pause(
                case=c, actor=k.approver, now=a, reason_code="expert_review", reason="评审", expected_days=5
            ),
            "已申报",
            "特别程序/中止",
        ),
        (
            "granted",
            lambda c, k: services.case_resume(case=c, actor=k.approver, now=a),
            "准予许可",
            "恢复计时",
        ),
        (
            "granted",
            lambda c, k: services.case_extend(case=c, actor=k.head, now=a, days=5, reason="复杂"),
            "准予许可",
            "延长期限",
        ),
        (
            "submitted",
            lambda c, k: services.case_grant(case=c, actor=k.approver, now=a),
            "已申报",
            "准予许可",
        ),
        (
            "granted",
            lambda c, k: services.case_deny(case=c, actor=k.approver, now=a, reason="不符合"),
            "准予许可",
            "不予许可",
        ),
        (
            "pending_decision",
            lambda c, k: services.case_issue_certificate(case=c, actor=k.clerk, now=a),
            "待决定",
            "制证",
        ),
        (
            "granted",
            lambda c, k: services.case_deliver(case=c, actor=k.clerk, now=a, mode="window"),
            "准予许可",
            "送达",
        ),
        (
            "granted",
            lambda c, k: services.case_withdraw(case=c, actor=k.clerk, now=a),
            "准予许可",
            "撤回申请",
        ),
        (
            "submitted",
            lambda c, k: services.case_terminate(case=c, actor=k.approver, now=a, reason="终止"),
            "已申报",
            "终止办理",
        ),
        ("in_review", lambda c, k: services.case_archive(case=c, actor=k.clerk, now=a), "审查中", "归档"),
    ]


BUILDERS = {
    "submitted": lambda county: receive_all(make_case(county), county),
    "in_review": lambda county: accepted_case(county),
    "pending_decision": pending_decision,
    "granted": granted,
}


@pytest.mark.parametrize(
    ("status", "call", "status_label", "action_label"),
    _refusal_cases(),
    ids=[f"{row[3]}-in-{row[0]}" for row in _refusal_cases()],
)
def test_an_action_in_a_wrong_status_is_refused_naming_the_status_and_the_action(
    county, status, call, status_label, action_label
):
    case = BUILDERS[status](county)
    case = Case.objects.get(pk=case.pk)
    with pytest.raises(DomainError) as refused:
        call(case, county)
    assert refused.value.code == "transition_not_allowed"
    assert f"“{status_label}”" in refused.value.message
    assert f"“{action_label}”" in refused.value.message
    assert Case.objects.get(pk=case.pk).status == status


def test_deciding_on_the_spot_a_case_already_granted_is_refused(county):
    case = make_case(county, elements=IMMEDIATE)
    receive_all(case, county)
    case = services.case_decide_on_spot(case=case, actor=county.clerk, now=at("2026-06-01"))
    with pytest.raises(DomainError) as refused:
        services.case_decide_on_spot(case=case, actor=county.clerk, now=at("2026-06-01", 11))
    assert refused.value.code == "transition_not_allowed"
    assert "“准予许可”" in refused.value.message and "“当场办结”" in refused.value.message


IMMEDIATE = {"case_kind": "immediate", "promised_limit": 0, "promised_limit_unit": "immediate"}


# -- roles -----------------------------------------------------------------------------------------


def test_a_window_clerk_cannot_grant(county):
    case = pending_decision(county)
    with pytest.raises(PermissionDenied):
        services.case_grant(case=case, actor=county.clerk, now=at("2026-06-02"))
    assert Case.objects.get(pk=case.pk).status == "pending_decision"


def test_an_approver_cannot_extend_only_a_department_head_can(county):
    case = accepted_case(county)
    with pytest.raises(PermissionDenied):
        services.case_extend(case=case, actor=county.approver, now=at("2026-06-05"), days=5, reason="复杂")
    case = services.case_extend(case=case, actor=county.head, now=at("2026-06-05"), days=5, reason="复杂")
    assert last_event(case).actor_role == "部门负责人"


def test_a_citizen_cannot_accept_even_their_own_case(county):
    citizen = make_citizen()
    case = services.case_submit(case=citizen_draft(county, citizen), actor=citizen, now=at("2026-06-01"))
    receive_all(case, county)
    with pytest.raises(PermissionDenied):
        services.case_accept(case=case, actor=citizen, now=at("2026-06-01"))


def test_a_citizen_cannot_withdraw_another_citizens_case(county):
    owner = make_citizen()
    other = make_citizen(phone="13912345679", name="王五", id_number="430903198505052012")
    case = services.case_submit(case=citizen_draft(county, owner), actor=owner, now=at("2026-06-01"))
    with pytest.raises(PermissionDenied):
        services.case_withdraw(case=case, actor=other, now=at("2026-06-02"))
    with pytest.raises(PermissionDenied):
        services.case_supplement(case=case, actor=other, now=at("2026-06-02"))


def test_a_citizen_cannot_submit_another_citizens_draft(county):
    owner = make_citizen()
    other = make_citizen(phone="13912345679", name="王五", id_number="430903198505052012")
    case = citizen_draft(county, owner)
    with pytest.raises(PermissionDenied):
        services.case_submit(case=case, actor=other, now=at("2026-06-01"))


def test_another_countys_clerk_cannot_act_on_the_case(county):
    other = make_county(code="430921000000", name="南县")
    case = receive_all(make_case(county), county)
    with pytest.raises(PermissionDenied) as refused:
        services.case_accept(case=case, actor=other.clerk, now=at("2026-06-01"))
    assert "数据范围" in refused.value.message


def test_another_countys_approver_cannot_pass_a_step(county):
    other = make_county(code="430921000000", name="南县")
    case = accepted_case(county)
    with pytest.raises(PermissionDenied):
        services.case_step_pass(case=case, actor=other.approver, now=at("2026-06-02"))
