"""Goal row 3, the work behind the timing: every refused sign-in costs the same password hash.

An answer that comes back faster for an unknown username tells an attacker which accounts exist
(ASVS 6.3.8). Django's `ModelBackend` hashes the submitted password for a missing user, and
`verify_password` hashes once for an account without a usable password; these tests make sure no
backend, form or view of ours skips that. With the production hashers (PBKDF2-SHA256), the PBKDF2
primitive is replaced by a cheap stand-in that records each call and its iteration count, so the tests
are deterministic and fast: each refused sign-in must run exactly one PBKDF2 of the production iteration
count, whether the username is known, unknown, inactive or without a usable password. A locked
username, known or not, runs none. `reliability/test_login_timing.py` measures the real time.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import hashers

from zhengwu.accounts.tests.conftest import PASSWORD
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
WRONG = "Zw!wrong-pass-2026"
ENTRY_POINTS = ["/workbench/login/", "/account/login/", "/api/v1/auth/token/"]


@pytest.fixture
def accounts(pbkdf2_calls):
    """A working account, a deactivated one and one without a usable password (hashed by the stand-in)."""
    users = {
        "known": UserFactory(username="clerk_wang", roles=[Role.WINDOW_CLERK]),
        "inactive": UserFactory(username="clerk_gone", roles=[Role.WINDOW_CLERK], is_active=False),
        "unusable": UserFactory(username="clerk_nopw", roles=[Role.WINDOW_CLERK]),
    }
    for user in users.values():
        user.set_password(PASSWORD)
    users["unusable"].set_unusable_password()
    for user in users.values():
        user.save()
    assert users["known"].password.startswith("pbkdf2_sha256$")
    pbkdf2_calls.clear()
    return users


def _post(client, url: str, username: str, password: str, address: str = "10.7.7.7"):
    data = {"username": username, "password": password}
    if url.startswith("/api/"):
        return client.post(url, data, content_type="application/json", REMOTE_ADDR=address)
    return client.post(url, data, REMOTE_ADDR=address)


def _work(client, calls: list[int], url: str, username: str, password: str = WRONG) -> tuple[int, list[int]]:
    calls.clear()
    response = _post(client, url, username, password)
    return response.status_code, list(calls)


@pytest.mark.parametrize("url", ENTRY_POINTS)
def test_a_refused_sign_in_hashes_once_whatever_the_username(url, client, accounts, pbkdf2_calls):
    full = [hashers.get_hasher().iterations]
    refused = 400 if url.startswith("/api/") else 200
    assert _work(client, pbkdf2_calls, url, "clerk_wang") == (refused, full)  # known, wrong password
    assert _work(client, pbkdf2_calls, url, "nobody_here") == (refused, full)  # unknown
    assert _work(client, pbkdf2_calls, url, "clerk_gone") == (refused, full)  # deactivated
    assert _work(client, pbkdf2_calls, url, "clerk_nopw", PASSWORD) == (refused, full)  # no usable password


@pytest.mark.parametrize("url", ENTRY_POINTS)
def test_a_locked_username_hashes_nothing_known_or_not(url, client, accounts, pbkdf2_calls):
    for username in ("clerk_wang", "nobody_here"):
        for n in range(5):  # five failures lock the username (from different addresses: no throttle)
            _post(client, url, username, WRONG, address=f"10.8.{n}.1")
    assert _work(client, pbkdf2_calls, url, "clerk_wang", PASSWORD) == (429, [])
    assert _work(client, pbkdf2_calls, url, "nobody_here", PASSWORD) == (429, [])


def test_the_stand_in_is_really_on_the_sign_in_path(client, accounts, pbkdf2_calls):
    """The right password through the stand-in still signs in: the spy sits where the real hash runs."""
    response = _post(client, "/workbench/login/", "clerk_wang", PASSWORD)
    assert response.status_code == 302
    assert pbkdf2_calls == [hashers.get_hasher().iterations]
