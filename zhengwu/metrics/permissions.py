"""Who may read supervision metrics: 监管员, 考核员, 部门负责人, 系统管理员 (and superusers). The units they
see are limited to their data scope by `selectors.units_for` / `unit_get`."""

from __future__ import annotations

from zhengwu.organization.choices import Role

ROLES = (Role.SUPERVISOR, Role.ASSESSOR, Role.DEPT_HEAD, Role.SYSTEM_ADMIN)


def can_view(user) -> bool:
    return bool(
        user.is_authenticated and not user.applicant_id and (user.is_superuser or user.has_role(*ROLES))
    )
