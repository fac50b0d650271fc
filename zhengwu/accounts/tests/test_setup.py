"""No built-in administrator: setup creates named administrators who must change the issued password."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from zhengwu.accounts.models import AccountSecurity
from zhengwu.organization.models import User

pytestmark = pytest.mark.django_db


def test_create_admin_makes_a_named_administrator_who_must_change_the_password():
    out = StringIO()
    call_command("create_admin", "li_si", role="security_admin", name="李四", stdout=out)
    user = User.objects.get(username="li_si")
    assert user.has_role("security_admin") and user.full_name == "李四"
    assert AccountSecurity.objects.get(user=user).must_change_password
    password = re.search(r"仅显示这一次）：(\S+)", out.getvalue()).group(1)
    assert user.check_password(password)


def test_a_generic_administrator_name_is_refused():
    with pytest.raises(CommandError, match="不得使用通用账号名"):
        call_command("create_admin", "admin", role="system_admin", name="管理员", stdout=StringIO())
    assert not User.objects.filter(username="admin").exists()


def test_a_password_reset_in_the_admin_site_must_be_changed_at_next_sign_in(client, clerk):
    from zhengwu.accounts.testing import login_verified
    from zhengwu.organization.choices import Role
    from zhengwu.organization.tests.factories import UserFactory

    sysadmin = UserFactory(username="sys_admin_zhou", roles=[Role.SYSTEM_ADMIN], department=clerk.department)
    login_verified(client, sysadmin)
    url = f"/admin/organization/user/{clerk.pk}/password/"
    response = client.post(
        url, {"password1": "Zw!reset-pass-2026", "password2": "Zw!reset-pass-2026", "usable_password": "true"}
    )
    assert response.status_code == 302 and response.url.startswith("/admin/organization/user/"), response.url
    assert AccountSecurity.objects.get(user=clerk).must_change_password


def test_demo_accounts_are_not_forced_to_change_the_printed_password(db):
    from zhengwu.accounts.policy import password_change_required

    user = User.objects.create(username="demo_clerk", password="md5$x$y")  # as the demo loader makes them
    assert not password_change_required(user)
