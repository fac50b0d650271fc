"""SECURITY.md row 20: no seeded ID number or phone in the database file or in `pg_dump` output.

N applicants (ZHENGWU_PII_SEED_COUNT, default 200 in CI; the nightly run uses 1,000) are registered; the
database is then read as bytes — the SQLite database copied page by page with the backup API (free
pages included), or `pg_dump` of the PostgreSQL test database — and grepped for every plaintext ID
number and phone. The names (not encrypted) are grepped too, to prove the dump holds the rows.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import sqlite3
import subprocess

import pytest
from django.db import connection
from stdnum.cn import ric

from zhengwu.organization.models import Applicant
from zhengwu.organization.services import applicant_register

SEED_COUNT = int(os.environ.get("ZHENGWU_PII_SEED_COUNT", "200"))


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
