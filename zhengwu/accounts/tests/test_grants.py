"""三员 over staff accounts (SECURITY.md 8.1.4.2 d–g, 8.1.5): the system administrator creates, edits and
deactivates accounts in the admin site but cannot change roles, data scopes or superuser status; the
security administrator assigns roles and scopes on their own screen, and nothing else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengwu.accounts.testing import login_verified
from zhengwu.audit.models import AuditEvent
from zhengwu.cases.tests.factories import make_citizen, make_county
from zhengwu.organization.choices import Role
from zhengwu.organization.models import DataScope, User
from zhengwu.organization.tests.factories import DepartmentFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return make_county()


@pytest.fixture
def system_admin(county):
    return UserFactory(department=county.department, roles=[Role.SYSTEM_ADMIN], scope=[county.region])


@pytest.fixture
def security_admin(county):
    return UserFactory(department=county.department, roles=[Role.SECURITY_ADMIN], scope=[county.region])


def _roles(user) -> list[str]:
    return sorted(user.roles.values_list("role", flat=True))


def _scopes(user) -> list[tuple]:
    return sorted(DataScope.objects.filter(user=user).values_list("region_id", "department_id"), key=str)


def _admin_change_post(client, user, **extra) -> dict:
    """The admin change form of `user` as the page renders it (management forms included), plus `extra`."""
    page = client.get(reverse("admin:organization_user_change", args=[user.pk]))
    assert page.status_code == 200
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "phone": "",
        "department": user.department_id,
        "window": "",
        "is_active": "on",
    }
    return data | _management_forms(page) | extra


def _management_forms(page) -> dict:
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
    return data


# -- the system administrator (admin site) ---------------------------------------------------------------


def test_the_system_administrator_sees_roles_and_scopes_read_only_in_the_admin(client, county, system_admin):
    login_verified(client, system_admin)
    page = client.get(reverse("admin:organization_user_change", args=[county.clerk.pk])).content.decode()
    assert "角色（由安全管理员分配）" in page and "数据范围（由安全管理员分配）" in page
    assert 'name="roles-0-role"' not in page and 'name="scopes-0-region"' not in page
    assert 'name="is_superuser"' not in page and 'name="is_staff"' not in page


def test_the_system_administrator_cannot_post_roles_scopes_or_superuser_status(client, county, system_admin):
    clerk = county.clerk
    roles, scopes = _roles(clerk), _scopes(clerk)
    login_verified(client, system_admin)
    data = _admin_change_post(client, clerk, full_name="改名后", is_superuser="on", is_staff="on")
    data |= {
        "roles-TOTAL_FORMS": int(data["roles-TOTAL_FORMS"]) + 1,
        f"roles-{data['roles-TOTAL_FORMS']}-role": Role.SECURITY_ADMIN,
        "roles-0-role": Role.DEPT_HEAD,
        "scopes-TOTAL_FORMS": int(data["scopes-TOTAL_FORMS"]) + 1,
        f"scopes-{data['scopes-TOTAL_FORMS']}-region": RegionFactory(code="430900000000", name="益阳市").pk,
        "user_permissions": ["1"],
        "groups": ["1"],
    }
    response = client.post(reverse("admin:organization_user_change", args=[clerk.pk]), data)
    assert response.status_code == 302  # saved: the account fields are the system administrator's
    clerk = User.objects.get(pk=clerk.pk)
    assert clerk.full_name == "改名后"
    assert (clerk.is_superuser, clerk.is_staff) == (False, False)
    assert _roles(clerk) == roles and _scopes(clerk) == scopes
    assert not clerk.user_permissions.exists() and not clerk.groups.exists()


def test_the_system_administrator_creates_and_deactivates_an_account(client, county, system_admin):
    login_verified(client, system_admin)
    page = client.get(reverse("admin:organization_user_add"))
    password = "Zw!Issued-2026x"
    data = {"username": "new_clerk", "usable_password": "true", "password1": password, "password2": password}
    response = client.post(reverse("admin:organization_user_add"), data | _management_forms(page))
    assert response.status_code == 302
    created = User.objects.get(username="new_clerk")
    assert _roles(created) == [] and _scopes(created) == []  # granted later by the security administrator
    data = _admin_change_post(client, created, department=county.department.pk)
    data.pop("is_active")  # unchecked box: deactivate
    assert client.post(reverse("admin:organization_user_change", args=[created.pk]), data).status_code == 302
    assert User.objects.get(pk=created.pk).is_active is False


def test_the_system_administrator_does_not_list_citizen_accounts(client, county, system_admin):
    citizen = make_citizen()
    login_verified(client, system_admin)
    listing = client.get(reverse("admin:organization_user_changelist")).content.decode()
    assert citizen.username not in listing and county.clerk.username in listing
    assert client.get(reverse("admin:organization_user_change", args=[citizen.pk])).status_code == 302


def test_the_system_administrator_cannot_open_the_role_and_scope_screen(client, county, system_admin):
    login_verified(client, system_admin)
    assert client.get(reverse("accounts:grant_list")).status_code == 403
    response = client.post(
        reverse("accounts:grant_edit", args=[county.clerk.pk]), {"roles": [Role.DEPT_HEAD]}
    )
    assert response.status_code == 403
    assert _roles(county.clerk) == [Role.WINDOW_CLERK]


# -- the security administrator (accounts:grant_*) -------------------------------------------------------


def test_the_security_administrator_assigns_roles_and_scopes_and_each_change_is_audited(
    client, county, security_admin
):
    clerk = county.clerk
    login_verified(client, security_admin)
    listing = client.get(reverse("accounts:grant_list")).content.decode()
    assert clerk.username in listing and reverse("accounts:grant_edit", args=[clerk.pk]) in listing
    response = client.post(
        reverse("accounts:grant_edit", args=[clerk.pk]),
        {"roles": [Role.WINDOW_CLERK, Role.APPROVER], "departments": [county.department.pk]},
    )
    assert response.status_code == 302
    assert _roles(clerk) == [Role.APPROVER, Role.WINDOW_CLERK]
    assert _scopes(clerk) == [(None, county.department.pk)]
    role_event = AuditEvent.objects.filter(action="role.change").latest("id")
    scope_event = AuditEvent.objects.filter(action="scope.change").latest("id")
    assert role_event.actor_id == security_admin.pk and role_event.object_id == str(clerk.pk)
    assert role_event.detail["after"] == [Role.APPROVER, Role.WINDOW_CLERK]
    assert scope_event.actor_id == security_admin.pk


def test_the_security_administrator_changes_no_account_field(client, county, security_admin):
    clerk = county.clerk
    login_verified(client, security_admin)
    response = client.post(
        reverse("accounts:grant_edit", args=[clerk.pk]),
        {
            "roles": [Role.WINDOW_CLERK],
            "regions": [county.region.pk],
            "include_descendants": "on",
            "is_active": "",
            "is_superuser": "on",
            "is_staff": "on",
            "username": "renamed",
            "full_name": "改名",
            "password": "Zw!Other-2026x",
        },
    )
    assert response.status_code == 302
    after = User.objects.get(pk=clerk.pk)
    assert (after.username, after.full_name, after.is_active, after.is_superuser, after.is_staff) == (
        clerk.username,
        clerk.full_name,
        True,
        False,
        False,
    )
    assert after.password == clerk.password


def test_the_security_administrator_cannot_reach_the_admin_user_pages(client, county, security_admin):
    login_verified(client, security_admin)
    for url in (
        reverse("admin:organization_user_changelist"),
        reverse("admin:organization_user_change", args=[county.clerk.pk]),
        reverse("admin:organization_user_add"),
    ):
        assert client.get(url).status_code in (302, 403), url


def test_the_security_administrator_cannot_grant_to_their_own_account(client, county, security_admin):
    login_verified(client, security_admin)
    response = client.post(
        reverse("accounts:grant_edit", args=[security_admin.pk]),
        {"roles": [Role.SECURITY_ADMIN, Role.DEPT_HEAD], "regions": [county.region.pk]},
    )
    assert response.status_code == 403
    assert "不能为自己的账号分配" in response.content.decode()
    assert _roles(security_admin) == [Role.SECURITY_ADMIN]


def test_the_security_administrator_cannot_grant_a_scope_beyond_their_own(client, county, security_admin):
    other = make_county(code="430902000000", name="资阳区")
    login_verified(client, security_admin)
    response = client.post(
        reverse("accounts:grant_edit", args=[county.clerk.pk]),
        {"roles": [Role.WINDOW_CLERK], "regions": [other.region.pk], "departments": [other.department.pk]},
    )
    assert response.status_code == 400
    assert "超出您的数据范围" in response.content.decode()
    assert _scopes(county.clerk) == [(county.region.pk, None)]
    # nor reach an account of another county at all
    assert client.get(reverse("accounts:grant_edit", args=[other.clerk.pk])).status_code == 404


def test_the_security_administrator_keeps_scope_entries_beyond_their_reach(client, county, security_admin):
    faraway = DepartmentFactory(region=RegionFactory(code="430921000000", name="南县"), name="南县水利局")
    DataScope.objects.create(user=county.clerk, department=faraway)
    login_verified(client, security_admin)
    response = client.post(
        reverse("accounts:grant_edit", args=[county.clerk.pk]),
        {"roles": [Role.WINDOW_CLERK], "departments": [county.department.pk]},
    )
    assert response.status_code == 302
    assert sorted(_scopes(county.clerk), key=str) == sorted(
        [(None, county.department.pk), (None, faraway.pk)], key=str
    )


def test_the_security_administrator_cannot_give_one_account_two_administrator_roles(
    client, county, security_admin
):
    login_verified(client, security_admin)
    response = client.post(
        reverse("accounts:grant_edit", args=[county.clerk.pk]),
        {"roles": [Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN]},
    )
    assert response.status_code == 400
    assert "三权分立" in response.content.decode()
    assert _roles(county.clerk) == [Role.WINDOW_CLERK]
