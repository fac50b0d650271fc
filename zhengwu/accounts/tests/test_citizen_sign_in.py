"""Citizens sign in with their mobile number although their username is opaque (SECURITY rows 2, 3, 20).

The number is found by its blind index (`accounts.identity.MobileNumberBackend`); django-axes keys the
lock on that index, so two spellings of one number share one lock and no axes row holds the number; an
unknown number gets the answer, and costs the hash, of a wrong password; the audit log masks it.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import hashers

from zhengwu.accounts.identity import LOCKOUT_MOBILE_PREFIX, lockout_key, typed_mobile
from zhengwu.audit.models import AuditEvent
from zhengwu.cases.tests.factories import make_citizen

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"
PHONE = "13912345678"
PASSWORD = "Zw!citizen-2026"
WRONG = "Zw!wrong-pass-2026"
LOCKED = "登录失败次数过多，账号已锁定，请15分钟后再试"


@pytest.fixture
def citizen(db):
    return make_citizen(phone=PHONE)


def _sign_in(client, username: str, password: str, address: str = "10.3.3.3"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _page(response, typed: str) -> str:
    """The answer without its CSRF tokens (masked afresh each time) and the name shown back to its author."""
    return re.sub(r"[A-Za-z0-9]{64}", "<csrf>", response.content.decode()).replace(typed, "<typed>")


def test_a_citizen_signs_in_with_the_mobile_number_although_the_username_is_opaque(client, citizen):
    assert citizen.username != PHONE
    response = _sign_in(client, PHONE, PASSWORD)
    assert response.status_code == 302 and response.url == "/my/cases/"
    assert int(client.session["_auth_user_id"]) == citizen.pk


@pytest.mark.parametrize("typed", ["+86 139 1234 5678", "139 1234 5678", "139-1234-5678", "008613912345678"])
def test_a_citizen_signs_in_with_the_number_written_with_a_prefix_spaces_or_dashes(client, citizen, typed):
    response = _sign_in(client, typed, PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == citizen.pk


def test_an_unknown_number_gets_the_same_answer_as_a_wrong_password(client, citizen):
    wrong = _sign_in(client, PHONE, WRONG)
    unknown = _sign_in(client, "13987654321", WRONG)
    assert wrong.status_code == unknown.status_code == 200
    assert _page(wrong, PHONE) == _page(unknown, "13987654321")
    assert "手机号码或密码错误" in wrong.content.decode()


def test_text_with_letters_is_a_username_not_a_number():
    assert typed_mobile("+86 139-1234-5678") == PHONE
    assert typed_mobile("wang13912345678") is None
    assert typed_mobile("139123456789") is None  # twelve digits
    assert typed_mobile("23912345678") is None


def test_an_unknown_number_costs_exactly_the_one_hash_of_a_wrong_password(client, citizen, pbkdf2_calls):
    citizen.set_password(PASSWORD)
    citizen.save()
    full = [hashers.get_hasher().iterations]
    work = {}
    for name, typed in (
        ("wrong", PHONE),
        ("unknown", "13987654321"),
        ("unknown_spaced", "+86 139 8765 4321"),
    ):
        pbkdf2_calls.clear()
        assert _sign_in(client, typed, WRONG).status_code == 200
        work[name] = list(pbkdf2_calls)
    assert work == {"wrong": full, "unknown": full, "unknown_spaced": full}
    pbkdf2_calls.clear()
    assert _sign_in(client, PHONE, PASSWORD).status_code == 302
    assert pbkdf2_calls == full


def test_two_spellings_of_one_number_share_one_lock(client, citizen, traveller):
    spellings = [PHONE, "+86 139 1234 5678", "139-1234-5678", "0086 13912345678", PHONE]
    for n, typed in enumerate(spellings):  # from five addresses: the address throttle plays no part
        _sign_in(client, typed, WRONG, address=f"10.4.{n}.1")
    response = _sign_in(client, "139 1234 5678", PASSWORD, address="10.5.5.5")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert lockout_key(PHONE) == lockout_key("+86 139 1234 5678") == lockout_key(citizen.username)


def test_the_lockout_rows_hold_the_numbers_blind_index_never_the_number(client, citizen, traveller):
    from axes.models import AccessAttempt, AccessLog

    for typed in (PHONE, "+86 139 1234 5678", "13987654321"):
        _sign_in(client, typed, WRONG)
    assert _sign_in(client, PHONE, PASSWORD).status_code == 302
    rows = [
        *AccessAttempt.objects.values_list("username", "post_data"),
        *AccessLog.objects.values_list("username"),
    ]
    text = repr(rows)
    assert "1234 5678" not in text and "12345678" not in text and "87654321" not in text
    assert {name for name, _post in AccessAttempt.objects.values_list("username", "post_data")} == {
        lockout_key("13987654321")
    }
    assert lockout_key("13987654321").startswith(LOCKOUT_MOBILE_PREFIX)


def test_signing_in_by_number_resets_the_failures_of_that_number(client, citizen, traveller):
    for _ in range(4):
        _sign_in(client, "+86 139 1234 5678", WRONG)
    assert _sign_in(client, PHONE, PASSWORD).status_code == 302
    client.post("/account/logout/")
    for _ in range(4):
        _sign_in(client, PHONE, WRONG)
    assert _sign_in(client, PHONE, PASSWORD).status_code == 302


def test_failures_and_the_lock_by_number_are_audited_against_the_account_with_the_number_masked(
    client, citizen, traveller
):
    for _ in range(5):
        _sign_in(client, "+86 139 1234 5678", WRONG)
    _sign_in(client, "13987654321", WRONG)
    failed = list(AuditEvent.objects.filter(action="auth.login_failed").order_by("id"))
    locked = AuditEvent.objects.get(action="auth.locked")
    assert [(e.object_type, e.object_id) for e in failed[:5]] == [("organization.User", str(citizen.pk))] * 5
    assert (locked.object_type, locked.object_id) == ("organization.User", str(citizen.pk))
    assert failed[5].object_id == "139****4321"
    assert {e.detail["username"] for e in failed[:5]} == {"139****5678"}
    rows = repr(list(AuditEvent.objects.values_list("actor_username", "object_id", "detail")))
    assert "12345678" not in rows and "1234 5678" not in rows and "87654321" not in rows


def test_a_citizens_sign_in_is_audited_under_the_opaque_username(client, citizen):
    assert _sign_in(client, PHONE, PASSWORD).status_code == 302
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor_id == citizen.pk
    assert event.actor_username == citizen.username != PHONE
