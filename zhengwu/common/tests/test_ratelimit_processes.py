"""Test row 24: a rate limit holds exactly across server processes.

Three processes (multiprocessing, "spawn": each its own interpreter, Django and database connection)
wait at one barrier, then hammer the same counter 8 times each, inside one frozen window. With a limit
of 10, exactly 10 of the 24 hits are allowed — whatever the interleaving — on the SQL counter of the
current database and on Redis. On SQLite the processes share a scratch database file (the in-memory
test database cannot be shared) migrated for the `common` app only; on PostgreSQL they use the test
database itself, which is why the test commits (`transaction=True`).

    .venv/bin/pytest zhengwu/common/tests/test_ratelimit_processes.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhengwu_x .venv/bin/pytest zhengwu/common/tests/test_ratelimit_processes.py
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import uuid

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

PROCESSES = 3
HITS_EACH = 8
LIMIT = 10
FROZEN = "2026-06-01T09:00:30+00:00"


def _hammer(env: dict[str, str], barrier, results, scope: str) -> None:
    """One worker process: set up Django on the shared database, wait for the others, count hits."""
    os.environ.update(env)
    import datetime as dt

    import django

    django.setup()
    from zhengwu.common import clock, ratelimit

    barrier.wait(timeout=60)
    with clock.frozen(dt.datetime.fromisoformat(FROZEN)):
        verdicts = [ratelimit.allow(scope, "citizen:42", limit=LIMIT) for _ in range(HITS_EACH)]
    results.put(verdicts)


def _database_url(tmp_path) -> str:
    """A database the worker processes can all open: the PostgreSQL test database, or a fresh SQLite file
    with the `common` tables."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings_dict.get("USER") or "postgres"
        host = settings_dict.get("HOST") or "127.0.0.1"
        port = settings_dict.get("PORT") or 5432
        password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
        return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"
    url = f"sqlite:///{tmp_path / 'ratelimit.sqlite3'}"
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "common", "--verbosity", "0"],
        env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "zhengwu.config.settings"},
        check=True,
        timeout=300,
    )
    return url


def _run(env: dict[str, str]) -> list[bool]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    results = context.Queue()
    scope = f"row24-{uuid.uuid4().hex[:8]}"
    workers = [context.Process(target=_hammer, args=(env, barrier, results, scope)) for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    verdicts = [verdict for _ in workers for verdict in results.get(timeout=120)]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    return verdicts


def test_three_processes_let_exactly_ten_hits_through_on_the_sql_counter(tmp_path):
    env = {
        "DATABASE_URL": _database_url(tmp_path),
        "ZHENGWU_REDIS_URL": "",
        "DJANGO_SETTINGS_MODULE": "zhengwu.config.settings",
    }
    verdicts = _run(env)
    assert len(verdicts) == PROCESSES * HITS_EACH
    assert verdicts.count(True) == LIMIT


def test_three_processes_let_exactly_ten_hits_through_on_redis(tmp_path):
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",  # Redis alone holds the count
        "ZHENGWU_REDIS_URL": url,
        "DJANGO_SETTINGS_MODULE": "zhengwu.config.settings",
    }
    verdicts = _run(env)
    assert verdicts.count(True) == LIMIT
