"""`zhengwu audit_verify`: the same as `zhengwu audit verify` (the name SECURITY.md §5 uses)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from zhengwu.common.commands import RefusingCommand


class Command(RefusingCommand):
    help = "校验审计日志哈希链（同 zhengwu audit verify）。"

    def handle(self, *args: Any, **options: Any) -> None:
        call_command(
            "audit", "verify", verbosity=options["verbosity"], stdout=self.stdout, stderr=self.stderr
        )
