"""Who may maintain budget performance: department heads and supervisors (the finance side), and
superusers. The services check it on every write; pages use `can_edit` to show or hide the forms."""

from __future__ import annotations

from zhengwu.common.errors import PermissionDenied
from zhengwu.organization.choices import Role

EDIT_ROLES = (Role.DEPT_HEAD, Role.SUPERVISOR)


def can_edit(user) -> bool:
    return bool(user.is_superuser or user.has_role(*EDIT_ROLES))


def require_edit(user) -> None:
    """Refuse a write by anyone else. `None` is the system (demo data, imports)."""
    if user is not None and not can_edit(user):
        raise PermissionDenied("只有部门负责人或监管员可以维护预算绩效。")
