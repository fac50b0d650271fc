"""API tokens: created through authenticate() (and the second factor when it applies), stored hashed,
expiring after 30 days, revocable by their owner."""

from __future__ import annotations

import datetime as dt

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from zhengwu.accounts.models import ApiToken
from zhengwu.accounts.tests.conftest import PASSWORD, totp_code
from zhengwu.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
TOKEN = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"


def _token(api_client, username="clerk_wang", **extra):
    response = api_client.post(TOKEN, {"username": username, "password": PASSWORD, **extra}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def _as(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_only_a_hash_of_the_key_is_stored(api_client, clerk, traveller):
    body = _token(api_client, name="数据同步")
    row = ApiToken.objects.get(pk=body["id"])
    assert body["token"] not in (row.key_hash, row.prefix) and len(row.key_hash) == 64
    assert row.name == "数据同步"
    assert AuditEvent.objects.filter(action="auth.token_created", actor=clerk).count() == 1


def test_a_token_expires_after_thirty_days(api_client, clerk, traveller):
    key = _token(api_client)["token"]
    traveller.shift(dt.timedelta(days=29, hours=23))
    assert _as(key).get("/api/v1/me/").status_code == 200
    traveller.shift(dt.timedelta(hours=2))
    response = _as(key).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["message"] == "认证令牌已过期，请重新获取。"


def test_an_owner_lists_and_revokes_a_token_which_then_stops_working(api_client, clerk, traveller):
    first = _token(api_client)
    second = _token(api_client)
    owner = _as(first["token"])
    listed = owner.get(TOKENS).json()
    assert [t["id"] for t in listed] == [second["id"], first["id"]]
    assert "token" not in listed[0] and listed[0]["prefix"] == second["token"][:8]
    assert owner.delete(f"{TOKENS}{second['id']}/").status_code == 204
    assert _as(second["token"]).get("/api/v1/me/").status_code == 401
    assert owner.get("/api/v1/me/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.token_revoked").count() == 1


def test_another_accounts_token_cannot_be_revoked(api_client, clerk, secadmin, traveller):
    mine = _token(api_client)
    TOTPDevice.objects.create(user=secadmin, name="手机", confirmed=True)
    theirs = ApiToken.objects.create(
        user=secadmin, key_hash="0" * 64, prefix="00000000", expires_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    )
    response = _as(mine["token"]).delete(f"{TOKENS}{theirs.pk}/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_a_deactivated_account_s_token_stops_working(api_client, clerk, traveller):
    key = _token(api_client)["token"]
    clerk.is_active = False
    clerk.save()
    assert _as(key).get("/api/v1/me/").status_code == 401


def test_an_administrator_needs_a_device_and_a_code_for_a_token(api_client, secadmin, traveller):
    response = api_client.post(TOKEN, {"username": "sec_li", "password": PASSWORD})
    assert response.status_code == 403
    device = TOTPDevice.objects.create(user=secadmin, name="手机", confirmed=True)
    response = api_client.post(TOKEN, {"username": "sec_li", "password": PASSWORD})
    assert response.status_code == 400 and list(response.json()["fields"]) == ["otp"]
    response = api_client.post(TOKEN, {"username": "sec_li", "password": PASSWORD, "otp": "000000"})
    assert response.status_code == 400 and response.json()["fields"]["otp"] == [
        "动态口令错误或已使用，请重新输入。"
    ]
    traveller.shift(dt.timedelta(seconds=2))  # django-otp backs off 1 s after a failure
    assert _token(api_client, "sec_li", otp=totp_code(device))["token"]


def test_a_password_that_must_be_changed_gets_no_token(api_client, clerk, traveller):
    from zhengwu.accounts.services import password_issued

    password_issued(user=clerk)
    response = api_client.post(TOKEN, {"username": "clerk_wang", "password": PASSWORD})
    assert response.status_code == 403


def test_listing_tokens_needs_authentication(api_client):
    assert api_client.get(TOKENS).status_code == 401
