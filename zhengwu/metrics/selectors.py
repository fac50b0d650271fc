"""Reads of metrics: counters and metric values for units and periods, from the daily rollups (what
pages, the API, the CLI and assessments use) or straight from the source tables (the reference the
rollups are tested against), and the records behind a figure (drill-down).

A unit is a region (with its subtree), a department, a window or a staff member. A viewer sees the
units their data scope covers: the regions in their region scope and the departments in their
department scope (everything for the system administrator).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from zhengwu.bundles.models import BundleCase
from zhengwu.cases.models import Case
from zhengwu.cases.selectors import case_list
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.domain import metrics as dm
from zhengwu.domain.metrics import Period
from zhengwu.metrics import providers
from zhengwu.metrics.models import DailyCount, Grain, MonthlyCount
from zhengwu.metrics.sources import SOURCES, Source, catalog_counts_by_department, versions_in_force
from zhengwu.organization.models import Department, Region, User, Window
from zhengwu.organization.selectors import department_scope_q, region_scope_q, sees_everything

KINDS = {"region": "区划", "department": "部门", "window": "窗口", "staff": "工作人员"}


@dataclass(frozen=True)
class Unit:
    """Something figures are computed for. `path` is the region path (a region's own, or the region a
    department, window or staff member belongs to); `unit_type` is what assessments weigh by."""

    kind: str
    pk: int
    name: str
    path: str = ""
    unit_type: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.pk}"


def period_parse(text: str) -> Period:
    try:
        return dm.parse_period(text)
    except dm.PeriodError as bad:
        raise DomainError("invalid_period", str(bad), {"period": [str(bad)]}) from None


# -- units ------------------------------------------------------------------------------------------


def region_unit(region: Region) -> Unit:
    unit_type = "县区" if region.level >= 3 else "市本级"
    return Unit("region", region.pk, region.name, region.path, unit_type)


def department_unit(department: Department) -> Unit:
    return Unit("department", department.pk, department.name, department.region.path, "部门")


def top_regions(*, user) -> list[Unit]:
    """The highest regions of the viewer's scope (the city for a city supervisor, the county for a
    county one); none for a scope of departments only."""
    if not user.is_authenticated or user.applicant_id:
        return []
    qs = (
        Region.objects.filter(parent__isnull=True)
        if sees_everything(user)
        else Region.objects.filter(region_scope_q(user))
    )
    regions = list(qs.order_by("path"))
    return [
        region_unit(r)
        for r in regions
        if not any(r.path.startswith(o.path) and o.pk != r.pk for o in regions)
    ]


def units_for(*, user, kind: str, parent: Region | None = None) -> list[Unit]:
    """The units of one kind the viewer's scope covers: regions (the children of `parent`, else those of
    the viewer's single top region, else the top regions), departments (of `parent`'s subtree when
    given), windows, staff."""
    if not user.is_authenticated or user.applicant_id:
        return []
    if kind == "region":
        if parent is None:
            tops = top_regions(user=user)
            if len(tops) != 1:
                return tops
            parent = Region.objects.get(pk=tops[0].pk)
            if parent.level >= 3:  # a county's own scope: the county, not its townships
                return tops
        while True:  # a province holding one city: list the city's counties
            qs = Region.objects.filter(parent=parent).order_by("code")
            children = list(qs if sees_everything(user) else qs.filter(region_scope_q(user)))
            if len(children) != 1 or not Region.objects.filter(parent=children[0]).exists():
                break
            parent = children[0]
        return [region_unit(r) for r in children] or [region_unit(parent)]
    if kind == "department":
        qs = Department.objects.filter(department_scope_q(user), is_active=True).select_related("region")
        if parent is not None:
            qs = qs.filter(region__path__startswith=parent.path)
        return [department_unit(d) for d in qs.order_by("region__path", "name")]
    if kind == "window":
        qs = Window.objects.filter(
            department_scope_q(user, prefix="hall__department__"), is_active=True
        ).select_related("hall", "hall__department__region")
        if parent is not None:
            qs = qs.filter(hall__department__region__path__startswith=parent.path)
        return [
            Unit("window", w.pk, f"{w.hall.name} {w.number}号窗口", w.hall.department.region.path, "窗口")
            for w in qs.order_by("hall__name", "number")
        ]
    if kind == "staff":
        qs = User.objects.filter(
            department_scope_q(user, prefix="department__"), applicant__isnull=True, is_active=True
        ).select_related("department__region")
        if parent is not None:
            qs = qs.filter(department__region__path__startswith=parent.path)
        return [
            Unit("staff", u.pk, u.full_name or u.username, u.department.region.path, "工作人员")
            for u in qs.order_by("department__name", "username")
            if u.department_id
        ]
    raise DomainError("invalid_unit_kind", f"单位类型“{kind}”无效，可选：{'、'.join(KINDS)}。")


def unit_get(*, user, kind: str, pk: int) -> Unit:
    """One unit the viewer may see, else NotFound."""
    if kind == "region":
        qs = Region.objects.all() if sees_everything(user) else Region.objects.filter(region_scope_q(user))
        region = qs.filter(pk=pk).first()
        if region is not None:
            return region_unit(region)
    elif kind in KINDS:
        for unit in units_for(user=user, kind=kind):
            if unit.pk == pk:
                return unit
    raise NotFound("统计单位不存在或不在您的数据范围内。")


# -- counters from the rollups ----------------------------------------------------------------------------


def _catalog_by_unit(units: Sequence[Unit], period: Period) -> dict[str, dict[str, int]]:
    """Catalogue counters per region or department unit, from one grouped query: a department's own
    items, a region's items of the departments in its subtree."""
    wanted = [u for u in units if u.kind in ("region", "department")]
    if not wanted:
        return {}
    versions = versions_in_force(period.end)
    if len(wanted) == 1 and wanted[0].kind == "department":
        versions = versions.filter(item__department_id=wanted[0].pk)
    elif all(u.kind == "region" for u in wanted):
        versions = versions.filter(paths_q((u.path for u in wanted), "item__department__region__path"))
    by_department = catalog_counts_by_department(versions)
    out: dict[str, dict[str, int]] = {u.key: defaultdict(int) for u in wanted}
    for (department_id, path), counts in by_department.items():
        for unit in wanted:
            if (unit.kind == "department" and unit.pk == department_id) or (
                unit.kind == "region" and path.startswith(unit.path)
            ):
                for name, value in counts.items():
                    out[unit.key][name] += value
    return {key: dict(value) for key, value in out.items()}


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _split(period: Period) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """The period as (its whole months: first month, last month) and the day ranges at its edges."""
    first = period.start if period.start.day == 1 else _month_end(period.start) + dt.timedelta(days=1)
    last_end = (
        period.end
        if period.end == _month_end(period.end)
        else period.end.replace(day=1) - dt.timedelta(days=1)
    )
    if first > last_end:
        return None, [(period.start, period.end)]
    edges = []
    if period.start < first:
        edges.append((period.start, first - dt.timedelta(days=1)))
    if last_end < period.end:
        edges.append((last_end + dt.timedelta(days=1), period.end))
    return (first, last_end.replace(day=1)), edges


def _sums(period: Period, where: Q, group: tuple[str, ...], *, by_month: bool = False) -> list[tuple]:
    """(group values…, counter, total) over the period: whole months from `MonthlyCount`, the edge days
    from `DailyCount` (`where` uses the fields both share: grain, object_id, region, counter)."""
    months, edges = _split(period)
    out: list[tuple] = []
    if months is not None:
        fields = (*group, "month") if by_month else group
        qs = MonthlyCount.objects.filter(where, month__range=months)
        out += list(qs.values_list(*fields, "counter").annotate(total=Sum("value")).order_by())
    for start, end in edges:
        qs = DailyCount.objects.filter(where, day__range=(start, end))
        if by_month:
            qs = qs.annotate(month=TruncMonth("day"))
            fields = (*group, "month")
        else:
            fields = group
        out += list(qs.values_list(*fields, "counter").annotate(total=Sum("value")).order_by())
    return out


def unit_counts(units: Sequence[Unit], period: Period) -> dict[str, dict[str, int]]:
    """{unit key: {counter: value}} for every unit, from the rollups (whole months from the monthly rows,
    edge days from the daily ones): a few queries per kind of unit plus the catalogue snapshot, whatever
    the number of cases."""
    result: dict[str, dict[str, int]] = {unit.key: defaultdict(int) for unit in units}
    regions = [u for u in units if u.kind == "region"]
    if regions:
        paths = dict(
            Region.objects.filter(paths_q((u.path for u in regions), "path")).values_list("pk", "path")
        )
        where = Q(grain__in=[Grain.DEPARTMENT, Grain.REGION], region_id__in=list(paths))
        for region_id, counter, total in _sums(period, where, ("region_id",)):
            for unit in regions:
                if paths[region_id].startswith(unit.path):
                    result[unit.key][counter] += int(total)
    for kind, grain in (("department", Grain.DEPARTMENT), ("window", Grain.WINDOW), ("staff", Grain.STAFF)):
        chosen = [u.pk for u in units if u.kind == kind]
        if chosen:
            where = Q(grain=grain, object_id__in=chosen)
            for object_id, counter, total in _sums(period, where, ("object_id",)):
                result[f"{kind}:{object_id}"][counter] += int(total)
    for key, counts in _catalog_by_unit(units, period).items():
        result[key].update(counts)
    return {key: dict(value) for key, value in result.items()}


def paths_q(paths: Iterable[str], field: str = "region__path") -> Q:
    """Rows whose region path (reached through `field`) lies in any of the subtrees `paths`."""
    q = Q(pk__in=[])
    for path in set(paths):
        q |= Q(**{f"{field}__startswith": path})
    return q


def unit_metrics(
    units: Sequence[Unit], period: Period, codes: Sequence[str] | None = None
) -> dict[str, dict[str, Decimal | None]]:
    """{unit key: {metric code: value}} from the rollups, and for provided metrics (好差评, 12345) from
    their modules' providers (`zhengwu.metrics.providers`: one call per provider, for all units)."""
    wanted = list(codes) if codes else list(dm.METRICS)
    provided = [code for code in wanted if providers.is_provided(code)]
    if provided and len(provided) == len(wanted):  # nothing from the rollups: do not read them
        return providers.provided_values(units, period, provided)
    counts = unit_counts(units, period)
    out = {unit.key: dm.evaluate(counts[unit.key], list(codes) if codes else None) for unit in units}
    if provided:
        for key, values in providers.provided_values(units, period, provided).items():
            out[key].update(values)
    return out


def trend(unit: Unit, period: Period, code: str) -> list[tuple[dt.date, Decimal | None]]:
    """The metric month by month over the period (first day of each month, value), from the rollups; a
    provided metric from its provider, one call per month."""
    metric = dm.METRICS[code]
    if providers.is_provided(code):
        return _provided_trend(unit, period, code)
    counters = {c for name in metric.counters for c in dm.DERIVED.get(name, (name,))}
    if unit.kind == "region":
        regions = Region.objects.filter(path__startswith=unit.path).values("pk")
        where = Q(grain__in=[Grain.DEPARTMENT, Grain.REGION], region_id__in=regions, counter__in=counters)
    else:
        where = Q(grain=unit.kind, object_id=unit.pk, counter__in=counters)
    months: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for month, counter, total in _sums(period, where, (), by_month=True):
        key = month.date() if isinstance(month, dt.datetime) else month
        months[key][counter] += int(total)
    out = []
    day = period.start.replace(day=1)
    while day <= period.end:
        out.append((day, dm.evaluate(months.get(day, {}), [code])[code]))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return out


def _provided_trend(unit: Unit, period: Period, code: str) -> list[tuple[dt.date, Decimal | None]]:
    out = []
    day = period.start.replace(day=1)
    while day <= period.end:
        month = Period(max(day, period.start), min(_month_end(day), period.end), f"{day:%Y-%m}")
        out.append((day, providers.provided_values([unit], month, [code])[unit.key][code]))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return out


# -- counters straight from the source tables (the reference) -------------------------------------


def _unit_filter(source: Source, unit: Unit) -> Q | None:
    """The rows of `source` attributed to `unit`; None when the source does not count for its kind."""
    if unit.kind == "region":
        for grain in (Grain.DEPARTMENT, Grain.REGION):
            attr = source.grains.get(grain)
            if attr is not None:
                path = f"{attr}__region__path" if grain == Grain.DEPARTMENT else f"{attr}__path"
                return Q(**{f"{path}__startswith": unit.path})
        return None
    attr = source.grains.get(unit.kind)
    return None if attr is None else Q(**{attr: unit.pk})


def unit_counts_direct(unit: Unit, period: Period) -> dict[str, int]:
    """The unit's counters computed from the cases, cards, journal and bundles themselves."""
    counts: dict[str, int] = defaultdict(int)
    for source in SOURCES:
        where = _unit_filter(source, unit)
        if where is None:
            continue
        value = source.in_period(source.rows().filter(where), period).aggregate(v=source.value)["v"]
        counts[source.counter] += int(value or 0)
    counts.update(_catalog_by_unit([unit], period).get(unit.key, {}))
    return {key: value for key, value in counts.items() if value}


# -- drill-down ----------------------------------------------------------------------------------------


def records_behind(*, user, unit: Unit, period: Period, counter: str) -> QuerySet:
    """The cases (or 一件事 cases) a counter of a unit counts in a period, within the viewer's scope."""
    sources = [s for s in SOURCES if s.counter == counter and _unit_filter(s, unit) is not None]
    if not sources:
        raise DomainError("no_drilldown", "该指标没有可查看的明细。")
    source = sources[0]
    rows = source.in_period(source.rows().filter(_unit_filter(source, unit)), period)
    if source.model is BundleCase:
        visible = BundleCase.objects.filter(children__case__in=case_list(user=user).values("pk"))
        return BundleCase.objects.filter(pk__in=rows.values("pk")).filter(pk__in=visible.values("pk"))
    field = "pk" if source.model is Case else "case_id"
    return case_list(user=user).filter(pk__in=rows.values(field))
