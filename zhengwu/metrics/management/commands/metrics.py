"""`zhengwu metrics`: rebuild the daily rollups, and print metrics by unit for a period.

    zhengwu metrics rebuild                                   → recompute every rollup row
    zhengwu metrics show --period 2026 --by region            → a table of every metric by county
    zhengwu metrics show --period 2026-Q3 --by department --format json
    zhengwu metrics show --period 2026-09 --by region --metrics received,on_time_rate --format csv

`--by` is region (the counties under the top region), department, window or staff. A refused request
(bad period, unknown metric) prints one Chinese line on stderr and exits with status 2.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.core.management.base import CommandParser

from zhengwu.common.commands import RefusingCommand, refuse
from zhengwu.common.errors import DomainError
from zhengwu.domain import metrics as dm
from zhengwu.metrics import selectors
from zhengwu.metrics.services import metrics_rebuild
from zhengwu.organization.models import User


def _system_viewer() -> User:
    """The CLI reads everything, like the system administrator."""
    viewer = User(username="zhengwu-cli", is_superuser=True)
    viewer.is_active = True
    return viewer


def _format(value: Any) -> str:
    return "—" if value is None else f"{value}"


class Command(RefusingCommand):
    help = "效能指标：重建日汇总、按单位输出指标（表格、JSON 或 CSV）。"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, title="子命令")
        rebuild = actions.add_parser("rebuild", help="从办件、红黄牌、一件事等原始数据重新计算全部日汇总")
        rebuild.add_argument("--quiet", action="store_true", help="不输出进度")
        show = actions.add_parser("show", help="按单位输出某期间的指标")
        show.add_argument(
            "--period", required=True, help="期间：2026、2026-Q3、2026-09 或 2026-01-01..2026-06-30"
        )
        show.add_argument(
            "--by", default="region", choices=list(selectors.KINDS), help="统计单位（默认 region）"
        )
        show.add_argument("--metrics", default="", help="指标编码，逗号分隔（默认全部）")
        show.add_argument("--format", default="table", choices=["table", "json", "csv"], help="输出格式")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "rebuild":
                say = (lambda _text: None) if options["quiet"] else self.stdout.write
                result = metrics_rebuild(progress=say)
                self.stdout.write(f"指标日汇总已重建：{result.detail()}。")
            else:
                self._show(options)
        except DomainError as error:
            raise refuse(error.message) from error

    def _show(self, options: dict[str, Any]) -> None:
        period = selectors.period_parse(options["period"])
        codes = [c.strip() for c in options["metrics"].split(",") if c.strip()] or list(dm.METRICS)
        unknown = [c for c in codes if c not in dm.METRICS]
        if unknown:
            raise refuse(f"指标编码不存在：{'、'.join(unknown)}。可选：{'、'.join(dm.METRICS)}。")
        units = selectors.units_for(user=_system_viewer(), kind=options["by"])
        values = selectors.unit_metrics(units, period, codes)
        if options["format"] == "json":
            body = {
                "period": period.label,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "by": options["by"],
                "metrics": [
                    {"code": c, "name": dm.METRICS[c].name, "unit": dm.METRICS[c].unit} for c in codes
                ],
                "units": [
                    {
                        "unit": u.name,
                        "kind": u.kind,
                        "id": u.pk,
                        "values": {
                            c: None if values[u.key][c] is None else str(values[u.key][c]) for c in codes
                        },
                    }
                    for u in units
                ],
            }
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
            return
        header = ["单位", *[f"{dm.METRICS[c].name}（{dm.METRICS[c].unit}）" for c in codes]]
        rows = [[u.name, *[_format(values[u.key][c]) for c in codes]] for u in units]
        if options["format"] == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(header)
            writer.writerows(rows)
            self.stdout.write(buffer.getvalue(), ending="")
            return
        self.stdout.write(
            f"期间 {period.label}（{period.start} 至 {period.end}），按{selectors.KINDS[options['by']]}："
        )
        for row in rows:
            self.stdout.write(row[0])
            for label, value in zip(header[1:], row[1:], strict=True):
                self.stdout.write(f"  {label}：{value}")
