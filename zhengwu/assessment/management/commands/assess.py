"""`zhengwu assess`: score the units of a period with a scheme, without saving a run.

    zhengwu assess --scheme yiyang-2020 --period 2026                    → a table of the ranking
    zhengwu assess --scheme yiyang-2020 --period 2026 --format json      → the full result (contract below)
    zhengwu assess --scheme shanhaiguan-2020 --period 2026 --units department --format json
    zhengwu assess --scheme my-scheme.yaml --period 2026-Q3 --format xlsx --output 计分表.xlsx

`--scheme` is the name of a shipped scheme (yiyang-2020, shanhaiguan-2020) or the path of a YAML
scheme file. `--units` is region (the county-level regions, default) or department. The JSON is

    {"scheme": …, "scheme_name": …, "version": …, "period": …, "units": [{"unit": …, "name": …,
     "unit_type": …, "total": "93.50", "rank": 1, "items": [{"item": …, "score": …, "max": …,
     "deductions": [{"rule": …, "points": …, "evidence": […]}]}]}], "recommended": […],
     "rules": {the rule set}, "data_notes": [{"key", "meaning", "source"}]}

The command reads only (shipped schemes are stored on first use, idempotently). A malformed scheme,
a bad period or facts the scheme cannot score print the Chinese messages, each naming its place, on
stderr and exit with status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from zhengwu.assessment import excel, services
from zhengwu.assessment.choices import UnitKind
from zhengwu.assessment.facts import is_no_data
from zhengwu.assessment.selectors import assessed_units
from zhengwu.common.commands import RefusingCommand, refuse
from zhengwu.common.errors import DomainError
from zhengwu.metrics.selectors import period_parse
from zhengwu.organization.models import User


def _system_viewer() -> User:
    """The CLI reads every unit, like the system administrator."""
    viewer = User(username="zhengwu-cli", is_superuser=True)
    viewer.is_active = True
    return viewer


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


class Command(RefusingCommand):
    help = "考核：按考核方案对某期间的区县或部门计分、排名，输出表格、JSON 或 Excel 计分表（不保存结果）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scheme",
            required=True,
            help=f"考核方案：内置方案名（{'、'.join(services.shipped_names())}）或 YAML 文件路径",
        )
        parser.add_argument(
            "--period", required=True, help="期间：2026、2026-Q3、2026-09 或 2026-01-01..2026-06-30"
        )
        parser.add_argument(
            "--units",
            default=UnitKind.REGION,
            choices=list(UnitKind.values),
            help="参评单位（默认 region：区县）",
        )
        parser.add_argument("--format", default="table", choices=["table", "json", "xlsx"], help="输出格式")
        parser.add_argument("--output", help="输出文件（xlsx 格式必填）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["format"] == "xlsx" and not options.get("output"):
            raise refuse("输出 Excel 计分表须用 --output 指定文件，例如 --output 考核计分表.xlsx。")
        text, where = self._scheme_text(options["scheme"])
        try:
            scheme = services.scheme_parse(text)
        except DomainError as error:
            lines = "\n".join(f"  - {m}" for m in error.fields.get("scheme", [error.message]))
            raise refuse(f"考核方案有误（{where}）：\n{lines}") from error
        try:
            period = period_parse(options["period"])
            units = assessed_units(user=_system_viewer(), kind=options["units"])
            computed = services.evaluation_compute(scheme=scheme, period=period, units=units)
        except DomainError as error:
            details = error.fields.get("facts")
            if details:
                raise refuse("考核数据有误：\n" + "\n".join(f"  - {m}" for m in details)) from error
            raise refuse(error.message) from error
        data = computed.to_dict()
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        elif options["format"] == "xlsx":
            output = Path(options["output"])
            try:
                output.write_bytes(excel.scoresheet(data))
            except OSError as error:
                raise refuse(f"无法写入文件“{output}”：{error.strerror}。") from error
            self.stdout.write(f"考核计分表已写入 {output}（{len(data['units'])} 个单位）。")
        else:
            self._table(data)

    def _scheme_text(self, value: str) -> tuple[str, str]:
        if value in services.shipped_names():
            services.schemes_ensure_shipped()
            return services.shipped_scheme_text(value), f"内置方案 {value}"
        path = Path(value)
        if not path.is_file():
            names = "、".join(services.shipped_names())
            raise refuse(f"考核方案“{value}”不存在：既不是内置方案（{names}），也不是可读的文件。")
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except UnicodeDecodeError:
            raise refuse(f"考核方案文件“{path}”不是 UTF-8 编码的文本。") from None
        except OSError as error:
            raise refuse(f"无法读取考核方案文件“{path}”：{error.strerror}。") from None

    def _table(self, data: dict[str, Any]) -> None:
        write = self.stdout.write
        write(f"{data['scheme_name']}（{data['scheme']} 版本 {data['version']}）")
        write(
            f"期间 {data['period']}（{data['period_start']} 至 {data['period_end']}），满分 {data['scale']}"
        )
        names = [u["name"] for u in data["units"]]
        width = max([_width(n) for n in names] + [4]) + 2
        type_width = max([_width(u["unit_type_label"]) for u in data["units"]] + [8]) + 2
        write(_pad("排名", 8) + _pad("单位", width) + _pad("单位类型", type_width) + "基础分    加分    总分")
        for unit in data["units"]:
            rank = str(unit["rank"]) if unit["rank"] is not None else ("否决" if unit["vetoed"] else "不参评")
            mark = "  ★推荐" if unit["recommended"] else ""
            write(
                _pad(rank, 8)
                + _pad(unit["name"], width)
                + _pad(unit["unit_type_label"], type_width)
                + f"{unit['base']:>6}  {unit['bonus']:>6}  {unit['total']:>6}{mark}"
            )
        recommended = [u["name"] for u in data["units"] if u["recommended"]]
        if data["top_n"]:
            write(f"推荐名单（前 {data['top_n']} 名，并列者一并推荐）：{'、'.join(recommended) or '无'}")
        else:
            write("推荐名单：方案未设推荐名额。")
        vetoed = [u for u in data["units"] if u["vetoed"]]
        if vetoed:
            write("一票否决（不排名）：" + "；".join(f"{u['name']}：{u['veto_reason']}" for u in vetoed))
        missing = [n["key"] for n in data["data_notes"] if is_no_data(n["key"])]
        if missing:
            write(f"暂无数据、不参评的数据项：{'、'.join(missing)}（其分值按满分折算）")
        write(data["tie_rule"])
