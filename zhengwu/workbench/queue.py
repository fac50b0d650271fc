"""The window console (叫号) of the workbench, and the hall managers' view of their halls' queues.

- A clerk assigned to a window (`User.window`) calls the next number of the window's groups, recalls,
  passes over (过号), transfers to another group, opens the window intake for the person (开始受理 →
  `cases/intake/?ticket=`, which links the created case to the ticket) and finishes; after a ticket
  with a case is finished the console offers the window rating pad (一次一评).
- A hall manager (部门负责人/监管员 with the hall in scope) sees every ticket of the day of the hall.
- Anybody else: 403 without a window, 404 for another hall's ticket or hall.

Each action form carries the ticket `version` it was drawn from; a stale click conflicts (409).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from zhengwu.common import clock
from zhengwu.common.errors import DomainError, NotFound, PermissionDenied
from zhengwu.queueing import permissions, selectors, services
from zhengwu.queueing.models import WindowGroup
from zhengwu.workbench.access import staff_required

ACTIONS = ("recall", "skip", "transfer", "start", "finish", "cancel")


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _console(request: HttpRequest, *, error: DomainError | None = None) -> HttpResponse:
    try:
        window = permissions.operated_window(request.user)
    except PermissionDenied as refused:
        halls = list(permissions.managed_halls(request.user))
        if halls:
            return render(request, "queueing/halls.html", {"halls": halls})
        return render(request, "queueing/no_window.html", {"error": refused}, status=403)
    console = selectors.window_console(window=window, now=clock.now())
    context = {"console": console, "error": error}
    if _is_htmx(request) and request.GET.get("part") == "line":
        return render(request, "queueing/_console_line.html", context)
    return render(request, "queueing/console.html", context, status=error.status_code if error else 200)


@never_cache
@staff_required
@require_GET
def console(request: HttpRequest) -> HttpResponse:
    return _console(request)


@never_cache
@staff_required
@require_POST
def call_next(request: HttpRequest) -> HttpResponse:
    try:
        window = permissions.operated_window(request.user)
        ticket = services.ticket_call_next(window=window, staff=request.user, now=clock.now())
    except DomainError as error:
        return _console(request, error=error)
    if ticket is None:
        messages.info(request, "当前没有等候的号。")
    else:
        messages.success(request, f"已叫号 {ticket.number}，请到 {window.number} 号窗口。")
    return redirect("workbench:queue_console")


def _version(request: HttpRequest) -> int | None:
    raw = (request.POST.get("version") or "").strip()
    return int(raw) if raw.isdecimal() else None


@never_cache
@staff_required
@require_POST
def ticket_action(request: HttpRequest, ticket_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("没有该操作。")
    try:
        ticket = permissions.ticket_get_for_user(request.user, ticket_id)
    except NotFound as error:
        raise Http404(error.message) from error
    now, user, version = clock.now(), request.user, _version(request)
    back = request.POST.get("back") == "hall"
    try:
        if action == "recall":
            services.ticket_recall(ticket=ticket, staff=user, now=now, version=version)
        elif action == "skip":
            ticket = services.ticket_skip(ticket=ticket, staff=user, now=now, version=version)
            if ticket.status == "no_show":
                messages.info(request, f"{ticket.number} 多次呼叫未到，已记为过号未到。")
        elif action == "transfer":
            code = (request.POST.get("to_group") or "").strip()
            group = WindowGroup.objects.filter(
                hall=ticket.hall_id, is_active=True, pk=code if code.isdecimal() else 0
            ).first()
            if group is None:
                raise DomainError(
                    "invalid", "请选择要转入的窗口组。", {"to_group": ["请选择要转入的窗口组。"]}
                )
            services.ticket_transfer(ticket=ticket, to_group=group, actor=user, now=now, version=version)
            messages.success(request, f"{ticket.number} 已转到 {group.name}，按原取号时间排队。")
        elif action == "start":
            ticket = services.ticket_start_serving(ticket=ticket, staff=user, now=now, version=version)
            query = {"ticket": ticket.pk}
            if ticket.item_id:
                query["item"] = ticket.item.implementation_code
            return redirect(reverse("workbench:case_intake") + "?" + urlencode(query))
        elif action == "finish":
            services.ticket_finish(ticket=ticket, staff=user, now=now, version=version)
        elif action == "cancel":
            services.ticket_cancel(ticket=ticket, actor=user, now=now, version=version)
    except DomainError as error:
        if back and permissions.can_manage_hall(user, ticket.hall):
            return _hall_page(request, ticket.hall, error=error)
        return _console(request, error=error)
    if back:
        return redirect("workbench:queue_hall", hall_id=ticket.hall_id)
    return redirect("workbench:queue_console")


def _hall_page(request: HttpRequest, hall, *, error: DomainError | None = None) -> HttpResponse:
    today = clock.today()
    context = {
        "hall": hall,
        "tickets": list(selectors.hall_tickets(hall=hall, day=today)),
        "groups": list(selectors.group_list(hall=hall)),
        "day": today,
        "error": error,
        "manager": permissions.can_manage_hall(request.user, hall),
    }
    return render(request, "queueing/hall.html", context, status=error.status_code if error else 200)


@never_cache
@staff_required
@require_GET
def hall(request: HttpRequest, hall_id: int) -> HttpResponse:
    """Every ticket of today of a hall the user works in or manages."""
    try:
        found = permissions.hall_get_for_staff(request.user, hall_id)
    except NotFound as error:
        raise Http404(error.message) from error
    return _hall_page(request, found)


# Included by `workbench/urls.py` below its 取号叫号 marker (names in the `workbench` namespace).
urlpatterns = [
    path("", console, name="queue_console"),
    path("call-next/", call_next, name="queue_call_next"),
    path("tickets/<int:ticket_id>/<str:action>/", ticket_action, name="queue_ticket_action"),
    path("halls/<int:hall_id>/", hall, name="queue_hall"),
]
