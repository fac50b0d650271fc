"""The write paths of account security: issued and changed passwords, sessions, TOTP devices, API tokens,
client-address throttling. Each security event is written to the audit log (`zhengwu.audit.services.record`)
in the same transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengwu.accounts.models import AccountSecurity, ApiToken, LoginThrottle, UserSession
from zhengwu.audit.services import client_ip, record
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.common.ratelimit import allow

TOKEN_BYTES = 20  # 40 hex characters
TOKEN_NAME_MAX = 64


# -- passwords ------------------------------------------------------------------------------------------


@transaction.atomic
def password_issued(*, user, actor=None, request=None) -> AccountSecurity:
    """A password set by an administrator (new account, reset): it must be changed at the next sign-in."""
    security, _created = AccountSecurity.objects.update_or_create(
        user=user, defaults={"must_change_password": True}
    )
    return security


@transaction.atomic
def password_changed_by_owner(*, user, request=None) -> AccountSecurity:
    """The owner set a new password (the hash and its time were recorded by the validator hook)."""
    security, _created = AccountSecurity.objects.update_or_create(
        user=user, defaults={"must_change_password": False, "password_changed_at": timezone.now()}
    )
    record("auth.password_changed", request=request, actor=user, obj=user)
    return security


# -- sessions -------------------------------------------------------------------------------------------


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_remember(*, user, session_key: str, ip: str = "") -> None:
    """Note a new session of `user` (called at login)."""
    if session_key:
        UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user, "ip": ip[:64]})


def session_forget(*, session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def _delete_sessions(user) -> int:
    store = _session_store()
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


def user_sessions_delete(*, user) -> int:
    """Delete every session of `user` server-side (deactivation); returns how many there were."""
    return _delete_sessions(user)


@transaction.atomic
def user_sessions_end(*, user, actor, request=None) -> int:
    """The security administrator ends every session of `user`: the next request of each signs in again."""
    from zhengwu.accounts.permissions import can_end_sessions

    if not can_end_sessions(actor):
        raise DomainError("forbidden", "只有安全管理员可以结束他人会话。")
    ended = _delete_sessions(user)
    record("auth.sessions_ended", request=request, actor=actor, obj=user, detail={"sessions": ended})
    return ended


# -- client-address throttling (credential stuffing) -----------------------------------------------------


def _ip_limits() -> tuple[int, int]:
    return int(settings.ZHENGWU_LOGIN_IP_FAILURES), int(settings.ZHENGWU_LOGIN_IP_WINDOW)


def login_failure_count(*, request) -> None:
    """Count one failed sign-in from the client's address over any username (the shared counter of
    `common.ratelimit`); past the limit the address is refused for one window."""
    ip = client_ip(request)
    if not ip:
        return
    limit, window = _ip_limits()
    # allow() refuses the hit past its limit: the limit-th failure itself closes the address.
    if not allow("login-failure-ip", ip, limit=limit - 1, period=window):
        LoginThrottle.objects.update_or_create(
            ip=ip, defaults={"blocked_until": timezone.now() + dt.timedelta(seconds=window)}
        )


def login_ip_blocked(*, request) -> bool:
    ip = client_ip(request)
    return bool(ip) and LoginThrottle.objects.filter(ip=ip, blocked_until__gt=timezone.now()).exists()


# -- TOTP devices ---------------------------------------------------------------------------------------


def totp_device_pending(*, user) -> TOTPDevice:
    """The unconfirmed device being enrolled (made on first call, the same key until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="动态口令", confirmed=False)
    return device


def totp_device_confirmed(*, user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def totp_enrol_confirm(*, user, code: str, request=None) -> TOTPDevice:
    """Confirm the pending device with its first code; other unconfirmed devices are removed."""
    device = totp_device_pending(user=user)
    if not device.verify_token(_clean_code(code)):
        with transaction.atomic():
            record(
                "auth.mfa_failed",
                request=request,
                actor=user,
                obj=user,
                result="failure",
                detail={"step": "enrol"},
            )
        raise DomainError(
            "mfa_invalid", "动态口令错误或已使用，请重新输入。", {"code": ["动态口令错误或已使用。"]}
        )
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        record("auth.mfa_enrolled", request=request, actor=user, obj=user)
    return device


def totp_verify(*, user, code: str, request=None) -> TOTPDevice:
    """Check a code against the account's confirmed device; a code is accepted once (django-otp `last_t`)
    and repeated failures are throttled by the device."""
    device = totp_device_confirmed(user=user)
    if device is None:
        raise DomainError("mfa_not_enrolled", "该账号尚未绑定动态口令设备。")
    allowed, _data = device.verify_is_allowed()
    if not allowed:
        with transaction.atomic():
            record(
                "auth.mfa_failed",
                request=request,
                actor=user,
                obj=user,
                result="denied",
                detail={"step": "throttled"},
            )
        raise DomainError("mfa_throttled", "动态口令错误次数过多，请稍后再试。", {"code": ["请稍后再试。"]})
    if not device.verify_token(_clean_code(code)):
        with transaction.atomic():
            record(
                "auth.mfa_failed",
                request=request,
                actor=user,
                obj=user,
                result="failure",
                detail={"step": "verify"},
            )
        raise DomainError(
            "mfa_invalid", "动态口令错误或已使用，请重新输入。", {"code": ["动态口令错误或已使用。"]}
        )
    return device


def _clean_code(code: str) -> str:
    return "".join(str(code or "").split())


@transaction.atomic
def totp_devices_reset(*, user, actor, request=None) -> int:
    """The security administrator removes a lost device: the account enrols a new one at its next sign-in
    (administrators must) and its sessions end now."""
    from zhengwu.accounts.permissions import can_end_sessions

    if not can_end_sessions(actor):
        raise DomainError("forbidden", "只有安全管理员可以重置动态口令。")
    removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
    _delete_sessions(user)
    record("auth.mfa_reset", request=request, actor=actor, obj=user, detail={"devices": removed})
    return removed


# -- API tokens -----------------------------------------------------------------------------------------


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode("ascii", "replace")).hexdigest()


@transaction.atomic
def token_create(*, user, name: str = "", request=None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the key, which is shown once and never stored."""
    name = (name or "").strip()
    if len(name) > TOKEN_NAME_MAX:
        raise DomainError("invalid", "令牌名称过长。", {"name": [f"不得超过{TOKEN_NAME_MAX}个字符。"]})
    key = secrets.token_hex(TOKEN_BYTES)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=token_digest(key),
        prefix=key[:8],
        expires_at=timezone.now() + dt.timedelta(days=int(settings.ZHENGWU_API_TOKEN_DAYS)),
    )
    record(
        "auth.token_created", request=request, actor=user, obj=token, detail={"name": name, "prefix": key[:8]}
    )
    return token, key


@transaction.atomic
def token_revoke(*, user, token_id: int, request=None) -> ApiToken:
    """Revoke one of the caller's own tokens (another account's token answers 404, like a missing one)."""
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise NotFound("令牌不存在。")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        record("auth.token_revoked", request=request, actor=user, obj=token, detail={"prefix": token.prefix})
    return token


def token_revoke_all(*, user) -> int:
    """Revoke every live token of `user` (deactivation)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
