"""Who may manage other accounts' sessions, roles and data scopes: the security administrator (and a
superuser). The system administrator manages the accounts themselves (admin site), not their grants."""

from __future__ import annotations

from zhengwu.organization.choices import Role


def can_end_sessions(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_role(Role.SECURITY_ADMIN))
    )


def can_grant_roles(user) -> bool:
    """Assign roles and data scopes to other staff accounts (`accounts.grants`)."""
    return can_end_sessions(user)
