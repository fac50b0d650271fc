"""Reads of the catalogue. Public lists show published versions only; staff lists apply the scope."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from zhengwu.catalog import choices as c
from zhengwu.catalog.models import ItemType, ItemVersion, ServiceItem
from zhengwu.common.errors import NotFound
from zhengwu.organization.selectors import department_scope_q

PUBLIC_STATUSES = (c.LifecycleStatus.ACTIVE, c.LifecycleStatus.SUSPENDED)


def item_public_list(
    *,
    search: str = "",
    department_id: int | None = None,
    region_code: str = "",
    item_type: str = "",
    exercise_level: str = "",
    visits: str = "",
    online_depth: int | None = None,
) -> QuerySet[ServiceItem]:
    """Published items as the public sees them (the portal list and `GET /api/v1/items/`).

    `visits`: "zero" (零跑动) or "at_most_one" (最多跑一次).
    """
    qs = (
        ServiceItem.objects.filter(current_version__isnull=False, status__in=PUBLIC_STATUSES)
        .select_related("item_type", "department", "region", "current_version")
        .order_by("department__region__path", "department__name", "implementation_code")
    )
    if search:
        qs = qs.filter(
            Q(name__icontains=search) | Q(implementation_code__icontains=search) | Q(base_code=search)
        )
    if department_id:
        qs = qs.filter(department_id=department_id)
    if region_code:
        qs = qs.filter(region__path__contains=f"{region_code}/")
    if item_type:
        qs = qs.filter(item_type__key=item_type)
    if exercise_level:
        qs = qs.filter(exercise_level=exercise_level)
    if visits == "zero":
        qs = qs.filter(current_version__onsite_visits=0)
    elif visits == "at_most_one":
        qs = qs.filter(current_version__onsite_visits__lte=1)
    if online_depth:
        qs = qs.filter(current_version__online_depth__gte=online_depth)
    return qs


def _children_prefetch() -> list:
    return ["legal_bases", "materials", "steps", "fee_items", "faqs"]


def item_public_get(implementation_code: str) -> ServiceItem:
    """A published item with its current version and every child row, in a fixed number of queries."""
    item = (
        ServiceItem.objects.filter(
            implementation_code=implementation_code, current_version__isnull=False, status__in=PUBLIC_STATUSES
        )
        .select_related("item_type", "department", "region", "current_version")
        .prefetch_related(*(f"current_version__{name}" for name in _children_prefetch()))
        .first()
    )
    if item is None:
        raise NotFound("事项不存在或尚未发布。")
    return item


def item_list_for_user(
    *, user, search: str = "", status: str = "", cross_region: bool = False
) -> QuerySet[ServiceItem]:
    """Every item (drafts included) of the departments in the staff member's scope; with `cross_region`,
    also other regions' items whose current version is marked 通办 (a window may receive those; the
    cases service checks the 通办 scope)."""
    scope = department_scope_q(user, prefix="department__")
    if cross_region and scope:
        scope |= Q(current_version__cross_region=True)
    qs = (
        ServiceItem.objects.filter(scope)
        .select_related("item_type", "department", "region", "current_version")
        .prefetch_related(
            Prefetch("versions", queryset=ItemVersion.objects.only("id", "item_id", "number", "status"))
        )
    )
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(implementation_code__icontains=search))
    if status:
        qs = qs.filter(status=status)
    return qs


def item_get_for_user(*, user, implementation_code: str, cross_region: bool = False) -> ServiceItem:
    item = (
        item_list_for_user(user=user, cross_region=cross_region)
        .filter(implementation_code=implementation_code)
        .first()
    )
    if item is None:
        raise NotFound("事项不存在或不在您的数据范围内。")
    return item


def version_with_children(version_id: int) -> ItemVersion:
    return (
        ItemVersion.objects.select_related("item", "item__item_type", "item__department")
        .prefetch_related(*_children_prefetch())
        .get(pk=version_id)
    )


def item_type_list() -> QuerySet[ItemType]:
    return ItemType.objects.all()


def export_queryset(*, user=None) -> QuerySet[ServiceItem]:
    """Items for the Excel export: the caller's scope, or everything for the CLI (user=None)."""
    qs = (
        ServiceItem.objects.all()
        if user is None
        else ServiceItem.objects.filter(department_scope_q(user, prefix="department__"))
    )
    return qs.select_related("item_type", "department", "department__region", "region").prefetch_related(
        Prefetch(
            "versions",
            queryset=ItemVersion.objects.prefetch_related(*_children_prefetch()).order_by("number"),
        ),
        "successors",
    )
