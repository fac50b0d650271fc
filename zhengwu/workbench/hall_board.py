"""大厅运行: the hall manager's board — waits, service times, appointment keeping, the hourly issue heat
map, window and staff rankings, per-item service times and 窗口现场审批率 of one hall and period.

Hall managers only (部门负责人 and 监管员 whose data scope covers the hall, and superusers); anyone
else, and any hall outside the viewer's scope, gets 404. The figures come from
`zhengwu.hall_figures.selectors.hall_board` (grouped queries, formulas of `domain/hall_figures.py`);
the same tables download as an Excel workbook.
"""

from __future__ import annotations

import io
from decimal import Decimal
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Font

from zhengwu.common import clock
from zhengwu.common.errors import DomainError
from zhengwu.domain import hall_figures as hf
from zhengwu.hall_figures import permissions, selectors
from zhengwu.metrics.selectors import period_parse
from zhengwu.workbench.access import staff_required


def _fmt(value: Decimal | None, suffix: str = "") -> str:
    return "—" if value is None else f"{value}{suffix}"


def _query(request: HttpRequest):
    """(halls in scope, the chosen hall, the period); Http404 for a non-manager or a hall out of scope,
    DomainError for a bad period."""
    if not permissions.is_hall_manager(request.user):
        raise Http404("页面不存在。")
    halls = list(permissions.halls_for_user(request.user))
    if not halls:
        raise Http404("您的数据范围内没有政务服务大厅。")
    raw = request.GET.get("hall") or str(halls[0].pk)
    hall = next((h for h in halls if str(h.pk) == raw.strip()), None)
    if hall is None:
        raise Http404("大厅不存在或不在您的数据范围内。")
    period = period_parse(request.GET.get("period") or str(clock.today().year))
    return halls, hall, period


def _row_cells(row: selectors.Row) -> dict[str, str]:
    f = row.figures
    return {
        "tickets": str(f.tickets),
        "called": str(f.wait.count),
        "wait_mean": _fmt(f.wait.mean_minutes),
        "wait_max": _fmt(f.wait.max_minutes),
        "within": _fmt(f.wait.within_target_rate, "%"),
        "served": str(f.service.count),
        "service_mean": _fmt(f.service.mean_minutes),
        "on_spot": _fmt(row.on_spot, "%"),
    }


def _chart(board: selectors.HallBoard, windows, staff) -> dict:
    hours = board.heat.hours()
    matrix = board.heat.matrix()
    return {
        "trend": {
            "labels": [label for label, _f in board.trend],
            "wait": [_num(f.wait.mean_minutes) for _l, f in board.trend],
            "service": [_num(f.service.mean_minutes) for _l, f in board.trend],
            "tickets": [f.tickets for _l, f in board.trend],
        },
        "heat": {
            "days": list(hf.WEEKDAYS),
            "hours": [f"{h}时" for h in hours],
            "cells": [[x, day, matrix[day][hour]] for x, hour in enumerate(hours) for day in range(7)],
            "max": board.heat.peak,
        },
        "windows": [{"name": r.key.name, "value": float(r.value)} for r in windows],
        "staff": [{"name": r.key.name, "value": float(r.value)} for r in staff],
    }


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@never_cache
@require_GET
@staff_required
def board(request: HttpRequest) -> HttpResponse:
    try:
        halls, hall, period = _query(request)
    except DomainError as error:
        return render(request, "workbench/hall/board.html", {"error": error}, status=400)
    data = selectors.hall_board(hall=hall, period=period, now=clock.now())
    window_ranking = selectors.ranking(data.windows, "wait_mean")
    staff_ranking = selectors.ranking(data.staff, "tickets")
    totals = data.totals
    doc = {m.code: m.doc for m in hf.HALL_METRICS}
    headline = [
        ("取号量", str(totals.tickets), "张", doc["hall_tickets"]),
        ("平均等候时长", _fmt(totals.wait.mean_minutes), "分钟", doc["hall_wait_mean"]),
        ("最长等候时长", _fmt(totals.wait.max_minutes), "分钟", doc["hall_wait_max"]),
        ("等候达标率", _fmt(totals.wait.within_target_rate, "%"), "", doc["hall_wait_within_rate"]),
        ("平均办理时长", _fmt(totals.service.mean_minutes), "分钟", doc["hall_service_mean"]),
        ("预约履约率", _fmt(data.appointments.keeping_rate, "%"), "", doc["hall_keeping_rate"]),
        ("爽约率", _fmt(data.appointments.no_show_rate, "%"), "", doc["hall_no_show_rate"]),
        ("窗口现场审批率", _fmt(data.on_spot_rate, "%"), "", hf.ON_SPOT_DOC),
    ]
    params = {"hall": hall.pk, "period": period.label}
    context = {
        "halls": halls,
        "hall": hall,
        "period": period,
        "headline": headline,
        "appointments": data.appointments,
        "on_spot": data.on_spot,
        "windows": [{"rank": r.rank, "row": r.key, "cells": _row_cells(r.key)} for r in window_ranking]
        + [
            {"rank": "—", "row": row, "cells": _row_cells(row)}
            for row in data.windows
            if row.figures.wait.mean_minutes is None
        ],
        "staff": [{"rank": r.rank, "row": r.key, "cells": _row_cells(r.key)} for r in staff_ranking],
        "items": [{"row": row, "cells": _row_cells(row)} for row in data.items],
        "chart": _chart(data, window_ranking, staff_ranking),
        "target": hf.DEFAULT_TARGET_WAIT_MINUTES,
        "export_url": "export.xlsx?" + urlencode(params),
    }
    return render(request, "workbench/hall/board.html", context)


@never_cache
@require_GET
@staff_required
def export(request: HttpRequest) -> HttpResponse:
    """The board's tables as an Excel workbook: 窗口, 工作人员, 事项 sheets (Chinese headers)."""
    try:
        _halls, hall, period = _query(request)
    except DomainError as error:
        return render(request, "workbench/hall/board.html", {"error": error}, status=400)
    data = selectors.hall_board(hall=hall, period=period, now=clock.now())
    book = Workbook()
    header = [
        "名称",
        "取号量",
        "叫号量",
        "平均等候（分钟）",
        "最长等候（分钟）",
        "等候达标率（%）",
        "办理量",
        "平均办理（分钟）",
    ]
    sheets = (
        ("窗口", data.windows, [*header, "窗口现场审批率（%）"]),
        ("工作人员", data.staff, header),
        ("事项", data.items, header),
    )
    for index, (title, rows, columns) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title
        sheet.append([f"{hall.name} {title}（{period.label}：{period.start} 至 {period.end}）"])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append(columns)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            f = row.figures
            line = [
                row.name,
                f.tickets,
                f.wait.count,
                _cell(f.wait.mean_minutes),
                _cell(f.wait.max_minutes),
                _cell(f.wait.within_target_rate),
                f.service.count,
                _cell(f.service.mean_minutes),
            ]
            if title == "窗口":
                line.append(_cell(row.on_spot))
            sheet.append(line)
        sheet.column_dimensions["A"].width = 30
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="hall-{hall.pk}-{period.label}.xlsx"'
    return response


def _cell(value: Decimal | None) -> float | str:
    return "—" if value is None else float(value)
