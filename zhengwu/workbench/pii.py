"""The "查看完整信息" action of the workbench case page (DOMAIN.md §11, SECURITY.md row 19).

POST only, with a field and a reason; the answer holds the full value of that one field and is never
cached. Who may reveal and the audit trail are `zhengwu.cases.pii`'s; a case outside the user's scope is
the same 404 as a missing one.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhengwu.cases import pii
from zhengwu.cases.permissions import case_get_for_user
from zhengwu.common.errors import DomainError, NotFound, PermissionDenied
from zhengwu.hotline import pii as hotline_pii
from zhengwu.hotline.selectors import ticket_get_for_user
from zhengwu.workbench.access import staff_required

TEMPLATE = "workbench/cases/_pii_reveal.html"


@never_cache
@staff_required
@require_POST
def case_pii_reveal(request: HttpRequest, number: str) -> HttpResponse:
    try:
        case = case_get_for_user(request.user, number)
    except NotFound as error:
        pii.case_pii_reveal_not_found(
            user=request.user, number=number, field=request.POST.get("field", ""), request=request
        )
        raise Http404(error.message) from error
    field = request.POST.get("field", "")
    context = {
        "case": case,
        "pii_fields": pii.revealable_fields(case),
        "can_reveal_pii": pii.can_view_full_pii(request.user, case),
        "chosen": field,
        "reveal_url": reverse("workbench:case_pii_reveal", args=[case.number]),
        "reason": request.POST.get("reason", ""),
    }
    try:
        value = pii.case_pii_reveal(
            case=case, user=request.user, field=field, reason=request.POST.get("reason", ""), request=request
        )
    except PermissionDenied as error:
        return render(request, TEMPLATE, {**context, "error": error}, status=403)
    except DomainError as error:
        return render(request, TEMPLATE, {**context, "error": error}, status=400)
    context.update(revealed=value, revealed_label=pii.REVEALABLE[field].label, reason="")
    return render(request, TEMPLATE, context)


@never_cache
@staff_required
@require_POST
def ticket_pii_reveal(request: HttpRequest, number: str) -> HttpResponse:
    """The same action on a 12345 ticket: the caller's full phone or name for the centre."""
    try:
        ticket = ticket_get_for_user(request.user, number)
    except NotFound as error:
        raise Http404(error.message) from error
    field = request.POST.get("field", "")
    context = {
        "pii_fields": hotline_pii.revealable_fields(ticket),
        "can_reveal_pii": hotline_pii.can_view_full_caller(request.user, ticket),
        "chosen": field,
        "reveal_url": reverse("workbench:hotline_pii_reveal", args=[ticket.number]),
        "reason": request.POST.get("reason", ""),
    }
    try:
        value = hotline_pii.ticket_pii_reveal(
            ticket=ticket,
            user=request.user,
            field=field,
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except PermissionDenied as error:
        return render(request, TEMPLATE, {**context, "error": error}, status=403)
    except DomainError as error:
        return render(request, TEMPLATE, {**context, "error": error}, status=400)
    context.update(revealed=value, revealed_label=hotline_pii.REVEALABLE[field][0], reason="")
    return render(request, TEMPLATE, context)
