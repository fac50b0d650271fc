"""The restore drill (SECURITY.md row 13): back up while writes continue, restore into a fresh database and
fresh folders, compare, boot the restored copy.

Every step runs `zhengwu` in its own process with its own environment, exactly as an operator would:

1. a writer process keeps committing rows (a region per transaction, through the ORM) and storing files
   (`filestore.store`) into the source until told to stop, counting its errors;
2. `zhengwu backup --output …` runs against the source meanwhile;
3. the writer stops: it must have had 0 errors and have written during the backup;
4. `zhengwu restore ARCHIVE` runs against the target (an empty database, empty folders); it checks the
   checksum and the manifest and, after the restore, every table's row count and every file's digest;
5. the drill compares again from outside: each table of the target has the manifest's row count and no
   more than the source has now; every restored file exists in the source with the same digest;
6. the restored copy boots: `zhengwu migrate --check` (no migration missing) and a GET of the portal's
   home page and of a staff page through Django's test client, both 200.

`zhengwu drill` (make drill) seeds a source with `migrate` and `demo`, then calls `run_drill`; the test
`zhengwu/common/tests/test_backup_drill.py` builds a small source itself and calls the same function.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_WRITER = r"""
import json, os, sys, time
import django
django.setup()
from django.db import transaction
from zhengwu.common import filestore
from zhengwu.organization.choices import RegionLevel
from zhengwu.organization.models import Region
stop, ready = sys.argv[1], sys.argv[2]
ok = errors = 0
n = 0
last_error = ""
open(ready, "w").close()
while not os.path.exists(stop):
    n += 1
    try:
        with transaction.atomic():
            Region.objects.create(code=f"99{os.getpid() % 1000:03d}{n:07d}", name=f"演练区划{n}",
                                  level=RegionLevel.VILLAGE)
        filestore.store(os.urandom(2048) + str(n).encode())
        ok += 1
    except Exception as exc:  # counted and reported: the drill fails on any
        errors += 1
        last_error = repr(exc)[:300]
    time.sleep(0.01)
print(json.dumps({"ok": ok, "errors": errors, "last_error": last_error}))
"""

_PROBE = r"""
import json, sys
import django
django.setup()
from django.test import Client
from django.urls import reverse
from zhengwu.common.backup import file_manifest, _current_counts
from zhengwu.organization.models import User
tables, files = _current_counts("default"), file_manifest()  # before the probe's own session rows
client = Client()
status = {"portal": client.get(reverse("portal:item_list")).status_code}
staff = User.objects.filter(applicant__isnull=True, is_active=True).first()
if staff is not None:
    try:
        from zhengwu.accounts.testing import login_verified
    except ImportError:
        client.force_login(staff)
    else:
        login_verified(client, staff)
    status["workbench"] = client.get(reverse("workbench:home")).status_code
print(json.dumps({"status": status, "tables": tables, "files": files}))
"""


class DrillFailed(Exception):
    pass


@dataclass
class DrillReport:
    archive: Path
    backup_seconds: float
    restore_seconds: float
    tables: int
    rows: int
    files: int
    writes_during_backup: int
    pages: dict[str, int]

    def lines(self) -> list[str]:
        return [
            f"备份：{self.archive.name}，{self.archive.stat().st_size:,} 字节，用时 {self.backup_seconds:.1f} 秒；"
            f"备份期间写入 {self.writes_during_backup} 次，0 次出错",
            f"恢复：{self.tables} 张表 {self.rows:,} 行、{self.files:,} 个文件，用时 {self.restore_seconds:.1f} 秒",
            "核对：每张表行数与清单一致，每个文件摘要与源一致",
            "启动：migrate --check 通过；" + "，".join(f"{k} {v}" for k, v in self.pages.items()),
        ]


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        raise DrillFailed(
            f"{' '.join(args[1:3])} 失败（退出码 {result.returncode}）：\n{result.stdout}\n{result.stderr}"
        )
    return result


def zhengwu_command() -> list[str]:
    return [sys.executable, "-m", "zhengwu.cli"]


def run_drill(
    *,
    source_env: dict[str, str],
    target_env: dict[str, str],
    workdir: Path,
    say: Callable[[str], None] = print,
) -> DrillReport:
    """Back up the source under writes, restore into the target, compare and boot; DrillFailed otherwise."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    cwd = Path(__file__).resolve().parents[2]
    stop, ready = workdir / "writer.stop", workdir / "writer.ready"
    for flag in (stop, ready):
        flag.unlink(missing_ok=True)
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(stop), str(ready)],
        env=source_env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 300
        while not ready.exists():
            if writer.poll() is not None or time.monotonic() > deadline:
                raise DrillFailed(f"写入进程没有启动：{writer.stderr.read() if writer.stderr else ''}")
            time.sleep(0.1)
        say("写入进程已启动；开始在线备份 …")
        started = time.monotonic()
        backup = _run([*zhengwu_command(), "backup", "--output", str(workdir / "backups")], source_env, cwd)
        backup_seconds = time.monotonic() - started
        for line in backup.stdout.splitlines():
            say(f"  {line}")
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=300)
    if writer.returncode != 0:
        raise DrillFailed(f"写入进程异常退出：{err}")
    writes = json.loads(out.strip().splitlines()[-1])
    if writes["errors"]:
        raise DrillFailed(f"备份期间写入出错 {writes['errors']} 次：{writes['last_error']}")
    if writes["ok"] == 0:
        raise DrillFailed("备份期间没有写入：演练没有检验在线备份。")
    archives = sorted((workdir / "backups").glob("zhengwu-backup-*.zwb"))
    if not archives:
        raise DrillFailed("没有生成备份文件。")
    archive = archives[-1]
    say(f"写入进程共提交 {writes['ok']} 次，出错 0 次；开始恢复到空库 …")
    started = time.monotonic()
    restore = _run([*zhengwu_command(), "restore", str(archive)], target_env, cwd)
    restore_seconds = time.monotonic() - started
    for line in restore.stdout.splitlines():
        say(f"  {line}")
    _run([*zhengwu_command(), "migrate", "--check"], target_env, cwd)
    source = json.loads(_run([sys.executable, "-c", _PROBE], source_env, cwd).stdout.strip().splitlines()[-1])
    target = json.loads(_run([sys.executable, "-c", _PROBE], target_env, cwd).stdout.strip().splitlines()[-1])
    # `zhengwu restore` already refused unless every table had its manifest's row count.
    manifest_tables = target["tables"]
    problems = []
    for table, rows in target["tables"].items():
        if table not in source["tables"]:
            problems.append(f"表 {table} 在源库中不存在")
        elif rows > source["tables"][table]:
            problems.append(f"表 {table} 恢复后 {rows} 行，多于源库的 {source['tables'][table]} 行")
    problems += [f"表 {t} 缺失" for t in source["tables"] if t not in target["tables"]]
    for path, entry in target["files"].items():
        if source["files"].get(path) != entry:
            problems.append(f"文件 {path} 与源不同")
    bad_pages = {k: v for k, v in target["status"].items() if v != 200}
    if bad_pages or "workbench" not in target["status"]:
        problems.append(f"恢复后的系统页面访问失败：{target['status']}")
    if problems:
        raise DrillFailed("；".join(problems[:10]))
    return DrillReport(
        archive=archive,
        backup_seconds=backup_seconds,
        restore_seconds=restore_seconds,
        tables=len(manifest_tables),
        rows=sum(manifest_tables.values()),
        files=len(target["files"]),
        writes_during_backup=writes["ok"],
        pages=target["status"],
    )


def environment(var_dir: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of one side of the drill: its own var folder (SQLite file, private files, media)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "ZHENGWU_PRIVATE_FILES"}}
    env["DJANGO_SETTINGS_MODULE"] = "zhengwu.config.settings"
    env["ZHENGWU_VAR_DIR"] = str(var_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env
