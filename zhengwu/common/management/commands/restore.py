"""`zhengwu restore ARCHIVE [--force]`: verify and restore a backup made by `zhengwu backup`.

Restores into an empty database (create it, do not run `migrate`) and empty file folders; `--force`
overwrites. The checksum, every manifest digest and, after the restore, every table's row count and
every file's digest are checked; then the audit chain is verified when the audit app provides a command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command, get_commands
from django.core.management.base import CommandParser

from zhengwu.common.backup import restore_archive
from zhengwu.common.commands import RefusingCommand, refuse
from zhengwu.common.errors import DomainError
from zhengwu.common.management.commands.backup import audit_record


class Command(RefusingCommand):
    help = "核对并恢复 zhengwu backup 生成的备份文件（默认只恢复到空数据库和空目录）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="备份文件（同目录下须有 .sm3 校验文件）")
        parser.add_argument("--force", action="store_true", help="目标数据库或文件目录非空时仍然覆盖")
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] > 0
        say = self.stdout.write if verbose else (lambda _text: None)
        try:
            result = restore_archive(
                archive=options["archive"], alias=options["database"], force=options["force"], progress=say
            )
        except DomainError as error:
            raise refuse(error.message) from error
        commands = get_commands()
        for name, argv in (("audit", ["verify"]), ("audit_verify", [])):
            if name in commands:
                say(f"校验审计日志哈希链：zhengwu {' '.join([name, *argv])}")
                call_command(name, *argv, verbosity=options["verbosity"])
                break
        audit_record(
            "backup.restore",
            {
                "archive": Path(options["archive"]).name,
                "tables": len(result.tables),
                "rows": sum(result.tables.values()),
                "files": result.files,
                "engine": result.engine,
                "backup_created_at": result.manifest.get("created_at", ""),
            },
        )
        say("恢复完成。")
