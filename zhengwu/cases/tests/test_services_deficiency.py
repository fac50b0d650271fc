"""容缺受理 (DOMAIN §4.4): only 容缺可后补 materials may be deferred; the certificate waits for them."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.cases import services
from zhengwu.cases.models import Case, CaseEvent, Clock
from zhengwu.cases.tests.factories import at, make_case
from zhengwu.common.errors import DomainError
from zhengwu.organization.models import Applicant

pytestmark = pytest.mark.django_db

MATERIALS = [
    {"name": "申请书", "material_type": "original", "necessity": "required"},
    {"name": "营业执照", "material_type": "copy", "necessity": "required", "source": "government"},
    {"name": "场地使用证明", "material_type": "copy", "necessity": "deferrable"},
]


def deficient_case(county, day: str = "2026-06-01", **kwargs) -> Case:
    """Received with the deferrable material marked 容缺后补 and the others received."""
    case = make_case(county, now=at(day), materials=MATERIALS, **kwargs)
    services.case_materials_check(
        case=case,
        actor=county.clerk,
        checks={
            m.pk: ("deferred" if m.necessity == "deferrable" else "received", "")
            for m in case.materials.all()
        },
        now=at(day),
    )
    return case


def accepted_with_deficiency(county, day: str = "2026-06-01") -> Case:
    case = deficient_case(county, day)
    return services.case_accept_with_deficiency(case=case, actor=county.clerk, now=at(day))


def decided(county) -> Case:
    case = accepted_with_deficiency(county)
    case = services.case_step_pass(case=case, actor=county.approver, now=at("2026-06-02"))
    return services.case_grant(case=case, actor=county.approver, now=at("2026-06-03"))


def test_a_required_material_cannot_be_marked_for_deferred_supply(county):
    case = make_case(county, materials=MATERIALS)
    licence = case.materials.get(name="营业执照")
    with pytest.raises(DomainError) as refused:
        services.case_materials_check(
            case=case, actor=county.clerk, checks={licence.pk: ("deferred", "")}, now=at("2026-06-01")
        )
    assert "营业执照" in refused.value.fields[f"materials.{licence.pk}"][0]
    assert "容缺" in refused.value.fields[f"materials.{licence.pk}"][0]
    licence.refresh_from_db()
    assert licence.status == "pending"


def test_a_deferrable_material_can_be_marked_for_deferred_supply(county):
    case = deficient_case(county)
    assert case.materials.get(name="场地使用证明").status == "deferred"


def test_acceptance_with_deficiency_needs_a_deferred_material(county):
    case = make_case(county, materials=MATERIALS)
    services.case_materials_check(
        case=case,
        actor=county.clerk,
        checks={m.pk: ("received", "") for m in case.materials.all()},
        now=at("2026-06-01"),
    )
    with pytest.raises(DomainError) as refused:
        services.case_accept_with_deficiency(case=case, actor=county.clerk, now=at("2026-06-01"))
    assert refused.value.code == "nothing_deferred"


def test_acceptance_with_deficiency_still_needs_every_required_material(county):
    case = make_case(county, materials=MATERIALS)
    deferrable = case.materials.get(name="场地使用证明")
    services.case_materials_check(
        case=case, actor=county.clerk, checks={deferrable.pk: ("deferred", "")}, now=at("2026-06-01")
    )
    with pytest.raises(DomainError) as refused:
        services.case_accept_with_deficiency(case=case, actor=county.clerk, now=at("2026-06-01"))
    assert refused.value.code == "materials_incomplete"
    assert "申请书" in refused.value.message and "场地使用证明" not in refused.value.message


def test_plain_acceptance_with_a_deferred_material_is_refused(county):
    case = deficient_case(county)
    with pytest.raises(DomainError) as refused:
        services.case_accept(case=case, actor=county.clerk, now=at("2026-06-01"))
    assert refused.value.code == "materials_incomplete"


def test_acceptance_with_deficiency_runs_the_review_clocks_and_journals_the_deferred_materials(county):
    case = accepted_with_deficiency(county)
    assert case.status == "in_review" and case.deficiency_mode
    event = CaseEvent.objects.get(case=case, action="accept_with_deficiency")
    assert event.data == {"deferred": ["场地使用证明"]}
    assert (event.from_status, event.to_status) == ("submitted", "in_review")
    case.refresh_from_db()
    assert case.statutory_due == dt.date(2026, 6, 30)


def test_the_deficiency_clock_gives_ten_working_days_to_supply(county):
    case = accepted_with_deficiency(county)
    clock = Clock.objects.get(case=case, kind="deficiency")
    assert (clock.budget, clock.start_date, clock.due_date) == (10, dt.date(2026, 6, 1), dt.date(2026, 6, 15))
    assert case.materials.get(name="场地使用证明").deferred_due == dt.date(2026, 6, 15)


def test_the_certificate_is_held_while_a_deferred_material_is_missing(county):
    case = decided(county)
    with pytest.raises(DomainError) as refused:
        services.case_issue_certificate(case=case, actor=county.clerk, now=at("2026-06-04"))
    assert refused.value.code == "deficiency_outstanding"
    assert "场地使用证明" in refused.value.message
    case.refresh_from_db()
    assert case.status == "granted"


def test_supplying_the_deferred_material_stops_the_deficiency_clock_and_frees_the_certificate(county):
    case = decided(county)
    deferred = case.materials.get(name="场地使用证明")
    case = services.case_supply_deferred(
        case=case, actor=county.clerk, now=at("2026-06-05"), material_ids=[deferred.pk]
    )
    deferred.refresh_from_db()
    assert deferred.status == "received"
    clock = Clock.objects.get(case=case, kind="deficiency")
    assert (clock.status, clock.stopped_on) == ("stopped", dt.date(2026, 6, 5))
    event = CaseEvent.objects.get(case=case, action="supply_deferred")
    assert (event.from_status, event.to_status, event.comment) == ("granted", "granted", "场地使用证明")
    certificate = services.case_issue_certificate(case=case, actor=county.clerk, now=at("2026-06-05", 11))
    assert certificate.case_id == case.pk


def test_supplying_a_material_that_was_not_deferred_is_refused(county):
    case = accepted_with_deficiency(county)
    received = case.materials.get(name="申请书")
    with pytest.raises(DomainError) as refused:
        services.case_supply_deferred(
            case=case, actor=county.clerk, now=at("2026-06-02"), material_ids=[received.pk]
        )
    assert refused.value.code == "invalid"


def test_an_applicant_with_a_false_commitment_cannot_be_accepted_with_deficiency(county):
    case = deficient_case(county)
    Applicant.objects.filter(pk=case.applicant_id).update(false_commitment_on=dt.date(2026, 3, 1))
    with pytest.raises(DomainError) as refused:
        services.case_accept_with_deficiency(case=case, actor=county.clerk, now=at("2026-06-01"))
    assert refused.value.code == "false_commitment"
    assert "容缺受理" in refused.value.message
    case.refresh_from_db()
    assert case.status == "submitted"


def test_an_applicant_with_a_false_commitment_cannot_use_notification_and_commitment(county):
    case = make_case(county, elements={"reform_mode": "commitment"})
    services.case_materials_check(
        case=case,
        actor=county.clerk,
        checks={m.pk: ("received", "") for m in case.materials.all()},
        now=at("2026-06-01"),
    )
    Applicant.objects.filter(pk=case.applicant_id).update(false_commitment_on=dt.date(2026, 3, 1))
    with pytest.raises(DomainError) as refused:
        services.case_accept(case=case, actor=county.clerk, now=at("2026-06-01"), commitment=True)
    assert refused.value.code == "false_commitment"
    assert "告知承诺制" in refused.value.message
