"""Fixtures of the account tests: a clerk, the three administrators, time travel and TOTP codes."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.conf import global_settings
from django.contrib.auth import hashers
from django.utils.encoding import force_bytes
from django_otp.oath import TOTP

from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import UserFactory

PASSWORD = "Zw!test-pass-2026"
START = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def traveller():
    """Wall-clock time (sessions, lockout, TOTP) starts at START and moves only when told."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def clerk(db):
    return UserFactory(username="clerk_wang", roles=[Role.WINDOW_CLERK])


@pytest.fixture
def secadmin(db):
    return UserFactory(username="sec_li", roles=[Role.SECURITY_ADMIN])


@pytest.fixture
def sysadmin(db):
    return UserFactory(username="sys_zhao", roles=[Role.SYSTEM_ADMIN])


def totp_code(device, *, at: float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post("/workbench/login/", {"username": username, "password": password}, **extra)


@pytest.fixture
def pbkdf2_calls(settings, monkeypatch):
    """The deployed hashers, with PBKDF2 recorded (and made cheap); the list of iteration counts."""
    import zhengwu.config.settings as deployed

    settings.PASSWORD_HASHERS = list(getattr(deployed, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS))
    assert hashers.get_hasher().algorithm == "pbkdf2_sha256"
    calls: list[int] = []

    def recorded(password, salt, iterations, dklen=0, digest=None):
        calls.append(iterations)
        return hashlib.sha256(force_bytes(password) + b"|" + force_bytes(salt) + b"|%d" % iterations).digest()

    monkeypatch.setattr(hashers, "pbkdf2", recorded)
    return calls
