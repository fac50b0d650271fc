"""Who may open the workbench: signed-in staff. A citizen's 网上办事 account (`applicant_id` set) gets 403.

The data scope is applied further down, by the selectors and the `permissions.py` choke points.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_staff_account(user) -> bool:
    return bool(user.is_authenticated and not user.applicant_id)


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors are sent to the staff login; signed-in citizens are refused (403)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_staff_account(request.user):
            return render(request, "workbench/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return login_required(wrapped)
