"""Goal row 4 through Django: the validators, history, forced change at first sign-in and rotation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import override_settings

from zhengwu.accounts import services
from zhengwu.accounts.models import AccountSecurity, PasswordHistory
from zhengwu.accounts.tests.conftest import PASSWORD, sign_in
from zhengwu.audit.models import AuditEvent
from zhengwu.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CHANGE = "/accounts/password/change/"


def _messages(password, user=None):
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        return error.messages
    return []


def test_staff_need_ten_characters_and_citizens_eight_under_dengbao(clerk):
    from zhengwu.cases.tests.factories import make_citizen

    assert _messages("Gx7#kd2mq", clerk) == ["密码长度不得少于10位"]
    assert _messages("Gx7#kd2mq", make_citizen()) == []


@override_settings(ZHENGWU_PASSWORD_PROFILE="asvs")
def test_the_asvs_profile_asks_twelve_characters_and_no_composition(clerk):
    assert _messages("gxrkdtmqzpl", clerk) == ["密码长度不得少于12位"]
    assert _messages("gxrkdtmqzplv", clerk) == []


def test_the_chinese_common_list_is_applied(clerk):
    assert "密码过于常见（常用密码、拼音词、键盘序列或字母序列），请更换" in _messages("Woaini1314!", clerk)
    assert "密码过于常见（常用密码、拼音词、键盘序列或字母序列），请更换" in _messages("1qaz@WSX3edc", clerk)


def test_a_password_may_not_contain_the_username_or_phone(db):
    user = UserFactory(username="zhangsan", phone="13907315682")
    assert "密码不得包含用户名" in _messages("Zw!ZhangSan-2026", user)
    assert "密码不得包含手机号码" in _messages("Zw!13907315682", user)


def test_a_citizen_password_may_not_contain_the_id_number(db):
    from zhengwu.cases.tests.factories import make_citizen

    citizen = make_citizen(id_number="430903199001011238")
    assert "密码不得包含身份证号码" in _messages("Zw!011238abc", citizen)


def test_registration_refuses_a_password_with_the_phone_number(client):
    page = client.post(
        "/account/register/",
        {
            "phone": "13700001111",
            "name": "王五",
            "id_number": "430903199001011254",
            "password": "Aa!13700001111",
            "password_again": "Aa!13700001111",
        },
    ).content.decode()
    assert "密码不得包含手机号码" in page


def test_none_of_the_last_five_passwords_may_be_used_again(clerk):
    passwords = [f"Zw!rotation-{n}x" for n in range(6)]
    for password in passwords:
        clerk.set_password(password)
        clerk.save()
    assert PasswordHistory.objects.filter(user=clerk).count() == 5
    assert "新密码不得与最近5次使用过的密码相同" in _messages(passwords[-1], clerk)
    assert "新密码不得与最近5次使用过的密码相同" in _messages(passwords[1], clerk)
    assert _messages(passwords[0], clerk) == []  # the sixth back may be used again


def test_a_password_issued_by_an_administrator_must_be_changed_at_first_sign_in(client, clerk, traveller):
    services.password_issued(user=clerk)
    response = sign_in(client, "clerk_wang")
    assert response.status_code == 302
    response = client.get("/workbench/cases/")
    assert response.status_code == 302 and response.url == CHANGE
    page = client.get(CHANGE).content.decode()
    assert "初始密码" in page
    assert client.get("/api/v1/me/").json()["code"] == "password_change_required"


def test_changing_the_password_lifts_the_gate_and_is_audited(client, clerk, traveller):
    services.password_issued(user=clerk)
    sign_in(client, "clerk_wang")
    response = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": "Zw!fresh-pass-77", "new_password2": "Zw!fresh-pass-77"},
    )
    assert response.status_code == 302 and response.url == "/workbench/"
    assert client.get("/workbench/cases/").status_code == 200
    assert AccountSecurity.objects.get(user=clerk).must_change_password is False
    assert AuditEvent.objects.filter(action="auth.password_changed", actor=clerk).count() == 1


def test_the_new_password_must_follow_the_profile_and_differ_from_the_last(client, clerk, traveller):
    services.password_issued(user=clerk)
    sign_in(client, "clerk_wang")
    page = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD}
    ).content.decode()
    assert "新密码不得与最近5次使用过的密码相同" in page
    page = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": "short1!A", "new_password2": "short1!A"}
    ).content.decode()
    assert "密码长度不得少于10位" in page


def test_a_staff_password_older_than_ninety_days_must_be_changed(client, clerk, traveller):
    traveller.shift(dt.timedelta(days=91))
    sign_in(client, "clerk_wang")
    response = client.get("/workbench/")
    assert response.status_code == 302 and response.url == CHANGE


@override_settings(ZHENGWU_PASSWORD_PROFILE="asvs")
def test_the_asvs_profile_never_rotates(client, clerk, traveller):
    traveller.shift(dt.timedelta(days=400))
    sign_in(client, "clerk_wang")
    assert client.get("/workbench/").status_code == 200


def test_setting_a_password_records_when_it_was_changed(clerk, traveller):
    clerk.set_password("Zw!another-pass-9")
    clerk.save()
    assert AccountSecurity.objects.get(user=clerk).password_changed_at == dt.datetime(
        2026, 11, 30, 9, 0, tzinfo=dt.UTC
    )
