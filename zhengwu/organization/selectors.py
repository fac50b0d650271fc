"""Reads of organisation data, always through the caller's data scope.

The scope rule: a superuser and the system administrator see everything; anybody else sees the
departments of the regions in their scope (and, with `include_descendants`, of the regions below)
plus the departments granted one by one. Every list of private data is filtered by
`visible_department_ids(user)` here, so no view can forget it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhengwu.common.pii import filter_matching
from zhengwu.organization.choices import Role
from zhengwu.organization.models import Department, Region, ServiceHall, User, Window


def citizen_get_by_phone(*, phone: str) -> User | None:
    """The citizen account (网上办事, linked to an applicant) whose mobile number is `phone`, written any
    way the blind index normalises (spaces, dashes, +86); found through `User.phone_index`, never by
    comparing plaintext. None when there is none (or `phone` is empty)."""
    citizens: QuerySet[User] = filter_matching(User.objects.filter(applicant__isnull=False), phone=phone)
    return citizens.first()


def sees_everything(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(Role.SYSTEM_ADMIN)))


def _scope_rows(user) -> list[tuple[str | None, bool, int | None]]:
    cached = getattr(user, "_scope_cache", None)
    if cached is None:
        cached = list(
            user.scopes.select_related("region").values_list(
                "region__path", "include_descendants", "department_id"
            )
        )
        user._scope_cache = cached
    return cached


def region_scope_q(user, *, prefix: str = "") -> Q:
    """A Q over a model with a region (reached through `prefix`) matching the user's region scope."""
    q = Q(pk__in=[])
    for path, descendants, _department_id in _scope_rows(user):
        if path is None:
            continue
        q |= Q(**{f"{prefix}path__startswith": path}) if descendants else Q(**{f"{prefix}path": path})
    return q


def department_scope_q(user, *, prefix: str = "") -> Q:
    """A Q over a Department-like relation (reached through `prefix`) matching the user's scope."""
    if sees_everything(user):
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    ids = [department_id for _p, _d, department_id in _scope_rows(user) if department_id]
    q = Q(**{f"{prefix}id__in": ids}) if ids else Q(pk__in=[])
    for path, descendants, _department_id in _scope_rows(user):
        if path is None:
            continue
        key = f"{prefix}region__path"
        q |= Q(**{f"{key}__startswith": path}) if descendants else Q(**{key: path})
    return q


def department_list(
    *, user, region: Region | None = None, include_descendants: bool = True
) -> QuerySet[Department]:
    """Departments the user may manage, optionally within a region."""
    qs = Department.objects.select_related("region").filter(department_scope_q(user))
    if region is not None:
        qs = (
            qs.filter(region__path__startswith=region.path)
            if include_descendants
            else qs.filter(region=region)
        )
    return qs


def department_public_list(*, region: Region | None = None) -> QuerySet[Department]:
    """Departments as public directory entries (names, phones, addresses are public)."""
    qs = Department.objects.select_related("region").filter(is_active=True)
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    return qs


def region_list(*, parent: Region | None = None, level: int | None = None) -> QuerySet[Region]:
    """Regions are public reference data (GB/T 2260)."""
    qs = Region.objects.select_related("parent")
    if parent is not None:
        qs = qs.filter(path__startswith=parent.path).exclude(pk=parent.pk)
    if level is not None:
        qs = qs.filter(level=level)
    return qs


def region_subtree(region: Region) -> QuerySet[Region]:
    return Region.objects.filter(path__startswith=region.path)


def staff_list(*, user) -> QuerySet[User]:
    """Staff accounts of the departments in the user's scope (private data)."""
    qs = User.objects.select_related("department", "department__region").prefetch_related("roles")
    if sees_everything(user):
        return qs
    return qs.filter(department_scope_q(user, prefix="department__"))


def hall_list(*, user) -> QuerySet[ServiceHall]:
    return ServiceHall.objects.select_related("department", "department__region").filter(
        department_scope_q(user, prefix="department__")
    )


def window_list(*, user) -> QuerySet[Window]:
    return (
        Window.objects.select_related("hall", "hall__department")
        .prefetch_related("departments")
        .filter(department_scope_q(user, prefix="hall__department__"))
    )
