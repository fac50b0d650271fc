"""The write path of metrics: rebuilding the daily rollups from the source tables.

`metrics_rebuild` recomputes every (grain, object, day, counter) row with one grouped query per source
and grain (`sources.SOURCES`), then replaces the table in one transaction; readers see either the old
rows or the new ones. It is run after bulk loads (demo data, imports) that bypass the services, and
whenever someone doubts the incremental rows: `zhengwu metrics rebuild`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from zhengwu.metrics.models import DailyCount, Grain, MonthlyCount
from zhengwu.metrics.sources import SOURCES, Source
from zhengwu.organization.models import Department, Region, User, Window

BATCH = 5000


@dataclass(frozen=True)
class RebuildResult:
    rows: int
    months: int
    by_grain: dict[str, int]

    def detail(self) -> str:
        parts = "，".join(f"{Grain(g).label} {n:,}" for g, n in self.by_grain.items())
        return f"日汇总 {self.rows:,} 行（{parts}），月汇总 {self.months:,} 行"


def _region_map(grain: str) -> dict[int, int]:
    if grain == Grain.DEPARTMENT:
        return dict(Department.objects.values_list("pk", "region_id"))
    if grain == Grain.WINDOW:
        return dict(Window.objects.values_list("pk", "hall__department__region_id"))
    if grain == Grain.STAFF:
        return {
            pk: region for pk, region in User.objects.values_list("pk", "department__region_id") if region
        }
    return {pk: pk for pk in Region.objects.values_list("pk", flat=True)}


def _grouped(source: Source, grain: str):
    """(object id, day, value) of a source for one grain, grouped in the database."""
    attr = source.grains[grain]
    qs = source.rows().filter(**{f"{attr}__isnull": False, f"{source.date}__isnull": False})
    return (
        qs.annotate(_day=source.day_expression())
        .values_list(attr, "_day")
        .annotate(_value=source.value)
        .order_by()
    )


def metrics_rebuild(*, progress: Callable[[str], None] | None = None) -> RebuildResult:
    """Recompute the daily and monthly rollups from the source tables and swap them in."""
    say = progress or (lambda _text: None)
    totals: dict[tuple[str, int, object, str], int] = defaultdict(int)
    for index, source in enumerate(SOURCES, start=1):
        for grain in source.grains:
            for object_id, day, value in _grouped(source, grain):
                if value:
                    totals[(grain, object_id, day, source.counter)] += int(value)
        if index % 6 == 0 or index == len(SOURCES):
            say(f"  指标汇总：已计算 {index}/{len(SOURCES)} 项来源")
    regions = {grain: _region_map(grain) for grain in Grain.values}
    by_grain: dict[str, int] = defaultdict(int)
    daily = []
    months: dict[tuple[str, int, dt.date, str, int], int] = defaultdict(int)
    for (grain, object_id, day, counter), value in totals.items():
        region = regions[grain].get(object_id)
        if region is None:
            continue
        daily.append(
            DailyCount(
                grain=grain, object_id=object_id, region_id=region, day=day, counter=counter, value=value
            )
        )
        months[(grain, object_id, day.replace(day=1), counter, region)] += value
        by_grain[grain] += 1
    monthly = [
        MonthlyCount(
            grain=grain, object_id=object_id, region_id=region, month=month, counter=counter, value=value
        )
        for (grain, object_id, month, counter, region), value in months.items()
    ]
    with transaction.atomic():
        DailyCount.objects.all().delete()
        MonthlyCount.objects.all().delete()
        for model, rows in ((DailyCount, daily), (MonthlyCount, monthly)):
            name = model._meta.verbose_name
            for start in range(0, len(rows), BATCH):
                model.objects.bulk_create(rows[start : start + BATCH])
                say(f"  {name}：已写入 {min(start + BATCH, len(rows)):,}/{len(rows):,} 行")
    return RebuildResult(rows=len(daily), months=len(monthly), by_grain=dict(by_grain))
