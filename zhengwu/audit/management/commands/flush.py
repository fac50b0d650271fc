"""`flush` with the audit log: Django's flush empties every table, which the audit triggers refuse.

Where `ZHENGWU_AUDIT_ALLOW_FLUSH` is on (development and tests, where TransactionTestCase flushes after each
test) the triggers are dropped for the wipe and reinstalled after it, with the cutoff row restored. In
production (`ZHENGWU_DEBUG=0`) the command refuses.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.commands import flush
from django.db import connections

from zhengwu.audit import triggers
from zhengwu.common.commands import refuse


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        tables = connection.introspection.table_names()
        if triggers.EVENT not in tables:
            return super().handle(**options)
        if not getattr(settings, "ZHENGWU_AUDIT_ALLOW_FLUSH", False):
            raise refuse("生产模式下不得清空数据库：审计日志只能由 `zhengwu audit purge` 按保留期限清理。")
        triggers.drop(connection)
        try:
            super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {triggers.CUTOFF}")
                if cursor.fetchone()[0] == 0:
                    cursor.execute(f"INSERT INTO {triggers.CUTOFF} (id, cutoff) VALUES (1, NULL)")
            triggers.install(connection)
