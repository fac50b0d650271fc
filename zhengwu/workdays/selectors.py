"""Reads of the working-day calendar: the `WorkCalendar` every deadline is computed with, and its coverage.

Building a calendar reads ~800 rows, and every page with a due date needs one, so built calendars
are cached. Each cache key embeds a version token that the services replace on every edit; an edit
therefore never serves a stale calendar through a shared cache (Redis). With the per-process memory
cache another process only sees the new token once its own copy expires, so entries also carry a
short timeout that bounds how long such a process keeps the old calendar.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q

from zhengwu.common.errors import DomainError
from zhengwu.domain.calendar import WorkCalendar
from zhengwu.organization.models import Region
from zhengwu.workdays.choices import CalendarDayKind
from zhengwu.workdays.models import CalendarDay, CalendarYear

CACHE_VERSION_KEY = "workdays:calendar:version"
CACHE_TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class CalendarCoverage:
    """The contiguous run of entered years ending at the latest one."""

    first_year: int
    last_year: int

    @property
    def valid_from(self) -> date:
        return date(self.first_year, 1, 1)

    @property
    def valid_through(self) -> date:
        return date(self.last_year, 12, 31)


def calendar_coverage() -> CalendarCoverage | None:
    """Return the years the calendar covers, or None when no year has been entered."""
    years = sorted(CalendarYear.objects.values_list("year", flat=True), reverse=True)
    if not years:
        return None
    first = years[0]
    for year in years[1:]:
        if year != first - 1:
            break
        first = year
    return CalendarCoverage(first_year=first, last_year=years[0])


def work_calendar(*, region: Region | None = None) -> WorkCalendar:
    """Return the calendar of `region`: the national base with the overlays of the region and its ancestors."""
    key = f"workdays:calendar:{_cache_version()}:{region.pk if region else 'national'}"
    calendar: WorkCalendar | None = cache.get(key)
    if calendar is None:
        calendar = _build_work_calendar(region)
        cache.set(key, calendar, CACHE_TIMEOUT_SECONDS)
    return calendar


def calendar_cache_invalidate() -> None:
    """Retire every cached calendar by replacing the version token their keys embed."""
    cache.set(CACHE_VERSION_KEY, uuid.uuid4().hex, None)


def calendar_expiry_warning(*, today: date) -> str | None:
    """Warn calendar admins when the data runs out within ZHENGWU_CALENDAR_WARN_DAYS days, or has run out."""
    coverage = calendar_coverage()
    if coverage is None:
        return "尚未录入任何年度的放假安排，无法计算工作日，请录入工作日历。"
    valid_through = coverage.valid_through.isoformat()
    next_year = coverage.last_year + 1
    remaining = (coverage.valid_through - today).days
    if remaining < 0:
        return (
            f"工作日历数据已于 {valid_through} 到期，此后的期限无法计算，请尽快录入 {next_year} 年放假安排。"
        )
    if remaining <= settings.ZHENGWU_CALENDAR_WARN_DAYS:
        return (
            f"工作日历数据将于 {valid_through} 到期（剩余 {remaining} 天），请录入 {next_year} 年放假安排。"
        )
    return None


def _cache_version() -> str:
    version = cache.get(CACHE_VERSION_KEY)
    if version is None:
        # `add` keeps a token another request set meanwhile, so concurrent first reads agree.
        cache.add(CACHE_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(CACHE_VERSION_KEY)
    return str(version)


def _build_work_calendar(region: Region | None) -> WorkCalendar:
    coverage = calendar_coverage()
    if coverage is None:
        raise DomainError("calendar_empty", "尚未录入任何年度的放假安排，无法计算工作日。")
    scope = Q(region__isnull=True)
    if region is not None:
        scope |= Q(region__code__in=region.ancestor_codes)
    rows = CalendarDay.objects.filter(
        scope, date__range=(coverage.valid_from, coverage.valid_through)
    ).values_list("date", "kind", "name", "region__path")
    # National rows first, then overlays from the top of the tree down, so the nearest region wins.
    entries: dict[date, tuple[str, str]] = {}
    for day, kind, name, _ in sorted(rows, key=lambda row: len(row[3] or "")):
        entries[day] = (kind, name)
    return WorkCalendar.build(
        holidays={day: name for day, (kind, name) in entries.items() if kind == CalendarDayKind.HOLIDAY},
        makeup_workdays={
            day: name for day, (kind, name) in entries.items() if kind == CalendarDayKind.MAKEUP_WORKDAY
        },
        valid_from=coverage.valid_from,
        valid_through=coverage.valid_through,
    )
