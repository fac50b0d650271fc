"""`zhengwu workdays`: working-day arithmetic from the command line, on the calendar in the database.

    zhengwu workdays add 2026-09-30 20            → 2026-11-03
    zhengwu workdays count 2026-09-30 2026-11-03  → 20
    zhengwu workdays is 2026-02-14                → 工作日（调休上班）
    zhengwu workdays explain 2026-02-10 5         → the counted and skipped days
    zhengwu workdays status                       → coverage and any expiry warning

A refused request (bad date, negative count, date beyond the data) prints one Chinese line on stderr
and exits with status 2, so scripts can tell it from a crash.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.management.base import CommandParser

from zhengwu.common import clock
from zhengwu.common.commands import RefusingCommand, refuse
from zhengwu.common.errors import DomainError
from zhengwu.domain.calendar import WEEKDAY_NAMES, CalendarNotAvailable, WorkCalendar
from zhengwu.organization.models import Region
from zhengwu.workdays.selectors import calendar_coverage, calendar_expiry_warning, work_calendar


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise refuse(f"日期格式错误：{text}（应为 YYYY-MM-DD，例如 2026-09-30）。") from None


def _parse_count(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise refuse(f"天数必须是整数：{text}。") from None


def _day(day: dt.date) -> str:
    return f"{day.isoformat()} {WEEKDAY_NAMES[day.weekday()]}"


class Command(RefusingCommand):
    help = "工作日历：推算期限、统计工作日、查询某日、给出计算说明、查看数据覆盖范围。"
    # A read-only query tool: other apps' system-check warnings must not clutter its one-line output.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, title="子命令")
        add = actions.add_parser("add", help="起算日（第 0 日）之后的第 N 个工作日")
        add.add_argument("start", help="起算日 YYYY-MM-DD")
        add.add_argument("n", help="工作日数")
        count = actions.add_parser("count", help="起算日之后至截止日（含）的工作日数")
        count.add_argument("start", help="起算日 YYYY-MM-DD")
        count.add_argument("end", help="截止日 YYYY-MM-DD")
        is_ = actions.add_parser("is", help="某日是否为工作日及原因")
        is_.add_argument("date", help="日期 YYYY-MM-DD")
        explain = actions.add_parser("explain", help="期限的计算说明：计入和跳过的每一天")
        explain.add_argument("start", help="起算日 YYYY-MM-DD")
        explain.add_argument("n", help="工作日数")
        actions.add_parser("status", help="工作日历数据的覆盖范围与到期提醒")
        for sub in (add, count, is_, explain):
            sub.add_argument("--region", metavar="区划代码", help="按该区划（含上级区划）的地方性调整计算")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        handlers: dict[str, Callable[[dict[str, Any]], None]] = {
            "add": self._add,
            "count": self._count,
            "is": self._is,
            "explain": self._explain,
            "status": self._status,
        }
        try:
            handlers[action](options)
        except (CalendarNotAvailable, ValueError) as error:
            raise refuse(str(error)) from error
        except DomainError as error:
            raise refuse(error.message) from error

    def _calendar(self, options: dict[str, Any]) -> WorkCalendar:
        code = options.get("region")
        if not code:
            return work_calendar()
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise refuse(f"区划代码不存在：{code}。")
        return work_calendar(region=region)

    def _add(self, options: dict[str, Any]) -> None:
        start, n = _parse_date(options["start"]), _parse_count(options["n"])
        self.stdout.write(self._calendar(options).add_workdays(start, n).isoformat())

    def _count(self, options: dict[str, Any]) -> None:
        start, end = _parse_date(options["start"]), _parse_date(options["end"])
        self.stdout.write(str(self._calendar(options).workdays_between(start, end)))

    def _is(self, options: dict[str, Any]) -> None:
        day = _parse_date(options["date"])
        self.stdout.write(self._calendar(options).day_status(day).label)

    def _explain(self, options: dict[str, Any]) -> None:
        start, n = _parse_date(options["start"]), _parse_count(options["n"])
        explanation = self._calendar(options).explain(start, n)
        lines: dict[dt.date, str] = {}
        for counted in explanation.counted:
            note = f"（{counted.reason}）" if counted.reason else ""
            lines[counted.date] = f"{_day(counted.date)}  第 {counted.ordinal} 个工作日{note}"
        for skipped in explanation.skipped:
            lines[skipped.date] = f"{_day(skipped.date)}  跳过：{skipped.reason}"
        self.stdout.write(f"{_day(start)}  起算日（第 0 日，不计入）")
        for day in sorted(lines):
            self.stdout.write(lines[day])
        self.stdout.write(
            f"到期日：{_day(explanation.due)}（计入 {len(explanation.counted)} 个工作日，"
            f"跳过 {len(explanation.skipped)} 天）"
        )

    def _status(self, options: dict[str, Any]) -> None:
        coverage = calendar_coverage()
        if coverage is not None:
            self.stdout.write(
                f"工作日历覆盖 {coverage.valid_from.isoformat()} 至 {coverage.valid_through.isoformat()}"
                f"（{coverage.first_year}–{coverage.last_year} 年）。"
            )
        warning = calendar_expiry_warning(today=clock.today())
        if warning:
            self.stdout.write(warning)
