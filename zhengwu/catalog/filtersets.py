"""The FilterSets of the item lists: each validates the query string, then asks the selector.

`PublicItemFilter` serves the portal page and `GET /api/v1/items/`; `StaffItemFilter` serves the
workbench list and `GET /api/v1/staff/items/`. One class per list, so page and API never drift.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from zhengwu.catalog import choices as c
from zhengwu.catalog.models import ItemType, ServiceItem
from zhengwu.catalog.selectors import item_list_for_user, item_public_list
from zhengwu.common.filtersets import SelectorFilterSet
from zhengwu.organization.choices import RegionLevel
from zhengwu.organization.models import Department, Region

VISIT_CHOICES = [("zero", "零跑动"), ("at_most_one", "最多跑一次")]


class PublicItemFilter(SelectorFilterSet):
    """Published items as the public sees them."""

    search = django_filters.CharFilter(label="关键词", max_length=50)
    region = django_filters.ModelChoiceFilter(
        label="区县",
        to_field_name="code",
        empty_label="全部区县",
        queryset=Region.objects.filter(level__lte=RegionLevel.COUNTY),
    )
    department = django_filters.ModelChoiceFilter(
        label="实施部门", empty_label="全部部门", queryset=Department.objects.filter(is_active=True)
    )
    type = django_filters.ModelChoiceFilter(
        label="事项类型",
        field_name="item_type",
        to_field_name="key",
        empty_label="全部类型",
        queryset=ItemType.objects.all(),
    )
    level = django_filters.ChoiceFilter(
        label="行使层级", field_name="exercise_level", choices=c.ExerciseLevel.choices, empty_label="全部层级"
    )
    visits = django_filters.ChoiceFilter(label="跑动次数", choices=VISIT_CHOICES, empty_label="不限")
    depth = django_filters.ChoiceFilter(
        label="网办深度（不低于）",
        choices=[(str(v), label) for v, label in c.OnlineDepth.choices],
        empty_label="不限",
    )

    class Meta:
        model = ServiceItem
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The department choices follow the chosen county (htmx re-renders the form on change).
        region = self.data.get("region") if self.is_bound else None
        departments = Department.objects.filter(is_active=True).select_related("region")
        if region:
            departments = departments.filter(region__path__contains=f"{region}/")
        self.form.fields["department"].queryset = departments

    def select(self, data: dict[str, Any]) -> QuerySet[ServiceItem]:
        return item_public_list(
            search=(data.get("search") or "").strip(),
            region_code=data["region"].code if data.get("region") else "",
            department_id=data["department"].pk if data.get("department") else None,
            item_type=data["type"].key if data.get("type") else "",
            exercise_level=data.get("level") or "",
            visits=data.get("visits") or "",
            online_depth=int(data["depth"]) if data.get("depth") else None,
        )


class StaffItemFilter(SelectorFilterSet):
    """Every item (drafts included) within the caller's data scope; needs `request`."""

    search = django_filters.CharFilter(label="关键词（事项名称或实施编码）", field_name="name", max_length=50)
    status = django_filters.ChoiceFilter(
        label="事项状态", field_name="status", choices=c.LifecycleStatus.choices, empty_label="全部"
    )

    class Meta:
        model = ServiceItem
        fields: list[str] = []

    def select(self, data: dict[str, Any]) -> QuerySet[ServiceItem]:
        if self.request is None:
            raise ImproperlyConfigured("StaffItemFilter needs request= to know whose scope to apply.")
        return item_list_for_user(
            user=self.request.user,
            search=(data.get("search") or "").strip(),
            status=data.get("status") or "",
        ).order_by("implementation_code")
