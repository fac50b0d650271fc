import datetime as dt

import pytest

from zhengwu.common.errors import DomainError
from zhengwu.organization import services
from zhengwu.organization.choices import Role
from zhengwu.organization.models import Applicant
from zhengwu.organization.tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 22)


def test_no_account_may_hold_two_of_the_three_administrator_roles():
    user = UserFactory()
    with pytest.raises(DomainError) as error:
        services.user_set_roles(user=user, roles=[Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN])
    assert error.value.code == "separation_of_duties"
    assert "三权分立" in error.value.message
    assert not user.roles.exists()


def test_an_administrator_role_may_be_combined_with_a_business_role():
    user = UserFactory()
    services.user_set_roles(user=user, roles=[Role.SYSTEM_ADMIN, Role.SUPERVISOR])
    assert user.has_role(Role.SYSTEM_ADMIN) and user.has_role(Role.SUPERVISOR)


def test_setting_roles_replaces_the_old_ones():
    user = UserFactory(roles=[Role.WINDOW_CLERK])
    services.user_set_roles(user=user, roles=[Role.APPROVER])
    assert set(user.roles.values_list("role", flat=True)) == {Role.APPROVER}


def test_catalogue_maintainers_get_the_admin_site_and_others_lose_it():
    user = UserFactory()
    services.user_set_roles(user=user, roles=[Role.DEPT_HEAD])
    assert user.is_staff
    services.user_set_roles(user=user, roles=[Role.WINDOW_CLERK])
    user.refresh_from_db()
    assert not user.is_staff


def test_a_person_is_registered_with_a_valid_id_number():
    applicant = services.applicant_register(
        kind="person", name="张三", id_number="11010519491231002x", today=TODAY
    )
    assert applicant.id_number == "11010519491231002X"


def test_an_id_number_with_a_wrong_check_digit_is_refused_with_a_chinese_message():
    with pytest.raises(DomainError) as error:
        services.applicant_register(kind="person", name="李四", id_number="360426199101010072", today=TODAY)
    assert error.value.fields["id_number"] == ["身份证号码校验位错误"]
    assert not Applicant.objects.exists()


def test_an_unknown_address_code_is_kept_as_a_warning():
    from stdnum.cn import ric

    body = "43099919900101001"
    number = body + ric.calc_check_digit(body + "0")  # stdnum ignores the last character
    applicant = services.applicant_register(kind="person", name="王五", id_number=number, today=TODAY)
    assert applicant.warnings and "430999" in applicant.warnings[0]


def test_a_legal_person_is_registered_with_a_valid_uscc():
    applicant = services.applicant_register(
        kind="legal_person", name="益阳某某食品有限公司", id_number="91350100M000100Y43", today=TODAY
    )
    assert applicant.kind == "legal_person"


def test_the_same_identifier_under_another_name_is_refused():
    services.applicant_register(kind="person", name="张三", id_number="11010519491231002X", today=TODAY)
    with pytest.raises(DomainError) as error:
        services.applicant_register(kind="person", name="张四", id_number="11010519491231002X", today=TODAY)
    assert error.value.code == "identity_mismatch"


def test_a_region_path_chains_the_codes_from_the_root():
    city = RegionFactory(code="430900000000", level=2)
    county = RegionFactory(code="430903000000", parent=city)
    assert county.path == "430900000000/430903000000/"
    assert county.ancestor_codes == ["430900000000", "430903000000"]
