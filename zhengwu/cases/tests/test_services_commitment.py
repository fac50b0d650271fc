"""告知承诺制 (国办发〔2020〕42号, DOMAIN §4.4): decided in review, verified afterwards, revoked if false."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.cases import services
from zhengwu.cases.certificates import certificate_verify
from zhengwu.cases.models import Case, CaseEvent, Certificate, Clock
from zhengwu.cases.tests.factories import at, make_case, receive_all
from zhengwu.common.errors import DomainError

pytestmark = pytest.mark.django_db

COMMITMENT = {"reform_mode": "commitment"}


def accepted_on_commitment(county, day: str = "2026-06-01", **kwargs) -> Case:
    case = receive_all(make_case(county, now=at(day), elements=COMMITMENT, **kwargs), county, at(day))
    return services.case_accept(case=case, actor=county.clerk, now=at(day), commitment=True)


def granted_on_commitment(county) -> Case:
    case = accepted_on_commitment(county)
    return services.case_grant(case=case, actor=county.approver, now=at("2026-06-02"))


def certified_on_commitment(county) -> tuple[Case, Certificate]:
    case = granted_on_commitment(county)
    certificate = services.case_issue_certificate(case=case, actor=county.clerk, now=at("2026-06-03"))
    return Case.objects.get(pk=case.pk), certificate


def test_commitment_acceptance_is_refused_for_an_item_without_the_reform_mode(county):
    case = receive_all(make_case(county), county)
    with pytest.raises(DomainError) as refused:
        services.case_accept(case=case, actor=county.clerk, now=at("2026-06-01"), commitment=True)
    assert refused.value.code == "no_commitment"


def test_commitment_acceptance_flags_the_case(county):
    case = accepted_on_commitment(county)
    assert case.status == "in_review" and case.commitment_mode


def test_a_commitment_case_is_granted_directly_from_review(county):
    case = accepted_on_commitment(county)
    case = services.case_grant(case=case, actor=county.approver, now=at("2026-06-02"))
    assert case.status == "granted"
    event = CaseEvent.objects.get(case=case, action="grant")
    assert (event.from_status, event.to_status) == ("in_review", "granted")
    assert not case.steps.filter(status="active").exists()
    assert not Clock.objects.filter(
        case=case, kind__in=["statutory", "promised", "step"], status="running"
    ).exists()


def test_an_ordinary_case_cannot_be_granted_before_its_review_steps_pass(county):
    case = receive_all(make_case(county), county)
    case = services.case_accept(case=case, actor=county.clerk, now=at("2026-06-01"))
    with pytest.raises(DomainError) as refused:
        services.case_grant(case=case, actor=county.approver, now=at("2026-06-02"))
    assert refused.value.code == "review_open"


def test_granting_on_commitment_starts_a_twenty_working_day_post_check(county):
    case = granted_on_commitment(county)
    clock = Clock.objects.get(case=case, kind="post_check")
    # 06-02 is day zero; 06-19 (端午) does not count.
    assert (clock.budget, clock.start_date, clock.due_date) == (20, dt.date(2026, 6, 2), dt.date(2026, 7, 1))


def test_an_ordinary_grant_has_no_post_check(county):
    case = receive_all(make_case(county), county)
    case = services.case_accept(case=case, actor=county.clerk, now=at("2026-06-01"))
    case = services.case_step_pass(case=case, actor=county.approver, now=at("2026-06-02"))
    case = services.case_grant(case=case, actor=county.approver, now=at("2026-06-02"))
    assert not Clock.objects.filter(case=case, kind="post_check").exists()


def test_a_truthful_commitment_closes_the_post_check_and_keeps_the_certificate(county):
    case, certificate = certified_on_commitment(county)
    case = services.case_post_check_record(
        case=case, actor=county.approver, now=at("2026-06-20"), truthful=True, note="现场核查属实"
    )
    assert case.post_check_result == "confirmed"
    assert Clock.objects.get(case=case, kind="post_check").status == "stopped"
    assert certificate_verify(code=certificate.verification_code, today=dt.date(2026, 6, 20)).is_valid
    case.applicant.refresh_from_db()
    assert case.applicant.false_commitment_on is None


def test_a_false_commitment_flags_the_applicant(county):
    case, _certificate = certified_on_commitment(county)
    case = services.case_post_check_record(
        case=case, actor=county.approver, now=at("2026-06-20"), truthful=False, note="场地与承诺不符"
    )
    assert case.post_check_result == "false"
    case.applicant.refresh_from_db()
    assert case.applicant.false_commitment_on == dt.date(2026, 6, 20)


def test_a_false_commitment_revokes_the_certificate_and_verification_shows_it(county):
    case, certificate = certified_on_commitment(county)
    services.case_post_check_record(
        case=case, actor=county.approver, now=at("2026-06-20"), truthful=False, note="场地与承诺不符"
    )
    result = certificate_verify(code=certificate.verification_code, today=dt.date(2026, 6, 21))
    assert result.signature_valid and result.revoked and not result.is_valid
    assert result.status_label.startswith("已注销（2026-06-20")
    assert "虚假承诺" in result.status_label
    assert CaseEvent.objects.filter(case=case, action="certificate_revoked").count() == 1


def test_a_false_commitment_found_before_the_certificate_stops_it_being_issued(county):
    case = granted_on_commitment(county)
    case = services.case_post_check_record(
        case=case, actor=county.approver, now=at("2026-06-03"), truthful=False, note="场地与承诺不符"
    )
    with pytest.raises(DomainError) as refused:
        services.case_issue_certificate(case=case, actor=county.clerk, now=at("2026-06-04"))
    assert refused.value.code == "false_commitment"
    assert not Certificate.objects.filter(case=case).exists()


def test_after_a_false_commitment_the_applicants_next_case_cannot_use_commitment(county):
    case, _certificate = certified_on_commitment(county)
    services.case_post_check_record(
        case=case, actor=county.approver, now=at("2026-06-20"), truthful=False, note="场地与承诺不符"
    )
    following = receive_all(make_case(county, now=at("2026-06-22"), elements=COMMITMENT), county)
    with pytest.raises(DomainError) as refused:
        services.case_accept(case=following, actor=county.clerk, now=at("2026-06-22"), commitment=True)
    assert refused.value.code == "false_commitment"


def test_a_post_check_is_recorded_only_once(county):
    case = granted_on_commitment(county)
    case = services.case_post_check_record(
        case=case, actor=county.approver, now=at("2026-06-20"), truthful=True, note="属实"
    )
    with pytest.raises(DomainError) as refused:
        services.case_post_check_record(
            case=case, actor=county.approver, now=at("2026-06-21"), truthful=False, note="复查不实"
        )
    assert refused.value.code == "already_checked"


def test_a_post_check_needs_a_note(county):
    case = granted_on_commitment(county)
    with pytest.raises(DomainError) as refused:
        services.case_post_check_record(
            case=case, actor=county.approver, now=at("2026-06-20"), truthful=True, note=""
        )
    assert refused.value.code == "required"


def test_an_ordinary_case_has_no_post_check_to_record(county):
    case = receive_all(make_case(county), county)
    case = services.case_accept(case=case, actor=county.clerk, now=at("2026-06-01"))
    case = services.case_step_pass(case=case, actor=county.approver, now=at("2026-06-02"))
    case = services.case_grant(case=case, actor=county.approver, now=at("2026-06-02"))
    with pytest.raises(DomainError) as refused:
        services.case_post_check_record(
            case=case, actor=county.approver, now=at("2026-06-20"), truthful=True, note="属实"
        )
    assert refused.value.code == "no_post_check"
