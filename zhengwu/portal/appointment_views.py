"""预约 at the portal (phone first): choose an item → a hall → a date → a slot → confirm (signed-in
citizen) → the confirmation with the number and its QR; "my appointments" with cancel; and the hall
kiosk's check-in page.

Every write is one call of `appointments.services`; an appointment is fetched through
`appointments.permissions` (someone else's is a 404). Refusals are shown with their Chinese reason
next to the field they concern."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengwu.appointments import permissions, selectors, services
from zhengwu.appointments.choices import Channel
from zhengwu.catalog.models import ServiceItem
from zhengwu.common import clock, ratelimit
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.common.qr import qr_svg
from zhengwu.organization.models import ServiceHall
from zhengwu.portal.case_views import citizen_required

KIOSK_LIMIT_PER_MINUTE = 20


def _item_or_404(code: str) -> ServiceItem:
    item = selectors.appointment_item_list().filter(implementation_code=code).first()
    if item is None:
        raise Http404("事项不存在或不支持预约。")
    return item


def _hall_or_404(item: ServiceItem, hall_id: int) -> ServiceHall:
    hall = selectors.item_hall_list(item).filter(pk=hall_id).first()
    if hall is None:
        raise Http404("该大厅不办理此事项的预约。")
    return hall


def _parse_date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError:
        return None


def _parse_time(raw: str | None) -> dt.time | None:
    try:
        return dt.time.fromisoformat(raw or "")
    except ValueError:
        return None


@require_GET
def item_choose(request: HttpRequest) -> HttpResponse:
    """Step 1: the items that take appointments."""
    search = request.GET.get("q", "").strip()[:50]
    items = selectors.appointment_item_list(search=search)[:100]
    return render(request, "appointments/portal/items.html", {"items": items, "search": search})


@require_GET
def hall_choose(request: HttpRequest, code: str) -> HttpResponse:
    """Step 2: the halls where the item can be booked."""
    item = _item_or_404(code)
    halls = list(selectors.item_hall_list(item))
    return render(request, "appointments/portal/halls.html", {"item": item, "halls": halls})


@require_GET
def slot_choose(request: HttpRequest, code: str, hall_id: int) -> HttpResponse:
    """Steps 3 and 4: working days with their remaining places, then the slots of the chosen day."""
    item = _item_or_404(code)
    hall = _hall_or_404(item, hall_id)
    now = clock.now()
    try:
        days = selectors.day_availability(hall, item, now=now)
    except DomainError as error:  # no working-day calendar entered
        return render(request, "appointments/portal/slots.html", {"item": item, "hall": hall, "error": error})
    chosen = _parse_date(request.GET.get("date"))
    error = None
    if request.GET.get("date") and chosen not in {day.date for day in days}:
        error = DomainError("invalid", "所选日期不可预约。", {"date": ["请从下列可预约日期中选择。"]})
        chosen = None
    slots = selectors.slot_availability(hall, item, chosen, now=now) if chosen else []
    context = {"item": item, "hall": hall, "days": days, "chosen": chosen, "slots": slots, "error": error}
    return render(request, "appointments/portal/slots.html", context, status=400 if error else 200)


@citizen_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, code: str, hall_id: int) -> HttpResponse:
    """Step 5: confirm the slot with one's name and mobile number (prefilled from the account)."""
    item = _item_or_404(code)
    hall = _hall_or_404(item, hall_id)
    source = request.POST if request.method == "POST" else request.GET
    day, slot = _parse_date(source.get("date")), _parse_time(source.get("slot"))
    applicant = request.user.applicant
    context = {
        "item": item,
        "hall": hall,
        "day": day,
        "slot": slot,
        "name": request.POST.get("name", applicant.name),
        "phone": request.POST.get("phone", applicant.phone or request.user.phone),
    }
    if day is None or slot is None:
        context["error"] = DomainError("invalid", "请先选择预约日期和时段。", {"slot": ["请选择预约时段。"]})
        return render(request, "appointments/portal/confirm.html", context, status=400)
    if request.method == "POST":
        try:
            appointment = services.appointment_book(
                hall=hall,
                item=item,
                day=day,
                slot_start=slot,
                name=request.POST.get("name", ""),
                phone=request.POST.get("phone", ""),
                channel=Channel.ONLINE,
                actor=request.user,
                now=clock.now(),
            )
        except DomainError as error:
            context["error"] = error
            return render(request, "appointments/portal/confirm.html", context, status=error.status_code)
        return redirect("portal:my_appointment", number=appointment.number)
    return render(request, "appointments/portal/confirm.html", context)


@citizen_required
@require_GET
def my_appointments(request: HttpRequest) -> HttpResponse:
    appointments = list(selectors.appointment_list_for_citizen(request.user)[:100])
    block = selectors.active_block(request.user, today=clock.today())
    now = clock.now()
    for appointment in appointments:
        appointment.cancellable = appointment.can_cancel(now)
    return render(request, "appointments/portal/my_list.html", {"appointments": appointments, "block": block})


def _own_or_404(request: HttpRequest, number: str):
    try:
        return permissions.appointment_get_for_citizen(request.user, number)
    except NotFound as error:
        raise Http404(error.message) from error


@citizen_required
@require_GET
def my_appointment(request: HttpRequest, number: str) -> HttpResponse:
    """The confirmation: number, QR of the number (shown at the kiosk), time, place, what to bring."""
    appointment = _own_or_404(request, number)
    context = {
        "appointment": appointment,
        "qr": qr_svg(appointment.number, scale=5),
        "cancellable": appointment.can_cancel(clock.now()),
        "config": selectors.hall_settings(appointment.hall),
    }
    return render(request, "appointments/portal/detail.html", context)


@citizen_required
@require_POST
def my_appointment_cancel(request: HttpRequest, number: str) -> HttpResponse:
    appointment = _own_or_404(request, number)
    try:
        services.appointment_cancel(appointment=appointment, actor=request.user, now=clock.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"预约 {appointment.number} 已取消。")
    return redirect("portal:my_appointments")


@never_cache
@login_required(login_url="workbench:login")
@require_http_methods(["GET", "POST"])
def kiosk_check_in(request: HttpRequest, hall_id: int) -> HttpResponse:
    """The hall kiosk (signed in as a staff member of the hall): enter or scan the appointment number →
    the queue number. Rate-limited per kiosk account; an unknown number and a number of another hall
    get the same answer."""
    try:
        hall = permissions.hall_get_for_staff(request.user, hall_id)
    except NotFound as error:
        raise Http404(error.message) from error
    context: dict = {"hall": hall}
    if request.method == "POST":
        number = request.POST.get("number", "").strip().upper()[:40]
        context["number"] = number
        if not ratelimit.allow("appointment-checkin", str(request.user.pk), limit=KIOSK_LIMIT_PER_MINUTE):
            context["error"] = DomainError("rate_limited", "操作过于频繁，请稍后再试。")
            return render(request, "appointments/kiosk.html", context, status=429)
        appointment = (
            selectors.appointment_list_for_staff(request.user, hall_id=hall.pk).filter(number=number).first()
            if number
            else None
        )
        if appointment is None:
            message = "未找到该预约号，请核对后重新输入。" if number else "请输入或扫描预约号。"
            context["error"] = DomainError("not_found", message, {"number": [message]})
            return render(request, "appointments/kiosk.html", context, status=404 if number else 400)
        try:
            appointment = services.appointment_check_in(
                appointment=appointment, actor=request.user, now=clock.now()
            )
        except DomainError as error:
            context["error"] = error
            return render(request, "appointments/kiosk.html", context, status=error.status_code)
        context.update(appointment=appointment, ticket=appointment.queue_ticket, number="")
    return render(request, "appointments/kiosk.html", context)


def booking_url(item: ServiceItem) -> str:
    return reverse("portal:appointment_halls", args=[item.implementation_code])


# Included by `portal/urls.py` (names in the `portal` namespace).
urlpatterns = [
    path("appointments/", item_choose, name="appointment_items"),
    path("appointments/<str:code>/", hall_choose, name="appointment_halls"),
    path("appointments/<str:code>/<int:hall_id>/", slot_choose, name="appointment_slots"),
    path("appointments/<str:code>/<int:hall_id>/confirm/", confirm, name="appointment_confirm"),
    path("my/appointments/", my_appointments, name="my_appointments"),
    path("my/appointments/<str:number>/", my_appointment, name="my_appointment"),
    path("my/appointments/<str:number>/cancel/", my_appointment_cancel, name="my_appointment_cancel"),
    path("hall/<int:hall_id>/checkin/", kiosk_check_in, name="hall_check_in"),
]
