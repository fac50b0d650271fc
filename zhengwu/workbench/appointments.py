"""预约 in the workbench: the day's appointments of the staff member's halls with their status and a
check-in button, and booking on behalf of a walk-in or phone caller.

Halls and appointments come through `appointments.permissions` / the scoped selectors (a hall or an
appointment outside the scope is a 404); every change is one call of `appointments.services`; names and
phone numbers are shown masked."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengwu.appointments import permissions, selectors, services
from zhengwu.appointments.choices import Channel, Status
from zhengwu.common import clock
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.workbench.access import staff_required

PAGE_LIMIT = 300


def _date(raw: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


def _int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


@never_cache
@require_GET
@staff_required
def appointment_list(request: HttpRequest) -> HttpResponse:
    """The appointments of one day (default today) in the staff member's halls."""
    day = _date(request.GET.get("date"), clock.today())
    halls = list(selectors.staff_hall_list(request.user))
    hall_id = _int(request.GET.get("hall"))
    status = request.GET.get("status", "") if request.GET.get("status") in Status.values else ""
    appointments = list(
        selectors.appointment_list_for_staff(request.user, day=day, hall_id=hall_id, status=status)[
            :PAGE_LIMIT
        ]
    )
    context = {
        "day": day,
        "halls": halls,
        "hall_id": hall_id,
        "status": status,
        "statuses": Status.choices,
        "appointments": appointments,
        "today": clock.today(),
    }
    return render(request, "appointments/workbench/list.html", context)


def _staff_appointment_or_404(request: HttpRequest, number: str):
    try:
        return permissions.appointment_get_for_staff(request.user, number)
    except NotFound as error:
        raise Http404(error.message) from error


@require_POST
@staff_required
def appointment_check_in(request: HttpRequest, number: str) -> HttpResponse:
    appointment = _staff_appointment_or_404(request, number)
    try:
        appointment = services.appointment_check_in(
            appointment=appointment, actor=request.user, now=clock.now()
        )
    except DomainError as error:
        if request.headers.get("HX-Request"):
            return render(request, "appointments/workbench/_row.html", {"a": appointment, "error": error})
        messages.error(request, f"{appointment.number}：{error.message}")
    else:
        if request.headers.get("HX-Request"):
            return render(request, "appointments/workbench/_row.html", {"a": appointment})
        messages.success(request, f"{appointment.number} 已签到，排队号 {appointment.queue_ticket.number}。")
    return redirect(f"{reverse('workbench:appointment_list')}?date={appointment.date:%Y-%m-%d}")


@require_POST
@staff_required
def appointment_cancel(request: HttpRequest, number: str) -> HttpResponse:
    appointment = _staff_appointment_or_404(request, number)
    try:
        services.appointment_cancel(appointment=appointment, actor=request.user, now=clock.now())
    except DomainError as error:
        messages.error(request, f"{appointment.number}：{error.message}")
    else:
        messages.success(request, f"预约 {appointment.number} 已取消。")
    return redirect(f"{reverse('workbench:appointment_list')}?date={appointment.date:%Y-%m-%d}")


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def appointment_book(request: HttpRequest) -> HttpResponse:
    """Book for a walk-in or phone caller: hall → item → date → slot, name and mobile number."""
    source = request.POST if request.method == "POST" else request.GET
    halls = list(selectors.staff_hall_list(request.user))
    hall_id = _int(source.get("hall"))
    hall = next((h for h in halls if h.pk == hall_id), None)
    if hall_id and hall is None:
        raise Http404("大厅不存在或不在您的数据范围内。")
    items, days, slots, item, day = [], [], [], None, None
    now = clock.now()
    error = None
    if hall is not None:
        items = list(selectors.hall_item_list(hall))
        item = next((i for i in items if str(i.pk) == source.get("item", "")), None)
    if item is not None:
        try:
            days = selectors.day_availability(hall, item, now=now)
        except DomainError as problem:
            error = problem
        day = _date(source.get("date"), days[0].date if days else clock.today()) if days else None
        if day is not None:
            slots = selectors.slot_availability(hall, item, day, now=now)
    context = {
        "halls": halls,
        "hall": hall,
        "items": items,
        "item": item,
        "days": days,
        "day": day,
        "slots": slots,
        "slot": source.get("slot", ""),
        "name": source.get("name", ""),
        "phone": source.get("phone", ""),
        "error": error,
    }
    if request.method == "POST" and hall is not None and item is not None:
        try:
            slot_start = dt.time.fromisoformat(source.get("slot", ""))
        except ValueError:
            context["error"] = DomainError("invalid", "请选择预约时段。", {"slot": ["请选择预约时段。"]})
            return render(request, "appointments/workbench/book.html", context, status=400)
        try:
            appointment = services.appointment_book(
                hall=hall,
                item=item,
                day=day or clock.today(),
                slot_start=slot_start,
                name=source.get("name", ""),
                phone=source.get("phone", ""),
                channel=Channel.HALL,
                actor=request.user,
                now=now,
            )
        except DomainError as problem:
            context["error"] = problem
            return render(request, "appointments/workbench/book.html", context, status=problem.status_code)
        messages.success(
            request,
            f"已为 {appointment.name_masked} 预约 {appointment.date:%m月%d日} {appointment.slot_label}，"
            f"预约号 {appointment.number}。",
        )
        return redirect(f"{reverse('workbench:appointment_list')}?date={appointment.date:%Y-%m-%d}")
    return render(request, "appointments/workbench/book.html", context)


# Included by `workbench/urls.py` under "appointments/" (names in the `workbench` namespace).
urlpatterns = [
    path("", appointment_list, name="appointment_list"),
    path("book/", appointment_book, name="appointment_book"),
    path("<str:number>/check-in/", appointment_check_in, name="appointment_check_in"),
    path("<str:number>/cancel/", appointment_cancel, name="appointment_cancel"),
]
