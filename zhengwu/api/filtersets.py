"""FilterSets of the API's organisation lists (regions, departments). The item lists' FilterSets
live in `zhengwu.catalog.filtersets`, shared with the portal and the workbench pages.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet

from zhengwu.common.filtersets import SelectorFilterSet
from zhengwu.organization.choices import DepartmentKind, RegionLevel
from zhengwu.organization.models import Department, Region
from zhengwu.organization.selectors import department_public_list, region_list

__all__ = ["DepartmentFilter", "RegionFilter"]


class RegionFilter(SelectorFilterSet):
    parent = django_filters.ModelChoiceFilter(
        label="上级区划代码（返回其下各级区划）",
        field_name="parent",
        to_field_name="code",
        queryset=Region.objects.all(),
    )
    level = django_filters.TypedChoiceFilter(
        label="层级", field_name="level", choices=RegionLevel.choices, coerce=int
    )

    class Meta:
        model = Region
        fields: list[str] = []

    def select(self, data: dict[str, Any]) -> QuerySet[Region]:
        return region_list(parent=data.get("parent"), level=data.get("level") or None)


class DepartmentFilter(SelectorFilterSet):
    region = django_filters.ModelChoiceFilter(
        label="区划代码（含下级区划的部门）",
        field_name="region",
        to_field_name="code",
        queryset=Region.objects.all(),
    )
    kind = django_filters.ChoiceFilter(label="部门类型", field_name="kind", choices=DepartmentKind.choices)

    class Meta:
        model = Department
        fields: list[str] = []

    def select(self, data: dict[str, Any]) -> QuerySet[Department]:
        qs = department_public_list(region=data.get("region"))
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        return qs
