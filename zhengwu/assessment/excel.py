"""The 考核计分表 as an Excel workbook, from a run's published form (results + rule set).

Sheets:

1. 考核计分表 — a title row (scheme, period), a line naming the version and the dates, the header
   (排名, 单位, 单位类型, each item's score with its points in the header, 基础分, 加分, 总分, 备注) and
   one row per unit: ranked units by rank, then the vetoed (排名 “一票否决”) and the unrated ones;
2. 扣分明细 — every point lost or gained: 单位, 项目, 规则, 分值, 依据/证据 (case numbers, evidence
   files), 说明;
3. 考核方案 — the rule set the run was scored with (categories, items, points by unit type, rules).

Headers are frozen and column widths set; numbers are written as numbers with two decimals.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from zhengwu.domain.scoring import RULE_KIND_LABELS, RuleKind

SHEET_SCORES = "考核计分表"
SHEET_DETAILS = "扣分明细"
SHEET_RULES = "考核方案"
EXCEL_MAX_TEXT = 32767
NUMBER_FORMAT = "0.00"

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEAD_FILL = PatternFill("solid", fgColor="DDE7F3")
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

# The header row's position on the first sheet (title, subtitle, then the header).
HEADER_ROW = 3


def _text(value: Any) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:EXCEL_MAX_TEXT]


def _number(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _points_label(points: Mapping[str, str], types_used: Iterable[str]) -> str:
    """An item's points for the unit types in the run: "9", or "30/25" when they differ."""
    values = [points[t] for t in types_used if t in points] or list(points.values())
    distinct = list(dict.fromkeys(values))
    return "/".join(distinct)


def _rule_labels(rules: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    labels = {}
    for item in _all_items(rules):
        for rule in item["rules"]:
            kind = (
                RULE_KIND_LABELS.get(RuleKind(rule["kind"]), rule["kind"])
                if rule["kind"] in set(RuleKind)
                else ""
            )
            labels[(item["code"], rule["code"])] = rule.get("label") or kind
    return labels


def _all_items(rules: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [item for category in rules.get("categories", []) for item in category["items"]] + list(
        rules.get("extras", [])
    )


def _remark(unit: Mapping[str, Any]) -> str:
    notes = []
    if unit.get("vetoed"):
        notes.append(f"一票否决：{unit.get('veto_reason', '')}")
    if unit.get("unrated"):
        notes.append("无可参评指标，不排名")
    if unit.get("recommended"):
        notes.append("推荐")
    for adjustment in unit.get("adjustments", []):
        if adjustment["kind"] == "rescale":
            notes.append(f"折算：{adjustment['note']}")
    return "；".join(notes)


def _style_header(sheet: Any, row: int, count: int) -> None:
    for column in range(1, count + 1):
        cell = sheet.cell(row=row, column=column)
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
        cell.alignment = _CENTER
        cell.border = _BOX


def _write_scores(sheet: Any, data: Mapping[str, Any]) -> None:
    rules = data.get("rules", {})
    units = data["units"]
    types_used = list(dict.fromkeys(u["unit_type"] for u in units))
    items = _all_items(rules)
    extras = {item["code"] for item in rules.get("extras", [])}
    header = ["排名", "单位", "单位类型"]
    for item in items:
        if item["code"] in extras:
            header.append(f"{item['name']}（加减分）")
        else:
            header.append(f"{item['code']}. {item['name']}（{_points_label(item['points'], types_used)}分）")
    header += ["基础分", "加分", "总分", "备注"]

    title = f"{data.get('scheme_name', '')}考核计分表（{data.get('period', '')}）"
    sheet.cell(row=1, column=1, value=_text(title)).font = _TITLE
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    subtitle = (
        f"方案 {data.get('scheme', '')} 版本 {data.get('version', '')}；期间 {data.get('period_start', '')} 至 "
        f"{data.get('period_end', '')}；满分 {data.get('scale', '')}；{data.get('tie_rule', '')}"
    )
    sheet.cell(row=2, column=1, value=_text(subtitle)).alignment = Alignment(wrap_text=False)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(header))
    for column, text in enumerate(header, start=1):
        sheet.cell(row=HEADER_ROW, column=column, value=text)
    _style_header(sheet, HEADER_ROW, len(header))

    ranked = [u for u in units if u.get("rank") is not None]
    others = [u for u in units if u.get("rank") is None]
    others.sort(key=lambda u: (not u.get("vetoed"), u["unit"]))
    row = HEADER_ROW
    for unit in [*ranked, *others]:
        row += 1
        if unit.get("rank") is not None:
            rank: Any = unit["rank"]
        elif unit.get("vetoed"):
            rank = "一票否决"
        else:
            rank = "不参评"
        scores = {i["item"]: i for i in unit["items"]}
        values: list[Any] = [rank, unit["name"], unit.get("unit_type_label", unit["unit_type"])]
        for item in items:
            result = scores.get(item["code"])
            if result is None:
                values.append(None)
            elif result["na"]:
                values.append("不参评")
            else:
                values.append(_number(result["score"]))
        values += [_number(unit["base"]), _number(unit["bonus"]), _number(unit["total"]), _remark(unit)]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=_text(value) if isinstance(value, str) else value)
            cell.border = _BOX
            if isinstance(value, Decimal):
                cell.number_format = NUMBER_FORMAT
        if unit.get("vetoed"):
            for column in range(1, len(header) + 1):
                sheet.cell(row=row, column=column).font = Font(color="B71C1C")

    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=3)
    widths = [10, 18, 16, *[16] * len(items), 10, 10, 10, 40]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[HEADER_ROW].height = 60


def detail_rows(data: Mapping[str, Any]) -> list[list[Any]]:
    """One row per point lost or gained: unit, item, rule, points, evidence, note."""
    labels = _rule_labels(data.get("rules", {}))
    rows: list[list[Any]] = []
    for unit in data["units"]:
        for item in unit["items"]:
            for adjustment in item["deductions"]:
                label = labels.get((item["item"], adjustment["rule"]), "")
                rule = f"{adjustment['rule']} {label}".strip()
                rows.append(
                    [
                        unit["name"],
                        f"{item['item']}. {item['name']}",
                        rule,
                        _number(adjustment["points"]),
                        "、".join(adjustment["evidence"]),
                        adjustment["note"],
                    ]
                )
        for adjustment in unit.get("adjustments", []):
            rows.append(
                [
                    unit["name"],
                    "（总分调整）",
                    adjustment["rule"],
                    _number(adjustment["points"]),
                    "",
                    adjustment["note"],
                ]
            )
    return rows


def _write_details(sheet: Any, data: Mapping[str, Any]) -> None:
    header = ["单位", "项目", "规则", "分值", "依据/证据", "说明"]
    for column, text in enumerate(header, start=1):
        sheet.cell(row=1, column=column, value=text)
    _style_header(sheet, 1, len(header))
    for row, values in enumerate(detail_rows(data), start=2):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=_text(value) if isinstance(value, str) else value)
            cell.alignment = _WRAP
            if isinstance(value, Decimal):
                cell.number_format = NUMBER_FORMAT
    sheet.freeze_panes = "A2"
    for column, width in enumerate([16, 30, 36, 10, 60, 50], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _rule_text(rule: Mapping[str, Any]) -> str:
    kind = rule["kind"]
    label = RULE_KIND_LABELS[RuleKind(kind)] if kind in set(RuleKind) else kind
    parts = [f"{rule['code']} {label}", f"数据项 {rule['source']}"]
    for key, name in (
        ("per", "每次"),
        ("min", "下限"),
        ("max", "上限"),
        ("cap", "封顶"),
        ("target", "目标"),
        ("out_of", "外部满分"),
        ("share", "占比"),
    ):
        if rule.get(key) is not None:
            parts.append(f"{name} {rule[key]}")
    if rule.get("tiers"):
        parts.append("等次 " + "、".join(f"{k} {v}" for k, v in rule["tiers"].items()))
    if rule.get("label"):
        parts.append(rule["label"])
    return "，".join(parts)


def _write_rules(sheet: Any, rules: Mapping[str, Any]) -> None:
    types = rules.get("unit_types", {})
    header = ["类别", "项目", *[f"分值（{label}）" for label in types.values()], "计分方式", "计分规则"]
    for column, text in enumerate(header, start=1):
        sheet.cell(row=1, column=column, value=text)
    _style_header(sheet, 1, len(header))
    row = 1
    groups = [(c["name"], c["items"]) for c in rules.get("categories", [])]
    if rules.get("extras"):
        groups.append(("加减分项目", rules["extras"]))
    for category, items in groups:
        for item in items:
            row += 1
            points = item.get("points", {})
            values = [
                category,
                f"{item['code']}. {item['name']}",
                *[points.get(code, "—") for code in types],
                item.get("scoring", ""),
                "\n".join(_rule_text(r) for r in item["rules"]),
            ]
            for column, value in enumerate(values, start=1):
                sheet.cell(row=row, column=column, value=_text(value)).alignment = _WRAP
    sheet.freeze_panes = "A2"
    for column, width in enumerate([24, 36, *[12] * len(types), 50, 60], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def scoresheet(data: Mapping[str, Any]) -> bytes:
    """The workbook of a run's published form (`Computed.to_dict()`, or a stored run's results with
    `"rules"`), as .xlsx bytes."""
    workbook = Workbook()
    scores = workbook.active
    scores.title = SHEET_SCORES
    _write_scores(scores, data)
    _write_details(workbook.create_sheet(SHEET_DETAILS), data)
    _write_rules(workbook.create_sheet(SHEET_RULES), data.get("rules", {}))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(data: Mapping[str, Any]) -> str:
    return f"考核计分表-{data.get('scheme', '')}-{data.get('period', '')}.xlsx"
