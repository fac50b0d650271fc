"""好差评 in the workbench: the rectification queue of the staff member's departments, one page per
rectification with its actions, and the review statistics with a chart and an Excel export.

Objects come through `reviews.permissions` (a foreign rectification is a 404), every change is one call
of `reviews.services`, and the reviewer's personal data is shown masked."""

from __future__ import annotations

import io
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from zhengwu.common import clock, filestore
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.metrics.selectors import period_parse
from zhengwu.reviews import choices as c
from zhengwu.reviews import permissions, selectors, services
from zhengwu.workbench.access import staff_required

PAGE_SIZE = 20
STAT_COLUMNS = (
    "reviews",
    "finished",
    "active_rate",
    "good_rate",
    "bad",
    "rectified_rate",
    "on_time_rate",
    "callback_rate",
)
# The workbook carries every figure of the page and the rest of DOMAIN §6's rates.
EXPORT_COLUMNS = (
    "reviews",
    "finished",
    "active_rate",
    "good_rate",
    "bad",
    "bad_rate",
    "rectified_rate",
    "on_time_rate",
    "callback_rate",
    "callback_satisfaction",
    "appeal_upheld_rate",
)


@never_cache
@require_GET
@staff_required
def rectification_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in c.RectificationState.values else ""
    overdue = request.GET.get("overdue") == "1"
    qs = selectors.rectification_list(user=request.user, state=state, overdue=overdue)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "states": c.RectificationState.choices,
        "state": state,
        "overdue": overdue,
    }
    return render(request, "workbench/reviews/list.html", context)


def _rectification_or_404(request: HttpRequest, pk: int):
    try:
        return permissions.rectification_get_for_user(request.user, pk)
    except NotFound as error:
        raise Http404(error.message) from error


def _detail_context(request: HttpRequest, rectification) -> dict:
    return {
        "r": rectification,
        "review": rectification.review,
        "actions": services.rectification_actions_for(request.user, rectification),
        "labels": services.ACTIONS,
        "callback_results": c.CallbackResult.choices,
        "events": rectification.events.all(),
        "files": rectification.files.all(),
        "dimension_labels": c.DIMENSIONS.get(rectification.review.dimension_set, {}),
    }


@never_cache
@require_GET
@staff_required
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rectification = _rectification_or_404(request, pk)
    return render(request, "workbench/reviews/detail.html", _detail_context(request, rectification))


def _run(request: HttpRequest, rectification, action: str):
    post, now, user = request.POST, clock.now(), request.user
    if action == "verify":
        return services.rectification_verify(rectification=rectification, actor=user, now=now)
    if action == "rectify":
        files = [(f.name, f.read()) for f in request.FILES.getlist("files")[:10]]
        return services.rectification_rectify(
            rectification=rectification, actor=user, now=now, measures=post.get("measures", ""), files=files
        )
    if action == "explain":
        return services.rectification_explain(
            rectification=rectification, actor=user, now=now, explanation=post.get("explanation", "")
        )
    if action == "appeal":
        return services.rectification_appeal(
            rectification=rectification, actor=user, now=now, reason=post.get("reason", "")
        )
    if action == "decide_appeal":
        return services.rectification_decide_appeal(
            rectification=rectification,
            actor=user,
            now=now,
            upheld=post.get("upheld") == "1",
            decision=post.get("decision", ""),
        )
    if action == "feed_back":
        return services.rectification_feed_back(
            rectification=rectification, actor=user, now=now, answer=post.get("answer", "")
        )
    if action == "call_back":
        return services.rectification_call_back(
            rectification=rectification,
            actor=user,
            now=now,
            result=post.get("result", ""),
            note=post.get("note", ""),
        )
    return services.rectification_close(rectification=rectification, actor=user, now=now)


@require_POST
@staff_required
def rectification_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in services.ACTIONS:
        raise Http404("操作不存在。")
    rectification = _rectification_or_404(request, pk)
    try:
        _run(request, rectification, action)
    except DomainError as error:
        context = _detail_context(request, _rectification_or_404(request, pk))
        context["error"] = error
        return render(request, "workbench/reviews/detail.html", context, status=error.status_code)
    messages.success(request, f"已{services.ACTIONS[action]}。")
    return redirect("workbench:rectification_detail", pk)


@require_GET
@staff_required
def rectification_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    try:
        file = permissions.rectification_file_get_for_user(request.user, pk, file_id)
    except NotFound as error:
        raise Http404(error.message) from error
    return filestore.download_response(key=file.storage_key, filename=file.original_name, mime=file.mime)


def _stats_query(request: HttpRequest):
    """The unit kind and period asked for (a bad period raises DomainError)."""
    by = request.GET.get("by") or "department"
    by = by if by in selectors.BY else "department"
    period = period_parse(request.GET.get("period") or f"{clock.today():%Y}")
    return by, period


@never_cache
@require_GET
@staff_required
def review_stats(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_stats(request.user):
        return render(request, "workbench/forbidden.html", status=403)
    by = request.GET.get("by") or "department"
    context: dict = {
        "by": by if by in selectors.BY else "department",
        "kinds": selectors.BY,
        "labels": selectors.FIGURE_LABELS,
        "columns": STAT_COLUMNS,
    }
    try:
        by, period = _stats_query(request)
    except DomainError as error:
        context["error"] = error
        return render(request, "workbench/reviews/stats.html", context, status=400)
    figures = selectors.review_stats(by=by, period=period, as_of=clock.today(), user=request.user)
    rows = [
        {"fig": fig, "cells": [_cell(getattr(fig, col)) for col in STAT_COLUMNS]} for fig in figures[:200]
    ]
    total = selectors.review_totals(figures) if by != "region" else None
    chart = {
        "monthly": selectors.review_monthly(period=period, user=request.user),
        "grades": [
            {"name": label, "value": (total.grades.get(int(value), 0) if total else 0)}
            for value, label in c.Grade.choices
        ],
    }
    context.update(
        {
            "period": period,
            "rows": rows,
            "total": total,
            "total_cells": [_cell(getattr(total, col)) for col in STAT_COLUMNS] if total else [],
            "chart": chart,
            "export_query": urlencode({"period": period.label, "by": by}),
        }
    )
    return render(request, "workbench/reviews/stats.html", context)


def _cell(value) -> str:
    return "—" if value is None else str(value)


def _excel_cell(value: Decimal | int | None) -> float | int | str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    return value


@never_cache
@require_GET
@staff_required
def review_stats_export(request: HttpRequest) -> HttpResponse:
    """The statistics table as an Excel workbook: one sheet, Chinese headers (rates in %), every unit of
    the viewer's scope and, except by region (whose subtrees overlap), a 合计 row."""
    if not permissions.can_view_stats(request.user):
        return render(request, "workbench/forbidden.html", status=403)
    try:
        by, period = _stats_query(request)
    except DomainError as error:
        context = {"error": error, "by": "department", "kinds": selectors.BY}
        return render(request, "workbench/reviews/stats.html", context, status=400)
    figures = selectors.review_stats(by=by, period=period, as_of=clock.today(), user=request.user)
    book = Workbook()
    sheet = book.active
    sheet.title = "好差评统计"
    sheet.append([f"好差评统计（{period.label}：{period.start} 至 {period.end}）"])
    sheet["A1"].font = Font(bold=True, size=14)
    header = [
        selectors.BY[by],
        *[
            f"{selectors.FIGURE_LABELS[col]}（%）"
            if col in selectors.RATE_FIELDS
            else selectors.FIGURE_LABELS[col]
            for col in EXPORT_COLUMNS
        ],
    ]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for fig in figures:
        sheet.append([fig.name or "—", *[_excel_cell(getattr(fig, col)) for col in EXPORT_COLUMNS]])
    if by != "region" and figures:
        total = selectors.review_totals(figures)
        sheet.append(["合计", *[_excel_cell(getattr(total, col)) for col in EXPORT_COLUMNS]])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    sheet.append([])
    sheet.append(["申诉成立而作废的评价不计入任何指标；比率单位为 %，分母为 0 时为“—”。"])
    sheet.freeze_panes = "B3"
    sheet.column_dimensions["A"].width = 28
    for index in range(2, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 13
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="reviews-{period.label}-{by}.xlsx"'
    return response


# Included by `workbench/urls.py` below its 好差评 marker (names in the `workbench` namespace).
urlpatterns = [
    path("rectifications/", rectification_list, name="rectification_list"),
    path("rectifications/<int:pk>/", rectification_detail, name="rectification_detail"),
    path(
        "rectifications/<int:pk>/actions/<str:action>/",
        rectification_action,
        name="rectification_action",
    ),
    path("rectifications/<int:pk>/files/<int:file_id>/", rectification_file, name="rectification_file"),
    path("stats/", review_stats, name="review_stats"),
    path("stats/export.xlsx", review_stats_export, name="review_stats_export"),
]
