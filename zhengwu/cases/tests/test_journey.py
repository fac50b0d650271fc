"""The main paths through the case services, end to end on the database."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.cases import services
from zhengwu.cases.certificates import certificate_verify
from zhengwu.cases.models import Card, Clock
from zhengwu.cases.tests.factories import accepted_case, at, make_case, receive_all
from zhengwu.common.errors import DomainError

pytestmark = pytest.mark.django_db


def test_a_window_case_is_numbered_by_region_and_date_and_starts_the_intake_clock(county):
    case = make_case(county, now=at("2026-04-28"))
    assert case.number == "430903-20260428-000001"
    assert case.status == "submitted"
    intake = case.clocks.get(kind="intake")
    assert intake.due_date == dt.date(2026, 5, 8)  # DOMAIN §4.3 B


def test_accepting_starts_the_statutory_and_promised_clocks_from_the_day_after(county):
    case = accepted_case(county, day="2026-02-10")
    case.refresh_from_db()
    assert case.status == "in_review"
    assert case.promised_due == dt.date(2026, 2, 24)
    assert case.statutory_due == dt.date(2026, 3, 16)


def test_accepting_with_a_material_missing_is_refused_with_its_name(county):
    case = make_case(county)
    with pytest.raises(DomainError) as refused:
        services.case_accept(case=case, actor=county.clerk, now=at("2026-06-01"))
    assert "申请书" in refused.value.message


def test_the_full_journey_from_window_to_a_verified_certificate(county):
    case = accepted_case(county)
    case = services.case_step_pass(case=case, actor=county.approver, now=at("2026-06-02"))
    assert case.status == "pending_decision"
    case = services.case_grant(case=case, actor=county.approver, now=at("2026-06-03"))
    certificate = services.case_issue_certificate(case=case, actor=county.clerk, now=at("2026-06-04"))
    case.refresh_from_db()
    services.case_deliver(case=case, actor=county.clerk, now=at("2026-06-05"), mode="electronic")
    result = certificate_verify(code=certificate.verification_code, today=dt.date(2026, 6, 5))
    assert result.is_valid
    assert result.public_content["holder_id"].startswith("1101")
    assert "*" in result.public_content["holder_id"]


def test_two_staff_acting_on_one_stale_copy_only_the_first_wins(county):
    case = accepted_case(county)
    stale = type(case).objects.get(pk=case.pk)
    services.case_step_pass(case=case, actor=county.approver, now=at("2026-06-02"))
    with pytest.raises(DomainError) as conflict:
        services.case_step_pass(case=stale, actor=county.approver, now=at("2026-06-02"))
    assert conflict.value.code == "conflict"
    assert "已被他人处理" in conflict.value.message


def test_expert_review_pause_and_extension_follow_worked_example_d(county):
    case = accepted_case(county, day="2026-06-01", elements={"promised_limit": 15})
    case = services.case_pause(
        case=case,
        actor=county.approver,
        now=at("2026-06-08"),
        reason_code="expert_review",
        reason="组织专家评审",
        expected_days=15,
    )
    assert case.paused
    case = services.case_resume(case=case, actor=county.approver, now=at("2026-06-26"))
    case.refresh_from_db()
    assert case.statutory_due == dt.date(2026, 7, 17)
    case = services.case_extend(
        case=case, actor=county.head, now=at("2026-07-15"), days=10, reason="情况复杂"
    )
    case.refresh_from_db()
    assert case.statutory_due == dt.date(2026, 7, 31)


def test_the_sweep_issues_each_card_once(county):
    case = accepted_case(county, day="2026-02-10")
    first = services.cases_sweep(now=at("2026-03-17"))
    second = services.cases_sweep(now=at("2026-03-17"))
    assert first["cards"] >= 2 and second["cards"] == 0
    rules = set(Card.objects.filter(case=case).values_list("rule", flat=True))
    assert {"Y1", "R1"} <= rules
    case.refresh_from_db()
    assert case.warning == "red"


def test_a_late_intake_is_deemed_accepted_from_receipt_with_a_yellow_card(county):
    case = make_case(county, now=at("2026-09-18"))
    services.cases_sweep(now=at("2026-09-25"))
    case.refresh_from_db()
    assert case.status == "in_review"
    assert case.deemed_accepted and case.accepted_on == dt.date(2026, 9, 18)
    assert case.statutory_due == dt.date(2026, 10, 22)  # DOMAIN §4.3 C
    assert Card.objects.filter(case=case, rule="Y3").count() == 1


def test_a_supplement_restarts_the_count_from_the_day_the_materials_complete(county):
    case = make_case(county, now=at("2026-04-28"))
    material = case.materials.first()
    case = services.case_request_supplement(
        case=case, actor=county.clerk, now=at("2026-04-30"), items={material.pk: "缺签字"}
    )
    assert case.status == "supplement_requested"
    assert Clock.objects.get(case=case, kind="intake").status == "stopped"
    case = services.case_supplement(case=case, actor=county.clerk, now=at("2026-05-08"))
    receive_all(case, county, at("2026-05-08"))
    case = services.case_accept(case=case, actor=county.clerk, now=at("2026-05-08"))
    case.refresh_from_db()
    assert case.statutory_due == dt.date(2026, 6, 4)  # DOMAIN §4.3 B
