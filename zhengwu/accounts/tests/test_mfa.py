"""Goal row 5: TOTP — required for administrators (no session without it), optional for other staff,
each code accepted once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengwu.accounts.testing import login_verified
from zhengwu.accounts.tests.conftest import sign_in, totp_code
from zhengwu.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
VERIFY = "/accounts/mfa/verify/"
SETUP = "/accounts/mfa/setup/"


def _enrolled(user):
    return TOTPDevice.objects.create(user=user, name="手机", confirmed=True)


def test_an_administrator_with_a_password_only_gets_no_session(client, secadmin, traveller):
    response = sign_in(client, "sec_li")
    assert response.status_code == 302 and response.url == SETUP
    response = client.get("/workbench/")
    assert response.status_code == 302 and response.url.startswith("/workbench/login/")
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_an_administrator_enrols_with_a_first_code_and_is_then_signed_in(client, secadmin, traveller):
    sign_in(client, "sec_li")
    page = client.get(SETUP).content.decode()
    assert "<svg" in page and "绑定动态口令设备" in page
    device = TOTPDevice.objects.get(user=secadmin, confirmed=False)
    response = client.post(SETUP, {"code": totp_code(device)})
    assert response.status_code == 302 and response.url == "/workbench/"
    assert client.get("/workbench/").status_code == 200
    assert TOTPDevice.objects.get(user=secadmin).confirmed
    assert AuditEvent.objects.filter(action="auth.mfa_enrolled", actor=secadmin).exists()


def test_an_enrolled_administrator_verifies_a_code_after_the_password(client, secadmin, traveller):
    device = _enrolled(secadmin)
    response = sign_in(client, "sec_li")
    assert response.url == VERIFY
    assert client.get("/workbench/").status_code == 302
    response = client.post(VERIFY, {"code": totp_code(device)})
    assert response.status_code == 302 and response.url == "/workbench/"
    assert client.get("/workbench/").status_code == 200


def test_a_code_is_accepted_once_and_its_replay_within_the_step_fails(client, secadmin, traveller):
    device = _enrolled(secadmin)
    code = totp_code(device)
    sign_in(client, "sec_li")
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post("/workbench/logout/")
    traveller.shift(dt.timedelta(seconds=5))
    sign_in(client, "sec_li")
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 400
    assert "动态口令错误或已使用" in response.content.decode()
    assert client.get("/workbench/").status_code == 302


def test_a_wrong_code_is_refused_and_audited(client, secadmin, traveller):
    _enrolled(secadmin)
    sign_in(client, "sec_li")
    response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == 400
    event = AuditEvent.objects.get(action="auth.mfa_failed")
    assert event.result == "failure" and event.object_id == str(secadmin.pk)


def test_the_second_step_expires_after_five_minutes(client, secadmin, traveller):
    device = _enrolled(secadmin)
    sign_in(client, "sec_li")
    traveller.shift(dt.timedelta(minutes=6))
    response = client.post(VERIFY, {"code": totp_code(device)})
    assert response.status_code == 302 and response.url == "/workbench/login/"


def test_an_administrator_signed_in_without_the_second_factor_is_signed_out(client, sysadmin, traveller):
    client.force_login(sysadmin)
    response = client.get("/workbench/")
    assert response.status_code == 302 and response.url.startswith("/workbench/login/")


def test_the_admin_site_needs_a_verified_administrator(client, sysadmin, traveller):
    client.force_login(sysadmin)
    assert client.get("/admin/").status_code == 302
    login_verified(client, sysadmin)
    assert client.get("/admin/").status_code == 200


def test_the_admin_site_signs_in_through_the_staff_sign_in(client):
    response = client.get("/admin/login/?next=/admin/organization/user/")
    assert response.status_code == 302
    assert response.url == "/workbench/login/?next=/admin/organization/user/"


def test_other_staff_sign_in_with_a_password_alone_by_default(client, clerk, traveller):
    response = sign_in(client, "clerk_wang")
    assert response.status_code == 302 and response.url == "/workbench/"


def test_staff_who_enrolled_a_device_are_asked_for_a_code(client, clerk, traveller):
    device = _enrolled(clerk)
    assert sign_in(client, "clerk_wang").url == VERIFY
    assert client.post(VERIFY, {"code": totp_code(device)}).url == "/workbench/"


def test_staff_may_enrol_a_device_from_the_workbench(client, clerk, traveller):
    sign_in(client, "clerk_wang")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=clerk)
    response = client.post(SETUP, {"code": totp_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed


@override_settings(ZHENGWU_MFA_REQUIRED="staff")
def test_every_staff_member_needs_mfa_when_the_setting_says_staff(client, clerk, traveller):
    response = sign_in(client, "clerk_wang")
    assert response.url == SETUP
    assert client.get("/workbench/").status_code == 302


def test_a_staff_account_signing_in_at_the_portal_also_gives_the_second_factor(client, secadmin, traveller):
    _enrolled(secadmin)
    response = client.post("/account/login/", {"username": "sec_li", "password": "Zw!test-pass-2026"})
    assert response.status_code == 302 and response.url == VERIFY


def test_the_security_administrator_resets_a_lost_device(client, clerk, secadmin, traveller):
    _enrolled(clerk)
    login_verified(client, secadmin)
    response = client.post("/accounts/mfa/reset/", {"username": "clerk_wang"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    assert AuditEvent.objects.get(action="auth.mfa_reset").object_id == str(clerk.pk)


def test_a_clerk_cannot_reset_devices(client, clerk, secadmin, traveller):
    device = _enrolled(secadmin)
    client.force_login(clerk)
    assert client.post("/accounts/mfa/reset/", {"username": "sec_li"}).status_code == 404
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
