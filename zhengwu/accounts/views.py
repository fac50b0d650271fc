"""Sign-in, second factor, password change, sign-out and the security administrator's session page.

Sign-in is two steps when the account needs (or has) a TOTP device: the password step leaves only a
pending marker in a fresh session; the account is signed in (Django `login`, new session key) once the
code is verified, or — for an account that must have a device and has none — once one is enrolled.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from zhengwu.accounts import policy, services
from zhengwu.accounts import sessions as keys
from zhengwu.accounts.lockout import address_throttled
from zhengwu.accounts.permissions import can_end_sessions
from zhengwu.common.errors import DomainError
from zhengwu.common.qr import qr_svg

PENDING_SECONDS = 300  # the second factor must follow the password within five minutes


# -- step 1: the password ---------------------------------------------------------------------------------


def password_accepted(request: HttpRequest, user, *, next_url: str) -> HttpResponse:
    """After a correct password: sign in, or ask for the second factor (verify, or enrol if required)."""
    needs_device = policy.mfa_required(user)
    device = services.totp_device_confirmed(user=user) if policy.is_staff_account(user) else None
    if not needs_device and device is None:
        login(request, user)
        return redirect(next_url)
    request.session.cycle_key()
    request.session[keys.PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "at": time.time(),
    }
    return redirect("accounts:mfa_verify" if device is not None else "accounts:mfa_setup")


class ThrottledLoginMixin:
    """Refuse sign-in forms from an address that failed too often over any usernames (429)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if services.login_ip_blocked(request=request):
            return address_throttled(request)
        return super().post(request, *args, **kwargs)  # type: ignore[misc]

    def form_valid(self, form) -> HttpResponse:
        return password_accepted(self.request, form.get_user(), next_url=self.get_success_url())  # type: ignore[attr-defined]


class StaffLoginView(ThrottledLoginMixin, auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin site signs in through the staff sign-in (lockout, second factor) and comes back."""
    target = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("admin:index")
    return redirect(f"{reverse('workbench:login')}?next={target}")


# -- step 2: the second factor ----------------------------------------------------------------------------


def _pending_user(request: HttpRequest):
    pending = request.session.get(keys.PENDING)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(keys.PENDING, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        return None, None
    user.backend = pending["backend"]
    return user, pending


def _finish(request: HttpRequest, user, device, next_url: str) -> HttpResponse:
    login(request, user, backend=user.backend)
    django_otp.login(request, device)
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    user, pending = _pending_user(request)
    if user is None:
        messages.error(request, "登录已过期，请重新输入用户名和密码。")
        return redirect("workbench:login")
    error = ""
    if request.method == "POST":
        try:
            device = services.totp_verify(user=user, code=request.POST.get("code", ""), request=request)
        except DomainError as problem:
            error = problem.message
        else:
            return _finish(request, user, device, pending["next"])
    return render(
        request, "accounts/mfa_verify.html", {"error": error, "account": user}, status=400 if error else 200
    )


@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP device: during a pending sign-in (administrators without one) or when signed in."""
    user, pending = _pending_user(request)
    signed_in = request.user.is_authenticated and policy.is_staff_account(request.user)
    if user is None:
        if not signed_in:
            return redirect("workbench:login")
        user = request.user
    if services.totp_device_confirmed(user=user) is not None and pending is None:
        messages.info(request, "已绑定动态口令设备。")
        return redirect("workbench:home")
    device = services.totp_device_pending(user=user)
    error = ""
    if request.method == "POST":
        try:
            device = services.totp_enrol_confirm(
                user=user, code=request.POST.get("code", ""), request=request
            )
        except DomainError as problem:
            error = problem.message
        else:
            if pending is not None:
                return _finish(request, user, device, pending["next"])
            django_otp.login(request, device)
            messages.success(request, "动态口令设备已绑定，今后登录须输入动态口令。")
            return redirect("workbench:home")
    context = {
        "error": error,
        "account": user,
        "qr": qr_svg(device.config_url),
        "secret": _base32(device.bin_key),
        "required": policy.mfa_required(user),
    }
    return render(request, "accounts/mfa_setup.html", context, status=400 if error else 200)


def _base32(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


# -- password change ----------------------------------------------------------------------------------------


class ChineseChangeForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "原密码错误，请重新输入。",
        "password_mismatch": "两次输入的新密码不一致。",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "原密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "确认新密码"


@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('workbench:login')}?next={request.path}")
    form = ChineseChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        old_key = request.session.session_key
        user = form.save()
        services.password_changed_by_owner(user=user, request=request)
        update_session_auth_hash(request, user)  # new session key; the account's other sessions end
        services.session_forget(session_key=old_key)
        services.session_remember(user=user, session_key=request.session.session_key)
        request.session[keys.MUST_CHANGE] = False
        messages.success(request, "密码已修改。")
        home = "workbench:home" if policy.is_staff_account(user) else "portal:my_cases"
        return redirect(home)
    context = {
        "form": form,
        "forced": request.session.get(keys.MUST_CHANGE, False),
        "staff": policy.is_staff_account(request.user),
        "has_device": services.totp_device_confirmed(user=request.user) is not None,
        "can_end_sessions": can_end_sessions(request.user),
    }
    return render(request, "accounts/password_change.html", context, status=400 if form.errors else 200)


# -- sessions (security administrator) --------------------------------------------------------------------


def _security_admin(request: HttpRequest) -> None:
    if not can_end_sessions(request.user):
        raise Http404("页面不存在")


@require_http_methods(["GET"])
def session_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('workbench:login')}?next={request.path}")
    _security_admin(request)
    since = timezone.now() - dt.timedelta(seconds=policy.absolute_seconds())
    rows = (
        get_user_model()
        .objects.filter(login_sessions__created_at__gte=since)
        .annotate(session_count=Count("login_sessions"), last_login_at=Max("login_sessions__created_at"))
        .order_by("username")
    )
    return render(request, "accounts/session_list.html", {"rows": rows})


@require_POST
def session_end(request: HttpRequest, user_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("workbench:login")
    _security_admin(request)
    target = get_user_model().objects.filter(pk=user_id).first()
    if target is None:
        raise Http404("账号不存在")
    ended = services.user_sessions_end(user=target, actor=request.user, request=request)
    messages.success(request, f"已结束 {target.account_label} 的 {ended} 个会话。")
    return redirect("accounts:session_list")


@require_POST
def mfa_reset(request: HttpRequest) -> HttpResponse:
    """The security administrator resets the TOTP device of an account that lost it."""
    if not request.user.is_authenticated:
        return redirect("workbench:login")
    _security_admin(request)
    username = request.POST.get("username", "").strip()
    target = get_user_model().objects.filter(username=username).first() if username else None
    if target is None:
        messages.error(request, "用户名：账号不存在。")
        return redirect("accounts:session_list")
    removed = services.totp_devices_reset(user=target, actor=request.user, request=request)
    messages.success(
        request, f"已重置 {target.account_label} 的动态口令（删除设备 {removed} 个），其下次登录须重新绑定。"
    )
    return redirect("accounts:session_list")
