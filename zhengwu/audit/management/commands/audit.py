"""`zhengwu audit`: verify the hash chain, purge records past the retention, export for central collection.

zhengwu audit verify                                  → exit 0, or 1 naming the first broken row
zhengwu audit purge --before 2025-06-01               → refuses (exit 2) a date inside the retention
zhengwu audit export --since 2026-01-01 --format jsonl [--output FILE]
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from zhengwu.audit.exports import CSV_HEADERS, csv_values, event_row
from zhengwu.audit.models import AuditEvent
from zhengwu.audit.selectors import audit_chain_verify, audit_event_stream
from zhengwu.audit.services import audit_purge, record, retention_days
from zhengwu.common import clock
from zhengwu.common.commands import RefusingCommand, refuse
from zhengwu.common.errors import DomainError

BROKEN = 1


def _local_midnight(text: str, option: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise refuse(f"{option} 日期格式错误：{text}（应为 YYYY-MM-DD，例如 2025-06-01）。") from None
    return dt.datetime.combine(day, dt.time(), tzinfo=clock.LOCAL_TZ)


class Command(RefusingCommand):
    help = "审计日志：校验哈希链（verify）、清理超过保留期限的记录（purge）、导出供集中收集（export）。"
    # An operations tool: verification must run even when some other app's system check fails.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, title="子命令")
        actions.add_parser("verify", help="逐条校验哈希链，报告第一条断裂的记录")
        purge = actions.add_parser("purge", help="清理某日（不含）之前、已超过保留期限的记录")
        purge.add_argument(
            "--before", required=True, metavar="YYYY-MM-DD", help="清理该日零时（北京时间）之前的记录"
        )
        export = actions.add_parser("export", help="导出审计记录（JSON Lines 或 CSV）")
        export.add_argument(
            "--since", metavar="YYYY-MM-DD", help="导出该日零时（北京时间）起的记录；省略则全部导出"
        )
        export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl", help="jsonl（默认）或 csv")
        export.add_argument("--output", metavar="FILE", help="写入文件；省略则写到标准输出")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        {"verify": self._verify, "purge": self._purge, "export": self._export}[action](options)

    def _progress(self, count: int) -> None:
        self.stderr.write(f"已校验 {count} 条……")

    def _verify(self, options: dict[str, Any]) -> None:
        report = audit_chain_verify(progress=self._progress if options["verbosity"] >= 1 else None)
        broken = report.broken
        if broken is not None:
            at = broken.at.astimezone(dt.UTC).isoformat() if broken.at else "?"
            raise CommandError(
                f"审计日志哈希链断裂：第一条问题记录 #{broken.id}（{at}）：{broken.reason}。"
                f"应为 {broken.expected}，实为 {broken.stored}。此前已校验通过 {report.checked} 条。",
                returncode=BROKEN,
            )
        if report.checked == 0:
            self.stdout.write("审计日志为空，无需校验。")
            return
        self.stdout.write(
            f"审计日志完整：共校验 {report.checked} 条（#{report.first_id} 至 #{report.last_id}），哈希链未断裂。"
        )

    def _purge(self, options: dict[str, Any]) -> None:
        before = _local_midnight(options["before"], "--before")
        try:
            checkpoint = audit_purge(before=before, now=clock.now())
        except DomainError as error:
            raise refuse(error.message) from error
        if checkpoint is None:
            self.stdout.write(
                f"{options['before']} 之前没有可清理的审计记录（保留期限 {retention_days()} 天）。"
            )
            return
        detail = checkpoint.detail
        self.stdout.write(
            f"已清理 {detail['purged']} 条审计记录（至 #{detail['last_purged_id']}），"
            f"检查点 #{checkpoint.id} 记录了最后一条的哈希，哈希链仍可校验。"
        )

    def _export(self, options: dict[str, Any]) -> None:
        since = _local_midnight(options["since"], "--since") if options.get("since") else None
        output = options.get("output")
        if not output:
            self.stdout.ending = ""  # rows carry their own line ends
        stream: Any = open(output, "w", encoding="utf-8", newline="") if output else self.stdout  # noqa: SIM115
        count = 0
        complete = True
        try:
            writer = csv.writer(stream) if options["format"] == "csv" else None
            if writer is not None:
                writer.writerow(CSV_HEADERS)
            for event in audit_event_stream(since=since):
                if writer is not None:
                    writer.writerow(csv_values(event))
                else:
                    stream.write(json.dumps(event_row(event), ensure_ascii=False, sort_keys=True) + "\n")
                count += 1
                if output and count % 10000 == 0 and options["verbosity"] >= 1:
                    self.stderr.write(f"已导出 {count} 条……")
        except BrokenPipeError:  # the reader stopped early (`| head`): record what was handed out
            complete = False
        finally:
            if output:
                stream.close()
        record(
            "export",
            role="cli",
            object_type=AuditEvent._meta.label,
            detail={
                "what": "审计日志",
                "format": options["format"],
                "since": options.get("since") or "",
                "rows": count,
                "complete": complete,
            },
        )
        if output:
            self.stderr.write(f"已导出 {count} 条审计记录到 {output}。")
