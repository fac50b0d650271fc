"""Row 3, the timing part: a known and an unknown username cost the same, so the clock tells nothing.

The lockout, the address throttle and the identical answers are proved in
`zhengwu/accounts/tests/test_lockout.py`; `zhengwu/accounts/tests/test_enumeration_work.py` counts the
hash work deterministically. This test measures it, with the production password hashers (the root
conftest swaps in MD5 for speed; here `PASSWORD_HASHERS` is set back to what `config/settings.py`
deploys, PBKDF2-SHA256 with Django's iteration count, ~0.3 s a hash on one core): an unknown username
must run the same hash as a wrong password for a real account (Django's `ModelBackend` hashes the
submitted password for a missing user), or the answer time would tell an attacker which usernames exist.

For each sign-in entry point (the staff sign-in form at /workbench/login/ — the citizen form at
/account/login/ shares its view mixin, form base class and backends, and is counted in
test_enumeration_work.py — and the token endpoint of the API), N tries each with a wrong password
for a known username and with an unknown username, interleaved (known/unknown alternate, and which
goes first alternates, so drift in machine load falls on both sides alike), each timed with
`time.perf_counter()` around `client.post`. Every try uses a fresh username and a fresh client address,
so the per-username lockout (5 failures) and the per-address throttles (20 failures in 10 min; 10
token requests a minute) never fire and every try does the full work. Asserted: the same status and the
same body (modulo the CSRF token and the echoed username) for every try, and
|median(known) − median(unknown)| < 15 ms. Both medians are printed.

N = 200 (`make reliability`), 40 with `RELIABILITY_SCALE=ci`.
"""

from __future__ import annotations

import gc
import re
import statistics
import time

import pytest
from django.conf import global_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher, make_password
from django.db import connection

from reliability import harness

TRIES = harness.scaled(full=200, ci=40)
WARM_UP = 3  # pairs not measured: the first requests import and compile templates
LIMIT_MS = 15.0
PASSWORD = "Zw!timing-pass-2026"
WRONG = "Zw!wrong-pass-2026"
ENTRY_POINTS = {
    "workbench": "/workbench/login/",
    "api_token": "/api/v1/auth/token/",
}

pytestmark = pytest.mark.django_db


def production_hashers() -> list[str]:
    """`PASSWORD_HASHERS` as deployed: config/settings.py's own list, or Django's default when it sets none."""
    import zhengwu.config.settings as deployed

    return list(getattr(deployed, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS))


@pytest.fixture
def slow_hashing(settings):
    """Undo the root conftest's MD5 hasher: the point is the real cost of a hash."""
    settings.PASSWORD_HASHERS = production_hashers()
    assert get_hasher().algorithm != "md5"
    return get_hasher()


def _username(kind: str, n: int) -> str:
    """Known and unknown usernames of the same length and shape."""
    return f"timing-{kind}-{n:05d}"


def _address(n: int) -> str:
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


@pytest.fixture
def known_accounts(slow_hashing):
    """TRIES + WARM_UP accounts sharing one production hash of PASSWORD (hashed once: ~0.3 s, not N times)."""
    encoded = make_password(PASSWORD)
    assert encoded.startswith(slow_hashing.algorithm + "$")
    user_model = get_user_model()
    user_model.objects.bulk_create(
        [
            user_model(username=_username("k", n), password=encoded, full_name="计时测试")
            for n in range(TRIES + WARM_UP)
        ]
    )
    return encoded


def _comparable(response, username: str) -> tuple[int, str]:
    """Status and body without what differs by design: the CSRF token (masked afresh on every
    rendering) and the username the form shows back to the person who typed it."""
    body = response.content.decode()
    body = re.sub(r"[A-Za-z0-9]{64}", "<csrf>", body)
    return response.status_code, body.replace(username, "<username>")


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_a_known_and_an_unknown_username_take_the_same_time(entry, client, known_accounts, capsys):
    url = ENTRY_POINTS[entry]
    timings: dict[str, list[float]] = {"k": [], "u": []}
    answers: dict[str, set[tuple[int, str]]] = {"k": set(), "u": set()}
    address = 0

    def attempt(kind: str, n: int, *, measured: bool) -> None:
        nonlocal address
        address += 1
        username = _username(kind, n)
        data = {"username": username, "password": WRONG}
        started = time.perf_counter()
        if entry == "api_token":
            response = client.post(url, data, content_type="application/json", REMOTE_ADDR=_address(address))
        else:
            response = client.post(url, data, REMOTE_ADDR=_address(address))
        elapsed = time.perf_counter() - started
        if measured:
            timings[kind].append(elapsed)
            answers[kind].add(_comparable(response, username))

    for n in range(WARM_UP):
        attempt("k", TRIES + n, measured=False)
        attempt("u", TRIES + n, measured=False)
    gc.collect()
    gc.disable()  # a collection pause would land on whichever try happens to trigger it
    try:
        for n in range(TRIES):
            order = ("k", "u") if n % 2 == 0 else ("u", "k")
            for kind in order:
                attempt(kind, n, measured=True)
    finally:
        gc.enable()

    # Every try was refused the same way, and never by a lock or a throttle.
    assert len(answers["k"]) == 1, f"known usernames got {len(answers['k'])} different answers"
    assert answers["k"] == answers["u"], "a known and an unknown username got different answers"
    status, body = next(iter(answers["k"]))
    assert status == (400 if entry == "api_token" else 200)
    assert "用户名或密码错误" in body

    known_ms = statistics.median(timings["k"]) * 1000
    unknown_ms = statistics.median(timings["u"]) * 1000
    with capsys.disabled():
        print(
            f"\nrow 3 timing [{entry}, {connection.vendor}, {get_hasher().algorithm}]: "
            f"median known {known_ms:.1f} ms, unknown {unknown_ms:.1f} ms, "
            f"difference {abs(known_ms - unknown_ms):.1f} ms over {TRIES} tries each"
        )
    assert abs(known_ms - unknown_ms) < LIMIT_MS
