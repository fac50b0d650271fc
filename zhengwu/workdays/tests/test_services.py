"""Editing the calendar: who may, which dates, and what each edit leaves behind."""

from __future__ import annotations

from datetime import date

import pytest

from zhengwu.common.errors import DomainError, PermissionDenied
from zhengwu.workdays.choices import CalendarDayKind, CalendarEditAction
from zhengwu.workdays.models import CalendarDay, CalendarEdit, CalendarYear
from zhengwu.workdays.selectors import work_calendar
from zhengwu.workdays.services import calendar_day_delete, calendar_day_set, calendar_year_add

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)
NOTICE = "国务院办公厅通知"


def set_holiday(actor, day, *, reason=""):
    return calendar_day_set(
        date=day,
        kind=CalendarDayKind.HOLIDAY,
        name="临时调整",
        source_document=NOTICE,
        actor=actor,
        today=TODAY,
        reason=reason,
    )


def test_setting_a_future_day_creates_the_row_and_journals_the_edit(editor):
    day = set_holiday(editor, date(2026, 7, 6))
    assert (day.kind, day.name, day.region) == (CalendarDayKind.HOLIDAY, "临时调整", None)
    edit = CalendarEdit.objects.get()
    assert (edit.action, edit.date, edit.kind_before, edit.kind_after, edit.actor) == (
        CalendarEditAction.SET,
        date(2026, 7, 6),
        "",
        CalendarDayKind.HOLIDAY,
        editor,
    )


def test_setting_an_existing_day_updates_it_and_journals_the_old_value(editor):
    calendar_day_set(
        date=date(2026, 10, 10),
        kind=CalendarDayKind.HOLIDAY,
        name="国庆节",
        source_document=NOTICE,
        actor=editor,
        today=TODAY,
    )
    assert CalendarDay.objects.filter(date=date(2026, 10, 10)).count() == 1
    edit = CalendarEdit.objects.get()
    assert (edit.kind_before, edit.kind_after) == (CalendarDayKind.MAKEUP_WORKDAY, CalendarDayKind.HOLIDAY)
    assert not work_calendar().is_workday(date(2026, 10, 10))


def test_a_retroactive_edit_without_a_reason_is_refused(editor):
    with pytest.raises(DomainError) as refused:
        set_holiday(editor, date(2026, 5, 29))
    assert refused.value.code == "reason_required"
    assert refused.value.message == "2026-05-29 早于今天，修改属于追溯更正，必须填写更正原因。"
    assert refused.value.fields == {"reason": ["追溯更正必须填写原因。"]}
    assert not CalendarDay.objects.filter(date=date(2026, 5, 29)).exists()


def test_a_retroactive_correction_with_a_reason_is_kept_with_its_reason(editor):
    day = set_holiday(editor, date(2026, 5, 29), reason="补录当日临时放假通知")
    assert day.reason == "补录当日临时放假通知"
    assert CalendarEdit.objects.get().reason == "补录当日临时放假通知"


def test_today_itself_is_not_a_retroactive_edit(editor):
    assert set_holiday(editor, TODAY).reason == ""


def test_an_edit_of_a_date_in_a_year_not_yet_added_is_refused(editor):
    with pytest.raises(DomainError) as refused:
        set_holiday(editor, date(2027, 1, 1))
    assert refused.value.code == "calendar_year_missing"
    assert "2027 年的放假安排尚未录入" in refused.value.message


def test_only_a_system_administrator_may_edit_the_calendar(dept_head):
    with pytest.raises(PermissionDenied):
        set_holiday(dept_head, date(2026, 7, 6))
    with pytest.raises(PermissionDenied):
        calendar_year_add(year=2027, source_document=NOTICE, actor=dept_head)


def test_deleting_a_future_holiday_returns_the_day_to_the_monday_to_friday_rule(editor):
    dragon_boat = CalendarDay.objects.get(date=date(2026, 6, 19), region=None)
    calendar_day_delete(day=dragon_boat, actor=editor, today=TODAY)
    assert work_calendar().is_workday(date(2026, 6, 19))
    edit = CalendarEdit.objects.get()
    assert (edit.action, edit.kind_before, edit.name_before) == (
        CalendarEditAction.DELETE,
        "holiday",
        "端午节",
    )


def test_deleting_a_past_day_needs_a_reason(editor):
    may_day = CalendarDay.objects.get(date=date(2026, 5, 1), region=None)
    with pytest.raises(DomainError, match="必须填写更正原因"):
        calendar_day_delete(day=may_day, actor=editor, today=TODAY)
    calendar_day_delete(day=may_day, actor=editor, today=TODAY, reason="测试更正")
    assert CalendarEdit.objects.get().reason == "测试更正"


def test_bad_input_is_refused_with_the_field_named(editor):
    with pytest.raises(DomainError) as refused:
        calendar_day_set(
            date=date(2026, 7, 6), kind="weekend", name="x", source_document=NOTICE, actor=editor, today=TODAY
        )
    assert "kind" in refused.value.fields
    with pytest.raises(DomainError) as refused:
        calendar_day_set(
            date=date(2026, 7, 6), kind="holiday", name=" ", source_document=NOTICE, actor=editor, today=TODAY
        )
    assert refused.value.fields == {"name": ["不能为空。"]}


def test_the_next_year_is_added_with_its_source_document(editor):
    added = calendar_year_add(
        year=2027, source_document="国务院办公厅关于2027年部分节假日安排的通知", actor=editor
    )
    assert CalendarYear.objects.get(year=2027) == added


def test_a_year_already_entered_or_leaving_a_gap_is_refused(editor):
    with pytest.raises(DomainError) as refused:
        calendar_year_add(year=2026, source_document=NOTICE, actor=editor)
    assert refused.value.code == "duplicate"
    with pytest.raises(DomainError) as refused:
        calendar_year_add(year=2028, source_document=NOTICE, actor=editor)
    assert refused.value.code == "calendar_year_gap"
    assert "只能添加 2027 年" in refused.value.message
