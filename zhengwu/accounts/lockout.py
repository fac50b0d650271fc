"""The answer to a locked-out sign-in (django-axes `AXES_LOCKOUT_CALLABLE`) and to a throttled address.

Both are 429 with a Chinese message, JSON under /api/, a page elsewhere; the same whether or not the
username exists, so the answer tells nothing about accounts."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def _minutes(seconds: float) -> int:
    return max(1, round(seconds / 60))


def lockout_message() -> str:
    return f"登录失败次数过多，账号已锁定，请{_minutes(settings.AXES_COOLOFF_TIME.total_seconds())}分钟后再试"


def throttle_message() -> str:
    return f"该地址登录失败次数过多，请{_minutes(settings.ZHENGWU_LOGIN_IP_WINDOW)}分钟后再试"


def _answer(request: HttpRequest, *, code: str, message: str, retry_after: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"code": code, "message": message, "fields": {}},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = render(request, "accounts/locked.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes calls this when a username reached AXES_FAILURE_LIMIT."""
    return _answer(
        request,
        code="locked",
        message=lockout_message(),
        retry_after=int(settings.AXES_COOLOFF_TIME.total_seconds()),
    )


def address_throttled(request: HttpRequest) -> HttpResponse:
    return _answer(
        request,
        code="throttled",
        message=throttle_message(),
        retry_after=int(settings.ZHENGWU_LOGIN_IP_WINDOW),
    )
