"""Who may change the working-day calendar."""

from __future__ import annotations

from zhengwu.organization.choices import Role
from zhengwu.organization.models import User


def can_edit_calendar(user: User) -> bool:
    """Only system administrators: a calendar edit moves the due date of every open case."""
    return bool(user.is_active and (user.is_superuser or user.has_role(Role.SYSTEM_ADMIN)))
