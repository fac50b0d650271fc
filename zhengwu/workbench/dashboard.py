"""效能监督: the supervision dashboard of the viewer's scope, computed from the metric rollups.

One page: the scope's headline figures, a ranking of the units by the chosen metric (bar chart), its
month-by-month trend, a table of every unit × the key metrics whose counts open the cases behind them
(drill-down), and the open red/yellow cards by department. Any table downloads as Excel. Figures come
from `metrics.selectors`, so the page costs the same for 30 thousand or 10 million cases.
"""

from __future__ import annotations

import io
from decimal import Decimal
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from zhengwu.audit.services import record_export
from zhengwu.cases.selectors import card_list
from zhengwu.common import clock
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.domain import metrics as dm
from zhengwu.metrics import selectors
from zhengwu.metrics.permissions import can_view
from zhengwu.metrics.sources import SOURCES
from zhengwu.organization.models import Region
from zhengwu.workbench.access import staff_required

# The columns of the unit table, in this order.
TABLE = (
    "received",
    "accepted",
    "finished",
    "on_time_rate",
    "overdue",
    "cards_yellow",
    "cards_red",
    "mean_days",
    "actual_speedup",
    "immediate_share",
    "online_rate",
    "supplement_rate",
    "depth3_share",
    "one_visit_share",
    "cross_region_handled",
    "bundle_cases",
    "startup_mean_days",
    # provided by 好差评 and 12345 (`zhengwu.metrics.providers`): one query each per page
    "reviews_good_rate",
    "reviews_bad",
    "hotline_ontime_rate",
    "hotline_satisfaction_rate",
)
HEADLINE = (
    "received",
    "finished",
    "on_time_rate",
    "overdue",
    "cards_red",
    "mean_days",
    "actual_speedup",
    "online_rate",
)
# Counts that open the records behind them.
DRILLABLE = {s.counter for s in SOURCES}


def _allowed(user) -> bool:
    return can_view(user)


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "workbench/forbidden.html", status=403)


def _fmt(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "%":
        return f"{value}%"
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value}"


class _Query:
    """The dashboard's query string, read once and checked."""

    def __init__(self, request: HttpRequest) -> None:
        get = request.GET
        self.period = selectors.period_parse(get.get("period") or str(clock.today().year))
        self.by = get.get("by") or "region"
        if self.by not in selectors.KINDS:
            raise DomainError(
                "invalid", f"统计单位“{self.by}”无效。", {"by": ["请选择区划、部门、窗口或工作人员。"]}
            )
        self.metric = get.get("metric") or "on_time_rate"
        if self.metric not in dm.METRICS:
            raise DomainError("invalid", f"指标“{self.metric}”不存在。", {"metric": ["请选择列表中的指标。"]})
        self.parent: Region | None = None
        if get.get("parent"):
            try:
                unit = selectors.unit_get(user=request.user, kind="region", pk=int(get["parent"]))
            except (ValueError, NotFound):
                raise DomainError(
                    "invalid", "所选区划不存在或不在您的数据范围内。", {"parent": ["区划无效。"]}
                ) from None
            self.parent = Region.objects.get(pk=unit.pk)

    def url(self, **changes: object) -> str:
        params = {"period": self.period.label, "by": self.by, "metric": self.metric}
        if self.parent is not None:
            params["parent"] = str(self.parent.pk)
        params.update({k: str(v) for k, v in changes.items() if v is not None})
        return "?" + urlencode({k: v for k, v in params.items() if v != ""})


def _table(request: HttpRequest, query: _Query):
    units = selectors.units_for(user=request.user, kind=query.by, parent=query.parent)
    codes = sorted(set(TABLE) | set(HEADLINE) | {query.metric}, key=lambda c: list(dm.METRICS).index(c))
    values = selectors.unit_metrics(units, query.period, codes)
    return units, codes, values


def _scope_units(request: HttpRequest, query: _Query, units):
    """What the headline figures and the trend cover: the chosen region, else the viewer's top regions,
    else (a scope of departments only) the listed units."""
    if query.parent is not None:
        return [selectors.region_unit(query.parent)]
    return selectors.top_regions(user=request.user) or units


def _totals(scope, period) -> dict[str, Decimal | None]:
    counts = selectors.unit_counts(scope, period)
    summed: dict[str, int] = {}
    for unit in scope:
        for key, value in counts[unit.key].items():
            summed[key] = summed.get(key, 0) + value
    return dm.evaluate(summed, list(HEADLINE))


@never_cache
@require_GET
@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not _allowed(request.user):
        return _forbidden(request)
    try:
        query = _Query(request)
    except DomainError as error:
        return render(request, "workbench/dashboard/page.html", {"error": error}, status=400)
    units, codes, values = _table(request, query)
    metric = dm.METRICS[query.metric]
    ranked = sorted(
        (u for u in units if values[u.key][query.metric] is not None),
        key=lambda u: values[u.key][query.metric],
        reverse=metric.direction == dm.Direction.HIGHER,
    )
    scope = _scope_units(request, query, units)
    totals = _totals(scope, query.period)
    # The trend stops at this month: the months to come have no figures yet, not zeros.
    shown = dm.Period(query.period.start, min(query.period.end, clock.today()), query.period.label)
    trend = (
        selectors.trend(scope[0], shown, query.metric) if len(scope) == 1 and shown.end >= shown.start else []
    )
    table_codes = [c for c in TABLE if c in codes]
    rows = [
        {
            "unit": unit,
            "child_url": query.url(parent=unit.pk, by="department") if unit.kind == "region" else "",
            "cells": [
                {
                    "value": _fmt(values[unit.key][c], dm.METRICS[c].unit),
                    "drill": _drill_url(query, unit, c),
                }
                for c in table_codes
            ],
        }
        for unit in units
    ]
    open_cards = (
        card_list(user=request.user, open_only=True)
        .values("department__name")
        .annotate(red=Count("id", filter=Q(level="red")), yellow=Count("id", filter=Q(level="yellow")))
        .filter(Q(red__gt=0) | Q(yellow__gt=0))
        .order_by("-red", "-yellow", "department__name")[:15]
    )
    chart = {
        "metric": metric.name,
        "unit": metric.unit,
        "ranking": [{"name": u.name, "value": float(values[u.key][query.metric])} for u in ranked],
        "trend": [{"month": m.strftime("%Y-%m"), "value": None if v is None else float(v)} for m, v in trend],
    }
    context = {
        "query": query,
        "kinds": selectors.KINDS,
        "by_label": selectors.KINDS[query.by],
        "metric": metric,
        "metrics": [m for m in dm.METRICS.values()],
        "headline": [(dm.METRICS[c], _fmt(totals[c], dm.METRICS[c].unit)) for c in HEADLINE],
        "columns": [dm.METRICS[c] for c in table_codes],
        "rows": rows,
        "open_cards": open_cards,
        "chart": chart,
        "export_url": "export.xlsx" + query.url(),
        "up_url": query.url(parent="", by="region") if query.parent is not None else "",
    }
    return render(request, "workbench/dashboard/page.html", context)


def _drill_url(query: _Query, unit, code: str) -> str:
    metric = dm.METRICS[code]
    if metric.kind != dm.Kind.COUNT or metric.numerator not in DRILLABLE:
        return ""
    return "drill/?" + urlencode(
        {"period": query.period.label, "unit": unit.key, "counter": metric.numerator, "metric": code}
    )


@never_cache
@require_GET
@staff_required
def drilldown(request: HttpRequest) -> HttpResponse:
    """The cases behind a count: a unit, a period, a counter; within the viewer's scope."""
    if not _allowed(request.user):
        return _forbidden(request)
    try:
        period = selectors.period_parse(request.GET.get("period", ""))
        kind, _, pk = (request.GET.get("unit") or "").partition(":")
        unit = selectors.unit_get(user=request.user, kind=kind, pk=int(pk or 0))
        counter = request.GET.get("counter", "")
        records = selectors.records_behind(user=request.user, unit=unit, period=period, counter=counter)
    except ValueError:
        raise Http404("统计单位无效。") from None
    except NotFound as error:
        raise Http404(error.message) from error
    except DomainError as error:
        return render(request, "workbench/dashboard/page.html", {"error": error}, status=400)
    metric = dm.METRICS.get(request.GET.get("metric", ""))
    is_bundle = records.model.__name__ == "BundleCase"
    ordered = records.order_by("-id")
    if not is_bundle:
        ordered = ordered.select_related("item", "department")
    page = Paginator(ordered, 30).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "period": period,
        "label": metric.name if metric else counter,
        "page": page,
        "is_bundle": is_bundle,
        "query": urlencode({k: v for k, v in request.GET.items() if k != "page"}),
    }
    return render(request, "workbench/dashboard/drill.html", context)


@never_cache
@require_GET
@staff_required
def export(request: HttpRequest) -> HttpResponse:
    """The unit table as an Excel workbook (one sheet, Chinese headers)."""
    if not _allowed(request.user):
        return _forbidden(request)
    try:
        query = _Query(request)
    except DomainError as error:
        return render(request, "workbench/dashboard/page.html", {"error": error}, status=400)
    units, codes, values = _table(request, query)
    table_codes = [c for c in TABLE if c in codes]
    book = Workbook()
    sheet = book.active
    sheet.title = "效能指标"
    sheet.append([f"效能指标（{query.period.label}：{query.period.start} 至 {query.period.end}）"])
    sheet["A1"].font = Font(bold=True, size=14)
    header = [
        selectors.KINDS[query.by],
        *[f"{dm.METRICS[c].name}（{dm.METRICS[c].unit}）" for c in table_codes],
    ]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for unit in units:
        sheet.append([unit.name, *[_cell(values[unit.key][c]) for c in table_codes]])
    sheet.freeze_panes = "B3"
    sheet.column_dimensions["A"].width = 28
    for index in range(2, len(header) + 1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = 14
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="metrics-{query.period.label}-{query.by}.xlsx"'
    record_export(request, "效能监督统计表", rows=len(units), period=query.period.label, by=query.by)
    return response


def _cell(value: Decimal | None) -> float | int | str:
    if value is None:
        return "—"
    return int(value) if value == value.to_integral() else float(value)
