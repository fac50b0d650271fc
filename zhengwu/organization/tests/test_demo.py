"""`zhengwu demo`: the 益阳市 demo data of seed 001, built through the services and idempotent.

Loading the demo takes many seconds, so the module loads it once, inside a transaction that is rolled
back when the module ends; each test runs in a savepoint within it (pytest-django's usual wrapping).
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from zhengwu.catalog import services as catalog_services
from zhengwu.catalog.models import (
    FeeItem,
    ItemOperation,
    ItemVersion,
    LegalBasis,
    Material,
    ServiceItem,
    Step,
)
from zhengwu.domain.identifiers import validate_uscc
from zhengwu.organization.choices import ADMIN_ROLES, DepartmentKind, Role, WindowType
from zhengwu.organization.models import (
    DataScope,
    Department,
    Region,
    RoleAssignment,
    ServiceHall,
    User,
    Window,
)

pytestmark = pytest.mark.django_db

SEED_001_UNITS = {
    "赫山区": "430903",
    "资阳区": "430902",
    "南县": "430921",
    "桃江县": "430922",
    "安化县": "430923",
    "沅江市": "430981",
    "益阳高新区": "",
    "大通湖区": "",
}


def run_demo() -> str:
    out = StringIO()
    call_command(
        "demo", "--cases", "600", "--tickets", "300", stdout=out
    )  # the generators have their own tests
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """The output of one `zhengwu demo` run; its data is visible to every test of the module."""
    # The root conftest speeds hashing up per test; a module fixture runs before it, so do the same.
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hashing:
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield run_demo()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def snapshot() -> dict[str, int]:
    models = (
        Region,
        Department,
        ServiceHall,
        Window,
        User,
        RoleAssignment,
        DataScope,
        ServiceItem,
        ItemVersion,
        LegalBasis,
        Material,
        Step,
        FeeItem,
        ItemOperation,
    )
    counts = {model.__name__: model.objects.count() for model in models}
    counts["published"] = ItemVersion.objects.filter(status="published").count()
    counts["window_departments"] = Window.departments.through.objects.count()
    return counts


def test_demo_builds_yiyang_with_the_seed_001_units_staff_for_every_role_and_a_publishable_catalogue(
    demo_output,
):
    output = demo_output

    # The city and the eight units assessed in seed 001, functional zones without an official code.
    city = Region.objects.get(code="430900000000")
    assert (city.name, city.official_code, city.parent.code) == ("益阳市", "430900", "430000000000")
    units = {r.name: r for r in city.children.all()}
    assert set(units) == set(SEED_001_UNITS)
    for name, official in SEED_001_UNITS.items():
        region = units[name]
        assert region.official_code == official
        assert region.is_functional_zone == (not official)
        if official:
            assert region.code == f"{official}000000"
        else:
            assert not region.code.isdigit(), "an internal code must not look like a GB/T 2260 code"
    assert Region.objects.filter(parent=units["赫山区"], level=4).count() >= 3

    # Each unit, and the city itself: an approval bureau with a hall and windows, a dozen departments.
    for region in [city, *units.values()]:
        bureau = Department.objects.get(region=region, kind=DepartmentKind.APPROVAL_BUREAU)
        assert bureau.name.endswith("行政审批服务局")
        hall = ServiceHall.objects.get(department=bureau)
        assert hall.address and "8:30" in hall.opening_hours
        windows = list(hall.windows.all())
        assert len(windows) >= 8
        assert {w.window_type for w in windows} == set(WindowType.values)
        assert all(w.departments.exists() for w in windows)
        assert Department.objects.filter(region=region, kind=DepartmentKind.DEPARTMENT).count() >= 12
    for department in Department.objects.all():
        check = validate_uscc(department.uscc)
        assert check.value == department.uscc and not check.warnings, department.name
        assert department.uscc.startswith("11")
        assert department.phone.startswith("0737-")
    assert Department.objects.values("uscc").distinct().count() == Department.objects.count()

    # Staff for every role; 三权分立 holds for every account.
    held = set(RoleAssignment.objects.values_list("role", flat=True))
    assert held == set(Role.values)
    for user in User.objects.prefetch_related("roles"):
        assert len({r.role for r in user.roles.all()} & ADMIN_ROLES) <= 1, user.username
    for name in SEED_001_UNITS:
        region = units[name]
        clerks = User.objects.filter(roles__role=Role.WINDOW_CLERK, scopes__region=region)
        assert clerks.count() == 2
        assert all(c.window is not None for c in clerks)
        approvers = User.objects.filter(roles__role=Role.APPROVER, department__region=region)
        assert approvers.count() == 2
        assert all(a.scopes.get().department_id == a.department_id for a in approvers)
        assert User.objects.filter(roles__role=Role.DEPT_HEAD, department__region=region).exists()
    supervisor = User.objects.get(username="city_supervisor")
    assert supervisor.has_role(Role.SUPERVISOR)
    scope = supervisor.scopes.get()
    assert scope.region == city and scope.include_descendants
    assert not User.objects.filter(is_superuser=True).exists()  # 三员: no account holds every power
    assert "city_supervisor" in output and "监管员" in output and "Zhengwu@2026" in output

    # The catalogue: ≥ 60 distinct published items per unit, each version passing every §2.7 rule.
    published = (
        ItemVersion.objects.filter(status="published")
        .select_related("item__item_type")
        .prefetch_related("legal_bases", "materials", "steps", "fee_items")
    )
    assert published.values("item__name").distinct().count() >= 60
    for version in published:
        assert catalog_services.version_check(version) == [], version.item.implementation_code
    for region in units.values():
        names = ServiceItem.objects.filter(region=region, current_version__isnull=False).values("name")
        assert names.distinct().count() >= 60, region.name
    item_types = set(ServiceItem.objects.values_list("item_type__key", flat=True))
    assert {"licensing", "confirmation", "payment", "filing", "public_service"} <= item_types

    # Realism: drafts, a suspended item, a change in progress, 即办件, fees, 证照分离, seed 001's 70 % rule.
    assert ServiceItem.objects.filter(current_version__isnull=True).exists()
    assert ServiceItem.objects.filter(status="suspended").count() == 1
    assert ItemVersion.objects.filter(status="draft", number=2).exists()
    assert published.filter(case_kind="immediate", promised_limit_unit="immediate").exists()
    assert published.filter(charges_fee=True, online_payment=True, fee_items__isnull=False).exists()
    assert published.exclude(reform_mode="").exists() and published.filter(license_relation="post").exists()
    assert {0, 1, 2} <= set(published.values_list("onsite_visits", flat=True))
    assert published.filter(online_depth__gte=3).count() >= 0.7 * published.count()


def test_running_demo_again_changes_nothing(demo_output):
    before = snapshot()
    output = run_demo()
    assert snapshot() == before
    progress = [line for line in output.splitlines() if line.startswith("[")]
    assert len(progress) == 12 and all("新增 0，" in line for line in progress[:5])
    assert "一件事办件 0 件" in progress[5] and "已有评价" in progress[6] and "已有工单" in progress[7]
    assert "已有排队记录" in progress[8]
    assert "效能指标" in progress[9] and "考核人工录入" in progress[10] and "已有项目" in progress[11]
    assert "（保留原密码）" not in output, "the accounts still open with the demo password"
