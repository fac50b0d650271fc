"""Keys this app keeps in the session, and the stamps written at sign-in.

The flags are computed once at sign-in so that the per-request middleware reads only the session: no
extra query on any page."""

from __future__ import annotations

import time

from zhengwu.accounts import policy

LOGIN_AT = "accounts_login_at"  # epoch seconds of the sign-in: the absolute lifetime counts from it
SEEN = "accounts_seen"  # epoch seconds of the last request (written at most once a minute)
IDLE = "accounts_idle"  # idle limit in seconds for this account (admins shorter)
MFA = "accounts_mfa"  # whether this account needs a verified device for any session
MUST_CHANGE = "accounts_must_change"  # the password must be changed before anything else
PENDING = "accounts_pending"  # {user, backend, next, at}: password accepted, second factor outstanding

SEEN_RESOLUTION = 60  # seconds: the last-seen stamp is rewritten at most this often


def stamp_login(session, user) -> None:
    now = time.time()
    session[LOGIN_AT] = now
    session[SEEN] = now
    session[IDLE] = policy.idle_seconds(user)
    session[MFA] = policy.mfa_required(user)
    session[MUST_CHANGE] = policy.password_change_required(user)
    session.pop(PENDING, None)
