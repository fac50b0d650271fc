"""`zhengwu backup --output DIR`: an online, encrypted, checksummed backup of the database and the files.

See zhengwu/common/backup.py for the archive format and docs/deployment.md for the schedule.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.db import transaction

from zhengwu.common.backup import backup_create
from zhengwu.common.commands import RefusingCommand, refuse
from zhengwu.common.errors import DomainError


def audit_record(action: str, detail: dict[str, Any]) -> None:
    """Write the audit event when the audit app is installed (`record` is in the caller's transaction)."""
    from django.apps import apps

    if not apps.is_installed("zhengwu.audit"):
        return
    from zhengwu.audit.services import record

    # Run from the shell: no signed-in actor; the operating-system account that ran it is kept instead.
    detail = {**detail, "os_user": getpass.getuser(), "via": "cli"}
    with transaction.atomic():
        record(action, object_type="backup", object_id=str(detail.get("archive", ""))[:100], detail=detail)


class Command(RefusingCommand):
    help = "在线备份数据库和存储的文件，生成加密（SM4）并带 SM3 校验值的备份文件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, type=Path, help="备份文件存放目录")
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] > 0
        say = self.stdout.write if verbose else (lambda _text: None)
        try:
            result = backup_create(output=options["output"], alias=options["database"], progress=say)
        except DomainError as error:
            raise refuse(error.message) from error
        audit_record(
            "backup.create",
            {
                "archive": result.archive.name,
                "size": result.size,
                "checksum": result.checksum,
                "tables": len(result.tables),
                "rows": sum(result.tables.values()),
                "files": result.files,
                "engine": result.engine,
            },
        )
