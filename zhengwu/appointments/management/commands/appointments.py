"""`zhengwu appointments`: the daily reminders and the no-show sweep of appointments (预约).

zhengwu appointments remind                    → SMS reminders for the appointments of the next working day
zhengwu appointments remind --date 2026-09-30  → as on that day (not a future day)
zhengwu appointments no-shows                  → mark appointments not checked in as no-shows, apply blocks
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandParser

from zhengwu.appointments import services
from zhengwu.common import clock
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.common.commands import RefusingCommand, refuse


class Command(RefusingCommand):
    help = "预约：发送预约提醒短信（前一工作日）、标记爽约并执行预约限制规则。"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, title="子命令")
        remind = actions.add_parser("remind", help="向下一工作日的预约人发送提醒（每条只发一次，可重复运行）")
        remind.add_argument("--date", metavar="YYYY-MM-DD", help="按该日运行（默认：今天）")
        actions.add_parser("no-shows", help="把时段结束后仍未签到的预约标记为爽约（可重复运行）")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        now = clock.now()
        if action == "no-shows":
            self.stdout.write("正在标记爽约……")
            count = services.appointments_mark_no_shows(now=now, progress=self.stdout.write)
            self.stdout.write(f"标记爽约 {count} 条。")
            return
        today = clock.today()
        if options.get("date"):
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise refuse(f"日期格式错误：{options['date']}（应为 YYYY-MM-DD）。") from None
            if day > today:
                raise refuse(f"不能按未来日期 {day} 运行。")
            if day < today:
                now = dt.datetime.combine(day, dt.time(18, 0), tzinfo=LOCAL_TZ)
            today = day
        self.stdout.write(f"正在发送 {today} 应发的预约提醒……")
        count = services.appointments_send_reminders(today=today, now=now, progress=self.stdout.write)
        self.stdout.write(f"发送预约提醒 {count} 条。")
