"""Who must do what: password profile, MFA, session limits, read from the settings (SECURITY.md §4).

ZHENGWU_PASSWORD_PROFILE      dengbao (default) | asvs
ZHENGWU_MFA_REQUIRED          admins (default: superusers and the three administrator roles) | staff
ZHENGWU_SESSION_IDLE_MINUTES  30; ZHENGWU_SESSION_IDLE_MINUTES_ADMIN 15; SESSION_COOKIE_AGE 12 h absolute
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from zhengwu.domain.passwords import Profile, get_profile, rotation_due
from zhengwu.organization.choices import ADMIN_ROLES

MFA_ADMINS = "admins"
MFA_STAFF = "staff"


def password_profile() -> Profile:
    return get_profile(getattr(settings, "ZHENGWU_PASSWORD_PROFILE", "dengbao"))


def is_staff_account(user) -> bool:
    """Staff and administrators: every account not linked to an applicant (citizens are)."""
    return not (getattr(user, "applicant_id", None) or getattr(user, "applicant", None))


def is_admin(user) -> bool:
    """Superusers and the holders of the three administrator roles (三员)."""
    return bool(user.is_superuser or user.has_role(*ADMIN_ROLES))


def mfa_required(user) -> bool:
    """Administrators always; other staff when ZHENGWU_MFA_REQUIRED=staff; citizens never."""
    if not is_staff_account(user):
        return False
    if is_admin(user):
        return True
    return getattr(settings, "ZHENGWU_MFA_REQUIRED", MFA_ADMINS) == MFA_STAFF


def idle_seconds(user) -> int:
    minutes = (
        settings.ZHENGWU_SESSION_IDLE_MINUTES_ADMIN
        if is_admin(user)
        else settings.ZHENGWU_SESSION_IDLE_MINUTES
    )
    return int(minutes) * 60


def absolute_seconds() -> int:
    return int(settings.SESSION_COOKIE_AGE)


def password_expires_at(user, security=None) -> dt.datetime | None:
    """When the password must be changed under the rotation rule (None: no rotation for this account).
    Counted from the last change, or from the account's creation when no change was recorded."""
    changed = (security.password_changed_at if security is not None else None) or user.date_joined
    return rotation_due(profile=password_profile(), staff=is_staff_account(user), changed_at=changed)


def password_change_required(user) -> bool:
    """Issued by an administrator and not changed since, or older than the rotation period."""
    from zhengwu.accounts.models import AccountSecurity

    security = AccountSecurity.objects.filter(user=user).first() if user.pk else None
    if security is not None and security.must_change_password:
        return True
    expires = password_expires_at(user, security)
    return expires is not None and expires <= timezone.now()
