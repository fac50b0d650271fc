"""The workbench navigation links only the screens the signed-in role may open."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengwu.accounts.testing import login_verified
from zhengwu.cases.tests.factories import make_county
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return make_county()


def _nav(client, county, *roles) -> str:
    login_verified(
        client, UserFactory(department=county.department, roles=list(roles), scope=[county.region])
    )
    html = client.get(reverse("workbench:home")).content.decode()
    return html[html.index("<nav") : html.index("</nav>")]


def test_the_assessor_gets_no_link_to_case_screens(client, county):
    nav = _nav(client, county, Role.ASSESSOR)
    assert reverse("workbench:case_list") not in nav
    assert reverse("workbench:case_intake") not in nav
    assert reverse("workbench:assessment_home") in nav


def test_the_system_administrator_gets_no_link_to_cases_or_the_audit_log(client, county):
    nav = _nav(client, county, Role.SYSTEM_ADMIN)
    assert reverse("workbench:case_list") not in nav
    assert reverse("workbench:audit_list") not in nav
    assert reverse("workbench:item_list") in nav


def test_only_the_security_administrator_gets_the_grants_and_sessions_links(client, county):
    assert reverse("accounts:grant_list") in _nav(client, county, Role.SECURITY_ADMIN)
    client.logout()
    assert reverse("accounts:grant_list") not in _nav(client, county, Role.WINDOW_CLERK)


def test_a_window_clerk_keeps_case_links_but_not_the_audit_log(client, county):
    nav = _nav(client, county, Role.WINDOW_CLERK)
    assert reverse("workbench:case_list") in nav
    assert reverse("workbench:audit_list") not in nav
