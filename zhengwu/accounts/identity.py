"""Who a typed sign-in name stands for: a citizen's mobile number or an account's username.

Citizens sign in with their mobile number, which is stored only encrypted (`User.phone`, with a blind
index); their username is an opaque generated id, so `auth_user`, sessions, the audit log and django-axes
never hold the number. This module turns what a person typed into

- the account (`account_for`): a mobile number, written with spaces, dashes or a +86/0086 prefix, is
  looked up among citizen accounts by its blind index, anything else (and a number no citizen has) by
  username;
- the lockout key of django-axes (`lockout_username`, `AXES_USERNAME_CALLABLE`): for a number the blind
  index, so its two spellings share one lock and the axes tables hold no plaintext; a citizen's opaque
  username maps to the same key (axes resets the lock by username after a successful sign-in);
- a label safe for the audit log (`audit_label`): a number masked (``139****5678``).

`MobileNumberBackend` signs citizens in by number; usernames stay with Django's `ModelBackend`.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from zhengwu.common.pii import PHONE, blind_index, normalise
from zhengwu.domain.masking import mask_phone
from zhengwu.organization.selectors import citizen_get_by_phone
from zhengwu.organization.services import CITIZEN_USERNAME_RE, PHONE_RE

# What a typed mobile number may contain: ASCII digits, a leading "+", spaces and dashes, brackets.
_MOBILE_TEXT = re.compile(r"^[0-9+\-() （）\u3000]{11,24}\Z")
#: Prefix of a lockout key made from a mobile number's blind index (a username never contains ":").
LOCKOUT_MOBILE_PREFIX = "mobile:"


def typed_mobile(text: str | None) -> str | None:
    """The 11 digits of a mainland mobile number as someone may type it (``+86 139 1234 5678``,
    ``139-1234-5678``, ``008613912345678``), else None: letters or other digits make it a username."""
    text = (text or "").strip()
    if not _MOBILE_TEXT.match(text):
        return None
    digits = normalise(PHONE, text)
    return digits if PHONE_RE.match(digits) else None


def account_for(typed: str | None) -> Any:
    """The account a sign-in name stands for, or None: a mobile number → the citizen with that number
    (blind index), else (and for a number no citizen has) the account with that exact username."""
    if not typed:
        return None
    mobile = typed_mobile(typed)
    if mobile is not None:
        citizen = citizen_get_by_phone(phone=mobile)
        if citizen is not None:
            return citizen
    users = get_user_model()
    return users._default_manager.filter(**{users.USERNAME_FIELD: typed}).first()


def lockout_key(typed: str | None) -> str | None:
    """The django-axes username for what was typed: ``mobile:<blind index>`` for a mobile number (any
    spelling) and for a citizen's opaque username (the account's number), the typed text otherwise."""
    if typed is None:
        return None
    typed = str(typed)
    mobile = typed_mobile(typed)
    if mobile is not None:
        return LOCKOUT_MOBILE_PREFIX + blind_index(PHONE, mobile)
    if CITIZEN_USERNAME_RE.match(typed):
        index = (
            get_user_model()
            ._default_manager.filter(username=typed, applicant__isnull=False)
            .exclude(phone_index="")
            .values_list("phone_index", flat=True)
            .first()
        )
        if index:
            return LOCKOUT_MOBILE_PREFIX + index
    return typed


def lockout_username(request: Any, credentials: dict[str, Any] | None = None) -> str | None:
    """`AXES_USERNAME_CALLABLE`: the lockout key of the username in `credentials` (as django-axes passes
    them) or, without credentials, in the request's POST data."""
    if credentials:
        return lockout_key(credentials.get("username"))
    data = getattr(request, "data", None) or getattr(request, "POST", {})
    return lockout_key(data.get("username"))


def audit_label(typed: str | None) -> str:
    """What the audit log may keep of a typed sign-in name: a mobile number masked, a lockout key of a
    number as "手机号码", anything else as typed."""
    typed = str(typed or "")
    mobile = typed_mobile(typed)
    if mobile is not None:
        return mask_phone(mobile)
    if typed.startswith(LOCKOUT_MOBILE_PREFIX):
        return "手机号码"
    return typed


def account_for_lockout_key(key: str | None) -> Any:
    """The account a django-axes username (`lockout_key`) stands for, or None."""
    if not key:
        return None
    if key.startswith(LOCKOUT_MOBILE_PREFIX):
        index = key[len(LOCKOUT_MOBILE_PREFIX) :]
        return get_user_model()._default_manager.filter(applicant__isnull=False, phone_index=index).first()
    return account_for(key)


class MobileNumberBackend(ModelBackend):
    """Signs a citizen in by mobile number (any spelling `typed_mobile` accepts) and password.

    Anything that is not a mobile number is left to `ModelBackend` (returns None). A number is handled
    here completely: the account is found by the blind index (or, failing that, a username equal to the
    typed text), the password hashed once whether or not an account exists (Django's dummy-hash rule, so
    an unknown number costs what a wrong password costs), and a refusal raises PermissionDenied so no
    later backend hashes the same attempt again; Django then sends `user_login_failed` as for any
    failure, which django-axes and the audit log count.
    """

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        users = get_user_model()
        if username is None:
            username = kwargs.get(users.USERNAME_FIELD)
        if username is None or password is None or typed_mobile(username) is None:
            return None
        user = account_for(username)
        if user is None:
            users().set_password(password)  # the same work as checking a real account's password
        elif user.check_password(password) and self.user_can_authenticate(user):
            return user
        raise PermissionDenied
