"""Choke points: the only way an interface app fetches an organisation object for a person."""

from __future__ import annotations

from zhengwu.common.errors import NotFound
from zhengwu.organization.models import Department
from zhengwu.organization.selectors import department_list


def department_get_for_user(user, pk: int) -> Department:
    """The department if it lies in the user's scope; otherwise "not found" (existence is not leaked)."""
    department = department_list(user=user).filter(pk=pk).first()
    if department is None:
        raise NotFound("部门不存在或不在您的数据范围内。")
    return department


def can_manage_department(user, department: Department) -> bool:
    return department_list(user=user).filter(pk=department.pk).exists()
