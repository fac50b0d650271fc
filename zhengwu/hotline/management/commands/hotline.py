"""`zhengwu hotline`: the 12345 sweep (overdue marks and 督办 chases; safe to run twice).

zhengwu hotline sweep                     → as of now
zhengwu hotline sweep --date 2026-10-16   → as of 00:30 on that day
zhengwu hotline demo [--count N]          → a year of demo tickets (skipped when tickets exist)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandParser

from zhengwu.common import clock
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.common.commands import RefusingCommand, refuse
from zhengwu.hotline import services
from zhengwu.hotline.demo_data import DEFAULT_COUNT, demo_tickets_generate


class Command(RefusingCommand):
    help = "12345热线：超期标记与督办（可重复运行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, title="子命令")
        sweep = actions.add_parser("sweep", help="标记签收/办结超期，发出系统催办和书面督办")
        sweep.add_argument("--date", metavar="YYYY-MM-DD", help="按该日 00:30 运行（默认：现在）")
        demo = actions.add_parser("demo", help="生成一年的演示工单（已有工单时跳过）")
        demo.add_argument("--count", type=int, default=DEFAULT_COUNT, help=f"工单数（默认 {DEFAULT_COUNT}）")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "demo":
            if not 0 < options["count"] <= 500_000:
                raise refuse("工单数须在 1 到 500000 之间。")
            demo_tickets_generate(today=clock.today(), count=options["count"], progress=self.stdout.write)
            return
        now = clock.now()
        if options.get("date"):
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise refuse(f"日期格式错误：{options['date']}（应为 YYYY-MM-DD）。") from None
            now = dt.datetime.combine(day, dt.time(0, 30), tzinfo=LOCAL_TZ)
            if now > clock.now():
                raise refuse("不能按未来的日期运行。")
        counts = services.tickets_sweep(now=now)
        self.stdout.write(
            f"签收超期 {counts['sign_overdue']} 件，办结超期 {counts['finish_overdue']} 件，督办 {counts['chased']} 件。"
        )
