"""Who sees hall figures: hall managers — 部门负责人 and 监管员 whose data scope covers the hall's
department (or its region) — and superusers. Anybody else gets 404, so the page does not reveal
which halls exist."""

from __future__ import annotations

from django.db.models import QuerySet

from zhengwu.common.errors import NotFound
from zhengwu.organization.choices import Role
from zhengwu.organization.models import ServiceHall
from zhengwu.organization.selectors import department_scope_q

ROLES = (Role.DEPT_HEAD, Role.SUPERVISOR)


def is_hall_manager(user) -> bool:
    return bool(
        user.is_authenticated and not user.applicant_id and (user.is_superuser or user.has_role(*ROLES))
    )


def halls_for_user(user) -> QuerySet[ServiceHall]:
    """The halls whose figures the user may read (none for anyone but a hall manager)."""
    if not is_hall_manager(user):
        return ServiceHall.objects.none()
    return (
        ServiceHall.objects.filter(department_scope_q(user, prefix="department__"))
        .select_related("department__region")
        .order_by("department__region__path", "name")
    )


def hall_get_for_user(user, pk: int) -> ServiceHall:
    hall = halls_for_user(user).filter(pk=pk).first()
    if hall is None:
        raise NotFound("大厅不存在或不在您的数据范围内。")
    return hall
