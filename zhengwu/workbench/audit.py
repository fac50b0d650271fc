"""审计日志 in the workbench, for the audit administrator alone (三员): the filtered, paginated list of audit
records and its CSV export (itself audited). Nothing here changes a record: the table is append-only.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from zhengwu.audit.actions import FAMILIES, LABELS, label
from zhengwu.audit.exports import CSV_HEADERS, csv_values
from zhengwu.audit.models import AuditEvent, AuditResult
from zhengwu.audit.permissions import can_view_audit
from zhengwu.audit.selectors import audit_event_list
from zhengwu.audit.services import record_export
from zhengwu.common import clock
from zhengwu.common.errors import DomainError
from zhengwu.workbench.access import staff_required

PAGE_SIZE = 50
FILTER_FIELDS = ("since", "until", "actor", "action", "object", "result")


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "workbench/audit/forbidden.html", status=403)


def _date(value: str, field: str, label_text: str) -> dt.datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise DomainError(
            "invalid_date", f"{label_text}格式应为 YYYY-MM-DD。", {field: [f"{label_text}无效。"]}
        ) from None
    return dt.datetime.combine(day, dt.time(), tzinfo=clock.LOCAL_TZ)


def _filters(request: HttpRequest) -> tuple[dict[str, str], dict[str, Any]]:
    """The form values as typed, and the selector arguments (DomainError on a bad date or result)."""
    form = {name: (request.GET.get(name) or "").strip()[:100] for name in FILTER_FIELDS}
    since = _date(form["since"], "since", "起始日期")
    until = _date(form["until"], "until", "截止日期")
    if until is not None:
        until += dt.timedelta(days=1)  # the end date is included
    if form["result"] and form["result"] not in AuditResult.values:
        raise DomainError("invalid", "结果无效。", {"result": ["应为成功、失败或拒绝。"]})
    return form, {
        "since": since,
        "until": until,
        "actor": form["actor"],
        "action": form["action"],
        "object_text": form["object"],
        "result": form["result"],
    }


def _action_choices() -> list[tuple[str, str]]:
    families = [(code, f"{text}（全部）") for code, text in FAMILIES.items()]
    return families + sorted(LABELS.items())


@never_cache
@require_GET
@staff_required
def event_list(request: HttpRequest) -> HttpResponse:
    if not can_view_audit(request.user):
        return _forbidden(request)
    error = None
    try:
        form, arguments = _filters(request)
        qs = audit_event_list(**arguments)
    except DomainError as error_:
        error = error_
        form = {name: (request.GET.get(name) or "").strip()[:100] for name in FILTER_FIELDS}
        qs = AuditEvent.objects.none()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(event, label(event.action)) for event in page.object_list]
    query = urlencode({k: v for k, v in form.items() if v})
    context = {
        "page": page,
        "rows": rows,
        "form": form,
        "error": error,
        "query": query,
        "action_choices": _action_choices(),
        "result_choices": AuditResult.choices,
    }
    return render(request, "workbench/audit/list.html", context, status=400 if error else 200)


@never_cache
@require_GET
@staff_required
def event_export(request: HttpRequest) -> HttpResponse:
    if not can_view_audit(request.user):
        return _forbidden(request)
    try:
        form, arguments = _filters(request)
    except DomainError as error:
        context = {
            "page": Paginator(AuditEvent.objects.none(), PAGE_SIZE).get_page(1),
            "rows": [],
            "form": {name: (request.GET.get(name) or "").strip()[:100] for name in FILTER_FIELDS},
            "error": error,
            "query": "",
            "action_choices": _action_choices(),
            "result_choices": AuditResult.choices,
        }
        return render(request, "workbench/audit/list.html", context, status=400)
    qs = audit_event_list(**arguments)
    record_export(request, "审计日志", filters={k: v for k, v in form.items() if v}, rows=qs.count())

    class _Echo:
        def write(self, value: str) -> str:
            return value

    def lines() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(CSV_HEADERS)
        for event in qs.iterator(chunk_size=2000):
            yield writer.writerow(csv_values(event))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = clock.now().astimezone(clock.LOCAL_TZ).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = content_disposition_header(True, f"审计日志-{stamp}.csv")
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("", event_list, name="audit_list"),
    path("export.csv", event_export, name="audit_export"),
]
