"""The embedded SQLite database is tuned for a multi-process server (docs/adr/0002-sqlite.md)."""

import subprocess
import sys

import pytest


def _pragmas(tmp_path) -> str:
    code = (
        "import django;django.setup();"
        "from django.db import connection;"
        "c=connection.cursor();"
        "print(*(c.execute(f'PRAGMA {p}').fetchone()[0] for p in ('journal_mode','busy_timeout','foreign_keys')));"
        "print(connection.transaction_mode)"
    )
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "zhengwu.config.settings",
        "PATH": "/usr/bin:/bin",
    }
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout


def test_sqlite_connections_use_wal_a_busy_timeout_and_immediate_transactions(tmp_path):
    out = _pragmas(tmp_path).split("\n")
    assert out[0] == "wal 20000 1"
    assert out[1] == "IMMEDIATE"


def test_production_mode_refuses_to_start_without_a_secret_key():
    env = {"ZHENGWU_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "zhengwu.config.settings", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", "import django;django.setup()"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY 未设置" in result.stderr


@pytest.mark.django_db
def test_api_errors_share_one_chinese_format(client):
    response = client.get("/api/v1/items/no-such-item/")
    assert response.status_code == 404
    assert set(response.json()) == {"code", "message", "fields"}
