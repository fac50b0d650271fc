"""Goal rows 2 and 3: lockout per username, no user enumeration, one address over many usernames."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from zhengwu.accounts.tests.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db
LOCKED = "登录失败次数过多，账号已锁定，请15分钟后再试"
TOKEN = "/api/v1/auth/token/"


def _without_csrf(html: bytes) -> str:
    """The page without its CSRF tokens, which are masked afresh on every rendering."""
    return re.sub(r"[A-Za-z0-9]{64}", "<csrf>", html.decode())


def test_five_failures_lock_the_username_and_the_right_password_then_gets_429(client, clerk, traveller):
    for _ in range(4):
        assert sign_in(client, "clerk_wang", "wrong-password").status_code == 200
    assert sign_in(client, "clerk_wang", "wrong-password").status_code == 429
    response = sign_in(client, "clerk_wang", PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert response["Retry-After"] == "900"


def test_changing_the_client_address_does_not_lift_the_lock(client, clerk, traveller):
    for n in range(5):
        sign_in(client, "clerk_wang", "wrong-password", REMOTE_ADDR=f"10.0.0.{n + 1}")
    assert sign_in(client, "clerk_wang", PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 429


def test_the_lock_lifts_after_fifteen_minutes(client, clerk, traveller):
    for _ in range(5):
        sign_in(client, "clerk_wang", "wrong-password")
    traveller.shift(dt.timedelta(minutes=14))
    assert sign_in(client, "clerk_wang", PASSWORD).status_code == 429
    traveller.shift(dt.timedelta(minutes=16))
    response = sign_in(client, "clerk_wang", PASSWORD)
    assert response.status_code == 302 and response.url == "/workbench/"


def test_a_success_before_the_limit_resets_the_count(client, clerk, traveller):
    for _ in range(4):
        sign_in(client, "clerk_wang", "wrong-password")
    assert sign_in(client, "clerk_wang", PASSWORD).status_code == 302
    client.post("/workbench/logout/")
    for _ in range(4):
        sign_in(client, "clerk_wang", "wrong-password")
    assert sign_in(client, "clerk_wang", PASSWORD).status_code == 302


def test_one_account_locked_leaves_the_others_of_the_same_office_alone(client, clerk, secadmin, traveller):
    for _ in range(5):
        sign_in(client, "clerk_wang", "wrong-password")
    other = sign_in(client, "sec_li", PASSWORD)
    assert other.status_code == 302  # to the second factor, not refused


def test_a_known_and_an_unknown_username_get_the_same_status_and_page(client, clerk, traveller):
    known = sign_in(client, "clerk_wang", "wrong-password")
    unknown = sign_in(client, "nobody_here", "wrong-password")
    assert known.status_code == unknown.status_code == 200
    assert _without_csrf(known.content) == _without_csrf(unknown.content)
    assert "用户名或密码错误" in known.content.decode()


def test_an_unknown_username_is_locked_exactly_like_a_known_one(client, clerk, traveller):
    answers = {}
    for username in ("clerk_wang", "nobody_here"):
        for _ in range(5):
            sign_in(client, username, "wrong-password")
        answers[username] = sign_in(client, username, "wrong-password")
    known, unknown = answers["clerk_wang"], answers["nobody_here"]
    assert known.status_code == unknown.status_code == 429
    assert _without_csrf(known.content) == _without_csrf(unknown.content)


def test_one_address_failing_over_many_usernames_is_throttled_after_twenty(client, clerk, traveller):
    for n in range(20):
        assert sign_in(client, f"guess{n}", "wrong-password", REMOTE_ADDR="10.1.1.1").status_code == 200
    refused = sign_in(client, "clerk_wang", PASSWORD, REMOTE_ADDR="10.1.1.1")
    assert refused.status_code == 429
    assert "该地址登录失败次数过多，请10分钟后再试" in refused.content.decode()
    assert sign_in(client, "clerk_wang", PASSWORD, REMOTE_ADDR="10.2.2.2").status_code == 302


def test_the_throttled_address_may_sign_in_again_after_the_window(client, clerk, traveller):
    for n in range(21):
        sign_in(client, f"guess{n}", "wrong-password", REMOTE_ADDR="10.1.1.1")
    traveller.shift(dt.timedelta(minutes=11))
    assert sign_in(client, "clerk_wang", PASSWORD, REMOTE_ADDR="10.1.1.1").status_code == 302


def test_the_token_endpoint_counts_towards_the_same_lock(api_client, clerk, traveller):
    for _ in range(5):
        api_client.post(TOKEN, {"username": "clerk_wang", "password": "wrong-password"})
    response = api_client.post(TOKEN, {"username": "clerk_wang", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json() == {"code": "locked", "message": LOCKED, "fields": {}}


def test_a_lock_from_the_api_also_closes_the_sign_in_page(api_client, client, clerk, traveller):
    for _ in range(5):
        api_client.post(TOKEN, {"username": "clerk_wang", "password": "wrong-password"})
    assert sign_in(client, "clerk_wang", PASSWORD).status_code == 429


def test_the_citizen_sign_in_is_locked_too(client, traveller):
    from zhengwu.cases.tests.factories import make_citizen

    citizen = make_citizen()
    for _ in range(5):
        client.post("/account/login/", {"username": citizen.phone, "password": "wrong-password"})
    response = client.post("/account/login/", {"username": citizen.phone, "password": "Zw!citizen-2026"})
    assert response.status_code == 429 and LOCKED in response.content.decode()


def test_every_failure_and_the_lock_are_audited(client, clerk, traveller):
    from zhengwu.audit.models import AuditEvent

    for _ in range(5):
        sign_in(client, "clerk_wang", "wrong-password")
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("auth.login_failed") == 5
    assert actions.count("auth.locked") == 1
