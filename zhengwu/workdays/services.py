"""The write paths of the working-day calendar.

Calendar admins edit the table at run time because short-notice changes happen (as in 2020). A date
before today changes only as a retroactive correction with a reason, because closed cases were judged
on the old calendar. Every day edit is journalled in `CalendarEdit`, and every edit retires the cached
calendars.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from zhengwu.common.errors import DomainError, NotFound, PermissionDenied
from zhengwu.organization.models import Region, User
from zhengwu.workdays.choices import CalendarDayKind, CalendarEditAction
from zhengwu.workdays.models import CalendarDay, CalendarEdit, CalendarYear
from zhengwu.workdays.permissions import can_edit_calendar
from zhengwu.workdays.selectors import calendar_cache_invalidate, calendar_coverage
from zhengwu.workdays.signals import calendar_changed


def calendar_year_check(*, year: int, source_document: str) -> None:
    """Refuse a year that is already entered, would leave a gap in the coverage, or has no source."""
    if not 1949 <= year <= 9999:
        raise DomainError("invalid", f"年度无效：{year}。", {"year": ["年度应在 1949 至 9999 之间。"]})
    if CalendarYear.objects.filter(year=year).exists():
        raise DomainError("duplicate", f"{year} 年的放假安排已录入。", {"year": ["该年度已录入。"]})
    coverage = calendar_coverage()
    if coverage is not None and year not in (coverage.last_year + 1, coverage.first_year - 1):
        message = (
            f"工作日历的年度必须连续：当前覆盖 {coverage.first_year}–{coverage.last_year} 年，"
            f"只能添加 {coverage.last_year + 1} 年（或补录 {coverage.first_year - 1} 年）。"
        )
        raise DomainError("calendar_year_gap", message, {"year": [message]})
    _require_text(source_document, "source_document", "依据文件")


@transaction.atomic
def calendar_year_add(*, year: int, source_document: str, actor: User, note: str = "") -> CalendarYear:
    """Extend the calendar by a year whose official schedule has been published.

    Add the year first, then its holidays and make-up days: until they are entered, its dates count
    as plain Mon–Fri weeks.
    """
    _require_editor(actor)
    calendar_year_check(year=year, source_document=source_document)
    calendar_year = CalendarYear.objects.create(
        year=year, source_document=source_document.strip(), note=note.strip()
    )
    _retire_cached_calendars()
    return calendar_year


def calendar_day_check(
    *, date: dt.date, kind: str, name: str, source_document: str, today: dt.date, reason: str = ""
) -> None:
    """Refuse an edit of a date in a year not entered, an unexplained change of the past, or bad input."""
    if kind not in CalendarDayKind.values:
        raise DomainError("invalid", f"日期类型无效：{kind}。", {"kind": ["应为节假日或调休上班日。"]})
    _require_text(name, "name", "节日名称")
    _require_text(source_document, "source_document", "依据文件")
    if not CalendarYear.objects.filter(year=date.year).exists():
        message = f"{date.year} 年的放假安排尚未录入，请先添加日历年度 {date.year}，再编辑其中的日期。"
        raise DomainError("calendar_year_missing", message, {"date": [message]})
    _require_reason_for_the_past(date, today, reason)


@transaction.atomic
def calendar_day_set(
    *,
    date: dt.date,
    kind: str,
    name: str,
    source_document: str,
    region: Region | None = None,
    actor: User,
    today: dt.date,
    reason: str = "",
) -> CalendarDay:
    """Make `date` a holiday or a make-up working day, nationally or as an overlay for `region`."""
    _require_editor(actor)
    calendar_day_check(
        date=date, kind=kind, name=name, source_document=source_document, today=today, reason=reason
    )
    day = CalendarDay.objects.select_for_update().filter(date=date, region=region).first()
    kind_before, name_before = (day.kind, day.name) if day else ("", "")
    if day is None:
        day = CalendarDay(date=date, region=region)
    day.kind, day.name = kind, name.strip()
    day.source_document, day.reason = source_document.strip(), reason.strip()
    day.save()
    edit = CalendarEdit.objects.create(
        action=CalendarEditAction.SET,
        date=date,
        region=region,
        kind_before=kind_before,
        name_before=name_before,
        kind_after=day.kind,
        name_after=day.name,
        reason=day.reason,
        actor=actor,
    )
    _retire_cached_calendars()
    _announce(edit)
    return day


@transaction.atomic
def calendar_day_delete(*, day: CalendarDay, actor: User, today: dt.date, reason: str = "") -> None:
    """Return `day` to the Mon–Fri rule (or, for an overlay, to the national arrangement)."""
    _require_editor(actor)
    _require_reason_for_the_past(day.date, today, reason)
    locked = CalendarDay.objects.select_for_update().filter(pk=day.pk).first()
    if locked is None:
        raise NotFound("该日期记录不存在或已被删除。")
    edit = CalendarEdit.objects.create(
        action=CalendarEditAction.DELETE,
        date=locked.date,
        region=locked.region,
        kind_before=locked.kind,
        name_before=locked.name,
        reason=reason.strip(),
        actor=actor,
    )
    locked.delete()
    _retire_cached_calendars()
    _announce(edit)


def _require_editor(actor: User) -> None:
    if not can_edit_calendar(actor):
        raise PermissionDenied("只有系统管理员可以修改工作日历。")


def _require_text(value: str, field: str, label: str) -> None:
    if not value.strip():
        raise DomainError("invalid", f"{label}不能为空。", {field: ["不能为空。"]})


def _require_reason_for_the_past(date: dt.date, today: dt.date, reason: str) -> None:
    if date < today and not reason.strip():
        message = f"{date.isoformat()} 早于今天，修改属于追溯更正，必须填写更正原因。"
        raise DomainError("reason_required", message, {"reason": ["追溯更正必须填写原因。"]})


def _retire_cached_calendars() -> None:
    """Retire now, so this transaction reads its own edit, and again on commit, so that a calendar a
    concurrent request built from the old rows in the meantime is not kept."""
    calendar_cache_invalidate()
    transaction.on_commit(calendar_cache_invalidate)


def _announce(edit: CalendarEdit) -> None:
    """Tell the clock owners once the edit is committed (they re-read the calendar then)."""
    transaction.on_commit(lambda: calendar_changed.send(sender=CalendarEdit, edit=edit))
