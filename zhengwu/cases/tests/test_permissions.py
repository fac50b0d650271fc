"""Who sees which case: the choke point `case_get_for_user` and the scoped selectors."""

from __future__ import annotations

import pytest

from zhengwu.cases import services
from zhengwu.cases.permissions import case_get_for_user, material_file_get_for_user
from zhengwu.cases.selectors import card_list, case_list, case_list_for_applicant, case_queue
from zhengwu.cases.tests.factories import (
    accepted_case,
    at,
    make_applicant,
    make_case,
    make_citizen,
    make_county,
)
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common.errors import NotFound, PermissionDenied
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

OTHER_ID = "430903198505052012"


@pytest.fixture
def other(db):
    return make_county(code="430921000000", name="南县")


def online_case(county, citizen, *, draft: bool = False):
    return services.case_create(
        item=make_item(department=county.department),
        applicant=citizen.applicant,
        channel="online",
        now=at("2026-06-01"),
        actor=citizen,
        draft=draft,
    )


# -- case_get_for_user ---------------------------------------------------------------------------------


def test_staff_in_scope_get_the_case(county):
    case = make_case(county)
    for user in (county.clerk, county.approver, county.head, county.supervisor):
        assert case_get_for_user(user, case.number) == case


def test_another_countys_staff_get_not_found(county, other):
    case = make_case(county)
    for user in (other.clerk, other.approver, other.head, other.supervisor):
        with pytest.raises(NotFound):
            case_get_for_user(user, case.number)


def test_a_citizen_gets_their_own_case(county):
    citizen = make_citizen()
    case = online_case(county, citizen)
    assert case_get_for_user(citizen, case.number) == case


def test_a_citizen_gets_their_own_draft_which_staff_do_not_see(county):
    citizen = make_citizen()
    case = online_case(county, citizen, draft=True)
    assert case_get_for_user(citizen, case.number) == case
    with pytest.raises(NotFound):
        case_get_for_user(county.clerk, case.number)


def test_another_citizen_gets_not_found(county):
    owner = make_citizen()
    stranger = make_citizen(phone="13912345679", name="王五", id_number=OTHER_ID)
    case = online_case(county, owner)
    with pytest.raises(NotFound):
        case_get_for_user(stranger, case.number)


def test_a_citizen_sees_a_case_filed_for_them_at_the_window(county):
    citizen = make_citizen()
    case = make_case(county, applicant=citizen.applicant)
    assert case_get_for_user(citizen, case.number) == case


def test_an_unknown_number_is_not_found_for_everyone(county):
    with pytest.raises(NotFound) as missing:
        case_get_for_user(county.clerk, "430903-20260601-999999")
    assert missing.value.status_code == 404


def test_an_anonymous_visitor_gets_not_found(county):
    from django.contrib.auth.models import AnonymousUser

    case = make_case(county)
    with pytest.raises(NotFound):
        case_get_for_user(AnonymousUser(), case.number)


def test_a_system_administrator_sees_every_county(county, other):
    admin = UserFactory(roles=[Role.SYSTEM_ADMIN])
    mine, theirs = make_case(county), make_case(other)
    assert case_get_for_user(admin, mine.number) == mine
    assert case_get_for_user(admin, theirs.number) == theirs


def test_a_file_of_a_case_one_cannot_see_is_not_found(county, other):
    case = make_case(county)
    material = case.materials.first()
    file = services.case_file_add(
        case=case,
        material=material,
        name="申请书.pdf",
        data=b"%PDF-1.4\n%%EOF\n",
        actor=county.clerk,
        now=at("2026-06-01"),
    )
    assert material_file_get_for_user(county.clerk, case.number, file.pk) == file
    with pytest.raises(NotFound):
        material_file_get_for_user(other.clerk, case.number, file.pk)


def test_a_file_asked_for_through_another_case_is_not_found(county):
    case, decoy = make_case(county), make_case(county)
    file = services.case_file_add(
        case=case,
        material=case.materials.first(),
        name="申请书.pdf",
        data=b"%PDF-1.4\n%%EOF\n",
        actor=county.clerk,
        now=at("2026-06-01"),
    )
    with pytest.raises(NotFound):
        material_file_get_for_user(county.clerk, decoy.number, file.pk)


# -- lists -----------------------------------------------------------------------------------------------


def test_a_county_clerks_list_excludes_another_countys_cases(county, other):
    mine, theirs = make_case(county), make_case(other)
    assert list(case_list(user=county.clerk)) == [mine]
    assert list(case_list(user=other.clerk)) == [theirs]


def test_a_department_scoped_approver_sees_only_their_departments_cases(county):
    planning = DepartmentFactory(region=county.region, name="赫山区自然资源局")
    planner = UserFactory(department=planning, roles=[Role.APPROVER], scope=[planning])
    market = make_case(county)
    land = make_case(county, item=make_item(department=planning))
    assert list(case_list(user=county.approver)) == [market]
    assert list(case_list(user=planner)) == [land]
    assert set(case_list(user=county.clerk)) == {market, land}  # the clerk's scope is the whole county
    with pytest.raises(NotFound):
        case_get_for_user(county.approver, land.number)


def test_the_staff_list_leaves_out_drafts(county):
    citizen = make_citizen()
    online_case(county, citizen, draft=True)
    assert list(case_list(user=county.clerk)) == []


def test_a_citizen_sees_no_staff_list_but_their_own_cases(county):
    citizen = make_citizen()
    case = online_case(county, citizen)
    make_case(county, applicant=make_applicant())
    assert list(case_list(user=citizen)) == []
    assert list(case_list_for_applicant(user=citizen)) == [case]


def test_my_queue_holds_the_open_cases_assigned_to_me(county):
    claimed = accepted_case(county)
    claimed = services.case_step_claim(case=claimed, actor=county.approver, now=at("2026-06-02"))
    accepted_case(county)
    assert list(case_queue(user=county.approver, mine=True)) == [claimed]
    assert len(case_queue(user=county.approver, mine=False)) == 2


def test_the_card_board_is_scoped_like_the_cases(county, other):
    case = accepted_case(county, day="2026-02-10")
    services.cases_sweep(now=at("2026-02-25"))
    assert {card.case for card in card_list(user=county.supervisor)} == {case}
    assert list(card_list(user=other.supervisor)) == []


# -- filing in someone else's name -------------------------------------------------------------------------


def test_a_citizen_cannot_file_an_application_in_another_persons_name(county):
    citizen = make_citizen()
    with pytest.raises(PermissionDenied):
        services.case_create(
            item=make_item(department=county.department),
            applicant=make_applicant(),
            channel="online",
            now=at("2026-06-01"),
            actor=citizen,
        )
