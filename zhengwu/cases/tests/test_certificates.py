"""Electronic certificates: signed over their content, verified by code, revoked, holder IDs masked."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.cases import certificates, services
from zhengwu.cases.certificates import certificate_verify
from zhengwu.cases.models import Certificate
from zhengwu.cases.tests.factories import COMPANY_USCC, PERSON_ID, accepted_case, at
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.organization.services import applicant_register

pytestmark = pytest.mark.django_db


def issue(county, day: str = "2026-06-01", valid_years: int | None = None, **kwargs) -> Certificate:
    case = accepted_case(county, day=day, **kwargs)
    case = services.case_step_pass(case=case, actor=county.approver, now=at(day, 11))
    case = services.case_grant(case=case, actor=county.approver, now=at(day, 12))
    return services.case_issue_certificate(
        case=case, actor=county.clerk, now=at(day, 14), valid_years=valid_years
    )


def verify(certificate: Certificate, day: str = "2026-06-02"):
    return certificate_verify(code=certificate.verification_code, today=dt.date.fromisoformat(day))


def test_a_fresh_certificate_verifies(county):
    result = verify(issue(county))
    assert result.signature_valid and not result.revoked and not result.expired
    assert result.is_valid and result.status_label == "有效"


def test_the_certificate_carries_the_case_and_the_decision(county):
    certificate = issue(county)
    assert certificate.content["case_number"] == certificate.case.number
    assert certificate.content["decision"] == "符合法定条件，准予许可。"
    assert certificate.content["issuer"] == county.department.name
    assert certificate.title == "许可证"


def test_the_verification_code_is_case_insensitive(county):
    certificate = issue(county)
    assert certificate_verify(
        code=f" {certificate.verification_code.lower()} ", today=dt.date(2026, 6, 2)
    ).is_valid


def test_an_unknown_verification_code_is_not_found(county):
    issue(county)
    with pytest.raises(NotFound):
        certificate_verify(code="NOSUCHCODE23", today=dt.date(2026, 6, 2))


def test_tampering_with_the_stored_content_fails_verification(county):
    certificate = issue(county)
    content = dict(certificate.content, holder="李鬼")
    Certificate.objects.filter(pk=certificate.pk).update(content=content)
    result = verify(certificate)
    assert not result.signature_valid and not result.is_valid
    assert result.status_label == "验证失败：证照内容与签名不符"


def test_tampering_with_the_validity_date_fails_verification(county):
    certificate = issue(county, valid_years=1)
    content = dict(certificate.content, valid_until="2099-12-31")
    Certificate.objects.filter(pk=certificate.pk).update(content=content)
    assert not verify(certificate).signature_valid


def test_a_revoked_certificate_shows_the_date_and_reason(county):
    certificate = issue(county)
    services.certificate_revoke(
        certificate=certificate, actor=county.approver, now=at("2026-06-10"), reason="许可被撤销"
    )
    result = verify(certificate, "2026-06-11")
    assert result.signature_valid and result.revoked and not result.is_valid
    assert result.status_label == "已注销（2026-06-10，许可被撤销）"


def test_a_certificate_is_revoked_only_once(county):
    certificate = issue(county)
    services.certificate_revoke(
        certificate=certificate, actor=county.approver, now=at("2026-06-10"), reason="撤销"
    )
    with pytest.raises(DomainError) as refused:
        services.certificate_revoke(
            certificate=certificate, actor=county.approver, now=at("2026-06-11"), reason="再撤销"
        )
    assert refused.value.code == "already_revoked"


def test_a_window_clerk_cannot_revoke_a_certificate(county):
    from zhengwu.common.errors import PermissionDenied

    certificate = issue(county)
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(
            certificate=certificate, actor=county.clerk, now=at("2026-06-10"), reason="撤销"
        )


def test_a_certificate_past_its_validity_is_expired(county):
    certificate = issue(county, valid_years=1)
    assert certificate.valid_until == dt.date(2027, 5, 31)
    assert verify(certificate, "2027-05-31").is_valid
    result = verify(certificate, "2027-06-01")
    assert result.expired and result.status_label == "已过有效期"


def test_a_persons_id_number_is_masked_on_verification(county):
    result = verify(issue(county))
    assert result.public_content["holder_id"] == "1101**********002X"
    assert "holder_id" not in result.certificate.content  # signed, but stored encrypted apart
    assert result.certificate.signed_content()["holder_id"] == PERSON_ID


def test_a_legal_persons_credit_code_is_shown_in_full(county):
    company = applicant_register(
        kind="legal_person", name="益阳某某科技有限公司", id_number=COMPANY_USCC, today=dt.date(2026, 1, 5)
    )
    result = verify(issue(county, applicant=company))
    assert result.public_content["holder_kind"] == "legal_person"
    assert result.public_content["holder_id"] == COMPANY_USCC


def test_certificates_of_cases_with_the_same_daily_sequence_get_distinct_numbers(county, monkeypatch):
    """Each day's first case ends in 000001; the certificate number must not hinge on luck."""
    monkeypatch.setattr(certificates.secrets, "randbelow", lambda _n: 0)
    first = issue(county, day="2026-06-01")
    second = issue(county, day="2026-06-02")
    assert first.case.number[-6:] == second.case.number[-6:] == "000001"
    assert first.number != second.number
    assert first.number == "430903" + "2026" + "20260601" + "000001"
