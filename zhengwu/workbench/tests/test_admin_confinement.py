"""三员 confinement (SECURITY.md row 8): each administrator reaches only the screens of that role,
over the session and over an API token alike, and every refusal is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengwu.accounts.services import token_create
from zhengwu.accounts.testing import login_verified
from zhengwu.audit.models import AuditEvent
from zhengwu.cases.tests.factories import accepted_case, make_county
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import UserFactory
from zhengwu.workbench.access import admin_may_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return make_county()


def _admin(county, role):
    return UserFactory(department=county.department, roles=[role], scope=[county.region])


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_an_administrator_cannot_open_a_case_in_scope(client, county, role):
    case = accepted_case(county)
    login_verified(client, _admin(county, role))
    response = client.get(reverse("workbench:case_detail", args=[case.number]))
    assert response.status_code == 403
    assert "三权分立" in response.content.decode()
    assert case.number not in response.content.decode()


def test_the_refusal_is_audited_as_access_denied(client, county):
    admin = _admin(county, Role.SYSTEM_ADMIN)
    login_verified(client, admin)
    client.get(reverse("workbench:case_list"))
    event = AuditEvent.objects.filter(action="access.denied").latest("id")
    assert event.result == "denied"
    assert event.detail["view"] == "workbench:case_list"


def test_an_administrator_token_cannot_read_cases_through_the_api(client, county):
    accepted_case(county)
    _, key = token_create(user=_admin(county, Role.SECURITY_ADMIN), name="脚本")
    response = client.get(reverse("api:case_list"), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_the_system_administrator_keeps_the_catalogue_screens(client, county):
    login_verified(client, _admin(county, Role.SYSTEM_ADMIN))
    assert client.get(reverse("workbench:item_list")).status_code == 200


def test_the_system_administrator_cannot_read_applicants_in_the_django_admin(client, county):
    login_verified(client, _admin(county, Role.SYSTEM_ADMIN))
    assert client.get(reverse("admin:organization_applicant_changelist")).status_code == 403
    assert client.get(reverse("admin:organization_region_changelist")).status_code == 200


def test_only_the_audit_administrator_opens_the_audit_log(client, county):
    assert admin_may_open(_admin(county, Role.AUDIT_ADMIN), "workbench:audit_list")
    assert not admin_may_open(_admin(county, Role.SYSTEM_ADMIN), "workbench:audit_list")
    assert not admin_may_open(_admin(county, Role.SECURITY_ADMIN), "workbench:audit_list")
    assert not admin_may_open(_admin(county, Role.AUDIT_ADMIN), "workbench:case_list")


def test_business_roles_are_not_affected(client, county):
    assert admin_may_open(county.clerk, "workbench:case_list")
