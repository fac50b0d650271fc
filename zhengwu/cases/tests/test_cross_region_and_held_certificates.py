"""跨域通办: a window of one county receives an item another county implements; the handling department
decides, both sides are recorded and see the case, unrelated staff do not. 免提交: a material the
applicant holds as a valid electronic certificate is taken from the library instead of being asked for."""

from __future__ import annotations

import pytest

from zhengwu.cases import services
from zhengwu.cases.models import Case
from zhengwu.cases.selectors import case_list
from zhengwu.cases.tests.factories import (
    accepted_case,
    at,
    make_applicant,
    make_case,
    make_county,
    receive_all,
)
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common.errors import PermissionDenied
from zhengwu.organization.choices import RegionLevel
from zhengwu.organization.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(db):
    return RegionFactory(code="430900000000", name="益阳市", level=RegionLevel.CITY)


@pytest.fixture
def heshan(city):
    county = make_county("430903000000", "赫山区")
    county.region.parent = city
    county.region.save()
    return county


@pytest.fixture
def ziyang(city):
    county = make_county("430902000000", "资阳区")
    county.region.parent = city
    county.region.save()
    return county


@pytest.fixture
def elsewhere(db):
    return make_county("431102000000", "零陵区")  # another city


def cross_item(county, scope="全市通办"):
    return make_item(
        department=county.department, elements={"cross_region": True, "cross_region_scope": scope}
    )


def test_a_window_receives_a_cross_region_item_of_another_county_and_both_units_are_recorded(heshan, ziyang):
    item = cross_item(ziyang)
    case = make_case(heshan, item=item, actor=heshan.clerk)
    assert case.cross_region
    assert (case.department, case.region) == (ziyang.department, ziyang.region)
    assert (case.intake_department, case.intake_region) == (heshan.department, heshan.region)
    assert case.events.filter(action="cross_region_intake").exists()


def test_an_item_not_marked_for_cross_region_handling_cannot_be_received_elsewhere(heshan, ziyang):
    item = make_item(department=ziyang.department)
    with pytest.raises(PermissionDenied) as refused:
        make_case(heshan, item=item, actor=heshan.clerk)
    assert "不支持跨域通办" in refused.value.message
    assert not Case.objects.exists()


def test_citywide_handling_stops_at_the_city_boundary(ziyang, elsewhere):
    with pytest.raises(PermissionDenied) as refused:
        make_case(elsewhere, item=cross_item(ziyang), actor=elsewhere.clerk)
    assert "全市通办" in refused.value.message


def test_nationwide_handling_crosses_the_city_boundary(ziyang, elsewhere):
    case = make_case(elsewhere, item=cross_item(ziyang, "跨省通办"), actor=elsewhere.clerk)
    assert case.cross_region and case.intake_department == elsewhere.department


def test_a_same_department_intake_is_not_cross_region(heshan):
    case = make_case(heshan)
    assert not case.cross_region and case.intake_department == heshan.department


def test_the_handling_and_the_receiving_departments_see_the_case_and_an_unrelated_one_does_not(
    heshan, ziyang, elsewhere
):
    case = make_case(heshan, item=cross_item(ziyang), actor=heshan.clerk)
    for staff in (ziyang.approver, ziyang.clerk, heshan.clerk, heshan.supervisor):
        assert case_list(user=staff).filter(pk=case.pk).exists()
    for staff in (elsewhere.clerk, elsewhere.approver):
        assert not case_list(user=staff).filter(pk=case.pk).exists()


def test_the_receiving_window_checks_materials_but_only_the_handling_department_accepts(heshan, ziyang):
    case = make_case(heshan, item=cross_item(ziyang), actor=heshan.clerk)
    receive_all(case, heshan)
    assert set(case.materials.values_list("status", flat=True)) == {"received"}
    with pytest.raises(PermissionDenied):
        services.case_accept(case=case, actor=heshan.clerk, now=at("2026-06-01", 11))
    assert services.case_actions_for(heshan.clerk, case) == []
    case = services.case_accept(
        case=Case.objects.get(pk=case.pk), actor=ziyang.clerk, now=at("2026-06-01", 11)
    )
    assert case.status == "in_review"


def test_the_result_is_handed_out_at_the_receiving_window(heshan, ziyang):
    case = make_case(heshan, item=cross_item(ziyang), actor=heshan.clerk)
    receive_all(case, heshan)
    case = services.case_accept(case=case, actor=ziyang.clerk, now=at("2026-06-01", 11))
    case = services.case_step_pass(case=case, actor=ziyang.approver, now=at("2026-06-02"))
    case = services.case_grant(case=case, actor=ziyang.approver, now=at("2026-06-02", 11))
    services.case_issue_certificate(case=case, actor=ziyang.clerk, now=at("2026-06-02", 14))
    case = Case.objects.get(pk=case.pk)
    assert services.case_actions_for(heshan.clerk, case) == ["deliver"]
    case = services.case_deliver(case=case, actor=heshan.clerk, now=at("2026-06-03"), mode="window")
    assert case.status == "delivered"


# -- 免提交 -------------------------------------------------------------------------------------------


def licence(county, applicant):
    """A granted case whose certificate is titled 营业执照, held by `applicant`."""
    item = make_item(department=county.department, elements={"result_name": "营业执照"})
    case = accepted_case(county, item=item, applicant=applicant)
    case = services.case_step_pass(case=case, actor=county.approver, now=at("2026-06-01", 11))
    case = services.case_grant(case=case, actor=county.approver, now=at("2026-06-01", 12))
    return services.case_issue_certificate(case=case, actor=county.clerk, now=at("2026-06-01", 14))


def test_a_material_the_applicant_holds_as_a_certificate_is_taken_from_the_library(heshan):
    applicant = make_applicant()
    certificate = licence(heshan, applicant)
    case = make_case(heshan, applicant=applicant, now=at("2026-06-02"))
    held = case.materials.get(name="营业执照")
    assert (held.status, held.certificate) == ("received", certificate)
    assert certificate.number in held.note and "免提交" in held.note
    assert case.materials.get(name="申请书").status == "pending"


def test_another_applicants_certificate_is_not_used(heshan):
    licence(heshan, make_applicant())
    other = make_applicant("王五", "430903199001011238")
    case = make_case(heshan, applicant=other, now=at("2026-06-02"))
    assert case.materials.get(name="营业执照").status == "pending"


def test_a_revoked_certificate_is_not_used(heshan):
    applicant = make_applicant()
    certificate = licence(heshan, applicant)
    services.certificate_revoke(
        certificate=certificate, actor=heshan.head, reason="依申请注销", now=at("2026-06-02")
    )
    case = make_case(heshan, applicant=applicant, now=at("2026-06-03"))
    assert case.materials.get(name="营业执照").status == "pending"


def test_a_certificate_issued_later_fills_the_holders_case_still_in_intake(heshan):
    applicant = make_applicant()
    waiting = make_case(heshan, applicant=applicant, now=at("2026-06-01", 9))
    assert waiting.materials.get(name="营业执照").status == "pending"
    certificate = licence(heshan, applicant)
    held = waiting.materials.get(name="营业执照")
    assert (held.status, held.certificate) == ("received", certificate)
