"""Live-server machinery of the fault tests: a temporary database, gunicorn, HTTP helpers.

Each harness runs the real production stack: gunicorn with 3 sync workers on 127.0.0.1 (a free port),
serving `zhengwu.config.wsgi` with `ZHENGWU_DEBUG=0` against either a temporary SQLite file (with the
production options of `config/settings.py`: WAL, IMMEDIATE, synchronous=FULL, busy timeout) or, when
`DATABASE_URL` names PostgreSQL, a temporary database on that server, dropped afterwards. The test
process never opens the database itself: seeding and inspection run `python -m reliability.dbtool` in
a child process with the server's environment.

`RELIABILITY_SCALE=ci` selects the reduced sizes CI runs; anything else the full ones (`make reliability`).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GUNICORN = BIN / "gunicorn"
WORKERS = 3

# No proxy from the environment may sit between a harness and its own server.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def ci_scale() -> bool:
    return os.environ.get("RELIABILITY_SCALE", "").strip().lower() == "ci"


def scaled(full: int, ci: int) -> int:
    return ci if ci_scale() else full


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@dataclass
class Site:
    """One temporary installation: its folder, its database and the environment the server runs with."""

    folder: Path
    database_url: str
    env: dict[str, str] = field(default_factory=dict)

    @property
    def vendor(self) -> str:
        return "postgresql" if self.database_url.startswith("postgres") else "sqlite"

    @property
    def sqlite_path(self) -> Path:
        return Path(self.database_url.removeprefix("sqlite:///"))

    def tool(self, *args: str, stdin: str | None = None, timeout: float = 900) -> Any:
        """Run `python -m reliability.dbtool ARGS` against this site; its JSON answer."""
        done = subprocess.run(
            [sys.executable, "-m", "reliability.dbtool", *args],
            cwd=ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"dbtool {args[0]} failed ({done.returncode}):\n{done.stderr[-4000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def manage(self, *args: str, timeout: float = 900) -> str:
        done = subprocess.run(
            [str(BIN / "zhengwu"), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"zhengwu {' '.join(args)} failed:\n{done.stderr[-4000:]}")
        return done.stdout


def _server_env(folder: Path, database_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ZHENGWU_", "DJANGO_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "zhengwu.config.settings",
            "DATABASE_URL": database_url,
            "ZHENGWU_VAR_DIR": str(folder / "var"),
            "ZHENGWU_PRIVATE_FILES": str(folder / "var" / "private"),
            "ZHENGWU_DEBUG": "0",
            "SECRET_KEY": "reliability-" + uuid.uuid4().hex + uuid.uuid4().hex,
            "ZHENGWU_SSL_REDIRECT": "0",  # plain HTTP on loopback; TLS is the proxy's (row 1)
            "ZHENGWU_CRYPTO_KEYS": "k1:" + os.urandom(16).hex(),
            "ZHENGWU_BLIND_INDEX_KEY": os.urandom(32).hex(),
            "ZHENGWU_AUDIT_KEY": os.urandom(32).hex(),
            "ZHENGWU_AUDIT_ALLOW_FLUSH": "0",
            # The harness streams submissions far beyond a citizen's 10 a minute (row 24 tests that limit).
            "ZHENGWU_SUBMIT_RATE_ACCOUNT": "1000000/min",
            "ZHENGWU_SUBMIT_RATE_IP": "1000000/min",
            "ZHENGWU_LOG_LEVEL": "ERROR",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.pop("ZHENGWU_REDIS_URL", None)
    return env


@contextlib.contextmanager
def template(tmp: Path) -> Iterator[Site]:
    """A migrated, empty installation that `site()` copies: migrating takes a minute, copying a moment."""
    with _installation(tmp, "template", template=None) as installation:
        installation.manage("migrate", "--noinput")
        yield installation


@contextlib.contextmanager
def site(tmp: Path, name: str, source: Site) -> Iterator[Site]:
    """A fresh copy of the migrated `source`, removed (PostgreSQL: dropped) afterwards."""
    with _installation(tmp, name, template=source) as installation:
        yield installation


@contextlib.contextmanager
def _installation(tmp: Path, name: str, template: Site | None) -> Iterator[Site]:
    folder = tmp / name
    (folder / "var" / "private").mkdir(parents=True, exist_ok=True)
    pg = _postgres_url()
    if pg:
        db_name = f"zhengwu_rel_{name}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        base = pg.rsplit("/", 1)[0]
        source = f' TEMPLATE "{template.database_url.rsplit("/", 1)[1]}"' if template else ""
        _pg_admin(base, f'CREATE DATABASE "{db_name}"{source}')
        url = f"{base}/{db_name}"
    else:
        url = f"sqlite:///{folder / 'zhengwu.sqlite3'}"
        if template is not None:
            for suffix in ("", "-wal"):
                original = Path(str(template.sqlite_path) + suffix)
                if original.exists():
                    shutil.copyfile(original, str(folder / "zhengwu.sqlite3") + suffix)
    try:
        yield Site(folder=folder, database_url=url, env=_server_env(folder, url))
    finally:
        if pg:
            _pg_admin(base, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def _pg_admin(base_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as conn:
        conn.execute(statement)


class Server:
    """gunicorn in its own process group, so `kill()` takes the master and every worker at once."""

    def __init__(self, installation: Site, port: int | None = None, workers: int = WORKERS):
        self.site = installation
        self.port = port or free_port()
        self.workers = workers
        self.process: subprocess.Popen | None = None
        self.log = installation.folder / "gunicorn.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(GUNICORN),
                    "zhengwu.config.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    str(self.workers),
                    "--worker-class",
                    "sync",
                    "--timeout",
                    "120",
                    "--graceful-timeout",
                    "5",
                ],
                cwd=ROOT,
                env=self.site.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: os.killpg reaches the workers too
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                status, _body = request("GET", f"{self.url}/api/v1/regions/", timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL of the whole process group (master and workers), as a power cut would."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        _wait_for_group_exit(self.process.pid)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        _wait_for_group_exit(self.process.pid)
        self.process = None

    def log_tail(self, size: int = 4000) -> str:
        try:
            return self.log.read_text(errors="replace")[-size:]
        except FileNotFoundError:
            return ""

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _wait_for_group_exit(pgid: int, timeout: float = 30) -> None:
    """Workers are reparented when the master dies: wait until none of the group is left."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


# -- HTTP ------------------------------------------------------------------------------------------


def request(
    method: str,
    url: str,
    *,
    token: str | None = None,
    json_body: Any = None,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60,
) -> tuple[int, Any]:
    """One HTTP request; (status, parsed JSON body or raw text). Connection errors propagate."""
    all_headers = dict(headers or {})
    if token:
        all_headers["Authorization"] = f"Token {token}"
    if json_body is not None:
        body = json.dumps(json_body).encode()
        all_headers["Content-Type"] = "application/json"
    outgoing = urllib.request.Request(url, data=body, method=method, headers=all_headers)
    try:
        with OPENER.open(outgoing, timeout=timeout) as response:
            return response.status, _parse(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, _parse(refused.read())


def _parse(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


def multipart(field_name: str, filename: str, data: bytes, mime: str) -> tuple[bytes, str]:
    boundary = "----zhengwu" + uuid.uuid4().hex
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="{field_name}"; filename="{filename}"\r\n'
        f"Content-Type: {mime}\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def pdf_bytes(size: int, salt: str) -> bytes:
    """A small valid PDF padded with a comment stream to about `size` bytes; `salt` makes it unique."""
    pad = (salt.encode() * (size // max(len(salt), 1) + 1))[: max(size - 400, 0)]
    body = (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
        b"4 0 obj\n<< /Length " + str(len(pad)).encode() + b" >>\nstream\n" + pad + b"\nendstream\nendobj\n"
    )
    return body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
