"""Who may manage other accounts' sessions: the security administrator (and a superuser)."""

from __future__ import annotations

from zhengwu.organization.choices import Role


def can_end_sessions(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_role(Role.SECURITY_ADMIN))
    )
