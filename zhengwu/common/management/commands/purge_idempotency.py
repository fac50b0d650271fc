"""`zhengwu purge_idempotency`: delete expired idempotency keys and ended rate-limit counter windows.

Run it from cron (hourly is plenty); nothing depends on it for correctness, since expired keys are
ignored and replaced on their next use and a counter row restarts at each new window.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhengwu.common import idempotency, ratelimit


class Command(BaseCommand):
    help = "删除已过期的幂等键和已结束窗口的限流计数。"

    def handle(self, *args: Any, **options: Any) -> None:
        keys = idempotency.purge()
        counters = ratelimit.purge()
        if options["verbosity"]:
            self.stdout.write(f"已删除过期幂等键 {keys} 个、限流计数 {counters} 条。")
