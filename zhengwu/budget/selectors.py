"""Reads of budget performance, scoped by the viewer's departments (`department_scope_q`)."""

from __future__ import annotations

from django.db.models import QuerySet

from zhengwu.budget.models import Project
from zhengwu.common.errors import NotFound
from zhengwu.organization.selectors import department_scope_q


def project_list(*, user, year: int | None = None) -> QuerySet[Project]:
    qs = Project.objects.filter(department_scope_q(user, prefix="department__")).select_related(
        "department__region", "self_evaluation"
    )
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def project_get_for_user(*, user, pk: int) -> Project:
    project = project_list(user=user).filter(pk=pk).first()
    if project is None:
        raise NotFound("预算项目不存在或不在您的数据范围内。")
    return project
