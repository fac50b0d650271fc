"""`zhengwu drill`: the restore drill of SECURITY.md row 13 on a freshly seeded source (make drill).

    zhengwu drill                       # SQLite: migrate + demo (--cases 1000) into var/drill/source
    zhengwu drill --cases 100000        # the 100k-case figure of row 13
    zhengwu drill --keep                # leave var/drill in place for inspection

On PostgreSQL (DATABASE_URL=postgres://…/name) the source and target are the databases name_drill_source
and name_drill_target on the same server, created afresh (and dropped unless --keep).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from zhengwu.common import drill
from zhengwu.common.commands import RefusingCommand, refuse


class Command(RefusingCommand):
    help = "恢复演练：生成演示数据，边写入边在线备份，恢复到空库和空目录，核对行数与文件摘要并启动验证。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=1000, help="演示办件数量（默认 1000）")
        parser.add_argument(
            "--workdir", type=Path, default=None, help="演练目录（默认 $ZHENGWU_VAR_DIR/drill）"
        )
        parser.add_argument("--keep", action="store_true", help="演练结束后保留演练目录和数据库")

    def handle(self, *args: Any, **options: Any) -> None:
        workdir: Path = options["workdir"] or Path(settings.VAR_DIR) / "drill"
        if workdir.exists():
            shutil.rmtree(workdir)
        workdir.mkdir(parents=True)
        db = settings.DATABASES["default"]
        postgres = db["ENGINE"].endswith("postgresql")
        urls: dict[str, str | None] = {"source": None, "target": None}
        if postgres:
            import psycopg

            base = f"postgres://{db.get('USER') or 'postgres'}"
            base += f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
            base += f"@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                for side in urls:
                    name = f"{db['NAME']}_drill_{side}"
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    conn.execute(f'CREATE DATABASE "{name}"')
                    urls[side] = f"{base}/{name}"
        source_env = drill.environment(workdir / "source", urls["source"])
        target_env = drill.environment(workdir / "target", urls["target"])
        cwd = Path(settings.BASE_DIR)
        self.stdout.write(f"[1/3] 源库：migrate 并生成演示数据（{options['cases']} 件办件）…")
        for argv in (["migrate", "-v0"], ["demo", "--quiet", "--cases", str(options["cases"])]):
            result = subprocess.run(
                [*drill.zhengwu_command(), *argv], env=source_env, cwd=cwd, capture_output=True, text=True
            )
            if result.returncode != 0:
                raise refuse(f"准备源库失败（zhengwu {' '.join(argv)}）：{result.stderr[-2000:]}")
        self.stdout.write("[2/3] 边写入边备份，恢复到空库 …")
        try:
            report = drill.run_drill(
                source_env=source_env, target_env=target_env, workdir=workdir, say=self.stdout.write
            )
        except drill.DrillFailed as error:
            raise refuse(f"恢复演练失败：{error}") from error
        finally:
            if postgres and not options["keep"]:
                import psycopg

                with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                    for side in urls:
                        conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}_drill_{side}" WITH (FORCE)')
        self.stdout.write("[3/3] 演练通过：")
        for line in report.lines():
            self.stdout.write(f"  {line}")
        if not options["keep"]:
            shutil.rmtree(workdir, ignore_errors=True)
