"""A real multi-process server for reliability tests: a scratch database, `migrate`, seed data written by
a subprocess, and gunicorn with 3 sync workers on 127.0.0.1 (SECURITY.md §6 defaults).

Why not pytest-django's `live_server`: with the in-memory SQLite test database, its threads share one
connection, so concurrent transactions cannot be exercised; and it is one process, while the properties
under test (idempotency keys, rate limits) must hold across processes. The scratch database follows the
test run's engine: a SQLite file in `tmp_path`, or a new PostgreSQL database next to the test database
(created and dropped here). The server runs with development settings (ZHENGWU_DEBUG=1), its own files
folder, and no Redis unless the caller passes one.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import connection

GUNICORN = Path(sys.executable).with_name("gunicorn")
# No proxy from the environment may sit between a test and its own server.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@contextlib.contextmanager
def scratch_database(tmp_path: Path) -> Iterator[str]:
    """A DATABASE_URL of an empty database of the same engine as the test run."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'live.sqlite3'}"
        return
    import psycopg

    settings_dict = connection.settings_dict
    params = {
        "host": settings_dict.get("HOST") or "127.0.0.1",
        "port": settings_dict.get("PORT") or 5432,
        "user": settings_dict.get("USER") or "postgres",
        "password": settings_dict.get("PASSWORD") or None,
    }
    name = f"zhengwu_live_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{params['password']}" if params["password"] else ""
    try:
        yield f"postgres://{params['user']}{password}@{params['host']}:{params['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(database_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "zhengwu.config.settings",
        "ZHENGWU_DEBUG": "1",
        "ZHENGWU_VAR_DIR": str(tmp_path / "var"),
        "ZHENGWU_PRIVATE_FILES": str(tmp_path / "private"),
        "ZHENGWU_REDIS_URL": "",
        "ZHENGWU_LOG_LEVEL": "ERROR",
    }
    env.update(extra)
    return env


def migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--verbosity", "0"], env=env, check=True, timeout=600
    )


def run_python(env: dict[str, str], code: str) -> Any:
    """Run `code` after django.setup() in a subprocess; it prints one JSON value, which is returned."""
    script = "import django\ndjango.setup()\n" + code
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, timeout=300, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def gunicorn(env: dict[str, str], tmp_path: Path, *, workers: int = 3) -> Iterator[str]:
    """Start gunicorn on a free loopback port, wait until it answers, yield its base URL, stop it."""
    port = _free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            str(GUNICORN),
            "zhengwu.config.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--graceful-timeout",
            "5",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                raise RuntimeError("gunicorn exited: " + (tmp_path / "gunicorn.log").read_text()[-3000:])
            try:
                with OPENER.open(f"{base}/api/v1/regions/", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
        log.close()


def request(
    method: str, url: str, *, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], Any]:
    """One HTTP request; returns (status, headers, parsed JSON body or text)."""
    data = None if body is None else json.dumps(body).encode()
    sent = {"Content-Type": "application/json", "Accept": "application/json", **(headers or {})}
    req = urllib.request.Request(url, data=data, method=method, headers=sent)
    try:
        with OPENER.open(req, timeout=120) as response:
            status, got, raw = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as refused:
        status, got, raw = refused.code, dict(refused.headers), refused.read()
    try:
        return status, got, json.loads(raw)
    except ValueError:
        return status, got, raw.decode(errors="replace")
