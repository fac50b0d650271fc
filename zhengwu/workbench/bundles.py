"""一件事 in the workbench: the bundle cases whose children the staff member handles or received, one
page per bundle case with its children, stages and time against the targets, and the two window
actions (一次受理 of every child in intake; starting the next stage by hand)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from zhengwu.bundles import services
from zhengwu.bundles.choices import BundleKind, BundleStatus
from zhengwu.bundles.permissions import bundle_case_get_for_user
from zhengwu.bundles.selectors import bundle_case_list_for_staff, bundle_case_state, child_due
from zhengwu.cases.services import INTAKE_ROLES
from zhengwu.common import clock
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.domain.case_flow import INTAKE
from zhengwu.workbench.access import staff_required

PAGE_SIZE = 20
ACTIONS = {"accept": "一次受理全部子办件", "advance": "启动下一阶段"}


@never_cache
@require_GET
@staff_required
def bundle_case_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in BundleKind.values else ""
    search = (request.GET.get("q") or "").strip()[:40]
    qs = bundle_case_list_for_staff(user=request.user, kind=kind, search=search)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = clock.today()
    rows = [(bundle_case, bundle_case_state(bundle_case, today=today)) for bundle_case in page]
    context = {"page": page, "rows": rows, "kinds": BundleKind.choices, "kind": kind, "search": search}
    return render(request, "workbench/bundles/list.html", context)


def _chart(state, today) -> dict:
    """The stages on the case-clock timeline: a bar per stage from its start to its end (today while
    open), its target date as the due date; and the whole bundle against its target."""
    timing = state.timing
    rows = []
    if timing.target is not None:
        rows.append(
            {
                "label": f"全流程（目标 {timing.target} 个工作日）",
                "start": timing.submitted.isoformat(),
                "end": max(timing.finished or today, timing.target_date).isoformat(),
                "due": timing.target_date.isoformat(),
                "status": "stopped" if timing.finished else "running",
                "statusLabel": f"已用 {timing.used} 个工作日",
                "provisional": False,
                "pauses": [],
            }
        )
    for stage in timing.stages:
        if stage.started is None:
            continue
        rows.append(
            {
                "label": stage.name,
                "start": stage.started.isoformat(),
                "end": (stage.finished or today).isoformat(),
                "due": None,
                "status": "stopped" if stage.finished else "running",
                "statusLabel": f"已用 {stage.used} 个工作日"
                + (f"，目标 {stage.target} 个工作日" if stage.target is not None else ""),
                "provisional": False,
                "pauses": [],
            }
        )
    return {"today": today.isoformat(), "rows": rows}


def _detail_context(request: HttpRequest, bundle_case) -> dict:
    today = clock.today()
    state = bundle_case_state(bundle_case, today=today)
    user = request.user
    window = user.has_role(*INTAKE_ROLES) or user.is_superuser
    actions = []
    if window and any(child.case.status in INTAKE for child in state.children):
        actions.append(("accept", ACTIONS["accept"]))
    if window and state.status == BundleStatus.WAITING_NEXT_STAGE:
        actions.append(("advance", ACTIONS["advance"]))
    rows = [{"child": child, "case": child.case, "due": child_due(child.case)} for child in state.children]
    return {
        "bundle_case": bundle_case,
        "state": state,
        "rows": rows,
        "actions": actions,
        "chart": _chart(state, today),
    }


@never_cache
@require_GET
@staff_required
def bundle_case_detail(request: HttpRequest, number: str) -> HttpResponse:
    try:
        bundle_case = bundle_case_get_for_user(request.user, number)
    except NotFound as error:
        raise Http404(error.message) from error
    return render(request, "workbench/bundles/detail.html", _detail_context(request, bundle_case))


@require_POST
@staff_required
def bundle_case_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("操作不存在。")
    try:
        bundle_case = bundle_case_get_for_user(request.user, number)
    except NotFound as error:
        raise Http404(error.message) from error
    now = clock.now()
    try:
        if action == "accept":
            services.bundle_case_accept_all(bundle_case=bundle_case, actor=request.user, now=now)
            messages.success(request, "已一次受理该一件事的全部待受理子办件。")
        else:
            started = services.bundle_case_start_next_stage(
                bundle_case=bundle_case, actor=request.user, now=now
            )
            messages.success(request, f"已启动下一阶段：{'、'.join(c.item.name for c in started)}。")
    except DomainError as error:
        context = _detail_context(request, bundle_case)
        context["error"] = error
        return render(request, "workbench/bundles/detail.html", context, status=error.status_code)
    return redirect("workbench:bundle_case_detail", number)
