"""Public hall queue pages (取号叫号): the kiosk, phone take-a-number, the ticket slip, the phone
progress page and the hall display board.

No sign-in and no personal data: a ticket is a number, a class and an unguessable token; the board
shows numbers only. Taking a number by phone is rate-limited per address; the kiosk, a hall device,
has a looser limit. Views only translate: `zhengwu.queueing.services` issues, selectors compute.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from zhengwu.common import clock, ratelimit
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.common.qr import qr_svg
from zhengwu.queueing import permissions, selectors, services
from zhengwu.queueing.choices import TicketPriority, TicketSource, TicketStatus

PHONE_TAKES_PER_10_MINUTES = 5
KIOSK_TAKES_PER_MINUTE = 60
PAGE_VIEWS_PER_MINUTE = 120
# What a citizen may choose; 预约 comes only from appointment check-in.
# 普通 first: it is checked by default.
SELF_CLASSES = sorted(
    [(v, label) for v, label in TicketPriority.choices if v != TicketPriority.APPOINTMENT],
    key=lambda choice: choice[0] != TicketPriority.NORMAL,
)


def _ip(request: HttpRequest) -> str:
    return ratelimit.client_ip(request)  # behind the trusted proxy, the citizen's address, not the proxy's


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _hall(hall_id: int):
    try:
        return permissions.hall_get_public(hall_id)
    except NotFound as error:
        raise Http404(error.message) from error


def _ticket(token: str):
    try:
        return permissions.ticket_get_by_token(token)
    except NotFound as error:
        raise Http404(error.message) from error


def _too_many(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    context["error"] = DomainError("rate_limited", "取号过于频繁，请稍后再试或到大厅取号机取号。")
    return render(request, template, context, status=429)


def _issue(request: HttpRequest, hall, *, source: str):
    """Issue from the posted group and class; DomainError on bad input."""
    code = (request.POST.get("group") or "").strip()[:8]
    if not code:
        raise DomainError("invalid", "请选择办理业务。", {"group": ["请选择办理业务。"]})
    try:
        group = permissions.group_get_in_hall(hall, code)
    except NotFound:
        raise DomainError(
            "invalid", "所选业务不存在或已停用。", {"group": ["所选业务不存在或已停用。"]}
        ) from None
    priority = (request.POST.get("priority") or TicketPriority.NORMAL).strip()
    if priority not in dict(SELF_CLASSES):
        raise DomainError("invalid", "优先类别无效。", {"priority": ["请选择普通、老年人优先或残疾人优先。"]})
    return services.ticket_issue(hall=hall, group=group, priority=priority, source=source, now=clock.now())


def _take_context(request: HttpRequest, hall) -> dict:
    return {
        "hall": hall,
        "groups": list(selectors.group_list(hall=hall)),
        "classes": SELF_CLASSES,
        "take_qr": qr_svg(request.build_absolute_uri(reverse("portal:queue_take", args=[hall.pk])), scale=4),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, hall_id: int) -> HttpResponse:
    """The hall's take-a-number machine: big buttons per group, the priority choice, a printed slip."""
    hall = _hall(hall_id)
    context = _take_context(request, hall)
    if request.method == "POST":
        if not ratelimit.allow("queue_kiosk", _ip(request), limit=KIOSK_TAKES_PER_MINUTE):
            return _too_many(request, "queueing/kiosk.html", context)
        try:
            ticket = _issue(request, hall, source=TicketSource.KIOSK)
        except DomainError as error:
            context["error"] = error
            return render(request, "queueing/kiosk.html", context, status=error.status_code)
        return redirect("portal:queue_slip", token=ticket.token)
    return render(request, "queueing/kiosk.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def take(request: HttpRequest, hall_id: int) -> HttpResponse:
    """What the hall QR code opens: take a number on the phone, then follow it."""
    hall = _hall(hall_id)
    context = _take_context(request, hall)
    if request.method == "POST":
        if not ratelimit.allow("queue_phone", _ip(request), limit=PHONE_TAKES_PER_10_MINUTES, period=600):
            return _too_many(request, "queueing/take.html", context)
        try:
            ticket = _issue(request, hall, source=TicketSource.PHONE)
        except DomainError as error:
            context["error"] = error
            return render(request, "queueing/take.html", context, status=error.status_code)
        return redirect("portal:queue_ticket", token=ticket.token)
    return render(request, "queueing/take.html", context)


def _progress_context(request: HttpRequest, ticket) -> dict:
    return {
        "ticket": ticket,
        "progress": selectors.ticket_progress(ticket, clock.now()),
        "ticket_qr": qr_svg(request.build_absolute_uri(reverse("portal:queue_ticket", args=[ticket.token]))),
        "open": ticket.status in (TicketStatus.WAITING, TicketStatus.CALLED),
    }


@never_cache
@require_http_methods(["GET"])
def slip(request: HttpRequest, token: str) -> HttpResponse:
    """The printed slip (取号凭条): number, business, people ahead, estimate, QR to the phone page."""
    return render(request, "queueing/slip.html", _progress_context(request, _ticket(token)))


@never_cache
@require_http_methods(["GET"])
def ticket_progress(request: HttpRequest, token: str) -> HttpResponse:
    """The phone page; htmx polls its fragment every few seconds."""
    if not ratelimit.allow("queue_progress", _ip(request), limit=PAGE_VIEWS_PER_MINUTE):
        return HttpResponse(
            "查询过于频繁，请稍后刷新。", status=429, content_type="text/plain; charset=utf-8"
        )
    context = _progress_context(request, _ticket(token))
    template = "queueing/_progress.html" if _is_htmx(request) else "queueing/progress.html"
    return render(request, template, context)


@require_POST
def ticket_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The holder gives up the number (no sign-in: the token is the proof)."""
    ticket = _ticket(token)
    try:
        services.ticket_cancel(ticket=ticket, now=clock.now())
    except DomainError as error:
        context = _progress_context(request, ticket)
        context["error"] = error
        return render(request, "queueing/progress.html", context, status=error.status_code)
    return redirect("portal:queue_ticket", token=token)


@never_cache
@require_http_methods(["GET"])
def board(request: HttpRequest, hall_id: int) -> HttpResponse:
    """The large screen of the hall: current call per window, next numbers per group; numbers only."""
    hall = _hall(hall_id)
    context = {"board": selectors.hall_board(hall=hall, now=clock.now())}
    if _is_htmx(request):
        return render(request, "queueing/_board.html", context)
    take_url = request.build_absolute_uri(reverse("portal:queue_take", args=[hall.pk]))
    context["take_qr"] = qr_svg(take_url, scale=5)
    return render(request, "queueing/board.html", context)


# Included by `portal/urls.py` below its 取号叫号 marker (names in the `portal` namespace).
urlpatterns = [
    path("hall/<int:hall_id>/kiosk/", kiosk, name="queue_kiosk"),
    path("hall/<int:hall_id>/take/", take, name="queue_take"),
    path("hall/<int:hall_id>/board/", board, name="queue_board"),
    path("hall/ticket/<str:token>/", ticket_progress, name="queue_ticket"),
    path("hall/ticket/<str:token>/slip/", slip, name="queue_slip"),
    path("hall/ticket/<str:token>/cancel/", ticket_cancel, name="queue_cancel"),
]
