"""`zhengwu cases`: the daily sweep, re-projection after a calendar edit, and the demo cases.

    zhengwu cases sweep                     → deem late intakes accepted, issue due cards (once each)
    zhengwu cases sweep --date 2026-11-30   → the same as of 00:30 on that day (not a future day)
    zhengwu cases reproject                 → lay every open clock out again on the current calendar
    zhengwu cases demo --cases 20000        → generate demo cases (skipped when cases exist)
    zhengwu cases demo --cases 20000 --reset   → delete every case first, then generate

The sweep is safe to run twice: every card is unique per (case, clock, rule), so the second run
issues nothing. A refused request (bad date, future date, bad number) prints one Chinese line on
stderr and exits with status 2, so scripts can tell it from a crash.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandParser

from zhengwu.cases import services
from zhengwu.cases.demo_data import DEFAULT_CASES, DEFAULT_CERTIFICATES, SEED, demo_cases_generate
from zhengwu.catalog.models import ItemVersion
from zhengwu.common import clock
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.common.commands import RefusingCommand, refuse
from zhengwu.common.errors import DomainError
from zhengwu.domain.calendar import CalendarNotAvailable

SWEEP_TIME = dt.time(0, 30)  # when the daily sweep runs


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise refuse(f"日期格式错误：{text}（应为 YYYY-MM-DD，例如 2026-11-30）。") from None


def _parse_count(text: str, what: str, *, upper: int = 10_000_000) -> int:
    try:
        value = int(text)
    except ValueError:
        raise refuse(f"{what}必须是整数：{text}。") from None
    if not 0 <= value <= upper:
        raise refuse(f"{what}应在 0 到 {upper:,} 之间：{text}。")
    return value


class Command(RefusingCommand):
    help = "办件：红黄牌扫描（每日一次）、工作日历调整后重新推算时限、生成演示办件。"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, title="子命令")
        sweep = actions.add_parser("sweep", help="逾期未告知补正的视为受理，按规则亮红黄牌（可重复运行）")
        sweep.add_argument("--date", metavar="YYYY-MM-DD", help="按该日 00:30 运行（默认：现在）")
        actions.add_parser("reproject", help="按当前工作日历重新推算所有未停止时限的到期日")
        demo = actions.add_parser("demo", help="生成演示办件（已有办件时跳过）")
        demo.add_argument(
            "--cases", default=str(DEFAULT_CASES), metavar="N", help=f"办件数量（默认 {DEFAULT_CASES}）"
        )
        demo.add_argument(
            "--certificates",
            default=str(DEFAULT_CERTIFICATES),
            metavar="N",
            help=f"签发电子证照的最近办件数（默认 {DEFAULT_CERTIFICATES}）",
        )
        demo.add_argument("--seed", default=str(SEED), metavar="N", help="随机种子（相同种子生成相同办件）")
        demo.add_argument("--reset", action="store_true", help="先删除全部办件再生成")
        demo.add_argument("--quiet", action="store_true", help="不输出进度")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "sweep":
                self._sweep(options)
            elif action == "reproject":
                self._reproject()
            else:
                self._demo(options)
        except CalendarNotAvailable as error:
            raise refuse(str(error)) from error
        except DomainError as error:
            raise refuse(error.message) from error

    def _sweep(self, options: dict[str, Any]) -> None:
        now = clock.now()
        if options.get("date"):
            day = _parse_date(options["date"])
            today = clock.today()
            if day > today:
                raise refuse(f"不能按未来的日期扫描：{day.isoformat()}（今天是 {today.isoformat()}）。")
            if day < today:
                now = dt.datetime.combine(day, SWEEP_TIME, tzinfo=LOCAL_TZ)
        counts = services.cases_sweep(now=now)
        day = now.astimezone(LOCAL_TZ).date()
        self.stdout.write(
            f"红黄牌扫描（{day.isoformat()}）：视为受理 {counts['deemed_accepted']} 件，"
            f"新亮牌 {counts['cards']} 张，检查临期时限 {counts['clocks']} 个。"
        )

    def _reproject(self) -> None:
        moved = services.clocks_reproject(now=clock.now())
        self.stdout.write(f"已按当前工作日历重新推算未停止的时限：{moved} 个到期日发生变化。")

    def _demo(self, options: dict[str, Any]) -> None:
        count = _parse_count(options["cases"], "办件数量")
        certificates = _parse_count(options["certificates"], "电子证照数量", upper=100_000)
        seed = _parse_count(options["seed"], "随机种子", upper=2**31)
        if not ItemVersion.objects.filter(status="published").exists():
            raise refuse("尚无已发布的事项，请先运行 zhengwu demo 生成组织机构和事项目录。")
        say = (lambda _text: None) if options["quiet"] else self.stdout.write
        result = demo_cases_generate(
            count=count,
            today=clock.today(),
            seed=seed,
            certificates=certificates,
            reset=options["reset"],
            progress=say,
        )
        if result.skipped:
            say(f"已有 {result.existing:,} 件办件，未生成演示办件（加 --reset 可删除后重新生成）。")
            return
        say(result.summary())
