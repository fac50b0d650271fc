"""`zhengwu reviews`: the daily rectification sweep, the SMS reminders, and the demo reviews.

zhengwu reviews sweep                   → flag overdue / due-soon rectifications, send due reminders
zhengwu reviews sweep --date 2026-11-30 → as of 00:30 on that day
zhengwu reviews demo                    → a year of demo reviews over the demo cases (skipped when any exist)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandParser

from zhengwu.common import clock
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.common.commands import RefusingCommand, refuse
from zhengwu.reviews import services
from zhengwu.reviews.demo_data import demo_reviews_generate


class Command(RefusingCommand):
    help = "好差评：整改超期扫描与评价提醒（每日一次）、生成演示评价。"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, title="子命令")
        sweep = actions.add_parser(
            "sweep", help="标记超期、即将到期的差评整改，发送评价提醒短信（可重复运行）"
        )
        sweep.add_argument("--date", metavar="YYYY-MM-DD", help="按该日 00:30 运行（默认：现在）")
        actions.add_parser("demo", help="生成一年的演示评价（已有评价时跳过）")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "demo":
            count = demo_reviews_generate(clock.today(), progress=self.stdout.write)
            self.stdout.write(f"生成评价 {count} 条。")
            return
        now = clock.now()
        if options.get("date"):
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise refuse(f"日期格式错误：{options['date']}（应为 YYYY-MM-DD）。") from None
            if day > clock.today():
                raise refuse(f"不能按未来日期 {day} 运行。")
            now = dt.datetime.combine(day, dt.time(0, 30), tzinfo=LOCAL_TZ)
        counts = services.rectifications_sweep(now=now)
        reminded = services.invitations_remind(now=now)
        self.stdout.write(
            f"超期 {counts['overdue']} 件，即将到期 {counts['due_soon']} 件，发送评价提醒 {reminded} 条。"
        )
