"""Session limits and the gates every signed-in request passes (SECURITY.md §4, §5):

- idle timeout (30 min, administrators 15) and absolute lifetime (SESSION_COOKIE_AGE, 12 h) from the
  sign-in stamp, which no request can extend;
- a session of an account that needs MFA but carries no verified device is ended (e.g. an administrator
  signed in without the second factor);
- a password issued by an administrator or past its rotation date must be changed before anything else.

Runs after AuthenticationMiddleware and django-otp's OTPMiddleware; it reads only the session.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from zhengwu.accounts import sessions as keys

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _login_url(request: HttpRequest) -> str:
    staff_area = request.path.startswith(("/workbench/", "/admin/", "/accounts/"))
    base = reverse("workbench:login") if staff_area else reverse("portal:login")
    return f"{base}?{urlencode({'next': request.get_full_path()})}" if request.method == "GET" else base


def _signed_out(request: HttpRequest, message: str) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"code": "not_authenticated", "message": message, "fields": {}},
            status=401,
            json_dumps_params={"ensure_ascii": False},
        )
    url = _login_url(request)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=401)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _password_change_paths() -> tuple[str, ...]:
    return (
        reverse("accounts:password_change"),
        reverse("workbench:logout"),
        reverse("portal:logout"),
        settings.STATIC_URL,
    )


def _verified(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and getattr(user, "is_verified", lambda: False)())


class SessionSecurityMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY in session:
            answer = self._check(request, session)
            if answer is not None:
                return answer
        return self.get_response(request)

    def _check(self, request: HttpRequest, session) -> HttpResponse | None:
        now = time.time()
        login_at = session.get(keys.LOGIN_AT)
        if login_at is None:  # a session from before this middleware: start its clocks now
            if request.user.is_authenticated:
                keys.stamp_login(session, request.user)
            return None
        idle = session.get(keys.IDLE) or settings.ZHENGWU_SESSION_IDLE_MINUTES * 60
        if now - login_at > settings.SESSION_COOKIE_AGE:
            logout(request)
            return _signed_out(request, "登录已超过最长有效期，请重新登录。")
        if now - session.get(keys.SEEN, login_at) > idle:
            logout(request)
            return _signed_out(request, "长时间未操作，会话已超时，请重新登录。")
        if session.get(keys.MFA) and not _verified(request):
            logout(request)
            return _signed_out(request, "该账号须通过动态口令验证后才能使用，请重新登录。")
        if now - session.get(keys.SEEN, 0) >= keys.SEEN_RESOLUTION:
            session[keys.SEEN] = now
        if session.get(keys.MUST_CHANGE) and not request.path.startswith(_password_change_paths()):
            if _is_api(request):
                return JsonResponse(
                    {"code": "password_change_required", "message": "请先修改密码。", "fields": {}},
                    status=403,
                    json_dumps_params={"ensure_ascii": False},
                )
            return HttpResponseRedirect(reverse("accounts:password_change"))
        return None
