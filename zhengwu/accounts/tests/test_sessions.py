"""Goal row 6: session lifecycle — new key at sign-in, idle and absolute limits, server-side logout,
deactivation and the security administrator ending sessions. Saved cookies are replayed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from zhengwu.accounts.models import UserSession
from zhengwu.accounts.testing import login_verified
from zhengwu.accounts.tests.conftest import sign_in
from zhengwu.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
HOME = "/workbench/"


def _cookie(client) -> str:
    return client.cookies["sessionid"].value


def _replay(cookie: str, url: str = HOME, **extra):
    other = Client()
    other.cookies["sessionid"] = cookie
    return other.get(url, **extra)


def test_signing_in_issues_a_new_session_key(client, clerk, traveller):
    client.get("/workbench/login/")
    client.cookies["sessionid"] = "planted-by-an-attacker"
    sign_in(client, "clerk_wang")
    assert _cookie(client) != "planted-by-an-attacker"
    assert client.get(HOME).status_code == 200


def test_a_session_idle_for_thirty_minutes_ends(client, clerk, traveller):
    sign_in(client, "clerk_wang")
    traveller.shift(dt.timedelta(minutes=29))
    assert client.get(HOME).status_code == 200
    traveller.shift(dt.timedelta(minutes=29))
    assert client.get(HOME).status_code == 200  # activity keeps it alive
    traveller.shift(dt.timedelta(minutes=31))
    response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith("/workbench/login/")


def test_an_administrator_session_ends_after_fifteen_idle_minutes(client, secadmin, traveller):
    login_verified(client, secadmin)
    traveller.shift(dt.timedelta(minutes=14))
    assert client.get(HOME).status_code == 200
    traveller.shift(dt.timedelta(minutes=16))
    assert client.get(HOME).status_code == 302


def test_activity_cannot_stretch_a_session_past_twelve_hours(client, clerk, traveller):
    sign_in(client, "clerk_wang")
    for _ in range(35):  # 35 × 20 min = 11 h 40 min
        traveller.shift(dt.timedelta(minutes=20))
        assert client.get(HOME).status_code == 200
    traveller.shift(dt.timedelta(minutes=21))
    response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith("/workbench/login/")


def test_an_idle_api_session_answers_401_in_the_error_format(client, clerk, traveller):
    sign_in(client, "clerk_wang")
    traveller.shift(dt.timedelta(minutes=31))
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_timed_out_session_is_deleted_server_side(client, clerk, traveller):
    sign_in(client, "clerk_wang")
    cookie = _cookie(client)
    traveller.shift(dt.timedelta(minutes=31))
    client.get(HOME)
    assert not Session.objects.filter(session_key=cookie).exists()


def test_a_cookie_replayed_after_logout_gets_the_login_page_and_the_api_401(client, clerk, traveller):
    sign_in(client, "clerk_wang")
    cookie = _cookie(client)
    assert _replay(cookie).status_code == 200
    client.post("/workbench/logout/")
    assert not Session.objects.filter(session_key=cookie).exists()
    response = _replay(cookie)
    assert response.status_code == 302 and response.url.startswith("/workbench/login/")
    assert _replay(cookie, "/api/v1/me/").status_code in (401, 403)
    assert not UserSession.objects.filter(session_key=cookie).exists()


def test_deactivating_an_account_ends_all_its_sessions(clerk, traveller):
    phone, desk = Client(), Client()
    sign_in(phone, "clerk_wang")
    sign_in(desk, "clerk_wang")
    cookies = [_cookie(phone), _cookie(desk)]
    clerk.is_active = False
    clerk.save()
    assert not Session.objects.filter(session_key__in=cookies).exists()
    for cookie in cookies:
        assert _replay(cookie).status_code == 302


def test_the_security_administrator_ends_a_users_sessions(client, clerk, secadmin, traveller):
    victim = Client()
    sign_in(victim, "clerk_wang")
    cookie = _cookie(victim)
    login_verified(client, secadmin)
    page = client.get("/accounts/sessions/").content.decode()
    assert "clerk_wang" in page and "结束会话" in page
    response = client.post(f"/accounts/sessions/{clerk.pk}/end/")
    assert response.status_code == 302
    assert _replay(cookie).status_code == 302
    event = AuditEvent.objects.get(action="auth.sessions_ended")
    assert event.actor == secadmin and event.object_id == str(clerk.pk) and event.detail == {"sessions": 1}


def test_other_staff_cannot_see_or_end_sessions(client, clerk, traveller):
    sign_in(client, "clerk_wang")
    assert client.get("/accounts/sessions/").status_code == 404
    assert client.post(f"/accounts/sessions/{clerk.pk}/end/").status_code == 404
