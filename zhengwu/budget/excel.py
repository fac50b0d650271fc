"""The 项目支出绩效目标表 (seed 002 layout) and the 绩效自评表 of a project as an Excel workbook.

Sheet 1 (绩效目标表): unit line and 单位：元, 项目编码 / 项目名称, 预算数 with 财政资金 and 其他资金, 资金用途, the
spending plan (checkpoint dates over cumulative %), 绩效目标, then the indicator rows 一级 | 二级 | 三级 |
绩效指标描述 | 指标值 | 指标值确定依据. Sheet 2 (绩效自评表): 预算执行率 and each indicator's points, actual and
score, the total and the grade (when the project has been self-evaluated).
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from zhengwu.budget import services
from zhengwu.budget.models import Project

_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _money(value: Decimal) -> float:
    return float(value)


def workbook_bytes(project: Project) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "绩效目标表"
    department = project.department
    sheet.append([f"{project.name}绩效目标表"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"{department.name}", "", "", "", "", "单位：元"])
    sheet.append(["项目编码", project.code, "项目名称", project.name])
    sheet.append(
        [
            "预算规模及资金用途",
            "预算数",
            _money(project.budget),
            "其中：财政资金",
            _money(project.fiscal_funds),
            "其他资金",
        ]
    )
    sheet.cell(
        row=sheet.max_row, column=7, value=_money(project.other_funds) if project.other_funds else None
    )
    sheet.append(["", project.purpose])
    checkpoints = list(project.checkpoints.all())
    sheet.append(["资金支出计划（%）", *[f"{c.date.month}月底" for c in checkpoints]])
    sheet.append(["", *[f"{c.planned_percent.normalize():f}%" for c in checkpoints]])
    sheet.append(["绩效目标", project.goal])
    sheet.append(["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"])
    for cell in sheet[sheet.max_row]:
        cell.font = _BOLD
    last1 = last2 = ""
    for ind in services.leaves(project):
        level2 = ind.parent
        level1 = level2.parent if level2 else None
        name1 = level1.name if level1 else ""
        name2 = level2.name if level2 else ""
        sheet.append(
            [
                name1 if name1 != last1 else "",
                name2 if (name1, name2) != (last1, last2) else "",
                ind.name,
                ind.description,
                ind.target_display,
                ind.basis,
            ]
        )
        last1, last2 = name1, name2
    for column, width in zip("ABCDEF", (14, 16, 26, 40, 12, 20), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = _WRAP

    evaluation = getattr(project, "self_evaluation", None)
    sheet2 = book.create_sheet("绩效自评表")
    sheet2.append([f"{project.name}绩效自评表（{project.year}年度）"])
    sheet2["A1"].font = Font(bold=True, size=14)
    if evaluation is None or not evaluation.result:
        sheet2.append(["尚未自评"])
    else:
        result = evaluation.result
        sheet2.append(["预算数", float(result["budget"]), "执行数", float(result["spent"])])
        sheet2.append(
            [
                "预算执行率（%）",
                result["execution_rate"],
                "分值",
                float(result["execution_points"]),
                "得分",
                float(result["execution_score"]),
            ]
        )
        sheet2.append(["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分", "备注"])
        for cell in sheet2[sheet2.max_row]:
            cell.font = _BOLD
        by_key = {row["key"]: row for row in result["indicators"]}
        for ind in services.leaves(project):
            row = by_key.get(str(ind.pk))
            if row is None:
                continue
            note = (
                "不适用"
                if not row["applicable"]
                else ("完成值超过指标值 20% 以上，请复核指标值" if row["flagged"] else "")
            )
            sheet2.append(
                [
                    ind.block,
                    ind.parent.name if ind.parent else "",
                    ind.name,
                    ind.target_display,
                    row["tier"] or row["actual"] or "",
                    float(row["points"]),
                    float(row["score"]),
                    note,
                ]
            )
        sheet2.append(
            ["总分", float(result["total"]), "等级", result["grade"], "状态", evaluation.get_status_display()]
        )
        for note in result["notes"]:
            sheet2.append([note])
    for column, width in zip("ABCDEFGH", (14, 16, 26, 12, 14, 8, 8, 30), strict=True):
        sheet2.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
