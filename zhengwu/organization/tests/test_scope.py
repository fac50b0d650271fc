"""Data scope: a clerk never sees another county's departments' private data."""

import pytest

from zhengwu.catalog.selectors import item_list_for_user
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common.errors import NotFound
from zhengwu.organization.choices import RegionLevel, Role
from zhengwu.organization.permissions import department_get_for_user
from zhengwu.organization.selectors import department_list, staff_list
from zhengwu.organization.tests.factories import DepartmentFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def yiyang():
    city = RegionFactory(code="430900000000", name="益阳市", level=RegionLevel.CITY)
    ziyang = RegionFactory(code="430902000000", name="资阳区", parent=city)
    heshan = RegionFactory(code="430903000000", name="赫山区", parent=city)
    town = RegionFactory(code="430903001000", name="赫山街道", parent=heshan, level=RegionLevel.TOWNSHIP)
    return {
        "city": city,
        "ziyang": ziyang,
        "heshan": heshan,
        "town": town,
        "city_dept": DepartmentFactory(region=city, name="益阳市市场监督管理局"),
        "ziyang_dept": DepartmentFactory(region=ziyang, name="资阳区市场监督管理局"),
        "heshan_dept": DepartmentFactory(region=heshan, name="赫山区市场监督管理局"),
        "town_office": DepartmentFactory(region=town, name="赫山街道便民服务中心"),
    }


def test_a_region_scope_covers_its_departments_and_those_below(yiyang):
    clerk = UserFactory(roles=[Role.WINDOW_CLERK], scope=[yiyang["heshan"]])
    names = set(department_list(user=clerk).values_list("name", flat=True))
    assert names == {"赫山区市场监督管理局", "赫山街道便民服务中心"}


def test_a_clerk_never_sees_another_countys_departments(yiyang):
    clerk = UserFactory(roles=[Role.WINDOW_CLERK], scope=[yiyang["heshan"]])
    with pytest.raises(NotFound):
        department_get_for_user(clerk, yiyang["ziyang_dept"].pk)


def test_a_region_scope_without_descendants_stops_at_the_region(yiyang):
    from zhengwu.organization.services import user_set_scope

    clerk = UserFactory(roles=[Role.WINDOW_CLERK])
    user_set_scope(user=clerk, regions=[yiyang["heshan"]], include_descendants=False)
    assert list(department_list(user=clerk).values_list("name", flat=True)) == ["赫山区市场监督管理局"]


def test_a_department_scope_covers_that_department_only(yiyang):
    approver = UserFactory(roles=[Role.APPROVER], scope=[yiyang["heshan_dept"]])
    assert list(department_list(user=approver)) == [yiyang["heshan_dept"]]


def test_a_city_supervisor_sees_every_county(yiyang):
    supervisor = UserFactory(roles=[Role.SUPERVISOR], scope=[yiyang["city"]])
    assert department_list(user=supervisor).count() == 4


def test_a_user_without_scope_sees_nothing(yiyang):
    assert not department_list(user=UserFactory(roles=[Role.WINDOW_CLERK])).exists()


def test_the_system_administrator_sees_everything(yiyang):
    from zhengwu.organization.models import Department

    admin = UserFactory(roles=[Role.SYSTEM_ADMIN])
    assert department_list(user=admin).count() == Department.objects.count() >= 4


def test_staff_lists_are_scoped_too(yiyang):
    clerk = UserFactory(roles=[Role.WINDOW_CLERK], scope=[yiyang["heshan"]], department=yiyang["heshan_dept"])
    other = UserFactory(department=yiyang["ziyang_dept"])
    visible = set(staff_list(user=clerk))
    assert clerk in visible and other not in visible


def test_draft_items_of_another_county_stay_private(yiyang):
    clerk = UserFactory(roles=[Role.WINDOW_CLERK], scope=[yiyang["heshan"]])
    mine = make_item(department=yiyang["heshan_dept"], publish=False)
    theirs = make_item(department=yiyang["ziyang_dept"], publish=False)
    visible = set(item_list_for_user(user=clerk))
    assert mine in visible and theirs not in visible
