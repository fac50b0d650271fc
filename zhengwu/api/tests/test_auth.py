"""Tokens for staff, and who the caller is (`/api/v1/me/`)."""

import pytest
from django.core.cache import cache

from zhengwu.api.tests.conftest import PASSWORD
from zhengwu.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


def test_a_staff_member_exchanges_username_and_password_for_a_token(api_client, ziyang_clerk):
    first = api_client.post(TOKEN, {"username": "ziyang_clerk", "password": PASSWORD}, format="json")
    assert first.status_code == 200
    token = first.json()["token"]
    assert len(token) == 40
    assert first.json()["prefix"] == token[:8] and first.json()["expires_at"]
    again = api_client.post(TOKEN, {"username": "ziyang_clerk", "password": PASSWORD})
    assert again.json()["token"] != token  # each call issues a new, separately revocable token
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/me/").json()["username"] == "ziyang_clerk"


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(api_client, ziyang_clerk):
    wrong = api_client.post(TOKEN, {"username": "ziyang_clerk", "password": "wrong-password"})
    unknown = api_client.post(TOKEN, {"username": "nobody", "password": "wrong-password"})
    assert wrong.status_code == unknown.status_code == 400
    assert (
        wrong.json()
        == unknown.json()
        == {
            "code": "invalid_credentials",
            "message": "用户名或密码错误。",
            "fields": {},
        }
    )


def test_an_inactive_account_gets_no_token(api_client):
    UserFactory(username="left", is_active=False)
    response = api_client.post(TOKEN, {"username": "left", "password": PASSWORD})
    assert response.json()["message"] == "用户名或密码错误。"


def test_a_missing_password_names_the_field(api_client):
    body = api_client.post(TOKEN, {"username": "someone"}).json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == ["password"]
    assert body["fields"]["password"] == ["该字段是必填项。"]


def test_password_guessing_is_throttled(api_client, ziyang_clerk):
    cache.clear()
    for _ in range(10):
        api_client.post(TOKEN, {"username": "ziyang_clerk", "password": "guess"})
    response = api_client.post(TOKEN, {"username": "ziyang_clerk", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"


def test_me_shows_roles_department_and_scope_with_the_phone_masked(clerk_client):
    body = clerk_client.get("/api/v1/me/").json()
    assert body["username"] == "ziyang_clerk"
    assert body["full_name"] == "张三"
    assert body["phone"] == "138****5678"
    assert body["roles"] == [{"role": "window_clerk", "role_label": "窗口受理员"}]
    assert body["department"]["name"] == "资阳区市场监督管理局"
    assert body["department"]["region"] == {"code": "430902000000", "name": "资阳区"}
    assert body["sees_everything"] is False
    assert body["scope"] == [
        {
            "kind": "region",
            "region": {"code": "430902000000", "name": "资阳区"},
            "department": None,
            "include_descendants": True,
        }
    ]


def test_me_also_works_with_the_workbench_session(api_client, ziyang_clerk):
    api_client.force_login(ziyang_clerk)
    assert api_client.get("/api/v1/me/").json()["full_name"] == "张三"


def test_a_superuser_sees_everything(api_client, db):
    admin = UserFactory(username="root", is_superuser=True, department=None)
    api_client.force_authenticate(admin)
    body = api_client.get("/api/v1/me/").json()
    assert body["sees_everything"] is True
    assert body["department"] is None
