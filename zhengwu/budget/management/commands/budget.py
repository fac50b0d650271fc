"""`zhengwu budget`: demo projects and reports of budget performance (DOMAIN §9).

    zhengwu budget demo [--year 2026]          → seed 002's three projects for the demo approval bureau
    zhengwu budget report --project CODE --year 2026 --format xlsx|json --output FILE

A refusal (no demo bureau, unknown project) prints one Chinese line on stderr and exits with status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from zhengwu.budget import excel, services
from zhengwu.budget.demo_data import demo_projects_generate
from zhengwu.budget.models import Project
from zhengwu.common.commands import RefusingCommand, refuse
from zhengwu.common.errors import DomainError


def report_dict(project: Project) -> dict[str, Any]:
    evaluation = getattr(project, "self_evaluation", None)
    return {
        "code": project.code,
        "name": project.name,
        "year": project.year,
        "department": project.department.name,
        "fiscal_funds": str(project.fiscal_funds),
        "other_funds": str(project.other_funds),
        "purpose": project.purpose,
        "goal": project.goal,
        "plan": [
            {"date": c.date.isoformat(), "planned_percent": str(c.planned_percent)}
            for c in project.checkpoints.all()
        ],
        "indicators": [
            {
                "level1": ind.block,
                "level2": ind.parent.name if ind.parent else "",
                "level3": ind.name,
                "description": ind.description,
                "target": ind.target_display,
                "basis": ind.basis,
                "metric_code": ind.metric_code,
            }
            for ind in services.leaves(project)
        ],
        "self_evaluation": (
            None if evaluation is None else {"status": evaluation.status, **evaluation.result}
        ),
    }


class Command(RefusingCommand):
    help = "预算绩效：生成演示项目（demo）或导出项目绩效目标表与自评表（report）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        demo = sub.add_parser("demo", help="为演示行政审批服务局生成种子 002 的三个项目")
        demo.add_argument("--year", type=int, default=2026)
        report = sub.add_parser("report", help="导出绩效目标表与自评表")
        report.add_argument("--project", required=True, help="项目编码")
        report.add_argument("--year", type=int, required=True)
        report.add_argument("--format", choices=["xlsx", "json"], default="xlsx")
        report.add_argument("--output", required=True, help="输出文件（- 为标准输出，仅 json）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "demo":
            try:
                made = demo_projects_generate(year=options["year"])
            except DomainError as error:
                raise refuse(error.message) from error
            self.stdout.write(f"预算绩效演示：新建 {len(made)} 个项目。")
            return
        project = (
            Project.objects.filter(code=options["project"], year=options["year"])
            .select_related("department")
            .first()
        )
        if project is None:
            raise refuse(f"没有 {options['year']} 年项目编码为 {options['project']} 的项目。")
        if options["format"] == "json":
            text = json.dumps(report_dict(project), ensure_ascii=False, indent=2)
            if options["output"] == "-":
                self.stdout.write(text)
            else:
                Path(options["output"]).write_text(text + "\n", encoding="utf-8")
        else:
            if options["output"] == "-":
                raise refuse("Excel 须写入文件：请用 --output 指定文件名。")
            Path(options["output"]).write_bytes(excel.workbook_bytes(project))
        if options["output"] != "-":
            self.stdout.write(f"已导出：{options['output']}")
