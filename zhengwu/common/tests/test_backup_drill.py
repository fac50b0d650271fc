"""Row 13: backup and restore.

The drill runs `zhengwu backup` and `zhengwu restore` as separate processes on a file database: the
migrated test database is copied to a file, a seeding process adds staff and stored files, then
`zhengwu.common.drill.run_drill` backs up under concurrent writes, restores into a fresh folder and boots
the copy. The unit tests below check the refusals in process.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from zhengwu.common import backup, drill, filestore

ROOT = Path(__file__).resolve().parents[3]
POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")

SEED = r"""
import django, os
django.setup()
from django.conf import settings
from zhengwu.common import filestore
from zhengwu.organization import services
from zhengwu.organization.choices import RegionLevel
from zhengwu.organization.models import Department, Region, User
region = Region.objects.create(code="439900000000", name="演练区", level=RegionLevel.COUNTY)
department = Department.objects.create(region=region, name="演练局", kind="department")
for n, role in enumerate(["window_clerk", "approver", "supervisor"]):
    user = User.objects.create_user(username=f"drill{n}", password="Zw!drill-2026", department=department,
                                    full_name=f"演练人员{n}")
    services.user_set_roles(user=user, roles=[role])
for n in range(40):
    filestore.store(os.urandom(4096) + str(n).encode())
media = settings.MEDIA_ROOT / "exports"
media.mkdir(parents=True, exist_ok=True)
(media / "report.xlsx").write_bytes(os.urandom(1000))
"""


def _seed(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-c", SEED], env=env, cwd=ROOT, check=True, capture_output=True, timeout=600
    )


@pytest.mark.skipif(POSTGRES, reason="the SQLite drill; the PostgreSQL drill is below")
@pytest.mark.django_db(transaction=True)  # SQLite cannot copy a database out of an open write transaction
def test_sqlite_restore_drill_backs_up_under_writes_and_restores_an_identical_copy(tmp_path):
    source_var, target_var = tmp_path / "source", tmp_path / "target"
    source_var.mkdir()
    connection.ensure_connection()
    copy = sqlite3.connect(source_var / "zhengwu.sqlite3")
    connection.connection.backup(copy)  # the migrated schema and its seed rows, nothing of this test
    copy.close()
    source_env, target_env = drill.environment(source_var), drill.environment(target_var)
    _seed(source_env)

    report = drill.run_drill(
        source_env=source_env, target_env=target_env, workdir=tmp_path / "drill", say=print
    )

    assert report.writes_during_backup > 0
    assert report.pages == {"portal": 200, "workbench": 200}
    assert report.files >= 41
    assert report.archive.with_name(report.archive.name + ".sm3").is_file()
    restored = (target_var / "files" / "exports" / "report.xlsx").read_bytes()
    assert restored == (source_var / "files" / "exports" / "report.xlsx").read_bytes()


def _pg_url(name: str) -> str:
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    return f"{base}/{name}"


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_pg_url("postgres"), autocommit=True) as conn:
        conn.execute(sql)


@pytest.mark.skipif(
    not POSTGRES or not (shutil.which("pg_dump") and shutil.which("pg_restore")),
    reason="needs DATABASE_URL=postgres://… and pg_dump/pg_restore on PATH",
)
def test_postgresql_restore_drill_backs_up_under_writes_and_restores_an_identical_copy(tmp_path):
    suffix = uuid.uuid4().hex[:8]
    source_db, target_db = f"zhengwu_drill_src_{suffix}", f"zhengwu_drill_dst_{suffix}"
    for name in (source_db, target_db):
        _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        source_env = drill.environment(tmp_path / "source", _pg_url(source_db))
        target_env = drill.environment(tmp_path / "target", _pg_url(target_db))
        subprocess.run(
            [*drill.zhengwu_command(), "migrate", "-v0"], env=source_env, cwd=ROOT, check=True, timeout=900
        )
        _seed(source_env)

        report = drill.run_drill(source_env=source_env, target_env=target_env, workdir=tmp_path / "drill")

        assert report.writes_during_backup > 0
        assert report.pages == {"portal": 200, "workbench": 200}
        assert report.files >= 41
    finally:
        for name in (source_db, target_db):
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- refusals ------------------------------------------------------------------------------------------


@pytest.fixture
def archive(tmp_path, transactional_db):
    filestore.store(b"material one")
    result = backup.backup_create(output=tmp_path / "backups")
    return result.archive


def test_backup_archive_holds_no_plaintext_and_has_a_checksum_file(archive):
    data = archive.read_bytes()
    assert data.startswith(backup.MAGIC)
    assert b"material one" not in data
    assert b"manifest.json" not in data and b"CREATE TABLE" not in data
    checksum = archive.with_name(archive.name + ".sm3").read_text().split()[0]
    assert checksum == backup.compute_checksum(archive)


def test_restore_refuses_a_database_that_is_not_empty(archive):
    with pytest.raises(CommandError, match="目标数据库不是空库"):
        call_command("restore", str(archive), verbosity=0)


def test_restore_refuses_an_archive_whose_checksum_does_not_match(archive):
    data = bytearray(archive.read_bytes())
    data[len(backup.MAGIC) + 40] ^= 0x01
    archive.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="校验值不符"):
        call_command("restore", str(archive), "--force", verbosity=0)


def test_restore_refuses_an_archive_without_its_checksum_file(archive):
    archive.with_name(archive.name + ".sm3").unlink()
    with pytest.raises(CommandError, match="缺少校验文件"):
        call_command("restore", str(archive), "--force", verbosity=0)


def test_a_tampered_chunk_is_refused_even_with_a_recomputed_checksum(archive):
    data = bytearray(archive.read_bytes())
    data[len(backup.MAGIC) + 60] ^= 0x01
    archive.write_bytes(bytes(data))
    checksum = backup.compute_checksum(archive)
    archive.with_name(archive.name + ".sm3").write_text(f"{checksum}  {archive.name}\n")
    with pytest.raises(CommandError, match="数据解密失败"):
        call_command("restore", str(archive), "--force", verbosity=0)


def test_a_truncated_archive_is_refused(archive):
    data = archive.read_bytes()
    archive.write_bytes(data[:-10])
    with pytest.raises(CommandError):
        call_command("restore", str(archive), "--force", verbosity=0)
