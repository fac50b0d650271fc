"""SECURITY.md row 20: no seeded ID number or phone in the database file or in `pg_dump` output.

N applicants (ZHENGWU_PII_SEED_COUNT, default 200 in CI; the nightly run uses 1,000) are registered; the
database is then read as bytes — the SQLite database copied page by page with the backup API (free
pages included), or `pg_dump` of the PostgreSQL test database — and grepped for every plaintext ID
number and phone. The names (not encrypted) are grepped too, to prove the dump holds the rows.

Citizens (ZHENGWU_PII_CITIZEN_COUNT, default 50) go through the whole account path over HTTP: the
portal's registration form, a sign-in with the number written another way, a sign-in with a wrong
password, and a sign-in with a number nobody has; then the same grep, over the decoded sessions too
(their rows are signed, compressed base64, which a byte grep cannot see into).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import sqlite3
import subprocess

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse
from stdnum.cn import ric

from zhengwu.organization.models import Applicant
from zhengwu.organization.selectors import citizen_get_by_phone
from zhengwu.organization.services import applicant_register

SEED_COUNT = int(os.environ.get("ZHENGWU_PII_SEED_COUNT", "200"))
CITIZEN_COUNT = int(os.environ.get("ZHENGWU_PII_CITIZEN_COUNT", "50"))
PASSWORD = "Zw!citizen-2026"


def _people(count: int) -> list[tuple[str, str, str]]:
    """(name, ID number, phone), all distinct, with valid check digits."""
    rng = random.Random(20)
    people: dict[str, tuple[str, str, str]] = {}
    while len(people) < count:
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 40 * 365))
        body = f"430903{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
        number = body + ric.calc_check_digit(body + "0")
        n = len(people)
        people[number] = (f"测试申请人{n:04d}号", number, f"139{n:08d}")
    return list(people.values())


def _database_bytes(tmp_path) -> bytes:
    if connection.vendor == "sqlite":
        copy = tmp_path / "copy.sqlite3"
        target = sqlite3.connect(copy)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        return copy.read_bytes()
    if connection.vendor == "postgresql":
        if shutil.which("pg_dump") is None:
            pytest.skip("本机没有 pg_dump")
        params = connection.get_connection_params()
        env = {**os.environ, "PGPASSWORD": str(params.get("password") or "")}
        command = ["pg_dump", "--data-only", "--no-owner", "-d", params["dbname"]]
        for flag, key in (("-h", "host"), ("-p", "port"), ("-U", "user")):
            if params.get(key):
                command += [flag, str(params[key])]
        return subprocess.run(command, env=env, check=True, capture_output=True, timeout=300).stdout
    pytest.skip(f"不支持的数据库 {connection.vendor}")


@pytest.mark.django_db(transaction=True)  # committed rows, as a backup or pg_dump would see them
def test_no_seeded_id_number_or_phone_is_readable_in_the_database_and_the_blind_index_finds_each(tmp_path):
    people = _people(SEED_COUNT)
    for name, number, phone in people:
        applicant_register(kind="person", name=name, id_number=number, phone=phone, today=dt.date(2026, 1, 5))

    data = _database_bytes(tmp_path)

    assert sum(name.encode() in data for name, _, _ in people) == len(people)  # the dump holds the rows
    leaked = [number for _, number, phone in people if number.encode() in data or phone.encode() in data]
    assert leaked == []
    found = {a.id_number: a.name for a in Applicant.objects.all()}
    assert all(
        Applicant.objects.by_id_number(number).values_list("name", flat=True).get() == name
        for name, number, _ in people
    )
    assert len(found) == len(people)


def _spaced(phone: str) -> str:
    return f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"


@pytest.mark.django_db(transaction=True)
def test_citizens_registered_and_signed_in_by_phone_leave_no_readable_phone_or_id_number(tmp_path):
    people = _people(CITIZEN_COUNT)
    unknown = [f"137{n:08d}" for n in range(len(people))]
    for n, (name, number, phone) in enumerate(people):
        client = Client(REMOTE_ADDR=f"10.{n // 250}.{n % 250}.1")  # one address each: no address throttle
        registered = client.post(
            reverse("portal:register"),
            {
                "phone": phone,
                "name": name,
                "id_number": number,
                "password": PASSWORD,
                "password_again": PASSWORD,
            },
        )
        assert registered.status_code == 302, registered.content.decode()[:500]
        client.post(reverse("portal:logout"))
        login = reverse("portal:login")
        assert client.post(login, {"username": phone, "password": "Wrong-pass-1"}).status_code == 200
        assert client.post(login, {"username": unknown[n], "password": PASSWORD}).status_code == 200
        # Signed in with the number written another way, and left signed in: its session row stays.
        assert client.post(login, {"username": _spaced(phone), "password": PASSWORD}).status_code == 302

    data = _database_bytes(tmp_path)
    sessions = "".join(repr(session.get_decoded()) for session in Session.objects.all())

    assert sum(name.encode() in data for name, _, _ in people) == len(people)  # the dump holds the rows
    assert Session.objects.count() == len(people)
    secrets = [value for _, number, phone in people for value in (number, phone, _spaced(phone))] + unknown
    assert [value for value in secrets if value.encode() in data or value in sessions] == []
    assert all(citizen_get_by_phone(phone=phone).full_name == name for name, _, phone in people)
